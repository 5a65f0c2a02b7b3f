"""Automatic outlier detection (异常值自动识别) and outlier-adjusted members (异常值调整).

:func:`detect_outliers` finds additive outliers (AO, 加性异常值), level shifts (LS,
水平漂移) and temporary changes (TC, 暂时变化) in a series on the log scale, by the
iterative procedure of Chen & Liu (1993) as TRAMO and X-13ARIMA-SEATS run it:

1. fit the airline model (0,1,1)(0,1,1)s to the series once (statsmodels'
   ``SARIMAX`` on the differenced series, started from Hannan-Rissanen estimates;
   ARIMA(0,1,1) with drift without a season) and keep its residuals and
   moving-average polynomial;
2. for every month and every type compute the t statistic of an outlier there (the
   residuals regressed on the outlier's effect filtered through the model), the
   residual scale estimated robustly (1.483 x the median absolute deviation);
3. add the largest when its ``|t|`` exceeds the critical value, re-estimate the
   effects of all found so far jointly by least squares, and repeat (at most
   :data:`MAX_OUTLIERS`).

The critical value depends on the number of observations searched
(:func:`ljung_critical_value`, Ljung 1993): about 4.35 for ten years of months.

:func:`outlier_adjusted` turns a model wrapper into its outlier-adjusted variant:
the model is fitted to the *linearised* series (the series with the outliers'
effects removed), and the effects that persist into the forecast period (a level
shift in full, a temporary change decaying at rate :data:`TC_RATE`, an additive
outlier not at all) are put back on its forecast, quantiles and paths. Without
outliers the variant is its plain model. The default monthly method
(:data:`~ciqanalysis.forecast.engine.DEFAULT_OUTLIER_ADJUSTED`) combines each member
with its outlier-adjusted variant, so that a collapse such as 2008-09 is one of two views of the trend
rather than the only one.

Examples
--------
>>> t = np.arange(96)
>>> z = 0.01 * t + 0.1 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 0.01, 96)
>>> z[60:] -= 0.3  # a level shift of -30 % (log scale) in month 60
>>> [(o.kind, o.index) for o in detect_outliers(z, 12)]
[('LS', 60)]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.signal import lfilter

from .arima import _differencing
from .base import Draft

__all__: list[str] = []

#: Decay rate of a temporary change (TRAMO's and X-13's default).
TC_RATE = 0.7
#: Most outliers a series may get.
MAX_OUTLIERS = 5
#: Significance level of Ljung's critical value (:func:`ljung_critical_value`).
CRITICAL_ALPHA = 0.01
#: Outlier types searched, in this order.
KINDS: tuple[str, ...] = ("AO", "LS", "TC")


@dataclass(frozen=True)
class Outlier:
    """One outlier: its type, position and effect on the log scale.

    Attributes
    ----------
    kind : str
        ``"AO"`` (additive outlier), ``"LS"`` (level shift) or ``"TC"`` (temporary change).
    index : int
        Position in the series (0 = first observation).
    effect : float
        Size on the working (log) scale: ``-0.2`` is a fall of about 18 %.

    Examples
    --------
    >>> Outlier("LS", 10, -0.2).pattern(12, 2)[10:].tolist()
    [-0.2, -0.2, -0.2, -0.2]
    """

    kind: str
    index: int
    effect: float

    def pattern(self, n: int, h: int = 0) -> np.ndarray:
        """Return the outlier's effect over ``n`` observations and ``h`` further periods."""
        return self.effect * _shape(self.kind, n + h, self.index)


def _shape(kind: str, length: int, at: int) -> np.ndarray:
    """Return the unit effect of an outlier of type ``kind`` at ``at`` over ``length`` periods."""
    x = np.zeros(length)
    if kind == "AO":
        x[at] = 1.0
    elif kind == "LS":
        x[at:] = 1.0
    else:
        x[at:] = TC_RATE ** np.arange(length - at)
    return x


def ljung_critical_value(n: int, alpha: float = CRITICAL_ALPHA) -> float:
    """Return the critical value of the outlier t statistics for ``n`` observations (Ljung 1993).

    The value for which the largest of ``n`` roughly independent ``|t|`` statistics
    exceeds it with probability about ``alpha`` (an extreme-value approximation);
    it grows slowly with ``n``.

    Parameters
    ----------
    n : int
        Number of observations searched (>= 3).
    alpha : float, default :data:`CRITICAL_ALPHA`
        Significance level.

    Returns
    -------
    float

    Examples
    --------
    >>> round(ljung_critical_value(107), 2), round(ljung_critical_value(48), 2)
    (4.35, 4.24)
    """
    n = max(int(n), 3)
    a = np.sqrt(2.0 * np.log(n))
    b = a - (np.log(np.log(n)) + np.log(4.0 * np.pi)) / (2.0 * a)
    x = -np.log(-0.5 * np.log(2.0 - np.sqrt(1.0 + alpha)))
    return float(x / a + b)


