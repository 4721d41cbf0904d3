"""Every write of oversight, and its rules: plans, inspections from decision to conclusion,
recommendations followed to the end, conferences.

The procedure (Quyết định 331-QĐ/TW, 2025): prepare (plan, decision setting up the delegation)
→ announce (the inspected units owe a self-inspection report by a date) → conduct (the record of
the working session) → conclude (the conclusion notice: results, shortcomings by field of work,
recommendations). Limits: at most 45 days for an inspection by a province-level office (and
above), 20 days below it (the level directly above the grassroots), extendable by a third with a
reason; at most 5 past years inspected.

A recommendation (or a conference's task) is an obligation of the unit it is addressed to. The
unit reports what it did, with evidence; the issuing office accepts it — the obligation closes
on the date the unit reported — or returns it with a reason, and it stays open (and late). It
never closes otherwise: its obligation kind is not closable by hand on the deadlines pages.

Every function checks who may do it, writes, audits and tells the other unit (`handover`) in
one transaction. Who: `Action.INSPECT` at the inspecting (issuing) unit to plan, record,
conclude, accept and return; `Action.CHANGE` at the inspected (addressed) unit to upload its
self-inspection report and to report on a recommendation.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.core.files import DOCUMENTS, FileRefused, check_upload, named_for
from tuyengiao.core.privacy import refuse_personal_data
from tuyengiao.core.stored_text import Message, label
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    obligation_complete,
    obligations_create_many,
)
from tuyengiao.directives.models import Directive
from tuyengiao.directives.services import add_months, document_register
from tuyengiao.figures import sources
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.services import handover, site_language
from tuyengiao.org.models import Level, Unit
from tuyengiao.org.scope import Action, in_scope
from tuyengiao.org.services import require
from tuyengiao.text import format_date, nfc

from .models import (
    DECIDED_KINDS,
    Conclusion,
    Conference,
    DelegationMember,
    DelegationRole,
    Finding,
    FindingKind,
    InspectedUnit,
    Inspection,
    InspectionKind,
    InspectionPlan,
    InspectionState,
    OversightSettings,
    PlanItem,
    Recommendation,
    RecommendationState,
    WorkArea,
)

MAX_FILE_BYTES = 20 * 1024 * 1024

# Quyết định 331-QĐ/TW: the longest an inspection may last, by the inspecting unit's level —
# 45 days at the province (and the centre), 20 at the level directly above the grassroots (the
# commune since 1 July 2025, the district before it) and below.
DURATION_DAYS = {
    Level.CENTRAL: 45,
    Level.PROVINCE: 45,
    Level.DISTRICT: 20,
    Level.COMMUNE: 20,
    Level.CELL: 20,
}
PERIOD_YEARS = 5  # at most the 5 past years are inspected

DECISION_TYPES = frozenset({"QĐ"})
NOTICE_TYPES = frozenset({"TB", "KL"})


def duration_limit(level: str, *, extended: bool = False) -> int:
    """The most days an inspection by a unit of `level` may last (extended: by a third more)."""
    days = DURATION_DAYS[Level(level)]
    return days + days // 3 if extended else days


def _refuse() -> None:
    raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _text(value: str | None) -> str:
    return nfc((value or "").strip())


def _checked_file(upload, field: str):
    """A PDF or Word file by its content, at most 20 MB, named with its real extension."""
    try:
        kind = check_upload(upload, DOCUMENTS, max_bytes=MAX_FILE_BYTES)
    except FileRefused as exc:
        raise ValidationError({field: str(exc)}) from exc
    return named_for(upload, kind)


def _no_personal_data(**texts: str) -> None:
    """The delegation is named by names and positions only: no phone, ID number or e-mail."""
    refuse_personal_data(**texts)


# Settings ------------------------------------------------------------------------------------


@transaction.atomic
def settings_set(*, actor, unit: Unit, recurrence_years: int) -> OversightSettings:
    """The office's window of years for recurring shortcomings, for its subtree."""
    require(actor, Action.INSPECT, unit)
    found = OversightSettings.objects.filter(unit=unit).first()
    before = snapshot(found) if found else None
    settings = found or OversightSettings(unit=unit)
    settings.recurrence_years = recurrence_years
    settings.fill_path()
    settings.full_clean()
    settings.save()
    record(actor, AuditAction.UPDATE if found else AuditAction.CREATE, settings, before=before)
    return settings


# Plans ---------------------------------------------------------------------------------------


def _below(unit: Unit, units: Iterable[Unit], field: str) -> list[Unit]:
    """`units`, each strictly below `unit` (an office inspects the units of its subtree)."""
    units = list({u.pk: u for u in units}.values())
    outside = [u.name for u in units if u.pk == unit.pk or not u.is_within(unit)]
    if outside:
        raise ValidationError(
            {
                field: _("%(units)s không thuộc phạm vi của %(office)s.")
                % {"units": ", ".join(outside), "office": unit.name}
            }
        )
    return units


