"""The data package's tables: descriptor, checksums, schemas, :func:`load` (数据包).

Private module below :mod:`ciqanalysis.data` (which re-exports everything here) and
below the declarations reader, so that neither imports the other in a cycle.

Every file in ``data/`` is described in ``data/datapackage.json`` (a Frictionless-style
data package): fields with types and units, primary key, source, licence,
``synthetic: true|false``, sha256, bytes and rows. :func:`load` checks the sha256 and
the schema of a packaged table and returns it typed: county codes as 6-character
strings, dates as ``datetime64``, money in US dollars (columns stored in 亿美元 or
thousand USD are converted and renamed with a ``_usd`` suffix).

Examples
--------
>>> import ciqanalysis as cq
>>> counties = cq.data.load("counties")
>>> len(counties), counties.attrs["synthetic"]
(60, False)
>>> cq.is_synthetic("declarations")
True
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ChecksumError, DataFileError, ParameterError, SchemaError
from ..paths import data_dir
from ..units import to_usd
from .schema import validate

__all__ = [
    "national_trade_monthly",
    "read_zones",
    "read_memoranda",
    "TABLES",
    "package_descriptor",
    "describe",
    "is_synthetic",
    "file_path",
    "sha256_of",
    "verify_checksum",
    "update_checksums",
    "load",
]

#: Names of the tables :func:`load` can return (the tabular resources of the package).
TABLES: tuple[str, ...] = (
    "published_figures",
    "counties",
    "county_polygons",
    "county_centroids",
    "china_customs_monthly",
    "nbs_trade_by_firm_location",
    "nbs_trade_by_destination_source",
    "zone_evidence",
    "usd_cny_monthly",
    "declarations",
    "zones",
    "memoranda",
)

_DESCRIPTOR = "datapackage.json"
# Typed tables already checked, keyed by file path, mtime, size, recorded sha256 and
# schema; load() hands out deep copies only. Small: the package has a few tables.
_CACHE: dict[tuple, pd.DataFrame] = {}
_CACHE_SIZE = 16


# --------------------------------------------------------------------------- descriptor


def _descriptor_path() -> Path:
    return data_dir() / _DESCRIPTOR


def package_descriptor() -> dict[str, Any]:
    """Return the whole data package descriptor (a fresh copy, 数据包描述).

    Returns
    -------
    dict
        The parsed ``data/datapackage.json``.

    Raises
    ------
    DataFileError
        If the descriptor is missing or is not valid JSON.

    Examples
    --------
    >>> pkg = package_descriptor()
    >>> pkg["name"]
    'ciqanalysis-data'
    """
    path = _descriptor_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(
            "the data package descriptor is missing", file=str(path.name),
            expected="data/datapackage.json next to raw/ and sample/",
            hint="restore it from git, or point CIQANALYSIS_DATA_DIR at a complete data folder",
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"the descriptor is not valid JSON ({exc.msg})", file=path.name, row=exc.lineno,
            expected="a JSON data package", hint="restore it from git",
        ) from None


def _resource(name: str, pkg: dict[str, Any] | None = None) -> dict[str, Any]:
    pkg = package_descriptor() if pkg is None else pkg
    for res in pkg["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in pkg["resources"])
    raise ParameterError(f"no table or file named {name!r} in the data package; known: {known}")


def describe(name: str) -> dict[str, Any]:
    """Return the descriptor entry of one resource of the data package (描述).

    Parameters
    ----------
    name : str
        Resource name, e.g. ``"counties"``, ``"declarations"``, ``"sources_notes"``.

    Returns
    -------
    dict
        A copy of the entry: path, title, description, format, encoding, schema
        (fields with type, unit, description), primary key, sources, licences,
        ``synthetic``, ``sha256``, ``bytes`` and ``rows``.

    Raises
    ------
    ParameterError
        If no resource has that name.

    Examples
    --------
    >>> d = describe("china_customs_monthly")
    >>> d["synthetic"], [f["unit"] for f in d["schema"]["fields"] if "unit" in f]
    (False, ['亿美元', '亿美元'])
    """
    return copy.deepcopy(_resource(name))


def is_synthetic(name: str) -> bool:
    """Return True when a resource is synthetic (生成数据), False when it is real.

    Examples
    --------
    >>> is_synthetic("declarations"), is_synthetic("counties")
    (True, False)
    """
    return bool(_resource(name)["synthetic"])


def file_path(name: str) -> Path:
    """Return the path of a resource's file under the data directory.

    Examples
    --------
    >>> file_path("counties").name
    'jilin_counties_2010.csv'
    """
    return data_dir() / _resource(name)["path"]


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Return the sha256 hex digest of a file's bytes.

    Examples
    --------
    >>> len(sha256_of(file_path("counties")))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_label(res: dict[str, Any]) -> str:
    return res["path"] if res.get("user_file") else f"data/{res['path']}"


def _what_to_do(res: dict[str, Any]) -> str:
    if res.get("user_file"):
        return (f"correct the file: it needs the columns and types of the packaged {res['name']} "
                "table (see data/README.md)")
    if res["path"].startswith("sample/"):
        return "regenerate the synthetic sample with `make sample` (it records the new sha256)"
    return f"restore data/{res['path']} from git (`git checkout -- data/{res['path']}`); raw files are never edited"


def verify_checksum(name: str) -> str:
    """Check a resource's file against the sha256 in the descriptor (校验).

    Parameters
    ----------
    name : str
        Resource name.

    Returns
    -------
    str
        The sha256 (equal to the recorded one).

    Raises
    ------
    DataFileError
        If the file does not exist.
    ChecksumError
        If the file differs from the recorded sha256, or none is recorded.

    Examples
    --------
    >>> verify_checksum("counties") == describe("counties")["sha256"]
    True
    """
    res = _resource(name)
    path = data_dir() / res["path"]
    if not path.exists():
        raise DataFileError(
            f"table {name!r} has no file", file=_file_label(res),
            expected="the file named in data/datapackage.json", hint=_what_to_do(res),
        )
    actual = sha256_of(path)
    recorded = res.get("sha256")
    if not recorded:
        raise ChecksumError(
            f"no sha256 is recorded for table {name!r}", file=_file_label(res),
            expected="a sha256 in data/datapackage.json", hint=_what_to_do(res),
        )
    if actual != recorded:
        eol = _line_ending_change(path, recorded)
        raise ChecksumError(
            f"the file's sha256 {actual[:12]}... differs from the recorded {recorded[:12]}... "
            + (f"(its line endings were converted to {eol} on checkout; the bytes are otherwise "
               "those recorded)" if eol else "(the file was changed or damaged)"),
            file=_file_label(res), expected="the bytes described in data/datapackage.json",
            hint=_EOL_HINT.format(path=res["path"]) if eol else _what_to_do(res),
        )
    return actual


_EOL_HINT = (
    "git converted line endings (core.autocrlf); the repository's .gitattributes forbids this "
    "for data files, so check the file out again: `rm data/{path} && git checkout -- data/{path}` "
    "(with a git older than the .gitattributes, first `git config core.autocrlf false`)"
)


def _line_ending_change(path: Path, recorded: str) -> str | None:
    r"""Return "CRLF" or "LF" when converting the file's line endings back gives ``recorded``.

    Git with ``core.autocrlf=true`` adds CR before every LF of a text file on checkout
    (Git for Windows' default); ``core.autocrlf=input`` can strip it. Both leave
    ``git status`` clean, so the checksum error names the cause.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes(b"a,b\r\n1,2\r\n")
    >>> _line_ending_change(f, hashlib.sha256(b"a,b\n1,2\n").hexdigest())
    'CRLF'
    >>> _line_ending_change(f, hashlib.sha256(b"other").hexdigest()) is None
    True
    """
    data = path.read_bytes()
    if b"\r\n" in data and hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest() == recorded:
        return "CRLF"
    if b"\n" in data and hashlib.sha256(data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")).hexdigest() == recorded:
        return "LF"
    return None


def _count_rows(res: dict[str, Any], path: Path) -> int:
    if res["format"] == "geojson":
        return len(json.loads(path.read_text(encoding="utf-8"))["features"])
    if res["format"] == "csv":
        return len(pd.read_csv(path, dtype=str, encoding=res["encoding"], usecols=[0]))
    return path.read_text(encoding="utf-8").count("\n")


def update_checksums(names: list[str] | tuple[str, ...] | None = None) -> dict[str, str]:
    """Record sha256, bytes and rows of generated files in ``datapackage.json`` (更新校验和).

    The synthetic generator calls this after writing ``data/sample/``. Raw files are
    never updated: their recorded sha256 is what protects them.

    Parameters
    ----------
    names : sequence of str, optional
        Resources to update. Default: every checksummed resource outside ``raw/``
        whose file exists (the synthetic sample).

    Returns
    -------
    dict
        Resource name -> new sha256.

    Raises
    ------
    ParameterError
        If a name is unknown or names a raw file.
    DataFileError
        If a named file does not exist.

    Examples
    --------
    >>> update_checksums(names=[])
    {}
    """
    pkg = package_descriptor()
    if names is None:
        chosen = [r for r in pkg["resources"]
                  if not r["path"].startswith("raw/") and r.get("checksum", True)
                  and (data_dir() / r["path"]).exists()]
    else:
        chosen = [_resource(n, pkg) for n in names]
        raw = [r["name"] for r in chosen
               if r["path"].startswith("raw/") or not r.get("checksum", True)]
        if raw:
            raise ParameterError(
                f"raw files are immutable and their checksums are never updated: {raw}; "
                "restore the file from git instead (documentation files carry no checksum)"
            )
    out: dict[str, str] = {}
    for res in chosen:
        path = data_dir() / res["path"]
        if not path.exists():
            raise DataFileError(f"cannot record the checksum of a missing file ({res['name']})",
                                file=_file_label(res), hint=_what_to_do(res))
        res["sha256"] = out[res["name"]] = sha256_of(path)
        res["bytes"] = path.stat().st_size
        res["rows"] = _count_rows(res, path)
    if out:
        text = json.dumps(pkg, ensure_ascii=False, indent=2) + "\n"
        tmp = _descriptor_path().with_suffix(".json.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(_descriptor_path())
    return out


# --------------------------------------------------------------------------- schema


def _check_schema(res: dict[str, Any], df: pd.DataFrame) -> pd.DataFrame:
    """Validate a table against its Table Schema (:func:`ciqanalysis.data.schema.validate`).

    Returns it typed, money converted to US dollars and renamed as ``loadedAs`` says.
    """
    geo = res["format"] == "geojson"
    hint = _what_to_do(res) + ("" if geo else " (rows counted with the header as row 1)")
    out = validate(res, df, file=_file_label(res), hint=hint,
                   row_of=lambda pos: pos + (1 if geo else 2))
    for field in res["schema"]["fields"]:
        if "loadedAs" in field:
            out[field["name"]] = to_usd(out[field["name"]], field["unit"])
            out = out.rename(columns={field["name"]: field["loadedAs"]})
    return out


# --------------------------------------------------------------------------- loading


def _read_table(res: dict[str, Any], path: Path) -> pd.DataFrame:
    if res["format"] == "geojson":
        import geopandas as gpd

        gdf = gpd.read_file(path)
        fields = [f["name"] for f in res["schema"]["fields"] if f["type"] != "geometry"]
        for col in set(fields) & set(gdf.columns):
            # properties arrive typed; route them through the same text -> type checks
            keep = gdf[col].isna()
            gdf[col] = gdf[col].astype("str").where(~keep)
        return gdf
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                           encoding=res["encoding"])
    except (UnicodeDecodeError, pd.errors.ParserError, EOFError, OSError) as exc:
        raise SchemaError(f"the file cannot be read as {res['encoding']} CSV ({exc})".rstrip(),
                          file=_file_label(res), hint=_what_to_do(res)) from None


def load(name: str, *, verify: bool = True) -> pd.DataFrame:
    """Load a packaged table by name, checked and typed (读取数据表).

    Parameters
    ----------
    name : str
        One of :data:`TABLES`: ``published_figures``, ``counties``,
        ``county_polygons``, ``county_centroids``, ``china_customs_monthly``,
        ``nbs_trade_by_firm_location``, ``nbs_trade_by_destination_source``,
        ``zone_evidence`` (real); ``declarations``, ``zones``, ``memoranda``
        (synthetic).
    verify : bool, default True
        Check the file's sha256 against the descriptor first.

    Returns
    -------
    pandas.DataFrame
        Typed as the descriptor says (``county_polygons``: a GeoDataFrame in
        EPSG:4326). Money is in US dollars: ``exports_100m_usd`` (亿美元) becomes
        ``exports_usd``, NBS ``value`` (thousand USD) becomes ``value_usd``;
        ``published_figures`` gains ``value_usd`` for its 亿美元 rows. ``attrs`` holds
        ``table``, ``synthetic`` and ``source``.

    Raises
    ------
    ParameterError
        Unknown name.
    ChecksumError
        The file differs from its recorded sha256.
    SchemaError
        A required column is missing or a value has the wrong type (names the row
        and column of the first one and counts the others).

    Examples
    --------
    >>> cc = load("china_customs_monthly")
    >>> round(float(cc.loc[cc["year"] == 2010, "exports_usd"].sum()) / 1e8, 1)
    15784.2
    """
    if name not in TABLES:
        raise ParameterError(f"unknown table {name!r}; expected one of {list(TABLES)}")
    res = _resource(name)
    path = data_dir() / res["path"]
    if verify:
        verify_checksum(name)
    elif not path.exists():
        raise DataFileError(f"table {name!r} has no file", file=_file_label(res),
                            hint=_what_to_do(res))
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, res.get("sha256"),
           json.dumps(res["schema"], sort_keys=True))
    if key in _CACHE:
        return _fresh(_CACHE[key])
    df = _check_schema(res, _read_table(res, path))
    if name == "published_figures":
        money = df["unit"].eq("亿美元").to_numpy()
        df["value_usd"] = np.where(money, to_usd(df["value"], "亿美元").to_numpy(), np.nan)
    if name == "county_polygons" and df.crs is None:
        df = df.set_crs("EPSG:4326")
    df.attrs = {
        "table": name,
        "synthetic": bool(res["synthetic"]),
        "source": "; ".join(s["title"] for s in res.get("sources", [])),
    }
    _CACHE[key] = df
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    return _fresh(df)


def read_zones(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a user's own demonstration-zone table (示范区), checked like the sample's.

    Parameters
    ----------
    path : str or path-like
        CSV (UTF-8 or GBK), ``.xlsx`` or ``.parquet`` with the columns of the packaged
        ``zones`` table: ``zone_id``, ``product_group``, ``product_zh``,
        ``product_en``, ``county_code``, ``launch_date``, ``batch``.

    Returns
    -------
    pandas.DataFrame
        Typed as :func:`load` types ``zones``; ``attrs["synthetic"]`` is False.

    Raises
    ------
    DataFileError, SchemaError
        The file is missing, unreadable, or a column or value is wrong (names the
        file, row and column).

    Examples
    --------
    >>> read_zones(file_path("zones")).attrs["synthetic"]
    False
    """
    return _read_user_table("zones", path)


def read_memoranda(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a user's own co-building memoranda table (共建备忘录), checked like the sample's.

    Parameters
    ----------
    path : str or path-like
        CSV (UTF-8 or GBK), ``.xlsx`` or ``.parquet`` with the columns of the packaged
        ``memoranda`` table: ``memo_id``, ``counterpart_type``,
        ``counterpart_level``, ``county_code``, ``date``.

    Returns
    -------
    pandas.DataFrame
        Typed as :func:`load` types ``memoranda``; ``attrs["synthetic"]`` is False.

    Raises
    ------
    DataFileError, SchemaError
        As :func:`read_zones`.

    Examples
    --------
    >>> len(read_memoranda(file_path("memoranda"))) == len(load("memoranda"))
    True
    """
    return _read_user_table("memoranda", path)


def _read_user_table(name: str, path: str | os.PathLike[str]) -> pd.DataFrame:
    path = Path(path)
    res = {**copy.deepcopy(_resource(name)), "path": path.name, "user_file": True}
    if not path.exists():
        raise DataFileError("the file does not exist", file=str(path),
                            hint=f"check the path given for the {name} table")
    low = path.name.lower()
    try:
        if low.endswith((".xlsx", ".xlsm")):
            raw = pd.read_excel(path, dtype=str)
        elif low.endswith((".parquet", ".pq")):
            raw = pd.read_parquet(path).astype("str").replace({"None": None, "nan": None})
        elif low.endswith((".csv", ".txt")):
            data = path.read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("gb18030")
            import io

            raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                              na_values=[""])
        else:
            raise DataFileError("unsupported file type", file=path.name,
                                expected="a .csv (UTF-8 or GBK), .xlsx or .parquet file")
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, OSError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise DataFileError(f"the file cannot be read ({type(exc).__name__})", file=path.name,
                            expected="a .csv (UTF-8 or GBK), .xlsx or .parquet file") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    df = _check_schema(res, raw)
    df.attrs = {"table": name, "synthetic": False, "source": str(path)}
    return df


def _fresh(df: pd.DataFrame) -> pd.DataFrame:
    """Return a deep copy (data and attrs): callers never share state with the cache."""
    out = df.copy(deep=True)
    out.attrs = copy.deepcopy(df.attrs)
    return out


def national_trade_monthly() -> pd.DataFrame:
    """China's monthly exports and imports in US dollars (real, China Customs, 海关月度).

    Returns
    -------
    pandas.DataFrame
        Indexed by a monthly ``PeriodIndex`` named ``period`` (1983-07 .. 2013-12);
        columns ``export`` and ``import`` in US dollars.

    Examples
    --------
    >>> nt = national_trade_monthly()
    >>> str(nt.index[0]), round(float(nt.loc["2010", "export"].sum()) / 1e8, 1)
    ('1983-07', 15784.2)
    """
    raw = load("china_customs_monthly")
    idx = pd.PeriodIndex.from_fields(year=raw["year"], month=raw["month"], freq="M")
    out = pd.DataFrame(
        {"export": raw["exports_usd"].to_numpy(), "import": raw["imports_usd"].to_numpy()},
        index=idx,
    )
    out.index.name = "period"
    out.attrs = {"table": "china_customs_monthly", "synthetic": False,
                 "source": raw.attrs["source"]}
    return out
