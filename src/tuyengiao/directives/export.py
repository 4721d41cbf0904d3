"""A directive's progress as an Excel workbook, built with the toolkit (`reports.xlsx`).

Two sheets: "Tiến độ", the matrix of the page (one row per child unit and the total; per step
the count of receivers in each of the four states; attendance), and "Đơn vị chậm", the late
steps. Each says which document, for which unit and when, above its table.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tuyengiao.deadlines.models import State
from tuyengiao.reports import xlsx
from tuyengiao.reports.xlsx import DATE
from tuyengiao.text import search_key

from .models import Directive, StepKind
from .queries import Matrix


def _state_header(state: State, step: str) -> str:
    """The column of one step and one of the four states: "Học tập, quán triệt: đúng hạn"."""
    headers = {
        State.DONE_ON_TIME: _("%(step)s: hoàn thành đúng hạn"),
        State.DONE_LATE: _("%(step)s: hoàn thành trễ hạn"),
        State.PENDING: _("%(step)s: còn hạn"),
        State.OVERDUE: _("%(step)s: quá hạn"),
    }
    return headers[state] % {"step": step}


def file_stem(directive: Directive) -> str:
    """ "tien-do-01-kl_tw": the download's name without ".xlsx"."""
    return f"tien-do-{search_key(directive.symbol.replace('/', '_'))}"


def matrix_workbook(
    directive: Directive, matrix: Matrix, late_steps, *, day: date | None = None
) -> bytes:
    """The matrix of `matrix.unit`'s children × steps and the late steps (as the page lists
    them, already filtered and scoped)."""
    book = xlsx.new_workbook()
    what = f"{directive.symbol} — {directive.title}"
    where = matrix.unit.name

    sheet = book.create_sheet(_("Tiến độ"))
    header_row = xlsx.title_rows(sheet, what, where, day=day)
    headers = [_("Đơn vị")]
    for kind in matrix.kinds:
        label = StepKind(kind).label
        headers += [_state_header(state, label) for state in State]
    headers += [_("Số người dự"), _("Số người phải dự"), _("Tỷ lệ dự (%)")]
    xlsx.header_row(sheet, header_row, headers)
    for row in [*matrix.rows, matrix.total]:
        line = [row.unit.name if row is not matrix.total else _("Tổng cộng")]
        for kind in matrix.kinds:
            tally = row.cells.get(kind)
            counts = tally.counts if tally else {s.value: 0 for s in State}
            line += [counts[s.value] for s in State]
        rate = row.attendance_rate
        line += [row.attendees, row.expected, round(rate, 2) if rate is not None else None]
        xlsx.add_row(sheet, line, bold=row is matrix.total)
    xlsx.set_up(sheet)

    late = book.create_sheet(_("Đơn vị chậm"))
    late_what = _("Đơn vị chậm: %(directive)s") % {"directive": what}
    header_row = xlsx.title_rows(late, late_what, where, day=day)
    xlsx.header_row(
        late,
        header_row,
        [_("Đơn vị"), _("Trực thuộc"), _("Bước"), _("Hạn"), _("Ngày thực hiện")],
    )
    for step in late_steps:
        values = [
            step.unit.name,
            step.unit.parent.name if step.unit.parent else "",
            step.kind_label,
            step.due_on,
            step.done_on,
        ]
        xlsx.add_row(late, values, formats={4: DATE, 5: DATE})
    xlsx.set_up(late)
    return xlsx.workbook_bytes(book)
