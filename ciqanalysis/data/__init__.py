"""The data layer's public face: packaged tables and users' declarations (数据包).

The packaged tables (:func:`load`, checksums, the descriptor ``data/datapackage.json``,
users' zones and memoranda) come from :mod:`ciqanalysis.data._package`; their columns are
the contract in :mod:`ciqanalysis.data.schema`. Users' own declarations (报检数据) are read by
:func:`read_declarations` (CSV in UTF-8 or GBK, Excel, Parquet, Chinese headers);
:func:`load_declarations` is the one entry point notebooks call with their
``data_source`` parameter, and :func:`cut_at_as_of` the one as-of rule for all.

Layers (no import cycle; submodules import their siblings, never this ``__init__``):
``schema`` <- ``_package`` (tables) <- ``plausibility`` (flags) <- ``_declfile`` (users'
files) <- ``dataset`` (Parquet datasets, ``cq.data.dataset``) <- ``data`` (this
``__init__``, which re-exports the public names).

Examples
--------
>>> import ciqanalysis as cq
>>> decl = cq.data.load_declarations("sample", as_of="2010-11-20")
>>> decl.attrs["synthetic"], decl.attrs["rows_after_as_of"], tuple(decl.columns[:3])
(True, 0, ('decl_id', 'date', 'direction'))
"""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path

import pandas as pd

from ..config import parse_as_of
from ..errors import AsOfDateError, DataFileError, ParameterError
from . import _declfile, _package, dataset, plausibility, schema  # noqa: F401 (cq.data.*)
from ._declfile import DECLARATION_COLUMNS, FlagTable
from ._package import *  # noqa: F403 (the tables' API, re-exported as _package.__all__ lists it)
from ._package import load
from .dataset import is_dataset, read_dataset

__all__ = [
    *_package.__all__,  # the tables: descriptor, checksums, load, users' zones and memoranda
    "DECLARATION_COLUMNS",
    "FlagTable",
    "read_declarations",
    "load_declarations",
    "cut_at_as_of",
    "data_window",
    "YEAR_START_GRACE_DAYS",
    "AS_OF_GRACE_DAYS",
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
    "        :func:`ciqanalysis.data.dataset.read_dataset`), or\n", 1)


def _read_dataset_as_file(path, as_of) -> pd.DataFrame:
    """Read a dataset as a file: rows after ``as_of`` raise, as they do in a file."""
    df = read_dataset(path)
    if as_of is not None:
        cut = parse_as_of(as_of)
        late = df["date"] > cut
        if late.any():
            raise AsOfDateError(
                f"{Path(path).name}: {int(late.sum())} declaration(s) dated after the as-of "
                f"date {cut:%Y-%m-%d} (first: {df.loc[late, 'date'].min():%Y-%m-%d}); pass a "
                "later as_of, or use load_declarations, which cuts a dataset at the as-of date")
    return df


#: How many days an as-of date may lie after the last declaration (a weekend, or a
#: holiday week such as 国庆 or 春节): the days in between had no declaration.
AS_OF_GRACE_DAYS = 9


def load_declarations(source: str | os.PathLike[str] = "sample", *, as_of=None,
                      unit: str | None = None, **read_options) -> pd.DataFrame:
    """Return declarations (报检批次): the packaged sample or the user's own file.

    This is what notebooks and the report call with their ``data_source`` parameter.
    The sample and a user's file follow one rule (:func:`cut_at_as_of`): rows dated
    after ``as_of`` are left out and counted, so any past memo can be re-run as it
    would have been written then.

    Parameters
    ----------
    source : str or path-like, default "sample"
        ``"sample"``: the packaged synthetic declarations (``attrs["synthetic"]`` is
        True; they end on 2010-11-20). A folder written by ``ciqanalysis ingest``:
        that dataset (:func:`ciqanalysis.data.dataset.read_dataset`). Anything else: a
        CSV/Excel/Parquet file read by :func:`read_declarations`
        (``attrs["synthetic"]`` is False).
    as_of : str or Timestamp, optional
        The as-of date (截至日期); see :func:`cut_at_as_of` (the same rule for the
        sample, a file and a dataset folder).
    unit : str, optional
        Money unit of a user file whose header does not say it (e.g. ``"万美元"``).
    **read_options
        Passed to :func:`read_declarations` (``encoding``, ``sheet_name``,
        ``column_map``).

    Returns
    -------
    pandas.DataFrame
        The declarations columns (:data:`DECLARATION_COLUMNS`), money in USD;
        ``attrs["as_of"]``, ``attrs["rows_after_as_of"]`` and
        ``attrs["last_before_cut"]`` when ``as_of`` is given.

    Raises
    ------
    AsOfDateError
        ``as_of`` lies more than :data:`AS_OF_GRACE_DAYS` days after the last
        declaration, or before the first.

    Examples
    --------
    >>> decl = load_declarations("sample", as_of="2010-06-30")
    >>> decl.attrs["synthetic"], decl["date"].max() <= pd.Timestamp("2010-06-30")
    (True, True)
    """
    cut = None if as_of is None else parse_as_of(as_of)
    if isinstance(source, str) and source == "sample":
        if unit is not None or read_options:
            raise ParameterError("unit= applies to user files (so do read options); the sample is "
                                 "stored in USD")
        df = load("declarations")
        label = "the synthetic sample"
    elif is_dataset(source):
        if unit is not None or read_options:
            raise ParameterError("unit= and read options apply to files; a dataset is stored "
                                 "in USD")
        df = read_dataset(source)
        label = Path(source).name
    else:
        df = read_declarations(source, unit=unit, **read_options)
        label = Path(source).name
    return df if cut is None else cut_at_as_of(df, cut, label=label)


