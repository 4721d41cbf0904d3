"""The plan-against-actual workbook, written with the one Excel toolkit (`reports.xlsx`) from
what the page shows: one sheet per table (by programme, by centre, by unit), the numbers as
numbers and the Vietnamese sentence beside them."""

from datetime import date

from django.utils.translation import gettext as _

from tuyengiao.periods import Period
from tuyengiao.reports import xlsx
from tuyengiao.reports.xlsx import INTEGER, PERCENT
from tuyengiao.text import search_key

from .queries import Line, PlanVsActual


def stem(report: PlanVsActual) -> str:
    words = f"ke hoach lop boi duong {report.period.id} {report.unit.name}"
    return "-".join(search_key(words.replace("/", " ")).split()) or "ke-hoach"


def _headers(first: str) -> list[str]:
    return [
        first,
        _("Lớp kế hoạch"),
        _("Lớp đã mở"),
        _("Tỷ lệ lớp"),
        _("Học viên kế hoạch"),
        _("Học viên nhập học"),
        _("Tỷ lệ học viên"),
        _("Lớp đã bế giảng"),
        _("Học viên hoàn thành"),
        _("Tỷ lệ hoàn thành"),
        _("Lớp"),
        _("Học viên"),
        _("Hoàn thành"),
    ]


FORMATS = {
    2: INTEGER,
    3: INTEGER,
    4: PERCENT,
    5: INTEGER,
    6: INTEGER,
    7: PERCENT,
    8: INTEGER,
    9: INTEGER,
    10: PERCENT,
}


def _values(line: Line) -> list:
    f = line.figures
    return [
        line.label,
        f.classes_planned,
        f.classes,
        xlsx.fraction(f.classes_rate),
        f.learners_planned,
        f.enrolled,
        xlsx.fraction(f.learners_rate),
        f.closed,
        f.completed,
        xlsx.fraction(f.completion_rate),
        line.classes_text,
        line.learners_text,
        line.completion_text,
    ]


def _sheet(book, title: str, first: str, lines: list[Line], report: PlanVsActual, day, total):
    sheet = book.create_sheet(title[:31])
    where = report.unit.name
    when = Period.parse(report.period.id).label
    row = xlsx.title_rows(
        sheet,
        _("Kết quả mở lớp so với kế hoạch — %(what)s") % {"what": title},
        where,
        when,
        day=day,
    )
    xlsx.header_row(sheet, row, _headers(first))
    for line in lines:
        xlsx.add_row(sheet, _values(line), formats=FORMATS)
    if total is not None:
        xlsx.add_row(sheet, _values(total), formats=FORMATS, bold=True)
    xlsx.set_up(sheet, widths={1: 40, 11: 34, 12: 38, 13: 34})


def workbook(report: PlanVsActual, *, day: date | None = None) -> bytes:
    book = xlsx.new_workbook()
    _sheet(
        book,
        _("Theo chương trình"),
        _("Chương trình"),
        report.by_programme,
        report,
        day,
        report.total,
    )
    _sheet(book, _("Theo trung tâm"), _("Trung tâm"), report.by_centre, report, day, None)
    _sheet(book, _("Theo đơn vị"), _("Đơn vị"), report.by_unit, report, day, report.total)
    return xlsx.workbook_bytes(book)
