"""County maps (县域地图): choropleths of coverage and of zone reach.

Each function draws the real 2010 county polygons coloured by indicators computed
by :mod:`ciqanalysis.coverage` (it computes nothing itself) and returns the
matplotlib Figure. County labels are bilingual when a CJK font is installed, English
otherwise (no missing-glyph warnings). ``synthetic=True`` writes the synthetic-data
note on the map.

Examples
--------
>>> import pandas as pd
>>> from ciqanalysis.plots.maps import plot_coverage_map
>>> ind = pd.DataFrame({"code_2010": ["220621"], "name_en": ["Fusong County"],
...                     "name_zh": ["抚松县"], "has_zone": [True]})
>>> fig = plot_coverage_map(ind, labels=False)
>>> len(fig.axes)
1
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke

from .._docstring import fill, register
from ..errors import SchemaError
from ..provenance import SYNTHETIC_CAPTION
from ._style import font_family, label

__all__ = ["plot_coverage_map", "plot_reach_map", "INDICATOR_NAMES"]

register(
    map_synthetic_labels="""
        synthetic : bool, optional
            Write the synthetic caption (:attr:`ciqanalysis.provenance.Provenance.label`)
            on the map; None = ``ind.attrs["synthetic"]``, True when that is unknown.
        labels : bool
            Label the units (bilingual when a CJK font exists).
    """,
    map_ax_returns="""
        ax : matplotlib Axes, optional
            Axes to draw into.

        Returns
        -------
        matplotlib.figure.Figure
            The figure.
    """,
)

_OUTSIDE = "outside the universe"
#: Legend and title words for the indicators of ``coverage.county_indicators``.
INDICATOR_NAMES = {
    "has_zone": "demonstration zone",
    "has_memo": "co-building memorandum",
    "has_exports": "exports (any product)",
    "exports_zone_product": "exports a zone product",
    "zone_neighbour": "zone in a neighbouring unit",
    "zone_within_km": "zone within the distance",
    "reached_by_zone": "reached by another unit's zone",
    "zone_or_reached": "zone or reached",
}
_GREY = "#e6e6e6"


def _category_map(ind: pd.DataFrame, category: pd.Series, colours: dict[str, str],
                  title: str, polygons, synthetic: bool, labels: bool, ax) -> Figure:
    if polygons is None:
        from ..data import load

        polygons = load("county_polygons")
    geo = polygons[["code_2010", "geometry"]].copy()
    geo["code_2010"] = geo["code_2010"].astype(str)
    cat = pd.Series(category.to_numpy(), index=ind["code_2010"].astype(str).to_numpy())
    geo["category"] = geo["code_2010"].map(cat).fillna(_OUTSIDE).astype(str)
    colours = {**colours, _OUTSIDE: _GREY}
    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 6.5))
    else:
        fig = ax.figure
    for name, colour in colours.items():
        part = geo[geo["category"] == name]
        if len(part):
            part.plot(ax=ax, color=colour, edgecolor="#8c8c8c", linewidth=0.3,
                      hatch="///" if name == _OUTSIDE else None)
    handles = [Patch(facecolor=c, edgecolor="grey", label=f"{n} ({int((geo['category'] == n).sum())})")
               for n, c in colours.items() if (geo["category"] == n).any()]
    ax.legend(handles=handles, loc="lower left", frameon=False,
              prop={"family": font_family(), "size": 7})
    if labels and {"name_en", "name_zh"} <= set(ind.columns):
        pts = geo.set_index("code_2010").geometry.representative_point()
        names = ind.assign(code_2010=ind["code_2010"].astype(str)).set_index("code_2010")
        family = font_family()
        for code, pt in pts.loc[pts.index.intersection(names.index)].items():
            ax.annotate(label(str(names.at[code, "name_en"]).replace(" County", ""),
                              str(names.at[code, "name_zh"])),
                        (pt.x, pt.y), ha="center", va="center", fontsize=4.5,
                        color="#222222", path_effects=[withStroke(linewidth=1.2, foreground="white")],
                        fontfamily=family)
    ax.set_title("\n".join(textwrap.wrap(title, 80, replace_whitespace=False)),
                 fontsize=9, fontfamily=font_family())
    ax.set_axis_off()
    ax.set_aspect(1 / np.cos(np.radians(43.5)))
    if synthetic is None:
        synthetic = bool(ind.attrs.get("synthetic", True))
    if synthetic:
        fig.text(0.01, 0.01, SYNTHETIC_CAPTION, fontsize=7, color="#b00020", ha="left",
                 fontfamily=font_family())
    return fig


@fill
def plot_coverage_map(ind: pd.DataFrame, indicator: str = "has_zone", *, polygons=None,
                 synthetic: bool | None = None, labels: bool = True, title: str | None = None,
                 ax=None) -> Figure:
    """Draw a choropleth of one coverage indicator (覆盖地图).

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`ciqanalysis.coverage.county_indicators` (``code_2010``, names
        and the indicator); units not in it are drawn grey as outside the universe.
    indicator : str
        Boolean column, e.g. ``has_zone``, ``has_exports``, ``has_memo``.
    polygons : GeoDataFrame, optional
        The real 2010 polygons (``data.load("county_polygons")`` when None).
    %(map_synthetic_labels)s
    title : str, optional
        Title; a default names the indicator, year and universe.
    %(map_ax_returns)s

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"code_2010": ["220621"], "has_exports": [False]})
    >>> plot_coverage_map(ind, "has_exports", labels=False, synthetic=False).axes[0].get_title()
    'exports (any product)'
    """
    if "code_2010" not in ind.columns or indicator not in ind.columns:
        raise SchemaError("the indicators need code_2010 and the indicator column",
                          file="indicators", column=indicator,
                          expected="output of county_indicators()")
    name = INDICATOR_NAMES.get(indicator, indicator)
    yes, no = f"{name}: yes", f"{name}: no"
    cat = pd.Series(np.where(ind[indicator].astype(bool), yes, no), index=ind.index)
    if title is None:
        bits = [name]
        if "year" in ind.columns and len(ind):
            bits.append(str(int(ind["year"].iloc[0])))
        if "universe" in ind.columns and len(ind):
            bits.append(f"universe {ind['universe'].iloc[0]} (n={len(ind)})")
        title = ", ".join(bits)
    return _category_map(ind, cat, {yes: "#1b7837", no: "#f1b6da"}, title, polygons,
                         synthetic, labels, ax)


@fill
def plot_reach_map(ind: pd.DataFrame, *, polygons=None, synthetic: bool | None = None,
              labels: bool = True, title: str | None = None, ax=None) -> Figure:
    """Draw zone units, units reached from a neighbour, and the rest (示范区辐射地图).

    Parameters
    ----------
    ind : DataFrame
        Output of :func:`ciqanalysis.coverage.county_indicators` (``has_zone``,
        ``reached_by_zone``).
    polygons : GeoDataFrame, optional
        The real 2010 polygons (loaded when None).
    %(map_synthetic_labels)s
    title : str, optional
        Title; a default names the reach rule when known.
    %(map_ax_returns)s

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"code_2010": ["220621", "220622"], "has_zone": [True, False],
    ...                     "reached_by_zone": [False, True]})
    >>> fig = plot_reach_map(ind, labels=False)
    >>> len(fig.axes[0].get_legend().get_texts())
    3
    """
    need = {"code_2010", "has_zone", "reached_by_zone"}
    if not need <= set(ind.columns):
        raise SchemaError(f"missing column(s) {sorted(need - set(ind.columns))}",
                          file="indicators", expected="output of county_indicators()")
    zone = ind["has_zone"].astype(bool).to_numpy()
    reached = ind["reached_by_zone"].astype(bool).to_numpy()
    names = ("has a zone (示范区)",
             "reached by another unit's zone", "no zone, not reached")
    cat = pd.Series(np.select([zone, reached], names[:2], names[2]), index=ind.index)
    if title is None:
        title = "Demonstration zones and their reach"
        if ind.attrs.get("reach"):
            title += ": reached = " + ind.attrs["reach"]
    return _category_map(ind, cat, dict(zip(names, ("#1b7837", "#a6dba0", "#f7f7f7"),
                                            strict=True)),
                         title, polygons, synthetic, labels, ax)
