"""Users' own declaration files: encodings, Chinese headers, units, bad rows, formats."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciqanalysis import data
from ciqanalysis.data import schema
from ciqanalysis.data._declfile import HEADER_ALIASES
from ciqanalysis.errors import (
    AsOfDateError,
    CountyCodeError,
    DataFileError,
    DataQualityWarning,
    ParameterError,
    SchemaError,
    UnitError,
)

HEADER_ZH = "报检号,报检日期,进出境,货值(万美元),区县代码,企业代码,口岸,商品编码,直通放行"
ROWS_ZH = [
    "A1,2010-03-02,出境,12.5,220621,E1,珲春,0406100000,是",
    "A2,2010/3/5,进口,\"1,000\",220102,E2,长春,1202,否",
    "A3,2010年3月6日,出口,0.25,222424,E3,图们,12,否",
]


def _csv(tmp_path, lines, name="mine.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def _read(path, **kw):
    """Read expecting no DataQualityWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        return data.read_declarations(path, **kw)


# --------------------------------------------------------------------------- good files


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
def test_chinese_headers_in_any_encoding(tmp_path, encoding):
    df = _read(_csv(tmp_path, [HEADER_ZH, *ROWS_ZH], encoding=encoding))
    assert list(df.columns) == list(data.DECLARATION_COLUMNS)
    assert df["decl_id"].tolist() == ["A1", "A2", "A3"]
    assert df["date"].tolist() == [pd.Timestamp("2010-03-02"), pd.Timestamp("2010-03-05"),
                                   pd.Timestamp("2010-03-06")]
    assert df["direction"].tolist() == ["export", "import", "export"]
    assert df["value_usd"].tolist() == [125_000.0, 10_000_000.0, 2_500.0]  # 万美元 -> USD
    assert df["county_code"].tolist() == ["220621", "220102", "222424"]
    assert df["hs2"].tolist() == ["04", "12", "12"]
    assert df["port"].tolist() == ["珲春", "长春", "图们"]
    assert df["direct_release"].tolist() == [True, False, False]
    assert df["key_enterprise"].isna().all()  # column absent: unknown, not False
    assert df.attrs["synthetic"] is False and df.attrs["table"] == "declarations"
    assert df.attrs["unit"] == "万美元" and len(df.attrs["flags"]) == 0
    assert df.attrs["encoding"] == {"gbk": "gbk", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}[encoding]


def test_reader_output_has_the_contract_dtypes(tmp_path):
    lines = [HEADER_ZH + ",产品类别,重点企业", *(r + ",ginseng,否" for r in ROWS_ZH)]
    df = _read(_csv(tmp_path, lines))
    assert {c: str(df[c].dtype) for c in df.columns} == schema.table("declarations").dtypes
    # every header the reader knows lands on a contract column (money before conversion)
    assert set(HEADER_ALIASES.values()) <= set(schema.table("declarations").columns) | {"value"}


@pytest.mark.parametrize(("header", "unit", "factor"), [
    ("货值(万美元)", None, 1e4),
    ("金额（亿美元）", None, 1e8),
    ("value_10k_usd", None, 1e4),
    ("value_100m_usd", None, 1e8),
    ("value_thousand_usd", None, 1e3),
    ("value_usd", None, 1.0),
    ("货值（美元）", None, 1.0),
    ("货值", "万美元", 1e4),
    ("amount", "亿美元", 1e8),
    ("货值(万美元)", "wan", 1e4),  # the same unit spelled differently is not a conflict
])
def test_money_unit_from_header_or_parameter(tmp_path, header, unit, factor):
    path = _csv(tmp_path, [f"日期,方向,{header},县", "2010-01-05,出口,3.5,220102",
                           "2010-01-06,进口,2,220103"])
    df = _read(path, unit=unit)
    np.testing.assert_allclose(df["value_usd"], [3.5 * factor, 2 * factor])


