r"""Declarations datasets (报检数据集): validated once, stored as partitioned Parquet.

:func:`ingest` reads users' declaration files with
:func:`~ciqanalysis.data.read_declarations` (the same checks, errors and flags) and
writes them under one folder, partitioned by year and direction::

    DATASET/dataset.json                      descriptor: schema, units, rows, sources
    DATASET/year=2010/direction=export/part-<sha256 of the source, 16 hex>.parquet
    DATASET/_flags/part-<...>.parquet         the flags of each source file

Ingesting is idempotent (a source already in the dataset, known by its sha256, is
replaced by an identical copy) and atomic (everything is written to a staging folder
first and moved into place only when every file passed its checks: a bad row leaves
the dataset as it was). :func:`read_dataset` loads a dataset into pandas;
:func:`ciqanalysis.panel.panel` builds panels from it with DuckDB without loading
the rows.

Examples
--------
>>> import pathlib, tempfile
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> _ = (tmp / "a.csv").write_text("日期,方向,货值(美元),县\n2010-03-02,出口,5,220102\n",
...                                encoding="utf-8")
>>> desc = ingest([tmp / "a.csv"], tmp / "ds")
>>> desc["rows"], sorted(desc["partitions"])
(1, ['year=2010/direction=export'])
>>> read_dataset(tmp / "ds")["value_usd"].tolist()
[5.0]
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import parse_as_of
from ..errors import DataFileError, DataQualityWarning, ParameterError
from ._declfile import DECLARATION_COLUMNS, FlagTable, read_declarations
from ._package import sha256_of
from .schema import table

__all__ = ["DESCRIPTOR", "ingest", "is_dataset", "read_dataset", "describe_dataset",
           "write_parts", "commit_parts", "parquet_glob"]

#: Name of the descriptor file at the top of a dataset.
DESCRIPTOR = "dataset.json"
_PARTITIONS = ("year", "direction")
_STORED = [c for c in DECLARATION_COLUMNS if c != "direction"]
#: The declarations contract (data/datapackage.json): a dataset's dataset.json copies
#: its names, types, units and descriptions (not its constraints: users' rows may be
#: flagged and kept, e.g. a negative value or a missing port).
_CONTRACT = table("declarations")


def is_dataset(path: str | os.PathLike[str]) -> bool:
    """Return True when ``path`` is a folder holding a declarations dataset.

    Examples
    --------
    >>> is_dataset("no/such/folder")
    False
    """
    return (Path(path) / DESCRIPTOR).is_file()


def describe_dataset(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Return the descriptor of a dataset (``dataset.json``, 数据集描述).

    Raises
    ------
    DataFileError
        If the folder holds no dataset.

    Examples
    --------
    >>> describe_dataset("no/such/folder")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.DataFileError: folder: not a declarations dataset...
    """
    path = Path(path)
    if not is_dataset(path):
        raise DataFileError(f"not a declarations dataset (no {DESCRIPTOR})", file=path.name,
                            expected=f"a folder written by `ciqanalysis ingest` with {DESCRIPTOR}",
                            hint="run `ciqanalysis ingest FILE... --out FOLDER` first")
    return json.loads((path / DESCRIPTOR).read_text(encoding="utf-8"))


def parquet_glob(path: str | os.PathLike[str]) -> str:
    """Return the glob of a dataset's data files (for DuckDB, Dask, pyarrow).

    Examples
    --------
    >>> parquet_glob("ds").replace(os.sep, "/")
    'ds/year=*/direction=*/*.parquet'
    """
    return str(Path(path) / "year=*" / "direction=*" / "*.parquet")