@transaction.atomic
def plan_create(*, actor, unit: Unit, year: int, title: str = "") -> InspectionPlan:
    require(actor, Action.INSPECT, unit)
    title = _text(title) or _("Kế hoạch kiểm tra, giám sát năm %(year)s") % {"year": year}
    plan = InspectionPlan(
        unit=unit,
        year=year,
        title=title,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    ).fill_path()
    plan.full_clean()
    plan.save()
    record(actor, AuditAction.CREATE, plan)
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor,
    plan: InspectionPlan,
    kind: str,
    units: Sequence[Unit],
    content: str,
    planned_month: int,
) -> PlanItem:
    require(actor, Action.INSPECT, plan.unit)
    units = _below(plan.unit, units, "units")
    if not units:
        raise ValidationError({"units": _("Hãy chọn ít nhất một đơn vị.")})
    position = plan.items.count() + 1
    item = PlanItem(
        plan=plan,
        kind=kind,
        content=_text(content),
        planned_month=planned_month,
        position=position,
    )
    item.full_clean()
    item.save()
    item.units.set(units)
    record(actor, AuditAction.CREATE, item)
    return item


@transaction.atomic
def plan_item_delete(*, actor, item: PlanItem) -> None:
    require(actor, Action.INSPECT, item.plan.unit)
    if item.inspections.exists():
        raise ValidationError(
            _("Nội dung này đã có cuộc kiểm tra thực hiện; không thể xóa khỏi kế hoạch.")
        )
    record(actor, AuditAction.DELETE, item, before=snapshot(item))
    item.delete()


# Inspections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInput:
    full_name: str
    position: str = ""
    duty: str = DelegationRole.MEMBER


def check_dates(
    *,
    level: str,
    starts_on: date,
    ends_on: date,
    period_from: date | None,
    period_to: date | None,
    extended: bool,
    extension_reason: str,
) -> None:
    """The duration and period rules, refused by field with the reason."""
    errors: dict[str, str] = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu.")
    else:
        days = (ends_on - starts_on).days + 1
        limit = duration_limit(level)
        longest = duration_limit(level, extended=True)
        values = {
            "level": Level(level).label,
            "limit": limit,
            "longest": longest,
            "days": days,
            "start": format_date(starts_on),
            "end": format_date(ends_on),
        }
        if extended and days > longest:
            errors["ends_on"] = (
                _(
                    "Cuộc kiểm tra của cấp %(level)s kéo dài tối đa %(longest)s ngày kể cả khi "
                    "được kéo dài (%(limit)s ngày, thêm không quá một phần ba); từ %(start)s "
                    "đến %(end)s là %(days)s ngày."
                )
                % values
            )
        elif not extended and days > limit:
            errors["ends_on"] = (
                _(
                    "Cuộc kiểm tra của cấp %(level)s kéo dài tối đa %(limit)s ngày; từ %(start)s "
                    "đến %(end)s là %(days)s ngày. Có thể kéo dài thêm không quá một phần ba "
                    "(tối đa %(longest)s ngày) khi có lý do."
                )
                % values
            )
    if extended and not (extension_reason or "").strip():
        errors["extension_reason"] = _("Hãy ghi lý do kéo dài thời gian kiểm tra.")
    if (period_from is None) != (period_to is None):
        field = "period_to" if period_to is None else "period_from"
        errors[field] = _("Hãy nhập cả ngày đầu và ngày cuối của thời kỳ được kiểm tra.")
    elif period_from is not None:
        if period_to < period_from:
            errors["period_to"] = _("Thời kỳ kiểm tra: ngày cuối không thể trước ngày đầu.")
        elif period_to >= add_months(period_from, 12 * PERIOD_YEARS):
            errors["period_from"] = _(
                "Thời kỳ được kiểm tra tối đa %(years)s năm; từ %(start)s đến %(end)s là quá "
                "%(years)s năm."
            ) % {
                "years": PERIOD_YEARS,
                "start": format_date(period_from),
                "end": format_date(period_to),
            }
        elif period_to > ends_on:
            errors["period_to"] = _(
                "Thời kỳ được kiểm tra là thời gian đã qua: không thể sau ngày kết thúc kiểm tra."
            )
    if errors:
        raise ValidationError(errors)


def _members(inspection: Inspection, members: Sequence[MemberInput]) -> list[DelegationMember]:
    rows = []
    for order, member in enumerate(members, start=1):
        name, position = _text(member.full_name), _text(member.position)
        if not name:
            continue
        _no_personal_data(members=f"{name} {position}")
        if member.duty not in DelegationRole.values:
            raise ValidationError({"members": _("Nhiệm vụ trong đoàn không hợp lệ.")})
        rows.append(
            DelegationMember(
                inspection=inspection,
                full_name=name[:120],
                position=position[:200],
                duty=member.duty,
                order=order,
            )
        )
    if sum(1 for r in rows if r.duty == DelegationRole.HEAD) > 1:
        raise ValidationError({"members": _("Đoàn chỉ có một Trưởng đoàn.")})
    return rows


