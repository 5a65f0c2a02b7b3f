"""Ingesting declaration files into a partitioned Parquet dataset, and reading it back."""

from __future__ import annotations

import functools
import hashlib
import json
import warnings

import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis import cli
from ciqanalysis.data.dataset import describe_dataset, ingest, is_dataset, read_dataset
from ciqanalysis.errors import AsOfDateError, CountyCodeError, DataQualityWarning, ParameterError
from ciqanalysis.paths import data_dir


@functools.cache
def _sample():
    return cq.data.load_declarations("sample")


def _files(tmp_path, n=2, step=300):
    """User-style CSVs cut from the synthetic sample (two files, different rows)."""
    decl = _sample()
    paths = []
    for i in range(n):
        part = decl.iloc[i::step * n].copy()
        path = tmp_path / f"part{i}.csv"
        part.to_csv(path, index=False)
        paths.append(path)
    return paths


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_file(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return cq.data.read_declarations(path)


def _sorted(df):
    return df.sort_values(["decl_id", "date"]).reset_index(drop=True)


def test_ingest_writes_partitions_and_reads_back_the_same_rows(tmp_path):
    files = _files(tmp_path)
    desc = ingest(files, tmp_path / "ds")
    assert is_dataset(tmp_path / "ds") and desc == describe_dataset(tmp_path / "ds")
    whole = pd.concat([_read_file(f) for f in files], ignore_index=True)
    assert desc["rows"] == len(whole)
    assert [s["rows"] for s in desc["sources"]] == [len(_read_file(f)) for f in files]
    assert {s["sha256"] for s in desc["sources"]} == {cq.data.sha256_of(f) for f in files}
    years = sorted(whole["date"].dt.year.unique())
    assert sorted({p.split("/")[0] for p in desc["partitions"]}) == [f"year={y}" for y in years]
    contract = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    decl = next(r for r in contract["resources"] if r["name"] == "declarations")
    assert [(f["name"], f["type"], f.get("unit")) for f in desc["schema"]["fields"]] == [
        (f["name"], f["type"], f.get("unit")) for f in decl["schema"]["fields"]]
    assert next(f for f in desc["schema"]["fields"] if f["name"] == "value_usd")["unit"] == "USD"
    back = read_dataset(tmp_path / "ds")
    pd.testing.assert_frame_equal(_sorted(back), _sorted(whole), check_exact=True)
    assert back.attrs["synthetic"] is False and back.attrs["format"] == "dataset"


def test_reingesting_is_idempotent(tmp_path):
    files = _files(tmp_path)
    ingest(files, tmp_path / "ds")
    before = _snapshot(tmp_path / "ds")
    ingest(files[:1], tmp_path / "ds")
    ingest(files, tmp_path / "ds")
    assert _snapshot(tmp_path / "ds") == before


def test_a_bad_row_leaves_the_dataset_as_it_was(tmp_path):
    files = _files(tmp_path)
    ingest(files[:1], tmp_path / "ds")
    before = _snapshot(tmp_path / "ds")
    bad = files[1].read_text().splitlines()
    bad[-1] = bad[-1].replace(",22", ",21", 1)  # a county code outside Jilin, last row
    files[1].write_text("\n".join(bad) + "\n")
    with pytest.raises(CountyCodeError, match=r"part1\.csv, row \d+, column 'county_code'"):
        ingest(files, tmp_path / "ds")
    assert _snapshot(tmp_path / "ds") == before
    with pytest.raises(CountyCodeError):  # a new dataset: no folder left behind
        ingest(files[1:], tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_load_declarations_accepts_a_dataset(tmp_path):
    files = _files(tmp_path, n=1, step=200)
    ingest(files, tmp_path / "ds")
    cut = cq.data.load_declarations(tmp_path / "ds", as_of="2009-06-30")
    assert cut["date"].max() <= pd.Timestamp("2009-06-30")
    assert cut.attrs["as_of"] == pd.Timestamp("2009-06-30")
    with pytest.raises(AsOfDateError, match="after the last declaration"):
        cq.data.load_declarations(tmp_path / "ds", as_of="2012-01-01")
    with pytest.raises(AsOfDateError, match="dated after the as-of date 2009-06-30"):
        cq.data.read_declarations(tmp_path / "ds", as_of="2009-06-30")
    with pytest.raises(ParameterError, match="not a declarations dataset"):
        ingest(files, tmp_path)  # a folder with other files in it


def test_cli_ingest(tmp_path, capsys):
    files = _files(tmp_path, n=1)
    assert cli.main(["ingest", str(files[0]), "--out", str(tmp_path / "ds")]) == 0
    assert "declarations in" in capsys.readouterr().out
    assert cli.main(["ingest", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "ds")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_the_memo_runs_on_a_dataset_folder_and_fingerprints_its_descriptor(tmp_path):
    # the report accepts a dataset folder (--data DATASET); its provenance step tried
    # to hash the folder as a file and stopped with IsADirectoryError
    from ciqanalysis.report.memo import compute_memo

    ingest(_files(tmp_path, step=20), tmp_path / "ds")
    memo = compute_memo(str(tmp_path / "ds"), "2010-11-20", quick=True)
    assert memo.provenance["data_file"] == "ds/dataset.json"
    assert memo.provenance["data_sha256"] == cq.data.sha256_of(tmp_path / "ds" / "dataset.json")
    assert not memo.synthetic
