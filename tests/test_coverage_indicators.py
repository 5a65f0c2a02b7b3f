"""County indicators, code mapping, gaps and maps on small hand-made tables."""

from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.coverage import (
    code_record,
    county_indicators,
    coverage_gaps,
    harmonise_county_codes,
    reach_summary,
)
from ciqanalysis.errors import AsOfDateError, CountyCodeError, DataQualityWarning, SchemaError
from ciqanalysis.provenance import SYNTHETIC_CAPTION

matplotlib.use("Agg")


def zones(rows):
    cols = ["zone_id", "product_group", "product_zh", "product_en", "county_code",
            "launch_date", "batch"]
    return pd.DataFrame(rows, columns=cols)


def memos(rows):
    return pd.DataFrame(rows, columns=["memo_id", "counterpart_type", "counterpart_level",
                                       "county_code", "date"])


def decls(rows):
    return pd.DataFrame(rows, columns=["decl_id", "date", "direction", "product_group",
                                       "value_usd", "county_code", "enterprise_id"])


Z = zones([
    ("Z1", "ginseng", "人参", "ginseng", "220621", "2010-06-22", 1),   # 抚松县
    ("Z1", "ginseng", "人参", "ginseng", "220622", "2010-06-22", 1),   # 靖宇县
    ("Z2", "peanuts", "花生", "peanuts", "220781", "2010-08-01", 1),   # 扶余市 -> 扶余县
    ("Z3", "seeds", "籽仁", "seed kernels", "220122", "2010-12-01", 1),  # after as-of
])
M = memos([
    ("M1", "government", "county", "220621", "2009-05-01"),
    ("M2", "government", "prefecture", "220200", "2010-03-01"),  # prefecture code
    ("M3", "enterprise", "enterprise", "220113", "2010-04-01"),  # 九台区 -> 九台市
])
D = decls([
    ("D1", "2010-03-01", "export", "ginseng", 1e5, "220621", "E1"),
    ("D2", "2010-03-02", "export", "ginseng", 2e5, "220621", "E2"),
    ("D3", "2010-03-03", "export", "rice", 5e4, "220621", "E1"),
    ("D4", "2010-05-01", "export", "rice", 7e4, "220622", "E3"),     # not a zone product
    ("D5", "2010-05-01", "import", "ginseng", 9e9, "220523", "E4"),  # imports ignored
    ("D6", "2010-11-30", "export", "peanuts", 3e4, "220724", "E5"),  # after as-of
    ("D7", "2009-12-31", "export", "rice", 1e4, "222424", "E6"),     # previous year
])


@pytest.fixture(scope="module")
def ind():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return county_indicators(2010, "all", decl=D, zones=Z, memoranda=M,
                                 as_of="2010-11-20").set_index("code_2010")


def test_zone_and_memo_indicators(ind):
    assert ind.loc[["220621", "220622", "220724"], "has_zone"].all()
    assert not ind.loc["220122", "has_zone"]  # launched after the as-of date
    assert ind["has_zone"].sum() == 3
    assert ind.loc["220724", "zone_products"] == "peanuts"
    assert ind.loc["220621", "has_memo"] and ind.loc["220181", "has_memo"]
    assert ind["has_memo"].sum() == 2  # the prefecture-level code is attributed to no unit


def test_export_indicators(ind):
    row = ind.loc["220621"]
    assert row["has_exports"] and row["n_export_decl"] == 3
    assert row["export_value_usd"] == pytest.approx(3.5e5)
    assert row["n_exporters"] == 2
    assert row["exports_zone_product"]
    assert ind.loc["220622", "has_exports"] and not ind.loc["220622", "exports_zone_product"]
    assert not ind.loc["220724", "has_exports"]  # its export is after the as-of date
    assert not ind.loc["220523", "has_exports"]  # imports are not exports
    assert not ind.loc["222424", "has_exports"]  # 2009 is another year
    assert ind["export_value_usd"].sum() == pytest.approx(4.2e5)


def test_reach_excludes_own_zone(ind):
    # 抚松 and 靖宇 are neighbours and both have a zone: each reaches the other
    assert ind.loc["220621", "reached_by_zone"] and ind.loc["220622", "reached_by_zone"]
    assert ind.loc["220681", "reached_by_zone"]  # 临江市 borders 抚松县
    assert not ind.loc["222404", "zone_or_reached"]  # 珲春市 is far away
    s = reach_summary(ind.reset_index())
    assert s.loc["has_zone", "n_units"] == 3 and s.loc["has_zone", "units_denominator"] == 60
    assert s.loc["zone_or_reached", "export_value_usd"] == pytest.approx(4.2e5)
    assert s.loc["reached_only", "n_units"] == (ind["reached_by_zone"] & ~ind["has_zone"]).sum()


@pytest.mark.filterwarnings("ignore::ciqanalysis.errors.DataQualityWarning")
def test_code_record_and_warnings():
    with pytest.warns(DataQualityWarning, match="220781"):
        out = county_indicators(2010, "all", decl=D, zones=Z, memoranda=M)
    rec = code_record(out)
    mapped = rec.set_index("code_given")
    assert mapped.loc["220781", "code_2010"] == "220724"
    assert mapped.loc["220113", "code_2010"] == "220181"
    assert "prefecture" in mapped.loc["220200", "action"]
    assert out.attrs["universe"] == "all" and len(out) == 60
    # attrs survive a concat (no DataFrame inside attrs)
    assert len(pd.concat([out, out])) == 120


