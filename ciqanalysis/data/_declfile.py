"""Reading users' own declaration files (用户自己的报检数据): CSV, Excel, Parquet.

Private module: the public entry points are ``data.read_declarations`` and
``data.load_declarations``. Nothing read from a file is ever executed (no pickle, no
eval; Excel formulas are never evaluated, only the values Excel stored are read).

Decisions (documented in ``data/README.md``):

- errors (the file must be fixed): a missing required column, a missing value in a
  required column (``date``, ``direction``, money, ``county_code``), text in a number
  or date column, an unknown direction, a county code that is not a 2010 Jilin unit,
  two money columns (mixed units: :class:`~ciqanalysis.errors.UnitError`), a
  currency column (币种) naming another currency than US dollars, money in yuan, a
  decimal comma in a ','-delimited file (never read as a thousands separator), a
  totals row (合计) or a note under the table, dates
  after ``as_of`` (:class:`~ciqanalysis.errors.AsOfDateError`), an empty file;
- flagged and kept (``df.attrs["flags"]`` and one
  :class:`~ciqanalysis.errors.DataQualityWarning`): duplicated ``decl_id`` and fully
  identical rows (kept: they may be split consignments; drop them yourself if not),
  negative values (kept: corrections or returns), later county codes (mapped to
  their 2010 unit), missing values in optional columns (kept as missing), values and dates
  implausible for a county bureau (:mod:`ciqanalysis.data.plausibility`, e.g. US dollars
  under a 万美元 header);
- flagged and skipped: empty rows; flagged and not read: other sheets of a workbook
  that also hold declarations.
"""

from __future__ import annotations

import codecs
import functools
import gzip
import io
import os
import re
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..codes import COUNTY_CODE_CHANGES, to_2010_code
from ..config import parse_as_of
from ..errors import (
    AsOfDateError,
    CountyCodeError,
    DataFileError,
    DataQualityWarning,
    ParameterError,
    SchemaError,
    UnitError,
    user_stacklevel,
)
from ..units import canonical_unit, to_usd
from ._package import load
from .plausibility import plausibility_flags
from .schema import table

__all__ = ["DECLARATION_COLUMNS", "HEADER_ALIASES", "FlagTable", "read_declarations"]

#: Columns of the declarations table, in order: the contract in data/datapackage.json.
DECLARATION_COLUMNS: tuple[str, ...] = table("declarations").columns

_REQUIRED = ("date", "direction", "value", "county_code")

#: Accepted headers (lower case, no spaces; money headers may carry a unit) -> column.
HEADER_ALIASES: dict[str, str] = {
    **dict.fromkeys(["decl_id", "id", "报检号", "报检单号", "报检编号", "报检单编号", "编号"], "decl_id"),
    **dict.fromkeys(["date", "decl_date", "declaration_date", "inspection_date", "日期", "报检日期",
                     "检验日期", "申报日期", "放行日期"], "date"),
    **dict.fromkeys(["direction", "flow", "trade_flow", "方向", "进出境", "出入境", "进出口"], "direction"),
    **dict.fromkeys(["value", "amount", "货值", "金额", "货物价值", "货值金额", "价值"], "value"),
    **dict.fromkeys(["county_code", "county", "code_2010", "县", "县区", "区县", "区县代码",
                     "县代码", "县区代码", "县级代码", "行政区划代码", "所在县"], "county_code"),
    **dict.fromkeys(["enterprise_id", "enterprise", "firm_id", "企业", "企业代码", "企业编号",
                     "企业备案号"], "enterprise_id"),
    **dict.fromkeys(["port", "口岸", "口岸名称"], "port"),
    **dict.fromkeys(["hs2", "hs", "hs_code", "hscode", "hs编码", "商品编码", "hs编码前两位"], "hs2"),
    **dict.fromkeys(["product_group", "product", "产品类别", "商品类别", "产品类型"], "product_group"),
    **dict.fromkeys(["direct_release", "直通放行", "是否直通放行"], "direct_release"),
    **dict.fromkeys(["key_enterprise", "重点企业", "是否重点企业"], "key_enterprise"),
}

#: The same without underscores or hyphens: "County code", "Declaration date", "HS-code".
_LOOSE_ALIASES: dict[str, str] = {re.sub("[_-]", "", k): v for k, v in HEADER_ALIASES.items()}


def _alias(base: str) -> str | None:
    """Return the column a normalised header names (HEADER_ALIASES, then loosely), or None."""
    return HEADER_ALIASES.get(base) or _LOOSE_ALIASES.get(re.sub("[_-]", "", base))


#: Headers of a currency column (币种): checked row by row, not a column of the result.
_CURRENCY_HEADERS = frozenset(["currency", "curr", "币种", "币制", "货币", "币别", "currency_code"])

#: Cells of a currency column (币种/币制) that mean US dollars; 502 is the customs code.
_USD_CODES = ("usd", "us$", "$", "美元", "美金", "502", "usdollar", "usdollars", "dollar")

#: Unit spelled at the end of a money header (value_10k_usd, 货值万美元) -> unit name.
_UNIT_SUFFIXES: dict[str, str] = {
    "_100m_usd": "亿美元", "_10k_usd": "万美元", "_thousand_usd": "thousand USD",
    "_1000_usd": "thousand USD", "_kusd": "thousand USD", "_million_usd": "million USD",
    "_usd": "USD", "亿美元": "亿美元", "万美元": "万美元", "千美元": "thousand USD", "美元": "USD",
}

_EXPORT = ("出境", "出口", "出", "export", "exports", "exp", "exit", "e", "x")
_IMPORT = ("进境", "进口", "进", "進境", "進口", "進", "import", "imports", "imp", "entry", "i", "m")
_TRUE = ("true", "1", "yes", "y", "t", "是", "√", "✓", "直通")
_FALSE = ("false", "0", "no", "n", "f", "否", "×", "")
_NA = ["", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "None"]


class FlagComparison(pd.DataFrame):
    """Element-wise result of ``==`` or ``!=`` on a :class:`FlagTable` (标记比较).

    A boolean DataFrame like pandas' own, with one addition: its truth value says
    whether the two tables were equal as a whole (:meth:`pandas.DataFrame.equals`,
    missing equal to missing; negated for ``!=``) instead of raising an error. pandas needs that when it checks
    ``attrs`` for equality in merge, concat and display (pandas issue #60455).
    """

    _metadata = ["_truth"]

    @property
    def _constructor(self):
        return pd.DataFrame

    def __bool__(self) -> bool:
        return bool(getattr(self, "_truth", False))


class FlagTable(pd.DataFrame):
    """The rows a loader flagged (标记): columns ``row``, ``column``, ``issue``, ``action``.

    A DataFrame kept in ``df.attrs["flags"]``. ``==`` and ``!=`` are element-wise, as
    for any DataFrame; their result (a :class:`FlagComparison`) also has a truth value,
    whether the tables are equal as a whole, because pandas compares ``attrs`` with
    ``==`` when it merges or concatenates frames (pandas issue #60455). Tables with
    different rows or columns compare unequal instead of raising.

    Examples
    --------
    >>> a = FlagTable({"row": [3, 5], "column": ["货值", None],
    ...                "issue": ["negative value", "duplicate"], "action": ["kept", "kept"]})
    >>> b = a.copy()
    >>> b.loc[1, "action"] = "skipped"
    >>> (a == b)["action"].tolist()
    [True, False]
    >>> bool(a == a.copy()), bool(a == b), bool(a != b)
    (True, False, True)
    """

    @property
    def _constructor(self):
        return FlagTable

    def _compare(self, other, op: str):
        if isinstance(other, pd.DataFrame) and not (
                self.index.equals(other.index) and self.columns.equals(other.columns)):
            return NotImplemented  # Python then answers == with False, != with True
        out = FlagComparison(getattr(pd.DataFrame(self), op)(other))
        same = isinstance(other, pd.DataFrame) and pd.DataFrame(self).equals(pd.DataFrame(other))
        out._truth = same if op == "__eq__" else not same
        return out

    def __eq__(self, other):  # type: ignore[override]
        return self._compare(other, "__eq__")

    def __ne__(self, other):  # type: ignore[override]
        return self._compare(other, "__ne__")

    __hash__ = None  # type: ignore[assignment]