def _airline(w: np.ndarray, period: int, seasonal: bool) -> np.ndarray:
    """Return the MA polynomial of the airline model of the differenced series ``w``.

    Maximum likelihood (statsmodels' ``SARIMAX``: MA(1) x seasonal MA(1)), started
    from the Hannan-Rissanen estimates (``hannan_rissanen``: a long autoregression,
    then least squares on its residuals), which halves the cost of the fit.
    """
    from statsmodels.tsa.arima.estimators.hannan_rissanen import hannan_rissanen
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    start = None
    try:
        start = np.clip(hannan_rissanen(w, ar_order=0, ma_order=[1, period] if seasonal else [1],
                                        demean=False)[0].ma_params, -0.95, 0.95)
    except (ValueError, np.linalg.LinAlgError):
        start = None
    res = SARIMAX(w, order=(0, 0, 1), seasonal_order=(0, 0, 1, period) if seasonal else (0, 0, 0, 0),
                  concentrate_scale=True).fit(disp=False, cov_type="none", start_params=start)
    ma = np.array([1.0, float(res.params[0])])
    if seasonal:
        sma = np.zeros(period + 1)
        sma[0], sma[-1] = 1.0, float(res.params[1])
        ma = np.convolve(ma, sma)
    return ma


def detect_outliers(z: np.ndarray, period: int, critical: float | None = None,
                    max_outliers: int = MAX_OUTLIERS) -> list[Outlier]:
    """Find additive outliers, level shifts and temporary changes in a series (Chen & Liu 1993).

    Parameters
    ----------
    z : numpy.ndarray
        The series on its working scale (logarithms for a positive series).
    period : int
        Seasonal period (12 monthly; 1 fits the model without a season).
    critical : float, optional
        Critical value of ``|t|``; default :func:`ljung_critical_value` of the number
        of differenced observations searched.
    max_outliers : int, default :data:`MAX_OUTLIERS`
        Most outliers returned.

    Returns
    -------
    list of Outlier
        In the order found (largest first), with effects estimated jointly; empty
        when none is significant or the series is too short (under three seasons,
        or 12 observations without a season).

    Examples
    --------
    >>> z = np.cumsum(np.random.default_rng(1).normal(0.01, 0.02, 60))  # a random walk
    >>> z[30] += 0.5  # one month about 65 % larger
    >>> [(o.kind, o.index, round(o.effect, 1)) for o in detect_outliers(z, 1)]
    [('AO', 30, 0.5)]
    """
    z = np.asarray(z, dtype="float64")
    n = len(z)
    seasonal = period > 1
    if n < (3 * period if seasonal else 12) or not np.all(np.isfinite(z)):
        return []
    diff = _differencing(1, int(seasonal), period)
    skip = len(diff) - 1
    w = lfilter(diff, [1.0], z)[skip:]
    if not seasonal:
        w = w - w.mean()  # the drift
    length = len(w)
    if np.ptp(w) <= 0:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' notes on starting values and convergence
        ma = _airline(w, period, seasonal)
    e0 = lfilter([1.0], ma, w)
    # residual response to a unit outlier at the first differenced observation, per type
    unit = lfilter(diff, [1.0], np.r_[1.0, np.zeros(length + skip - 1)])[:length]
    response = {"AO": lfilter([1.0], ma, unit),
                "LS": lfilter([1.0], ma, lfilter([1.0], [1.0, -1.0], unit)),
                "TC": lfilter([1.0], ma, lfilter([1.0], [1.0, -TC_RATE], unit))}
    energy = {k: np.cumsum(r**2) for k, r in response.items()}
    critical = ljung_critical_value(length) if critical is None else float(critical)

    def regressor(kind: str, at: int) -> np.ndarray:
        x = np.zeros(length)
        x[at:] = response[kind][:length - at]
        return x

    found: list[tuple[str, int]] = []
    e = e0
    effects = np.zeros(0)
    for _ in range(max_outliers):
        scale = 1.483 * float(np.median(np.abs(e - np.median(e))))
        if scale <= 0:
            break
        best = (0.0, "", -1)
        taken = {at for _, at in found}
        for kind in KINDS:
            r = response[kind]
            last = length if kind == "AO" else length - 1  # a shift in the last month is an AO
            for at in range(1, last):  # a loop over months (about a hundred), not data rows
                if at in taken:
                    continue
                ss = energy[kind][length - at - 1]
                tau = float(r[:length - at] @ e[at:]) / np.sqrt(ss) / scale if ss > 1e-12 else 0.0
                if abs(tau) > abs(best[0]):
                    best = (tau, kind, at)
        if abs(best[0]) < critical:
            break
        found.append((best[1], best[2]))
        x = np.column_stack([regressor(k, at) for k, at in found])
        effects = np.linalg.lstsq(x, e0, rcond=None)[0]
        e = e0 - x @ effects
    return [Outlier(k, at + skip, float(b)) for (k, at), b in zip(found, effects, strict=True)]


