"""Presentation tables of forecasts (ciqanalysis.forecast.tables) used by notebook 02."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import (
    festival_effects,
    festival_table,
    model_table,
    nowcast_by_direction,
    nowcast_forecast,
    nowcast_year,
    outlook_table,
    outturn_check,
    spring_festival_dates,
    track_record,
    track_record_summary,
    track_record_years,
)
from ciqanalysis.report import memo

FAST = {"candidates": ["sarima_log", "ets_log"], "select": False, "n_paths": 300, "history_years": 8}


@pytest.fixture(scope="module")
def national():
    return cq.data.national_trade_monthly()


@pytest.fixture(scope="module")
def october(national):
    return nowcast_by_direction(national.loc[:"2010-10"], "2010-11-20", seed=7, **FAST)


def test_by_direction_is_nowcast_year_per_column(national, october):
    assert list(october) == ["export", "import", "total"]
    assert cq.forecast.partial_month_table(october)["share_done"].isna().all()  # November unknown
    cut = national.loc[:"2010-10"]
    exp = nowcast_year(cut["export"], "2010-11-20", seed=7, **FAST)
    pd.testing.assert_frame_equal(october["export"].table, exp.table)
    # the total is the directions summed path by path: coherent means
    direct = cq.forecast.sum_nowcasts({"export": exp, "import": october["import"]})
    pd.testing.assert_frame_equal(october["total"].table, direct.table)
    np.testing.assert_allclose(october["total"].table["mean"],
                               october["export"].table["mean"] + october["import"].table["mean"])
    alone = nowcast_by_direction(cut, "2010-11-20", seed=7, add_total=False, **FAST)
    assert list(alone) == ["export", "import"]
    pd.testing.assert_frame_equal(alone["export"].table, october["export"].table)


def test_by_direction_rejects_other_frames():
    with pytest.raises(ParameterError, match="declarations"):
        nowcast_by_direction(pd.DataFrame({"x": [1.0]}), "2010-11-20")
    with pytest.raises(ParameterError, match="DataFrame"):
        nowcast_by_direction(pd.Series([1.0]), "2010-11-20")


def test_outlook_table_converts_units_and_keeps_growth(october):
    tab = outlook_table(october)
    assert tab.index.names == ["direction", "year"]
    assert tab.index.tolist() == [(d, y) for d in ("export", "import", "total") for y in (2010, 2011)]
    raw = october["import"].table
    assert tab.loc[("import", 2011), "upper_95"] == pytest.approx(raw["upper_95"].iloc[1] / 1e8)
    assert tab.loc[("import", 2010), "observed"] == pytest.approx(raw["observed"].iloc[0] / 1e8)
    assert tab.loc[("export", 2010), "growth_pct"] == pytest.approx(october["export"].table["growth_pct"].iloc[0])
    usd = outlook_table(october, unit="USD")
    assert usd.loc[("total", 2010), "mean"] == pytest.approx(tab.loc[("total", 2010), "mean"] * 1e8)
    with pytest.raises(ParameterError, match="mapping"):
        outlook_table([october["export"]])


def test_declarations_agree_with_the_memo():
    """The notebook's Jilin numbers are the memo's: same daily sums, options and seed."""
    decl = cq.data.load_declarations("sample", as_of="2010-11-20")
    as_of = pd.Timestamp("2010-11-20")
    res = nowcast_by_direction(decl, as_of, (80, 95), seed=5, **memo.QUICK_NOWCAST)
    ours = outlook_table(res, unit="USD").drop(columns=["observed", "growth_pct"])
    theirs, fan, _ = memo._outlook(decl, as_of, (80, 95), 5, True)
    pd.testing.assert_frame_equal(ours[theirs.columns], theirs)
    pd.testing.assert_frame_equal(res["total"].monthly, fan)
    assert 0 < res["total"].partial_share < 1
    part = cq.forecast.partial_month_table(res)
    assert part["month"].tolist() == ["2010-11"] * 3
    tot = res["total"]
    jan_oct = tot.history.loc["2010-01":"2010-10"].sum()
    assert part.loc["total", "observed"] == pytest.approx((tot.table["observed"].iloc[0] - jan_oct) / 1e8)
    assert part.loc["total", "month_mean"] == pytest.approx(tot.monthly.loc["2010-11", "mean"] / 1e8)
    assert (part["month_lower_95"] > part["observed"]).all()
    assert part["share_done"].tolist() == [r.partial_share for r in res.values()]


def test_nowcast_forecast_reproduces_models_and_scores(national):
    cut = national["export"].loc[:"2010-10"]
    now = nowcast_year(cut, "2010-10-31", seed=3, n_paths=200, history_years=8)
    kept = nowcast_forecast(now)
    assert kept is now.monthly_forecast  # carried by the nowcast, not fitted again
    # a result without it (e.g. built by hand) is repeated, and must agree
    refit = nowcast_forecast(dataclasses.replace(now, monthly_forecast=None))
    assert refit.models == now.models == kept.models
    assert refit.weights == pytest.approx(now.weights)
    np.testing.assert_allclose(refit.backtest["mase"].to_numpy(), kept.backtest["mase"].to_numpy())
    assert set(now.models) <= set(refit.backtest.index)
    table = model_table({"export": refit})
    assert table.loc["export", "weight"].sum() == pytest.approx(1.0)
    chosen = table.loc["export"].loc[now.models]
    assert (chosen["weight"] > 0).all()
    assert (table.loc["export"].drop(index=now.models)["weight"] == 0).all()
    np.testing.assert_allclose(table.loc["export", "mase"].to_numpy(), refit.backtest["mase"].to_numpy())
    with pytest.raises(ParameterError, match="same"):
        nowcast_forecast(dataclasses.replace(now, monthly_forecast=None), candidates=["snaive_log"])
    with pytest.raises(ParameterError, match="NowcastResult"):
        nowcast_forecast(refit)


def test_festival_table_matches_calendar():
    tab = festival_table([2009, 2010, 2011, 2012])
    dates = spring_festival_dates([2009, 2010, 2011, 2012])
    assert tab["festival"].tolist() == dates.dt.strftime("%Y-%m-%d").tolist()
    idx = pd.PeriodIndex(["2012-01", "2012-02", "2012-03"], freq="M")
    np.testing.assert_allclose(tab.loc[2012, ["jan", "feb", "mar"]].to_numpy(dtype=float),
                               cq.forecast.festival_regressor(idx).to_numpy())
    # an early festival (23 January 2012) loads January, a late one (14 February 2010) February
    assert tab.loc[2012, "jan"] > 0 > tab.loc[2012, "feb"]
    assert tab.loc[2010, "feb"] > 0 > tab.loc[2010, "jan"]


def test_festival_effects_follow_beta(national):
    y = national["import"].loc["2000-01":"2010-10"]
    res = cq.forecast.forecast(y, 3, candidates=["ets_log"], select=False)
    eff = festival_effects({"import": res}, [2010, 2012])
    beta = res.festival_beta
    assert beta is not None and beta < 0  # a festival-heavy month trades less
    assert eff.loc[("import", 2010), "beta"] == pytest.approx(beta)
    x = festival_table([2012]).loc[2012, "feb"]
    assert eff.loc[("import", 2012), "feb_pct"] == pytest.approx(np.expm1(beta * x) * 100)
    annual = cq.forecast.forecast(y.groupby(y.index.asfreq("Y")).sum(), 1, candidates=["drift"])
    none = festival_effects({"annual": annual}, [2010])
    assert none.isna().all().all()


@pytest.fixture(scope="module")
def record(national):
    return track_record(national, **memo.QUICK_TRACK)


def test_track_summary_recomputes_from_the_years(record):
    ours = track_record_summary(record)
    assert ours.shape == (5, 4)
    years = track_record_years(record, target=None, unit="USD")
    nxt = years.xs(("export", "next"), level=("direction", "target"))
    col = ours["exports, next year Y+1"]
    assert col["method MAPE %"] == pytest.approx(nxt["error_pct"].abs().mean())
    assert col["benchmark: same as this year, MAPE %"] == pytest.approx(
        nxt["bench_same_error_pct"].abs().mean())
    assert col["80 % interval coverage %"] == pytest.approx(100 * nxt["inside_80"].mean())
    assert np.isnan(ours.loc["benchmark: this year's YTD growth, MAPE %", "exports, full year Y"])


def test_track_years_in_units(record, national):
    years = track_record_years(record)
    annual = national.groupby(national.index.year).sum()
    row = years.loc[(2009, "export")]
    assert row["target_year"] == 2010
    assert row["actual"] == pytest.approx(annual.loc[2010, "export"] / 1e8)
    assert row["error_pct"] == pytest.approx((row["forecast"] / row["actual"] - 1) * 100)
    both = track_record_years(record, target=None, unit="USD")
    assert len(both) == 2 * len(years)
    assert both.loc[(2009, "export", "current"), "actual"] == pytest.approx(annual.loc[2009, "export"])
    with pytest.raises(ParameterError, match="target"):
        track_record_years(record, target="later")


def test_outturn_check_computes_the_actual(october, national):
    check = outturn_check(october, national)
    a2011 = national.loc["2011"].sum()
    assert check.loc["export", "actual"] == pytest.approx(a2011["export"] / 1e8)
    assert check.loc["total", "actual"] == pytest.approx(a2011.sum() / 1e8)
    inside = (check["actual"] >= check["lower_95"]) & (check["actual"] <= check["upper_95"])
    assert check["inside_95"].tolist() == inside.tolist()
    assert check.loc["import", "error_pct"] == pytest.approx(
        (check.loc["import", "forecast"] / check.loc["import", "actual"] - 1) * 100)
    with pytest.raises(ParameterError, match="12"):
        outturn_check(october, national.loc[:"2011-06"])
    with pytest.raises(ParameterError, match="covers"):
        outturn_check(october, national, year=2012)
    with pytest.raises(ParameterError, match="columns"):
        outturn_check(october, national[["export"]].rename(columns={"export": "x"}))
