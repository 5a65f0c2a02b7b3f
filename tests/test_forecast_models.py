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


# -- automatic outliers and the outlier-adjusted members -------------------------------------

def _log_seasonal(n: int, seed: int, sd: float = 0.03) -> np.ndarray:
    """Log of a synthetic seasonal series with trend (a random walk plus a season)."""
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 4.6 + 0.008 * t + 0.1 * np.sin(2 * np.pi * t / 12) + np.cumsum(rng.normal(0, sd, n))


@pytest.mark.parametrize(("kind", "at", "size"), [("LS", 70, -0.35), ("AO", 50, 0.3), ("TC", 90, -0.4)])
def test_detect_outliers_finds_a_planted_outlier_of_each_type(kind, at, size):
    from ciqanalysis.forecast.models.outliers import Outlier, detect_outliers

    z = _log_seasonal(120, 3, sd=0.02)
    z = z + Outlier(kind, at, size).pattern(len(z))
    found = detect_outliers(z, 12)
    hit = [o for o in found if o.index == at]
    assert hit and hit[0].kind == kind and hit[0].effect == pytest.approx(size, abs=0.08)


def test_detect_outliers_rarely_flags_a_clean_series():
    from ciqanalysis.forecast.models.outliers import detect_outliers

    flagged = sum(bool(detect_outliers(_log_seasonal(120, seed), 12)) for seed in range(20))
    assert flagged <= 3  # Ljung's critical value: about 1 % per series in theory
    assert detect_outliers(_log_seasonal(30, 1), 12) == []  # under three seasons: no search


def test_ljung_critical_value_grows_with_the_number_of_observations():
    from ciqanalysis.forecast.models.outliers import ljung_critical_value

    values = [ljung_critical_value(n) for n in (24, 48, 107, 240, 600)]
    assert all(a < b for a, b in zip(values, values[1:], strict=False))
    assert 4.3 < ljung_critical_value(107) < 4.4


def test_outlier_adjusted_member_keeps_the_trend_through_a_level_shift():
    from ciqanalysis.forecast.models.outliers import outlier_adjusted

    rng = np.random.default_rng(5)
    t = np.arange(120)
    z = 4.6 + 0.01 * t + 0.1 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.01, 120)
    z[100:] -= 0.4  # a collapse twenty months before the end, never recovered
    w = np.exp(z)
    plain = CANDIDATES["ets_log"].func(w, 12, 12, True)
    adjusted = CANDIDATES["oa_ets_log"].func(w, 12, 12, True)
    truth = np.exp(4.6 + 0.01 * np.arange(120, 132) + 0.1 * np.sin(2 * np.pi * np.arange(120, 132) / 12) - 0.4)
    # the adjusted model sees one trend and one shift; both are close, the adjusted closer
    err_plain = np.mean(np.abs(np.log(plain.quant([0.5])[0] / truth)))
    err_adj = np.mean(np.abs(np.log(adjusted.quant([0.5])[0] / truth)))
    assert err_adj < err_plain and err_adj < 0.05
    # its quantiles and paths carry the shift too
    q = adjusted.quant([0.1, 0.5, 0.9])
    assert np.all(q[0] < q[1]) and np.all(q[1] < q[2])
    paths = adjusted.paths(400, np.random.default_rng(0))
    assert np.median(paths, axis=1) == pytest.approx(q[1], rel=0.05)
    # without outliers the variant is the plain model itself
    clean = np.exp(_log_seasonal(120, 0))
    assert outlier_adjusted(CANDIDATES["ar"].func)(clean, 6, 12, False).mean.tolist() == \
        CANDIDATES["ar"].func(clean, 6, 12, False).mean.tolist()


def test_default_method_with_outlier_adjusted_variants_reuses_the_plain_fits(monkeypatch):
    import pandas as pd

    from ciqanalysis.forecast import engine, forecast

    plain = ["theta_opt_log", "ets_log", "arima_auto_log", "ces_log", "ar", "ar_long"]
    assert engine.default_method(True) == plain + [f"oa_{m}" for m in plain]  # on by default
    monkeypatch.setattr(engine, "DEFAULT_OUTLIER_ADJUSTED", {})
    assert engine.default_method(True) == plain  # switched off
    monkeypatch.setattr(engine, "DEFAULT_OUTLIER_ADJUSTED", {12: True})

    idx = pd.period_range("2001-01", periods=120, freq="M")
    clean = pd.Series(np.exp(_log_seasonal(120, 0)), index=idx)
    res = forecast(clean, 6, festival_effect=False)
    assert len(res.models) == 12
    assert all(res._drafts[f"oa_{m}"] is res._drafts[m] for m in res.models[:6])
    assert not [f for f in res.flags if f.startswith("outliers")]
    shifted = clean.copy()
    shifted.iloc[100:] *= 0.6
    res = forecast(shifted, 6, festival_effect=False)
    pairs = [(m, f"oa_{m}") for m in res.models if f"oa_{m}" in res._drafts]
    assert pairs and all(res._drafts[a] is not res._drafts[m] for m, a in pairs)
    # the user is told which outliers were taken out: the 40 % fall in May 2009 is a level shift
    named = [f for f in res.flags if f.startswith("outliers")]
    assert len(named) == 1 and "LS 2009-05 -" in named[0], named
    assert -45 < float(named[0].split("LS 2009-05 ")[1].split(" %")[0]) < -35
    # non-positive series keep the six plain members
    assert len(forecast(clean - clean.mean(), 6, festival_effect=False).models) == 6


def test_a_detector_that_cannot_fit_leaves_the_members_as_they_are(monkeypatch):
    """The outlier detector runs outside the members' own error handling: if its airline
    model cannot be fitted, the forecast goes on with the variants equal to their members."""
    import pandas as pd

    from ciqanalysis.forecast import forecast
    from ciqanalysis.forecast.models import outliers

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("singular matrix")

    monkeypatch.setattr(outliers, "_airline", broken)
    outliers._found.cache_clear()
    idx = pd.period_range("2001-01", periods=120, freq="M")
    shifted = pd.Series(np.exp(_log_seasonal(120, 0)), index=idx)
    shifted.iloc[100:] *= 0.6
    res = forecast(shifted, 6, festival_effect=False)
    outliers._found.cache_clear()
    plain = [m for m in res.models if not m.startswith("oa_")]
    assert len(plain) >= 4 and res.models == plain + [f"oa_{m}" for m in plain]
    assert all(res._drafts[f"oa_{m}"] is res._drafts[m] for m in plain)
    assert not [f for f in res.flags if f.startswith("outliers")]
