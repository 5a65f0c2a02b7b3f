"""Data files stay byte-exact whatever git does to line endings (换行符).

A checkout with ``core.autocrlf=true`` (Git for Windows' default) adds CR to every
LF line of a text file. ``.gitattributes`` marks the data files ``-text`` so git
leaves them alone; these tests clone the repository that way and load every table,
and check that the loader names the cause when a file did get converted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ciqanalysis import data
from ciqanalysis.errors import ChecksumError
from ciqanalysis.paths import data_dir, repo_root

ROOT = repo_root()


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _is_git_checkout() -> bool:
    if shutil.which("git") is None:
        return False
    try:
        return _git("rev-parse", "--is-inside-work-tree").strip() == "true"
    except subprocess.CalledProcessError:
        return False


@pytest.fixture(scope="module")
def crlf_clone(tmp_path_factory) -> Path:
    """A clone of HEAD checked out with core.autocrlf=true."""
    if not _is_git_checkout():
        pytest.skip("not a git checkout (or git is missing): nothing to clone")
    dest = tmp_path_factory.mktemp("crlf") / "repo"
    _git("clone", "--quiet", "--no-hardlinks", "-c", "core.autocrlf=true", str(ROOT), str(dest))
    return dest


def test_the_clone_really_converts_text_files(crlf_clone):
    # without this the test below could pass vacuously (autocrlf not in effect)
    assert _git("config", "core.autocrlf", cwd=crlf_clone).strip() == "true"
    readme = (crlf_clone / "README.md").read_bytes()
    assert b"\r\n" in readme, "core.autocrlf=true did not convert README.md: the simulation is void"


def test_data_files_are_byte_identical_in_a_crlf_checkout(crlf_clone):
    tracked = _git("ls-files", "data", cwd=crlf_clone).split()
    assert tracked
    for name in tracked:
        assert (crlf_clone / name).read_bytes() == _git_blob(name, crlf_clone), f"{name} was converted"


def _git_blob(name: str, cwd: Path) -> bytes:
    return subprocess.run(["git", "cat-file", "blob", f"HEAD:{name}"], cwd=cwd, check=True,
                          capture_output=True).stdout


def test_every_table_loads_from_a_crlf_checkout(crlf_clone, monkeypatch):
    monkeypatch.setenv("CIQANALYSIS_DATA_DIR", str(crlf_clone / "data"))
    pkg = json.loads((crlf_clone / "data" / "datapackage.json").read_text(encoding="utf-8"))
    checksummed = [res for res in pkg["resources"] if res.get("sha256")]
    assert {res["name"] for res in checksummed} >= set(data.TABLES)
    for res in checksummed:
        assert data.verify_checksum(res["name"]) == res["sha256"]
    for name in data.TABLES:
        table = data.load(name)
        assert len(table) == data.describe(name)["rows"], name


def _copy_package(tmp_path: Path, name: str, content: bytes) -> Path:
    """A data folder holding the real descriptor and one resource's file with ``content``."""
    res = data.describe(name)
    folder = tmp_path / "data"
    (folder / res["path"]).parent.mkdir(parents=True)
    shutil.copy(data_dir() / "datapackage.json", folder / "datapackage.json")
    (folder / res["path"]).write_bytes(content)
    return folder


def test_a_converted_file_gets_an_error_naming_line_endings(tmp_path, monkeypatch):
    original = data.file_path("published_figures").read_bytes()
    assert b"\r\n" not in original  # stored with LF
    folder = _copy_package(tmp_path, "published_figures", original.replace(b"\n", b"\r\n"))
    monkeypatch.setenv("CIQANALYSIS_DATA_DIR", str(folder))
    with pytest.raises(ChecksumError, match=r"converted to CRLF.*git checkout -- data/raw/published_figures\.csv"):
        data.load("published_figures")


def test_a_crlf_file_stripped_to_lf_is_named_too(tmp_path, monkeypatch):
    original = data.file_path("counties").read_bytes()
    assert b"\r\n" in original  # published, and stored, with CRLF
    folder = _copy_package(tmp_path, "counties", original.replace(b"\r\n", b"\n"))
    monkeypatch.setenv("CIQANALYSIS_DATA_DIR", str(folder))
    with pytest.raises(ChecksumError, match="converted to LF"):
        data.load("counties")


def test_other_damage_is_not_blamed_on_line_endings(tmp_path, monkeypatch):
    original = data.file_path("published_figures").read_bytes()
    folder = _copy_package(tmp_path, "published_figures", original + b"extra\n")
    monkeypatch.setenv("CIQANALYSIS_DATA_DIR", str(folder))
    with pytest.raises(ChecksumError, match="changed or damaged"):
        data.load("published_figures")
