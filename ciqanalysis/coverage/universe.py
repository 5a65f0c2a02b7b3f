"""County universe (县域的范围): which county-level units a coverage rate counts.

Two named choices, so that every rate states its denominator:

- ``"all"``: all 60 county-level units of Jilin in 2010 (市辖区, 县, 县级市, 自治县);
- ``"county_type"``: counties, autonomous counties and county-level cities, leaving
  out urban districts (市辖区) -- the usual reading of 县域 (40 units in 2010).

Examples
--------
>>> from ciqanalysis.coverage import county_universe
>>> len(county_universe("county_type"))
40
"""

from __future__ import annotations

import pandas as pd

from ..errors import ParameterError, SchemaError

__all__ = ["UNIVERSES", "county_universe"]

#: Universe name -> (levels it keeps, description).
UNIVERSES: dict[str, tuple[tuple[str, ...], str]] = {
    "all": (
        ("district", "county", "county_level_city", "autonomous_county"),
        "all county-level units of 2010 (市辖区, 县, 县级市, 自治县)",
    ),
    "county_type": (
        ("county", "county_level_city", "autonomous_county"),
        "县域: counties, county-level cities and autonomous counties, without urban "
        "districts (市辖区)",
    ),
}

_COUNTY_COLUMNS = ("code_2010", "name_zh", "name_en", "prefecture_code", "prefecture_zh",
                   "prefecture_en", "level_en")


def check_universe(universe: str) -> str:
    """Return ``universe`` if it is a known name, else raise ParameterError.

    Parameters
    ----------
    universe : str
        ``"all"`` or ``"county_type"``.

    Returns
    -------
    str
        The same name.

    Examples
    --------
    >>> check_universe("all")
    'all'
    """
    if universe not in UNIVERSES:
        raise ParameterError(
            f"unknown county universe {universe!r}; expected one of {sorted(UNIVERSES)} "
            "('all' = 60 units of 2010, 'county_type' = 县域 without urban districts)"
        )
    return universe


def county_universe(universe: str = "county_type",
                    counties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the county-level units (县级单位) of a named universe.

    Parameters
    ----------
    universe : {"county_type", "all"}
        ``"all"``: the 60 units of 2010; ``"county_type"``: the 40 units of 县域
        (counties, county-level cities, autonomous counties; no 市辖区).
    counties : DataFrame, optional
        The county table (contract of ``data.load("counties")``); loaded when None.

    Returns
    -------
    DataFrame
        One row per unit, columns ``code_2010``, ``name_zh``, ``name_en``,
        ``prefecture_code``, ``prefecture_zh``, ``prefecture_en``, ``level_en``,
        ``is_district``, and ``universe`` (the name, on every row), sorted by code.

    Examples
    --------
    >>> u = county_universe("all")
    >>> len(u), int(u["is_district"].sum())
    (60, 20)
    """
    check_universe(universe)
    if counties is None:
        from ..data import load

        counties = load("counties")
    missing = [c for c in _COUNTY_COLUMNS if c not in counties.columns]
    if missing:
        raise SchemaError(
            f"the county table lacks column(s) {missing}", file="counties",
            expected=f"columns {list(_COUNTY_COLUMNS)}",
            hint="pass the table of data.load('counties') or one with the same columns",
        )
    levels = UNIVERSES[universe][0]
    bad = ~counties["level_en"].isin(UNIVERSES["all"][0])
    if bad.any():
        raise SchemaError(
            f"unknown level_en value(s) {sorted(set(counties.loc[bad, 'level_en']))}",
            file="counties", column="level_en",
            expected="district, county, county_level_city or autonomous_county",
        )
    out = counties.loc[counties["level_en"].isin(levels), list(_COUNTY_COLUMNS)].copy()
    out["code_2010"] = out["code_2010"].astype(str)
    out["is_district"] = out["level_en"].eq("district")
    out["universe"] = universe
    return out.sort_values("code_2010").reset_index(drop=True)
