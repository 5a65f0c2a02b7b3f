"""The memo as HTML, PDF and Word (备忘录格式), in Chinese and English.

All three formats render one :func:`~ciqanalysis.report.content.memo_document`:

- HTML: ``templates/memo.html.j2`` (jinja2), self-contained: the fan chart as a
  base64 PNG and the Chinese font as an embedded ``@font-face`` subset of the
  bundled CIQ Sans SC holding only the characters the memo uses, so it looks the
  same on a machine without Chinese fonts.
- PDF: fpdf2 (pure Python, installs from wheels; no TeX, no browser, no system
  libraries), with the bundled font embedded as a subset.
- Word: python-docx. A .docx names its fonts rather than carrying them, so it names
  fonts that Word and WPS have: Arial, and Microsoft YaHei (微软雅黑) for Chinese.

Each memo's numbers are stored beside it as ``forecast-memo.json``; the next memo
written into the same folder reads them for its revisions table.
"""

from __future__ import annotations

import base64
import datetime as _dt
import io
import json
from pathlib import Path
from typing import Any

from ..plots._style import CJK_FAMILY, CJK_FONT_FILE
from .content import memo_document, memo_numbers_json

__all__ = ["NUMBERS_NAME", "read_previous_numbers", "render_html", "write_docx", "write_pdf",
           "write_memo_files", "memo_filename", "font_subset", "fixed_zip_times"]

#: Chinese font the Word memo names (installed with Windows and WPS Office).
DOCX_EAST_ASIAN_FONT = "Microsoft YaHei"
#: The memo's numbers (JSON) beside the memo files.
NUMBERS_NAME = "forecast-memo.json"


def read_previous_numbers(path: str | Path) -> dict[str, Any] | None:
    """Return the previous memo's numbers from ``forecast-memo.json``, or None.

    A missing or unreadable file gives None (the memo then says it is the first).

    Examples
    --------
    >>> read_previous_numbers("no/such/forecast-memo.json") is None
    True
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "outlook" in data else None


def font_subset(text: str) -> bytes:
    """Return the bundled CJK font cut down to the characters of ``text`` (OpenType).

    Examples
    --------
    >>> font_subset("预测 2010")[:4]
    b'OTTO'
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.recalc_timestamp = False
    options.name_IDs = ["*"]
    buf = io.BytesIO()
    with TTFont(str(CJK_FONT_FILE), recalcTimestamp=False, lazy=True) as font:  # reads what it keeps
        sub = subset.Subsetter(options)
        sub.populate(text=text + "0123456789.,-–+%() ")
        sub.subset(font)
        font.save(buf)
    return buf.getvalue()


def _doc_text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