# --------------------------------------------------------------------------- reading

#: Rows parsed at a time: memory stays near the size of the result, not of the text.
CHUNK_ROWS = 100_000
_BLOCK = 1 << 24  # bytes read at a time when checking the encoding
#: Bytes per batch of the Arrow CSV reader. Its input thread reads up to 32 of them
#: ahead of the parser, so they are kept small (a line must fit in one).
_CSV_BLOCK = 1 << 20


def _open_bytes(path: Path):
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _decodes_as(path: Path, codec: str) -> UnicodeDecodeError | None:
    """Stream the file through an incremental decoder; return the first error, if any."""
    decoder = codecs.getincrementaldecoder(codec)()
    seen = lines = 0
    with _open_bytes(path) as fh:
        while True:
            block = fh.read(_BLOCK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                pending = len(exc.object) - len(block)  # bytes held over from the last block
                exc.start += seen - pending
                exc.reason = str(lines + exc.object[: exc.start - seen + pending].count(b"\n") + 1)
                return exc
            if not block:
                return None
            seen += len(block)
            lines += block.count(b"\n")


def _sniff(path: Path, encoding: str | None, label: str) -> tuple[str, str]:
    """Return (encoding for the parser, encoding to report): given, UTF-8 (BOM) or GBK.

    The file is streamed, never held in memory; the error names the line and byte of
    the first undecodable character.
    """
    def fail(exc: UnicodeDecodeError, tried: str):
        raise DataFileError(
            f"the file cannot be decoded as {tried} (byte {exc.start})", file=label,
            row=int(exc.reason), expected="text in UTF-8, UTF-8 with BOM, GBK or UTF-16 with BOM",
            hint="save the file as CSV UTF-8, or pass encoding='...' with its real encoding",
        ) from None

    with _open_bytes(path) as fh:
        start = fh.read(3)
    bom = start == b"\xef\xbb\xbf"
    if encoding is None and start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"  # Excel's "Unicode text" (tab-separated), marked by its BOM
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataFileError(f"unknown encoding {encoding!r}", file=label,
                                expected="an encoding such as 'utf-8' or 'gbk'") from None
        if (err := _decodes_as(path, encoding)) is not None:
            fail(err, encoding)
        utf8 = codecs.lookup(encoding).name == "utf-8"
        return ("utf-8-sig" if bom and utf8 else encoding), encoding
    first = _decodes_as(path, "utf-8")
    if first is None:
        return ("utf-8-sig", "utf-8-sig") if bom else ("utf-8", "utf-8")
    if bom:
        fail(first, "UTF-8")
    if _decodes_as(path, "gb18030") is not None:
        fail(first, "UTF-8 or GBK")
    return "gb18030", "gbk"


def _separator(line: str) -> str:
    """Return the delimiter of a CSV line: tab or ';' when more frequent than ',', else ','."""
    sep = max(("\t", ";"), key=line.count)
    return sep if line.count(sep) > line.count(",") else ","


def _header_line(path: Path, codec: str) -> tuple[int, str, list[int]] | None:
    """Find the header line of a CSV: (0-based line, its text, 1-based title lines above).

    The first line that is not blank, or, when it reads as a title (fewer than two known
    headers, like a report title exported from a sheet), the first of the next
    :data:`MAX_TITLE_ROWS` filled lines with at least three known headers, as in Excel.
    None for a file of blank lines only.
    """
    filled: list[tuple[int, str]] = []
    with _open_bytes(path) as fh:
        text = io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="")
        for number, line in enumerate(text):
            if line.strip(" \t\r\n\ufeff,;\""):  # a line of delimiters only is empty
                filled.append((number, line))
                if len(filled) > MAX_TITLE_ROWS:
                    break
    if not filled:
        return None

    cells = [(n, [c.strip().strip('"') for c in line.strip("\r\n").split(_separator(line))])
             for n, line in filled]
    number = _header_position(cells)
    line = next(text for n, text in filled if n == number)
    return number, line, [n + 1 for n, _ in filled if n < number]


class _Fallback(Exception):
    """The Arrow CSV parser met a line it does not read as pandas does: use pandas."""


def _csv_chunks(path: Path, encoding: str | None, label: str, chunk_rows: int,
                engine: str = "arrow"):
    """Yield (raw frame of text cells, file rows, meta) for each block of rows of a CSV.

    ``engine="arrow"``: pyarrow's streaming CSV reader (columnar, no Python object
    per cell); a line it would read differently from pandas (a short or long line,
    a blank line before the header) raises :class:`_Fallback`, and the caller reads
    the file again with ``engine="pandas"``, whose messages name the line.
    """
    codec, used = _sniff(path, encoding, label)
    found = _header_line(path, codec)
    if found is None:
        raise DataFileError("the file is empty", file=label, row=1,
                            expected="a header line and one line per declaration",
                            hint="export the declarations again")
    skip, first, titles = found
    sep = _separator(first)
    # a ';'-delimited file is a European-locale export: its numbers use decimal commas
    meta = {"encoding": used, "format": "csv", "decimal": "," if sep == ";" else ".",
            "title_rows": titles}
    options = {"dtype": str, "keep_default_na": False, "na_values": _NA,
               "skip_blank_lines": False, "sep": sep, "encoding": codec}
    try:
        if engine == "arrow":
            if titles:
                raise _Fallback  # title lines above the header: pandas skips them by number
            yield from _arrow_csv(path, codec, first, options, chunk_rows, meta)
            return
        start = 2 + skip if titles else 2
        with pd.read_csv(path, chunksize=chunk_rows, skiprows=skip if titles else None,
                         **options) as reader:
            for df in reader:
                yield df, np.arange(start, start + len(df)), meta
                start += len(df)
    except pd.errors.ParserError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise DataFileError(
            f"the CSV is malformed ({exc})".rstrip("\n"), file=label,
            row=int(found.group(1)) if found else None,
            expected="the same number of fields on every line",
            hint="quote fields that contain commas",
        ) from None
    except pd.errors.EmptyDataError:
        raise DataFileError("the file has no header", file=label, row=1,
                            expected="a header line") from None


def _arrow_csv(path: Path, codec: str, first: str, options: dict, chunk_rows: int, meta: dict):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    with _open_bytes(path) as fh:
        head = fh.read(4096).lstrip(b"\xef\xbb\xbf")
    if not head or head[:1] in (b"\n", b"\r") or "\n" not in first:
        raise _Fallback  # blank lines before the header, or a header without a line end
    names = list(pd.read_csv(path, nrows=0, **options).columns)  # pandas' names (Unnamed: i)

    def invalid(row) -> str:
        return "error"  # a short or long line: pandas pads or names it; read with pandas

    open_reader = functools.partial(
        pacsv.open_csv, path,
        read_options=pacsv.ReadOptions(
            use_threads=False, column_names=names, skip_rows=1, block_size=_CSV_BLOCK,
            encoding="utf8" if codec in ("utf-8", "utf-8-sig") else codec),
        parse_options=pacsv.ParseOptions(delimiter=options["sep"], ignore_empty_lines=False,
                                         newlines_in_values=True, invalid_row_handler=invalid),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True,
            null_values=_NA, quoted_strings_can_be_null=True))
    start = 2
    try:
        for block in _regroup(open_reader(), chunk_rows):  # the first batch is parsed on opening
            df = block.to_pandas()
            df.columns = names
            yield df, np.arange(start, start + len(df)), meta
            start += len(df)
    except pa.ArrowInvalid:
        raise _Fallback from None


def _regroup(batches, chunk_rows: int):
    """Tables of exactly ``chunk_rows`` rows (the last one shorter) from record batches."""
    import pyarrow as pa

    held: list = []
    n = 0
    for batch in batches:
        held.append(batch)
        n += batch.num_rows
        if n < chunk_rows:
            continue
        table = pa.Table.from_batches(held)
        whole = n - n % chunk_rows
        for offset in range(0, whole, chunk_rows):
            yield table.slice(offset, chunk_rows)
        held, n = table.slice(whole).to_batches(), n - whole
        del table
    if n:
        yield pa.Table.from_batches(held)


