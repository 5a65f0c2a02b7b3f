"""Loading the package's tables (数据). MINIMAL VERSION: being hardened (checksums, schema, user files).

Stable signatures other modules may rely on:

- ``load(name)`` -> pandas.DataFrame (``county_polygons`` -> geopandas.GeoDataFrame)
- ``national_trade_monthly()`` -> DataFrame indexed by a monthly PeriodIndex, columns
  ``export`` and ``import`` in US dollars (real China Customs series).
"""

from __future__ import annotations

import pandas as pd

from .paths import raw_dir, sample_dir

__all__ = ["load", "national_trade_monthly"]

_CODE_COLS = {"code_2010": str, "prefecture_code": str, "code_src": str, "county_code": str}


def load(name: str) -> pd.DataFrame:
    """Load a packaged table by name (minimal version)."""
    files = {
        "counties": raw_dir() / "jilin_counties_2010.csv",
        "county_centroids": raw_dir() / "jilin_county_centroids_2010.csv",
        "china_customs_monthly": raw_dir() / "china_customs_monthly_1983_2013.csv",
        "published_figures": raw_dir() / "published_figures.csv",
        "zone_evidence": raw_dir() / "jilin_demo_zone_evidence.csv",
        "declarations": sample_dir() / "declarations.csv.gz",
        "zones": sample_dir() / "zones.csv",
        "memoranda": sample_dir() / "memoranda.csv",
    }
    if name == "county_polygons":
        import geopandas as gpd

        gdf = gpd.read_file(raw_dir() / "jilin_counties_2010.geojson")
        gdf["code_2010"] = gdf["code_2010"].astype(str)
        return gdf
    df = pd.read_csv(files[name], dtype=_CODE_COLS)
    for col in ("date", "launch_date"):
        if col in df:
            df[col] = pd.to_datetime(df[col])
    return df


def national_trade_monthly() -> pd.DataFrame:
    """China's monthly exports and imports in US dollars (real, China Customs)."""
    raw = load("china_customs_monthly")
    idx = pd.PeriodIndex.from_fields(year=raw["year"], month=raw["month"], freq="M")
    out = pd.DataFrame(
        {"export": raw["exports_100m_usd"].to_numpy() * 1e8,
         "import": raw["imports_100m_usd"].to_numpy() * 1e8},
        index=idx,
    )
    out.index.name = "period"
    return out
