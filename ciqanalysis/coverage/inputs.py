"""What coverage can be measured from the inputs given (覆盖分析的输入).

With the synthetic sample, declarations, zones and memoranda all come from the
generator and cover the whole bureau. With a user's declarations file, zones and
memoranda come only from the user's own files (``--zones FILE``, ``--memoranda
FILE``); without them, coverage uses what the declarations support and the sample's
synthetic tables are never mixed in. A user's file may hold some counties only:
units absent from it are *not in this file* (left out of every rate), not "without
exports"; years not covered from 1 January are *no data*, not zero.

Examples
--------
>>> import ciqanalysis as cq
>>> decl = cq.data.load_declarations("sample", as_of="2010-11-20")
>>> ci = coverage_inputs(decl, "2010-11-20")
>>> ci.has_zones, ci.counties_in_file is None, ci.indicators("has_zone", "has_exports")
(True, True, ['has_zone', 'has_exports'])
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

__all__ = ["CoverageInputs", "coverage_inputs", "ZONE_INDICATORS", "MEMO_INDICATORS"]

#: Indicator columns that need a zones table.
ZONE_INDICATORS = ("has_zone", "n_zones", "zone_products", "exports_zone_product",
                   "zone_neighbour", "zone_within_km", "reached_by_zone", "zone_or_reached")
#: Indicator columns that need a memoranda table.
MEMO_INDICATORS = ("has_memo", "n_memos")


@dataclass(frozen=True)
class CoverageInputs:
    """Zones, memoranda and the reach of a declarations file, for coverage (覆盖输入).

    Attributes
    ----------
    zones, memoranda : pandas.DataFrame
        The tables to use (empty, with the right columns, when none was given).
    has_zones, has_memoranda : bool
        Whether a table was given (or comes with the sample).
    counties_in_file : tuple of str or None
        County codes with any declaration in a user's file; None for the sample,
        which covers the whole bureau.
    years : tuple of int
        Years the declarations cover from 1 January.
    synthetic : bool
        The declarations are the synthetic sample.
    """

    zones: pd.DataFrame
    memoranda: pd.DataFrame
    has_zones: bool
    has_memoranda: bool
    counties_in_file: tuple[str, ...] | None
    years: tuple[int, ...]
    synthetic: bool

    def indicators(self, *wanted: str) -> list[str]:
        """Return those of ``wanted`` the inputs support, in order.

        Examples
        --------
        >>> ci = CoverageInputs(pd.DataFrame(), pd.DataFrame(), False, False, ("220102",),
        ...                     (2009, 2010), False)
        >>> ci.indicators("has_exports", "has_zone", "has_memo")
        ['has_exports']
        """
        return [w for w in wanted if not (w in ZONE_INDICATORS and not self.has_zones)
                and not (w in MEMO_INDICATORS and not self.has_memoranda)]

    def lacks(self, need: str, what: str, *, brief: bool = False) -> str | None:
        """Return one sentence on why ``what`` is left out (``need``: "zones", "memoranda").

        ``brief`` drops the reminder that the sample's tables are never mixed in
        (said once, in the first section that needs them).

        Examples
        --------
        >>> ci = CoverageInputs(pd.DataFrame(), pd.DataFrame(), False, False, ("220102",),
        ...                     (2009, 2010), False)
        >>> print(ci.lacks("zones", "the reach of zones"))
        No zones table was given with your declarations (pass --zones FILE), so the reach of zones is left out; the sample's synthetic zones are never mixed with your data.
        """
        have = {"zones": self.has_zones, "memoranda": self.has_memoranda}[need]
        if have:
            return None
        text = (f"No {need} table was given with your declarations (pass --{need} FILE), so "
                f"{what} is left out")
        if brief:
            return text + "."
        return text + f"; the sample's synthetic {need} are never mixed with your data."

    def view(self, ind: pd.DataFrame) -> pd.DataFrame:
        """Keep the units in the file and the indicators the inputs support.

        Units of the universe absent from a user's file are dropped (they are *not
        in this file*, not "without exports") and listed in
        ``attrs["not_in_file"]`` (codes); zone and memorandum columns are dropped
        when no such table was given.

        Examples
        --------
        >>> ci = CoverageInputs(pd.DataFrame(), pd.DataFrame(), False, False, ("1",),
        ...                     (2010,), False)
        >>> ind = pd.DataFrame({"code_2010": ["1", "2"], "has_exports": [True, False],
        ...                     "has_zone": [False, False]})
        >>> v = ci.view(ind)
        >>> v.columns.tolist(), v.attrs["not_in_file"]
        (['code_2010', 'has_exports'], ['2'])
        """
        drop = [c for c in ind.columns if c not in self.indicators(c)]
        out = ind.drop(columns=drop)
        missing: list[str] = []
        if self.counties_in_file is not None:
            inside = out["code_2010"].isin(self.counties_in_file)
            missing = out.loc[~inside, "code_2010"].astype("str").tolist()
            out = out.loc[inside].reset_index(drop=True)
        out.attrs = {**ind.attrs, "not_in_file": missing}
        return out

    def path(self, by_year: dict, indicator: str, first: int, last: int) -> pd.Series:
        """Count of covered units by year, ``"no data"`` for years the file does not cover.

        Examples
        --------
        >>> ci = CoverageInputs(pd.DataFrame(), pd.DataFrame(), False, False, None,
        ...                     (2010,), False)
        >>> ind = pd.DataFrame({"has_exports": [True, False]})
        >>> ci.path({2010: ind}, "has_exports", 2009, 2010).tolist()
        ['no data', 1]
        """
        years = range(first, last + 1)
        return pd.Series([int(by_year[y][indicator].sum()) if (y in by_year and y in self.years)
                          else "no data" for y in years],
                         index=pd.Index(years, name="year"), name=indicator, dtype="object")


def _empty_zones() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="str") for c in
                        ("zone_id", "product_group", "product_zh", "product_en", "county_code")})
    out["launch_date"] = pd.Series(dtype="datetime64[ns]")
    out["batch"] = pd.Series(dtype="int64")
    out.attrs = {"table": "zones", "synthetic": False, "source": "none given"}
    return out


def _empty_memoranda() -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="str") for c in
                        ("memo_id", "counterpart_type", "counterpart_level", "county_code")})
    out["date"] = pd.Series(dtype="datetime64[ns]")
    out.attrs = {"table": "memoranda", "synthetic": False, "source": "none given"}
    return out


def coverage_inputs(decl: pd.DataFrame, as_of, *, zones=None, memoranda=None) -> CoverageInputs:
    """Gather zones, memoranda and what the declarations cover, for coverage (覆盖输入).

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations (``cq.data.load_declarations``).
    as_of : date-like
        The as-of date.
    zones, memoranda : str, path-like, DataFrame or None
        The user's tables (a file read by ``cq.data.read_zones`` /
        ``read_memoranda``, or a frame). None: the sample's with the sample, none
        with a user's file.

    Returns
    -------
    CoverageInputs

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2009-01-05", "2010-03-02"]),
    ...                   "direction": ["export", "import"], "value_usd": [1.0, 2.0],
    ...                   "county_code": ["220102", "220621"]})
    >>> ci = coverage_inputs(d, "2010-06-30")
    >>> ci.has_zones, ci.counties_in_file, ci.years
    (False, ('220102', '220621'), (2009, 2010))
    """
    from .. import data

    synthetic = bool(decl.attrs.get("synthetic", False))

    def pick(given, name, reader, empty):
        if isinstance(given, pd.DataFrame):
            return given, True
        if isinstance(given, (str, os.PathLike)) and str(given):
            return reader(given), True
        if synthetic:
            return data.load(name), True
        return empty(), False

    z, has_z = pick(zones, "zones", data.read_zones, _empty_zones)
    m, has_m = pick(memoranda, "memoranda", data.read_memoranda, _empty_memoranda)
    first, _ = data.data_window(decl)
    day = pd.Timestamp(as_of).normalize()
    first_full = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    codes = None if synthetic else tuple(sorted(decl["county_code"].dropna().astype("str").unique()))
    return CoverageInputs(zones=z, memoranda=m, has_zones=has_z, has_memoranda=has_m,
                          counties_in_file=codes, years=tuple(range(first_full, day.year + 1)),
                          synthetic=synthetic)
