"""The public-concerns picture and summaries as Excel workbooks: one sheet a table, numbers as
numbers, the weekly chart under its table, and a summary's text on a sheet of its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment

from tuyengiao.core.xlsx import (
    BOLD,
    DECIMAL,
    HEAD_FILL,
    INTEGER,
    PERCENT,
    TITLE,
    WRAP,
    workbook_bytes,
)
from tuyengiao.org.models import Unit
from tuyengiao.text import format_date

from . import stats
from .stats import Grid, Resolution, Rising, Span
from .summary import HEADING, WEEK, chart_title, facts, span_text, title_of, weekly_chart

ONE_DECIMAL = "0.0"


def _sheet(book: Workbook, name: str, title: str, subtitle: str, headers: list[str]):
    sheet = book.create_sheet(name[:31])
    sheet["A1"], sheet["A2"] = title, subtitle
    sheet["A1"].font = TITLE
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font, cell.fill, cell.alignment = BOLD, HEAD_FILL, WRAP
    sheet.column_dimensions["A"].width = 42
    for column in range(2, len(headers) + 1):
        sheet.column_dimensions[sheet.cell(4, column).column_letter].width = 14
    sheet.row_dimensions[4].height = 45
    sheet.freeze_panes = "B5"
    # Printed: landscape, as wide as the page, the header row on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    return sheet


def _filter(sheet, rows: int) -> None:
    """Excel's filter on the header row over the rows before the total: every place is in the
    workbook, and one filters out the empty ones there (the page shows only those with data)."""
    if rows:
        sheet.auto_filter.ref = f"A4:{sheet.cell(4, sheet.max_column).column_letter}{4 + rows}"


def _append(sheet, values: list, formats: dict[int, str], bold: bool = False) -> None:
    sheet.append(values)
    for column, cell in enumerate(sheet[sheet.max_row], start=1):
        if column in formats:
            cell.number_format = formats[column]
        if bold:
            cell.font = BOLD


def _grid_sheet(book, name: str, grid: Grid, title: str, subtitle: str, png: bytes | None = None):
    sheet = _sheet(book, name, title, subtitle, [grid.corner, *grid.columns, _("Tổng số")])
    integers = dict.fromkeys(range(2, len(grid.columns) + 3), INTEGER)
    for line in grid.lines:
        _append(sheet, [line.label, *line.values, line.total], integers, bold=line.is_total)
    if len(grid.lines) > 2:
        _filter(sheet, len(grid.lines) - 1)
    if png:
        sheet.add_image(XlImage(BytesIO(png)), f"A{sheet.max_row + 2}")
    return sheet


def _fraction(share: Decimal | None):
    return float(round(share / 100, 6)) if share is not None else None


def _float(value: Decimal | None):
    return float(value) if value is not None else None


def _rising_sheet(book, rising: list[Rising], kind: str, title: str, subtitle: str) -> None:
    now = _("Tuần này") if kind == WEEK else _("Tháng này")
    before = _("Trung bình bốn tuần trước") if kind == WEEK else _("Trung bình bốn tháng trước")
    sheet = _sheet(
        book,
        _("Lĩnh vực tăng"),
        title,
        subtitle,
        [_("Lĩnh vực"), now, before, _("Tăng"), _("Tăng (%)")],
    )
    formats = {2: INTEGER, 3: DECIMAL, 4: DECIMAL, 5: "0%"}
    for item in rising:
        change = float(item.change) / 100 if item.change is not None else None
        values = [item.topic.name, item.count, float(item.average), float(item.difference), change]
        _append(sheet, values, formats)
    sheet.cell(
        sheet.max_row + 2,
        1,
        _("Quy tắc: ít nhất 2 phản ánh và gấp 1,5 lần trở lên so với trung bình."),
    )


def _resolution_sheet(book, rows: list[Resolution], title: str, subtitle: str) -> None:
    headers = [
        _("Địa bàn"),
        _("Đến hạn (giải quyết)"),
        _("Giải quyết đúng hạn"),
        _("Tỷ lệ giải quyết đúng hạn"),
        _("Đến hạn (trả lời)"),
        _("Trả lời đúng hạn"),
        _("Tỷ lệ trả lời đúng hạn"),
        _("Số ngày trả lời (trung vị)"),
        _("Số ngày giải quyết (trung vị)"),
    ]
    sheet = _sheet(book, _("Giải quyết"), title, subtitle, headers)
    formats = {2: INTEGER, 3: INTEGER, 4: PERCENT, 5: INTEGER, 6: INTEGER, 7: PERCENT}
    formats |= {8: ONE_DECIMAL, 9: ONE_DECIMAL}
    for row in rows:
        values = [
            row.label,
            row.due,
            row.resolved_on_time,
            _fraction(row.resolved_share),
            row.answer_due,
            row.answered_on_time,
            _fraction(row.answered_share),
            _float(row.answer_median),
            _float(row.resolve_median),
        ]
        _append(sheet, values, formats, bold=row.is_total)
    if len(rows) > 2:
        _filter(sheet, len(rows) - 1)


def _save(book: Workbook) -> bytes:
    book.remove(book.active)  # the empty first sheet openpyxl makes
    return workbook_bytes(book)


def _subtitle(unit: Unit, span: str, today: date | None = None) -> str:
    return _("%(unit)s · %(span)s · xuất ngày %(day)s") % {
        "unit": unit.name,
        "span": span,
        "day": format_date(today or timezone.localdate()),
    }


def picture_workbook(picture: stats.Picture, chart_png: bytes | None = None) -> bytes:
    """The picture page's tables, one sheet each, the chart under the weekly table."""
    book = Workbook()
    subtitle = _subtitle(picture.unit, picture.span)
    _grid_sheet(
        book,
        _("Theo tuần"),
        picture.by_week,
        _("Số phản ánh theo lĩnh vực và tuần"),
        subtitle,
        chart_png,
    )
    _grid_sheet(
        book,
        _("Theo địa bàn"),
        picture.by_place,
        _("Số phản ánh theo địa bàn và lĩnh vực"),
        subtitle,
    )
    rising_title = _("Lĩnh vực tăng: %(week)s") % {"week": picture.weeks[-1].label}
    _rising_sheet(book, picture.rising, WEEK, rising_title, subtitle)
    _resolution_sheet(book, picture.resolution, _("Trả lời, giải quyết trong hạn"), subtitle)
    return _save(book)


