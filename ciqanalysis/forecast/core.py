"""One series, one call: automatic forecasts with intervals (预测).

:func:`forecast` fits a set of statsmodels candidates, scores them by a
rolling-origin backtest (滚动起点回测), keeps the plausible ones, and combines the
best ``top_k`` with inverse-error weights. Intervals are combined by averaging the
candidates' quantiles with the same weights. Every warning statsmodels raises is
caught and recorded in the result's ``flags``; a forecast outside the plausible
range is replaced by a fallback and announced with :class:`ForecastFallbackWarning`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._summary import Summary, provenance_caption, short_repr
from ..errors import ForecastFallbackWarning, ParameterError
from . import _candidates as C
from ._prep import Festival, check_levels, check_series, festival, probs_for, seasonal_period

__all__ = ["ForecastResult", "forecast", "backtest", "default_candidates", "default_method",
           "CANDIDATE_NAMES", "DEFAULT_METHOD", "DEFAULT_METHOD_LOWFREQ", "DEFAULT_METHOD_ANNUAL",
           "DEFAULT_METHOD_VERSION",
           "MAX_HORIZON"]

#: Names accepted by ``candidates=`` (``_log`` variants model log values).
CANDIDATE_NAMES: tuple[str, ...] = tuple(C.CANDIDATES)

#: The default method (默认方法): an equal-weight combination of statsmodels models,
#: damped-trend exponential smoothing ETS(A,Ad,A), the Theta method and the airline
#: SARIMA, each on logarithms for positive series. Quarterly series get ETS and
#: Theta only (:data:`DEFAULT_METHOD_LOWFREQ`), annual ones
#: :data:`DEFAULT_METHOD_ANNUAL`: on their short histories the
#: ARIMA member was both the least accurate and by far the slowest (M3 yearly and
#: quarterly samples, ``benchmarks/bench_m3.py``). The same method serves
#: :func:`forecast`, the nowcast, the track record and the memo.
DEFAULT_METHOD: tuple[str, ...] = ("ets", "theta", "sarima")
DEFAULT_METHOD_LOWFREQ: tuple[str, ...] = ("ets", "theta")
#: Annual series: ETS(A,Ad,N) and Theta on the levels, and Theta on logarithms
#: (names as given: on M3 yearly samples the level models forecast short annual
#: histories better than their log variants).
DEFAULT_METHOD_ANNUAL: tuple[str, ...] = ("ets", "theta", "theta_log")

#: Version of the default method: caches of its results (the track record) are keyed
#: by it, so a change of method invalidates them.
DEFAULT_METHOD_VERSION = "combo-5"

#: Longest horizon accepted (periods): beyond it, forecasts mean nothing and the
#: sample-path matrices would grow as horizon squared.
MAX_HORIZON = 600


@dataclass
class ForecastResult:
    """The outcome of :func:`forecast` for one series.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by the forecast periods; ``mean`` and ``lower_<L>``/``upper_<L>`` for
        each level L (in the series' unit, US dollars for trade values).
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

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary: forecast, models and backtest, flags (预测摘要).

        No clock dates or times in it. ``str()`` of it is the readable text this
        method returned before it returned a :class:`~ciqanalysis._summary.Summary`.

        Parameters
        ----------
        source : str, optional
            Provenance caption (real or synthetic, and the source); default read
            from the history's ``attrs``.

        Returns
        -------
        Summary
            Tables ``forecast`` (:meth:`to_frame`) and ``models`` (the models tried,
            weights and backtest errors, as :func:`~ciqanalysis.forecast.model_table`).

        Examples
        --------
        >>> idx = pd.period_range("2001", periods=12, freq="Y")
        >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2)
        >>> "backtest" in res.summary()
        True
        >>> [caption for caption, _ in res.summary().tables]
        ['forecast', 'models']
        """
        name = str(self.history.name or "series")
        return Summary(f"Forecast of {name}, horizon {len(self.table)}",
                       [("forecast", self.to_frame()), ("models", self.model_frame())],
                       notes=self.flags, provenance=provenance_caption(source, self.history),
                       text=self._text())

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

        :func:`~ciqanalysis.forecast.model_table` stacks these tables for several
        forecasts.

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

    def _repr_html_(self) -> str:
        return self.summary().as_html()

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
        lines.append("Rolling-origin backtest (滚动回测), best first:")
        lines.append(self.backtest.round(3).to_string())
        lines.append("Forecast:")
        lines.append(self.table.round(2).to_string())
        lines.append("Flags: " + ("; ".join(self.flags) if self.flags else "none"))
        return "\n".join(lines)


_SPECIAL = ("all_zero", "constant", "intermittent", "too_short", "tiny_series")


def default_method(positive: bool, period: int = 12) -> list[str]:
    """Return the models of the default method for a series (log variants when positive).

    Parameters
    ----------
    positive : bool
        Whether every value is > 0 (log models).
    period : int, default 12
        Seasonal period: 12 gives :data:`DEFAULT_METHOD`, 4
        :data:`DEFAULT_METHOD_LOWFREQ`, 1 :data:`DEFAULT_METHOD_ANNUAL`.

    Examples
    --------
    >>> default_method(True), default_method(True, period=1), default_method(False, period=1)
    (['ets_log', 'theta_log', 'sarima_log'], ['ets', 'theta', 'theta_log'], ['ets', 'theta'])
    """
    if period == 1:
        names = [m if positive else m.removesuffix("_log") for m in DEFAULT_METHOD_ANNUAL]
        return list(dict.fromkeys(names))
    base = DEFAULT_METHOD_LOWFREQ if period < 12 else DEFAULT_METHOD
    return [f"{m}_log" if positive else m for m in base]


def default_candidates(period: int, n: int, positive: bool, zeros_share: float = 0.0) -> tuple[list[str], list[str]]:
    """Return the candidate names suited to a series, and the flags explaining the choice.

    Parameters
    ----------
    period : int
        Seasonal period (12 monthly, 4 quarterly, 1 annual).
    n : int
        Number of observations.
    positive : bool
        Whether every value is > 0 (log and multiplicative models need it).
    zeros_share : float
        Share of zero values (intermittent series get Croston and the mean).

    Returns
    -------
    names : list of str
    flags : list of str

    Examples
    --------
    >>> default_candidates(12, 10, True)[1]
    ['tiny_series: 10 observations < 26 (two seasons + 2): simple methods only']
    """
    flags: list[str] = []
    sfx = "_log" if positive else ""
    if zeros_share >= 1.0:
        return ["mean"], ["all_zero: every value is zero: the forecast is zero"]
    if zeros_share >= 0.3:
        flags.append(f"intermittent: {zeros_share:.0%} zeros: Croston / mean / naive")
        return ["croston", "mean", "snaive"], flags
    need = 2 * period + 2 if period > 1 else 6
    if n < 3:
        flags.append(f"too_short: {n} observation(s): naive forecast only; intervals rest on at most one change")
        return [f"snaive{sfx}"], flags
    if n < need:
        flags.append(
            f"tiny_series: {n} observations < {need} "
            f"({'two seasons + 2' if period > 1 else 'six years'}): simple methods only"
        )
        names = [f"snaive{sfx}", "mean"] + ([f"drift{sfx}"] if n >= 3 else [])
        return names, flags
    if not positive:
        flags.append("non_positive: values <= 0 present: log and multiplicative models dropped")
    names = [f"snaive{sfx}", f"drift{sfx}", f"ets{sfx}", f"sarima{sfx}", f"theta{sfx}"]
    if period > 1:
        names += [f"stl_ets{sfx}", f"stl_arima{sfx}"]
    return names, flags


def _scale(train: np.ndarray, period: int) -> float:
    s = period if len(train) > period else 1
    d = np.abs(train[s:] - train[:-s]) if len(train) > s else np.abs(train)
    scale = float(np.mean(d)) if len(d) else 0.0
    if scale <= 0:
        scale = float(np.mean(np.abs(train))) or 1.0
    return scale


def _fit_one(name, values, periods, h, period, use_festival, params=None, seed=None, start=None):
    """Fit a candidate with the festival adjustment; return (draft, notes, fest)."""
    spec = C.CANDIDATES[name]
    fest = festival(values, periods, h, use_festival and not spec.simple, spec.log or spec.positive)
    draft, notes = C.run(name, fest.adjust(values), h, period, params, seed, start)
    return draft, notes, fest


def _origins(n: int, h_bt: int, n_origins: int, step: int, min_train: int) -> list[int]:
    out = [n - h_bt - step * j for j in range(n_origins)]
    return sorted(o for o in out if o >= min_train)


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
    period = seasonal_period(ys.index)
    if candidates is None:
        v = ys.to_numpy()
        candidates, _ = default_candidates(period, len(v), bool((v > 0).all()), float((v == 0).mean()))
    rows, _, _ = _backtest(ys.to_numpy(), ys.index, int(horizon), period, list(candidates),
                           n_origins, step, festival_effect)
    return pd.DataFrame(rows, columns=["candidate", "origin", "mase", "smape"]) if rows else \
        pd.DataFrame(columns=["candidate", "origin", "mase", "smape"])


def _backtest(values, periods, horizon, period, names, n_origins, step, use_festival):
    n = len(values)
    h_bt = max(1, min(horizon, 2 * period if period > 1 else horizon, n // 3))
    step = step or max(1, period // 4)
    simple_only = all(C.CANDIDATES[m].simple for m in names)
    min_train = 3 if simple_only else (2 * period + 2 if period > 1 else 6)
    origins = _origins(n, h_bt, n_origins, step, min_train)
    rows, notes = [], []
    first: dict[str, np.ndarray | None] = {}
    for o in origins:
        train, test = values[:o], values[o:o + h_bt]
        scale = _scale(train, period)
        for name in names:
            # parameters estimated at the earliest origin are reused (filtered, not
            # re-estimated) at later origins: no look-ahead, a fraction of the cost
            draft, nt, fest = _fit_one(name, train, periods[:o], h_bt, period, use_festival,
                                       first.get(name))
            notes += [f"backtest {periods[o - 1]}: {t}" for t in nt]
            if draft is None:
                continue
            first.setdefault(name, draft.params)
            f = fest.restore(draft.mean, 0)
            if not np.all(np.isfinite(f)):
                continue
            mase = float(np.mean(np.abs(test - f)) / scale)
            denom = np.abs(test) + np.abs(f)
            smape = float(np.mean(np.where(denom > 0, 2 * np.abs(test - f) / np.where(denom > 0, denom, 1), 0)) * 100)
            rows.append((name, periods[o - 1], mase, smape))
    return rows, notes, first


#: Probability grid on which each model's forecast distribution is represented
#: before the weighted mixture is formed.
_GRID = (np.arange(400) + 0.5) / 400


def _mixture_quantiles(grids, weights, probs) -> np.ndarray:
    """Quantiles of the weighted mixture of the models' forecast distributions.

    Each model is represented by its quantiles on :data:`_GRID` (rows) for every
    horizon (columns); pooling them with weight ``w / len(_GRID)`` and reading off
    weighted quantiles gives the mixture (组合分布), whose intervals include the
    disagreement between models, unlike averaging their bounds.
    """
    pooled = np.concatenate(grids, axis=0)
    wts = np.concatenate([np.full(g.shape[0], w / g.shape[0]) for g, w in zip(grids, weights, strict=True)])
    order = np.argsort(pooled, axis=0, kind="stable")
    values = np.take_along_axis(pooled, order, axis=0)
    cum = np.cumsum(wts[order], axis=0)
    cum /= cum[-1]
    out = np.empty((len(probs), pooled.shape[1]))
    for j in range(pooled.shape[1]):  # a loop over horizons, not rows of data
        out[:, j] = np.interp(probs, cum[:, j] - wts[order[:, j]] / 2, values[:, j])
    return out


def _plausible(mean, quant, values, max_ratio):
    """Return '' when a forecast is plausible, else the reason."""
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(quant))):
        return "non-finite forecast"
    top = float(np.max(np.abs(values))) if len(values) else 0.0
    if np.all(values >= 0) and np.any(mean < 0):
        return "negative forecast of a non-negative series"
    if top > 0 and np.max(np.abs(mean)) > max_ratio * top:
        return f"forecast beyond {max_ratio:g} x the historical maximum"
    if top > 0 and np.max(np.abs(quant)) > 10 * max_ratio * top:
        return f"interval beyond {10 * max_ratio:g} x the historical maximum"
    return ""


def forecast(y: pd.Series, horizon: int, levels=(80, 95), *, candidates=None, top_k: int | None = None,
             n_origins: int = 3, step: int | None = None, festival_effect: bool = True,
             max_ratio: float = 3.0, log: bool | None = None, select: bool | None = None,
             seed: int | None = None) -> ForecastResult:
    """Forecast one series with intervals: the default method, or chosen candidates.

    By default (``candidates=None``) the series gets the default method
    (:data:`DEFAULT_METHOD`): damped-trend ETS, Theta and airline SARIMA, fitted by
    statsmodels (on logarithms for positive series) and combined with equal
    weights; its intervals are the quantiles of the equal mixture of the three
    forecast distributions. Given ``candidates``, they are scored by a
    rolling-origin backtest (滚动起点回测) and the best ``top_k`` combined with
    inverse-error weights.

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
        three models for the default method).
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
    >>> res.models, list(res.table.columns)
    (['ets_log', 'theta_log', 'sarima_log'], ['mean', 'lower_80', 'upper_80', 'lower_95', 'upper_95'])
    """
    ys = check_series(y)
    levels = check_levels(levels)
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ParameterError(f"horizon must be a whole number of periods >= 1, got {horizon!r}")
    if horizon > MAX_HORIZON:
        raise ParameterError(
            f"horizon {horizon} is beyond the longest accepted, {MAX_HORIZON} periods; "
            "forecast fewer periods")
    if top_k is not None and top_k < 1:
        raise ParameterError(f"top_k must be >= 1, got {top_k!r}")
    h = int(horizon)
    values = ys.to_numpy()
    periods = ys.index
    period = seasonal_period(periods)
    positive = bool((values > 0).all())
    zeros = float((values == 0).mean())
    flags: list[str] = []
    use_log = positive and log is not False

    auto, flags0 = default_candidates(period, len(values), use_log, zeros)
    if len(values) > 1 and zeros < 1.0 and np.unique(values).size == 1:
        auto, flags0 = ["mean"], ["constant: every value is the same: the forecast repeats it"]
    special = [f for f in flags0 if f.split(":")[0] in _SPECIAL]
    if log is False and positive:
        flags0 = [f for f in flags0 if not f.startswith("non_positive")]
    if isinstance(candidates, str):
        if candidates != "all":
            raise ParameterError(f"candidates must be a list of names or 'all', got {candidates!r}")
        candidates = auto + (["ets_mul"] if use_log else [])
    if candidates is not None:
        names = list(candidates)
        unknown = [m for m in names if m not in C.CANDIDATES]
        if unknown:
            raise ParameterError(f"unknown candidate(s) {unknown}; expected names from {list(C.CANDIDATES)}")
        if not names:
            raise ParameterError("candidates is empty; give at least one name")
    is_default = candidates is None and not special
    if special:
        flags += flags0
        if candidates is not None:
            flags.append(f"candidates {list(candidates)} set aside: simple methods for this series")
        names = auto
    elif candidates is None:
        flags += flags0
        names = default_method(use_log, period)
    select = (not is_default) if select is None else bool(select)
    top_k = (len(names) if is_default else 3) if top_k is None else int(top_k)
    if not positive:
        dropped = [m for m in names if C.CANDIDATES[m].positive]
        if dropped:
            flags.append(f"non_positive: dropped {dropped} (they need values > 0)")
            names = [m for m in names if m not in dropped]
            if not names:
                names = ["snaive", "drift"]
    if period == 1:
        names = [m for m in names if not C.CANDIDATES[m].seasonal_only]

    # backtest first: its parameters warm-start the final fits
    bt_rows, bt_notes, starts = [], [], {}
    if select and len(names) > 1:
        bt_rows, bt_notes, starts = _backtest(values, periods, h, period, names, n_origins, step,
                                              festival_effect)

    # final fits
    drafts: dict[str, C.Draft] = {}
    fests: dict[str, Festival] = {}
    status: dict[str, str] = {}
    probs = probs_for(levels)
    for name in names:
        draft, notes, fest = _fit_one(name, values, periods, h, period, festival_effect, seed=seed,
                                      start=starts.get(name))
        flags += notes
        if draft is None:
            status[name] = "failed"
            continue
        mean = fest.restore(draft.mean, 0)
        quant = fest.restore(draft.quant(probs), 1)
        reason = _plausible(mean, quant, values, max_ratio)
        if reason:
            status[name] = f"implausible: {reason}"
            flags.append(f"{name}: rejected ({reason})")
            continue
        if not draft.converged:
            status[name] = "not converged"
            continue
        status[name] = "ok"
        drafts[name] = draft
        fests[name] = fest

    flags += sorted(set(bt_notes), key=bt_notes.index)
    bt = pd.DataFrame(bt_rows, columns=["candidate", "origin", "mase", "smape"])
    score = bt.groupby("candidate").agg(mase=("mase", "mean"), smape=("smape", "mean"),
                                         origins=("mase", "size")) if len(bt) else \
        pd.DataFrame(columns=["mase", "smape", "origins"])
    score = score.reindex(names).astype({"mase": "float64", "smape": "float64"})
    score["status"] = [status.get(m, "failed") for m in names]
    score["origins"] = score["origins"].fillna(0).astype("int64")
    order = score.assign(_k=score["mase"].fillna(np.inf), _n=range(len(score))).sort_values(["_k", "_n"])
    score = order.drop(columns=["_k", "_n"])
    score.index.name = "candidate"

    ranked = [m for m in score.index]
    top_planned = ranked[:top_k]
    scored = select and len(names) > 1 and len(bt) > 0
    if select and len(names) > 1 and not len(bt):
        flags.append("no backtest: series too short for a forecast origin; equal weights")
    usable = [m for m in ranked if m in drafts and (not scored or np.isfinite(score.loc[m, "mase"]))]
    chosen = usable[:top_k]
    fallback = False
    lost = [m for m in top_planned if status.get(m, "").startswith("implausible")]
    if lost:
        fallback = True
    if is_default and not lost and len(chosen) < len(names):
        flags.append(f"default method: {[m for m in names if m not in chosen]} unusable "
                     f"({', '.join(status.get(m, 'failed') for m in names if m not in chosen)}); "
                     f"combined {chosen}")
    if not chosen:
        fallback = True
        simple = "snaive_log" if positive else "snaive"
        draft, notes, fest = _fit_one(simple, values, periods, h, period, False)
        flags += notes
        drafts[simple], fests[simple] = draft, fest
        chosen = [simple]
        flags.append(f"fallback: no candidate was usable; {simple} used")
    if lost:
        flags.append(f"fallback: {lost} left the plausible range; combined {chosen} instead")
    mase = score["mase"].reindex(chosen).to_numpy(dtype="float64")
    if scored and np.all(np.isfinite(mase)) and len(chosen) > 1:
        inv = 1.0 / np.maximum(mase, 1e-9)
        w = inv / inv.sum()
    else:
        w = np.full(len(chosen), 1.0 / len(chosen))
    weights = {m: float(x) for m, x in zip(chosen, w, strict=True)}

    mean = sum(weights[m] * fests[m].restore(drafts[m].mean, 0) for m in chosen)
    grids = [fests[m].restore(drafts[m].quant(_GRID), 1) for m in chosen]
    quant = _mixture_quantiles(grids, [weights[m] for m in chosen], probs)
    reason = _plausible(mean, quant, values, max_ratio)
    if reason:  # the combination itself is off: fall back to the seasonal naive method
        fallback = True
        simple = "snaive_log" if positive else "snaive"
        draft, notes, fest = _fit_one(simple, values, periods, h, period, False)
        drafts, fests = {simple: draft}, {simple: fest}
        weights, chosen = {simple: 1.0}, [simple]
        grids = [draft.quant(_GRID)]
        mean, quant = draft.mean, draft.quant(probs)
        flags.append(f"fallback: combined forecast rejected ({reason}); {simple} used")

    # a mean outside its own narrowest interval (a very skewed forecast, e.g. after a
    # spike) would read as an error: report the median of the mixture instead
    k = len(levels)
    outside = (mean < quant[k - 1]) | (mean > quant[k])
    if np.any(outside):
        median = _mixture_quantiles(grids, [weights[m] for m in chosen], [0.5])[0]
        flags.append(f"skewed: the mean fell outside the {levels[0]} % interval in "
                     f"{int(outside.sum())} period(s); the median is reported there")
        mean = np.where(outside, median, mean)
    if np.all(values >= 0) and np.any(quant < 0):
        flags.append("lower bounds below 0 set to 0 (the series is non-negative)")
        quant = np.maximum(quant, 0.0)
    if np.unique(values).size < 2:
        flags.append(f"no_interval: the history has {'one value' if len(values) == 1 else 'no variation'}; "
                     "the interval width cannot be estimated, bounds are NaN")
        quant = np.full_like(quant, np.nan)
    future = pd.period_range(periods[-1] + 1, periods=h, freq=periods.freq)
    table = pd.DataFrame({"mean": mean}, index=future)
    for i, lv in enumerate(sorted(levels, reverse=True)):
        table[f"lower_{lv}"] = quant[i]
        table[f"upper_{lv}"] = quant[2 * k - 1 - i]
    cols = ["mean"] + [c for lv in levels for c in (f"lower_{lv}", f"upper_{lv}")]
    table = table[cols]
    table.index.name = "period"
    beta = next((fests[m].beta for m in chosen if fests[m].kind != "none"), None)
    if fallback:
        warnings.warn(
            f"forecast of {ys.name or 'series'}: {'; '.join(f for f in flags if f.startswith('fallback'))}",
            ForecastFallbackWarning, stacklevel=2,
        )
    return ForecastResult(
        table=table, models=chosen, weights=weights, backtest=score, flags=flags,
        fallback=fallback, history=ys, levels=levels, festival_beta=beta,
        _drafts={m: drafts[m] for m in chosen}, _fest={m: fests[m] for m in chosen},
    )
