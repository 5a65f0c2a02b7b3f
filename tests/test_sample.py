"""Tests of the SYNTHETIC sample generator and of the committed data/sample files.

The published figures are recomputed here with plain pandas from the written files,
independently of the package's metric functions.
"""

from __future__ import annotations

import gzip
import json

import holidays
import numpy as np
import pandas as pd
import pytest

from ciqanalysis import labels, sample
from ciqanalysis.errors import CIQError, ParameterError
from ciqanalysis.paths import data_dir, raw_dir, sample_dir


def _contract(name: str) -> list[dict]:
    """A table's fields as data/datapackage.json lists them (read here with json alone)."""
    pkg = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    return next(r for r in pkg["resources"] if r["name"] == name)["schema"]["fields"]


DECL_COLUMNS = [f["name"] for f in _contract("declarations")]
STR_COLS = {f["name"]: str for t in ("declarations", "zones", "memoranda")
            for f in _contract(t) if f["type"] == "string"}
WIN_2010 = ("2010-01-01", "2010-11-20")
WIN_2009 = ("2009-01-01", "2009-11-20")
JCT_PREFECTURES = {"220100", "220200", "222400"}  # 长吉图: Changchun, Jilin, Yanbian


def _read(name: str, date_column: str) -> pd.DataFrame:
    df = pd.read_csv(sample_dir() / name, dtype=STR_COLS, keep_default_na=False)
    df[date_column] = pd.to_datetime(df[date_column], format="%Y-%m-%d")
    return df


@pytest.fixture(scope="module")
def decl() -> pd.DataFrame:
    return _read("declarations.csv.gz", "date")


@pytest.fixture(scope="module")
def zones() -> pd.DataFrame:
    return _read("zones.csv", "launch_date")


@pytest.fixture(scope="module")
def memos() -> pd.DataFrame:
    return _read("memoranda.csv", "date")


@pytest.fixture(scope="module")
def figures() -> pd.Series:
    fig = pd.read_csv(raw_dir() / "published_figures.csv")
    return fig.set_index("id")["value"]


@pytest.fixture(scope="module")
def counties() -> pd.DataFrame:
    return pd.read_csv(raw_dir() / "jilin_counties_2010.csv", dtype=str)


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    nat = pd.read_csv(raw_dir() / "china_customs_monthly_1983_2013.csv")
    nat.index = pd.PeriodIndex.from_fields(year=nat["year"], month=nat["month"], freq="M")
    return nat[["exports_100m_usd", "imports_100m_usd"]]


def _window_sums(d: pd.DataFrame, window: tuple[str, str]) -> pd.Series:
    m = d["date"].between(pd.Timestamp(window[0]), pd.Timestamp(window[1]))
    return d.loc[m].groupby("direction")["value_usd"].sum()


def _headline(d: pd.DataFrame) -> dict[str, float]:
    cur, base = _window_sums(d, WIN_2010), _window_sums(d, WIN_2009)
    tot_c, tot_b = cur.sum(), base.sum()
    return {
        "F1": tot_c / 1e8,
        "F3": cur["export"] / 1e8,
        "F5": cur["import"] / 1e8,
        "F2": (tot_c / tot_b - 1) * 100,
        "F4": (cur["export"] / base["export"] - 1) * 100,
        "F6": (cur["import"] / base["import"] - 1) * 100,
        "pp_export": (cur["export"] - base["export"]) / tot_b * 100,
        "pp_import": (cur["import"] - base["import"]) / tot_b * 100,
    }


# ------------------------------------------------------------ published figures


@pytest.mark.parametrize("fid", ["F1", "F2", "F3", "F4", "F5", "F6"])
def test_headline_figures_reproduced(decl, figures, fid):
    assert round(_headline(decl)[fid], 2) == pytest.approx(figures[fid], abs=1e-9)


def test_contributions_round_and_add_up(decl, figures):
    h = _headline(decl)
    # 拉动 contributions as published in the article: 9.55 and 8.68 percentage points
    assert round(h["pp_export"], 2) == pytest.approx(9.55, abs=1e-9)
    assert round(h["pp_import"], 2) == pytest.approx(8.68, abs=1e-9)
    assert h["pp_export"] + h["pp_import"] == pytest.approx(h["F2"], rel=1e-12)
    assert round(h["pp_export"] + h["pp_import"], 2) == pytest.approx(figures["F2"], abs=1e-9)


