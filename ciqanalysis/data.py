"""The data package: descriptor, checksums, schemas and loaders (数据包).

Every file in ``data/`` is described in ``data/datapackage.json`` (a Frictionless-style
data package): fields with types and units, primary key, source, licence,
``synthetic: true|false``, sha256, bytes and rows. :func:`load` checks the sha256 and
the schema of a packaged table and returns it typed: county codes as 6-character
strings, dates as ``datetime64``, money in US dollars (columns stored in 亿美元 or
thousand USD are converted and renamed with a ``_usd`` suffix).

Users' own declarations (报检数据) are read by :func:`read_declarations` (CSV in
UTF-8 or GBK, Excel, Parquet, Chinese headers); :func:`load_declarations` is the one
entry point notebooks call with their ``data_source`` parameter.

Layers (no import cycle): ``_package`` (tables, :func:`load`) <- ``_declfile``
(users' files) <- ``data`` (this module, which re-exports both).

Examples
--------
>>> import ciqanalysis as cq
>>> counties = cq.load("counties")
>>> len(counties), counties.attrs["synthetic"]
(60, False)
>>> cq.is_synthetic("declarations")
True
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from . import _declfile
from ._declfile import DECLARATION_COLUMNS, FlagTable
from ._package import (
    TABLES,
    describe,
    file_path,
    is_synthetic,
    load,
    package_descriptor,
    sha256_of,
    update_checksums,
    verify_checksum,
)
from .dataset import is_dataset, read_dataset
from .errors import AsOfDateError, ParameterError

__all__ = [
    "TABLES",
    "DECLARATION_COLUMNS",
    "FlagTable",
    "package_descriptor",
    "describe",
    "is_synthetic",
    "file_path",
    "sha256_of",
    "verify_checksum",
    "update_checksums",
    "load",
    "read_declarations",
    "load_declarations",
    "national_trade_monthly",
]


@functools.wraps(_declfile.read_declarations)
def read_declarations(path, **kwargs) -> pd.DataFrame:  # noqa: D103 (the reader's docstring)
    if is_dataset(path):
        return _read_dataset_as_file(path, kwargs.get("as_of"))
    return _declfile.read_declarations(path, **kwargs)


read_declarations.__doc__ = (read_declarations.__doc__ or "").replace(
    "    Parameters\n    ----------\n    path : str or path-like\n",
    "    Parameters\n    ----------\n    path : str or path-like\n"
    "        A dataset folder written by ``ciqanalysis ingest`` (read with\n"
    "        :func:`ciqanalysis.dataset.read_dataset`), or\n", 1)


def _read_dataset_as_file(path, as_of) -> pd.DataFrame:
    """Read a dataset as a file: rows after ``as_of`` raise, as they do in a file."""
    df = read_dataset(path)
    if as_of is not None:
        cut = _as_timestamp(as_of)
        late = df["date"] > cut
        if late.any():
            raise AsOfDateError(
                f"{Path(path).name}: {int(late.sum())} declaration(s) dated after the as-of "
                f"date {cut:%Y-%m-%d} (first: {df.loc[late, 'date'].min():%Y-%m-%d}); pass a "
                "later as_of, or use load_declarations, which cuts a dataset at the as-of date")
    return df


def load_declarations(source: str | os.PathLike[str] = "sample", *, as_of=None,
                      unit: str | None = None) -> pd.DataFrame:
    """Return declarations (报检批次): the packaged sample or the user's own file.

    This is what notebooks and the report call with their ``data_source`` parameter.

    Parameters
    ----------
    source : str or path-like, default "sample"
        ``"sample"``: the packaged synthetic declarations (``attrs["synthetic"]`` is
        True; they end on 2010-11-20). A folder written by ``ciqanalysis ingest``:
        that dataset (:func:`ciqanalysis.dataset.read_dataset`). Anything else: a
        CSV/Excel/Parquet file read by :func:`read_declarations`
        (``attrs["synthetic"]`` is False).
    as_of : str or Timestamp, optional
        The as-of date (截至日期). The sample and a dataset are cut at it; a user
        file with rows dated after it raises. A date after the last declaration
        raises too.
    unit : str, optional
        Money unit of a user file whose header does not say it (e.g. ``"万美元"``).

    Returns
    -------
    pandas.DataFrame
        The declarations columns (:data:`DECLARATION_COLUMNS`), money in USD.

    Raises
    ------
    AsOfDateError
        ``as_of`` is after the last declaration, or a user file has rows after it.

    Examples
    --------
    >>> decl = load_declarations("sample", as_of="2010-06-30")
    >>> decl.attrs["synthetic"], decl["date"].max() <= pd.Timestamp("2010-06-30")
    (True, True)
    """
    cut = None if as_of is None else _as_timestamp(as_of)
    if isinstance(source, str) and source == "sample":
        if unit is not None:
            raise ParameterError("unit= applies to user files; the sample is stored in USD")
        df = load("declarations")
        if cut is not None:
            last = df["date"].max()
            if cut > last:
                raise AsOfDateError(
                    f"as-of date {cut:%Y-%m-%d} is after the last declaration {last:%Y-%m-%d} "
                    "of the synthetic sample; choose an as-of date on or before it"
                )
            attrs = dict(df.attrs)
            df = df.loc[df["date"] <= cut].reset_index(drop=True)
            df.attrs = attrs
            df.attrs["as_of"] = cut
        return df
    if is_dataset(source):
        if unit is not None:
            raise ParameterError("unit= applies to files; a dataset is stored in USD")
        df = read_dataset(source, as_of=cut)
    else:
        df = read_declarations(source, unit=unit, as_of=cut)
    if cut is not None:
        last = df["date"].max()
        if cut > last:
            raise AsOfDateError(
                f"as-of date {cut:%Y-%m-%d} is after the last declaration {last:%Y-%m-%d} "
                f"in {Path(source).name}; figures as of that day would silently miss the "
                "days in between: choose an as-of date on or before the last declaration"
            )
    return df


def _as_timestamp(as_of) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise ParameterError(f"as_of must be a date such as '2010-11-20', got {as_of!r}") from None
    if pd.isna(ts):
        raise ParameterError(f"as_of must be a date such as '2010-11-20', got {as_of!r}")
    return ts.normalize()


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
