"""Growth-trend tables (增长趋势): complete months, same-days cuts by year, summaries.

Helpers that put the metrics of :mod:`.growth`, :mod:`.composition` and
:mod:`.structure` together the way a growth-trend analysis reads them:

- :func:`source_label` -- the SYNTHETIC / real tag printed above every result;
- :func:`last_complete_month` -- the last month fully covered at an as-of day;
- :func:`same_days_by_year` -- every year cut at the same day (同期累计), by keys;
- :func:`top_n_other` -- the ``n`` largest components and the rest as ``other``;
- :func:`growth_table` -- monthly value, 同比, 环比 (plain and Spring Festival), 累计,
  累计同比 of one series;
- :func:`change_table` -- current and base value, 同比, 拉动 and 比重 by component;
- :func:`ytd_table` -- the same for the year to date of monthly series (累计同比);
- :func:`annualise_table` -- a year-to-date value annualised by each named method;
- :func:`monthly_by_direction` -- monthly exports, imports and total, whatever the
  file holds (a direction absent from it is 0);
- :func:`ytd_headline` -- the headline table, or the year to date alone when the data
  do not reach back to the base year;
- :func:`annualise_backtest` -- how far each annualising method (全年推算) missed
  the actual full year in past years.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import AsOfDateError, ParameterError, SchemaError
from ..provenance import SYNTHETIC_TAG, Provenance
from ..units import canonical_unit, from_usd
from ._common import _as_float, _check_numeric, _periods_per_year, _ratio
from .composition import contribution_pp, share
from .growth import (
    _as_of,
    annualise,
    mom_growth,
    share_of_year_done,
    yoy_growth,
    ytd,
    ytd_growth,
)

__all__ = [
    "SYNTHETIC_TAG",
    "source_label",
    "last_complete_month",
    "same_days_by_year",
    "top_n_other",
    "growth_table",
    "change_table",
    "ytd_table",
    "annualise_table",
    "annualise_backtest",
    "monthly_by_direction",
    "ytd_headline",
]


#: The tag every result built on synthetic data carries.


def source_label(*frames: pd.DataFrame) -> str:
    """Return the provenance tag of results built from these tables (数据来源标注).

    Parameters
    ----------
    *frames : pandas.DataFrame
        Input tables as loaded (``attrs["synthetic"]`` and ``attrs["source"]`` set
        by :func:`ciqanalysis.data.load`).

    Returns
    -------
    str
        :attr:`Provenance.caption <ciqanalysis.provenance.Provenance.caption>`: the
        synthetic caption when any table is synthetic; ``"real data: <source>"`` when
        every table is one the data package ships as real (e.g.
        ``china_customs_monthly``); otherwise the caption of the user's own data (a
        table without attrs counts as the user's own).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame()
    >>> d.attrs.update(synthetic=True)
    >>> source_label(d)[:21]
    'SYNTHETIC sample data'
    """
    if not frames or not all(isinstance(f, pd.DataFrame) for f in frames):
        raise ParameterError("source_label needs one or more DataFrames")
    return Provenance.from_data(*frames, default_source="the user's own file").caption


def last_complete_month(as_of) -> pd.Period:
    """Last calendar month wholly covered by data that end on ``as_of`` (完整月份).

    Parameters
    ----------
    as_of : date-like
        The last day of data (截至日期).

    Returns
    -------
    pandas.Period
        Monthly period: the as-of month when ``as_of`` is its last day, else the
        month before.

    Examples
    --------
    >>> str(last_complete_month("2010-11-20")), str(last_complete_month("2010-10-31"))
    ('2010-10', '2010-10')
    """
    day = _as_of(as_of)
    month = day.to_period("M")
    return month if day.day == day.days_in_month else month - 1


def same_days_by_year(
    decl: pd.DataFrame,
    as_of,
    by: str | None = None,
    *,
    years=None,
    value: str = "value_usd",
) -> pd.DataFrame:
    """Sum values from 1 January to the as-of month and day, year by year (同期累计).

    Every year is cut at the same calendar day as ``as_of`` (the article's "1
    January to 20 November"), so a part-year is compared with the same part of
    earlier years. A day is kept when its (month, day) is on or before the as-of
    (month, day): with ``as_of`` on 29 February the whole of February counts in
    every year.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with ``date``, ``value`` and the ``by`` column.
    as_of : date-like
        The cut; its year is the last year.
    by : str, optional
        One key column (e.g. ``"product_group"``, ``"county_code"``); None gives a
        single column ``total``.
    years : iterable of int, optional
        Years to return; default every year from the first one the data cover
        from 1 January to the as-of year.
    value : str, default "value_usd"
        The value column to sum.

    Returns
    -------
    pandas.DataFrame
        Annual ``PeriodIndex`` (named ``year``) x keys (sorted), in the units of
        ``value``; 0 where a key had no trade in a year.

    Raises
    ------
    AsOfDateError
        If a requested year is not covered from 1 January, or the data end before
        ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2009-01-01", "2009-12-01", "2010-02-01", "2010-06-01"]),
    ...     "value_usd": [1.0, 2.0, 4.0, 8.0]})
    >>> same_days_by_year(decl, "2010-03-31")["total"].tolist()
    [1.0, 4.0]
    """
    day = _as_of(as_of)
    if not isinstance(decl, pd.DataFrame):
        raise ParameterError(f"decl must be a pandas DataFrame, got {type(decl).__name__}")
    need = ["date", value] + ([by] if by is not None else [])
    missing = [c for c in need if c not in decl]
    if missing:
        raise SchemaError(f"declarations lack column(s) {missing}",
                          expected="the declarations columns (date, value_usd, keys)",
                          hint="load them with cq.data.load_declarations(...)")
    if not pd.api.types.is_datetime64_any_dtype(decl["date"]) or len(decl) == 0:
        raise SchemaError("column 'date' must be a non-empty datetime column", column="date")
    _check_numeric(decl[value], value)
    from ..data import data_window

    dates = decl["date"]
    first, last = data_window(decl)
    if last < day:
        raise AsOfDateError(f"the data end on {last:%Y-%m-%d}, before the as-of day "
                            f"{day:%Y-%m-%d}")
    first_full = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    wanted = list(range(first_full, day.year + 1)) if years is None else \
        sorted({int(y) for y in years})
    short = [y for y in wanted if y < first_full or y > day.year]
    if short or not wanted:
        raise AsOfDateError(
            f"year(s) {short or wanted} are not covered from 1 January to "
            f"{day:%m-%d}; the data run {first:%Y-%m-%d} .. {last:%Y-%m-%d}")
    md = dates.dt.month.to_numpy() * 100 + dates.dt.day.to_numpy()
    year = dates.dt.year.to_numpy()
    keep = (md <= day.month * 100 + day.day) & np.isin(year, wanted)
    keys = decl[by].astype("str").to_numpy()[keep] if by is not None else \
        np.full(int(keep.sum()), "total")
    sums = pd.Series(decl[value].to_numpy(dtype="float64")[keep]).groupby(
        [year[keep], keys]).sum().unstack(fill_value=0.0)
    sums = sums.reindex(index=wanted, fill_value=0.0).sort_index(axis=1)
    sums.index = pd.PeriodIndex([str(y) for y in wanted], freq="Y", name="year")
    sums.columns.name = by
    return sums


def top_n_other(
    x: pd.Series | pd.DataFrame,
    n: int = 5,
    *,
    other: str = "other",
) -> pd.Series | pd.DataFrame:
    """Keep the ``n`` largest components and sum the rest into ``other`` (其他).

    Parameters
    ----------
    x : pandas.Series or pandas.DataFrame
        Values by component (Series), or rows (periods) x components; the largest
        are ranked by their total over the rows (ties by name).
    n : int, default 5
        How many components to keep.
    other : str, default "other"
        Name of the column (or entry) for the rest; absent when nothing is left.

    Returns
    -------
    Same type as ``x``
        The ``n`` largest in descending order, then ``other``; totals unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> top_n_other(pd.Series({"a": 1.0, "b": 5.0, "c": 3.0}), 2).to_dict()
    {'b': 5.0, 'c': 3.0, 'other': 1.0}
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    if not isinstance(x, (pd.Series, pd.DataFrame)):
        raise ParameterError(f"x must be a pandas Series or DataFrame, got {type(x).__name__}")
    _check_numeric(x)
    frame = _as_float(x.to_frame().T if isinstance(x, pd.Series) else x)
    if other in frame.columns:
        raise ParameterError(f"a component is already called {other!r}; pass another name")
    totals = frame.sum(axis=0)
    order = pd.DataFrame({"total": totals.to_numpy(), "name": totals.index.astype("str")},
                         index=totals.index).sort_values(["total", "name"],
                                                         ascending=[False, True])
    keep = list(order.index[:n])
    rest = [c for c in frame.columns if c not in keep]
    out = frame[keep]
    if rest:
        out = out.assign(**{other: frame[rest].sum(axis=1, min_count=1)})
    return out.iloc[0].rename(x.name) if isinstance(x, pd.Series) else out


