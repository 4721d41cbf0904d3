"""Every write of the narrative reports: the schedule, the first draft, the saved versions and
the sending upward.

Keyword-only, one transaction, audited (`audit.services`). Who: `Action.CHANGE` at the report's
unit (`org.services.require`). A report's obligation is created and closed through
`deadlines.services` only; the level above is told through `notifications.services.handover`.
A sent report is read-only.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.core import stored_text
from tuyengiao.core.stored_text import Message
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    obligation_complete,
    obligations_create_many,
)
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.services import handover, site_language
from tuyengiao.org.models import Kind, Unit
from tuyengiao.org.scope import Action
from tuyengiao.org.services import require
from tuyengiao.periods import Period

from .models import NarrativeReport, NarrativeSchedule, NarrativeState, NarrativeVersion

MAX_SECTIONS = 40
MAX_TEXT = 60_000  # one section's prose
MAX_NOTE = NarrativeVersion._meta.get_field("note").max_length
MAX_NUMBER = NarrativeReport._meta.get_field("number").max_length


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _by(actor):
    return actor if actor is not None and actor.is_authenticated else None


def title_of(period: Period) -> Message:
    """The obligation's title, kept to be shown in each reader's language."""
    return Message(
        gettext_noop("Báo cáo bằng văn bản %(period)s"), period=stored_text.period(period)
    )


# The schedule ----------------------------------------------------------------------------------


def due_on(schedule: NarrativeSchedule, period: Period) -> date:
    return period.end + timedelta(days=schedule.due_days)


def expected_units(schedule: NarrativeSchedule, period: Period):
    """The committees of the schedule's levels open at the period's end."""
    return (
        Unit.objects.filter(level__in=schedule.levels, kind=Kind.COMMITTEE)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.end))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
    )


def ended_periods(schedule: NarrativeSchedule, today: date) -> list[Period]:
    """The periods from the first one to the last that has begun (a report is drafted while its
    period runs and sent after it ends)."""
    first = Period.parse(schedule.first_period)
    current = Period.of(schedule.period_kind, today)
    if first.kind != schedule.period_kind or current < first:
        return []
    return Period.range(first, current)


def _schedule_one(schedule: NarrativeSchedule, today: date, actor) -> int:
    created = 0
    for period in ended_periods(schedule, today):
        have = set(
            NarrativeReport.objects.filter(period=period.id).values_list("unit_id", flat=True)
        )
        units = [u for u in expected_units(schedule, period).only("pk", "path") if u.pk not in have]
        if not units:
            continue
        reports = NarrativeReport.objects.bulk_create(
            [NarrativeReport(unit=u, period=period.id).fill_path() for u in units],
            batch_size=2000,
        )
        obligations = obligations_create_many(
            actor=actor,
            items=[
                NewObligation(
                    unit=r.unit,
                    kind=ObligationKind.NARRATIVE,
                    title=title_of(period),
                    due_on=due_on(schedule, period),
                    source=r,
                )
                for r in reports
            ],
            verb="schedule",
            permitted=True,  # the schedule (an administrator's setting) makes them owed
        )
        for report, obligation in zip(reports, obligations, strict=True):
            report.obligation = obligation
        NarrativeReport.objects.bulk_update(reports, ["obligation"], batch_size=2000)
        record_many(actor, AuditAction.CREATE, reports, verb="schedule")
        created += len(reports)
    return created


@transaction.atomic
def narratives_schedule(today: date | None = None, *, actor=None) -> int:
    """For each active schedule, the report (and its obligation) each committee of its levels
    owes for each period from the first that has begun. Safe to run again: only what is
    missing is created."""
    today = _today(today)
    return sum(
        _schedule_one(schedule, today, actor)
        for schedule in NarrativeSchedule.objects.filter(active=True)
    )


# Drafting and versions -------------------------------------------------------------------------


def _check_editable(report: NarrativeReport) -> None:
    if report.is_sent:
        raise ValidationError(_("Báo cáo đã gửi cấp trên, không sửa được nữa."))


def _next_n(report: NarrativeReport) -> int:
    return (report.versions.aggregate(n=Max("n"))["n"] or 0) + 1


@transaction.atomic
def narrative_open(
    *, actor, unit: Unit, period: Period, today: date | None = None
) -> NarrativeReport:
    """The unit's report for the period, created when the unit has none yet (a report written
    outside the schedule owes nothing); not for a period that has not begun."""
    require(actor, Action.CHANGE, unit)
    report = NarrativeReport.objects.filter(unit=unit, period=period.id).first()
    if report is not None:
        return report
    if period.start > _today(today):
        raise ValidationError({"period": _("Kỳ báo cáo chưa bắt đầu.")})
    try:
        with transaction.atomic():
            report = NarrativeReport(unit=unit, period=period.id).fill_path()
            report.save()
    except IntegrityError:  # opened by someone else at the same moment
        return NarrativeReport.objects.get(unit=unit, period=period.id)
    record(actor, AuditAction.CREATE, report)
    return report


@transaction.atomic
def narrative_draft(
    *, actor, report: NarrativeReport, today: date | None = None, sections=None
) -> NarrativeVersion:
    """A new version drafted from the data (`drafting.draft`) as the user sees it."""
    from .drafting import draft

    require(actor, Action.CHANGE, report.unit)
    _check_editable(report)
    if sections is None:
        sections = draft(actor, report.unit, report.period_obj, _today(today))
    version = NarrativeVersion.objects.create(
        report=report,
        n=_next_n(report),
        sections=sections,
        note=_("Soạn từ số liệu"),
        created_by=_by(actor),
    )
    record(actor, AuditAction.CREATE, version, verb="draft")
    return version


def clean_sections(base: list[dict], edits: list[dict]) -> list[dict]:
    """The sections of `base` with each edited one's text and `kept` replaced; an edit names
    its section by `key`. The facts and tables stay those of the data (the text is the
    user's). ValidationError by field for what cannot be read."""
    if not isinstance(edits, list) or len(edits) > MAX_SECTIONS:
        raise ValidationError({"sections": _("Nội dung báo cáo không đọc được.")})
    by_key = {s["key"]: s for s in base}
    result = [dict(s) for s in base]
    index = {s["key"]: i for i, s in enumerate(result)}
    for edit in edits:
        if not isinstance(edit, dict) or edit.get("key") not in by_key:
            raise ValidationError({"sections": _("Báo cáo không có mục này.")})
        section = result[index[edit["key"]]]
        if "text" in edit:
            text = edit["text"]
            if not isinstance(text, str) or len(text) > MAX_TEXT:
                raise ValidationError(
                    {"sections": _("Nội dung một mục dài quá %(n)s ký tự.") % {"n": MAX_TEXT}}
                )
            section["text"] = text.replace("\r\n", "\n").strip()
            section["edited"] = True
        if "kept" in edit:
            if not isinstance(edit["kept"], bool):
                raise ValidationError({"sections": _("Giữ hay bỏ bảng: chọn có hoặc không.")})
            section["kept"] = edit["kept"]
    return result


@transaction.atomic
def version_save(
    *, actor, report: NarrativeReport, edits: list[dict], note: str = ""
) -> NarrativeVersion:
    """A new version: the latest one with the user's rewritten prose and kept tables."""
    require(actor, Action.CHANGE, report.unit)
    _check_editable(report)
    latest = report.versions.order_by("-n").first()
    if latest is None:
        raise ValidationError(_("Hãy soạn báo cáo từ số liệu trước."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("Ghi chú tối đa %(n)s ký tự.") % {"n": MAX_NOTE}})
    version = NarrativeVersion.objects.create(
        report=report,
        n=latest.n + 1,
        sections=clean_sections(latest.sections, edits),
        note=note,
        created_by=_by(actor),
    )
    record(actor, AuditAction.CREATE, version, verb="edit")
    return version


# Sending upward --------------------------------------------------------------------------------


@transaction.atomic
def narrative_send(
    *, actor, report: NarrativeReport, number: str = "", today: date | None = None
) -> NarrativeReport:
    """Send the report to the level above: it becomes read-only, its obligation closes on
    `today`, and the parent unit's acting people are told once."""
    require(actor, Action.CHANGE, report.unit)
    today = _today(today)
    report = NarrativeReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
    _check_editable(report)
    if not report.versions.exists():
        raise ValidationError(_("Báo cáo chưa có nội dung: hãy soạn trước khi gửi."))
    number = (number or report.number or "").strip()
    if not number:
        raise ValidationError({"number": _("Hãy ghi số báo cáo trước khi gửi.")})
    if len(number) > MAX_NUMBER:
        raise ValidationError({"number": _("Số báo cáo tối đa %(n)s ký tự.") % {"n": MAX_NUMBER}})
    if today < report.period_obj.start:
        raise ValidationError(_("Kỳ báo cáo chưa bắt đầu."))
    before = snapshot(report)
    report.number = number
    report.state = NarrativeState.SENT
    report.sent_on = today
    report.sent_by = _by(actor)
    report.save(update_fields=["number", "state", "sent_on", "sent_by"])
    record(actor, AuditAction.UPDATE, report, before=before, verb="send")
    if report.obligation_id and report.obligation.done_on is None:
        obligation_complete(actor=actor, obligation=report.obligation, done_on=today)
    parent = report.unit.parent
    if parent is not None:
        with site_language():
            title = Message(
                gettext_noop("%(unit)s đã gửi báo cáo %(period)s"),
                unit=report.unit.name,
                period=stored_text.period(report.period_obj),
            )
            body = _("Báo cáo số %(number)s, gửi ngày %(day)s.") % {
                "number": number,
                "day": today.strftime("%d/%m/%Y"),
            }
        handover(
            to_units=[parent],
            kind=NotificationKind.NARRATIVE_SENT,
            title=title,
            body=body,
            url=report.get_absolute_url(),
            source=report,
            event="send",
            actor=actor,
        )
    return report
