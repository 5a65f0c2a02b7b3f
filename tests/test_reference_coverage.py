"""Firth logit and join counts against independent references (独立参考值: 覆盖统计).

- Firth logit: the endometrial cancer data of Heinze & Schemper (2002), the worked
  example of their paper on separation, fitted in R by brglm2 (``tests/reference/``).
- Join counts: the Columbus neighbourhoods with R spdep's analytic moments, and a
  3 x 3 lattice whose permutation distribution is counted by hand (exact).
- Coverage rates and tests: Jilin's real 60 units and 9 prefectures with a SYNTHETIC
  coverage map, against R's prop.test / binom.test intervals, chisq.test,
  fisher.test and the exact binomial McNemar test.

How each value was made, and the tolerances: ``tests/reference/README.md``.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ciqanalysis.coverage import (
    coverage_change,
    coverage_rate,
    join_count_test,
    prefecture_test,
    zone_logit,
)

REF_DIR = Path(__file__).resolve().parents[1] / "tests" / "reference"


# Firth logit ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def endometrial():
    return pd.read_csv(REF_DIR / "endometrial.csv")


@pytest.mark.parametrize("method", ["firth", "auto"])
def test_firth_logit_matches_brglm2_on_endometrial(endometrial, method):
    ref = pd.read_csv(REF_DIR / "r_firth_endometrial.csv").set_index("term")
    ll = pd.read_csv(REF_DIR / "r_firth_endometrial_loglik.csv").set_index("quantity")["value"]
    assert len(endometrial) == 79 and endometrial["HG"].sum() == 30
    fit = zone_logit(endometrial, covariates=["NV", "PI", "EH"], outcome="HG",
                     standardise=False, method=method)
    # NV = 1 only with HG = 1: quasi-complete separation, so "auto" must choose Firth
    assert fit.method == "Firth" and fit.converged
    if method == "auto":
        assert any("separation" in note for note in fit.notes)
    assert fit.table.index.tolist() == ["const", "NV", "PI", "EH"]
    np.testing.assert_allclose(fit.table["coef"], ref["coef"], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(fit.table["std_err"], ref["std_err"], rtol=1e-5)
    assert fit.llf == pytest.approx(ll["penalised_loglik"], abs=1e-6)


def test_endometrial_separation_is_what_the_paper_describes(endometrial):
    """Every case with neovasculisation (NV = 1) has a high histology grade."""
    assert (endometrial.loc[endometrial["NV"] == 1, "HG"] == 1).all()
    assert (endometrial.loc[endometrial["NV"] == 0, "HG"] == 1).any()


# join counts: Columbus with spdep's analytic moments --------------------------------

def test_join_counts_match_spdep_on_columbus():
    pairs = pd.read_csv(REF_DIR / "columbus_pairs.csv", dtype=str)
    ind = pd.read_csv(REF_DIR / "columbus_hicrime.csv", dtype={"code_2010": str})
    ref = pd.read_csv(REF_DIR / "r_joincount_columbus.csv").set_index("join")
    b = 999
    res = join_count_test(ind, "hicrime", pairs=pairs, permutations=b, seed=1)
    assert (res.n_units, res.n_covered, res.joins) == (49, 24, len(pairs))
    assert (res.bb, res.ww, res.bw) == tuple(ref.loc[["bb", "ww", "bw"], "count"])
    # the permutation means estimate spdep's analytic expectations: within four
    # Monte Carlo standard errors sqrt(Var / B)
    for join, mean in (("bb", res.mean_bb), ("bw", res.mean_bw)):
        se = math.sqrt(ref.loc[join, "variance"] / b)
        assert abs(mean - ref.loc[join, "expectation"]) < 4 * se, join
    # BB sits 6.3 analytic standard deviations above its mean: no permutation reaches it
    z = (res.bb - ref.loc["bb", "expectation"]) / math.sqrt(ref.loc["bb", "variance"])
    assert z > 6
    assert res.p_sim_bb == pytest.approx(1 / (b + 1))


# join counts: a 3 x 3 lattice, exact by enumeration --------------------------------

def _lattice_pairs(k: int = 3) -> pd.DataFrame:
    """Rook neighbours of a k x k grid, cells named r<row>c<col>."""
    rows = []
    for r, c in itertools.product(range(k), range(k)):
        if c + 1 < k:
            rows.append((f"r{r}c{c}", f"r{r}c{c + 1}"))
        if r + 1 < k:
            rows.append((f"r{r}c{c}", f"r{r + 1}c{c}"))
    return pd.DataFrame(rows, columns=["code_a", "code_b"])


def test_lattice_permutation_distribution_counted_by_hand():
    """3 x 3 rook lattice, 12 joins, 3 covered cells out of 9: C(9, 3) = 84 maps.

    No three cells of a grid are mutual neighbours, so BB <= 2, and BB = 2 exactly for
    the 22 three-cell paths (6 straight rows or columns, 4 L-shapes in each of the four
    2 x 2 blocks). Hence P(BB >= 2) = 22/84, and E[BB] = J n1 (n1 - 1) / (n (n - 1))
    = 12 * 6 / 72 = 1 (Cliff & Ord 1981, non-free sampling).
    """
    pairs = _lattice_pairs()
    cells = sorted(set(pairs["code_a"]) | set(pairs["code_b"]))
    edges = list(zip(pairs["code_a"], pairs["code_b"], strict=True))
    counts = [sum(a in s and b in s for a, b in edges)
              for s in map(set, itertools.combinations(cells, 3))]
    assert len(edges) == 12 and len(counts) == 84
    assert counts.count(2) == 22 and max(counts) == 2
    assert counts.count(1) == 40  # so that the mean is (22 * 2 + 40) / 84 = 1
    assert np.mean(counts) == pytest.approx(12 * 3 * 2 / (9 * 8))


@pytest.mark.parametrize(("covered", "bb", "p_exact"), [
    (["r0c0", "r0c1", "r0c2"], 2.0, 22 / 84),   # a row: BB = 2
    (["r0c0", "r1c1", "r2c2"], 0.0, 1.0),       # a diagonal: BB = 0
])
def test_join_count_test_matches_the_exact_lattice_distribution(covered, bb, p_exact):
    pairs = _lattice_pairs()
    cells = sorted(set(pairs["code_a"]) | set(pairs["code_b"]))
    ind = pd.DataFrame({"code_2010": cells, "has_zone": [c in covered for c in cells]})
    b = 999
    res = join_count_test(ind, pairs=pairs, permutations=b, seed=3)
    assert (res.bb, res.joins) == (bb, 12.0)
    assert res.bw == sum((a in covered) != (c in covered) for a, c in
                         zip(pairs["code_a"], pairs["code_b"], strict=True))
    # exact mean 1, variance E[BB^2] - 1 = (22 * 4 + 40 * 1) / 84 - 1 (by the count above)
    var = (22 * 4 + 40 * 1) / 84 - 1
    assert abs(res.mean_bb - 1.0) < 4 * math.sqrt(var / b)
    # pseudo p-value (1 + #{BB* >= BB}) / (B + 1) estimates the exact tail probability
    mc_se = math.sqrt(p_exact * (1 - p_exact) / b)
    assert abs(res.p_sim_bb - p_exact) < 4 * mc_se + 1 / (b + 1)


# coverage rates, prefecture test, McNemar: R's stats package ---------------------------

@pytest.fixture(scope="module")
def synthetic_map():
    """Real units and prefectures of Jilin 2010, SYNTHETIC coverage (made by the R script)."""
    return pd.read_csv(REF_DIR / "jilin_synthetic_coverage.csv", dtype={"code_2010": str})


@pytest.fixture(scope="module")
def r_cov():
    return pd.read_csv(REF_DIR / "r_coverage_tests.csv").set_index(["quantity", "group"])["value"]


def _year(m: pd.DataFrame, year: int) -> pd.DataFrame:
    return m.assign(has_zone=m[f"has_zone_{year}"], universe="all")


@pytest.mark.parametrize(("method", "r_name"), [("wilson", "wilson"),
                                                ("clopper_pearson", "clopper_pearson")])
def test_coverage_rate_intervals_match_r(synthetic_map, r_cov, method, r_name):
    ind = _year(synthetic_map, 2010)
    overall = coverage_rate(ind, method=method).set_index("group")
    by = coverage_rate(ind, by="prefecture_en", method=method).set_index("group")
    out = pd.concat([overall, by])
    assert len(out) == 10
    for g, row in out.iterrows():
        assert (row["n_covered"], row["n_units"]) == (r_cov[("n_covered", g)], r_cov[("n_units", g)])
        assert row["ci_lower"] == pytest.approx(r_cov[(f"{r_name}_lower", g)], abs=1e-9)
        assert row["ci_upper"] == pytest.approx(r_cov[(f"{r_name}_upper", g)], abs=1e-9)


def test_prefecture_test_matches_r_chisq_and_fisher(synthetic_map, r_cov):
    ind = _year(synthetic_map, 2010)
    b = 4999
    res = prefecture_test(ind, n_permutations=b, seed=1)
    assert res.chi2 == pytest.approx(r_cov[("chi2", "prefectures")], rel=1e-12)
    assert res.dof == r_cov[("dof", "prefectures")]
    assert res.p_chi2 == pytest.approx(r_cov[("p_chi2", "prefectures")], rel=1e-9)
    # two Monte Carlo estimates of the same conditional p-value (R: B = 99999)
    p = r_cov[("p_monte_carlo_B99999", "prefectures")]
    assert abs(res.p_permutation - p) < 4 * math.sqrt(p * (1 - p) * (1 / b + 1 / 99999))
    two = ind[ind["prefecture_en"].isin(["Changchun City", "Baishan City"])]
    fisher = prefecture_test(two, n_permutations=99, seed=1).p_fisher
    assert fisher == pytest.approx(r_cov[("p_fisher", "Changchun City vs Baishan City")],
                                   rel=1e-9)


def test_coverage_change_matches_the_exact_binomial_mcnemar(synthetic_map, r_cov):
    res = coverage_change(_year(synthetic_map, 2009), _year(synthetic_map, 2010))
    assert res.gained == r_cov[("gained", "2009 to 2010")]
    assert res.lost == r_cov[("lost", "2009 to 2010")]
    assert res.pvalue == pytest.approx(r_cov[("p_mcnemar_exact", "2009 to 2010")], rel=1e-9)