def growth_table(x: pd.Series, *, unit: str = "亿美元") -> pd.DataFrame:
    """Monthly growth table of one series: 货值, 同比, 环比, 环比 (春节), 累计, 累计同比.

    Parameters
    ----------
    x : pandas.Series
        Monthly values in US dollars (``PeriodIndex``, freq ``M``).
    unit : str, default "亿美元"
        Display unit of the value columns.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``yoy_pct`` (同比), ``mom_pct`` (环比), ``mom_sf_pct``
        (环比 with January+February taken together around the Spring Festival),
        ``ytd`` (累计) and ``ytd_growth_pct`` (累计同比); values in ``unit``,
        ``attrs["unit"]`` names it.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series(1e8, index=pd.period_range("2009-01", "2010-03", freq="M"))
    >>> growth_table(s).loc["2010-03", ["value", "yoy_pct", "ytd"]].tolist()
    [1.0, 0.0, 3.0]
    """
    if not isinstance(x, pd.Series):
        raise ParameterError("x must be one monthly pandas Series (e.g. a column)")
    if _periods_per_year(x) != 12:
        raise ParameterError("growth_table needs monthly data (freq 'M')")
    name = canonical_unit(unit)
    x = _as_float(x)
    out = pd.DataFrame({
        "value": from_usd(x, name),
        "yoy_pct": yoy_growth(x),
        "mom_pct": mom_growth(x),
        "mom_sf_pct": mom_growth(x, spring_festival=True),
    })
    cum = ytd(x).reindex(x.index)
    out["ytd"] = from_usd(cum, name)
    out["ytd_growth_pct"] = ytd_growth(x).reindex(x.index)
    out.attrs["unit"] = name
    return out