@transaction.atomic
def inspection_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    title: str,
    content: str,
    starts_on: date,
    ends_on: date,
    units: Sequence[Unit],
    members: Sequence[MemberInput] = (),
    plan_item: PlanItem | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    extended: bool = False,
    extension_reason: str = "",
    decision_symbol: str = "",
    decision_issued_on: date | None = None,
) -> Inspection:
    """A new inspection (preparing), with its decision when it is already issued."""
    require(actor, Action.INSPECT, unit)
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": _("Hình thức không hợp lệ.")})
    units = _below(unit, units, "units")
    if not units:
        raise ValidationError({"units": _("Hãy chọn ít nhất một đơn vị được kiểm tra.")})
    if plan_item is not None and plan_item.plan.unit_id != unit.pk:
        raise ValidationError({"plan_item": _("Nội dung này thuộc kế hoạch của đơn vị khác.")})
    check_dates(
        level=unit.level,
        starts_on=starts_on,
        ends_on=ends_on,
        period_from=period_from,
        period_to=period_to,
        extended=extended,
        extension_reason=extension_reason,
    )
    title, content = _text(title), _text(content)
    if not title:
        raise ValidationError({"title": _("Hãy nhập tên cuộc kiểm tra.")})
    if not content:
        raise ValidationError({"content": _("Hãy nhập nội dung kiểm tra.")})
    inspection = Inspection(
        unit=unit,
        kind=kind,
        plan_item=plan_item,
        title=title[:300],
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        period_from=period_from,
        period_to=period_to,
        extended=extended,
        extension_reason=_text(extension_reason) if extended else "",
        created_by=actor if actor is not None and actor.is_authenticated else None,
    ).fill_path()
    delegation = _members(inspection, members)
    if decision_symbol or decision_issued_on:
        inspection.decision = _decision(actor, inspection, decision_symbol, decision_issued_on)
    inspection.full_clean()
    inspection.save()
    for member in delegation:
        member.inspection = inspection
    DelegationMember.objects.bulk_create(delegation)
    visited = [InspectedUnit(inspection=inspection, unit=u).fill_path() for u in units]
    InspectedUnit.objects.bulk_create(visited)
    record(actor, AuditAction.CREATE, inspection)
    return inspection


def _decision(actor, inspection: Inspection, symbol: str, issued_on) -> Directive:
    with site_language():
        title = _("Quyết định thành lập Đoàn: %(title)s") % {"title": inspection.title}
    decision = document_register(
        actor,
        unit=inspection.unit,
        symbol=symbol,
        issued_on=issued_on,
        title=title,
        field="decision",
        types=DECISION_TYPES,
        what=_("quyết định thành lập đoàn"),
    )
    used = Inspection.objects.filter(decision=decision).exclude(pk=inspection.pk).first()
    if used is not None:
        raise ValidationError(
            {
                "decision": _("Quyết định %(symbol)s đã dùng cho cuộc kiểm tra “%(title)s”.")
                % {"symbol": decision.symbol, "title": used.title}
            }
        )
    return decision


EDITABLE = (
    "title",
    "content",
    "starts_on",
    "ends_on",
    "period_from",
    "period_to",
    "extended",
    "extension_reason",
)


