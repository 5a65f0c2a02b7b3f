"""forecast(): frequencies, interval order, determinism, guards, no leaking warnings."""

import warnings

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import ForecastFallbackWarning, ParameterError
from ciqanalysis.forecast import (
    backtest,
    default_candidates,
    festival_regressor,
    forecast,
    spring_festival_dates,
)
from ciqanalysis.forecast import engine as E
from ciqanalysis.forecast.engine import DEFAULT_INTERVAL_SCALE, is_seasonal

LEVEL_COLS = ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]


@pytest.fixture(scope="module")
def exports():
    s = cq.data.national_trade_monthly()["export"].loc["2000-11":"2010-10"]
    return s.rename("export")


@pytest.fixture(scope="module")
def exports_result(exports):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return forecast(exports, 14)


def _check_order(table):
    assert list(table.columns) == LEVEL_COLS
    assert np.isfinite(table.to_numpy()).all()
    assert (table["lower_95"] <= table["lower_80"]).all()
    assert (table["lower_80"] <= table["mean"]).all()
    assert (table["mean"] <= table["upper_80"]).all()
    assert (table["upper_80"] <= table["upper_95"]).all()
    # strictly nested somewhere: the 95 % band is wider than the 80 % band
    assert ((table["upper_95"] - table["lower_95"]) > (table["upper_80"] - table["lower_80"])).all()


def test_monthly_real_series(exports, exports_result):
    res = exports_result
    _check_order(res.table)
    assert res.table.index.freqstr == "M"
    assert str(res.table.index[0]) == "2010-11" and len(res.table) == 14
    # the default method: six models and their outlier-adjusted variants, equal weights, no backtest
    six = ["theta_opt_log", "ets_log", "arima_auto_log", "ces_log", "ar", "ar_long"]
    assert res.models == six + [f"oa_{m}" for m in six]
    assert res.weights == pytest.approx({m: 1 / 12 for m in res.models})
    assert (res.backtest["origins"] == 0).all()
    assert res.festival_beta is not None
    # the 14-month forecast stays within a plausible band of the last year's level
    last_year = exports.iloc[-12:].sum()
    assert 0.7 * last_year < res.table["mean"].iloc[2:].sum() < 1.6 * last_year
    # intervals widen with the horizon (95 % band, Dec 2011 vs Nov 2010)
    width = res.table["upper_95"] - res.table["lower_95"]
    assert width.iloc[-1] > width.iloc[0]


def test_summary_has_no_clock(exports_result):
    text = str(exports_result.summary())
    assert "backtest" in text and "Models" in text
    today = pd.Timestamp.now()
    assert str(today.year) + "-" not in text or str(today.year) in ("2010", "2011")
    assert ":" not in text.split("Flags:")[0].replace("Forecast of export:", "").replace(
        "Models (weight):", "").replace("coefficient:", "").replace("best first:", "").replace(
        "Forecast:", "")


def test_quarterly_and_annual():
    rng = np.random.default_rng(3)
    q_idx = pd.period_range("2001Q1", periods=40, freq="Q")
    q = pd.Series(100 * 1.02 ** np.arange(40) * np.tile([0.9, 1.0, 1.05, 1.05], 10)
                  * np.exp(rng.normal(0, 0.02, 40)), index=q_idx)
    a_idx = pd.period_range("1990", periods=20, freq="Y")
    a = pd.Series(50 * 1.08 ** np.arange(20) * np.exp(rng.normal(0, 0.03, 20)), index=a_idx)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rq = forecast(q, 8)
        ra = forecast(a, 3)
    _check_order(rq.table)
    _check_order(ra.table)
    assert rq.table.index.freqstr.startswith("Q") and len(rq.table) == 8
    assert ra.table.index.freqstr.startswith("Y") and [str(p) for p in ra.table.index] == ["2010", "2011", "2012"]
    assert not any(m.startswith("stl") for m in ra.backtest.index)  # no seasonal-only models for annual data
    # a growing annual series: next year's mean above this year's value
    assert ra.table["mean"].iloc[0] > a.iloc[-1] * 0.95


