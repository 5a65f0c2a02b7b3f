"""Exponential smoothing (指数平滑) wrappers of statsmodels' ``ETSModel``.

ETS(A,Ad,A) and simple exponential smoothing ETS(A,N,N) on the working scale
(log for positive series) with analytic intervals, and ETS(M,Ad,M) on the raw
scale with intervals by simulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .base import Draft, converged, gaussian, pi_sd, working_scale

__all__: list[str] = []

#: Fixed seed for quantiles that statsmodels can only give by simulation (ETS with
#: multiplicative errors), so that point forecasts and intervals stay deterministic.
_INTERNAL_SEED = 20101120
_INTERNAL_REPS = 400

#: Stopping rule of the ETS fits (L-BFGS-B ``factr``: stop when the likelihood
#: improves by less than factr * 2.2e-16 relative), tighter than scipy's 1e7. The
#: ETS likelihood is flat near its optimum (the damping often sits on its bound), and
#: with the default rule some CPUs' BLAS kernels stopped up to 2e-5 short of it, so
#: the forecasts differed by 1.5e-5 relative between kernels; run on to the optimum
#: they agree to ~3e-7. Same models, same optimum, a few more iterations. (A tighter
#: projected-gradient rule, pgtol, fails in the line search: the gradient is a finite
#: difference.)
_ETS_FACTR = 1e3


def _fit(model, params, start):
    """Smooth with ``params`` when they fit the model, else estimate (from ``start``)."""
    k = len(model.param_names)
    params = params if params is not None and len(params) == k else None
    start = start if start is not None and len(start) == k else None
    if params is not None:
        return model.smooth(params)
    return model.fit(disp=False, factr=_ETS_FACTR, **({} if start is None else {"start_params": start}))


def _simulator(res, h: int):
    """Return ``paths(n, rng)``: ``n`` simulated continuations of a fitted ETS model."""

    def paths(k, rng):
        sim = res.simulate(h, anchor="end", repetitions=k, rng=rng)
        return np.asarray(sim, dtype="float64").reshape(h, k)

    return paths


def _additive(w: np.ndarray, h: int, period: int, log: bool, params, start, damped: bool | None) -> Draft:
    """ETS with additive errors: damped additive trend (``damped=True``) or none (None)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    z = working_scale(w, log)
    seasonal = "add" if period > 1 else None
    # with three seasons or more the initial states come from a heuristic (a
    # classical decomposition of the first years) instead of being estimated: about
    # five times faster, as accurate on China's trade series (see the benchmark)
    init = "heuristic" if len(z) >= max(3 * period, 12) else "estimated"
    model = ETSModel(
        pd.Series(z), error="add", trend="add" if damped else None, damped_trend=bool(damped),
        seasonal=seasonal, seasonal_periods=period if period > 1 else None, initialization_method=init,
    )
    res = _fit(model, params, start)
    n = len(z)
    frame = res.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    mu = np.asarray(frame["mean"], dtype="float64")
    sd = pi_sd(frame, "pi_lower", "pi_upper", 0.05)
    d = gaussian(mu, sd, log, _simulator(res, h))
    d.converged = converged(res)
    d.params = np.asarray(res.params, dtype="float64")
    fitted = np.asarray(res.fittedvalues, dtype="float64")
    d.fitted = np.exp(fitted) if log else fitted
    return d


def ets_additive(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                 start=None) -> Draft:
    """ETS(A,Ad,A) (ETS(A,Ad,N) without seasonality) via ``ETSModel``.

    Error, trend, damping and seasonality: additive error, additive damped trend,
    additive seasonality (on logs for positive series, i.e. multiplicative in levels).

    Examples
    --------
    >>> ets_additive(np.linspace(10.0, 21.0, 12), 2, 1, log=False).mean.shape
    (2,)
    """
    return _additive(w, h, period, log, params, start, damped=True)


def ets_simple(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
               start=None) -> Draft:
    """Forecast by simple exponential smoothing (简单指数平滑), ETS(A,N,N) (ETS(A,N,A) with a season).

    No trend: the forecast is the smoothed level (plus the season). Intervals and
    paths as :func:`ets_additive`.

    Examples
    --------
    >>> ets_simple(np.array([10.0, 12.0, 11.0, 13.0, 12.0, 12.5, 12.2, 12.8]), 2, 1, log=False).mean.shape
    (2,)
    """
    return _additive(w, h, period, log, params, start, damped=None)


def ets_multiplicative(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                       start=None) -> Draft:
    """ETS(M,Ad,M) on the raw scale (positive series only); intervals by simulation.

    Examples
    --------
    >>> ets_multiplicative(np.linspace(10.0, 21.0, 12), 2, 1, log=False).mean.shape
    (2,)
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "mul" if period > 1 else None
    model = ETSModel(
        pd.Series(w), error="mul", trend="add", damped_trend=True, seasonal=seasonal,
        seasonal_periods=period if period > 1 else None,
    )
    res = _fit(model, params, start)
    mean = np.asarray(res.forecast(h), dtype="float64")
    paths = _simulator(res, h)
    fixed = paths(_INTERNAL_REPS, np.random.default_rng(_INTERNAL_SEED if seed is None else seed))

    def quant(probs):
        return np.quantile(fixed, np.asarray(probs, dtype="float64"), axis=1)

    return Draft(mean=mean, quant=quant, paths=paths, converged=converged(res),
                 params=np.asarray(res.params, dtype="float64"))
