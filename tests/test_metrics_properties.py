"""Property-based checks (hypothesis) of the identities the metrics must obey."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ciqanalysis.metrics import (
    cagr,
    contribution_pp,
    hhi,
    mom_growth,
    share,
    yoy_growth,
    ytd,
    ytd_growth,
)
from ciqanalysis.panel import panel, to_wide, ytd_cut

FAST = settings(max_examples=40, deadline=None)
SLOWER = settings(max_examples=20, deadline=None)
positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)
scale = st.floats(min_value=1e-4, max_value=1e4)


def _frame(values: np.ndarray, start="2008-01") -> pd.DataFrame:
    return pd.DataFrame(values, index=pd.period_range(start, periods=values.shape[0], freq="M"),
                        columns=[f"c{i}" for i in range(values.shape[1])])


@FAST
@given(arrays("float64", st.tuples(st.integers(13, 36), st.integers(1, 5)), elements=positive))
def test_contributions_add_up_to_total_growth(values):
    wide = _frame(values)
    pp = contribution_pp(wide).iloc[12:]
    total = yoy_growth(wide.sum(axis=1)).iloc[12:]
    np.testing.assert_allclose(pp.sum(axis=1), total, rtol=1e-9, atol=1e-9)


@FAST
@given(arrays("float64", st.integers(1, 6), elements=positive),
       arrays("float64", st.integers(1, 6), elements=positive))
def test_contributions_add_up_series_form(cur, base):
    n = min(len(cur), len(base))
    c, b = pd.Series(cur[:n]), pd.Series(base[:n])
    np.testing.assert_allclose(contribution_pp(c, b).sum(), (c.sum() / b.sum() - 1) * 100,
                               rtol=1e-9, atol=1e-9)


@FAST
@given(arrays("float64", st.tuples(st.integers(1, 3).map(lambda y: 12 * y), st.integers(1, 3)),
              elements=st.floats(0, 1e9)))
def test_ytd_at_december_equals_the_annual_total(values):
    wide = _frame(values)
    dec = ytd(wide)
    dec = dec[dec.index.month == 12]
    annual = wide.groupby(wide.index.year).sum()
    np.testing.assert_allclose(dec.to_numpy(), annual.to_numpy(), rtol=1e-12)


@FAST
@given(positive, st.integers(25, 48))
def test_growth_of_a_constant_series_is_zero(c, n):
    s = pd.Series(c, index=pd.period_range("2005-01", periods=n, freq="M"))
    assert (yoy_growth(s).iloc[12:] == 0).all()
    assert (mom_growth(s).iloc[1:] == 0).all()
    assert np.allclose(ytd_growth(s).iloc[12:], 0.0, atol=1e-10)
    assert abs(cagr(s)) < 1e-10


@FAST
@given(arrays("float64", st.tuples(st.integers(13, 30), st.integers(1, 4)), elements=positive),
       scale)
def test_rate_metrics_are_invariant_to_rescaling(values, k):
    wide = _frame(values)
    for f in (yoy_growth, mom_growth, contribution_pp, share):
        np.testing.assert_allclose(f(wide * k), f(wide), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(hhi(wide * k), hhi(wide), rtol=1e-9)


@st.composite
def declarations(draw):
    n = draw(st.integers(5, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    days = pd.date_range("2009-01-01", "2010-12-31", freq="D")
    dates = days[rng.integers(0, len(days), n)]
    dates = dates.append(pd.DatetimeIndex(["2009-01-01", "2010-11-30"]))  # cover the windows
    m = len(dates)
    return pd.DataFrame({
        "date": dates,
        "direction": rng.choice(["export", "import"], m),
        "county_code": rng.choice(["220102", "220621", "222401"], m),
        "value_usd": rng.uniform(1.0, 1e6, m).round(2),
    }), seed


@SLOWER
@given(declarations(), scale)
def test_panels_are_invariant_to_row_order_and_scale_with_values(data, k):
    decl, seed = data
    shuffled = decl.sample(frac=1.0, random_state=seed % 2**32).reset_index(drop=True)
    a = panel(decl, "M", by=["direction", "county_code"])
    b = panel(shuffled, "M", by=["direction", "county_code"])
    pd.testing.assert_frame_equal(a.drop(columns="value_usd"), b.drop(columns="value_usd"))
    np.testing.assert_allclose(a["value_usd"], b["value_usd"], rtol=1e-12)
    c = panel(decl.assign(value_usd=decl["value_usd"] * k), "M", by=["direction", "county_code"])
    np.testing.assert_allclose(c["value_usd"], a["value_usd"] * k, rtol=1e-9)
    # growth from the cut does not change with the order or the scale of the values
    g1 = ytd_cut(decl, "2010-11-20", by="direction")["growth_pct"]
    g2 = ytd_cut(shuffled.assign(value_usd=shuffled["value_usd"] * k), "2010-11-20",
                 by="direction")["growth_pct"]
    np.testing.assert_allclose(g1.to_numpy(), g2.reindex(g1.index).to_numpy(), rtol=1e-9)
    # the monthly panel and the annual panel hold the same total
    y = to_wide(panel(decl, "Y", by="direction"))
    np.testing.assert_allclose(to_wide(a).sum().to_numpy(), y.sum().to_numpy(), rtol=1e-9)
