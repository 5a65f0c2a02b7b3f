"""The model registry (模型注册表): every forecasting model by name, and :func:`run`.

One small module per model family wraps statsmodels (or a few lines of numpy) on
plain arrays and returns a :class:`~.base.Draft`:

- :mod:`.naive` -- seasonal naive, drift, historical mean, Croston;
- :mod:`.ets` -- ETS(A,Ad,A), simple exponential smoothing ETS(A,N,N) and ETS(M,Ad,M);
- :mod:`.arima` -- the airline SARIMA and an automatic ARIMA (differencing by KPSS tests);
- :mod:`.ar` -- autoregression on period-to-period changes, lags by AIC;
- :mod:`.ces` -- complex exponential smoothing (a statsmodels state-space model);
- :mod:`.theta` -- the Theta method, classical and with an optimised coefficient;
- :mod:`.stl` -- STL decomposition with ETS or ARIMA;
- :mod:`.outliers` -- automatic outliers (AO, LS, TC; Chen & Liu) and the
  outlier-adjusted variants ``oa_<name>`` of the default monthly members.

:data:`CANDIDATES` names each model with what it needs (:class:`Spec`); ``_log``
names model ``log(y)``. Models fit on numpy arrays, so statsmodels never guesses
a date frequency. To add a model: write its wrapper in a family module and add
its :class:`Spec` here.

Examples
--------
>>> draft, notes = run("drift", np.array([1.0, 2.0, 3.0]), 2, 1)
>>> draft.mean.tolist(), notes
([4.0, 5.0], [])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .ar import ar_changes, ar_changes_long
from .arima import arima_auto, sarima
from .base import Draft
from .ces import ces
from .ets import ets_additive, ets_multiplicative, ets_simple
from .naive import croston, drift, mean_method, seasonal_naive
from .outliers import detect_outliers, has_outliers, outlier_adjusted
from .stl import stl_arima, stl_ets
from .theta import theta, theta_optimized

__all__ = ["Draft", "Spec", "CANDIDATES", "run", "seasonal_naive", "drift", "mean_method", "croston",
           "ets_additive", "ets_multiplicative", "ets_simple", "sarima", "arima_auto", "ar_changes",
           "ar_changes_long", "ces", "theta", "theta_optimized", "stl_ets", "stl_arima",
           "detect_outliers", "has_outliers", "outlier_adjusted"]


@dataclass(frozen=True)
class Spec:
    """What a model needs (模型说明): a function, positivity, seasonality, paths.

    Attributes
    ----------
    func : callable
        The wrapper ``func(w, h, period, log, params, seed, start) -> Draft``.
    log : bool
        Fit on ``log(y)``.
    positive : bool
        Needs every value > 0.
    seasonal_only : bool
        Meaningless without a season (dropped for annual series).
    simulates : bool
        Draws sample paths (needed by the nowcast).
    simple : bool
        A simple method (no festival adjustment, shorter backtest training).
    plain : str or None
        For an outlier-adjusted variant (``oa_<name>``), the name of its plain
        model: where the series has no outliers the two are the same fit.
    """

    func: Callable[..., Draft]
    log: bool
    positive: bool
    seasonal_only: bool
    simulates: bool
    simple: bool
    plain: str | None = None


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
    "ses": Spec(ets_simple, False, False, False, True, False),
    "ses_log": Spec(ets_simple, True, True, False, True, False),
    "sarima": Spec(sarima, False, False, False, True, False),
    "sarima_log": Spec(sarima, True, True, False, True, False),
    "arima_auto": Spec(arima_auto, False, False, False, True, False),
    "arima_auto_log": Spec(arima_auto, True, True, False, True, False),
    "ar": Spec(ar_changes, False, False, False, True, False),
    "ar_long": Spec(ar_changes_long, False, False, False, True, False),
    "ces": Spec(ces, False, False, False, True, False),
    "ces_log": Spec(ces, True, True, False, True, False),
    "theta": Spec(theta, False, False, False, True, False),
    "theta_log": Spec(theta, True, True, False, True, False),
    "theta_opt": Spec(theta_optimized, False, False, False, True, False),
    "theta_opt_log": Spec(theta_optimized, True, True, False, True, False),
    "stl_ets": Spec(stl_ets, False, False, True, False, False),
    "stl_ets_log": Spec(stl_ets, True, True, True, False, False),
    "stl_arima": Spec(stl_arima, False, False, True, False, False),
    "stl_arima_log": Spec(stl_arima, True, True, True, False, False),
}

#: Outlier-adjusted variants (异常值调整) of the default monthly members: ``oa_<name>``
#: fits ``<name>`` to the series with its automatically detected outliers removed
#: (:func:`~.outliers.outlier_adjusted`).
for _name in ("theta_opt_log", "ets_log", "arima_auto_log", "ces_log", "ar", "ar_long"):
    _spec = CANDIDATES[_name]
    CANDIDATES[f"oa_{_name}"] = Spec(outlier_adjusted(_spec.func), _spec.log, True, _spec.seasonal_only,
                                     _spec.simulates, _spec.simple, _name)
del _name, _spec


def run(name: str, w: np.ndarray, h: int, period: int, params=None,
        seed=None, start=None) -> tuple[Draft | None, list[str]]:
    """Fit one candidate, catching every warning and error; return (draft, notes).

    With ``params`` (from an earlier fit of the same candidate) the model is only
    filtered with them, not re-estimated: the backtest's cheap path. With
    ``start`` the estimation starts from those values (a warm start).

    Parameters
    ----------
    name : str
        A key of :data:`CANDIDATES`.
    w : numpy.ndarray
        The (festival-adjusted) series.
    h, period : int
        Horizon and seasonal period.
    params, start : numpy.ndarray, optional
        Parameters to filter with, or to start the estimation from.
    seed : int, optional
        Seed of the simulated intervals (ETS with multiplicative errors).

    Returns
    -------
    draft : Draft or None
        None when the fit failed.
    notes : list of str
        The failure and every warning caught, prefixed by the name.

    Examples
    --------
    >>> run("mean", np.array([2.0, 4.0]), 1, 1)[0].mean.tolist()
    [3.0]
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