def _read_excel(path: Path, sheet_name: int | str, label: str) -> tuple[pd.DataFrame, np.ndarray, dict]:
    import openpyxl

    try:
        # data_only=True: the values Excel stored for formula cells; never evaluated here
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise DataFileError(f"the file cannot be opened as an Excel workbook ({type(exc).__name__})",
                            file=label, expected="an .xlsx workbook",
                            hint="open and save it in Excel as .xlsx, or export to CSV") from None
    try:
        ws = wb.worksheets[sheet_name] if isinstance(sheet_name, int) else wb[sheet_name]
    except (IndexError, KeyError):
        raise DataFileError(f"no sheet {sheet_name!r}", file=label,
                            expected=f"one of the sheets {wb.sheetnames}",
                            hint="pass sheet_name= with the sheet's name or 0-based position") from None
    records = list(ws.iter_rows(min_row=1, min_col=1, values_only=True))
    others = _declaration_sheets(wb, skip=ws.title)
    wb.close()
    width = max((len(r) for r in records), default=0)
    grid = pd.DataFrame([tuple(r) + (None,) * (width - len(r)) for r in records], dtype=object)
    filled = grid.notna().any(axis=1).to_numpy() if width else np.zeros(len(grid), bool)
    if not filled.any():
        raise DataFileError("the sheet is empty", file=label, row=1,
                            expected="a header row and one row per declaration")
    head = _excel_header_row(grid, np.flatnonzero(filled))
    if others and _header_cells(grid.iloc[head]) < 3:
        raise DataFileError(f"sheet {ws.title!r} has no header of declarations, but sheet(s) "
                            f"{others} have", file=label, row=head + 1,
                            expected="the declarations on the sheet read (sheet_name)",
                            hint="pass sheet_name= with the sheet to read, or move it to the "
                                 "front; combine sheets into one before reading them together")
    last = int(np.flatnonzero(filled)[-1])
    header = [str(h).strip() if h is not None else f"Unnamed: {i}" for i, h in enumerate(grid.iloc[head])]
    body = grid.iloc[head + 1: last + 1].reset_index(drop=True)
    body.columns = header
    rows = np.arange(len(body)) + head + 2
    titles = [int(r) + 1 for r in np.flatnonzero(filled) if r < head]  # 1-based sheet rows
    return body, rows, {"format": "excel", "sheet": ws.title, "_path": path, "title_rows": titles,
                        "other_sheets": others}


def _declaration_sheets(wb, skip: str) -> list[str]:
    """Names of the sheets other than ``skip`` whose first rows hold a declarations header.

    A workbook split into sheets (one per year, per direction) is read one sheet at a
    time; the sheets not read are named, never left out silently.
    """
    found = []
    for other in wb.worksheets:
        if other.title == skip or getattr(other, "sheet_state", "visible") != "visible":
            continue
        rows = other.iter_rows(min_row=1, max_row=MAX_TITLE_ROWS + 1, values_only=True)
        if any(_header_cells(r) >= 3 for r in rows):
            found.append(other.title)
    return found


#: Filled rows above the header an Excel sheet may carry (a report title, a date line).
MAX_TITLE_ROWS = 5


def _header_cells(cells) -> int:
    """Count the cells of a row that read as known headers (HEADER_ALIASES, units allowed)."""
    known = 0
    for cell in cells:
        if cell is not None:
            base, _ = _split_unit(_normalised(cell))
            known += _alias(base) is not None
    return known


def _excel_header_row(grid: pd.DataFrame, filled: np.ndarray) -> int:
    """Return the position of the header row of an Excel sheet (表头所在行).

    The first filled row, or, when that row reads as a title (fewer than two known
    headers), the first of the next :data:`MAX_TITLE_ROWS` filled rows that holds at
    least three known headers.

    Examples
    --------
    >>> grid = pd.DataFrame([["吉林局 2010年报检数据", None, None], [None, None, None],
    ...                      ["报检日期", "进出境", "货值(万美元)"], ["2010-01-04", "出境", 1.5]])
    >>> int(_excel_header_row(grid, np.array([0, 2, 3])))
    2
    """
    return _header_position([(int(pos), grid.iloc[int(pos)]) for pos in filled[: MAX_TITLE_ROWS + 1]])


def _header_position(rows: list[tuple[int, object]]) -> int:
    """Return the position of the header among the first filled rows ``(position, cells)``.

    The first row, unless it reads as a title (fewer than two known headers): then the
    first later row with at least three; the first row when none has (the mapping
    error then names its cells). Shared by Excel sheets and CSV files.
    """
    if _header_cells(rows[0][1]) < 2:
        for pos, cells in rows[1: MAX_TITLE_ROWS + 1]:
            if _header_cells(cells) >= 3:
                return pos
    return rows[0][0]


def _parquet_chunks(path: Path, label: str, chunk_rows: int):
    """Yield (frame, record numbers, meta) for each batch of a Parquet file."""
    import pyarrow.parquet as pq

    def fail(exc: Exception):
        raise DataFileError(f"the file cannot be read as Parquet ({type(exc).__name__})",
                            file=label, expected="an Apache Parquet file") from None

    try:
        pf = pq.ParquetFile(path)
        index_cols = {c for c in (pf.schema_arrow.pandas_metadata or {}).get("index_columns", [])
                      if isinstance(c, str)}
        columns = [n for n in pf.schema_arrow.names if n not in index_cols]
        batches = pf.iter_batches(batch_size=chunk_rows, columns=columns)
    except Exception as exc:  # pyarrow's errors vary by version
        fail(exc)
    start, meta = 1, {"format": "parquet"}
    while True:
        try:
            batch = next(batches, None)
        except Exception as exc:  # a damaged row group
            fail(exc)
        if batch is None:
            if start == 1:  # no rows: one empty frame, so the header checks still run
                yield pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), \
                    np.arange(0), meta
            return
        df = batch.to_pandas()
        df.columns = [str(c) for c in df.columns]
        yield df, np.arange(start, start + len(df)), meta
        start += len(df)


def _chunks(path: Path, encoding, sheet_name, label, chunk_rows: int, engine: str = "arrow"):
    """Blocks of rows of any supported file: (raw frame, file rows, meta) each."""
    name = path.name.lower()
    if not path.exists():
        raise DataFileError("the file does not exist", file=str(path),
                            hint="check the path given as data_source")
    if name.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
        return _csv_chunks(path, encoding, label, chunk_rows, engine)
    if name.endswith((".xlsx", ".xlsm")):
        return iter([_read_excel(path, sheet_name, label)])
    if name.endswith((".parquet", ".pq")):
        return _parquet_chunks(path, label, chunk_rows)
    raise DataFileError(
        "unsupported file type", file=label,
        expected="a .csv (UTF-8 or GBK), .csv.gz, .xlsx or .parquet file",
        hint="save old .xls workbooks as .xlsx, or export the sheet to CSV",
    )


def _excel_formula(meta: dict, row: int, col_pos: int) -> str | None:
    """Return the formula stored in an Excel cell (1-based row), if it holds one."""
    import openpyxl

    wb = openpyxl.load_workbook(meta["_path"], read_only=True, data_only=False)
    try:
        cell = next(wb[meta["sheet"]].iter_rows(min_row=row, max_row=row, min_col=col_pos + 1,
                                                max_col=col_pos + 1, values_only=True))[0]
    finally:
        wb.close()
    return cell if isinstance(cell, str) and cell.startswith("=") else None


# --------------------------------------------------------------------------- headers


#: Traditional characters of the accepted headers (報檢日期, 進出境, 貨值(萬美元)).
_TRADITIONAL = str.maketrans("報檢驗進貨萬區縣碼編號額價業產類別幣製關單點門預計",
                             "报检验进货万区县码编号额价业产类别币制关单点门预计")


def _normalised(header) -> str:
    """Return a header as matched against HEADER_ALIASES (表头): no spaces, no BOM, lower case.

    Full-width letters and brackets become ASCII and traditional characters simplified,
    so ``報檢日期`` and ``貨值（萬美元）`` match like ``报检日期`` and ``货值(万美元)``.

    Examples
    --------
    >>> _normalised("貨值（萬美元）"), _normalised(" Value USD ")
    ('货值(万美元)', 'valueusd')
    """
    text = unicodedata.normalize("NFKC", str(header).replace("\ufeff", ""))
    return re.sub(r"\s+", "", text).lower().translate(_TRADITIONAL)