def test_universe_county_type_has_40_rows():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        out = county_indicators(2010, "county_type", decl=D, zones=Z, memoranda=M)
    assert len(out) == 40 and not out["is_district"].any()
    assert (out["universe"] == "county_type").all()


def test_unknown_code_raises():
    bad = pd.concat([Z, zones([("Z9", "x", "x", "x", "229999", "2010-01-01", 1)])])
    with pytest.raises(CountyCodeError, match="229999"):
        county_indicators(2010, "all", decl=D, zones=bad, memoranda=M)


def test_harmonise_numeric_and_missing_codes():
    t = pd.DataFrame({"county_code": [220621, 220781, np.nan]})
    with pytest.warns(DataQualityWarning):
        out, rec = harmonise_county_codes(t, name="my.xlsx")
    assert out["county_code"].tolist()[:2] == ["220621", "220724"]
    assert pd.isna(out["county_code"].iloc[2])
    assert rec["n_rows"].sum() == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clean, rec2 = harmonise_county_codes(t.iloc[:1], name="ok")
    assert rec2.empty


@pytest.mark.filterwarnings("ignore::ciqanalysis.errors.DataQualityWarning")
def test_as_of_and_schema_errors():
    with pytest.raises(AsOfDateError):
        county_indicators(2010, "all", decl=D, zones=Z, memoranda=M, as_of="2011-01-05")
    with pytest.raises(SchemaError, match="value_usd"):
        county_indicators(2010, "all", decl=D.drop(columns="value_usd"), zones=Z, memoranda=M)
    missing = D.assign(value_usd=D["value_usd"].where(D["decl_id"] != "D1", np.nan))
    with pytest.raises(SchemaError, match="missing or not a number.*D1"):
        county_indicators(2010, "all", decl=missing, zones=Z, memoranda=M)


@pytest.mark.filterwarnings("ignore:.*county codes changed:ciqanalysis.errors.DataQualityWarning")
@pytest.mark.filterwarnings("ignore:declarations end on:ciqanalysis.errors.DataQualityWarning")
def test_negative_exports_are_netted_and_flagged_not_counted():
    """Returns and corrections (negative values, which the reader keeps and flags) stopped the
    whole coverage notebook; they now net the county's export value, with a warning naming one."""
    base = county_indicators(2010, "all", decl=D, zones=Z, memoranda=M).set_index("code_2010")
    d1 = D.loc[D["decl_id"] == "D1"].iloc[0]
    ret = pd.concat([D, d1.to_frame().T.assign(decl_id="R1", value_usd=-0.25 * d1["value_usd"],
                                               enterprise_id="E-return")], ignore_index=True)
    with pytest.warns(DataQualityWarning, match="negative export values.*R1"):
        out = county_indicators(2010, "all", decl=ret, zones=Z, memoranda=M).set_index("code_2010")
    c = d1["county_code"]
    assert out.loc[c, "export_value_usd"] == pytest.approx(base.loc[c, "export_value_usd"] - 0.25 * d1["value_usd"])
    # the return is not an export declaration and its enterprise not an exporter
    assert out.loc[c, "n_export_decl"] == base.loc[c, "n_export_decl"]
    assert out.loc[c, "n_exporters"] == base.loc[c, "n_exporters"]
    pd.testing.assert_series_equal(out["has_exports"], base["has_exports"])


def test_memo_levels_filter():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        out = county_indicators(2010, "all", decl=D, zones=Z, memoranda=M,
                                memo_levels=["county"])
    assert out.loc[out["has_memo"], "code_2010"].tolist() == ["220621"]


def test_gaps_list_names(ind):
    gaps = coverage_gaps(ind.reset_index())
    no_zone = gaps[gaps["missing"] == "has_zone"]
    assert len(no_zone) == 57 and "220621" not in set(no_zone["code_2010"])
    assert {"name_zh", "name_en", "prefecture_en"} <= set(gaps.columns)
    assert len(gaps[gaps["missing"] == "has_exports"]) == 58


def test_maps_return_figures_without_glyph_warnings(ind):
    data = ind.reset_index()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph (or other) warnings
        fig = cq.plots.plot_coverage_map(data, "has_zone", synthetic=True)
        fig.canvas.draw()
        fig2 = cq.plots.plot_reach_map(data, synthetic=False, labels=False)
        fig2.canvas.draw()
    texts = [t.get_text() for t in fig.texts]
    assert SYNTHETIC_CAPTION in texts
    assert SYNTHETIC_CAPTION not in [t.get_text() for t in fig2.texts]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["demonstration zone: yes (3)", "demonstration zone: no (57)"]
    assert "2010" in fig.axes[0].get_title()
    import matplotlib.pyplot as plt

    plt.close("all")


def test_map_universe_outside_shown():
    u = cq.county_universe("county_type")
    fig = cq.plots.plot_coverage_map(u.assign(has_zone=False), labels=False)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "outside the universe (20)" in legend
    import matplotlib.pyplot as plt

    plt.close("all")