def test_unit_missing_or_contradicting_is_a_unit_error(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值,县", "2010-01-05,出口,3.5,220102"])
    with pytest.raises(UnitError, match=r"mine.csv, row 1, column '货值': the money unit is not stated"):
        data.read_declarations(path)
    path = _csv(tmp_path, ["日期,方向,货值(万美元),县", "2010-01-05,出口,3.5,220102"])
    with pytest.raises(UnitError, match="the header says 万美元 but unit='亿美元'"):
        data.read_declarations(path, unit="亿美元")
    path = _csv(tmp_path, ["日期,方向,货值(卢布),县", "2010-01-05,出口,3.5,220102"])
    with pytest.raises(UnitError, match="unknown money unit '卢布'"):
        data.read_declarations(path)


def test_two_money_columns_in_different_units_is_an_error(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(万美元),金额(美元),县",
                           "2010-01-05,出口,3.5,35000,220102"])
    with pytest.raises(UnitError, match=r"mine.csv, row 1: columns \['货值\(万美元\)', '金额\(美元\)'\] "
                                        r"hold money in different units \(USD, 万美元\)"):
        data.read_declarations(path)
    path = _csv(tmp_path, ["日期,方向,货值(万美元),金额(万美元),县",
                           "2010-01-05,出口,3.5,3.5,220102"])
    with pytest.raises(SchemaError, match="two money columns") as err:
        data.read_declarations(path)
    assert (err.value.row, err.value.column) == (1, "金额(万美元)")


def test_column_map_and_unmapped_columns_are_kept(tmp_path):
    path = _csv(tmp_path, ["when,flow,usd_value,where,remark", "2010-01-05,E,7,220102,hello"])
    df = _read(path, column_map={"when": "date", "usd_value": "value_usd", "where": "county_code"})
    assert df[["direction", "value_usd", "county_code"]].iloc[0].tolist() == ["export", 7.0, "220102"]
    assert df["remark"].tolist() == ["hello"] and df.attrs["unmapped_columns"] == ["remark"]
    assert df["decl_id"].tolist() == ["mine:2"]  # generated from the file name and row


def test_county_names_are_accepted(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", "2010-01-05,出口,1,抚松县", "2010-01-05,出口,1,220102"])
    assert _read(path)["county_code"].tolist() == ["220621", "220102"]


def test_excel_values_and_row_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["吉林局报检数据"])  # a title row above the header
    ws.append([])
    ws.append(["报检日期", "进出境", "货值(万美元)", "区县代码", "商品编码"])
    ws.append([dt.datetime(2010, 3, 2), "出境", 12.5, 220724, 406100000])
    ws.append(["2010-03-03", "进境", 4, "220113", "1202"])
    path = tmp_path / "book.xlsx"
    wb.save(path)
    # the title row is found to be one and skipped with a flag (it used to be taken as
    # the header, and the file refused); rows keep the sheet's numbering
    with pytest.warns(DataQualityWarning, match="1 × title row above the header"):
        titled = data.read_declarations(path)
    flags = titled.attrs["flags"]
    assert flags[["row", "column", "issue", "action"]].values.tolist()[0] == [
        1, "(all)", "title row above the header", "skipped"]
    assert flags["row"].tolist() == [1, 5]  # the later-vintage county code, on sheet row 5
    ws.delete_rows(1, 2)
    wb.save(path)
    with pytest.warns(DataQualityWarning, match="county code of a later vintage"):
        df = data.read_declarations(path)
    pd.testing.assert_frame_equal(df.drop(columns="decl_id"), titled.drop(columns="decl_id"))
    assert df["date"].tolist() == [pd.Timestamp("2010-03-02"), pd.Timestamp("2010-03-03")]
    assert df["value_usd"].tolist() == [125_000.0, 40_000.0]
    assert df["county_code"].tolist() == ["220724", "220181"]
    assert df["hs2"].tolist() == ["04", "12"]  # leading zero lost by Excel restored
    assert df.attrs["flags"][["row", "column"]].values.tolist() == [[3, "区县代码"]]
    # a sheet whose first rows are not a header and hold none below stays an error
    bare = openpyxl.Workbook()
    bare.active.append(["吉林局报检数据"])
    bare.active.append(["a", "b", "c"])
    bare.save(tmp_path / "bare.xlsx")
    with pytest.raises(SchemaError, match="required column"):
        data.read_declarations(tmp_path / "bare.xlsx")


