"""Plausibility checks of a user's declarations, with the money unit in mind (合理性检查).

A file can be well formed and still wrong: US dollars under a ``货值(万美元)`` header
make every value 10,000 times too large, a mistyped year puts a declaration in 2030.
These checks compare the file with what a county-level inspection bureau can
plausibly handle, using the real China Customs monthly series the package ships
(``data/raw/china_customs_monthly_1983_2013.csv``) as the yardstick:

- a single consignment (报检批次) above :data:`CONSIGNMENT_SHARE` of China's trade in
  its direction and year;
- a year's total of one direction above :data:`YEAR_SHARE` of China's trade in that
  direction and year (the whole province of Jilin traded about 0.6 % of China's
  trade in 2010; its CIQ bureau inspected about 0.15 %);
- a declaration dated more than :data:`DATE_GAP_DAYS` days away from the bulk of the
  data (a typo in the year?), or a gap of that length inside the data.

Every finding names a likely cause and is *flagged, not fixed*: rows are kept and
listed in ``df.attrs["flags"]`` (row, column, issue, action) by the reader, which
warns once with :class:`~ciqanalysis.errors.DataQualityWarning`. Years outside the
national series (1984–2013) are compared with its nearest year.

Examples
--------
>>> import pandas as pd
>>> d = pd.DataFrame({"date": pd.to_datetime(["2010-03-02", "2010-03-03"]),
...                   "direction": ["export", "export"], "value_usd": [2e5, 1e20]})
>>> flags = plausibility_flags(d, rows=[2, 3], value_column="货值(万美元)", unit="万美元")
>>> flags["row"].tolist(), flags["issue"].str.split(":").str[0].tolist()
([3, 3], ['implausible consignment value', 'implausible year total'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..units import UNIT_FACTORS, canonical_unit, from_usd

__all__ = ["CONSIGNMENT_SHARE", "YEAR_SHARE", "DATE_GAP_DAYS", "plausibility_flags",
           "national_yearly"]

#: A consignment above this share of China's trade in its direction and year is flagged.
CONSIGNMENT_SHARE = 0.0005
#: A year's total of one direction above this share of China's trade is flagged.
YEAR_SHARE = 0.01
#: Dates this many days away from the rest of the data are flagged.
DATE_GAP_DAYS = 366

_FIRST_FULL_YEAR, _LAST_YEAR = 1984, 2013
_ACTION = "kept; check the money unit and the value before using the figures"


def national_yearly() -> pd.DataFrame:
    """China's yearly exports and imports in US dollars (real, China Customs).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (1984–2013, full years), columns ``export`` and ``import``.

    Examples
    --------
    >>> round(float(national_yearly().loc[2010, "export"]) / 1e8, 1)
    15784.2
    """
    from ._package import national_trade_monthly

    nt = national_trade_monthly()
    yearly = nt.groupby(nt.index.year).sum()
    yearly.index.name = "year"
    return yearly.loc[_FIRST_FULL_YEAR:_LAST_YEAR]


def _cause(ratio_needed: float, unit: str) -> str:
    """Likely cause of a value ``ratio_needed`` times above the plausible limit."""
    smaller = [u for u, f in UNIT_FACTORS.items() if f < UNIT_FACTORS[unit]]
    for u in sorted(smaller, key=lambda u: UNIT_FACTORS[u]):
        if UNIT_FACTORS[unit] / UNIT_FACTORS[u] >= ratio_needed:
            plain = "US dollars" if u == "USD" else u
            return f"values look like {plain} under a {unit} header?"
    return "a value with extra digits, or a wrong money unit?"


def plausibility_flags(
    decl: pd.DataFrame,
    *,
    rows: Sequence[int] | np.ndarray,
    value_column: str = "value_usd",
    date_column: str = "date",
    unit: str = "USD",
) -> pd.DataFrame:
    """Flag consignments, year totals and dates implausible for a county bureau.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with ``date``, ``direction`` and ``value_usd`` (US dollars).
    rows : sequence of int
        The row number the user sees for each row of ``decl`` (header = row 1).
    value_column, date_column : str
        The file's headers of the money and date columns (named in the flags).
    unit : str, default "USD"
        The money unit the file was read in (货值单位), for the likely cause.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, ``column``, ``issue``, ``action``; one row per finding
        (a year total is reported on the row of that year's and direction's largest
        consignment).
        The text before the first ``:`` of ``issue`` names the kind of finding.

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-03-02", "2010-04-02", "2030-04-02"]),
    ...                   "direction": ["import"] * 3, "value_usd": [1e5, 2e5, 1e5]})
    >>> plausibility_flags(d, rows=[2, 3, 4])[["row", "column"]].values.tolist()
    [[4, 'date']]
    """
    unit = canonical_unit(unit)
    rows = np.asarray(rows, dtype="int64")
    found: list[pd.DataFrame] = []
    if len(decl):
        found += _value_flags(decl, rows, value_column, unit)
        found += _date_flags(decl, rows, date_column)
    if not found:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "column": pd.Series(dtype="str"),
                             "issue": pd.Series(dtype="str"), "action": pd.Series(dtype="str")})
    return pd.concat(found, ignore_index=True)


#: Rows looked at a time: the checks' working memory stays a few slices' worth,
#: not several copies of a column (memory at scale).
_STEP = 1 << 20


def _slices(n: int):
    return (slice(a, min(a + _STEP, n)) for a in range(0, n, _STEP))


def _value_flags(decl, rows, value_column, unit) -> list[pd.DataFrame]:
    national = national_yearly()
    # China's trade by (nearest full) year and direction: a row's reference is one
    # lookup in this small table (no per-row index, no copy of the columns)
    table = (national[["export", "import"]].reindex(range(_FIRST_FULL_YEAR, _LAST_YEAR + 1))
             .to_numpy(dtype="float64").ravel())

    def reference(years: np.ndarray, export: np.ndarray) -> np.ndarray:
        """China's trade in each row's direction and (nearest full) year (NaN: no year)."""
        missing = np.isnan(years) if years.dtype.kind == "f" else None
        at = np.clip(np.nan_to_num(years) if missing is not None else years,
                     _FIRST_FULL_YEAR, _LAST_YEAR).astype(np.intp) - _FIRST_FULL_YEAR
        ref = np.take(table, at * 2 + ~export)
        if missing is not None:
            ref[missing] = np.nan
        return ref

    # direction as codes into labels in a sorted groupby's order (-1: missing)
    direction = decl["direction"]
    if not isinstance(direction.dtype, pd.CategoricalDtype):
        direction = direction.astype("category")
    codes, labels = direction.cat.codes.to_numpy(), direction.cat.categories
    is_export = np.append(np.asarray(labels == "export", dtype=bool), False)  # [-1]: missing
    undated = int(decl["date"].isna().sum())
    has_nat = undated > 0  # years are then floats, as dt.year gives them
    first, span = ((decl["date"].min().year, decl["date"].max().year - decl["date"].min().year + 1)
                   if undated < len(decl) else (0, 1))
    width = max(len(labels), 1)
    value = decl["value_usd"].to_numpy(dtype="float64")
    # one small code per row for (year, direction), -1 when either is missing
    key = np.full(len(decl), -1, dtype=np.min_scalar_type(-span * width))
    out = []
    big_rows: list[np.ndarray] = []
    ratio = -np.inf
    for s in _slices(len(decl)):
        years, code = decl["date"].iloc[s].dt.year.to_numpy(), codes[s]
        limit = CONSIGNMENT_SHARE * reference(years, is_export[code])
        big = value[s] > limit
        if big.any():
            ratio = max(ratio, float(np.max(value[s][big] / limit[big])))
            big_rows.append(rows[s][big])
        ok = code >= 0
        if years.dtype.kind == "f":
            ok &= ~np.isnan(years)
        key[s][ok] = (years[ok].astype(np.int64) - first) * width + code[ok]
    del limit, big
    if big_rows:
        out.append(pd.DataFrame({
            "row": np.concatenate(big_rows), "column": str(value_column),
            "issue": (f"implausible consignment value: above {CONSIGNMENT_SHARE * 100:g} % of China's "
                      f"trade in that direction and year ({_cause(ratio, unit)})"),
            "action": _ACTION}))
    if not (key >= 0).any():
        return out
    # year totals: the sums exactly as a groupby on (year, direction) gives them
    grouped = pd.Series(value, copy=False).groupby(
        pd.Categorical.from_codes(key, categories=np.arange(span * width)),
        observed=True, sort=True)
    sums = grouped.sum()
    group = sums.index.to_numpy(dtype=np.int64)
    year_of, direction_of = first + group // width, labels[group % width]
    ref = reference(year_of, np.asarray(direction_of == "export", dtype=bool))
    high = np.flatnonzero(sums.to_numpy() > YEAR_SHARE * ref)
    at = _first_largest(grouped, value, key, group[high])
    for k in high:
        total, dirn = float(sums.iloc[k]), direction_of[k]
        yr = float(year_of[k]) if has_nat else int(year_of[k])
        share = total / ref[k]
        size = f"{share * 100:.0f} % of" if share < 10 else f"{share:,.0f} times"
        out.append(pd.DataFrame({
            "row": [int(rows[at[group[k]]])], "column": str(value_column),
            "issue": (f"implausible year total: {yr} {dirn}s {from_usd(total, '亿美元'):,.0f} "
                      f"亿美元 = {size} China's {dirn}s that year, more than "
                      f"{YEAR_SHARE * 100:g} % ({_cause(share / YEAR_SHARE, unit)})"),
            "action": _ACTION}))
    return out


def _first_largest(grouped, value: np.ndarray, key: np.ndarray, wanted: np.ndarray) -> dict:
    """Position of each wanted group's first largest value (``idxmax``), slice by slice.

    Only the groups flagged are looked up; the largest values come from ``grouped``
    (exact), their first positions from a scan of the rows. A group of missing
    values only falls back to ``grouped.idxmax()`` (and its error).
    """
    if not len(wanted):
        return {}
    top = grouped.max()
    largest = np.full(int(key.max()) + 1, np.nan)
    largest[top.index.to_numpy(dtype=np.int64)] = top.to_numpy(dtype="float64")
    is_wanted = np.zeros(len(largest), dtype=bool)
    is_wanted[wanted] = True
    found: dict[int, int] = {}
    for s in _slices(len(key)):
        k = key[s]
        hit = np.flatnonzero((k >= 0) & is_wanted[k] & (value[s] == largest[k]))
        uniq, first = np.unique(k[hit], return_index=True)
        for g, i in zip(uniq.tolist(), first.tolist(), strict=True):
            found.setdefault(g, s.start + int(hit[i]))
        if len(found) == len(wanted):
            return found
    at = grouped.idxmax()  # a group without a largest value (all missing)
    return {int(g): int(at.loc[g]) for g in wanted}


def _date_flags(decl, rows, date_column) -> list[pd.DataFrame]:
    # days counted per calendar day (a few thousand), not sorted row by row: the same
    # gaps, segments and rows as sorting the dates, in a few slices' worth of memory
    n = len(decl)
    nat = np.iinfo(np.int64).min  # NaT as int64 (sorted last, like NaT)

    def days():
        """(slice, day numbers) of each slice of rows, computed again on each pass."""
        for s in _slices(n):
            yield s, decl["date"].iloc[s].to_numpy(dtype="datetime64[D]").astype("int64")

    ends = [(int(d[d != nat].min()), int(d[d != nat].max())) for _, d in days() if (d != nat).any()]
    if not ends:
        return []
    lo_day, hi_day = min(e[0] for e in ends), max(e[1] for e in ends)
    count = np.zeros(hi_day - lo_day + 1, dtype=np.int64)
    for _, d in days():
        count += np.bincount(d[d != nat] - lo_day, minlength=len(count))
    present = np.flatnonzero(count) + lo_day
    gaps = np.diff(present)
    cuts = np.flatnonzero(gaps > DATE_GAP_DAYS)
    if not len(cuts):
        return []
    # segment of each day present; missing dates join the last segment (sorted last)
    seg_of_day = np.concatenate([[0], np.cumsum(gaps > DATE_GAP_DAYS)])
    missing = n - int(count.sum())
    sizes = np.bincount(seg_of_day, weights=count[present - lo_day],
                        minlength=len(cuts) + 1).astype(np.int64)
    sizes[-1] += missing
    main = int(np.argmax(sizes))
    in_main = present[seg_of_day == main]
    if main == len(sizes) - 1 and missing:
        lo = hi = np.datetime64("NaT")
    else:
        lo, hi = (np.datetime64(int(in_main.min()), "D"), np.datetime64(int(in_main.max()), "D"))
    stray_seg = (np.arange(len(sizes)) != main) & (sizes < 0.05 * n)
    lookup = np.zeros(len(count), dtype=bool)
    lookup[present - lo_day] = stray_seg[seg_of_day]
    stray_rows = []
    for s, d in days():
        ok = d != nat
        stray = np.zeros(len(d), dtype=bool)
        stray[ok] = lookup[d[ok] - lo_day]
        if not ok.all():
            stray[~ok] = stray_seg[-1]
        stray_rows.append(rows[s][stray])
    out = []
    stray_rows = np.concatenate(stray_rows)
    if len(stray_rows):
        out.append(pd.DataFrame({
            "row": stray_rows, "column": str(date_column),
            "issue": (f"date far from the rest of the data: more than {DATE_GAP_DAYS} days "
                      f"outside {pd.Timestamp(lo):%Y-%m-%d} .. {pd.Timestamp(hi):%Y-%m-%d} "
                      "(a typo in the year?)"),
            "action": "kept; correct the date, or cut the file with the as-of date"}))
    for j, k in enumerate(cuts):  # cut j ends segment j
        if stray_seg[j] or stray_seg[j + 1]:
            continue
        before, after = int(present[k]), int(present[k + 1])
        first = next(int(rows[s][np.flatnonzero(d == after)[0]])
                     for s, d in days() if (d == after).any())
        out.append(pd.DataFrame({
            "row": [first], "column": str(date_column),
            "issue": (f"gap in the dates: no declaration from "
                      f"{pd.Timestamp(np.datetime64(before, 'D')):%Y-%m-%d} "
                      f"to {pd.Timestamp(np.datetime64(after, 'D')):%Y-%m-%d} "
                      "(rows missing from the export?)"),
            "action": "kept; growth across the gap compares with nothing"}))
    return out
