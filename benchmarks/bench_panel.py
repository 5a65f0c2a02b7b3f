"""Benchmark: panel building, YoY growth and contributions on 10 million declarations.

Prints wall times, peak memory and the ratio of ``cq.panel.panel`` to a bare pandas
groupby doing the same aggregation. Targets on a 2-core machine: <= 10 s for the
whole pipeline, <= 3 GB peak, <= 1.5x the bare groupby.

Run: ``python benchmarks/bench_panel.py [n_rows] [seed]``.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
import tracemalloc

import numpy as np
import pandas as pd

from ciqanalysis.metrics import contribution_pp, yoy_growth
from ciqanalysis.panel import panel, to_wide

N_ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 20101120
KEYS = ["direction", "product_group", "county_code"]
ROUNDS = 4


def make_rows(n: int, seed: int) -> pd.DataFrame:
    """Declaration-like rows: categorical direction x product group x county."""
    rng = np.random.default_rng(seed)
    groups = [f"group_{i:02d}" for i in range(12)]
    counties = [f"22{p:02d}{c:02d}" for p in range(1, 10) for c in range(1, 8)]  # 63 codes
    days = pd.date_range("2008-01-01", "2010-12-31", freq="D").to_numpy()
    return pd.DataFrame({
        "date": days[rng.integers(0, len(days), n)],
        "direction": pd.Categorical.from_codes(rng.integers(0, 2, n, dtype=np.int8),
                                               ["export", "import"]),
        "product_group": pd.Categorical.from_codes(rng.integers(0, len(groups), n,
                                                                dtype=np.int8), groups),
        "county_code": pd.Categorical.from_codes(rng.integers(0, len(counties), n,
                                                              dtype=np.int16), counties),
        "value_usd": rng.lognormal(10.0, 1.5, n),
    })


def bare_groupby(df: pd.DataFrame) -> pd.DataFrame:
    """The same aggregation written directly in pandas (no gap filling, no checks)."""
    return df.groupby(KEYS + [df["date"].dt.to_period("M")], observed=True)["value_usd"].agg(
        ["sum", "size"])


def bare_groupby_precomputed_month(df: pd.DataFrame, month: pd.Series) -> pd.DataFrame:
    """The aggregation alone, the month column being computed beforehand (untimed)."""
    return df.groupby(KEYS + [month], observed=True)["value_usd"].agg(["sum", "size"])


def timed(f, *args, repeat: int = 3):
    best, out = np.inf, None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        out = f(*args)
        best = min(best, time.perf_counter() - t0)
    return best, out


def rss_peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def main() -> None:
    t0 = time.perf_counter()
    df = make_rows(N_ROWS, SEED)
    t_gen = time.perf_counter() - t0
    mem_data = df.memory_usage(deep=True).sum() / 1024**3
    print(f"rows: {len(df):,}  (seed {SEED}); generated in {t_gen:.2f} s; "
          f"frame {mem_data:.2f} GB; peak RSS so far {rss_peak_gb():.2f} GB")

    # Interleaved rounds, so that load from other processes hits both sides alike.
    month = df["date"].dt.to_period("M").rename("period")
    rounds = {"bare": [], "bare_pre": [], "panel": []}
    for _ in range(ROUNDS):
        t, bare = timed(bare_groupby, df, repeat=1)
        rounds["bare"].append(t)
        t, _ = timed(bare_groupby_precomputed_month, df, month, repeat=1)
        rounds["bare_pre"].append(t)
        t, p = timed(lambda d: panel(d, "M", by=KEYS), df, repeat=1)
        rounds["panel"].append(t)
    del month
    t_bare, t_bare_pre, t_panel = (min(rounds[k]) for k in ("bare", "bare_pre", "panel"))
    ratios = np.array(rounds["panel"]) / np.array(rounds["bare"])
    assert np.isclose(p["value_usd"].sum(), bare["sum"].sum(), rtol=1e-9)
    assert int(p["n_consignments"].sum()) == int(bare["size"].sum()) == len(df)

    def metrics_step(p):
        wide = to_wide(p, columns=KEYS)
        g = yoy_growth(wide)
        c = contribution_pp(wide)
        return wide, g, c

    t_metrics, (wide, g, c) = timed(metrics_step, p)
    total = yoy_growth(wide.sum(axis=1).to_frame("t"))["t"]
    assert np.allclose(c.sum(axis=1).iloc[12:], total.iloc[12:])

    t_all = t_panel + t_metrics
    print(f"bare pandas groupby (sum, size by {len(KEYS)} keys x month): {t_bare:.2f} s")
    print(f"bare groupby, month column computed beforehand (untimed):   {t_bare_pre:.2f} s")
    print(f"cq.panel.panel (same + zero-filled grid, status, checks):   {t_panel:.2f} s "
          f"-> ratio {t_panel / t_bare:.2f}x the bare groupby, "
          f"{t_panel / t_bare_pre:.2f}x the aggregation alone (best of {ROUNDS}; "
          f"round-by-round ratio median {np.median(ratios):.2f}, max {ratios.max():.2f})")
    print(f"to_wide + yoy_growth + contribution_pp on {wide.shape[0]} x {wide.shape[1]}:"
          f" {t_metrics:.2f} s")
    print(f"pipeline (panel + metrics): {t_all:.2f} s (target <= 10 s)")
    print(f"panel rows: {len(p):,}; peak RSS of the process: {rss_peak_gb():.2f} GB "
          "(target <= 3 GB)")

    tracemalloc.start()
    panel(df, "M", by=KEYS)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"extra memory allocated by one panel() call (tracemalloc peak): {peak / 1024**3:.2f} GB")


if __name__ == "__main__":
    main()
