"""What a file supports, and the sentences computed from it (narrative, trends helpers)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import AsOfDateError
from ciqanalysis.narrative import DataSupport, data_support, outlook_sentences


def _decl(dates, directions, values=None, **extra):
    n = len(dates)
    d = pd.DataFrame({"date": pd.to_datetime(dates), "direction": directions,
                      "value_usd": values if values is not None else np.full(n, 1e6),
                      "county_code": extra.pop("county_code", ["220102"] * n),
                      "product_group": extra.pop("product_group", [None] * n),
                      "hs2": extra.pop("hs2", [None] * n)})
    d.attrs = {"synthetic": False, "source": "folder/mine.csv"}
    return d


def test_support_says_what_each_section_lacks():
    d = _decl(["2009-03-02", "2010-05-04"], ["import", "import"])
    s = data_support(d, "2010-06-30")
    assert s.label == "mine.csv" and s.directions == ("import",)
    assert s.full_years == (2010,)
    assert "holds no exports (出境)" in s.lacks("exports", what="x")
    assert "imports (进境) only" in s.lacks("both directions", what="x")
    assert "no product-group column" in s.lacks("product groups", what="x")
    assert "starts on 2009-03-02" in s.lacks("previous year", what="x")
    assert "covers 1 year from 1 January" in s.lacks("full years", what="x")
    assert s.lacks("imports") is None
    with pytest.raises(cq.ParameterError, match="unknown need"):
        s.lacks("weather")


def test_a_file_starting_in_the_first_days_of_january_covers_the_year():
    # New Year's Day is a holiday: a first declaration on 4 January covers 2009
    d = _decl(["2009-01-04", "2010-05-04"], ["export", "export"])
    assert data_support(d, "2010-06-30").full_years == (2009, 2010)
    late = _decl(["2009-01-15", "2010-05-04"], ["export", "export"])
    assert data_support(late, "2010-06-30").full_years == (2010,)
    cut = cq.data.cut_at_as_of(d, "2010-05-10")  # a Monday after the last declaration
    assert cq.same_days_by_year(cut, "2010-05-10").index.year.tolist() == [2009, 2010]


def test_monthly_by_direction_keeps_both_columns():
    d = _decl(["2010-01-05", "2010-03-05"], ["import", "import"], [2.0, 3.0])
    m = cq.monthly_by_direction(d)
    assert m.columns.tolist() == ["export", "import", "total"]
    assert m["export"].tolist() == [0.0, 0.0, 0.0] and m["total"].tolist() == [2.0, 0.0, 3.0]


def test_ytd_headline_leaves_out_what_the_file_lacks():
    d = _decl(["2009-01-05", "2009-06-01", "2010-02-01", "2010-06-01"], ["export"] * 4,
              [1e8, 1e8, 3e8, 1e8])
    t = cq.ytd_headline(d, "2010-06-30")
    assert t.index.tolist() == ["export", "total"]
    assert t.loc["export", "growth_pct"] == pytest.approx(100.0)
    full = cq.ytd_headline(d, "2010-06-30", all_directions=True)
    assert full.index.tolist() == ["export", "import", "total"]
    short = cq.ytd_headline(d.iloc[1:], "2010-06-30")  # starts in June 2009: no base year
    assert short.loc["export", "value_yi"] == pytest.approx(4.0)
    assert short["growth_pct"].isna().all() and "no base year" in short.attrs["note"]


def test_saturday_as_of_is_the_end_of_the_data():
    d = _decl(["2009-01-05", "2010-11-19", "2010-11-22"], ["export"] * 3)
    cut = cq.data.cut_at_as_of(d, "2010-11-20")
    assert cq.data.data_window(cut)[1] == pd.Timestamp("2010-11-20")
    assert cq.same_days_by_year(cut, "2010-11-20").shape[0] == 2
    with pytest.raises(AsOfDateError, match="more than 9 days"):
        cq.data.cut_at_as_of(d, "2010-12-15")


def test_outlook_sentences_quote_the_table_they_describe():
    idx = pd.MultiIndex.from_tuples([(d, y) for d in ("export", "import", "total")
                                     for y in (2010, 2011)])
    table = pd.DataFrame({"observed": [1.084, 0, 1.336, 0, 2.42, 0],
                          "mean": [1.2, 1.3, 1.5, 1.6, 2.7, 2.9],
                          "growth_pct": [20.0, 8.3, 10.0, 6.7, 15.0, 7.4]}, index=idx)
    s = DataSupport(False, "mine.csv", pd.Timestamp("2010-11-20"), pd.Timestamp("2008-01-01"),
                    pd.Timestamp("2010-11-20"), ("export", "import"), False, False,
                    ("220102",), 10, 0, (2008, 2009, 2010))
    figures = cq.data.load("published_figures")
    text = outlook_sentences(s, table, figures)
    quoted = [float(x) for x in re.findall(r"exports ([\d.]+), imports ([\d.]+) and in all ([\d.]+)",
                                           text)[0]]
    assert quoted == [round(v, 2) for v in table.xs(2010, level=1)["observed"]]
    assert "19.91, 26.18 and 46.09" in text and "does not reproduce" in text
    assert "grows more slowly (7.4 %) than 2010 (15.0 %)" in text
    sample = DataSupport(True, *list(s.__dict__.values())[1:])
    assert "by construction" not in outlook_sentences(sample, table, figures)  # not matched
    later = DataSupport(False, "mine.csv", pd.Timestamp("2010-06-30"), s.first,
                        pd.Timestamp("2010-06-30"), s.directions, False, False, s.counties, 10,
                        0, s.full_years)
    assert "article" not in outlook_sentences(later, table, figures)  # another cut


def test_flags_table_groups_by_kind_and_keeps_the_likely_cause():
    d = _decl(["2010-01-05"], ["export"])
    d.attrs["flags"] = pd.DataFrame({
        "row": [2, 3, 4, 9], "column": ["v", "v", "(all)", "(all)"],
        "issue": ["implausible consignment value: above 0.05 % (values look like US dollars "
                  "under a 万美元 header?)"] * 2 + ["duplicate: identical to row 2",
                                                  "duplicate: identical to row 3"],
        "action": ["kept; check"] * 2 + ["kept (drop it yourself)"] * 2})
    t = cq.narrative.flags_table(d)
    assert t["rows"].tolist() == [2, 2]
    assert t["issue"].iloc[0].endswith("万美元 header?)") and t["issue"].iloc[1] == "duplicate"
    assert cq.narrative.flags_note(cq.data.load_declarations("sample")) == ""


def test_track_record_reading_quotes_the_record_it_reads():

    rec = cq.forecast.track_record(years=range(2003, 2009), candidates=["snaive_log"],
                                   n_paths=200, cache=False)
    text = cq.narrative.track_record_reading(rec)
    summary = rec.benchmark_table()
    for d, col in (("exports", "exports, next year Y+1"), ("imports", "imports, next year Y+1")):
        mape = summary.loc["method MAPE %", col]
        assert f"{mape:.1f} % ({d})" in text
    years = rec.year_table(target="next")
    worst = int(years["error_pct"].abs().groupby(level="year").max().idxmax())
    assert f"worst miss is {worst + 1}, forecast in October {worst}" in text
    n95 = years["inside_95"].astype(bool).groupby(level="direction").sum()
    assert re.search(rf"95 % intervals held the outcome in {n95['export']} \(exports\) and "
                     rf"{n95['import']} \(imports\) of 6 years", text)


def test_outturn_reading_follows_the_signs_and_says_nothing_without_an_outturn():
    t = pd.DataFrame({"actual": [100.0, 80.0, 180.0], "error_pct": [4.0, 2.5, 3.3],
                      "inside_80": [True, False, True], "inside_95": [True, True, True]},
                     index=pd.Index(["export", "import", "total"], name="direction"))
    text = cq.narrative.outturn_reading(t, 2010, nowcast=True)
    assert "lie below the 2010 nowcast, which exceeded them by 4 % (exports) and 2 % (imports)" in text
    assert "the total by 3 %" in text and "2 of 3 outturns lay inside the 80 %" in text
    assert cq.narrative.outturn_reading(None, 2012) == ""


def test_show_puts_the_sentence_in_text_plain_for_nbval(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    cq.narrative.show("Exports grew 23.0 %.")
    cq.narrative.show("")
    assert shown == [({"text/markdown": "Exports grew 23.0 %.",
                       "text/plain": "Exports grew 23.0 %."}, {"raw": True})]
