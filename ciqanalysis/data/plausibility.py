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


def _value_flags(decl, rows, value_column, unit) -> list[pd.DataFrame]:
    national = national_yearly()

    def reference(years, export):
        """China's trade in each row's direction and (nearest full) year."""
        year = np.clip(years, _FIRST_FULL_YEAR, _LAST_YEAR)
        return np.where(export, national["export"].reindex(year).to_numpy(),
                        national["import"].reindex(year).to_numpy())

    years = decl["date"].dt.year.to_numpy()
    # the columns as stored: no Python string per row, no copy of the values (memory at scale)
    direction = decl["direction"].reset_index(drop=True)
    value = decl["value_usd"].to_numpy(dtype="float64")
    out = []
    limit = CONSIGNMENT_SHARE * reference(
        years, decl["direction"].eq("export").to_numpy(dtype=bool, na_value=False))
    big = value > limit
    if big.any():
        ratio = float(np.nanmax(value[big] / limit[big]))
        out.append(pd.DataFrame({
            "row": rows[big], "column": str(value_column),
            "issue": (f"implausible consignment value: above {CONSIGNMENT_SHARE * 100:g} % of China's "
                      f"trade in that direction and year ({_cause(ratio, unit)})"),
            "action": _ACTION}))
    del limit, big
    grouped = pd.Series(value, copy=False).groupby([years, direction], sort=True)
    totals = grouped.sum().rename("value").to_frame()
    totals.index.names = ["year", "direction"]
    keys = totals.index.to_frame(index=False)
    totals["ref"] = reference(keys["year"].to_numpy(), (keys["direction"] == "export").to_numpy())
    totals["row"] = rows[grouped.idxmax().to_numpy()]
    high = totals.loc[totals["value"] > YEAR_SHARE * totals["ref"]]
    for (yr, dirn), t in high.iterrows():
        share = t["value"] / t["ref"]
        size = f"{share * 100:.0f} % of" if share < 10 else f"{share:,.0f} times"
        out.append(pd.DataFrame({
            "row": [int(t["row"])], "column": str(value_column),
            "issue": (f"implausible year total: {yr} {dirn}s {from_usd(t['value'], '亿美元'):,.0f} "
                      f"亿美元 = {size} China's {dirn}s that year, more than "
                      f"{YEAR_SHARE * 100:g} % ({_cause(share / YEAR_SHARE, unit)})"),
            "action": _ACTION}))
    return out


def _date_flags(decl, rows, date_column) -> list[pd.DataFrame]:
    dates = decl["date"].to_numpy(dtype="datetime64[D]")
    order = np.argsort(dates, kind="stable")
    sorted_days = dates[order]
    gaps = np.diff(sorted_days).astype("int64")
    cuts = np.flatnonzero(gaps > DATE_GAP_DAYS)
    if not len(cuts):
        return []
    segment = np.zeros(len(dates), dtype="int64")
    segment[order] = np.concatenate([[0], np.cumsum(gaps > DATE_GAP_DAYS)])
    sizes = np.bincount(segment)
    main = int(np.argmax(sizes))
    bulk = dates[segment == main]
    lo, hi = bulk.min(), bulk.max()
    out = []
    stray = (segment != main) & (sizes[segment] < 0.05 * len(dates))
    if stray.any():
        out.append(pd.DataFrame({
            "row": rows[stray], "column": str(date_column),
            "issue": (f"date far from the rest of the data: more than {DATE_GAP_DAYS} days "
                      f"outside {pd.Timestamp(lo):%Y-%m-%d} .. {pd.Timestamp(hi):%Y-%m-%d} "
                      "(a typo in the year?)"),
            "action": "kept; correct the date, or cut the file with the as-of date"}))
    for c in cuts:
        before, after = sorted_days[c], sorted_days[c + 1]
        if stray[order[c + 1]] or stray[order[c]]:
            continue
        out.append(pd.DataFrame({
            "row": [int(rows[order[c + 1]])], "column": str(date_column),
            "issue": (f"gap in the dates: no declaration from {pd.Timestamp(before):%Y-%m-%d} "
                      f"to {pd.Timestamp(after):%Y-%m-%d} (rows missing from the export?)"),
            "action": "kept; growth across the gap compares with nothing"}))
    return out
