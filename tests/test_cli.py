"""The ``ciqanalysis`` command: report end to end, user files, clear errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis import cli
from ciqanalysis.provenance import SYNTHETIC_TAG
from ciqanalysis.report import notebooks as nbmod

SAMPLE = cq.paths.sample_dir() / "declarations.csv.gz"
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="synthetic sample not generated")

#: The user-style file's Chinese headers (data.read_declarations maps them to the schema).
ZH_HEADERS = {
    "decl_id": "报检号", "date": "报检日期", "direction": "进出境", "hs2": "商品编码",
    "product_group": "产品类别", "value_wan": "货值(万美元)", "county_code": "区县代码",
    "enterprise_id": "企业代码", "port": "口岸", "direct_release": "直通放行",
}


def _user_file(tmp_path: Path, *, bad_code: str | None = None, until: str = "2010-11-20") -> Path:
    """A bureau-style CSV: Chinese headers, 出境/进境, values in 万美元, 2008 to ``until``."""
    decl = cq.data.load_declarations("sample", as_of=until)
    part = decl.loc[decl["date"] >= "2008-01-01"].iloc[::25].copy()
    part["value_wan"] = (part["value_usd"] / 1e4).round(4)
    part["direction"] = part["direction"].map({"export": "出境", "import": "进境"})
    if bad_code is not None:
        part.iloc[3, part.columns.get_loc("county_code")] = bad_code
    out = part[list(ZH_HEADERS)].rename(columns=ZH_HEADERS)
    path = tmp_path / "jilin_declarations.csv"
    out.to_csv(path, index=False, encoding="utf-8")
    return path


def _run(args, capsys):
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- errors: one line, exit status 2 --------------------------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--as-of", "2010-02-30"], "as_of must be a date written YYYY-MM-DD"),
        (["--as-of", "next week"], "YYYY-MM-DD"),
        (["--as-of", "1999-12-31"], "before 2002"),
        (["--data", "no/such/file.csv"], "no such declarations file"),
    ],
)
def test_bad_parameters_exit_2_with_one_line(args, needle, capsys, tmp_path):
    code, out, err = _run(["report", "--out", str(tmp_path), "--notebooks", *args], capsys)
    assert code == 2
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


@needs_sample
def test_as_of_beyond_the_data_exits_2(capsys, tmp_path):
    code, _, err = _run(["report", "--out", str(tmp_path), "--notebooks",
                         "--as-of", "2011-03-01"], capsys)
    assert code == 2 and "after the last declaration 2010-11-20" in err


@needs_sample
def test_unknown_county_code_in_user_file_exits_2(capsys, tmp_path):
    path = _user_file(tmp_path, bad_code="229999")
    code, _, err = _run(["report", "--out", str(tmp_path / "r"), "--notebooks",
                         "--data", str(path)], capsys)
    assert code == 2
    assert "229999" in err and "jilin_declarations.csv" in err and "row" in err


def test_console_script_reports_errors_without_traceback(tmp_path):
    exe = Path(sys.executable).with_name("ciqanalysis")
    proc = subprocess.run([str(exe), "report", "--as-of", "2010-11-31", "--notebooks",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("ciqanalysis: error:") and "Traceback" not in proc.stderr


def test_notebooks_none_means_memo_only(monkeypatch, capsys, tmp_path):
    # the help says "none: memo only"; typing that word used to fail with
    # "no notebook matches 'none'"
    seen = {}

    def fake_build_report(**kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr("ciqanalysis.report.build.build_report", fake_build_report)
    code, _, err = _run(["report", "--out", str(tmp_path), "--notebooks", "none"], capsys)
    assert code == 0 and err == "" and seen["notebooks"] == []


def test_warnings_print_as_one_line_of_the_command(monkeypatch, capsys, tmp_path):
    # a loader warning printed the console script's path and its "sys.exit(console())"
    from ciqanalysis.errors import DataQualityWarning

    def fake_build_report(**kwargs):
        import warnings

        warnings.warn("my.csv: 2 flag(s) (2 x duplicate)\n kept", DataQualityWarning, stacklevel=2)
        return []

    monkeypatch.setattr("ciqanalysis.report.build.build_report", fake_build_report)
    code, _, err = _run(["report", "--out", str(tmp_path), "--notebooks"], capsys)
    assert code == 0
    assert err == "ciqanalysis: DataQualityWarning: my.csv: 2 flag(s) (2 x duplicate) kept\n"


def test_make_sample_and_run_notebooks_are_declared():
    parser = cli.build_parser()
    assert parser.parse_args(["run-notebooks", "--in-place", "--notebooks", "00"]).in_place
    assert parser.parse_args(["make-sample"]).command == "make-sample"
    with pytest.raises(SystemExit):
        parser.parse_args(["run-notebooks"])  # --in-place is required: no silent rewrite


# --- the report end to end ------------------------------------------------------------


@needs_sample
def test_report_end_to_end_on_notebook_00(capfd, tmp_path):
    committed = nbmod.find_notebooks(["00"])[0]
    before = committed.read_bytes()
    out = tmp_path / "reports"
    code, stdout, err = _run(["report", "--quick", "--out", str(out), "--notebooks", "00",
                              "--figures", str(tmp_path / "docs")], capfd)
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["00-published-figures.html", "00-published-figures.ipynb", "bulletin.xlsx",
                     "forecast-memo.html", "forecast-memo.json", "forecast-memo.zh.html",
                     "manifest.json"]
    # progress on stderr, one line per step; no kernel transport warning (capfd sees the
    # kernel's own stderr too)
    steps = [ln for ln in err.splitlines() if re.match(r"ciqanalysis: \[\d/5\] ", ln)]
    assert len(steps) == 5 and "executing 00-published-figures.ipynb" in steps[-1]
    assert "without encryption" not in err and "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "docs").iterdir()) == ["coverage-map.png",
                                                                     "fan-chart.png"]
    assert committed.read_bytes() == before  # the committed notebook is never touched
    page = (out / "00-published-figures.html").read_text(encoding="utf-8")
    assert "SYNTHETIC sample data" in page and "46.09" in page
    assert not re.search(r'(src|href)="https?://', page)  # no CDN: reads offline
    executed = nbmod.notebook_problems(out / "00-published-figures.ipynb")
    assert not [p for p in executed if "stderr" in p or "error" in p]
    memo = (out / "forecast-memo.html").read_text(encoding="utf-8")
    assert SYNTHETIC_TAG in memo and "2010-11-20" in memo


@needs_sample
def test_memo_from_a_user_file_in_wan_usd(capsys, tmp_path):
    path = _user_file(tmp_path, until="2010-09-30")
    out = tmp_path / "reports"
    code, _, err = _run(["report", "--quick", "--out", str(out), "--notebooks", "00",
                         "--data", str(path), "--as-of", "2010-09-30"], capsys)
    assert code == 0, err
    page = (out / "00-published-figures.html").read_text(encoding="utf-8")
    assert "user&#39;s own data" in page or "user's own data" in page
    assert "SYNTHETIC sample data" not in page
    memo = (out / "forecast-memo.html").read_text(encoding="utf-8")
    assert SYNTHETIC_TAG not in memo and "jilin_declarations.csv" in memo
    assert "2010-09-30" in memo
    # the memo's year to date equals the file's own 万美元 sum, converted once
    raw = pd.read_csv(path)
    dates = pd.to_datetime(raw["报检日期"])
    ytd_wan = raw.loc[(dates >= "2010-01-01") & (dates <= "2010-09-30"), "货值(万美元)"].sum()
    assert f"{ytd_wan / 1e4:,.2f}" in memo


def test_the_command_raises_on_the_first_ctrl_c_only():
    """A second Ctrl-C (or the group's signal arriving twice) cannot end the clean-up."""
    import signal

    from ciqanalysis.cli import _first_interrupt_only

    handler = _first_interrupt_only()
    with pytest.raises(KeyboardInterrupt):
        handler(signal.SIGINT, None)
    assert handler(signal.SIGINT, None) is None
    assert handler(signal.SIGINT, None) is None
