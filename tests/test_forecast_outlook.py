"""Nowcasts by direction and their tables (ciqanalysis.forecast.outlook: Outlook, nowcast_by_direction)."""

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import Outlook, nowcast_by_direction, nowcast_year

FAST = {"candidates": ["sarima_log", "ets_log"], "select": False, "n_paths": 300, "history_years": 8}


@pytest.fixture(scope="module")
def national():
    return cq.data.national_trade_monthly()


@pytest.fixture(scope="module")
def october(national):
    return nowcast_by_direction(national.loc[:"2010-10"], "2010-11-20", seed=7, **FAST)


def test_by_direction_is_nowcast_year_per_column(national, october):
    assert isinstance(october, Outlook) and october.total == "total"
    assert list(october) == ["export", "import", "total"]
    assert october.partial_month()["share_done"].isna().all()  # November unknown
    cut = national.loc[:"2010-10"]
    exp = nowcast_year(cut["export"], "2010-11-20", seed=7, **FAST)
    pd.testing.assert_frame_equal(october["export"].table, exp.table)
    # the total is the directions summed path by path: coherent means
    direct = cq.forecast.sum_nowcasts({"export": exp, "import": october["import"]})
    pd.testing.assert_frame_equal(october["total"].table, direct.table)
    np.testing.assert_allclose(october["total"].table["mean"],
                               october["export"].table["mean"] + october["import"].table["mean"])
    alone = nowcast_by_direction(cut, "2010-11-20", seed=7, add_total=False, **FAST)
    assert list(alone) == ["export", "import"] and alone.total is None
    pd.testing.assert_frame_equal(alone["export"].table, october["export"].table)


def test_by_direction_rejects_other_frames():
    with pytest.raises(ParameterError, match="declarations"):
        nowcast_by_direction(pd.DataFrame({"x": [1.0]}), "2010-11-20")
    with pytest.raises(ParameterError, match="DataFrame"):
        nowcast_by_direction(pd.Series([1.0]), "2010-11-20")


def test_outlook_converts_units_and_keeps_growth(october):
    tab = october.outlook()
    assert tab.index.names == ["direction", "year"]
    assert tab.index.tolist() == [(d, y) for d in ("export", "import", "total") for y in (2010, 2011)]
    raw = october["import"].table
    assert tab.loc[("import", 2011), "upper_95"] == pytest.approx(raw["upper_95"].iloc[1] / 1e8)
    assert tab.loc[("import", 2010), "observed"] == pytest.approx(raw["observed"].iloc[0] / 1e8)
    assert tab.loc[("export", 2010), "growth_pct"] == pytest.approx(october["export"].table["growth_pct"].iloc[0])
    usd = october.outlook(unit="USD")
    assert usd.loc[("total", 2010), "mean"] == pytest.approx(tab.loc[("total", 2010), "mean"] * 1e8)
    pd.testing.assert_frame_equal(october.to_frame(), usd)


def test_outlook_rejects_what_is_not_a_mapping_of_nowcasts(october):
    with pytest.raises(ParameterError, match="mapping"):
        Outlook([october["export"]])
    with pytest.raises(ParameterError, match="not NowcastResult"):
        Outlook({"export": october["export"].table})
    with pytest.raises(ParameterError, match="total"):
        Outlook({"export": october["export"]}, total="total")


def _tiny_declarations() -> pd.DataFrame:
    """Two declarations a month per direction: 30 % of the month on day 5, 70 % on day 25."""
    rows = []
    for i, month in enumerate(pd.period_range("2004-01", "2010-11", freq="M")):
        for direction, scale in (("export", 1.0), ("import", 2.0)):
            size = 100.0 * scale * (1 + 0.005 * i)
            start = month.to_timestamp()
            rows.append((start + pd.Timedelta(days=4), direction, 0.3 * size))
            rows.append((start + pd.Timedelta(days=24), direction, 0.7 * size))
    return pd.DataFrame(rows, columns=["date", "direction", "value_usd"])


