"""Report plumbing: published-figure checks, notebook handling, the forecast memo."""

from __future__ import annotations

import base64
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis import published
from ciqanalysis.config import parse_as_of
from ciqanalysis.errors import AsOfDateError, ParameterError, SchemaError
from ciqanalysis.provenance import SYNTHETIC_TAG
from ciqanalysis.report import memo as memo_mod
from ciqanalysis.report import notebooks as nbmod

SAMPLE = cq.paths.sample_dir() / "declarations.csv.gz"
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="synthetic sample not generated")


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return cq.data.load("published_figures")


# --- published figures -------------------------------------------------------------


def test_published_precision_counts_printed_digits():
    got = published.published_precision(pd.Series([46.09, 18.22, 1.2, 64.0, 5175.0, 0.5]))
    assert got.tolist() == [2, 2, 1, 0, 0, 1]


def test_compare_passes_only_when_rounding_matches(figures):
    table = published.compare_with_published(
        {"F1": 46.0949, "F3": 19.9151, "F14": 5175.0, "F15": 1.149}, figures
    )
    assert table.loc["F1", "pass"] and table.loc["F14", "pass"]
    assert not table.loc["F3", "pass"]  # 19.9151 rounds to 19.92
    assert not table.loc["F15", "pass"]  # 1.149 rounds to 1.1, not 1.2
    assert table.loc["F3", "recomputed"] == pytest.approx(19.92)
    assert table.loc["F1", "difference"] == pytest.approx(46.0949 - 46.09)


def test_compare_rejects_unknown_ids(figures):
    with pytest.raises(ParameterError, match="F99"):
        published.compare_with_published({"F99": 1.0}, figures)


def test_identities_hold_for_the_article(figures):
    checks = published.identity_checks(figures)
    assert checks["consistent"].all()
    # the two sides agree to the rounding of the printed figures, not exactly
    assert checks["difference"].abs().max() < 0.01
    assert (checks["lhs_low"] <= checks["lhs"]).all() and (checks["lhs"] <= checks["lhs_high"]).all()


def test_identities_catch_a_misprint(figures):
    bad = figures.copy()
    bad.loc[bad["id"] == "F1", "value"] = 46.19  # a typo in the total
    checks = published.identity_checks(bad)
    assert not checks.loc[checks.index[0], "consistent"]
    bad = figures.copy()
    bad.loc[bad["id"] == "F2", "value"] = 18.32  # total growth off by 0.1 pp
    checks = published.identity_checks(bad)
    assert not checks.iloc[2]["consistent"]  # contributions no longer add up


def test_identity_checks_need_f1_to_f6(figures):
    with pytest.raises(SchemaError, match="F4"):
        published.identity_checks(figures.loc[figures["id"] != "F4"])


def test_count_figures_by_hand():
    decl = pd.DataFrame({
        "date": pd.to_datetime(["2010-01-05", "2010-03-01", "2010-11-20", "2010-11-21",
                                "2009-06-01"]),
        "enterprise_id": ["e1", "e2", "e1", "e3", "e4"],
        "value_usd": [3e7, 5e7, 4e7, 9e7, 1e7],
        "direct_release": [True, True, False, True, True],
        "key_enterprise": [True, False, True, True, True],
    })
    zones = pd.DataFrame({"zone_id": ["z1", "z1", "z2", "z3"],
                          "launch_date": pd.to_datetime(["2010-06-01"] * 2 + ["2010-12-01",
                                                                              "2010-07-01"]),
                          "batch": [1, 1, 1, 2]})
    memos = pd.DataFrame({"memo_id": ["m1", "m2", "m3"],
                          "date": pd.to_datetime(["2009-05-01", "2010-11-20", "2010-11-22"])})
    got = published.count_figures(decl, zones, memos, as_of="2010-11-20")["value"]
    # key enterprises in 2010 up to the cut: e1 only (e3's row is after it, e4's in 2009)
    assert got.to_dict() == {"F7": 1.0, "F13": 2.0, "F14": 2.0, "F15": 0.8, "F16": 2.0,
                             "F17": 1.0}


def test_count_figures_names_missing_columns():
    with pytest.raises(SchemaError, match="enterprise_id"):
        published.count_figures(pd.DataFrame({"date": [], "value_usd": []}))