def test_excel_formula_cell_without_stored_value(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["日期", "方向", None, "货值(美元)", "县"])  # an empty, unnamed column before
    ws.append(["2010-01-05", "出口", None, 100, "220102"])
    ws.append(["2010-01-06", "出口", None, "=D2*2", "220102"])  # openpyxl stores no cached value
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert (err.value.file, err.value.row, err.value.column) == ("formula.xlsx", 3, "货值(美元)")
    assert "formula (=D2*2)" in str(err.value) and "never stored" in str(err.value)


def test_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({
        "decl_id": ["P1", "P2"],
        "date": pd.to_datetime(["2010-05-01", "2010-05-02"]),
        "direction": ["import", "export"],
        "value_10k_usd": [1.5, 2.0],
        "county_code": [220184, 220102],
        "direct_release": [True, False],
    })
    path = tmp_path / "decl.parquet"
    frame.to_parquet(path)
    with pytest.warns(DataQualityWarning):
        df = data.read_declarations(path)
    assert df["value_usd"].tolist() == [15_000.0, 20_000.0]
    assert df["county_code"].tolist() == ["220381", "220102"]  # 公主岭 2020 code -> 2010
    assert df["direct_release"].dtype == bool and df["direct_release"].tolist() == [True, False]
    assert str(df["date"].dtype) == "datetime64[us]"
    assert df.attrs["flags"]["row"].tolist() == [1]  # Parquet rows count records from 1


# --------------------------------------------------------------------------- flagged, kept


def test_duplicates_are_flagged_and_kept(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, *ROWS_ZH, ROWS_ZH[0], "A2,2010-03-07,出境,1,220102,E9,长春,12,否"])
    with pytest.warns(DataQualityWarning, match="2 flag"):
        df = data.read_declarations(path)
    assert len(df) == 5
    flags = df.attrs["flags"]
    assert flags.values.tolist() == [
        [5, "报检号", "duplicate: repeats the decl_id of row 2",
         "kept (drop it yourself if it is not a separate consignment)"],
        [6, "报检号", "duplicate: repeats the decl_id of row 3",
         "kept (drop it yourself if it is not a separate consignment)"],
    ]


def test_identical_rows_without_ids_are_flagged(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", "2010-01-05,出口,1,220102",
                           "2010-01-05,出口,1,220102", "2010-01-05,出口,2,220102"])
    with pytest.warns(DataQualityWarning):
        df = data.read_declarations(path)
    assert len(df) == 3
    assert df.attrs["flags"][["row", "issue"]].values.tolist() == [[3, "duplicate: identical to row 2"]]


def test_negative_values_and_missing_optional_values_are_flagged(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A9,2010-03-09,出口,-2,220102,,长春,12,否"])
    with pytest.warns(DataQualityWarning, match="negative value"):
        df = data.read_declarations(path)
    assert df["value_usd"].tolist() == [125_000.0, -20_000.0]
    assert pd.isna(df.loc[1, "enterprise_id"])
    assert df.attrs["flags"][["row", "column", "issue"]].values.tolist() == [
        [3, "企业代码", "missing value"], [3, "货值(万美元)", "negative value"]]


def test_empty_rows_are_skipped_and_flagged(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], ",,,,,,,,", ROWS_ZH[1], "", ""])  # trailing: not flagged
    with pytest.warns(DataQualityWarning, match="empty row"):
        df = data.read_declarations(path)
    assert df["decl_id"].tolist() == ["A1", "A2"]
    assert df.attrs["flags"][["row", "action"]].values.tolist() == [[3, "skipped"]]


def test_later_county_codes_are_mapped_and_reported(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),区县代码", "2010-01-05,出口,1,220781",
                           "2010-01-05,出口,1,220113", "2010-01-05,出口,1,220184",
                           "2010-01-05,出口,1,220621"])
    with pytest.warns(DataQualityWarning, match="3 × county code of a later vintage"):
        df = data.read_declarations(path)
    assert df["county_code"].tolist() == ["220724", "220181", "220381", "220621"]
    assert df.attrs["flags"]["action"].tolist() == [
        "mapped to its 2010 unit 220724", "mapped to its 2010 unit 220181",
        "mapped to its 2010 unit 220381"]


