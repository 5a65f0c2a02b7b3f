"""The memo in Chinese and English as HTML, PDF and Word; revisions; bulletin; SA."""

from __future__ import annotations

import html as html_lib
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import ParameterError
from ciqanalysis.report import build, content

SAMPLE = cq.paths.sample_dir() / "declarations.csv.gz"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="synthetic sample not generated")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """An English memo as of June, then the full report as of 20 November in the same folder."""
    out = tmp_path_factory.mktemp("rep") / "reports"
    first = build.build_report(out, as_of="2010-06-30", notebooks=[], quick=True, lang="en")
    previous = json.loads((out / "forecast-memo.json").read_text(encoding="utf-8"))
    (out / "stray.txt").write_text("left by hand", encoding="utf-8")
    second = build.build_report(out, as_of="2010-11-20", notebooks=[], quick=True, lang="both",
                                formats=["html", "pdf", "docx"])
    numbers = cq.report.compute_memo("sample", "2010-11-20", quick=True)
    return {"out": out, "first": first, "second": second, "numbers": numbers,
            "previous": previous}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _headline_numbers(m) -> list[str]:
    """The total's nowcast and forecast as the memo must print them (interval-rounded)."""
    out = []
    for year in (m.year, m.year + 1):
        row = m.outlook.loc[("total", year)] / 1e8
        d = content.decimals_for(row["lower_95"], row["upper_95"])
        out += [f"{row['mean']:,.{d}f}", f"{row['lower_95']:,.{d}f}", f"{row['upper_95']:,.{d}f}"]
    last = m.last_year["total"] / 1e8
    now = m.outlook.loc[("total", m.year)] / 1e8
    g_lo, g_hi = now["lower_95"] / last * 100 - 100, now["upper_95"] / last * 100 - 100
    dg = content.decimals_for(g_lo, g_hi, max_decimals=1)
    out.append(f"{abs(now['mean'] / last * 100 - 100):.{dg}f}")  # full-year growth
    return out


