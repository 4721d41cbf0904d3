"""Party documents as DOCX, in the layout of Hướng dẫn 36-HD/VPTW (2018).

A4 portrait, margins 20/20/30/15 mm, Times New Roman. First page: a borderless header table
(the superior committee, the issuing body, a star and the symbol on the left; "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place-date line on the right), the document kind and its summary title; then
the sections; then the recipients and the signature block; then, on a page of its own, an
appendix ("PHỤ LỤC", its title, "(Kèm theo ...)" and its tables and charts) when there is one.
Page numbers sit at the top centre from page 2.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from tuyengiao.text.numbers import format_number, parse_number

__all__ = ["Image", "PartyDocument", "Section", "Table", "format_cell", "place_date", "render"]

# The Party layout's values, in one place (the chart for a page: reports.charts).
PAGE_MM = (210, 297)  # A4, portrait
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20, 20, 30, 15
HEADER_DISTANCE_MM = 10  # the page number at the top, and the footer
FONT = "Times New Roman"
LANGUAGE = "vi-VN"
BODY_SIZE = 14  # body text, the header blocks, the page number, the signature
PARTY_SIZE = 15  # "ĐẢNG CỘNG SẢN VIỆT NAM"
KIND_SIZE = 16  # the document's kind: "BÁO CÁO"
RECIPIENT_SIZE = 12  # the lines under "Nơi nhận:"
TABLE_FONT_SIZE = 13
FIRST_LINE_INDENT_CM = 1
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 10  # 16.5
# The header's two blocks: "BAN TUYÊN GIÁO VÀ DÂN VẬN" (bold) on the left and a place-date
# line like "Thái Nguyên, ngày 23 tháng 11 năm 2026" (italic) on the right each fit one line.
HEADER_WIDTHS_CM = (7.9, 8.6)
LAYOUT_CELL_MARGIN_CM = 0.05
CLOSING_WIDTHS_CM = (8.5, 8.0)  # "Nơi nhận" (12 pt lines) and the signature block
BODY_STYLE = "Body Text"

# Elements that follow w:tblBorders in w:tblPr; Word rejects them out of order.
_AFTER_TBL_BORDERS = (
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
)  # fmt: skip

CellValue = str | int | float | Decimal | None

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT


@dataclass
class Table:
    headers: list[str]
    rows: list[list[CellValue]]
    caption: str = ""
    widths_cm: list[float] | None = None
    total_row: bool = False  # the last row is a total, shown bold


@dataclass
class Image:
    png: bytes
    width_cm: float = 15.0
    caption: str = ""


@dataclass
class Section:
    heading: str
    # A str may hold several paragraphs separated by "\n"; "- " lines are dash items.
    paragraphs: list[str | Table | Image] = field(default_factory=list)


@dataclass
class PartyDocument:
    superior: str  # cơ quan cấp trên, e.g. "ĐẢNG BỘ TỈNH BẮC NINH"
    issuer: str  # cơ quan ban hành, e.g. "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    symbol: str  # "Số 12-BC/BTGDVTU", or with a blank number before it is issued
    place: str
    date: datetime.date
    kind: str  # "BÁO CÁO"
    title: str  # trích yếu, e.g. "tình hình dư luận xã hội tuần ..."
    sections: list[Section]
    recipients: list[str]
    # A ban of a party committee is signed by its head (or "K/T TRƯỞNG BAN" / "PHÓ TRƯỞNG
    # BAN"); "T/M" is for collective bodies ("T/M BAN THƯỜNG VỤ" / "BÍ THƯ").
    signer_role: str = "TRƯỞNG BAN"
    signer_title: str = ""
    signer_name: str = ""
    appendix: list[Section] = field(default_factory=list)  # on a page of its own, at the end
    appendix_title: str = ""  # e.g. "Số liệu phản ánh dư luận xã hội tuần ..."
    appendix_note: str = ""  # e.g. "(Kèm theo Báo cáo số 12-BC/BTGDVTU ngày 23/11/2026)"


def place_date(place: str, day: datetime.date) -> str:
    """The place-date line: "Bắc Ninh, ngày 05 tháng 01 năm 2026".

    Days below 10 and the months 1 and 2 take a leading zero; other months do not.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def render(doc: PartyDocument) -> bytes:
    """Write ``doc`` as a DOCX file and return its bytes."""
    document = new_document()
    _set_up_page(document)
    _set_up_styles(document)
    _set_properties(document, doc)
    _write_heading_block(document, doc)
    for section in doc.sections:
        _write_section(document, section)
    _write_closing_block(document, doc)
    if doc.appendix:
        _write_appendix(document, doc)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- page and styles -------------------------------------------------------------------------


