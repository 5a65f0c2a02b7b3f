"""config: one home for the defaults, the as-of parsing and the same-day rule."""

from __future__ import annotations

import pandas as pd
import pytest

from ciqanalysis import cli, config, panel, sample
from ciqanalysis.coverage import tables as cov_tables
from ciqanalysis.data import cut_at_as_of
from ciqanalysis.errors import AsOfDateError, ParameterError
from ciqanalysis.metrics import ytd_headline
from ciqanalysis.report import memo


def _decl() -> pd.DataFrame:
    days = pd.to_datetime(["2009-02-28", "2009-03-01", "2010-02-28", "2010-03-01"])
    return pd.DataFrame({"date": days, "direction": "export", "value_usd": [1.0, 2.0, 4.0, 8.0]})


def test_defaults_are_the_ones_the_cli_memo_and_sample_use():
    args = cli.build_parser().parse_args(["report"])
    assert (args.as_of, args.seed) == (config.DEFAULT_AS_OF, config.DEFAULT_SEED)
    assert memo.DEFAULT_AS_OF is config.DEFAULT_AS_OF and memo.DEFAULT_SEED is config.DEFAULT_SEED
    assert sample.make_sample.__defaults__ == (config.DEFAULT_SEED,)
    assert pd.Timestamp(config.DEFAULT_AS_OF) == pd.Timestamp(2010, 11, 20)


@pytest.mark.parametrize("call", [
    lambda bad: config.parse_as_of(bad),
    lambda bad: cut_at_as_of(_decl(), bad),
    lambda bad: panel.ytd_cut(_decl(), bad),
    lambda bad: ytd_headline(_decl(), bad),
    lambda bad: cov_tables.same_day_in_year(bad, 2009),
], ids=["config", "data", "panel", "metrics", "coverage"])
@pytest.mark.parametrize("bad", ["2010-13-45", None, "not a date"])
def test_the_same_mistake_gives_the_same_error_everywhere(call, bad):
    with pytest.raises(AsOfDateError, match=r"^as_of must be a date such as '2010-11-20', got ") as err:
        call(bad)
    assert isinstance(err.value, ParameterError)


@pytest.mark.parametrize(("day", "year", "expected"), [
    ("2010-11-20", 2009, "2009-11-20"),
    ("2012-02-29", 2011, "2011-02-28"),
    ("2011-02-28", 2012, "2012-02-28"),
    ("2010-12-31 23:59", 2009, "2009-12-31"),
])
def test_same_day_in_year(day, year, expected):
    assert config.same_day_in_year(pd.Timestamp(day), year) == pd.Timestamp(expected)
    assert cov_tables.same_day_in_year(day, year) == pd.Timestamp(expected)


def test_ytd_cut_compares_with_the_same_day_a_year_earlier():
    # as of 1 March 2010 the base runs to 1 March 2009: both days of each year count
    out = panel.ytd_cut(_decl(), "2010-03-01", data_start="2009-01-01")
    assert out.loc["total", "current"] == 12.0 and out.loc["total", "base"] == 3.0
    out = panel.ytd_cut(_decl(), "2010-02-28", data_start="2009-01-01")
    assert out.loc["total", "current"] == 4.0 and out.loc["total", "base"] == 1.0