@transaction.atomic
def inspection_update(
    *, actor, inspection: Inspection, members: Sequence[MemberInput] | None = None, **changes
) -> Inspection:
    """Change the dates (an extension), the period, the texts or the delegation of an
    inspection not yet concluded; the rules are checked again."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    require(actor, Action.INSPECT, inspection.unit)
    if inspection.state == InspectionState.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra đã kết luận; không thể sửa."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(inspection)
    for field, value in changes.items():
        setattr(inspection, field, _text(value) if isinstance(value, str) else value)
    if not inspection.extended:
        inspection.extension_reason = ""
    check_dates(
        level=inspection.unit.level,
        starts_on=inspection.starts_on,
        ends_on=inspection.ends_on,
        period_from=inspection.period_from,
        period_to=inspection.period_to,
        extended=inspection.extended,
        extension_reason=inspection.extension_reason,
    )
    if not inspection.title:
        raise ValidationError({"title": _("Hãy nhập tên cuộc kiểm tra.")})
    if not inspection.content:
        raise ValidationError({"content": _("Hãy nhập nội dung kiểm tra.")})
    inspection.full_clean()
    inspection.save()
    if members is not None:
        delegation = _members(inspection, members)
        inspection.members.all().delete()
        DelegationMember.objects.bulk_create(delegation)
    record(actor, AuditAction.UPDATE, inspection, before=before)
    return inspection


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_related("unit")
        .select_for_update(of=("self",))
        .get(pk=inspection.pk)
    )


def _move(actor, inspection: Inspection, state: str, verb: str, **fields) -> Inspection:
    before = snapshot(inspection)
    inspection.state = state
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save()
    record(actor, AuditAction.UPDATE, inspection, before=before, verb=verb)
    return inspection


@transaction.atomic
def inspection_announce(
    *,
    actor,
    inspection: Inspection,
    self_report_due_on: date,
    decision_symbol: str = "",
    decision_issued_on: date | None = None,
    today: date | None = None,
) -> Inspection:
    """Announce the decision: each inspected unit owes its self-inspection report by
    `self_report_due_on` and is told, once."""
    inspection = _locked(inspection)
    require(actor, Action.INSPECT, inspection.unit)
    today = _today(today)
    if inspection.state != InspectionState.PREPARING:
        raise ValidationError(_("Cuộc kiểm tra đã được công bố."))
    if decision_symbol or decision_issued_on:
        inspection.decision = _decision(actor, inspection, decision_symbol, decision_issued_on)
    if inspection.kind in DECIDED_KINDS and inspection.decision_id is None:
        raise ValidationError(
            {
                "decision": _(
                    "Cuộc %(kind)s được thành lập bằng quyết định: hãy nhập số, ký hiệu và ngày "
                    "của quyết định thành lập đoàn."
                )
                % {"kind": InspectionKind(inspection.kind).label.lower()}
            }
        )
    if self_report_due_on is None:
        raise ValidationError({"self_report_due_on": _("Hãy nhập hạn nộp báo cáo tự kiểm tra.")})
    if self_report_due_on < today:
        raise ValidationError({"self_report_due_on": _("Hạn nộp không thể ở quá khứ.")})
    if self_report_due_on > inspection.ends_on:
        raise ValidationError(
            {
                "self_report_due_on": _(
                    "Hạn nộp báo cáo tự kiểm tra phải trước khi cuộc kiểm tra kết thúc (%(end)s)."
                )
                % {"end": format_date(inspection.ends_on)}
            }
        )
    visited = list(inspection.inspected.select_related("unit").order_by("unit_path"))
    title = Message(gettext_noop("Báo cáo tự kiểm tra: %(title)s"), title=inspection.title[:400])
    obligations = obligations_create_many(
        actor=actor,
        items=[
            NewObligation(
                unit=row.unit,
                kind=ObligationKind.SELF_REPORT,
                title=title,
                due_on=self_report_due_on,
                source=row,
            )
            for row in visited
        ],
        verb="announce",
        permitted=True,  # the rule is ours: INSPECT at the inspecting unit, checked above
    )
    befores = [snapshot(row) for row in visited]
    for row, obligation in zip(visited, obligations, strict=True):
        row.self_report_obligation = obligation
        row.self_report_due_on = self_report_due_on
    InspectedUnit.objects.bulk_update(
        visited, ["self_report_obligation", "self_report_due_on"], batch_size=1000
    )
    record_many(actor, AuditAction.UPDATE, visited, verb="announce", before=befores)
    with site_language():
        heading = Message(
            gettext_noop("%(kind)s: %(title)s"),
            kind=label(InspectionKind(inspection.kind).label),
            title=inspection.title,
        )
        body = _(
            "%(office)s %(kind)s từ %(start)s đến %(end)s (%(decision)s). Báo cáo tự kiểm tra "
            "nộp trước ngày %(due)s."
        ) % {
            "office": inspection.unit.name,
            "kind": InspectionKind(inspection.kind).label.lower(),
            "start": format_date(inspection.starts_on),
            "end": format_date(inspection.ends_on),
            "decision": inspection.decision.symbol if inspection.decision_id else "—",
            "due": format_date(self_report_due_on),
        }
    handover(
        to_units=[row.unit for row in visited],
        kind=NotificationKind.INSPECTION,
        title=heading,
        body=body,
        url=inspection.get_absolute_url(),
        source=inspection,
        event="announce",
        actor=actor,
    )
    return _move(
        actor,
        inspection,
        InspectionState.ANNOUNCED,
        "announce",
        announced_on=today,
        decision=inspection.decision,
    )


@transaction.atomic
def self_report_submit(
    *, actor, inspected: InspectedUnit, file, today: date | None = None
) -> InspectedUnit:
    """The inspected unit uploads its self-inspection report: its obligation closes today (the
    first upload counts; a corrected file replaces the stored one) and the office is told."""
    inspected = (
        InspectedUnit.objects.select_related("inspection", "inspection__unit", "unit")
        .select_for_update(of=("self",))
        .get(pk=inspected.pk)
    )
    require(actor, Action.CHANGE, inspected.unit)
    inspection = inspected.inspection
    if inspection.state == InspectionState.PREPARING:
        raise ValidationError(_("Cuộc kiểm tra chưa được công bố."))
    if inspection.state == InspectionState.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra đã kết luận."))
    if not file:
        raise ValidationError({"self_report": _("Hãy chọn tệp báo cáo tự kiểm tra.")})
    file = _checked_file(file, "self_report")
    today = _today(today)
    before = snapshot(inspected)
    first = inspected.self_report_on is None
    inspected.self_report = file
    inspected.self_report_on = inspected.self_report_on or today
    inspected.save()
    obligation = inspected.self_report_obligation
    if obligation is not None and obligation.done_on is None:
        obligation_complete(actor=actor, obligation=obligation, done_on=today)
    record(actor, AuditAction.UPDATE, inspected, before=before, verb="self_report")
    if first:
        with site_language():
            heading = Message(
                gettext_noop("Đã nộp báo cáo tự kiểm tra: %(unit)s"), unit=inspected.unit.name
            )
            body = _("%(unit)s nộp báo cáo tự kiểm tra ngày %(day)s (%(title)s).") % {
                "unit": inspected.unit.name,
                "day": format_date(today),
                "title": inspection.title,
            }
        handover(
            to_units=inspection.unit,
            kind=NotificationKind.SELF_REPORT,
            title=heading,
            body=body,
            url=inspection.get_absolute_url(),
            source=inspected,
            event="self_report",
            actor=actor,
        )
    return inspected


@transaction.atomic
def inspection_record(
    *,
    actor,
    inspection: Inspection,
    conducted_on: date,
    record_text: str = "",
    record_file=None,
    today: date | None = None,
) -> Inspection:
    """The record of the working session (text, a file, or both): the inspection is conducted.
    Recorded again before the conclusion, it replaces the first."""
    inspection = _locked(inspection)
    require(actor, Action.INSPECT, inspection.unit)
    today = _today(today)
    if inspection.state not in (InspectionState.ANNOUNCED, InspectionState.CONDUCTED):
        raise ValidationError(_("Chỉ ghi biên bản khi cuộc kiểm tra đã công bố và chưa kết luận."))
    text = _text(record_text)
    if not text and not record_file and not inspection.record_file:
        raise ValidationError(
            {"record_text": _("Hãy nhập nội dung biên bản hoặc chọn tệp biên bản.")}
        )
    if conducted_on is None:
        raise ValidationError({"conducted_on": _("Hãy nhập ngày làm việc.")})
    if conducted_on > today:
        raise ValidationError({"conducted_on": _("Ngày làm việc không thể ở tương lai.")})
    if not inspection.starts_on <= conducted_on <= inspection.ends_on:
        raise ValidationError(
            {
                "conducted_on": _(
                    "Ngày làm việc phải trong thời gian kiểm tra (%(start)s – %(end)s)."
                )
                % {
                    "start": format_date(inspection.starts_on),
                    "end": format_date(inspection.ends_on),
                }
            }
        )
    fields = {"record_text": text, "conducted_on": conducted_on}
    if record_file:
        fields["record_file"] = _checked_file(record_file, "record_file")
    return _move(actor, inspection, InspectionState.CONDUCTED, "record", **fields)


# Conclusions and recommendations ---------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    unit: Unit
    kind: str
    text: str
    area: WorkArea | None = None


@dataclass(frozen=True)
class RecommendationInput:
    unit: Unit
    text: str
    due_on: date
    area: WorkArea | None = None


@transaction.atomic
def conclusion_record(
    *,
    actor,
    inspection: Inspection,
    notice_symbol: str,
    issued_on: date,
    results: str = "",
    findings: Sequence[FindingInput] = (),
    recommendations: Sequence[RecommendationInput] = (),
    today: date | None = None,
) -> Conclusion:
    """The conclusion notice: its number-symbol registered, its findings, and each
    recommendation an obligation of its unit, told once. The inspection is concluded."""
    inspection = _locked(inspection)
    require(actor, Action.INSPECT, inspection.unit)
    today = _today(today)
    if inspection.state == InspectionState.CONCLUDED:
        raise ValidationError(_("Cuộc kiểm tra đã có thông báo kết luận."))
    if inspection.state != InspectionState.CONDUCTED:
        raise ValidationError(_("Hãy ghi biên bản làm việc trước khi kết luận."))
    if issued_on is None:
        raise ValidationError({"notice_issued_on": _("Hãy nhập ngày ban hành thông báo.")})
    if issued_on > today:
        raise ValidationError({"notice_issued_on": _("Ngày ban hành không thể ở tương lai.")})
    if issued_on < (inspection.conducted_on or inspection.starts_on):
        raise ValidationError(
            {"notice_issued_on": _("Thông báo kết luận ban hành sau buổi làm việc.")}
        )
    visited = {row.unit_id: row.unit for row in inspection.inspected.select_related("unit")}
    for item in findings:
        if item.unit.pk not in visited:
            raise ValidationError(
                {
                    "findings": _("%(unit)s không phải là đơn vị được kiểm tra.")
                    % {"unit": item.unit.name}
                }
            )
        if item.kind not in FindingKind.values:
            raise ValidationError({"findings": _("Loại nội dung không hợp lệ.")})
        if item.kind == FindingKind.SHORTCOMING and item.area is None:
            raise ValidationError(
                {"findings": _("Mỗi hạn chế phải gắn với một lĩnh vực công tác.")}
            )
        if not _text(item.text):
            raise ValidationError({"findings": _("Hãy nhập nội dung kết quả, hạn chế.")})
    with site_language():
        title = _("Thông báo kết luận: %(title)s") % {"title": inspection.title}
    notice = document_register(
        actor,
        unit=inspection.unit,
        symbol=notice_symbol,
        issued_on=issued_on,
        title=title,
        field="notice",
        types=NOTICE_TYPES,
        what=_("thông báo kết luận"),
    )
    if Conclusion.objects.filter(notice=notice).exists():
        raise ValidationError(
            {
                "notice": _("Thông báo %(symbol)s đã dùng cho cuộc kiểm tra khác.")
                % {"symbol": notice.symbol}
            }
        )
    conclusion = Conclusion(
        inspection=inspection,
        notice=notice,
        issued_on=issued_on,
        results=_text(results),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    conclusion.full_clean()
    conclusion.save()
    record(actor, AuditAction.CREATE, conclusion)
    rows = [
        Finding(
            conclusion=conclusion,
            unit=item.unit,
            kind=item.kind,
            area=item.area,
            text=_text(item.text),
            issued_on=issued_on,
            order=order,
        ).fill_path()
        for order, item in enumerate(findings, start=1)
    ]
    Finding.objects.bulk_create(rows)
    record_many(actor, AuditAction.CREATE, rows)
    _assign(
        actor,
        issuer=inspection.unit,
        origin={"conclusion": conclusion},
        items=recommendations,
        heading=lambda: Message(
            gettext_noop("Kiến nghị (%(kind)s): %(title)s"),
            kind=label(InspectionKind(inspection.kind).label),
            title=inspection.title,
        ),
        source_name=notice.symbol,
        today=today,
    )
    _move(actor, inspection, InspectionState.CONCLUDED, "conclude")
    return conclusion


def _assign(
    actor,
    *,
    issuer: Unit,
    origin: dict,
    items: Sequence[RecommendationInput],
    heading: Callable[[], Message],
    source_name: str,
    today: date,
    start: int = 1,
) -> list[Recommendation]:
    """Recommendations (or a conference's tasks), each an obligation of its unit (FOLLOW_UP)
    due on its date, each unit told of each once."""
    if not items:
        return []
    _below(issuer, [item.unit for item in items], "recommendations")
    for item in items:
        if not _text(item.text):
            raise ValidationError({"recommendations": _("Hãy nhập nội dung kiến nghị.")})
        if item.due_on is None:
            raise ValidationError({"recommendations": _("Hãy nhập hạn thực hiện kiến nghị.")})
        if item.due_on < today:
            raise ValidationError(
                {"recommendations": _("Hạn thực hiện kiến nghị không thể ở quá khứ.")}
            )
    rows = [
        Recommendation(
            unit=item.unit,
            number=number,
            area=item.area,
            text=_text(item.text),
            due_on=item.due_on,
            **origin,
        ).fill_path()
        for number, item in enumerate(items, start=start)
    ]
    for row in rows:
        row.full_clean(exclude=["obligation"])
    Recommendation.objects.bulk_create(rows)
    if any(row.pk is None for row in rows):
        raise RuntimeError("the database did not return the new ids")
    sources.bulk_written(Recommendation, rows)
    titles = [
        Message(
            gettext_noop("Kiến nghị %(number)s (%(source)s): %(text)s"),
            number=row.number,
            source=source_name,
            text=row.text[:400],
        )
        for row in rows
    ]
    obligations = obligations_create_many(
        actor=actor,
        items=[
            NewObligation(
                unit=row.unit,
                kind=ObligationKind.FOLLOW_UP,
                title=title,
                due_on=row.due_on,
                source=row,
            )
            for row, title in zip(rows, titles, strict=True)
        ],
        verb="recommend",
        permitted=True,  # the rule is ours: INSPECT at the issuing unit, checked by the caller
    )
    for row, obligation in zip(rows, obligations, strict=True):
        row.obligation = obligation
    Recommendation.objects.bulk_update(rows, ["obligation"], batch_size=1000)
    record_many(actor, AuditAction.CREATE, rows)
    for row in rows:
        with site_language():
            title = heading()
            body = _("%(office)s kiến nghị (%(source)s), hạn thực hiện %(due)s:\n%(text)s") % {
                "office": issuer.name,
                "source": source_name,
                "due": format_date(row.due_on),
                "text": row.text,
            }
        handover(
            to_units=row.unit,
            kind=NotificationKind.RECOMMENDATION,
            title=title,
            body=body,
            url=row.get_absolute_url(),
            source=row,
            event="assign",
            actor=actor,
        )
    return rows


def issuer_of(recommendation: Recommendation) -> Unit:
    """The unit that issued the recommendation: the inspecting office, or the conference's."""
    if recommendation.conclusion_id:
        return recommendation.conclusion.inspection.unit
    return recommendation.conference.unit


def _locked_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_related(
            "unit", "obligation", "conclusion__inspection__unit", "conference__unit"
        )
        .select_for_update(of=("self",))
        .get(pk=recommendation.pk)
    )


