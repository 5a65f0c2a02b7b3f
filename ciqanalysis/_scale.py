"""Panels from a declarations dataset, out of core (数据集面板): DuckDB or Dask.

Private module behind :func:`ciqanalysis.panel.panel` when it is given the folder of
a dataset written by ``ciqanalysis ingest``. Both engines compute the same group-sum
as the pandas path (sums and counts by keys x period ordinal) where the data lie;
only that small table comes back to pandas, where the panel's grid is written out
by the same code as for a DataFrame.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ._periods import _check_span, _period_codes, _prefecture
from .data.dataset import describe_dataset, parquet_glob
from .errors import ParameterError, SchemaError

__all__ = ["aggregate_dataset", "active_client", "footer_stats", "period_sql", "ytd_dataset_sums"]

_ENGINES = ("duckdb", "dask")
_STORED = ("decl_id", "date", "direction", "hs2", "product_group", "value_usd", "county_code",
           "enterprise_id", "port", "direct_release", "key_enterprise", "year")


def active_client():
    """Return the active ``distributed`` client, or None (none, or dask not installed).

    Examples
    --------
    >>> active_client() is None
    True
    """
    try:
        from distributed import get_client
    except ImportError:  # pragma: no cover - distributed is a dependency
        return None
    try:
        return get_client()
    except ValueError:
        return None


def period_sql(fq: str, column: str = "date") -> str:
    """Return SQL for pandas' period ordinal of a date (months, quarters or years since 1970).

    Examples
    --------
    >>> period_sql("Q")
    '(year("date") - 1970) * 4 + (month("date") - 1) // 3'
    """
    y, m = f'year("{column}")', f'month("{column}")'
    return {"M": f"({y} - 1970) * 12 + {m} - 1",
            "Q": f"({y} - 1970) * 4 + ({m} - 1) // 3",
            "Y": f"{y} - 1970"}[fq]


def _group_keys(keys: list[str]) -> list[str]:
    """Return the stored columns to group by (``prefecture``: by county, then mapped)."""
    out = []
    for k in keys:
        k = "county_code" if k == "prefecture" else k
        if k not in _STORED:
            raise SchemaError(f"the dataset has no column {k!r}",
                              expected=f"one of {list(_STORED[:-1])} or 'prefecture'")
        if k not in out:
            out.append(k)
    return out


def aggregate_dataset(path: str | os.PathLike[str], keys: list[str], fq: str, *,
                      value: str = "value_usd", counties: pd.DataFrame | None = None,
                      engine: str | None = None, data_start=None, data_end=None):
    """Group-sum a dataset by keys and period where it lies.

    Returns
    -------
    tuple
        (DataFrame of ``value_usd`` and ``n_consignments`` indexed by the keys and
        ``_p``, the period ordinal, sorted; first day; last day), as the pandas path
        of :func:`ciqanalysis.panel.panel` computes them.
    """
    path = Path(path)
    describe_dataset(path)  # a clear error when the folder is not a dataset
    if value != "value_usd":
        raise ParameterError(f"a dataset stores 'value_usd' only, not {value!r}")
    if engine is None:
        engine = "dask" if active_client() is not None else "duckdb"
    if engine not in _ENGINES:
        raise ParameterError(f"engine must be one of {list(_ENGINES)}, got {engine!r}")
    group = _group_keys(keys)
    run = _duckdb_sums if engine == "duckdb" else _dask_sums
    sums, first, last, count_outside = run(path, group, fq)
    _check_span(data_start, data_end, first, last, count_outside)
    if "prefecture" in keys:
        cc = sums["county_code"].astype("str")
        sums["prefecture"] = np.asarray(_prefecture(pd.DataFrame({"county_code": cc}), counties))
        sums = (sums.groupby([*keys, "_p"], sort=False)[["value_usd", "n_consignments"]]
                .sum().reset_index())
    sums["n_consignments"] = sums["n_consignments"].astype("int64")
    sums["value_usd"] = sums["value_usd"].astype("float64")
    sums["_p"] = sums["_p"].astype("int64")
    for k in keys:
        sums[k] = sums[k].astype("str")
    agg = sums.set_index([*keys, "_p"]).sort_index()[["value_usd", "n_consignments"]]
    return agg, first, last


def _duckdb_sums(path: Path, group: list[str], fq: str):
    import duckdb

    src = f"read_parquet('{_sql_text(parquet_glob(path))}', hive_partitioning = true)"
    con = duckdb.connect()  # in memory; closed when the last function using it goes
    cols = "".join(f'"{k}", ' for k in group)
    stats = footer_stats(path)
    # one scan: sums and counts by keys x period; without the footers' statistics,
    # also each group's first and last day and its count of values (missing ones
    # are errors; a missing date is the group of no period)
    extra = "" if stats else (", count(value_usd) AS _nv, min(date) AS _d0, "
                              "max(date) AS _d1")
    sums = con.execute(
        f"SELECT {cols}{period_sql(fq)} AS _p, sum(value_usd) AS value_usd, "
        f"count(*) AS n_consignments{extra} FROM {src} GROUP BY ALL"
    ).df()
    n = int(sums["n_consignments"].sum())
    if stats:
        _check_nulls(*stats[:3])
        first, last = stats[3], stats[4]
    else:
        _check_nulls(n, n - int(sums.loc[sums["_p"].isna(), "n_consignments"].sum()),
                     int(sums["_nv"].sum()))
        first, last = sums["_d0"].min(), sums["_d1"].max()
        sums = sums.drop(columns=["_nv", "_d0", "_d1"])

    def outside(d0, d1):
        return int(con.execute(
            f"SELECT count(*) FROM {src} WHERE date < ? OR date >= ?",
            [d0.to_pydatetime(), (d1 + pd.Timedelta(days=1)).to_pydatetime()]).fetchone()[0])

    return sums, pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize(), outside


def ytd_dataset_sums(path: str | os.PathLike[str], keys: list[str], bounds: tuple, *,
                     value: str = "value_usd", counties: pd.DataFrame | None = None):
    """Sum a dataset by keys over a year-to-date window and its base window, with DuckDB.

    The dataset-side half of :func:`ciqanalysis.panel.ytd_cut`: only the sums (one
    row per key combination and window) come back to pandas.

    Parameters
    ----------
    path : path-like
        A dataset folder written by ``ciqanalysis ingest``.
    keys : list of str
        Key columns (``prefecture``: grouped by county, then mapped with ``counties``).
    bounds : tuple of pandas.Timestamp
        ``(current start, current end, base start, base end)``, each end excluded.
    value : str, default "value_usd"
        The value column (a dataset stores ``value_usd`` only).
    counties : pandas.DataFrame, optional
        The counties table, for ``prefecture``.

    Returns
    -------
    tuple
        (dict of key -> numpy array, window per sum (1 current, 0 base), sums,
        [first, last declaration day]).
    """
    import duckdb

    path = Path(path)
    describe_dataset(path)  # a clear error when the folder is not a dataset
    if value != "value_usd":
        raise ParameterError(f"a dataset stores 'value_usd' only, not {value!r}")
    group = _group_keys(keys)
    src = f"read_parquet('{_sql_text(parquet_glob(path))}', hive_partitioning = true)"
    con = duckdb.connect()
    # the whole dataset: its span, and missing dates or values (errors, as in pandas),
    # from the Parquet footers when they hold the statistics, else by a scan
    n, n_date, n_value, d0, d1 = footer_stats(path) or con.execute(
        f"SELECT count(*), count(date), count(value_usd), min(date), max(date) FROM {src}"
    ).fetchone()
    _check_nulls(int(n), int(n_date), int(n_value))
    cur0, cur1, base0, base1 = (pd.Timestamp(b).to_pydatetime() for b in bounds)
    cols = "".join(f'"{k}", ' for k in group)
    years = sorted({b.year for b in (cur0, base0)})  # the partitions the windows lie in
    sums = con.execute(
        f"SELECT {cols}CASE WHEN date >= $1 AND date < $2 THEN 1 ELSE 0 END AS _w, "
        f"sum(value_usd) AS _v FROM {src} WHERE year IN ({', '.join(map(str, years))}) "
        "AND ((date >= $1 AND date < $2) OR (date >= $3 AND date < $4)) GROUP BY ALL",
        [cur0, cur1, base0, base1]).df()
    con.close()
    out = {}
    for k in keys:
        if k == "prefecture":
            cc = pd.DataFrame({"county_code": sums["county_code"].astype("str")})
            out[k] = np.asarray(_prefecture(cc, counties))
        else:
            out[k] = sums[k].astype("str").to_numpy()
    span = [pd.Timestamp(d0), pd.Timestamp(d1)]
    return out, sums["_w"].to_numpy(dtype="int64"), sums["_v"].to_numpy(dtype="float64"), span


def footer_stats(path: str | os.PathLike[str]):
    """Rows, dates, values (not missing), first and last date of a dataset, from its footers.

    Parquet files record, for each row group and column, the count of missing values
    and the smallest and largest value: reading them costs no scan of the rows.

    Returns
    -------
    tuple or None
        ``(rows, dates, values, first date, last date)`` (dates as
        :class:`pandas.Timestamp`, None when there are none); None when a file lacks
        these statistics (then the caller scans the rows).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "year=2010" / "direction=export"
    >>> folder.mkdir(parents=True)
    >>> pd.DataFrame({"date": pd.to_datetime(["2010-03-02", None, "2010-01-05"]),
    ...               "value_usd": [1.0, 2.0, None]}).to_parquet(folder / "part-a.parquet")
    >>> n, dates, values, first, last = footer_stats(folder.parent.parent)
    >>> n, dates, values, f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    (3, 2, 2, '2010-01-05', '2010-03-02')
    """
    import pyarrow.parquet as pq

    n = n_date = n_value = 0
    lo = hi = None
    for file in sorted(Path(path).glob("year=*/direction=*/*.parquet")):
        meta = pq.read_metadata(file)
        names = [meta.schema.column(i).path for i in range(meta.num_columns)]
        if "date" not in names or "value_usd" not in names:
            return None
        for g in range(meta.num_row_groups):
            group = meta.row_group(g)
            d = group.column(names.index("date")).statistics
            v = group.column(names.index("value_usd")).statistics
            if d is None or v is None or not (d.has_null_count and v.has_null_count):
                return None
            rows = group.num_rows
            n, n_date, n_value = n + rows, n_date + rows - d.null_count, \
                n_value + rows - v.null_count
            if rows > d.null_count:
                if not d.has_min_max:
                    return None
                d0, d1 = pd.Timestamp(d.min), pd.Timestamp(d.max)
                lo, hi = (d0, d1) if lo is None else (min(lo, d0), max(hi, d1))
    return n, n_date, n_value, lo, hi


def _sql_text(s: str) -> str:
    return s.replace("'", "''")


def _check_nulls(n: int, n_date: int, n_value: int) -> None:
    if n == 0:
        raise ParameterError("the dataset holds no declarations: no panel to build")
    for col, k in (("date", n - n_date), ("value_usd", n - n_value)):
        if k:
            raise SchemaError(f"{k} missing value(s) in {col!r}", column=col,
                              expected="no missing values (rows are never dropped silently)",
                              hint="ingest the files again with `ciqanalysis ingest`")


def _read_part(file: str, columns: list[str]) -> pd.DataFrame:
    """Read one Parquet part with its partition keys (year, direction) from its path."""
    df = pd.read_parquet(file, columns=[c for c in columns if c not in ("year", "direction")])
    parts = dict(p.split("=", 1) for p in Path(file).parts if "=" in p)
    if "direction" in columns:
        df["direction"] = parts["direction"]
    if "year" in columns:
        df["year"] = int(parts["year"])
    return df[columns]


def _dask_sums(path: Path, group: list[str], fq: str):
    import dask.dataframe as dd

    files = sorted(str(f) for f in path.glob("year=*/direction=*/*.parquet"))
    if not files:
        raise ParameterError("the dataset holds no declarations: no panel to build")
    columns = [*group, "date", "value_usd"]
    columns = list(dict.fromkeys(columns))
    meta = _read_part(files[0], columns).iloc[:0]
    ddf = dd.from_map(_read_part, files, columns=columns, meta=meta, enforce_metadata=False)

    def with_period(df: pd.DataFrame) -> pd.DataFrame:
        out = df[group].copy() if group else pd.DataFrame(index=df.index)
        out["_p"] = _period_codes(df["date"], fq) if len(df) else np.zeros(0, "int64")
        out["value_usd"] = df["value_usd"].to_numpy(dtype="float64")
        out["_d"] = df["date"].to_numpy()
        return out

    tagged = ddf.map_partitions(with_period)
    grouped = tagged.groupby([*group, "_p"])["value_usd"]
    # one pass over the data; a tree reduction (split_out=1): the result is small
    first, last, n_date, n_value, n, sums = dd.compute(
        tagged["_d"].min(), tagged["_d"].max(), tagged["_d"].count(),
        tagged["value_usd"].count(), tagged["_p"].count(),
        grouped.agg(["sum", "count"], split_out=1))
    _check_nulls(int(n), int(n_date), int(n_value))
    sums = sums.rename(columns={"sum": "value_usd", "count": "n_consignments"}).reset_index()

    def outside(d0, d1):
        d = tagged["_d"]
        return int(((d < d0) | (d >= d1 + pd.Timedelta(days=1))).sum().compute())

    return sums, pd.Timestamp(first).normalize(), pd.Timestamp(last).normalize(), outside