def write_parts(decl: pd.DataFrame, staging: str | os.PathLike[str], tag: str) -> dict[str, int]:
    """Write declarations as Parquet parts ``year=Y/direction=D/part-<tag>.parquet``.

    Used by :func:`ingest` (into its staging folder) and by the scale benchmark.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with :data:`~ciqanalysis.data.DECLARATION_COLUMNS`.
    staging : path-like
        Folder to write into (created).
    tag : str
        Name of the parts (a source's sha256 prefix).

    Returns
    -------
    dict
        Partition (``"year=2010/direction=export"``) -> rows written.

    Examples
    --------
    >>> import tempfile
    >>> d = pd.DataFrame({"decl_id": ["a"], "date": pd.to_datetime(["2010-01-02"]),
    ...     "direction": ["export"], "hs2": ["01"], "product_group": ["x"],
    ...     "value_usd": [1.0], "county_code": ["220102"], "enterprise_id": ["e"],
    ...     "port": ["p"], "direct_release": [True], "key_enterprise": [False]})
    >>> write_parts(d, tempfile.mkdtemp(), "t")
    {'year=2010/direction=export': 1}
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    missing = [c for c in DECLARATION_COLUMNS if c not in decl]
    if missing:
        raise ParameterError(f"declarations lack column(s) {missing}")
    staging = Path(staging)
    year = decl["date"].dt.year.to_numpy()
    direction = decl["direction"].to_numpy(dtype=object)
    written: dict[str, int] = {}
    for (y, d), idx in pd.Series(np.arange(len(decl))).groupby([year, direction]).groups.items():
        part = f"year={int(y)}/direction={d}"
        folder = staging / part
        folder.mkdir(parents=True, exist_ok=True)
        rows = decl[_STORED].iloc[np.asarray(idx)]
        rows.attrs = {}  # flags go to _flags/, not into the Parquet metadata
        table = pa.Table.from_pandas(rows, preserve_index=False)
        pq.write_table(table, folder / f"part-{tag}.parquet", compression="zstd")
        written[part] = len(rows)
    return written


def commit_parts(staging: str | os.PathLike[str], out: str | os.PathLike[str],
                 remove_tags: Iterable[str] = ()) -> None:
    """Move staged parts into the dataset, after removing the parts of ``remove_tags``."""
    staging, out = Path(staging), Path(out)
    for tag in remove_tags:
        for old in out.glob(f"year=*/direction=*/part-{tag}.parquet"):
            old.unlink()
        for old in out.glob(f"_flags/part-{tag}.parquet"):
            old.unlink()
    for src in sorted(staging.rglob("*.parquet")):
        dest = out / src.relative_to(staging)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)


def ingest(files: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str], *,
           unit: str | None = None, encoding: str | None = None, as_of=None,
           column_map: dict[str, str] | None = None, synthetic: bool = False) -> dict[str, Any]:
    r"""Validate declaration files and add them to a partitioned Parquet dataset (入库).

    Parameters
    ----------
    files : iterable of path-like
        CSV / Excel / Parquet declaration files (as for ``read_declarations``).
    out : path-like
        The dataset folder (created when new).
    unit, encoding, as_of, column_map
        Passed to :func:`~ciqanalysis.data.read_declarations` for every file.
    synthetic : bool, default False
        Mark the dataset as synthetic (生成数据); the benchmark's data are.

    Returns
    -------
    dict
        The new descriptor (also written to ``out/dataset.json``).

    Raises
    ------
    DataFileError, UnitError, AsOfDateError
        The first problem of the first bad file, as ``read_declarations`` words it;
        the dataset is then left exactly as it was.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (tmp / "a.csv").write_text("日期,方向,货值(美元),县\n2010-03-02,进口,5,220102\n")
    >>> first = ingest([tmp / "a.csv"], tmp / "ds")
    >>> again = ingest([tmp / "a.csv"], tmp / "ds")  # idempotent
    >>> again == first
    True
    """
    files = [Path(f) for f in ([files] if isinstance(files, (str, os.PathLike)) else files)]
    if not files:
        raise ParameterError("ingest needs at least one declarations file")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out must be a folder, got the file {out}")
    if out.exists() and any(out.iterdir()) and not is_dataset(out):
        raise ParameterError(f"{out} is a folder that is not a declarations dataset; "
                             "choose an empty or new folder")
    desc = describe_dataset(out) if is_dataset(out) else _new_descriptor(synthetic)
    staging = out / f".staging-{uuid.uuid4().hex[:12]}"
    staged: list[dict[str, Any]] = []
    try:
        for path in files:
            if not path.is_file():
                raise DataFileError("the file does not exist", file=str(path),
                                    hint="check the paths given to ingest")
            sha = sha256_of(path)
            tag = sha[:16]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)  # kept in _flags/
                decl = read_declarations(path, unit=unit, encoding=encoding, as_of=as_of,
                                         column_map=column_map)
            parts = write_parts(decl, staging, tag)
            flags = pd.DataFrame(decl.attrs["flags"])
            (staging / "_flags").mkdir(parents=True, exist_ok=True)
            flags.to_parquet(staging / "_flags" / f"part-{tag}.parquet", index=False)
            staged.append({"name": path.name, "sha256": sha, "part": tag,
                           "bytes": path.stat().st_size, "rows": len(decl), "parts": parts,
                           "unit": decl.attrs["unit"], "encoding": decl.attrs["encoding"],
                           "format": decl.attrs["format"], "flags": len(flags)})
            del decl, flags
        new_tags = {s["part"] for s in staged}
        sources = [s for s in desc["sources"] if s["part"] not in new_tags] + staged
        desc["sources"] = sorted(sources, key=lambda s: (s["name"], s["sha256"]))
        commit_parts(staging, out, remove_tags=new_tags)
        _summarise(desc)
        tmp = out / f".{DESCRIPTOR}.tmp"
        tmp.write_text(json.dumps(desc, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                       encoding="utf-8")
        os.replace(tmp, out / DESCRIPTOR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if out.exists() and not any(out.iterdir()):
            out.rmdir()  # a first ingest that failed leaves no empty folder behind
    return desc


def _new_descriptor(synthetic: bool) -> dict[str, Any]:
    return {
        "name": "declarations",
        "title": "Declarations (报检批次), validated by ciqanalysis.data.read_declarations",
        "format": "parquet",
        "partitioning": list(_PARTITIONS),
        "synthetic": bool(synthetic),
        "schema": {"fields": [
            {"name": f.name, "type": f.type, **({"unit": f.unit} if f.unit else {}),
             "description": f.description} for f in _CONTRACT.fields]},
        "sources": [],
    }


def _summarise(desc: dict[str, Any]) -> None:
    parts: dict[str, int] = {}
    for s in desc["sources"]:
        for part, n in s["parts"].items():
            parts[part] = parts.get(part, 0) + n
    desc["partitions"] = dict(sorted(parts.items()))
    desc["rows"] = int(sum(parts.values()))


def read_dataset(path: str | os.PathLike[str], *, as_of=None) -> pd.DataFrame:
    r"""Load a declarations dataset into pandas (读取数据集).

    Parameters
    ----------
    path : path-like
        The dataset folder.
    as_of : date-like, optional
        Keep declarations dated on or before this day (截至日期).

    Returns
    -------
    pandas.DataFrame
        :data:`~ciqanalysis.data.DECLARATION_COLUMNS` sorted by year, direction and
        source; ``attrs`` as ``read_declarations`` gives them, ``flags`` with a
        ``file`` column naming the source file.

    Raises
    ------
    DataFileError
        If the folder holds no dataset, or a dataset without data files.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "ds"
    >>> f = folder.with_name("b.csv")
    >>> _ = f.write_text("date,direction,value_usd,county_code\n2010-03-02,export,5,220102\n"
    ...                  "2010-04-01,import,7,220102\n", encoding="utf-8")
    >>> _ = ingest([f], folder)
    >>> df = read_dataset(folder, as_of="2010-03-31")
    >>> len(df), f"{df.attrs['as_of']:%Y-%m-%d}", df.attrs["files"]
    (1, '2010-03-31', ['b.csv'])
    """
    import pyarrow.dataset as pads

    path = Path(path)
    desc = describe_dataset(path)
    files = sorted(path.glob("year=*/direction=*/*.parquet"))
    if not files:
        raise DataFileError("the dataset holds no data files", file=path.name,
                            expected="year=*/direction=*/part-*.parquet beside dataset.json",
                            hint="ingest the declarations again")
    ds = pads.dataset([str(f) for f in files], format="parquet",
                      partitioning=pads.partitioning(flavor="hive"),
                      partition_base_dir=str(path))
    filt = None
    if as_of is not None:
        cut = parse_as_of(as_of)
        filt = pads.field("date") <= cut.to_datetime64().astype("datetime64[us]")
    table = ds.to_table(filter=filt)
    df = table.to_pandas()
    out = pd.DataFrame({c: _typed(df[c], c) for c in DECLARATION_COLUMNS})
    del df, table
    flags = [pd.read_parquet(f).assign(file=s["name"]) for s in desc["sources"]
             for f in [path / "_flags" / f"part-{s['part']}.parquet"] if f.exists()]
    flag_cols = ["file", "row", "column", "issue", "action"]
    out.attrs = {
        "table": "declarations", "synthetic": bool(desc["synthetic"]), "source": str(path),
        "unit": "USD", "encoding": None, "format": "dataset",
        "files": [s["name"] for s in desc["sources"]],
        "flags": FlagTable(pd.concat(flags, ignore_index=True)[flag_cols] if flags
                           else pd.DataFrame(columns=flag_cols)),
    }
    if as_of is not None:
        out.attrs["as_of"] = cut
    return out


def _typed(s: pd.Series, name: str) -> pd.Series:
    """Give a column the dtype ``read_declarations`` gives it (partition keys arrive categorical)."""
    kind = _CONTRACT.field(name).type
    if kind == "string":
        return s.astype("str").where(s.notna()) if isinstance(s.dtype, pd.CategoricalDtype) \
            else s.astype("str")
    if kind == "boolean":
        return s.astype("boolean") if s.isna().any() else s.astype(bool)
    if kind == "date":
        return s.astype("datetime64[us]")
    return s.astype("float64")
