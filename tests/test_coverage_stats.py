"""Rates, intervals, prefecture tests, McNemar, the zone logit and the goal projection."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import logit

import ciqanalysis as cq
from ciqanalysis.coverage import (
    coverage_change,
    coverage_path,
    coverage_rate,
    full_coverage_year,
    prefecture_test,
    zone_logit,
)
from ciqanalysis.errors import ParameterError, SchemaError


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def flags(k: int, n: int, **extra) -> pd.DataFrame:
    return pd.DataFrame({"has_zone": [True] * k + [False] * (n - k), **extra})


@pytest.mark.parametrize(("k", "n"), [(4, 10), (0, 40), (16, 60), (40, 40)])
def test_wilson_interval_against_hand_formula(k, n):
    r = coverage_rate(flags(k, n, universe="all"))
    lo, hi = wilson_by_hand(k, n)
    assert r["n_covered"].iloc[0] == k and r["n_units"].iloc[0] == n
    assert r["ci_lower"].iloc[0] == pytest.approx(lo, abs=1e-12)
    assert r["ci_upper"].iloc[0] == pytest.approx(hi, abs=1e-12)
    assert r["universe"].iloc[0] == "all"


def test_clopper_pearson_zero_events():
    # exact upper bound for 0 of n: 1 - (alpha/2)^(1/n)
    r = coverage_rate(flags(0, 40), method="clopper_pearson")
    assert r["ci_lower"].iloc[0] == 0
    assert r["ci_upper"].iloc[0] == pytest.approx(1 - 0.025 ** (1 / 40), rel=1e-9)


def test_rate_by_group_and_bad_input():
    ind = flags(3, 6, prefecture_en=["A", "A", "B", "B", "B", "B"])
    r = coverage_rate(ind, by="prefecture_en").set_index("group")
    assert r.loc["A", ["n_covered", "n_units"]].tolist() == [2, 2]
    assert r.loc["B", ["n_covered", "n_units"]].tolist() == [1, 4]
    with pytest.raises(SchemaError):
        coverage_rate(ind, "no_such_column")
    with pytest.raises(ParameterError):
        coverage_rate(ind, method="agresti")
    with pytest.raises(SchemaError):
        coverage_rate(ind.assign(has_zone=[True, None, False, False, True, False]))


def test_universe_changes_the_denominator():
    # the same zones, two universes: 60 units of 2010 vs 40 units of 县域
    zones_in = {"220621", "220622", "222424", "220102"}  # 220102 is an urban district
    rates = {}
    for universe in ("all", "county_type"):
        u = cq.county_universe(universe)
        r = coverage_rate(u.assign(has_zone=u["code_2010"].isin(zones_in)))
        rates[universe] = r.iloc[0]
    assert rates["all"]["n_units"] == 60 and rates["county_type"]["n_units"] == 40
    assert rates["all"]["n_covered"] == 4 and rates["county_type"]["n_covered"] == 3
    assert rates["county_type"]["universe"] == "county_type"
    with pytest.raises(ParameterError):
        cq.county_universe("counties")


def test_prefecture_test_two_groups_fisher_and_permutation_agree():
    ind = flags(5, 10, prefecture_en=["A"] * 5 + ["B"] * 5)
    t = prefecture_test(ind, n_permutations=9999, seed=1)
    assert t.p_fisher == pytest.approx(2 / 252)
    # Monte Carlo error of a p near 0.008 with B = 9999 is about 0.0009
    assert abs(t.p_permutation - 2 / 252) < 0.004
    assert t.chi2 == pytest.approx(10.0)
    assert t.observed.loc["A", "covered"] == 5
    assert t.expected.loc["A", "covered"] == pytest.approx(2.5)


def test_prefecture_test_small_expected_counts_reported():
    rng = np.random.default_rng(0)
    groups = np.repeat(list("ABCDEFGHI"), [8, 5, 5, 4, 4, 4, 4, 3, 3])
    ind = pd.DataFrame({"has_zone": rng.random(40) < 0.3, "prefecture_en": groups})
    t = prefecture_test(ind, n_permutations=2000, seed=5)
    assert t.dof == 8
    assert t.share_expected_below_5 > 0.2
    assert any("below 5" in note for note in t.notes)
    expected_total = t.expected.to_numpy().sum()
    assert expected_total == pytest.approx(40)
    assert 0 < t.p_permutation <= 1
    again = prefecture_test(ind, n_permutations=2000, seed=5)
    assert again.p_permutation == t.p_permutation


def test_prefecture_test_constant_indicator_does_not_crash():
    ind = flags(0, 6, prefecture_en=list("AABBCC"))
    t = prefecture_test(ind, n_permutations=99)
    assert math.isnan(t.chi2) and math.isnan(t.p_permutation)
    assert "same for every unit" in t.notes[0]


def test_mcnemar_on_hand_table():
    codes = [f"{i:06d}" for i in range(12)]
    # 3 covered both years, 7 gained, 1 lost, 1 never: exact p = 2 * P(X <= 1 | 8, 1/2)
    a = pd.DataFrame({"code_2010": codes, "has_zone": [1] * 3 + [0] * 7 + [1] + [0]})
    b = pd.DataFrame({"code_2010": codes, "has_zone": [1] * 3 + [1] * 7 + [0] + [0]})
    r = coverage_change(a, b)
    assert (r.gained, r.lost) == (7, 1)
    assert r.table.loc["covered", "covered"] == 3
    assert r.pvalue == pytest.approx(2 * 9 / 256)
    with pytest.raises(ParameterError):
        coverage_change(a, b.iloc[:-1])


def test_firth_intercept_only_has_closed_form():
    # Firth with an intercept only: p = (k + 1/2) / (n + 1)
    d = flags(3, 40)
    r = zone_logit(d, covariates=[], method="firth")
    assert r.method == "Firth"
    assert r.table.loc["const", "coef"] == pytest.approx(logit(3.5 / 41), abs=1e-8)


def test_logit_separation_falls_back_to_firth():
    d = pd.DataFrame({"x": np.arange(10.0), "has_zone": [0] * 5 + [1] * 5})
    r = zone_logit(d, covariates=["x"])
    assert r.method == "Firth"
    assert np.isfinite(r.table["coef"]).all()
    assert any("separation" in n for n in r.notes)
    none = zone_logit(d, covariates=["x"], method="mle")
    assert none.method == "none" and none.table.empty


def test_logit_mle_and_firth_shrinkage():
    rng = np.random.default_rng(2)
    x = rng.normal(size=60)
    y = rng.random(60) < 1 / (1 + np.exp(-(-1 + 1.2 * x)))
    d = pd.DataFrame({"x": x, "has_zone": y, "district": 0})
    mle = zone_logit(d, covariates=["x", "district"], standardise=False)
    firth = zone_logit(d, covariates=["x", "district"], standardise=False, method="firth")
    assert mle.method == "MLE"
    assert any("constant" in n for n in mle.notes)  # district dropped
    assert list(mle.table.index) == ["const", "x"]
    b_mle, b_f = mle.table.loc["x", "coef"], firth.table.loc["x", "coef"]
    assert 0 < b_f < b_mle  # Firth shrinks towards zero
    assert mle.events_per_variable == min(y.sum(), 60 - y.sum())


def test_logit_no_events_is_reported_not_raised():
    d = pd.DataFrame({"x": np.arange(5.0), "has_zone": False})
    r = zone_logit(d, covariates=["x"])
    assert r.method == "none"
    assert "does not exist" in r.notes[-1]


def test_goal_projection():
    path = pd.DataFrame({"year": [2007, 2008, 2009, 2010], "n_covered": [10, 13, 17, 22],
                         "n_units": 40, "universe": "county_type"})
    g = full_coverage_year(path, window=3)
    assert g.pace_per_year == pytest.approx(4.0)
    assert g.remaining == 18
    assert g.year == 2010 + math.ceil(18 / 4)
    flat = full_coverage_year(path.assign(n_covered=[22, 22, 21, 22]), window=3)
    assert flat.year is None and "not at this pace" in flat.message
    done = full_coverage_year(path.assign(n_covered=40), window=1)
    assert done.year == 2010 and done.remaining == 0
    with pytest.raises(ParameterError):
        full_coverage_year(path, window=5)


def test_coverage_path_requires_same_units():
    a = pd.DataFrame({"year": 2009, "code_2010": ["1", "2"], "has_zone": [True, False]})
    b = pd.DataFrame({"year": 2010, "code_2010": ["1", "3"], "has_zone": [True, True]})
    with pytest.raises(ParameterError):
        coverage_path([a, b], "has_zone")


def test_county_characteristics_real_geography():
    u = cq.county_universe("all")
    prev = u[["code_2010"]].assign(export_value_usd=np.where(u["code_2010"] == "220621",
                                                              1e6, 0.0))
    c = cq.coverage.county_characteristics(u, prev=prev).set_index("code_2010")
    # 南关区 is in Changchun's core; 珲春市 is on the border with Russia and North Korea
    assert c.loc["220102", "dist_changchun_km"] < 30 < 300 < c.loc["222404", "dist_changchun_km"]
    assert c.loc["222404", "dist_edge_km"] < c.loc["220102", "dist_edge_km"]
    assert (c["dist_edge_km"] >= 0).all()
    assert c.loc["220621", "log_export_prev"] == pytest.approx(np.log1p(1e6))
    assert c.loc["220622", "log_export_prev"] == 0
    assert c["district"].sum() == 20
    assert np.exp(c["log_area_km2"]).sum() == pytest.approx(190_643, rel=0.01)
