"""Coherent forecasts: MinT-shrink reconciliation and path-by-path totals."""

import warnings

import numpy as np
import pandas as pd
import pytest
from seasonal import seasonal_path

from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import forecast_many, nowcast_by_direction
from ciqanalysis.forecast.reconcile import mint_reconcile, shrink_covariance, summing_matrix


def test_mint_matches_the_constrained_least_squares_solution():
    # total = a + b, diagonal W: the incoherence d is shared in proportion to the variances
    # (the Lagrangian solution of min sum (y~ - y^)^2 / w subject to coherence)
    S = np.array([[1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    w = np.array([4.0, 1.0, 3.0])
    base = np.array([[10.0, 3.0, 5.0], [20.0, 9.0, 12.0]])
    got = mint_reconcile(base, S, np.diag(w))
    d = base[:, 0] - base[:, 1] - base[:, 2]
    want = np.column_stack([base[:, 0] - d * w[0] / w.sum(), base[:, 1] + d * w[1] / w.sum(),
                            base[:, 2] + d * w[2] / w.sum()])
    np.testing.assert_allclose(got, want, rtol=1e-9)
    np.testing.assert_allclose(got[:, 0], got[:, 1] + got[:, 2], rtol=1e-12)


def test_mint_leaves_coherent_forecasts_alone():
    S, _ = summing_matrix([("x", "a"), ("x", "b"), ("y", "c")], [[], ["p"]], ["p", "c"])
    bottom = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    base = bottom @ S.T
    W, _ = shrink_covariance(np.random.default_rng(1).normal(size=(40, S.shape[0])))
    np.testing.assert_allclose(mint_reconcile(base, S, W), base, rtol=1e-9)


def test_shrinkage_intensity_by_its_definition():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(30, 3)) @ np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 0.3], [0.0, 0.0, 1.0]])
    W, lam = shrink_covariance(x)
    n = len(x)
    cov = x.T @ x / n
    sd = np.sqrt(np.diag(cov))
    xs = x / sd
    num = den = 0.0
    for i in range(3):
        for j in range(3):
            if i != j:
                w = xs[:, i] * xs[:, j]
                num += np.sum((w - w.mean()) ** 2) / (n * (n - 1))  # variance of the mean
                den += (w.mean()) ** 2
    assert lam == pytest.approx(min(max(num / den, 0), 1), rel=1e-9)
    np.testing.assert_allclose(np.diag(W), np.diag(cov))
    np.testing.assert_allclose(W[0, 1], (1 - lam) * cov[0, 1])


def _county_panel():
    rng = np.random.default_rng(5)
    idx = pd.period_range("2004-01", "2010-10", freq="M")
    n = len(idx)
    rows = []
    for pref, county in (("2201", "220102"), ("2201", "220112"), ("2202", "220203")):
        rows.append(pd.DataFrame({"prefecture": pref, "county": county, "period": idx,
                                  "value_usd": seasonal_path(rng, n, 0.08)}))
    return pd.concat(rows, ignore_index=True)


def test_forecast_many_reconciles_county_prefecture_province():
    panel = _county_panel()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = forecast_many(panel, ["prefecture", "county"], 6, n_jobs=1, progress=False,
                            reconcile="mint_shrink", candidates=["ets_log", "snaive_log"])
    t = out.table.set_index(["prefecture", "county", "period"])["mean"].unstack("period")
    assert len(t) == 1 + 2 + 3  # province, two prefectures, three counties
    np.testing.assert_allclose(t.loc[("*", "*")], t.loc[("2201", "*")] + t.loc[("2202", "*")], rtol=1e-9)
    np.testing.assert_allclose(t.loc[("2201", "*")], t.loc[("2201", "220102")] + t.loc[("2201", "220112")],
                               rtol=1e-9)
    np.testing.assert_allclose(t.loc[("2202", "*")], t.loc[("2202", "220203")], rtol=1e-9)
    assert out.series["flags"].str.contains("reconciled: MinT-shrink").all()
    tab = out.table
    assert (tab["lower_95"] <= tab["mean"]).all() and (tab["mean"] <= tab["upper_95"]).all()


def test_forecast_many_crossed_groups_and_bad_options():
    panel = _county_panel().rename(columns={"prefecture": "group"})
    out = forecast_many(panel, ["group", "county"], 3, n_jobs=1, progress=False, reconcile="mint_shrink",
                        aggregates=[[], ["county"], ["group"]], candidates=["snaive_log"])
    t = out.table.set_index(["group", "county", "period"])["mean"].unstack("period")
    np.testing.assert_allclose(t.loc[("*", "*")], t.loc[("*", "220102")] + t.loc[("*", "220112")]
                               + t.loc[("*", "220203")], rtol=1e-9)
    with pytest.raises(ParameterError, match="reconcile must be"):
        forecast_many(panel, ["group", "county"], 3, n_jobs=1, progress=False, reconcile="mint")
    with pytest.raises(ParameterError, match="unknown key"):
        forecast_many(panel, ["group", "county"], 3, n_jobs=1, progress=False, reconcile="mint_shrink",
                      aggregates=[["nope"]])


def test_directions_add_up_to_the_total():
    idx = pd.period_range("2003-01", "2010-10", freq="M")
    n = len(idx)
    rng = np.random.default_rng(2)
    season = 1 + 0.15 * np.sin(np.arange(n) * np.pi / 6)
    data = pd.DataFrame({"export": 100 * 1.008 ** np.arange(n) * season * np.exp(rng.normal(0, 0.05, n)),
                         "import": 80 * 1.01 ** np.arange(n) * season * np.exp(rng.normal(0, 0.05, n))},
                        index=idx)
    res = nowcast_by_direction(data, "2010-11-20", seed=3, n_paths=300)
    tab = res.outlook(unit="USD")
    for col in ("observed", "mean"):
        np.testing.assert_allclose(tab.loc["total", col], tab.loc["export", col] + tab.loc["import", col],
                                   rtol=1e-10)
    mon = {k: r.monthly["mean"] for k, r in res.items()}
    np.testing.assert_allclose(mon["total"], mon["export"] + mon["import"], rtol=1e-10)
    # the total's interval comes from the summed paths: its quantiles are theirs
    paths = res["total"].annual_paths
    np.testing.assert_allclose(paths, res["export"].annual_paths + res["import"].annual_paths)
    np.testing.assert_allclose(tab.loc["total", "upper_95"], paths.quantile(0.975).to_numpy(), rtol=1e-10)
    assert any(f.startswith("coherent") for f in res["total"].flags)
