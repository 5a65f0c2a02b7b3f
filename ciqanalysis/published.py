"""The article's published figures set against the data (公布数据核对).

The Jilin CIQ year review of 2010-11-25 (``data.load("published_figures")``, ids
F1..F21) states values rounded to the digits printed. This module recomputes the
counts and values the data can speak to (key enterprises 重点企业, direct release
直通放行, co-building memoranda 合作备忘录, demonstration zones 示范区), compares any
recomputed figures with the published ones after rounding to the published
precision, and checks the identities the published figures obey (exports + imports
= total; contributions 拉动 add up to total growth 同比) allowing for rounding.

Examples
--------
>>> import ciqanalysis as cq
>>> checks = identity_checks(cq.data.load("published_figures"))
>>> bool(checks["consistent"].all())
True
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from .errors import ParameterError, SchemaError
from .provenance import Provenance
from .units import from_usd

__all__ = [
    "published_precision",
    "count_figures",
    "compare_with_published",
    "headline_figures",
    "check_published",
    "data_note",
    "identity_checks",
]

_PUBLISHED_COLUMNS = ("id", "figure", "figure_zh", "value", "unit")


def published_precision(values: pd.Series, max_digits: int = 6) -> pd.Series:
    """Return the number of decimals each published value was printed with.

    Parameters
    ----------
    values : pandas.Series
        Published numbers (floats as read from the table).
    max_digits : int, default 6
        Upper bound on the decimals looked for.

    Returns
    -------
    pandas.Series of int
        Smallest ``d`` with ``round(value, d) == value`` (0 for integers).

    Examples
    --------
    >>> published_precision(pd.Series([46.09, 1.2, 64.0])).tolist()
    [2, 1, 0]
    """
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
    digits = np.arange(max_digits + 1)
    scaled = np.abs(v[:, None]) * 10.0 ** digits[None, :]
    exact = np.isclose(scaled, np.round(scaled), rtol=0, atol=1e-6)
    first = np.where(exact.any(axis=1), exact.argmax(axis=1), max_digits)
    return pd.Series(first, index=values.index, dtype="int64")


def count_figures(
    decl: pd.DataFrame,
    zones: pd.DataFrame | None = None,
    memoranda: pd.DataFrame | None = None,
    *,
    as_of: str | pd.Timestamp = "2010-11-20",
) -> pd.DataFrame:
    """Recompute the article's counts from declarations, zones and memoranda.

    All counts cover 1 January of the as-of year to the as-of day (累计 to date):
    F7 key enterprises (重点进出口企业) with a declaration; F13 enterprises, F14
    consignments (批次) and F15 value (亿美元) released directly (直通放行); F16
    co-building memoranda (共建合作备忘录) signed by the as-of day; F17 first-batch
    demonstration zones (示范区) launched in the as-of year.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations (``date``, ``enterprise_id``, ``value_usd``,
        ``direct_release``, ``key_enterprise``; see data/datapackage.json). A flag column
        that is absent or entirely empty (a user file without it) leaves its
        figures out: F7 without ``key_enterprise``, F13–F15 without
        ``direct_release``.
    zones, memoranda : pandas.DataFrame, optional
        The zone registry (``zone_id``, ``launch_date``, ``batch``) and the memoranda
        (``memo_id``, ``date``); their rows are left out when not given.
    as_of : str or pandas.Timestamp, default "2010-11-20"
        Last day counted.

    Returns
    -------
    pandas.DataFrame
        Indexed by figure id, columns ``value`` (float) and ``unit``.

    Raises
    ------
    SchemaError
        If a required column is missing, or a flag column is only partly filled
        (a count with unknown flags would be silently low).

    Examples
    --------
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2010-03-01", "2010-05-02", "2009-05-02"]),
    ...     "enterprise_id": ["a", "b", "a"], "value_usd": [1e7, 2e7, 5e6],
    ...     "direct_release": [True, False, False], "key_enterprise": [True, True, True]})
    >>> count_figures(decl, as_of="2010-11-20")["value"].to_dict()
    {'F7': 2.0, 'F13': 1.0, 'F14': 1.0, 'F15': 0.1}
    """
    end = pd.Timestamp(as_of)
    start = pd.Timestamp(year=end.year, month=1, day=1)
    _require(decl, ("date", "enterprise_id", "value_usd"), "declarations")
    in_year = decl.loc[decl["date"].between(start, end)]
    rows: dict[str, tuple[float, str]] = {}
    key = _flag(decl, in_year, "key_enterprise")
    if key is not None:
        rows["F7"] = (in_year.loc[key, "enterprise_id"].nunique(), "enterprises")
    direct = _flag(decl, in_year, "direct_release")
    if direct is not None:
        released = in_year.loc[direct]
        rows["F13"] = (released["enterprise_id"].nunique(), "enterprises")
        rows["F14"] = (len(released), "consignments")
        rows["F15"] = (released["value_usd"].sum() / 1e8, "亿美元")
    if memoranda is not None:
        _require(memoranda, ("memo_id", "date"), "memoranda")
        signed = memoranda.loc[memoranda["date"] <= end, "memo_id"].nunique()
        rows["F16"] = (signed, "memoranda")
    if zones is not None:
        _require(zones, ("zone_id", "launch_date", "batch"), "zones")
        launched = zones.loc[zones["launch_date"].between(start, end) & (zones["batch"] == 1)]
        rows["F17"] = (launched["zone_id"].nunique(), "zones")
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "unit"])
    out["value"] = out["value"].astype("float64")
    out["unit"] = out["unit"].astype("str")
    out.index.name = "id"
    return out


def compare_with_published(
    recomputed: pd.DataFrame | Mapping[str, float],
    published: pd.DataFrame,
) -> pd.DataFrame:
    """Set recomputed figures beside the published ones, with a pass/fail column.

    A figure passes when the recomputed value, rounded to the number of decimals
    the article printed (see :func:`published_precision`), equals the published
    value. Figures without a recomputed value are left out (the notebook says which).

    Parameters
    ----------
    recomputed : pandas.DataFrame or mapping
        Recomputed values by figure id: a frame with a ``value`` column indexed by
        id (as from :func:`count_figures`), or a mapping id -> value, in the unit
        of the published figure (亿美元, %, counts).
    published : pandas.DataFrame
        The published table (``data.load("published_figures")``).

    Returns
    -------
    pandas.DataFrame
        Indexed by id: ``figure``, ``figure_zh``, ``unit``, ``published``,
        ``recomputed`` (rounded to the published decimals), ``difference``
        (recomputed minus published, unrounded) and ``pass``.

    Raises
    ------
    ParameterError
        If a recomputed id is not in the published table.

    Examples
    --------
    >>> pub = pd.DataFrame({"id": ["F1"], "figure": ["total"], "figure_zh": ["合计"],
    ...                     "value": [46.09], "unit": ["亿美元"]})
    >>> compare_with_published({"F1": 46.0912}, pub)["pass"].tolist()
    [True]
    """
    _require(published, _PUBLISHED_COLUMNS, "published_figures")
    if isinstance(recomputed, pd.DataFrame):
        values = recomputed["value"].astype("float64")
    else:
        values = pd.Series(dict(recomputed), dtype="float64")
    pub = published.set_index("id")
    unknown = sorted(set(values.index) - set(pub.index))
    if unknown:
        raise ParameterError(
            f"figure ids {unknown} are not in the published table; expected ids such as F1..F21"
        )
    table = pub.loc[values.index, ["figure", "figure_zh", "unit"]].copy()
    table["published"] = pub.loc[values.index, "value"].astype("float64")
    digits = published_precision(table["published"])
    raw = values.reindex(table.index)
    scale = 10.0 ** digits
    table["recomputed"] = np.round(raw * scale) / scale
    table["difference"] = raw - table["published"]
    table["pass"] = np.isclose(table["recomputed"], table["published"], rtol=0, atol=1e-9)
    table.index.name = "id"
    return table


def headline_figures(headline: pd.DataFrame) -> dict[str, float]:
    """Map a headline table onto the published ids F1–F6 (亿美元 and 同比 %).

    Parameters
    ----------
    headline : pandas.DataFrame
        From ``metrics.headline_table`` (rows export/import/total, columns
        ``value_usd`` and ``growth_pct``).

    Returns
    -------
    dict
        Figure id -> value in the published unit (亿美元 for values, % for growth).

    Examples
    --------
    >>> head = pd.DataFrame({"value_usd": [2e9, 3e9, 5e9], "growth_pct": [10.0, 20.0, 16.0]},
    ...                     index=["export", "import", "total"])
    >>> headline_figures(head)["F1"]
    50.0
    """
    from .metrics import HEADLINE_FIGURES

    _require(headline, ("value_usd", "growth_pct"), "headline table")
    out: dict[str, float] = {}
    for row, (value_id, growth_id) in HEADLINE_FIGURES.items():
        out[value_id] = float(from_usd(float(headline.loc[row, "value_usd"]), "亿美元"))
        out[growth_id] = float(headline.loc[row, "growth_pct"])
    return dict(sorted(out.items(), key=lambda kv: int(kv[0][1:])))


def check_published(
    decl: pd.DataFrame,
    published: pd.DataFrame,
    *,
    zones: pd.DataFrame | None = None,
    memoranda: pd.DataFrame | None = None,
    as_of: str | pd.Timestamp = "2010-11-20",
) -> pd.DataFrame:
    """Recompute every figure the data can speak to and set it beside the article's.

    The headline figures F1–F6 (出入境货值 and 同比) come from
    ``metrics.headline_table``; the counts F7, F13–F17 from :func:`count_figures`.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations.
    published : pandas.DataFrame
        ``data.load("published_figures")``.
    zones, memoranda : pandas.DataFrame, optional
        Zone registry and memoranda (F16, F17 are left out without them).
    as_of : str or pandas.Timestamp, default "2010-11-20"
        The cut (the article's is 20 November 2010).

    Returns
    -------
    pandas.DataFrame
        As :func:`compare_with_published`, in figure order.

    Examples
    --------
    >>> import ciqanalysis as cq
    >>> table = check_published(cq.data.load_declarations("sample"),
    ...                         cq.data.load("published_figures"))
    >>> bool(table["pass"].all())
    True
    """
    from .metrics import headline_table

    head = headline_figures(headline_table(decl, as_of))
    counts = count_figures(decl, zones, memoranda, as_of=as_of)["value"].to_dict()
    values = {**head, **counts}
    ordered = sorted(values, key=lambda i: int(i[1:]))
    return compare_with_published({i: values[i] for i in ordered}, published)


def data_note(decl: pd.DataFrame) -> str:
    """Return the one-line provenance note a notebook prints above its results.

    The caption of :class:`~ciqanalysis.provenance.Provenance` (synthetic declarations,
    ``attrs["synthetic"]``, get the visible SYNTHETIC caption), then the span.

    Examples
    --------
    >>> d = pd.DataFrame({"date": pd.to_datetime(["2010-01-04"])})
    >>> d.attrs["synthetic"] = True
    >>> data_note(d)[:26]
    'SYNTHETIC sample data 合成数据'
    """
    first, last = decl["date"].min(), decl["date"].max()
    span = f"{first:%Y-%m-%d} .. {last:%Y-%m-%d}, {len(decl):,} declarations"
    prov = Provenance.from_data(decl, default_source="the user's own file")
    if prov.synthetic:
        span += "; generated by ciqanalysis.sample, calibrated to the published figures"
    return prov.note(f"{span}.")


def identity_checks(published: pd.DataFrame) -> pd.DataFrame:
    """Check the identities F1–F6 obey, allowing for the rounding of each figure.

    Each published number stands for an interval of half a unit of its last printed
    digit. An identity is *consistent* when the ranges its two sides can take over
    those intervals overlap.

    Identities: exports + imports = total (F3 + F5 = F1); the implied base values
    (隐含基期值, value / (1 + growth)) of exports and imports add up to the implied
    total base; the export and import contributions (拉动, pp) add up to the total
    growth F2 (同比). The contributions themselves are derived, not printed.

    Parameters
    ----------
    published : pandas.DataFrame
        The published table (needs F1..F6).

    Returns
    -------
    pandas.DataFrame
        One row per identity: ``lhs`` and ``rhs`` (from the printed values),
        ``difference``, the ranges ``lhs_low``..``lhs_high`` and
        ``rhs_low``..``rhs_high`` under rounding, and ``consistent`` (bool).

    Examples
    --------
    >>> import ciqanalysis as cq
    >>> identity_checks(cq.data.load("published_figures"))["lhs"].round(2).tolist()
    [46.09, 38.99, 18.22]
    """
    v = _published_values(published, ("F1", "F2", "F3", "F4", "F5", "F6"))
    half = 0.5 * 10.0 ** -published_precision(pd.Series(v)).astype("float64")

    def base(x, g):
        return x / (1 + g / 100)

    def contributions(x, gx, m, gm):
        return ((x - base(x, gx)) + (m - base(m, gm))) / (base(x, gx) + base(m, gm)) * 100

    side = tuple[tuple[str, ...], Callable[..., np.ndarray]]
    identities: list[tuple[str, side, side]] = [
        ("exports + imports = total (F3 + F5 = F1)",
         (("F3", "F5"), lambda x, m: x + m), (("F1",), lambda t: t)),
        ("implied bases add up (基期: export + import = total)",
         (("F3", "F4", "F5", "F6"), lambda x, gx, m, gm: base(x, gx) + base(m, gm)),
         (("F1", "F2"), base)),
        ("contributions add up to total growth (拉动 sum = F2)",
         (("F3", "F4", "F5", "F6"), contributions), (("F2",), lambda g: g)),
    ]
    rows = []
    for name, lhs, rhs in identities:
        (l_centre, l_low, l_high), (r_centre, r_low, r_high) = (
            _range_under_rounding(args, fn, v, half) for args, fn in (lhs, rhs)
        )
        rows.append({
            "identity": name, "lhs": l_centre, "rhs": r_centre, "difference": l_centre - r_centre,
            "lhs_low": l_low, "lhs_high": l_high, "rhs_low": r_low, "rhs_high": r_high,
            "consistent": bool(l_low <= r_high and r_low <= l_high),
        })
    return pd.DataFrame(rows).set_index("identity")


def _range_under_rounding(
    args: tuple[str, ...], fn: Callable[..., np.ndarray], v: Mapping[str, float],
    half: Mapping[str, float],
) -> tuple[float, float, float]:
    """Value of ``fn`` at the printed values, and its range over the rounding box.

    The functions used are monotone in each argument, so the extremes lie at the
    corners of the box (2**k points for k arguments).
    """
    centre = float(fn(*(v[a] for a in args)))
    corners = np.array(list(itertools.product((-1.0, 1.0), repeat=len(args))))
    grid = np.array([v[a] for a in args]) + corners * np.array([half[a] for a in args])
    values = np.asarray(fn(*grid.T), dtype="float64")
    return centre, float(values.min()), float(values.max())


def _flag(decl: pd.DataFrame, rows: pd.DataFrame, column: str) -> np.ndarray | None:
    """Boolean mask of ``column`` on ``rows``; None when the data do not have the flag."""
    if column not in decl.columns or decl[column].isna().all():
        return None
    missing = rows[column].isna()
    if missing.any():
        raise SchemaError(
            f"{int(missing.sum())} of {len(rows)} rows have no value", file="declarations",
            column=column, expected="True or False on every row (or the column left out)",
        )
    return rows[column].astype(bool).to_numpy()


def _published_values(published: pd.DataFrame, ids: tuple[str, ...]) -> dict[str, float]:
    _require(published, _PUBLISHED_COLUMNS, "published_figures")
    pub = published.set_index("id")["value"]
    missing = [i for i in ids if i not in pub.index or pd.isna(pub.get(i))]
    if missing:
        raise SchemaError(
            f"published figures {missing} are missing", file="published_figures",
            column="value", expected="numbers for F1..F6",
        )
    return {i: float(pub[i]) for i in ids}


def _require(df: pd.DataFrame, columns: tuple[str, ...], table: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"columns {missing} are missing", file=table,
            expected=f"the columns {list(columns)} (see data/datapackage.json)",
        )
