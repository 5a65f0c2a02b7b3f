"""Reference tables and the printed precision of forecast tables (参考表, 显示精度)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis import cli
from ciqanalysis import reference as ref
from ciqanalysis.errors import ParameterError, ReferenceMismatchError
from ciqanalysis.report import notebooks as nbmod

PARAMS = {"data_source": "sample", "as_of": "2010-11-20", "seed": 20101120, "levels": (80, 95)}


def _table() -> pd.DataFrame:
    idx = pd.MultiIndex.from_tuples([("export", 2010), ("export", 2011)], names=["direction", "year"])
    return pd.DataFrame({"mean": [22.510726784130274, 22.982979905478402],
                         "lower_95": [21.99366722931211, 17.243276513607384],
                         "status": ["ok", "ok"], "inside_95": [True, False],
                         "growth_pct": [20.152774730592427, np.nan]}, index=idx)


def test_round_trip_is_exact_and_keeps_the_parameters(tmp_path):
    tab = _table()
    path = ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    assert path.read_bytes().count(b"\r") == 0
    params, back = ref.read_reference("t", folder=tmp_path)
    assert params == {k: str(v) for k, v in PARAMS.items()}
    assert back["mean"].tolist() == tab["mean"].tolist()  # floats written at full precision
    assert ref.reference_differences(tab, back, rtol=0, atol=0) == []


def test_noise_within_tolerance_passes_and_beyond_it_fails(tmp_path):
    tab = _table()
    ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    noisy = tab.assign(mean=tab["mean"] * (1 + 1.5e-5))  # the largest CPU difference measured
    assert "6 values within rtol 1e-04" in ref.check_reference(noisy, "t", PARAMS, folder=tmp_path)
    moved = tab.assign(lower_95=tab["lower_95"] * (1 + 1e-3))  # a Monte Carlo error
    with pytest.raises(ReferenceMismatchError, match=r"row 0 \(export\), column lower_95") as err:
        ref.check_reference(moved, "t", PARAMS, folder=tmp_path)
    assert "make reference" in str(err.value)
    flipped = tab.assign(inside_95=[True, True])
    with pytest.raises(AssertionError, match="inside_95"):  # also an AssertionError, for notebooks
        ref.check_reference(flipped, "t", PARAMS, folder=tmp_path)


def test_nan_matches_nan_only(tmp_path):
    tab = _table()
    ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    with pytest.raises(ReferenceMismatchError, match="growth_pct"):
        ref.check_reference(tab.assign(growth_pct=[20.152774730592427, 1.0]), "t", PARAMS,
                            folder=tmp_path)


def test_shape_and_columns_must_match(tmp_path):
    tab = _table()
    ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    with pytest.raises(ReferenceMismatchError, match="rows"):
        ref.check_reference(tab.iloc[:1], "t", PARAMS, folder=tmp_path)
    with pytest.raises(ReferenceMismatchError, match="columns"):
        ref.check_reference(tab.drop(columns="status"), "t", PARAMS, folder=tmp_path)


def test_other_parameters_are_not_compared(tmp_path):
    tab = _table()
    ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    msg = ref.check_reference(tab.assign(mean=0.0), "t",
                              {**PARAMS, "data_source": "mine.csv"}, folder=tmp_path)
    assert msg == ("t: made with other parameters than notebooks/reference/t.csv (data_source), "
                   "not compared")


def test_update_mode_rewrites_then_checks(tmp_path, monkeypatch):
    tab = _table()
    ref.write_reference(tab, "t", PARAMS, folder=tmp_path)
    changed = tab.assign(mean=tab["mean"] * 1.1)
    monkeypatch.setenv(ref.UPDATE_ENV, "1")
    assert "within" in ref.check_reference(changed, "t", PARAMS, folder=tmp_path)
    monkeypatch.delenv(ref.UPDATE_ENV)
    assert ref.read_reference("t", folder=tmp_path)[1]["mean"].tolist() == changed["mean"].tolist()


def test_missing_reference_and_bad_names_are_explained(tmp_path):
    with pytest.raises(ParameterError, match="make reference"):
        ref.check_reference(_table(), "absent", PARAMS, folder=tmp_path)
    with pytest.raises(ParameterError, match="plain word"):
        ref.write_reference(_table(), "../escape", PARAMS, folder=tmp_path)


def test_cli_update_flag_sets_the_variable_only_while_running(monkeypatch):
    seen = []
    monkeypatch.delenv(ref.UPDATE_ENV, raising=False)
    monkeypatch.setattr(nbmod, "run_notebooks_in_place",
                        lambda names: seen.append(__import__("os").environ.get(ref.UPDATE_ENV)) or [])
    assert cli.main(["run-notebooks", "--in-place", "--update-reference", "--notebooks", "02"]) == 0
    assert cli.main(["run-notebooks", "--in-place", "--notebooks", "02"]) == 0
    assert seen == ["1", None]
    assert ref.UPDATE_ENV not in __import__("os").environ


@pytest.mark.parametrize("path", nbmod.find_notebooks(), ids=lambda p: p.stem)
def test_every_reference_a_notebook_checks_is_stored(path):
    import re

    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    names = re.findall(r'check_reference\([^"]*?"([\w-]+)"', source)
    assert len(names) == source.count("check_reference(")  # every call names its table
    if path.stem.startswith("02-"):
        assert len(names) == 6  # the forecast notebook's simulated tables
    for name in names:
        params, table = ref.read_reference(name)
        assert set(params) == {"data_source", "as_of", "seed", "levels", "quick"} and len(table) > 0


# ---------------------------------------------------------------------------------
# printed precision


def test_round_significant_keeps_three_figures_by_default():
    assert cq.forecast.round_significant(40.3245) == 40.3
    assert cq.forecast.round_significant(0.0) == 0.0
    assert cq.forecast.round_significant(-12662.350971) == -12700.0
    out = cq.forecast.round_significant(np.array([54.94, np.inf, np.nan]), 2)
    assert out[0] == 55.0 and np.isinf(out[1]) and np.isnan(out[2])
    with pytest.raises(ParameterError):
        cq.forecast.round_significant(1.0, 0)


def test_for_display_rounds_by_column_role():
    tab = _table().assign(observed=[19.909999999999997, 0.0], mase=[0.83812, 1.3733],
                          weight=[0.4778, 0.2915])
    shown = cq.for_display(tab)
    assert shown["mean"].tolist() == [22.5, 23.0]
    assert shown["lower_95"].tolist() == [22.0, 17.2]
    assert shown["observed"].tolist() == [19.91, 0.0]
    assert shown["mase"].tolist() == [0.84, 1.37] and shown["weight"].tolist() == [0.48, 0.29]
    assert shown["growth_pct"].iloc[0] == 20.2 and np.isnan(shown["growth_pct"].iloc[1])
    assert shown["status"].tolist() == ["ok", "ok"] and shown["inside_95"].tolist() == [True, False]
    assert tab["mean"].iloc[0] == 22.510726784130274  # the input is not changed


def test_for_display_shows_large_simulated_money_as_whole_numbers():
    tab = pd.DataFrame({"forecast": [31161.17, 1693.59], "actual": [36411.95, 1511.74]})
    shown = cq.for_display(tab)
    assert str(shown["forecast"].dtype) == "Int64" and shown["forecast"].tolist() == [31200, 1690]
    assert shown["actual"].tolist() == [36411.95, 1511.74]


def test_for_display_rounds_every_cell_of_a_track_record_summary():
    tab = pd.DataFrame({"exports, next year Y+1": [9.61119523536256, 94.444444]},
                       index=pd.Index(["method MAPE %", "95 % interval coverage %"], name="measure"))
    assert cq.for_display(tab).iloc[:, 0].tolist() == [9.6, 94.4]


def test_format_significant_for_prose():
    assert cq.forecast.format_significant(40.3245) == "40.3"
    assert cq.forecast.format_significant(31161.17) == "31,200"
    assert cq.forecast.format_significant(0.012345) == "0.0123"
    assert cq.forecast.format_significant(float("nan")) == "n/a"