def test_count_figures_without_flags_leaves_them_out_but_never_guesses():
    decl = pd.DataFrame({"date": pd.to_datetime(["2010-01-05", "2010-02-01"]),
                         "enterprise_id": ["e1", "e2"], "value_usd": [1e7, 2e7],
                         "direct_release": [True, False],
                         "key_enterprise": pd.array([pd.NA, pd.NA], dtype="boolean")})
    got = published.count_figures(decl, as_of="2010-11-20")
    assert list(got.index) == ["F13", "F14", "F15"]  # no key-enterprise flag in the file
    decl["key_enterprise"] = pd.array([True, pd.NA], dtype="boolean")
    with pytest.raises(SchemaError, match="key_enterprise.*1 of 2 rows"):
        published.count_figures(decl, as_of="2010-11-20")


@needs_sample
def test_sample_reproduces_every_recomputable_figure(figures):
    decl = cq.data.load_declarations("sample", as_of="2010-11-20")
    table = published.check_published(decl, figures, zones=cq.data.load("zones"),
                                       memoranda=cq.data.load("memoranda"), as_of="2010-11-20")
    assert list(table.index) == ["F1", "F2", "F3", "F4", "F5", "F6", "F7", "F13", "F14",
                                 "F15", "F16", "F17"]
    assert table["pass"].all(), table.loc[~table["pass"]]
    # a different cut no longer reproduces the article: the check can fail
    early = published.check_published(decl, figures, as_of="2010-10-31")
    assert not early.loc["F1", "pass"]


# --- notebooks ---------------------------------------------------------------------


def _nb(*sources, outputs=None):
    cells = [nbformat.v4.new_code_cell(s, id=f"c{i}", execution_count=i + 1)
             for i, s in enumerate(sources)]
    cells[0].metadata["tags"] = ["parameters"]
    for i, outs in (outputs or {}).items():
        cells[i].outputs = outs
    return nbformat.v4.new_notebook(cells=cells)


def test_clean_notebook_strips_run_noise_only():
    nb = _nb("a = 1", "b = a + 1", outputs={1: [nbformat.v4.new_output("stream", text="2\n")]})
    inj = nbformat.v4.new_code_cell("a = 2", id="inj", metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(1, inj)
    nb.metadata["papermill"] = {"start_time": "x", "duration": 1.0}
    nb.cells[2].metadata["papermill"] = {"duration": 0.1}
    nb.cells[2].metadata["execution"] = {"iopub.execute_input": "t"}
    kept = nbmod.clean_notebook(nbformat.from_dict(nb), drop_injected=False)
    assert "papermill" not in kept.metadata and len(kept.cells) == 3
    dropped = nbmod.clean_notebook(nb, drop_injected=True)
    assert [c.id for c in dropped.cells] == ["c0", "c1"]
    assert dict(dropped.cells[1].metadata) == {}
    assert dropped.cells[1].outputs[0]["text"] == "2\n"


def test_notebook_problems_finds_each_breach(tmp_path):
    nb = _nb("x = 1", "plt.plot([1]);", "y = 2",
             outputs={2: [nbformat.v4.new_output("stream", name="stderr", text="Warning!")]})
    nb.cells[2].execution_count = 7
    path = tmp_path / "bad.ipynb"
    nbformat.write(nb, path)
    problems = nbmod.notebook_problems(path)
    assert any("ends with ';'" in p for p in problems)
    assert any("stderr" in p for p in problems)
    assert any("execution count 7" in p for p in problems)
    nb.cells[0].metadata["tags"] = []
    nbformat.write(nb, path)
    assert any("parameters" in p for p in nbmod.notebook_problems(path))
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={
        "image/png": "iVBORw0KGgo=", "text/plain": "<Figure size 640x480 with 1 Axes>"})]
    nbformat.write(nb, path)
    assert any("%matplotlib inline" in p for p in nbmod.notebook_problems(path))


def test_an_ignored_output_needs_a_check_in_the_next_cell(tmp_path):
    nb = _nb("x = 1", "show(table)", "print(cq.check_reference(table, 'name'))")
    nb.cells[1].metadata["tags"] = ["nbval-ignore-output"]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    assert nbmod.notebook_problems(path) == []
    nb.cells[2].source = "print('nothing checked')"
    nbformat.write(nb, path)
    assert any("nbval ignores its output" in p for p in nbmod.notebook_problems(path))


