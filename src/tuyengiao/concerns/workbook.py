"""The public-concerns overview and summaries as Excel workbooks: one sheet a table, numbers as
numbers, the weekly chart under its table, and a summary's text on a sheet of its own."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from tuyengiao.org.models import Unit
from tuyengiao.reports import xlsx
from tuyengiao.reports.xlsx import DECIMAL, INTEGER, ONE_DECIMAL, PERCENT, WHOLE_PERCENT

from . import stats
from .stats import Grid, Resolution, Rising, Span
from .summary import HEADING, WEEK, chart_title, facts, span_text, title_of, weekly_chart


def _sheet(book, name: str, title: str, where: str, when: str, headers: list[str], day):
    """A sheet with its title rows (what, where, when, the day of export) and header row."""
    sheet = book.create_sheet(name[:31])
    header_row = xlsx.title_rows(sheet, title, where, when, day=day)
    xlsx.header_row(sheet, header_row, headers)
    return sheet


def _finish(sheet) -> None:
    # The label column stays in view however many topics or weeks there are.
    xlsx.set_up(sheet, label_columns=1)


def _filter(sheet, rows: int) -> None:
    """Excel's filter on the header row over the rows before the total: every place is in the
    workbook, and one filters out the empty ones there (the page shows only those with data)."""
    if rows:
        last = sheet.cell(xlsx.HEADER_ROW, sheet.max_column).column_letter
        sheet.auto_filter.ref = f"A{xlsx.HEADER_ROW}:{last}{xlsx.HEADER_ROW + rows}"


def _grid_sheet(book, name: str, grid: Grid, title: str, where, when, day, png=None):
    headers = [grid.corner, *grid.columns, _("Tổng số")]
    sheet = _sheet(book, name, title, where, when, headers, day)
    integers = dict.fromkeys(range(2, len(grid.columns) + 3), INTEGER)
    for line in grid.lines:
        values = [line.label, *line.values, line.total]
        xlsx.add_row(sheet, values, formats=integers, bold=line.is_total)
    if len(grid.lines) > 2:
        _filter(sheet, len(grid.lines) - 1)
    _finish(sheet)
    xlsx.add_image(sheet, png, sheet.max_row + 2)
    return sheet


def _float(value: Decimal | None):
    return float(value) if value is not None else None


def _rising_sheet(book, rising: list[Rising], kind: str, title: str, where, when, day) -> None:
    now = _("Tuần này") if kind == WEEK else _("Tháng này")
    before = _("Trung bình bốn tuần trước") if kind == WEEK else _("Trung bình bốn tháng trước")
    headers = [_("Lĩnh vực"), now, before, _("Tăng"), _("Tăng (%)")]
    sheet = _sheet(book, _("Lĩnh vực tăng"), title, where, when, headers, day)
    formats = {2: INTEGER, 3: DECIMAL, 4: DECIMAL, 5: WHOLE_PERCENT}
    for item in rising:
        change = float(item.change) / 100 if item.change is not None else None
        values = [item.topic.name, item.count, float(item.average), float(item.difference), change]
        xlsx.add_row(sheet, values, formats=formats)
    _finish(sheet)
    xlsx.put(
        sheet,
        sheet.max_row + 2,
        1,
        _("Quy tắc: ít nhất 2 phản ánh và gấp 1,5 lần trở lên so với trung bình."),
    )


def _resolution_sheet(book, rows: list[Resolution], title: str, where, when, day) -> None:
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
    sheet = _sheet(book, _("Giải quyết"), title, where, when, headers, day)
    formats = {2: INTEGER, 3: INTEGER, 4: PERCENT, 5: INTEGER, 6: INTEGER, 7: PERCENT}
    formats |= {8: ONE_DECIMAL, 9: ONE_DECIMAL}
    for row in rows:
        values = [
            row.label,
            row.due,
            row.resolved_on_time,
            xlsx.fraction(row.resolved_share),
            row.answer_due,
            row.answered_on_time,
            xlsx.fraction(row.answered_share),
            _float(row.answer_median),
            _float(row.resolve_median),
        ]
        xlsx.add_row(sheet, values, formats=formats, bold=row.is_total)
    if len(rows) > 2:
        _filter(sheet, len(rows) - 1)
    _finish(sheet)


def overview_workbook(
    overview: stats.Overview, chart_png: bytes | None = None, day: date | None = None
) -> bytes:
    """The overview page's tables, one sheet each, the chart under the weekly table."""
    book = xlsx.new_workbook()
    about = (overview.unit.name, overview.span, day)  # where, when, the day of export
    _grid_sheet(
        book,
        _("Theo tuần"),
        overview.by_week,
        _("Số phản ánh theo lĩnh vực và tuần"),
        *about,
        chart_png,
    )
    _grid_sheet(
        book,
        _("Theo địa bàn"),
        overview.by_place,
        _("Số phản ánh theo địa bàn và lĩnh vực"),
        *about,
    )
    rising_title = _("Lĩnh vực tăng: %(week)s") % {"week": overview.weeks[-1].label}
    _rising_sheet(book, overview.rising, WEEK, rising_title, *about)
    _resolution_sheet(book, overview.resolution, _("Trả lời, giải quyết trong hạn"), *about)
    return xlsx.workbook_bytes(book)


def _text_sheet(book, text: str, title: str, where, when, day) -> None:
    """The summary's text, a paragraph a row, the headings bold."""
    sheet = book.create_sheet(_("Báo cáo"))
    xlsx.title_rows(sheet, title, where, when, day=day)
    width = 100.0
    paragraphs = (x.strip() for x in text.splitlines() if x.strip())
    for number, line in enumerate(paragraphs, start=xlsx.HEADER_ROW):
        cell = xlsx.put(sheet, number, 1, line, bold=bool(HEADING.match(line)))
        cell.alignment = xlsx.TEXT_WRAP
        xlsx.fit_height(sheet, number, widths={1: width})
    xlsx.set_up(sheet, header=None, widths={1: width}, wide=False)


def summary_workbook(
    unit: Unit, kind: str, span: Span, text: str, day: date | None = None
) -> bytes:
    """The summary's text, then its tables (places × topics, topics × weeks with the chart,
    rising topics, answers and resolutions in time)."""
    f = facts(unit, kind, span, today=day)
    book = xlsx.new_workbook()
    title = _("Báo cáo %(title)s") % {"title": title_of(kind, span)}
    about = (unit.name, span_text(kind, span), day)  # where, when, the day of export
    _text_sheet(book, text, title, *about)
    _grid_sheet(book, _("Theo địa bàn"), f.grid, _("Số phản ánh theo địa bàn và lĩnh vực"), *about)
    png = None
    if not f.by_week.is_empty:
        png = weekly_chart(f.by_week, f.weeks, "png", title=chart_title(unit))
    _grid_sheet(
        book, _("Theo tuần"), f.by_week, _("Số phản ánh theo lĩnh vực và tuần"), *about, png
    )
    _rising_sheet(book, f.rising, kind, _("Lĩnh vực tăng"), *about)
    _resolution_sheet(book, f.resolution, _("Trả lời, giải quyết trong hạn"), *about)
    return xlsx.workbook_bytes(book)