def _split_unit(norm: str) -> tuple[str, str | None]:
    found = re.fullmatch(r"(.+?)[(（\[【](.+?)[)）\]】]", norm)
    if found:
        return found.group(1), found.group(2)
    for suffix, unit in _UNIT_SUFFIXES.items():
        if norm.endswith(suffix) and _alias(norm[: -len(suffix)]) == "value":
            return norm[: -len(suffix)], unit
    return norm, None


def _map_headers(columns, unit, column_map, label):
    """Return {target: original header}, the money unit and the unmapped headers."""
    column_map = dict(column_map or {})
    targets: dict[str, list[str]] = {}
    units: dict[str, str | None] = {}
    unmapped = []
    for col in columns:
        norm = _normalised(col)
        base, in_header = _split_unit(norm)
        target = column_map.get(col, _alias(base) or (
            "currency" if base in _CURRENCY_HEADERS else None))
        if target == "value_usd":
            target, in_header = "value", "USD"
        if target is None:
            unmapped.append(col)
            continue
        if target not in (*DECLARATION_COLUMNS, "value", "currency"):
            raise SchemaError(f"column_map sends {col!r} to {target!r}, which is not a column",
                              file=label, row=1, column=str(col),
                              expected=f"one of {list(DECLARATION_COLUMNS)}")
        targets.setdefault(target, []).append(col)
        if target == "value":
            spaced = re.search(r"[(\[]\s*(.+?)\s*[)\]]\s*$", unicodedata.normalize("NFKC", str(col)))
            try:  # the unit as written, "(thousand USD)", or without its spaces, "(万美元)"
                units[col] = canonical_unit(spaced.group(1)) if spaced else None
            except UnitError:
                units[col] = None
            try:
                units[col] = units[col] or (canonical_unit(in_header) if in_header else None)
            except UnitError:
                yuan = re.search(r"元|人民币|rmb|cny", in_header) and "美元" not in in_header
                why = ("amounts in yuan (人民币) are not converted, since the rate is yours to "
                       "choose: convert them to US dollars (e.g. at the monthly rates of "
                       "cq.data.load('usd_cny_monthly')) and " if yuan else "")
                raise UnitError(f"{label}, row 1, column {col!r}: unknown money unit "
                                f"{in_header!r} in the header; {why}write e.g. 货值(万美元) or "
                                "value_10k_usd, or pass unit=") from None
    money = targets.get("value", [])
    if len(money) > 1:
        stated = {u for u in units.values() if u}
        if len(stated) > 1:
            raise UnitError(f"{label}, row 1: columns {money} hold money in different units "
                            f"({', '.join(sorted(stated))}); one file must use one unit: keep "
                            "one money column, or map the other away with column_map")
        raise SchemaError(f"two money columns {money}", file=label, row=1, column=str(money[1]),
                          expected="one money column (货值)",
                          hint="keep one, or say which with column_map={header: 'value'}")
    for target, cols in targets.items():
        if len(cols) > 1:
            raise SchemaError(f"columns {cols} all look like {target!r}", file=label, row=1,
                              column=str(cols[1]), expected=f"one column for {target}",
                              hint="say which with column_map={header: column}")
    lacking = [t for t in _REQUIRED if t not in targets]
    if lacking:
        accepted = {t: [a for a, v in HEADER_ALIASES.items() if v == t][:6] for t in lacking}
        raise SchemaError(f"required column(s) not found: {lacking} (headers seen: {list(columns)})",
                          file=label, row=1, expected=f"headers such as {accepted}",
                          hint="rename the headers, or pass column_map={'your header': 'date', ...}")
    header_unit = units[money[0]]
    if unit is not None:
        given = canonical_unit(unit)
        if header_unit and header_unit != given:
            raise UnitError(f"{label}, row 1, column {money[0]!r}: the header says "
                            f"{header_unit} but unit={unit!r} was passed; one file uses one unit")
        header_unit = given
    if header_unit is None and "currency" in targets:
        header_unit = "USD"  # amounts in the currency of a 币种 column, checked row by row
    if header_unit is None:
        raise UnitError(f"{label}, row 1, column {money[0]!r}: the money unit is not stated; "
                        "name the header e.g. 货值(万美元) / value_10k_usd, or pass unit='万美元'")
    return {t: c[0] for t, c in targets.items()}, header_unit, unmapped


# --------------------------------------------------------------------------- checks


class _Stop(Exception):
    """A check failed in this block of rows: the block's later checks cannot come first."""


class _Ctx:
    """What every check needs to name the place of a problem, and the collected flags.

    A file is read in blocks of rows. Checks run in the same order on every block and
    are numbered in that order; a failing check is recorded (first row, value, count)
    and the block is abandoned (:class:`_Stop`). After the last block the error of the
    lowest-numbered failing check is raised, with its first row and its count over
    the whole file: the same error as if the file had been checked in one piece.
    """

    def __init__(self, label: str, meta: dict, rows: np.ndarray | None = None):
        self.label, self.meta = label, meta
        self.rows = np.arange(0) if rows is None else rows
        self.flags: list[pd.DataFrame] = []
        self.seq = 0
        self.problems: dict[int, dict] = {}

    def block(self, rows: np.ndarray) -> None:
        """Start a new block of rows (file row numbers)."""
        self.rows, self.seq = rows, 0

    def _check(self) -> int:
        self.seq += 1
        if self.problems and self.seq > min(self.problems):
            raise _Stop
        return self.seq

    def _record(self, seq: int, pos: np.ndarray, build) -> None:
        if seq in self.problems:
            self.problems[seq]["count"] += len(pos)
        else:
            self.problems[seq] = {"count": len(pos), "build": build}
        raise _Stop

    def fail(self, cls, problem, mask, values, column, expected, hint, col_pos=None):
        """Record the rows of ``mask`` as an error of type ``cls`` (raised at the end)."""
        seq = self._check()
        pos = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(pos):
            return
        row = int(self.rows[pos[0]])
        shown = values.iloc[pos[0]]

        def build(count: int) -> Exception:
            others = f" ({count - 1} more rows like it)" if count > 1 else ""
            what, why = (f"{problem}: {shown!r}" if not pd.isna(shown) else problem), hint
            if self.meta.get("format") == "excel" and col_pos is not None and pd.isna(shown):
                formula = _excel_formula(self.meta, row, col_pos)
                if formula:
                    what = (f"the cell holds a formula ({formula}) whose value was never stored "
                            "(formulas are not evaluated here)")
                    why = ("open and save the workbook in Excel or LibreOffice so values are "
                           "stored, or export it to CSV")
            return cls(what + others, file=self.label, row=row, column=str(column),
                       expected=expected, hint=why)

        self._record(seq, pos, build)

    def after_as_of(self, dates: pd.Series, cut: pd.Timestamp, column: str) -> None:
        """Record rows dated after the as-of date (an :class:`AsOfDateError`)."""
        seq = self._check()
        pos = np.flatnonzero((dates > cut).to_numpy())
        if not len(pos):
            return
        row, first = int(self.rows[pos[0]]), dates.iloc[pos[0]]

        def build(count: int) -> Exception:
            return AsOfDateError(
                f"{self.label}, row {row}, column {column!r}: {count} declaration(s) dated "
                f"after the as-of date {cut:%Y-%m-%d} (first: {first:%Y-%m-%d}). Figures "
                "'as of' a day cannot use later data: pass a later as_of, or cut the file "
                "at the as-of date yourself")

        self._record(seq, pos, build)

    def error(self) -> Exception | None:
        """Return the error to raise after the last block (None when every check passed)."""
        if not self.problems:
            return None
        rec = self.problems[min(self.problems)]
        return rec["build"](rec["count"])

    def flag(self, mask, column, issue, action):
        pos = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(pos):
            self.flags.append(pd.DataFrame({"row": self.rows[pos].astype("int64"),
                                            "column": str(column), "issue": issue,
                                            "action": action}))


def _text(s: pd.Series) -> pd.Series:
    """Cells as stripped text (whole floats lose '.0'); missing and blank stay missing."""
    if pd.api.types.is_float_dtype(s) and s.dropna().mod(1).eq(0).all():
        s = s.astype("Int64")
    t = s.astype("str").str.strip()
    ends = t.str.endswith(".0").fillna(False)
    if ends.any():
        whole = ends & t.str.slice(0, -2).str.isdigit().fillna(False)
        t = t.where(~whole, t.str.slice(0, -2))
    return t.where(t.ne("") & s.notna())


