"""Simple methods (简单方法): seasonal naive, drift, historical mean, Croston.

Each wrapper has the signature of every model in :mod:`ciqanalysis.forecast.models`
and returns a :class:`~ciqanalysis.forecast.models.base.Draft`.
"""

from __future__ import annotations

import numpy as np

from .base import Draft, gaussian, rw_paths, working_scale

__all__: list[str] = []


def _lag(z: np.ndarray, period: int, extra: int) -> int:
    """Return the seasonal lag: the period, or 1 when fewer than period + ``extra`` values."""
    s = max(int(period), 1)
    return 1 if len(z) < s + extra else s


def _last_season(z: np.ndarray, h: int, s: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the repeated last season, the season count per horizon, and the psi weights."""
    idx = len(z) - s + (np.arange(h) % s)
    k = np.arange(h) // s + 1
    psi = np.zeros(h)
    psi[::s] = 1.0
    return z[idx], k, psi


def seasonal_naive(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                   start=None) -> Draft:
    """Seasonal naive (or naive when period is 1): repeat the last season.

    Examples
    --------
    >>> seasonal_naive(np.array([5.0, 1.0, 6.0, 2.0]), 3, 2, log=False).mean.tolist()
    [6.0, 2.0, 6.0]
    """
    z = working_scale(w, log)
    s = _lag(z, period, 1)
    mu, k, psi = _last_season(z, h, s)
    diffs = z[s:] - z[:-s]
    sigma = float(np.sqrt(np.mean(diffs**2))) if len(diffs) else 0.0
    sd = sigma * np.sqrt(k)
    return gaussian(mu, sd, log, rw_paths(mu, sigma, psi))


def drift(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
          start=None) -> Draft:
    """Seasonal naive with drift (random walk with drift when period is 1).

    Examples
    --------
    A quarterly series growing by 4 a year goes on growing by 4 a year:

    >>> y = np.arange(12.0) + np.tile([0.0, 1.0, 0.0, -1.0], 3)
    >>> drift(y, 4, 4, log=False).mean.tolist()
    [12.0, 14.0, 14.0, 14.0]
    """
    z = working_scale(w, log)
    s = _lag(z, period, 2)
    diffs = z[s:] - z[:-s]
    c = float(np.mean(diffs))
    resid = diffs - c
    sigma = float(np.std(resid, ddof=1)) if len(resid) > 1 else 0.0
    last, k, psi = _last_season(z, h, s)
    mu = last + k * c
    sd = sigma * np.sqrt(k * (1.0 + k / max(len(diffs), 1)))
    return gaussian(mu, sd, log, rw_paths(mu, sigma, psi))


def mean_method(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
                start=None) -> Draft:
    """Historical mean (for very short or flat series), with the variance of a new draw.

    The interval widens by ``sqrt(1 + 1/n)`` for the uncertainty of the mean itself.

    Examples
    --------
    >>> draft = mean_method(np.array([1.0, 2.0, 3.0]), 2, 1, log=False)
    >>> draft.mean.tolist(), draft.quant([0.5]).tolist()
    ([2.0, 2.0], [[2.0, 2.0]])
    """
    z = working_scale(w, log)
    mu = np.full(h, float(np.mean(z)))
    sd = np.full(h, float(np.std(z, ddof=1)) if len(z) > 1 else 0.0)
    sd = sd * np.sqrt(1.0 + 1.0 / len(z))

    def paths(n, rng):
        return mu[:, None] + sd[:, None] * rng.standard_normal((h, n))

    return gaussian(mu, sd, log, paths)


def croston(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None,
            start=None, alpha: float = 0.1) -> Draft:
    """Croston's method with the Syntetos-Boylan correction, for intermittent demand (间歇需求).

    Intervals are the empirical quantiles of the last two years of values (or all of
    them), since a Gaussian interval around a rate means little for lumpy series.

    Examples
    --------
    >>> croston(np.array([0.0, 4.0, 0.0, 4.0]), 2, 1, log=False).mean.round(2).tolist()
    [1.9, 1.9]
    """
    nz = np.flatnonzero(w != 0)
    if len(nz) == 0:
        zero = np.zeros(h)
        return Draft(mean=zero, quant=lambda probs: np.zeros((len(probs), h)))
    sizes = w[nz]
    gaps = np.diff(np.concatenate([[-1], nz])).astype("float64")
    weights = (1 - alpha) ** np.arange(len(sizes) - 1, -1, -1)
    size_s = float(np.sum(weights * sizes) / np.sum(weights))
    gap_s = float(np.sum(weights * gaps) / np.sum(weights))
    rate = (1 - alpha / 2) * size_s / gap_s
    recent = w[-max(2 * max(period, 1), 8):]

    def quant(probs):
        q = np.quantile(recent, np.asarray(probs, dtype="float64"))
        return np.repeat(q[:, None], h, axis=1)

    return Draft(mean=np.full(h, rate), quant=quant)
