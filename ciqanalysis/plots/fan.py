"""Forecast fan chart (预测扇形图): history, mean forecast and interval bands.

Draws what :func:`ciqanalysis.forecast.forecast` (or a nowcast's monthly table)
computed; it computes nothing itself. Returns the matplotlib Figure.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .._docstring import fill
from ..errors import ParameterError
from ..units import canonical_unit, from_usd
from ._style import font_family, label, mark_synthetic, unit_text

__all__ = ["plot_fan"]


def _family() -> list[str]:
    return font_family()


def _levels(table: pd.DataFrame) -> list:
    out = []
    for col in table.columns:
        if col.startswith("lower_") and f"upper_{col[6:]}" in table.columns:
            out.append(col[6:])
    if "mean" not in table.columns or not out:
        raise ParameterError(
            "the forecast table needs a 'mean' column and lower_<L>/upper_<L> pairs, got "
            f"{list(table.columns)}"
        )
    return sorted(out, key=float, reverse=True)


@fill
def plot_fan(result=None, *, history: pd.Series | None = None, table: pd.DataFrame | None = None,
             unit: str = "亿美元", title: str | None = None, synthetic: bool = False,
             last: int | None = 60) -> Figure:
    """Draw a fan chart: history, mean forecast and the 80 %/95 % (any) bands.

    Parameters
    ----------
    result : ForecastResult, optional
        A result of :func:`ciqanalysis.forecast.forecast` (its ``history`` and
        ``table`` are drawn). Alternatively pass ``history`` and ``table``.
    history : pandas.Series, optional
        Observed values in US dollars, PeriodIndex.
    table : pandas.DataFrame, optional
        Forecast table indexed by periods: ``mean``, ``lower_<L>``, ``upper_<L>``.
    %(chart_unit)s
    %(chart_title_synthetic)s
    last : int or None, default 60
        Periods of history shown (None: all).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ParameterError
        If neither a result nor history and table are given, or they lack columns.

    Examples
    --------
    >>> import numpy as np
    >>> idx = pd.period_range("2010-01", periods=6, freq="M")
    >>> tab = pd.DataFrame({"mean": [5e8, 6e8], "lower_80": [4e8, 4e8], "upper_80": [6e8, 8e8]},
    ...                    index=pd.period_range("2010-07", periods=2, freq="M"))
    >>> fig = plot_fan(history=pd.Series(np.full(6, 5e8), index=idx), table=tab)
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    if result is not None:
        history = getattr(result, "history", history)
        table = getattr(result, "table", table)
    if history is None or table is None:
        raise ParameterError("plot_fan needs a forecast result, or both history= and table=")
    if not isinstance(history, pd.Series) or not isinstance(history.index, pd.PeriodIndex):
        raise ParameterError("history must be a pandas Series with a PeriodIndex")
    if not isinstance(table, pd.DataFrame) or not isinstance(table.index, pd.PeriodIndex):
        raise ParameterError("table must be a DataFrame indexed by forecast periods (PeriodIndex)")
    levels = _levels(table)
    unit = canonical_unit(unit)
    hist = from_usd(history if last is None else history.iloc[-last:], unit)
    tab = from_usd(table[[c for c in table.columns if c == "mean" or c[:6] in ("lower_", "upper_")]], unit)

    fig = plt.figure(figsize=(8.0, 4.5), layout="constrained")
    ax = fig.add_subplot()
    x_hist = hist.index.to_timestamp()
    x_fc = tab.index.to_timestamp()
    ax.plot(x_hist, hist.to_numpy(), color="black", lw=1.4, label=label("observed", "实际"))
    shades = ["#c6dbef", "#6baed6", "#2171b5", "#08306b"]
    for i, lv in enumerate(levels):
        ax.fill_between(x_fc, tab[f"lower_{lv}"].to_numpy(), tab[f"upper_{lv}"].to_numpy(),
                        color=shades[min(i, len(shades) - 1)], alpha=0.8, lw=0,
                        label=label(f"{lv} % interval", f"{lv}% 区间"))
    ax.plot(x_fc, tab["mean"].to_numpy(), color="#b2182b", lw=1.6, label=label("forecast", "预测"))
    ax.set_ylabel(unit_text(unit), fontfamily=_family())
    if title:
        ax.set_title(title, fontfamily=_family())
    ax.legend(loc="upper left", frameon=False, prop={"family": _family(), "size": 8})
    ax.grid(alpha=0.3)
    mark_synthetic(fig, synthetic)
    return fig