def _set_up_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE_MM)
    # The rule numbers pages at the top centre, leaving the first page unnumbered.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    _add_page_field(number)


def _add_page_field(paragraph: Paragraph) -> None:
    """A PAGE field; "2" is only the cached result, readers recompute it."""

    def field_char(kind: str) -> BaseOxmlElement:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    for part in (field_char("begin"), instruction, field_char("separate"), "2", field_char("end")):
        run = paragraph.add_run(part if isinstance(part, str) else None)
        run.font.size = Pt(BODY_SIZE)
        if not isinstance(part, str):
            run._r.append(part)


def _set_up_styles(document: DocxDocument) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    _set_fonts(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))

    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    body = (
        styles[BODY_STYLE]
        if BODY_STYLE in styles
        else styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    )
    body.base_style = normal
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True


def _set_fonts(rpr: BaseOxmlElement) -> None:
    """Name Times New Roman for every script, so Word shows Vietnamese in it too."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _set_properties(document: DocxDocument, doc: PartyDocument) -> None:
    props = document.core_properties
    props.title = f"{doc.kind} {doc.title}".strip()
    props.author = props.last_modified_by = doc.issuer
    props.language = LANGUAGE
    props.created = props.modified = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    props.revision = 1
    # The template's preview image shows python-docx's blank page, not this document.
    package_rels = document.part.package.rels
    for r_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(r_id)


# --- building blocks -------------------------------------------------------------------------


def _para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = CENTER,
    before: float = 0,
    after: float = 0,
    style: str | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    paragraph = _next_paragraph(container, style)
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = align
    if before:
        fmt.space_before = Pt(before)
    if after:
        fmt.space_after = Pt(after)
    if keep_with_next:
        fmt.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.underline = underline or None
    if size is not None:
        run.font.size = Pt(size)
    return paragraph


def _next_paragraph(container: DocxDocument | _Cell, style: str | None) -> Paragraph:
    # A new cell already holds one empty paragraph: write into it rather than below it.
    if isinstance(container, _Cell):
        paragraphs = container.paragraphs
        if len(paragraphs) == 1 and not paragraphs[0].runs:
            if style:
                paragraphs[0].style = style
            return paragraphs[0]
    return container.add_paragraph(style=style)


def _layout_table(document: DocxDocument, rows: int, widths_cm: Sequence[float]) -> DocxTable:
    """A borderless table of fixed column widths, used to place blocks side by side."""
    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths_cm)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBL_BORDERS)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(round(LAYOUT_CELL_MARGIN_CM / 2.54 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    return table


def _set_widths(table: DocxTable, widths_cm: Sequence[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _set_row_flags(row: _Row, *, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # schema order: cantSplit before tblHeader
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeated at the top of each page


# --- document parts --------------------------------------------------------------------------


def _write_heading_block(document: DocxDocument, doc: PartyDocument) -> None:
    table = _layout_table(document, rows=2, widths_cm=HEADER_WIDTHS_CM)
    left, right = table.cell(0, 0), table.cell(0, 1)
    _para(left, doc.superior.upper(), size=BODY_SIZE)
    _para(left, doc.issuer.upper(), size=BODY_SIZE, bold=True)
    _para(left, "*", size=BODY_SIZE)
    _para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", size=PARTY_SIZE, bold=True, underline=True)
    # Symbol and place-date share a row so they sit on the same line.
    _para(table.cell(1, 0), doc.symbol, size=BODY_SIZE, before=3)
    _para(table.cell(1, 1), place_date(doc.place, doc.date), size=BODY_SIZE, italic=True, before=3)

    _para(document, doc.kind.upper(), size=KIND_SIZE, bold=True, before=18, after=3)
    _para(document, doc.title, size=BODY_SIZE, bold=True)
    _para(document, "-----", size=BODY_SIZE, after=12)


def _write_section(document: DocxDocument, section: Section) -> None:
    if section.heading:
        _para(
            document,
            section.heading,
            bold=True,
            align=None,
            before=6,
            style=BODY_STYLE,
            keep_with_next=True,
        )
    for item in section.paragraphs:
        if isinstance(item, Table):
            _write_table(document, item)
        elif isinstance(item, Image):
            _write_image(document, item)
        else:
            for line in item.split("\n"):
                if line.strip():
                    # Dash items keep their "- " and the body's first-line indent, as typed.
                    _para(document, line.strip(), align=None, style=BODY_STYLE)


def format_cell(value: CellValue) -> tuple[str, bool]:
    """Text of a table cell and whether it is a number (numbers are right-aligned).

    ints print as 24.193, floats with two decimals (98,32), Decimals with their own places.
    """
    if value is None:
        return "", False
    if isinstance(value, str):
        try:
            parse_number(value)
        except ValueError:
            return value, False
        return value, True
    if isinstance(value, float):
        return format_number(value, 2), True
    if isinstance(value, Decimal):
        return format_number(value, max(0, -int(value.as_tuple().exponent))), True
    return format_number(value), True


def _write_table(document: DocxDocument, spec: Table) -> None:
    columns = len(spec.headers)
    for number, row in enumerate(spec.rows, start=1):
        if len(row) != columns:
            raise ValueError(f"Row {number} has {len(row)} cells, the table has {columns} columns")
    if spec.caption:
        _para(
            document,
            spec.caption,
            size=TABLE_FONT_SIZE,
            bold=True,
            before=6,
            after=6,
            keep_with_next=True,
        )

    table = document.add_table(rows=1 + len(spec.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if spec.widths_cm is not None:
        if len(spec.widths_cm) != columns:
            raise ValueError(f"{len(spec.widths_cm)} widths given for {columns} columns")
        _set_widths(table, spec.widths_cm)

    header = table.rows[0]
    _set_row_flags(header, header=True)
    for cell, text in zip(header.cells, spec.headers, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _para(cell, text, size=TABLE_FONT_SIZE, bold=True, before=2, after=2)

    last = len(spec.rows)
    for number, (row, values) in enumerate(zip(table.rows[1:], spec.rows, strict=True), 1):
        _set_row_flags(row)
        bold = spec.total_row and number == last
        for cell, value in zip(row.cells, values, strict=True):
            text, numeric = format_cell(value)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            align = RIGHT if numeric else LEFT
            _para(cell, text, size=TABLE_FONT_SIZE, bold=bold, align=align, before=2, after=2)
    _para(document, "", size=6)  # breathing space between the table and the next paragraph


def _write_image(document: DocxDocument, spec: Image) -> None:
    width = Cm(min(spec.width_cm, TEXT_WIDTH_CM))
    document.add_picture(BytesIO(spec.png), width=width)
    picture = document.paragraphs[-1]
    fmt = picture.paragraph_format
    fmt.alignment = CENTER
    fmt.space_before = Pt(6)
    fmt.keep_with_next = bool(spec.caption)
    if spec.caption:
        _para(document, spec.caption, size=TABLE_FONT_SIZE, italic=True, after=6)
    else:
        fmt.space_after = Pt(6)


def _write_appendix(document: DocxDocument, doc: PartyDocument) -> None:
    heading = _para(document, "PHỤ LỤC", size=BODY_SIZE, bold=True, keep_with_next=True)
    heading.paragraph_format.page_break_before = True
    if doc.appendix_title:
        _para(document, doc.appendix_title, size=BODY_SIZE, bold=True, keep_with_next=True)
    if doc.appendix_note:
        _para(document, doc.appendix_note, size=BODY_SIZE, italic=True, keep_with_next=True)
    _para(document, "-----", size=BODY_SIZE, after=6)
    for section in doc.appendix:
        _write_section(document, section)


def _write_closing_block(document: DocxDocument, doc: PartyDocument) -> None:
    # The signature never stands alone on a page: the last paragraph goes along with it.
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    table = _layout_table(document, rows=1, widths_cm=CLOSING_WIDTHS_CM)
    _set_row_flags(table.rows[0])  # keep recipients and signature on one page
    left, right = table.cell(0, 0), table.cell(0, 1)
    _para(left, "Nơi nhận:", size=BODY_SIZE, underline=True, align=LEFT, before=12)
    for recipient in doc.recipients:
        _para(left, recipient, size=RECIPIENT_SIZE, align=LEFT)

    _para(right, doc.signer_role.upper(), size=BODY_SIZE, bold=True, before=12)
    if doc.signer_title:
        _para(right, doc.signer_title.upper(), size=BODY_SIZE, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _para(right, "", size=BODY_SIZE)
    if doc.signer_name:
        _para(right, doc.signer_name, size=BODY_SIZE, bold=True)


def document_text(data: bytes) -> str:
    """The text of a Word document, as a reader meets it: each paragraph and each table row
    on a line of its own, in the document's order; a row's cells joined by " | " (a merged
    cell once). ValueError when python-docx cannot open it. The caller checks the upload first
    (its type and unpacked size: narratives.reading)."""
    import io

    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = new_document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged part
        raise ValueError(str(exc)) from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:
                        cells.append(text)
                lines.append(" | ".join(cells))
    return "\n".join(lines)