# --------------------------------------------------------------------------- errors


def _raises(cls, path, row, column, *, match=None, **kw):
    with pytest.raises(cls, match=match) as err:
        data.read_declarations(path, **kw)
    assert err.type is cls
    assert (err.value.file, err.value.row, err.value.column) == (path.name, row, column)
    assert f"{path.name}, row {row}, column {column!r}" in str(err.value)
    return err.value


def test_missing_required_value(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A2,,出口,1,220102,E2,长春,12,否",
                           "A3,,出口,1,220102,E2,长春,12,否"])
    err = _raises(DataFileError, path, 3, "报检日期", match="missing value in a required column")
    assert "1 more rows like it" in str(err)


def test_text_in_a_number_column(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A2,2010-03-02,出口,12.5万,220102,E2,长春,12,否",
                           "A3,2010-03-02,出口,abc,220102,E2,长春,12,否"])
    err = _raises(DataFileError, path, 3, "货值(万美元)", match="text in a number column: '12.5万'")
    assert "1 more rows" in str(err) and "a number in 万美元" in str(err)


def test_unknown_county_code(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A2,2010-03-02,出口,1,210102,E2,长春,12,否"])
    err = _raises(CountyCodeError, path, 3, "区县代码", match="'210102'")
    assert "not a 2010 Jilin county-level code" in str(err)


def test_bad_date_and_unknown_direction(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, "A1,2010-13-45,出境,1,220102,E1,长春,12,否"])
    _raises(DataFileError, path, 2, "报检日期", match="not a date: '2010-13-45'")
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A1,2010-03-02,过境,1,220102,E1,长春,12,否"])
    _raises(DataFileError, path, 3, "进出境", match="unknown direction: '过境'")


def test_dates_after_the_as_of_date(tmp_path):
    path = _csv(tmp_path, [HEADER_ZH, *ROWS_ZH])
    with pytest.raises(AsOfDateError) as err:
        data.read_declarations(path, as_of="2010-03-04")
    assert str(err.value).startswith("mine.csv, row 3, column '报检日期': 2 declaration(s) dated "
                                     "after the as-of date 2010-03-04 (first: 2010-03-05)")
    assert len(_read(path, as_of="2010-03-06")) == 3
    with pytest.raises(ParameterError, match="as_of must be a date"):
        data.read_declarations(path, as_of="soon")


@pytest.mark.parametrize("content", [b"", b"\n\n", "报检日期,进出境,货值(万美元),区县代码\n".encode("gbk")])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert err.type is DataFileError and err.value.file == "empty.csv"
    assert "empty" in str(err.value) or "no declarations" in str(err.value)


def test_missing_required_column(tmp_path):
    path = _csv(tmp_path, ["日期,货值(美元),县", "2010-01-05,1,220102"])
    with pytest.raises(SchemaError, match=r"required column\(s\) not found: \['direction'\]") as err:
        data.read_declarations(path)
    assert err.value.row == 1 and err.value.file == "mine.csv"


def test_undecodable_file_and_unsupported_type(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("日期,方向,货值(美元),县\n".encode() + b"2010-01-05,\xff\xfe\xfd,1,220102\n")
    with pytest.raises(DataFileError, match="cannot be decoded") as err:
        data.read_declarations(path)
    assert err.value.row == 2
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataFileError, match="unsupported file type"):
        data.read_declarations(path)
    with pytest.raises(DataFileError, match="does not exist"):
        data.read_declarations(tmp_path / "nope.csv")


def test_malformed_csv_names_the_line(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", "2010-01-05,出口,1,220102", "2010-01-05,出口,1,220102,x,y"])
    with pytest.raises(DataFileError, match="malformed") as err:
        data.read_declarations(path)
    assert err.value.row == 3


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda v: round(v, 2)),
                       min_size=1, max_size=20),
       unit=st.sampled_from([("万美元", 1e4), ("亿美元", 1e8), ("美元", 1.0)]))