def test_the_report_writes_every_language_and_format(report):
    names = sorted(p.name for p in report["out"].iterdir())
    assert names == sorted(["forecast-memo.zh.html", "forecast-memo.zh.pdf",
                            "forecast-memo.zh.docx", "forecast-memo.html", "forecast-memo.pdf",
                            "forecast-memo.docx", "forecast-memo.json", "bulletin.xlsx",
                            "manifest.json"])  # the June run's files and the stray are gone
    manifest = json.loads((report["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2010-11-20" and manifest["data_sha256"] == cq.data.sha256_of(
        SAMPLE)
    assert manifest["version"] == cq.__version__ and manifest["git_commit"]
    assert set(manifest["files"]) == set(names) - {"manifest.json"}
    for name, digest in manifest["files"].items():
        assert cq.data.sha256_of(report["out"] / name) == digest


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_docx_and_html_carry_the_headline_numbers(report, lang):
    from docx import Document
    from pypdf import PdfReader

    m = report["numbers"]
    stem = "forecast-memo" + (".zh" if lang == "zh" else "")
    pdf = PdfReader(report["out"] / f"{stem}.pdf")
    # page 1 holds the headline; pypdf (unlike poppler) misreads some glyphs of later
    # pages of this font, so the words of later sections are checked in Word and HTML
    pdf_text = _squash(pdf.pages[0].extract_text(extraction_mode="layout").replace("\x00", ""))
    doc = Document(str(report["out"] / f"{stem}.docx"))
    docx_text = _squash("\n".join([p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells]))
    html = _squash(re.sub(r"<[^>]+>", " ", (report["out"] / f"{stem}.html").read_text(
        encoding="utf-8")))
    for number in _headline_numbers(m):
        for name, text in (("pdf", pdf_text), ("docx", docx_text), ("html", html)):
            assert _squash(number) in text, (name, number)
    first = {"zh": ["合成数据", "基本情况与预测要点", "风险与情景分析"],
             "en": ["SYNTHETIC", "Headline", "Risks and scenarios"]}[lang]
    later = {"zh": ["与上期预测比较", "数据质量", "代码提交"],
             "en": ["Revisions", "Data quality", "Code commit"]}[lang]
    for w in first:
        assert _squash(w) in pdf_text, w
    for w in first + later:
        assert _squash(w) in docx_text and _squash(w) in html, w
    assert m.provenance["data_sha256"] in docx_text and m.provenance["data_sha256"] in html
    assert 1 <= len(pdf.pages) <= 3


def test_revisions_compare_with_the_previous_memo_in_the_folder(report):
    prev = report["previous"]
    assert prev["as_of"] == "2010-06-30"
    html = (report["out"] / "forecast-memo.html").read_text(encoding="utf-8")
    assert "The previous memo was as of 2010-06-30" in html
    stored = json.loads((report["out"] / "forecast-memo.json").read_text(encoding="utf-8"))
    assert stored["as_of"] == "2010-11-20"
    new = stored["outlook"]["total"]["now"]
    d = content.decimals_for(new["lower"], new["upper"])
    revision = new["mean"] - prev["outlook"]["total"]["now"]["mean"]
    assert f"{revision:+,.{d}f}" in html


def test_scenarios_move_with_the_elasticity(report):
    m = report["numbers"]
    sc, info = m.scenarios, m.scenario_info
    assert list(sc.index) == ["baseline", "national +1 sd", "national -1 sd"]
    assert sc.loc["baseline", "mean"] == pytest.approx(m.outlook.loc[("total", 2011), "mean"])
    up = sc.loc["national +1 sd", "mean"] / sc.loc["baseline", "mean"] - 1
    assert up == pytest.approx(info["elasticity"] * info["national_sd_pp"] / 100)
    assert sc.loc["national +1 sd", "shift_pp"] == -sc.loc["national -1 sd", "shift_pp"] > 0


def test_quality_section_renders_whatever_flags_the_loader_left(report):
    from dataclasses import replace

    flags = pd.DataFrame({"row": [4, 9, 12], "column": ["货值", "货值", "报检日期"],
                          "issue": ["negative value: -2", "negative value: -5",
                                    "implausible date: 1900-01-01"],
                          "action": ["kept", "kept", "dropped"]})
    decl = pd.DataFrame({"x": [1]})
    decl.attrs["flags"] = flags
    m = replace(report["numbers"], quality=cq.report.quality_table(decl))
    doc = content.memo_document(m, "zh")
    section = next(s for s in doc["sections"] if s["heading"] == "六、数据质量")
    table = next(b for k, b in section["blocks"] if k == "table")
    assert table["rows"][0][:2] == ["negative value", "2"] and table["rows"][1][3] == "dropped"


def test_interval_rounding():
    assert content.decimals_for(40.32, 71.33) == 0
    assert content.decimals_for(50.84, 52.57) == 1
    assert content.decimals_for(5.0, 5.3) == 2
    assert content.fmt_interval_number(float("nan"), 1) == "n/a"


def test_git_commit_is_unknown_without_git(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no git program at all
    assert cq.report.git_commit() == "unknown"
    monkeypatch.undo()
    assert cq.report.git_commit(tmp_path) == "unknown"  # not a repository


# --- bulletin ----------------------------------------------------------------------


def test_bulletin_by_hand():
    idx = pd.period_range("2009-01", "2010-03", freq="M")
    monthly = pd.DataFrame({"export": np.arange(15) + 10.0, "import": np.arange(15) + 20.0},
                           index=idx) * 1e8
    rates = pd.Series([7.0, 6.0], index=pd.PeriodIndex(["2010-01", "2010-02"], freq="M"))
    b = cq.bulletin(monthly, "2010-02-28", rates=rates)
    assert list(b.index.get_level_values("period").unique().astype(str)) == ["2010-01", "2010-02"]
    feb = b.loc[("2010-02", "export")]
    assert feb["month_yi_usd"] == 23 and feb["ytd_yi_usd"] == 22 + 23
    assert feb["yoy_pct"] == pytest.approx((23 / 11 - 1) * 100)
    assert feb["ytd_yoy_pct"] == pytest.approx(((22 + 23) / (10 + 11) - 1) * 100)
    assert feb["mom_pct"] == pytest.approx((23 / 22 - 1) * 100)
    assert feb["month_yi_cny"] == 23 * 6 and feb["ytd_yi_cny"] == 22 * 7 + 23 * 6
    tot = b.loc[("2010-01", "total")]
    assert tot["month_yi_usd"] == 22 + 32 and tot["note"] == ""


def test_bulletin_growth_on_nothing_is_nan_not_inf():
    """Imports that start this year, and a month after an empty one: no inf, no warning."""
    idx = pd.period_range("2009-01", "2010-03", freq="M")
    monthly = pd.DataFrame({"export": [5.0] * 15, "import": [0.0] * 13 + [4.0, 6.0]},
                           index=idx) * 1e8
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = cq.bulletin(monthly, "2010-03-31", rates=pd.Series(dtype="float64"))
    imp = b.xs("import", level="direction")
    assert np.isnan(imp["yoy_pct"]).all() and np.isnan(imp["ytd_yoy_pct"]).all()
    assert np.isnan(imp.loc["2010-02", "mom_pct"]) and imp.loc["2010-03", "mom_pct"] == 50.0
    assert not np.isinf(b.select_dtypes("number").to_numpy()).any()
    assert b.loc[("2010-03", "total"), "yoy_pct"] == pytest.approx((11 / 5 - 1) * 100)


def test_bulletin_says_when_the_rate_table_does_not_cover_a_month():
    decl = cq.data.load_declarations("sample", as_of="2005-05-31")
    b = cq.bulletin(decl, "2005-05-31")
    jan = b.loc[("2005-01", "total")]
    assert np.isnan(jan["month_yi_cny"]) and "未覆盖" in jan["note"]
    may = b.loc[("2005-05", "total")]
    assert may["cny_per_usd"] == pytest.approx(8.2765, abs=1e-3) and np.isnan(may["ytd_yi_cny"])
    assert "earlier month" in may["note"]


def test_bulletin_workbook_has_chinese_and_english_sheets(report):
    book = pd.read_excel(report["out"] / "bulletin.xlsx", sheet_name=None)
    assert list(book) == ["快报", "bulletin", "说明 notes"]
    assert "当月（亿美元）" in book["快报"].columns and "环比%" in book["快报"].columns
    assert set(book["bulletin"]["period"].astype(str)) == {f"2010-{m:02d}" for m in range(1, 11)}


# --- seasonal adjustment -----------------------------------------------------------


def test_seasonal_adjustment_recovers_a_known_festival_effect():
    from ciqanalysis.forecast.calendar import festival_regressor

    idx = pd.period_range("2001-01", "2010-12", freq="M")
    rng = np.random.default_rng(3)
    season = 0.15 * np.cos(2 * np.pi * idx.month.to_numpy() / 12)
    x = pd.Series(np.exp(4 + 0.01 * np.arange(len(idx)) + season
                         - 0.25 * festival_regressor(idx).to_numpy()
                         + rng.normal(0, 0.01, len(idx))), index=idx)
    out = cq.seasonally_adjust(x)
    assert out.attrs["festival_coef"] == pytest.approx(-0.25, abs=0.03)
    growth = cq.seasonal.growth_3m3m(out["sa"]).dropna()
    assert growth.median() == pytest.approx((np.exp(0.12) - 1) * 100, abs=1.5)  # 1 %/month


def test_seasonal_adjustment_refuses_bad_input():
    idx = pd.period_range("2008-01", periods=40, freq="M")
    with pytest.raises(ParameterError, match="36 months"):
        cq.seasonally_adjust(pd.Series(1.0, index=idx[:20]))
    with pytest.raises(ParameterError, match="negative"):
        cq.seasonally_adjust(pd.Series(np.r_[0.0, np.ones(39)], index=idx))
    with pytest.raises(ParameterError, match="monthly PeriodIndex"):
        cq.seasonal.growth_3m3m(pd.Series([1.0, 2.0]))
    # the notebook asks first: the same sentences, months named
    zero = pd.Series(np.r_[np.ones(14), 0.0, 0.0, np.ones(24)], index=idx)
    assert cq.seasonal.cannot_adjust(zero) == (
        "seasonal adjustment works on logarithms; 2 month(s) are zero or negative "
        "(2009-03, 2009-04)")
    assert cq.seasonal.cannot_adjust(pd.Series(2.0, index=idx)) is None



def test_known_forecast_flags_read_in_chinese():
    flag = "import: partial month 2010-11: share done 0.675 (earlier years' daily data)"
    zh = content._flag_text(flag, content.strings("zh"))
    assert zh == "进口：2010-11为不完整月份，按往年同日已完成比例（0.675）补足"
    assert content._flag_text(flag, content.strings("en")) == flag
    assert content._flag_text("something new", content.strings("zh")) == "something new"


def test_forecast_notes_of_known_kinds_read_in_chinese():
    # the Chinese memo printed every note but the partial month in English
    from ciqanalysis.forecast.nowcast import _annual_points, _fill_empty_months

    _, empty = _fill_empty_months(pd.Series(
        [1.0, 2.0], index=pd.PeriodIndex(["2009-01", "2009-04"], freq="M")))
    _, skewed = _annual_points({2011: np.array([1.0, 1.0, 10.0])})
    zh = content.strings("zh")
    assert set(content.FLAG_PATTERNS) == set(zh["flags"])
    assert content._flag_text(f"import: {empty}", zh) == (
        "进口：2个月没有任何报检记录（2009-02, 2009-03），按0计；如系数据缺失而非确无进出境货物，请补齐数据")
    text = content._flag_text(f"export: {skewed[0]}", zh)
    assert text.startswith("出口：2011年模拟全年值的均值是中位数的4.0倍") and "点预测取中位数" in text
    assert content._flag_text(f"import: {empty}", content.strings("en")) == f"import: {empty}"
    # the outliers the default method's variants took out (the words of forecast()'s flag)
    from ciqanalysis.forecast.models.outliers import describe_outliers

    t = np.arange(96)
    z = 0.01 * t + 0.1 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 0.01, 96)
    z[60:] -= 0.3
    found = describe_outliers(np.exp(z), 12, pd.period_range("2001-01", periods=96, freq="M"))
    assert content._flag_text(f"import: {found}", zh) == (
        "进口：自动识别的异常值（Chen-Liu方法；AO为加性异常值，LS为水平漂移，TC为暂时变化），"
        "异常值调整模型已将其剔除：LS 2006-01 -24.0 %")


def test_the_method_paragraph_is_the_memos_own_in_both_languages(report):
    # the document once described an older method (backtest weights, a total forecast
    # as its own series) while the memo's numbers came from the default method
    m = report["numbers"]
    en = _squash(re.sub(r"<[^>]+>", " ", html_lib.unescape(
        (report["out"] / "forecast-memo.html").read_text(encoding="utf-8"))))
    zh = _squash(re.sub(r"<[^>]+>", " ", (report["out"] / "forecast-memo.zh.html").read_text(
        encoding="utf-8")))
    assert _squash(m.method) in en
    assert "itsownseries" not in en and "单独预测" not in zh
    assert "逐条路径相加" in zh and "草稿设置" in zh  # quick settings say so


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_method_paragraph_names_the_default_methods_members(lang):
    from ciqanalysis.forecast import DEFAULT_METHOD
    from ciqanalysis.report.memo import _method_text

    text = content.strings("zh")["method"] if lang == "zh" else _method_text({})
    words = {"ets": "ETS", "theta_opt": "Theta", "arima_auto": "ARIMA", "ces": "CES",
             "ar@level": "自回归" if lang == "zh" else "autoregression",
             "ar_long@level": "25"}
    assert all(words[name] in text for name in DEFAULT_METHOD)
    assert ("中位数" if lang == "zh" else "median") in text


def test_a_year_end_memo_does_not_estimate_the_year_it_has_seen_whole():
    # as of 31 December the headline said "likely to come to about 44.77 (95 % interval
    # 44.77-44.77)", the figure of the sentence before it
    from ciqanalysis.report.memo import compute_memo, render_memo

    memo = compute_memo("sample", "2009-12-31", quick=True)
    for lang, gone, kept in (("en", "likely to come to", "For 2010 plan on about"),
                             ("zh", "预计2009年全年", "2010年预计")):
        html = render_memo(memo, lang=lang)
        assert gone not in html and kept in html
    assert "likely to come to" in render_memo(compute_memo("sample", "2009-12-30", quick=True))


# --- the memo read as a director and a forecaster would ----------------------------


@pytest.fixture(scope="module")
def quick_memo():
    return cq.report.compute_memo("sample", "2010-11-20", quick=True)


def _headline_table(doc):
    return next(b for k, b in doc["sections"][0]["blocks"] if k == "table")


def _num(text: str) -> float:
    return float(text.replace(",", ""))


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _with_next_year(m, export: float, import_: float, width: float):
    """The memo with next year's means set (亿美元) and 95 % intervals of a given width."""
    from dataclasses import replace

    out = m.outlook.copy()
    for d, mean in (("export", export), ("import", import_), ("total", export + import_)):
        out.loc[(d, m.year + 1), ["mean", "lower_95", "upper_95", "lower_80", "upper_80"]] = [
            mean * 1e8, (mean - width) * 1e8, (mean + width) * 1e8, (mean - width / 2) * 1e8,
            (mean + width / 2) * 1e8]
    return replace(m, outlook=out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_printed_exports_and_imports_add_up_to_the_printed_total(quick_memo, lang):
    # the table printed 2011: exports 22, imports 30, total 51 (and 23 + 31 against 53
    # in the full memo): each rounded to its own interval, the parts did not add up
    for m in (quick_memo, _with_next_year(quick_memo, 22.75, 30.52, 12.0)):
        rows = {r[0]: r for r in _headline_table(content.memo_document(m, lang))["rows"]}
        names = content.strings(lang)["directions"]
        ex, im, tot = (rows[names[d]] for d in ("export", "import", "total"))
        for col in (1, 3, 6):  # year to date, this year, next year
            assert _decimals(ex[col]) == _decimals(im[col]) == _decimals(tot[col]), col
            scale = 10 ** _decimals(tot[col])
            assert round(_num(ex[col]) * scale) + round(_num(im[col]) * scale) == round(
                _num(tot[col]) * scale), (col, ex[col], im[col], tot[col])
        printed = content.memo_numbers_json(m)["printed"]  # the JSON records what is printed
        assert [printed[d]["nxt"] for d in ("export", "import", "total")] == [ex[6], im[6], tot[6]]
        for d, value in (("export", 22.75), ("import", 30.52), ("total", 53.27)):
            if m is not quick_memo:  # every printed part within one unit of its value
                assert abs(_num(printed[d]["nxt"]) - value) < 1


def test_additive_rounding_by_hand():
    assert content.additive_round({"a": 22.75, "b": 30.52}, 53.27, 0) == {
        "a": "23", "b": "30", "total": "53"}
    out = content.additive_round({"a": 1.4, "b": 1.4, "c": 1.4}, 4.2, 0)
    assert sum(int(out[k]) for k in "abc") == int(out["total"]) == 4
    assert content.additive_round({"a": 19.91, "b": 26.18}, 46.09, 2) == {
        "a": "19.91", "b": "26.18", "total": "46.09"}  # nothing to adjust: plain rounding


def test_revisions_are_the_differences_of_the_printed_numbers(quick_memo):
    # a revision of -5 printed beside 57 -> 51: the revision of the unrounded values,
    # not the difference a director computes from the two numbers beside it
    previous = json.loads(json.dumps(content.memo_numbers_json(quick_memo)))
    for d, shift in (("export", 2.7), ("import", 2.75), ("total", 5.45)):
        previous["outlook"][d]["next"]["mean"] += shift
    for lang in ("zh", "en"):
        doc = content.memo_document(quick_memo, lang, previous)
        section = doc["sections"][3]
        rows = next(b for k, b in section["blocks"] if k == "table")["rows"]
        assert len(rows) == 6
        for _, before, after, revision in rows:
            assert _num(revision) == pytest.approx(_num(after) - _num(before)), rows
        nxt = [r for r in rows if str(quick_memo.year + 1) in r[0]]
        assert _num(nxt[0][3]) + _num(nxt[1][3]) == pytest.approx(_num(nxt[2][3]))


@pytest.fixture(scope="module")
def june_memo():
    return cq.report.compute_memo("sample", "2010-06-30", quick=True)


def test_the_chinese_memo_says_what_the_cut_left_out(june_memo):
    # the English sources said "22,594 dated after the as-of date left out"; the Chinese
    # memo's sources had no such row
    dates = pd.read_csv(SAMPLE, usecols=["date"], parse_dates=["date"])["date"]
    later = int((dates > "2010-06-30").sum())
    kept = int((dates <= "2010-06-30").sum())
    assert later > 0
    for lang in ("zh", "en"):
        doc = content.memo_document(june_memo, lang)
        rows = next(b for k, b in doc["sections"][-1]["blocks"] if k == "table")["rows"]
        text = " ".join(" ".join(r) for r in rows)
        assert f"{later:,}" in text and f"{kept:,}" in text, lang
        assert "截止日期截断" in text  # one term in both (the English row said 截至日期截断)


def test_the_chinese_memo_has_no_english_in_its_tables_and_notes(quick_memo):
    doc = content.memo_document(quick_memo, "zh")
    cells = [c for sec in doc["sections"] for k, b in sec["blocks"] if k == "table"
             for r in [b["columns"], *b["rows"]] for c in r]
    assert "n/a" not in cells  # the track record's empty benchmark cells
    track = next(b for k, b in doc["sections"][4]["blocks"] if k == "table")
    assert all(", " not in c for c in track["columns"])
    assert all(re.search(r"[a-z]{3,}", c) is None
               for c in track["columns"] + [r[0] for r in track["rows"]])
    note = next(b for k, b in doc["sections"][0]["blocks"] if k == "note")
    assert ", " not in note and "。 " not in note
    risk = next(b for k, b in doc["sections"][2]["blocks"] if k == "p")
    assert "近2" not in risk  # "全国增速近2000–2009年的标准差": 近 beside explicit years


def test_the_method_paragraph_says_how_the_printed_points_are_made(quick_memo):
    # it said "the point forecast is the median of the six" while every figure of the
    # memo is the mean of the simulated paths (the median only for skewed paths)
    from ciqanalysis.report.memo import _method_text

    full = _method_text({})
    assert "means of those paths" in full and "1.2 times their median" in full
    assert full.count("statsmodels") == 1  # said twice
    assert "without a seasonal component" in full  # the Chinese said it, the English not
    zh = content.memo_document(quick_memo, "zh")["sections"][4]["blocks"][-1][1]
    assert "模拟路径的均值" in zh and "1.2倍" in zh
    assert "下文" not in zh and "上表" in zh  # the paragraph follows the track-record table


def test_a_year_end_memo_has_no_nowcast_columns(quick_memo):
    # as of 31 December the table still had "2009 nowcast 44.77, 95 % interval 44.77-44.77"
    from dataclasses import replace

    m = replace(quick_memo, as_of=pd.Timestamp("2010-12-31"))
    for lang in ("zh", "en"):
        table = _headline_table(content.memo_document(m, lang))
        assert len(table["columns"]) == 6 and all(len(r) == 6 for r in table["rows"])
        assert {"zh": "2010年预计", "en": "2010 nowcast"}[lang] not in table["columns"]
        assert {"zh": "2011年预计", "en": "2011 forecast"}[lang] in table["columns"]
        assert not any(re.fullmatch(r"([\d.]+)–\1", c) for r in table["rows"] for c in r)


def test_bulletin_rows_carry_the_synthetic_label(report):
    book = pd.read_excel(report["out"] / "bulletin.xlsx", sheet_name=None)
    assert book["快报"]["说明"].astype(str).str.startswith("SYNTHETIC sample data 合成数据").all()
    assert book["bulletin"]["note"].astype(str).str.startswith("SYNTHETIC").all()


def test_the_track_record_is_read_in_words_from_its_table(quick_memo):
    # the memo said only "interval coverage should be close to the nominal level" beside
    # next-year 80 % intervals that held 12 and 11 of 18 outcomes
    from dataclasses import replace

    years = pd.read_csv(cq.paths.repo_root() / "notebooks" / "reference"
                        / "02-track-record-years.csv", comment="#")
    nxt = years[years["target"] == "next"]
    by = nxt.groupby("direction")
    n = int(nxt["year"].nunique())
    mape = by["error_pct"].apply(lambda e: e.abs().mean())
    same = by["bench_same_error_pct"].apply(lambda e: e.abs().mean())
    growth = by["bench_growth_error_pct"].apply(lambda e: e.abs().mean())
    held = {lv: by[f"inside_{lv}"].sum() for lv in (80, 95)}
    table = pd.DataFrame({f"{d}s, next year Y+1": [
        mape[d], same[d], growth[d], held[80][d] / n * 100, held[95][d] / n * 100]
        for d in ("export", "import")}, index=pd.Index(
        ["method MAPE %", "benchmark: same as this year, MAPE %",
         "benchmark: this year's YTD growth, MAPE %", "80 % interval coverage %",
         "95 % interval coverage %"], name="measure"))
    m = replace(quick_memo, track=table, track_info={**quick_memo.track_info, "n": n})
    en = content.track_reading(m, content.strings("en"))
    bench = pd.concat([same, growth])
    assert en.startswith(f"Over these {n} years")
    assert f"{mape['export']:.1f} % (exports) and {mape['import']:.1f} % (imports)" in en
    assert f"{bench.min():.1f}–{bench.max():.1f} %" in en
    assert (f"95 % intervals held the outcome in {held[95]['export']} (exports) and "
            f"{held[95]['import']} (imports) of the {n} years") in en
    assert f"80 % intervals in {held[80]['export']} and {held[80]['import']}" in en
    assert "fewer than the nominal" in en  # 12 and 11 of 18 against 80 %
    zh = content.track_reading(m, content.strings("zh"))
    assert f"出口{held[80]['export']}年、进口{held[80]['import']}年" in zh and "低于名义水平" in zh
    doc = content.memo_document(m, "zh")
    assert ("p", zh) in doc["sections"][4]["blocks"]


def test_the_partial_month_note_names_where_its_share_came_from():
    # the Chinese note said "按往年同日已完成比例" (earlier years' share) also when the
    # share was the calendar's (no daily history) or given by the caller
    zh = content.strings("zh")
    cal = "export: partial month 2010-11: share done 0.667 (calendar days 20/30; no daily history)"
    text = content._flag_text(cal, zh)
    assert "往年同日" not in text and "日历天数比例（20/30，即0.667）" in text
    given = content._flag_text("import: partial month 2010-11: share done 0.500 (given)", zh)
    assert "往年同日" not in given and "给定" in given and "0.500" in given


def test_bulletin_exports_and_imports_add_up_to_the_total(report, june_memo):
    # June 2010 printed 当月 2.13 + 2.43 against 4.57 and 累计 10.60 + 14.18 against 24.77
    book = pd.read_excel(report["out"] / "bulletin.xlsx", sheet_name="快报")
    for col in ("当月（亿美元）", "累计（亿美元）", "当月（亿元人民币）", "累计（亿元人民币）"):
        wide = book.pivot(index="月份", columns="项目", values=col).dropna()
        assert len(wide) == 10, col
        cents = (wide * 100).round().astype(int)
        assert (cents["出口"] + cents["进口"] == cents["进出口合计"]).all(), col
    ytd = content.printed_outlook(june_memo)  # a month-end memo's 累计 is the bulletin's
    jun = book[book["月份"] == "2010-06"].set_index("项目")["累计（亿美元）"]
    assert [f"{jun[k]:.2f}" for k in ("出口", "进口", "进出口合计")] == [
        ytd[d]["ytd"] for d in ("export", "import", "total")]


def test_next_years_growth_interval_is_that_of_the_paths_ratio(june_memo):
    # as of 30 June the memo printed "+9 % on 2010 (95 % interval -24 % to +54 %)": next
    # year's bounds over this year's point, as if this year's total were known; on each
    # simulated path the two years move together, and the ratio's interval is -20 % to +44 %
    m = june_memo
    options = dict(cq.report.memo.QUICK_NOWCAST)
    decl = cq.data.load_declarations("sample", as_of=m.as_of)
    out = cq.forecast.nowcast_by_direction(decl, m.as_of, m.levels, m.seed, **options)
    paths = out["total"].annual_paths.to_numpy()
    ratio = paths[:, 1] / paths[:, 0] * 100 - 100
    lo, hi = np.quantile(ratio, [0.025, 0.975])
    naive = m.outlook.loc[("total", m.year + 1), "upper_95"] / m.outlook.loc[
        ("total", m.year), "mean"] * 100 - 100
    assert naive - hi > 2  # the two readings differ by more than rounding here
    d = content.decimals_for(lo, hi, max_decimals=1)
    for lang, text in (("en", f"interval {lo:+.{d}f} % to {hi:+.{d}f} %"),
                       ("zh", f"区间{lo:+.{d}f}%至{hi:+.{d}f}%")):
        doc = content.memo_document(m, lang)
        assert text in doc["headline"][-1], (lang, doc["headline"][-1])
        total = _headline_table(doc)["rows"][-1]
        growth = float(total[-1])
        assert growth == pytest.approx(m.outlook.loc[("total", m.year + 1), "mean"] / m.outlook.loc[
            ("total", m.year), "mean"] * 100 - 100, abs=0.5 * 10 ** -d)
