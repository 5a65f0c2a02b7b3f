"""The declarations reader gives the same frame, flags and errors in blocks of any size."""

from __future__ import annotations

import gzip
import warnings

import pandas as pd
import pytest

from ciqanalysis import data
from ciqanalysis.errors import AsOfDateError, CountyCodeError, DataFileError, DataQualityWarning

HEADER = "报检号,报检日期,进出境,货值(万美元),区县代码,企业代码,口岸,商品编码,是否直通放行"
ROWS = [
    "A1,2010-03-02,出境,12.5,220621,E1,珲春,0406100000,是",
    "A2,2010/3/5,进口,\"1,000\",220102,E2,长春,1202,否",
    ",,,,,,,,",
    "A3,2010年3月6日,出口,-0.25,220781,E3,图们,12,",
    "A1,2010-03-02,出境,12.5,220621,E1,珲春,0406100000,是",
    "A4,2010-03-08,出口,7,220102,,长春,12,否",
    "A5,2010-03-09,出口,7,220102,E5,长春,12,否",
    "A4,2010-03-08,出口,7,220102,,长春,12,否",
    "",
]


def _write(path, lines, encoding="utf-8"):
    raw = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes(gzip.compress(raw, mtime=0) if path.name.endswith(".gz") else raw)
    return path


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return data.read_declarations(path, **kw)


@pytest.mark.parametrize("name,encoding", [("mine.csv", "gbk"), ("mine.csv.gz", "utf-8-sig")])
def test_blocks_of_any_size_give_the_same_frame_and_flags(tmp_path, name, encoding):
    path = _write(tmp_path / name, [HEADER, *ROWS], encoding)
    whole = _read(path)
    assert len(whole) == 7 and len(whole.attrs["flags"]) >= 6  # empty row, dups, later code...
    for size in (1, 2, 3, 4):
        part = _read(path, chunk_rows=size)
        pd.testing.assert_frame_equal(part, whole, check_exact=True)
        pd.testing.assert_frame_equal(part.attrs["flags"], whole.attrs["flags"])
        assert part.attrs == whole.attrs


def test_parquet_in_batches_gives_the_same_frame(tmp_path):
    csv = _write(tmp_path / "mine.csv", [HEADER, *ROWS])
    pq = tmp_path / "mine.parquet"
    pd.read_csv(csv, dtype=str).to_parquet(pq)
    whole = _read(pq)
    part = _read(pq, chunk_rows=2)
    pd.testing.assert_frame_equal(part, whole, check_exact=True)
    assert part.attrs["flags"] == whole.attrs["flags"]
    assert whole.attrs["flags"]["row"].min() >= 1  # record numbers


def _error(path, cls, **kw):
    with pytest.raises(cls) as err:
        _read(path, **kw)
    return err.value


def test_the_first_check_in_file_order_wins_across_blocks(tmp_path):
    # an unknown direction at row 4 and a missing date at row 8: the missing value is
    # checked first, whichever block it is in; counts cover the whole file
    lines = [HEADER, *ROWS[:2], "B1,2010-03-02,过境,1,220102,E1,长春,12,否",
             *ROWS[3:6], "B2,,出口,1,220102,E1,长春,12,否", "B3,,出口,1,220102,E1,长春,12,否"]
    path = _write(tmp_path / "bad.csv", lines)
    errors = [_error(path, DataFileError, chunk_rows=n) for n in (1, 2, 3, 100)]
    assert {str(e) for e in errors} == {str(errors[-1])}
    assert errors[0].row == 8 and errors[0].column == "报检日期"
    assert "missing value in a required column (1 more rows like it)" in str(errors[0])


def test_counts_and_as_of_errors_over_blocks(tmp_path):
    lines = [HEADER, *ROWS[:2], *(f"B{i},2010-03-0{i},出口,1,210102,E1,长春,12,否"
                                  for i in range(1, 6))]
    path = _write(tmp_path / "bad.csv", lines)
    for n in (1, 2, 1000):
        err = _error(path, CountyCodeError, chunk_rows=n)
        assert err.row == 4 and "(4 more rows like it)" in str(err)
    path = _write(tmp_path / "late.csv", [HEADER, *ROWS[:2], ROWS[3], ROWS[6], ROWS[6]])
    msgs = {str(_error(path, AsOfDateError, as_of="2010-03-05", chunk_rows=n)) for n in (1, 3, 99)}
    assert len(msgs) == 1
    assert msgs.pop().startswith("late.csv, row 4, column '报检日期': 3 declaration(s) dated after "
                                 "the as-of date 2010-03-05 (first: 2010-03-06)")