def test_exports_plus_imports_is_total(decl, figures):
    assert figures["F3"] + figures["F5"] == pytest.approx(figures["F1"])
    cur = _window_sums(decl, WIN_2010)
    assert round(cur.sum() / 1e8, 2) == round(cur["export"] / 1e8, 2) + round(
        cur["import"] / 1e8, 2
    )


def test_direct_release_pilot(decl, figures, counties):
    dr = decl[decl["direct_release"]]
    assert dr["enterprise_id"].nunique() == figures["F13"]
    assert len(dr) == figures["F14"]
    assert round(dr["value_usd"].sum() / 1e8, 2) == pytest.approx(figures["F15"], abs=1e-9)
    # only in the 2010 window, only in the Changchun-Jilin-Tumen prefectures
    assert dr["date"].between(pd.Timestamp(WIN_2010[0]), pd.Timestamp(WIN_2010[1])).all()
    pref = counties.set_index("code_2010")["prefecture_code"]
    assert set(dr["county_code"].map(pref)) <= JCT_PREFECTURES
    # a subset of each pilot enterprise's consignments, not a separate population
    assert (decl[decl["enterprise_id"].isin(dr["enterprise_id"])].shape[0]) > len(dr)


def test_key_enterprises(decl, figures):
    key = decl.loc[decl["key_enterprise"], "enterprise_id"].unique()
    assert len(key) == figures["F7"]
    # the flag is a property of the enterprise: true for all of its rows
    assert decl.groupby("enterprise_id")["key_enterprise"].nunique().max() == 1
    # key enterprises include the big Changchun importer and the railway-vehicle maker
    k = decl[decl["key_enterprise"]]
    assert (k["product_group"] == "railway_vehicles").any()
    assert (
        (k["product_group"] == "vehicles_parts")
        & (k["direction"] == "import")
        & k["county_code"].str.startswith("2201")
    ).any()


def test_memoranda(memos, figures, counties):
    assert len(memos) == figures["F16"] == memos["memo_id"].nunique()
    assert memos["date"].between(pd.Timestamp("2009-01-01"), pd.Timestamp("2010-11-20")).all()
    assert set(memos["counterpart_type"]) == {"government", "enterprise"}
    gov = memos["counterpart_type"] == "government"
    assert set(memos.loc[gov, "counterpart_level"]) == {"prefecture", "county"}
    assert (memos.loc[~gov, "counterpart_level"] == "enterprise").all()
    assert memos["county_code"].isin(counties["code_2010"]).all()


def test_zones(zones, figures, counties):
    assert zones["zone_id"].nunique() == figures["F17"]
    assert set(zones["batch"]) == {1}
    for product in ("ginseng", "deer_products", "seed_kernels", "peanuts"):  # 人参 鹿 籽仁 花生
        assert product in set(zones["product_group"])
    assert (
        zones["launch_date"].between(pd.Timestamp("2010-06-01"), pd.Timestamp("2010-11-20")).all()
    )
    assert zones["county_code"].isin(counties["code_2010"]).all()
    assert not zones.duplicated(["zone_id", "county_code"]).any()
    # a zone has one product and one launch date
    assert (zones.groupby("zone_id")[["product_group", "launch_date"]].nunique() == 1).all().all()


def test_zone_memos_overlap(zones, memos):
    county_gov = memos.loc[memos["counterpart_level"] == "county", "county_code"]
    assert zones["county_code"].isin(county_gov).mean() > 0.8


def test_zone_counties_export_their_product(decl, zones):
    e10 = decl[(decl["direction"] == "export") & (decl["date"].dt.year == 2010)]
    pairs = set(zip(e10["product_group"], e10["county_code"], strict=True))
    hit = [
        (g, c) in pairs for g, c in zip(zones["product_group"], zones["county_code"], strict=True)
    ]
    assert np.mean(hit) >= 0.8


# --------------------------------------------------------------- schema, codes


