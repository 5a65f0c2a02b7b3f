"""The report command never leaves a mixed or half-written folder; its errors are one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ciqanalysis as cq
from ciqanalysis import cli
from ciqanalysis.report import build

SAMPLE = cq.paths.sample_dir() / "declarations.csv.gz"
needs_sample = pytest.mark.skipif(not SAMPLE.exists(), reason="synthetic sample not generated")


@pytest.fixture()
def no_work(monkeypatch):
    """Fail loudly if the report starts computing (paths must be checked before)."""
    def boom(*_a, **_k):
        raise AssertionError("compute_memo ran before the output paths were checked")

    monkeypatch.setattr(build, "compute_memo", boom)


def _run(args, capsys):
    code = cli.main(["report", "--quick", "--notebooks", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("ciqanalysis: error: ") and "Traceback" not in err
    return lines[0]


def test_output_path_that_is_a_file_exits_2_before_any_work(tmp_path, capsys, no_work):
    target = tmp_path / "report.html"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = _run(["--out", str(target)], capsys)
    assert code == 2 and "is a file" in _one_error_line(err)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_output_path_under_a_file_exits_2(tmp_path, capsys, no_work):
    parent = tmp_path / "notes.txt"
    parent.write_text("x", encoding="utf-8")
    code, _, err = _run(["--out", str(parent / "reports")], capsys)
    assert code == 2 and "lies under" in _one_error_line(err) and str(parent) in err


def test_figures_path_that_is_a_file_exits_2(tmp_path, capsys, no_work):
    fig = tmp_path / "docs"
    fig.write_text("x", encoding="utf-8")
    code, _, err = _run(["--out", str(tmp_path / "r"), "--figures", str(fig)], capsys)
    assert code == 2 and "figures folder" in _one_error_line(err)
    assert not (tmp_path / "r").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a read-only /proc (Linux)")
def test_read_only_output_path_exits_2(capsys, no_work):
    code, _, err = _run(["--out", "/proc/ciqanalysis-report"], capsys)
    assert code == 2 and "read-only" in _one_error_line(err)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_read_only_folder_exits_2(tmp_path, capsys, no_work):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = _run(["--out", str(locked / "reports")], capsys)
    finally:
        locked.chmod(0o700)
    assert code == 2 and "read-only" in _one_error_line(err)


def test_a_folder_of_other_files_is_never_replaced(tmp_path, capsys, no_work):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"precious")
    code, _, err = _run(["--out", str(mine)], capsys)
    assert code == 2 and "not empty" in _one_error_line(err)
    assert (mine / "thesis.docx").read_bytes() == b"precious"


def test_bad_language_or_format_exits_2(tmp_path, capsys, no_work):
    code, _, err = _run(["--out", str(tmp_path / "r"), "--formats", "html,odt"], capsys)
    assert code == 2 and "unknown format 'odt'" in _one_error_line(err)


def test_ctrl_c_in_the_library_gives_one_line_exit_130_and_no_folder(tmp_path, capsys,
                                                                    monkeypatch):
    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "compute_memo", interrupted)
    out = tmp_path / "r"
    code, _, err = _run(["--out", str(out)], capsys)
    lines = [ln for ln in err.splitlines() if not ln.startswith("ciqanalysis: [")]
    assert code == 130 and lines == [f"ciqanalysis: interrupted (nothing written to {out})"]
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no partial folder left


@needs_sample
@pytest.mark.slow
def test_ctrl_c_during_the_run_gives_one_line_and_exit_130(tmp_path):
    out = tmp_path / "r"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ciqanalysis.cli", "report", "--quick", "--out", str(out),
         "--notebooks", "00"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, start_new_session=True)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen.append(line)
        if "[1/" in line or not line:
            break
    time.sleep(1.5)  # computing the memo
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    rest_out, rest_err = proc.communicate(timeout=60)
    err_lines = [ln for ln in (seen + rest_err.splitlines(True)) if ln.strip()]
    messages = [ln for ln in err_lines if not ln.startswith("ciqanalysis: [")]
    assert proc.returncode == 130, "".join(err_lines)
    assert messages == [f"ciqanalysis: interrupted (nothing written to {out})\n"], messages
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == []
