"""The column contract of every table, read from ``data/datapackage.json`` (列契约).

One place defines the columns of the package's tables: the Table Schema of each
resource in ``data/datapackage.json`` (names, types, units, ``required`` / ``enum`` /
``pattern`` / ``minimum`` / ``maximum`` constraints, primary key). This module reads
that descriptor once and hands the contract to everything else: the loader checks
packaged and users' tables against it (:func:`validate`, with the ``pandera``
library), the declarations reader and the synthetic generator take their column
order from it, a declarations dataset's ``dataset.json`` copies its fields, and
:func:`contract_markdown` writes the documentation's table of it.

Validation is pandera's: a :class:`pandera.pandas.DataFrameSchema` built from the
Table Schema casts text to the field's type (Table Schema's rules: ISO dates,
``true``/``1``/``yes`` booleans, whole numbers for integers) and checks the
constraints and the primary key; every failure is collected, and the first one (in
field order, then check, then row) is raised as one
:class:`~ciqanalysis.errors.SchemaError` naming the file, row, column and what was
expected, with a count of the others.

Examples
--------
>>> decl = table("declarations")
>>> decl.columns[:4]
('decl_id', 'date', 'direction', 'hs2')
>>> decl.field("direction").enum, decl.field("value_usd").unit
(('export', 'import'), 'USD')
>>> table("china_customs_monthly").dtypes["exports_usd"]
'float64'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataFileError, ParameterError, SchemaError
from ..paths import repo_root

__all__ = ["Field", "Table", "table", "tables", "from_resource", "validate",
           "contract_markdown", "CONTRACT_PATH"]

#: The descriptor that holds the contract (the package's own ``data/datapackage.json``).
CONTRACT_PATH: Path = repo_root() / "data" / "datapackage.json"

#: Text read as True / False in a boolean column (Table Schema's trueValues and
#: falseValues, with the spellings the package's files use).
TRUE_VALUES = ("true", "1", "yes", "y", "t")
FALSE_VALUES = ("false", "0", "no", "n", "f")

# pandas dtype of each Table Schema type once loaded (optional integer and boolean
# columns holding a missing value become the nullable "Int64" / "boolean")
_DTYPES = {"string": "str", "number": "float64", "integer": "int64", "boolean": "bool",
           "date": "datetime64[us]", "geometry": "geometry"}


@dataclass(frozen=True)
class Field:
    """One column of the contract (字段): a Table Schema field.

    Attributes
    ----------
    name : str
        Name in the file.
    type : str
        Table Schema type: ``string``, ``number``, ``integer``, ``boolean``, ``date``
        or ``geometry``.
    description : str
        What the column holds (English with the Chinese term).
    unit : str or None
        Unit as stored (``USD``, ``亿美元``, ``thousand USD``, ``degrees``, ...).
    required : bool
        Whether a value may be missing.
    enum, pattern, minimum, maximum
        The field's constraints (None when absent).
    loaded_as : str or None
        Name of the column once loaded, when the loader converts money to US dollars.

    Examples
    --------
    >>> f = table("china_customs_monthly").field("exports_100m_usd")
    >>> f.unit, f.column, f.dtype
    ('亿美元', 'exports_usd', 'float64')
    """

    name: str
    type: str
    description: str = ""
    unit: str | None = None
    required: bool = True
    enum: tuple[Any, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    loaded_as: str | None = None

    @property
    def column(self) -> str:
        """Name of the column in the loaded table (money renamed with ``_usd``)."""
        return self.loaded_as or self.name

    @property
    def dtype(self) -> str:
        """Return the pandas dtype of the loaded column."""
        return _DTYPES[self.type]

    @classmethod
    def from_dict(cls, spec: dict[str, Any]) -> Field:
        """Build a field from its Table Schema entry."""
        cons = spec.get("constraints", {})
        return cls(
            name=spec["name"], type=spec["type"], description=spec.get("description", ""),
            unit=spec.get("unit"), required=bool(cons.get("required", True)),
            enum=tuple(cons["enum"]) if "enum" in cons else None,
            pattern=cons.get("pattern"), minimum=cons.get("minimum"),
            maximum=cons.get("maximum"), loaded_as=spec.get("loadedAs"),
        )


@dataclass(frozen=True)
class Table:
    """The contract of one table (表契约): its fields in order and its primary key.

    Examples
    --------
    >>> z = table("zones")
    >>> z.columns
    ('zone_id', 'product_group', 'product_zh', 'product_en', 'county_code', 'launch_date', 'batch')
    >>> z.primary_key, z.synthetic
    (('zone_id', 'county_code'), True)
    """

    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    synthetic: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Column names as stored in the file."""
        return tuple(f.name for f in self.fields)

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names of the loaded table, in order."""
        return tuple(f.column for f in self.fields)

    @property
    def dtypes(self) -> dict[str, str]:
        """Loaded column -> pandas dtype."""
        return {f.column: f.dtype for f in self.fields}

    @property
    def units(self) -> dict[str, str]:
        """Loaded column -> unit, for the columns that carry one (money as loaded is USD)."""
        return {f.column: ("USD" if f.loaded_as else f.unit) for f in self.fields if f.unit}

    def field(self, name: str) -> Field:
        """Return a field by its stored or loaded name."""
        for f in self.fields:
            if name in (f.name, f.column):
                return f
        raise ParameterError(f"table {self.name!r} has no column {name!r}; "
                             f"expected one of {list(self.columns)}")

    def of_type(self, *types: str) -> tuple[str, ...]:
        """Return the loaded columns whose Table Schema type is one of ``types``.

        Examples
        --------
        >>> table("declarations").of_type("boolean")
        ('direct_release', 'key_enterprise')
        """
        return tuple(f.column for f in self.fields if f.type in types)


def from_resource(res: dict[str, Any]) -> Table:
    """Return the contract of a data package resource (its ``schema``).

    Examples
    --------
    >>> from_resource({"name": "t", "schema": {"fields": [{"name": "a", "type": "integer"}],
    ...                                       "primaryKey": ["a"]}}).dtypes
    {'a': 'int64'}
    """
    schema = res["schema"]
    return Table(name=res["name"], fields=tuple(Field.from_dict(f) for f in schema["fields"]),
                 primary_key=tuple(schema.get("primaryKey", ())),
                 synthetic=bool(res.get("synthetic", False)))


@functools.cache
def tables() -> dict[str, Table]:
    """Every table's contract, read once from :data:`CONTRACT_PATH` (表契约).

    Examples
    --------
    >>> "declarations" in tables() and "counties" in tables()
    True
    """
    try:
        pkg = json.loads(CONTRACT_PATH.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"the column contract cannot be read ({type(exc).__name__})",
                            file=CONTRACT_PATH.name, expected="the package's data/datapackage.json",
                            hint="restore it from git") from None
    return {r["name"]: from_resource(r) for r in pkg["resources"] if "schema" in r}


def table(name: str) -> Table:
    """Return the contract of one table.

    Raises
    ------
    ParameterError
        If the package has no table of that name.

    Examples
    --------
    >>> table("memoranda").field("counterpart_type").enum
    ('government', 'enterprise')
    """
    found = tables()
    if name not in found:
        raise ParameterError(f"no table {name!r} in the contract; expected one of {list(found)}")
    return found[name]


# --------------------------------------------------------------------------- pandera


def _cast_types() -> dict[str, type]:
    """Table Schema's cast rules as pandera data types (text in, typed column out)."""
    from pandera.engines import pandas_engine

    class _Cast(pandas_engine.DataType):
        """Cast a column of text as Table Schema says; pandera reports the cells that fail."""

        accepts: tuple[str, ...] = ()

        def __init__(self) -> None:
            object.__setattr__(self, "type", np.dtype(object))

        def check(self, pandera_dtype, data_container=None):  # noqa: D102
            return str(getattr(pandera_dtype, "type", pandera_dtype)) in self.accepts

        def __str__(self) -> str:
            return self.name

    class String(_Cast):
        name, accepts = "string", ("str", "string", "object")

        def coerce(self, data):  # noqa: D102
            return data.astype("str") if not data.isna().any() else data

        def coerce_value(self, value):  # noqa: D102
            return str(value)

    class Number(_Cast):
        name, accepts = "number", ("float64",)

        def coerce(self, data):  # noqa: D102
            return pd.to_numeric(data).astype("float64")

        def coerce_value(self, value):  # noqa: D102
            return float(pd.to_numeric(value))

    class Integer(_Cast):
        name, accepts = "integer", ("int64", "Int64")

        def coerce(self, data):  # noqa: D102
            num = pd.to_numeric(data)
            if ((num % 1).fillna(0) != 0).any():
                raise ValueError("not a whole number")
            return num.astype("Int64" if num.isna().any() else "int64")

        def coerce_value(self, value):  # noqa: D102
            num = float(pd.to_numeric(value))
            if not num.is_integer():
                raise ValueError("not a whole number")
            return int(num)

    class Boolean(_Cast):
        name, accepts = "boolean", ("bool", "boolean")

        def coerce(self, data):  # noqa: D102
            low = data.astype("str").str.strip().str.lower()
            missing = data.isna().to_numpy()
            val = low.isin(TRUE_VALUES).to_numpy()
            if (~(val | low.isin(FALSE_VALUES).to_numpy() | missing)).any():
                raise ValueError("not a boolean")
            if missing.any():
                return pd.Series(pd.array(np.where(missing, None, val), dtype="boolean"),
                                 index=data.index)
            return pd.Series(val, index=data.index, dtype=bool)

        def coerce_value(self, value):  # noqa: D102
            low = str(value).strip().lower()
            if low not in TRUE_VALUES + FALSE_VALUES:
                raise ValueError("not a boolean")
            return low in TRUE_VALUES

    class Date(_Cast):
        name, accepts = "date", ("datetime64[s]", "datetime64[ms]", "datetime64[us]",
                                   "datetime64[ns]")

        def coerce(self, data):  # noqa: D102
            return pd.to_datetime(data, format="ISO8601")

        def coerce_value(self, value):  # noqa: D102
            return pd.to_datetime(value, format="ISO8601")

    return {"string": String, "number": Number, "integer": Integer, "boolean": Boolean,
            "date": Date}