def may_report(user, recommendation: Recommendation) -> bool:
    return in_scope(user, recommendation.unit_path, Action.CHANGE)


def may_decide(user, recommendation: Recommendation) -> bool:
    return in_scope(user, issuer_of(recommendation).path, Action.INSPECT)


@transaction.atomic
def recommendation_report(
    *,
    actor,
    recommendation: Recommendation,
    report_text: str,
    evidence=None,
    today: date | None = None,
) -> Recommendation:
    """The unit reports what it did, with evidence (required; a report sent again after a
    return may keep the evidence already given). The issuing office is told."""
    recommendation = _locked_recommendation(recommendation)
    if actor is not None and not may_report(actor, recommendation):
        _refuse()
    if recommendation.state not in (RecommendationState.OPEN, RecommendationState.RETURNED):
        raise ValidationError(
            _("Kiến nghị đang chờ xem xét hoặc đã hoàn thành; không thể báo cáo lại.")
        )
    text = _text(report_text)
    errors = {}
    if not text:
        errors["report_text"] = _("Hãy nêu kết quả thực hiện kiến nghị.")
    if not evidence and not recommendation.evidence:
        errors["evidence"] = _(
            "Hãy gửi kèm tài liệu chứng minh (văn bản, biên bản, báo cáo… dạng PDF hoặc Word)."
        )
    if errors:
        raise ValidationError(errors)
    today = _today(today)
    before = snapshot(recommendation)
    if evidence:
        recommendation.evidence = _checked_file(evidence, "evidence")
    recommendation.report_text = text
    recommendation.reported_on = today
    recommendation.reported_by = actor if actor is not None and actor.is_authenticated else None
    recommendation.rounds += 1
    recommendation.state = RecommendationState.REPORTED
    recommendation.save()
    record(actor, AuditAction.UPDATE, recommendation, before=before, verb="report")
    issuer = issuer_of(recommendation)
    with site_language():
        heading = Message(
            gettext_noop("Báo cáo thực hiện kiến nghị: %(unit)s"), unit=recommendation.unit.name
        )
        body = _("%(unit)s báo cáo ngày %(day)s về kiến nghị %(number)s: %(text)s") % {
            "unit": recommendation.unit.name,
            "day": format_date(today),
            "number": recommendation.number,
            "text": text,
        }
    handover(
        to_units=issuer,
        kind=NotificationKind.REC_REPORTED,
        title=heading,
        body=body,
        url=recommendation.get_absolute_url(),
        source=recommendation,
        event=f"report:{recommendation.rounds}",
        actor=actor,
    )
    return recommendation


