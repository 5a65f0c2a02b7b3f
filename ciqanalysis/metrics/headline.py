"""The article's headline table (出入境货值、同比、拉动), from declarations or from the figures.

The Jilin CIQ year review (AQSIQ, 2010-11-25) reports, for 1 January .. 20 November
2010 against the same days of 2009: total, exports (出境) and imports (进境) in
亿美元 with their year-on-year growth. Contributions (拉动) follow from the implied
base values (``base = value / (1 + growth)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError, SchemaError
from ..units import direction_label, from_usd, to_usd

__all__ = ["headline_table", "headline_from_published", "HEADLINE_FIGURES"]

#: Published figure ids of the headline table: (value id, growth id) by row.
HEADLINE_FIGURES = {"export": ("F3", "F4"), "import": ("F5", "F6"), "total": ("F1", "F2")}

_ROWS = ["export", "import", "total"]


def _finish(value: pd.Series, base: pd.Series) -> pd.DataFrame:
    """Build the table from component values and bases (export, import) in USD."""
    value = value.reindex(["export", "import"])
    base = base.reindex(["export", "import"])
    total_base = float(base.sum())
    out = pd.DataFrame(index=pd.Index(_ROWS, name="direction"))
    out["label"] = [direction_label(d) for d in _ROWS]
    out["value_usd"] = [*value.to_numpy(), float(value.sum())]
    out["base_usd"] = [*base.to_numpy(), total_base]
    out["change_usd"] = out["value_usd"] - out["base_usd"]
    b = out["base_usd"].where(out["base_usd"] != 0)
    out["growth_pct"] = (out["value_usd"] / b - 1.0) * 100.0
    contrib = out["change_usd"].iloc[:2] / total_base * 100.0 if total_base != 0 \
        else pd.Series([np.nan, np.nan], index=["export", "import"])
    out["contribution_pp"] = [*contrib.to_numpy(), float(contrib.sum())]
    out["value_yi"] = from_usd(out["value_usd"], "亿美元")
    out["base_yi"] = from_usd(out["base_usd"], "亿美元")
    return out[["label", "value_usd", "value_yi", "base_usd", "base_yi", "change_usd",
                "growth_pct", "contribution_pp"]]


def headline_table(decl: pd.DataFrame, as_of="2010-11-20") -> pd.DataFrame:
    """Headline table (出入境货值、同比、拉动) of a year-to-date cut, from declarations.

    Parameters
    ----------
    decl : pandas.DataFrame
        Declarations (``cq.data.load("declarations")`` or the user's own).
    as_of : date-like, default "2010-11-20"
        Last day included (the article's cut).

    Returns
    -------
    pandas.DataFrame
        Rows ``export``, ``import``, ``total``; columns ``label``, ``value_usd``,
        ``value_yi`` (亿美元), ``base_usd``, ``base_yi`` (same days a year earlier),
        ``change_usd``, ``growth_pct`` (同比, %) and ``contribution_pp`` (拉动, pp;
        the total row is the sum, equal to total growth).

    Examples
    --------
    >>> import pandas as pd
    >>> decl = pd.DataFrame({
    ...     "date": pd.to_datetime(["2009-01-05", "2009-03-01", "2010-02-01", "2010-11-02"]),
    ...     "direction": ["export", "import", "export", "import"],
    ...     "value_usd": [100.0, 300.0, 150.0, 330.0]})
    >>> headline_table(decl, "2010-11-20")[["growth_pct", "contribution_pp"]].round(1)
    ...     # doctest: +NORMALIZE_WHITESPACE
               growth_pct  contribution_pp
    direction
    export           50.0             12.5
    import           10.0              7.5
    total            20.0             20.0
    """
    from ..panel import ytd_cut

    cut = ytd_cut(decl, as_of, by="direction")
    unknown = sorted(set(map(str, cut.index)) - {"export", "import"})
    if unknown:
        raise SchemaError(f"unknown direction value(s) {unknown}", column="direction",
                          expected="'export' or 'import'")
    return _finish(cut["current"].reindex(["export", "import"], fill_value=0.0),
                   cut["base"].reindex(["export", "import"], fill_value=0.0))


def headline_from_published(figures: pd.DataFrame) -> pd.DataFrame:
    """Headline table recovered from the published figures (F1-F6), with implied bases.

    Implied base = value / (1 + growth / 100) for exports (F3, F4) and imports
    (F5, F6); the total base is their sum, and contributions (拉动) are each
    direction's change over that total base, so they add up to the total growth
    implied by the components (18.22 % to two decimals, as F2 says).

    Parameters
    ----------
    figures : pandas.DataFrame
        The published figures table, ``cq.data.load("published_figures")``
        (columns ``id``, ``value``, ``unit``).

    Returns
    -------
    pandas.DataFrame
        As :func:`headline_table` (the total's base is the sum of the direction
        bases), plus ``published_value_usd`` and ``published_growth_pct`` (the figures
        as printed), ``implied_base_usd`` (each row's own ``value / (1 + g)``; for
        the total, from F1 and F2) and ``source_ids``.

    Examples
    --------
    >>> import pandas as pd
    >>> figs = pd.DataFrame({"id": ["F1", "F2", "F3", "F4", "F5", "F6"],
    ...                      "value": [46.09, 18.22, 19.91, 22.99, 26.18, 14.84],
    ...                      "unit": ["亿美元", "%", "亿美元", "%", "亿美元", "%"]})
    >>> headline_from_published(figs)["contribution_pp"].round(2).tolist()
    [9.55, 8.68, 18.22]
    """
    if not isinstance(figures, pd.DataFrame) or not {"id", "value", "unit"} <= set(figures):
        raise SchemaError("expected the published figures table with columns id, value, unit",
                          hint="load it with cq.data.load('published_figures')")
    ids = [i for pair in HEADLINE_FIGURES.values() for i in pair]
    figs = figures.set_index(figures["id"].astype("str"))
    missing = [i for i in ids if i not in figs.index]
    if missing:
        raise SchemaError(f"published figures lack id(s) {missing}", column="id")
    vals = pd.to_numeric(figs.loc[ids, "value"], errors="coerce")
    if vals.isna().any():
        raise SchemaError(f"non-numeric published value(s) for {list(vals.index[vals.isna()])}",
                          column="value")
    money, growth = {}, {}
    for row, (vid, gid) in HEADLINE_FIGURES.items():  # three rows of a fixed table
        if str(figs.loc[gid, "unit"]).strip() != "%":
            raise SchemaError(f"figure {gid} should be a growth rate in %", column="unit")
        money[row] = to_usd(float(vals[vid]), str(figs.loc[vid, "unit"]))
        growth[row] = float(vals[gid])
    if min(growth.values()) <= -100:
        raise ParameterError("a growth rate of -100 % or less leaves no implied base")
    value = pd.Series({d: money[d] for d in ("export", "import")})
    base = pd.Series({d: money[d] / (1.0 + growth[d] / 100.0) for d in ("export", "import")})
    out = _finish(value, base)
    out["published_value_usd"] = [money[r] for r in _ROWS]
    out["published_growth_pct"] = [growth[r] for r in _ROWS]
    # Each row's own implied base; for the total (F1/F2) it differs from the sum of
    # the direction bases only by the rounding of the printed figures.
    out["implied_base_usd"] = [money[r] / (1.0 + growth[r] / 100.0) for r in _ROWS]
    out["source_ids"] = ["/".join(HEADLINE_FIGURES[r]) for r in _ROWS]
    return out
