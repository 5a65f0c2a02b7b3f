"""Summary tables of the coverage analysis, for notebooks and reports (汇总表).

Thin, vectorised helpers that turn the results of :mod:`ciqanalysis.coverage` into
small tables a reader can scan: the provenance label of the inputs (合成数据 or
real), indicators for several years cut at the same day (截至同日), both county
universes side by side (分母), and the year of full coverage (县域全覆盖) at several
paces; :class:`CoverageIndicators` presents the indicators of one year (rates in
every universe, the units still missing an indicator). The tests' own tables are
methods of their results (``PrefectureTest.to_frame``/``test_frame``,
``JoinCountResult.compare``, ``CoverageChange.compare``, ``LogitResult.fit_frame``).
They compute nothing new.

Examples
--------
>>> from ciqanalysis.coverage import universe_overview
>>> universe_overview()["n_units"].tolist()
[40, 60]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._summary import Summary, provenance_caption, short_repr
from ..config import parse_as_of
from ..config import same_day_in_year as _same_day
from ..errors import AsOfDateError, ParameterError, SchemaError
from ..provenance import SYNTHETIC_TAG, Provenance
from .goal import full_coverage_year
from .rates import coverage_rate
from .universe import UNIVERSES, county_universe

__all__ = [
    "SYNTHETIC_LABEL",
    "provenance",
    "synthetic_label",
    "same_day_in_year",
    "analysis_year",
    "indicators_by_year",
    "universe_overview",
    "CoverageIndicators",
    "goal_table",
]

#: The tag of every result that rests on synthetic inputs (:data:`ciqanalysis.provenance.SYNTHETIC_TAG`).
SYNTHETIC_LABEL = SYNTHETIC_TAG

_LEVELS = ("district", "county", "county_level_city", "autonomous_county")


def provenance(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Return where each input table comes from: synthetic or real (数据来源).

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Table name -> table as loaded (``attrs["synthetic"]`` and ``attrs["source"]``
        set by :func:`ciqanalysis.data.load`; a table without attrs counts as a
        user's own file).

    Returns
    -------
    DataFrame
        ``table``, ``rows``, ``data`` (the SYNTHETIC label or ``not synthetic``: a
        packaged real table or a user's file, told apart by ``source``), ``source``.

    Examples
    --------
    >>> import pandas as pd
    >>> z = pd.DataFrame({"zone_id": ["Z1"]})
    >>> z.attrs.update(synthetic=True, source="generator")
    >>> provenance({"zones": z})["data"].iloc[0]
    'SYNTHETIC sample data 合成数据'
    """
    provs = [Provenance.from_data(t, default_source="the user's own file")
             for t in tables.values()]
    return pd.DataFrame({
        "table": list(tables),
        "rows": [len(t) for t in tables.values()],
        "data": [p.tag for p in provs],
        "source": [p.source for p in provs],
    })


def synthetic_label(*tables: pd.DataFrame) -> str:
    """Return the label for results built from these tables (合成数据标注).

    Parameters
    ----------
    *tables : DataFrame
        Inputs or results carrying ``attrs["synthetic"]`` (e.g. the output of
        :func:`county_indicators`).

    Returns
    -------
    str
        :attr:`Provenance.caption <ciqanalysis.provenance.Provenance.caption>` of the
        tables (``"SYNTHETIC sample data 合成数据: ..."`` when any table is synthetic,
        then which tables are), else the caption of real or the user's own inputs.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame()
    >>> ind.attrs["synthetic"] = True
    >>> synthetic_label(ind).startswith("SYNTHETIC")
    True
    """
    prov = Provenance.from_data(*tables, default_source="the user's own file")
    if prov.synthetic:
        return prov.note("synthetic zones, memoranda or declarations; real counties and polygons")
    return prov.caption


def same_day_in_year(as_of, year: int) -> pd.Timestamp:
    """Return the as-of day moved to another year (同期截至日; 29 Feb -> 28 Feb).

    Parameters
    ----------
    as_of : date-like
        The as-of date (截至日期).
    year : int
        The target year.

    Returns
    -------
    pandas.Timestamp

    Raises
    ------
    AsOfDateError
        If ``as_of`` is not a date.

    Examples
    --------
    >>> str(same_day_in_year("2012-02-29", 2011).date())
    '2011-02-28'
    """
    return _same_day(parse_as_of(as_of), year)