def change_table(
    current: pd.Series,
    base: pd.Series,
    *,
    unit: str = "亿美元",
) -> pd.DataFrame:
    """Tabulate components' value, base, 同比, 拉动 (pp) and 比重, plus the total.

    Parameters
    ----------
    current, base : pandas.Series
        Non-negative values in US dollars by component (e.g. ``export``/``import`` or
        product groups) in the current and the base period (same components).
    unit : str, default "亿美元"
        Display unit of ``current`` and ``base``.

    Returns
    -------
    pandas.DataFrame
        One row per component and ``total``: ``current``, ``base`` (in ``unit``),
        ``growth_pct`` (同比; NaN for a zero base), ``contribution_pp`` (拉动; they
        add up to the total's growth, which the total row repeats) and ``share_pct``
        (比重 of the current total).

    Examples
    --------
    >>> import pandas as pd
    >>> cur = pd.Series({"export": 1.991e9, "import": 2.618e9})
    >>> base = cur / pd.Series({"export": 1.2299, "import": 1.1484})
    >>> change_table(cur, base)["contribution_pp"].round(2).tolist()
    [9.55, 8.68, 18.22]
    """
    for name, x in (("current", current), ("base", base)):
        if not isinstance(x, pd.Series):
            raise ParameterError(f"{name} must be a pandas Series of values by component")
        _check_numeric(x, name)
        if bool((x < 0).any()):
            raise ParameterError(f"{name} must hold non-negative values (no balances)")
    if "total" in current.index or "total" in base.index:
        raise ParameterError("pass the components only: 'total' is added as the last row")
    pp = contribution_pp(current, base)
    cur = _as_float(current)
    b = _as_float(base).reindex(cur.index)
    name = canonical_unit(unit)
    out = pd.DataFrame({"current": from_usd(cur, name), "base": from_usd(b, name)})
    out.loc["total"] = [from_usd(float(cur.sum()), name), from_usd(float(b.sum()), name)]
    out["growth_pct"] = (_ratio(out["current"], out["base"]) - 1.0) * 100.0
    out["contribution_pp"] = [*pp.to_numpy(), float(pp.sum(min_count=1))]
    sh = share(cur)
    out["share_pct"] = [*sh.to_numpy(), float(sh.sum(min_count=1))]
    out.index.name = current.index.name
    out.attrs["unit"] = name
    return out


