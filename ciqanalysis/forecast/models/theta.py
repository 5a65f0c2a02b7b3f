"""The Theta method (Theta 法) via statsmodels' ``ThetaModel``."""

from __future__ import annotations

import numpy as np

from .base import Draft, gaussian, rw_paths, working_scale

__all__: list[str] = []


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
    from scipy.signal import lfilter
    from statsmodels.tsa.forecasting.theta import ThetaModel
    from statsmodels.tsa.seasonal import seasonal_decompose

    z = working_scale(w, log)
    seasonal = period > 1
    model = ThetaModel(z, period=max(period, 1), deseasonalize=seasonal, use_test=False,
                       method="additive")
    res = model.fit()
    mu = np.asarray(res.forecast(h), dtype="float64")
    alpha = float(np.clip(res.params["alpha"], 1e-6, 1.0))
    zd = z - seasonal_decompose(z, period=period, model="additive").seasonal if seasonal else z
    # SES level l_t = alpha z_t + (1 - alpha) l_(t-1), started at z_0; one-step errors
    level = lfilter([alpha], [1.0, -(1.0 - alpha)], zd[1:], zi=[(1.0 - alpha) * zd[0]])[0]
    prev = np.concatenate([[zd[0]], level[:-1]])
    errors = zd[1:] - prev
    sigma = float(np.std(errors - errors.mean(), ddof=1)) if len(errors) > 2 else 0.0
    sd = sigma * np.sqrt(1.0 + np.arange(h) * alpha**2)
    psi = np.full(h, alpha)
    psi[0] = 1.0
    return gaussian(mu, sd, log, rw_paths(mu, sigma, psi))
