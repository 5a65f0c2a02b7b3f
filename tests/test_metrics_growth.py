"""Growth rates: 同比, 环比, 累计, 累计同比, CAGR, index numbers, annualising."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import DataQualityWarning, ParameterError
from ciqanalysis.metrics import (
    annualise,
    cagr,
    index_numbers,
    mom_growth,
    share_of_year_done,
    yoy_growth,
    ytd,
    ytd_growth,
)


def _monthly(values, start="2009-01"):
    return pd.Series(np.asarray(values, dtype="float64"),
                     index=pd.period_range(start, periods=len(values), freq="M"))


@pytest.fixture(scope="module")
def national():
    return cq.data.national_trade_monthly()


# --- the real China Customs series, by hand ------------------------------------------

def test_national_2010_annual_growth_by_hand(national):
    """2010: exports 15,784.2 亿美元 (+31.3 %), imports 13,943.8 亿美元 (+38.7 %)."""
    y2009 = national.loc["2009-01":"2009-12"].sum()
    y2010 = national.loc["2010-01":"2010-12"].sum()
    assert y2010["export"] / 1e8 == pytest.approx(15784.2, abs=0.05)
    assert y2010["import"] / 1e8 == pytest.approx(13943.8, abs=0.05)
    by_hand = (y2010 / y2009 - 1) * 100
    annual = national.groupby(national.index.asfreq("Y")).sum()
    growth = yoy_growth(annual).loc["2010"]
    np.testing.assert_allclose(growth.to_numpy(), by_hand.to_numpy(), rtol=1e-12)
    assert round(growth["export"], 1) == 31.3 and round(growth["import"], 1) == 38.7
    # The same figure as GACC's "January to December" cumulative growth (累计同比)
    dec = ytd_growth(national).loc["2010-12"]
    np.testing.assert_allclose(dec.to_numpy(), by_hand.to_numpy(), rtol=1e-12)


def test_national_monthly_yoy_matches_a_hand_computation(national):
    g = yoy_growth(national["export"])
    by_hand = (national.loc["2010-06", "export"] / national.loc["2009-06", "export"] - 1) * 100
    assert g.loc["2010-06"] == pytest.approx(by_hand, rel=1e-12)
    assert np.isnan(g.iloc[:12]).all()  # no base for the first 12 months


# --- yoy -------------------------------------------------------------------------------

def test_yoy_zero_or_missing_base_is_nan_never_inf():
    s = _monthly([0.0] + [1.0] * 11 + [5.0] * 12)
    s = s.drop(pd.Period("2009-03", "M"))
    g = yoy_growth(s)
    assert np.isnan(g.loc["2010-01"]) and np.isnan(g.loc["2010-03"])
    assert g.loc["2010-02"] == pytest.approx(400.0)
    assert not np.isinf(g.to_numpy()).any()


def test_yoy_uses_period_lookup_not_row_shift():
    # 2009-02 is missing: a row shift would compare 2010-01 with 2009-02's neighbour.
    s = pd.Series([10.0, 30.0, 20.0],
                  index=pd.PeriodIndex(["2009-01", "2009-12", "2010-01"], freq="M"))
    assert yoy_growth(s).loc["2010-01"] == pytest.approx(100.0)
    assert yoy_growth(s, pct=False).loc["2010-01"] == pytest.approx(1.0)


def test_yoy_wide_frame_and_quarterly():
    q = pd.DataFrame({"export": [1.0, 2, 3, 4, 2, 2, 6, 8], "import": [1.0] * 8},
                     index=pd.period_range("2009Q1", periods=8, freq="Q"))
    g = yoy_growth(q)
    assert g.loc["2010Q1", "export"] == pytest.approx(100.0)
    assert g.loc["2010Q2", "export"] == pytest.approx(0.0)
    assert (g.loc["2010Q1":, "import"] == 0).all()


def test_yoy_refuses_a_balance_and_bad_indexes():
    bal = _monthly(np.r_[np.ones(12), -np.ones(12)])
    with pytest.raises(ParameterError, match="changes sign"):
        yoy_growth(bal)
    with pytest.raises(ParameterError, match="PeriodIndex"):
        yoy_growth(pd.Series([1.0, 2.0]))
    with pytest.raises(ParameterError):
        yoy_growth(pd.Series([1.0], index=pd.period_range("2010-01-01", periods=1, freq="D")))
    with pytest.raises(ParameterError):
        yoy_growth([1.0, 2.0])


# --- mom -------------------------------------------------------------------------------

def test_mom_plain_and_spring_festival_combined():
    s = _monthly([100.0, 40.0, 160.0, 110.0], start="2009-12")
    plain = mom_growth(s)
    assert plain.loc["2010-01"] == pytest.approx(-60.0)
    sf = mom_growth(s, spring_festival=True)
    assert np.isnan(sf.loc["2010-01"])
    assert sf.loc["2010-02"] == pytest.approx(0.0)     # (40 + 160) / 2 vs 100
    assert sf.loc["2010-03"] == pytest.approx(10.0)    # 110 vs 100
    with pytest.raises(ParameterError):
        mom_growth(pd.Series([1.0, 2.0], index=pd.period_range("2009", periods=2, freq="Y")),
                   spring_festival=True)


def test_mom_spring_festival_on_a_frame():
    f = pd.DataFrame({"a": [100.0, 40.0, 160.0], "b": [1.0, 1.0, 3.0]},
                     index=pd.period_range("2009-12", periods=3, freq="M"))
    sf = mom_growth(f, spring_festival=True)
    assert sf.loc["2010-02", "a"] == pytest.approx(0.0)
    assert sf.loc["2010-02", "b"] == pytest.approx(100.0)
    assert sf.loc["2010-01"].isna().all()


# --- ytd -------------------------------------------------------------------------------

def test_ytd_restarts_each_january():
    s = _monthly(np.arange(1.0, 25.0))
    c = ytd(s)
    assert c.loc["2009-12"] == pytest.approx(sum(range(1, 13)))
    assert c.loc["2010-01"] == 13.0
    assert c.loc["2010-12"] == pytest.approx(s.loc["2010-01":"2010-12"].sum())


def test_missing_month_breaks_ytd_with_a_warning():
    s = _monthly(np.ones(24)).drop(pd.Period("2010-05", "M"))
    with pytest.warns(DataQualityWarning, match="breaks the year-to-date"):
        c = ytd(s)
    assert c.loc["2010-04"] == 4.0
    assert c.loc["2010-05":"2010-12"].isna().all()     # never summed around the hole
    assert c.loc["2009-12"] == 12.0                    # other years unaffected
    s2 = _monthly(np.ones(24))
    s2.loc["2009-03"] = np.nan
    with pytest.warns(DataQualityWarning):
        c2 = ytd(s2)
    assert c2.loc["2009-03":"2009-12"].isna().all() and c2.loc["2010-12"] == 12.0


def test_ytd_growth_compares_sums_not_rates():
    s = _monthly([10.0, 30.0] + [1.0] * 10 + [20.0, 30.0] + [1.0] * 10)
    g = ytd_growth(s)
    assert g.loc["2010-02"] == pytest.approx((50 / 40 - 1) * 100)
    monthly_avg = yoy_growth(s).loc["2010-01":"2010-02"].mean()
    assert g.loc["2010-02"] != pytest.approx(monthly_avg)


def test_ytd_refuses_annual_data():
    with pytest.raises(ParameterError):
        ytd(pd.Series([1.0, 2.0], index=pd.period_range("2009", periods=2, freq="Y")))


# --- cagr, index -----------------------------------------------------------------------

def test_cagr_uses_the_real_span():
    s = pd.Series([100.0, 150.0, 200.0],
                  index=pd.PeriodIndex(["2005", "2006", "2010"], freq="Y"))
    assert cagr(s) == pytest.approx((2 ** (1 / 5) - 1) * 100)
    assert cagr(s, start="2006", end="2010", pct=False) == pytest.approx((200 / 150) ** 0.25 - 1)
    m = _monthly(np.r_[100.0, np.ones(23), 121.0])
    assert cagr(m) == pytest.approx(10.0)          # 24 months = 2 years


def test_cagr_undefined_for_nonpositive_start():
    f = pd.DataFrame({"a": [0.0, 5.0], "b": [1.0, 4.0], "c": [-1.0, 2.0]},
                     index=pd.PeriodIndex(["2008", "2010"], freq="Y"))
    with pytest.warns(DataQualityWarning, match="undefined"):
        r = cagr(f)
    assert np.isnan(r["a"]) and np.isnan(r["c"]) and r["b"] == pytest.approx(100.0)


def test_index_numbers():
    s = _monthly(np.r_[np.full(12, 2.0), np.full(12, 3.0)])
    idx = index_numbers(s, 2009)
    assert (idx.loc["2009-01":"2009-12"] == 100).all() and (idx.loc["2010-01":] == 150).all()
    assert index_numbers(s, "2010-06").loc["2009-01"] == pytest.approx(2 / 3 * 100)
    with pytest.raises(ParameterError):
        index_numbers(s, "2011-01")
    with pytest.raises(ParameterError):
        index_numbers(s * 0, "2009-01")


# --- annualising -----------------------------------------------------------------------

def test_pro_rata_and_leap_years():
    assert share_of_year_done("2010-12-31") == 1.0
    assert share_of_year_done("2012-02-29") == pytest.approx(60 / 366)
    assert annualise(100.0, "2010-07-02") == pytest.approx(100 * 365 / 183)


def test_seasonal_share_from_the_national_series_by_hand(national):
    ref = national["export"]
    share = share_of_year_done("2010-11-20", "seasonal_share", reference=ref,
                               years=[2007, 2008, 2009])
    by_hand = []
    for y in (2007, 2008, 2009):
        yr = ref.loc[f"{y}-01":f"{y}-12"]
        by_hand.append((yr.iloc[:10].sum() + 20 / 30 * yr.iloc[10]) / yr.sum())
    assert share == pytest.approx(np.mean(by_hand), rel=1e-12)
    # China's exports are back-loaded: less of the year is done than the calendar says
    assert share < share_of_year_done("2010-11-20", "pro_rata")
    value = pd.Series({"export": 19.91e8, "import": 26.18e8})
    a = annualise(value, "2010-11-20", "seasonal_share", reference=ref, years=[2007, 2008, 2009])
    np.testing.assert_allclose(a.to_numpy(), value.to_numpy() / share)


def test_annualise_errors(national):
    with pytest.raises(ParameterError, match="method"):
        annualise(1.0, "2010-11-20", method="naive")
    with pytest.raises(ParameterError, match="reference"):
        annualise(1.0, "2010-11-20", method="seasonal_share")
    with pytest.raises(ParameterError, match="complete"):
        share_of_year_done("2010-11-20", "seasonal_share", reference=national["export"],
                           years=[1983])
    with pytest.raises(ParameterError):
        share_of_year_done("yesterday-ish")


def test_series_starting_mid_year_has_no_first_year_ytd_and_no_warning(national):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        c = ytd(national)
    assert c.loc["1983-07":"1983-12"].isna().all().all()
    assert c.loc["1984-12", "export"] == pytest.approx(national.loc["1984-01":"1984-12",
                                                                     "export"].sum())
