"""Panels from declarations (报检批次 -> 月度/季度/年度面板) and year-to-date cuts.

:func:`panel` sums inspected consignments into monthly, quarterly or annual cells
by any keys, with the months that had no declarations written out as explicit
zero rows, and a ``status`` that tells "no trade" from "outside the data".
:func:`ytd_cut` sums 1 January .. an as-of day and the same days a year earlier
(the article's "through 20 November"). Both also take the folder of a dataset
written by ``ciqanalysis ingest`` and aggregate it where it lies (DuckDB), with the
same result as in memory.

The engine is a pandas ``groupby`` on integer period codes and categorical keys
(``observed=True``), with no Python loop over rows; the same two steps (group-sum,
then reindex onto the key x period grid) map directly onto DuckDB, Dask or Spark.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._periods import _check_span, _period_codes, _prefecture
from .config import parse_as_of, same_day_in_year
from .errors import AsOfDateError, ParameterError, SchemaError

__all__ = ["panel", "to_wide", "ytd_cut", "daily_by_direction", "PANEL_KEYS", "PANEL_STATUS"]

#: Keys a panel can be built by (``prefecture`` is derived from ``county_code``).
PANEL_KEYS = ("direction", "product_group", "hs2", "county_code", "prefecture", "port",
              "enterprise_id")

#: Values of a panel's ``status`` column.
PANEL_STATUS = ("trade", "no_trade", "outside_data")

_FREQS = {"M": "M", "month": "M", "monthly": "M", "Q": "Q", "quarter": "Q",
          "quarterly": "Q", "Y": "Y", "A": "Y", "year": "Y", "annual": "Y"}


def _norm_by(by) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if not isinstance(by, Sequence):
        raise ParameterError(f"by must be a column name or a list of names, got {by!r}")
    by = list(by)
    if len(set(by)) != len(by):
        raise ParameterError(f"by lists a key twice: {by}")
    return by


def _check_decl(decl: pd.DataFrame, by: list[str], value: str) -> None:
    if not isinstance(decl, pd.DataFrame):
        raise ParameterError(f"declarations must be a pandas DataFrame, got {type(decl).__name__}")
    need = ["date", value] + [k for k in by if k != "prefecture"]
    if "prefecture" in by and "prefecture" not in decl:
        need.append("county_code")
    missing = [c for c in need if c not in decl]
    if missing:
        raise SchemaError(
            f"declarations lack column(s) {missing}",
            expected="the declarations columns of docs/design.md (date, value_usd, direction, ...)",
            hint="load them with cq.data.load('declarations') or cq.data.read_declarations(...)",
        )
    if not pd.api.types.is_datetime64_any_dtype(decl["date"]):
        raise SchemaError("column 'date' is not a datetime column", column="date",
                          expected="datetime64 dates (day resolution)",
                          hint="convert with pd.to_datetime(decl['date'])")
    if not pd.api.types.is_numeric_dtype(decl[value]) or pd.api.types.is_bool_dtype(decl[value]):
        raise SchemaError(f"column {value!r} is not numeric", column=value,
                          expected="values in US dollars (float)")
    for col in ("date", value):
        bad = decl[col].isna().to_numpy()
        if bad.any():
            first = decl.index[bad.argmax()]
            raise SchemaError(
                f"{int(bad.sum())} missing value(s) in {col!r}, first at index {first!r}",
                column=col, expected="no missing values (rows are never dropped silently)",
                hint="fix or remove those rows before building a panel",
            )


def panel(
    decl: pd.DataFrame | str | os.PathLike[str],
    freq: str = "M",
    by: str | Sequence[str] | None = ("direction",),
    *,
    value: str = "value_usd",
    start=None,
    end=None,
    data_start=None,
    data_end=None,
    counties: pd.DataFrame | None = None,
    engine: str | None = None,
) -> pd.DataFrame:
    """Aggregate declarations into a period panel (月度/季度/年度面板).

    Parameters
    ----------
    decl : pandas.DataFrame or path-like
        Declarations (one row per consignment, 报检批次) with ``date`` and
        ``value_usd`` and the key columns; or the folder of a dataset written by
        ``ciqanalysis ingest`` (aggregated where it lies, never loaded into pandas).
    freq : {"M", "Q", "Y"}, default "M"
        Monthly, quarterly or annual periods (pandas ``Period``).
    by : str or list of str or None, default ("direction",)
        Keys, e.g. ``["direction", "product_group", "county_code"]``. ``prefecture``
        is derived from ``county_code`` via ``counties`` when given, else as the
        code's first four digits + ``"00"`` (GB/T 2260). None: one total series.
    value : str, default "value_usd"
        The value column to sum.
    start, end : period-like, optional
        First and last period of the output (default: the data's span).
    data_start, data_end : date-like, optional
        First and last day the data cover (default: first and last declaration
        date). Periods outside them get ``status="outside_data"`` and NaN values.
    counties : pandas.DataFrame, optional
        The counties table (``cq.data.load("counties")``), for ``prefecture``.
    engine : {"duckdb", "dask"}, optional
        For a dataset only: DuckDB (embedded; the default) or ``dask.dataframe`` on
        the active ``distributed`` client (the default when one is active; the
        dataset must then lie on storage every worker can read). Same result.

    Returns
    -------
    pandas.DataFrame
        One row per key combination seen in the data x period: the keys, ``period``,
        ``value_usd`` (sum), ``n_consignments`` (count), ``status``
        (``"trade"``, ``"no_trade"`` -- a zero-filled period inside the data span --,
        or ``"outside_data"``) and ``complete`` (the data cover the whole period).

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2010-01-05", "2010-01-20", "2010-03-02"]),
    ...     "direction": ["export", "export", "export"],
    ...     "value_usd": [1.0, 2.0, 4.0]})
    >>> p = panel(decl, "M", by="direction")
    >>> p["value_usd"].tolist(), p["status"].tolist()
    ([3.0, 0.0, 4.0], ['trade', 'no_trade', 'trade'])
    >>> [str(x) for x in p["period"]]
    ['2010-01', '2010-02', '2010-03']
    """
    fq = _FREQS.get(freq)
    if fq is None:
        raise ParameterError(f"freq must be 'M', 'Q' or 'Y', got {freq!r}")
    keys = _norm_by(by)
    if isinstance(decl, (str, os.PathLike)):
        from ._scale import aggregate_dataset

        agg, first, last = aggregate_dataset(decl, keys, fq, value=value, counties=counties,
                                             engine=engine, data_start=data_start,
                                             data_end=data_end)
    else:
        if engine is not None:
            raise ParameterError("engine= applies to a dataset folder, not to a DataFrame")
        agg, first, last = _aggregate_frame(decl, keys, fq, value, data_start, data_end,
                                            counties)
    d0 = pd.Timestamp(data_start) if data_start is not None else first
    d1 = pd.Timestamp(data_end) if data_end is not None else last
    return _fill_grid(agg, keys, fq, d0, d1, start, end)


def _aggregate_frame(decl, keys, fq, value, data_start, data_end, counties):
    """Group-sum a DataFrame: (sums and counts by keys + period ordinal, first, last day)."""
    _check_decl(decl, keys, value)
    if len(decl) == 0:
        raise ParameterError("the declarations table is empty: no panel to build")
    dates = decl["date"]
    first, last = dates.min().normalize(), dates.max().normalize()
    _check_span(data_start, data_end, first, last,
                lambda d0, d1: int(((dates < d0) | (dates >= d1 + pd.Timedelta(days=1))).sum()))
    codes = _period_codes(dates, fq)
    cols = {}
    for k in keys:  # one pass per key column, never per row
        cols[k] = _prefecture(decl, counties) if (k == "prefecture" and k not in decl) \
            else decl[k]
    frame = pd.DataFrame(cols, index=decl.index)
    first_code = int(codes.min())
    n_codes = int(codes.max()) - first_code + 1
    # Periods as a categorical on their ordinals: grouped without hashing the rows.
    frame["_p"] = pd.Categorical.from_codes(
        (codes - first_code).astype("int32"), categories=np.arange(first_code,
                                                                   first_code + n_codes))
    frame["_v"] = decl[value].to_numpy(dtype="float64")
    grouped = frame.groupby(keys + ["_p"], observed=True, sort=True)["_v"]
    agg = pd.DataFrame({"value_usd": grouped.sum(), "n_consignments": grouped.size()})
    if keys:
        agg.index = agg.index.set_levels(agg.index.levels[-1].astype("int64"), level="_p")
    else:
        agg.index = pd.Index(agg.index.astype("int64"), name="_p")
    return agg, first, last


def _fill_grid(agg, keys, fq, d0, d1, start, end) -> pd.DataFrame:
    """Write out every key combination x period, with zeros, status and completeness."""
    span = pd.PeriodIndex.from_ordinals(_period_codes(pd.Series([d0, d1]), fq), freq=fq)
    p_first = pd.Period(start, freq=fq).ordinal if start is not None else span[0].ordinal
    p_last = pd.Period(end, freq=fq).ordinal if end is not None else span[1].ordinal
    if p_last < p_first:
        raise ParameterError(f"end {end} is before start {start}")
    ordinals = np.arange(p_first, p_last + 1, dtype="int64")
    if keys:
        combos = agg.index.droplevel("_p").unique().to_frame(index=False)
        n = len(combos)
        grid = combos.iloc[np.repeat(np.arange(n), len(ordinals))].reset_index(drop=True)
        grid["_p"] = np.tile(ordinals, n)
        full = pd.MultiIndex.from_frame(grid)
    else:
        full = pd.Index(ordinals, name="_p")
    out = agg.reindex(full).reset_index()
    periods = pd.PeriodIndex.from_ordinals(out["_p"].to_numpy(), freq=fq)
    inside = (out["_p"] >= span[0].ordinal) & (out["_p"] <= span[1].ordinal)
    counted = out["n_consignments"].fillna(0).astype("int64")
    out["value_usd"] = out["value_usd"].fillna(0.0).where(inside)
    out["n_consignments"] = counted.astype("Int64").where(inside, pd.NA)
    status = np.where(~inside, "outside_data", np.where(counted > 0, "trade", "no_trade"))
    out["status"] = pd.Categorical(status, categories=list(PANEL_STATUS))
    out["complete"] = (periods.start_time >= d0) & (periods.end_time.normalize() <= d1)
    out.insert(len(keys), "period", periods)
    for k in keys:
        out[k] = out[k].astype("str")
    return out.drop(columns="_p")


def to_wide(
    panel_df: pd.DataFrame,
    columns: str | Sequence[str] | None = "direction",
    values: str = "value_usd",
) -> pd.DataFrame:
    """Pivot a long panel to a wide frame: PeriodIndex x ``columns`` (宽表).

    Other keys are summed over; ``outside_data`` cells stay NaN (never 0).

    Parameters
    ----------
    panel_df : pandas.DataFrame
        Output of :func:`panel`.
    columns : str or list of str or None, default "direction"
        Key(s) that become the columns; None sums everything into one ``total``.
    values : str, default "value_usd"
        ``"value_usd"`` or ``"n_consignments"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (a ``PeriodIndex``), ready for :mod:`ciqanalysis.metrics`.

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2010-01-05", "2010-02-20"]),
    ...     "direction": ["export", "import"], "value_usd": [1.0, 2.0]})
    >>> to_wide(panel(decl, "M", by="direction")).to_numpy().tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    if not isinstance(panel_df, pd.DataFrame) or "period" not in panel_df or values not in panel_df:
        raise ParameterError(f"expected a panel from cq.panel.panel() with 'period' and {values!r}")
    cols = _norm_by(columns)
    missing = [c for c in cols if c not in panel_df]
    if missing:
        raise ParameterError(f"the panel has no key column(s) {missing}")
    v = panel_df[values].astype("float64")
    if not cols:
        out = v.groupby(panel_df["period"]).sum(min_count=1).to_frame("total")
    else:
        grouped = v.groupby([panel_df["period"]] + [panel_df[c] for c in cols], observed=True)
        out = grouped.sum(min_count=1).unstack(cols)
    out.index = pd.PeriodIndex(out.index, name="period")
    out.columns.name = cols[0] if len(cols) == 1 else None
    return out