def analysis_year(year: int | None, as_of) -> int:
    """Return the year to analyse, checked against the as-of date (分析年份).

    Parameters
    ----------
    year : int or None
        The year; None means the year of ``as_of``.
    as_of : date-like
        The as-of date (截至日期): no data after it are used, so the year may not lie
        after it.

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        If ``year`` is not an integer.
    AsOfDateError
        If ``as_of`` is not a date or ``year`` lies after it.

    Examples
    --------
    >>> analysis_year(None, "2010-11-20"), analysis_year(2009, "2010-11-20")
    (2010, 2009)
    """
    same_day_in_year(as_of, 2000)  # raises AsOfDateError unless as_of is a date
    cut = pd.Timestamp(as_of).normalize()
    if year is None:
        return int(cut.year)
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ParameterError(f"year must be an integer such as 2010 (or None for the as-of "
                             f"year), got {year!r}")
    if int(year) > cut.year:
        raise AsOfDateError(f"year {year} lies after the as-of date {cut.date()}; expected "
                            f"{cut.year} or earlier (or year=None for the as-of year)")
    return int(year)


def indicators_by_year(years: Iterable[int], universe: str = "county_type", *, as_of=None,
                       **kwargs) -> dict[int, pd.DataFrame]:
    """Return :func:`county_indicators` for several years cut at the same day (同期可比).

    Parameters
    ----------
    years : iterable of int
        The years, e.g. ``range(2005, 2011)``.
    universe : {"county_type", "all"}
        The county universe.
    as_of : date-like, optional
        The as-of day; each year is cut at the same month and day (so a partial last
        year is compared with the same part of earlier years). Each year's end when
        None.
    **kwargs
        Passed on to :func:`county_indicators` (``decl``, ``zones``, ``memoranda``,
        ``reach``, ``counties``, ``centroids`` ...).

    Returns
    -------
    dict of int to DataFrame
        Year -> indicators, in increasing year order.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> z = pd.DataFrame({"zone_id": ["Z1"], "product_group": ["ginseng"],
    ...     "product_en": ["ginseng"], "county_code": ["220621"],
    ...     "launch_date": ["2010-06-01"]})
    >>> m = pd.DataFrame({"memo_id": [], "county_code": [], "date": []})
    >>> d = pd.DataFrame({"date": ["2009-03-01", "2010-12-01"], "direction": "export",
    ...     "product_group": "ginseng", "value_usd": 1e4, "county_code": "220621",
    ...     "enterprise_id": "E1"})
    >>> out = indicators_by_year([2009, 2010], as_of="2010-11-20", decl=d, zones=z,
    ...                          memoranda=m)
    >>> [int(f["has_zone"].sum()) for f in out.values()]
    [0, 1]
    """
    from .indicators import county_indicators

    years = sorted({int(y) for y in years})
    if not years:
        raise ParameterError("no years given; expected e.g. range(2005, 2011)")
    return {y: county_indicators(y, universe,
                                 as_of=None if as_of is None else same_day_in_year(as_of, y),
                                 **kwargs)
            for y in years}