def test_deterministic(exports):
    y = exports.iloc[-60:]
    r1 = forecast(y, 6, candidates=["ets_mul", "sarima_log", "snaive_log"])
    r2 = forecast(y, 6, candidates=["ets_mul", "sarima_log", "snaive_log"])
    pd.testing.assert_frame_equal(r1.table, r2.table)
    assert r1.weights == r2.weights


def test_levels_any():
    y = pd.Series(np.linspace(10, 30, 24), index=pd.period_range("2001-01", periods=24, freq="M"))
    res = forecast(y, 3, levels=(50, 90, 99), candidates=["drift", "snaive"])
    cols = res.table.columns
    assert list(cols) == ["mean", "lower_50", "upper_50", "lower_90", "upper_90", "lower_99", "upper_99"]
    assert (res.table["lower_99"] <= res.table["lower_90"]).all()
    assert (res.table["lower_90"] <= res.table["lower_50"]).all()


def test_no_warning_escapes_on_awkward_series():
    # a constant series: no model is fitted, the value is repeated, no interval claimed
    y = pd.Series(np.full(48, 5.0), index=pd.period_range("2005-01", periods=48, freq="M"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = forecast(y, 6)
    assert any(f.startswith("constant") for f in res.flags) and res.models == ["mean"]
    np.testing.assert_allclose(res.table["mean"], 5.0, rtol=1e-6)
    # a near-constant series makes statsmodels optimisers complain: all caught, recorded
    wiggle = y + np.r_[np.zeros(47), 1e-9]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = forecast(wiggle, 6, candidates=["ets_log", "sarima_log"])
    assert np.isfinite(res.table["mean"]).all()


def test_explosive_series_falls_back():
    # 25 % a year for 15 years: trend models run past 3x the historical maximum in 10 years
    y = pd.Series(100 * 1.25 ** np.arange(15), index=pd.period_range("1995", periods=15, freq="Y"))
    with pytest.warns(ForecastFallbackWarning, match="plausible range"):
        res = forecast(y, 10)
    assert res.fallback
    assert any(f.startswith("fallback") for f in res.flags)
    assert any("rejected (forecast beyond 3 x" in f for f in res.flags)
    assert res.table["mean"].max() <= 3 * y.max()


def test_fallback_when_every_candidate_is_rejected():
    y = pd.Series(np.linspace(10, 40, 36), index=pd.period_range("2001-01", periods=36, freq="M"))
    with pytest.warns(ForecastFallbackWarning):
        res = forecast(y, 12, candidates=["drift"], max_ratio=1.05)
    assert res.fallback and res.models == ["snaive_log"]
    # the seasonal naive fallback repeats the last season (times the log-normal mean factor)
    ratio = res.table["mean"].to_numpy() / y.iloc[-12:].to_numpy()
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-9)
    assert 1.0 <= ratio[0] < 1.2


def test_tiny_series_simple_methods():
    y = pd.Series([5.0, 6, 7, 6, 8, 9, 8, 10, 11, 10],
                  index=pd.period_range("2009-01", periods=10, freq="M"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = forecast(y, 4)
    assert any(f.startswith("tiny_series") for f in res.flags)
    assert set(res.models) <= {"snaive_log", "mean", "drift_log"}
    _check_order(res.table)
    one = forecast(y.iloc[:1], 2)
    assert one.models == ["snaive_log"] and any(f.startswith("too_short") for f in one.flags)
    np.testing.assert_allclose(one.table["mean"], 5.0, rtol=1e-12)


def test_non_positive_series_drops_log_models():
    idx = pd.period_range("2004-01", periods=60, freq="M")
    y = pd.Series(np.sin(np.arange(60)) * 10 + np.arange(60) * 0.1 - 3, index=idx)
    res = forecast(y, 6, candidates=["sarima_log", "ets_mul", "snaive", "drift"])
    assert not any(m.endswith("_log") or m == "ets_mul" for m in res.models)
    assert any(f.startswith("non_positive") for f in res.flags)
    assert (res.table["lower_95"] < 0).any()  # negative values are allowed for such a series


def test_non_negative_series_lower_bounds_clipped_and_flagged():
    rng = np.random.default_rng(0)
    idx = pd.period_range("2004-01", periods=48, freq="M")
    y = pd.Series(np.where(rng.random(48) < 0.5, 0.0, rng.gamma(2, 10, 48)), index=idx)
    res = forecast(y, 6)
    assert any(f.startswith("intermittent") for f in res.flags)
    assert (res.table["lower_95"] >= 0).all()
    if any("set to 0" in f for f in res.flags):
        assert (res.table["lower_95"] == 0).any()


@pytest.mark.parametrize(
    "bad, match",
    [
        (pd.Series([1.0, 2.0]), "PeriodIndex"),
        (pd.Series([1.0, np.nan, 3.0], index=pd.period_range("2001-01", periods=3, freq="M")), "missing"),
        (pd.Series([1.0, 2.0], index=pd.PeriodIndex(["2001-01", "2001-03"], freq="M")), "gaps"),
        (pd.Series([1.0, 2.0], index=pd.period_range("2001-01-01", periods=2, freq="D")), "monthly, quarterly or annual"),
        ([1, 2, 3], "pandas Series"),
    ],
)
def test_bad_input_raises_clear_error(bad, match):
    with pytest.raises(ParameterError, match=match):
        forecast(bad, 3)


def test_bad_parameters():
    y = pd.Series(np.arange(1.0, 30.0), index=pd.period_range("2001-01", periods=29, freq="M"))
    with pytest.raises(ParameterError, match="horizon"):
        forecast(y, 0)
    with pytest.raises(ParameterError, match="levels"):
        forecast(y, 2, levels=(80, 120))
    with pytest.raises(ParameterError, match="unknown candidate"):
        forecast(y, 2, candidates=["prophet"])
    with pytest.raises(ParameterError, match="'all'"):
        forecast(y, 2, candidates="everything")


def test_backtest_is_long_table(exports):
    bt = backtest(exports.iloc[-60:], 6, ["snaive_log", "drift_log"], n_origins=3)
    assert set(bt["candidate"]) == {"snaive_log", "drift_log"}
    assert len(bt) == 6 and (bt["mase"] >= 0).all()
    assert bt["origin"].nunique() == 3


def test_default_candidates_choice():
    names, flags = default_candidates(12, 120, True)
    assert {"ets_log", "sarima_log", "theta_log", "stl_ets_log", "snaive_log", "drift_log"} <= set(names)
    assert flags == []
    names, flags = default_candidates(12, 120, False)
    assert not any(n.endswith("_log") for n in names)
    assert default_candidates(12, 120, True, zeros_share=1.0)[0] == ["mean"]


def test_spring_festival_regressor():
    dates = spring_festival_dates(range(1984, 2014))
    assert (dates.dt.month.isin([1, 2])).all()
    assert dates.loc[2010] == pd.Timestamp("2010-02-14")
    idx = pd.period_range("1990-01", "2013-12", freq="M")
    x = festival_regressor(idx)
    assert (x[~idx.month.isin([1, 2, 3])] == 0).all()
    # early festival (2009-01-26): January-heavy; late festival (2010-02-14): February-heavy
    assert x.loc["2009-01"] > 0 > x.loc["2009-02"]
    assert x.loc["2010-02"] > 0 > x.loc["2010-01"]
    # centred: January-February-March together carry no level shift on average
    assert abs(x[idx.month == 1].mean()) < 0.05
    with pytest.raises(ParameterError):
        festival_regressor(pd.period_range("2001Q1", periods=4, freq="Q"))
    with pytest.raises(ParameterError, match="1983"):
        spring_festival_dates([1970])


def test_festival_effect_is_used_for_imports():
    y = cq.data.national_trade_monthly()["import"].loc["1998-11":"2010-10"]
    res = forecast(y, 4, candidates=["sarima_log"], select=False)
    off = forecast(y, 4, candidates=["sarima_log"], select=False, festival_effect=False)
    assert res.festival_beta is not None and res.festival_beta < 0  # festival months import less
    assert off.festival_beta is None


def test_festival_effect_recovered_on_known_series():
    # seasonal series with a known festival effect (beta = -0.4) and small noise
    idx = pd.period_range("1998-01", "2012-12", freq="M")
    x = festival_regressor(idx).to_numpy()
    rng = np.random.default_rng(7)
    season = np.tile(np.linspace(-0.1, 0.1, 12), len(idx) // 12)
    log_true = 3 + 0.005 * np.arange(len(idx)) + season - 0.4 * x
    y = pd.Series(np.exp(log_true + rng.normal(0, 0.01, len(idx))), index=idx)
    train = y.loc[:"2010-12"]
    on = forecast(train, 24, candidates=["sarima_log"], select=False)
    off = forecast(train, 24, candidates=["sarima_log"], select=False, festival_effect=False)
    assert on.festival_beta == pytest.approx(-0.4, abs=0.05)
    truth = np.exp(pd.Series(log_true, index=idx).loc["2011-01":"2012-12"])
    jan_feb = truth.index.month.isin([1, 2])
    err_on = np.abs(np.log(on.table["mean"] / truth))[jan_feb].mean()
    err_off = np.abs(np.log(off.table["mean"] / truth))[jan_feb].mean()
    assert err_on < 0.03 < err_off


@pytest.mark.parametrize(("freq", "n", "models"), [
    ("Y", 20, ["ets_log", "drift", "ses"]),
    ("Q", 40, ["ets_log", "theta_log", "theta"]),
    ("M", 60, ["theta_opt_log", "ets_log", "arima_auto_log", "ces_log", "ar", "ar_long",
               "oa_theta_opt_log", "oa_ets_log", "oa_arima_auto_log", "oa_ces_log", "oa_ar", "oa_ar_long"]),
])
def test_default_method_by_frequency(freq, n, models):
    idx = pd.period_range("2001" if freq == "Y" else "2001-01", periods=n, freq=freq)
    rng = np.random.default_rng(4)
    y = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.01, 0.05, n))), index=idx)
    res = forecast(y, 4)
    assert res.models == models and res.weights == pytest.approx({m: 1 / len(models) for m in models})
    # the point forecast is the equal-weight mean (annual and monthly: the median) of
    # the members' medians (for log members exp of the log-scale forecast, below their means)
    parts = [res._fest[m].restore(res._drafts[m].quant([0.5])[0], 0) for m in models]
    center = np.mean if freq == "Q" else np.median
    np.testing.assert_allclose(res.table["mean"], center(parts, axis=0), rtol=1e-12)
    means = [res._fest[m].restore(res._drafts[m].mean, 0) for m in models]
    if freq == "Q":
        assert np.all(res.table["mean"] < np.mean(means, axis=0))


