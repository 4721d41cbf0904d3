"""Roll-up tables and completeness as Excel workbooks (openpyxl).

Numbers are written as numbers with number formats (never as text), a plan-vs-actual cell as
three columns (actual, planned, rate), and the chart of the page as a PNG image drawn by the
same chart function.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Border, Side
from openpyxl.utils import get_column_letter

from tuyengiao.core.xlsx import (
    BOLD,
    DATE,
    DECIMAL,
    HEAD_FILL,
    INTEGER,
    PERCENT,
    TITLE,
    WRAP,
    workbook_bytes,
)
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period
from tuyengiao.text import format_date

from .queries import Cell, Table, decimals_of

_THIN = Side(style="thin", color="C9CED6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def unit_note(unit: Unit) -> str:
    """ "(đã sáp nhập vào Xã Hoà An từ 01/02/2024)" for a closed unit, "" for an open one."""
    if unit.valid_to is None:
        return ""
    day = format_date(unit.valid_to)
    if unit.successor_id:
        return _("(đã sáp nhập vào %(unit)s từ %(day)s)") % {
            "unit": unit.successor.name,
            "day": day,
        }
    return _("(giải thể từ %(day)s)") % {"day": day}


def unit_label(unit: Unit) -> str:
    note = unit_note(unit)
    return f"{unit.name} {note}" if note else unit.name


def _number(value: Decimal | None, decimals: int = 4):
    """A cell value Excel reads as a number: int when whole, else a rounded float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, max(decimals, 4)))


@dataclass
class _Column:
    header: str
    sub: str | None
    number_format: str


def _heading(sheet, title: str, subtitle: str) -> int:
    """Title and subtitle on rows 1 and 2; the table's header starts on row 4."""
    sheet["A1"] = title
    sheet["A1"].font = TITLE
    sheet["A2"] = subtitle
    return 4


def _header_rows(sheet, first_row: int, groups: list[tuple[str, list[str] | None]]) -> int:
    """Two header rows: a group title over its sub-columns, or one title over both rows."""
    sheet.cell(first_row, 1, _("Đơn vị"))
    sheet.merge_cells(start_row=first_row, start_column=1, end_row=first_row + 1, end_column=1)
    column = 2
    for title, subs in groups:
        sheet.cell(first_row, column, title)
        if subs:
            for offset, sub in enumerate(subs):
                sheet.cell(first_row + 1, column + offset, sub)
            if len(subs) > 1:
                sheet.merge_cells(
                    start_row=first_row,
                    start_column=column,
                    end_row=first_row,
                    end_column=column + len(subs) - 1,
                )
            column += len(subs)
        else:
            sheet.merge_cells(
                start_row=first_row, start_column=column, end_row=first_row + 1, end_column=column
            )
            column += 1
    for row in sheet.iter_rows(min_row=first_row, max_row=first_row + 1, max_col=column - 1):
        for cell in row:
            cell.font = BOLD
            cell.fill = HEAD_FILL
            cell.alignment = WRAP
            cell.border = _BOX
    return column - 1


def _layout(sheet, width: int, header_row: int, last_row: int) -> None:
    sheet.column_dimensions["A"].width = 42
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 15
    sheet.row_dimensions[header_row].height = 45
    sheet.freeze_panes = sheet.cell(header_row + 2, 2)
    for row in sheet.iter_rows(min_row=header_row + 2, max_row=last_row, max_col=width):
        for cell in row:
            cell.border = _BOX


def _add_chart(sheet, png: bytes | None, row: int) -> None:
    if not png:
        return
    image = Image(BytesIO(png))
    sheet.add_image(image, f"A{row}")


def _group_title(table: Table, indicator, period) -> str:
    name = indicator.name + (f" ({indicator.measure})" if indicator.measure else "")
    if len(table.periods) == 1:
        return name
    if len(table.indicators) == 1:
        return period.label
    return f"{name} – {period.label}"


