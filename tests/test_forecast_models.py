"""The monthly members added to the default method: automatic ARIMA, AR on changes, CES."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ciqanalysis.forecast.models import CANDIDATES, run
from ciqanalysis.forecast.models.arima import arima_auto, kpss_differences
from ciqanalysis.forecast.models.ces import _model_class, _psi, ces


def _seasonal(n: int, seed: int) -> np.ndarray:
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 100.0 * np.exp(0.004 * t + 0.1 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.03, n))


def test_kpss_differences_stationary_trending_and_integrated_twice():
    rng = np.random.default_rng(7)
    noise = rng.normal(size=200)
    assert kpss_differences(noise, 2) == 0
    assert kpss_differences(np.cumsum(noise), 2) == 1
    assert kpss_differences(np.cumsum(np.cumsum(noise)), 2) == 2
    assert kpss_differences(np.cumsum(np.cumsum(noise)), 1) == 1  # capped


@pytest.mark.parametrize("name", ["arima_auto_log", "ar", "ar_long", "ces_log"])
def test_paths_agree_with_the_members_own_intervals(name):
    # the nowcast sums simulated months: the paths must have the spread of the
    # member's quantiles, horizon by horizon
    w = _seasonal(120, 2)
    spec = CANDIDATES[name]
    draft, notes = run(name, w, 14, 12)
    assert notes == [] and draft.converged and spec.simulates
    paths = draft.paths(20000, np.random.default_rng(0))
    assert paths.shape == (14, 20000)
    q = draft.quant([0.1, 0.5, 0.9])
    emp = np.quantile(paths, [0.1, 0.5, 0.9], axis=1)
    np.testing.assert_allclose(emp, q, rtol=0.02)
    if name == "ces_log":
        # CES's shocks persist in its level: months of one path move together (a draw
        # of each month on its own would leave them uncorrelated, and annual sums too
        # narrow)
        logs = np.log(paths)
        assert np.corrcoef(logs[5], logs[6])[0, 1] > 0.3


def test_ces_psi_weights_give_the_kalman_filters_forecast_variance():
    # a long series: the diffuse start no longer matters, and the forecast variance
    # of statsmodels' Kalman filter is sigma^2 times the cumulated squared psi weights
    w = 50.0 + np.cumsum(np.random.default_rng(5).normal(0.2, 1.0, 400))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # as ces() does: see its fit
        res = _model_class()(w).fit(method="nm", maxiter=300, disp=False, cov_type="none")
    a0, a1 = res.params[0], 1.0 + 0.01 * res.params[1]
    var = np.asarray(res.get_forecast(10).var_pred_mean, dtype="float64").ravel()
    np.testing.assert_allclose(var, res.scale * np.cumsum(_psi(a0, a1, 10) ** 2), rtol=1e-3)
    d = ces(w, 10, 1, log=False)
    np.testing.assert_allclose(d.mean, np.asarray(res.forecast(10)), rtol=1e-9)


def test_arima_auto_differences_a_random_walk_and_keeps_its_drift():
    rng = np.random.default_rng(11)
    walk = 100.0 + np.cumsum(rng.normal(0.5, 1.0, 150))
    d = arima_auto(walk, 24, 1, log=False)
    slope = np.diff(d.mean).mean()
    assert 0.2 < slope < 0.8  # the drift of 0.5 a period, not a flat line
    sd = np.diff(d.quant([0.5, 0.8413]), axis=0)[0]
    assert sd[-1] > 3 * sd[0]  # errors accumulate as for an integrated series


def test_ar_on_changes_is_a_level_model_for_any_sign():
    # the default method uses it on the values, so it serves series with zeros too
    assert not CANDIDATES["ar"].log and not CANDIDATES["ar"].positive
    y = np.r_[0.0, _seasonal(95, 2)]
    draft, notes = run("ar", y, 6, 12)
    assert notes == [] and np.isfinite(draft.mean).all()