@functools.lru_cache(maxsize=32)
def _pandera_schema(key: str):
    """Build (once per Table Schema) the pandera schema that validates a table."""
    import pandera.pandas as pa

    spec = json.loads(key)
    casts = _cast_types()
    columns = {}
    for f in (Field.from_dict(s) for s in spec["fields"]):
        if f.type == "geometry":
            continue  # checked by geopandas when the file is read
        checks = []
        if f.pattern is not None:
            checks.append(pa.Check.str_matches(f.pattern))
        if f.enum is not None:
            checks.append(pa.Check.isin(list(f.enum)))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        columns[f.name] = pa.Column(casts[f.type](), checks=checks, nullable=not f.required,
                                    coerce=True, required=True)
    return pa.DataFrameSchema(columns, unique=spec.get("primaryKey") or None,
                              report_duplicates="exclude_first", coerce=False)


# check name in pandera's report -> (rank within a field, problem, expected)
def _explain(check: str, f: Field) -> tuple[int, str, str]:
    if check == "not_nullable":
        return 0, "missing value in a required column", f"a {f.type}"
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        return 1, {"number": "not a number", "integer": "not a number",
                   "boolean": "not a boolean", "date": "not a date"}.get(f.type, "not text"), {
            "integer": "an integer", "boolean": "True or False",
            "date": "a date YYYY-MM-DD"}.get(f.type, f"a {f.type}")
    if check.startswith("str_matches"):
        return 2, "value does not match the pattern", f"text matching {f.pattern}"
    if check.startswith("isin"):
        return 3, "value not allowed", f"one of {list(f.enum or ())}"
    if check.startswith("greater_than_or_equal_to"):
        return 4, f"value beyond the minimum {f.minimum}", f"minimum {f.minimum}"
    if check.startswith("less_than_or_equal_to"):
        return 5, f"value beyond the maximum {f.maximum}", f"maximum {f.maximum}"
    return 6, f"check {check} failed", check