def table_workbook(table: Table, *, title: str, subtitle: str, chart_png: bytes | None) -> bytes:
    """The roll-up table: a title, two header rows, one row per child and the bold total."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Số liệu")
    header_row = _heading(sheet, title, subtitle)
    groups, formats = [], []
    for indicator, period in table.columns:
        number = DECIMAL if decimals_of(indicator) else INTEGER
        if indicator.planned_id:
            groups.append(
                (
                    _group_title(table, indicator, period),
                    [_("Thực hiện"), _("Kế hoạch"), _("Đạt (%)")],
                )
            )
            formats.append((True, number))
        else:
            groups.append((_group_title(table, indicator, period), None))
            formats.append((False, number))
    width = _header_rows(sheet, header_row, groups)
    row_number = header_row + 2
    for row in table.rows:
        label = _("Tổng cộng: %(unit)s") % {"unit": row.unit.name} if row.is_total else None
        sheet.cell(row_number, 1, label or unit_label(row.unit))
        column = 2
        for cell, (planned, number) in zip(row.cells, formats, strict=True):
            column = _write_cell(sheet, row_number, column, cell, planned, number)
        if row.is_total:
            for target in sheet[row_number]:
                target.font = BOLD
        row_number += 1
    _layout(sheet, width, header_row, row_number - 1)
    _add_chart(sheet, chart_png, row_number + 1)
    return workbook_bytes(book)


def _write_cell(sheet, row: int, column: int, cell: Cell, planned: bool, number: str) -> int:
    target = sheet.cell(row, column, _number(cell.value))
    target.number_format = number
    if not planned:
        return column + 1
    plan = sheet.cell(row, column + 1, _number(cell.planned))
    plan.number_format = number
    rate = cell.rate
    share = sheet.cell(row, column + 2, _number(rate / 100, 6) if rate is not None else None)
    share.number_format = PERCENT
    return column + 3


def completeness_workbook(
    rows, late, *, own_label: str, title: str, subtitle: str, chart_png: bytes | None
) -> bytes:
    """Expected, received and on-time reports per child (and the total), then the late units."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tình hình báo cáo")
    header_row = _heading(sheet, title, subtitle)
    groups = [
        (_("Phải báo cáo"), None),
        (_("Đã gửi"), [_("Số báo cáo"), _("Tỷ lệ")]),
        (_("Đúng hạn"), [_("Số báo cáo"), _("Tỷ lệ")]),
    ]
    width = _header_rows(sheet, header_row, groups)
    row_number = header_row + 2
    for row in rows:
        if row.is_total:
            label = _("Tổng cộng: %(unit)s") % {"unit": row.unit.name}
        elif row.unit.pk == rows[-1].unit.pk:
            label = own_label
        else:
            label = unit_label(row.unit)
        values = [
            label,
            row.expected,
            row.received,
            _rate(row.received_rate),
            row.on_time,
            _rate(row.on_time_rate),
        ]
        for column, value in enumerate(values, start=1):
            target = sheet.cell(row_number, column, value)
            if column in (2, 3, 5):
                target.number_format = INTEGER
            elif column in (4, 6):
                target.number_format = PERCENT
            if row.is_total:
                target.font = BOLD
        row_number += 1
    _layout(sheet, width, header_row, row_number - 1)
    _add_chart(sheet, chart_png, row_number + 1)

    late_sheet = book.create_sheet(_("Đơn vị chậm"))
    late_sheet.append([_("Đơn vị"), _("Trực thuộc"), _("Kỳ báo cáo"), _("Hạn nộp")])
    for cell in late_sheet[1]:
        cell.font = BOLD
        cell.fill = HEAD_FILL
    for report in late:
        late_sheet.append(
            [
                unit_label(report.unit),
                report.unit.parent.name if report.unit.parent_id else "",
                Period.parse(report.period).label,
                report.obligation.due_on,
            ]
        )
        late_sheet.cell(late_sheet.max_row, 4).number_format = DATE
    late_sheet.column_dimensions["A"].width = 42
    late_sheet.column_dimensions["B"].width = 32
    late_sheet.column_dimensions["C"].width = 22
    late_sheet.column_dimensions["D"].width = 14
    return workbook_bytes(book)


def _rate(rate: Decimal | None):
    return _number(rate / 100, 6) if rate is not None else None