def test_declarations_are_summed_by_day_and_the_partial_month_completed():
    """Hand-computed on a tiny file: year to date, the month's part, the usual share."""
    decl = _tiny_declarations()
    as_of = "2010-11-20"  # day 5 of November is known, day 25 is not
    res = nowcast_by_direction(decl.loc[decl["date"] <= as_of], as_of, seed=5, n_paths=200,
                               candidates=["snaive_log"], select=False, history_years=6)
    assert list(res) == ["export", "import", "total"]
    # month i of the file (0 = 2004-01) holds 100 * scale * (1 + 0.005 i); 2010-01 is i = 72
    i = np.arange(72, 82)
    for direction, scale in (("export", 1.0), ("import", 2.0)):
        jan_oct = (100.0 * scale * (1 + 0.005 * i)).sum()
        nov_part = 0.3 * 100.0 * scale * (1 + 0.005 * 82)
        assert res[direction].history.loc["2010-10"] == pytest.approx(100.0 * scale * (1 + 0.005 * 81))
        assert res.outlook(unit="USD").loc[(direction, 2010), "observed"] == pytest.approx(jan_oct + nov_part)
        part = res.partial_month(unit="USD").loc[direction]
        assert part["month"] == "2010-11"
        assert part["observed"] == pytest.approx(nov_part)
        # every earlier November had 30 % done by the 20th
        assert part["share_done"] == pytest.approx(0.3)
        assert part["month_lower_95"] > part["observed"]
    tab = res.outlook(unit="USD")
    assert tab.loc[("total", 2010), "observed"] == pytest.approx(
        tab.loc[("export", 2010), "observed"] + tab.loc[("import", 2010), "observed"])
    # one direction only: no total, no series of zeros
    only = nowcast_by_direction(decl.loc[(decl["date"] <= as_of) & (decl["direction"] == "export")], as_of,
                                seed=5, n_paths=200, candidates=["snaive_log"], select=False, history_years=6)
    assert list(only) == ["export"] and only.total is None


def test_model_frame_and_festival_effects_stack_the_directions(october):
    models = october.model_frame()
    assert models.index.names == ["series", "candidate"]
    assert models.index.get_level_values("series").unique().tolist() == ["export", "import"]  # no total
    for d in ("export", "import"):
        pd.testing.assert_frame_equal(models.loc[d], october[d].monthly_forecast.model_frame())
        assert models.loc[d, "weight"].sum() == pytest.approx(1.0)
    eff = october.festival_effects([2010, 2011], label="China")
    assert eff.index.names == ["series", "year"]
    assert eff.index.tolist() == [(f"China {d}", y) for d in ("export", "import") for y in (2010, 2011)]
    pd.testing.assert_frame_equal(eff.loc["China import"],
                                  october["import"].monthly_forecast.festival_effects([2010, 2011]))


def test_outlook_summary_names_its_tables(october):
    s = october.summary()
    assert [caption for caption, _ in s.tables] == ["full year Y and next year Y+1, 亿美元"]
    assert s.title == "Outlook by direction as of 2010-11-20"
    assert any(note.startswith("export: ") for note in s.notes)
    assert october._repr_html_() == s.as_html()
    assert repr(october) == "Outlook(as_of=2010-11-20, directions=[export, import, total], total=total)"


def test_outturn_check_computes_the_actual(october, national):
    check = october.outturn_check(national)
    a2011 = national.loc["2011"].sum()
    assert check.loc["export", "actual"] == pytest.approx(a2011["export"] / 1e8)
    assert check.loc["total", "actual"] == pytest.approx(a2011.sum() / 1e8)
    inside = (check["actual"] >= check["lower_95"]) & (check["actual"] <= check["upper_95"])
    assert check["inside_95"].tolist() == inside.tolist()
    assert check.loc["import", "error_pct"] == pytest.approx(
        (check.loc["import", "forecast"] / check.loc["import", "actual"] - 1) * 100)
    with pytest.raises(ParameterError, match="12"):
        october.outturn_check(national.loc[:"2011-06"])
    with pytest.raises(ParameterError, match="covers"):
        october.outturn_check(national, year=2012)
    with pytest.raises(ParameterError, match="columns"):
        october.outturn_check(national[["export"]].rename(columns={"export": "x"}))


def test_the_totals_share_done_weighs_the_parts_shares():
    """Exports 30 % done and imports 60 % done: the total's share is neither (it was the exports')."""
    idx = pd.period_range("2004-01", "2010-11", freq="M")
    ex = pd.Series(100.0 + np.arange(len(idx)), index=idx)
    im = pd.Series(300.0 + np.arange(len(idx)), index=idx)
    opts = {"seed": 3, "n_paths": 200, "candidates": ["snaive_log"], "select": False}
    a = nowcast_year(ex, "2010-11-20", partial_share=0.3, **opts)
    b = nowcast_year(im, "2010-11-20", partial_share=0.6, **opts)
    tot = cq.forecast.sum_nowcasts({"export": a, "import": b})
    obs_a, obs_b = ex.loc["2010-11"], im.loc["2010-11"]
    expected = (obs_a + obs_b) / (obs_a / 0.3 + obs_b / 0.6)
    assert tot.partial_share == pytest.approx(expected)
    assert 0.3 < tot.partial_share < 0.6
    # equal shares give that share; no partial month gives None
    c = nowcast_year(im, "2010-11-20", partial_share=0.3, **opts)
    assert cq.forecast.sum_nowcasts([a, c]).partial_share == pytest.approx(0.3)
    d = nowcast_year(ex.loc[:"2010-10"], "2010-10-31", **opts)
    assert cq.forecast.sum_nowcasts([d, d]).partial_share is None