def test_schema_and_values(decl, counties):
    assert list(decl.columns) == DECL_COLUMNS
    assert decl["decl_id"].is_unique
    assert set(decl["direction"]) == {"export", "import"}
    assert decl["hs2"].str.fullmatch(r"\d{2}").all()
    assert decl["county_code"].str.fullmatch(r"\d{6}").all()
    assert decl["county_code"].isin(counties["code_2010"]).all()
    assert decl["product_group"].isin(labels.PRODUCT_GROUPS).all()
    assert decl["port"].isin(labels.PORTS).all()
    assert decl["direct_release"].dtype == bool and decl["key_enterprise"].dtype == bool
    assert decl["value_usd"].dtype == "float64" and (decl["value_usd"] > 0).all()
    cents = decl["value_usd"] * 100
    assert np.allclose(cents, cents.round(), atol=1e-6)
    allowed = {f"{g}:{h}" for g, item in labels.PRODUCT_GROUPS.items() for h in item.hs2}
    assert (decl["product_group"] + ":" + decl["hs2"]).isin(allowed).all()
    assert decl["date"].is_monotonic_increasing


def test_date_span(decl):
    assert decl["date"].min() == pd.Timestamp("2001-01-01")
    assert decl["date"].max() == pd.Timestamp("2010-11-20")


def test_county_coverage_grows(decl, counties):
    exp = decl[decl["direction"] == "export"]
    cov = exp.groupby(exp["date"].dt.year)["county_code"].nunique()
    assert 35 <= cov[2010] <= 45  # not every county exports yet (县域全覆盖 is a goal)
    assert cov[2001] < cov[2010]
    assert cov[2010] < len(counties)


def test_ports_follow_routes(decl):
    timber = decl[decl["product_group"] == "timber_logs"]
    assert timber["port"].value_counts().idxmax() == "hunchun"
    veh = decl[(decl["product_group"] == "vehicles_parts") & (decl["direction"] == "import")]
    assert veh["county_code"].str.startswith("2201").mean() > 0.6  # Changchun districts
    gin = decl[decl["product_group"] == "ginseng"]
    assert gin["county_code"].isin(["220621", "220582", "220622", "220623"]).mean() > 0.5


# --------------------------------------------------------------- monthly profile


def test_monthly_profile_follows_national(decl, national):
    m = decl.groupby(decl["date"].dt.to_period("M"))["value_usd"].sum().loc["2001-01":"2009-12"]
    n = national.loc["2001-01":"2009-12"].sum(axis=1)
    assert np.corrcoef(m, n)[0, 1] > 0.95

    # seasonal pattern: deviations from a centred 12-month mean move together
    def dev(s: pd.Series) -> pd.Series:
        ls = np.log(s)
        return (ls - ls.rolling(12, center=True).mean()).dropna()

    dm, dn = dev(m), dev(n)
    assert np.corrcoef(dm, dn.loc[dm.index])[0, 1] > 0.7
    # the 2008-09 fall: Jan-Jun 2009 below Jan-Jun 2008 by more than 10 %
    assert m.loc["2009-01":"2009-06"].sum() < 0.9 * m.loc["2008-01":"2008-06"].sum()


def test_spring_festival_is_quiet(decl):
    cal = holidays.China(years=range(2002, 2011))
    sf = pd.Series(
        [pd.Timestamp(d) for d, n in cal.items() if n == "Chinese New Year (Spring Festival)"]
    )
    first = sf.groupby(sf.dt.year).min()
    per_day = decl.groupby("date").size()
    per_month = decl.groupby(decl["date"].dt.to_period("M"))["value_usd"].sum()
    quiet, month_ratio = [], []
    for day in first:
        week = per_day.reindex(pd.date_range(day, day + pd.Timedelta(days=5)), fill_value=0)
        workdays = per_day.loc[
            (per_day.index.month == 3)
            & (per_day.index.year == day.year)
            & (per_day.index.day_of_week < 5)
        ]
        quiet.append(week.mean() / workdays.mean())
        year = per_month.loc[str(day.year)]
        month_ratio.append(
            year.loc[day.to_period("M")] / year.loc[f"{day.year}-03" : f"{day.year}-11"].mean()
        )
    assert max(quiet) < 0.3  # few declarations in the festival week
    assert np.mean(month_ratio) < 0.95  # the festival month is lower than the rest


