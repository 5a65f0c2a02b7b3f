"""Complex exponential smoothing (复指数平滑, CES) as a statsmodels state-space model.

CES (Svetunkov and Kourentzes) smooths a level ``l`` and an "information potential"
``c`` with one complex smoothing parameter ``a0 + i a1``; in its single-source-of-
error form, for an observation ``y_t = l_(t-1) + e_t``::

    l_t = l_(t-1) + (a1 - 1) c_(t-1) + (a0 - a1) e_t
    c_t = l_(t-1) + (1 - a0) c_(t-1) + (a0 + a1) e_t

:class:`_CESModel` writes this as a statsmodels ``MLEModel`` (the error carried as a
third state, so the Kalman filter computes the likelihood exactly), and statsmodels
estimates it (Nelder-Mead, concentrated scale, diffuse start for ``l`` and ``c``).
With a season, the model runs on the series less its classical additive seasonal
component (``seasonal_decompose``), which is added back to the forecast: CES
without its own seasonal states, whose estimation would cost much more. ``a1`` is
parametrised as ``1 + 0.01 u`` so that the optimiser moves it on the scale it lives on.
"""

from __future__ import annotations

import warnings

import numpy as np

from .base import Draft, converged, gaussian, rw_paths, working_scale

__all__: list[str] = []

_MODEL = None


def _model_class():
    """Build the state-space class once (statsmodels is imported only when a CES is fitted)."""
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    from statsmodels.tsa.statespace.initialization import Initialization
    from statsmodels.tsa.statespace.mlemodel import MLEModel

    class _CESModel(MLEModel):
        """Non-seasonal CES: states (l_(t-1), c_(t-1), e_t), y_t = l_(t-1) + e_t."""

        def __init__(self, endog):
            super().__init__(endog, k_states=3, k_posdef=1)
            init = Initialization(3)
            init.set((0, 2), "diffuse")
            init.set((2, 3), "known", constant=[0.0], stationary_cov=[[1.0]])
            self.ssm.initialization = init
            self.ssm.filter_concentrated = True
            self["design"] = np.array([[1.0, 0.0, 1.0]])
            self["selection"] = np.array([[0.0], [0.0], [1.0]])
            self["state_cov"] = np.array([[1.0]])
            self["obs_cov"] = np.zeros((1, 1))

        @property
        def param_names(self):
            return ["a0", "u"]

        @property
        def start_params(self):
            return np.array([1.3, 0.0])

        def update(self, params, **kwargs):
            params = super().update(params, **kwargs)
            self["transition"] = transition(params[0], 1.0 + 0.01 * params[1])

    _MODEL = _CESModel
    return _MODEL


def transition(a0: float, a1: float) -> np.ndarray:
    """Return CES's transition matrix for the states (l_(t-1), c_(t-1), e_t).

    Examples
    --------
    >>> transition(1.3, 1.0)[:2].round(2).tolist()
    [[1.0, 0.0, 0.3], [1.0, -0.3, 2.3]]
    """
    return np.array([[1.0, a1 - 1.0, a0 - a1], [1.0, 1.0 - a0, a0 + a1], [0.0, 0.0, 0.0]])


def _psi(a0: float, a1: float, h: int) -> np.ndarray:
    """Return the weights of the past errors in y_(t+k), k = 1..h (psi_0 = 1)."""
    design, select = np.array([1.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0])
    f = transition(a0, a1)
    out, state = np.empty(h), select.copy()
    for k in range(h):  # a loop over horizons: psi_k = design . F^k . selection
        out[k] = design @ state
        state = f @ state
    return out


def ces(w: np.ndarray, h: int, period: int, log: bool, params=None, seed=None, start=None) -> Draft:
    """Complex exponential smoothing on the seasonally adjusted series (CES).

    Examples
    --------
    >>> t = np.arange(60.0)
    >>> w = 50.0 + 0.5 * t + 3 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(3).normal(0, 1, 60)
    >>> d = ces(w, 12, 12, log=False)
    >>> bool(np.all((d.mean > 70.0) & (d.mean < 95.0))), d.converged
    (True, True)
    """
    from statsmodels.tsa.seasonal import seasonal_decompose

    z = working_scale(w, log)
    n = len(z)
    if period > 1 and n >= 2 * period:
        seas = np.asarray(seasonal_decompose(z, period=period, model="additive").seasonal, dtype="float64")
        future = seas[n - period + np.arange(h) % period]
    else:
        seas, future = np.zeros(n), np.zeros(h)
    model = _model_class()(z - seas)
    with warnings.catch_warnings():
        # Nelder-Mead tries parameters whose filter has no finite scale; statsmodels
        # warns of the division and the optimiser moves on
        warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
        res = (model.fit(method="nm", maxiter=300, disp=False, cov_type="none", start_params=start)
               if params is None else model.filter(params, cov_type="none"))
    mu = np.asarray(res.forecast(h), dtype="float64") + future
    psi = _psi(float(res.params[0]), 1.0 + 0.01 * float(res.params[1]), h)
    sigma = float(np.sqrt(res.scale))
    draft = gaussian(mu, sigma * np.sqrt(np.cumsum(psi**2)), log, rw_paths(mu, sigma, psi))
    draft.converged = converged(res)
    draft.params = np.asarray(res.params, dtype="float64")
    return draft
