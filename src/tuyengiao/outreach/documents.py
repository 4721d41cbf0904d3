"""The workbooks outreach produces, made with the document toolkit (`reports/xlsx.py`): the
speakers' roster with their sessions in a period, the sessions of a period (by unit, by speaker,
each one), the exemplary models and the models counted by field and unit.

Each function takes what the page already read in the user's scope (queries.py) and writes
nothing else: a file never shows more than the page it is downloaded from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.period_names import period_label
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period
from tuyengiao.reports import xlsx
from tuyengiao.reports.xlsx import DATE, INTEGER
from tuyengiao.text import search_key

from . import queries
from .models import Exemplar, OutreachSession, Speaker

MAX_ROWS = 50_000  # rows of one sheet; a subtree has far fewer


def stem(*parts: str) -> str:
    """A download's name without its extension: "bao-cao-vien-xa-an-khanh-nam-2026"."""
    return "-".join(search_key(" ".join(parts).replace("/", " ")).split()) or "bao-cao-vien"


def _wrap(sheet, first_row: int, columns: Iterable[int]) -> None:
    """Long text (topics, descriptions) wraps in its column rather than widening it."""
    for column in columns:
        for line in sheet.iter_rows(
            min_row=first_row, max_row=sheet.max_row, min_col=column, max_col=column
        ):
            for cell in line:
                cell.alignment = xlsx.TEXT_WRAP


def _yes(flag: bool) -> str:
    return _("Có") if flag else ""


def _unit_label(row) -> str:
    if row.own:
        return _("%(unit)s (trực tiếp)") % {"unit": row.unit.name}
    return row.unit.name


# Speakers ------------------------------------------------------------------------------------


def roster_workbook(
    unit: Unit,
    speakers: Sequence[Speaker],
    counts: dict[int, queries.Count2],
    period: Period,
    *,
    today: date | None = None,
    idle_months: int = queries.IDLE_MONTHS,
    ending_days: int = queries.ENDING_DAYS,
) -> bytes:
    """One sheet: the speakers of the roster (as filtered on the page), each with their
    sessions and audience in `period`, the day of their latest session, and two flags: no
    session in the last `idle_months` months (serving today), term ending within
    `ending_days` days. A total row at the bottom."""
    today = today or timezone.localdate()
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Báo cáo viên"))
    where = unit.name
    when = _("Số buổi, người nghe: %(period)s") % {"period": period_label(period)}
    row = xlsx.title_rows(
        sheet, _("Danh sách báo cáo viên, tuyên truyền viên"), where, when, day=today
    )
    headers = [
        _("STT"),
        _("Họ và tên"),
        _("Chức vụ"),
        _("Loại"),
        _("Cấp"),
        _("Nhiệm kỳ"),
        _("Đơn vị"),
        _("Ngày bắt đầu"),
        _("Ngày kết thúc"),
        _("Buổi gần nhất"),
        _("Số buổi trong kỳ"),
        _("Lượt người nghe trong kỳ"),
        _("Không có buổi nào trong %(n)s tháng") % {"n": idle_months},
        _("Hết thời gian hoạt động trong %(n)s ngày tới") % {"n": ending_days},
    ]
    xlsx.header_row(sheet, row, headers)
    total = queries.Count2()
    formats = {8: DATE, 9: DATE, 10: DATE, 11: INTEGER, 12: INTEGER}
    for number, speaker in enumerate(speakers[:MAX_ROWS], start=1):
        count = counts.get(speaker.pk, queries.Count2())
        total.add(count)
        values = [
            number,
            speaker.full_name,
            speaker.position,
            str(speaker.get_kind_display()),
            str(speaker.get_level_display()),
            speaker.term,
            speaker.unit.name,
            speaker.starts_on,
            speaker.ends_on,
            speaker.last_session,
            count.sessions,
            count.audience,
            _yes(queries.is_idle(speaker, today)),
            _yes(queries.ends_soon(speaker, today, ending_days)),
        ]
        xlsx.add_row(sheet, values, formats=formats)
    xlsx.add_row(
        sheet,
        ["", _("Tổng cộng"), *[""] * 8, total.sessions, total.audience],
        formats={11: INTEGER, 12: INTEGER},
        bold=True,
    )
    xlsx.set_up(sheet, label_columns=2)
    return xlsx.workbook_bytes(book)


def roster_stem(unit: Unit, period: Period) -> str:
    return stem("bao cao vien", unit.name, period.id)


# Sessions ------------------------------------------------------------------------------------


