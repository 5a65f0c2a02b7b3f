"""FlagTable (标记表): element-wise comparison, and flagged frames still merge and concat."""

from __future__ import annotations

import pandas as pd
import pytest

from ciqanalysis.data import FlagTable


def _flags(action="kept", n=2):
    return FlagTable({"row": [3, 5, 8][:n], "column": ["货值", None, "日期"][:n],
                      "issue": ["negative value", "duplicate", "bad date"][:n],
                      "action": [action, "kept", "kept"][:n]})


def test_equality_is_element_wise_like_any_dataframe():
    a, b = _flags(), _flags(action="skipped")
    eq, ne = a == b, a != b
    assert isinstance(eq, pd.DataFrame) and eq.shape == a.shape
    assert eq["action"].tolist() == [False, True] and eq["row"].tolist() == [True, True]
    pd.testing.assert_frame_equal(pd.DataFrame(ne), ~pd.DataFrame(eq))
    # missing values compare unequal element-wise, as in pandas
    assert (a == a.copy())["column"].tolist() == [True, False]
    assert (a == 3)["row"].tolist() == [True, False]


def test_truth_value_says_whether_tables_are_equal():
    a = _flags()
    assert bool(a == a.copy()) and not bool(a != a.copy())   # missing equals missing here
    assert not bool(a == _flags(action="skipped")) and bool(a != _flags(action="skipped"))
    assert (a == _flags(n=3)) is False and (a != _flags(n=3)) is True  # other rows
    with pytest.raises(ValueError, match="ambiguous"):
        bool(a)  # the table itself keeps pandas' rule


def _flagged(flags):
    df = pd.DataFrame({"decl_id": ["A1", "A2"], "value": [1.0, 2.0]})
    df.attrs["flags"] = flags
    return df


def test_flagged_frames_concat_and_merge_keeping_equal_flags_only():
    df = _flagged(_flags())
    stacked = pd.concat([df, df.copy()], ignore_index=True)
    merged = df.merge(df.copy()[["decl_id"]], on="decl_id")
    assert stacked.attrs["flags"].equals(df.attrs["flags"]) and len(stacked) == 4
    assert merged.attrs["flags"].equals(df.attrs["flags"]) and len(merged) == 2
    # different flags (same shape or not): pandas keeps no attrs rather than failing
    for other in (_flags(action="skipped"), _flags(n=3)):
        assert "flags" not in pd.concat([df, _flagged(other)]).attrs
