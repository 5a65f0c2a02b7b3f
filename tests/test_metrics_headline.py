"""The article's headline figures F1-F6 and contributions 9.55 + 8.68 = 18.22 pp.

Reproduced twice: from the published table (implied bases) and from the synthetic
sample declarations (a year-to-date cut at 2010-11-20 against the same days of 2009).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ciqanalysis as cq
from ciqanalysis.errors import AsOfDateError, SchemaError
from ciqanalysis.metrics import headline_from_published, headline_table

# Published figure -> (row, column, digits printed)
_FIGURES = {
    "F1": ("total", "value_yi"), "F2": ("total", "growth_pct"),
    "F3": ("export", "value_yi"), "F4": ("export", "growth_pct"),
    "F5": ("import", "value_yi"), "F6": ("import", "growth_pct"),
}


@pytest.fixture(scope="module")
def figures():
    return cq.data.load("published_figures")


@pytest.fixture(scope="module")
def declarations():
    return cq.data.load("declarations")


def _published(figures):
    return figures.set_index("id")["value"]


def _check_against_published(table, figures):
    pub = _published(figures)
    for fid, (row, col) in _FIGURES.items():
        assert round(table.loc[row, col], 2) == pytest.approx(pub[fid], abs=1e-9), fid
    # contributions (拉动): 9.55 and 8.68 pp, adding up to total growth 18.22
    assert round(table.loc["export", "contribution_pp"], 2) == 9.55
    assert round(table.loc["import", "contribution_pp"], 2) == 8.68
    parts = table.loc[["export", "import"], "contribution_pp"].sum()
    assert parts == pytest.approx(table.loc["total", "growth_pct"], rel=1e-12)
    assert round(parts, 2) == pub["F2"]
    # values add up: F3 + F5 = F1
    assert table.loc[["export", "import"], "value_usd"].sum() == \
        pytest.approx(table.loc["total", "value_usd"], rel=1e-12)


def test_headline_from_published_figures(figures):
    t = headline_from_published(figures)
    _check_against_published(t, figures)
    # implied base (2009-01-01..2009-11-20): exports 16.188, imports 22.797, total 38.985
    assert t.loc["export", "base_yi"] == pytest.approx(19.91 / 1.2299, rel=1e-12)
    assert t.loc["import", "base_yi"] == pytest.approx(26.18 / 1.1484, rel=1e-12)
    assert round(t.loc["total", "base_yi"], 3) == 38.985
    # the growth recomputed from the components agrees with F2 to the printed digits
    assert abs(t.loc["total", "growth_pct"] - t.loc["total", "published_growth_pct"]) < 0.005
    assert t.loc["total", "source_ids"] == "F1/F2"
    # the total's own implied base (F1 / (1 + F2)) agrees with the sum to rounding
    assert t.loc["total", "implied_base_usd"] == pytest.approx(46.09e8 / 1.1822, rel=1e-12)
    # bound from the printing: values to 0.005 亿, growth to 0.005 pp
    g = 0.1822
    bound = (0.005 / (1 + g) + 46.09 * 0.00005 / (1 + g) ** 2) * 1e8
    gap = abs(t.loc["total", "implied_base_usd"] - t.loc["total", "base_usd"])
    assert 0 < gap < bound
    np.testing.assert_allclose(t.loc[["export", "import"], "implied_base_usd"],
                               t.loc[["export", "import"], "base_usd"], rtol=1e-12)


def test_headline_from_declarations(declarations, figures):
    t = headline_table(declarations, as_of="2010-11-20")
    _check_against_published(t, figures)
    assert list(t.index) == ["export", "import", "total"]
    assert t["value_yi"].to_numpy() == pytest.approx(t["value_usd"].to_numpy() / 1e8)


def test_headline_by_hand_from_declarations(declarations):
    """The one-call table equals a hand computation with boolean masks."""
    d = declarations
    cur = d[(d["date"] >= "2010-01-01") & (d["date"] <= "2010-11-20")]
    base = d[(d["date"] >= "2009-01-01") & (d["date"] <= "2009-11-20")]
    x1, m1 = (cur.loc[cur["direction"] == k, "value_usd"].sum() for k in ("export", "import"))
    x0, m0 = (base.loc[base["direction"] == k, "value_usd"].sum() for k in ("export", "import"))
    t = headline_table(d, "2010-11-20")
    assert t.loc["export", "growth_pct"] == pytest.approx((x1 / x0 - 1) * 100, rel=1e-12)
    assert t.loc["import", "contribution_pp"] == pytest.approx((m1 - m0) / (x0 + m0) * 100,
                                                               rel=1e-12)


def test_sample_monthly_panel_agrees_with_the_cut(declarations):
    """The monthly panel to October plus 1-20 November gives the same YTD value."""
    p = cq.panel.panel(declarations, "M", by="direction")
    wide = cq.panel.to_wide(p)
    d = declarations
    nov = d[(d["date"] >= "2010-11-01") & (d["date"] <= "2010-11-20")]
    x = wide.loc["2010-01":"2010-10", "export"].sum() + \
        nov.loc[nov["direction"] == "export", "value_usd"].sum()
    assert x == pytest.approx(headline_table(d).loc["export", "value_usd"], rel=1e-12)
    assert (p.loc[p["period"] == pd.Period("2010-11", "M"), "complete"]).eq(False).all()


def test_headline_errors(figures):
    with pytest.raises(SchemaError):
        headline_from_published(figures[figures["id"] != "F4"])
    with pytest.raises(SchemaError):
        headline_from_published(figures.drop(columns="unit"))
    decl = pd.DataFrame({"date": pd.to_datetime(["2010-01-01", "2010-11-20"]),
                         "direction": ["export", "import"], "value_usd": [1.0, 2.0]})
    with pytest.raises(AsOfDateError):
        headline_table(decl, "2010-11-20")
    bad = pd.DataFrame({"date": pd.to_datetime(["2009-01-01", "2010-11-20"]),
                        "direction": ["export", "transit"], "value_usd": [1.0, 2.0]})
    with pytest.raises(SchemaError, match="transit"):
        headline_table(bad, "2010-11-20")
    assert not np.isnan(headline_table(bad.assign(direction="export"))
                        .loc["export", "growth_pct"])
