"""The files oversight produces, made with the document toolkit (`reports/`): the conclusion
notice as a Party document (DOCX), the annual plan and the open recommendations as workbooks.

Each function takes what the page already read in the user's scope (queries.py) and writes
nothing else: a file never shows more than the page it is downloaded from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.deadlines.models import State, state_of
from tuyengiao.org.models import Unit
from tuyengiao.reports import docx, party, xlsx
from tuyengiao.reports.xlsx import DATE, PERCENT
from tuyengiao.text import format_date, format_percent, search_key
from tuyengiao.text.collation import sorted_vi

from . import queries
from .models import Conclusion, Finding, FindingKind, Inspection, InspectionKind, Recommendation

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def stem(*parts: str) -> str:
    """A download's name without its extension: "thong-bao-ket-luan-20-tb-btgdvtu"."""
    return "-".join(search_key(" ".join(parts).replace("/", " ")).split()) or "tai-lieu"


# The conclusion notice -------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _names(units: Sequence[Unit]) -> str:
    return ", ".join(u.name for u in units)


def _opening(inspection: Inspection, visited: list[Unit], head) -> str:
    """What the inspection was: by whose decision, who, where, about what, when."""
    kind = InspectionKind(inspection.kind).label.lower()
    parts = []
    if inspection.decision_id:
        parts.append(
            _("Thực hiện Quyết định số %(symbol)s ngày %(day)s của %(issuer)s,")
            % {
                "symbol": inspection.decision.symbol,
                "day": format_date(inspection.decision.issued_on),
                "issuer": head.issuer,
            }
        )
    members = list(inspection.members.all())
    leader = next((m for m in members if m.duty == "head"), None)
    delegation = _("Đoàn %(kind)s") % {"kind": kind}
    if leader is not None:
        delegation = _("Đoàn %(kind)s do đồng chí %(name)s, %(position)s làm Trưởng đoàn,") % {
            "kind": kind,
            "name": leader.full_name,
            "position": leader.position or "—",
        }
    parts.append(
        _(
            "từ ngày %(start)s đến ngày %(end)s, %(delegation)s đã %(kind)s tại %(units)s "
            "về %(what)s."
        )
        % {
            "start": format_date(inspection.starts_on),
            "end": format_date(inspection.ends_on),
            "delegation": delegation,
            "kind": kind,
            "units": _names(visited),
            "what": _lower_first(inspection.content.rstrip(".")),
        }
    )
    text = " ".join(parts)
    text = text[:1].upper() + text[1:]
    if inspection.period_from and inspection.period_to:
        text += " " + _("Thời kỳ được kiểm tra: từ ngày %(start)s đến ngày %(end)s.") % {
            "start": format_date(inspection.period_from),
            "end": format_date(inspection.period_to),
        }
    return text


def _by_unit(findings: list[Finding], visited: list[Unit]) -> list[str]:
    """Findings as dash lines, the unit named when the inspection visited several."""
    several = len(visited) > 1
    return [f"- {f.unit.name}: {f.text}" if several else f"- {f.text}" for f in findings]