def universe_overview(counties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the size of each county universe by administrative level (分母).

    Parameters
    ----------
    counties : DataFrame, optional
        The real county table (``data.load("counties")`` when None).

    Returns
    -------
    DataFrame
        One row per universe (``county_type``, ``all``): ``n_units``, the units per
        level (``district`` 市辖区, ``county`` 县, ``county_level_city`` 县级市,
        ``autonomous_county`` 自治县) and ``description``.

    Examples
    --------
    >>> int(universe_overview().set_index("universe").loc["all", "district"])
    20
    """
    rows = []
    for name in sorted(UNIVERSES, key=lambda u: len(UNIVERSES[u][0])):
        u = county_universe(name, counties)
        counts = u["level_en"].value_counts().reindex(list(_LEVELS), fill_value=0)
        rows.append({"universe": name, "n_units": len(u), **counts.astype(int).to_dict(),
                     "description": UNIVERSES[name][1]})
    return pd.DataFrame(rows)


#: The indicators :meth:`CoverageIndicators.gaps` checks unless told otherwise.
GAP_INDICATORS = ("has_exports", "has_zone", "has_memo")


@dataclass(frozen=True, repr=False)
class CoverageIndicators:
    """County indicators of one year in one or more universes, and their tables (覆盖指标).

    Holds the output of :func:`county_indicators` per county universe (分母) and
    presents it: coverage rates with intervals side by side (:meth:`rates`), the units
    still lacking an indicator (:meth:`gaps`), a :meth:`summary` with both and the
    provenance of the inputs (合成数据 or real).

    Parameters
    ----------
    by_universe : mapping of str to DataFrame
        Universe name (``"county_type"``, ``"all"``) -> output of
        :func:`county_indicators` (carrying ``attrs["synthetic"]``).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"code_2010": ["1", "2"], "has_zone": [True, False],
    ...                   "universe": "all"})
    >>> cov = CoverageIndicators({"all": a})
    >>> cov.rates(["has_zone"])["n_units"].tolist()
    [2]
    >>> cov.gaps(["has_zone"])["code_2010"].tolist()
    ['2']
    """

    by_universe: Mapping[str, pd.DataFrame]

    def __post_init__(self) -> None:
        if not isinstance(self.by_universe, Mapping) or not all(
                isinstance(f, pd.DataFrame) for f in self.by_universe.values()):
            raise ParameterError("expected universe name -> county_indicators() table")

    def _indicators(self, indicators: Iterable[str] | None) -> list[str]:
        """Return the indicators asked for, or the boolean ones every universe has."""
        if indicators is not None:
            return list(indicators)
        from .indicators import INDICATOR_COLUMNS

        return [c for c in INDICATOR_COLUMNS
                if all(c in f.columns for f in self.by_universe.values())]

    def rates(self, indicators: Iterable[str] | None = None, alpha: float = 0.05,
              method: str = "wilson") -> pd.DataFrame:
        """Return coverage rates for the universes and indicators side by side (覆盖率).

        Parameters
        ----------
        indicators : iterable of str, optional
            Boolean indicator columns, e.g. ``["has_zone", "has_exports"]``; by default
            those of :data:`~ciqanalysis.coverage.indicators.INDICATOR_COLUMNS` every
            universe holds.
        alpha, method
            As :func:`coverage_rate`.

        Returns
        -------
        DataFrame
            ``indicator``, ``universe``, ``n_covered``, ``n_units``, ``rate``,
            ``ci_lower``, ``ci_upper`` (one row per indicator and universe).

        Examples
        --------
        >>> import pandas as pd
        >>> a = pd.DataFrame({"has_zone": [True, False, True], "universe": "all"})
        >>> CoverageIndicators({"all": a}).rates(["has_zone"])["n_covered"].tolist()
        [2]
        """
        indicators = self._indicators(indicators)
        if not self.by_universe or not indicators:
            raise ParameterError("give at least one universe and one indicator")
        parts = [coverage_rate(ind, c, alpha=alpha, method=method).assign(universe=name)
                 for c in indicators for name, ind in self.by_universe.items()]
        out = pd.concat(parts, ignore_index=True)
        return out[["indicator", "universe", "n_covered", "n_units", "rate", "ci_lower",
                    "ci_upper"]]

    def gaps(self, indicators: Iterable[str] = GAP_INDICATORS,
             universe: str | None = None) -> pd.DataFrame:
        """Return the units lacking at least one indicator, one row per unit (尚未覆盖).

        Parameters
        ----------
        indicators : iterable of str
            Boolean columns to check.
        universe : str, optional
            The universe whose units are listed; may be left out when only one is held.

        Returns
        -------
        DataFrame
            ``code_2010``, names, ``prefecture_en``, the indicators (True = has it) and
            ``n_missing``; sorted by ``n_missing`` (most missing first), then code.

        Examples
        --------
        >>> import pandas as pd
        >>> ind = pd.DataFrame({"code_2010": ["1", "2", "3"],
        ...                     "has_zone": [True, False, False],
        ...                     "has_exports": [True, True, False]})
        >>> CoverageIndicators({"all": ind}).gaps(["has_exports", "has_zone"])[
        ...     "code_2010"].tolist()
        ['3', '2']
        """
        ind = self._one(universe)
        indicators = list(indicators)
        missing = [c for c in ["code_2010", *indicators] if c not in ind.columns]
        if missing or not indicators:
            raise SchemaError(f"missing column(s) {missing or 'indicators'}", file="indicators",
                              expected="output of county_indicators() and boolean indicators")
        names = [c for c in ("name_zh", "name_en", "prefecture_en") if c in ind.columns]
        flags = ind[indicators].astype(bool)
        out = ind[["code_2010", *names]].join(flags)
        out["n_missing"] = (~flags).sum(axis=1).astype("int64")
        out = out[out["n_missing"] > 0]
        return out.sort_values(["n_missing", "code_2010"], ascending=[False, True],
                               kind="stable").reset_index(drop=True)

    def _one(self, universe: str | None) -> pd.DataFrame:
        if universe is None:
            if len(self.by_universe) != 1:
                raise ParameterError(f"name the universe, one of {sorted(self.by_universe)}")
            return next(iter(self.by_universe.values()))
        if universe not in self.by_universe:
            raise ParameterError(f"unknown universe {universe!r}; expected one of "
                                 f"{sorted(self.by_universe)}")
        return self.by_universe[universe]

    def to_frame(self) -> pd.DataFrame:
        """Return :meth:`rates` of the default indicators (覆盖率表)."""
        return self.rates()

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary: rates of every universe, and the gaps of each (覆盖摘要).

        Parameters
        ----------
        source : str, optional
            Provenance caption; by default
            :class:`~ciqanalysis.provenance.Provenance` of the indicator tables.

        Returns
        -------
        Summary
            Tables ``coverage rates`` (:meth:`to_frame`) and ``units lacking an
            indicator (<universe>)`` (:meth:`gaps` of the indicators of
            :data:`GAP_INDICATORS` held).

        Examples
        --------
        >>> import pandas as pd
        >>> a = pd.DataFrame({"code_2010": ["1", "2"], "has_zone": [True, False]})
        >>> a.attrs["synthetic"] = True
        >>> print(CoverageIndicators({"all": a}).summary().provenance[:21])
        SYNTHETIC sample data
        """
        tables = [("coverage rates", self.to_frame())]
        for name, ind in self.by_universe.items():
            held = [c for c in GAP_INDICATORS if c in ind.columns] or self._indicators(None)
            if "code_2010" in ind.columns and held:
                tables.append((f"units lacking an indicator ({name})",
                               self.gaps(held, universe=name)))
        return Summary("County coverage indicators by universe", tables,
                       provenance=provenance_caption(source, *self.by_universe.values()))

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, universes=list(self.by_universe),
                          units=[len(f) for f in self.by_universe.values()])