def summary_workbook(
    unit: Unit, kind: str, span: Span, text: str, today: date | None = None
) -> bytes:
    """The summary's text, then its tables (places × topics, topics × weeks with the chart,
    rising topics, answers and resolutions in time), as of `today` (the real date by default)."""
    f = facts(unit, kind, span, today)
    book = Workbook()
    title = _("Báo cáo %(title)s") % {"title": title_of(kind, span)}
    subtitle = _subtitle(unit, span_text(kind, span), today)
    sheet = book.create_sheet(_("Báo cáo"))
    sheet["A1"], sheet["A2"] = title, subtitle
    sheet["A1"].font = TITLE
    sheet.column_dimensions["A"].width = 120
    for number, line in enumerate((x for x in text.splitlines() if x.strip()), start=4):
        cell = sheet.cell(number, 1, line.strip())
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if HEADING.match(line.strip()):
            cell.font = BOLD
    _grid_sheet(
        book, _("Theo địa bàn"), f.grid, _("Số phản ánh theo địa bàn và lĩnh vực"), subtitle
    )
    png = None
    if not f.by_week.is_empty:
        png = weekly_chart(unit, f.by_week, f.weeks, "png", title=chart_title(unit))
    _grid_sheet(
        book, _("Theo tuần"), f.by_week, _("Số phản ánh theo lĩnh vực và tuần"), subtitle, png
    )
    _rising_sheet(book, f.rising, kind, _("Lĩnh vực tăng"), subtitle)
    _resolution_sheet(book, f.resolution, _("Trả lời, giải quyết trong hạn"), subtitle)
    return _save(book)
