"""Summary tables and results of the coverage analysis (ciqanalysis.coverage.tables) and the no-zone year."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciqanalysis.coverage import (
    SYNTHETIC_LABEL,
    CoverageChange,
    CoverageIndicators,
    JoinCountResult,
    analysis_year,
    coverage_change,
    coverage_path,
    coverage_rate,
    goal_table,
    indicators_by_year,
    join_count_test,
    prefecture_test,
    provenance,
    same_day_in_year,
    synthetic_label,
    universe_overview,
    zone_logit,
)
from ciqanalysis.errors import AsOfDateError, ParameterError, SchemaError


def toy_inputs():
    """One zone launched mid-2010 in Fusong, exports in 2008-2010, one memorandum."""
    zones = pd.DataFrame({"zone_id": ["Z1"], "product_group": ["ginseng"],
                          "product_en": ["ginseng"], "county_code": ["220621"],
                          "launch_date": ["2010-06-01"]})
    memoranda = pd.DataFrame({"memo_id": ["M1"], "county_code": ["220622"],
                              "date": ["2009-12-01"]})
    decl = pd.DataFrame({
        "date": ["2008-02-01", "2009-03-01", "2009-12-20", "2010-03-01", "2010-12-01"],
        "direction": "export", "product_group": "ginseng",
        "value_usd": [1e4, 2e4, 3e4, 4e4, 5e4],
        "county_code": ["220621", "220621", "220622", "220622", "220621"],
        "enterprise_id": "E1"})
    return zones, memoranda, decl


def random_indicators(seed: int, n: int = 30) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "code_2010": [f"{i:06d}" for i in range(n)],
        "name_en": [f"U{i}" for i in range(n)],
        "prefecture_en": rng.choice(["A", "B", "C"], n),
        "has_zone": rng.random(n) < 0.4,
        "has_exports": rng.random(n) < 0.7,
        "has_memo": rng.random(n) < 0.5,
        "universe": "all",
    })


# provenance and labels ------------------------------------------------------------

def test_provenance_reads_attrs_not_names():
    real = pd.DataFrame({"a": [1, 2]})
    real.attrs.update(synthetic=False, source="official list")
    fake = pd.DataFrame({"a": [1]})
    fake.attrs.update(synthetic=True, source="generator")
    user = pd.DataFrame({"a": [1, 2, 3]})
    out = provenance({"zones": real, "counties": fake, "mine": user})
    assert out["data"].tolist() == ["not synthetic", SYNTHETIC_LABEL, "not synthetic"]
    assert out["rows"].tolist() == [2, 1, 3]
    assert out["source"].tolist() == ["official list", "generator", "the user's own file"]


def test_synthetic_label_follows_any_input():
    a, b = pd.DataFrame(), pd.DataFrame()
    assert "SYNTHETIC" not in synthetic_label(a, b)
    b.attrs["synthetic"] = True
    assert synthetic_label(a, b).startswith(SYNTHETIC_LABEL)


# same-day cuts and indicators by year ---------------------------------------------

@pytest.mark.parametrize(("as_of", "year", "expected"), [
    ("2010-11-20", 2007, "2007-11-20"),
    ("2012-02-29", 2011, "2011-02-28"),
    ("2011-02-28", 2012, "2012-02-28"),
    (pd.Timestamp("2010-12-31 15:00"), 2009, "2009-12-31"),
])
def test_same_day_in_year(as_of, year, expected):
    assert same_day_in_year(as_of, year) == pd.Timestamp(expected)


@pytest.mark.parametrize("bad", ["not a date", None])
def test_same_day_in_year_rejects_non_dates(bad):
    with pytest.raises(AsOfDateError):
        same_day_in_year(bad, 2010)


def test_analysis_year_defaults_to_and_stops_at_the_as_of_year():
    assert analysis_year(None, "2011-03-31") == 2011
    assert analysis_year(np.int64(2008), "2010-11-20") == 2008
    with pytest.raises(AsOfDateError, match="after the as-of date"):
        analysis_year(2011, "2010-11-20")
    with pytest.raises(AsOfDateError):
        analysis_year(2010, "yesterday-ish")
    with pytest.raises(ParameterError):
        analysis_year("2010", "2010-11-20")


def test_indicators_by_year_cuts_each_year_at_the_same_day():
    zones, memoranda, decl = toy_inputs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a year without zones must not warn (pandas 3)
        out = indicators_by_year([2010, 2008, 2009], "county_type", as_of="2010-11-20",
                                 decl=decl, zones=zones, memoranda=memoranda)
    assert list(out) == [2008, 2009, 2010]
    assert [f.attrs["as_of"] for f in out.values()] == ["2008-11-20", "2009-11-20",
                                                        "2010-11-20"]
    by_code = {y: f.set_index("code_2010") for y, f in out.items()}
    assert by_code[2009].loc["220621", "zone_products"] == ""
    assert by_code[2010].loc["220621", "zone_products"] == "ginseng"
    # 2009-12-20 export and 2009-12-01 memo lie after the 2009 cut
    assert not by_code[2009].loc["220622", "has_exports"]
    assert not by_code[2009].loc["220622", "has_memo"]
    assert by_code[2010].loc["220622", "has_memo"]
    # the 2010-12-01 export lies after the 2010 cut: only the March one counts
    assert by_code[2010]["export_value_usd"].sum() == pytest.approx(4e4)
    with pytest.raises(ParameterError):
        indicators_by_year([], as_of="2010-11-20", decl=decl, zones=zones,
                           memoranda=memoranda)


def test_indicators_by_year_without_as_of_uses_year_ends():
    zones, memoranda, decl = toy_inputs()
    out = indicators_by_year([2009], decl=decl, zones=zones, memoranda=memoranda)
    assert out[2009].attrs["as_of"] == "2009-12-31"
    assert out[2009].set_index("code_2010").loc["220622", "has_exports"]


# universes and rates ---------------------------------------------------------------

def test_universe_overview_counts_add_up():
    out = universe_overview().set_index("universe")
    levels = ["district", "county", "county_level_city", "autonomous_county"]
    assert (out[levels].sum(axis=1) == out["n_units"]).all()
    assert out.loc["county_type", "district"] == 0
    assert out.loc["all", "n_units"] - out.loc["county_type", "n_units"] == \
        out.loc["all", "district"]
    assert (out.loc["county_type", levels[1:]] == out.loc["all", levels[1:]]).all()


def test_coverage_rates_match_coverage_rate():
    a, b = random_indicators(1), random_indicators(2, n=20).assign(universe="county_type")
    cov = CoverageIndicators({"all": a, "county_type": b})
    out = cov.rates(["has_zone", "has_exports"])
    assert len(out) == 4
    row = out[(out["indicator"] == "has_exports") & (out["universe"] == "county_type")]
    ref = coverage_rate(b, "has_exports")
    for col in ("n_covered", "n_units", "rate", "ci_lower", "ci_upper"):
        assert row[col].iloc[0] == pytest.approx(ref[col].iloc[0])
    with pytest.raises(ParameterError):
        CoverageIndicators({}).rates(["has_zone"])
    with pytest.raises(SchemaError):
        CoverageIndicators({"all": a}).rates(["no_such_column"])
    # by default every boolean indicator all universes hold, in INDICATOR_COLUMNS order
    assert cov.to_frame()["indicator"].unique().tolist() == ["has_zone", "has_memo",
                                                             "has_exports"]


def test_coverage_indicators_summary_holds_rates_gaps_and_provenance():
    a = random_indicators(3)
    a.attrs["synthetic"] = True
    cov = CoverageIndicators({"all": a})
    s = cov.summary()
    tables = dict(s.tables)
    pd.testing.assert_frame_equal(tables["coverage rates"], cov.rates())
    pd.testing.assert_frame_equal(tables["units lacking an indicator (all)"], cov.gaps())
    assert s.provenance.startswith(SYNTHETIC_LABEL) and cov._repr_html_() == s.as_html()
    assert repr(cov) == "CoverageIndicators(universes=[all], units=[30])"
    with pytest.raises(ParameterError, match="unknown universe 'x'"):
        cov.gaps(universe="x")
    with pytest.raises(ParameterError, match="name the universe"):
        CoverageIndicators({"all": a, "b": a}).gaps()
    with pytest.raises(ParameterError):
        CoverageIndicators([a])


# tests and their tables ------------------------------------------------------------

def test_prefecture_tables_agree_with_the_test():
    ind = random_indicators(3, n=45)
    res = prefecture_test(ind, "has_zone", n_permutations=199, seed=5)
    table = res.to_frame()
    obs = ind.groupby("prefecture_en")["has_zone"].agg(["sum", "size"])
    assert (table["covered"] == obs["sum"]).all() and (table["n_units"] == obs["size"]).all()
    # expected counts keep both margins
    assert table["expected_covered"].sum() == pytest.approx(ind["has_zone"].sum())
    assert (table["expected_covered"] + table["expected_not_covered"]).to_numpy() == \
        pytest.approx(table["n_units"].to_numpy())
    assert table["rate"].to_numpy() == pytest.approx((obs["sum"] / obs["size"]).to_numpy())
    s = res.test_frame().iloc[0]
    assert s["chi2"] == pytest.approx(res.chi2) and s["p_permutation"] == res.p_permutation
    assert s["seed"] == 5 and s["n_permutations"] == 199


def test_join_count_compare_rows_are_consistent():
    pairs = pd.DataFrame({"code_a": list("abcde"), "code_b": list("bcdef")})
    ind = pd.DataFrame({"code_2010": list("abcdef"),
                        "has_zone": [True, True, False, False, True, False],
                        "has_exports": [True, False, True, False, True, False]})
    res = {c: join_count_test(ind, c, pairs=pairs, permutations=19, seed=3)
           for c in ("has_zone", "has_exports")}
    out = JoinCountResult.compare(res)
    assert out.index.tolist() == ["has_zone", "has_exports"]
    assert (out["bb"] + out["bw"] + out["ww"] == out["joins"]).all()
    assert out.loc["has_zone", "bb"] == 1.0 and out.loc["has_exports", "bb"] == 0.0
    assert out["n_covered"].tolist() == [3, 3]
    with pytest.raises(ParameterError):
        JoinCountResult.compare({})
    with pytest.raises(ParameterError, match="join_count_test"):
        JoinCountResult.compare({"has_zone": "not a result"})


@pytest.mark.parametrize("value", [True, False])
def test_join_count_of_a_constant_map_has_no_p_value(value):
    pairs = pd.DataFrame({"code_a": ["a", "b", "a"], "code_b": ["b", "c", "c"]})
    ind = pd.DataFrame({"code_2010": list("abcd"), "has_zone": value})
    r = join_count_test(ind, pairs=pairs, permutations=19, seed=1)
    assert r.joins == 3.0 and r.bw == 0.0
    assert (r.bb, r.ww) == ((3.0, 0.0) if value else (0.0, 3.0))
    assert np.isnan(r.p_sim_bb) and np.isnan(r.p_sim_bw)
    assert r.n_islands == 1 and any("same everywhere" in n for n in r.notes)


def test_change_compare_counts():
    a = random_indicators(4)
    b = a.assign(has_zone=random_indicators(5)["has_zone"])
    res = coverage_change(a, b, "has_zone")
    row = CoverageChange.compare({"has_zone": res}).loc["has_zone"]
    assert row["covered_first"] == a["has_zone"].sum()
    assert row["covered_second"] == b["has_zone"].sum()
    assert row["covered_second"] - row["covered_first"] == row["gained"] - row["lost"]
    assert row["n_units"] == len(a) and row["p_mcnemar"] == pytest.approx(res.pvalue)
    with pytest.raises(ParameterError):
        CoverageChange.compare({"has_zone": "x"})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=25))
def test_gaps_lists_exactly_the_units_missing_something(flags):
    ind = pd.DataFrame({"code_2010": [f"{i:03d}" for i in range(len(flags))],
                        "has_zone": [f[0] for f in flags],
                        "has_exports": [f[1] for f in flags]})
    out = CoverageIndicators({"all": ind}).gaps(["has_exports", "has_zone"])
    lacking = ~(ind["has_zone"] & ind["has_exports"])
    assert sorted(out["code_2010"]) == sorted(ind.loc[lacking, "code_2010"])
    expected_missing = (~ind[["has_exports", "has_zone"]]).sum(axis=1)[lacking]
    assert sorted(out["n_missing"]) == sorted(expected_missing)
    assert out["n_missing"].is_monotonic_decreasing


def test_gaps_rejects_missing_columns():
    with pytest.raises(SchemaError):
        CoverageIndicators({"all": pd.DataFrame({"code_2010": ["1"]})}).gaps(["has_zone"])


# goal and model --------------------------------------------------------------------

def test_goal_table_gives_hand_computed_years_and_skips_long_windows():
    # 27 of 40 covered in 2010, 13 remain. Pace over 1 year: 27 - 24 = 3 a year, 13 / 3
    # = 4.33 -> 5 years -> 2015; over 3 years: (27 - 21) / 3 = 2, 6.5 -> 7 -> 2017; over
    # 4 years: (27 - 20) / 4 = 1.75, 7.43 -> 8 -> 2018; 5 years reach before 2006
    path = pd.DataFrame({"year": [2006, 2007, 2008, 2009, 2010],
                         "n_covered": [20, 21, 23, 24, 27], "n_units": 40})
    out = goal_table(path, windows=(5, 4, 3, 1))
    assert out.index.tolist() == [1, 3, 4]
    assert out["full_coverage_year"].tolist() == [2015, 2017, 2018]
    assert out["pace_per_year"].tolist() == pytest.approx([3.0, 2.0, 1.75])
    assert (out["remaining"] == 13).all() and (out["n_units"] == 40).all()
    assert out.loc[3, "assumption"].startswith("full coverage in 2017")
    with pytest.raises(ParameterError):
        goal_table(path, windows=(9,))


def test_goal_table_marks_no_progress_as_missing():
    a = pd.DataFrame({"year": 2009, "code_2010": ["1", "2"], "has_zone": [True, False],
                      "universe": "all"})
    b = a.assign(year=2010)
    out = goal_table(coverage_path([a, b], "has_zone"), windows=(1,))
    assert out["full_coverage_year"].isna().all()
    assert str(out["full_coverage_year"].dtype) == "Int64"


def test_logit_fit_frame_reports_the_fit():
    rng = np.random.default_rng(7)
    d = pd.DataFrame({"x": rng.normal(size=40), "z": rng.normal(size=40),
                      "has_zone": rng.random(40) < 0.4})
    fit = zone_logit(d, covariates=["x", "z"])
    s = fit.fit_frame().iloc[0]
    assert s["n"] == 40 and s["n_events"] == int(d["has_zone"].sum())
    assert s["n_covariates"] == 2 and s["method"] == fit.method
    assert s["events_per_variable"] == pytest.approx(min(s["n_events"], 40 - s["n_events"]) / 2)
