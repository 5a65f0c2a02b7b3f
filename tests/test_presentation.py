"""Result objects present themselves: summary(), _repr_html_, to_frame(), repr, compare()."""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pytest

from ciqanalysis._summary import UNKNOWN_SOURCE, Summary, provenance_caption
from ciqanalysis.coverage import (
    CoverageIndicators,
    coverage_change,
    full_coverage_year,
    join_count_test,
    prefecture_test,
    zone_logit,
)
from ciqanalysis.data import national_trade_monthly
from ciqanalysis.errors import ParameterError
from ciqanalysis.forecast import (
    compare,
    forecast,
    forecast_many,
    nowcast_by_direction,
    nowcast_year,
    track_record,
)
from ciqanalysis.narrative import data_support
from ciqanalysis.provenance import SYNTHETIC_CAPTION, SYNTHETIC_TAG, USER_CAPTION
from ciqanalysis.report.memo import compute_memo

_ANNUAL = pd.period_range("2001", periods=12, freq="Y")
_MONTHLY = pd.period_range("2004-01", "2010-10", freq="M")


def _annual(name="x"):
    return pd.Series(np.linspace(10.0, 21.0, 12), index=_ANNUAL, name=name)


def _forecast():
    return forecast(_annual(), 2, candidates=["drift", "snaive"], top_k=1)


def _nowcast():
    y = pd.Series(100.0 + np.arange(len(_MONTHLY)), index=_MONTHLY, name="export")
    return nowcast_year(y, "2010-10-31", seed=1, n_paths=200, select=False)


def _outlook():
    idx = pd.period_range("2004-01", "2010-11", freq="M")
    y = pd.DataFrame({"export": 100.0 + np.arange(len(idx)), "import": 50.0 + np.arange(len(idx))}, index=idx)
    return nowcast_by_direction(y, "2010-11-15", seed=1, n_paths=200, select=False)


def _track():
    exports = national_trade_monthly()[["export"]]
    return track_record(exports, years=[2009], n_paths=100, candidates=("snaive_log",), cache=False)


def _many():
    panel = pd.DataFrame({"g": ["a"] * 24 + ["b"] * 24,
                          "period": list(pd.period_range("2008-01", periods=24, freq="M")) * 2,
                          "value": np.r_[np.arange(24.0) + 10, np.arange(24.0) + 50]})
    return forecast_many(panel, keys=["g"], horizon=2, period="period", value="value",
                         n_jobs=1, progress=False)


def _logit():
    d = pd.DataFrame({"x": np.arange(12.0), "has_zone": [0, 0, 1, 0, 1, 1] * 2})
    return zone_logit(d, covariates=["x"])


def _prefecture():
    ind = pd.DataFrame({"has_zone": [True, True, False, False, True, False],
                        "prefecture_en": ["A", "A", "B", "B", "C", "C"]})
    return prefecture_test(ind, n_permutations=19)


def _change():
    a = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 0, 0, 0]})
    b = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [1, 1, 1, 0]})
    return coverage_change(a, b)


def _joins():
    pairs = pd.DataFrame({"code_a": ["a", "b", "c"], "code_b": ["b", "c", "d"]})
    ind = pd.DataFrame({"code_2010": list("abcd"), "has_zone": [True, True, False, False]})
    return join_count_test(ind, pairs=pairs, permutations=19)


def _goal():
    p = pd.DataFrame({"year": [2008, 2009, 2010], "n_covered": [10, 14, 18], "n_units": 40})
    return full_coverage_year(p, window=2)


def _indicators():
    ind = pd.DataFrame({"code_2010": list("abcd"), "name_en": ["A", "B", "C", "D"],
                        "has_zone": [True, False, True, False],
                        "has_exports": [True, True, False, False]})
    ind.attrs["synthetic"] = True
    return CoverageIndicators({"all": ind, "county_type": ind.iloc[:2]})


