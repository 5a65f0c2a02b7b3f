"""The data package: descriptor, checksums, schemas and typed loading."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ciqanalysis import data
from ciqanalysis.data import schema
from ciqanalysis.errors import (
    AsOfDateError,
    ChecksumError,
    DataFileError,
    ParameterError,
    SchemaError,
)
from ciqanalysis.paths import data_dir

DATA = data_dir()
PKG = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PKG["resources"]}
REAL_TABLES = [t for t in data.TABLES if not RESOURCES[t]["synthetic"]]
SAMPLE_TABLES = [t for t in data.TABLES if RESOURCES[t]["synthetic"]]


def _needs_file(name: str) -> None:
    if not (DATA / RESOURCES[name]["path"]).exists():
        pytest.skip(f"{RESOURCES[name]['path']} not generated yet (make sample)")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ (raw + descriptor + any sample) used through CIQANALYSIS_DATA_DIR."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.tmp"))
    (target / "sample").mkdir(exist_ok=True)
    monkeypatch.setenv("CIQANALYSIS_DATA_DIR", str(target))
    return target


# --------------------------------------------------------------------------- descriptor


def test_every_file_in_data_is_described():
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*")
               if p.is_file() and p.name != "datapackage.json" and not p.name.endswith(".tmp")}
    described = {r["path"] for r in PKG["resources"]}
    assert on_disk <= described, f"files without a descriptor entry: {on_disk - described}"
    raw = {p for p in described if p.startswith("raw/")}
    assert raw <= on_disk, f"described raw files that are missing: {raw - on_disk}"
    assert set(data.TABLES) <= set(RESOURCES)


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_descriptor_entry_is_complete(name):
    res = RESOURCES[name]
    for key in ("name", "path", "title", "description", "format", "encoding", "sources",
                "licenses", "synthetic", "sha256", "bytes", "rows"):
        assert key in res, key
    assert res["sources"] and res["licenses"]
    assert res["synthetic"] is res["path"].startswith("sample/")
    if res["synthetic"]:
        assert "SYNTHETIC" in res["title"] and "SYNTHETIC" in res["description"]
    if name in data.TABLES:
        fields = res["schema"]["fields"]
        assert res["schema"]["primaryKey"]
        assert set(res["schema"]["primaryKey"]) <= {f["name"] for f in fields}
        for f in fields:
            assert {"name", "type", "description"} <= set(f)
            assert f["type"] in {"string", "number", "integer", "boolean", "date", "geometry"}
            if "usd" in f["name"] or "loadedAs" in f:
                assert f.get("unit"), f"money field {f['name']} has no unit"


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_recorded_checksum_bytes_and_rows_match_the_file(name):
    res = RESOURCES[name]
    path = DATA / res["path"]
    if res.get("checksum", True) is False:
        assert res["sha256"] is None and path.exists()  # hand-edited documentation
        return
    if not path.exists():
        pytest.skip(f"{res['path']} not generated yet")
    assert data.sha256_of(path) == res["sha256"]
    assert path.stat().st_size == res["bytes"]
    if res["format"] == "csv":
        assert len(pd.read_csv(path, dtype=str, encoding=res["encoding"])) == res["rows"]


def test_describe_returns_a_copy_and_is_synthetic():
    d = data.describe("counties")
    d["synthetic"] = True
    assert data.describe("counties")["synthetic"] is False
    assert data.is_synthetic("declarations") and data.is_synthetic("memoranda")
    assert not data.is_synthetic("china_customs_monthly")
    with pytest.raises(ParameterError, match="no table or file named 'nope'"):
        data.describe("nope")


# --------------------------------------------------------------------------- real tables


@pytest.mark.parametrize("name", REAL_TABLES)
def test_real_tables_load_typed(name):
    df = data.load(name)
    res = RESOURCES[name]
    assert len(df) == res["rows"]
    assert df.attrs == {"table": name, "synthetic": False, "source": df.attrs["source"]}
    assert df.attrs["source"]
    for f in res["schema"]["fields"]:
        col = f.get("loadedAs", f["name"])
        assert col in df.columns
        if f["type"] == "date":
            assert pd.api.types.is_datetime64_dtype(df[col])
        elif f["type"] in ("number",):
            assert df[col].dtype == "float64"
        elif f["type"] == "integer":
            assert df[col].dtype == "int64"
        elif f["type"] == "boolean":
            assert df[col].dtype == bool
    for col in {"code_2010", "code_src", "prefecture_code", "region_code"} & set(df.columns):
        assert df[col].dropna().str.fullmatch(r"\d{6}").all(), col
    assert not [c for c in df.columns if c.endswith(("_100m_usd", "_10k_usd"))]


def test_county_polygons_is_a_geodataframe_in_wgs84():
    import geopandas as gpd

    gdf = data.load("county_polygons")
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf["code_2010"]) == set(data.load("counties")["code_2010"])


def test_counties_levels_match_sources():
    counties = data.load("counties")
    assert counties["code_2010"].is_unique and counties["code_2010"].str.len().eq(6).all()
    assert counties["level_zh"].value_counts().to_dict() == {"市辖区": 20, "县级市": 20, "县": 17, "自治县": 3}


def test_money_is_converted_to_usd():
    cc = data.load("china_customs_monthly")
    raw = pd.read_csv(DATA / RESOURCES["china_customs_monthly"]["path"])
    np.testing.assert_allclose(cc["exports_usd"], raw["exports_100m_usd"] * 1e8)
    y2010 = cc[cc["year"] == 2010]
    # 2010 sums per data/raw/SOURCES.md: 15,784.2 and 13,943.8 亿美元
    assert round(y2010["exports_usd"].sum() / 1e8, 1) == 15784.2
    assert round(y2010["imports_usd"].sum() / 1e8, 1) == 13943.8
    nbs = data.load("nbs_trade_by_firm_location")
    raw = pd.read_csv(DATA / RESOURCES["nbs_trade_by_firm_location"]["path"], encoding="utf-8-sig")
    np.testing.assert_allclose(nbs["value_usd"], raw["value"] * 1e3)
    assert nbs["region_code"].str.fullmatch(r"\d{6}").all()
    pub = data.load("published_figures").set_index("id")
    assert pub.loc["F1", "value_usd"] == pytest.approx(46.09e8)
    assert pub.loc["F15", "value_usd"] == pytest.approx(1.2e8)
    assert np.isnan(pub.loc["F2", "value_usd"])  # a growth rate is not money


def test_national_trade_monthly_keeps_its_contract():
    nt = data.national_trade_monthly()
    assert isinstance(nt.index, pd.PeriodIndex) and nt.index.freqstr == "M"
    assert nt.index.name == "period" and list(nt.columns) == ["export", "import"]
    assert str(nt.index[0]) == "1983-07" and str(nt.index[-1]) == "2013-12"
    assert nt.index.is_unique and nt.index.is_monotonic_increasing
    assert nt.loc["2010-01", "export"] == pytest.approx(data.load("china_customs_monthly")
                                                        .query("year == 2010 and month == 1")
                                                        ["exports_usd"].item())


def test_load_returns_fresh_frames():
    a = data.load("counties")
    a.loc[0, "name_zh"] = "changed"
    a.attrs["synthetic"] = True
    b = data.load("counties")
    assert b.loc[0, "name_zh"] != "changed" and b.attrs["synthetic"] is False


def test_unknown_table_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown table 'county'"):
        data.load("county")


# --------------------------------------------------------------------------- checksums


def test_tampered_raw_file_raises_checksum_error(data_copy):
    path = data_copy / "raw" / "china_customs_monthly_1983_2013.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("1983,7,1983-07-01,18.14", "1983,7,1983-07-01,18.15"), encoding="utf-8")
    with pytest.raises(ChecksumError) as err:
        data.load("china_customs_monthly")
    msg = str(err.value)
    assert "data/raw/china_customs_monthly_1983_2013.csv" in msg
    assert "git checkout" in msg
    assert err.value.file == "data/raw/china_customs_monthly_1983_2013.csv"
    # without verification the (valid) altered value loads
    assert data.load("china_customs_monthly", verify=False)["exports_usd"].iloc[0] == pytest.approx(18.15e8)


def test_schema_error_names_row_column_and_counts_others(data_copy):
    path = data_copy / "raw" / "jilin_counties_2010.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("220105", "22O105", 1)  # file row 5 (header = row 1)
    lines[9] = "X" + lines[9]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ChecksumError):
        data.load("counties")
    with pytest.raises(SchemaError) as err:
        data.load("counties", verify=False)
    assert (err.value.row, err.value.column) == (5, "code_2010")
    assert "'22O105'" in str(err.value) and "1 more" in str(err.value)
    assert "jilin_counties_2010.csv" in str(err.value)


def test_schema_error_for_a_missing_column(data_copy):
    path = data_copy / "raw" / "jilin_county_centroids_2010.csv"
    df = pd.read_csv(path, dtype=str).drop(columns=["centroid_lat"])
    df.to_csv(path, index=False)
    with pytest.raises(SchemaError, match=r"missing: \['centroid_lat'\]") as err:
        data.load("county_centroids", verify=False)
    assert err.value.file == "data/raw/jilin_county_centroids_2010.csv"


def test_schema_error_for_a_duplicate_primary_key(data_copy):
    path = data_copy / "raw" / "published_figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="duplicate primary key") as err:
        data.load("published_figures", verify=False)
    assert err.value.row == len(lines) and err.value.column == "id"


def test_update_checksums_refuses_raw_files(data_copy):
    with pytest.raises(ParameterError, match="immutable"):
        data.update_checksums(["counties"])
    with pytest.raises(ParameterError, match="immutable"):
        data.update_checksums(["data_readme"])
    assert data.update_checksums([]) == {}


def _write_fake_sample(folder: Path) -> pd.DataFrame:
    """A tiny declarations sample in the contract's columns (not the real generator's)."""
    df = pd.DataFrame({
        "decl_id": ["D1", "D2", "D3", "D4"],
        "date": ["2010-01-04", "2010-06-30", "2010-07-01", "2010-11-20"],
        "direction": ["export", "import", "export", "import"],
        "hs2": ["12", "03", "07", "44"],
        "product_group": ["ginseng", "seafood", "vegetables", "wood"],
        "value_usd": [1000.0, 2500.5, 300.0, 42.0],
        "county_code": ["220524", "222403", "220724", "220102"],
        "enterprise_id": ["E1", "E2", "E1", "E3"],
        "port": ["Changchun", "Hunchun", "Changchun", "Tumen"],
        "direct_release": [True, False, True, False],
        "key_enterprise": [False, False, True, True],
    })
    with gzip.GzipFile(folder / "declarations.csv.gz", "wb", mtime=0) as fh:
        fh.write(df.to_csv(index=False).encode("utf-8"))
    return df


def test_update_checksums_records_sample_and_tampering_says_make_sample(data_copy):
    _write_fake_sample(data_copy / "sample")
    out = data.update_checksums(["declarations"])
    res = data.describe("declarations")
    assert out == {"declarations": res["sha256"]} and res["rows"] == 4
    assert res["bytes"] == (data_copy / "sample" / "declarations.csv.gz").stat().st_size
    assert data.describe("counties")["sha256"] == RESOURCES["counties"]["sha256"]
    decl = data.load("declarations")
    assert decl.attrs["synthetic"] is True and decl["direct_release"].dtype == bool
    assert decl["value_usd"].tolist() == [1000.0, 2500.5, 300.0, 42.0]
    with open(data_copy / "sample" / "declarations.csv.gz", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ChecksumError, match="make sample"):
        data.load("declarations")


def test_update_checksums_default_covers_the_sample_only(data_copy):
    for f in (data_copy / "sample").glob("*"):
        f.unlink()
    _write_fake_sample(data_copy / "sample")
    assert list(data.update_checksums()) == ["declarations"]
    assert data.describe("data_readme")["sha256"] is None
    assert data.describe("zones")["sha256"] == RESOURCES["zones"]["sha256"]


def test_missing_sample_file_is_a_clear_error(data_copy):
    for f in (data_copy / "sample").glob("*"):
        f.unlink()
    with pytest.raises(DataFileError, match="make sample") as err:
        data.load("zones")
    assert err.value.file == "data/sample/zones.csv"


def test_load_declarations_sample_with_as_of(data_copy):
    _write_fake_sample(data_copy / "sample")
    data.update_checksums(["declarations"])
    full = data.load_declarations("sample")
    assert full.attrs["synthetic"] is True and len(full) == 4
    cut = data.load_declarations("sample", as_of="2010-06-30")
    assert cut["decl_id"].tolist() == ["D1", "D2"]
    assert cut.attrs["synthetic"] is True and cut.attrs["as_of"] == pd.Timestamp("2010-06-30")
    with pytest.raises(AsOfDateError, match="as-of date 2011-03-01 is after the last declaration 2010-11-20"):
        data.load_declarations("sample", as_of="2011-03-01")
    with pytest.raises(ParameterError, match="as_of must be a date"):
        data.load_declarations("sample", as_of="not a date")
    with pytest.raises(ParameterError, match="unit= applies to user files"):
        data.load_declarations("sample", unit="万美元")


def test_load_declarations_user_file(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("date,direction,value_usd,county_code\n2010-01-05,export,10,220102\n"
                 "2010-02-01,import,20,220182\n", encoding="utf-8")
    df = data.load_declarations(f)
    assert df.attrs["synthetic"] is False and df["value_usd"].tolist() == [10.0, 20.0]
    assert len(data.load_declarations(str(f), as_of="2010-02-01")) == 2
    with pytest.raises(AsOfDateError, match="after the last declaration 2010-02-01 in mine.csv"):
        data.load_declarations(f, as_of="2010-03-01")
    # an earlier as-of date cuts the file (the same rule as the sample), counting the rows
    cut = data.load_declarations(f, as_of="2010-01-31")
    assert cut["value_usd"].tolist() == [10.0] and cut.attrs["rows_after_as_of"] == 1
    # an as-of day without a declaration (a Saturday, a holiday week) is accepted
    assert data.load_declarations(f, as_of="2010-02-06").attrs["rows_after_as_of"] == 0
    with pytest.raises(AsOfDateError, match="before the first declaration 2010-01-05"):
        data.load_declarations(f, as_of="2009-12-31")


# --------------------------------------------------------------------------- the real sample


@pytest.mark.parametrize("name", SAMPLE_TABLES)
def test_sample_tables_load_with_contract_columns(name):
    _needs_file(name)
    df = data.load(name)
    assert df.attrs["synthetic"] is True and df.attrs["table"] == name
    for f in RESOURCES[name]["schema"]["fields"]:
        assert f["name"] in df.columns
    codes = df["county_code"].dropna()
    assert codes.isin(set(data.load("counties")["code_2010"])).all()


def test_sample_declarations_end_on_the_article_date():
    _needs_file("declarations")
    decl = data.load_declarations("sample")
    assert decl["date"].max() == pd.Timestamp("2010-11-20")
    assert set(decl["direction"]) == {"export", "import"}
    with pytest.raises(AsOfDateError, match="after the last declaration 2010-11-20"):
        data.load_declarations("sample", as_of="2011-03-01")


# --------------------------------------------------------------------------- the contract


def test_contract_is_the_descriptor_read_once():
    for res in PKG["resources"]:
        if "schema" not in res:
            continue
        tab = schema.table(res["name"])
        assert tab.names == tuple(f["name"] for f in res["schema"]["fields"])
        assert tab.primary_key == tuple(res["schema"].get("primaryKey", ()))
        assert tab.synthetic is res["synthetic"]
    assert data.DECLARATION_COLUMNS == tuple(
        f["name"] for f in RESOURCES["declarations"]["schema"]["fields"])
    assert schema.tables() is schema.tables()  # parsed once, then shared
    with pytest.raises(ParameterError, match="no table 'nope'"):
        schema.table("nope")


@pytest.mark.parametrize("name", ["counties", "china_customs_monthly", "nbs_trade_by_firm_location",
                                  "county_centroids", "zones", "memoranda"])
def test_loaded_tables_have_the_contract_columns_and_dtypes(name):
    _needs_file(name)
    df = data.load(name)
    tab = schema.table(name)
    assert tuple(df.columns[: len(tab.columns)]) == tab.columns
    assert {c: str(df[c].dtype) for c in tab.columns} == tab.dtypes


def _user_table(tmp_path, name, cells):
    """Write the packaged table ``name`` as a user's CSV with ``cells`` {(position, column): text}."""
    df = pd.read_csv(data.file_path(name), dtype=str, keep_default_na=False, na_values=[""])
    for (pos, col), text in cells.items():
        df.loc[pos, col] = text if text is not None else np.nan
    path = tmp_path / f"my_{name}.csv"
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(("name", "cells", "row", "column", "words"), [
    ("memoranda", {(1, "counterpart_type"): "govt"}, 3, "counterpart_type",
     ["value not allowed: 'govt'", "one of ['government', 'enterprise']"]),
    ("zones", {(4, "batch"): "1.5"}, 6, "batch", ["not a whole number: '1.5'", "an integer"]),
    ("zones", {(4, "batch"): "one"}, 6, "batch", ["not a number: 'one'", "an integer"]),
    ("zones", {(18, "batch"): "0", (19, "batch"): "0"}, 20, "batch",
     ["value beyond the minimum 1: '0' (1 more in this column)", "minimum 1"]),
    ("zones", {(2, "launch_date"): "2010-13-01"}, 4, "launch_date",
     ["not a date: '2010-13-01'", "a date YYYY-MM-DD"]),
    ("zones", {(7, "county_code"): None}, 9, "county_code",
     ["missing value in a required column"]),
    ("zones", {(7, "county_code"): "22O581"}, 9, "county_code",
     ["value does not match the pattern: '22O581'", "^22[0-9]{4}$"]),
    ("zones", {(3, "zone_id"): "JLZ01", (3, "county_code"): "220621"}, 5, "zone_id+county_code",
     ["duplicate primary key: 'JLZ01 / 220621'", "one row per zone_id + county_code"]),
])
def test_users_tables_are_validated_against_the_contract(tmp_path, name, cells, row, column, words):
    path = _user_table(tmp_path, name, cells)
    reader = data.read_zones if name == "zones" else data.read_memoranda
    with pytest.raises(SchemaError) as err:
        reader(path)
    msg = str(err.value)
    assert (err.value.file, err.value.row, err.value.column) == (path.name, row, column)
    for w in words:
        assert w in msg, msg


def test_first_failure_in_field_order_wins_whatever_the_row():
    res = {"name": "t", "schema": {"fields": [
        {"name": "flag", "type": "boolean"},
        {"name": "n", "type": "number", "constraints": {"maximum": 10}}]}}
    bad = pd.DataFrame({"flag": ["yes", "no", "maybe"], "n": ["99", "1", "1"]}, index=[7, 3, 5])
    with pytest.raises(SchemaError) as err:
        schema.validate(res, bad, file="t.csv", row_of=lambda i: i + 2)
    assert (err.value.row, err.value.column) == (4, "flag")
    assert "not a boolean: 'maybe'" in str(err.value) and "True or False" in str(err.value)
    bad.loc[5, "flag"] = "Y"
    with pytest.raises(SchemaError, match=r"value beyond the maximum 10: '99'") as err:
        schema.validate(res, bad, file="t.csv", row_of=lambda i: i + 2)
    assert err.value.row == 2
    out = schema.validate(res, bad.assign(n=["1", "2", "3"]), file="t.csv", row_of=lambda i: i + 2)
    assert out["flag"].tolist() == [True, False, True] and out["flag"].dtype == bool
    assert out["n"].dtype == "float64"