def test_values_round_trip_through_any_unit(tmp_path_factory, values, unit):
    name, factor = unit
    path = tmp_path_factory.mktemp("rt") / "rt.csv"
    frame = pd.DataFrame({"报检日期": "2010-01-05", "进出境": "进口", f"货值({name})": values,
                          "区县代码": "220102", "报检号": [f"R{i}" for i in range(len(values))]})
    frame.to_csv(path, index=False, encoding="gbk")
    with warnings.catch_warnings():
        # values this large are flagged as implausible for a county bureau (kept, not
        # changed; see test_user_matrix): nothing else may be flagged here
        warnings.simplefilter("ignore", DataQualityWarning)
        df = data.read_declarations(path)
    assert df.attrs["flags"]["issue"].str.startswith("implausible").all()
    np.testing.assert_allclose(df["value_usd"].to_numpy(), np.array(values) * factor, rtol=1e-12)


def test_other_date_spellings_and_excel_serials(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", "20100302,出口,1,220102", "2010.3.2,出口,2,220102",
                           "2010年3月2日,出口,3,220102", "40239,出口,4,220102", "2010-03-02 14:30,出口,5,220102"])
    assert (_read(path)["date"] == pd.Timestamp("2010-03-02")).all()


def test_formula_text_in_a_csv_is_never_evaluated(tmp_path):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", "2010-01-05,出口,=1+1,220102"])
    _raises(DataFileError, path, 2, "货值(美元)", match=r"text in a number column: '=1\+1'")


def test_excel_sheet_by_name(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["this sheet is notes"])
    ws = wb.create_sheet("报检")
    ws.append(["日期", "方向", "货值(亿美元)", "县"])
    ws.append(["2010-11-20", "进境", 0.5, "220102"])
    path = tmp_path / "two.xlsx"
    wb.save(path)
    df = _read(path, sheet_name="报检")
    assert df["value_usd"].tolist() == [50_000_000.0] and df.attrs["format"] == "excel"
    assert _read(path, sheet_name=1)["direction"].tolist() == ["import"]
    with pytest.raises(DataFileError, match=r"no sheet 'x'; expected one of the sheets \['说明', '报检'\]"):
        data.read_declarations(path, sheet_name="x")


def test_flagged_frames_merge_concat_and_display(tmp_path):
    # pandas compares attrs with == in merge/concat (pandas issue #60455): flags must allow it
    path = _csv(tmp_path, [HEADER_ZH, ROWS_ZH[0], "A9,2010-03-09,出口,-2,220102,E9,长春,12,否"])
    with pytest.warns(DataQualityWarning):
        df = data.read_declarations(path)
    assert isinstance(df.attrs["flags"], data.FlagTable)
    merged = df.merge(df[["decl_id"]].copy(), on="decl_id")
    stacked = pd.concat([df, df.copy()], ignore_index=True)
    assert len(merged) == 2 and len(stacked) == 4
    assert stacked.attrs["flags"]["issue"].tolist() == ["negative value"]
    with pd.option_context("display.max_rows", 2, "display.min_rows", 2):
        assert "decl_id" in stacked._repr_html_()


def test_a_loader_warning_points_at_the_users_line_not_the_package(tmp_path):
    # it pointed at a wrapper inside the package, and the notebook showed that line
    # ("return _declfile.read_declarations(path, **kwargs)") and the package's path
    path = tmp_path / "dup.csv"
    pd.DataFrame({"date": ["2010-01-04", "2010-01-04"], "direction": ["export"] * 2,
                  "value_usd": [5.0, 5.0], "county_code": ["220102"] * 2}).to_csv(path, index=False)
    for load in (data.load_declarations, data.read_declarations):
        with pytest.warns(DataQualityWarning, match="duplicate") as caught:
            load(path)
        assert caught[0].filename == __file__


@pytest.mark.parametrize(("cell", "monthly"), [("2010-03", True), ("2010年3月", True),
                                               ("2010-13-01", False)])
def test_a_file_of_monthly_totals_is_told_what_the_reader_takes(tmp_path, cell, monthly):
    path = _csv(tmp_path, ["日期,方向,货值(美元),县", f"{cell},出口,100,220102"])
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert (err.value.row, err.value.column) == (2, "日期") and "not a date" in str(err.value)
    assert ("looks like monthly totals" in str(err.value)) == monthly