def _decided(actor, recommendation: Recommendation) -> None:
    if actor is not None and not may_decide(actor, recommendation):
        _refuse()
    if recommendation.state != RecommendationState.REPORTED:
        raise ValidationError(_("Chỉ xem xét kiến nghị mà đơn vị đã báo cáo kết quả."))


@transaction.atomic
def recommendation_accept(*, actor, recommendation: Recommendation) -> Recommendation:
    """The issuing office accepts the report: the obligation closes on the date the unit
    reported (late when that was after the due date)."""
    recommendation = _locked_recommendation(recommendation)
    _decided(actor, recommendation)
    before = snapshot(recommendation)
    obligation_complete(
        actor=actor, obligation=recommendation.obligation, done_on=recommendation.reported_on
    )
    recommendation.state = RecommendationState.ACCEPTED
    recommendation.done_on = recommendation.reported_on
    recommendation.return_reason = ""
    recommendation.decided_by = actor if actor is not None and actor.is_authenticated else None
    recommendation.decided_at = timezone.now()
    recommendation.save()
    record(actor, AuditAction.UPDATE, recommendation, before=before, verb="accept")
    with site_language():
        heading = Message(
            gettext_noop("Kiến nghị được công nhận hoàn thành: %(text)s"),
            text=recommendation.text[:200],
        )
        body = _("%(office)s công nhận kết quả báo cáo ngày %(day)s.") % {
            "office": issuer_of(recommendation).name,
            "day": format_date(recommendation.reported_on),
        }
    handover(
        to_units=recommendation.unit,
        kind=NotificationKind.REC_ACCEPTED,
        title=heading,
        body=body,
        url=recommendation.get_absolute_url(),
        source=recommendation,
        event="accept",
        actor=actor,
    )
    return recommendation


