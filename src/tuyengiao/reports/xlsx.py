"""The one Excel toolkit: every workbook the system produces is written through it.

- House style: fonts, fills, borders and number formats (`INTEGER` shows 24.193 in a Vietnamese
  Excel, `PERCENT` 98,32%, `DATE` dd/mm/yyyy).
- Cells are written by `put` / `put_row` / `add_row`: numbers and dates as they are, text always
  as text. A text starting with "=", "+", "-", "@", a tab or a carriage return (a unit name, a
  text figure uploaded by someone, a summary line) is stored as a string cell marked with Excel's
  quote prefix — the apostrophe of "'=1+1" — so Excel and LibreOffice show it as typed and never
  evaluate it, not even after someone edits the cell (OWASP, "CSV injection"). The toolkit writes
  no formula at all; `workbook_bytes` makes any text cell that slipped past `put` inert as well.
- A sheet is set up the same way everywhere: `title_rows` (what, where, when, and the day it was
  exported), `head` for header cells, then `set_up` once the table is written: column widths
  from the content (bounded), header rows wrapped and tall enough, the header rows frozen (and
  the label column when the table is wide), A4, landscape when the table is wider than a
  portrait page, fitted to the page's width, the header rows printed on every page, and page
  numbers in the footer.
- `workbook_bytes` and `xlsx_response` turn a workbook into a download.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tuyengiao.text import format_date

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (Excel shows the separators of the reader's locale: 24.193 and 98,32 in Vietnam).
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
ONE_DECIMAL = "0.0"
PERCENT = "0.00%"
WHOLE_PERCENT = "0%"
DATE = "DD/MM/YYYY"
TEXT = "@"

# Fonts, fills and borders.
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
KEY_FONT = Font(italic=True, color="666666", size=9)  # a row for the machine, not for people
HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
LOCKED_FILL = PatternFill("solid", fgColor="DDDDDD")  # a row that cannot be changed
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")  # header cells
TEXT_WRAP = Alignment(wrap_text=True, vertical="top")  # paragraphs of text
_THIN = Side(style="thin", color="C9CED6")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Layout. Widths are in Excel's units (about one character of the default font).
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 4  # a blank row between the title and the table
MIN_WIDTH, MAX_WIDTH = 8.0, 60.0
HEADER_WIDTH = 20  # a header longer than this wraps rather than widening its column
PORTRAIT_WIDTH = 95  # the columns that fit across an A4 page upright; wider prints landscape
LINE_HEIGHT = 15.0  # points, one line of the default font
MAX_HEIGHT = 409.0  # Excel's limit for a row
WIDTH_SAMPLE = 2000  # rows read to size the columns of a very long sheet

# Text that a spreadsheet would read as the start of a formula (OWASP, "CSV injection").
RISKY = ("=", "+", "-", "@", "\t", "\r")

CellValue = str | int | float | Decimal | date | datetime | bool | None


# Cells ---------------------------------------------------------------------------------------


def _inert(cell: Cell) -> None:
    """Make a text cell show its text and never be evaluated (see the module's docstring)."""
    if cell.data_type == "f":  # openpyxl takes any str starting with "=" for a formula
        cell.data_type = "s"
    if cell.value[:1] in RISKY and not cell.quotePrefix:
        cell.quotePrefix = True


def put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: CellValue,
    *,
    number_format: str | None = None,
    bold: bool = False,
) -> Cell:
    """Write one cell: numbers and dates as they are, text as text (never a formula).

    Characters that XML cannot carry (control characters other than tab, line feed and carriage
    return) are left out of text rather than failing the whole export.
    """
    if isinstance(value, Decimal):
        value = number(value)
    elif isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        _inert(cell)
    if number_format:
        cell.number_format = number_format
    if bold:
        cell.font = BOLD
    return cell


def put_row(
    sheet: Worksheet,
    row: int,
    values: Iterable[CellValue],
    *,
    formats: dict[int, str] | None = None,
    bold: bool = False,
    first: int = 1,
) -> list[Cell]:
    """Write `values` from column `first` of `row`; `formats` maps a column number to its
    number format."""
    formats = formats or {}
    return [
        put(sheet, row, column, value, number_format=formats.get(column), bold=bold)
        for column, value in enumerate(values, start=first)
    ]


