"""The airline model (航空模型), SARIMA(0,1,1)(0,1,1)s, via statsmodels' ``SARIMAX``."""

from __future__ import annotations

import numpy as np

from .base import Draft, converged, gaussian, rw_paths, working_scale

__all__: list[str] = []


def _integrate(mu_w: np.ndarray, z: np.ndarray, ar_full: np.ndarray) -> np.ndarray:
    """Undo differencing: z_t = w_t - sum_k ar_full[k] z_(t-k), over the horizon."""
    order = len(ar_full) - 1
    ext = np.concatenate([z[-order:], np.zeros(len(mu_w))])
    lags = -ar_full[1:]
    for i in range(len(mu_w)):  # loop over horizons (a few dozen), not data rows
        t = order + i
        ext[t] = mu_w[i] + np.dot(lags, ext[t - 1::-1][:order])
    return ext[order:]


def _polynomials(pars: np.ndarray, period: int, seasonal: bool) -> tuple[np.ndarray, np.ndarray]:
    """Return the full AR (differencing) and MA polynomials of the airline model."""
    theta1 = pars[-2] if seasonal else pars[-1]
    ma = np.array([1.0, theta1])
    ar_full = np.array([1.0, -1.0])
    if seasonal:
        sma = np.zeros(period + 1)
        sma[0], sma[-1] = 1.0, pars[-1]
        ma = np.convolve(ma, sma)
        sdiff = np.zeros(period + 1)
        sdiff[0], sdiff[-1] = 1.0, -1.0
        ar_full = np.convolve(ar_full, sdiff)
    return ar_full, ma


def sarima(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
           start=None) -> Draft:
    """Airline model SARIMA(0,1,1)(0,1,1)s (ARIMA(0,1,1) with drift when s = 1).

    Estimated by ``SARIMAX`` on the differenced series (``simple_differencing``,
    concentrated scale, exact diffuse initial state: several times faster on monthly
    data than the stationary initialisation, which solves a Lyapunov equation for the
    13 states at every likelihood evaluation); the forecast is integrated back and
    its errors follow the model's psi weights.

    Examples
    --------
    >>> w = np.linspace(10.0, 21.0, 12) + np.random.default_rng(1).normal(0, 0.5, 12)
    >>> sarima(w, 2, 1, log=False).mean.round(2).tolist()
    [22.23, 23.26]
    """
    from statsmodels.tsa.arima_process import arma2ma
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = working_scale(w, log)
    seasonal = period > 1
    if seasonal:
        model = SARIMAX(z, order=(0, 1, 1), seasonal_order=(0, 1, 1, period),
                        simple_differencing=True, concentrate_scale=True, initialization="diffuse")
    else:
        model = SARIMAX(z, order=(0, 1, 1), trend="c", simple_differencing=True,
                        concentrate_scale=True, initialization="diffuse")
    if params is None:
        res = model.fit(disp=False, cov_type="none", start_params=start)
    else:
        res = model.filter(params, cov_type="none")
    mu_w = np.asarray(res.forecast(h), dtype="float64")
    pars = np.asarray(res.params, dtype="float64")
    ar_full, ma = _polynomials(pars, period, seasonal)
    mu = _integrate(mu_w, z, ar_full)
    psi = arma2ma(ar_full, ma, lags=h)
    sigma = float(np.sqrt(res.scale))
    sd = sigma * np.sqrt(np.cumsum(psi**2))
    d = gaussian(mu, sd, log, rw_paths(mu, sigma, psi))
    d.converged = converged(res)
    d.params = pars
    return d