def test_seasonality_test_chooses_the_seasonal_form():
    """A monthly series without seasonality gets the default models without a season."""
    idx = pd.period_range("2001-01", periods=96, freq="M")
    rng = np.random.default_rng(11)
    walk = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.005, 0.03, 96))), index=idx)
    assert not is_seasonal(walk.to_numpy(), 12)
    res = forecast(walk, 12)
    assert any(f.startswith("non_seasonal") for f in res.flags)
    # fitted with period 1: ETS without seasonal states
    assert not any(f.startswith("non_seasonal") for f in forecast(walk, 12, candidates=["ets_log"]).flags)
    season = 1 + 0.2 * np.sin(np.arange(96) * np.pi / 6)
    seasonal = walk * season
    assert is_seasonal(seasonal.to_numpy(), 12)
    assert not any(f.startswith("non_seasonal") for f in forecast(seasonal, 12).flags)


def test_interval_scale_widens_annual_intervals():
    """The default method's annual intervals are its members' stretched by DEFAULT_INTERVAL_SCALE."""
    idx = pd.period_range("1981", periods=30, freq="Y")
    rng = np.random.default_rng(5)
    y = pd.Series(100 * np.exp(np.cumsum(rng.normal(0.02, 0.06, 30))), index=idx)
    res = forecast(y, 6)
    assert DEFAULT_INTERVAL_SCALE[1] > 1
    fits = E.Fits(res._drafts, res._fest)
    p = E.Problem(y.to_numpy(), y.index, 6, 1, (80, 95))
    score = res.backtest
    plain = E.combine(p, res.models, score, fits, False, "median", 1.0, "median")
    wide = E.combine(p, res.models, score, fits, False, "median", DEFAULT_INTERVAL_SCALE[1], "median")
    np.testing.assert_allclose(wide.mean, res.table["mean"], rtol=1e-12)
    np.testing.assert_allclose(wide.quant[0], res.table["lower_95"], rtol=1e-12)
    assert np.all(wide.quant[0] < plain.quant[0]) and np.all(wide.quant[-1] > plain.quant[-1])


