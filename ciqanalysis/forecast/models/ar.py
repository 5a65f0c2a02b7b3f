"""Autoregression on monthly changes (差分自回归) via statsmodels' ``AutoReg``.

The change from one period to the next is regressed on its own lags, a constant and,
with a season, one dummy per month (or quarter); the number of lags is chosen by AIC
(``ar_select_order``). Estimated by least squares, so the model costs a few
milliseconds. The forecast adds the predicted changes to the last value; its errors
follow the psi weights of the implied ARIMA(p, 1, 0).
"""

from __future__ import annotations

import numpy as np

from .base import Draft, gaussian, rw_paths, working_scale

__all__: list[str] = []


def _autoreg_changes(w: np.ndarray, h: int, period: int, log: bool, max_lag: int) -> Draft:
    from statsmodels.tsa.ar_model import AutoReg, ar_select_order
    from statsmodels.tsa.arima_process import arma2ma

    z = working_scale(w, log)
    changes = np.diff(z)
    seasonal = period > 1
    options = {"trend": "c", "seasonal": seasonal, "period": period if seasonal else None}
    lags = ar_select_order(changes, maxlag=max(0, min(max_lag, len(changes) // 3)), ic="aic",
                           **options).ar_lags or []
    res = AutoReg(changes, lags=lags or 0, **options).fit()
    mu = z[-1] + np.cumsum(np.asarray(res.predict(start=len(changes), end=len(changes) + h - 1),
                                      dtype="float64"))
    phi = np.zeros(max(lags, default=0) + 1)
    phi[0] = 1.0
    if lags:
        phi[np.asarray(lags)] = -np.asarray(res.params, dtype="float64")[-len(lags):]
    psi = arma2ma(np.convolve(phi, [1.0, -1.0]), np.array([1.0]), lags=h)
    sigma = float(np.sqrt(res.sigma2))
    draft = gaussian(mu, sigma * np.sqrt(np.cumsum(psi**2)), log, rw_paths(mu, sigma, psi))
    draft.params = np.asarray(res.params, dtype="float64")
    return draft


def ar_changes(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
               start=None) -> Draft:
    """AR model of the period-to-period changes, up to 13 lags chosen by AIC.

    Examples
    --------
    >>> w = 100.0 + np.cumsum(np.random.default_rng(2).normal(1.0, 0.5, 48))
    >>> d = ar_changes(w, 3, 1, log=False)
    >>> bool(np.all(np.diff(d.mean) > 0)), d.paths(5, np.random.default_rng(0)).shape
    (True, (3, 5))
    """
    return _autoreg_changes(w, h, period, log, 13)


def ar_changes_long(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                    start=None) -> Draft:
    """As :func:`ar_changes`, with up to 25 lags (two years of months and one).

    Examples
    --------
    >>> w = 100.0 + np.cumsum(np.random.default_rng(2).normal(1.0, 0.5, 90))
    >>> ar_changes_long(w, 2, 12, log=False).mean.shape
    (2,)
    """
    return _autoreg_changes(w, h, period, log, 25)
