"""County codes across vintages (行政区划代码变更).

The package works in 2010 county-level units (GB/T 2260, 2010 vintage). Codes users
meet in later files are mapped back to the 2010 unit that covered the same area;
a code that is neither a 2010 unit nor a known change is reported, never dropped.

Examples
--------
>>> from ciqanalysis.codes import to_2010_code
>>> to_2010_code("220781")
'220724'
"""

from __future__ import annotations

__all__ = ["COUNTY_CODE_CHANGES", "to_2010_code"]

#: Later code -> 2010 code, with the change. Source: Ministry of Civil Affairs code lists.
COUNTY_CODE_CHANGES: dict[str, tuple[str, str]] = {
    "220781": ("220724", "扶余县 became 扶余市 (Fuyu City), 2013"),
    "220113": ("220181", "九台市 became 九台区 (Jiutai District of Changchun), 2014"),
    "220184": ("220381", "公主岭市 moved under Changchun (code 220184), 2020"),
}


def to_2010_code(code: str) -> str:
    """Return the 2010 code for a later code; other codes are returned unchanged.

    Parameters
    ----------
    code : str
        A 6-character county code.

    Returns
    -------
    str
        The 2010 code (validity against the 2010 list is checked by the callers that
        know the county table, e.g. ``data.read_declarations``).

    Examples
    --------
    >>> to_2010_code("220113")
    '220181'
    >>> to_2010_code("220621")
    '220621'
    """
    return COUNTY_CODE_CHANGES.get(code, (code, ""))[0]