def _dates(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.tz_localize(None).dt.normalize().astype("datetime64[us]") if s.dt.tz else \
            s.dt.normalize().astype("datetime64[us]")
    raw = _text(s)
    out = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    rest = out.isna().to_numpy() & raw.notna().to_numpy()
    if rest.any():  # other spellings: 2010/3/2, 2010年3月2日, 20100302, Excel serials
        out[rest] = _other_dates(raw[rest])
    return out


def _other_dates(raw: pd.Series) -> pd.Series:
    """Dates in other spellings (日期写法); unreadable ones stay missing.

    Year first (2010/3/2, 2010.3.2, 2010年3月2日, 20100302), Excel serial day numbers,
    and day.month.year with dots (05.03.2010, as German or Russian Excel writes dates;
    the dots make it day first). Slashes with the year last (05/03/2010) stay unread:
    day or month first cannot be told.

    Examples
    --------
    >>> _other_dates(pd.Series(["2010/3/2", "２０１０年３月２日", "02.03.2010", "02/03/2010"])).tolist()
    [Timestamp('2010-03-02 00:00:00'), Timestamp('2010-03-02 00:00:00'), Timestamp('2010-03-02 00:00:00'), NaT]
    """
    raw = raw.str.normalize("NFKC")
    raw = raw.str.replace(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?=$|[ T])", r"\3-\2-\1", regex=True)
    t = raw.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
    t = t.where(~t.str.fullmatch(r"\d{8}").fillna(False),
                t.str.slice(0, 4) + "-" + t.str.slice(4, 6) + "-" + t.str.slice(6, 8))
    parts = t.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]*)?$")
    iso = parts[0] + "-" + parts[1].str.zfill(2) + "-" + parts[2].str.zfill(2)
    out = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
    # Excel serial day numbers (a date cell formatted as a number): 1954..2064
    serial = pd.to_numeric(raw.where(raw.str.fullmatch(r"\d{5}(?:\.\d+)?").fillna(False)),
                           errors="coerce")
    from_serial = pd.Timestamp("1899-12-30") + pd.to_timedelta(serial.floordiv(1), unit="D")
    return out.fillna(from_serial.astype("datetime64[us]"))


#: Numbers as written with a decimal point (12.5, 1,234.5) or a decimal comma (12,5, 1.234,5).
_NUMBER_FORMS = {
    ".": r"[+-]?(?:\d+(?:\.\d*)?|\d{1,3}(?:,\d{3})+(?:\.\d*)?|\.\d+)",
    ",": r"[+-]?(?:\d+(?:,\d*)?|\d{1,3}(?:\.\d{3})+(?:,\d*)?|,\d+|\d+\.\d*)",
}