def add_row(
    sheet: Worksheet,
    values: Iterable[CellValue],
    *,
    formats: dict[int, str] | None = None,
    bold: bool = False,
) -> int:
    """Write `values` on the row below the sheet's last one; return that row's number."""
    row = sheet.max_row + 1
    put_row(sheet, row, values, formats=formats, bold=bold)
    return row


def number(value: Decimal | int | float | None, places: int = 4) -> int | float | None:
    """A value Excel reads as a number: an int when whole, else a float rounded to `places`
    (at least 4) decimals."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, max(places, 4)))


def fraction(percent: Decimal | None) -> int | float | None:
    """A percentage (98.32) as the fraction Excel's percent format shows (0.9832)."""
    return number(percent / 100, 6) if percent is not None else None


def add_image(sheet: Worksheet, png: bytes | None, row: int, column: int = 1) -> None:
    """A picture (a chart's PNG) with its top-left corner in the cell at `row`, `column`."""
    if png:
        sheet.add_image(Image(BytesIO(png)), f"{get_column_letter(column)}{row}")


# Titles and headers --------------------------------------------------------------------------


def exported_on(day: date | None = None) -> str:
    """ "Xuất ngày 05/12/2026" (today when no day is given)."""
    return _("Xuất ngày %(day)s") % {"day": format_date(day or timezone.localdate())}


def subtitle(where: str, when: str = "", *, day: date | None = None) -> str:
    """ "Tỉnh Thái Nguyên · Quý III/2026 · Xuất ngày 05/12/2026": where, when, and the day the
    file was made (so that a printed copy says how fresh it is)."""
    return " · ".join(part for part in (where, when, exported_on(day)) if part)


def title_rows(
    sheet: Worksheet, what: str, where: str, when: str = "", *, day: date | None = None
) -> int:
    """The title (what) on row 1 and where, when and the day of export on row 2; returns the
    row the table's header starts on (`HEADER_ROW`, after a blank row)."""
    put(sheet, TITLE_ROW, 1, what).font = TITLE
    put(sheet, SUBTITLE_ROW, 1, subtitle(where, when, day=day))
    return HEADER_ROW


def head(cell: Cell, *, box: bool = False) -> Cell:
    """Style a header cell: bold on the header fill, wrapped and centred (boxed in a grid)."""
    cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP
    if box:
        cell.border = BOX
    return cell


def header_row(
    sheet: Worksheet, row: int, headers: Sequence[str], *, first: int = 1, box: bool = False
) -> int:
    """One header row from column `first`; returns the number of the last column."""
    for cell in put_row(sheet, row, headers, first=first):
        head(cell, box=box)
    return first + len(headers) - 1


def box(sheet: Worksheet, rows: tuple[int, int], columns: tuple[int, int]) -> None:
    """Thin borders round every cell of the block (a grid, for tables printed with lines)."""
    for line in sheet.iter_rows(
        min_row=rows[0], max_row=rows[1], min_col=columns[0], max_col=columns[1]
    ):
        for cell in line:
            cell.border = BOX


# Set-up --------------------------------------------------------------------------------------


def _shown_width(value, number_format: str) -> float:
    """About how many characters a value takes on screen in its number format."""
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if isinstance(value, bool):
        return 5
    if isinstance(value, datetime | date):
        return 10
    if isinstance(value, int | float):
        if "%" in number_format:
            decimals = number_format.count("0") - 1
            return len(f"{value * 100:,.{max(decimals, 0)}f}") + 1
        decimals = len(number_format.partition(".")[2].rstrip("%")) if "." in number_format else 0
        if number_format in ("General", "") and isinstance(value, float):
            decimals = 2
        return len(f"{value:,.{decimals}f}")
    return len(str(value))


