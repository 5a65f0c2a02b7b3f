"""One series, one call: automatic forecasts with intervals (预测).

:func:`forecast` fits a set of statsmodels candidates, scores them by a
rolling-origin backtest (滚动起点回测), keeps the plausible ones, and combines the
best ``top_k`` with inverse-error weights. Intervals are combined by averaging the
candidates' quantiles with the same weights. Every warning statsmodels raises is
caught and recorded in the result's ``flags``; a forecast outside the plausible
range is replaced by a fallback and announced with :class:`ForecastFallbackWarning`.

This module holds the entry points and the result; the steps live in
:mod:`ciqanalysis.forecast.engine` and the models in :mod:`ciqanalysis.forecast.models`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._summary import short_repr
from ..config import DEFAULT_LEVELS
from ..errors import ForecastFallbackWarning, ParameterError, user_stacklevel
from . import engine as E
from . import models as M
from ._prep import Festival, check_candidate_names, check_levels, check_series, seasonal_period
from ._result import Presented
from .calendar import festival_table
from .engine import (
    DEFAULT_METHOD,
    DEFAULT_METHOD_ANNUAL,
    DEFAULT_METHOD_LOWFREQ,
    default_candidates,
    default_method,
)

__all__ = ["ForecastResult", "forecast", "backtest", "default_candidates", "default_method",
           "CANDIDATE_NAMES", "DEFAULT_METHOD", "DEFAULT_METHOD_LOWFREQ", "DEFAULT_METHOD_ANNUAL",
           "DEFAULT_METHOD_VERSION",
           "MAX_HORIZON"]

#: Names accepted by ``candidates=`` (``_log`` variants model log values).
CANDIDATE_NAMES: tuple[str, ...] = tuple(M.CANDIDATES)

#: Version of the default method: caches of its results (the track record) are keyed
#: by it, so a change of method invalidates them. combo-6: median point forecasts,
#: the seasonality test, widened annual and quarterly intervals, new annual and
#: quarterly members (the monthly members, hence the track record, are unchanged).
#: combo-7: the plausibility check and the naive fallback use the point forecast the
#: default method reports (the median), not the mean of log models. combo-8: the
#: nowcast's annual point is the median of the simulated totals when their mean
#: exceeds 1.2 times it (never on China's series: the track record is unchanged).
#: combo-9: monthly members theta_opt, ets, arima_auto and ces on logs, ar and ar_long
#: on levels, combined by their median (M3 monthly MASE 0.837 -> 0.817). combo-10:
#: each monthly member also fitted without its automatically detected outliers
#: (twelve members; track record 9.60 / 9.61 -> 9.27 / 9.49 % MAPE).
DEFAULT_METHOD_VERSION = "combo-10"

#: Longest horizon accepted (periods): beyond it, forecasts mean nothing and the
#: sample-path matrices would grow as horizon squared.
MAX_HORIZON = 600


@dataclass
class ForecastResult(Presented):
    """The outcome of :func:`forecast` for one series.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by the forecast periods; ``mean`` and ``lower_<L>``/``upper_<L>`` for
        each level L (in the series' unit, US dollars for trade values). ``mean`` is
        the point forecast: for the default method the combination of the models'
        medians (for log models ``exp`` of the log-scale forecast, without the
        log-normal bias term: the better point for absolute errors); for chosen
        candidates the weighted mean of their means.
    models : list of str
        The candidates combined (best first).
    weights : dict
        Combination weight of each model (sums to 1).
    backtest : pandas.DataFrame
        One row per candidate: ``mase``, ``smape`` (percent), ``origins``, ``status``.
    flags : list of str
        Everything that went differently from plan: tiny/intermittent series,
        candidates dropped (non-positive data, failed fits, no convergence,
        implausible forecasts), fallbacks, warnings caught from statsmodels.
    fallback : bool
        True when a fallback replaced a forecast that left the plausible range.
    history : pandas.Series
        The series forecast (for charts).
    levels : tuple
        Interval levels, percent.
    festival_beta : float or None
        Spring Festival (春节) coefficient used, None when no adjustment was made.

    Notes
    -----
    ``summary()`` (forecast summary, 预测摘要) has the tables ``forecast``
    (:meth:`to_frame`) and ``models`` (the models tried, weights and backtest errors,
    :meth:`model_frame`, stacked per direction by
    :meth:`Outlook.model_frame <ciqanalysis.forecast.Outlook.model_frame>`).
    :meth:`festival_effects` shows the Spring Festival (春节) adjustment.

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2)
    >>> "backtest" in res.summary()
    True
    >>> [caption for caption, _ in res.summary().tables]
    ['forecast', 'models']
    """

    table: pd.DataFrame
    models: list[str]
    weights: dict[str, float]
    backtest: pd.DataFrame
    flags: list[str]
    fallback: bool
    history: pd.Series
    levels: tuple
    festival_beta: float | None = None
    _drafts: dict = field(default_factory=dict, repr=False)
    _fest: dict = field(default_factory=dict, repr=False)

    def residuals(self) -> np.ndarray:
        """Return in-sample one-step errors (data scale), for reconciliation (MinT).

        The errors of the ETS member of the combination when it has one (festival
        effect put back); otherwise those of the seasonal naive forecast
        (y_t - y_(t-s)), the natural one-step errors of the simple methods.

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2).residuals().shape
        (12,)
        """
        y = self.history.to_numpy()
        for m in self.models:
            d = self._drafts[m]
            if d.fitted is not None and len(d.fitted) == len(y):
                fest = self._fest[m]
                hist = Festival(fest.beta, fest.kind, fest.hist, fest.hist)
                return y - hist.restore(d.fitted, 0)
        s = seasonal_period(self.history.index)
        s = s if len(y) > s else 1
        return y[s:] - y[:-s] if len(y) > s else np.zeros(0)

    def sample_paths(self, n_paths: int = 2000, seed=0) -> pd.DataFrame:
        """Return simulated future paths of the combination (模拟路径), one column each.

        Each model of the combination contributes paths in proportion to its weight
        (equal numbers for the default method); the Spring Festival adjustment is put
        back. Sums over a block of months give the distribution of a total, e.g. next
        year's annual total, with the months' correlation kept (an interval for a sum
        is not the sum of the months' intervals). :func:`nowcast_year` draws its paths
        here.

        Parameters
        ----------
        n_paths : int, default 2000
            Number of paths (at least 100).
        seed : int or numpy.random.Generator, default 0
            Seed, or a generator to draw from: same input and seed, same paths.

        Returns
        -------
        pandas.DataFrame
            Indexed by the forecast periods, one column per path (``path`` 0, 1, ...),
            in the series' unit. Paths of non-negative series are not floored here.

        Raises
        ------
        ParameterError
            If a model of the combination cannot simulate paths, or ``n_paths`` is
            not a whole number >= 100.

        Examples
        --------
        >>> idx = pd.period_range("2001-01", periods=60, freq="M")
        >>> y = pd.Series(100 + np.arange(60.0) + 5 * np.sin(np.arange(60) / 2), index=idx)
        >>> paths = forecast(y, 12).sample_paths(500, seed=1)
        >>> paths.shape
        (12, 500)
        >>> total = paths.sum()  # distribution of the 12-month total
        >>> bool(total.quantile(0.1) < total.mean() < total.quantile(0.9))
        True
        """
        if isinstance(n_paths, bool) or not isinstance(n_paths, (int, np.integer)) or n_paths < 100:
            raise ParameterError(f"n_paths must be a whole number >= 100, got {n_paths!r}")
        no_paths = [m for m in self.models if self._drafts[m].paths is None]
        if no_paths:
            raise ParameterError(f"candidates {no_paths} cannot simulate sample paths; use names "
                                 f"such as those of the default method, {E.default_method(True)}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        w = np.array([self.weights[m] for m in self.models])
        counts = np.floor(w * n_paths).astype(int)
        counts[0] += n_paths - counts.sum()
        blocks = [self._fest[m].restore(self._drafts[m].paths(int(k), rng), 0)
                  for m, k in zip(self.models, counts, strict=True) if k > 0]
        out = pd.DataFrame(np.concatenate(blocks, axis=1), index=self.table.index)
        out.columns.name = "path"
        return out

    def _summary_parts(self):
        """Title, tables ``forecast`` (:meth:`to_frame`) and ``models`` (:meth:`model_frame`), flags, text."""
        name = str(self.history.name or "series")
        return (f"Forecast of {name}, horizon {len(self.table)}",
                [("forecast", self.to_frame()), ("models", self.model_frame())], self.flags, self._text())

    def _provenance_data(self):
        return self.history

    def to_frame(self) -> pd.DataFrame:
        """Return the forecast table (``mean``, ``lower_<L>``, ``upper_<L>``), a copy.

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2).to_frame().shape
        (2, 5)
        """
        return self.table.copy()

    def model_frame(self) -> pd.DataFrame:
        """Return the models tried: weight, backtest errors, status (模型与回测误差).

        :meth:`Outlook.model_frame <ciqanalysis.forecast.Outlook.model_frame>` stacks
        these tables for the directions of an outlook.

        Returns
        -------
        pandas.DataFrame
            Index candidate, best first; ``weight`` (0 when not combined), ``mase``,
            ``smape`` (percent), ``origins``, ``status``.

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2,
        ...                candidates=["drift", "snaive"], top_k=1)
        >>> res.model_frame()["weight"].tolist()
        [1.0, 0.0]
        """
        bt = self.backtest
        weight = pd.Series(self.weights, dtype="float64").reindex(bt.index, fill_value=0.0)
        return pd.DataFrame({
            "weight": weight.to_numpy(),
            "mase": bt["mase"].astype("float64").to_numpy(),
            "smape": bt["smape"].astype("float64").to_numpy(),
            "origins": bt["origins"].to_numpy(),
            "status": bt["status"].to_numpy(),
        }, index=bt.index)

    @property
    def festival_kinds(self) -> dict[str, str]:
        """How each combined model took the Spring Festival (春节) effect out.

        Model -> ``"log"`` (a factor ``exp(beta * x)``), ``"level"`` (an added
        ``beta * x``) or ``"none"`` (no adjustment).

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2, candidates=["drift"]).festival_kinds
        {'drift': 'none'}
        """
        return {m: f.kind for m, f in self._fest.items()}

    def festival_effects(self, years) -> pd.DataFrame:
        """Estimated Spring Festival effect (春节效应) on January-March, in percent.

        The forecast removes ``exp(beta * x)`` from history (log models) and puts it
        back into the forecast; ``beta`` (``festival_beta``) is estimated by least
        squares on seasonal differences, ``x`` is the regressor of
        :func:`~ciqanalysis.forecast.festival_table`.

        Parameters
        ----------
        years : iterable of int
            Years shown.

        Returns
        -------
        pandas.DataFrame
            Index year; ``beta`` and ``jan_pct``, ``feb_pct``, ``mar_pct``: the
            month's value relative to a month with an average festival share, in
            percent, from the log-scale coefficient of the models fitted to
            logarithms. Models fitted to the values (e.g. the autoregressions of the
            default method) remove the same regressor additively, with a coefficient
            in money estimated the same way. NaN when no adjustment was made or no
            combined model is fitted to logarithms.

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2, candidates=["drift"])
        >>> bool(res.festival_effects([2010])["beta"].isna().all())
        True
        """
        reg = festival_table(years)[["jan", "feb", "mar"]]
        beta = self.festival_beta
        usable = beta is not None and "log" in self.festival_kinds.values()
        effect = (np.expm1(beta * reg) * 100) if usable else reg * np.nan
        effect.columns = [f"{c}_pct" for c in reg.columns]
        return effect.assign(beta=np.nan if beta is None else beta)[["beta", "jan_pct", "feb_pct", "mar_pct"]]

    def __repr__(self) -> str:
        return short_repr(self, series=self.history.name, n_obs=len(self.history),
                          horizon=len(self.table), models=self.models, flags=len(self.flags))

    def _text(self) -> str:
        lines = [
            f"Forecast of {self.history.name or 'series'}: {len(self.history)} periods "
            f"{self.history.index[0]}..{self.history.index[-1]}, horizon {len(self.table)}",
            "Models (weight): " + ", ".join(f"{m} ({self.weights[m]:.2f})" for m in self.models),
        ]
        if self.festival_beta is not None:
            lines.append(f"Spring Festival (春节) coefficient: {self.festival_beta:.3f}")
        if (self.backtest["origins"] > 0).any():
            lines.append("Rolling-origin backtest (滚动回测), best first:")
            lines.append(self.backtest.round(3).to_string())
        else:  # the default method: equal weights, nothing backtested (not a table of NaN)
            lines.append("Rolling-origin backtest (滚动回测) not run, the models weighted equally "
                         "(select=True weights them by backtest); the models tried")
            lines.append(self.backtest[["status"]].to_string())
        lines.append("Forecast:")
        lines.append(self.table.round(2).to_string())
        lines.append("Flags: " + ("; ".join(self.flags) if self.flags else "none"))
        return "\n".join(lines)




def backtest(y: pd.Series, horizon: int, candidates=None, n_origins: int = 3, step: int | None = None,
             festival_effect: bool = True) -> pd.DataFrame:
    """Rolling-origin backtest (滚动起点回测) of forecasting candidates.

    Each candidate is refitted on the data before each origin and scored on the
    next ``min(horizon, 2 seasons)`` periods by MASE (error / in-sample seasonal
    naive error) and sMAPE.

    Parameters
    ----------
    y : pandas.Series
        PeriodIndex series (monthly, quarterly or annual).
    horizon : int
        Forecast horizon in periods.
    candidates : list of str, optional
        Names from :data:`CANDIDATE_NAMES`; default :func:`default_candidates`.
    n_origins : int, default 3
        Number of forecast origins.
    step : int, optional
        Periods between origins (default a quarter of a season, at least 1).
    festival_effect : bool, default True
        Adjust monthly series for the Spring Festival (春节).

    Returns
    -------
    pandas.DataFrame
        Long table: ``candidate``, ``origin`` (last period used), ``mase``, ``smape``.

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> bt = backtest(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2, ["drift"], n_origins=2)
    >>> bt["candidate"].tolist()
    ['drift', 'drift']
    """
    ys = check_series(y)
    check_candidate_names(candidates)
    period = seasonal_period(ys.index)
    if candidates is None:
        v = ys.to_numpy()
        candidates, _ = default_candidates(period, len(v), bool((v > 0).all()), float((v == 0).mean()))
    rows, _, _ = E.backtest_rows(ys.to_numpy(), ys.index, int(horizon), period, list(candidates),
                           n_origins, step, festival_effect)
    return pd.DataFrame(rows, columns=["candidate", "origin", "mase", "smape"]) if rows else \
        pd.DataFrame(columns=["candidate", "origin", "mase", "smape"])




def forecast(y: pd.Series, horizon: int, levels=DEFAULT_LEVELS, *, candidates=None, top_k: int | None = None,
             n_origins: int = 3, step: int | None = None, festival_effect: bool = True,
             max_ratio: float = 3.0, log: bool | None = None, select: bool | None = None,
             seed: int | None = None) -> ForecastResult:
    """Forecast one series with intervals: the default method, or chosen candidates.

    By default (``candidates=None``) the series gets the default method
    (:data:`DEFAULT_METHOD`; :func:`default_method` by frequency): for monthly
    series the optimised Theta method, damped-trend ETS, an automatic ARIMA and CES
    (on logarithms for positive series) and two autoregressions of the monthly
    changes (on the values), each also fitted without its automatically detected
    outliers (:data:`~ciqanalysis.forecast.engine.DEFAULT_OUTLIER_ADJUSTED`), fitted
    by statsmodels and combined by their median with equal weights; quarterly
    and annual series get their own members (:data:`DEFAULT_METHOD_LOWFREQ`,
    :data:`DEFAULT_METHOD_ANNUAL`). The point forecast combines the members'
    medians (annual: their median); a series without significant seasonality
    (:func:`~ciqanalysis.forecast.engine.is_seasonal`) gets the members without a
    seasonal component (flag ``non_seasonal``); the intervals are the quantiles
    of the equal mixture of the members' forecast distributions, widened for
    annual and quarterly series
    (:data:`~ciqanalysis.forecast.engine.DEFAULT_INTERVAL_SCALE`). Given
    ``candidates``, they are scored by a rolling-origin backtest (滚动起点回测)
    and the best ``top_k`` combined with inverse-error weights (means, unwidened).

    Parameters
    ----------
    y : pandas.Series
        Real values (e.g. US dollars) with a monthly, quarterly or annual
        PeriodIndex, consecutive, no missing values.
    horizon : int
        Number of periods to forecast, 1..:data:`MAX_HORIZON`.
    levels : tuple of float, default (80, 95)
        Interval levels in percent (a single number means one level).
    candidates : list of str or "all", optional
        Candidate names (see :data:`CANDIDATE_NAMES`) to choose from by backtest;
        default the default method. ``"all"`` offers every model suited to the
        series plus ETS(M,Ad,M) (``ets_mul``). Short, zero or intermittent series
        always get the simple methods (and a flag).
    top_k : int, optional
        Number of best backtested candidates combined (组合预测); default 3 (all
        the models of the default method).
    n_origins, step : int
        Rolling-origin backtest design (see :func:`backtest`).
    festival_effect : bool, default True
        Adjust monthly series for the Spring Festival (春节) before modelling and
        put the effect back into the forecast.
    max_ratio : float, default 3.0
        Plausible range: a mean forecast beyond ``max_ratio`` times the largest
        absolute historical value (or negative for a non-negative series) is
        rejected and replaced.
    log : bool, optional
        Force log models on (True) or off (False); default: on when all values > 0.
    select : bool, optional
        Run the backtest and weight by it; default True when ``candidates`` are
        given, False for the default method (equal weights).
    seed : int, optional
        Seed for the few intervals statsmodels gives only by simulation (ETS with
        multiplicative errors); default a fixed internal seed. Everything else is
        analytic, so the same input always gives the same numbers.

    Returns
    -------
    ForecastResult
        When the history has no variation (one observation or a constant), the
        interval bounds are NaN and a ``no_interval`` flag says why: a width of
        zero would claim certainty the data cannot give. When the mean of a very
        skewed forecast distribution falls outside its own narrowest interval,
        the median is reported instead and flagged ``skewed``.

    Raises
    ------
    ParameterError
        For a series that is not a real-valued PeriodIndex series, a horizon
        outside 1..:data:`MAX_HORIZON`, bad levels or unknown candidate names.

    Examples
    --------
    >>> idx = pd.period_range("2001-01", periods=48, freq="M")
    >>> season = 1 + 0.1 * np.sin(np.arange(48) * np.pi / 6)
    >>> y = pd.Series(100 * 1.01 ** np.arange(48) * season, index=idx)
    >>> res = forecast(y, 12)
    >>> res.models[:6], len(res.models), list(res.table.columns)
    (['theta_opt_log', 'ets_log', 'arima_auto_log', 'ces_log', 'ar', 'ar_long'], 12, ['mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95'])
    """
    ys = check_series(y)
    levels = check_levels(levels)
    _check_options(horizon, top_k, candidates)
    p = E.Problem(ys.to_numpy(), ys.index, int(horizon), seasonal_period(ys.index), levels,
                  festival_effect, max_ratio, seed)
    choice = E.choose_candidates(p, candidates, log, select, top_k)
    flags = list(choice.flags)
    # backtest first: its parameters warm-start the final fits
    bt_rows, bt_notes, starts = [], [], {}
    if choice.select and len(choice.names) > 1:
        bt_rows, bt_notes, starts = E.backtest_rows(p.values, p.periods, p.h, p.period, choice.names,
                                                    n_origins, step, festival_effect)
    fits, status, fit_flags = E.fit_candidates(p, choice.names, starts, choice.fit_period, choice.point)
    flags += fit_flags + sorted(set(bt_notes), key=bt_notes.index)
    score = E.score_table(bt_rows, choice.names, status)
    scored = choice.select and len(choice.names) > 1 and len(bt_rows) > 0
    if choice.select and len(choice.names) > 1 and not bt_rows:
        flags.append("no backtest: series too short for a forecast origin; equal weights")
    chosen, fallback, pick_flags = E.pick_models(p, choice, score, fits, status, scored)
    flags += pick_flags
    fits, mix, rejected = E.checked_mixture(p, chosen, score, fits, scored, choice.point,
                                             choice.interval_scale, choice.center)
    fallback = fallback or bool(rejected)
    chosen = mix.models
    mean, quant, finish_flags = E.finish_interval(p, mix)
    flags += rejected + finish_flags
    if fallback:
        warnings.warn(
            f"forecast of {ys.name or 'series'}: {'; '.join(f for f in flags if f.startswith('fallback'))}",
            ForecastFallbackWarning, stacklevel=user_stacklevel(),
        )
    # the multiplicative (log-scale) coefficient when a log model is combined: it reads in percent
    kinds = sorted((m for m in chosen if fits.fests[m].kind != "none"),
                   key=lambda m: fits.fests[m].kind != "log")
    beta = fits.fests[kinds[0]].beta if kinds else None
    return ForecastResult(
        table=E.build_table(p, mean, quant), models=chosen, weights=mix.weights, backtest=score,
        flags=flags, fallback=fallback, history=ys, levels=levels, festival_beta=beta,
        _drafts={m: fits.drafts[m] for m in chosen}, _fest={m: fits.fests[m] for m in chosen},
    )


def _check_options(horizon, top_k, candidates=None) -> None:
    """Refuse a horizon outside 1..MAX_HORIZON, a ``top_k`` below 1 or a repeated candidate."""
    check_candidate_names(candidates)
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ParameterError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    if horizon > MAX_HORIZON:
        raise ParameterError(
            f"horizon {horizon} is beyond the longest accepted, {MAX_HORIZON} periods; "
            "forecast fewer periods")
    if top_k is not None and top_k < 1:
        raise ParameterError(f"top_k must be >= 1, got {top_k!r}")
