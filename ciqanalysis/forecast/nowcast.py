"""Nowcast of a partial year (全年预估) and next year's total, with honest intervals.

Standing on a day of year Y with monthly (or daily) data, :func:`nowcast_year`
estimates the full year Y and the annual total of Y+1. Intervals for annual sums
come from simulated sample paths of the chosen models (mixed in proportion to their
weights), so that monthly errors keep the correlation the models imply; adding up
monthly interval bounds would overstate the width. A partial last month counts its
observed part and forecasts only the remainder, using the usual share of the month
done by that day (from earlier years' daily data when given, else the calendar).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._summary import short_repr
from ..config import DEFAULT_LEVELS, parse_as_of
from ..errors import AsOfDateError, ForecastFallbackWarning, ParameterError, user_stacklevel
from ._prep import check_levels, probs_for
from ._result import Presented
from .core import default_method, forecast

__all__ = ["NowcastResult", "nowcast_year", "sum_nowcasts", "NOWCAST_CANDIDATES"]

#: Models of the nowcast by default: the default method of
#: :func:`~ciqanalysis.forecast.forecast` (log variants; level variants for series
#: with values <= 0), all of which simulate sample paths.
NOWCAST_CANDIDATES: tuple[str, ...] = tuple(default_method(True))

#: Months between the last data and the as-of month beyond which the nowcast refuses.
_MAX_STALE_MONTHS = 24


@dataclass
class NowcastResult(Presented):
    """The outcome of :func:`nowcast_year`.

    Attributes
    ----------
    table : pandas.DataFrame
        Index: annual periods Y and Y+1. Columns ``mean`` (the point: the mean of
        the simulated annual totals, or their median when the paths are skewed,
        flag ``skewed_paths``), ``lower_<L>``, ``upper_<L>``, ``observed`` (year to
        date, 累计, including a partial month), ``growth_pct`` (同比 of the point
        against the previous year's total, actual for Y, the nowcast for Y+1; NaN
        when unknown).
    monthly : pandas.DataFrame
        The simulated months (partial month completed): ``mean`` and quantiles.
    annual_paths : pandas.DataFrame
        One row per simulated path, columns Y and Y+1 (annual totals).
    models, weights : list, dict
        Models mixed and their weights.
    flags : list of str
        What happened on the way (partial month share, fallbacks, caught warnings).
    as_of : pandas.Timestamp
    partial_share : float or None
        Share of the as-of month taken as done (None when no partial month).
    history : pandas.Series
        Complete months used.
    monthly_forecast : ForecastResult or None
        The monthly forecast the paths were drawn from: its backtest errors,
        combination weights and Spring Festival coefficient.
    paths : numpy.ndarray or None
        The simulated months (rows: the months of ``monthly``; columns: paths).

    Notes
    -----
    ``summary()`` (全年预估摘要) has the table ``year Y and Y+1`` (:meth:`to_frame`)
    and the flags as notes; the as-of date is data, not the clock. The monthly
    forecast behind it, with its backtest, is :meth:`forecast_result`; nowcasts of
    several directions present themselves together as an
    :class:`~ciqanalysis.forecast.Outlook`.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> y = pd.Series(100.0 + np.arange(len(idx)), index=idx)
    >>> "Y+1" in nowcast_year(y, "2010-10-31", seed=1, n_paths=200).summary()
    True
    """

    table: pd.DataFrame
    monthly: pd.DataFrame
    annual_paths: pd.DataFrame
    models: list[str]
    weights: dict[str, float]
    flags: list[str]
    as_of: pd.Timestamp
    partial_share: float | None
    history: pd.Series
    levels: tuple = field(default=DEFAULT_LEVELS)
    monthly_forecast: Any = field(default=None, repr=False)
    paths: Any = field(default=None, repr=False)

    def _summary_parts(self):
        """Title, table ``year Y and Y+1`` (:meth:`to_frame`), flags, text."""
        models = ", ".join(f"{m} ({self.weights[m]:.2f})" for m in self.models)
        return (f"Nowcast as of {self.as_of.date()}; models (weight): {models}",
                [("year Y and Y+1", self.to_frame())], self.flags, self._text())

    def _provenance_data(self):
        return self.history

    def to_frame(self) -> pd.DataFrame:
        """Return the annual table (Y and Y+1: ``mean``, bounds, ``observed``, ``growth_pct``).

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.Series(100.0 + np.arange(len(idx)), index=idx)
        >>> nowcast_year(y, "2010-10-31", seed=1, n_paths=200).to_frame().index.year.tolist()
        [2010, 2011]
        """
        return self.table.copy()

    def forecast_result(self, *, candidates=None, festival_effect: bool = True,
                        max_ratio: float = 3.0):
        """Return the monthly forecast behind the nowcast, to show its backtest (回测).

        A result made by :func:`nowcast_year` carries that forecast
        (``monthly_forecast``), which is returned as it is. For a result without it,
        the (deterministic) monthly forecast is repeated with the same series,
        horizon and candidates, and checked to choose the same models.

        Parameters
        ----------
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
        >>> now.forecast_result().models == now.models
        True
        """
        if self.monthly_forecast is not None:
            return self.monthly_forecast  # the nowcast's own forecast: nothing is fitted twice
        history = self.history
        end = pd.Period(f"{self.as_of.year + 1}-12", freq="M")
        horizon = (end - history.index[-1]).n
        names = list(candidates) if candidates is not None else None  # None: the default method
        res = forecast(history, horizon, self.levels, candidates=names,
                       festival_effect=festival_effect, max_ratio=max_ratio)
        if res.models != self.models:
            raise ParameterError(
                f"the re-run chose {res.models}, the nowcast {self.models}: pass the same "
                "candidates, festival_effect and max_ratio as to nowcast_year (select=True)"
            )
        return res

    def __repr__(self) -> str:
        return short_repr(self, series=self.history.name, as_of=self.as_of.date(),
                          n_months=len(self.history), models=self.models, flags=len(self.flags))

    def _text(self) -> str:
        lines = [
            f"Nowcast as of {self.as_of.date()} from {len(self.history)} complete months "
            f"({self.history.index[0]}..{self.history.index[-1]})",
            "Models (weight): " + ", ".join(f"{m} ({self.weights[m]:.2f})" for m in self.models),
        ]
        if self.partial_share is not None:
            lines.append(f"Partial month: share taken as done {self.partial_share:.3f}")
        labels = ["Y (full year, 全年)", "Y+1 (next year, 明年)"]
        tab = self.table.copy()
        tab.index = [f"{p} {lab}" for p, lab in zip(tab.index, labels, strict=True)]
        lines.append(tab.round(2).to_string())
        lines.append("Flags: " + ("; ".join(self.flags) if self.flags else "none"))
        return "\n".join(lines)


def _monthly_from_daily(y: pd.Series, as_of: pd.Timestamp):
    """Aggregate daily values to months; return (monthly, usual share by as-of day)."""
    days = y.index.to_timestamp() if isinstance(y.index, pd.PeriodIndex) else pd.DatetimeIndex(y.index)
    s = pd.Series(y.to_numpy(dtype="float64"), index=days.normalize())
    s = s.groupby(level=0).sum()
    monthly = s.groupby(s.index.to_period("M")).sum()
    # usual share done by the as-of day in the same calendar month of earlier years
    same = s[(s.index.month == as_of.month) & (s.index.year < as_of.year)]
    if len(same):
        by_year = same.groupby(same.index.year)
        total = by_year.sum()
        done = same[same.index.day <= as_of.day].groupby(same[same.index.day <= as_of.day].index.year).sum()
        shares = (done.reindex(total.index, fill_value=0) / total.where(total > 0)).dropna()
        share = float(shares.mean()) if len(shares) else None
    else:
        share = None
    return monthly, share


def _fill_empty_months(monthly: pd.Series) -> tuple[pd.Series, str | None]:
    """Count the months of daily data that have no day at all as 0 (无申报的月份记为 0), and say so.

    Daily values are sums of declarations by day, so a day that is absent had none;
    a month inside the data's span without any day had none either. It is kept as a
    zero month (a gap would stop the forecast) and flagged ``empty_months``, since
    such a month may also be data that are missing.

    Examples
    --------
    >>> m = pd.Series([5.0, 6.0], index=pd.PeriodIndex(["2009-01", "2009-04"], freq="M"))
    >>> full, flag = _fill_empty_months(m)
    >>> full.tolist()
    [5.0, 0.0, 0.0, 6.0]
    >>> flag.split(":")[0]
    'empty_months'
    """
    full = pd.period_range(monthly.index.min(), monthly.index.max(), freq="M")
    empty = full.difference(monthly.index)
    if len(empty) == 0:
        return monthly, None
    shown = ", ".join(str(p) for p in empty[:6]) + (", ..." if len(empty) > 6 else "")
    return monthly.reindex(full, fill_value=0.0), (
        f"empty_months: {len(empty)} month(s) without any declaration ({shown}) counted as 0; "
        "if the data for them are missing rather than zero, supply them: the forecast reads "
        "these months as no trade"
    )


#: Ratio of the mean to the median of the simulated annual totals above which the
#: nowcast is flagged ``skewed_paths`` (on China's national trade it is about 1.01).
SKEW_RATIO = 1.2


def _annual_points(totals: dict[int, np.ndarray]) -> tuple[list[float], list[str]]:
    """Return each year's point (全年预估点值) from its simulated totals, and the flags.

    The point is the mean of the simulated totals; when that mean exceeds
    :data:`SKEW_RATIO` times their median, the mean rests on a few extreme paths of
    a very volatile series and the point is the median instead (flag
    ``skewed_paths``). On China's national series the ratio is 0.99-1.01, so the
    track record is the mean's; on simulated volatile series with a known
    expectation the median's errors are several times smaller
    (``benchmarks/bench_volatile_point.py``).

    Examples
    --------
    >>> points, flags = _annual_points({2011: np.array([1.0, 1.0, 10.0])})
    >>> points, flags[0].split(":")[0]
    ([1.0], 'skewed_paths')
    >>> _annual_points({2011: np.array([1.0, 2.0, 3.0])})
    ([2.0], [])
    """
    points, flags = [], []
    for year, s in totals.items():
        med, mean = float(np.median(s)), float(np.mean(s))
        if med > 0 and mean > SKEW_RATIO * med:
            points.append(med)
            flags.append(f"skewed_paths: {year}: the mean of the simulated totals is {mean / med:.1f} x "
                         f"their median ({mean:.4g} against {med:.4g}): a very volatile series, whose "
                         "mean rests on a few extreme paths; the point is their median")
        else:
            points.append(mean)
    return points, flags


def nowcast_year(y: pd.Series, as_of, levels=DEFAULT_LEVELS, seed: int = 0, *, n_paths: int = 2000,
                 candidates=None, select: bool | None = None, history_years: int | None = 10,
                 partial_share: float | None = None, festival_effect: bool = True,
                 max_ratio: float = 3.0) -> NowcastResult:
    """Estimate the full year Y and next year's total from data through ``as_of``.

    Parameters
    ----------
    y : pandas.Series
        Monthly values (PeriodIndex 'M'), or daily values (DatetimeIndex or daily
        PeriodIndex, e.g. declarations summed by day), in US dollars. When ``as_of``
        is not a month end and ``y`` has a value for the as-of month, that value is
        the month's total through ``as_of`` (partial month).
    as_of : str or date-like
        The day the analyst stands on (截至日期), e.g. ``"2010-11-20"``; a parameter,
        never the clock.
    levels : tuple, default (80, 95)
        Interval levels, percent.
    seed : int, default 0
        Seed of the simulated paths: same input and seed, same numbers.
    n_paths : int, default 2000
        Number of simulated sample paths.
    candidates : list of str, optional
        Models to choose from by backtest; default the default method of
        :func:`~ciqanalysis.forecast.forecast` (:data:`NOWCAST_CANDIDATES`, equal
        weights). All must simulate paths.
    select : bool, optional
        Weight candidates by rolling-origin backtest; default as
        :func:`~ciqanalysis.forecast.forecast` (off for the default method).
    history_years : int or None, default 10
        Use only the last so many years of complete months (None: all). Ten years
        by default: part of the default method, since older years of a fast-changing
        trade describe another economy (on China's series, 1995-2012, ten years
        gave smaller errors than the full history).
    partial_share : float, optional
        Share of the as-of month already done; default from earlier years' daily
        data, else days elapsed / days in month.
    festival_effect : bool, default True
        Spring Festival (春节) adjustment of monthly data.
    max_ratio : float, default 3.0
        Plausible range passed to :func:`forecast`.

    Returns
    -------
    NowcastResult

    Raises
    ------
    AsOfDateError
        If the data hold periods after ``as_of``, ``as_of`` is before the data, or
        the data end more than two years before ``as_of`` (a gap of two months or
        more is flagged ``stale_data``).
    ParameterError
        For a series that is neither monthly nor daily, a history that starts
        after January of the as-of year (the full year would miss months), or bad
        options.

    Notes
    -----
    Simulated months of a non-negative series are floored at 0 before they are
    summed, so annual bounds are never negative (flag ``paths_floored``). The
    ``mean`` column is the point: the mean of the simulated annual totals. On a very
    volatile series the log models' paths are so skewed that their mean lies far
    above their median, resting on a few extreme paths; when it exceeds
    :data:`SKEW_RATIO` times the median, the point is the median and the flag
    ``skewed_paths`` gives both. The monthly table keeps the monthly means.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-11", freq="M")
    >>> y = pd.Series(100.0 + np.arange(len(idx)), index=idx)
    >>> res = nowcast_year(y, "2010-11-20", seed=1, n_paths=200)
    >>> [str(p) for p in res.table.index]
    ['2010', '2011']
    """
    levels = check_levels(levels)
    as_of = parse_as_of(as_of)
    if not isinstance(y, pd.Series):
        raise ParameterError(f"y must be a pandas Series (monthly or daily), got {type(y).__name__}")
    if not isinstance(n_paths, (int, np.integer)) or n_paths < 100:
        raise ParameterError(f"n_paths must be a whole number >= 100, got {n_paths!r}")
    flags: list[str] = []
    idx = y.index
    is_monthly = isinstance(idx, pd.PeriodIndex) and idx.freqstr in ("M", "ME")
    is_daily = isinstance(idx, pd.DatetimeIndex) or (isinstance(idx, pd.PeriodIndex) and idx.freqstr == "D")
    if not (is_monthly or is_daily):
        raise ParameterError(
            "nowcast_year needs monthly values (PeriodIndex 'M') or daily values "
            f"(DatetimeIndex), got {type(idx).__name__} {getattr(idx, 'freqstr', '')!r}"
        )
    if len(y) == 0:
        raise ParameterError("y is empty; expected monthly or daily values")
    month = as_of.to_period("M")
    first = (idx.min().to_timestamp() if isinstance(idx, pd.PeriodIndex) else pd.Timestamp(idx.min()))
    if as_of < first.normalize():
        raise AsOfDateError(f"as_of {as_of.date()} is before the data (they start {first.date()})")
    if is_daily:
        last_day = (idx.to_timestamp() if isinstance(idx, pd.PeriodIndex) else pd.DatetimeIndex(idx)).max()
        if last_day.normalize() > as_of:
            raise AsOfDateError(
                f"the data run to {last_day.date()}, after as_of {as_of.date()}; "
                "cut them at the as-of day (data after it would leak into the nowcast)"
            )
        monthly, usual = _monthly_from_daily(y, as_of)
        monthly, empty = _fill_empty_months(monthly)
        if empty:
            flags.append(empty)
    else:
        if idx.max() > month:
            raise AsOfDateError(
                f"the data hold {idx.max()}, after the as-of month {month}; expected "
                "nothing after as_of (cut the series first)"
            )
        monthly, usual = y.astype("float64"), None
    month_end = as_of == (month + 1).to_timestamp() - pd.Timedelta(days=1)
    partial_value, share = None, None
    if not month_end and month in monthly.index:
        partial_value = float(monthly.loc[month])
        monthly = monthly.loc[monthly.index < month]
        if partial_share is not None:
            share = float(partial_share)
            flags.append(f"partial month {month}: share done {share:.3f} (given)")
        elif usual is not None:
            share = usual
            flags.append(f"partial month {month}: share done {share:.3f} (earlier years' daily data)")
        else:
            share = as_of.day / month.days_in_month
            flags.append(
                f"partial month {month}: share done {share:.3f} (calendar days "
                f"{as_of.day}/{month.days_in_month}; no daily history)"
            )
        if not 0 < share <= 1:
            raise ParameterError(f"partial_share must lie in (0, 1], got {share!r}")
    elif not month_end:
        flags.append(f"no data for the as-of month {month}: it is forecast in full")
    if history_years is not None:
        monthly = monthly.loc[monthly.index > monthly.index[-1] - 12 * int(history_years)]
    if len(monthly) == 0:
        raise ParameterError("no complete month before as_of; a nowcast needs at least one")
    monthly.name = y.name
    year = as_of.year
    last = monthly.index[-1]
    start = monthly.index[0]
    if start > pd.Period(f"{year}-01", freq="M"):
        raise ParameterError(
            f"the history starts {start}, after January {year}: the full-year {year} total "
            f"would miss {(start - pd.Period(f'{year}-01', freq='M')).n} month(s); give the data "
            f"from {year}-01 or earlier"
        )
    gap = (month - last).n - 1  # months between the last complete month and the as-of month
    if gap > _MAX_STALE_MONTHS:
        raise AsOfDateError(
            f"the data end {last}, {gap} months before the as-of month {month}; a nowcast "
            f"needs data within {_MAX_STALE_MONTHS} months of as_of"
        )
    if gap >= 2:
        flags.append(f"stale_data: the data end {last}, {gap} months before the as-of month "
                     f"{month}; those months are forecast, not observed")
    end = pd.Period(f"{year + 1}-12", freq="M")
    h = (end - last).n
    names = None if candidates is None else list(candidates)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ForecastFallbackWarning)
        res = forecast(monthly, h, levels, candidates=names, select=select,
                       festival_effect=festival_effect, max_ratio=max_ratio)
    fallback_msgs = [str(c.message) for c in caught if issubclass(c.category, ForecastFallbackWarning)]
    for c in caught:
        if not issubclass(c.category, ForecastFallbackWarning):
            warnings.warn_explicit(c.message, c.category, c.filename, c.lineno)
    flags = res.flags + flags
    paths = res.sample_paths(n_paths, seed).to_numpy(copy=True)  # refuses models without paths
    future = pd.period_range(last + 1, periods=h, freq="M")
    if partial_value is not None:
        paths[0] = partial_value + (1.0 - share) * paths[0]
    if not np.all(np.isfinite(paths)):
        raise ParameterError("simulated paths are not finite; the series cannot be nowcast as given")
    if bool((monthly >= 0).all()) and (partial_value is None or partial_value >= 0) and np.any(paths < 0):
        flags.append(f"paths_floored: {float((paths < 0).mean()):.1%} of simulated months were below 0 "
                     "and were set to 0 (the series is non-negative)")
        paths = np.maximum(paths, 0.0)

    in_y = future.year == year
    in_next = future.year == year + 1
    observed = float(monthly[monthly.index.year == year].sum()) + (partial_value or 0.0)
    sum_y = float(monthly[monthly.index.year == year].sum()) + paths[in_y].sum(axis=0)
    sum_next = paths[in_next].sum(axis=0)
    points, skewed = _annual_points({year: sum_y, year + 1: sum_next})
    flags += skewed
    annual = pd.DataFrame({pd.Period(str(year), "Y"): sum_y, pd.Period(str(year + 1), "Y"): sum_next})
    annual.index.name = "path"
    probs = probs_for(levels)
    table = _summarise(annual.to_numpy().T, pd.PeriodIndex(annual.columns), levels, probs)
    table["mean"] = points
    prev = monthly[monthly.index.year == year - 1]
    prev_total = float(prev.sum()) if len(prev) == 12 else np.nan
    table["observed"] = [observed, 0.0]
    table["growth_pct"] = [
        (table["mean"].iloc[0] / prev_total - 1) * 100 if prev_total > 0 else np.nan,
        (table["mean"].iloc[1] / table["mean"].iloc[0] - 1) * 100 if table["mean"].iloc[0] > 0 else np.nan,
    ]
    monthly_tab = _summarise(paths, future, levels, probs)
    if fallback_msgs:
        warnings.warn(f"nowcast: {fallback_msgs[0]}", ForecastFallbackWarning, stacklevel=user_stacklevel())
    return NowcastResult(
        table=table, monthly=monthly_tab, annual_paths=annual, models=res.models,
        weights=res.weights, flags=flags, as_of=as_of, partial_share=share,
        history=monthly, levels=levels, monthly_forecast=res, paths=paths,
    )


def sum_nowcasts(parts, name: str = "total") -> NowcastResult:
    """Add up nowcasts of parts (e.g. exports and imports) path by path into a coherent total.

    The total of each simulated path is the sum of the parts' paths with the same
    number, and the total's point is the sum of the parts' points in every month and
    year (exports + imports = total, 出口 + 进口 = 进出口总额): the mean of the summed
    paths, unless a part's point is its median (flag ``skewed_paths``). The
    intervals come from the summed paths. Parts nowcast with the same seed and
    models draw the same random shocks for the same path, so their surprises move
    together (as exports and imports did in 2009): the total's interval is on the
    wide side of what independent surprises would give.

    Parameters
    ----------
    parts : mapping or sequence of NowcastResult
        Results of :func:`nowcast_year` with the same as-of date, levels, number of
        paths and history months.
    name : str, default "total"
        Name of the total's history series.

    Returns
    -------
    NowcastResult
        ``models`` and ``weights`` describe the first part; flags are the parts'
        flags, prefixed with the part's name. ``partial_share`` is the share of the
        total's partial month done: the parts' observed values over their months
        scaled up by their own shares (exports' and imports' shares differ).

    Raises
    ------
    ParameterError
        If the parts differ in as-of date, levels, months or number of paths.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> a = nowcast_year(pd.Series(100.0 + np.arange(82), index=idx), "2010-10-31", n_paths=200)
    >>> b = nowcast_year(pd.Series(50.0 + np.arange(82), index=idx), "2010-10-31", n_paths=200)
    >>> tot = sum_nowcasts({"export": a, "import": b})
    >>> bool(np.allclose(tot.table["mean"], a.table["mean"] + b.table["mean"]))
    True
    """
    items = list(parts.items()) if isinstance(parts, dict) else [(str(i), p) for i, p in enumerate(parts)]
    if not items or not all(isinstance(p, NowcastResult) and p.paths is not None for _, p in items):
        raise ParameterError("parts must be NowcastResult objects from nowcast_year (with paths)")
    first = items[0][1]
    for key, p in items[1:]:
        same = (p.as_of == first.as_of and p.levels == first.levels and p.paths.shape == first.paths.shape
                and p.monthly.index.equals(first.monthly.index) and p.history.index.equals(first.history.index))
        if not same:
            raise ParameterError(
                f"part {key!r} differs from {items[0][0]!r} in as-of date, levels, months or paths; "
                "nowcast every part with the same as_of, levels, n_paths and history")
    levels = first.levels
    probs = probs_for(levels)
    paths = sum(p.paths for _, p in items)
    annual = sum(p.annual_paths for _, p in items)
    history = sum(p.history for _, p in items).rename(name)
    table = _summarise(annual.to_numpy().T, pd.PeriodIndex(annual.columns), levels, probs)
    table["mean"] = sum(p.table["mean"].to_numpy() for _, p in items)  # coherent points
    year = first.as_of.year
    prev = history[history.index.year == year - 1]
    prev_total = float(prev.sum()) if len(prev) == 12 else np.nan
    table["observed"] = [sum(float(p.table["observed"].iloc[0]) for _, p in items), 0.0]
    table["growth_pct"] = [
        (table["mean"].iloc[0] / prev_total - 1) * 100 if prev_total > 0 else np.nan,
        (table["mean"].iloc[1] / table["mean"].iloc[0] - 1) * 100 if table["mean"].iloc[0] > 0 else np.nan,
    ]
    flags = [f"{key}: {f}" for key, p in items for f in p.flags]
    flags.append(f"coherent: {name} = {' + '.join(k for k, _ in items)}, summed path by path")
    return NowcastResult(
        table=table, monthly=_summarise(paths, first.monthly.index, levels, probs), annual_paths=annual,
        models=first.models, weights=first.weights, flags=flags, as_of=first.as_of,
        partial_share=_total_share(items), history=history, levels=levels, monthly_forecast=None,
        paths=paths,
    )


def _total_share(items) -> float | None:
    """Share of the total's partial month done: the parts' observed values over their scaled-up months.

    Each part's month, scaled up by its own share, is ``observed / share``; the total's
    share is ``sum(observed) / sum(observed / share)`` (equal shares give that share).
    None without a partial month; the parts' mean share when nothing is observed yet.
    """
    shares = [p.partial_share for _, p in items]
    if any(s is None for s in shares):
        return None
    year = items[0][1].as_of.year
    observed = [float(p.table["observed"].iloc[0] - p.history[p.history.index.year == year].sum())
                for _, p in items]
    scaled = sum(o / s for o, s in zip(observed, shares, strict=True))
    return float(sum(observed) / scaled) if scaled > 0 else float(np.mean(shares))


def _summarise(paths: np.ndarray, index, levels, probs) -> pd.DataFrame:
    """Mean and quantiles over paths (rows: periods, columns: paths)."""
    q = np.quantile(paths, probs, axis=1)
    out = pd.DataFrame({"mean": paths.mean(axis=1)}, index=index)
    k = len(levels)
    for i, lv in enumerate(sorted(levels, reverse=True)):
        out[f"lower_{lv}"] = q[i]
        out[f"upper_{lv}"] = q[2 * k - 1 - i]
    out = out[["mean"] + [c for lv in levels for c in (f"lower_{lv}", f"upper_{lv}")]]
    out.index.name = "period"
    return out
