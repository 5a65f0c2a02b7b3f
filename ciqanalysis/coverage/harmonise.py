"""County codes of users' tables mapped to 2010 units (行政区划代码 -> 2010 年单位).

Zones, memoranda and declarations may carry codes of a later vintage (扶余市 220781,
九台区 220113, ...). They are mapped to the 2010 unit that covered the same area
with :func:`ciqanalysis.codes.to_2010_code`, and every mapping is reported: a
:class:`~ciqanalysis.errors.DataQualityWarning` plus a row in the returned record.
Rows without a county code and prefecture-level codes (地级, ending in ``00``) are
kept, reported, and attributed to no county. A code that maps to no 2010 unit raises
:class:`~ciqanalysis.errors.CountyCodeError`.

Examples
--------
>>> import pandas as pd
>>> from ciqanalysis.coverage import harmonise_county_codes
>>> z = pd.DataFrame({"county_code": ["220621", "220781"]})
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     out, rec = harmonise_county_codes(z, name="zones")
>>> out["county_code"].tolist()
['220621', '220724']
"""

from __future__ import annotations

import warnings

import pandas as pd

from ..codes import COUNTY_CODE_CHANGES
from ..errors import CountyCodeError, DataQualityWarning, SchemaError, user_stacklevel

__all__ = ["harmonise_county_codes", "CODE_RECORD_COLUMNS"]

#: Columns of the record of mapped / unattributed codes.
CODE_RECORD_COLUMNS = ["table", "code_given", "code_2010", "action", "n_rows"]


def _as_code_strings(s: pd.Series) -> pd.Series:
    """Return codes as stripped strings (integers and 220621.0 accepted), NA kept."""
    if pd.api.types.is_numeric_dtype(s):
        ok = s.notna()
        out = pd.Series(pd.NA, index=s.index, dtype="object")
        out[ok] = s[ok].round().astype("int64").astype(str)
        return out.astype("string")
    out = s.astype("string").str.strip()
    return out.mask(out.eq(""))


def harmonise_county_codes(
    table: pd.DataFrame,
    *,
    name: str,
    counties: pd.DataFrame | None = None,
    column: str = "county_code",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map a table's county codes to 2010 units and report what was changed.

    Parameters
    ----------
    table : DataFrame
        Zones, memoranda or declarations with a county-code column.
    name : str
        The table's name, used in warnings, errors and the record.
    counties : DataFrame, optional
        The 2010 county table (``data.load("counties")`` when None).
    column : str
        The county-code column.

    Returns
    -------
    table : DataFrame
        A copy whose ``column`` holds 2010 codes (str); rows without a county
        (missing or prefecture-level code) hold ``<NA>`` there.
    record : DataFrame
        One row per distinct code that was changed or left unattributed, columns
        ``table``, ``code_given``, ``code_2010``, ``action``, ``n_rows``; empty when
        every code was already a 2010 county-level code.

    Raises
    ------
    CountyCodeError
        A code that is neither a 2010 unit, nor a known later code, nor a
        prefecture code.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> m = pd.DataFrame({"county_code": ["220113", None]})
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     out, rec = harmonise_county_codes(m, name="memoranda")
    >>> rec["action"].str.slice(0, 6).tolist()
    ['mapped', 'no cou']
    """
    if column not in table.columns:
        raise SchemaError(f"the {name} table has no county-code column", file=name,
                          column=column, expected="6-character 2010 county codes (str)")
    if counties is None:
        from ..data import load

        counties = load("counties")
    valid = set(counties["code_2010"].astype(str))
    prefectures = set(counties["prefecture_code"].astype(str))
    given = _as_code_strings(table[column])
    mapped = given.replace({old: new for old, (new, _) in COUNTY_CODE_CHANGES.items()})
    is_pref = given.isin(prefectures) & ~given.isin(valid)
    unknown = given.notna() & ~mapped.isin(valid) & ~is_pref
    if unknown.any():
        pos = int(unknown.to_numpy().nonzero()[0][0])
        bad = sorted(set(given[unknown]))
        raise CountyCodeError(
            f"county code {given.iloc[pos]!r} is not a 2010 Jilin county-level unit and "
            f"has no known mapping (all unknown codes: {bad[:10]})",
            file=name, row=pos + 1, column=column,
            expected="a 6-character GB/T 2260 code of 2010, or a later code listed in "
                     "ciqanalysis.codes.COUNTY_CODE_CHANGES",
            hint="correct the code, or ask for the change to be added to codes.py",
        )
    out = table.copy()
    out[column] = mapped.mask(is_pref).astype("string")
    changed = given.notna() & given.ne(mapped)
    rows = []
    for code, n in given[changed].value_counts().sort_index().items():
        new, note = COUNTY_CODE_CHANGES[code]
        rows.append((name, code, new, f"mapped to 2010 unit: {note}", int(n)))
    for code, n in given[is_pref].value_counts().sort_index().items():
        rows.append((name, code, pd.NA, "prefecture-level code (地级), attributed to no "
                     "county", int(n)))
    n_missing = int(given.isna().sum())
    if n_missing:
        rows.append((name, pd.NA, pd.NA, "no county code, attributed to no county",
                     n_missing))
    record = pd.DataFrame(rows, columns=CODE_RECORD_COLUMNS)
    if len(record):
        summary = "; ".join(f"{r.code_given}: {r.action} ({r.n_rows} rows)"
                            for r in record.itertuples())
        warnings.warn(f"{name}: county codes changed or left unattributed: {summary}",
                      DataQualityWarning, stacklevel=user_stacklevel())
    return out, record
