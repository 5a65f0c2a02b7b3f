"""Benchmark: national scale -- a 100 M-row dataset, panels out of core, forecasts on Dask.

Steps, each with its wall time and peak RSS (this process and its children, sampled):

0. (``--csv-rows N``) ``read_declarations`` of an N-row CSV in a fresh process
   (target: 5 M rows <= 1.5 GB peak RSS).
1. Write a seeded SYNTHETIC dataset of ``--rows`` declarations in the package's
   schema, partitioned by year and direction (60 Jilin counties, 97 HS chapters,
   ~5,000 enterprises, 10 years), with its ``dataset.json``.
2. The county x HS chapter x month panel (``cq.panel.panel`` on the folder: DuckDB)
   and year-to-date growth by county x HS chapter at the as-of day
   (``cq.panel.ytd_cut`` on the folder: DuckDB), against the bare DuckDB queries of
   the same two aggregations (targets at 100 M rows: <= 60 s, <= 4 GB, within 1.5x
   the bare queries).
3. ``forecast_many`` on ``--series`` county x HS chapter series: joblib (2 local
   workers) vs a 2-worker ``LocalCluster`` through joblib's dask backend (target:
   within 1.3x the joblib time); the two results must be identical.

Run: ``nice python benchmarks/bench_scale.py [--rows 100000000] [--series 2000]
[--csv-rows 5000000] [--rounds 2] [--seed 20101120] [--dir DIR] [--keep]``; a smaller ``--rows``
gives a quick run (the printout says which size ran). ``--csv-only --rows N --csv-rows N``
runs steps 1 and 0 only (the reader's memory, without the panels and forecasts).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import psutil

import ciqanalysis as cq
from ciqanalysis.data import dataset as cqds
from ciqanalysis.panel import panel, ytd_cut

YEARS = list(range(2001, 2011))
AS_OF = "2010-11-20"
LEAN = ["snaive_log", "drift_log", "ets_log"]


class Step:
    """Time a step and sample the peak RSS of this process and its children."""

    results: list[tuple[str, float, float]] = []

    def __init__(self, name: str):
        self.name = name

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._done.is_set():
            try:
                rss = me.memory_info().rss + sum(
                    c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                continue
            self.peak = max(self.peak, rss)
            self._done.wait(0.05)

    def __enter__(self):
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self._done.set()
        self._thread.join()
        Step.results.append((self.name, self.seconds, self.peak / 1024**3))
        print(f"  {self.name}: {self.seconds:.1f} s, peak RSS {self.peak / 1024**3:.2f} GB",
              flush=True)


def _skewed(rng: np.random.Generator, k: int, n: int, a: float = 1.1) -> np.ndarray:
    """Indices 0..k-1 drawn with Zipf-like weights (a few large, many small)."""
    w = 1.0 / np.arange(1, k + 1) ** a
    return rng.choice(k, size=n, p=w / w.sum()).astype(np.int32)


def write_dataset(out: Path, rows: int, seed: int) -> dict:
    """Write a seeded synthetic dataset with pyarrow, part by part; return its descriptor."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    counties = cq.data.load("counties")["code_2010"].astype(str).tolist()[:60]
    chapters = [f"{i:02d}" for i in range(1, 98)]
    groups = [f"group_{i:02d}" for i in range(12)]
    chapter_group = np.arange(len(chapters)) % len(groups)
    enterprises = [f"E{i:05d}" for i in range(5000)]
    ports = [f"port_{i:02d}" for i in range(12)]
    growth = 1.1 ** np.arange(len(YEARS))
    per_year = np.floor(rows * growth / growth.sum() / 2).astype(int)
    per_year[-1] += (rows - 2 * int(per_year.sum())) // 2
    extra = rows - 2 * int(per_year.sum())
    rng = np.random.default_rng(seed)
    parts: dict[str, int] = {}
    serial = 0
    for y, n_year in zip(YEARS, per_year, strict=True):
        days = pd.date_range(f"{y}-01-01", f"{y}-12-31").to_numpy().astype("datetime64[us]")
        for d in ("export", "import"):
            n = int(n_year) + (extra if (y, d) == (YEARS[-1], "import") else 0)
            folder = out / f"year={y}" / f"direction={d}"
            folder.mkdir(parents=True, exist_ok=True)
            writer = None
            for start in range(0, n, 2_000_000):
                m = min(2_000_000, n - start)
                hs = _skewed(rng, len(chapters), m, 0.9)
                ids = pc.cast(pa.array(np.arange(serial, serial + m)), pa.string())
                serial += m

                def dict_arr(idx, values):
                    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()),
                                                          pa.array(values, pa.string()))

                table = pa.table({
                    "decl_id": pc.binary_join_element_wise("D", ids, ""),
                    "date": pa.array(np.sort(days[rng.integers(0, len(days), m)])),
                    "hs2": dict_arr(hs, chapters),
                    "product_group": dict_arr(chapter_group[hs].astype(np.int32), groups),
                    "value_usd": pa.array(np.round(rng.lognormal(9.0, 1.6, m), 2)),
                    "county_code": dict_arr(_skewed(rng, len(counties), m), counties),
                    "enterprise_id": dict_arr(_skewed(rng, len(enterprises), m, 0.8),
                                              enterprises),
                    "port": dict_arr(_skewed(rng, len(ports), m), ports),
                    "direct_release": pa.array(rng.random(m) < 0.3),
                    "key_enterprise": pa.array(rng.random(m) < 0.1),
                })
                if writer is None:
                    writer = pq.ParquetWriter(folder / "part-bench.parquet", table.schema,
                                              compression="zstd")
                writer.write_table(table, row_group_size=1_000_000)
            writer.close()
            parts[f"year={y}/direction={d}"] = n
    desc = cqds._new_descriptor(synthetic=True)
    desc["sources"] = [{"name": f"bench_scale synthetic (seed {seed})", "sha256": "",
                        "part": "bench", "rows": rows, "parts": parts, "unit": "USD",
                        "encoding": None, "format": "generated", "bytes": 0, "flags": 0}]
    cqds._summarise(desc)
    (out / cqds.DESCRIPTOR).write_text(json.dumps(desc, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
    return desc


def bare_duckdb(folder: Path) -> pd.DataFrame:
    """The same aggregation as one DuckDB query (no grid, no status, no checks)."""
    import duckdb

    src = f"read_parquet('{cqds.parquet_glob(folder)}', hive_partitioning = true)"
    return duckdb.sql(
        "SELECT county_code, hs2, (year(date) - 1970) * 12 + month(date) - 1 AS p, "
        f"sum(value_usd) AS v, count(*) AS n FROM {src} GROUP BY ALL").df()


def bare_duckdb_ytd(folder: Path) -> pd.DataFrame:
    """The year-to-date sums as one DuckDB query (no checks, no growth column)."""
    import duckdb

    src = f"read_parquet('{cqds.parquet_glob(folder)}', hive_partitioning = true)"
    return duckdb.sql(
        "SELECT county_code, hs2, year(date) AS y, sum(value_usd) AS v FROM "
        f"{src} WHERE year IN (2009, 2010) AND month(date) * 100 + day(date) <= 1120 "
        "GROUP BY ALL").df()


def csv_step(folder: Path, n: int, tmp: Path) -> None:
    """Write n rows of the dataset as a CSV and read it in a fresh process."""
    import duckdb

    csv = tmp / "declarations.csv"
    src = f"read_parquet('{cqds.parquet_glob(folder)}', hive_partitioning = true)"
    cols = ", ".join(c for c in cq.data.DECLARATION_COLUMNS)
    duckdb.sql(f"COPY (SELECT {cols} FROM {src} LIMIT {n}) TO '{csv}' (HEADER)")
    code = (
        "import resource, time, warnings, sys\n"
        "import ciqanalysis as cq\n"
        "t = time.perf_counter()\n"
        "with warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore')\n"
        "    df = cq.data.read_declarations(sys.argv[1])\n"
        "t = time.perf_counter() - t\n"
        "frame = df.memory_usage(deep=True).sum() / 1024**3\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2\n"
        "print(f'{len(df):,} rows in {t:.1f} s; frame {frame:.2f} GB; peak RSS {peak:.2f} GB "
        "({peak / frame:.2f}x the frame; targets at 5 M rows: <= 1.5 GB, <= 2x the frame)')\n"
    )
    size = csv.stat().st_size / 1024**3
    print(f"step 0: read_declarations of a {n:,}-row CSV ({size:.2f} GB), fresh process",
          flush=True)
    out = subprocess.run([sys.executable, "-c", code, str(csv)], capture_output=True,
                         text=True, check=True)
    print("  " + out.stdout.strip(), flush=True)
    csv.unlink()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--series", type=int, default=2000)
    ap.add_argument("--csv-rows", type=int, default=0)
    ap.add_argument("--rounds", type=int, default=2, help="forecast rounds per backend")
    ap.add_argument("--seed", type=int, default=20101120)
    ap.add_argument("--dir", type=Path, default=None, help="where to write the dataset")
    ap.add_argument("--keep", action="store_true", help="keep the dataset afterwards")
    ap.add_argument("--csv-only", action="store_true",
                    help="stop after step 0 (needs --csv-rows): the reader's memory only")
    args = ap.parse_args()
    if args.csv_only and not args.csv_rows:
        ap.error("--csv-only needs --csv-rows N")
    tmp = Path(tempfile.mkdtemp(dir=args.dir))
    folder = tmp / "dataset"
    print(f"bench_scale: {args.rows:,} SYNTHETIC rows (seed {args.seed}), "
          f"{args.series:,} series; {psutil.cpu_count()} cores", flush=True)
    try:
        print("step 1: write the partitioned dataset", flush=True)
        with Step("write dataset"):
            desc = write_dataset(folder, args.rows, args.seed)
        disk = sum(f.stat().st_size for f in folder.rglob("*.parquet")) / 1024**3
        print(f"  {desc['rows']:,} rows in {len(desc['partitions'])} partitions, "
              f"{disk:.2f} GB on disk", flush=True)
        if args.csv_rows:
            csv_step(folder, args.csv_rows, tmp)
        if args.csv_only:
            return

        print(f"step 2: county x HS chapter x month panel + YTD growth at {AS_OF}", flush=True)
        by = ["county_code", "hs2"]
        t_bare = t_bare_ytd = t_panel = t_ytd = np.inf
        for r in (1, 2):  # interleaved rounds, best of two (the machine is shared)
            with Step(f"bare DuckDB query: panel sums, round {r}") as s:
                bare = bare_duckdb(folder)
            t_bare = min(t_bare, s.seconds)
            with Step(f"cq.panel.panel(dataset) [DuckDB], round {r}") as s:
                p = panel(folder, "M", by=by)
            t_panel = min(t_panel, s.seconds)
            with Step(f"bare DuckDB query: YTD sums, round {r}") as s:
                bare_ytd = bare_duckdb_ytd(folder)
            t_bare_ytd = min(t_bare_ytd, s.seconds)
            with Step(f"cq.panel.ytd_cut(dataset) [DuckDB], round {r}") as s:
                g = ytd_cut(folder, AS_OF, by=by)
            t_ytd = min(t_ytd, s.seconds)
        assert int(p["n_consignments"].sum()) == int(bare["n"].sum()) == args.rows
        assert np.isclose(p["value_usd"].sum(), bare["v"].sum(), rtol=1e-9)
        ytd_bare = bare_ytd.groupby("y")["v"].sum()
        assert np.isclose(g["current"].sum(), ytd_bare[2010], rtol=1e-9)
        assert np.isclose(g["base"].sum(), ytd_bare[2009], rtol=1e-9)
        t_ours, t_peer = t_panel + t_ytd, t_bare + t_bare_ytd
        print(f"  panel {len(p):,} rows; YTD growth {len(g):,} county x chapter rows, "
              f"{int(g['growth_pct'].notna().sum()):,} with a growth rate")
        print(f"  best of 2: panel {t_panel:.1f} s vs bare {t_bare:.1f} s "
              f"({t_panel / t_bare:.2f}x); ytd_cut {t_ytd:.1f} s vs bare {t_bare_ytd:.1f} s "
              f"({t_ytd / t_bare_ytd:.2f}x)")
        print(f"  panel + YTD growth: {t_ours:.1f} s (target <= 60 s at 100 M rows); "
              f"/ the bare queries ({t_peer:.1f} s) = {t_ours / t_peer:.2f}x (target <= 1.5x)",
              flush=True)

        print(f"step 3: forecast_many on {args.series:,} county x HS chapter series "
              f"(candidates {LEAN}, 12 months ahead)", flush=True)
        top = (p.groupby(["county_code", "hs2"])["value_usd"].sum()
               .sort_values(ascending=False, kind="stable").index[: args.series])
        long = p.set_index(["county_code", "hs2"]).loc[top].reset_index()
        long = long.loc[long["status"] != "outside_data"]
        kw = {"keys": ["county_code", "hs2"], "horizon": 12, "progress": False,
              "candidates": LEAN}
        import joblib
        from distributed import Client, LocalCluster

        warm = long.loc[long.set_index(["county_code", "hs2"]).index.isin(top[:2])]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # both sides warmed up first (worker processes started, modules imported):
            # the timed runs compare the forecasting itself
            cq.forecast.forecast_many(warm, n_jobs=2, **kw)
            with Step("Dask LocalCluster start (2 worker processes)"):
                cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
                client = Client(cluster)
                with joblib.parallel_config(backend="dask"):
                    cq.forecast.forecast_many(warm, **kw)
            # interleaved rounds (other load on the machine hits both sides alike)
            t_job = t_dask = np.inf
            try:
                for r in range(1, args.rounds + 1):
                    with Step(f"forecast_many, joblib (2 local workers), round {r}") as s:
                        local = cq.forecast.forecast_many(long, n_jobs=2, **kw)
                    t_job = min(t_job, s.seconds)
                    with Step(f"forecast_many, Dask (joblib dask backend), round {r}") as s:
                        with joblib.parallel_config(backend="dask"):
                            remote = cq.forecast.forecast_many(long, **kw)
                    t_dask = min(t_dask, s.seconds)
            finally:
                client.close()
                cluster.close()
        pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
        pd.testing.assert_frame_equal(remote.series, local.series, check_exact=True)
        print(f"  identical results; best of {args.rounds}: Dask {t_dask:.1f} s, joblib "
              f"{t_job:.1f} s -> {t_dask / t_job:.2f}x (target <= 1.3x)", flush=True)
    finally:
        if args.keep:
            print(f"dataset kept in {folder}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("summary (step, seconds, peak RSS GB):")
    for name, sec, gb in Step.results:
        print(f"  {name:<58} {sec:8.1f} {gb:6.2f}")


if __name__ == "__main__":
    main()
