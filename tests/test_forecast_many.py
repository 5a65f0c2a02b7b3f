"""forecast_many(): panels long and wide, flags for short/zero/intermittent, determinism."""

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from seasonal import seasonal_path

from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import forecast, forecast_many
from ciqanalysis.plots import _style
from ciqanalysis.plots.fan import plot_fan

matplotlib.use("Agg")

LEAN = {"candidates": ["snaive_log", "drift_log", "ets_log"]}


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(42)
    idx = pd.period_range("2005-01", "2010-10", freq="M")
    n = len(idx)
    rows = []
    for county in ("220581", "220621"):
        for group in ("ginseng", "peanuts"):
            rows.append(pd.DataFrame({"county_code": county, "product_group": group,
                                      "period": idx, "value_usd": seasonal_path(rng, n, 0.05)}))
    # short: only the last 8 months have rows; intermittent: 60 % zeros; zero: all zero
    rows.append(pd.DataFrame({"county_code": "220723", "product_group": "deer",
                              "period": idx[-8:], "value_usd": rng.gamma(2, 1e5, 8)}))
    inter = np.where(rng.random(n) < 0.6, 0.0, rng.gamma(2, 1e5, n))
    rows.append(pd.DataFrame({"county_code": "220723", "product_group": "seed_kernels",
                              "period": idx, "value_usd": inter}))
    rows.append(pd.DataFrame({"county_code": "220723", "product_group": "peanuts",
                              "period": idx, "value_usd": 0.0}))
    return pd.concat(rows, ignore_index=True)


@pytest.fixture(scope="module")
def serial(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return forecast_many(panel, ["county_code", "product_group"], 6, n_jobs=1,
                             progress=False, seed=3, **LEAN)


def test_every_series_forecast_and_flagged(serial, panel):
    s = serial.series
    assert len(s) == 7
    assert list(s.index.names) == ["county_code", "product_group"]
    assert s.loc[("220581", "ginseng"), "status"] == "ok"
    assert s.loc[("220723", "seed_kernels"), "status"] == "simple"
    assert "intermittent" in s.loc[("220723", "seed_kernels"), "flags"]
    assert "all_zero" in s.loc[("220723", "peanuts"), "flags"]
    short = s.loc[("220723", "deer")]
    assert "filled_zero: 62 period(s)" in short["flags"] and short["status"] == "simple"
    t = serial.table
    assert len(t) == 7 * 6
    assert list(t.columns[:3]) == ["county_code", "product_group", "period"]
    zero_rows = (t["county_code"] == "220723") & (t["product_group"] == "peanuts")
    assert np.isfinite(t.loc[~zero_rows, ["mean", "lower_80", "upper_80", "lower_95", "upper_95"]].to_numpy()).all()
    assert (t.loc[~zero_rows, "lower_95"] >= 0).all()
    zero = t[zero_rows]
    assert (zero["mean"] == 0).all()
    # an all-zero history gives no interval (not one of zero width)
    assert zero["lower_95"].isna().all() and "no_interval" in s.loc[("220723", "peanuts"), "flags"]


def test_same_as_single_forecast(serial, panel):
    one = panel[(panel["county_code"] == "220581") & (panel["product_group"] == "peanuts")]
    y = pd.Series(one["value_usd"].to_numpy(), index=pd.PeriodIndex(one["period"]))
    ref = forecast(y, 6, **LEAN)
    got = serial.table[(serial.table["county_code"] == "220581") & (serial.table["product_group"] == "peanuts")]
    np.testing.assert_allclose(got["mean"].to_numpy(), ref.table["mean"].to_numpy(), rtol=1e-10)


def test_independent_of_n_jobs_and_repeatable(serial, panel):
    par = forecast_many(panel, ["county_code", "product_group"], 6, n_jobs=2, progress=False,
                        seed=3, **LEAN)
    pd.testing.assert_frame_equal(serial.table, par.table)
    pd.testing.assert_frame_equal(serial.series, par.series)


def test_wide_panel_and_errors():
    idx = pd.period_range("2001", periods=10, freq="Y")
    wide = pd.DataFrame({"a": np.arange(10.0) + 5, "b": np.zeros(10)}, index=idx)
    out = forecast_many(wide, horizon=2, n_jobs=1, progress=False)
    assert out.series["status"].to_dict() == {"a": "ok", "b": "simple"}
    with pytest.raises(ParameterError, match="lacks column"):
        forecast_many(pd.DataFrame({"x": [1]}), "county_code", 3, n_jobs=1, progress=False)
    # forecast(y, 6) reads the horizon second; forecast_many reads keys there, and a
    # number in its place raised "TypeError: 'int' object is not iterable"
    with pytest.raises(ParameterError, match=r"keys must be a column name .* horizon=6"):
        forecast_many(wide, 6, n_jobs=1, progress=False)
    bad = pd.DataFrame({"k": ["a", "a"], "period": pd.PeriodIndex(["2001-01", "2001-02"], freq="M"),
                        "value_usd": ["1", "oops"]})
    with pytest.warns(UserWarning, match="could not be forecast"):
        out = forecast_many(bad, "k", 3, n_jobs=1, progress=False)
    assert out.series.loc["a", "status"] == "error" and "non-numeric value ('oops') at row 1" in \
        out.series.loc["a", "flags"]


def test_fan_chart(serial):
    idx = pd.period_range("2008-01", periods=36, freq="M")
    y = pd.Series(1e8 * (1 + 0.1 * np.sin(np.arange(36))), index=idx)
    res = forecast(y, 6, candidates=["snaive_log", "drift_log"])
    fig = plot_fan(res, synthetic=True, title="test")
    assert fig.get_suptitle() == _style.SYNTHETIC_CAPTION
    ax = fig.axes[0]
    assert len(ax.collections) == 2  # one band per level
    fig2 = plot_fan(history=y, table=res.table)
    assert fig2.get_suptitle() == ""
    assert _style.SYNTHETIC_CAPTION not in [t.get_text() for t in fig2.texts]
    with pytest.raises(ParameterError):
        plot_fan(history=y, table=res.table[["mean"]])
    matplotlib.pyplot.close("all")


@pytest.mark.parametrize(("n", "workers"), [(1, 2), (7, 2), (2000, 2), (2000, 40), (33, 1)])
def test_series_go_to_workers_in_contiguous_chunks(n, workers):
    from ciqanalysis.forecast.many import _chunks

    jobs = list(range(n))
    chunks = _chunks(jobs, workers)
    assert [j for c in chunks for j in c] == jobs  # every series once, in order
    assert all(chunks) and len(chunks) <= 16 * workers
    assert len(chunks) >= min(n, 16 * workers) // 2  # enough to keep every worker busy
    assert len({len(c) for c in chunks[:-1]}) <= 1 and len(chunks[-1]) <= len(chunks[0])


def test_the_panels_provenance_goes_to_the_result():
    # a forecast of the synthetic sample's panel said "source not recorded" instead of
    # carrying the synthetic label
    from ciqanalysis.provenance import SYNTHETIC_TAG

    idx = pd.period_range("2001", periods=10, freq="Y")
    wide = pd.DataFrame({"a": np.arange(10.0) + 5}, index=idx)
    wide.attrs.update(synthetic=True, source="generator")
    out = forecast_many(wide, horizon=2, n_jobs=1, progress=False)
    assert SYNTHETIC_TAG in str(out.summary()) and out.to_frame().attrs["synthetic"] is True
    wide.attrs.update(synthetic=False, source="my_file.csv")
    assert "my_file.csv" in str(forecast_many(wide, horizon=2, n_jobs=1, progress=False).summary())
