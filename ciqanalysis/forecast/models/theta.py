"""The Theta method (Theta 法) via statsmodels' ``ThetaModel``: classical and optimised."""

from __future__ import annotations

import numpy as np

from .base import Draft, gaussian, rw_paths, working_scale

__all__: list[str] = []


def _fit(z: np.ndarray, period: int):
    """Fit ``ThetaModel`` (additive deseasonalisation when seasonal) on the working scale."""
    from statsmodels.tsa.forecasting.theta import ThetaModel

    return ThetaModel(z, period=max(period, 1), deseasonalize=period > 1, use_test=False,
                      method="additive").fit()


def _ses_errors(z: np.ndarray, period: int, alpha: float) -> tuple[float, np.ndarray]:
    """Return sigma and psi weights of the SES errors of the deseasonalised series."""
    from scipy.signal import lfilter
    from statsmodels.tsa.seasonal import seasonal_decompose

    zd = z - seasonal_decompose(z, period=period, model="additive").seasonal if period > 1 else z
    # SES level l_t = alpha z_t + (1 - alpha) l_(t-1), started at z_0; one-step errors
    level = lfilter([alpha], [1.0, -(1.0 - alpha)], zd[1:], zi=[(1.0 - alpha) * zd[0]])[0]
    prev = np.concatenate([[zd[0]], level[:-1]])
    errors = zd[1:] - prev
    sigma = float(np.std(errors - errors.mean(), ddof=1)) if len(errors) > 2 else 0.0
    return sigma, errors


def _draft(res, z: np.ndarray, h: int, period: int, log: bool, coef: float) -> Draft:
    """Draft of a fitted Theta model with coefficient ``coef`` (2: the classical method)."""
    mu = np.asarray(res.forecast(h, theta=coef), dtype="float64")
    alpha = float(np.clip(res.params["alpha"], 1e-6, 1.0))
    sigma, _ = _ses_errors(z, period, alpha)
    sd = sigma * np.sqrt(1.0 + np.arange(h) * alpha**2)
    psi = np.full(h, alpha)
    psi[0] = 1.0
    return gaussian(mu, sd, log, rw_paths(mu, sigma, psi))


def theta(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
          start=None) -> Draft:
    """Theta method (``ThetaModel``), additive deseasonalisation on the working scale.

    Intervals use the simple exponential smoothing variance the Theta forecast
    rests on, ``sigma**2 * (1 + (h - 1) * alpha**2)``, with ``sigma`` from the
    one-step errors of the deseasonalised series (no second model fit); sample
    paths follow the same ARIMA(0,1,1) error structure (psi weights 1, alpha, ...).

    Examples
    --------
    >>> theta(np.linspace(10.0, 21.0, 12), 2, 1, log=False).mean.shape
    (2,)
    """
    z = working_scale(w, log)
    return _draft(_fit(z, period), z, h, period, log, 2.0)


#: Theta coefficients :func:`theta_optimized` chooses from (1: simple exponential
#: smoothing; 2: the classical Theta method; larger: more of the linear trend).
THETA_GRID: tuple[float, ...] = (1.0, 1.5, 2.0, 3.0, 5.0)


def theta_optimized(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                    start=None) -> Draft:
    """Theta method with its coefficient chosen on the last observations (优化 Theta 法).

    The Theta forecast is simple exponential smoothing plus ``(1 - 1/theta)`` of
    the linear trend (``theta = 2`` is the classical method). The coefficient is
    the one of :data:`THETA_GRID` whose forecast of the last ``k = min(h, n // 4)``
    observations, from a ``ThetaModel`` fitted on the rest, has the smallest mean
    absolute error; the model is then refitted on all the data. In the spirit of
    the optimised Theta method (Fiorucci et al. 2016), with a hold-out choice
    instead of a likelihood. Intervals and paths as :func:`theta`.

    Examples
    --------
    >>> theta_optimized(np.linspace(10.0, 21.0, 12), 2, 1, log=False).params.tolist()
    [5.0]
    """
    z = working_scale(w, log)
    n = len(z)
    k = min(int(h), max(n // 4, 1))
    coef = 2.0
    if n - k >= (2 * period + 2 if period > 1 else 6):
        early = _fit(z[: n - k], period)
        errors = [float(np.mean(np.abs(z[n - k:] - np.asarray(early.forecast(k, theta=c), dtype="float64"))))
                  for c in THETA_GRID]
        coef = THETA_GRID[int(np.argmin(errors))]
    d = _draft(_fit(z, period), z, h, period, log, coef)
    d.params = np.array([coef])
    return d
