"""Candidate forecasting models (候选模型), all from statsmodels, on plain arrays.

Each candidate takes a 1-D float array (already adjusted for the Spring Festival),
a horizon and a seasonal period, and returns a :class:`Draft`: the mean forecast,
a function giving quantiles, and (where the model allows it) a function drawing
sample paths whose errors are correlated across horizons as the model implies.
Models fit on numpy arrays, so statsmodels never guesses a date frequency.

Log candidates model ``log(y)`` with Gaussian errors; their mean is the log-normal
mean ``exp(mu + sd**2 / 2)`` and their quantiles are ``exp`` of the Gaussian ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from scipy.linalg import toeplitz

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


@dataclass
class Draft:
    """A candidate's forecast on the (festival-adjusted) data scale."""

    mean: np.ndarray
    quant: Callable[[Sequence[float]], np.ndarray]
    paths: Callable[[int, np.random.Generator], np.ndarray] | None = None
    converged: bool = True
    params: np.ndarray | None = None
    fitted: np.ndarray | None = None  # in-sample one-step forecasts, data scale


def _gaussian(mu, sd, log: bool, paths_work=None) -> Draft:
    """Draft from a Gaussian forecast on the working scale (log or level)."""
    mu = np.asarray(mu, dtype="float64")
    sd = np.maximum(np.asarray(sd, dtype="float64"), 0.0)

    def quant(probs):
        z = stats.norm.ppf(np.asarray(probs, dtype="float64"))[:, None]
        q = mu[None, :] + z * sd[None, :]
        return np.exp(q) if log else q

    paths = None
    if paths_work is not None:

        def paths(n, rng):
            p = paths_work(n, rng)
            return np.exp(p) if log else p

    mean = np.exp(mu + sd**2 / 2.0) if log else mu
    return Draft(mean=mean, quant=quant, paths=paths)


def _lower_toeplitz(psi: np.ndarray) -> np.ndarray:
    return np.tril(toeplitz(psi))


def _rw_paths(mu, step_sd: float, psi: np.ndarray):
    """Paths mu + L @ eps with L lower-triangular Toeplitz of the psi weights.

    The matrix is built only when paths are drawn (it grows as horizon squared).
    """

    def draw(n, rng):
        eps = rng.standard_normal((len(mu), n))
        return mu[:, None] + (_lower_toeplitz(psi) * step_sd) @ eps

    return draw


