"""Growth charts (增长图表): monthly values with 同比, 累计 vs last year, 拉动, 比重.

Each function draws already-computed numbers (from :mod:`ciqanalysis.metrics`) and
returns the matplotlib Figure; pass ``synthetic=True`` for synthetic data, which
puts :data:`~ciqanalysis.provenance.SYNTHETIC_CAPTION` on the chart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .._docstring import fill
from ..errors import ParameterError
from ..units import canonical_unit, from_usd
from ._style import font_family, label, mark_synthetic, unit_text

__all__ = [
    "plot_monthly_yoy",
    "plot_ytd_vs_last_year",
    "plot_contributions",
    "plot_shares",
]


def _new_figure(figsize=(8.0, 4.5)) -> tuple[Figure, object]:
    # Through pyplot, so that a notebook cell ending in plt.show() displays it.
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    ax = fig.add_subplot()
    return fig, ax


def _finish(fig: Figure, ax, title: str | None, default: str, synthetic: bool) -> Figure:
    """Set the title (``default`` when None), mark synthetic data, return the figure."""
    ax.set_title(title or default, fontfamily=_family())
    return mark_synthetic(fig, synthetic)


def _family() -> list[str]:
    return font_family()


def _series(x, name: str, monthly: bool = False) -> pd.Series:
    if not isinstance(x, pd.Series) or not isinstance(x.index, pd.PeriodIndex):
        raise ParameterError(f"{name} must be a pandas Series indexed by a PeriodIndex")
    if monthly and x.index.freqstr != "M":
        raise ParameterError(f"{name} must be monthly (freq 'M')")
    return x.astype("float64")


@fill
def plot_monthly_yoy(
    values: pd.Series,
    yoy: pd.Series | None = None,
    *,
    unit: str = "亿美元",
    title: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Bar chart of period values (货值) with the year-on-year growth line (同比).

    Parameters
    ----------
    values : pandas.Series
        Values in US dollars indexed by a PeriodIndex.
    yoy : pandas.Series, optional
        Growth in per cent on the same index; default ``metrics.yoy_growth(values)``.
    %(chart_unit)s
    %(chart_tail)s

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(range(1, 25), index=pd.period_range("2009-01", periods=24, freq="M"),
    ...               dtype="float64") * 1e8
    >>> fig = plot_monthly_yoy(s, synthetic=True)
    >>> len(fig.axes)
    2
    """
    values = _series(values, "values")
    if yoy is None:
        from ..metrics import yoy_growth

        yoy = yoy_growth(values)
    yoy = _series(yoy, "yoy").reindex(values.index)
    name = canonical_unit(unit)
    fig, ax = _new_figure()
    x = np.arange(len(values))
    ax.bar(x, from_usd(values, name).to_numpy(), color="#4c72b0", label=label("value", "货值"))
    ax.set_ylabel(label(f"value ({unit_text(name)})", f"货值（{name}）"), fontfamily=_family())
    ax2 = ax.twinx()
    ax2.plot(x, yoy.to_numpy(), color="#dd8452", marker="o", ms=3,
             label=label("year-on-year growth, %", "同比增长 %"))
    ax2.axhline(0.0, color="grey", lw=0.6)
    ax2.set_ylabel(label("year-on-year growth, %", "同比 %"), fontfamily=_family())
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step], [str(p) for p in values.index[::step]], rotation=45, ha="right")
    return _finish(fig, ax, title, label("Monthly value and year-on-year growth", "月度货值与同比"),
                   synthetic)


