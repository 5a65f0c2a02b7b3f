"""Coverage indicators per county and year (县域覆盖指标).

For one year, cut at an as-of date (截至日期; the year's end by default), each unit of
a named universe gets: a demonstration zone (示范区) and its products, a
co-building memorandum (共建备忘录), exports at all (出口), exports of a zone product,
export value and exporters, and whether a zone reaches it from next door (邻县辐射).

Examples
--------
>>> from ciqanalysis.coverage import Reach
>>> Reach(distance_km=50).describe().endswith("centroid within 50 km (great-circle)")
True
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._docstring import fill
from ..config import parse_as_of
from ..errors import AsOfDateError, DataQualityWarning, ParameterError, SchemaError, user_stacklevel
from .harmonise import CODE_RECORD_COLUMNS, harmonise_county_codes
from .neighbours import DEFAULT_TOLERANCE_M, centroid_distance_km, county_adjacency
from .universe import UNIVERSES, county_universe

__all__ = ["Reach", "county_indicators", "code_record", "reach_summary", "INDICATOR_COLUMNS"]

#: The boolean indicators a coverage rate can be computed for.
INDICATOR_COLUMNS = ("has_zone", "has_memo", "has_exports", "exports_zone_product",
                     "zone_neighbour", "zone_within_km", "reached_by_zone", "zone_or_reached")


@dataclass(frozen=True)
class Reach:
    """How far a demonstration zone reaches (示范区辐射范围).

    Parameters
    ----------
    tolerance_m : float
        Adjacency tolerance (metres, Albers CRS for Jilin) for neighbours.
    rule : {"queen", "rook"}
        Contiguity rule.
    distance_km : float, optional
        Also reached when another zone county's centroid lies within this
        great-circle distance; None = contiguity only.

    Examples
    --------
    >>> Reach().distance_km is None
    True
    """

    tolerance_m: float = DEFAULT_TOLERANCE_M
    rule: str = "queen"
    distance_km: float | None = None

    def describe(self) -> str:
        """Return the reach rule in words.

        Examples
        --------
        >>> Reach(rule="rook").describe().startswith("a zone in a neighbouring unit (rook")
        True
        """
        text = (f"a zone in a neighbouring unit ({self.rule} contiguity, tolerance "
                f"{self.tolerance_m:g} m in an Albers projection for Jilin)")
        if self.distance_km is not None:
            text += (f", or another zone unit's centroid within {self.distance_km:g} km "
                     "(great-circle)")
        return text


def _require(df: pd.DataFrame, name: str, cols: tuple[str, ...]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise SchemaError(f"the {name} table lacks column(s) {missing}", file=name,
                          expected=f"columns {list(cols)} (see docs/design.md)")


def _dates(s: pd.Series, name: str, column: str) -> pd.Series:
    try:
        out = pd.to_datetime(s)
    except (ValueError, TypeError) as exc:
        raise SchemaError(f"unreadable dates ({exc})", file=name, column=column,
                          expected="dates such as 2010-05-31") from None
    if out.isna().any():
        pos = int(out.isna().to_numpy().nonzero()[0][0])
        raise SchemaError("missing date", file=name, row=pos + 1, column=column,
                          expected="a date on every row")
    return out


def _as_of(year: int, as_of) -> pd.Timestamp:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ParameterError(f"year must be an integer such as 2010, got {year!r}")
    if as_of is None:
        return pd.Timestamp(int(year), 12, 31)
    ts = parse_as_of(as_of)
    if ts.year != year:
        raise AsOfDateError(f"as_of {ts.date()} lies outside the year {year}; expected a "
                            f"date in {year} (or None for {year}-12-31)")
    return ts.normalize()


def county_indicators(
    year: int,
    universe: str = "county_type",
    *,
    decl: pd.DataFrame | None = None,
    zones: pd.DataFrame | None = None,
    memoranda: pd.DataFrame | None = None,
    reach: Reach | None = None,
    as_of=None,
    memo_levels=None,
    counties: pd.DataFrame | None = None,
    polygons=None,
    centroids: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return coverage indicators for every unit of a universe in one year (县域覆盖).

    Parameters
    ----------
    year : int
        The calendar year.
    universe : {"county_type", "all"}
        Which units count (40 units of 县域, or all 60 of 2010); see
        :func:`county_universe`.
    decl, zones, memoranda : DataFrame, optional
        Declarations, zone registry and memoranda (column contracts in
        docs/design.md); the packaged synthetic sample when None. Later county codes
        are mapped to 2010 units and reported (``attrs["code_record"]``).
    reach : Reach, optional
        The reach rule; ``Reach()`` (queen contiguity, 200 m) when None. Zones in any
        of the 60 units reach their neighbours, whatever the universe.
    as_of : date-like, optional
        Cut-off day within ``year`` (默认 12-31): zones launched and memoranda signed
        up to that day (cumulative), exports from 1 January to that day.
    memo_levels : sequence of str, optional
        Count only memoranda whose ``counterpart_level`` is in this list (e.g.
        ``["county"]``); all levels when None. A prefecture-level memorandum counts for
        the unit in its ``county_code`` (in the sample, the prefecture's seat).
    counties, polygons, centroids : optional
        The real county table, polygons and centroids (loaded when None).

    Returns
    -------
    DataFrame
        One row per unit: names, prefecture, ``level_en``, ``is_district``,
        ``universe``, ``year``, ``as_of``; ``has_zone``, ``n_zones``,
        ``zone_products`` (English names joined by "; "); ``has_memo``, ``n_memos``;
        ``has_exports``, ``n_export_decl``, ``export_value_usd`` (USD; net of
        negative declarations, returns and corrections, which are flagged with a
        ``DataQualityWarning`` and count for nothing else), ``n_exporters``; ``exports_zone_product``; ``zone_neighbour``,
        ``nearest_other_zone_km``, ``zone_within_km``, ``reached_by_zone`` (a zone in
        another unit reaches it), ``zone_or_reached``. ``attrs`` hold the universe
        description, the reach rule, the code record (see :func:`code_record`), the
        last export day counted, and ``synthetic`` (True when an input table came
        from the synthetic sample).

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> z = pd.DataFrame({"zone_id": ["Z1"], "product_group": ["ginseng"],
    ...     "product_zh": ["人参"], "product_en": ["ginseng"], "county_code": ["220621"],
    ...     "launch_date": ["2010-06-01"], "batch": [1]})
    >>> m = pd.DataFrame({"memo_id": [], "counterpart_type": [], "counterpart_level": [],
    ...     "county_code": [], "date": []})
    >>> d = pd.DataFrame({"decl_id": ["D1"], "date": ["2010-03-01"],
    ...     "direction": ["export"], "product_group": ["ginseng"], "value_usd": [5e4],
    ...     "county_code": ["220621"], "enterprise_id": ["E1"]})
    >>> with warnings.catch_warnings():  # the toy declarations end on 2010-03-01
    ...     warnings.simplefilter("ignore")
    ...     ind = county_indicators(2010, "county_type", decl=d, zones=z, memoranda=m)
    >>> int(ind["has_zone"].sum()), bool(ind.set_index("code_2010").loc["220622",
    ...     "zone_neighbour"])
    (1, True)
    """
    cut = _as_of(year, as_of)
    reach = Reach() if reach is None else reach
    if not isinstance(reach, Reach):
        raise ParameterError("reach must be a coverage.Reach(...) or None")
    if reach.distance_km is not None and not (reach.distance_km >= 0):
        raise ParameterError(f"reach.distance_km must be >= 0 km, got {reach.distance_km}")
    from ..data import load

    counties = load("counties") if counties is None else counties
    units_all = county_universe("all", counties)
    units = county_universe(universe, counties)
    zones = load("zones") if zones is None else zones
    memoranda = load("memoranda") if memoranda is None else memoranda
    decl = load("declarations") if decl is None else decl
    _require(zones, "zones", ("zone_id", "product_group", "product_en", "county_code",
                              "launch_date"))
    _require(memoranda, "memoranda", ("memo_id", "county_code", "date"))
    _require(decl, "declarations", ("date", "direction", "product_group", "value_usd",
                                    "county_code", "enterprise_id"))

    records = []
    # zones launched by the cut-off (累计)
    z = zones.assign(launch_date=_dates(zones["launch_date"], "zones", "launch_date"))
    z = z[z["launch_date"] <= cut]
    z, rec = harmonise_county_codes(z, name="zones", counties=counties)
    records.append(rec)
    z = z[z["county_code"].notna()]
    # memoranda signed by the cut-off
    m = memoranda.assign(date=_dates(memoranda["date"], "memoranda", "date"))
    m = m[m["date"] <= cut]
    if memo_levels is not None:
        _require(memoranda, "memoranda", ("counterpart_level",))
        m = m[m["counterpart_level"].isin(list(memo_levels))]
    m, rec = harmonise_county_codes(m, name="memoranda", counties=counties)
    records.append(rec)
    m = m[m["county_code"].notna()]
    # exports from 1 January to the cut-off
    d = decl.loc[decl["direction"].astype(str).eq("export"),
                 ["date", "product_group", "value_usd", "county_code", "enterprise_id"]]
    d = d.assign(date=_dates(d["date"], "declarations", "date"))
    exports_through = cut
    if len(decl):
        from ..data import data_window  # the as-of cut ends the data, a Saturday included

        covered_to = data_window(decl.assign(date=_dates(decl["date"], "declarations", "date")))[1]
    if len(d) and covered_to < cut:
        exports_through = covered_to
        warnings.warn(f"declarations end on {exports_through.date()}, before the as-of date "
                      f"{cut.date()}: exports are counted up to {exports_through.date()}",
                      DataQualityWarning, stacklevel=user_stacklevel())
    d = d[(d["date"] >= pd.Timestamp(year, 1, 1)) & (d["date"] <= cut)]
    value = pd.to_numeric(d["value_usd"], errors="coerce")

    def named(bad: np.ndarray) -> str:
        first = d.index[bad][:1]  # named by its decl_id (a reader's ids give the file row)
        ident = (decl.loc[first, "decl_id"].iloc[0] if "decl_id" in decl.columns
                 else f"at index {first[0]}")
        shown = d["value_usd"].loc[first].iloc[0]
        shown = float(shown) if pd.api.types.is_number(shown) else shown
        return (f"{shown!r} (declaration {ident}, dated {d['date'].loc[first].iloc[0]:%Y-%m-%d}; "
                f"{int(bad.sum())} such export row(s) in {year})")

    if value.isna().any():
        raise SchemaError(f"export value missing or not a number: {named(value.isna().to_numpy())}",
                          file="declarations", column="value_usd",
                          expected="an amount in US dollars")
    if (value < 0).any():
        warnings.warn(f"negative export values (returns or corrections): {named((value < 0).to_numpy())}; "
                      "they are netted against their county's export value, and a county counts as "
                      "exporting only through declarations of zero or more",
                      DataQualityWarning, stacklevel=user_stacklevel())
    d = d.assign(value_usd=value.astype(float))
    d, rec = harmonise_county_codes(d, name="declarations", counties=counties)
    records.append(rec)
    d = d[d["county_code"].notna()]

    out = units.copy()
    out["year"] = int(year)
    out["as_of"] = cut
    codes = out["code_2010"]
    zone_agg = z.groupby("county_code").agg(
        n_zones=("zone_id", "nunique"),
        zone_products=("product_en", lambda s: "; ".join(sorted(set(map(str, s))))))
    out["n_zones"] = codes.map(zone_agg["n_zones"]).fillna(0).astype("int64")
    out["has_zone"] = out["n_zones"] > 0
    # .astype(object): with no zone the mapped column is float64 (all NaN)
    out["zone_products"] = (codes.map(zone_agg["zone_products"]).astype(object)
                            .fillna("").astype(str))
    memo_n = m.groupby("county_code")["memo_id"].nunique()
    out["n_memos"] = codes.map(memo_n).fillna(0).astype("int64")
    out["has_memo"] = out["n_memos"] > 0
    shipped = d[d["value_usd"] >= 0]  # returns and corrections (< 0) only net the value
    exp = d.groupby("county_code")["value_usd"].sum().rename("export_value_usd").to_frame().join(
        shipped.groupby("county_code").agg(n_export_decl=("value_usd", "size"),
                                           n_exporters=("enterprise_id", "nunique")))
    out["n_export_decl"] = codes.map(exp["n_export_decl"]).fillna(0).astype("int64")
    out["has_exports"] = out["n_export_decl"] > 0
    out["export_value_usd"] = codes.map(exp["export_value_usd"]).fillna(0.0).astype(float)
    out["n_exporters"] = codes.map(exp["n_exporters"]).fillna(0).astype("int64")
    zone_pg = z[["county_code", "product_group"]].astype(str).drop_duplicates()
    exp_pg = shipped[["county_code", "product_group"]].astype(str).drop_duplicates()
    match = set(exp_pg.merge(zone_pg, on=["county_code", "product_group"])["county_code"])
    out["exports_zone_product"] = codes.isin(match)

    # reach: zones in any of the 60 units reach their neighbours
    zone_units = set(z["county_code"])
    pairs = county_adjacency(reach.tolerance_m, reach.rule, polygons=polygons)
    both = pd.concat([pairs[["code_a", "code_b"]],
                      pairs[["code_b", "code_a"]].set_axis(["code_a", "code_b"], axis=1)])
    next_to_zone = set(both.loc[both["code_b"].isin(zone_units), "code_a"])
    out["zone_neighbour"] = codes.isin(next_to_zone)
    dist = centroid_distance_km(centroids, codes=units_all["code_2010"])
    cols = [c for c in dist.columns if c in zone_units]
    if cols:
        dz = dist.loc[codes, cols].to_numpy(copy=True)
        dz[np.asarray(codes)[:, None] == np.asarray(cols)[None, :]] = np.inf
        nearest = dz.min(axis=1)
        out["nearest_other_zone_km"] = np.where(np.isfinite(nearest), nearest, np.nan)
    else:
        out["nearest_other_zone_km"] = np.nan
    if reach.distance_km is None:
        out["zone_within_km"] = False
    else:
        out["zone_within_km"] = out["nearest_other_zone_km"].le(reach.distance_km)
    out["reached_by_zone"] = out["zone_neighbour"] | out["zone_within_km"]
    out["zone_or_reached"] = out["has_zone"] | out["reached_by_zone"]

    record = pd.concat([r for r in records if len(r)] or
                       [pd.DataFrame(columns=CODE_RECORD_COLUMNS)], ignore_index=True)
    out.attrs.clear()  # not the county table's provenance: these are derived indicators
    out.attrs.update({
        "synthetic": bool(any(t.attrs.get("synthetic", False)
                              for t in (decl, zones, memoranda))),
        "universe": universe, "universe_description": UNIVERSES[universe][1],
        "n_units": len(out), "year": int(year), "as_of": str(cut.date()),
        "reach": reach.describe(), "exports_through": str(exports_through.date()),
        # plain records (no DataFrame, no pd.NA): attrs must survive pd.concat
        "code_record": record.astype(object).where(record.notna(), None).to_dict("records"),
        "zones_outside_universe": sorted(zone_units - set(codes)),
    })
    return out


