"""Users' own files end to end: every notebook and the memo on a matrix of generated files.

The matrix (``tests/userfiles.py``) varies counties, span, optional columns, direction
mix, product groups, headers (Chinese / English) and formats (Excel, CSV UTF-8 and
GBK, Parquet); no file has a declaration on 1 January or on the as-of day. Each file
runs through the four notebooks (in this process, with the report's ``--quick``
settings and few permutations) and the memo (``quick=True``). The text they show must
carry no synthetic label and no sentence true only of the sample.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbrun import run_notebook
from userfiles import MATRIX, UserFileSpec, make_frame, write_user_file

import ciqanalysis as cq
from ciqanalysis.errors import AsOfDateError, DataQualityWarning
from ciqanalysis.report.content import memo_numbers_json
from ciqanalysis.report.memo import compute_memo, render_memo

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: Phrases that may appear only with the sample (its label, the generator, the
#: article's zone products and the sample's own results).
SAMPLE_ONLY = [
    r"SYNTHETIC", r"synthetic sample", r"calibrat", r"by construction", r"ginseng",
    r"deer_products", r"seed_kernels", r"The late festival of 2010",
    r"The synthetic Jilin series", r"early 2010 are high",
]


@pytest.fixture(scope="module")
def matrix_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("userfiles")
    return {spec.name: (spec, write_user_file(spec, folder)) for spec in MATRIX}


def _as_of(spec: UserFileSpec) -> str:
    return spec.last  # the as-of day holds no declaration (skip_last)


@pytest.mark.parametrize("name", [s.name for s in MATRIX])
def test_notebooks_and_memo_run_on_user_files(matrix_files, name):
    spec, path = matrix_files[name]
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels convergence chatter on tiny series
        shown = []
        for nb in NOTEBOOKS:
            params = {"data_source": str(path), "as_of": _as_of(spec), "quick": True,
                      "permutations": 19}
            shown.append(run_notebook(nb, params))
        memo = compute_memo(str(path), _as_of(spec), quick=True)
        html = render_memo(memo)
    text = "\n".join(shown)
    for phrase in SAMPLE_ONLY:
        assert not re.search(phrase, text), f"{name}: sample-only text {phrase!r} shown"
    assert "user's own data" in text
    assert not memo.synthetic and "SYNTHETIC" not in html
    # what the file lacks is said in one sentence, not a failure
    if spec.directions == ("export",):
        assert "holds exports (出境) only" in text
    # the memo's numbers hold the flows the file holds, and the total: no zero forecasts
    numbers = memo_numbers_json(memo)
    assert set(numbers["outlook"]) == set(numbers["ytd"]) == {*spec.directions, "total"}
    if not spec.groups or "product_group" not in spec.columns:
        assert "no product-group column (产品类别)" in text
    if len(spec.counties) < 40:
        assert "Not in this file" in text
    assert time.perf_counter() - started < 60


def test_as_of_cuts_a_user_file_and_counts_rows_left_out(tmp_path):
    spec = MATRIX[0]
    path = write_user_file(spec, tmp_path)
    full = cq.data.load_declarations(path)
    cut = cq.data.load_declarations(path, as_of="2010-06-05")  # a Saturday
    later = int((full["date"] > pd.Timestamp("2010-06-05")).sum())
    assert later > 0 and cut.attrs["rows_after_as_of"] == later
    assert len(cut) + later == len(full)
    support = cq.narrative.data_support(cut, "2010-06-05")
    assert f"{later:,} dated after the as-of date are left out" in cq.narrative.cut_note(support)
    sample = cq.data.load_declarations("sample", as_of="2010-06-05")
    assert sample.attrs["rows_after_as_of"] > 0  # the same rule for the sample
    with pytest.raises(AsOfDateError, match="after the last declaration"):
        cq.data.load_declarations(path, as_of="2011-03-01")


def test_usd_under_a_wan_header_is_flagged_with_its_likely_cause(tmp_path):
    spec = UserFileSpec("usd-as-wan", ("220102", "220621"), "2009-01-05", "2010-11-19",
                        value_scale=1e4, seed=7)
    path = write_user_file(spec, tmp_path)
    with pytest.warns(DataQualityWarning, match="implausible"):
        decl = cq.data.load_declarations(path)
    flags = decl.attrs["flags"]
    totals = flags[flags["issue"].str.startswith("implausible year total")]
    assert len(totals) >= 2
    assert totals["issue"].str.contains("values look like US dollars under a 万美元 header").all()


def test_plausible_file_has_no_plausibility_flag(tmp_path):
    path = write_user_file(MATRIX[1], tmp_path)
    decl = cq.data.load_declarations(path)
    assert not decl.attrs["flags"]["issue"].str.startswith(("implausible", "date far")).any()


def test_stray_date_and_huge_value_are_flagged(tmp_path):
    frame = make_frame(MATRIX[3])
    date_col, value_col = "date", "value_10k_usd"
    frame.loc[5, date_col] = "2030-05-04"
    frame.loc[7, value_col] = 1e16  # 1e20 US dollars in 万美元
    path = tmp_path / "odd.csv"
    frame.to_csv(path, index=False)
    with pytest.warns(DataQualityWarning):
        decl = cq.data.load_declarations(path)
    flags = decl.attrs["flags"]
    stray = flags[flags["issue"].str.startswith("date far from the rest")]
    assert stray["row"].tolist() == [7]  # header is row 1
    big = flags[flags["issue"].str.startswith("implausible consignment value")]
    assert big["row"].tolist() == [9]
    # the as-of date leaves the 2030 row out
    with pytest.warns(DataQualityWarning):
        cut = cq.data.load_declarations(path, as_of=MATRIX[3].last)
    assert cut.attrs["rows_after_as_of"] == 1


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    counties=st.lists(st.sampled_from(["220102", "220621", "220724", "222424", "220582",
                                       "220381"]), min_size=1, max_size=4, unique=True),
    start=st.dates(min_value=pd.Timestamp("2005-01-02").date(),
                   max_value=pd.Timestamp("2009-06-30").date()),
    directions=st.sampled_from([("export",), ("import",), ("export", "import")]),
    headers=st.sampled_from(["zh", "en"]),
    optional=st.sampled_from([(), ("decl_id", "product_group"), ("hs2", "port")]),
)
def test_generated_files_read_and_describe_what_they_hold(tmp_path_factory, counties, start,
                                                          directions, headers, optional):
    spec = UserFileSpec("gen", tuple(counties), str(start), "2010-10-15", directions=directions,
                        headers=headers, columns=optional, rows_per_year=40, seed=11)
    path = write_user_file(spec, tmp_path_factory.mktemp("gen"))
    decl = cq.data.load_declarations(path, as_of="2010-10-15")
    support = cq.narrative.data_support(decl, "2010-10-15")
    assert set(support.directions) == set(directions)
    assert set(support.counties) <= set(counties)
    assert support.has_product_groups == ("product_group" in optional)
    assert support.full_years[-1] == 2010
    # 2009 counts from 1 January when the first declaration falls within its first ten days
    assert (support.lacks("previous year") is None) == (
        decl["date"].min() <= pd.Timestamp("2009-01-10"))
    headline = cq.ytd_headline(decl, "2010-10-15")
    assert set(headline.index) == {*directions, "total"}


def test_a_file_shorter_than_a_year_says_what_cannot_be_computed(tmp_path):
    spec = UserFileSpec("seven-months", ("220102", "220621"), "2010-03-01", "2010-09-30",
                        seed=9)
    path = write_user_file(spec, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = "\n".join(run_notebook(nb, {"data_source": str(path), "as_of": spec.last,
                                           "quick": True, "permutations": 19})
                         for nb in NOTEBOOKS if not nb.name.startswith("02"))
    assert "starts on 2010-03-01; the year-to-date chart needs data from 1 January 2009" in text
    assert "covers 0 years from 1 January" in text
    with pytest.raises(AsOfDateError, match="leaves less than a year of data"):
        compute_memo(str(path), spec.last, quick=True)


def test_a_file_with_months_without_declarations_gets_a_memo_that_says_so(tmp_path):
    # no declaration at all in March and April 2009 (an outage, or no trade): the memo
    # used to stop with "y has gaps: 2 missing period(s)"; it now counts them as zero
    # and its forecast notes name the months
    frame = make_frame(UserFileSpec("gap", ("220102", "220621"), "2006-01-03", "2010-11-19",
                                    headers="en", seed=12))
    frame = frame.loc[~frame["date"].str.startswith(("2009-03", "2009-04"))]
    path = tmp_path / "gap.csv"
    frame.to_csv(path, index=False)
    memo = compute_memo(str(path), "2010-11-19", quick=True)
    notes = [f for f in memo.track_info["flags"] if "empty_months" in f]
    assert {n.split(":")[0] for n in notes} == {"export", "import"}
    assert all("2 month(s) without any declaration (2009-03, 2009-04)" in n for n in notes)
    assert "2009-03, 2009-04" in render_memo(memo)
    zh = render_memo(memo, lang="zh")
    assert "出口：2个月没有任何报检记录（2009-03, 2009-04），按0计" in zh
    assert "empty_months" not in zh
    # notebook 01 stopped in its seasonal adjustment cell on the zero months; it now
    # says why that section is left out
    nb01 = next(nb for nb in NOTEBOOKS if nb.name.startswith("01"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = run_notebook(nb01, {"data_source": str(path), "as_of": "2010-11-19"})
    assert ("This section is left out: seasonal adjustment works on logarithms; 2 month(s) "
            "are zero or negative (2009-03, 2009-04)") in text


def test_a_file_starting_within_last_year_has_no_growth_on_it(tmp_path):
    # a file from 10 August 2009, memo as of 2010-11-20: the headline said "down n/a %"
    # and "growth of +359 % on 2009" (five months of 2009 taken for the year); the
    # memo's JSON held NaN, which strict JSON readers refuse
    import json

    from ciqanalysis.report.formats import write_memo_files

    frame = make_frame(UserFileSpec("late", ("220102", "220621"), "2009-08-10", "2010-11-19",
                                    headers="en", seed=13))
    path = tmp_path / "late.csv"
    frame.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fifteen months: the quick model may fall back
        memo = compute_memo(str(path), "2010-11-20", quick=True)
    assert memo.last_year.isna().all()
    html = render_memo(memo)
    assert "n/a %" not in html and "the data do not cover all of 2009, so there is no growth" in html
    assert "数据未覆盖2009年同期，无法计算同比" in render_memo(memo, lang="zh")
    (tmp_path / "out").mkdir()
    write_memo_files(memo, tmp_path / "out", langs=("en",), formats=("html",))
    numbers = json.loads((tmp_path / "out" / "forecast-memo.json").read_text(encoding="utf-8"),
                         parse_constant=lambda c: pytest.fail(f"non-standard JSON constant {c}"))
    assert numbers["ytd"]["total"]["growth_pct"] is None