# ---------------------------------------------------------------- simple methods
def seasonal_naive(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """Seasonal naive (or naive when period is 1): repeat the last season."""
    z = np.log(w) if log else w
    s = max(int(period), 1)
    if len(z) < s + 1:
        s = 1
    idx = len(z) - s + (np.arange(h) % s)
    mu = z[idx]
    diffs = z[s:] - z[:-s]
    sigma = float(np.sqrt(np.mean(diffs**2))) if len(diffs) else 0.0
    k = np.arange(h) // s + 1
    sd = sigma * np.sqrt(k)
    psi = np.zeros(h)
    psi[::s] = 1.0
    return _gaussian(mu, sd, log, _rw_paths(mu, sigma, psi))


def drift(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """Seasonal naive with drift (random walk with drift when period is 1)."""
    z = np.log(w) if log else w
    s = max(int(period), 1)
    if len(z) < s + 2:
        s = 1
    diffs = z[s:] - z[:-s]
    c = float(np.mean(diffs))
    resid = diffs - c
    sigma = float(np.std(resid, ddof=1)) if len(resid) > 1 else 0.0
    k = np.arange(h) // s + 1
    idx = len(z) - s + (np.arange(h) % s)
    mu = z[idx] + k * c
    sd = sigma * np.sqrt(k * (1.0 + k / max(len(diffs), 1)))
    psi = np.zeros(h)
    psi[::s] = 1.0
    return _gaussian(mu, sd, log, _rw_paths(mu, sigma, psi))


def mean_method(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """Historical mean (for very short or flat series)."""
    z = np.log(w) if log else w
    mu = np.full(h, float(np.mean(z)))
    sd = np.full(h, float(np.std(z, ddof=1)) if len(z) > 1 else 0.0)
    sd = sd * np.sqrt(1.0 + 1.0 / len(z))

    def paths(n, rng):
        return mu[:, None] + sd[:, None] * rng.standard_normal((h, n))

    return _gaussian(mu, sd, log, paths)


def croston(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
            start=None, alpha: float = 0.1) -> Draft:
    """Croston's method with the Syntetos-Boylan correction, for intermittent demand.

    Intervals are the empirical quantiles of the last two years of values (or all of
    them), since a Gaussian interval around a rate means little for lumpy series.
    """
    nz = np.flatnonzero(w != 0)
    if len(nz) == 0:
        zero = np.zeros(h)
        return Draft(mean=zero, quant=lambda probs: np.zeros((len(probs), h)))
    sizes = w[nz]
    gaps = np.diff(np.concatenate([[-1], nz])).astype("float64")
    size_s, gap_s = sizes[0], gaps[0]
    weights = (1 - alpha) ** np.arange(len(sizes) - 1, -1, -1)
    size_s = float(np.sum(weights * sizes) / np.sum(weights))
    gap_s = float(np.sum(weights * gaps) / np.sum(weights))
    rate = (1 - alpha / 2) * size_s / gap_s
    recent = w[-max(2 * max(period, 1), 8):]

    def quant(probs):
        q = np.quantile(recent, np.asarray(probs, dtype="float64"))
        return np.repeat(q[:, None], h, axis=1)

    return Draft(mean=np.full(h, rate), quant=quant)


# ---------------------------------------------------------------- statsmodels
def _pi_sd(frame, lo: str, hi: str, alpha: float) -> np.ndarray:
    z = stats.norm.ppf(1 - alpha / 2)
    return (np.asarray(frame[hi], dtype="float64") - np.asarray(frame[lo], dtype="float64")) / (2 * z)


def _converged(res) -> bool:
    ret = getattr(res, "mle_retvals", None)
    if isinstance(ret, dict) and "converged" in ret:
        return bool(ret["converged"])
    return True


def ets_additive(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """ETS(A,Ad,A) (ETS(A,Ad,N) without seasonality) via ``ETSModel``.

    Error, trend, damping and seasonality: additive error, additive damped trend,
    additive seasonality (on logs for positive series, i.e. multiplicative in levels).
    """
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    z = np.log(w) if log else w
    seasonal = "add" if period > 1 else None
    # with three seasons or more the initial states come from a heuristic (a
    # classical decomposition of the first years) instead of being estimated: about
    # five times faster, as accurate on China's trade series (see the benchmark)
    init = "heuristic" if len(z) >= max(3 * period, 12) else "estimated"
    model = ETSModel(
        pd.Series(z), error="add", trend="add", damped_trend=True, seasonal=seasonal,
        seasonal_periods=period if period > 1 else None, initialization_method=init,
    )
    k = len(model.param_names)
    params = params if params is not None and len(params) == k else None
    start = start if start is not None and len(start) == k else None
    if params is not None:
        res = model.smooth(params)
    else:
        res = model.fit(disp=False, factr=_ETS_FACTR, **({} if start is None else {"start_params": start}))
    n = len(z)
    frame = res.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    mu = np.asarray(frame["mean"], dtype="float64")
    sd = _pi_sd(frame, "pi_lower", "pi_upper", 0.05)

    def paths(k, rng):
        sim = res.simulate(h, anchor="end", repetitions=k, rng=rng)
        return np.asarray(sim, dtype="float64").reshape(h, k)

    d = _gaussian(mu, sd, log, paths)
    d.converged = _converged(res)
    d.params = np.asarray(res.params, dtype="float64")
    fitted = np.asarray(res.fittedvalues, dtype="float64")
    d.fitted = np.exp(fitted) if log else fitted
    return d


def ets_multiplicative(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """ETS(M,Ad,M) on the raw scale (positive series only); intervals by simulation."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    seasonal = "mul" if period > 1 else None
    model = ETSModel(
        pd.Series(w), error="mul", trend="add", damped_trend=True, seasonal=seasonal,
        seasonal_periods=period if period > 1 else None,
    )
    k = len(model.param_names)
    params = params if params is not None and len(params) == k else None
    start = start if start is not None and len(start) == k else None
    if params is not None:
        res = model.smooth(params)
    else:
        res = model.fit(disp=False, factr=_ETS_FACTR, **({} if start is None else {"start_params": start}))
    mean = np.asarray(res.forecast(h), dtype="float64")

    def paths(k, rng):
        sim = res.simulate(h, anchor="end", repetitions=k, rng=rng)
        return np.asarray(sim, dtype="float64").reshape(h, k)

    fixed = paths(_INTERNAL_REPS, np.random.default_rng(_INTERNAL_SEED if seed is None else seed))

    def quant(probs):
        return np.quantile(fixed, np.asarray(probs, dtype="float64"), axis=1)

    return Draft(mean=mean, quant=quant, paths=paths, converged=_converged(res),
                 params=np.asarray(res.params, dtype="float64"))


def _integrate(mu_w: np.ndarray, z: np.ndarray, ar_full: np.ndarray) -> np.ndarray:
    """Undo differencing: z_t = w_t - sum_k ar_full[k] z_(t-k), over the horizon."""
    order = len(ar_full) - 1
    ext = np.concatenate([z[-order:], np.zeros(len(mu_w))])
    lags = -ar_full[1:]
    for i in range(len(mu_w)):  # loop over horizons (a few dozen), not data rows
        t = order + i
        ext[t] = mu_w[i] + np.dot(lags, ext[t - 1::-1][:order])
    return ext[order:]


def sarima(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """Airline model SARIMA(0,1,1)(0,1,1)s (ARIMA(0,1,1) with drift when s = 1).

    Estimated by ``SARIMAX`` on the differenced series (``simple_differencing``,
    concentrated scale, exact diffuse initial state: several times faster on monthly
    data than the stationary initialisation, which solves a Lyapunov equation for the
    13 states at every likelihood evaluation); the forecast is integrated back and
    its errors follow the model's psi weights.
    """
    from statsmodels.tsa.arima_process import arma2ma
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    z = np.log(w) if log else w
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
    mu = _integrate(mu_w, z, ar_full)
    psi = arma2ma(ar_full, ma, lags=h)
    sigma = float(np.sqrt(res.scale))
    sd = sigma * np.sqrt(np.cumsum(psi**2))
    d = _gaussian(mu, sd, log, _rw_paths(mu, sigma, psi))
    d.converged = _converged(res)
    d.params = pars
    return d


def theta(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
        start=None) -> Draft:
    """Theta method (``ThetaModel``), additive deseasonalisation on the working scale.

    Intervals use the simple exponential smoothing variance the Theta forecast
    rests on, ``sigma**2 * (1 + (h - 1) * alpha**2)``, with ``sigma`` from the
    one-step errors of the deseasonalised series (no second model fit); sample
    paths follow the same ARIMA(0,1,1) error structure (psi weights 1, alpha, ...).
    """
    from scipy.signal import lfilter
    from statsmodels.tsa.forecasting.theta import ThetaModel
    from statsmodels.tsa.seasonal import seasonal_decompose

    z = np.log(w) if log else w
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
    return _gaussian(mu, sd, log, _rw_paths(mu, sigma, psi))


def _stl(w, h, period, log, model, kwargs):
    from statsmodels.tsa.forecasting.stl import STLForecast

    z = np.log(w) if log else w
    fit_kwargs = {"disp": False} if model.__name__ == "ETSModel" else {"cov_type": "none"}
    res = STLForecast(pd.Series(z), model, model_kwargs=kwargs, period=period).fit(fit_kwargs=fit_kwargs)
    n = len(z)
    frame = res.get_prediction(start=n, end=n + h - 1).summary_frame(alpha=0.05)
    mu = np.asarray(frame["mean"], dtype="float64")
    sd = _pi_sd(frame, "mean_ci_lower", "mean_ci_upper", 0.05)
    d = _gaussian(mu, sd, log, None)
    d.converged = _converged(res.model_result)
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


@dataclass(frozen=True)
class Spec:
    """What a candidate needs: a function, positivity, seasonality, paths."""

    func: Callable[..., Draft]
    log: bool
    positive: bool
    seasonal_only: bool
    simulates: bool
    simple: bool


#: Every candidate by name. ``_log`` candidates model log(y).
CANDIDATES: dict[str, Spec] = {
    "snaive": Spec(seasonal_naive, False, False, False, True, True),
    "snaive_log": Spec(seasonal_naive, True, True, False, True, True),
    "drift": Spec(drift, False, False, False, True, True),
    "drift_log": Spec(drift, True, True, False, True, True),
    "mean": Spec(mean_method, False, False, False, True, True),
    "croston": Spec(croston, False, False, False, False, True),
    "ets": Spec(ets_additive, False, False, False, True, False),
    "ets_log": Spec(ets_additive, True, True, False, True, False),
    "ets_mul": Spec(ets_multiplicative, False, True, False, True, False),
    "sarima": Spec(sarima, False, False, False, True, False),
    "sarima_log": Spec(sarima, True, True, False, True, False),
    "theta": Spec(theta, False, False, False, True, False),
    "theta_log": Spec(theta, True, True, False, True, False),
    "stl_ets": Spec(stl_ets, False, False, True, False, False),
    "stl_ets_log": Spec(stl_ets, True, True, True, False, False),
    "stl_arima": Spec(stl_arima, False, False, True, False, False),
    "stl_arima_log": Spec(stl_arima, True, True, True, False, False),
}


def run(name: str, w: np.ndarray, h: int, period: int, params=None,
        seed=None, start=None) -> tuple[Draft | None, list[str]]:
    """Fit one candidate, catching every warning and error; return (draft, notes).

    With ``params`` (from an earlier fit of the same candidate) the model is only
    filtered with them, not re-estimated: the backtest's cheap path. With
    ``start`` the estimation starts from those values (a warm start).
    """
    spec = CANDIDATES[name]
    notes: list[str] = []
    draft = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(all="ignore"):
            try:
                draft = spec.func(w, h, period, spec.log, params, seed, start)
            except Exception as exc:  # noqa: BLE001 - any failure of a candidate is recorded
                notes.append(f"{name}: failed ({type(exc).__name__}: {str(exc)[:120]})")
    for item in caught:
        text = f"{name}: {item.category.__name__}: {str(item.message).splitlines()[0][:120]}"
        if text not in notes:
            notes.append(text)
    if draft is not None and any("ConvergenceWarning" in n for n in notes):
        draft.converged = False
    return draft, notes
