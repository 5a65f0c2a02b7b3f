"""Composition: 拉动 (pp), 贡献率, 比重, balance, export/import ratio."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ciqanalysis.errors import DataQualityWarning, ExplosiveContributionWarning, ParameterError
from ciqanalysis.metrics import (
    balance,
    contribution_pp,
    contribution_share,
    export_import_ratio,
    share,
    yoy_growth,
)


def test_contributions_add_up_to_total_growth_series_form():
    cur = pd.Series({"a": 120.0, "b": 70.0, "c": 15.0})
    base = pd.Series({"a": 100.0, "b": 80.0, "c": 10.0})
    pp = contribution_pp(cur, base)
    total_growth = (cur.sum() / base.sum() - 1) * 100
    assert pp.sum() == pytest.approx(total_growth, rel=1e-12)
    assert pp["b"] < 0  # negative contributions are allowed
    # component order in base does not matter
    pd.testing.assert_series_equal(contribution_pp(cur, base.iloc[::-1]), pp)


def test_contributions_year_on_year_on_a_wide_frame():
    wide = pd.DataFrame({"export": np.arange(1.0, 25.0), "import": np.full(24, 10.0)},
                        index=pd.period_range("2009-01", periods=24, freq="M"))
    pp = contribution_pp(wide)
    total = yoy_growth(wide.sum(axis=1))
    np.testing.assert_allclose(pp.sum(axis=1).loc["2010-01":], total.loc["2010-01":])
    assert pp.loc[:"2009-12"].isna().all().all()
    assert (pp.loc["2010-01":, "import"] == 0).all()


def test_contribution_pp_zero_total_base_is_nan():
    pp = contribution_pp(pd.Series({"a": 1.0, "b": 2.0}), pd.Series({"a": 0.0, "b": 0.0}))
    assert pp.isna().all()


def test_contribution_pp_misaligned_components():
    with pytest.raises(ParameterError, match="same components"):
        contribution_pp(pd.Series({"a": 1.0}), pd.Series({"b": 1.0}))
    with pytest.raises(ParameterError):
        contribution_pp(pd.Series({"a": 1.0}))


def test_contribution_share_adds_to_100_and_explodes_safely():
    cur = pd.Series({"export": 120.0, "import": 110.0})
    base = pd.Series({"export": 100.0, "import": 100.0})
    cs = contribution_share(cur, base)
    assert cs.sum() == pytest.approx(100.0)
    flat_cur = pd.Series({"export": 150.0, "import": 50.0001})
    flat_base = pd.Series({"export": 100.0, "import": 100.0})
    with pytest.warns(ExplosiveContributionWarning):
        out = contribution_share(flat_cur, flat_base)
    assert out.isna().all()
    # the same change without the guard would be enormous
    raw = contribution_share(flat_cur, flat_base, rtol=0.0)
    assert raw.abs().max() > 1e6


def test_contribution_share_frame_flags_only_flat_periods():
    wide = pd.DataFrame({"x": [100.0, 100.0, 150.0, 130.0], "m": [100.0, 100.0, 50.0, 100.0]},
                        index=pd.period_range("2008", periods=4, freq="Y"))
    with pytest.warns(ExplosiveContributionWarning):
        cs = contribution_share(wide)
    assert cs.loc["2010"].isna().all()          # 200 vs 200: no change at all
    assert cs.loc["2011"].sum() == pytest.approx(100.0)


def test_share_total_zero_and_negatives():
    f = pd.DataFrame({"a": [1.0, 0.0, 3.0], "b": [3.0, 0.0, -1.0]})
    with pytest.warns(DataQualityWarning):
        s = share(f)
    assert s.iloc[0].tolist() == [25.0, 75.0]
    assert s.iloc[1].isna().all()
    assert s.iloc[2].tolist() == [150.0, -50.0]
    with pytest.raises(ParameterError):
        share(f, negative="raise")
    s_nan = share(f, negative="nan")
    assert s_nan.iloc[2].isna().all() and s_nan.iloc[0].tolist() == [25.0, 75.0]
    assert share(pd.Series({"a": 1.0, "b": 1.0}), pct=False).tolist() == [0.5, 0.5]


def test_balance_and_ratio():
    f = pd.DataFrame({"export": [5.0, 1.0], "import": [2.0, 0.0]})
    assert balance(f).tolist() == [3.0, 1.0]
    r = export_import_ratio(f)
    assert r.iloc[0] == 2.5 and np.isnan(r.iloc[1])
    with pytest.raises(ParameterError):
        balance(f.rename(columns={"import": "imports"}))