def ytd_table(monthly: pd.DataFrame, through, *, unit: str = "亿美元") -> pd.DataFrame:
    """Year-to-date table by component (累计, 累计同比, 拉动, 比重) through a month.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Monthly values in US dollars, ``PeriodIndex`` x components (e.g. ``export``,
        ``import``); must cover January of the previous year to ``through``.
    through : period-like
        Last month included (e.g. ``"2010-10"``).
    unit : str, default "亿美元"
        Display unit of ``current`` and ``base``.

    Returns
    -------
    pandas.DataFrame
        As :func:`change_table`: ``current`` is January..``through``, ``base`` the
        same months a year earlier; ``attrs["through"]`` names the last month.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame(0.0, index=pd.period_range("2009-01", "2010-01", freq="M"),
    ...                  columns=["export", "import"])
    >>> m.loc[pd.Period("2009-01", "M")] = [1e8, 3e8]
    >>> m.loc[pd.Period("2010-01", "M")] = [1.5e8, 3.3e8]
    >>> ytd_table(m, "2010-01")["contribution_pp"].round(1).tolist()
    [12.5, 7.5, 20.0]
    """
    if not isinstance(monthly, pd.DataFrame):
        raise ParameterError("monthly must be a wide DataFrame (months x components)")
    if _periods_per_year(monthly, "monthly") != 12:
        raise ParameterError("monthly must be monthly data (freq 'M')")
    _check_numeric(monthly, "monthly")
    if "total" in monthly.columns:
        raise ParameterError("monthly must hold the components only, not a 'total' column")
    end = pd.Period(through, freq="M")
    months = pd.period_range(f"{end.year - 1}-01", end, freq="M")
    have = _as_float(monthly).reindex(months)
    need = np.isin(months.month, np.arange(1, end.month + 1))
    if have[need].isna().to_numpy().any():
        raise ParameterError(f"monthly does not cover January-{end.month:02d} of "
                             f"{end.year - 1} and {end.year} without gaps")
    cur = have[months.year == end.year].sum()
    base = have[(months.year == end.year - 1) & need].sum()
    out = change_table(cur, base, unit=unit)
    out.index.name = monthly.columns.name
    out.attrs["through"] = str(end)
    return out