@transaction.atomic
def recommendation_return(*, actor, recommendation: Recommendation, reason: str) -> Recommendation:
    """The issuing office returns the report with a reason: the obligation stays open (late
    after its due date) until a report is accepted."""
    recommendation = _locked_recommendation(recommendation)
    _decided(actor, recommendation)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do trả lại.")})
    before = snapshot(recommendation)
    recommendation.state = RecommendationState.RETURNED
    recommendation.return_reason = reason
    recommendation.decided_by = actor if actor is not None and actor.is_authenticated else None
    recommendation.decided_at = timezone.now()
    recommendation.save()
    record(actor, AuditAction.UPDATE, recommendation, before=before, verb="return")
    with site_language():
        heading = Message(
            gettext_noop("Kiến nghị bị trả lại: %(text)s"), text=recommendation.text[:200]
        )
        body = _("%(office)s trả lại báo cáo, lý do: %(reason)s") % {
            "office": issuer_of(recommendation).name,
            "reason": reason,
        }
    handover(
        to_units=recommendation.unit,
        kind=NotificationKind.REC_RETURNED,
        title=heading,
        body=body,
        url=recommendation.get_absolute_url(),
        source=recommendation,
        event=f"return:{recommendation.rounds}",
        actor=actor,
    )
    return recommendation


