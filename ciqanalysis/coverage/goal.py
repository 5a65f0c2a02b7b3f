"""Distance to the goal of full county coverage (县域全覆盖, 一县一业).

Which units still lack an export product, a zone or a memorandum, and -- at the
pace of the last years -- when every unit of the universe would be covered.

Examples
--------
>>> import pandas as pd
>>> from ciqanalysis.coverage import coverage_path, full_coverage_year
>>> path = pd.DataFrame({"year": [2008, 2009, 2010], "n_covered": [10, 14, 18],
...                      "n_units": 40})
>>> full_coverage_year(path, window=2).year
2016
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .._docstring import fill
from .._summary import Summary, provenance_caption, short_repr
from ..errors import ParameterError, SchemaError
from ..provenance import Provenance

__all__ = ["coverage_gaps", "coverage_path", "full_coverage_year", "GoalProjection"]

_NAME_COLS = ["code_2010", "name_zh", "name_en", "prefecture_en", "level_en"]


def coverage_gaps(ind: pd.DataFrame,
                  indicators=("has_exports", "has_zone", "has_memo")) -> pd.DataFrame:
    """List the units still without each indicator (尚未覆盖的县), with their names.

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`county_indicators`.
    indicators : sequence of str
        Boolean columns; a unit appears once per indicator it lacks.

    Returns
    -------
    DataFrame
        ``missing`` (the indicator), ``code_2010``, ``name_zh``, ``name_en``,
        ``prefecture_en``, ``level_en``, ``universe``; sorted by indicator and code.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"code_2010": ["1", "2"], "name_zh": ["甲", "乙"],
    ...     "name_en": ["A", "B"], "prefecture_en": "P", "level_en": "county",
    ...     "universe": "all", "has_zone": [True, False]})
    >>> coverage_gaps(ind, ["has_zone"])["name_en"].tolist()
    ['B']
    """
    cols = [c for c in _NAME_COLS if c in ind.columns]
    missing = [c for c in indicators if c not in ind.columns]
    if missing or "code_2010" not in ind.columns:
        raise SchemaError(f"missing column(s) {missing or ['code_2010']}", file="indicators",
                          expected="output of county_indicators()")
    parts = [ind.loc[~ind[c].astype(bool), cols].assign(missing=c) for c in indicators]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    out["universe"] = (str(ind["universe"].iloc[0]) if "universe" in ind and len(ind)
                       else ind.attrs.get("universe", "unknown"))
    return out[["missing", *cols, "universe"]]


def coverage_path(indicators_by_year, indicator: str = "has_exports") -> pd.DataFrame:
    """Return the number of covered units per year (逐年覆盖县数).

    Parameters
    ----------
    indicators_by_year : iterable of DataFrame
        Outputs of :func:`county_indicators` for several years, same universe.
    indicator : str
        Boolean indicator column.

    Returns
    -------
    DataFrame
        ``year``, ``n_covered``, ``n_units``, ``rate``, ``universe``, sorted by year.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"year": 2009, "code_2010": ["1", "2"], "has_zone": [1, 0]})
    >>> b = pd.DataFrame({"year": 2010, "code_2010": ["1", "2"], "has_zone": [1, 1]})
    >>> coverage_path([a, b], "has_zone")["n_covered"].tolist()
    [1, 2]
    """
    frames = list(indicators_by_year)
    if not frames:
        raise ParameterError("no years given")
    unit_sets = {frozenset(f["code_2010"].astype(str)) for f in frames}
    if len(unit_sets) > 1:
        raise ParameterError("the years cover different units; expected one universe")
    rows = pd.DataFrame({
        "year": [int(f["year"].iloc[0]) for f in frames],
        "n_covered": [int(f[indicator].astype(bool).sum()) for f in frames],
        "n_units": [len(f) for f in frames],
        "universe": [str(f["universe"].iloc[0]) if "universe" in f else "unknown"
                     for f in frames],
    })
    if rows["year"].duplicated().any():
        raise ParameterError("a year appears twice")
    rows["rate"] = rows["n_covered"] / rows["n_units"]
    return rows.sort_values("year").reset_index(drop=True)[
        ["year", "n_covered", "n_units", "rate", "universe"]]


@dataclass
class GoalProjection:
    """When full coverage (县域全覆盖) is reached at the recent pace.

    Attributes
    ----------
    year : int or None
        The first year with every unit covered at that pace; the last observed year
        when already full; None when the pace is zero or negative.
    pace_per_year : float
        Average yearly net gain in covered units over the window.
    window_years : int
        Years spanned by the window.
    remaining : int
        Units not yet covered in the last year.
    last_year, n_units : int
        The last observed year and the denominator.
    message : str
        The answer in words, with the assumption.
    """

    year: int | None
    pace_per_year: float
    window_years: int
    remaining: int
    last_year: int
    n_units: int
    message: str

    @fill
    def summary(self, source: str | Provenance | None = None) -> Summary:
        """Return the summary: the projected year and its assumption (全覆盖预测摘要).

        %(summary_head)s
            Table ``projection`` (:meth:`to_frame`); the message as a note.

        Examples
        --------
        >>> p = pd.DataFrame({"year": [2008, 2009, 2010], "n_covered": [10, 14, 18], "n_units": 40})
        >>> full_coverage_year(p, window=2).summary().notes[0][:21]
        'full coverage in 2016'
        """
        return Summary(f"Full coverage (县域全覆盖) at the pace of {self.window_years} year(s)",
                       [("projection", self.to_frame())], notes=[self.message],
                       provenance=provenance_caption(source))

    def to_frame(self) -> pd.DataFrame:
        """Return the projection as one row, laid out as a row of :func:`~ciqanalysis.coverage.goal_table`.

        Examples
        --------
        >>> p = pd.DataFrame({"year": [2008, 2009, 2010], "n_covered": [10, 14, 18], "n_units": 40})
        >>> full_coverage_year(p, window=2).to_frame()["full_coverage_year"].tolist()
        [2016]
        """
        out = pd.DataFrame([{"window_years": self.window_years, "pace_per_year": self.pace_per_year,
                             "remaining": self.remaining, "n_units": self.n_units,
                             "full_coverage_year": self.year, "assumption": self.message}])
        out = out.set_index("window_years")
        out["full_coverage_year"] = out["full_coverage_year"].astype("Int64")
        return out

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, year=self.year, pace_per_year=f"{self.pace_per_year:.3g}",
                          window_years=self.window_years, remaining=self.remaining)


def full_coverage_year(path: pd.DataFrame, window: int = 3) -> GoalProjection:
    """Project the year of full coverage at the pace of the last ``window`` years.

    Assumption: the average yearly net gain in covered units over the last
    ``window`` years (from year T - window to the last year T; net of units that lost
    coverage) continues linearly, and the universe does not change.

    Parameters
    ----------
    path : DataFrame
        Output of :func:`coverage_path` (``year``, ``n_covered``, ``n_units``).
    window : int
        Years over which the pace is measured (the earlier year must be in ``path``).

    Returns
    -------
    GoalProjection
        ``year`` is None when the pace is zero or negative ("not at this pace").

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"year": [2009, 2010], "n_covered": [20, 20], "n_units": 40})
    >>> full_coverage_year(p, window=1).year is None
    True
    """
    need = {"year", "n_covered", "n_units"}
    if not need <= set(path.columns):
        raise SchemaError(f"missing column(s) {sorted(need - set(path.columns))}",
                          file="coverage path", expected="output of coverage_path()")
    if not isinstance(window, int) or window < 1:
        raise ParameterError(f"window must be a positive number of years, got {window!r}")
    p = path.set_index("year").sort_index()
    last = int(p.index.max())
    first = last - window
    if first not in p.index:
        raise ParameterError(f"the pace over {window} year(s) needs year {first}; "
                             f"years available: {list(p.index)}")
    n_units = int(p.loc[last, "n_units"])
    covered = int(p.loc[last, "n_covered"])
    remaining = n_units - covered
    pace = (covered - int(p.loc[first, "n_covered"])) / window
    basis = (f"assuming the average net gain of {pace:.2f} covered units a year over "
             f"{first}-{last} continues (denominator {n_units} units)")
    if remaining <= 0:
        return GoalProjection(last, pace, window, 0, last, n_units,
                              f"full coverage already reached in {last}")
    if pace <= 0:
        return GoalProjection(None, pace, window, remaining, last, n_units,
                              f"not at this pace: {remaining} units remain and coverage "
                              f"did not grow over {first}-{last}")
    year = last + math.ceil(remaining / pace - 1e-12)
    return GoalProjection(year, pace, window, remaining, last, n_units,
                          f"full coverage in {year}, {basis}; {remaining} units remain "
                          f"in {last}")