def goal_table(path: pd.DataFrame, windows: Iterable[int] = (1, 3, 5)) -> pd.DataFrame:
    """Return the year of full coverage (县域全覆盖) at the pace of several windows.

    Windows that reach before the first year of ``path`` are left out. Each row is
    :meth:`GoalProjection.to_frame` of one window.

    Parameters
    ----------
    path : DataFrame
        Output of :func:`coverage_path`.
    windows : iterable of int
        Years over which the pace is measured.

    Returns
    -------
    DataFrame
        Index ``window_years``; ``pace_per_year``, ``remaining``, ``n_units``,
        ``full_coverage_year`` (nullable Int64: missing when coverage did not grow),
        ``assumption``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": [2008, 2009, 2010], "n_covered": [10, 14, 18],
    ...                   "n_units": 40})
    >>> goal_table(p, [1, 2, 5])["full_coverage_year"].tolist()
    [2016, 2016]
    """
    if "year" not in path.columns or len(path) == 0:
        raise SchemaError("no year column or no rows", file="coverage path",
                          expected="output of coverage_path()")
    span = int(path["year"].max()) - int(path["year"].min())
    rows = []
    for w in sorted({int(w) for w in windows}):
        if w < 1 or w > span:
            continue
        rows.append(full_coverage_year(path, window=w).to_frame())
    if not rows:
        raise ParameterError(f"no window fits the {span} year(s) of the path")
    return pd.concat(rows)
