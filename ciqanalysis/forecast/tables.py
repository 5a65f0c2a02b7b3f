"""Presentation tables of forecasts, for notebooks and reports (预测汇总表).

Thin helpers that turn the results of :func:`~ciqanalysis.forecast.nowcast_year`,
:func:`~ciqanalysis.forecast.forecast` and :func:`~ciqanalysis.forecast.track_record`
into small tables a director can scan: the full-year outlook (全年预估) by direction
in 亿美元, the models chosen with their backtest errors (回测误差), the Spring
Festival (春节) dates and effects, the track record (历史预测检验) per year and in
summary, and a forecast set against its outturn (实际值). They compute no new
forecasts, except :func:`nowcast_forecast`, which re-runs the monthly forecast
behind a nowcast (same series, horizon and options, so the same models) to show
its backtest.

Examples
--------
>>> idx = pd.period_range("2004-01", "2010-10", freq="M")
>>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
>>> res = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False)
>>> outlook_table(res, unit="USD").index.tolist()
[('export', 2010), ('export', 2011)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..units import from_usd
from .calendar import festival_regressor, spring_festival_dates
from .core import ForecastResult, forecast
from .nowcast import NowcastResult, nowcast_year, sum_nowcasts
from .track import TrackRecord

__all__ = [
    "nowcast_by_direction",
    "outlook_table",
    "partial_month_table",
    "nowcast_forecast",
    "model_table",
    "festival_table",
    "festival_effects",
    "track_record_summary",
    "track_record_years",
    "outturn_check",
    "for_display",
    "compare",
    "round_significant",
    "format_significant",
    "MONEY_SIGNIFICANT",
]

#: Significant figures shown for simulated money (forecast means, interval bounds):
#: their Monte Carlo error is about 1e-3 relative (another seed moves them that
#: much), so a fourth figure would be noise, and a fifth differs between CPUs.
MONEY_SIGNIFICANT = 3

_DECL_COLUMNS = ("date", "direction", "value_usd")


def _bounds(levels) -> list[str]:
    return [f"{side}_{lv}" for lv in levels for side in ("lower", "upper")]


def _check_results(results, what: str = "results") -> None:
    if not isinstance(results, Mapping) or not results:
        raise ParameterError(
            f"{what} must be a non-empty mapping of series name -> NowcastResult, e.g. the "
            f"output of nowcast_by_direction; got {type(results).__name__}"
        )
    bad = [k for k, v in results.items() if not isinstance(v, NowcastResult)]
    if bad:
        raise ParameterError(f"{what}: entries {bad} are not NowcastResult objects")


def nowcast_by_direction(data: pd.DataFrame, as_of, levels=(80, 95), seed: int = 0, *,
                         add_total: bool = True, **options) -> dict[str, NowcastResult]:
    """Nowcast the as-of year and forecast the next, for each direction (分方向预测).

    Parameters
    ----------
    data : pandas.DataFrame
        Either declarations (报检批次, columns ``date``, ``direction``,
        ``value_usd``), summed by day exactly as the forecast memo does, so a
        partial as-of month is completed with the share usually done by that day;
        or a monthly frame (PeriodIndex 'M', one column per direction, US dollars),
        already cut at the last month known on ``as_of``.
    as_of : str or date-like
        The day the analyst stands on (截至日期), a parameter, never the clock.
    levels : tuple, default (80, 95)
        Interval levels, percent.
    seed : int, default 0
        Seed of the simulated paths (the same for every direction).
    add_total : bool, default True
        Also give the total (exports + imports), added up path by path from the
        directions (:func:`~ciqanalysis.forecast.sum_nowcasts`), so that the parts
        sum to the total in every month, year and mean.
    **options
        Passed on to :func:`~ciqanalysis.forecast.nowcast_year` (``n_paths``,
        ``candidates``, ``select``, ...). Without options the defaults are those of
        the forecast memo, so the numbers agree with it.

    Returns
    -------
    dict
        Direction (``export``, ``import``, ``total``) -> NowcastResult; a direction
        absent from the declarations is left out, and so is the total then.

    Raises
    ------
    ParameterError
        If ``data`` is neither declarations nor a monthly frame.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> y = pd.DataFrame({"export": np.arange(82.0) + 50, "import": np.arange(82.0) + 60},
    ...                  index=idx)
    >>> sorted(nowcast_by_direction(y, "2010-11-20", seed=1, n_paths=200, select=False))
    ['export', 'import', 'total']
    """
    if not isinstance(data, pd.DataFrame):
        raise ParameterError(f"data must be a DataFrame (declarations or monthly), got {type(data).__name__}")
    if set(_DECL_COLUMNS) <= set(data.columns):
        from ..panel import daily_by_direction  # the same daily sums as the memo's

        series = daily_by_direction(data, as_of)
        series.pop("total")  # the total is the directions' paths summed (sum_nowcasts)
        # a file with exports only (or imports only): no series of zeros to forecast
        present = set(data["direction"].astype("str").unique())
        for d in [d for d in ("export", "import") if d not in present]:
            series.pop(d)
    elif isinstance(data.index, pd.PeriodIndex) and data.index.freqstr in ("M", "ME"):
        series = {str(c): data[c].astype("float64").rename(str(c)) for c in data.columns}
    else:
        raise ParameterError(
            "data must be declarations (columns date, direction, value_usd) or a monthly "
            f"frame with a PeriodIndex 'M'; got columns {list(data.columns)[:6]} and index "
            f"{type(data.index).__name__}"
        )
    out = {name: nowcast_year(s, as_of, levels=levels, seed=seed, **options) for name, s in series.items()}
    if add_total and len(out) > 1:
        out["total"] = sum_nowcasts(out)
    return out


def outlook_table(results: Mapping[str, NowcastResult], unit: str = "亿美元") -> pd.DataFrame:
    """Tabulate the full year (全年) and next year (明年) by direction, with intervals.

    Parameters
    ----------
    results : mapping
        Direction -> NowcastResult (from :func:`nowcast_by_direction`).
    unit : str, default "亿美元"
        Money unit of the table (1 亿美元 = 100 million US dollars).

    Returns
    -------
    pandas.DataFrame
        Index (direction, year); columns ``observed`` (year to date, 累计, with the
        partial month; 0 for the next year), ``mean``, ``lower_<L>``/``upper_<L>``,
        ``growth_pct`` (同比 of the mean: the as-of year against the previous year's
        actual total, the next year against the as-of year's mean).

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
    >>> tab = outlook_table(nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200,
    ...                                          select=False), unit="USD")
    >>> bool(tab.loc[("export", 2010), "mean"] > tab.loc[("export", 2010), "observed"])
    True
    """
    _check_results(results)
    frames = []
    for name, res in results.items():
        cols = ["observed", "mean", *_bounds(res.levels)]
        tab = res.table[cols].astype("float64")
        tab = from_usd(tab, unit).assign(growth_pct=res.table["growth_pct"].to_numpy())
        tab.index = pd.MultiIndex.from_arrays(
            [[name] * len(tab), [int(p.year) for p in res.table.index]], names=["direction", "year"])
        frames.append(tab)
    return pd.concat(frames)


def partial_month_table(results: Mapping[str, NowcastResult], unit: str = "亿美元") -> pd.DataFrame:
    """Show how the partial as-of month was completed (当月部分数据的补全).

    Parameters
    ----------
    results : mapping
        Direction -> NowcastResult.
    unit : str, default "亿美元"
        Money unit.

    Returns
    -------
    pandas.DataFrame
        Index direction; ``month``, ``share_done`` (share of the month usually done
        by the as-of day; NaN without a partial month), ``observed`` (the month's
        value through the as-of day), ``month_mean`` and the month's interval bounds
        (observed part plus the simulated remainder).

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-11", freq="M")
    >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
    >>> res = nowcast_by_direction(y, "2010-11-15", seed=1, n_paths=200, select=False)
    >>> tab = partial_month_table(res, unit="USD")
    >>> float(tab.loc["export", "observed"]), round(float(tab.loc["export", "share_done"]), 2)
    (182.0, 0.5)
    """
    _check_results(results)
    rows = {}
    for name, res in results.items():
        month = res.as_of.to_period("M")
        year = res.as_of.year
        done = res.history[res.history.index.year == year].sum()
        observed = float(res.table["observed"].iloc[0] - done) if res.partial_share is not None else 0.0
        row = {"month": str(month), "share_done": np.nan if res.partial_share is None else res.partial_share,
               "observed": from_usd(observed, unit)}
        if month in res.monthly.index:
            cols = ["mean", *_bounds(res.levels)]
            vals = from_usd(res.monthly.loc[month, cols].astype("float64"), unit)
            row.update({("month_mean" if c == "mean" else f"month_{c}"): vals[c] for c in cols})
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "direction"
    return out


def nowcast_forecast(result: NowcastResult, *, candidates=None, festival_effect: bool = True,
                     max_ratio: float = 3.0) -> ForecastResult:
    """Return the monthly forecast behind a nowcast, to show its backtest (回测).

    A :class:`NowcastResult` made by ``nowcast_year`` carries that forecast
    (``monthly_forecast``), which is returned as it is. For a result without it, the
    (deterministic) monthly forecast is repeated with the same series, horizon and
    candidates, and checked to choose the same models.

    Parameters
    ----------
    result : NowcastResult
        From :func:`~ciqanalysis.forecast.nowcast_year` with ``select=True``.
    candidates : list of str, optional
        When repeating: the candidates given to ``nowcast_year`` (default its own).
    festival_effect : bool, default True
        When repeating: as given to ``nowcast_year``.
    max_ratio : float, default 3.0
        When repeating: as given to ``nowcast_year``.

    Returns
    -------
    ForecastResult
        With ``backtest`` (MASE, sMAPE per candidate) and ``festival_beta``.

    Raises
    ------
    ParameterError
        If the re-run chooses other models than the nowcast (different options).

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> y = pd.Series(100.0 + np.arange(len(idx)), index=idx, name="export")
    >>> now = nowcast_year(y, "2010-10-31", seed=1, n_paths=200)
    >>> nowcast_forecast(now).models == now.models
    True
    """
    if not isinstance(result, NowcastResult):
        raise ParameterError(f"result must be a NowcastResult, got {type(result).__name__}")
    if result.monthly_forecast is not None:
        return result.monthly_forecast  # the nowcast's own forecast: nothing is fitted twice
    history = result.history
    end = pd.Period(f"{result.as_of.year + 1}-12", freq="M")
    horizon = (end - history.index[-1]).n
    names = list(candidates) if candidates is not None else None  # None: the default method
    res = forecast(history, horizon, result.levels, candidates=names,
                   festival_effect=festival_effect, max_ratio=max_ratio)
    if res.models != result.models:
        raise ParameterError(
            f"the re-run chose {res.models}, the nowcast {result.models}: pass the same "
            "candidates, festival_effect and max_ratio as to nowcast_year (select=True)"
        )
    return res


def model_table(forecasts: Mapping[str, ForecastResult]) -> pd.DataFrame:
    """Models tried, their backtest errors and combination weights (模型与回测误差).

    A thin wrapper stacking :meth:`ForecastResult.model_frame` of each forecast
    (:meth:`ForecastResult.summary` shows it for one).

    Parameters
    ----------
    forecasts : mapping
        Series name -> ForecastResult (e.g. from :func:`nowcast_forecast`).

    Returns
    -------
    pandas.DataFrame
        Index (series, candidate), best first within each series; columns
        ``weight`` (0 when not combined), ``mase`` (mean absolute scaled error:
        below 1 beats the seasonal naive in-sample), ``smape`` (percent),
        ``origins`` (backtest origins scored), ``status``.

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2,
    ...                candidates=["drift", "snaive"], top_k=1)
    >>> model_table({"x": res})["weight"].tolist()
    [1.0, 0.0]
    """
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise ParameterError("forecasts must be a non-empty mapping of name -> ForecastResult")
    frames = {}
    for name, res in forecasts.items():
        if not isinstance(res, ForecastResult):
            raise ParameterError(f"forecasts[{name!r}] is not a ForecastResult")
        frames[name] = res.model_frame()
    return pd.concat(frames, names=["series", "candidate"])


def festival_table(years: Iterable[int], before: int = 7, after: int = 14) -> pd.DataFrame:
    """Spring Festival (春节) dates and the regressor in January to March.

    Parameters
    ----------
    years : iterable of int
        Calendar years (1983 onwards; dates from the ``holidays`` package).
    before, after : int, default 7 and 14
        The festival window, days before and after its first day.

    Returns
    -------
    pandas.DataFrame
        Index year; ``festival`` (first day), ``weekday``, and ``jan``, ``feb``,
        ``mar``: the regressor (share of the window in the month minus its
        long-run mean share), positive when the month holds more of the festival
        than usual.

    Examples
    --------
    >>> tab = festival_table([2009, 2010])
    >>> bool(tab.loc[2010, "feb"] > 0 > tab.loc[2009, "feb"])
    True
    """
    dates = spring_festival_dates(years)
    idx = pd.PeriodIndex.from_fields(
        year=np.repeat(dates.index.to_numpy(), 3), month=np.tile([1, 2, 3], len(dates)), freq="M")
    x = festival_regressor(idx, before, after).to_numpy().reshape(len(dates), 3)
    out = pd.DataFrame({"festival": dates.dt.strftime("%Y-%m-%d").to_numpy(),
                        "weekday": dates.dt.day_name().to_numpy()}, index=dates.index)
    out[["jan", "feb", "mar"]] = x
    return out


def festival_effects(forecasts: Mapping[str, ForecastResult], years: Iterable[int]) -> pd.DataFrame:
    """Estimated Spring Festival effect (春节效应) on January-March, in percent.

    The forecast removes ``exp(beta * x)`` from history (log models) and puts it back
    into the forecast; ``beta`` is estimated by least squares on seasonal differences.

    Parameters
    ----------
    forecasts : mapping
        Series name -> ForecastResult (``festival_beta`` is read).
    years : iterable of int
        Years shown.

    Returns
    -------
    pandas.DataFrame
        Index (series, year); ``beta`` and ``jan_pct``, ``feb_pct``, ``mar_pct``:
        the month's value relative to a month with an average festival share, in
        percent (NaN when no adjustment was made or the adjustment is additive).

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> res = forecast(pd.Series(np.linspace(10.0, 21.0, 12), index=idx), 2, candidates=["drift"])
    >>> bool(festival_effects({"x": res}, [2010])["beta"].isna().all())
    True
    """
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise ParameterError("forecasts must be a non-empty mapping of name -> ForecastResult")
    reg = festival_table(years)[["jan", "feb", "mar"]]
    frames = {}
    for name, res in forecasts.items():
        beta = res.festival_beta
        kinds = {f.kind for f in getattr(res, "_fest", {}).values()} - {"none"}
        usable = beta is not None and kinds <= {"log"}
        effect = (np.expm1(beta * reg) * 100) if usable else reg * np.nan
        effect.columns = [f"{c}_pct" for c in reg.columns]
        frames[name] = effect.assign(beta=np.nan if beta is None else beta)[
            ["beta", "jan_pct", "feb_pct", "mar_pct"]]
    return pd.concat(frames, names=["series", "year"])


def track_record_summary(record: TrackRecord) -> pd.DataFrame:
    """Summarise the track record: method against benchmarks (历史预测检验).

    A thin wrapper calling :meth:`TrackRecord.benchmark_table`. Same layout as the
    forecast memo's table: one row per measure, one column per direction and target.

    Parameters
    ----------
    record : TrackRecord
        From :func:`~ciqanalysis.forecast.track_record`.

    Returns
    -------
    pandas.DataFrame
        Rows: the method's MAPE (mean absolute percentage error), the MAPE of the
        benchmarks "same as this year" and "this year's YTD growth" (累计同比; next
        year only), and the coverage of the intervals (percent of outcomes inside);
        columns e.g. ``exports, next year Y+1``.

    Examples
    --------
    A tiny run: one origin year, real China Customs exports, one quick model.

    >>> from ciqanalysis.data import national_trade_monthly
    >>> from ciqanalysis.forecast import track_record
    >>> exports = national_trade_monthly()[["export"]]
    >>> rec = track_record(exports, years=[2009], n_paths=100, candidates=("snaive_log",))
    >>> track_record_summary(rec).shape
    (5, 2)
    """
    if not isinstance(record, TrackRecord):
        raise ParameterError(f"record must be a TrackRecord, got {type(record).__name__}")
    return record.benchmark_table()


def track_record_years(record: TrackRecord, target: str | None = "next", unit: str = "亿美元") -> pd.DataFrame:
    """List the track record year by year, money in ``unit`` (逐年预测与实际).

    Parameters
    ----------
    record : TrackRecord
        From :func:`~ciqanalysis.forecast.track_record`.
    target : {"next", "current", None}, default "next"
        ``next``: the forecasts of Y+1 made in October of Y; ``current``: the
        nowcasts of Y; None: both.
    unit : str, default "亿美元"
        Money unit.

    Returns
    -------
    pandas.DataFrame
        Index (year, direction[, target]); ``target_year``, ``actual``, ``forecast``,
        the interval bounds, ``error_pct`` and the benchmarks' errors (percent of the
        actual), ``inside_<L>``.

    Examples
    --------
    A tiny run: one origin year, real China Customs exports, one quick model.

    >>> from ciqanalysis.data import national_trade_monthly
    >>> from ciqanalysis.forecast import track_record
    >>> exports = national_trade_monthly()[["export"]]
    >>> rec = track_record(exports, years=[2009], n_paths=100, candidates=("snaive_log",))
    >>> track_record_years(rec).index.tolist()
    [(2009, 'export')]
    """
    if not isinstance(record, TrackRecord):
        raise ParameterError(f"record must be a TrackRecord, got {type(record).__name__}")
    if target not in ("next", "current", None):
        raise ParameterError(f"target must be 'next', 'current' or None, got {target!r}")
    tab = record.table
    money = ["actual", "forecast", *[c for c in tab.columns if c.startswith(("lower_", "upper_"))],
             "bench_same", "bench_growth"]
    errors = [c for c in tab.columns if c.endswith("error_pct")]
    inside = [c for c in tab.columns if c.startswith("inside_")]
    out = pd.concat([tab[["target_year"]], from_usd(tab[money], unit), tab[errors + inside]], axis=1)
    if target is not None:
        out = out.xs(target, level="target")
    return out


def outturn_check(results: Mapping[str, NowcastResult], series: pd.DataFrame, year: int | None = None,
                  unit: str = "亿美元") -> pd.DataFrame:
    """Set forecasts against the outturn (预测与实际), computed from the series.

    The outturn is data after the as-of date: a check of the method, never an
    input to it.

    Parameters
    ----------
    results : mapping
        Direction -> NowcastResult; directions must be columns of ``series`` or
        ``total`` (the sum of its columns).
    series : pandas.DataFrame
        Monthly values (PeriodIndex 'M', US dollars) holding all twelve months of
        ``year``.
    year : int, optional
        Target year: default the year after the as-of year.
    unit : str, default "亿美元"
        Money unit.

    Returns
    -------
    pandas.DataFrame
        Index direction; ``forecast`` (mean), interval bounds, ``actual``,
        ``error_pct`` (forecast / actual - 1, percent), ``inside_<L>``.

    Raises
    ------
    ParameterError
        If the series lacks a month of the year or a direction.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2011-12", freq="M")
    >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
    >>> res = nowcast_by_direction(y.loc[:"2010-10"], "2010-10-31", seed=1, n_paths=200,
    ...                            select=False)
    >>> float(outturn_check(res, y, unit="USD").loc["export", "actual"])
    2274.0
    """
    _check_results(results)
    if not isinstance(series, pd.DataFrame) or not isinstance(series.index, pd.PeriodIndex) \
            or series.index.freqstr not in ("M", "ME"):
        raise ParameterError("series must be a monthly DataFrame with a PeriodIndex 'M'")
    first = next(iter(results.values()))
    year = int(first.as_of.year + 1 if year is None else year)
    months = series.loc[series.index.year == year]
    if len(months) != 12:
        raise ParameterError(
            f"the series holds {len(months)} month(s) of {year}; the outturn needs all 12 "
            f"(data run {series.index.min()}..{series.index.max()})"
        )
    annual = months.sum().astype("float64")
    annual["total"] = float(months.sum(axis=1).sum())
    missing = [d for d in results if d not in annual.index]
    if missing:
        raise ParameterError(f"directions {missing} are not columns of the series {list(series.columns)}")
    rows = {}
    target = pd.Period(str(year), "Y")
    for name, res in results.items():
        if target not in res.table.index:
            raise ParameterError(
                f"{name}: the nowcast covers {[str(p) for p in res.table.index]}, not {year}")
        r = res.table.loc[target]
        row = {"forecast": r["mean"], **{c: r[c] for c in _bounds(res.levels)}, "actual": annual[name]}
        rows[name] = row
    out = pd.DataFrame.from_dict(rows, orient="index").astype("float64")
    out.index.name = "direction"
    out["error_pct"] = (out["forecast"] / out["actual"] - 1) * 100
    levels = first.levels
    for lv in levels:
        out[f"inside_{lv}"] = (out["actual"] >= out[f"lower_{lv}"]) & (out["actual"] <= out[f"upper_{lv}"])
    money = ["forecast", *_bounds(levels), "actual"]
    out[money] = from_usd(out[money], unit)
    return out


def compare(results) -> pd.DataFrame:
    """Set several forecasts or nowcasts side by side in one frame (预测对比).

    Like ``compare`` of linearmodels: one block of columns per result, rows aligned
    on the forecast periods (a period one result lacks is NaN in its block).

    Parameters
    ----------
    results : mapping or sequence
        Name -> ForecastResult or NowcastResult; a sequence is named by each
        result's series name (or its position when the names are missing or repeat).

    Returns
    -------
    pandas.DataFrame
        Index the union of the forecast periods; columns (result, column) with
        ``mean`` and the interval bounds of each result.

    Raises
    ------
    ParameterError
        If ``results`` is empty or holds something other than these results.

    Examples
    --------
    >>> idx = pd.period_range("2001", periods=12, freq="Y")
    >>> y = pd.Series(np.linspace(10.0, 21.0, 12), index=idx)
    >>> tab = compare({"drift": forecast(y, 2, candidates=["drift"]),
    ...                "naive": forecast(y, 3, candidates=["snaive"])})
    >>> tab.shape, float(tab.loc["2014", ("naive", "mean")])
    ((3, 10), 21.0)
    """
    if isinstance(results, Mapping):
        items = [(str(k), v) for k, v in results.items()]
    elif isinstance(results, Iterable) and not isinstance(results, (str, pd.DataFrame)):
        results = list(results)
        names = [str(getattr(r, "history", pd.Series()).name) for r in results]
        if len(set(names)) < len(names) or "None" in names:
            names = [str(i) for i in range(len(results))]
        items = list(zip(names, results, strict=True))
    else:
        raise ParameterError(f"results must be a mapping or a list of results, got {type(results).__name__}")
    if not items:
        raise ParameterError("results is empty: give at least one ForecastResult or NowcastResult")
    bad = [k for k, v in items if not isinstance(v, ForecastResult | NowcastResult)]
    if bad:
        raise ParameterError(f"results {bad} are not ForecastResult or NowcastResult objects")
    frames = {k: v.to_frame()[["mean", *_bounds(v.levels)]] for k, v in items}
    return pd.concat(frames, axis=1, names=["result", "column"])


# ---------------------------------------------------------------------------------
# presentation: print each number at the precision the method supports (显示精度)

#: Simulated money columns (rounded to :data:`MONEY_SIGNIFICANT` figures).
_SIMULATED = ("mean", "forecast", "month_mean")
_SIMULATED_PREFIX = ("lower_", "upper_", "month_lower_", "month_upper_")
#: Decimals of the other columns, by name; percentages have one decimal.
_DECIMALS = {"observed": 2, "actual": 2, "bench_same": 2, "bench_growth": 2, "share_done": 3,
             "weight": 2, "mase": 2, "smape": 1, "beta": 2, "jan": 3, "feb": 3, "mar": 3}


def round_significant(values, digits: int = MONEY_SIGNIFICANT):
    """Round to ``digits`` significant figures (有效数字), element-wise.

    Parameters
    ----------
    values : float, array-like, Series or DataFrame
        Numbers; NaN and infinities pass through.
    digits : int, default :data:`MONEY_SIGNIFICANT`
        Significant figures kept (at least 1).

    Returns
    -------
    Same type as ``values`` (a float for a scalar).

    Examples
    --------
    >>> round_significant(31161.17)
    31200.0
    >>> round_significant(pd.Series([54.9418, 0.012345, np.nan]), 2).tolist()
    [55.0, 0.012, nan]
    """
    if int(digits) < 1:
        raise ParameterError(f"digits must be at least 1, got {digits}")

    def one(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype="float64")
        finite = np.isfinite(x) & (x != 0)
        mag = np.floor(np.log10(np.abs(np.where(finite, x, 1.0))))
        scale = 10.0 ** (int(digits) - 1 - mag)
        return np.where(finite, np.round(x * scale) / scale, x)

    if isinstance(values, pd.DataFrame):
        return values.apply(lambda col: pd.Series(one(col.to_numpy()), index=col.index, name=col.name))
    if isinstance(values, pd.Series):
        return pd.Series(one(values.to_numpy()), index=values.index, name=values.name)
    out = one(values)
    return float(out) if out.ndim == 0 else out


def format_significant(value: float, digits: int = MONEY_SIGNIFICANT) -> str:
    """Format a number with ``digits`` significant figures and thousands separators.

    For prose and reports (the memo's forecasts); "n/a" for NaN or infinity.

    Examples
    --------
    >>> format_significant(40.3245), format_significant(31161.17), format_significant(5.3)
    ('40.3', '31,200', '5.30')
    """
    x = float(value)
    if not np.isfinite(x):
        return "n/a"
    r = round_significant(x, digits)
    decimals = max(0, int(digits) - 1 - int(np.floor(np.log10(abs(r))))) if r else int(digits) - 1
    return f"{r:,.{decimals}f}"


def _whole(col: pd.Series) -> pd.Series:
    """Show a column of whole numbers of 100 or more without a useless '.0'."""
    finite = col[np.isfinite(col)]
    if len(finite) and (finite.abs() >= 100).all() and (finite == finite.round()).all():
        return col.round().astype("Int64")
    return col


def for_display(table: pd.DataFrame) -> pd.DataFrame:
    """Round a forecast table to the precision its numbers support (显示精度).

    The tables of this module keep full precision; this is their printed form, the
    same for every notebook and report. Simulated money (``mean``, ``forecast``,
    ``month_mean``, ``lower_<L>``, ``upper_<L>`` and the month's bounds) keeps
    :data:`MONEY_SIGNIFICANT` significant figures: the Monte Carlo error is about
    1e-3 relative, and the last digits of more figures change with the CPU's BLAS
    kernel. Observed money keeps 2 decimals (data, exact), percentages (``*_pct``,
    ``smape``, a track-record summary) 1 decimal, ``weight``, ``mase`` and the
    Spring Festival ``beta`` 2, shares and the festival regressor 3. Other columns
    (counts, flags, labels) are left as they are.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`outlook_table`, :func:`partial_month_table`,
        :func:`model_table`, :func:`festival_table`, :func:`festival_effects`,
        :func:`track_record_summary`, :func:`track_record_years` or
        :func:`outturn_check`.

    Returns
    -------
    pandas.DataFrame
        A rounded copy; money columns of whole numbers (100 or more) as integers.

    Examples
    --------
    >>> tab = pd.DataFrame({"observed": [23929.411], "mean": [31161.17], "lower_95": [25564.8],
    ...                     "growth_pct": [7.7749], "inside_95": [True]})
    >>> for_display(tab).to_dict("records")
    [{'observed': 23929.41, 'mean': 31200, 'lower_95': 25600, 'growth_pct': 7.8, 'inside_95': True}]
    """
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"table must be a DataFrame, got {type(table).__name__}")
    out = table.copy()
    if out.index.name == "measure":  # track_record_summary: every row is a percentage
        return out.astype("float64").round(1)
    for col in out.columns:
        name = str(col)
        if not pd.api.types.is_float_dtype(out[col]):
            continue
        if name in _SIMULATED or name.startswith(_SIMULATED_PREFIX):
            out[col] = _whole(round_significant(out[col]))
        elif name.endswith("_pct"):
            out[col] = out[col].round(1)
        elif name in _DECIMALS:
            out[col] = out[col].round(_DECIMALS[name])
    return out
