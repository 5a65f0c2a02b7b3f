"""nowcast_year(): seeded paths, annual intervals from paths, partial months, as-of checks."""

import warnings

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import AsOfDateError, ParameterError
from ciqanalysis.forecast import nowcast_year

FAST = {"candidates": ["sarima_log", "ets_log"], "select": False, "n_paths": 1000, "history_years": 10}


@pytest.fixture(scope="module")
def exports():
    return cq.data.national_trade_monthly()["export"].rename("export")


@pytest.fixture(scope="module")
def october(exports):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return nowcast_year(exports.loc[:"2010-10"], "2010-10-31", seed=11, **FAST)


def test_table_shape_and_order(october, exports):
    tab = october.table
    assert [str(p) for p in tab.index] == ["2010", "2011"]
    for lv in (80, 95):
        assert (tab[f"lower_{lv}"] < tab["mean"]).all() and (tab["mean"] < tab[f"upper_{lv}"]).all()
    assert (tab["lower_95"] < tab["lower_80"]).all() and (tab["upper_80"] < tab["upper_95"]).all()
    jan_oct = exports.loc["2010-01":"2010-10"].sum()
    assert tab.loc["2010", "observed"] == pytest.approx(jan_oct)
    assert tab.loc["2010", "mean"] > jan_oct
    # growth against 2009's actual total
    total_2009 = exports.loc["2009"].sum()
    assert tab.loc["2010", "growth_pct"] == pytest.approx((tab.loc["2010", "mean"] / total_2009 - 1) * 100)
    # the full year 2010 is known to within a few percent two months before its end
    width = (tab.loc["2010", "upper_95"] - tab.loc["2010", "lower_95"]) / tab.loc["2010", "mean"]
    width_next = (tab.loc["2011", "upper_95"] - tab.loc["2011", "lower_95"]) / tab.loc["2011", "mean"]
    assert width < 0.1 < width_next


def test_annual_interval_from_paths_not_summed_bounds(october):
    m = october.monthly
    months_2011 = m.index.year == 2011
    summed = (m.loc[months_2011, "upper_95"] - m.loc[months_2011, "lower_95"]).sum()
    annual = october.table.loc["2011", "upper_95"] - october.table.loc["2011", "lower_95"]
    # monthly errors are correlated but not perfectly: the annual band is narrower
    # than the sum of monthly bands, and wider than independent errors would give
    independent = np.sqrt(((m.loc[months_2011, "upper_95"] - m.loc[months_2011, "lower_95"]) ** 2).sum())
    assert independent < annual < summed
    # the mean of annual sums is the sum of monthly means
    assert october.table.loc["2011", "mean"] == pytest.approx(m.loc[months_2011, "mean"].sum(), rel=1e-9)
    assert october.annual_paths.shape == (1000, 2)


def test_seeded_determinism(exports):
    y = exports.loc[:"2010-10"]
    a = nowcast_year(y, "2010-10-31", seed=5, **FAST)
    b = nowcast_year(y, "2010-10-31", seed=5, **FAST)
    c = nowcast_year(y, "2010-10-31", seed=6, **FAST)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.annual_paths, b.annual_paths)
    assert not np.allclose(a.annual_paths.to_numpy(), c.annual_paths.to_numpy())
    # different seeds, same model: means agree to well within the interval width
    assert abs(a.table.loc["2011", "mean"] / c.table.loc["2011", "mean"] - 1) < 0.02


def test_partial_month_counts_observed_part(exports):
    y = exports.loc[:"2010-11"].copy()
    nov_full = y.loc["2010-11"]
    y.loc["2010-11"] = nov_full * 20 / 30  # value through 20 November
    res = nowcast_year(y, "2010-11-20", seed=1, **FAST)
    assert res.partial_share == pytest.approx(20 / 30)
    assert any("partial month 2010-11" in f for f in res.flags)
    assert res.table.loc["2010", "observed"] == pytest.approx(exports.loc["2010-01":"2010-10"].sum() + nov_full * 2 / 3)
    nov = res.monthly.loc["2010-11"]
    assert nov["lower_95"] >= y.loc["2010-11"]  # never below what is already observed
    # with the whole month declared done, November is the observed value exactly
    done = nowcast_year(y, "2010-11-20", seed=1, partial_share=1.0, **FAST)
    assert done.monthly.loc["2010-11", "lower_95"] == pytest.approx(y.loc["2010-11"])
    assert done.monthly.loc["2010-11", "upper_95"] == pytest.approx(y.loc["2010-11"])
    # the remaining 10 days add uncertainty: the year's band is wider than with November done
    w = res.table.loc["2010", "upper_95"] - res.table.loc["2010", "lower_95"]
    w_done = done.table.loc["2010", "upper_95"] - done.table.loc["2010", "lower_95"]
    assert w > w_done


def test_daily_input_uses_usual_share():
    # daily values: weekdays heavier than weekends, 2004..2010-11-20
    days = pd.date_range("2004-01-01", "2010-11-20", freq="D")
    weight = np.where(days.day_of_week < 5, 1.0, 0.3)
    y = pd.Series(1e6 * weight * (1 + 0.0003 * np.arange(len(days))), index=days)
    res = nowcast_year(y, "2010-11-20", seed=2, **FAST)
    usual = []
    for yr in range(2004, 2010):
        nov = y.loc[f"{yr}-11"]
        usual.append(nov.loc[: f"{yr}-11-20"].sum() / nov.sum())
    assert res.partial_share == pytest.approx(np.mean(usual))
    assert "earlier years' daily data" in " ".join(res.flags)
    with pytest.raises(AsOfDateError):
        nowcast_year(y, "2010-11-19", seed=2, **FAST)