def _numbers(s: pd.Series, decimal: str = ".") -> tuple[pd.Series, np.ndarray]:
    """Parse numbers written with ``decimal`` as the decimal mark (数字, 小数点).

    Returns the values (missing where a cell is not a number) and a mask of the cells
    whose separators do not fit the notation (``12,5`` with a decimal point: a decimal
    comma is never read as a thousands separator, which would multiply it silently).
    Spaces and full-width digits (１２．５) are accepted; with decimal commas a value
    with dots only is ambiguous when it looks like thousands (``1.234``).

    Examples
    --------
    >>> v, odd = _numbers(pd.Series(["1,234.5", "12,5", "１２．５", " 3 000 "]))
    >>> v.tolist()[:1] + v.tolist()[2:], odd.tolist()
    ([1234.5, 12.5, 3000.0], [False, True, False, False])
    >>> v, odd = _numbers(pd.Series(["1.234,5", "12,5", "12.5", "1.234"]), decimal=",")
    >>> v.tolist()[:3], odd.tolist()
    ([1234.5, 12.5, 12.5], [False, False, False, True])
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64"), np.zeros(len(s), bool)
    t = _text(s).str.replace(r"\s", "", regex=True)
    num, odd = _parse_numbers(t, decimal)
    retry = np.flatnonzero(num.isna().to_numpy() & t.notna().to_numpy() & ~odd)
    if len(retry):  # full-width digits and marks (１２．５, ，) as typed with a Chinese IME
        wide = t.iloc[retry].str.normalize("NFKC")
        changed = retry[(wide != t.iloc[retry]).to_numpy()]
        if len(changed):
            again, odd_again = _parse_numbers(t.iloc[changed].str.normalize("NFKC"), decimal)
            num.iloc[changed] = again.to_numpy()
            odd[changed] = odd_again
    return num.where(np.isfinite(num)), odd


def _parse_numbers(t: pd.Series, decimal: str) -> tuple[pd.Series, np.ndarray]:
    """Parse stripped ASCII number text in a notation; see :func:`_numbers`."""
    if decimal == ",":
        marks = t.str.contains(r"[.,]", regex=True).fillna(False).to_numpy()
        odd = marks & ~t.str.fullmatch(_NUMBER_FORMS[","]).fillna(True).to_numpy()
        odd |= t.str.fullmatch(r"[+-]?\d{1,3}(?:\.\d{3})+").fillna(False).to_numpy()
        comma = t.str.contains(",", regex=False).fillna(False).to_numpy()
        if comma.any():
            t = t.copy()
            t[comma] = t[comma].str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:  # commas may only separate thousands
        comma = t.str.contains(",", regex=False).fillna(False).to_numpy()
        odd = np.zeros(len(t), bool)
        if comma.any():
            odd[comma] = ~t[comma].str.fullmatch(_NUMBER_FORMS["."]).fillna(True).to_numpy()
            t = t.str.replace(",", "", regex=False)
    # only digits and separators can be a misread number; other text is "text in a number column"
    odd &= t.str.fullmatch(r"[+-]?[\d.,]+").fillna(False).to_numpy() if odd.any() else odd
    num = pd.to_numeric(t.where(~odd), errors="coerce").astype("float64")
    return num, odd


def _booleans(s: pd.Series, ctx: _Ctx, col: str) -> pd.Series:
    low = _text(s).str.lower()
    yes, no = low.isin(_TRUE).to_numpy(), low.isin(_FALSE).to_numpy()
    miss = low.isna().to_numpy()
    ctx.fail(DataFileError, "not a yes/no value", ~(yes | no | miss), s, col,
             "是/否, Y/N, 1/0 or True/False", "write 是 or 否 in this column")
    if miss.any():
        return pd.Series(pd.array(np.where(miss, None, yes), dtype="boolean"), index=s.index)
    return pd.Series(yes, index=s.index, dtype=bool)


def _county_codes(s: pd.Series, ctx: _Ctx, col: str) -> pd.Series:
    counties = load("counties")
    valid = set(counties["code_2010"])
    text = _text(s)
    by_name = dict(zip(counties["name_zh"], counties["code_2010"], strict=True))
    named = text.isin(list(by_name)).to_numpy()
    text = text.where(~named, text.map(by_name))
    later = {code: to_2010_code(code) for code in COUNTY_CODE_CHANGES}
    mapped = text.map(later).fillna(text)
    changed = (mapped != text).to_numpy() & text.notna().to_numpy()
    if changed.any():
        pairs = pd.DataFrame({"row": ctx.rows[changed], "old": text[changed], "new": mapped[changed]})
        ctx.flags.append(pd.DataFrame({
            "row": pairs["row"].astype("int64").to_numpy(), "column": str(col),
            "issue": "county code of a later vintage: " + pairs["old"].to_numpy(),
            "action": "mapped to its 2010 unit " + pairs["new"].to_numpy(),
        }))
    bad = ~mapped.isin(valid).to_numpy() & mapped.notna().to_numpy()
    ctx.fail(CountyCodeError, "not a 2010 Jilin county-level code", bad, text, col,
             "a 6-digit 2010 code of a Jilin county-level unit (cq.load('counties'))",
             "correct the code; later codes are mapped only when listed in "
             "ciqanalysis.codes.COUNTY_CODE_CHANGES")
    return mapped.astype("str").where(mapped.notna())


# --------------------------------------------------------------------------- row checks
#
# One function per column (or per check across columns). Each takes the raw block,
# the header map and the context, records errors with ``ctx.fail`` and flags with
# ``ctx.flag``, and fills ``out``. They run in the order of ``_block`` on every block
# of rows; a new check is a new function called there.

_REQUIRED_EXPECTED = {"date": "a date", "direction": "出境/出口 or 进境/进口",
                      "value": "an amount of money", "county_code": "a county code"}


#: Cells that mark a totals or subtotal row (合计 / 小计 / Total) rather than a declaration.
_TOTALS = frozenset(w + end for w in ("合计", "总计", "小计", "合計", "總計", "小計", "共计", "总和",
                                      "total", "totals", "grand total", "subtotal", "sum")
                    for end in ("", ":", "："))


#: How a note under a table begins (注：…, 数据来源：…, Source: …).
_NOTES = ("注", "说明", "備註", "备注", "数据来源", "资料来源", "来源", "note", "source", "*")


def _check_totals(raw, out, ctx, cols, pos):
    """Fail on totals rows (合计, 小计, Total) and notes under the table: not declarations."""
    names = list(dict.fromkeys([raw.columns[0], *(cols[t] for t in ("date", "direction",
                                                                      "county_code", "decl_id")
                                                   if t in cols)]))
    total = np.zeros(len(raw), bool)
    label = pd.Series(pd.NA, index=raw.index, dtype="object")
    first = (len(raw), names[0])  # (position, column) of the first totals cell
    for name in names:
        cells = raw[name]
        if cells.dtype == object or isinstance(cells.dtype, pd.StringDtype):
            words = cells.astype("str").str.strip().str.lower()
            hit = words.isin(_TOTALS).to_numpy() & cells.notna().to_numpy()
            if hit.any():
                label = label.where(~hit | label.notna(), cells)
                total |= hit
                first = min(first, (int(np.flatnonzero(hit)[0]), name))
    ctx.fail(DataFileError, "a totals or subtotal row, not a declaration", total, label,
             first[1], "one row per declaration (报检批次)",
             "delete totals and subtotal rows (合计 / 小计): the package sums the declarations itself")
    lead = raw[names[0]]
    note = np.zeros(len(raw), bool)
    if lead.dtype == object or isinstance(lead.dtype, pd.StringDtype):
        note = (lead.astype("str").str.strip().str.lower().str.startswith(_NOTES).fillna(False)
                .to_numpy() & raw[cols["value"]].isna().to_numpy())
    ctx.fail(DataFileError, "a note under the table, not a declaration", note, lead, names[0],
             "one row per declaration (报检批次)", "move notes out of the table (or delete them)")


def _check_required(raw, out, ctx, cols, pos):
    """Missing values in the required columns are errors."""
    for target in _REQUIRED:
        col = cols[target]
        ctx.fail(DataFileError, "missing value in a required column",
                 _text(raw[col]).isna().to_numpy(), raw[col], col, _REQUIRED_EXPECTED[target],
                 "fill it in, or remove the row if it is not a declaration", col_pos=pos[target])


def _convert_date(raw, out, ctx, cols):
    col = cols["date"]
    out["date"] = _dates(raw[col])
    bad = out["date"].isna().to_numpy()
    hint = "correct the date"
    if bad.any() and re.fullmatch(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*月?", str(raw[col][bad].iloc[0]).strip()):
        hint = ("the file looks like monthly totals (a month, not a day); this reader takes "
                "declarations, one row per consignment with its day: for a monthly series use "
                "ciqanalysis.forecast.nowcast_year and ciqanalysis.growth_table directly")
    ctx.fail(DataFileError, "not a date", bad, raw[col], col,
             "a date such as 2010-03-02, 2010/3/2, 2010年3月2日 or 02.03.2010", hint)


def _convert_direction(raw, out, ctx, cols):
    col = cols["direction"]
    low = _text(raw[col]).str.lower()
    out["direction"] = pd.Series(np.where(low.isin(_EXPORT), "export",
                                          np.where(low.isin(_IMPORT), "import", None)),
                                 index=raw.index, dtype="str")
    ctx.fail(DataFileError, "unknown direction", out["direction"].isna().to_numpy(), raw[col],
             col, "出境/出口/export or 进境/进口/import", "use one of these words")


def _convert_value(raw, out, ctx, cols, unit_name):
    col = cols["value"]
    decimal = ctx.meta.get("decimal", ".")
    value, odd = _numbers(raw[col], decimal)
    notation = ("with a decimal point: 12.5 or 1,234.5" if decimal == "." else
                "with a decimal comma (the file is ';'-delimited): 12,5 or 1.234,5")
    ctx.fail(DataFileError, "separators that do not fit the file's number notation", odd, raw[col],
             col, f"a number in {unit_name} {notation}",
             "a decimal comma in a ','-delimited file is not read as thousands: save the file "
             "with ';' as the delimiter (European Excel) or write decimal points")
    ctx.fail(DataFileError, "text in a number column", value.isna().to_numpy(), raw[col], col,
             f"a number in {unit_name}",
             "remove letters and units from the cells (write the unit in the header)")
    ctx.flag((value < 0).to_numpy(), col, "negative value",
             "kept (a correction or return?); check before summing")
    out["value_usd"] = to_usd(value, unit_name)


class CurrencyError(DataFileError, UnitError):
    """A row of a currency column (币种) names another currency than US dollars."""


def _check_currency(raw, ctx, cols, unit_name):
    """Every cell of a currency column (币种/币制) must say US dollars (美元, USD, 502).

    Amounts in several currencies are never summed, and never converted at a rate the
    package would have to choose.
    """
    if "currency" not in cols:
        return
    col = cols["currency"]
    code = _text(raw[col]).str.replace(r"[\s.]", "", regex=True).str.lower()
    ctx.fail(CurrencyError, "an amount in another currency than US dollars",
             ~code.isin(_USD_CODES).fillna(False).to_numpy(), raw[col], col,
             f"USD / 美元 / 502 in every row (the money column is read in {unit_name})",
             "convert the amounts to US dollars at the rate you choose (e.g. the monthly "
             "rates of cq.data.load('usd_cny_monthly')) and write USD in this column; one "
             "file holds one currency")


def _convert_ids(raw, out, ctx, cols, stem):
    if "decl_id" in cols:
        out["decl_id"] = _text(raw[cols["decl_id"]])
    else:
        out["decl_id"] = pd.Series(stem + ":" + pd.Series(ctx.rows).astype("str").to_numpy(),
                                   index=raw.index, dtype="str")


def _convert_hs(raw, out, ctx, cols):
    if "hs2" not in cols:
        return
    col = cols["hs2"]
    hs = _text(raw[col])
    hs = hs.where(hs.str.len().fillna(0).mod(2).eq(0), "0" + hs)
    out["hs2"] = hs.str.slice(0, 2)
    ctx.fail(DataFileError, "not an HS code",
             ~out["hs2"].str.fullmatch(r"\d{2}").fillna(True).to_numpy(),
             raw[col], col, "an HS code of 2 to 10 digits (商品编码)", "correct the code")


def _convert_optional(raw, out, ctx, cols):
    """Convert the optional text and yes/no columns; flag (and keep) their missing values."""
    for name in ("hs2", "product_group", "enterprise_id", "port"):
        if name not in out:
            out[name] = _text(raw[cols[name]]) if name in cols else pd.Series(
                pd.NA, index=raw.index, dtype="str")
    for name in ("direct_release", "key_enterprise"):
        out[name] = (_booleans(raw[cols[name]], ctx, cols[name]) if name in cols
                     else pd.Series(pd.NA, index=raw.index, dtype="boolean"))
    for name in ("decl_id", "hs2", "product_group", "enterprise_id", "port",
                 "direct_release", "key_enterprise"):
        if name in cols:
            ctx.flag(out[name].isna().to_numpy(), cols[name], "missing value", "kept as missing")


def _block(raw: pd.DataFrame, ctx: _Ctx, cols: dict, pos: dict, unit_name: str, cut,
           stem: str) -> pd.DataFrame:
    """Check and convert one block of non-empty rows onto :data:`DECLARATION_COLUMNS`."""
    out = pd.DataFrame(index=raw.index)
    _check_totals(raw, out, ctx, cols, pos)
    _check_required(raw, out, ctx, cols, pos)
    _convert_date(raw, out, ctx, cols)
    _convert_direction(raw, out, ctx, cols)
    _check_currency(raw, ctx, cols, unit_name)
    _convert_value(raw, out, ctx, cols, unit_name)
    out["county_code"] = _county_codes(raw[cols["county_code"]], ctx, cols["county_code"])
    _convert_ids(raw, out, ctx, cols, stem)
    _convert_hs(raw, out, ctx, cols)
    _convert_optional(raw, out, ctx, cols)
    if cut is not None:
        ctx.after_as_of(out["date"], cut, cols["date"])
    return out[list(DECLARATION_COLUMNS)]


# --------------------------------------------------------------------------- public


def read_declarations(
    path: str | os.PathLike[str],
    *,
    unit: str | None = None,
    encoding: str | None = None,
    sheet_name: int | str = 0,
    as_of=None,
    column_map: dict[str, str] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> pd.DataFrame:
    r"""Read a user's own declarations (报检批次) file onto the declarations schema.

    CSV and Parquet files are read in blocks of ``chunk_rows`` rows, each checked and
    converted before the next is parsed, so memory stays within about twice the
    resulting frame; errors and flags are the same as for a file read in one piece.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` / ``.csv.gz`` (UTF-8, UTF-8 with BOM, GBK, UTF-16 with BOM), ``.xlsx`` or
        ``.parquet`` file, one row per consignment.
    unit : str, optional
        Money unit (``"USD"``, ``"万美元"``, ``"亿美元"``, ``"thousand USD"``) when the
        header does not state it (``货值(万美元)``, ``value_10k_usd``, ``金额（亿美元）``).
    encoding : str, optional
        CSV encoding; detected (UTF-8, UTF-8-BOM, GBK, UTF-16 with BOM) when None.
    sheet_name : int or str, default 0
        Excel sheet (0-based position or name).
    as_of : str or Timestamp, optional
        As-of date (截至日期): rows dated after it raise :class:`AsOfDateError`.
    column_map : dict, optional
        ``{your header: column}`` for headers the package does not know.
    chunk_rows : int, default 100000
        Rows parsed at a time (CSV, Parquet); the result does not depend on it.

    Returns
    -------
    pandas.DataFrame
        :data:`DECLARATION_COLUMNS` (money as ``value_usd`` in US dollars, county
        codes mapped to 2010 units, ``hs2`` the first two digits of the HS code),
        then any unmapped columns as read. ``attrs``: ``table``, ``synthetic``
        (False), ``source``, ``unit``, ``encoding``, ``columns`` (header used for each
        column) and ``flags`` (DataFrame: row, column, issue, action).

    Raises
    ------
    DataFileError
        Names the file, the row as the user sees it (header = row 1; Parquet: record
        number) and the column of the first problem; subclasses
        :class:`SchemaError` (columns) and :class:`CountyCodeError` (county codes).
    UnitError
        Money unit missing, unknown, or two units in one file.
    AsOfDateError
        Rows dated after ``as_of``.

    Warns
    -----
    DataQualityWarning
        When rows were flagged (duplicates, negative values, later county codes,
        missing optional values, empty rows).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = f.write_text("报检日期,进出境,货值(万美元),区县代码\n2010-03-02,出境,12.5,220724\n",
    ...                  encoding="gbk")
    >>> df = read_declarations(f)
    >>> df["direction"].iloc[0], float(df["value_usd"].iloc[0]), df["county_code"].iloc[0]
    ('export', 125000.0, '220724')
    """
    path = Path(path)
    cut = _as_of(as_of)
    if not isinstance(chunk_rows, (int, np.integer)) or chunk_rows < 1:
        raise ParameterError(f"chunk_rows must be a whole number >= 1, got {chunk_rows!r}")
    args = (path, cut, unit, encoding, sheet_name, column_map, int(chunk_rows))
    try:
        out = _read(*args, engine="arrow")
    except _Fallback:
        out = _read(*args, engine="pandas")
    flags = out.attrs["flags"]
    if len(flags):
        summary = ", ".join(f"{n} × {issue.split(':')[0]}"
                            for issue, n in flags["issue"].str.split(":").str[0].value_counts(sort=False).items())
        warnings.warn(f"{path.name}: {len(flags)} flag(s) ({summary}); rows kept unless the action says "
                      "otherwise; see df.attrs['flags']", DataQualityWarning, stacklevel=user_stacklevel())
    return out


def _read(path: Path, cut, unit, encoding, sheet_name, column_map, chunk_rows: int, *,
          engine: str) -> pd.DataFrame:
    """Read, check and convert a file block by block (the body of read_declarations)."""
    label = path.name
    ctx = head = None
    parts: list[dict[str, pd.Series]] = []
    all_rows: list[np.ndarray] = []
    hashes: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])  # decl_id, whole row
    empty_rows: list[np.ndarray] = []
    last_filled = packed = 0  # parts[:packed] are compacted
    filled_unnamed: set[str] = set()
    for raw, rows, meta in _chunks(path, encoding, sheet_name, label, chunk_rows, engine):
        if head is None:
            head = _header(raw, unit, column_map, label)
            ctx = _Ctx(label, meta)
            if meta.get("title_rows"):  # rows above an Excel header: said, not silently dropped
                ctx.flags.append(pd.DataFrame({"row": meta["title_rows"], "column": "(all)",
                                               "issue": "title row above the header",
                                               "action": "skipped"}))
            if meta.get("other_sheets"):  # a workbook split into sheets: the others are named
                ctx.flags.append(pd.DataFrame({
                    "row": 1, "column": [f"(sheet {n!r})" for n in meta["other_sheets"]],
                    "issue": [f"another sheet, {n!r}, also holds declarations; only sheet "
                              f"{meta['sheet']!r} was read" for n in meta["other_sheets"]],
                    "action": "not read (combine the sheets, or read each with sheet_name=)"}))
        cols, unit_name, unmapped, pos = head
        filled_unnamed |= {c for c in unmapped if str(c).startswith("Unnamed: ")
                           and raw[c].notna().any()}
        empty = raw.isna().all(axis=1).to_numpy()
        empty_rows.append(rows[empty])
        if empty.all():
            continue
        last_filled = int(rows[~empty][-1])
        raw = raw.loc[~empty].reset_index(drop=True)
        ctx.block(rows[~empty])
        try:
            out = _block(raw, ctx, cols, pos, unit_name, cut, path.stem)
        except _Stop:
            parts.clear()  # the file has an error: keep checking, stop keeping rows
            hashes[0].clear()
            hashes[1].clear()
            packed = 0
            continue
        if not ctx.problems:
            for kept, new in zip(hashes, _row_hashes(out, cols), strict=True):
                kept.append(new)
            out = out.assign(**{c: raw[c].to_numpy() for c in unmapped if c not in out})
            parts.append({c: out[c] for c in out.columns})
            all_rows.append(ctx.rows)
            if sum(_n_rows(p) for p in parts[packed:]) >= COMPACT_ROWS:
                parts[packed:] = [_compact(parts[packed:])]
                packed += 1
        del raw, out
        _release()
    if head is None or not last_filled:
        first_row = next((int(r[0]) for r in empty_rows if len(r)), 2)
        raise DataFileError("the file has a header but no declarations", file=label,
                            row=first_row, expected="one row per declaration below the header")
    if (exc := ctx.error()) is not None:
        raise exc
    cols, unit_name, unmapped, _ = head
    empties = np.concatenate(empty_rows)
    ctx.rows = empties
    ctx.flag(empties < last_filled, "(all)", "empty row", "skipped")
    unmapped = [c for c in unmapped if not str(c).startswith("Unnamed: ") or c in filled_unnamed]
    ctx.rows = _join(all_rows)
    joined = [_join(h) for h in hashes]  # each block's hashes freed as soon as joined
    try:  # checks of the whole file (a ctx.fail here raises at once)
        _flag_duplicates(parts, ctx, cols, joined)
    except _Stop:
        raise ctx.error() from None
    del joined
    _release()
    out = _concat(parts)
    out = out[[*DECLARATION_COLUMNS, *(c for c in unmapped if c not in DECLARATION_COLUMNS)]]
    ctx.flags.append(plausibility_flags(_lean(out), rows=ctx.rows, value_column=cols["value"],
                                        date_column=cols["date"], unit=unit_name))
    flags = FlagTable(
        pd.concat(ctx.flags, ignore_index=True).sort_values(["row", "column"], kind="stable")
        .reset_index(drop=True) if ctx.flags else
        pd.DataFrame({"row": pd.Series(dtype="int64"), "column": pd.Series(dtype="str"),
                      "issue": pd.Series(dtype="str"), "action": pd.Series(dtype="str")}))
    out.attrs = {
        "table": "declarations", "synthetic": False, "source": str(path), "unit": unit_name,
        "encoding": ctx.meta.get("encoding"), "format": ctx.meta["format"],
        "columns": {t: str(c) for t, c in cols.items()}, "unmapped_columns": [str(c) for c in unmapped],
        "flags": flags,
    }
    return out


def _release() -> None:
    """Hand freed memory back to the system: pyarrow's pool, then the C library's heap.

    Both allocators keep freed pages for reuse (pyarrow: parsed text, string kernels;
    the C heap: numpy and pandas arrays); between blocks they would only add to the
    peak memory of a large file.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    if (trim := _malloc_trim()) is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    """Return glibc's ``malloc_trim`` (frees heap pages to the system), or None elsewhere.

    numpy and pandas allocate through the C library, whose heap keeps the pages of
    freed block-sized arrays; trimming between blocks keeps them out of the peak.
    """
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (e.g. musl has no malloc_trim)
        return None


def _as_of(as_of) -> pd.Timestamp | None:
    return None if as_of is None else parse_as_of(as_of)


def _header(raw: pd.DataFrame, unit, column_map, label):
    """Map the headers once, from the first block: (columns, unit, unmapped, positions)."""
    sheet_pos = {c: i for i, c in enumerate(raw.columns)}  # positions in the file, for Excel cells
    hidden = [c for c in raw.columns if str(c).startswith("Unnamed: ") and raw[c].isna().all()]
    shown = [c for c in raw.columns if c not in hidden]
    cols, unit_name, unmapped = _map_headers(shown, unit, column_map, label)
    unmapped = [c for c in raw.columns if c in set(unmapped) | set(hidden)]
    return cols, unit_name, unmapped, {t: sheet_pos[c] for t, c in cols.items()}


#: Rows of finished blocks copied into one contiguous piece per column at a time.
COMPACT_ROWS = 1_000_000


def _n_rows(part: dict[str, pd.Series]) -> int:
    return len(next(iter(part.values())))


def _compact(parts: list[dict[str, pd.Series]]) -> dict[str, pd.Series]:
    """Join finished blocks into one piece, column by column, each in one new buffer.

    A block's columns are small allocations scattered among the freed working memory
    of later blocks, which the allocator cannot hand back while they live. Copied
    into one buffer per column (and the small ones freed, to be reused by the next
    blocks), the rows kept cost little more than their own size.
    """
    joined = {}
    for name in list(parts[0]):
        col = pd.concat([p.pop(name) for p in parts], ignore_index=True)
        arr = col.array
        if hasattr(arr, "__arrow_array__") and isinstance(col.dtype, pd.StringDtype):
            col = pd.Series(type(arr)(arr.__arrow_array__().combine_chunks(), dtype=col.dtype),
                            name=name, copy=False)
        joined[name] = col
        del col, arr
        _release()  # the column's pieces, before the next column is copied
    return joined


def _lean(out: pd.DataFrame) -> pd.DataFrame:
    """Return the columns the plausibility checks read, ``direction`` as a categorical.

    Same values and the same flags; grouping two categories instead of millions of
    strings keeps the checks' working memory small (the frame itself is unchanged).
    """
    lean = pd.DataFrame({"date": out["date"], "direction": out["direction"].astype("category"),
                         "value_usd": out["value_usd"]}, copy=False)
    _release()  # the working memory of the encoding
    return lean


def _concat(parts: list[dict[str, pd.Series]]) -> pd.DataFrame:
    """Join blocks column by column, releasing each block's column as it goes."""
    if len(parts) == 1:
        return pd.DataFrame(parts[0])
    names = list(parts[0])
    joined = {}
    for name in names:
        joined[name] = pd.concat([p.pop(name) for p in parts], ignore_index=True)
        _release()
    return pd.DataFrame(joined)


def _join(pieces: list[np.ndarray]) -> np.ndarray:
    """Concatenate arrays and empty the list (its pieces freed before the next join)."""
    out = np.concatenate(pieces)
    pieces.clear()
    _release()
    return out


def _row_hashes(out: pd.DataFrame, cols: dict) -> tuple[np.ndarray, np.ndarray]:
    """Hash each row of a block: (decl_id, all columns compared for identical rows)."""
    same = out if "decl_id" in cols else out.drop(columns="decl_id")
    return (pd.util.hash_pandas_object(out["decl_id"], index=False).to_numpy(),
            pd.util.hash_pandas_object(same, index=False).to_numpy())


def _repeated(hashed: np.ndarray, step: int = 1 << 20) -> np.ndarray:
    """Positions (sorted) of the values that occur more than once, by sorting (no hash table).

    One sorted copy finds the repeated values; the positions holding them are then
    looked up ``step`` rows at a time, so the working memory stays near one copy.
    """
    ordered = np.sort(hashed)
    same = ordered[1:] == ordered[:-1]
    repeated = np.unique(ordered[1:][same])
    del ordered, same
    if not len(repeated):
        return np.zeros(0, dtype=np.intp)
    found = []
    for start in range(0, len(hashed), step):
        part = hashed[start:start + step]
        at = np.minimum(np.searchsorted(repeated, part), len(repeated) - 1)
        found.append(np.flatnonzero(repeated[at] == part) + start)
    return np.concatenate(found)


def _take(parts: list[dict[str, pd.Series]], keys: list[str], pos: np.ndarray) -> pd.DataFrame:
    """Rows at positions ``pos`` (sorted, over all blocks) of the ``keys`` columns."""
    ends = np.cumsum([_n_rows(p) for p in parts])
    pieces = []
    for i, part in enumerate(parts):
        start = ends[i - 1] if i else 0
        mine = pos[(pos >= start) & (pos < ends[i])] - start
        if len(mine):
            pieces.append(pd.DataFrame({k: part[k].iloc[mine].reset_index(drop=True)
                                        for k in keys}))
    return pd.concat(pieces, ignore_index=True)


def _flag_duplicates(parts: list[dict[str, pd.Series]], ctx: _Ctx, cols: dict,
                     hashes: list[np.ndarray]) -> None:
    """Flag repeated decl_id and fully identical rows (kept), naming the first occurrence.

    ``hashes`` (decl_id, whole row; from :func:`_row_hashes`) pick the rows whose hash
    repeats; the exact comparison runs on those rows only, taken from the blocks
    (before they are joined, so the peak memory stays low).
    """
    n = len(ctx.rows)
    columns = list(DECLARATION_COLUMNS)
    keys_all = columns if "decl_id" in cols else [c for c in columns if c != "decl_id"]
    groups = [("(all)", keys_all, "identical to row ")]
    if "decl_id" in cols:
        groups.insert(0, (cols["decl_id"], ["decl_id"], "repeats the decl_id of row "))
    already = np.zeros(n, bool)
    for (column, keys, text), hashed in zip(groups, hashes[2 - len(groups):], strict=True):
        cand = _repeated(hashed)
        if not len(cand):
            continue
        sub = _take(parts, keys, cand)
        rows = ctx.rows[cand]
        dup = sub.duplicated(keep="first").to_numpy() & ~already[cand]
        if keys == ["decl_id"]:
            dup &= sub["decl_id"].notna().to_numpy()
        if dup.any():
            first = pd.Series(rows).groupby([sub[k] for k in keys], dropna=False,
                                            sort=False).transform("first")
            ctx.flags.append(pd.DataFrame({
                "row": rows[dup].astype("int64"), "column": str(column),
                "issue": "duplicate: " + text + first[dup].astype("str").to_numpy(),
                "action": "kept (drop it yourself if it is not a separate consignment)",
            }))
            if column == "(all)":
                break
        already[cand[dup]] = True
