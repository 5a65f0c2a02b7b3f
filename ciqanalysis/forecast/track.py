"""Track record (历史预测检验) on China's real monthly trade, 1995-2013.

For every year Y, stand at the end of October of Y with only the data then known,
nowcast the full year Y and forecast the total of Y+1, and set both against what
happened. Two benchmarks a director would use without a model:

(a) *same as this year*: this year = observed January-October scaled up by last
    year's January-October share of its full year (累计占比); next year = this year;
(b) *this year's growth again*: next year = (a)'s this year × (1 + this year's
    year-to-date growth, 累计同比).

By default the track record re-runs exactly the default method of the nowcast
(:func:`~ciqanalysis.forecast.nowcast_year` with its defaults, the twelve monthly members of
the default method in equal numbers of paths, :data:`TRACK_CANDIDATES`) at every origin, so its
errors are those of the forecasts the memo shows. The result is cached on disk,
keyed by the data, the options and :data:`~ciqanalysis.forecast.DEFAULT_METHOD_VERSION`
(folder ``$CIQANALYSIS_CACHE_DIR``, default ``.cache/`` in the repository).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._summary import Summary, provenance_caption, short_repr
from ..config import DEFAULT_LEVELS
from ..errors import ParameterError
from ..units import from_usd
from ._prep import check_levels
from .core import DEFAULT_METHOD_VERSION
from .nowcast import NOWCAST_CANDIDATES, nowcast_year

__all__ = ["TrackRecord", "track_record", "TRACK_CANDIDATES", "cache_dir"]

#: Models of the track record by default: the default method (positive series).
TRACK_CANDIDATES: tuple[str, ...] = NOWCAST_CANDIDATES


def cache_dir() -> Path:
    """Return the cache folder: ``$CIQANALYSIS_CACHE_DIR`` or ``<repo>/.cache``.

    Examples
    --------
    >>> cache_dir().name in (".cache", os.environ.get("CIQANALYSIS_CACHE_DIR", "x").rsplit("/", 1)[-1])
    True
    """
    from ..paths import repo_root

    env = os.environ.get("CIQANALYSIS_CACHE_DIR")
    return Path(env) if env else repo_root() / ".cache"


@dataclass
class TrackRecord:
    """Per-year forecasts against outcomes, and their summary.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per origin year, direction and target (``current`` = full year Y,
        ``next`` = year Y+1): ``forecast``, ``lower_<L>``, ``upper_<L>``, ``actual``,
        ``error_pct`` (forecast / actual - 1, percent), ``bench_same``,
        ``bench_growth`` and their ``..._error_pct``, ``inside_<L>``.
    by_target : pandas.DataFrame
        By direction and target: ``n``, ``mape``, ``mape_same``, ``mape_growth``,
        ``coverage_<L>`` (share of outcomes inside the interval, percent). (Named
        ``summary`` before results had a :meth:`summary` method.)
    candidates : tuple
        Models used.

    Notes
    -----
    ``summary()`` (历史预测检验摘要) has the table ``method against benchmarks``
    (:meth:`benchmark_table`); :meth:`year_table` lists the record year by year
    in 亿美元, :meth:`to_frame` in US dollars.

    Examples: see :func:`track_record`.
    """

    table: pd.DataFrame
    by_target: pd.DataFrame
    candidates: tuple

    def __setstate__(self, state: dict) -> None:
        # records cached before the field was renamed hold it as "summary"
        if "summary" in state:
            state = dict(state)
            state["by_target"] = state.pop("summary")
        self.__dict__.update(state)

    def summary(self, source: str | None = None) -> Summary:
        """Return the summary: method against benchmarks, per direction (历史预测检验摘要).

        Parameters
        ----------
        source : str, optional
            Provenance caption, e.g. ``"real data: China Customs"`` for the default
            series; the record does not keep its input, so by default the caption
            says the source is not recorded.

        Returns
        -------
        Summary
            Table ``method against benchmarks`` (:meth:`benchmark_table`).

        Examples: see :func:`track_record`.
        """
        years = self.table.index.get_level_values("year")
        return Summary(f"Track record, origin years {years.min()}..{years.max()}",
                       [("method against benchmarks", self.benchmark_table())],
                       notes=[f"models: {', '.join(self.candidates)}"],
                       provenance=provenance_caption(source))

    def benchmark_table(self) -> pd.DataFrame:
        """Return the method against the benchmarks, as the memo shows it (历史预测检验).

        Returns
        -------
        pandas.DataFrame
            Rows: the method's MAPE (mean absolute percentage error), the MAPE of the
            benchmarks "same as this year" and "this year's YTD growth" (累计同比;
            next year only), and the coverage of the intervals (percent of outcomes
            inside); columns e.g. ``exports, next year Y+1``.

        Examples: see :func:`track_record`.
        """
        summary = self.by_target
        levels = sorted(int(c.split("_")[1]) for c in summary.columns if c.startswith("coverage_"))
        rows = _measures(levels)
        names = {"export": "exports", "import": "imports"}
        what = {"current": "full year Y", "next": "next year Y+1"}
        return pd.DataFrame(
            {f"{names.get(d, d)}, {what.get(t, t)}": summary.loc[(d, t), list(rows.values())].to_numpy()
             for d, t in summary.index},
            index=pd.Index(list(rows), name="measure"),
        ).astype("float64")

    def year_table(self, target: str | None = "next", unit: str = "亿美元") -> pd.DataFrame:
        """List the record year by year, money in ``unit`` (逐年预测与实际).

        Parameters
        ----------
        target : {"next", "current", None}, default "next"
            ``next``: the forecasts of Y+1 made in October of Y; ``current``: the
            nowcasts of Y; None: both.
        unit : str, default "亿美元"
            Money unit.

        Returns
        -------
        pandas.DataFrame
            Index (year, direction[, target]); ``target_year``, ``actual``,
            ``forecast``, the interval bounds, ``bench_same``, ``bench_growth``, the
            errors (``error_pct`` and the benchmarks', percent of the actual) and
            ``inside_<L>``.

        Raises
        ------
        ParameterError
            For another ``target``.

        Examples: see :func:`track_record`.
        """
        if target not in ("next", "current", None):
            raise ParameterError(f"target must be 'next', 'current' or None, got {target!r}")
        tab = self.table
        money = ["actual", "forecast", *[c for c in tab.columns if c.startswith(("lower_", "upper_"))],
                 "bench_same", "bench_growth"]
        errors = [c for c in tab.columns if c.endswith("error_pct")]
        inside = [c for c in tab.columns if c.startswith("inside_")]
        out = pd.concat([tab[["target_year"]], from_usd(tab[money], unit), tab[errors + inside]], axis=1)
        if target is not None:
            out = out.xs(target, level="target")
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return the year-by-year table (one row per origin year, direction, target), a copy.

        Examples: see :func:`track_record`.
        """
        return self.table.copy()

    def _repr_html_(self) -> str:
        return self.summary().as_html()

    def __repr__(self) -> str:
        years = self.table.index.get_level_values("year")
        return short_repr(self, years=f"{years.min()}..{years.max()}", rows=len(self.table),
                          candidates=self.candidates)


def _measures(levels) -> dict[str, str]:
    lo, hi = sorted(levels)[0], sorted(levels)[-1]
    return {
        "method MAPE %": "mape",
        "benchmark: same as this year, MAPE %": "mape_same",
        "benchmark: this year's YTD growth, MAPE %": "mape_growth",
        f"{lo} % interval coverage %": f"coverage_{lo}",
        f"{hi} % interval coverage %": f"coverage_{hi}",
    }


def _one(y: pd.Series, year: int, through_month: int, levels, seed: int, options: dict) -> dict:
    cut = y.loc[: pd.Period(f"{year}-{through_month:02d}", "M")]
    as_of = pd.Period(f"{year}-{through_month:02d}", "M").to_timestamp(how="end").normalize()
    res = nowcast_year(cut, as_of, levels, seed=seed, **options)
    return {"table": res.table, "flags": res.flags, "models": res.models}


def _cache_key(frame: pd.DataFrame, parts) -> str:
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest.update(repr(list(frame.columns)).encode())
    digest.update(repr(parts).encode())
    import statsmodels

    from .engine import default_method

    # the members as well as the version: switching the outlier-adjusted variants on
    # (engine.DEFAULT_OUTLIER_ADJUSTED) changes the method without a new version
    digest.update(f"{DEFAULT_METHOD_VERSION} {default_method(True)} statsmodels {statsmodels.__version__}".encode())
    return digest.hexdigest()[:24]


def track_record(series=None, years=range(1995, 2013), through_month: int = 10, levels=DEFAULT_LEVELS, *,
                 seed: int = 0, n_paths: int | None = None, history_years: int | None = None,
                 candidates=None, n_jobs: int = 1, cache: bool = True) -> TrackRecord:
    """Forecast each year's total and the next year's from October data; score them.

    Parameters
    ----------
    series : pandas.DataFrame or pandas.Series, optional
        Monthly values with a PeriodIndex (columns are directions); default the
        real China Customs series ``ciqanalysis.data.national_trade_monthly()``
        (exports and imports, US dollars).
    years : iterable of int, default 1995..2012
        Origin years Y; only those whose Y+1 is complete in the data are used.
    through_month : int, default 10
        Last month known at the origin (end of October).
    levels : tuple, default (80, 95)
        Interval levels, percent.
    seed : int, default 0
        Seed of the simulated paths (the same for every origin).
    n_paths, history_years : int, optional
        As :func:`~ciqanalysis.forecast.nowcast_year` (default: its defaults).
    candidates : tuple, optional
        Models chosen by backtest instead of the default method (None: the
        default method, exactly as the nowcast and the memo run it).
    n_jobs : int, default 1
        Worker processes (joblib); results do not depend on it.
    cache : bool, default True
        Read and write the result in :func:`cache_dir` (keyed by the data, the
        options and the method version).

    Returns
    -------
    TrackRecord

    Examples
    --------
    A tiny run: one origin year, real China Customs exports, one quick model.

    >>> from ciqanalysis.data import national_trade_monthly
    >>> exports = national_trade_monthly()[["export"]]
    >>> tr = track_record(exports, years=[2009], n_paths=100, candidates=("snaive_log",))
    >>> float(round(tr.table.loc[(2009, "export", "next"), "actual"] / 1e8, 2))
    15784.24

    Its tables: the summary (method against benchmarks), year by year, all rows.

    >>> tr.summary().tables[0][1].shape, tr.benchmark_table().index.name
    ((5, 2), 'measure')
    >>> tr.year_table().index.tolist()
    [(2009, 'export')]
    >>> tr.to_frame().index.names
    FrozenList(['year', 'direction', 'target'])
    """
    from joblib import Parallel, delayed

    levels = check_levels(levels)
    if series is None:
        from .. import data

        series = data.national_trade_monthly()
    frame = series.to_frame() if isinstance(series, pd.Series) else series
    if not isinstance(frame.index, pd.PeriodIndex) or frame.index.freqstr not in ("M", "ME"):
        raise ParameterError("track_record needs monthly data with a PeriodIndex (freq 'M')")
    if not 1 <= int(through_month) <= 11:
        raise ParameterError(f"through_month must be 1..11, got {through_month!r}")
    last = frame.index.max()
    full_last_year = last.year if last.month == 12 else last.year - 1
    first_year = frame.index.min().year + 1
    use = sorted(y for y in {int(v) for v in years} if first_year + 1 <= y and y + 1 <= full_last_year)
    if not use:
        raise ParameterError(
            f"no usable origin year in {list(years)}: each needs the previous year and the "
            f"complete next year in the data ({frame.index.min()}..{last})"
        )
    options = {k: v for k, v in (("n_paths", n_paths), ("history_years", history_years),
                                 ("candidates", None if candidates is None else list(candidates)))
               if v is not None}
    jobs = [(col, yr) for col in frame.columns for yr in use]
    path = cache_dir() / f"track_record-{_cache_key(frame, (use, through_month, levels, seed, options))}.pkl"
    if cache and path.is_file():
        with path.open("rb") as fh:
            return pickle.load(fh)
    out = Parallel(n_jobs=n_jobs)(
        delayed(_one)(frame[col], yr, int(through_month), levels, seed, options) for col, yr in jobs
    )
    annual = frame.groupby(frame.index.year).sum()
    m = frame.index.month
    ytd = frame[m <= through_month].groupby(frame.index.year[m <= through_month]).sum()
    rows = []
    for (col, yr), res in zip(jobs, out, strict=True):
        tab = res["table"]
        share_prev = ytd.loc[yr - 1, col] / annual.loc[yr - 1, col]
        this_a = ytd.loc[yr, col] / share_prev
        growth = ytd.loc[yr, col] / ytd.loc[yr - 1, col]
        for target, year_t, bench_same, bench_growth in (
            ("current", yr, this_a, this_a),
            ("next", yr + 1, this_a, this_a * growth),
        ):
            r = tab.loc[pd.Period(str(year_t), "Y")]
            row = {"year": yr, "direction": col, "target": target, "target_year": year_t,
                   "forecast": r["mean"]}
            for lv in levels:
                row[f"lower_{lv}"] = r[f"lower_{lv}"]
                row[f"upper_{lv}"] = r[f"upper_{lv}"]
            row.update(actual=annual.loc[year_t, col], bench_same=bench_same, bench_growth=bench_growth)
            rows.append(row)
    table = pd.DataFrame(rows).set_index(["year", "direction", "target"])
    for name in ("forecast", "bench_same", "bench_growth"):
        col = "error_pct" if name == "forecast" else f"{name}_error_pct"
        table[col] = (table[name] / table["actual"] - 1) * 100
    for lv in levels:
        table[f"inside_{lv}"] = (table["actual"] >= table[f"lower_{lv}"]) & (table["actual"] <= table[f"upper_{lv}"])
    g = table.groupby(level=["direction", "target"])
    summary = pd.DataFrame({
        "n": g.size(),
        "mape": g["error_pct"].apply(lambda s: s.abs().mean()),
        "mape_same": g["bench_same_error_pct"].apply(lambda s: s.abs().mean()),
        "mape_growth": g["bench_growth_error_pct"].apply(lambda s: s.abs().mean()),
    })
    for lv in levels:
        summary[f"coverage_{lv}"] = g[f"inside_{lv}"].mean() * 100
    summary["mape_growth"] = summary["mape_growth"].where(
        summary.index.get_level_values("target") == "next", np.nan)
    used = tuple(dict.fromkeys(m for r in out for m in r["models"]))
    record = TrackRecord(table=table, by_target=summary, candidates=used)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(record, fh)
        tmp.replace(path)
    return record
