"""track_record() on the real China Customs series: the default method, pinned key numbers.

The numbers were computed once (seed 0, the nowcast's defaults: the default method,
2,000 paths, ten years of history, origin end of October) and are pinned with
tolerances that allow for optimiser round-off across machines but not for a change
of method.
"""

import time

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import TRACK_CANDIDATES, nowcast_year, track_record


@pytest.fixture(scope="module")
def record():
    return track_record()


def test_shape(record):
    t = record.table
    assert len(t) == 18 * 2 * 2
    six = ("theta_opt_log", "ets_log", "arima_auto_log", "ces_log", "ar", "ar_long")
    assert record.candidates == TRACK_CANDIDATES == six + tuple(f"oa_{m}" for m in six)
    years = t.index.get_level_values("year")
    assert years.min() == 1995 and years.max() == 2012
    assert (t["lower_95"] <= t["lower_80"]).all() and (t["upper_80"] <= t["upper_95"]).all()
    # the actuals are the real annual totals: 2011 exports 18,975.4 and imports 17,436.6 亿美元
    assert t.loc[(2010, "export", "next"), "actual"] / 1e8 == pytest.approx(18975.39, abs=0.01)
    assert t.loc[(2010, "import", "next"), "actual"] / 1e8 == pytest.approx(17436.56, abs=0.01)


def test_track_record_is_the_nowcast_default_method(record):
    # the very same call the memo and notebook make, at one origin
    national = cq.data.national_trade_monthly()
    res = nowcast_year(national["import"].loc[:"2010-10"], "2010-10-31", seed=0)
    row = record.table.loc[(2010, "import", "next")]
    assert row["forecast"] == res.table.loc[pd.Period("2011", "Y"), "mean"]
    assert row["upper_95"] == res.table.loc[pd.Period("2011", "Y"), "upper_95"]


def test_headline_2011_from_october_2010(record):
    t = record.table
    exp = t.loc[(2010, "export", "next")]
    imp = t.loc[(2010, "import", "next")]
    assert exp["forecast"] / 1e8 == pytest.approx(17525.17, rel=0.005)
    assert imp["forecast"] / 1e8 == pytest.approx(15773.61, rel=0.005)
    assert exp["lower_80"] / 1e8 == pytest.approx(15192.24, rel=0.01)
    # the method under-forecast both; both fell inside the 80 % interval (imports, up
    # 25 % in 2011, fell above it before the outlier-adjusted members joined)
    assert exp["inside_80"] and imp["inside_80"]
    assert exp["error_pct"] == pytest.approx(-7.6, abs=0.5)
    assert imp["error_pct"] == pytest.approx(-9.5, abs=0.5)


def test_summary_pinned(record):
    s = record.by_target
    mape = {("export", "current"): 1.234, ("export", "next"): 9.267,
            ("import", "current"): 1.413, ("import", "next"): 9.489}
    for key, value in mape.items():
        assert s.loc[key, "mape"] == pytest.approx(value, abs=0.1)
    # benchmarks are arithmetic on the data: pinned tightly
    assert s.loc[("export", "next"), "mape_same"] == pytest.approx(16.058, abs=0.001)
    assert s.loc[("export", "next"), "mape_growth"] == pytest.approx(16.839, abs=0.001)
    assert s.loc[("import", "next"), "mape_same"] == pytest.approx(15.211, abs=0.001)
    assert s.loc[("import", "next"), "mape_growth"] == pytest.approx(15.048, abs=0.001)
    assert np.isnan(s.loc[("export", "current"), "mape_growth"])
    # the model beats both benchmarks for next year
    nxt = s.xs("next", level="target")
    assert (nxt["mape"] < nxt["mape_same"]).all() and (nxt["mape"] < nxt["mape_growth"]).all()
    # coverage: outcomes inside the intervals out of 18 (± one year for round-off)
    inside80 = record.table["inside_80"].groupby(level=["direction", "target"]).sum()
    inside95 = record.table["inside_95"].groupby(level=["direction", "target"]).sum()
    pinned80 = {("export", "current"): 13, ("export", "next"): 14,
                ("import", "current"): 13, ("import", "next"): 13}
    pinned95 = {("export", "current"): 16, ("export", "next"): 17,
                ("import", "current"): 17, ("import", "next"): 15}
    for key in pinned80:
        assert abs(inside80[key] - pinned80[key]) <= 1
        assert abs(inside95[key] - pinned95[key]) <= 1
    assert s.loc[("export", "next"), "coverage_80"] == pytest.approx(100 * inside80[("export", "next")] / 18)