def validate(res: dict[str, Any], df: pd.DataFrame, *, file: str,
             row_of: Callable[[int], int], hint: str | None = None) -> pd.DataFrame:
    """Check a table of text against its resource's Table Schema and return it typed.

    Parameters
    ----------
    res : dict
        The data package resource (``schema`` with ``fields`` and ``primaryKey``).
    df : pandas.DataFrame
        The table as read (cells as text), with a default ``RangeIndex``.
    file : str
        How the file is named in errors.
    row_of : callable
        0-based data position -> the row number the user sees.
    hint : str, optional
        What to do, added to every error.

    Returns
    -------
    pandas.DataFrame
        A copy with every field cast to its type (extra columns kept as read).

    Raises
    ------
    SchemaError
        For the first failure in field order (missing column, missing value in a
        required column, a value of the wrong type, a broken constraint, then a
        repeated primary key), naming the row and column and counting the others
        of the same kind in that column.

    Examples
    --------
    >>> res = {"name": "t", "schema": {"fields": [
    ...     {"name": "code", "type": "string", "constraints": {"pattern": "^22[0-9]{4}$"}},
    ...     {"name": "n", "type": "integer", "constraints": {"minimum": 1}}]}}
    >>> validate(res, pd.DataFrame({"code": ["220102"], "n": ["3"]}), file="t.csv",
    ...          row_of=lambda i: i + 2).dtypes.astype(str).tolist()
    ['str', 'int64']
    >>> validate(res, pd.DataFrame({"code": ["220102", "22O102"], "n": ["3", "0"]}),
    ...          file="t.csv", row_of=lambda i: i + 2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.SchemaError: t.csv, row 3, column 'code': value does not match ...
    """
    import pandera.errors as pe

    schema = _pandera_schema(json.dumps(res["schema"], sort_keys=True))
    if not df.index.equals(pd.RangeIndex(len(df))):
        df = df.reset_index(drop=True)  # pandera reports index labels: make them positions
    try:
        return schema.validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        raise _first_error(res, df, exc.failure_cases, file, row_of, hint) from None