def test_optimised_theta_and_simple_smoothing_models():
    """theta_opt picks more trend for a trending series; ses forecasts a flat level."""
    from ciqanalysis.forecast.models import run

    rng = np.random.default_rng(8)
    trend = 100 + 3.0 * np.arange(30) + rng.normal(0, 1, 30)
    flat = 100 + rng.normal(0, 5, 30)
    steep, _ = run("theta_opt", trend, 6, 1)
    level, _ = run("theta_opt", flat, 6, 1)
    assert steep.params[0] >= 3.0 and level.params[0] <= 2.0
    # the chosen coefficient is used: the forecast differs from the classical Theta's
    classic, _ = run("theta", trend, 6, 1)
    assert steep.mean[-1] > classic.mean[-1]
    ses, notes = run("ses", flat, 6, 1)
    assert not [n for n in notes if "failed" in n]
    assert np.ptp(ses.mean) < 1e-9 and abs(ses.mean[0] - flat.mean()) < 10
    lo, hi = ses.quant([0.1, 0.9])
    assert np.all(np.diff(hi - lo) > 0)  # intervals widen with the horizon


def test_festival_effects_follow_beta():
    y = cq.data.national_trade_monthly()["import"].loc["2000-01":"2010-10"]
    res = forecast(y, 3, candidates=["ets_log"], select=False)
    assert res.festival_kinds == {"ets_log": "log"}
    eff = res.festival_effects([2010, 2012])
    beta = res.festival_beta
    assert beta is not None and beta < 0  # a festival-heavy month trades less
    assert eff.index.tolist() == [2010, 2012]
    assert eff.loc[2010, "beta"] == pytest.approx(beta)
    x = cq.forecast.festival_table([2012]).loc[2012, "feb"]
    assert eff.loc[2012, "feb_pct"] == pytest.approx(np.expm1(beta * x) * 100)
    annual = forecast(y.groupby(y.index.asfreq("Y")).sum(), 1, candidates=["drift"])
    assert annual.festival_effects([2010]).isna().all().all()


def test_festival_effects_of_a_mix_of_log_and_level_models():
    """The default monthly method mixes models on logs and on values: the effects are read
    from the log-scale coefficient (they were all NaN), and an all-level mix stays NaN."""
    y = cq.data.national_trade_monthly()["import"].loc["2000-01":"2010-10"]
    alone = forecast(y, 3, candidates=["ets_log"], select=False)
    mixed = forecast(y, 3, candidates=["ar", "ets_log"], select=False)
    assert set(mixed.festival_kinds.values()) == {"log", "level"}
    assert mixed.festival_beta == pytest.approx(alone.festival_beta)  # the log-scale one
    eff = mixed.festival_effects([2010, 2012])
    assert eff.notna().all().all()
    pd.testing.assert_frame_equal(eff, alone.festival_effects([2010, 2012]))
    level = forecast(y, 3, candidates=["ar"], select=False)
    assert level.festival_kinds == {"ar": "level"}
    assert level.festival_effects([2010])[["jan_pct", "feb_pct", "mar_pct"]].isna().all().all()