@pytest.mark.parametrize("path", nbmod.find_notebooks(), ids=lambda p: p.stem)
def test_committed_notebooks_follow_the_house_rules(path):
    assert nbmod.notebook_problems(path) == []
    params = nbmod.notebook_parameters(path)
    assert {"data_source", "as_of", "seed"} <= set(params)
    assert params["as_of"].strip("'\"") == memo_mod.DEFAULT_AS_OF


def test_find_notebooks_by_number_and_unknown():
    assert [p.stem for p in nbmod.find_notebooks(["00"])] == ["00-published-figures"]
    with pytest.raises(ParameterError, match="no notebook matches '99'"):
        nbmod.find_notebooks(["99"])


# --- the memo ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2010-13-01", "20/11/2010", "yesterday", ""])
def test_parse_as_of_rejects_bad_dates(text):
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        parse_as_of(text, **memo_mod.AS_OF_RULE)


def test_parse_as_of_rejects_dates_before_2002():
    with pytest.raises(AsOfDateError, match="before 2002-01-01"):
        parse_as_of("2001-06-30", **memo_mod.AS_OF_RULE)


@pytest.fixture(scope="module")
def sample_memo():
    if not SAMPLE.exists():
        pytest.skip("synthetic sample not generated")
    return memo_mod.compute_memo("sample", "2010-11-20", seed=7, quick=True)


def _check_outlook(m):
    out = m.outlook
    assert set(out.index.get_level_values("direction")) == {"export", "import", "total"}
    assert set(out.index.get_level_values("year")) == {m.year, m.year + 1}
    cols = ["lower_95", "lower_80", "mean", "upper_80", "upper_95"]
    ordered = np.diff(out[cols].to_numpy(), axis=1)
    assert (ordered >= 0).all(), "intervals must be nested around the mean"
    assert (out[cols].to_numpy() > 0).all()
    # the full-year nowcast includes what was already inspected
    for d in ("export", "import", "total"):
        assert out.loc[(d, m.year), "lower_95"] >= m.ytd.loc[d, "value_usd"] * 0.999


def test_memo_numbers_on_the_sample(sample_memo):
    m = sample_memo
    assert m.synthetic and m.data_source == "sample" and m.seed == 7
    # year to date reproduces the article (F1, F3, F5 in 亿美元; F2 growth)
    assert round(m.ytd.loc["total", "value_usd"] / 1e8, 2) == 46.09
    assert round(m.ytd.loc["export", "value_usd"] / 1e8, 2) == 19.91
    assert round(m.ytd.loc["total", "growth_pct"], 2) == 18.22
    _check_outlook(m)
    # the monthly history ends in the as-of month and is cut at the as-of day
    assert m.monthly.index[-1] == pd.Period("2010-11", "M")
    nov = m.monthly.loc[pd.Period("2010-11", "M"), "total"]
    oct_ = m.monthly.loc[pd.Period("2010-10", "M"), "total"]
    assert 0 < nov < oct_  # 20 of 30 days
    assert not m.track.empty and m.version == cq.__version__


def test_memo_parts_add_up_to_the_total(sample_memo):
    out = sample_memo.outlook
    for year in (sample_memo.year, sample_memo.year + 1):
        parts = out.loc[("export", year), "mean"] + out.loc[("import", year), "mean"]
        assert out.loc[("total", year), "mean"] == pytest.approx(parts, rel=1e-12)
    # the fan chart is the total's monthly paths: its mean is the parts' monthly sum
    assert (sample_memo.fan["lower_95"] <= sample_memo.fan["mean"]).all()
    assert "total is their sum, path by path" in sample_memo.method


def test_memo_is_seeded(sample_memo):
    again = memo_mod.compute_memo("sample", "2010-11-20", seed=7, quick=True)
    pd.testing.assert_frame_equal(again.outlook, sample_memo.outlook)