def _first_error(res, df, cases: pd.DataFrame, file, row_of, hint) -> SchemaError:
    """Turn pandera's failure cases into one SchemaError: the first, with a count."""
    fields = [Field.from_dict(s) for s in res["schema"]["fields"]]
    lacking = [f.name for f in fields if f.name not in df.columns]
    if lacking:
        return SchemaError(f"required column(s) missing: {lacking}", file=file, row=1,
                           expected=f"the columns {[f.name for f in fields]}", hint=hint)
    cases = cases[cases["index"].notna()]
    key = list(res["schema"].get("primaryKey") or [])
    found = []
    for order, f in enumerate(fields):
        mine = cases[(cases["column"] == f.name)
                     & ~cases["check"].astype("str").str.contains("uniqueness")]
        for check, rows in mine.groupby("check", sort=False)["index"]:
            rank, problem, expected = _explain(str(check), f)
            rows = np.unique(rows.astype(int))
            if rank == 1 and f.type == "integer":  # a number with a fraction, or no number
                num = pd.to_numeric(df[f.name].iloc[rows], errors="coerce").notna().to_numpy()
                found.append(((order, 1.5), f.name, rows[num], "not a whole number", expected))
                rows = rows[~num]
            if len(rows):
                found.append(((order, rank), f.name, rows, problem, expected))
    if found:
        _, column, rows, problem, expected = min((x for x in found if len(x[2])),
                                                 key=lambda x: x[0])
        shown = df[column].iloc[rows[0]]
    else:  # a repeated primary key
        dup = cases.loc[cases["check"].astype("str").str.contains("uniqueness"), "index"]
        rows = np.unique(dup.astype(int))
        column, problem = "+".join(key), "duplicate primary key"
        expected = "one row per " + " + ".join(key)
        shown = " / ".join(str(df[k].iloc[rows[0]]) for k in key)
    others = f" ({len(rows) - 1} more in this column)" if len(rows) > 1 else ""
    return SchemaError(f"{problem}: {shown!r}{others}", file=file, row=row_of(int(rows[0])),
                       column=column, expected=expected, hint=hint)


# --------------------------------------------------------------------------- documentation


def contract_markdown(name: str) -> str:
    """Return a table's contract as a Markdown table (for the documentation).

    Examples
    --------
    >>> print(contract_markdown("memoranda").splitlines()[2])
    | `memo_id` | string | str | – | required | memorandum id |
    """
    rows = ["| column | type | pandas dtype | unit | constraints | description |",
            "|---|---|---|---|---|---|"]
    for f in table(name).fields:
        cons = ["required" if f.required else "optional"]
        if f.enum:
            cons.append("one of " + ", ".join(f"`{v}`" for v in f.enum))
        if f.pattern:
            cons.append(f"`{f.pattern}`")
        if f.minimum is not None:
            cons.append(f"≥ {f.minimum}")
        if f.maximum is not None:
            cons.append(f"≤ {f.maximum}")
        name_shown = f"`{f.name}`" + (f" → `{f.loaded_as}`" if f.loaded_as else "")
        rows.append(f"| {name_shown} | {f.type} | {f.dtype} | {f.unit or '–'} | "
                    f"{'; '.join(cons)} | {f.description} |")
    return "\n".join(rows)


def _main() -> None:  # pragma: no cover - prints the documentation's tables
    for name, tab in tables().items():
        print(f"### {name} ({'synthetic' if tab.synthetic else 'real'})\n")
        print(contract_markdown(name) + "\n")


if __name__ == "__main__":  # pragma: no cover
    _main()
