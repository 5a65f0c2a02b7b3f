"""Out-of-core panels (DuckDB, dask.dataframe) and forecasts on a Dask LocalCluster.

Every result is compared exactly with the in-memory path on small data (values are
whole dollars, so sums do not depend on the order of addition).
"""

from __future__ import annotations

import functools
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.data.dataset import ingest, read_dataset
from ciqanalysis.errors import AsOfDateError, DataFileError, ParameterError
from ciqanalysis.forecast import forecast_many
from ciqanalysis.panel import panel


@functools.cache
def _decl() -> pd.DataFrame:
    d = cq.data.load_declarations("sample").iloc[::40].copy()
    d["value_usd"] = d["value_usd"].round(0)
    return d


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    _decl().to_csv(folder / "decl.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ingest([folder / "decl.csv"], folder / "ds")
    return folder / "ds", read_dataset(folder / "ds")


CASES = [("M", ("direction",)), ("Q", ["county_code", "hs2"]), ("Y", None),
         ("M", ["prefecture", "direction"]), ("M", ["product_group", "port"])]


@pytest.mark.parametrize("freq,by", CASES)
def test_duckdb_panel_of_a_dataset_equals_the_pandas_panel(dataset, freq, by):
    path, frame = dataset
    counties = cq.data.load("counties")
    kw = {"counties": counties} if by and "prefecture" in by else {}
    pd.testing.assert_frame_equal(panel(path, freq, by=by, engine="duckdb", **kw),
                                  panel(frame, freq, by=by, **kw), check_exact=True)


def test_dataset_panel_keeps_the_span_checks(dataset):
    path, frame = dataset
    kw = {"by": "direction", "data_start": "2000-01-01", "data_end": "2011-06-30",
          "start": "1999-11", "end": "2011-08"}
    pd.testing.assert_frame_equal(panel(path, "M", **kw), panel(frame, "M", **kw),
                                  check_exact=True)
    with pytest.raises(AsOfDateError, match="outside data_start..data_end"):
        panel(path, "M", data_end="2009-12-31")
    with pytest.raises(ParameterError, match="engine= applies to a dataset"):
        panel(frame, engine="duckdb")
    with pytest.raises(ParameterError, match="engine must be one of"):
        panel(path, engine="spark")
    with pytest.raises(DataFileError, match="not a declarations dataset"):
        panel(path.parent, "M")


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


def test_forecast_many_on_a_dask_cluster_equals_the_local_run(client):
    rng = np.random.default_rng(7)
    idx = pd.period_range("2005-01", "2010-10", freq="M")
    wide = pd.DataFrame({f"s{i}": rng.gamma(2.0, 1e5, len(idx)) for i in range(6)}, index=idx)
    wide["zero"] = 0.0
    lean = {"candidates": ["snaive_log", "drift_log"]}
    local = forecast_many(wide, horizon=3, n_jobs=1, progress=False, **lean)
    with joblib.parallel_config(backend="dask"):
        remote = forecast_many(wide, horizon=3, progress=False, **lean)
    assert set(client.run(lambda: 1)) and len(client.scheduler_info()["workers"]) == 2
    pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
    pd.testing.assert_frame_equal(remote.series, local.series, check_exact=True)


def test_dask_dataframe_panel_when_a_client_is_active(client, dataset):
    path, frame = dataset
    by = ["county_code", "direction"]
    from ciqanalysis._scale import active_client

    assert active_client() is client  # so engine=None picks dask
    pd.testing.assert_frame_equal(panel(path, "M", by=by), panel(frame, "M", by=by),
                                  check_exact=True)


YTD_CASES = [(None, "2010-11-20"), ("direction", "2010-02-28"), (["county_code", "hs2"],
             "2010-11-20"), (["prefecture", "direction"], "2009-12-31"),
             (["product_group", "port"], "2010-06-30")]


@pytest.mark.parametrize("by,as_of", YTD_CASES)
def test_ytd_cut_of_a_dataset_equals_the_in_memory_cut(dataset, by, as_of):
    path, frame = dataset
    kw = {"counties": cq.data.load("counties")} if by and "prefecture" in by else {}
    got = cq.panel.ytd_cut(path, as_of, by=by, **kw)
    want = cq.panel.ytd_cut(frame, as_of, by=by, **kw)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.attrs == want.attrs and len(got) >= 1


def test_ytd_cut_of_a_dataset_keeps_the_checks(dataset, tmp_path):
    path, frame = dataset
    for kw in ({"as_of": "2011-03-01"}, {"as_of": "2010-11-20", "data_start": "2009-02-01"}):
        with pytest.raises(AsOfDateError) as on_disk:
            cq.panel.ytd_cut(path, **kw)
        with pytest.raises(AsOfDateError) as in_memory:
            cq.panel.ytd_cut(frame, **kw)
        assert str(on_disk.value) == str(in_memory.value)
    with pytest.raises(ParameterError, match="stores 'value_usd' only"):
        cq.panel.ytd_cut(path, "2010-11-20", value="value_cny")
    with pytest.raises(DataFileError, match="not a declarations dataset"):
        cq.panel.ytd_cut(tmp_path, "2010-11-20")
    # missing optional keys are left out of the sums alike on both paths
    holes = frame.copy()
    holes.loc[holes.index[::3], "port"] = np.nan
    holes.to_csv(tmp_path / "holes.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ingest([tmp_path / "holes.csv"], tmp_path / "ds")
    pd.testing.assert_frame_equal(cq.panel.ytd_cut(tmp_path / "ds", "2010-11-20", by="port"),
                                  cq.panel.ytd_cut(read_dataset(tmp_path / "ds"), "2010-11-20",
                                                   by="port"), check_exact=True)


def test_footer_statistics_and_a_scan_give_the_same_results(dataset, monkeypatch, tmp_path):
    from ciqanalysis import _scale
    from ciqanalysis.errors import SchemaError

    path, _ = dataset
    by = ["county_code", "direction"]
    with_stats = (panel(path, "M", by=by), cq.panel.ytd_cut(path, "2010-11-20", by=by))
    assert _scale.footer_stats(path)[0] == len(dataset[1])
    monkeypatch.setattr(_scale, "footer_stats", lambda p: None)  # files without statistics
    pd.testing.assert_frame_equal(panel(path, "M", by=by), with_stats[0], check_exact=True)
    pd.testing.assert_frame_equal(cq.panel.ytd_cut(path, "2010-11-20", by=by), with_stats[1],
                                  check_exact=True)
    monkeypatch.undo()
    # a missing value written by another tool is an error either way
    bad = tmp_path / "bad"
    import shutil

    shutil.copytree(path, bad)
    part = next(bad.glob("year=2010/direction=export/*.parquet"))
    df = pd.read_parquet(part)
    df.loc[df.index[0], "value_usd"] = np.nan
    df.to_parquet(part)
    for stats in (True, False):
        if not stats:
            monkeypatch.setattr(_scale, "footer_stats", lambda p: None)
        with pytest.raises(SchemaError, match="1 missing value"):
            panel(bad, "M")
        with pytest.raises(SchemaError, match="1 missing value"):
            cq.panel.ytd_cut(bad, "2010-11-20")