def sessions_workbook(
    rollup: queries.Rollup,
    by_speaker: Sequence[dict],
    sessions: Iterable[OutreachSession],
    *,
    today: date | None = None,
) -> bytes:
    """Three sheets, as the page: the sessions and audience of the period by unit (the unit's
    own and each child's subtree, with the total), by speaker, and each session."""
    today = today or timezone.localdate()
    unit, when = rollup.unit, period_label(rollup.period) if rollup.period else ""
    book = xlsx.new_workbook()
    title = _("Buổi nói chuyện, thông tin thời sự")
    counts = [_("Số buổi"), _("Lượt người nghe")]
    numbers = {2: INTEGER, 3: INTEGER}

    by_unit = book.create_sheet(_("Theo đơn vị"))
    row = xlsx.title_rows(by_unit, title, unit.name, when, day=today)
    xlsx.header_row(by_unit, row, [_("Đơn vị"), *counts])
    for line in rollup.rows:
        values = [_unit_label(line), line.counts.sessions, line.counts.audience]
        xlsx.add_row(by_unit, values, formats=numbers)
    total = [_("Tổng số"), rollup.total.sessions, rollup.total.audience]
    xlsx.add_row(by_unit, total, formats=numbers, bold=True)
    xlsx.set_up(by_unit)

    speakers = book.create_sheet(_("Theo báo cáo viên"))
    row = xlsx.title_rows(speakers, title, unit.name, when, day=today)
    xlsx.header_row(speakers, row, [_("Báo cáo viên"), *counts])
    for line in by_speaker:
        values = [line["speaker__full_name"], line["sessions"], line["audience"] or 0]
        xlsx.add_row(speakers, values, formats=numbers)
    xlsx.set_up(speakers)

    listed = book.create_sheet(_("Các buổi"))
    row = xlsx.title_rows(listed, title, unit.name, when, day=today)
    xlsx.header_row(
        listed,
        row,
        [
            _("STT"),
            _("Ngày"),
            _("Báo cáo viên"),
            _("Đơn vị nghe"),
            _("Chủ đề"),
            _("Văn bản"),
            _("Hình thức"),
            _("Số người nghe"),
        ],
    )
    for number, session in enumerate(sessions, start=1):
        values = [
            number,
            session.held_on,
            session.speaker.full_name,
            session.unit.name,
            session.topic,
            session.document.symbol if session.document_id else "",
            str(session.get_mode_display()),
            session.audience,
        ]
        xlsx.add_row(listed, values, formats={2: DATE, 8: INTEGER})
    _wrap(listed, row + 1, [5])
    xlsx.set_up(listed, widths={5: 50})
    return xlsx.workbook_bytes(book)


def sessions_stem(unit: Unit, period: Period | None) -> str:
    return stem("buoi noi chuyen", unit.name, period.id if period else "")


# Exemplary models ----------------------------------------------------------------------------


def models_workbook(
    unit: Unit, models: Iterable[Exemplar], *, when: str = "", today: date | None = None
) -> bytes:
    """One sheet: the models of the list (as filtered on the page), with their decision, where
    they were replicated (how many places) and their description."""
    today = today or timezone.localdate()
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Mô hình, điển hình"))
    row = xlsx.title_rows(sheet, _("Mô hình, gương điển hình"), unit.name, when, day=today)
    xlsx.header_row(
        sheet,
        row,
        [
            _("STT"),
            _("Tên mô hình, điển hình"),
            _("Lĩnh vực"),
            _("Đơn vị"),
            _("Cấp công nhận"),
            _("Quyết định công nhận"),
            _("Ngày công nhận"),
            _("Nơi nhân rộng"),
            _("Mô tả"),
        ],
    )
    for number, model in enumerate(models, start=1):
        values = [
            number,
            model.name,
            model.area.name,
            model.unit.name,
            str(model.get_level_display()),
            model.decision.symbol,
            model.recognised_on,
            model.replicated,
            model.description,
        ]
        xlsx.add_row(sheet, values, formats={7: DATE, 8: INTEGER})
    _wrap(sheet, row + 1, [2, 9])
    xlsx.set_up(sheet, widths={2: 40, 9: 60}, label_columns=2)
    return xlsx.workbook_bytes(book)


def models_stem(unit: Unit) -> str:
    return stem("mo hinh dien hinh", unit.name)


def counts_workbook(
    counts: queries.ModelCounts, *, year: int | None = None, today: date | None = None
) -> bytes:
    """One sheet, as the page: for the unit (its own models) and each child (its subtree), the
    models by field of work, their total and the replications made there; a total row."""
    today = today or timezone.localdate()
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Theo lĩnh vực và đơn vị"))
    when = _("Công nhận năm %(year)d") % {"year": year} if year else ""
    row = xlsx.title_rows(
        sheet, _("Mô hình, điển hình theo lĩnh vực và đơn vị"), counts.unit.name, when, day=today
    )
    headers = [_("Đơn vị"), *(a.name for a in counts.areas), _("Tổng số"), _("Nơi nhân rộng")]
    xlsx.header_row(sheet, row, headers)
    numbers = {column: INTEGER for column in range(2, len(headers) + 1)}
    for line in counts.rows:
        values = [_unit_label(line), *line.cells, line.total, line.replications]
        xlsx.add_row(sheet, values, formats=numbers)
    total = [_("Tổng số"), *counts.cells, counts.total, counts.replications]
    xlsx.add_row(sheet, total, formats=numbers, bold=True)
    xlsx.set_up(sheet)
    return xlsx.workbook_bytes(book)


def counts_stem(unit: Unit, year: int | None) -> str:
    return stem("so mo hinh theo don vi", unit.name, str(year or ""))