def annualise_table(
    value: float,
    as_of,
    references: dict[str, pd.Series | None],
    *,
    years=None,
    unit: str = "亿美元",
) -> pd.DataFrame:
    """Annualise a year-to-date value by each named method (全年推算, 按进度折算).

    Parameters
    ----------
    value : float
        Year-to-date value in US dollars, 1 January .. ``as_of``.
    as_of : date-like
        The last day included.
    references : dict
        Row label -> monthly reference series for the seasonal share (e.g. the same
        trade in earlier years, or China's national trade), or None for pro rata
        (days elapsed over days in the year).
    years : iterable of int, optional
        Reference years (default the five years before ``as_of``'s year).
    unit : str, default "亿美元"
        Display unit of ``ytd`` and ``annualised``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the labels: ``method`` (``pro_rata`` or ``seasonal_share``),
        ``share_done_pct`` (share of the year usually done by ``as_of``), ``ytd``
        and ``annualised`` in ``unit``.

    Examples
    --------
    >>> t = annualise_table(4.609e9, "2010-11-20", {"pro rata": None})
    >>> t.loc["pro rata", ["share_done_pct", "annualised"]].round(2).tolist()
    [88.77, 51.92]
    """
    if not isinstance(references, dict) or not references:
        raise ParameterError("references must be a non-empty dict: label -> series or None")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"value must be a number in US dollars, got {value!r}") from None
    if not np.isfinite(v) or v < 0:
        raise ParameterError(f"value must be a finite non-negative number, got {value!r}")
    name = canonical_unit(unit)
    rows = {}
    for lab, ref in references.items():  # one row per named method (a handful)
        method = "pro_rata" if ref is None else "seasonal_share"
        done = share_of_year_done(as_of, method=method, reference=ref, years=years)
        rows[lab] = {"method": method, "share_done_pct": done * 100.0,
                     "ytd": from_usd(v, name), "annualised": from_usd(v / done, name)}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.attrs.update(unit=name, as_of=str(_as_of(as_of).date()))
    return out


