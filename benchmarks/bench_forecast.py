"""Benchmark: accuracy and speed of the automatic forecaster on real monthly trade.

Series: China's monthly exports and imports (China Customs, real), rolling windows
of ten years' history; each window is forecast 12 months ahead with
``cq.forecast.forecast`` (default candidates, backtest selection, combination) and
scored against the outturn by MASE (scaled by the in-sample seasonal naive error)
and sMAPE, next to the seasonal naive forecast itself.

Speed targets on a 2-core machine: one monthly series of ten years in <= 2 s on one
core; 500 such series (seeded perturbations of the real windows) in <= 5 minutes on
two cores (``forecast_many``, n_jobs=2).

Run: ``python benchmarks/bench_forecast.py [n_many] [seed] [--many-only]`` (n_many
default 500; a smaller count is extrapolated linearly and says so).
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
import pandas as pd

import ciqanalysis as cq
from ciqanalysis.errors import ForecastFallbackWarning

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
MANY_ONLY = "--many-only" in sys.argv
N_MANY = int(ARGS[0]) if len(ARGS) > 0 else 500
SEED = int(ARGS[1]) if len(ARGS) > 1 else 20101120
H = 12
WINDOW = 120


def windows(data: pd.DataFrame, step: int = 6):
    """(direction, window series, outturn) for ten-year windows ending every `step` months."""
    out = []
    idx = data.index
    for col in data.columns:
        for end in range(WINDOW, len(idx) - H + 1, step):
            y = data[col].iloc[end - WINDOW:end].rename(col)
            out.append((col, y, data[col].iloc[end:end + H].to_numpy()))
    return out


def scores(y: pd.Series, fc: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    v = y.to_numpy()
    scale = np.mean(np.abs(v[12:] - v[:-12]))
    mase = float(np.mean(np.abs(actual - fc)) / scale)
    smape = float(np.mean(2 * np.abs(actual - fc) / (np.abs(actual) + np.abs(fc))) * 100)
    return mase, smape


def main() -> None:
    data = cq.data.national_trade_monthly()
    wins = windows(data)
    if not MANY_ONLY:
        accuracy(wins)
    many(wins)


def accuracy(wins) -> None:
    """Accuracy and one-core time per series on the real windows."""
    print(f"accuracy: {len(wins)} windows of {WINDOW} months (exports and imports, "
          f"ends every 6 months), horizon {H}")
    rows, times = [], []
    cq.forecast.forecast(wins[0][1], H)  # warm-up: imports, caches
    for col, y, actual in wins:
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ForecastFallbackWarning)
            res = cq.forecast.forecast(y, H)
        times.append(time.perf_counter() - t0)
        v = y.to_numpy()
        naive = v[-12:][np.arange(H) % 12]
        m_auto, s_auto = scores(y, res.table["mean"].to_numpy(), actual)
        m_naive, s_naive = scores(y, naive, actual)
        inside = np.mean((actual >= res.table["lower_80"]) & (actual <= res.table["upper_80"]))
        inside95 = np.mean((actual >= res.table["lower_95"]) & (actual <= res.table["upper_95"]))
        rows.append((col, str(y.index[-1]), m_auto, s_auto, m_naive, s_naive, inside, inside95,
                     len(caught), res.models[0]))
    tab = pd.DataFrame(rows, columns=["direction", "end", "mase", "smape", "mase_snaive",
                                      "smape_snaive", "cov80", "cov95", "fallbacks", "best"])
    summ = tab.groupby("direction")[["mase", "mase_snaive", "smape", "smape_snaive", "cov80",
                                     "cov95"]].mean()
    summ[["cov80", "cov95"]] *= 100
    print(summ.round(3).to_string())
    print(f"all: MASE {tab['mase'].mean():.3f} vs seasonal naive {tab['mase_snaive'].mean():.3f}; "
          f"sMAPE {tab['smape'].mean():.2f} % vs {tab['smape_snaive'].mean():.2f} %; "
          f"windows where auto beats snaive (MASE): {(tab['mase'] < tab['mase_snaive']).mean():.0%}; "
          f"fallback warnings: {int(tab['fallbacks'].sum())}")
    print("best-ranked model counts:", tab["best"].value_counts().to_dict())
    t = np.array(times)
    print(f"time per series (one core, default candidates): median {np.median(t):.2f} s, "
          f"mean {t.mean():.2f} s, max {t.max():.2f} s (target <= 2 s)")



def many(wins) -> None:
    """Seeded perturbations of the real windows, two workers."""
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, len(wins), N_MANY)
    idx = pd.period_range("2001-01", periods=WINDOW, freq="M")
    wide = pd.DataFrame(
        {f"s{i:04d}": wins[k][1].to_numpy() * np.exp(rng.normal(0, 0.03, WINDOW))
         for i, k in enumerate(picks)},
        index=idx,
    )
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ForecastFallbackWarning)
        many = cq.forecast.forecast_many(wide, horizon=H, n_jobs=2, progress=False, seed=SEED)
    el = time.perf_counter() - t0
    per500 = el / N_MANY * 500
    note = "" if N_MANY == 500 else f" (measured on {N_MANY}, extrapolated linearly)"
    print(f"forecast_many: {N_MANY} series in {el:.1f} s on 2 workers; "
          f"500 series: {per500:.0f} s{note} (target <= 300 s); "
          f"statuses {many.series['status'].value_counts().to_dict()}")


if __name__ == "__main__":
    main()