def test_encoding_error_names_the_line_when_streaming(tmp_path):
    path = tmp_path / "latin.csv"
    good = "日期,方向,货值(美元),县\n" + "2010-01-05,出口,1,220102\n" * 1000
    path.write_bytes(good.encode() + b"2010-01-05,\xff\xfe\xfd,1,220102\n")
    err = _error(path, DataFileError)
    assert err.row == 1002 and "cannot be decoded as UTF-8 or GBK" in str(err)


def test_chunk_rows_must_be_positive(tmp_path):
    path = _write(tmp_path / "mine.csv", [HEADER, ROWS[0]])
    with pytest.raises(Exception, match="chunk_rows"):
        _read(path, chunk_rows=0)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_arrow_and_pandas_csv_parsers_agree(tmp_path, encoding):
    from ciqanalysis.data import _declfile

    lines = [HEADER + ",备注,", *(row + ",," for row in ROWS[:-1]),
             'A9,2010-03-09,出口,"7",220102,,"长春",12,否,"a, b",',
             'A10,2010-03-10,出口,8,220102,NA,长春,12,否,"two\nlines",x', ""]
    path = _write(tmp_path / "mine.csv", lines, encoding)
    args = (path, None, None, None, 0, None, 3)
    arrow = _declfile._read(*args, engine="arrow")  # no fallback: it would raise here
    pandas = _declfile._read(*args, engine="pandas")
    pd.testing.assert_frame_equal(arrow, pandas, check_exact=True)
    assert arrow.attrs == pandas.attrs and len(arrow) == 9
    assert arrow["备注"].tolist()[-2:] == ["a, b", "two\nlines"]


def test_compacted_and_regrouped_blocks_give_the_same_frame(tmp_path, monkeypatch):
    # finished blocks are copied into one piece every COMPACT_ROWS rows, and the Arrow
    # reader's small batches are regrouped into blocks of chunk_rows: neither may
    # change the frame, its flags or the errors
    from ciqanalysis.data import _declfile

    path = _write(tmp_path / "mine.csv", [HEADER, *ROWS, *ROWS[:2], *ROWS[3:8]])
    whole = _read(path)
    monkeypatch.setattr(_declfile, "COMPACT_ROWS", 3)
    monkeypatch.setattr(_declfile, "_CSV_BLOCK", 200)  # about three lines per batch
    for size in (1, 2, 4, 5):
        part = _read(path, chunk_rows=size)
        pd.testing.assert_frame_equal(part, whole, check_exact=True)
        assert part.attrs == whole.attrs
    lines = [HEADER, *ROWS[:2], *ROWS[3:8], "B2,,出口,1,220102,E1,长春,12,否", *ROWS[:2]]
    bad = _write(tmp_path / "bad.csv", lines)
    errors = {str(_error(bad, DataFileError, chunk_rows=n)) for n in (1, 2, 3, 100)}
    assert len(errors) == 1 and "row 9, column '报检日期'" in errors.pop()


def test_repeated_finds_every_position_of_a_repeated_value():
    import numpy as np

    from ciqanalysis.data._declfile import _repeated

    rng = np.random.default_rng(3)
    hashed = rng.integers(0, 50, 400).astype("uint64")
    hashed[::7] = rng.integers(10**12, 10**13, len(hashed[::7]))  # mostly unique values
    counts = pd.Series(hashed).value_counts()
    expected = np.flatnonzero(pd.Series(hashed).map(counts).to_numpy() > 1)
    for step in (1, 3, 64, 1 << 20):
        np.testing.assert_array_equal(_repeated(hashed, step=step), expected)
    assert len(_repeated(np.arange(10, dtype="uint64"))) == 0


def test_plausibility_flags_on_the_lean_view_equal_the_frame():
    import numpy as np

    from ciqanalysis.data._declfile import _lean
    from ciqanalysis.data.plausibility import plausibility_flags

    decl = pd.DataFrame({
        "date": pd.to_datetime(["2009-05-01", "2010-03-02", "2010-04-02", "2030-04-02",
                                "2010-06-01"]).astype("datetime64[us]"),
        "direction": pd.Series(["import", "export", "import", "import", "export"], dtype="str"),
        "value_usd": [1e5, 9e11, 2e5, 1e5, 3e11], "county_code": "220102"})
    rows = np.arange(2, 7)
    lean = _lean(decl)
    expected = plausibility_flags(decl, rows=rows, value_column="货值", unit="万美元")
    assert len(expected) >= 3  # consignments, a year total and a stray date
    pd.testing.assert_frame_equal(
        plausibility_flags(lean, rows=rows, value_column="货值", unit="万美元"), expected)
    assert lean["direction"].tolist() == decl["direction"].tolist()