@fill
def plot_ytd_vs_last_year(
    ytd_values: pd.Series,
    year: int,
    *,
    unit: str = "亿美元",
    title: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Year-to-date lines (累计) of ``year`` and the year before, by month.

    Parameters
    ----------
    ytd_values : pandas.Series
        Monthly year-to-date sums in US dollars (``metrics.ytd(monthly)``).
    year : int
        The current year; the previous year is drawn for comparison.
    %(chart_unit)s
    %(chart_tail)s

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(1e8, index=pd.period_range("2009-01", periods=23, freq="M")).groupby(
    ...     lambda p: p.year).cumsum()
    >>> fig = plot_ytd_vs_last_year(s, 2010)
    >>> len(fig.axes[0].lines)
    2
    """
    s = _series(ytd_values, "ytd_values", monthly=True)
    name = canonical_unit(unit)
    fig, ax = _new_figure()
    for y, style in ((int(year) - 1, "--"), (int(year), "-")):
        part = s[s.index.year == y]
        if part.empty:
            raise ParameterError(f"ytd_values has no months of {y}")
        ax.plot(part.index.month, from_usd(part, name).to_numpy(), style, marker="o", ms=3,
                label=str(y))
    ax.set_xticks(range(1, 13))
    ax.set_xlabel(label("month", "月份"), fontfamily=_family())
    ax.set_ylabel(label(f"year-to-date ({unit_text(name)})", f"累计（{name}）"), fontfamily=_family())
    ax.legend()
    return _finish(fig, ax, title, label(f"Year to date, {year} vs {int(year) - 1}", "累计与上年同期"),
                   synthetic)


@fill
def plot_contributions(
    contrib: pd.DataFrame | pd.Series,
    total: pd.Series | float | None = None,
    *,
    title: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Stacked bars of contributions to growth (拉动, percentage points).

    Parameters
    ----------
    contrib : pandas.DataFrame or pandas.Series
        Contributions in pp: periods x components (from ``metrics.contribution_pp``),
        or one Series of components (one bar).
    total : pandas.Series or float, optional
        Total growth (%), drawn as markers; default the sum of the contributions.
    %(chart_tail)s

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_contributions(pd.Series({"export": 9.55, "import": 8.68}))
    >>> len(fig.axes[0].patches)
    2
    """
    if isinstance(contrib, pd.Series):
        frame = contrib.to_frame().T
        frame.index = ["total"]
    elif isinstance(contrib, pd.DataFrame):
        frame = contrib
    else:
        raise ParameterError("contrib must be a pandas Series or DataFrame of pp")
    frame = frame.astype("float64")
    tot = frame.sum(axis=1, min_count=1) if total is None else pd.Series(total, index=frame.index)
    fig, ax = _new_figure()
    x = np.arange(len(frame))
    vals = frame.fillna(0.0).to_numpy()
    pos_bottom = np.zeros(len(frame))
    neg_bottom = np.zeros(len(frame))
    for j, col in enumerate(frame.columns):  # one bar series per component
        v = vals[:, j]
        bottom = np.where(v >= 0, pos_bottom, neg_bottom)
        zh = {"export": "出境", "import": "进境"}.get(str(col))
        ax.bar(x, v, bottom=bottom, label=label(str(col), zh))
        pos_bottom = pos_bottom + np.where(v >= 0, v, 0.0)
        neg_bottom = neg_bottom + np.where(v < 0, v, 0.0)
    ax.plot(x, tot.to_numpy(dtype="float64"), "kD", ms=5, label=label("total growth", "总增长"))
    ax.axhline(0.0, color="grey", lw=0.6)
    ax.set_xticks(x, [str(i) for i in frame.index], rotation=45 if len(x) > 6 else 0)
    ax.set_ylabel(label("percentage points", "百分点"), fontfamily=_family())
    ax.legend(prop={"family": _family()})
    return _finish(fig, ax, title, label("Contributions to growth", "拉动"), synthetic)


@fill
def plot_shares(
    shares: pd.DataFrame,
    *,
    title: str | None = None,
    synthetic: bool = False,
) -> Figure:
    """Structure chart: stacked shares (比重, %) of components by period.

    Parameters
    ----------
    shares : pandas.DataFrame
        Periods x components in per cent (``metrics.share(wide)``).
    %(chart_tail)s

    Examples
    --------
    >>> import pandas as pd
    >>> sh = pd.DataFrame({"export": [43.2, 45.0], "import": [56.8, 55.0]},
    ...                   index=pd.PeriodIndex(["2009", "2010"], freq="Y"))
    >>> fig = plot_shares(sh)
    >>> len(fig.axes[0].patches)
    4
    """
    if not isinstance(shares, pd.DataFrame):
        raise ParameterError("shares must be a DataFrame (periods x components) in %")
    frame = shares.astype("float64").fillna(0.0)
    if (frame < 0).to_numpy().any():
        raise ParameterError("a stacked share chart needs non-negative shares")
    fig, ax = _new_figure()
    x = np.arange(len(frame))
    bottom = np.zeros(len(frame))
    for col in frame.columns:  # one layer per component
        v = frame[col].to_numpy()
        ax.bar(x, v, bottom=bottom, label=str(col))
        bottom = bottom + v
    ax.set_xticks(x, [str(i) for i in frame.index], rotation=45 if len(x) > 6 else 0)
    ax.set_ylabel(label("share, %", "比重 %"), fontfamily=_family())
    ax.set_ylim(0, max(100.0, float(bottom.max()) if len(bottom) else 100.0))
    ax.legend(prop={"family": _family()}, fontsize=8)
    return _finish(fig, ax, title, label("Structure", "结构（比重）"), synthetic)
