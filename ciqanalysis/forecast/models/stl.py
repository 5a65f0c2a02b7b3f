"""STL decomposition plus a model of the adjusted series (STL 分解), via ``STLForecast``.

Examples
--------
>>> noise = np.random.default_rng(1).normal(0, 0.3, 36)
>>> y = 10 + np.sin(np.arange(36) * np.pi / 6) + np.arange(36) / 10 + noise
>>> stl_ets(y, 3, 12, log=False).mean.shape, stl_arima(y, 3, 12, log=False).mean.shape
((3,), (3,))
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Draft, converged, gaussian, pi_sd, working_scale

__all__: list[str] = []


def _stl(w, h, period, log, model, kwargs) -> Draft:
    """Fit ``STLForecast`` with ``model(**kwargs)`` on the adjusted series; no sample paths."""
    from statsmodels.tsa.forecasting.stl import STLForecast

    z = working_scale(w, log)
    fit_kwargs = {"disp": False} if model.__name__ == "ETSModel" else {"cov_type": "none"}
    res = STLForecast(pd.Series(z), model, model_kwargs=kwargs, period=period).fit(fit_kwargs=fit_kwargs)
    n = len(z)
    frame = res.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    mu = np.asarray(frame["mean"], dtype="float64")
    sd = pi_sd(frame, "mean_ci_lower", "mean_ci_upper", 0.05)
    d = gaussian(mu, sd, log, None)
    d.converged = converged(res.model_result)
    return d


def stl_ets(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
            start=None) -> Draft:
    """STL decomposition, ETS(A,Ad,N) on the seasonally adjusted series (``STLForecast``)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    return _stl(w, h, period, log, ETSModel,
                {"error": "add", "trend": "add", "damped_trend": True})


def stl_arima(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
              start=None) -> Draft:
    """STL decomposition, ARIMA(1,1,0) with drift on the adjusted series (``STLForecast``)."""
    from statsmodels.tsa.arima.model import ARIMA

    return _stl(w, h, period, log, ARIMA, {"order": (1, 1, 0), "trend": "t"})
