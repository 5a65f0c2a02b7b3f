"""Reference tables for notebook values that carry numerical noise (参考表).

Simulated forecasts depend on model fits whose likelihoods are flat near their
optimum, so their last digits move with the CPU's BLAS kernel (by up to ~1e-5
relative) although the method has not changed. A notebook shows such a table
rounded (its text output is not compared by nbval: the cell is tagged
``nbval-ignore-output``) and checks the full-precision values in the next cell
with :func:`check_reference`, against a CSV in ``notebooks/reference/`` and a
tolerance far above that noise but far below the Monte Carlo error (~1e-3).

The CSVs are written by the same call: run the notebooks with the environment
variable ``CIQANALYSIS_UPDATE_REFERENCE=1`` (``make reference``, i.e.
``ciqanalysis run-notebooks --in-place --update-reference``) after a deliberate
change of the method, and review the diff of ``notebooks/reference/``.

Examples
--------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> tab = pd.DataFrame({"mean": [52.07, 54.94]}, index=pd.Index([2010, 2011], name="year"))
>>> _ = write_reference(tab, "demo", {"seed": 1}, folder=folder)
>>> check_reference(tab * (1 + 2e-5), "demo", {"seed": 1}, folder=folder)
'demo: 2 values within rtol 1e-04 of the reference (notebooks/reference/demo.csv)'
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ParameterError, ReferenceMismatchError
from .paths import repo_root

__all__ = [
    "check_reference",
    "write_reference",
    "read_reference",
    "reference_differences",
    "REFERENCE_RTOL",
    "REFERENCE_ATOL",
    "UPDATE_ENV",
]

#: Relative tolerance: ten times the largest CPU/BLAS difference measured (1.5e-5),
#: a tenth of the Monte Carlo error (~1e-3).
REFERENCE_RTOL = 1e-4
#: Absolute tolerance, for values near zero (percentages, in points; money in the
#: table's unit).
REFERENCE_ATOL = 1e-3
#: Set to "1" to write the reference tables instead of only checking them.
UPDATE_ENV = "CIQANALYSIS_UPDATE_REFERENCE"

_HEADER = "# parameters: "


def _folder(folder: Path | None) -> Path:
    return Path(folder) if folder is not None else repo_root() / "notebooks" / "reference"


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name or any(c in name for c in "/\\. "):
        raise ParameterError(f"reference name must be a plain word like '02-jilin-outlook', got {name!r}")
    return name


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise ParameterError(f"table must be a DataFrame, got {type(table).__name__}")
    named = [n is not None for n in table.index.names]
    return table.reset_index() if any(named) else table.reset_index(drop=True)


def _params(parameters: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k): str(v) for k, v in dict(parameters or {}).items()}


def write_reference(table: pd.DataFrame, name: str, parameters: Mapping[str, Any] | None = None, *,
                    folder: Path | None = None) -> Path:
    """Write a table at full precision as ``<folder>/<name>.csv`` (写参考表).

    Parameters
    ----------
    table : pandas.DataFrame
        The unrounded table; named index levels become columns.
    name : str
        File stem, e.g. ``02-jilin-outlook``.
    parameters : mapping, optional
        The notebook parameters the table was made with (data source, as-of date,
        seed, ...), stored in the first line; :func:`check_reference` compares
        only under the same parameters.
    folder : pathlib.Path, optional
        Default ``notebooks/reference`` of the repository.

    Returns
    -------
    pathlib.Path
        The file written (LF line endings, floats as round-trip ``repr``).

    Examples
    --------
    >>> import tempfile
    >>> p = write_reference(pd.DataFrame({"x": [0.1]}), "t", folder=Path(tempfile.mkdtemp()))
    >>> p.read_text().splitlines()
    ['# parameters: {}', 'x', '0.1']
    """
    path = _folder(folder) / f"{_check_name(name)}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = _flat(table).to_csv(index=False, lineterminator="\n")
    header = _HEADER + json.dumps(_params(parameters), ensure_ascii=False, sort_keys=True)
    path.write_bytes((header + "\n" + body).encode("utf-8"))
    return path


def read_reference(name: str, *, folder: Path | None = None) -> tuple[dict[str, str], pd.DataFrame]:
    """Read a reference table: (parameters, table with index levels as columns).

    Raises
    ------
    ParameterError
        If the file does not exist or lacks the parameters line.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp())
    >>> _ = write_reference(pd.DataFrame({"x": [1.5]}), "t", {"seed": 3}, folder=f)
    >>> read_reference("t", folder=f)[0]
    {'seed': '3'}
    """
    path = _folder(folder) / f"{_check_name(name)}.csv"
    if not path.exists():
        raise ParameterError(
            f"no reference table {path.name} in {path.parent.name}/: write it with "
            f"`make reference` ({UPDATE_ENV}=1)")
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith(_HEADER):
        raise ParameterError(f"{path.name}: line 1 must start with {_HEADER.strip()!r}, got {first[:40]!r}")
    return json.loads(first[len(_HEADER):]), pd.read_csv(io.StringIO(body))


def reference_differences(table: pd.DataFrame, reference: pd.DataFrame, rtol: float = REFERENCE_RTOL,
                          atol: float = REFERENCE_ATOL) -> list[str]:
    """List the differences between a table and its reference, one line each.

    Numbers must agree within ``atol + rtol * |reference|`` (NaN equals NaN);
    everything else (labels, flags, status) exactly, as text.

    Examples
    --------
    >>> ref = pd.DataFrame({"k": ["a", "b"], "v": [1.0, 2.0]})
    >>> reference_differences(ref.assign(v=[1.00001, 2.1]), ref)
    ['row 1 (b), column v: 2.1 against the reference 2.0 (relative 5.0e-02)']
    """
    new = _flat(table)
    if list(map(str, new.columns)) != list(map(str, reference.columns)):
        return [f"columns {list(map(str, new.columns))} differ from the reference's {list(reference.columns)}"]
    if len(new) != len(reference):
        return [f"{len(new)} rows, the reference has {len(reference)}"]
    out = []
    label = new.iloc[:, 0].astype(str).to_numpy()
    for col, ref_col in zip(new.columns, reference.columns, strict=True):
        a, b = new[col], reference[ref_col]
        if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a) \
                and pd.api.types.is_numeric_dtype(b):
            x, y = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
            ok = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
            for i in np.flatnonzero(~ok):
                rel = abs(x[i] - y[i]) / abs(y[i]) if y[i] else np.inf
                out.append(f"row {i} ({label[i]}), column {col}: {float(x[i])!r} against the reference "
                           f"{float(y[i])!r} (relative {rel:.1e})")
        else:
            x, y = a.astype(str).to_numpy(), b.astype(str).to_numpy()
            for i in np.flatnonzero(x != y):
                out.append(f"row {i} ({label[i]}), column {col}: {x[i]!r} against the reference {y[i]!r}")
    return out


def check_reference(table: pd.DataFrame, name: str, parameters: Mapping[str, Any] | None = None, *,
                    rtol: float = REFERENCE_RTOL, atol: float = REFERENCE_ATOL,
                    folder: Path | None = None) -> str:
    """Check a table against its stored reference (与参考表核对); the notebooks' assertion.

    With ``CIQANALYSIS_UPDATE_REFERENCE=1`` in the environment the reference is
    first (re)written from ``table``. A reference made under other parameters
    (e.g. a report on the user's own declarations) is not compared.

    Parameters
    ----------
    table : pandas.DataFrame
        The full-precision table (not the rounded display).
    name : str
        Reference name (file stem in ``notebooks/reference/``).
    parameters : mapping, optional
        The notebook parameters the table depends on.
    rtol, atol : float
        Tolerance, see :data:`REFERENCE_RTOL` and :data:`REFERENCE_ATOL`.
    folder : pathlib.Path, optional
        Default ``notebooks/reference``.

    Returns
    -------
    str
        One line saying what was checked (no paths of this machine, no numbers
        that could vary): print it in the notebook.

    Raises
    ------
    ReferenceMismatchError
        Listing the first differences, when any value is outside the tolerance.

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp())
    >>> tab = pd.DataFrame({"mean": [52.07]})
    >>> _ = write_reference(tab, "t", {"seed": 1}, folder=f)
    >>> check_reference(tab * 1.01, "t", {"seed": 1}, folder=f)
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.ReferenceMismatchError: t: 1 value(s) differ from notebooks/reference/t.csv ...
    >>> check_reference(tab * 1.01, "t", {"seed": 2}, folder=f)
    't: made with other parameters than notebooks/reference/t.csv (seed), not compared'
    """
    params = _params(parameters)
    where = f"notebooks/reference/{_check_name(name)}.csv"
    if os.environ.get(UPDATE_ENV) == "1":
        write_reference(table, name, params, folder=folder)
    stored, reference = read_reference(name, folder=folder)
    if stored != params:
        changed = sorted(k for k in set(stored) | set(params) if stored.get(k) != params.get(k))
        return f"{name}: made with other parameters than {where} ({', '.join(changed)}), not compared"
    problems = reference_differences(table, reference, rtol, atol)
    if problems:
        shown = "; ".join(problems[:8]) + ("; ..." if len(problems) > 8 else "")
        raise ReferenceMismatchError(
            f"{name}: {len(problems)} value(s) differ from {where} by more than rtol {rtol:.0e}, "
            f"atol {atol:.0e}: {shown}. If the method changed on purpose, rewrite the references "
            f"with `make reference` and review their diff"
        )
    count = int(table.select_dtypes("number").size)
    return f"{name}: {count} values within rtol {rtol:.0e} of the reference ({where})"
