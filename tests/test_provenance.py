"""The one provenance object: real or synthetic, and the source, worded in one place."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

import ciqanalysis
import ciqanalysis as cq
from ciqanalysis.provenance import (
    NOT_SYNTHETIC,
    REAL_PREFIX,
    SYNTHETIC_CAPTION,
    SYNTHETIC_TAG,
    UNKNOWN_SOURCE,
    USER_CAPTION,
    Provenance,
)


def _frame(**attrs) -> pd.DataFrame:
    d = pd.DataFrame({"x": [1.0]})
    d.attrs.update(attrs)
    return d


def test_one_wording_in_english_and_chinese():
    assert "SYNTHETIC" in SYNTHETIC_TAG and "合成数据" in SYNTHETIC_TAG
    assert SYNTHETIC_CAPTION.startswith(SYNTHETIC_TAG + ": ")


def test_no_other_module_words_synthetic_data_itself():
    """Outside provenance.py, no string in the code (docstrings aside) says 'synthetic' in capitals or 合成数据."""
    root = Path(ciqanalysis.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name == "provenance.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and (re.search(r"SYNTHETIC\b", node.value) or "合成数据" in node.value)):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_captions_of_the_four_kinds():
    assert Provenance(True, "generator").caption == SYNTHETIC_CAPTION
    assert Provenance(False, "China Customs", official=True).caption == REAL_PREFIX + "China Customs"
    assert Provenance(False, "mine.csv").caption == USER_CAPTION
    assert Provenance(False).caption == UNKNOWN_SOURCE
    assert Provenance(True).tag == SYNTHETIC_TAG and Provenance(False).tag == NOT_SYNTHETIC
    assert Provenance(True).label == SYNTHETIC_CAPTION and Provenance(False, "x", True).label == ""


def test_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Provenance(True).synthetic = False  # type: ignore[misc]


def test_from_data_any_synthetic_input_makes_all_synthetic():
    syn = _frame(table="declarations", synthetic=True, source="generator")
    real = cq.data.national_trade_monthly()
    p = Provenance.from_data(real, syn)
    assert p.synthetic and not p.official and p.caption == SYNTHETIC_CAPTION


def test_from_data_tells_packaged_real_tables_from_a_users_file():
    real = cq.data.national_trade_monthly()
    p = Provenance.from_data(real)
    assert p.official and p.caption == REAL_PREFIX + real.attrs["source"]
    user = _frame(table="declarations", synthetic=False, source="mine.csv")
    q = Provenance.from_data(user)
    assert not q.synthetic and not q.official and q.source == "mine.csv"
    assert q.caption == USER_CAPTION
    # a real table and a user's file together are not official
    assert Provenance.from_data(real, user).caption == USER_CAPTION
    # a table the package does not know is the user's own, whatever it claims
    assert not Provenance.from_data(_frame(table="no_such", synthetic=False, source="x")).official


def test_from_data_without_attrs_and_default_source():
    assert Provenance.from_data(pd.Series([1.0])).caption == UNKNOWN_SOURCE
    assert Provenance.from_data().caption == UNKNOWN_SOURCE
    p = Provenance.from_data(pd.DataFrame(), default_source="the user's own file")
    assert p.source == "the user's own file" and p.caption == USER_CAPTION


def test_sources_are_listed_once_in_order():
    a = _frame(synthetic=False, source="B")
    b = _frame(synthetic=False, source="A")
    assert Provenance.from_data(a, b, a).source == "B; A"


def test_attach_round_trips_through_attrs():
    p = Provenance(True, "generator", sha256="ab" * 32)
    d = p.attach(pd.DataFrame({"x": [1]}))
    assert d.attrs == {"synthetic": True, "source": "generator", "sha256": "ab" * 32}
    assert Provenance.from_data(d) == p
    assert Provenance(False, "China Customs", official=True).to_attrs() == {
        "synthetic": False, "source": "China Customs"}


def test_note_appends_a_detail():
    assert Provenance(True).note("2010") == f"{SYNTHETIC_CAPTION}; 2010"
    assert Provenance(True).note("") == SYNTHETIC_CAPTION


def test_every_wording_routes_through_it():
    syn = pd.DataFrame({"date": pd.to_datetime(["2010-01-04"])})
    syn.attrs.update(table="declarations", synthetic=True, source="generator")
    assert cq.source_label(syn) == SYNTHETIC_CAPTION
    assert cq.published.data_note(syn).startswith(SYNTHETIC_CAPTION + "; 2010-01-04")
    assert cq.coverage.synthetic_label(syn).startswith(SYNTHETIC_CAPTION)
    assert cq.coverage.provenance({"d": syn})["data"].tolist() == [SYNTHETIC_TAG]
    import matplotlib.pyplot as plt

    from ciqanalysis.plots._style import mark_synthetic
    fig = plt.figure()
    assert mark_synthetic(fig).get_suptitle() == Provenance(True).label
    plt.close(fig)
    user = pd.DataFrame({"date": pd.to_datetime(["2010-01-04"])})
    user.attrs.update(table="declarations", synthetic=False, source="mine.csv")
    assert cq.published.data_note(user).startswith(USER_CAPTION + "; 2010-01-04")
    assert cq.coverage.synthetic_label(user) == USER_CAPTION