def test_daily_input_with_months_without_any_day_counts_them_as_zero():
    # a declarations file with no declaration at all in March and April 2009: those
    # months had no inspected trade (or missing data); the nowcast used to stop with
    # "y has gaps", which the report passed on to the user as a bare error
    days = pd.date_range("2004-01-01", "2010-10-31", freq="D")
    y = pd.Series(1e5 * (1 + 0.0002 * np.arange(len(days))), index=days)
    y = y.loc[(y.index < "2009-03-01") | (y.index >= "2009-05-01")]
    res = nowcast_year(y, "2010-10-31", seed=2, **FAST)
    assert res.history.loc["2009-03":"2009-04"].tolist() == [0.0, 0.0]
    assert res.history.loc["2009-02"] > 0 and res.history.index.is_monotonic_increasing
    assert len(res.history) == len(pd.period_range(res.history.index[0], "2010-10", freq="M"))
    flag = next(f for f in res.flags if f.startswith("empty_months"))
    assert "2 month(s)" in flag and "2009-03, 2009-04" in flag
    full = nowcast_year(pd.Series(1e5, index=days), "2010-10-31", seed=2, **FAST)
    assert not any(f.startswith("empty_months") for f in full.flags)


def test_as_of_errors(exports):
    with pytest.raises(AsOfDateError, match="after the as-of month"):
        nowcast_year(exports.loc[:"2010-12"], "2010-11-20")
    with pytest.raises(AsOfDateError, match="before the data"):
        nowcast_year(exports.loc["2000":"2010-10"], "1999-05-31")
    with pytest.raises(ParameterError, match="as_of"):
        nowcast_year(exports.loc[:"2010-10"], "not a date")
    with pytest.raises(ParameterError, match="monthly values"):
        nowcast_year(exports.loc[:"2010-10"].resample("Q").sum(), "2010-10-31")


def test_summary_readable(october):
    text = str(october.summary())
    assert "2010-10-31" in text and "Y+1" in text and "Flags" in text


def test_forecast_result_is_the_monthly_forecast_or_repeats_it(exports):
    import dataclasses

    cut = exports.loc[:"2010-10"]
    now = nowcast_year(cut, "2010-10-31", seed=3, n_paths=200, history_years=8)
    kept = now.forecast_result()
    assert kept is now.monthly_forecast  # carried by the nowcast, not fitted again
    # a result without it (e.g. built by hand) is repeated, and must agree
    refit = dataclasses.replace(now, monthly_forecast=None).forecast_result()
    assert refit.models == now.models == kept.models
    assert refit.weights == pytest.approx(now.weights)
    np.testing.assert_allclose(refit.backtest["mase"].to_numpy(), kept.backtest["mase"].to_numpy())
    assert set(now.models) <= set(refit.backtest.index)
    table = refit.model_frame()
    assert table["weight"].sum() == pytest.approx(1.0)
    assert (table.loc[now.models, "weight"] > 0).all()
    assert (table.drop(index=now.models)["weight"] == 0).all()
    np.testing.assert_allclose(table["mase"].to_numpy(), refit.backtest["mase"].to_numpy())
    with pytest.raises(ParameterError, match="same"):
        dataclasses.replace(now, monthly_forecast=None).forecast_result(candidates=["snaive_log"])


def test_sample_paths_are_the_nowcasts_paths(october):
    """The public paths of the monthly forecast are the ones the nowcast summed (same seed)."""
    res = october.monthly_forecast
    paths = res.sample_paths(1000, seed=11)
    assert paths.shape == (len(res.table), 1000)
    assert list(paths.index) == list(res.table.index)
    np.testing.assert_array_equal(paths.to_numpy(), october.paths)
    # seeded: same seed, same paths; another seed, other paths
    np.testing.assert_array_equal(res.sample_paths(1000, seed=11).to_numpy(), paths.to_numpy())
    assert not np.allclose(res.sample_paths(1000, seed=12).to_numpy(), paths.to_numpy())
    # the nowcast's 2011 point is the mean of these paths' 2011 sums
    assert paths.loc["2011"].sum().mean() == pytest.approx(october.table.loc["2011", "mean"], rel=1e-9)


def test_sample_paths_refuses_models_without_paths_and_bad_counts(exports):
    y = exports.loc["2004":"2010-10"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = cq.forecast.forecast(y, 3, candidates=["stl_ets"], select=False)
    with pytest.raises(ParameterError, match="cannot simulate sample paths"):
        res.sample_paths(200)
    with pytest.raises(ParameterError, match=r"\['stl_ets'\] cannot simulate sample paths.*theta_opt_log"):
        nowcast_year(y, "2010-10-31", candidates=["stl_ets"], select=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = cq.forecast.forecast(y, 3, candidates=["ets_log"], select=False)
    for bad in (50, 200.0, True):
        with pytest.raises(ParameterError, match="n_paths"):
            res.sample_paths(bad)
