"""Panels from declarations and year-to-date cuts (ciqanalysis.panel)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ciqanalysis.errors import AsOfDateError, ParameterError, SchemaError
from ciqanalysis.panel import panel, to_wide, ytd_cut


def _decl(n: int = 400, seed: int = 1, start="2009-01-01", end="2010-12-31") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, end, freq="D")
    return pd.DataFrame({
        "decl_id": [f"D{i:05d}" for i in range(n)],
        "date": days[rng.integers(0, len(days), n)],
        "direction": rng.choice(["export", "import"], n),
        "product_group": rng.choice(["ginseng", "deer", "peanuts"], n),
        "county_code": rng.choice(["220102", "220621", "222401"], n),
        "value_usd": rng.gamma(2.0, 1e5, n).round(2),
    })


def test_monthly_panel_matches_a_plain_groupby():
    decl = _decl()
    p = panel(decl, "M", by=["direction", "product_group"])
    expected = decl.groupby(["direction", "product_group",
                             decl["date"].dt.to_period("M").rename("period")])["value_usd"].agg(["sum", "size"])
    got = p.set_index(["direction", "product_group", "period"])
    joined = got.join(expected, how="left")
    traded = joined["status"] == "trade"
    np.testing.assert_allclose(joined.loc[traded, "value_usd"], joined.loc[traded, "sum"])
    assert (joined.loc[traded, "n_consignments"] == joined.loc[traded, "size"]).all()
    assert p["value_usd"].sum() == pytest.approx(decl["value_usd"].sum())
    assert int(p["n_consignments"].sum()) == len(decl)
    # every key combination has every month of the span: 2 x 3 x 24
    assert len(p) == 2 * 3 * 24
    assert isinstance(p["period"].dtype, pd.PeriodDtype)


def test_empty_months_are_explicit_zero_rows_and_outside_data_is_nan():
    decl = pd.DataFrame({
        "date": pd.to_datetime(["2010-01-10", "2010-04-03"]),
        "direction": ["export", "export"],
        "value_usd": [5.0, 7.0],
    })
    p = panel(decl, "M", by="direction", start="2009-12", end="2010-05")
    status = dict(zip(p["period"].astype(str), p["status"].astype(str), strict=True))
    assert status == {"2009-12": "outside_data", "2010-01": "trade", "2010-02": "no_trade",
                      "2010-03": "no_trade", "2010-04": "trade", "2010-05": "outside_data"}
    no_trade = p[p["status"] == "no_trade"]
    assert (no_trade["value_usd"] == 0).all() and (no_trade["n_consignments"] == 0).all()
    outside = p[p["status"] == "outside_data"]
    assert outside["value_usd"].isna().all() and outside["n_consignments"].isna().all()
    # January and April are only partly inside the data span 2010-01-10..2010-04-03
    assert not p.loc[p["period"] == pd.Period("2010-01", "M"), "complete"].item()
    assert p.loc[p["period"] == pd.Period("2010-02", "M"), "complete"].item()
    wide = to_wide(p)
    assert np.isnan(wide.loc["2009-12", "export"]) and wide.loc["2010-02", "export"] == 0.0


def test_quarterly_and_annual_panels_add_up_to_monthly():
    decl = _decl()
    m = to_wide(panel(decl, "M", by="direction"))
    q = to_wide(panel(decl, "Q", by="direction"))
    y = to_wide(panel(decl, "Y", by="direction"))
    assert q.index.freqstr.startswith("Q") and y.index.freqstr.startswith("Y")
    np.testing.assert_allclose(m.groupby(m.index.asfreq("Q")).sum().to_numpy(), q.to_numpy())
    np.testing.assert_allclose(m.groupby(m.index.year).sum().to_numpy(), y.to_numpy())


def test_total_panel_without_keys():
    decl = _decl()
    p = panel(decl, "Y", by=None)
    assert list(p.columns[:1]) == ["period"] and len(p) == 2
    assert p["value_usd"].sum() == pytest.approx(decl["value_usd"].sum())


def test_prefecture_from_code_prefix_and_from_county_table():
    decl = _decl()
    by_prefix = panel(decl, "Y", by="prefecture")
    assert set(by_prefix["prefecture"]) == {"220100", "220600", "222400"}
    counties = pd.DataFrame({"code_2010": ["220102", "220621", "222401"],
                             "prefecture_code": ["220100", "220600", "229900"]})
    by_table = panel(decl, "Y", by="prefecture", counties=counties)
    assert set(by_table["prefecture"]) == {"220100", "220600", "229900"}
    yb = decl[decl["county_code"] == "222401"]["value_usd"].sum()
    assert by_table.loc[by_table["prefecture"] == "229900", "value_usd"].sum() == pytest.approx(yb)


def test_real_county_table_prefectures_agree_with_the_code_prefix():
    import ciqanalysis as cq

    counties = cq.data.load("counties")
    decl = pd.DataFrame({"date": pd.Timestamp("2010-01-01"), "value_usd": 1.0,
                         "county_code": counties["code_2010"].astype(str)})
    a = panel(decl, "Y", by="prefecture", counties=counties)
    b = panel(decl, "Y", by="prefecture")
    assert a.sort_values("prefecture")["value_usd"].tolist() == \
        b.sort_values("prefecture")["value_usd"].tolist()
    assert a["n_consignments"].sum() == len(counties)


def test_panel_accepts_categorical_keys():
    decl = _decl()
    cat = decl.assign(direction=decl["direction"].astype("category"),
                      county_code=decl["county_code"].astype("category"))
    a = panel(decl, "M", by=["direction", "prefecture"])
    b = panel(cat, "M", by=["direction", "prefecture"])
    pd.testing.assert_series_equal(a["value_usd"], b["value_usd"])


@pytest.mark.parametrize("bad, err", [
    ({"drop": "value_usd"}, SchemaError),
    ({"nan": "value_usd"}, SchemaError),
    ({"nan": "date"}, SchemaError),
    ({"str_date": True}, SchemaError),
])
def test_bad_declarations_get_clear_errors(bad, err):
    decl = _decl(20)
    if "drop" in bad:
        decl = decl.drop(columns=bad["drop"])
    if "nan" in bad:
        decl.loc[3, bad["nan"]] = None
    if "str_date" in bad:
        decl["date"] = decl["date"].dt.strftime("%Y-%m-%d")
    with pytest.raises(err) as info:
        panel(decl, "M", by="direction")
    assert "expected" in str(info.value) or "missing" in str(info.value)


def test_bad_parameters():
    decl = _decl(20)
    with pytest.raises(ParameterError):
        panel(decl, "W")
    with pytest.raises(SchemaError):
        panel(decl, "M", by="no_such_column")
    with pytest.raises(ParameterError):
        panel(decl.iloc[:0], "M")


# --- year-to-date cut -----------------------------------------------------------------

def test_ytd_cut_windows_and_growth():
    decl = pd.DataFrame({
        "date": pd.to_datetime(["2009-01-01", "2009-11-20", "2009-11-21", "2010-01-01",
                                "2010-11-20", "2010-11-21"]),
        "direction": ["export"] * 6,
        "value_usd": [1.0, 2.0, 100.0, 3.0, 4.0, 100.0],
    })
    cut = ytd_cut(decl, "2010-11-20", by="direction")
    assert cut.loc["export", "current"] == 7.0 and cut.loc["export", "base"] == 3.0
    assert cut.loc["export", "growth_pct"] == pytest.approx((7 / 3 - 1) * 100)
    assert cut.attrs["base_window"] == ("2009-01-01", "2009-11-20")
    total = ytd_cut(decl, "2010-11-20")
    assert list(total.index) == ["total"] and total["current"].item() == 7.0


@pytest.mark.parametrize(
    ("dates", "as_of", "window", "current", "base"),
    [
        # a 29 February as-of date compares with the whole February of the year before
        (["2011-01-01", "2011-02-28", "2012-02-28", "2012-02-29", "2012-03-01"],
         "2012-02-29", ("2011-01-01", "2011-02-28"), 12.0, 3.0),
        # a base in a leap year includes its 29 February
        (["2012-01-01", "2012-02-29", "2012-03-01", "2012-03-02", "2013-03-01"],
         "2013-03-01", ("2012-01-01", "2012-03-01"), 16.0, 7.0),
    ],
    ids=["leap-day-as-of", "leap-year-base"],
)
def test_ytd_cut_leap_years(dates, as_of, window, current, base):
    decl = pd.DataFrame({"date": pd.to_datetime(dates), "value_usd": [1.0, 2.0, 4.0, 8.0, 16.0]})
    cut = ytd_cut(decl, as_of)
    assert cut.attrs["base_window"] == window
    assert cut["current"].item() == current and cut["base"].item() == base


def test_ytd_cut_zero_base_is_nan_not_inf():
    decl = pd.DataFrame({
        "date": pd.to_datetime(["2009-01-02", "2010-03-01", "2010-11-02"]),
        "direction": ["export", "import", "export"],
        "value_usd": [5.0, 4.0, 6.0],
    })
    cut = ytd_cut(decl, "2010-11-20", by="direction")
    assert cut.loc["import", "base"] == 0.0
    assert np.isnan(cut.loc["import", "growth_pct"])
    assert np.isfinite(cut.loc["export", "growth_pct"])


def test_ytd_cut_refuses_data_that_do_not_cover_the_windows():
    decl = _decl(50, start="2009-06-01", end="2010-12-31")
    with pytest.raises(AsOfDateError):
        ytd_cut(decl, "2010-11-20")
    decl = _decl(50, start="2009-01-01", end="2010-06-30")
    with pytest.raises(AsOfDateError):
        ytd_cut(decl, "2010-11-20")
    with pytest.raises(ParameterError):
        ytd_cut(_decl(50), "not a date")


def test_ytd_cut_by_prefecture_adds_up_to_the_total():
    decl = _decl(300)
    by_pref = ytd_cut(decl, "2010-11-20", by="prefecture")
    total = ytd_cut(decl, "2010-11-20")
    assert set(by_pref.index) == {"220100", "220600", "222400"}
    np.testing.assert_allclose(by_pref[["current", "base"]].sum().to_numpy(),
                               total[["current", "base"]].iloc[0].to_numpy())
    both = ytd_cut(decl, "2010-11-20", by=["direction", "prefecture"])
    assert both.index.nlevels == 2 and len(both) == 6