def annualise_backtest(
    monthly: pd.Series,
    through_month: int,
    years,
    *,
    n_reference_years: int = 5,
) -> pd.DataFrame:
    """Error of each annualising method (全年推算) against the actual full year.

    For every year, the sum of January..``through_month`` is annualised pro rata
    (days elapsed) and by seasonal share (the share of the year the same series
    usually reached by that month's end over the ``n_reference_years`` before),
    and compared with the year's actual total.

    Parameters
    ----------
    monthly : pandas.Series
        Monthly values (``PeriodIndex``, freq ``M``), complete for the tested years
        and their reference years.
    through_month : int
        Last month of the partial year, 1..12 (12 gives zero errors: nothing to
        annualise).
    years : iterable of int
        Years to test.
    n_reference_years : int, default 5
        Reference years for the seasonal share.

    Returns
    -------
    pandas.DataFrame
        Indexed by year: ``actual`` and, per method, the annualised value and its
        error in per cent of the actual (``<method>_error_pct``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0] * 6 + [2.0] * 6, dtype="float64").pipe(
    ...     lambda v: pd.concat([v] * 4, ignore_index=True))
    >>> s.index = pd.period_range("2006-01", periods=48, freq="M")
    >>> bt = annualise_backtest(s, 6, [2009], n_reference_years=3)
    >>> round(float(bt.loc[2009, "seasonal_share_error_pct"]), 6)
    0.0
    """
    if not isinstance(monthly, pd.Series) or _periods_per_year(monthly, "monthly") != 12:
        raise ParameterError("monthly must be one monthly pandas Series (freq 'M')")
    _check_numeric(monthly, "monthly")
    if not isinstance(through_month, (int, np.integer)) or not 1 <= through_month <= 12:
        raise ParameterError(f"through_month must be an integer 1..12, got {through_month!r}")
    if not isinstance(n_reference_years, (int, np.integer)) or n_reference_years < 1:
        raise ParameterError(f"n_reference_years must be >= 1, got {n_reference_years!r}")
    years = sorted({int(y) for y in years})
    if not years:
        raise ParameterError("years must name at least one year")
    x = _as_float(monthly)
    span = pd.period_range(f"{years[0] - n_reference_years}-01", f"{years[-1]}-12", freq="M")
    full = x.reindex(span)
    if full.isna().any():
        raise ParameterError(
            f"monthly is not complete over {span[0]} .. {span[-1]} (the tested years and "
            f"their {n_reference_years} reference years)")
    mat = full.to_numpy().reshape(-1, 12)
    first = years[0] - n_reference_years
    rows = {}
    for y in years:  # one row per tested year (a handful), not per observation
        done = float(mat[y - first, :through_month].sum())
        as_of = pd.Period(year=y, month=through_month, freq="M").end_time.normalize()
        ref = range(y - n_reference_years, y)
        rows[y] = {
            "actual": float(mat[y - first].sum()),
            "pro_rata": annualise(done, as_of, "pro_rata"),
            "seasonal_share": annualise(done, as_of, "seasonal_share", reference=full,
                                        years=ref),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "year"
    for m in ("pro_rata", "seasonal_share"):
        out[f"{m}_error_pct"] = (_ratio(out[m], out["actual"]) - 1.0) * 100.0
    return out


def monthly_by_direction(decl: pd.DataFrame, end=None) -> pd.DataFrame:
    """Monthly ``export``, ``import`` and ``total`` in US dollars (分方向月度货值).

    A file with exports only (or imports only) still gets both columns: the absent
    direction is 0 in every month, so tables keep their shape.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations.
    end : period-like, optional
        Last month (e.g. the last complete month); default the data's last.

    Returns
    -------
    pandas.DataFrame
        Monthly ``PeriodIndex`` named ``period``; columns ``export``, ``import``,
        ``total``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-01-05", "2010-02-03"]),
    ...                   "direction": ["export", "export"], "value_usd": [1.0, 2.0]})
    >>> monthly_by_direction(d).to_numpy().tolist()
    [[1.0, 0.0, 1.0], [2.0, 0.0, 2.0]]
    """
    from ..panel import panel, to_wide

    wide = to_wide(panel(decl, "M", by="direction", end=end))
    wide = wide.reindex(columns=["export", "import"]).fillna(0.0)
    wide["total"] = wide["export"] + wide["import"]
    wide.columns.name = None
    return wide


def ytd_headline(decl: pd.DataFrame, as_of, *, all_directions: bool = False) -> pd.DataFrame:
    """Return the headline table (累计, 同比, 拉动), or the year to date alone on a short file.

    When the declarations reach back to 1 January of the year before the as-of
    year, this is :func:`ciqanalysis.metrics.headline_table`. Otherwise the current
    year to date is still shown and the base, growth and contribution columns are
    missing (NaN), with ``attrs["note"]`` saying why. A direction the file does not
    hold at all is left out (its row would be a misleading 0), unless
    ``all_directions``.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations.
    as_of : date-like
        The as-of date.
    all_directions : bool, default False
        Keep the ``export`` and ``import`` rows even when the file lacks one.

    Returns
    -------
    pandas.DataFrame
        As :func:`~ciqanalysis.metrics.headline_table`.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-03-05", "2010-06-01"]),
    ...                   "direction": ["export", "import"], "value_usd": [1e8, 3e8]})
    >>> t = ytd_headline(d, "2010-06-30")
    >>> t["value_yi"].tolist(), bool(t["growth_pct"].isna().all())
    ([1.0, 3.0, 4.0], True)
    """
    from ..data import data_window
    from .headline import _finish, headline_table

    day = _as_of(as_of)
    first, _ = data_window(decl)
    present = set(decl["direction"].astype("str"))
    rows = [d for d in ("export", "import", "total")
            if all_directions or d in present or d == "total"]
    if first <= pd.Timestamp(day.year - 1, 1, 1):
        return headline_table(decl, day).loc[rows]
    base = pd.Timestamp(day.year - 1, 1, 1)
    keep = (decl["date"] >= pd.Timestamp(day.year, 1, 1)) & (decl["date"] <= day)
    cur = decl.loc[keep].groupby("direction")["value_usd"].sum()
    value = cur.reindex(["export", "import"], fill_value=0.0).astype("float64")
    out = _finish(value, pd.Series(np.nan, index=value.index)).loc[rows]
    out.attrs["note"] = (f"The data start on {first:%Y-%m-%d}, after {base:%Y-%m-%d}: no "
                         "base year, so no growth (同比) or contributions (拉动).")
    return out
