"""The report command with users' tables: zones and memoranda files, a failing notebook."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis import cli
from ciqanalysis.errors import SchemaError
from ciqanalysis.report.build import notebook_parameters_for


def _failing_notebook(folder):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("data_source = 'sample'",
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print('reached')"),
                nbformat.v4.new_code_cell("1 / 0")]
    path = folder / "99-fails.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_failing_notebook_is_kept_and_the_cli_lists_what_it_wrote(tmp_path, capsys):
    nb = _failing_notebook(tmp_path)
    out = tmp_path / "rep"
    status = cli.main(["report", "--out", str(out), "--quick", "--notebooks", str(nb)])
    assert status == 1
    captured = capsys.readouterr()
    assert not out.exists()  # a failed run never becomes (or mixes into) the report folder
    kept_dir = tmp_path / "rep.FAILED"
    failed = kept_dir / "99-fails.FAILED.ipynb"
    assert failed.exists() and (kept_dir / "99-fails.FAILED.html").exists()
    assert not (kept_dir / "99-fails.ipynb").exists()
    kept = nbformat.read(str(failed), as_version=4)
    outputs = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert any(o.get("text", "").startswith("reached") for o in outputs)
    assert any(o.get("output_type") == "error" for o in outputs)
    assert f"wrote {kept_dir / 'forecast-memo.html'}" in captured.out
    assert f"wrote {failed}" in captured.out
    assert "failed in cell" in captured.err and "ZeroDivisionError" in captured.err


def test_notebook_parameters_carry_quick_and_the_users_tables(tmp_path):
    zones = tmp_path / "z.csv"
    params = notebook_parameters_for("sample", "2010-11-20", 1, quick=True, zones=zones)
    assert params["quick"] is True and params["zones_source"] == str(zones.resolve())
    assert params["memoranda_source"] is None


def test_users_zones_and_memoranda_are_read_like_the_sample(tmp_path):
    zones = cq.data.load("zones")
    path = tmp_path / "my-zones.csv"
    zones.assign(launch_date=zones["launch_date"].dt.strftime("%Y-%m-%d")).to_csv(
        path, index=False, encoding="gbk")
    mine = cq.data.read_zones(path)
    assert mine.attrs["synthetic"] is False
    pd.testing.assert_frame_equal(mine, zones, check_dtype=False)
    bad = tmp_path / "bad-memos.csv"
    bad.write_text("memo_id,counterpart_type,counterpart_level,county_code,date\n"
                   "M1,government,county,220102,2010-05-01\n"
                   "M2,company,county,220102,2010-06-01\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad-memos.csv, row 3, column 'counterpart_type'"):
        cq.data.read_memoranda(bad)


def test_coverage_inputs_never_mix_the_sample_into_a_users_file(tmp_path):
    decl = pd.DataFrame({"date": pd.to_datetime(["2009-01-06", "2010-03-02", "2010-04-02"]),
                         "direction": ["export", "export", "import"],
                         "value_usd": [1e5, 2e5, 3e5],
                         "county_code": ["220621", "220621", "222424"],
                         "product_group": ["rice"] * 3, "enterprise_id": ["E1"] * 3})
    decl.attrs = {"synthetic": False, "source": "mine.csv"}
    ci = cq.coverage.coverage_inputs(decl, "2010-11-20")
    assert not ci.has_zones and not ci.has_memoranda and len(ci.zones) == 0
    assert not ci.zones.attrs["synthetic"] and not ci.memoranda.attrs["synthetic"]
    with pytest.warns(cq.DataQualityWarning, match="exports are counted up to 2010-04-02"):
        ind = cq.coverage.indicators_by_year([2009, 2010], "county_type", as_of="2010-11-20", decl=decl,
                                    zones=ci.zones, memoranda=ci.memoranda)
    now = ci.view(ind[2010])
    assert set(now["code_2010"]) == {"220621", "222424"}  # the others are not in the file
    assert len(now.attrs["not_in_file"]) == 38
    assert "has_zone" not in now and "has_memo" not in now
    assert now.set_index("code_2010")["has_exports"].to_dict() == {"220621": True,
                                                                   "222424": False}
    path = ci.path({y: ci.view(i) for y, i in ind.items()}, "has_exports", 2008, 2010)
    assert path.tolist() == ["no data", 1, 1]  # 2008: before the file starts, not zero
    with_zones = cq.coverage.coverage_inputs(decl, "2010-11-20", zones=cq.data.file_path("zones"))
    assert with_zones.has_zones and not with_zones.zones.attrs["synthetic"]


def test_coverage_notebook_uses_the_users_own_zones(tmp_path):
    import warnings

    from nbrun import run_notebook
    from userfiles import MATRIX, write_user_file

    spec = MATRIX[0]
    path = write_user_file(spec, tmp_path)
    nb = next(p for p in nbmod_notebooks() if p.name.startswith("03"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = run_notebook(nb, {"data_source": str(path), "as_of": spec.last,
                                 "permutations": 19,
                                 "zones_source": str(cq.data.file_path("zones")),
                                 "memoranda_source": str(cq.data.file_path("memoranda"))})
    assert "No zones table" not in text and "No memoranda table" not in text
    assert "SYNTHETIC" not in text  # the user's tables are the user's, not the sample
    assert "reached =" in text  # the reach section ran


def test_cli_bad_zones_file_exits_2_before_any_notebook(tmp_path, capsys):
    bad = tmp_path / "zones.csv"
    bad.write_text("zone_id,county_code\nZ1,220102\n", encoding="utf-8")
    status = cli.main(["report", "--out", str(tmp_path / "rep"), "--notebooks", "03",
                       "--quick", "--zones", str(bad)])
    err = capsys.readouterr().err
    assert status == 2 and "zones.csv, row 1: required column(s) missing" in err
    assert not (tmp_path / "rep" / "03-zone-coverage.ipynb").exists()


def nbmod_notebooks():
    from ciqanalysis.report.notebooks import find_notebooks

    return find_notebooks()
