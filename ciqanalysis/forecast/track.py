"""Track record (历史预测检验) on China's real monthly trade, 1995-2013.

For every year Y, stand at the end of October of Y with only the data then known,
nowcast the full year Y and forecast the total of Y+1, and set both against what
happened. Two benchmarks a director would use without a model:

(a) *same as this year*: this year = observed January-October scaled up by last
    year's January-October share of its full year (累计占比); next year = this year;
(b) *this year's growth again*: next year = (a)'s this year × (1 + this year's
    year-to-date growth, 累计同比).

The track record uses a lean, fixed model set, :data:`TRACK_CANDIDATES`, with equal
weights (no backtest selection) and ten years of history at each origin, so that
the 36 forecasts run in a few seconds in one process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._prep import check_levels
from .nowcast import nowcast_year

__all__ = ["TrackRecord", "track_record", "TRACK_CANDIDATES"]

#: Fixed models of the track record: airline SARIMA and ETS(A,Ad,A), both on logs,
#: with the Spring Festival adjustment, equal weights.
TRACK_CANDIDATES: tuple[str, ...] = ("sarima_log", "ets_log")


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
    summary : pandas.DataFrame
        By direction and target: ``n``, ``mape``, ``mape_same``, ``mape_growth``,
        ``coverage_<L>`` (share of outcomes inside the interval, percent).
    candidates : tuple
        Models used.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    candidates: tuple


def _one(y: pd.Series, year: int, through_month: int, levels, seed: int, n_paths: int,
         history_years: int, candidates) -> dict:
    cut = y.loc[: pd.Period(f"{year}-{through_month:02d}", "M")]
    as_of = pd.Period(f"{year}-{through_month:02d}", "M").to_timestamp(how="end").normalize()
    res = nowcast_year(cut, as_of, levels, seed=seed, n_paths=n_paths, candidates=list(candidates),
                       select=False, history_years=history_years)
    return {"table": res.table, "flags": res.flags}


def track_record(series=None, years=range(1995, 2013), through_month: int = 10, levels=(80, 95), *,
                 seed: int = 0, n_paths: int = 1000, history_years: int = 10,
                 candidates=TRACK_CANDIDATES, n_jobs: int = 1) -> TrackRecord:
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
    n_paths : int, default 1000
        Simulated paths per origin.
    history_years : int, default 10
        Years of history used at each origin.
    candidates : tuple, default :data:`TRACK_CANDIDATES`
        Models (equal weights).
    n_jobs : int, default 1
        Worker processes (joblib); results do not depend on it. One process is
        the default because the 36 fits take a few seconds, less than starting
        two workers that import statsmodels costs on a busy two-core machine.

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
    jobs = [(col, yr) for col in frame.columns for yr in use]
    out = Parallel(n_jobs=n_jobs)(
        delayed(_one)(frame[col], yr, int(through_month), levels, seed, n_paths, history_years, candidates)
        for col, yr in jobs
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
    return TrackRecord(table=table, summary=summary, candidates=tuple(candidates))
