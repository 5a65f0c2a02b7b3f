"""Adjacency, reach and join counts on hand-made geometries and on the real polygons."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon, box

import ciqanalysis as cq
from ciqanalysis.coverage import (
    Reach,
    contiguity_pairs,
    county_adjacency,
    county_indicators,
    haversine_km,
    join_count_test,
    neighbour_lists,
)
from ciqanalysis.errors import ParameterError

SIDE = 1000.0  # metres


def grid(n: int = 3, side: float = SIDE) -> gpd.GeoDataFrame:
    """n x n unit squares in metres, codes c0..c8 row by row from the top left."""
    cells = [box(c * side, -(r + 1) * side, (c + 1) * side, -r * side)
             for r in range(n) for c in range(n)]
    return gpd.GeoDataFrame({"code_2010": [f"c{i}" for i in range(n * n)]}, geometry=cells)


def pairset(pairs: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(pairs["code_a"], pairs["code_b"], strict=True))


# ---------------------------------------------------------------- hand geometries
def test_grid_rook_and_queen_pairs_by_hand():
    g = grid()
    rook = pairset(contiguity_pairs(g, tolerance_m=1.0, rule="rook"))
    queen = pairset(contiguity_pairs(g, tolerance_m=1.0, rule="queen"))
    horizontal = {(f"c{3 * r + c}", f"c{3 * r + c + 1}") for r in range(3) for c in range(2)}
    vertical = {(f"c{3 * r + c}", f"c{3 * r + c + 3}") for r in range(2) for c in range(3)}
    diagonal = {("c0", "c4"), ("c1", "c3"), ("c1", "c5"), ("c2", "c4"),
                ("c3", "c7"), ("c4", "c6"), ("c4", "c8"), ("c5", "c7")}
    assert rook == horizontal | vertical
    assert len(rook) == 12
    assert queen == rook | diagonal
    assert len(queen) == 20
    nb = neighbour_lists(contiguity_pairs(g, tolerance_m=1.0), g["code_2010"])
    assert len(nb["c4"]) == 8 and len(nb["c0"]) == 3


def test_rook_threshold_scales_with_tolerance():
    # with a 100 m tolerance, a corner touch has ~200 m of "shared" border: still not rook
    g = grid()
    rook = contiguity_pairs(g, tolerance_m=100.0, rule="rook")
    assert len(rook) == 12
    corner = contiguity_pairs(g, tolerance_m=100.0).set_index(["code_a", "code_b"])
    assert corner.loc[("c0", "c4"), "shared_m"] == pytest.approx(200.0, rel=0.05)
    assert corner.loc[("c0", "c1"), "shared_m"] == pytest.approx(SIDE + 200.0, rel=0.05)


def test_ring_of_sectors():
    ring = Point(0, 0).buffer(5000, 32).difference(Point(0, 0).buffer(2000, 32))
    k = 6
    sectors = []
    for i in range(k):
        a0, a1 = 2 * math.pi * i / k, 2 * math.pi * (i + 1) / k
        wedge = Polygon([(0, 0), (9000 * math.cos(a0), 9000 * math.sin(a0)),
                         (9000 * math.cos((a0 + a1) / 2), 9000 * math.sin((a0 + a1) / 2)),
                         (9000 * math.cos(a1), 9000 * math.sin(a1))])
        sectors.append(ring.intersection(wedge))
    g = gpd.GeoDataFrame({"code_2010": [f"s{i}" for i in range(k)]}, geometry=sectors)
    pairs = contiguity_pairs(g, tolerance_m=5.0)
    expected = {tuple(sorted((f"s{i}", f"s{(i + 1) % k}"))) for i in range(k)}
    assert pairset(pairs) == expected
    # alternating coverage around the ring: every join is mixed
    ind = pd.DataFrame({"code_2010": g["code_2010"], "has_zone": [True, False] * 3})
    jc = join_count_test(ind, pairs=pairs, permutations=49, seed=3)
    assert (jc.bb, jc.bw, jc.ww, jc.joins) == (0.0, 6.0, 0.0, 6.0)


@pytest.mark.parametrize(("gap", "tol", "neighbours"),
                         [(50.0, 100.0, True), (50.0, 20.0, False), (150.0, 100.0, False),
                          (0.0, 0.0, True)])
def test_gap_against_tolerance(gap, tol, neighbours):
    g = gpd.GeoDataFrame({"code_2010": ["a", "b"]},
                         geometry=[box(0, 0, SIDE, SIDE), box(SIDE + gap, 0, 2 * SIDE + gap, SIDE)])
    pairs = contiguity_pairs(g, tolerance_m=tol)
    assert (len(pairs) == 1) is neighbours
    if neighbours:
        assert pairs["gap_m"].iloc[0] == pytest.approx(gap)


def test_tolerance_in_metres_when_lon_lat():
    # two squares 0.001 degrees of longitude apart at 43.5 N: about 81 m
    dx = 0.001
    g = gpd.GeoDataFrame({"code_2010": ["a", "b"]}, crs="EPSG:4326",
                         geometry=[box(126.0, 43.5, 126.1, 43.6),
                                   box(126.1 + dx, 43.5, 126.2 + dx, 43.6)])
    assert len(contiguity_pairs(g, tolerance_m=120.0)) == 1
    assert len(contiguity_pairs(g, tolerance_m=50.0)) == 0


def test_bad_contiguity_parameters():
    with pytest.raises(ParameterError):
        contiguity_pairs(grid(), rule="bishop")
    with pytest.raises(ParameterError):
        contiguity_pairs(grid(), tolerance_m=-1)


def test_join_counts_grid_by_hand():
    g = grid()
    ind = pd.DataFrame({"code_2010": g["code_2010"], "has_zone": [True] * 3 + [False] * 6})
    rook = join_count_test(ind, pairs=contiguity_pairs(g, tolerance_m=1, rule="rook"),
                           permutations=99, seed=1)
    assert (rook.bb, rook.bw, rook.ww, rook.joins) == (2.0, 3.0, 7.0, 12.0)
    queen = join_count_test(ind, pairs=contiguity_pairs(g, tolerance_m=1), permutations=99,
                            seed=1)
    assert (queen.bb, queen.bw, queen.ww, queen.joins) == (2.0, 7.0, 11.0, 20.0)
    # under random labelling E[BB] = J * k(k-1) / (n(n-1)) = 20 * 6 / 72
    assert queen.mean_bb == pytest.approx(20 * 6 / 72, abs=0.5)


def test_join_counts_seeded_and_global_state_restored():
    g = grid()
    ind = pd.DataFrame({"code_2010": g["code_2010"],
                        "has_zone": [True, True, False, True, False, False, False, False, True]})
    pairs = contiguity_pairs(g, tolerance_m=1)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    a = join_count_test(ind, pairs=pairs, permutations=99, seed=7)
    after = np.random.get_state()[1]
    b = join_count_test(ind, pairs=pairs, permutations=99, seed=7)
    assert np.array_equal(before, after)
    assert (a.p_sim_bb, a.mean_bb) == (b.p_sim_bb, b.mean_bb)


def hand_world():
    """A 3 x 3 grid as a tiny province: county table, polygons (metres), centroids."""
    g = grid()
    codes = [f"2299{i:02d}" for i in range(9)]
    g["code_2010"] = codes
    counties = pd.DataFrame({
        "code_2010": codes, "name_zh": [f"县{i}" for i in range(9)],
        "name_en": [f"County {i}" for i in range(9)], "prefecture_code": "229900",
        "prefecture_zh": "甲市", "prefecture_en": "P City", "level_en": "county"})
    # centroids 0.02 degrees apart (lat ~2.2 km, lon ~1.6 km at 43.5 N)
    r, c = np.divmod(np.arange(9), 3)
    centroids = pd.DataFrame({"code_2010": codes, "centroid_lon": 126 + 0.02 * c,
                              "centroid_lat": 43.5 - 0.02 * r})
    return counties, g, centroids


def _empty_memo():
    return pd.DataFrame({"memo_id": [], "counterpart_type": [], "counterpart_level": [],
                         "county_code": [], "date": []})


def _zone(code):
    return pd.DataFrame({"zone_id": ["Z1"], "product_group": ["ginseng"],
                         "product_zh": ["人参"], "product_en": ["ginseng"],
                         "county_code": [code], "launch_date": ["2010-06-01"], "batch": [1]})


def _no_decl():
    return pd.DataFrame({"decl_id": [], "date": [], "direction": [], "product_group": [],
                         "value_usd": [], "county_code": [], "enterprise_id": []})


@pytest.mark.parametrize(("reach", "reached"), [
    (Reach(tolerance_m=1, rule="queen"), {1, 3, 4}),
    (Reach(tolerance_m=1, rule="rook"), {1, 3}),
    # distance: cell 1 is 1.61 km away, cell 3 2.22 km, cell 2 3.23 km, cell 4 2.75 km
    (Reach(tolerance_m=1, rule="rook", distance_km=2.5), {1, 3}),
    (Reach(tolerance_m=1, rule="rook", distance_km=3.0), {1, 3, 4}),
])
def test_reach_on_grid(reach, reached):
    counties, polys, cents = hand_world()
    ind = county_indicators(2010, "all", decl=_no_decl(), zones=_zone("229900"),
                            memoranda=_empty_memo(), reach=reach, counties=counties,
                            polygons=polys, centroids=cents)
    got = {int(c[-2:]) for c in ind.loc[ind["reached_by_zone"], "code_2010"]}
    assert got == reached
    assert ind["has_zone"].sum() == 1
    assert ind["zone_or_reached"].sum() == 1 + len(reached)
    d = ind.set_index("code_2010")["nearest_other_zone_km"]
    assert d["229901"] == pytest.approx(float(haversine_km(126, 43.5, 126.02, 43.5)))
    assert np.isnan(d["229900"])  # no *other* zone unit


# ---------------------------------------------------------------- real polygons
@pytest.fixture(scope="module")
def real_pairs():
    return county_adjacency()


def test_real_every_unit_has_a_neighbour(real_pairs):
    codes = cq.load("counties")["code_2010"]
    nb = neighbour_lists(real_pairs, codes)
    assert len(nb) == 60
    assert min(len(v) for v in nb.values()) >= 1


def test_real_adjacency_symmetric_and_unique(real_pairs):
    assert (real_pairs["code_a"] < real_pairs["code_b"]).all()
    assert not real_pairs.duplicated(["code_a", "code_b"]).any()
    w = cq.coverage.weights_from_pairs(real_pairs, cq.load("counties")["code_2010"])
    dense = w.full()[0]
    assert np.array_equal(dense, dense.T)
    assert w.s0 == 2 * len(real_pairs)


def test_real_known_pairs(real_pairs):
    s = pairset(real_pairs)
    assert ("220621", "220622") in s   # 抚松县 - 靖宇县
    assert ("222402", "222404") in s   # 图们市 - 珲春市
    assert ("222404", "222424") in s   # 珲春市 - 汪清县
    assert ("222401", "222404") not in s  # 延吉市 does not touch 珲春市
    assert ("220102", "222404") not in s


def test_real_adjacency_stable_across_small_tolerances(real_pairs):
    # the borders meet within the ~100 m simplification: 50 m and 200 m agree
    assert pairset(county_adjacency(50.0)) == pairset(real_pairs)
    # exact touching (0 m) misses some pairs that the tolerance recovers
    assert pairset(county_adjacency(0.0)) < pairset(real_pairs)


def test_real_join_count_universe_restriction(real_pairs):
    u = cq.county_universe("county_type")
    ind = u.assign(has_zone=u["prefecture_en"].eq("Yanbian Korean Autonomous Prefecture"))
    jc = join_count_test(ind, permutations=99, seed=0)
    inside = real_pairs[real_pairs["code_a"].isin(u["code_2010"])
                        & real_pairs["code_b"].isin(u["code_2010"])]
    assert jc.joins == len(inside) < len(real_pairs)
    assert jc.n_units == 40
    # all eight Yanbian units together: strongly clustered
    assert jc.bb > jc.mean_bb and jc.p_sim_bb <= 0.05