def _header_need(text: str) -> float:
    """A header wraps: its longest word, or its length up to `HEADER_WIDTH`."""
    words = str(text).split()
    longest = max((len(w) for w in words), default=0)
    return max(longest, min(len(str(text)), HEADER_WIDTH))


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column `width` characters wide."""
    usable = max(1.0, width - 1)
    return sum(max(1, math.ceil(len(part) / usable)) for part in str(text).splitlines() or [""])


def _merged_across(sheet: Worksheet) -> set[tuple[int, int]]:
    """The cells of merged blocks that span several columns (they do not size a column)."""
    cells = set()
    for block in sheet.merged_cells.ranges:
        if block.max_col > block.min_col:
            for row in range(block.min_row, block.max_row + 1):
                for column in range(block.min_col, block.max_col + 1):
                    cells.add((row, column))
    return cells


def fit_height(sheet: Worksheet, row: int, *, widths: dict[int, float] | None = None) -> None:
    """Make `row` tall enough for its wrapped text (Excel does not grow rows on opening). A
    merged block's text wraps over the width of all its columns, and its other rows hold one
    line each."""
    widths = widths or {}
    blocks = {(b.min_row, b.min_col): b for b in sheet.merged_cells.ranges}
    lines = 1
    for cell in sheet[row]:
        if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
            continue
        block = blocks.get((row, cell.column))
        columns = range(block.min_col, block.max_col + 1) if block else [cell.column]
        width = sum(
            widths.get(c) or sheet.column_dimensions[get_column_letter(c)].width or MIN_WIDTH
            for c in columns
        )
        others = block.max_row - block.min_row if block else 0
        lines = max(lines, _lines(cell.value, width) - others)
    if lines > 1:
        sheet.row_dimensions[row].height = min(MAX_HEIGHT, LINE_HEIGHT * lines)


def set_up(
    sheet: Worksheet,
    *,
    header: tuple[int, int] | None = (HEADER_ROW, HEADER_ROW),
    label_columns: int | None = None,
    widths: dict[int, float] | None = None,
    wide: bool | None = None,
) -> None:
    """Make a written sheet readable as delivered, on screen and on paper.

    header: the first and last header rows (None for a sheet of text). Column widths follow the
    content below the title rows (between `MIN_WIDTH` and `MAX_WIDTH`; a header counts up to
    `HEADER_WIDTH`, the rest wraps), and `widths` (column number -> width) overrides them.
    The header rows are wrapped and made tall enough, frozen on screen and printed on every
    page. `label_columns` columns on the left are frozen too: by default one when the table is
    wide (wider than `PORTRAIT_WIDTH`), else none. Printed on A4, landscape when wide (`wide`
    decides it when given), fitted to the page's width, page numbers in the footer.
    """
    first_row = header[0] if header else SUBTITLE_ROW + 1
    header_rows = set(range(header[0], header[1] + 1)) if header else set()
    across = _merged_across(sheet)
    need: dict[int, float] = {}
    last_row = min(sheet.max_row, first_row + len(header_rows) + WIDTH_SAMPLE)
    for line in sheet.iter_rows(min_row=first_row, max_row=last_row):
        for cell in line:
            if cell.value is None or (cell.row, cell.column) in across:
                continue
            if cell.row in header_rows:
                size = _header_need(cell.value)
            else:
                size = _shown_width(cell.value, cell.number_format)
            need[cell.column] = max(need.get(cell.column, 0), size)
    columns = max([*need, *(widths or {})], default=1)
    sizes = {}
    for column in range(1, columns + 1):
        size = (widths or {}).get(column)
        if size is None:
            size = min(MAX_WIDTH, max(MIN_WIDTH, need.get(column, 0) + 2))
        sizes[column] = size
        sheet.column_dimensions[get_column_letter(column)].width = size
    if wide is None:
        wide = sum(sizes.values()) > PORTRAIT_WIDTH

    if header:
        for row in sorted(header_rows):
            for cell in sheet[row]:
                if cell.value is not None and not cell.alignment.wrap_text:
                    cell.alignment = WRAP
            fit_height(sheet, row, widths=sizes)
        frozen = label_columns if label_columns is not None else (1 if wide else 0)
        sheet.freeze_panes = sheet.cell(row=header[1] + 1, column=frozen + 1)
        sheet.print_title_rows = f"{header[0]}:{header[1]}"

    page = sheet.page_setup
    page.paperSize = sheet.PAPERSIZE_A4
    page.orientation = "landscape" if wide else "portrait"
    page.fitToWidth, page.fitToHeight = 1, 0  # as wide as the page, as many pages as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = _("Trang &P/&N")


# The file ------------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook (without the blank sheet openpyxl starts with)."""
    book = Workbook()
    book.remove(book.active)
    return book


def make_inert(book: Workbook) -> None:
    """Every text cell of the workbook as text, never a formula (the guard behind `put`)."""
    for sheet in book.worksheets:
        # _cells holds only the cells written; iter_rows would create the empty ones too.
        for cell in sheet._cells.values():
            if isinstance(cell.value, str):
                _inert(cell)


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file, every text cell made inert first."""
    make_inert(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    """A download of `content` named `stem`.xlsx (the stem already safe for a file name)."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response
