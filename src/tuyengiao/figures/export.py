"""Roll-up tables and completeness as Excel workbooks, built with the toolkit (`reports.xlsx`).

Numbers are written as numbers with number formats (never as text), a plan-vs-actual cell as
three columns (actual, planned, rate), and the chart of the page as a PNG image drawn by the
same chart function. Each sheet says what, where and when above its table and is set up to be
read and printed as delivered (`reports.xlsx.set_up`).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tuyengiao.core.period_names import period_label
from tuyengiao.org.models import Unit
from tuyengiao.reports import xlsx
from tuyengiao.reports.xlsx import DATE, DECIMAL, INTEGER, PERCENT
from tuyengiao.text import format_date

from .queries import Cell, Table, decimals_of, own_label


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


def _header_rows(sheet, first_row: int, groups: list[tuple[str, list[str] | None]]) -> int:
    """Two header rows: a group title over its sub-columns, or one title over both rows."""
    xlsx.put(sheet, first_row, 1, _("Đơn vị"))
    sheet.merge_cells(start_row=first_row, start_column=1, end_row=first_row + 1, end_column=1)
    column = 2
    for title, subs in groups:
        xlsx.put(sheet, first_row, column, title)
        if subs:
            for offset, sub in enumerate(subs):
                xlsx.put(sheet, first_row + 1, column + offset, sub)
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
            xlsx.head(cell, box=True)
    return column - 1


def _group_title(table: Table, indicator, period) -> str:
    name = indicator.name + (f" ({indicator.measure})" if indicator.measure else "")
    if len(table.periods) == 1:
        return name
    if len(table.indicators) == 1:
        return period_label(period)
    return f"{name} – {period_label(period)}"


def table_workbook(
    table: Table,
    *,
    title: str,
    when: str,
    chart_png: bytes | None,
    day: date | None = None,
) -> bytes:
    """The roll-up table: its title (what, the unit, `when` and the day of export), two header
    rows, one row per child and the bold total, the chart below."""
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Số liệu"))
    header_row = xlsx.title_rows(sheet, title, table.unit.name, when, day=day)
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
        if row.is_total:
            label = _("Tổng cộng: %(unit)s") % {"unit": row.unit.name}
        else:
            label = own_label(row.unit) if row.own else unit_label(row.unit)
        xlsx.put(sheet, row_number, 1, label, bold=row.is_total)
        column = 2
        for cell, (planned, number) in zip(row.cells, formats, strict=True):
            column = _write_cell(sheet, row_number, column, cell, planned, number, row.is_total)
        row_number += 1
    xlsx.box(sheet, (header_row + 2, row_number - 1), (1, width))
    xlsx.set_up(sheet, header=(header_row, header_row + 1))
    xlsx.add_image(sheet, chart_png, row_number + 1)
    return xlsx.workbook_bytes(book)


def _write_cell(
    sheet, row: int, column: int, cell: Cell, planned: bool, number: str, bold: bool
) -> int:
    xlsx.put(sheet, row, column, cell.value, number_format=number, bold=bold)
    if not planned:
        return column + 1
    xlsx.put(sheet, row, column + 1, cell.planned, number_format=number, bold=bold)
    xlsx.put(sheet, row, column + 2, xlsx.fraction(cell.rate), number_format=PERCENT, bold=bold)
    return column + 3


def completeness_workbook(
    rows,
    late,
    *,
    own_label: str,
    title: str,
    when: str,
    chart_png: bytes | None,
    day: date | None = None,
) -> bytes:
    """Expected, received and on-time reports per child (and the total), then the late units.
    The unit is the total row's."""
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Tình hình báo cáo"))
    where = rows[-1].unit.name
    header_row = xlsx.title_rows(sheet, title, where, when, day=day)
    groups = [
        (_("Phải báo cáo"), None),
        (_("Đã gửi"), [_("Số báo cáo"), _("Tỷ lệ")]),
        (_("Đúng hạn"), [_("Số báo cáo"), _("Tỷ lệ")]),
    ]
    width = _header_rows(sheet, header_row, groups)
    formats = {2: INTEGER, 3: INTEGER, 4: PERCENT, 5: INTEGER, 6: PERCENT}
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
            xlsx.fraction(row.received_rate),
            row.on_time,
            xlsx.fraction(row.on_time_rate),
        ]
        xlsx.put_row(sheet, row_number, values, formats=formats, bold=row.is_total)
        row_number += 1
    xlsx.box(sheet, (header_row + 2, row_number - 1), (1, width))
    xlsx.set_up(sheet, header=(header_row, header_row + 1))
    xlsx.add_image(sheet, chart_png, row_number + 1)

    late_sheet = book.create_sheet(_("Đơn vị chậm"))
    late_title = _("Đơn vị gửi báo cáo chậm – %(title)s") % {"title": title}
    header_row = xlsx.title_rows(late_sheet, late_title, where, when, day=day)
    xlsx.header_row(
        late_sheet, header_row, [_("Đơn vị"), _("Trực thuộc"), _("Kỳ báo cáo"), _("Hạn nộp")]
    )
    for report in late:
        xlsx.add_row(
            late_sheet,
            [
                unit_label(report.unit),
                report.unit.parent.name if report.unit.parent_id else "",
                period_label(report.period),
                report.obligation.due_on,
            ],
            formats={4: DATE},
        )
    xlsx.set_up(late_sheet, header=(header_row, header_row))
    return xlsx.workbook_bytes(book)