def conclusion_document(conclusion: Conclusion, user) -> docx.PartyDocument:
    """The conclusion notice in the Party's layout: what was inspected, the results, the
    shortcomings by field of work (recurring ones marked), the recommendations numbered with
    their unit and due date. What an inspected unit downloads holds its own findings and
    recommendations only (as its page shows; `queries.seen_in`)."""
    inspection = conclusion.inspection
    head = party.letterhead(inspection.unit, symbol=conclusion.notice.symbol, doc_type="TB")
    visited = [row.unit for row in queries.inspected_units(inspection)]
    findings = queries.seen_in(
        user, inspection, conclusion.findings.select_related("unit", "area").order_by("order")
    )
    recommendations = queries.seen_in(
        user, inspection, queries.recommendations_of(conclusion=conclusion)
    )
    kind = InspectionKind(inspection.kind).label.lower()
    sections = [
        docx.Section(
            "",
            [
                _opening(inspection, visited, head),
                _(
                    "Trên cơ sở báo cáo tự kiểm tra của đơn vị và kết quả làm việc, %(issuer)s "
                    "thông báo kết luận như sau:"
                )
                % {"issuer": head.issuer},
            ],
        )
    ]
    results = [f for f in findings if f.kind == FindingKind.RESULT]
    lines = [conclusion.results] if conclusion.results else []
    lines += _by_unit(results, visited)
    sections.append(docx.Section(_("I. KẾT QUẢ ĐẠT ĐƯỢC"), lines or [_("Không nêu.")]))

    shortcomings = [f for f in findings if f.kind == FindingKind.SHORTCOMING]
    counts = {
        unit.pk: queries.recurring_for_unit(unit, today=conclusion.issued_on)
        for unit in {f.unit for f in shortcomings}
    }
    areas: dict[int, list[Finding]] = {}
    for finding in shortcomings:
        areas.setdefault(finding.area_id, []).append(finding)
    lines = []
    ordered = sorted(areas.values(), key=lambda fs: (fs[0].area.position, fs[0].area.sort_key))
    for number, group in enumerate(ordered, start=1):
        lines.append(f"{number}. {group[0].area.name}")
        for finding in group:
            line = f"{finding.unit.name}: {finding.text}" if len(visited) > 1 else finding.text
            if counts.get(finding.unit_id, {}).get(finding.area_id, 0) >= 2:
                line += " " + _("(hạn chế lặp lại)")
            lines.append(f"- {line}")
    sections.append(docx.Section(_("II. HẠN CHẾ, KHUYẾT ĐIỂM"), lines or [_("Không nêu.")]))

    if recommendations:
        table = docx.Table(
            headers=[_("STT"), _("Đơn vị thực hiện"), _("Nội dung kiến nghị"), _("Hạn thực hiện")],
            rows=[[r.number, r.unit.name, r.text, format_date(r.due_on)] for r in recommendations],
            widths_cm=[1.3, 4.2, 8.0, 3.0],
        )
        items = [
            _(
                "Đề nghị các đơn vị thực hiện các kiến nghị sau và báo cáo kết quả, kèm tài liệu "
                "chứng minh, về %(issuer)s trước hạn:"
            )
            % {"issuer": head.issuer},
            table,
        ]
    else:
        items = [_("Không có kiến nghị.")]
    sections.append(docx.Section(_("III. KIẾN NGHỊ"), items))

    committee = party.committee_name(party.committee_of(inspection.unit))
    recipients = [f"- {unit.name}," for unit in visited]
    recipients += [
        _("- Thường trực %(committee)s (b/c),") % {"committee": committee},
        _("- Thành viên Đoàn %(kind)s,") % {"kind": kind},
        _("- Lưu Văn phòng."),
    ]
    return docx.PartyDocument(
        superior=head.superior,
        issuer=head.issuer,
        symbol=head.symbol,
        place=head.place,
        date=conclusion.issued_on,
        kind="THÔNG BÁO",
        title=_("kết luận %(title)s") % {"title": _lower_first(inspection.title)},
        sections=sections,
        recipients=recipients,
    )


def conclusion_docx(conclusion: Conclusion, user) -> bytes:
    return docx.render(conclusion_document(conclusion, user))


def conclusion_stem(conclusion: Conclusion) -> str:
    return stem("thong bao ket luan", conclusion.notice.symbol)


# The annual plan -------------------------------------------------------------------------------


def plan_workbook(progress: queries.PlanProgress, *, day: date | None = None) -> bytes:
    """The plan's items with what was carried out, the rate of the plan, and the visits made
    outside it (as the plan's page shows them)."""
    plan = progress.plan
    book = xlsx.new_workbook()
    sheet = book.create_sheet(_("Kế hoạch"))
    row = xlsx.title_rows(sheet, plan.title, plan.unit.name, str(plan.year), day=day)
    headers = [
        _("STT"),
        _("Tháng dự kiến"),
        _("Hình thức"),
        _("Nội dung"),
        _("Đơn vị được kiểm tra, giám sát"),
        _("Các cuộc đã tiến hành"),
        _("Đã thực hiện"),
    ]
    xlsx.header_row(sheet, row, headers)
    for number, item in enumerate(progress.items, start=1):
        units = "; ".join(u.name for u in item.units.all())
        visits = "; ".join(
            f"{format_date(i.starts_on)} ({i.get_state_display()})" for i in item.visits
        )
        done = _("Có") if item.carried_out else _("Chưa")
        values = [number, item.planned_month, str(item.get_kind_display()), item.content, units]
        xlsx.add_row(sheet, [*values, visits, done])
    last = sheet.max_row + 2
    rate = progress.done / progress.total if progress.total else None
    xlsx.put(sheet, last, 4, rate_text(progress), bold=True)
    xlsx.put(sheet, last + 1, 4, _("Tỷ lệ thực hiện"), bold=True)
    xlsx.put(sheet, last + 1, 5, rate, number_format=PERCENT)
    for line in sheet.iter_rows(min_row=row + 1, max_row=last - 2, min_col=4, max_col=5):
        for cell in line:
            cell.alignment = xlsx.TEXT_WRAP
    xlsx.set_up(sheet, widths={4: 50, 5: 30})

    outside = book.create_sheet(_("Ngoài kế hoạch"))
    what = _("Kiểm tra, giám sát ngoài kế hoạch năm %(year)s") % {"year": plan.year}
    row = xlsx.title_rows(outside, what, plan.unit.name, day=day)
    xlsx.header_row(
        outside,
        row,
        [_("STT"), _("Tên cuộc"), _("Hình thức"), _("Đơn vị được kiểm tra"), _("Từ ngày")]
        + [_("Đến ngày"), _("Trạng thái")],
    )
    for number, inspection in enumerate(progress.outside, start=1):
        units = "; ".join(r.unit.name for r in inspection.inspected.all())
        values = [number, inspection.title, str(inspection.get_kind_display()), units]
        values += [inspection.starts_on, inspection.ends_on, str(inspection.get_state_display())]
        xlsx.add_row(outside, values, formats={5: DATE, 6: DATE})
    xlsx.set_up(outside)
    return xlsx.workbook_bytes(book)