def test_crisis_year_is_the_big_miss(record):
    err = record.table.xs("next", level="target")["error_pct"].abs()
    worst = err.groupby(level="direction").idxmax()
    assert worst["export"][0] == 2008 and worst["import"][0] == 2008


def test_cache_is_keyed_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("CIQANALYSIS_CACHE_DIR", str(tmp_path))
    first = track_record(years=[2009], n_paths=200, candidates=("ets_log",))
    files = list(tmp_path.glob("track_record-*.pkl"))
    assert len(files) == 1
    t0 = time.perf_counter()
    again = track_record(years=[2009], n_paths=200, candidates=("ets_log",))
    assert time.perf_counter() - t0 < 1.0
    pd.testing.assert_frame_equal(first.table, again.table)
    other = track_record(years=[2009], n_paths=300, candidates=("ets_log",))  # new options, new key
    assert len(list(tmp_path.glob("track_record-*.pkl"))) == 2
    assert not other.table.equals(first.table)
    fresh = track_record(years=[2009], n_paths=200, candidates=("ets_log",), cache=False)
    pd.testing.assert_frame_equal(first.table, fresh.table)


def test_bad_years():
    with pytest.raises(ParameterError, match="no usable origin year"):
        track_record(years=[2013])


@pytest.fixture(scope="module")
def quick_record():
    """The memo's quick settings: one model, origins 2006-2012, 200 paths."""
    from ciqanalysis.report import memo

    return track_record(cq.data.national_trade_monthly(), **memo.QUICK_TRACK)


def test_benchmark_table_recomputes_from_the_years(quick_record):
    ours = quick_record.benchmark_table()
    assert ours.shape == (5, 4)
    years = quick_record.year_table(target=None, unit="USD")
    nxt = years.xs(("export", "next"), level=("direction", "target"))
    col = ours["exports, next year Y+1"]
    assert col["method MAPE %"] == pytest.approx(nxt["error_pct"].abs().mean())
    assert col["benchmark: same as this year, MAPE %"] == pytest.approx(
        nxt["bench_same_error_pct"].abs().mean())
    assert col["80 % interval coverage %"] == pytest.approx(100 * nxt["inside_80"].mean())
    assert np.isnan(ours.loc["benchmark: this year's YTD growth, MAPE %", "exports, full year Y"])


def test_year_table_in_units(quick_record):
    national = cq.data.national_trade_monthly()
    years = quick_record.year_table()
    annual = national.groupby(national.index.year).sum()
    row = years.loc[(2009, "export")]
    assert row["target_year"] == 2010
    assert row["actual"] == pytest.approx(annual.loc[2010, "export"] / 1e8)
    assert row["error_pct"] == pytest.approx((row["forecast"] / row["actual"] - 1) * 100)
    both = quick_record.year_table(target=None, unit="USD")
    assert len(both) == 2 * len(years)
    assert both.loc[(2009, "export", "current"), "actual"] == pytest.approx(annual.loc[2009, "export"])
    with pytest.raises(ParameterError, match="target"):
        quick_record.year_table(target="later")


def test_the_issue_targets_are_met(record):
    """The targets the default method is held to: next-year MAPE <= 9.5 % on both flows
    and the 2011 forecast (from October 2010) within 10 % on both. (Met at the record's
    own seed 0; with seed 1 the imports' MAPE is 9.58 %, so the margin is Monte Carlo-thin.)"""
    nxt = record.by_target.xs("next", level="target")
    assert (nxt["mape"] <= 9.5).all(), nxt["mape"]
    miss = record.table.xs((2010, "next"), level=("year", "target"))["error_pct"]
    assert (miss.abs() <= 10).all(), miss