# --------------------------------------------------------------- generator


@pytest.fixture(scope="module")
def other_seed() -> dict[str, pd.DataFrame]:
    return sample.make_sample(seed=7)


def test_other_seed_is_different_but_calibrated(other_seed, decl, figures):
    d = other_seed["declarations"]
    assert len(d) != len(decl)
    h = _headline(d)
    for fid in ("F1", "F2", "F3", "F4", "F5", "F6"):
        assert round(h[fid], 2) == pytest.approx(figures[fid], abs=1e-9)
    assert d.loc[d["direct_release"], "enterprise_id"].nunique() == figures["F13"]
    assert int(d["direct_release"].sum()) == figures["F14"]
    assert d.loc[d["key_enterprise"], "enterprise_id"].nunique() == figures["F7"]
    assert len(other_seed["memoranda"]) == figures["F16"]
    assert other_seed["zones"]["zone_id"].nunique() == figures["F17"]


@pytest.mark.parametrize("table", ["declarations", "zones", "memoranda"])
def test_make_sample_follows_the_contract_in_datapackage_json(other_seed, table):
    df = other_seed[table]
    fields = _contract(table)
    assert list(df.columns) == [f["name"] for f in fields]
    kinds = {"string": "O", "number": "f", "integer": "i", "boolean": "b", "date": "M"}
    for f in fields:
        col = df[f["name"]]
        kind = "O" if pd.api.types.is_string_dtype(col) else col.dtype.kind
        assert kind == kinds[f["type"]], (f["name"], col.dtype)
        cons = f.get("constraints", {})
        if cons.get("required", True):
            assert col.notna().all(), f["name"]
        if "enum" in cons:
            assert col.isin(cons["enum"]).all(), f["name"]
        if "pattern" in cons:
            assert col.str.fullmatch(cons["pattern"]).all(), f["name"]
        if "minimum" in cons:
            assert (col >= cons["minimum"]).all(), f["name"]


@pytest.mark.slow
def test_regeneration_is_byte_identical(tmp_path):
    paths = sample.write_sample(tmp_path)
    for name in ("declarations.csv.gz", "zones.csv", "memoranda.csv"):
        assert (tmp_path / name).read_bytes() == (sample_dir() / name).read_bytes(), name
    assert {p.name for p in paths.values()} == {"declarations.csv.gz", "zones.csv", "memoranda.csv"}
    with gzip.open(tmp_path / "declarations.csv.gz", "rb") as fh:
        assert fh.readline().decode().strip().split(",") == DECL_COLUMNS


@pytest.mark.parametrize("bad", [-1, 1.5, "1", True, None])
def test_bad_seed(bad):
    with pytest.raises(ParameterError):
        sample.make_sample(seed=bad)


# --------------------------------------------------------------- labels


def test_labels():
    assert labels.product_label("ginseng") == "ginseng 人参"
    assert labels.product_label("peanuts", "zh") == "花生"
    assert labels.port_label("hunchun", "en") == "Hunchun"
    assert labels.port_label("hunchun", "zh") == "珲春"
    for g in labels.PRODUCT_GROUPS.values():
        assert g.direction in {"export", "import", "both"}
        assert all(len(h) == 2 and h.isdigit() for h in g.hs2)
    with pytest.raises(ParameterError):
        labels.product_label("caviar")
    with pytest.raises(ParameterError):
        labels.port_label("shanghai")
    with pytest.raises(CIQError):
        labels.product_label("ginseng", lang="fr")


def test_first_time_exports_of_2010(decl):
    # F9: cabbage and radish (fresh vegetables, HS 07) and raspberries first exported in 2010
    veg = decl[(decl["product_group"] == "vegetables_kimchi") & (decl["hs2"] == "07")]
    assert len(veg) > 0 and veg["date"].dt.year.min() == 2010
    berries = decl[decl["product_group"] == "berries"]
    assert len(berries) > 0 and berries["date"].dt.year.min() == 2010
    kimchi = decl[(decl["product_group"] == "vegetables_kimchi") & (decl["hs2"] == "20")]
    assert kimchi["date"].dt.year.min() == 2001
