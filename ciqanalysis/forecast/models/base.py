"""What every model wrapper returns, and the Gaussian helpers they share (模型基础).

A model wrapper takes a 1-D float array (already adjusted for the Spring Festival),
a horizon and a seasonal period, and returns a :class:`Draft`: the mean forecast,
a function giving quantiles, and (where the model allows it) a function drawing
sample paths whose errors are correlated across horizons as the model implies.

Log models work on ``log(y)`` with Gaussian errors; their mean is the log-normal
mean ``exp(mu + sd**2 / 2)`` and their quantiles are ``exp`` of the Gaussian ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.linalg import toeplitz

__all__: list[str] = []


@dataclass
class Draft:
    """A model's forecast on the (festival-adjusted) data scale (单个模型的预测).

    Attributes
    ----------
    mean : numpy.ndarray
        Mean forecast, one value per horizon.
    quant : callable
        ``quant(probs)`` returns the quantiles, one row per probability.
    paths : callable or None
        ``paths(n, rng)`` draws ``n`` sample paths (horizons x paths).
    converged : bool
        False when the estimation did not converge.
    params : numpy.ndarray or None
        Estimated parameters, to filter again without re-estimating.
    fitted : numpy.ndarray or None
        In-sample one-step forecasts on the data scale.

    Examples
    --------
    >>> d = gaussian(np.zeros(2), np.ones(2), log=False)
    >>> d.quant([0.5]).tolist()
    [[0.0, 0.0]]
    """

    mean: np.ndarray
    quant: Callable[[Sequence[float]], np.ndarray]
    paths: Callable[[int, np.random.Generator], np.ndarray] | None = None
    converged: bool = True
    params: np.ndarray | None = None
    fitted: np.ndarray | None = None  # in-sample one-step forecasts, data scale


def working_scale(w: np.ndarray, log: bool) -> np.ndarray:
    """Return the series on the scale a model works on: ``log(w)`` or ``w`` itself."""
    return np.log(w) if log else w


def gaussian(mu, sd, log: bool, paths_work=None) -> Draft:
    """Return a Draft from a Gaussian forecast on the working scale (log or level).

    Parameters
    ----------
    mu, sd : array-like
        Mean and standard deviation per horizon on the working scale.
    log : bool
        Whether the working scale is ``log(y)``.
    paths_work : callable, optional
        ``paths_work(n, rng)`` drawing paths on the working scale.

    Examples
    --------
    >>> gaussian([0.0], [0.0], log=True).mean.tolist()
    [1.0]
    """
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


def rw_paths(mu, step_sd: float, psi: np.ndarray):
    """Return a path drawer ``mu + L @ eps``, L lower-triangular Toeplitz of the psi weights.

    The matrix is built only when paths are drawn (it grows as horizon squared).
    """

    def draw(n, rng):
        eps = rng.standard_normal((len(mu), n))
        return mu[:, None] + (np.tril(toeplitz(psi)) * step_sd) @ eps

    return draw


def pi_sd(frame, lo: str, hi: str, alpha: float) -> np.ndarray:
    """Return the Gaussian standard deviation implied by a ``1 - alpha`` interval's bounds."""
    z = stats.norm.ppf(1 - alpha / 2)
    return (np.asarray(frame[hi], dtype="float64") - np.asarray(frame[lo], dtype="float64")) / (2 * z)


def converged(res) -> bool:
    """Return whether a statsmodels fit reports convergence (True when it says nothing)."""
    ret = getattr(res, "mle_retvals", None)
    if isinstance(ret, dict) and "converged" in ret:
        return bool(ret["converged"])
    return True