@fill
def code_record(ind: pd.DataFrame) -> pd.DataFrame:
    """Return the county codes that :func:`county_indicators` mapped or left unattributed.

    %(indicators_param)s
        ``table``, ``code_given``, ``code_2010``, ``action``, ``n_rows`` (代码变更记录);
        empty when every code was a 2010 county-level code.

    Examples
    --------
    >>> import pandas as pd
    >>> code_record(pd.DataFrame()).columns.tolist()
    ['table', 'code_given', 'code_2010', 'action', 'n_rows']
    """
    return pd.DataFrame(ind.attrs.get("code_record", []), columns=CODE_RECORD_COLUMNS)


@fill
def reach_summary(ind: pd.DataFrame) -> pd.DataFrame:
    """Share of units and of export value with a zone or reached by one (辐射覆盖).

    %(indicators_param)s
        Rows ``has_zone``, ``reached_by_zone`` (reached from another unit),
        ``reached_only`` (reached, no zone of its own), ``zone_or_reached``; columns
        ``n_units``, ``units_denominator``, ``share_units``, ``export_value_usd``,
        ``export_denominator_usd``, ``share_export_value`` (NaN when the universe
        exported nothing), ``universe``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = pd.DataFrame({"has_zone": [True, False, False],
    ...     "reached_by_zone": [False, True, False], "export_value_usd": [1.0, 3.0, 0.0],
    ...     "universe": "all"})
    >>> reach_summary(ind).loc["zone_or_reached", "share_export_value"]
    np.float64(1.0)
    """
    _require(ind, "indicators", ("has_zone", "reached_by_zone", "export_value_usd"))
    flags = pd.DataFrame({
        "has_zone": ind["has_zone"].astype(bool),
        "reached_by_zone": ind["reached_by_zone"].astype(bool),
        "reached_only": ind["reached_by_zone"].astype(bool) & ~ind["has_zone"].astype(bool),
        "zone_or_reached": ind["has_zone"].astype(bool) | ind["reached_by_zone"].astype(bool),
    })
    value = ind["export_value_usd"].astype(float).to_numpy()
    total = float(value.sum())
    out = pd.DataFrame({
        "n_units": flags.sum().astype("int64"),
        "units_denominator": len(ind),
        "share_units": flags.mean() if len(ind) else np.nan,
        "export_value_usd": flags.apply(lambda f: float(value[f.to_numpy()].sum())),
        "export_denominator_usd": total,
    })
    out["share_export_value"] = out["export_value_usd"] / total if total > 0 else np.nan
    out["universe"] = (str(ind["universe"].iloc[0]) if "universe" in ind and len(ind)
                       else ind.attrs.get("universe", "unknown"))
    return out