def render_html(doc: dict[str, Any], fan_png: bytes) -> str:
    """Render a memo document as one self-contained HTML page.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), without a chart:

    >>> html = render_html(memo_document(memo, "zh"), b"")
    >>> html.startswith("<!DOCTYPE html>"), '<html lang="zh-CN">' in html
    (True, True)
    >>> "SYNTHETIC sample data 合成数据" in html, "一、基本情况与预测要点" in html
    (True, True)
    >>> "@font-face" in html  # the Chinese font, embedded as a subset
    True
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).resolve().parents[1] / "templates")),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    font = base64.b64encode(font_subset(_doc_text(doc))).decode("ascii")
    return env.get_template("memo.html.j2").render(
        d=doc, fan_png=base64.b64encode(fan_png).decode("ascii"), font_b64=font)


def write_pdf(doc: dict[str, Any], fan_png: bytes, path: str | Path) -> Path:
    """Write a memo document as an A4 PDF with the bundled CJK font embedded (fpdf2).

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), into a folder ``tmp``:

    >>> from ciqanalysis.report.figures import fan_figure, figure_png
    >>> png = figure_png(fan_figure(memo))
    >>> path = write_pdf(memo_document(memo, "zh"), png, tmp / "m.pdf")
    >>> data = path.read_bytes()
    >>> data[:5], data.rstrip()[-5:]
    (b'%PDF-', b'%%EOF')
    """
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(14, 14, 14)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font(CJK_FAMILY, "", str(CJK_FONT_FILE))
    pdf.set_creation_date(_dt.datetime(2000, 1, 1, tzinfo=_dt.UTC))  # bytes stable run to run
    pdf.set_title(doc["title"])
    pdf.set_lang(doc["html_lang"])
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(t: str, size: float, *, colour=(26, 26, 26), fill=None, h: float | None = None):
        pdf.set_font(CJK_FAMILY, size=size)
        pdf.set_text_color(*colour)
        if fill:
            pdf.set_fill_color(*fill)
        pdf.multi_cell(width, h or size * 0.5, t, fill=bool(fill), new_x="LMARGIN",
                       new_y="NEXT", align="L")
        pdf.set_fill_color(255, 255, 255)

    if doc["synthetic"]:
        text(doc["banner"], 10, colour=(255, 255, 255), fill=(176, 0, 32), h=6)
    else:
        text(doc["banner"], 9.5, fill=(232, 240, 232), h=5.5)
    pdf.ln(2)
    text(doc["title"], 14, h=7)
    text(doc["meta"], 8.5, colour=(85, 85, 85), h=4.5)
    for sec in doc["sections"]:
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        pdf.ln(2.5)
        text(sec["heading"], 11.5, h=6)
        pdf.set_draw_color(150, 150, 150)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1)
        for kind, block in sec["blocks"]:
            if kind == "p":
                text(block, 9.5, h=5)
            elif kind == "note":
                text(block, 8, colour=(68, 68, 68), h=4)
            elif kind == "figure":
                img_w = width
                if pdf.get_y() + img_w * 0.45 > pdf.h - 14:
                    pdf.add_page()
                pdf.image(io.BytesIO(fan_png), w=img_w)
            elif kind == "table":
                _pdf_table(pdf, block, width, FontFace)
            pdf.ln(1)
    out = Path(path)
    pdf.output(str(out))
    return out


def _pdf_table(pdf, block: dict[str, Any], width: float, FontFace) -> None:  # noqa: N803
    kv = block.get("kind") == "kv"
    ncol = len(block["rows"][0]) if block["rows"] else len(block["columns"])
    if ncol == 0:
        return
    pdf.set_font(CJK_FAMILY, size=7.5 if not kv else 7.5)
    pdf.set_text_color(26, 26, 26)
    if kv:
        widths = (width * 0.22, width * 0.78)
    else:
        first = width * 0.22 if ncol > 5 else width * 0.3
        widths = (first,) + (((width - first) / (ncol - 1)),) * (ncol - 1)
    heading = FontFace(emphasis=None, fill_color=(238, 238, 238))
    with pdf.table(col_widths=widths, width=width, line_height=4, first_row_as_headings=
                   bool(block["columns"]), headings_style=heading, borders_layout="HORIZONTAL_LINES",
                   text_align=("LEFT",) + (("LEFT",) if kv else ("RIGHT",)) * (ncol - 1)) as table:
        if block["columns"]:
            row = table.row()
            for c in block["columns"]:
                row.cell(str(c))
        for r in block["rows"]:
            row = table.row()
            for c in r:
                row.cell(str(c))


def write_docx(doc: dict[str, Any], fan_png: bytes, path: str | Path) -> Path:
    """Write a memo document as a Word file (python-docx), readable in Word and WPS.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), into a folder ``tmp``:

    >>> from ciqanalysis.report.figures import fan_figure, figure_png
    >>> png = figure_png(fan_figure(memo))
    >>> path = write_docx(memo_document(memo, "zh"), png, tmp / "m.docx")
    >>> from docx import Document
    >>> word = Document(path)
    >>> [p.text for p in word.paragraphs if p.style.name == "Heading 2"][0]
    '一、基本情况与预测要点'
    >>> len(word.inline_shapes)  # the fan chart
    1
    """
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    d = Document()
    section = d.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(16))
    d.core_properties.title = doc["title"]
    d.core_properties.created = _dt.datetime(2000, 1, 1)
    d.core_properties.modified = _dt.datetime(2000, 1, 1)
    d.core_properties.author = "ciqanalysis"
    d.core_properties.last_modified_by = "ciqanalysis"
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title"):
        style = d.styles[style_name]
        style.font.name = "Arial"
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr, name in (("w:ascii", "Arial"), ("w:hAnsi", "Arial"), ("w:cs", "Arial"),
                           ("w:eastAsia", DOCX_EAST_ASIAN_FONT)):
            fonts.set(qn(attr), name)
    d.styles["Normal"].font.size = Pt(10)
    banner = d.add_paragraph()
    run = banner.add_run(doc["banner"])
    run.bold = True
    run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20) if doc["synthetic"] else RGBColor(0, 0x60, 0)
    d.add_heading(doc["title"], level=1)
    meta = d.add_paragraph().add_run(doc["meta"])
    meta.font.size = Pt(8.5)
    for sec in doc["sections"]:
        d.add_heading(sec["heading"], level=2)
        for kind, block in sec["blocks"]:
            if kind == "p":
                d.add_paragraph(block)
            elif kind == "note":
                d.add_paragraph().add_run(block).font.size = Pt(8)
            elif kind == "figure":
                d.add_picture(io.BytesIO(fan_png), width=Mm(175))
            elif kind == "table":
                rows = ([block["columns"]] if block["columns"] else []) + block["rows"]
                if not rows:
                    continue
                table = d.add_table(rows=len(rows), cols=len(rows[0]))
                table.style = "Table Grid"
                for i, r in enumerate(rows):
                    for j, c in enumerate(r):
                        cell = table.cell(i, j)
                        cell.text = str(c)
                        for p in cell.paragraphs:
                            for rn in p.runs:
                                rn.font.size = Pt(7.5)
                                rn.bold = bool(block["columns"]) and i == 0
    out = Path(path)
    d.save(str(out))
    fixed_zip_times(out)
    return out


def fixed_zip_times(path: str | Path) -> Path:
    """Rewrite an Office file (a zip) with fixed entry times, so equal content gives equal bytes.

    Examples
    --------
    >>> import zipfile, tempfile
    >>> f = Path(tempfile.mkdtemp()) / "a.zip"
    >>> with zipfile.ZipFile(f, "w") as z:
    ...     z.writestr("x.txt", "hi")
    >>> zipfile.ZipFile(fixed_zip_times(f)).infolist()[0].date_time
    (2000, 1, 1, 0, 0, 0)
    """
    import zipfile

    path = Path(path)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, payload)
    return path


def memo_filename(lang: str, fmt: str) -> str:
    """Return the memo's file name for a language and a format.

    Examples
    --------
    >>> memo_filename("zh", "pdf"), memo_filename("en", "html")
    ('forecast-memo.zh.pdf', 'forecast-memo.html')
    """
    return f"forecast-memo.{fmt}" if lang == "en" else f"forecast-memo.{lang}.{fmt}"


def write_memo_files(numbers, folder: str | Path, *, langs=("zh", "en"), formats=("html",),
                     previous: dict[str, Any] | None = None, fan_png: bytes | None = None
                     ) -> list[str]:
    """Write the memo in each language and format, and its numbers as JSON.

    Parameters
    ----------
    numbers : MemoNumbers
        From :func:`~ciqanalysis.report.memo.compute_memo`.
    folder : str or pathlib.Path
        Target folder (exists).
    langs : sequence of {"zh", "en"}
    formats : sequence of {"html", "pdf", "docx"}
    previous : dict, optional
        The previous memo's numbers (revisions table).
    fan_png : bytes, optional
        The fan chart; drawn when None.

    Returns
    -------
    list of str
        File names written, in the order languages × formats, then the JSON.

    Examples
    --------
    With ``memo = compute_memo(quick=True)`` (the synthetic sample), into a folder ``tmp``:

    >>> write_memo_files(memo, tmp, langs=["zh"], formats=["pdf", "docx"])
    ['forecast-memo.zh.pdf', 'forecast-memo.zh.docx', 'forecast-memo.json']
    >>> sorted(p.name for p in tmp.iterdir())
    ['forecast-memo.json', 'forecast-memo.zh.docx', 'forecast-memo.zh.pdf']
    """
    from .figures import fan_figure, figure_png

    folder = Path(folder)
    if fan_png is None:
        fan_png = figure_png(fan_figure(numbers))
    names = []
    for lang in langs:
        doc = memo_document(numbers, lang, previous)
        for fmt in formats:
            name = memo_filename(lang, fmt)
            target = folder / name
            if fmt == "html":
                target.write_text(render_html(doc, fan_png), encoding="utf-8")
            elif fmt == "pdf":
                write_pdf(doc, fan_png, target)
            elif fmt == "docx":
                write_docx(doc, fan_png, target)
            names.append(name)
    (folder / NUMBERS_NAME).write_text(
        json.dumps(memo_numbers_json(numbers), ensure_ascii=False, indent=1, allow_nan=False) + "\n",
        encoding="utf-8")
    names.append(NUMBERS_NAME)
    return names