def plan_stem(plan) -> str:
    return stem("ke hoach kiem tra giam sat", str(plan.year), plan.unit.name)


# Open recommendations --------------------------------------------------------------------------


def _origin(rec: Recommendation) -> str:
    if rec.conclusion_id:
        return _("Thông báo %(symbol)s") % {"symbol": rec.conclusion.notice.symbol}
    return rec.conference.title


def open_workbook(
    unit: Unit,
    matrix: queries.Matrix,
    open_rows: Sequence[Recommendation],
    *,
    today: date | None = None,
) -> bytes:
    """Two sheets: "Theo đơn vị", the roll-up of the page (each unit below with the four
    states), and "Chưa hoàn thành", every recommendation of the subtree not yet accepted, most
    overdue first, with where it stands."""
    today = today or timezone.localdate()
    book = xlsx.new_workbook()
    title = _("Theo dõi thực hiện kiến nghị")
    sheet = book.create_sheet(_("Theo đơn vị"))
    since = _("Chưa hoàn thành và hoàn thành từ %(day)s") % {"day": format_date(matrix.since)}
    row = xlsx.title_rows(sheet, title, unit.name, since, day=today)
    headers = [_("Đơn vị"), *(str(State(s).label) for s in State), _("Tổng số")]
    headers.append(_("Tỷ lệ hoàn thành đúng hạn"))
    xlsx.header_row(sheet, row, headers)
    for line in [*matrix.rows, None]:
        tally = matrix.total if line is None else line.tally
        label = _("Tổng cộng") if line is None else line.unit.name
        if line is not None and line.own:
            label = _("%(unit)s (trực tiếp)") % {"unit": line.unit.name}
        counts = [tally.counts[s.value] for s in State]
        done = counts[0] + counts[1]
        rate = counts[0] / done if done else None
        xlsx.add_row(
            sheet,
            [label, *counts, sum(counts), rate],
            formats={len(headers): PERCENT},
            bold=line is None,
        )
    xlsx.set_up(sheet)

    listed = book.create_sheet(_("Chưa hoàn thành"))
    row = xlsx.title_rows(listed, _("Kiến nghị chưa hoàn thành"), unit.name, day=today)
    xlsx.header_row(
        listed,
        row,
        [
            _("STT"),
            _("Đơn vị thực hiện"),
            _("Nội dung kiến nghị"),
            _("Lĩnh vực công tác"),
            _("Xuất phát từ"),
            _("Đơn vị ban hành"),
            _("Hạn thực hiện"),
            _("Tình trạng hạn"),
            _("Số ngày quá hạn"),
            _("Tiến trình"),
            _("Ngày báo cáo"),
        ],
    )
    ordered = sorted_vi(open_rows, key=lambda r: r.unit.name)
    ordered.sort(key=lambda r: r.due_on)
    for number, rec in enumerate(ordered, start=1):
        state = state_of(rec.due_on, rec.done_on, today)
        late = (today - rec.due_on).days if state == State.OVERDUE else None
        issuer = rec.conclusion.inspection.unit if rec.conclusion_id else rec.conference.unit
        values = [
            number,
            rec.unit.name,
            rec.text,
            rec.area.name if rec.area_id else "",
            _origin(rec),
            issuer.name,
            rec.due_on,
            str(state.label),
            late,
            str(rec.get_state_display()),
            rec.reported_on,
        ]
        xlsx.add_row(listed, values, formats={7: DATE, 11: DATE})
    for line in listed.iter_rows(min_row=row + 1, max_row=listed.max_row, min_col=3, max_col=3):
        for cell in line:
            cell.alignment = xlsx.TEXT_WRAP
    xlsx.set_up(listed, widths={3: 50})
    return xlsx.workbook_bytes(book)


def open_stem(unit: Unit) -> str:
    return stem("kien nghi chua hoan thanh", unit.name)


def rate_text(progress: queries.PlanProgress) -> str:
    """ "Đã thực hiện 9/12 cuộc theo kế hoạch, đạt 75%"."""
    if not progress.total:
        return _("Kế hoạch chưa có nội dung.")
    return _("Đã thực hiện %(done)s/%(total)s cuộc theo kế hoạch, đạt %(rate)s.") % {
        "done": progress.done,
        "total": progress.total,
        "rate": format_percent(progress.percent, 0),
    }
