"""Users' files written in other notations: delimiters, decimal marks, encodings, scripts.

Each case is a file an economist plausibly exports from a spreadsheet outside China's
mainland conventions, or a table with a totals row, a currency column or several
sheets. Every one either reads to the right US-dollar values or stops with an error
naming the file, row, column and what was expected: never a silently wrong number.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from ciqanalysis import data
from ciqanalysis.errors import DataFileError, DataQualityWarning, UnitError

ROWS = [("2010-03-02", "出境", "12.5", "220621"), ("2010-03-05", "进口", "1000.25", "220102"),
        ("2010-03-06", "出口", "0.75", "222424")]
WAN = [12.5, 1000.25, 0.75]  # 万美元


def _write(tmp_path, text: str, name="mine.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        return data.read_declarations(path, **kw)


def _usd(df) -> list[float]:
    return [round(v, 6) for v in df["value_usd"].tolist()]


def test_a_decimal_comma_in_a_comma_file_is_an_error_not_thousands(tmp_path):
    # "12,5" once read as 125 (ten times the value) without a word
    path = _write(tmp_path, "报检日期,进出境,货值(万美元),区县代码\n"
                            "2010-03-02,出境,\"1,234.5\",220621\n2010-03-05,进口,\"12,5\",220102\n")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    text = str(err.value)
    assert err.value.row == 3 and err.value.column == "货值(万美元)" and "'12,5'" in text
    assert "decimal point" in text and "';'" in text


def test_a_semicolon_file_with_decimal_commas_reads_european_excel(tmp_path):
    lines = ["报检日期;进出境;货值(万美元);区县代码"] + [
        f"{d};{r};{v.replace('.', ',')};{c}" for d, r, v, c in ROWS]
    lines[2] = "2010-03-05;进口;1.000,25;220102"  # thousands dots, decimal comma
    df = _read(_write(tmp_path, "\r\n".join(lines) + "\r\n", encoding="utf-8-sig"))
    assert _usd(df) == [v * 1e4 for v in WAN]
    assert df["county_code"].tolist() == [r[3] for r in ROWS]


def test_a_semicolon_file_with_an_ambiguous_thousands_dot_is_an_error(tmp_path):
    path = _write(tmp_path, "报检日期;进出境;货值(万美元);区县代码\n2010-03-02;出境;12,5;220621\n"
                            "2010-03-05;进口;1.234;220102\n")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert err.value.row == 3 and "decimal comma" in str(err.value)


def test_full_width_digits_and_dates(tmp_path):
    wide = str.maketrans("0123456789.-", "０１２３４５６７８９．－")
    body = "".join(f"{d.translate(wide)},{r},{v.translate(wide)},{c}\n" for d, r, v, c in ROWS)
    df = _read(_write(tmp_path, "报检日期,进出境,货值（万美元）,区县代码\n" + body))
    assert _usd(df) == [v * 1e4 for v in WAN]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == [r[0] for r in ROWS]


def test_utf16_tab_separated_unicode_text(tmp_path):
    body = "".join(f"{d.replace('-', '')}\t{r}\t{v}\t{c}\r\n" for d, r, v, c in ROWS)
    path = _write(tmp_path, "报检日期\t进出境\t货值(万美元)\t区县代码\r\n" + body, name="mine.txt",
                  encoding="utf-16")
    df = _read(path)
    assert _usd(df) == [v * 1e4 for v in WAN] and df.attrs["encoding"] == "utf-16"


def test_traditional_chinese_headers_and_directions(tmp_path):
    trad = {"出境": "出境", "进口": "進口", "出口": "出口"}
    body = "".join(f"{d},{trad[r]},{v},{c}\n" for d, r, v, c in ROWS)
    df = _read(_write(tmp_path, "報檢日期,進出境,貨值(萬美元),區縣代碼\n" + body))
    assert df["direction"].tolist() == ["export", "import", "export"]
    assert _usd(df) == [v * 1e4 for v in WAN]


def test_a_currency_column_mixing_usd_and_cny_is_an_error(tmp_path):
    path = _write(tmp_path, "日期,进出境,金额,币种,区县代码\n2010-03-02,出境,125000,USD,220621\n"
                            "2010-03-05,进口,846250,CNY,220102\n2010-03-06,出口,7500,人民币,222424\n")
    for kw in ({}, {"unit": "USD"}):  # with unit="USD" the yuan were once summed as dollars
        with pytest.raises(UnitError) as err:
            data.read_declarations(path, **kw)
        assert isinstance(err.value, DataFileError)
        assert err.value.row == 3 and err.value.column == "币种" and "'CNY'" in str(err.value)
        assert "1 more row" in str(err.value)


def test_a_currency_column_of_dollars_states_the_unit(tmp_path):
    path = _write(tmp_path, "日期,进出境,金额,币种,区县代码\n2010-03-02,出境,125000,USD,220621\n"
                            "2010-03-05,进口,846250,美元,220102\n")
    df = _read(path)
    assert _usd(df) == [125000.0, 846250.0] and df.attrs["unit"] == "USD"


def test_money_in_yuan_is_refused_with_the_reason(tmp_path):
    path = _write(tmp_path, "日期,进出境,货值(元),区县代码\n2010-03-02,出境,846250,220621\n")
    with pytest.raises(UnitError, match=r"yuan \(人民币\) are not converted"):
        data.read_declarations(path)


def test_a_totals_row_is_an_error_naming_it(tmp_path):
    body = "".join(f"{d},{r},{v},{c}\n" for d, r, v, c in ROWS)
    path = _write(tmp_path, "报检日期,进出境,货值(万美元),区县代码\n" + body + "合计,,1013.5,\n")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert err.value.row == 5 and "totals" in str(err.value) and "'合计'" in str(err.value)


def _workbook(path, sheets: dict[str, pd.DataFrame]):
    with pd.ExcelWriter(path) as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    return path


def _year(year: int) -> pd.DataFrame:
    return pd.DataFrame({"报检日期": [f"{year}-03-02", f"{year}-04-02"], "进出境": ["出境", "进境"],
                         "货值(万美元)": [1.5, 2.5], "区县代码": ["220621", "220102"]})


def test_a_workbook_split_into_sheets_names_the_sheets_not_read(tmp_path):
    path = _workbook(tmp_path / "years.xlsx", {"2009": _year(2009), "2010": _year(2010)})
    with pytest.warns(DataQualityWarning, match="another sheet"):
        df = data.read_declarations(path, sheet_name="2010")
    flags = df.attrs["flags"]
    assert len(df) == 2 and flags["column"].tolist() == ["(sheet '2009')"]
    assert flags["action"].str.startswith("not read").all()


def test_a_notes_sheet_in_front_of_the_declarations_is_named(tmp_path):
    notes = pd.DataFrame({"说明": ["吉林局报检数据，每年一张表"]})
    path = _workbook(tmp_path / "years.xlsx", {"说明": notes, "2009": _year(2009),
                                               "2010": _year(2010)})
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert "'说明'" in str(err.value) and "['2009', '2010']" in str(err.value)
    assert "sheet_name" in str(err.value)


def test_day_month_year_with_dots_as_european_excel_writes_dates(tmp_path):
    body = "".join(f"{d[8:]}.{d[5:7]}.{d[:4]};{r};{v.replace('.', ',')};{c}\n" for d, r, v, c in ROWS)
    df = _read(_write(tmp_path, "报检日期;进出境;货值(万美元);区县代码\n" + body))
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == [r[0] for r in ROWS]
    slashed = _write(tmp_path, "报检日期,进出境,货值(万美元),区县代码\n02/03/2010,出境,1,220621\n",
                     name="slashed.csv")
    with pytest.raises(DataFileError, match="not a date: '02/03/2010'"):  # day or month first?
        data.read_declarations(slashed)


def test_english_headers_with_spaces_or_hyphens(tmp_path):
    body = "".join(f"{d},{'export' if r.startswith('出') else 'import'},{v},{c}\n" for d, r, v, c in ROWS)
    df = _read(_write(tmp_path, "Declaration date,Trade flow,Value (10k USD),County code\n" + body))
    assert _usd(df) == [v * 1e4 for v in WAN]
    assert df.attrs["columns"]["county_code"] == "County code"


def test_a_note_under_the_table_is_an_error_naming_it(tmp_path):
    body = "".join(f"{d},{r},{v},{c}\n" for d, r, v, c in ROWS)
    path = _write(tmp_path, "报检日期,进出境,货值(万美元),区县代码\n" + body + "\n注：数据来源 吉林局,,,\n")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(path)
    assert err.value.row == 6 and "a note under the table" in str(err.value)
    subtotal = _write(tmp_path, "报检日期,进出境,货值(万美元),区县代码\n" + body + "2010-03-31,出境,13.25,小计\n",
                      name="sub.csv")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(subtotal)
    assert err.value.row == 5 and err.value.column == "区县代码" and "'小计'" in str(err.value)


@pytest.mark.filterwarnings("ignore::ciqanalysis.errors.DataQualityWarning")
def test_coverage_names_the_declaration_of_a_negative_export(tmp_path):
    # the error once gave the position among the year's exports as "row 2" of the file
    from ciqanalysis import coverage
    from ciqanalysis.errors import SchemaError

    lines = ["报检日期,进出境,货值(万美元),区县代码", "2009-05-04,出境,3,220621"]
    lines += [f"2010-0{m}-04,{'出境' if m % 2 else '进境'},{m},220621" for m in range(1, 8)]
    lines[6] = "2010-05-04,出境,-2.5,220621"  # a return, kept and flagged by the reader
    decl = data.read_declarations(_write(tmp_path, "\n".join(lines) + "\n"))
    inputs = coverage.coverage_inputs(decl, "2010-07-31")
    # a return nets the county's exports with a warning naming it (it stopped coverage before)
    with pytest.warns(DataQualityWarning, match="negative export values") as caught:
        out = coverage.county_indicators(2010, "all", decl=decl, zones=inputs.zones,
                                         memoranda=inputs.memoranda, as_of="2010-07-31")
    said = " ".join(str(w.message) for w in caught if "negative export" in str(w.message))
    assert "declaration mine:7" in said and "-25000.0" in said and "2010-05-04" in said
    # exports Jan, Mar, May (return), Jul 2010: 1 + 3 - 2.5 + 7 万美元
    assert out.set_index("code_2010").loc["220621", "export_value_usd"] == pytest.approx(8.5e4)
    assert out.set_index("code_2010").loc["220621", "n_export_decl"] == 3
    # a missing value still stops it, naming the declaration
    decl.loc[decl["decl_id"] == "mine:7", "value_usd"] = np.nan
    with pytest.raises(SchemaError) as err:
        coverage.county_indicators(2010, "all", decl=decl, zones=inputs.zones,
                                   memoranda=inputs.memoranda, as_of="2010-07-31")
    assert err.value.row is None and "declaration mine:7" in str(err.value)


def test_title_lines_above_a_csv_header_are_skipped_and_flagged(tmp_path):
    # the CSV saved from a sheet with a title row, which the Excel reader already skips
    body = "".join(f"{d},{r},{v},{c}\n" for d, r, v, c in ROWS)
    head = "吉林出入境检验检疫局 2010年报检数据,,,\n,,,\n报检日期,进出境,货值(万美元),区县代码\n"
    with pytest.warns(DataQualityWarning, match="title row"):
        df = data.read_declarations(_write(tmp_path, head + body))
    assert _usd(df) == [v * 1e4 for v in WAN]
    assert df.attrs["flags"]["row"].tolist() == [1]
    assert df["decl_id"].tolist() == ["mine:4", "mine:5", "mine:6"]  # lines as the user sees them
    bad = _write(tmp_path, head + body.replace("2010-03-05", "2010-13-05"), name="bad.csv")
    with pytest.raises(DataFileError) as err:
        data.read_declarations(bad)
    assert err.value.row == 5 and err.value.column == "报检日期"