def ytd_cut(
    decl: pd.DataFrame | str | os.PathLike[str],
    as_of,
    by: str | Sequence[str] | None = None,
    *,
    value: str = "value_usd",
    data_start=None,
    counties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Year-to-date cut at any day (累计至某日) against the same days a year earlier.

    Sums 1 January .. ``as_of`` of the as-of year (current) and 1 January .. the
    same month and day of the previous year (base). Leap years: the base ends on
    the same calendar date; when ``as_of`` is 29 February the base ends on 28
    February (the whole of February in both years). When the base year is a leap
    year and ``as_of`` is on or after 1 March, the base includes 29 February (one
    day more than the current span), as calendar-date comparisons do.

    Parameters
    ----------
    decl : pandas.DataFrame or path-like
        Declarations with ``date``, ``value_usd`` and the ``by`` keys; or the folder
        of a dataset written by ``ciqanalysis ingest`` (数据集), summed where it lies
        with DuckDB, never loaded into pandas (same result as
        ``ytd_cut(read_dataset(folder), ...)``).
    as_of : date-like
        Last day included, e.g. ``"2010-11-20"``.
    by : str or list of str or None
        Keys; None gives one row named ``"total"``.
    value : str, default "value_usd"
        Value column.
    data_start : date-like, optional
        First day the data cover (default: the first declaration date); used to
        check that the base year is covered.
    counties : pandas.DataFrame, optional
        The counties table, when ``by`` includes ``prefecture`` (see :func:`panel`).

    Returns
    -------
    pandas.DataFrame
        Indexed by the keys, columns ``current``, ``base``, ``change`` (USD) and
        ``growth_pct`` (同比, %; NaN when the base is 0). ``attrs`` records the
        two windows.

    Raises
    ------
    AsOfDateError
        If the data do not reach back to January of the base year or forward to the
        month of ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2009-03-01", "2009-12-01", "2010-03-01", "2010-11-21"]),
    ...     "value_usd": [100.0, 50.0, 120.0, 70.0]})
    >>> ytd_cut(decl, "2010-11-20", data_start="2009-01-01").round(1).to_dict("records")
    [{'current': 120.0, 'base': 100.0, 'change': 20.0, 'growth_pct': 20.0}]

    The same cut of a dataset folder (summed by DuckDB where it lies):

    >>> import pathlib, tempfile
    >>> from ciqanalysis.data.dataset import ingest
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> decl.assign(direction="export", county_code="220102").to_csv(tmp / "d.csv", index=False)
    >>> _ = ingest([tmp / "d.csv"], tmp / "ds", unit="USD")
    >>> cut = ytd_cut(tmp / "ds", "2010-11-20", by="direction", data_start="2009-01-01")
    >>> cut.round(1).to_dict("index")
    {'export': {'current': 120.0, 'base': 100.0, 'change': 20.0, 'growth_pct': 20.0}}
    """
    return _ytd_cut(decl, as_of, by, value=value, data_start=data_start, counties=counties)


def _ytd_cut(decl, as_of, by, *, value="value_usd", data_start=None, counties=None):
    from .data import data_window

    keys = _norm_by(by)
    dataset = isinstance(decl, (str, os.PathLike))
    if not dataset:
        _check_decl(decl, keys, value)
    day = parse_as_of(as_of)
    cur_start = pd.Timestamp(year=day.year, month=1, day=1)
    base_start = pd.Timestamp(year=day.year - 1, month=1, day=1)
    base_end = same_day_in_year(day, day.year - 1)
    one = pd.Timedelta(days=1)
    bounds = (cur_start, day + one, base_start, base_end + one)  # [start, end) of both
    if dataset:
        from ._scale import ytd_dataset_sums

        cols, win, vals, span = ytd_dataset_sums(decl, keys, bounds, value=value,
                                                 counties=counties)
        window = data_window(pd.DataFrame({"date": span}))
    else:
        window = data_window(decl)
        cols, win, vals = None, None, None
    first = pd.Timestamp(data_start) if data_start is not None else window[0]
    last = window[1]
    if first.to_period("M") > base_start.to_period("M") or last.to_period("M") < day.to_period("M"):
        raise AsOfDateError(
            f"a year-to-date cut at {day.date()} needs data from {base_start.date()} to "
            f"{day.date()}; the declarations run from {first.date()} to {last.date()}"
        )
    if cols is None:  # a DataFrame: the window of each row, the rows of the two windows
        dates = decl["date"]
        in_cur = (dates >= bounds[0]) & (dates < bounds[1])
        in_base = (dates >= bounds[2]) & (dates < bounds[3])
        w = np.where(in_cur.to_numpy(), 1, np.where(in_base.to_numpy(), 0, -1))
        sel = w >= 0
        win, vals = w[sel], decl[value].to_numpy(dtype="float64")[sel]
        cols = {k: (np.asarray(_prefecture(decl, counties)) if (k == "prefecture"
                                                               and k not in decl)
                    else decl[k].to_numpy())[sel] for k in keys}
    return _ytd_table(cols, win, vals, keys, day, cur_start, base_start, base_end)


def _ytd_table(cols, win, vals, keys, day, cur_start, base_start, base_end) -> pd.DataFrame:
    """Sum values (rows, or sums from a dataset) by keys and window (1 current, 0 base)."""
    if keys:
        frame = pd.DataFrame(cols)
    else:
        frame = pd.DataFrame({"_all": np.full(len(win), "total")})
        keys = ["_all"]
    frame["_w"] = win
    frame["_v"] = vals
    sums = frame.groupby(keys + ["_w"], observed=True)["_v"].sum().unstack("_w")
    sums = sums.reindex(columns=[1, 0]).fillna(0.0)
    out = pd.DataFrame({"current": sums[1], "base": sums[0]})
    out["change"] = out["current"] - out["base"]
    out["growth_pct"] = (out["current"] / out["base"].where(out["base"] != 0) - 1.0) * 100.0
    if keys == ["_all"]:
        out.index = pd.Index(["total"], name=None) if len(out) else pd.Index([], name=None)
        if not len(out):
            out = pd.DataFrame({"current": [0.0], "base": [0.0], "change": [0.0],
                                "growth_pct": [np.nan]}, index=["total"])
    out.columns.name = None
    out.attrs["current_window"] = (str(cur_start.date()), str(day.date()))
    out.attrs["base_window"] = (str(base_start.date()), str(base_end.date()))
    return out


def daily_by_direction(decl: pd.DataFrame, as_of) -> dict[str, pd.Series]:
    """Daily sums (逐日货值) of exports, imports and their total through the as-of day.

    This is what the nowcast reads: daily sums let it complete a partial as-of month
    with the share of that month usually done by that day.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with ``date``, ``direction`` and ``value_usd``.
    as_of : str or pandas.Timestamp
        Last day counted (inclusive).

    Returns
    -------
    dict of str to pandas.Series
        ``export``, ``import`` and ``total``, each indexed by the days with any
        declaration (a day with trade in one direction only gives 0 in the other).

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({"date": pd.to_datetime(["2010-01-04", "2010-01-04", "2010-01-05"]),
    ...                      "direction": ["export", "import", "export"],
    ...                      "value_usd": [1.0, 2.0, 4.0]})
    >>> daily_by_direction(decl, "2010-01-04")["total"].tolist()
    [3.0]
    """
    missing = {"date", "direction", "value_usd"} - set(decl.columns)
    if missing:
        raise ParameterError(f"declarations lack the column(s) {sorted(missing)}")
    cut = decl.loc[decl["date"] <= parse_as_of(as_of)]
    wide = (
        cut.groupby([cut["date"].dt.normalize(), cut["direction"]], observed=True)["value_usd"]
        .sum().unstack("direction").reindex(columns=["export", "import"]).fillna(0.0)
    )
    wide["total"] = wide["export"] + wide["import"]
    return {d: wide[d].rename(d) for d in ("export", "import", "total")}
