"""The memo's charts as figures and PNG bytes (图表), shared by the memo and its writers."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .memo import MemoNumbers

__all__ = ["fan_figure", "figure_png"]


def fan_figure(numbers: MemoNumbers):
    """Draw the memo's fan chart (扇形图) of the monthly total with intervals.

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`compute_memo`.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample):

    >>> fig = fan_figure(memo)
    >>> type(fig).__name__, len(fig.axes) >= 1
    ('Figure', True)
    >>> figure_png(fig)[1:4]  # and closes the figure
    b'PNG'
    """
    from .. import plots
    from ..plots._style import label

    history = numbers.monthly["total"]
    history = history.loc[~history.index.isin(numbers.fan.index)]  # partial month: forecast
    fig = plots.plot_fan(
        history=history, table=numbers.fan, unit="亿美元", synthetic=numbers.synthetic,
        title=label("Inspected trade per month, exports + imports",
                    "检验检疫出入境货物 月度"), last=48,
    )
    return fig


def figure_png(fig, dpi: int = 110) -> bytes:
    """Return a matplotlib figure as PNG bytes (no timestamp in the metadata); closes it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> figure_png(plt.figure(figsize=(1, 1)))[1:4]
    b'PNG'
    """
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
