"""The outlook by direction (分方向预测): nowcasts of exports, imports and their total.

:func:`nowcast_by_direction` runs :func:`~ciqanalysis.forecast.nowcast_year` for
each direction and adds the total path by path
(:func:`~ciqanalysis.forecast.sum_nowcasts`). Its result, an :class:`Outlook`, is a
mapping direction -> NowcastResult that presents itself: the full-year outlook
(全年预估) in 亿美元 (:meth:`Outlook.outlook`), the completed partial month
(:meth:`Outlook.partial_month`), the models behind each direction
(:meth:`Outlook.model_frame`), their Spring Festival (春节) effects, and the
forecasts set against the outturn (实际值, :meth:`Outlook.outturn_check`).

Examples
--------
>>> idx = pd.period_range("2004-01", "2010-10", freq="M")
>>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
>>> res = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False)
>>> res.outlook(unit="USD").index.tolist()
[('export', 2010), ('export', 2011)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from .._summary import short_repr
from ..config import DEFAULT_LEVELS
from ..errors import ParameterError
from ..units import from_usd
from ._prep import bounds
from ._result import Presented
from .core import ForecastResult
from .nowcast import NowcastResult, nowcast_year, sum_nowcasts

__all__ = ["Outlook", "nowcast_by_direction"]

_DECL_COLUMNS = ("date", "direction", "value_usd")


class Outlook(Presented, Mapping):
    """Nowcasts of several flows (exports, imports, their total) as one result (分方向预测).

    A read-only mapping direction -> :class:`~ciqanalysis.forecast.NowcastResult`,
    in the order given, with the tables that present them together.

    Parameters
    ----------
    results : mapping
        Direction (or series) name -> NowcastResult.
    total : str, optional
        Name of the entry that is the sum of the others (made by
        :func:`~ciqanalysis.forecast.sum_nowcasts`): it has no monthly forecast of
        its own, so :meth:`forecasts` leaves it out.
    data : pandas.DataFrame or pandas.Series, optional
        The input, whose ``attrs`` say real or synthetic (for the provenance caption).

    Raises
    ------
    ParameterError
        If ``results`` is not a non-empty mapping of NowcastResult objects.

    Notes
    -----
    ``summary()`` (分方向预测摘要) has the tables ``full year Y and next year Y+1,
    亿美元`` (:meth:`outlook`) and, with a partial as-of month, ``partial month,
    亿美元`` (:meth:`partial_month`); the parts' flags are its notes.

    Examples
    --------
    >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
    >>> y = pd.DataFrame({"export": 100.0 + np.arange(82), "import": 50.0 + np.arange(82)}, index=idx)
    >>> out = nowcast_by_direction(y, "2010-10-31", n_paths=200)
    >>> list(out), out.total
    (['export', 'import', 'total'], 'total')
    >>> [caption for caption, _ in out.summary().tables]
    ['full year Y and next year Y+1, 亿美元']
    """

    def __init__(self, results: Mapping[str, NowcastResult], total: str | None = None, data=None):
        if not isinstance(results, Mapping) or not results:
            raise ParameterError(
                "results must be a non-empty mapping of series name -> NowcastResult, e.g. the "
                f"output of nowcast_by_direction; got {type(results).__name__}"
            )
        bad = [k for k, v in results.items() if not isinstance(v, NowcastResult)]
        if bad:
            raise ParameterError(f"results: entries {bad} are not NowcastResult objects")
        if total is not None and total not in results:
            raise ParameterError(f"total {total!r} is not one of the results {list(results)}")
        self._results = {str(k): v for k, v in results.items()}
        self.total = total
        attrs = dict(getattr(data, "attrs", {}) or {})
        self._attrs = pd.Series(dtype="float64")
        self._attrs.attrs.update(attrs)

    @classmethod
    def summed(cls, parts: Mapping[str, NowcastResult], name: str = "total", data=None) -> Outlook:
        """Return the outlook of ``parts`` plus their total, summed path by path.

        Parameters
        ----------
        parts : mapping
            Direction -> NowcastResult from :func:`~ciqanalysis.forecast.nowcast_year`
            (same as-of date, levels, paths and months).
        name : str, default "total"
            Name of the total.
        data : optional
            The input, for the provenance caption.

        Returns
        -------
        Outlook
            The parts, then the total (:func:`~ciqanalysis.forecast.sum_nowcasts`).

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> a = nowcast_year(pd.Series(100.0 + np.arange(82), index=idx), "2010-10-31", n_paths=200)
        >>> b = nowcast_year(pd.Series(50.0 + np.arange(82), index=idx), "2010-10-31", n_paths=200)
        >>> out = Outlook.summed({"export": a, "import": b})
        >>> bool(np.allclose(out["total"].table["mean"], a.table["mean"] + b.table["mean"]))
        True
        """
        cls(parts)  # the same checks as a plain outlook
        return cls({**parts, name: sum_nowcasts(dict(parts), name=name)}, total=name, data=data)

    # the mapping ------------------------------------------------------------------
    def __getitem__(self, key: str) -> NowcastResult:
        return self._results[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        first = next(iter(self._results.values()))
        return short_repr(self, as_of=first.as_of.date(), directions=list(self._results), total=self.total)

    # presentation -----------------------------------------------------------------
    def _summary_parts(self):
        """Title, tables ``outlook`` and (with a partial month) ``partial month``, flags."""
        first = next(iter(self._results.values()))
        tables = [("full year Y and next year Y+1, 亿美元", self.outlook())]
        if any(r.partial_share is not None for r in self._results.values()):
            tables.append(("partial month, 亿美元", self.partial_month()))
        notes = [f"{d}: {f}" for d, r in self._results.items() if d != self.total for f in r.flags]
        return f"Outlook by direction as of {first.as_of.date()}", tables, notes, None

    def _provenance_data(self):
        return self._attrs if self._attrs.attrs else next(iter(self._results.values())).history

    def to_frame(self) -> pd.DataFrame:
        """Return the outlook in US dollars (:meth:`outlook` with ``unit="USD"``).

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
        >>> res = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False)
        >>> float(res.to_frame().loc[("export", 2010), "observed"])  # 172 + ... + 181
        1765.0
        """
        return self.outlook(unit="USD")

    def outlook(self, unit: str = "亿美元") -> pd.DataFrame:
        """Tabulate the full year (全年) and next year (明年) by direction, with intervals.

        Parameters
        ----------
        unit : str, default "亿美元"
            Money unit of the table (1 亿美元 = 100 million US dollars).

        Returns
        -------
        pandas.DataFrame
            Index (direction, year); columns ``observed`` (year to date, 累计, with
            the partial month; 0 for the next year), ``mean``, ``lower_<L>``/``upper_<L>``,
            ``growth_pct`` (同比 of the mean: the as-of year against the previous
            year's actual total, the next year against the as-of year's mean).

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
        >>> tab = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200,
        ...                            select=False).outlook(unit="USD")
        >>> bool(tab.loc[("export", 2010), "mean"] > tab.loc[("export", 2010), "observed"])
        True
        """
        frames = []
        for name, res in self._results.items():
            cols = ["observed", "mean", *bounds(res.levels)]
            tab = res.table[cols].astype("float64")
            tab = from_usd(tab, unit).assign(growth_pct=res.table["growth_pct"].to_numpy())
            tab.index = pd.MultiIndex.from_arrays(
                [[name] * len(tab), [int(p.year) for p in res.table.index]], names=["direction", "year"])
            frames.append(tab)
        return pd.concat(frames)

    def partial_month(self, unit: str = "亿美元") -> pd.DataFrame:
        """Show how the partial as-of month was completed (当月部分数据的补全).

        Parameters
        ----------
        unit : str, default "亿美元"
            Money unit.

        Returns
        -------
        pandas.DataFrame
            Index direction; ``month``, ``share_done`` (share of the month usually
            done by the as-of day; NaN without a partial month), ``observed`` (the
            month's value through the as-of day), ``month_mean`` and the month's
            interval bounds (observed part plus the simulated remainder).

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-11", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
        >>> res = nowcast_by_direction(y, "2010-11-15", seed=1, n_paths=200, select=False)
        >>> tab = res.partial_month(unit="USD")
        >>> float(tab.loc["export", "observed"]), round(float(tab.loc["export", "share_done"]), 2)
        (182.0, 0.5)
        """
        rows = {}
        for name, res in self._results.items():
            month = res.as_of.to_period("M")
            year = res.as_of.year
            done = res.history[res.history.index.year == year].sum()
            observed = float(res.table["observed"].iloc[0] - done) if res.partial_share is not None else 0.0
            row = {"month": str(month), "share_done": np.nan if res.partial_share is None else res.partial_share,
                   "observed": from_usd(observed, unit)}
            if month in res.monthly.index:
                cols = ["mean", *bounds(res.levels)]
                vals = from_usd(res.monthly.loc[month, cols].astype("float64"), unit)
                row.update({("month_mean" if c == "mean" else f"month_{c}"): vals[c] for c in cols})
            rows[name] = row
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "direction"
        return out

    def forecasts(self) -> dict[str, ForecastResult]:
        """Return the monthly forecast behind each direction's nowcast (not the summed total).

        See :meth:`NowcastResult.forecast_result
        <ciqanalysis.forecast.NowcastResult.forecast_result>`.

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx)), "import": 50.0 + np.arange(len(idx))},
        ...                  index=idx)
        >>> sorted(nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False).forecasts())
        ['export', 'import']
        """
        return {d: r.forecast_result() for d, r in self._results.items() if d != self.total}

    def model_frame(self) -> pd.DataFrame:
        """Models tried per direction, their backtest errors and weights (模型与回测误差).

        :meth:`ForecastResult.model_frame <ciqanalysis.forecast.ForecastResult.model_frame>`
        of each of :meth:`forecasts`, stacked.

        Returns
        -------
        pandas.DataFrame
            Index (series, candidate), best first within each series; columns
            ``weight`` (0 when not combined), ``mase`` (mean absolute scaled error:
            below 1 beats the seasonal naive in-sample), ``smape`` (percent),
            ``origins`` (backtest origins scored), ``status``.

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
        >>> res = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False)
        >>> round(float(res.model_frame().loc["export", "weight"].sum()), 12)
        1.0
        """
        return pd.concat({d: f.model_frame() for d, f in self.forecasts().items()},
                         names=["series", "candidate"])

    def festival_effects(self, years: Iterable[int], label: str | None = None) -> pd.DataFrame:
        """Spring Festival effect (春节效应) on January-March of each direction, in percent.

        :meth:`ForecastResult.festival_effects
        <ciqanalysis.forecast.ForecastResult.festival_effects>` of each of
        :meth:`forecasts`, stacked.

        Parameters
        ----------
        years : iterable of int
            Years shown.
        label : str, optional
            Put before each direction in the ``series`` level (e.g. ``"Jilin"`` gives
            ``"Jilin export"``), so that outlooks of several places stack.

        Returns
        -------
        pandas.DataFrame
            Index (series, year); ``beta``, ``jan_pct``, ``feb_pct``, ``mar_pct``.

        Examples
        --------
        >>> idx = pd.period_range("2004-01", "2010-10", freq="M")
        >>> y = pd.DataFrame({"export": 100.0 + np.arange(len(idx))}, index=idx)
        >>> res = nowcast_by_direction(y, "2010-10-31", seed=1, n_paths=200, select=False)
        >>> res.festival_effects([2011], label="toy").index.tolist()
        [('toy export', 2011)]
        """
        years = list(years)
        return pd.concat({(f"{label} {d}" if label else d): f.festival_effects(years)
                          for d, f in self.forecasts().items()}, names=["series", "year"])

    def outturn_check(self, series: pd.DataFrame, year: int | None = None, unit: str = "亿美元") -> pd.DataFrame:
        """Set forecasts against the outturn (预测与实际), computed from the series.

        The outturn is data after the as-of date: a check of the method, never an
        input to it.

        Parameters
        ----------
        series : pandas.DataFrame
            Monthly values (PeriodIndex 'M', US dollars) holding all twelve months
            of ``year``; the directions must be its columns, or the total (the sum
            of its columns).
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
        >>> float(res.outturn_check(y, unit="USD").loc["export", "actual"])
        2274.0
        """
        if not isinstance(series, pd.DataFrame) or not isinstance(series.index, pd.PeriodIndex) \
                or series.index.freqstr not in ("M", "ME"):
            raise ParameterError("series must be a monthly DataFrame with a PeriodIndex 'M'")
        first = next(iter(self._results.values()))
        year = int(first.as_of.year + 1 if year is None else year)
        months = series.loc[series.index.year == year]
        if len(months) != 12:
            raise ParameterError(
                f"the series holds {len(months)} month(s) of {year}; the outturn needs all 12 "
                f"(data run {series.index.min()}..{series.index.max()})"
            )
        annual = months.sum().astype("float64")
        annual["total"] = float(months.sum(axis=1).sum())
        missing = [d for d in self._results if d not in annual.index]
        if missing:
            raise ParameterError(f"directions {missing} are not columns of the series {list(series.columns)}")
        rows = {}
        target = pd.Period(str(year), "Y")
        for name, res in self._results.items():
            if target not in res.table.index:
                raise ParameterError(
                    f"{name}: the nowcast covers {[str(p) for p in res.table.index]}, not {year}")
            r = res.table.loc[target]
            rows[name] = {"forecast": r["mean"], **{c: r[c] for c in bounds(res.levels)}, "actual": annual[name]}
        out = pd.DataFrame.from_dict(rows, orient="index").astype("float64")
        out.index.name = "direction"
        out["error_pct"] = (out["forecast"] / out["actual"] - 1) * 100
        levels = first.levels
        for lv in levels:
            out[f"inside_{lv}"] = (out["actual"] >= out[f"lower_{lv}"]) & (out["actual"] <= out[f"upper_{lv}"])
        money = ["forecast", *bounds(levels), "actual"]
        out[money] = from_usd(out[money], unit)
        return out


def nowcast_by_direction(data: pd.DataFrame, as_of, levels=DEFAULT_LEVELS, seed: int = 0, *,
                         add_total: bool = True, **options) -> Outlook:
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
    Outlook
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
    >>> list(nowcast_by_direction(y, "2010-11-20", seed=1, n_paths=200, select=False))
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
        return Outlook.summed(out, data=data)
    return Outlook(out, data=data)