def test_memo_html_carries_numbers_banner_and_chart(sample_memo):
    from ciqanalysis.report.content import decimals_for

    html = memo_mod.render_memo(sample_memo)
    assert SYNTHETIC_TAG in html
    total_next = sample_memo.outlook.loc[("total", 2011)] / 1e8
    digits = decimals_for(total_next["lower_95"], total_next["upper_95"])
    assert f"{total_next['mean']:,.{digits}f} 亿美元" in html  # rounded to what the interval supports
    png = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert png and base64.b64decode(png.group(1))[:4] == b"\x89PNG"
    assert "http://" not in html and "https://" not in html  # reads offline
    assert "Seed" in html and ">7<" in html
    assert "@font-face" in html and "data:font/otf;base64," in html  # Chinese font embedded


def test_memo_without_synthetic_flag_has_no_banner(sample_memo):
    from dataclasses import replace

    real = replace(sample_memo, synthetic=False, data_source="my_bureau.xlsx",
                   sources=memo_mod._sources(False))
    html = memo_mod.render_memo(real, fan_png=b"\x89PNG fake")
    assert SYNTHETIC_TAG not in html and "my_bureau.xlsx" in html


def test_memo_rejects_as_of_after_the_data():
    if not SAMPLE.exists():
        pytest.skip("synthetic sample not generated")
    with pytest.raises(AsOfDateError, match="after the last declaration"):
        memo_mod.compute_memo("sample", "2010-12-31")


def test_execute_notebook_is_byte_stable_and_injects_parameters(tmp_path):
    nb = _nb('as_of = "2010-11-20"\nseed = 1', "print(as_of, seed)")
    nb.cells[0].execution_count = nb.cells[1].execution_count = None
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = tmp_path / "tiny.ipynb"
    nbformat.write(nb, src)
    first = nbmod.execute_notebook(src, tmp_path / "a.ipynb", None)
    second = nbmod.execute_notebook(src, tmp_path / "b.ipynb", None)
    assert first.read_bytes() == second.read_bytes()  # no timings, no injected cell
    assert nbmod.notebook_problems(first) == []
    ran = nbmod.execute_notebook(src, tmp_path / "c.ipynb",
                                 {"as_of": "2009-06-30", "unknown": 1, "seed": 5})
    out = nbformat.read(ran, as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in out.cells)
    assert out.cells[-1].outputs[0]["text"] == "2009-06-30 5\n"
    assert "unknown" not in "".join(c.source for c in out.cells)
    assert "papermill" not in out.metadata


def test_a_failing_notebook_names_the_cell(tmp_path):
    nb = _nb("x = 1", "raise ValueError('boom')")
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    src = tmp_path / "bad.ipynb"
    nbformat.write(nb, src)
    with pytest.raises(nbmod.NotebookExecutionError, match="bad.ipynb.*ValueError: boom"):
        nbmod.execute_notebook(src, tmp_path / "out.ipynb", None)
    assert not (tmp_path / "out.ipynb").exists()


def test_clean_notebook_merges_split_stream_outputs():
    import nbformat

    from ciqanalysis.report.notebooks import clean_notebook

    cell = nbformat.v4.new_code_cell("print('a'); print('b')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n"),
        nbformat.v4.new_output("stream", name="stdout", text="b\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1),
        nbformat.v4.new_output("stream", name="stdout", text="c\n"),
    ]
    nb = clean_notebook(nbformat.v4.new_notebook(cells=[cell]))
    outs = nb.cells[0].outputs
    assert [o["output_type"] for o in outs] == ["stream", "execute_result", "stream"]
    assert outs[0]["text"] == "a\nb\n"


def test_the_kernel_is_stopped_without_an_interrupt():
    """Shutting down, the notebooks' kernel gets no SIGINT (it logged "KeyboardInterrupt caught
    in kernel" on a busy machine) and up to 30 s before SIGTERM; other interrupts still work."""
    import asyncio

    km = nbmod._ipc_kernel_manager()()
    with pytest.raises(RuntimeError, match="No kernel is running"):
        asyncio.run(km._async_interrupt_kernel())  # outside shutdown: jupyter_client's own
    km.shutting_down = True
    assert asyncio.run(km._async_interrupt_kernel()) is None  # during shutdown: nothing sent
    assert km.shutdown_wait_time == 30.0
