"""Benchmark: checking a declarations file against the column contract, three ways.

A seeded SYNTHETIC CSV of ``--rows`` declarations (the packaged sample's rows drawn
with replacement, new ``decl_id``s) is read in a fresh process for each way, with its
wall time and peak RSS:

1. ``bare pandas``: ``pd.read_csv`` with the contract's dtypes and nothing checked (the peer);
2. ``read_declarations``: the package's streaming reader of users' files, its
   per-block checks written by hand (header aliases, units, county codes, flags);
3. ``pandera``: ``pd.read_csv`` of text then ``ciqanalysis.data.schema.validate`` against the
   declarations Table Schema, the library path ``load()`` takes for packaged tables;
4. ``reader + pandera``: the reader, then the same validation of its output, what a
   library check of every user file on top of the reader would cost.

Run: ``nice python benchmarks/bench_contract.py [--rows 1000000] [--seed 20101120]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

SETUP = """
import resource, sys, time, warnings
import pandas as pd
from ciqanalysis import data
from ciqanalysis.data import schema
res = data.describe("declarations")
contract = schema.table("declarations")
path = sys.argv[1]
"""

WAYS = {
    "bare pandas": """
dtypes = {c: ("str" if t == "str" else "float64") for c, t in contract.dtypes.items()
          if t in ("str", "float64")}
df = pd.read_csv(path, dtype=dtypes, parse_dates=["date"])
""",
    "read_declarations": """
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    df = data.read_declarations(path)
""",
    "pandera": """
raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
df = schema.validate(res, raw, file="bench.csv", row_of=lambda i: i + 2)
del raw
""",
    "reader + pandera": """
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    df = data.read_declarations(path)
df = schema.validate(res, df, file="bench.csv", row_of=lambda i: i + 2)
""",
}


def write_csv(path: Path, rows: int, seed: int) -> None:
    """Write ``rows`` SYNTHETIC declarations drawn from the packaged sample."""
    import ciqanalysis as cq

    sample = cq.data.load("declarations")
    rng = np.random.default_rng(seed)
    out = sample.iloc[np.sort(rng.integers(0, len(sample), rows))].reset_index(drop=True)
    out["decl_id"] = "B" + out.index.astype("str").str.zfill(8)
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False)


def run(way: str, path: Path) -> tuple[float, float, int]:
    code = SETUP + "t = time.perf_counter()\n" + WAYS[way] + (
        "t = time.perf_counter() - t\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(t, peak, len(df))\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True)
    t, peak, n = out.stdout.split()
    return float(t), float(peak), int(n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20101120)
    ap.add_argument("--write", help=argparse.SUPPRESS)  # internal: write the CSV and stop
    args = ap.parse_args()
    if args.write:
        write_csv(Path(args.write), args.rows, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "declarations.csv"
        # written by a child: peak RSS is inherited through fork, so this process stays small
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--seed",
                        str(args.seed), "--write", str(path)], check=True)
        print(f"bench_contract: {args.rows:,} SYNTHETIC declarations, "
              f"{path.stat().st_size / 1024**2:.0f} MB CSV (seed {args.seed}); fresh process each")
        base = None
        for way in WAYS:
            t, peak, n = run(way, path)
            base = base or (t, peak)
            print(f"  {way:<18} {t:6.2f} s ({t / base[0]:4.1f}x bare)  peak RSS {peak:6.0f} MB "
                  f"({peak / base[1]:4.1f}x bare)  {n:,} rows")


if __name__ == "__main__":
    main()
