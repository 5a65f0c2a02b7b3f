"""Coverage rates with intervals, and tests across prefectures and years (覆盖率与检验).

Every rate carries its universe and denominator (分母): a count of covered units out
of the units of the universe, never a bare percentage.

Examples
--------
>>> import pandas as pd
>>> from ciqanalysis.coverage import coverage_rate
>>> ind = pd.DataFrame({"has_zone": [True] * 4 + [False] * 6, "universe": "all"})
>>> r = coverage_rate(ind, "has_zone")
>>> int(r["n_covered"].iloc[0]), int(r["n_units"].iloc[0])
(4, 10)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.proportion import proportion_confint

from .._docstring import fill
from .._summary import RowsCompared, Summary, provenance_caption, short_repr
from ..errors import ParameterError, SchemaError
from ..provenance import Provenance

__all__ = ["coverage_rate", "prefecture_test", "PrefectureTest", "coverage_change",
           "CoverageChange"]

_METHODS = {"wilson": "wilson", "clopper_pearson": "beta", "exact": "beta"}


def _flag(ind: pd.DataFrame, indicator: str) -> pd.Series:
    if indicator not in ind.columns:
        raise SchemaError(f"no indicator column {indicator!r}", file="indicators",
                          column=indicator, expected="a boolean column of "
                          "county_indicators(), e.g. has_zone, has_exports")
    s = ind[indicator]
    if s.isna().any() or not (pd.api.types.is_bool_dtype(s) or s.isin([0, 1]).all()):
        raise SchemaError("the indicator must be True/False on every unit",
                          file="indicators", column=indicator, expected="booleans, no NA")
    return s.astype(bool)


def _universe(ind: pd.DataFrame) -> str:
    if "universe" in ind.columns and len(ind):
        return str(ind["universe"].iloc[0])
    return str(ind.attrs.get("universe", "unknown"))


def coverage_rate(ind: pd.DataFrame, indicator: str = "has_zone", by: str | None = None,
                  alpha: float = 0.05, method: str = "wilson") -> pd.DataFrame:
    """Return coverage rates (覆盖率) with exact counts and a confidence interval.

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`county_indicators` (one row per unit of a universe).
    indicator : str
        A boolean column, e.g. ``has_zone``, ``has_exports``, ``zone_or_reached``.
    by : str, optional
        Group column (e.g. ``prefecture_en``); one row for the universe when None.
    alpha : float
        1 - confidence level.
    method : {"wilson", "clopper_pearson"}
        Interval from ``statsmodels.stats.proportion.proportion_confint`` (Wilson score,
        or the Clopper-Pearson exact ``"beta"``).

    Returns
    -------
    DataFrame
        ``group``, ``n_covered``, ``n_units`` (the denominator), ``n_not_covered``,
        ``rate``, ``ci_lower``, ``ci_upper``, ``indicator``, ``universe``,
        ``interval``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"has_zone": [True, False, False, False], "universe": "all"})
    >>> round(float(coverage_rate(ind)["ci_lower"].iloc[0]), 4)
    0.0456
    """
    if method not in _METHODS:
        raise ParameterError(f"unknown interval method {method!r}; expected 'wilson' or "
                             "'clopper_pearson'")
    if not 0 < alpha < 1:
        raise ParameterError(f"alpha must lie in (0, 1), got {alpha}")
    flag = _flag(ind, indicator)
    if len(ind) == 0:
        raise ParameterError("no units: the indicator table is empty")
    if by is None:
        key = pd.Series("all units", index=ind.index)
    else:
        if by not in ind.columns:
            raise SchemaError(f"no group column {by!r}", file="indicators", column=by)
        key = ind[by].astype(str)
    g = flag.groupby(key, sort=True)
    out = pd.DataFrame({"n_covered": g.sum().astype("int64"), "n_units": g.size()})
    out.index.name = "group"
    out = out.reset_index()
    out["n_not_covered"] = out["n_units"] - out["n_covered"]
    out["rate"] = out["n_covered"] / out["n_units"]
    lo, hi = proportion_confint(out["n_covered"].to_numpy(), out["n_units"].to_numpy(),
                                alpha=alpha, method=_METHODS[method])
    out["ci_lower"], out["ci_upper"] = np.asarray(lo, float), np.asarray(hi, float)
    out["indicator"] = indicator
    out["universe"] = _universe(ind)
    out["interval"] = f"{method.replace('_', '-')} {100 * (1 - alpha):g}%"
    return out


@dataclass
class PrefectureTest:
    """Result of :func:`prefecture_test` (地区差异检验).

    Attributes
    ----------
    observed : DataFrame
        Covered / not covered units by group, with totals.
    expected : DataFrame
        Expected counts under independence.
    chi2, dof, p_chi2 : float, int, float
        Pearson chi-square, its degrees of freedom and asymptotic p-value.
    min_expected : float
        The smallest expected count.
    share_expected_below_5 : float
        Share of cells with an expected count below 5 (Cochran: above 20 % the
        asymptotic p-value is not to be trusted).
    p_permutation : float
        Monte Carlo permutation p-value of the chi-square statistic with both margins
        fixed (Fisher-Freeman-Halton-type test), ``(1 + #{chi2* >= chi2}) / (B + 1)``.
    n_permutations, seed : int
        B and the seed of ``numpy.random.default_rng``.
    p_fisher : float
        Fisher's exact two-sided p-value when there are exactly two groups, else NaN.
    notes : list of str
        What a reader should know (small expected counts, constant indicator...).
    """

    observed: pd.DataFrame
    expected: pd.DataFrame
    chi2: float
    dof: int
    p_chi2: float
    min_expected: float
    share_expected_below_5: float
    p_permutation: float
    n_permutations: int
    seed: int
    p_fisher: float = float("nan")
    notes: list[str] = field(default_factory=list)

    @fill
    def summary(self, source: str | Provenance | None = None) -> Summary:
        """Return the summary: counts against expected, the test statistics (检验摘要).

        %(summary_head)s
            Tables ``observed and expected`` (:meth:`to_frame`) and ``test``
            (:meth:`test_frame`).

        Examples
        --------
        >>> ind = pd.DataFrame({"has_zone": [True, True, False, False],
        ...                     "prefecture_en": ["A", "A", "B", "B"]})
        >>> prefecture_test(ind, n_permutations=9).summary().tables[1][1]["dof"].tolist()
        [1]
        """
        return Summary("Coverage by prefecture: chi-square and permutation test",
                       [("observed and expected", self.to_frame()), ("test", self.test_frame())],
                       notes=self.notes, provenance=provenance_caption(source))

    def to_frame(self) -> pd.DataFrame:
        """Return observed and expected counts of the groups side by side (期望频数).

        Returns
        -------
        DataFrame
            Per group: ``n_units``, ``covered``, ``expected_covered``, ``not_covered``,
            ``expected_not_covered``, ``rate``; expected counts under equal coverage
            in every group.

        Examples
        --------
        >>> ind = pd.DataFrame({"has_zone": [True, True, False, False],
        ...                     "prefecture_en": ["A", "A", "B", "B"]})
        >>> prefecture_test(ind, n_permutations=9).to_frame()["covered"].tolist()
        [2, 0]
        """
        obs, exp = self.observed, self.expected
        return pd.DataFrame({
            "n_units": obs["n_units"], "covered": obs["covered"],
            "expected_covered": exp["covered"], "not_covered": obs["not_covered"],
            "expected_not_covered": exp["not_covered"],
            "rate": obs["covered"] / obs["n_units"],
        })

    def test_frame(self) -> pd.DataFrame:
        """Return the statistics as a one-row table (检验结果).

        Returns
        -------
        DataFrame
            ``chi2``, ``dof``, ``p_chi2`` (asymptotic), ``min_expected``,
            ``share_expected_below_5``, ``p_permutation``, ``n_permutations``,
            ``seed``, ``p_fisher`` (two groups only).

        Examples
        --------
        >>> ind = pd.DataFrame({"has_zone": [True, True, False, False],
        ...                     "prefecture_en": ["A", "A", "B", "B"]})
        >>> prefecture_test(ind, n_permutations=9).test_frame()["dof"].tolist()
        [1]
        """
        keys = ("chi2", "dof", "p_chi2", "min_expected", "share_expected_below_5",
                "p_permutation", "n_permutations", "seed", "p_fisher")
        return pd.DataFrame([{k: getattr(self, k) for k in keys}])

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, groups=len(self.expected), chi2=f"{self.chi2:.3g}",
                          p_permutation=f"{self.p_permutation:.3g}", n_permutations=self.n_permutations)


def _chi2_rows(covered: np.ndarray, n_g: np.ndarray, total_cov: float) -> np.ndarray:
    """Pearson chi-square for 2 x k tables given covered counts per group (rows = tables)."""
    n = n_g.sum()
    e1 = n_g * total_cov / n
    e0 = n_g - e1
    return (((covered - e1) ** 2) / e1 + ((n_g - covered - e0) ** 2) / e0).sum(axis=-1)


def prefecture_test(ind: pd.DataFrame, indicator: str = "has_zone",
                    by: str = "prefecture_en", n_permutations: int = 9999,
                    seed: int = 0) -> PrefectureTest:
    """Test whether coverage differs across prefectures (地级市间差异): chi-square and exact.

    With 9 prefectures and 40 or 60 units most expected counts are below 5, so the
    asymptotic chi-square p-value is reported with its expected counts and
    accompanied by a permutation p-value (margins fixed, seeded) and, for two groups,
    Fisher's exact test.

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`county_indicators`.
    indicator : str
        Boolean indicator column.
    by : str
        Group column.
    n_permutations : int
        Monte Carlo permutations (B).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    PrefectureTest
        See the class.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"has_zone": [True] * 5 + [False] * 5,
    ...                     "prefecture_en": ["A"] * 5 + ["B"] * 5})
    >>> round(prefecture_test(ind, n_permutations=999).p_fisher, 4)
    0.0079
    """
    flag = _flag(ind, indicator)
    if by not in ind.columns:
        raise SchemaError(f"no group column {by!r}", file="indicators", column=by)
    if not isinstance(n_permutations, (int, np.integer)) or n_permutations < 1:
        raise ParameterError(f"n_permutations must be a positive integer, got "
                             f"{n_permutations!r}")
    key = ind[by].astype(str)
    groups, codes = np.unique(key.to_numpy(), return_inverse=True)
    y = flag.to_numpy().astype(np.int64)
    n_g = np.bincount(codes, minlength=len(groups)).astype(float)
    cov = np.bincount(codes, weights=y, minlength=len(groups))
    observed = pd.DataFrame({"covered": cov.astype("int64"),
                             "not_covered": (n_g - cov).astype("int64"),
                             "n_units": n_g.astype("int64")}, index=pd.Index(groups, name=by))
    total = float(y.sum())
    n = float(len(y))
    expected = pd.DataFrame({"covered": n_g * total / n, "not_covered": n_g * (n - total) / n},
                            index=observed.index)
    notes = []
    if len(groups) < 2:
        raise ParameterError(f"only one group in {by!r}: nothing to compare")
    if total in (0.0, n):
        notes.append(f"{indicator} is the same for every unit: no test is possible")
        return PrefectureTest(observed, expected, float("nan"), len(groups) - 1,
                              float("nan"), float(expected.to_numpy().min()), 1.0,
                              float("nan"), int(n_permutations), int(seed), notes=notes)
    chi2 = float(_chi2_rows(cov, n_g, total))
    dof = len(groups) - 1
    p_chi2 = float(stats.chi2.sf(chi2, dof))
    e = expected.to_numpy()
    below = float((e < 5).mean())
    if below > 0.2:
        notes.append(f"{below:.0%} of expected counts are below 5 (smallest "
                     f"{e.min():.2f}): do not trust the asymptotic chi-square p-value; "
                     "use the permutation p-value")
    rng = np.random.default_rng(seed)
    perm = rng.permuted(np.broadcast_to(y, (int(n_permutations), len(y))), axis=1)
    onehot = np.zeros((len(y), len(groups)))
    onehot[np.arange(len(y)), codes] = 1.0
    sim = _chi2_rows(perm @ onehot, n_g, total)
    p_perm = float((1 + np.sum(sim >= chi2 - 1e-9)) / (n_permutations + 1))
    p_fisher = float("nan")
    if len(groups) == 2:
        table = observed[["covered", "not_covered"]].to_numpy()
        p_fisher = float(stats.fisher_exact(table).pvalue)
    notes.append(f"permutation test: {n_permutations} Monte Carlo permutations of "
                 f"{indicator} across units, seed {seed}")
    return PrefectureTest(observed, expected, chi2, dof, p_chi2, float(e.min()), below,
                          p_perm, int(n_permutations), int(seed), p_fisher, notes)


@dataclass
class CoverageChange(RowsCompared):
    """Result of :func:`coverage_change` (两年间变化, McNemar).

    Attributes
    ----------
    table : DataFrame
        2 x 2 counts: rows first year (covered / not), columns second year.
    gained, lost : int
        Units covered only in the second / only in the first year.
    statistic, pvalue : float
        McNemar's exact (binomial) test from statsmodels.
    units : list of str
        Codes of the units compared (the same in both years).
    """

    made_by: ClassVar[str] = "coverage.coverage_change()"
    table: pd.DataFrame
    gained: int
    lost: int
    statistic: float
    pvalue: float
    units: list[str]

    @fill
    def summary(self, source: str | Provenance | None = None) -> Summary:
        """Return the summary: the 2 x 2 table and McNemar's test (两年变化摘要).

        %(summary_head)s
            Tables ``first year (rows) against second year (columns)`` (:meth:`to_frame`)
            and ``change`` (:meth:`as_row`).

        Examples
        --------
        >>> a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
        >>> b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
        >>> coverage_change(a, b).summary().tables[1][1]["gained"].tolist()
        [2]
        """
        return Summary(f"Coverage change of {len(self.units)} units: McNemar's exact test",
                       [("first year (rows) against second year (columns)", self.to_frame()),
                        ("change", pd.DataFrame([self.as_row()]))],
                       provenance=provenance_caption(source))

    def to_frame(self) -> pd.DataFrame:
        """Return the 2 x 2 counts (rows first year, columns second year), a copy.

        Examples
        --------
        >>> a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
        >>> b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
        >>> int(coverage_change(a, b).to_frame().to_numpy().sum())
        4
        """
        return self.table.copy()

    def as_row(self) -> dict:
        """Return the change as one row of :meth:`compare`.

        Returns
        -------
        dict
            ``n_units``, ``covered_first``, ``covered_second``, ``gained``, ``lost``,
            ``p_mcnemar`` (exact).

        Examples
        --------
        >>> a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
        >>> b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
        >>> coverage_change(a, b).as_row()["covered_second"]
        3
        """
        return {"n_units": int(self.table.to_numpy().sum()),
                "covered_first": int(self.table.loc["covered"].sum()),
                "covered_second": int(self.table["covered"].sum()),
                "gained": self.gained, "lost": self.lost, "p_mcnemar": self.pvalue}

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        return short_repr(self, n_units=len(self.units), gained=self.gained, lost=self.lost,
                          pvalue=f"{self.pvalue:.3g}")


def coverage_change(ind_a: pd.DataFrame, ind_b: pd.DataFrame,
                    indicator: str = "has_zone") -> CoverageChange:
    """Compare coverage of the same units in two years with McNemar's exact test.

    Parameters
    ----------
    ind_a, ind_b : DataFrame
        Indicators of the earlier and the later year, same universe (same
        ``code_2010`` set).
    indicator : str
        Boolean indicator column.

    Returns
    -------
    CoverageChange
        Counts gained and lost, the 2 x 2 table and the exact McNemar p-value.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
    >>> b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
    >>> r = coverage_change(a, b)
    >>> r.gained, r.lost, round(r.pvalue, 2)
    (2, 0, 0.5)
    """
    for name, df in (("first year", ind_a), ("second year", ind_b)):
        if "code_2010" not in df.columns:
            raise SchemaError(f"the {name} indicators lack code_2010", file="indicators",
                              column="code_2010")
    ca, cb = set(ind_a["code_2010"].astype(str)), set(ind_b["code_2010"].astype(str))
    if ca != cb:
        raise ParameterError(
            f"the two years cover different units ({len(ca ^ cb)} differ, e.g. "
            f"{sorted(ca ^ cb)[:3]}); expected the same universe in both years")
    a = _flag(ind_a, indicator).set_axis(ind_a["code_2010"].astype(str))
    b = _flag(ind_b, indicator).set_axis(ind_b["code_2010"].astype(str)).reindex(a.index)
    t = np.array([[int((a & b).sum()), int((a & ~b).sum())],
                  [int((~a & b).sum()), int((~a & ~b).sum())]])
    res = mcnemar(t, exact=True)
    table = pd.DataFrame(t, index=pd.Index(["covered", "not_covered"], name="first year"),
                         columns=pd.Index(["covered", "not_covered"], name="second year"))
    return CoverageChange(table, int(t[1, 0]), int(t[0, 1]), float(res.statistic),
                          float(res.pvalue), sorted(a.index))
