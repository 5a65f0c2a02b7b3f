"""Money units and bilingual labels (单位与中英文标签).

Money is stored in US dollars everywhere in the package. 万美元 (1e4 USD) and
亿美元 (1e8 USD) are display and input units, converted here and nowhere else.
GACC's English tables use thousand US dollars, also handled here.

Examples
--------
>>> from ciqanalysis.units import to_usd, from_usd, format_money
>>> to_usd(46.09, "亿美元")
4609000000.0
>>> round(from_usd(4_609_000_000, "yi"), 2)
46.09
>>> format_money(4_609_000_000, "亿美元")
'46.09 亿美元'
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import UnitError

__all__ = [
    "UNIT_FACTORS",
    "canonical_unit",
    "to_usd",
    "from_usd",
    "format_money",
    "DIRECTION_LABELS",
    "direction_label",
    "lookup_label",
    "bilingual",
]

#: US dollars per one of each unit. Keys are canonical unit names.
UNIT_FACTORS: dict[str, float] = {
    "USD": 1.0,
    "thousand USD": 1e3,
    "万美元": 1e4,
    "million USD": 1e6,
    "亿美元": 1e8,
    "billion USD": 1e9,
}

_ALIASES: dict[str, str] = {
    "usd": "USD", "us$": "USD", "美元": "USD", "dollar": "USD", "dollars": "USD",
    "thousand usd": "thousand USD", "usd thousand": "thousand USD", "千美元": "thousand USD",
    "us$1,000": "thousand USD", "kusd": "thousand USD",
    "万美元": "万美元", "wan": "万美元", "10k usd": "万美元", "1e4 usd": "万美元",
    "million usd": "million USD", "百万美元": "million USD", "musd": "million USD",
    "亿美元": "亿美元", "yi": "亿美元", "100m usd": "亿美元", "100 million usd": "亿美元",
    "1e8 usd": "亿美元",
    "billion usd": "billion USD", "十亿美元": "billion USD", "busd": "billion USD",
}


def canonical_unit(unit: str) -> str:
    """Return the canonical name of a money unit.

    Parameters
    ----------
    unit : str
        A unit name in English or Chinese, e.g. ``"亿美元"``, ``"yi"``,
        ``"万美元"``, ``"thousand USD"``, ``"USD"``.

    Returns
    -------
    str
        One of the keys of :data:`UNIT_FACTORS`.

    Raises
    ------
    UnitError
        If the unit is not known (the package never guesses a unit).

    Examples
    --------
    >>> canonical_unit("100m usd")
    '亿美元'
    """
    if not isinstance(unit, str):
        raise UnitError(f"a money unit must be a string such as '亿美元', got {unit!r}")
    key = unit.strip()
    if key in UNIT_FACTORS:
        return key
    found = _ALIASES.get(key.lower())
    if found is None:
        known = ", ".join(UNIT_FACTORS)
        raise UnitError(f"unknown money unit {unit!r}; known units: {known}")
    return found


def to_usd(value, unit: str):
    """Convert a value (scalar, array or pandas object) from ``unit`` to US dollars.

    Parameters
    ----------
    value : float, numpy.ndarray, pandas.Series or pandas.DataFrame
        Amount(s) in ``unit``.
    unit : str
        The unit of ``value`` (see :func:`canonical_unit`).

    Returns
    -------
    Same type as ``value``, in US dollars (float).

    Examples
    --------
    >>> to_usd(1.2, "亿美元")
    120000000.0
    """
    return _scaled(value, UNIT_FACTORS[canonical_unit(unit)])


def from_usd(value, unit: str):
    """Convert a value from US dollars to ``unit``.

    Examples
    --------
    >>> from_usd(120_000_000, "万美元")
    12000.0
    """
    return _scaled(value, UNIT_FACTORS[canonical_unit(unit)], operator.truediv)


def _scaled(value, factor: float, op: Callable = operator.mul):
    """Apply ``op(value, factor)`` to a scalar, array, Series or DataFrame, as float64."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return op(value.astype("float64"), factor)
    return op(np.asarray(value, dtype="float64"), factor) if np.ndim(value) else op(float(value),
                                                                                      factor)


def format_money(value_usd: float, unit: str = "亿美元", digits: int = 2) -> str:
    """Format an amount in US dollars for display in ``unit``.

    Parameters
    ----------
    value_usd : float
        Amount in US dollars.
    unit : str, default "亿美元"
        Display unit.
    digits : int, default 2
        Decimal places (the article reports 亿美元 to two decimals).

    Examples
    --------
    >>> format_money(1_991_000_000)
    '19.91 亿美元'
    >>> format_money(float("nan"))
    'n/a'
    """
    if value_usd is None or (isinstance(value_usd, float) and np.isnan(value_usd)):
        return "n/a"
    name = canonical_unit(unit)
    return f"{from_usd(value_usd, name):,.{digits}f} {name}"


#: English and Chinese labels of trade directions (出境 = exit/export, 进境 = entry/import).
DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "export": {"en": "exports (exit)", "zh": "出境"},
    "import": {"en": "imports (entry)", "zh": "进境"},
    "total": {"en": "total", "zh": "出入境合计"},
}


def direction_label(direction: str, lang: str = "both") -> str:
    """Return the label of a direction in English, Chinese or both.

    Examples
    --------
    >>> direction_label("export")
    'exports (exit) 出境'
    >>> direction_label("import", "zh")
    '进境'
    """
    return lookup_label(DIRECTION_LABELS, direction, "direction", lang)


def lookup_label(table: Mapping, key, what: str, lang: str = "both",
                 error: type[Exception] = UnitError) -> str:
    """Look ``key`` up in a table of bilingual names and return its label (双语标签).

    The one lookup behind :func:`direction_label`,
    :func:`~ciqanalysis.labels.product_label` and :func:`~ciqanalysis.labels.port_label`.

    Parameters
    ----------
    table : mapping
        Key -> ``{"en": ..., "zh": ...}`` or an object with ``en`` and ``zh``.
    key : str
        The key to look up.
    what : str
        What the keys are, named in the error (e.g. ``"direction"``).
    lang : {"both", "en", "zh"}, default "both"
        Which language(s) to return (:func:`bilingual`).
    error : exception class, default UnitError
        Raised, naming the known keys, when ``key`` is not in ``table``.

    Returns
    -------
    str

    Examples
    --------
    >>> lookup_label({"x": {"en": "ex", "zh": "艾克斯"}}, "x", "thing")
    'ex 艾克斯'
    >>> lookup_label({"x": {"en": "ex", "zh": "艾克斯"}}, "y", "thing")
    Traceback (most recent call last):
    ...
    ciqanalysis.errors.UnitError: unknown thing 'y'; expected one of ['x']
    """
    try:
        item = table[key]
    except (KeyError, TypeError):
        raise error(f"unknown {what} {key!r}; expected one of {sorted(table)}") from None
    if isinstance(item, Mapping):
        return bilingual(item["en"], item["zh"], lang)
    return bilingual(item.en, item.zh, lang)


def bilingual(en: str, zh: str, lang: str = "both") -> str:
    """Join an English and a Chinese label: ``lang`` is 'en', 'zh' or 'both'.

    Examples
    --------
    >>> bilingual("ginseng", "人参")
    'ginseng 人参'
    """
    if lang == "en":
        return en
    if lang == "zh":
        return zh
    if lang == "both":
        return f"{en} {zh}"
    raise UnitError(f"lang must be 'en', 'zh' or 'both', got {lang!r}")