def _support():
    decl = pd.DataFrame({"date": pd.to_datetime(["2009-02-10", "2010-01-05", "2010-03-02"]),
                         "direction": ["export", "import", "export"], "value_usd": [1.0, 2.0, 3.0],
                         "product_group": ["food", None, None], "hs2": [None, None, None],
                         "county_code": ["220102", "220102", "220281"]})
    decl.attrs.update(source="mine.csv", synthetic=False, rows_after_as_of=1)
    return data_support(decl, "2010-03-31")


@functools.cache
def _quick_memo():
    return compute_memo(quick=True)


def _memo():
    return _quick_memo()


MAKERS = {"ForecastResult": _forecast, "NowcastResult": _nowcast, "Outlook": _outlook, "TrackRecord": _track,
          "ManyForecast": _many, "LogitResult": _logit, "PrefectureTest": _prefecture,
          "CoverageChange": _change, "JoinCountResult": _joins, "GoalProjection": _goal,
          "CoverageIndicators": _indicators, "DataSupport": _support, "MemoNumbers": _memo}


@pytest.fixture(scope="module", params=sorted(MAKERS))
def result(request):
    return MAKERS[request.param]()


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, re.S)]


def _shown(value, cells: list[str]) -> bool:
    """Whether a table value appears among the html cells (numbers to 5 figures)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return str(value) in cells
    numbers = []
    for c in cells:
        try:
            numbers.append(float(c.replace(",", "")))
        except ValueError:
            continue
    return bool(np.isclose(numbers, float(value), rtol=1e-5, atol=1e-6).any())


def test_every_result_class_presents_itself(result):
    assert type(result).__name__ in MAKERS
    s = result.summary()
    assert isinstance(s, Summary)
    assert s.title and s.tables and s.provenance
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0
    html = result._repr_html_()
    assert html == s.as_html() and "<table" in html and s.title.split()[0] in html
    assert s.as_text().startswith(s.title)


def test_html_holds_the_table_values(result):
    s = result.summary()
    cells = _cells(s.as_html())
    for caption, table in s.tables:
        assert caption in s.as_html()
        for value in table.head(20).to_numpy().ravel():
            if isinstance(value, float) and not np.isfinite(value) or value is pd.NA or value is None:
                continue
            if isinstance(value, str) and len(value) > 60:  # long messages: escaped in html
                continue
            assert _shown(value, cells), (type(result).__name__, caption, value)


def test_repr_is_one_short_line(result):
    text = repr(result)
    assert text.startswith(type(result).__name__ + "(")
    assert len(text) < 200 and "\n" not in text


def test_summary_tables_are_the_results_own_tables():
    res = _forecast()
    pd.testing.assert_frame_equal(dict(res.summary().tables)["models"], res.model_frame())
    rec = _track()
    pd.testing.assert_frame_equal(rec.summary().tables[0][1], rec.benchmark_table())
    out = _outlook()
    tables = dict(out.summary().tables)
    pd.testing.assert_frame_equal(tables["full year Y and next year Y+1, 亿美元"], out.outlook())
    pd.testing.assert_frame_equal(tables["partial month, 亿美元"], out.partial_month())


def test_legacy_summary_text_is_kept():
    res = _forecast()
    text = str(res.summary())
    assert text.startswith("Forecast of x: 12 periods 2001..2012, horizon 2")
    assert "Rolling-origin backtest" in text and "backtest" in res.summary()
    # the default method backtests nothing: the text says so instead of a table of NaN
    default = str(forecast(res.history, 2).summary())
    assert "backtest (滚动回测) not run, the models weighted equally" in default
    assert "NaN" not in default
    now = _nowcast()
    assert str(now.summary()).startswith("Nowcast as of 2010-10-31 from 82 complete months")


def test_provenance_caption():
    s = pd.Series([1.0])
    assert provenance_caption(None, s) == UNKNOWN_SOURCE
    s.attrs.update(synthetic=False, source="china_customs_monthly")
    assert provenance_caption(None, s) == "real data: china_customs_monthly"
    s.attrs["synthetic"] = True
    assert provenance_caption(None, s) == SYNTHETIC_CAPTION
    assert SYNTHETIC_CAPTION.startswith(SYNTHETIC_TAG)
    y = _annual()
    y.attrs["synthetic"] = True
    s = forecast(y, 2, candidates=["drift"]).summary()
    assert s.provenance == SYNTHETIC_CAPTION and SYNTHETIC_TAG in s.as_html()
    m = pd.Series(100.0 + np.arange(len(_MONTHLY)), index=_MONTHLY)
    m.attrs.update(synthetic=False, source="china_customs_monthly")
    now = nowcast_year(m, "2010-10-31", seed=1, n_paths=200, select=False)
    assert now.summary().provenance == "real data: china_customs_monthly"
    assert _logit().summary(source="real data: test").provenance == "real data: test"


def test_compare_aligns_results_on_periods():
    a = forecast(_annual("a"), 2, candidates=["drift"])
    b = forecast(_annual("b"), 3, candidates=["snaive"])
    tab = compare([a, b])
    assert list(tab.columns.get_level_values("result").unique()) == ["a", "b"]
    assert tab.index.tolist() == list(pd.period_range("2013", periods=3, freq="Y"))
    assert np.isnan(tab.loc["2015", ("a", "mean")])
    np.testing.assert_allclose(tab[("a", "mean")].iloc[:2], a.table["mean"])
    np.testing.assert_allclose(tab[("b", "upper_95")], b.table["upper_95"])
    named = compare({"one": a, "two": a})
    assert list(named.columns.get_level_values("result").unique()) == ["one", "two"]
    same = compare([a, a])  # repeated names: numbered
    assert list(same.columns.get_level_values("result").unique()) == ["0", "1"]


def test_compare_rejects_bad_input():
    with pytest.raises(ParameterError, match="empty"):
        compare({})
    with pytest.raises(ParameterError, match="not ForecastResult"):
        compare({"x": _logit()})


def test_track_record_cached_before_the_rename_still_loads():
    import copy
    import pickle

    rec = _track()
    old = copy.copy(rec)
    old.__dict__["summary"] = old.__dict__.pop("by_target")  # the layout cached before
    loaded = pickle.loads(pickle.dumps(old))
    pd.testing.assert_frame_equal(loaded.by_target, rec.by_target)
    assert callable(loaded.summary) and "summary" not in loaded.__dict__


def test_data_support_summary_reads_the_declarations():
    support = _support()
    value = support.to_frame()["value"]
    assert value["window"] == "2009-02-10 to 2010-03-02"
    assert value["as-of date (截至日期)"] == "2010-03-31"
    assert (value["rows kept"], value["rows after as-of (left out)"]) == (3, 1)
    assert value["directions (出境/进境)"] == "export, import"
    assert value["counties (县)"] == 2
    assert (value["product groups (产品类别)"], value["HS codes (商品编码)"]) == ("yes", "no")
    assert value["years from 1 January"] == "2010-2010 (1 year)"
    s = support.summary()
    assert s.title == "What mine.csv holds as of 2010-03-31" and s.provenance == USER_CAPTION
    assert repr(support) == ("DataSupport(label='mine.csv', as_of=2010-03-31, rows=3, "
                             "directions=[export, import], counties=2, synthetic=False)")


def test_memo_summary_holds_the_memo_tables():
    memo = _memo()
    s = memo.summary()
    tables = {caption.split(" (")[0]: table for caption, table in s.tables}
    pd.testing.assert_frame_equal(memo.to_frame(), memo.outlook)
    assert memo.to_frame() is not memo.outlook
    for name, own in [("year to date", memo.ytd), ("outlook", memo.outlook),
                      ("scenarios", memo.scenarios), ("track record", memo.track),
                      ("data quality", memo.quality)]:
        if len(own):
            pd.testing.assert_frame_equal(tables[name], own)
        else:
            assert name not in tables
    assert tables["sources"]["what"].tolist() == [what for what, _ in memo.sources]
    assert s.provenance == SYNTHETIC_CAPTION and memo.method in s.notes
    assert f"seed {memo.seed}" in s.notes[-1]
    assert repr(memo).startswith("MemoNumbers(as_of=2010-11-20, data=sample, synthetic=True")
