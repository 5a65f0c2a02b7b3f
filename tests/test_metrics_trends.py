"""Tests of the growth-trend tables (ciqanalysis.metrics.trends)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import ciqanalysis as cq
from ciqanalysis.errors import AsOfDateError, ParameterError, SchemaError
from ciqanalysis.metrics import trends


def _decl(seed: int = 7, start="2007-01-01", end="2010-11-20", n=4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D")
    d = pd.DataFrame({
        "date": days[rng.integers(0, len(days), n)],
        "direction": rng.choice(["export", "import"], n),
        "product_group": rng.choice(["ginseng", "peanuts", "timber_logs"], n),
        "value_usd": rng.gamma(2.0, 1e5, n),
    })
    # make sure the span is covered from its first to its last day
    d.loc[0, "date"] = pd.Timestamp(start)
    d.loc[1, "date"] = pd.Timestamp(end)
    return d


# --- last_complete_month -------------------------------------------------------------------

@pytest.mark.parametrize("as_of, expected", [
    ("2010-11-20", "2010-10"), ("2010-10-31", "2010-10"), ("2010-12-31", "2010-12"),
    ("2010-01-01", "2009-12"), ("2012-02-28", "2012-01"), ("2012-02-29", "2012-02"),
    ("2010-02-28", "2010-02"),
])
def test_last_complete_month(as_of, expected):
    assert str(cq.last_complete_month(as_of)) == expected


def test_last_complete_month_bad_date():
    with pytest.raises(ParameterError, match="as_of"):
        cq.last_complete_month("not a date")


# --- same_days_by_year ---------------------------------------------------------------------

def test_same_days_by_year_matches_brute_force():
    decl = _decl()
    out = cq.same_days_by_year(decl, "2010-11-20", by="product_group")
    assert list(out.index.year) == [2007, 2008, 2009, 2010]
    assert isinstance(out.index, pd.PeriodIndex)
    for y in out.index.year:  # a handful of years: brute force for the check
        sel = decl[(decl["date"] >= f"{y}-01-01") & (decl["date"] <= f"{y}-11-20")]
        expect = sel.groupby("product_group")["value_usd"].sum()
        assert_allclose(out.loc[str(y)].to_numpy(), expect.reindex(out.columns).to_numpy())


def test_same_days_by_year_agrees_with_ytd_cut():
    decl = _decl(seed=3)
    out = cq.same_days_by_year(decl, "2010-11-20", by="direction")
    cut = cq.panel.ytd_cut(decl, "2010-11-20", by="direction")
    assert_allclose(out.loc["2010"].to_numpy(), cut["current"].reindex(out.columns).to_numpy())
    assert_allclose(out.loc["2009"].to_numpy(), cut["base"].reindex(out.columns).to_numpy())


def test_same_days_by_year_total_and_years():
    decl = _decl(start="2007-03-05")  # 2007 is not covered from 1 January
    out = cq.same_days_by_year(decl, "2010-11-20")
    assert list(out.columns) == ["total"] and list(out.index.year) == [2008, 2009, 2010]
    sub = cq.same_days_by_year(decl, "2010-11-20", years=[2010, 2009])
    assert list(sub.index.year) == [2009, 2010]
    with pytest.raises(AsOfDateError, match="2007"):
        cq.same_days_by_year(decl, "2010-11-20", years=[2007, 2010])


def test_same_days_by_year_feb29_counts_whole_february():
    decl = pd.DataFrame({"date": pd.to_datetime(["2011-01-01", "2011-02-28", "2012-02-29",
                                                 "2012-03-01"]),
                         "value_usd": [1.0, 2.0, 4.0, 8.0]})
    out = cq.same_days_by_year(decl, "2012-02-29")
    assert out["total"].tolist() == [3.0, 4.0]


def test_same_days_by_year_zero_for_absent_key():
    decl = pd.DataFrame({"date": pd.to_datetime(["2009-01-01", "2010-01-02", "2010-05-01"]),
                         "product_group": ["honey", "rice", "rice"],
                         "value_usd": [1.0, 2.0, 4.0]})
    out = cq.same_days_by_year(decl, "2010-05-01", by="product_group")
    assert out.loc["2010", "honey"] == 0.0 and out.loc["2009", "rice"] == 0.0


def test_same_days_by_year_errors():
    decl = _decl()
    with pytest.raises(AsOfDateError, match="before the as-of"):
        cq.same_days_by_year(decl, "2010-12-31")
    with pytest.raises(SchemaError, match="port"):
        cq.same_days_by_year(decl, "2010-11-20", by="port")
    with pytest.raises(SchemaError, match="date"):
        cq.same_days_by_year(decl.assign(date=decl["date"].astype("str")), "2010-11-20")
    with pytest.raises(ParameterError):
        cq.same_days_by_year(decl.assign(value_usd="x"), "2010-11-20")


# --- top_n_other ---------------------------------------------------------------------------

def test_top_n_other_frame_keeps_totals_and_order():
    x = pd.DataFrame({"a": [1.0, 2.0], "b": [10.0, 0.0], "c": [3.0, 3.0], "d": [0.5, 0.5]})
    out = cq.metrics.top_n_other(x, 2)
    assert list(out.columns) == ["b", "c", "other"]
    assert_allclose(out.sum(axis=1), x.sum(axis=1))
    assert out["other"].tolist() == [1.5, 2.5]


def test_top_n_other_series_and_no_rest():
    s = pd.Series({"x": 2.0, "y": 2.0, "z": 1.0}, name="v")
    out = cq.metrics.top_n_other(s, 2)
    assert out.to_dict() == {"x": 2.0, "y": 2.0, "other": 1.0} and out.name == "v"
    assert "other" not in cq.metrics.top_n_other(s, 3).index


def test_top_n_other_errors():
    s = pd.Series({"other": 1.0, "y": 2.0})
    with pytest.raises(ParameterError, match="other"):
        cq.metrics.top_n_other(s, 1)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParameterError, match="positive integer"):
            cq.metrics.top_n_other(pd.Series({"a": 1.0}), bad)
    with pytest.raises(ParameterError):
        cq.metrics.top_n_other([1.0, 2.0], 1)


# --- growth_table --------------------------------------------------------------------------

def _monthly(seed: int = 1, start="2008-01", periods=34) -> pd.Series:
    rng = np.random.default_rng(seed)
    idx = pd.period_range(start, periods=periods, freq="M")
    return pd.Series(rng.uniform(2e8, 5e8, periods), index=idx)


def test_growth_table_matches_the_metrics():
    s = _monthly()
    gt = cq.growth_table(s)
    assert gt.attrs["unit"] == "亿美元"
    assert_allclose(gt["value"], s / 1e8)
    assert_allclose(gt["yoy_pct"], cq.yoy_growth(s), equal_nan=True)
    assert_allclose(gt["mom_pct"], cq.mom_growth(s), equal_nan=True)
    assert_allclose(gt["mom_sf_pct"], cq.mom_growth(s, spring_festival=True), equal_nan=True)
    assert gt.loc[gt.index.month == 1, "mom_sf_pct"].isna().all()
    dec = s.loc["2009-01":"2009-12"].sum()
    assert gt.loc["2009-12", "ytd"] == pytest.approx(dec / 1e8)
    g = s.loc["2009-01":"2009-03"].sum() / s.loc["2008-01":"2008-03"].sum() * 100 - 100
    assert gt.loc["2009-03", "ytd_growth_pct"] == pytest.approx(g)


def test_growth_table_unit_and_errors():
    s = _monthly()
    assert_allclose(cq.growth_table(s, unit="万美元")["value"], s / 1e4)
    with pytest.raises(ParameterError, match="monthly"):
        cq.growth_table(s.resample("Q").sum())
    with pytest.raises(ParameterError, match="Series"):
        cq.growth_table(s.to_frame())


# --- ytd_table -----------------------------------------------------------------------------

def test_ytd_table_identities():
    m = pd.DataFrame({"export": _monthly(2), "import": _monthly(3)})
    t = cq.ytd_table(m, "2010-06")
    assert list(t.index) == ["export", "import", "total"]
    cur = m.loc["2010-01":"2010-06"].sum()
    base = m.loc["2009-01":"2009-06"].sum()
    assert t.loc["total", "growth_pct"] == pytest.approx((cur.sum() / base.sum() - 1) * 100)
    assert t.loc[["export", "import"], "contribution_pp"].sum() == pytest.approx(
        t.loc["total", "growth_pct"])
    assert t.loc["total", "contribution_pp"] == pytest.approx(t.loc["total", "growth_pct"])
    assert t.loc[["export", "import"], "share_pct"].sum() == pytest.approx(100.0)
    assert t.loc["export", "current"] == pytest.approx(cur["export"] / 1e8)
    assert t.attrs["through"] == "2010-06"


def test_ytd_table_refuses_gaps_and_totals():
    m = pd.DataFrame({"export": _monthly(2), "import": _monthly(3)})
    with pytest.raises(ParameterError, match="without gaps"):
        cq.ytd_table(m.drop(pd.Period("2009-03", "M")), "2010-06")
    with pytest.raises(ParameterError, match="without gaps"):
        cq.ytd_table(m, "2008-06")  # no 2007 base
    with pytest.raises(ParameterError, match="total"):
        cq.ytd_table(m.assign(total=m.sum(axis=1)), "2010-06")


# --- change_table --------------------------------------------------------------------------

def test_change_table_reproduces_the_article():
    # published F3-F6: exports 19.91 亿 +22.99 %, imports 26.18 亿 +14.84 %
    cur = pd.Series({"export": 19.91e8, "import": 26.18e8})
    base = cur / (1 + pd.Series({"export": 22.99, "import": 14.84}) / 100)
    t = cq.metrics.change_table(cur, base)
    assert t["contribution_pp"].round(2).tolist() == [9.55, 8.68, 18.22]
    assert t.loc["total", "growth_pct"] == pytest.approx(t.loc["total", "contribution_pp"])
    assert t.loc["total", "current"] == pytest.approx(46.09)
    assert t["growth_pct"].round(2).tolist()[:2] == [22.99, 14.84]


def test_change_table_zero_base_and_errors():
    t = cq.metrics.change_table(pd.Series({"a": 5.0, "b": 5.0}), pd.Series({"a": 0.0, "b": 10.0}),
                        unit="USD")
    assert np.isnan(t.loc["a", "growth_pct"]) and np.isfinite(t["contribution_pp"]).all()
    assert t.loc["a", "contribution_pp"] == pytest.approx(50.0)
    with pytest.raises(ParameterError, match="non-negative"):
        cq.metrics.change_table(pd.Series({"a": -1.0}), pd.Series({"a": 1.0}))
    with pytest.raises(ParameterError, match="total"):
        cq.metrics.change_table(pd.Series({"total": 1.0}), pd.Series({"total": 1.0}))
    with pytest.raises(ParameterError, match="same components"):
        cq.metrics.change_table(pd.Series({"a": 1.0}), pd.Series({"b": 1.0}))


# --- annualise_table -----------------------------------------------------------------------

def test_annualise_table_methods():
    idx = pd.period_range("2005-01", "2009-12", freq="M")
    flat = pd.Series(1.0, index=idx)
    t = cq.metrics.annualise_table(4.609e9, "2010-06-30", {"pro rata": None, "flat ref": flat})
    assert t["method"].tolist() == ["pro_rata", "seasonal_share"]
    assert t.loc["pro rata", "share_done_pct"] == pytest.approx(181 / 365 * 100)
    assert t.loc["flat ref", "share_done_pct"] == pytest.approx(50.0)
    assert t.loc["flat ref", "annualised"] == pytest.approx(92.18)
    assert (t["ytd"] == 46.09).all()


def test_annualise_table_errors():
    with pytest.raises(ParameterError, match="references"):
        cq.metrics.annualise_table(1.0, "2010-11-20", {})
    with pytest.raises(ParameterError, match="value"):
        cq.metrics.annualise_table(float("nan"), "2010-11-20", {"p": None})
    with pytest.raises(ParameterError, match="complete"):
        cq.metrics.annualise_table(1.0, "2010-11-20", {"s": _monthly(periods=24)})


# --- annualise_backtest --------------------------------------------------------------------

def test_annualise_backtest_seasonal_pattern():
    # a stable seasonal pattern (second half twice the first): the seasonal share
    # is exact, pro rata overshoots (the first half looks like half the year)
    pattern = np.r_[np.ones(6), 2 * np.ones(6)]
    idx = pd.period_range("2000-01", "2009-12", freq="M")
    s = pd.Series(np.tile(pattern, 10) * np.repeat(1.1 ** np.arange(10), 12), index=idx)
    bt = cq.metrics.annualise_backtest(s, 6, [2008, 2009], n_reference_years=3)
    assert list(bt.index) == [2008, 2009]
    assert_allclose(bt["seasonal_share_error_pct"], 0.0, atol=1e-9)
    assert (bt["pro_rata_error_pct"] < -30).all()
    assert_allclose(bt["actual"], [s.loc["2008"].sum(), s.loc["2009"].sum()])


def test_annualise_backtest_errors():
    s = _monthly(periods=60)
    with pytest.raises(ParameterError, match="complete"):
        cq.metrics.annualise_backtest(s, 6, [2009], n_reference_years=5)
    with pytest.raises(ParameterError, match="1..12"):
        cq.metrics.annualise_backtest(s, 13, [2011])
    full_year = cq.metrics.annualise_backtest(s, 12, [2012], n_reference_years=4)
    assert_allclose(full_year[["pro_rata_error_pct", "seasonal_share_error_pct"]], 0.0,
                    atol=1e-9)
    with pytest.raises(ParameterError, match="at least one"):
        cq.metrics.annualise_backtest(s, 6, [])


# --- source_label --------------------------------------------------------------------------

def test_source_label_synthetic_real_user():
    syn = pd.DataFrame()
    syn.attrs.update(table="declarations", synthetic=True, source="generator")
    real = cq.data.national_trade_monthly()
    user = pd.DataFrame()
    user.attrs.update(table="declarations", synthetic=False, source="mine.csv")
    assert cq.source_label(syn).startswith(trends.SYNTHETIC_TAG)
    assert cq.source_label(syn, real).startswith("SYNTHETIC")
    assert cq.source_label(real).startswith("real data: ") and "China Customs" in \
        cq.source_label(real)
    assert "own data" in cq.source_label(user)
    assert "own data" in cq.source_label(pd.DataFrame())
    with pytest.raises(ParameterError):
        cq.source_label()