# Conferences ---------------------------------------------------------------------------------


def _conference_checks(
    actor, *, title: str, held_on, participants, connected_points, documents, today: date
) -> list[Directive]:
    """The rules of a conference's record, by field; the documents presented, each once and
    each in the actor's scope (a document's own scope)."""
    from tuyengiao.directives.queries import directives_for

    errors = {}
    if not title:
        errors["title"] = _("Hãy nhập tên hội nghị.")
    if held_on is None:
        errors["held_on"] = _("Hãy nhập ngày tổ chức.")
    elif held_on > today:
        errors["held_on"] = _("Chỉ ghi nhận hội nghị đã tổ chức: ngày không thể ở tương lai.")
    if (participants or 0) < 0:
        errors["participants"] = _("Số đại biểu không thể âm.")
    if (connected_points or 0) < 0:
        errors["connected_points"] = _("Số điểm cầu không thể âm.")
    if errors:
        raise ValidationError(errors)
    documents = list({d.pk: d for d in documents}.values())
    if actor is not None and documents:
        seen = set(
            directives_for(actor)
            .filter(pk__in=[d.pk for d in documents])
            .values_list("pk", flat=True)
        )
        if len(seen) != len(documents):
            raise ValidationError({"documents": _("Có văn bản không thuộc phạm vi của bạn.")})
    return documents


@transaction.atomic
def conference_create(
    *,
    actor,
    unit: Unit,
    kind: str,
    held_on: date,
    title: str,
    participants: int = 0,
    connected_points: int = 0,
    documents: Iterable[Directive] = (),
    conclusions: str = "",
    tasks: Sequence[RecommendationInput] = (),
    today: date | None = None,
) -> Conference:
    """A conference held by `unit`; its tasks are recommendations of the units they name."""
    require(actor, Action.CHANGE, unit)
    today = _today(today)
    title = _text(title)
    documents = _conference_checks(
        actor,
        title=title,
        held_on=held_on,
        participants=participants,
        connected_points=connected_points,
        documents=documents,
        today=today,
    )
    conference = Conference(
        unit=unit,
        kind=kind,
        level=unit.level,
        held_on=held_on,
        title=title[:300],
        participants=participants or 0,
        connected_points=connected_points or 0,
        conclusions=_text(conclusions),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    ).fill_path()
    conference.full_clean()
    conference.save()
    conference.documents.set(documents)
    record(actor, AuditAction.CREATE, conference)
    if tasks:
        conference_assign(actor=actor, conference=conference, tasks=tasks, today=today)
    return conference


CONFERENCE_EDITABLE = (
    "kind",
    "held_on",
    "title",
    "participants",
    "connected_points",
    "conclusions",
)


@transaction.atomic
def conference_update(
    *,
    actor,
    conference: Conference,
    documents: Iterable[Directive] | None = None,
    today: date | None = None,
    **changes,
) -> Conference:
    """Correct a conference's record (its tasks are assigned apart and followed as
    recommendations: they are not changed here). The documents presented that the actor does
    not see are kept as they were."""
    from tuyengiao.directives.queries import directives_for

    conference = (
        Conference.objects.select_related("unit")
        .select_for_update(of=("self",))
        .get(pk=conference.pk)
    )
    require(actor, Action.CHANGE, conference.unit)
    unknown = set(changes) - set(CONFERENCE_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    before = snapshot(conference)
    for field, value in changes.items():
        setattr(conference, field, _text(value) if isinstance(value, str) else value)
    conference.participants = conference.participants or 0
    conference.connected_points = conference.connected_points or 0
    chosen = _conference_checks(
        actor,
        title=conference.title,
        held_on=conference.held_on,
        participants=conference.participants,
        connected_points=conference.connected_points,
        documents=documents or (),
        today=_today(today),
    )
    conference.title = conference.title[:300]
    conference.full_clean()
    conference.save()
    if documents is not None:
        hidden = []
        if actor is not None:
            seen = directives_for(actor).values("pk")
            hidden = list(conference.documents.exclude(pk__in=seen))
        conference.documents.set([*chosen, *hidden])
    record(actor, AuditAction.UPDATE, conference, before=before)
    return conference


@transaction.atomic
def conference_assign(
    *,
    actor,
    conference: Conference,
    tasks: Sequence[RecommendationInput],
    today: date | None = None,
) -> list[Recommendation]:
    """Tasks the conference's conclusion assigns, followed exactly as recommendations."""
    require(actor, Action.INSPECT, conference.unit)
    last = conference.tasks.order_by("-number").values_list("number", flat=True).first() or 0
    return _assign(
        actor,
        issuer=conference.unit,
        origin={"conference": conference},
        items=tasks,
        heading=lambda: Message(
            gettext_noop("Nhiệm vụ sau hội nghị: %(title)s"), title=conference.title
        ),
        source_name=conference.title,
        today=_today(today),
        start=last + 1,
    )