def cut_at_as_of(decl: pd.DataFrame, as_of, *, label: str = "the declarations") -> pd.DataFrame:
    """Keep the declarations dated on or before the as-of date (截至日期截断).

    One rule for the sample and for users' files: rows after ``as_of`` are left out
    and counted (``attrs["rows_after_as_of"]``), so an old memo can be re-run as it
    would have been written then. The as-of day itself need not hold a declaration
    (a Saturday, a holiday): when the data stop before it, it may lie up to
    :data:`AS_OF_GRACE_DAYS` days after the last declaration.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with a ``date`` column.
    as_of : str or Timestamp
        The as-of date.
    label : str, default "the declarations"
        How the data are named in error messages (e.g. the file name).

    Returns
    -------
    pandas.DataFrame
        The rows up to ``as_of`` (index reset), ``attrs`` kept and extended with
        ``as_of``, ``rows_after_as_of`` (int) and ``last_before_cut`` (the last
        declaration date kept).

    Raises
    ------
    AsOfDateError
        ``as_of`` is before the first declaration, or more than
        :data:`AS_OF_GRACE_DAYS` days after the last one.

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-11-18", "2010-11-19", "2010-11-22"]),
    ...                   "value_usd": [1.0, 2.0, 4.0]})
    >>> out = cut_at_as_of(d, "2010-11-20")  # a Saturday
    >>> len(out), out.attrs["rows_after_as_of"]
    (2, 1)
    """
    cut = parse_as_of(as_of)
    if decl.empty:
        raise DataFileError(f"{label} hold no declarations", expected="at least one row")
    first = decl["date"].min()
    if cut < first:
        raise AsOfDateError(
            f"as-of date {cut:%Y-%m-%d} is before the first declaration {first:%Y-%m-%d} "
            f"in {label}; choose an as-of date within the data"
        )
    keep = (decl["date"] <= cut).to_numpy()
    kept_last = decl["date"][keep].max()
    last = decl["date"].max()
    # a file that runs past the as-of date covers it, whatever the gap before it; one
    # that stops earlier may stop a few days before it (a weekend, a holiday week)
    if cut > last + pd.Timedelta(days=AS_OF_GRACE_DAYS):
        raise AsOfDateError(
            f"as-of date {cut:%Y-%m-%d} is after the last declaration {last:%Y-%m-%d} "
            f"in {label}; figures as of that day would silently miss the days in between "
            f"(more than {AS_OF_GRACE_DAYS} days): choose an as-of date on or before the "
            "last declaration"
        )
    attrs = copy.deepcopy(decl.attrs)
    out = decl.loc[keep].reset_index(drop=True) if not keep.all() else decl.copy()
    out.attrs = attrs
    out.attrs.update(as_of=cut, rows_after_as_of=int((~keep).sum()), last_before_cut=kept_last)
    return out


#: A file whose first declaration falls within this many days of 1 January is taken to
#: cover that year from 1 January (New Year's Day is a holiday: real files rarely
#: hold a declaration dated 1 January).
YEAR_START_GRACE_DAYS = 10


def data_window(decl: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the first and last day the declarations cover (数据覆盖期).

    The first day is 1 January of the first year when the first declaration falls
    within :data:`YEAR_START_GRACE_DAYS` days of it (the New Year holiday), else the
    first declaration's date. The last day is the as-of date the data were cut at
    (``attrs["as_of"]``, set by :func:`cut_at_as_of`; a Saturday as-of date has no
    declaration that day), else the last declaration's date.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations with a ``date`` column.

    Returns
    -------
    tuple of pandas.Timestamp

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2008-01-03", "2010-11-19"])})
    >>> d.attrs["as_of"] = pd.Timestamp("2010-11-20")
    >>> [f"{t:%Y-%m-%d}" for t in data_window(d)]
    ['2008-01-01', '2010-11-20']
    """
    first = decl["date"].min().normalize()
    last = decl["date"].max().normalize()
    jan1 = pd.Timestamp(first.year, 1, 1)
    if (first - jan1).days < YEAR_START_GRACE_DAYS:
        first = jan1
    cut = decl.attrs.get("as_of")
    if cut is not None and not pd.isna(cut) and pd.Timestamp(cut) >= last:
        last = pd.Timestamp(cut).normalize()
    return first, last