@lru_cache(maxsize=32)
def _found(data: bytes, period: int) -> tuple[Outlier, ...]:
    """:func:`detect_outliers` of ``log`` of a series given as bytes, remembered (members share it).

    When the detector's own model cannot be fitted, no outliers are taken out (the
    variants are then their plain members) rather than the forecast failing.
    """
    try:
        return tuple(detect_outliers(np.log(np.frombuffer(data, dtype="float64")), period))
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        return ()


def _shifted(draft: Draft, gain: np.ndarray) -> Draft:
    """Return ``draft`` with its forecast multiplied by ``gain`` per horizon (mean, quantiles, paths)."""
    quant, paths = draft.quant, draft.paths
    drawn = None if paths is None else (lambda k, rng: paths(k, rng) * gain[:, None])
    return Draft(mean=draft.mean * gain, quant=lambda probs: quant(probs) * gain[None, :], paths=drawn,
                 converged=draft.converged, params=None)


def outlier_adjusted(func: Callable[..., Draft]) -> Callable[..., Draft]:
    """Return the outlier-adjusted variant of a model wrapper (异常值调整模型).

    The variant detects outliers on ``log(w)`` (:func:`detect_outliers`), fits
    ``func`` to the linearised series ``w * exp(-effects)`` and multiplies the
    forecast by ``exp`` of the effects that persist over the horizon. A series with
    a value <= 0, or without outliers, gets ``func`` itself.

    Parameters
    ----------
    func : callable
        A wrapper ``func(w, h, period, log, params, seed, start) -> Draft``.

    Returns
    -------
    callable
        A wrapper with the same signature.

    Examples
    --------
    >>> from ciqanalysis.forecast.models.naive import drift
    >>> w = (100.0 + np.arange(60.0)) * np.exp(np.random.default_rng(1).normal(0, 0.01, 60))
    >>> w[55:] *= 0.7  # a fall of 30 % five months before the end
    >>> plain, adjusted = drift(w, 1, 1, True), outlier_adjusted(drift)(w, 1, 1, True)
    >>> bool(adjusted.mean[0] > plain.mean[0])  # the fall does not lower the slope
    True
    """

    def adjusted(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                 start=None) -> Draft:
        if not np.all(w > 0):
            return func(w, h, period, log, params, seed, start)
        z = np.log(w)
        found = _found(np.ascontiguousarray(w, dtype="float64").tobytes(), int(period))
        if not found:
            return func(w, h, period, log, params, seed, start)
        effect = np.sum([o.pattern(len(z), h) for o in found], axis=0)
        draft = func(np.exp(z - effect[:len(z)]), h, period, log, None, seed, None)
        return _shifted(draft, np.exp(effect[len(z):]))

    adjusted.__name__ = f"outlier_adjusted_{getattr(func, '__name__', 'model')}"
    adjusted.__doc__ = f"Outlier-adjusted variant of ``{getattr(func, '__name__', 'model')}``."
    return adjusted


def describe_outliers(w: np.ndarray, period: int, periods) -> str | None:
    """Name the outliers :func:`outlier_adjusted` removes from ``w``, for a forecast's flags.

    Parameters
    ----------
    w : numpy.ndarray
        The series as the models see it (positive values).
    period : int
        Seasonal period.
    periods : sequence
        The label of each observation (e.g. a PeriodIndex).

    Returns
    -------
    str or None
        ``"outliers (Chen-Liu, removed for the outlier-adjusted members): LS 2008-11
        -20.4 %, ..."``, the effect in percent of the level; None without outliers.

    Examples
    --------
    >>> import pandas as pd
    >>> t = np.arange(96)
    >>> z = 0.01 * t + 0.1 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 0.01, 96)
    >>> z[60:] -= 0.3
    >>> describe_outliers(np.exp(z), 12, pd.period_range("2001-01", periods=96, freq="M"))
    'outliers (Chen-Liu, removed for the outlier-adjusted members): LS 2006-01 -24.0 %'
    """
    if not has_outliers(w, period):
        return None
    found = _found(np.ascontiguousarray(w, dtype="float64").tobytes(), int(period))
    names = ", ".join(f"{o.kind} {periods[o.index]} {np.expm1(o.effect) * 100:+.1f} %".replace("+-", "-")
                      for o in sorted(found, key=lambda o: o.index))
    return f"outliers (Chen-Liu, removed for the outlier-adjusted members): {names}"


def has_outliers(w: np.ndarray, period: int) -> bool:
    """Return whether :func:`outlier_adjusted` would change a model's fit of ``w``.

    Examples
    --------
    >>> has_outliers(np.exp(np.linspace(0.0, 1.0, 60)), 1), has_outliers(np.array([0.0, 1.0]), 1)
    (False, False)
    """
    return bool(np.all(w > 0)) and bool(_found(np.ascontiguousarray(w, dtype="float64").tobytes(), int(period)))
