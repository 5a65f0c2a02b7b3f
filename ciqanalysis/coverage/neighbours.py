"""Neighbourhood of county-level units (相邻关系与距离).

The real 2010 polygons were simplified to about 100 m, so the borders of two
neighbours do not coincide: they meet within the simplification tolerance. Two
units are therefore *neighbours* when their polygons come within ``tolerance_m``
metres of each other, measured in a projected, metre-based CRS suited to Jilin:
:data:`JILIN_ALBERS`, an Albers equal-area conic (standard parallels 41.5 N and
45.5 N, central meridian 126.5 E, WGS 84). ``rule="queen"`` keeps every such pair
(a shared corner is enough); ``rule="rook"`` also asks the shared stretch of border
to be longer than ``min_shared_m``.

Distances between units are great-circle (haversine, Earth radius 6371.0088 km)
between polygon centroids in lon/lat.

Examples
--------
>>> from ciqanalysis.coverage import county_adjacency
>>> pairs = county_adjacency()
>>> bool(((pairs.code_a == "220621") & (pairs.code_b == "220622")).any())
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from ..errors import ParameterError, SchemaError

__all__ = [
    "JILIN_ALBERS",
    "DEFAULT_TOLERANCE_M",
    "EARTH_RADIUS_KM",
    "contiguity_pairs",
    "county_adjacency",
    "neighbour_lists",
    "weights_from_pairs",
    "haversine_km",
    "centroid_distance_km",
]

#: Projected CRS used for adjacency tolerances and areas (metres).
JILIN_ALBERS = ("+proj=aea +lat_0=43 +lon_0=126.5 +lat_1=41.5 +lat_2=45.5 "
                "+x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs")
#: Default adjacency tolerance: twice the ~100 m simplification of the polygons. On the
#: real polygons the neighbour pairs are the same for any tolerance from 10 to 300 m.
DEFAULT_TOLERANCE_M = 200.0
#: Mean Earth radius (IUGG), km.
EARTH_RADIUS_KM = 6371.0088


def contiguity_pairs(
    polygons,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    rule: str = "queen",
    min_shared_m: float | None = None,
    code_column: str = "code_2010",
    crs: str = JILIN_ALBERS,
) -> pd.DataFrame:
    """Return neighbouring pairs (邻接) of polygons, with a tolerance in metres.

    Parameters
    ----------
    polygons : GeoDataFrame
        Polygons with a code column. A geographic CRS (lon/lat) is projected to
        ``crs``; a projected CRS is used as it is; no CRS means coordinates in metres.
    tolerance_m : float
        Two polygons closer than this (metres) are neighbours (queen contiguity).
    rule : {"queen", "rook"}
        ``"rook"`` keeps only pairs whose shared border is longer than
        ``min_shared_m`` (a shared corner is not enough).
    min_shared_m : float, optional
        Rook threshold, metres; default ``4 * tolerance_m + 1``. The shared border
        is measured as the length of one polygon's boundary lying within
        ``tolerance_m`` of the other; at a corner that length is at most about
        ``2 * tolerance_m``.
    code_column : str
        The column of unit codes.
    crs : str
        The projected CRS used when ``polygons`` are in lon/lat.

    Returns
    -------
    DataFrame
        One row per unordered pair, ``code_a < code_b``: ``code_a``, ``code_b``,
        ``gap_m`` (distance between the polygons), ``shared_m`` (border length within
        the tolerance), sorted.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> g = gpd.GeoDataFrame({"code_2010": ["a", "b", "c"]},
    ...                      geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000),
    ...                                box(2000, 1000, 3000, 2000)])
    >>> contiguity_pairs(g, tolerance_m=10)[["code_a", "code_b"]].values.tolist()
    [['a', 'b'], ['b', 'c']]
    >>> len(contiguity_pairs(g, tolerance_m=10, rule="rook"))
    1
    """
    if rule not in ("queen", "rook"):
        raise ParameterError(f"unknown contiguity rule {rule!r}; expected 'queen' or 'rook'")
    if not np.isfinite(tolerance_m) or tolerance_m < 0:
        raise ParameterError(f"tolerance_m must be a distance >= 0 in metres, got {tolerance_m}")
    if code_column not in polygons.columns:
        raise SchemaError("the polygons lack a code column", file="county_polygons",
                          column=code_column, expected="one code per polygon")
    if polygons.crs is not None and polygons.crs.is_geographic:
        polygons = polygons.to_crs(crs)
    geoms = np.asarray(polygons.geometry.values, dtype=object)
    if shapely.is_empty(geoms).any() or pd.isna(geoms).any():
        raise SchemaError("empty or missing polygon geometry", file="county_polygons",
                          column="geometry", expected="one non-empty polygon per unit")
    codes = polygons[code_column].astype(str).to_numpy()
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="dwithin", distance=float(tolerance_m))
    keep = i < j
    i, j = i[keep], j[keep]
    gap = shapely.distance(geoms[i], geoms[j])
    shared = shapely.length(shapely.intersection(
        shapely.boundary(geoms[i]), shapely.buffer(geoms[j], float(tolerance_m))))
    out = pd.DataFrame({"code_a": codes[i], "code_b": codes[j], "gap_m": gap,
                        "shared_m": shared})
    swap = out["code_a"] > out["code_b"]
    out.loc[swap, ["code_a", "code_b"]] = out.loc[swap, ["code_b", "code_a"]].to_numpy()
    if rule == "rook":
        threshold = 4 * float(tolerance_m) + 1.0 if min_shared_m is None else min_shared_m
        out = out[out["shared_m"] > threshold]
    return out.sort_values(["code_a", "code_b"]).reset_index(drop=True)


@lru_cache(maxsize=8)
def _real_adjacency(tolerance_m: float, rule: str) -> pd.DataFrame:
    from ..data import load

    return contiguity_pairs(load("county_polygons"), tolerance_m=tolerance_m, rule=rule)


def county_adjacency(
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    rule: str = "queen",
    polygons=None,
) -> pd.DataFrame:
    """Return the neighbour pairs of Jilin's 60 county-level units of 2010 (相邻县).

    Parameters
    ----------
    tolerance_m : float
        Adjacency tolerance in metres, measured in :data:`JILIN_ALBERS`.
    rule : {"queen", "rook"}
        Contiguity rule, see :func:`contiguity_pairs`.
    polygons : GeoDataFrame, optional
        Polygons to use instead of the packaged real ones (``county_polygons``).

    Returns
    -------
    DataFrame
        As :func:`contiguity_pairs` (a copy; the packaged result is cached).

    Examples
    --------
    >>> len(county_adjacency()) > 100
    True
    """
    if polygons is not None:
        return contiguity_pairs(polygons, tolerance_m=tolerance_m, rule=rule)
    return _real_adjacency(float(tolerance_m), rule).copy()


def neighbour_lists(pairs: pd.DataFrame, codes) -> dict[str, list[str]]:
    """Return each unit's sorted neighbours, restricted to ``codes`` (islands -> []).

    Parameters
    ----------
    pairs : DataFrame
        Unordered pairs ``code_a``, ``code_b``.
    codes : sequence of str
        The units to keep (a universe); pairs with a unit outside are dropped.

    Returns
    -------
    dict
        Code -> list of neighbour codes.

    Examples
    --------
    >>> p = pd.DataFrame({"code_a": ["a", "b"], "code_b": ["b", "c"]})
    >>> neighbour_lists(p, ["a", "b", "c", "d"])
    {'a': ['b'], 'b': ['a', 'c'], 'c': ['b'], 'd': []}
    """
    codes = [str(c) for c in codes]
    both = pd.concat([pairs[["code_a", "code_b"]],
                      pairs[["code_b", "code_a"]].set_axis(["code_a", "code_b"], axis=1)])
    both = both[both["code_a"].isin(codes) & both["code_b"].isin(codes)]
    grouped = both.groupby("code_a")["code_b"].agg(lambda s: sorted(s))
    return {c: list(grouped.get(c, [])) for c in codes}


def weights_from_pairs(pairs: pd.DataFrame, codes):
    """Return binary libpysal spatial weights (空间权重) for ``codes`` from neighbour pairs.

    Parameters
    ----------
    pairs : DataFrame
        Unordered pairs ``code_a``, ``code_b``.
    codes : sequence of str
        The units, in the order of the variable the weights will be used with.

    Returns
    -------
    libpysal.weights.W
        Binary, symmetric; units without a neighbour in ``codes`` are islands.

    Examples
    --------
    >>> p = pd.DataFrame({"code_a": ["a"], "code_b": ["b"]})
    >>> float(weights_from_pairs(p, ["a", "b"]).s0)
    2.0
    """
    import warnings

    from libpysal.weights import W

    nbrs = neighbour_lists(pairs, codes)
    with warnings.catch_warnings():  # islands are reported by the callers
        warnings.simplefilter("ignore", UserWarning)
        return W(nbrs, id_order=[str(c) for c in codes], silence_warnings=True)


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km (大圆距离) between points in degrees (broadcasts).

    Examples
    --------
    >>> round(float(haversine_km(0, 0, 0, 1)), 1)
    111.2
    """
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(a, dtype=float))
                              for a in (lon1, lat1, lon2, lat2))
    h = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def centroid_distance_km(centroids: pd.DataFrame | None = None, codes=None,
                         lon: str = "centroid_lon", lat: str = "centroid_lat") -> pd.DataFrame:
    """Return the matrix of great-circle distances (km) between unit centroids (质心).

    Parameters
    ----------
    centroids : DataFrame, optional
        ``code_2010`` with lon/lat columns (``data.load("county_centroids")`` when None).
    codes : sequence of str, optional
        Units to keep, in this order (all when None).
    lon, lat : str
        The coordinate columns (degrees, WGS 84).

    Returns
    -------
    DataFrame
        Square, indexed and columned by ``code_2010``; zero on the diagonal.

    Examples
    --------
    >>> d = centroid_distance_km(codes=["220621", "220622"])
    >>> bool(20 < d.loc["220621", "220622"] < 120)
    True
    """
    if centroids is None:
        from ..data import load

        centroids = load("county_centroids")
    c = centroids.assign(code_2010=centroids["code_2010"].astype(str)).set_index("code_2010")
    if codes is not None:
        codes = [str(x) for x in codes]
        missing = sorted(set(codes) - set(c.index))
        if missing:
            raise SchemaError(f"no centroid for unit(s) {missing}", file="county_centroids",
                              column="code_2010", expected="one row per county code")
        c = c.loc[codes]
    x, y = c[lon].to_numpy(float), c[lat].to_numpy(float)
    d = haversine_km(x[:, None], y[:, None], x[None, :], y[None, :])
    return pd.DataFrame(d, index=c.index.rename("code_2010"), columns=c.index.rename(None))
