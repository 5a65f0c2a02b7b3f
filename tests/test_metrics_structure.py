"""Structure: HHI, top-n share, RCA, Grubel-Lloyd, margins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ciqanalysis.errors import DataQualityWarning, ParameterError
from ciqanalysis.metrics import (
    grubel_lloyd,
    grubel_lloyd_aggregate,
    hhi,
    margin_decomposition,
    rca,
    top_n_share,
    trade_margins,
)


def test_hhi_raw_and_normalised_by_hand():
    x = pd.Series({"a": 60.0, "b": 30.0, "c": 10.0})
    raw = 0.6**2 + 0.3**2 + 0.1**2
    assert hhi(x) == pytest.approx(raw)
    assert hhi(x, normalised=True) == pytest.approx((raw - 1 / 3) / (1 - 1 / 3))
    # equal shares: minimum concentration 1/N, normalised 0
    assert hhi(pd.Series(np.ones(4))) == pytest.approx(0.25)
    assert hhi(pd.Series(np.ones(4)), normalised=True) == pytest.approx(0.0)


def test_hhi_n_equals_one_and_no_trade():
    assert hhi(pd.Series({"ginseng": 5.0})) == 1.0
    assert hhi(pd.Series({"ginseng": 5.0}), normalised=True) == 1.0
    assert hhi(pd.Series({"ginseng": 5.0, "deer": 0.0}), normalised=True) == 1.0
    assert np.isnan(hhi(pd.Series({"a": 0.0, "b": 0.0})))
    f = pd.DataFrame({"a": [1.0, 1.0, 0.0], "b": [0.0, 1.0, 0.0]})
    out = hhi(f, normalised=True)
    assert out.iloc[0] == 1.0 and out.iloc[1] == 0.0 and np.isnan(out.iloc[2])
    with pytest.raises(ParameterError):
        hhi(pd.Series([1.0, -1.0]))


def test_top_n_share():
    f = pd.DataFrame({"a": [5.0, 0.0], "b": [3.0, 0.0], "c": [2.0, 0.0]})
    out = top_n_share(f, n=1)
    assert out.iloc[0] == 50.0 and np.isnan(out.iloc[1])
    assert top_n_share(f.iloc[0], n=10) == 100.0
    with pytest.raises(ParameterError):
        top_n_share(f, n=0)


def test_rca_balassa_and_symmetric():
    jilin = pd.Series({"ginseng": 30.0, "cars": 70.0, "rice": 0.0})
    china = pd.Series({"ginseng": 1.0, "cars": 89.0, "rice": 10.0, "phones": 900.0})
    r = rca(jilin, china)
    assert r["ginseng"] == pytest.approx((30 / 100) / (1 / 1000))
    assert r["rice"] == 0.0
    s = rca(jilin, china, symmetric=True)
    np.testing.assert_allclose(s, (r - 1) / (r + 1))
    assert ((s >= -1) & (s <= 1)).all()
    # a frame of regions x products
    f = pd.DataFrame([jilin, jilin * 2], index=["2009", "2010"])
    np.testing.assert_allclose(rca(f, china).iloc[1], r)


def test_rca_zero_totals_and_missing_products():
    china = pd.Series({"a": 0.0, "b": 5.0})
    r = rca(pd.Series({"a": 1.0, "b": 1.0}), china)
    assert np.isnan(r["a"]) and r["b"] == pytest.approx(0.5)
    assert rca(pd.Series({"a": 0.0, "b": 0.0}), china).isna().all()
    with pytest.raises(ParameterError, match="missing from the reference"):
        rca(pd.Series({"z": 1.0}), china)


def test_grubel_lloyd_drops_and_reports_zero_zero():
    x = pd.Series({"03": 10.0, "44": 0.0, "87": 5.0, "12": 4.0})
    m = pd.Series({"03": 10.0, "44": 0.0, "87": 15.0})  # "12" has no imports
    with pytest.warns(DataQualityWarning, match="X = M = 0"):
        gl = grubel_lloyd(x, m)
    assert gl.attrs["dropped"] == ["44"]
    assert gl.to_dict() == {"03": 1.0, "87": 0.5, "12": 0.0}
    with pytest.warns(DataQualityWarning):
        agg = grubel_lloyd_aggregate(x, m)
    w = pd.Series({"03": 20.0, "87": 20.0, "12": 4.0})
    assert agg == pytest.approx((gl * w).sum() / w.sum())
    assert agg == pytest.approx(1 - (0 + 10 + 4) / 44)


def test_grubel_lloyd_rises_with_aggregation():
    x = pd.Series({"a": 10.0, "b": 0.0})
    m = pd.Series({"a": 0.0, "b": 10.0})
    assert grubel_lloyd_aggregate(x, m) == 0.0
    assert grubel_lloyd_aggregate(pd.Series({"ab": x.sum()}), pd.Series({"ab": m.sum()})) == 1.0


def test_margins():
    f = pd.DataFrame({"a": [1.0, 0.0, 0.0], "b": [3.0, 6.0, np.nan]},
                     index=pd.period_range("2008", periods=3, freq="Y"))
    m = trade_margins(f)
    assert m["n_active"].tolist() == [2, 1, 0]
    assert m["value_per_active"].iloc[0] == 2.0 and np.isnan(m["value_per_active"].iloc[2])
    d = margin_decomposition(pd.Series({"a": 5.0, "c": 2.0}), pd.Series({"a": 4.0, "b": 3.0}))
    assert d["intensive"] == 1.0 and d["new"] == 2.0 and d["lost"] == -3.0
    assert d["total"] == pytest.approx(7.0 - 7.0)
