"""Every write and every rule of periodic figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.core import stored_text
from tuyengiao.core.period_names import period_label
from tuyengiao.core.stored_text import Message
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    obligation_complete,
    obligations_create_many,
    obligations_delete,
)
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.services import handover, site_language
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, can, in_scope
from tuyengiao.org.services import require
from tuyengiao.periods import Period
from tuyengiao.text import format_date
from tuyengiao.text.numbers import format_number, parse_number

from . import rollup, rules
from .models import (
    DECIMALS,
    SCALE,
    DataSet,
    DataSetIndicator,
    Indicator,
    Report,
    ReportState,
    ValidationRule,
    Value,
    ValueType,
    from_stored,
    to_stored,
)

MAX_NUMBER = Decimal(10) ** 12


class StaleReport(Exception):
    """Someone else saved the report since this form was opened; nothing was written."""

    def __init__(self, current: Report):
        self.current = current
        who = str(current.saved_by) if current.saved_by else _("người khác")
        when = ""
        if current.saved_at:
            when = timezone.localtime(current.saved_at).strftime("%H:%M %d/%m/%Y")
        super().__init__(
            _(
                "Báo cáo vừa được %(who)s cập nhật lúc %(when)s, sau khi bạn mở. Số liệu bạn nhập "
                "chưa được lưu và vẫn còn trên màn hình; hãy xem số liệu mới rồi lưu lại."
            )
            % {"who": who, "when": when}
        )


@dataclass(frozen=True)
class Violation:
    rule: ValidationRule
    codes: tuple[str, ...]  # the indicators to mark beside the message

    @property
    def message(self) -> str:
        return self.rule.message


# Definitions -----------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    """Only who may define (Action.DEFINE: administrators) changes indicators and forms."""
    if actor is not None and not can(actor, Action.DEFINE):
        raise PermissionDenied(_("Chỉ quản trị viên được định nghĩa chỉ tiêu và biểu mẫu."))


@transaction.atomic
def indicator_save(*, actor, indicator: Indicator) -> Indicator:
    _require_admin(actor)
    # The form has already changed the instance: the audit's "before" is what is stored.
    stored = Indicator.objects.get(pk=indicator.pk) if indicator.pk else None
    before = snapshot(stored) if stored else None
    indicator.code = indicator.code.strip().upper()
    indicator.full_clean()
    typed = stored and not stored.source and Value.objects.filter(indicator=indicator).exists()
    if indicator.source and typed:
        raise ValidationError(
            {
                "source": _(
                    "Chỉ tiêu này đã có số liệu nhập tay; hãy tạo chỉ tiêu mới để đếm từ hồ sơ."
                )
            }
        )
    indicator.save()
    if (stored.source if stored else "") != indicator.source:
        from . import sources

        sources.refill(indicator)
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    record(actor, action, indicator, before=before)
    return indicator


@transaction.atomic
def data_set_save(
    *, actor, data_set: DataSet, indicators: list[Indicator], sections: dict | None = None
) -> DataSet:
    """Create or change a report form with its indicators in the given order."""
    _require_admin(actor)
    if not indicators:
        raise ValidationError({"indicators": _("Biểu mẫu cần ít nhất một chỉ tiêu.")})
    if any(i.is_derived for i in indicators):
        raise ValidationError(
            {"indicators": _("Chỉ tiêu tính toán không nhập trực tiếp; hãy chọn tử số và mẫu số.")}
        )
    before = snapshot(DataSet.objects.get(pk=data_set.pk)) if data_set.pk else None
    if data_set.pk is None and actor is not None:
        data_set.created_by = actor
    data_set.full_clean(exclude=["created_by"])  # None when the system (a demo) defines it
    data_set.save()
    data_set.rows.exclude(indicator__in=indicators).delete()
    existing = {row.indicator_id: row for row in data_set.rows.all()}
    for position, indicator in enumerate(indicators):
        row = existing.get(indicator.pk) or DataSetIndicator(data_set=data_set, indicator=indicator)
        row.position = position
        row.section = (sections or {}).get(indicator.code, row.section)
        row.save()
    record(actor, AuditAction.UPDATE if before else AuditAction.CREATE, data_set, before=before)
    if before is not None:
        _reports_no_longer_owed(data_set, actor)
    return data_set


def _reports_no_longer_owed(data_set: DataSet, actor) -> int:
    """After a form's levels or kinds are narrowed, the units left out owe it no more: the
    obligations of their reports not yet sent are deleted (audited). Figures entered stay, as
    do sent reports and their record of timeliness."""
    owed = Q(unit__level__in=data_set.levels)
    if data_set.kinds:
        owed &= Q(unit__kind__in=data_set.kinds)
    reports = Report.objects.filter(
        data_set=data_set, submitted_on__isnull=True, obligation__isnull=False
    ).exclude(owed)
    return _obligations_drop(reports.select_related("obligation"), actor, verb="narrow")


def _obligations_drop(reports, actor, *, verb: str) -> int:
    # Permitted by the form's administrator (narrow) or the restructuring (close), whatever
    # the units' scope.
    return obligations_delete(
        actor=actor, obligations=[r.obligation for r in reports], verb=verb, permitted=True
    )


@transaction.atomic
def rule_save(*, actor, rule: ValidationRule) -> ValidationRule:
    """Save a validation rule after checking that it names only the form's indicators."""
    _require_admin(actor)
    known = set(rule.data_set.indicators.values_list("code", flat=True))
    for side in ("left", "right"):
        try:
            unknown = [c for c in rules.codes(getattr(rule, side)) if c not in known]
        except rules.ExpressionError as exc:
            raise ValidationError({side: str(exc)}) from None
        if unknown:
            raise ValidationError(
                {side: _("Biểu mẫu không có chỉ tiêu: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )
    before = snapshot(ValidationRule.objects.get(pk=rule.pk)) if rule.pk else None
    rule.full_clean()
    rule.save()
    record(actor, AuditAction.UPDATE if before else AuditAction.CREATE, rule, before=before)
    return rule


@transaction.atomic
def rule_delete(*, actor, rule: ValidationRule) -> None:
    """Take a validation rule off its form; reports sent under it are not checked again."""
    _require_admin(actor)
    record(actor, AuditAction.DELETE, rule, before=snapshot(rule))
    rule.delete()


# Who reports what, and when ---------------------------------------------------------------------


def due_on(data_set: DataSet, period: Period) -> date:
    return period.end + timedelta(days=data_set.due_days)


def locks_on(data_set: DataSet, period: Period) -> date:
    """The first day on which the period's figures are locked."""
    return period.end + timedelta(days=data_set.lock_days + 1)


def expected_units(data_set: DataSet, period: Period):
    """The units that owe this form for this period: assigned level and kind, open at its end."""
    units = Unit.objects.filter(level__in=data_set.levels)
    if data_set.kinds:
        units = units.filter(kind__in=data_set.kinds)
    return units.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=period.end)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)
    )


def started_periods(data_set: DataSet, today: date | None = None) -> list[Period]:
    today = today or timezone.localdate()
    first = Period.parse(data_set.first_period)
    current = Period.of(data_set.period_kind, today)
    return Period.range(first, current) if first <= current else []


def _obligation(data_set: DataSet, report: Report, period: Period) -> NewObligation:
    return NewObligation(
        unit=report.unit,
        kind=ObligationKind.REPORT,
        title=stored_text.report(data_set.name, period),
        due_on=due_on(data_set, period),
        source=report,
    )


def _create_reports(
    data_set: DataSet, period: Period, units: list[Unit], actor, verb: str
) -> list[Report]:
    reports = Report.objects.bulk_create(
        [Report(data_set=data_set, unit=u, period=period.id).fill_path() for u in units],
        batch_size=2000,
    )
    _create_obligations(data_set, period, reports, actor, verb)
    return reports


def _create_obligations(
    data_set: DataSet, period: Period, reports: list[Report], actor, verb: str
) -> None:
    # The form's levels and kinds make the reports owed, whoever schedules or opens them.
    obligations = obligations_create_many(
        actor=actor,
        items=[_obligation(data_set, r, period) for r in reports],
        verb=verb,
        permitted=True,
    )
    for report, obligation in zip(reports, obligations, strict=True):
        report.obligation = obligation
    Report.objects.bulk_update(reports, ["obligation"], batch_size=2000)


@transaction.atomic
def reports_schedule(*, data_set: DataSet, today: date | None = None, actor=None) -> int:
    """Create the report (and its obligation) that each assigned unit owes for each period that
    has begun. Safe to run again: it creates only what is missing."""
    if not data_set.active:
        return 0
    created = 0
    for period in started_periods(data_set, today):
        have = set(
            Report.objects.filter(data_set=data_set, period=period.id).values_list(
                "unit_id", flat=True
            )
        )
        units = [u for u in expected_units(data_set, period).only("pk", "path") if u.pk not in have]
        created += len(_create_reports(data_set, period, units, actor, "schedule")) if units else 0
        # A form narrowed, then widened again: the units back in owe their reports again.
        unowed = list(
            Report.objects.filter(
                data_set=data_set,
                period=period.id,
                obligation__isnull=True,
                submitted_on__isnull=True,
                unit__in=expected_units(data_set, period),
            ).select_related("unit")
        )
        if unowed:
            _create_obligations(data_set, period, unowed, actor, "schedule")
            created += len(unowed)
    if created:
        record(actor, AuditAction.UPDATE, data_set, verb="schedule")
    return created


def report_open(*, actor, data_set: DataSet, unit: Unit, period: Period) -> Report:
    """The unit's report for the period, created on first use if the unit owes it."""
    require(actor, Action.VIEW, unit)
    report = Report.objects.filter(data_set=data_set, unit=unit, period=period.id).first()
    if report:
        return report
    if period.kind != data_set.period_kind:
        raise ValidationError(
            _("Biểu mẫu này báo cáo theo %(kind)s.")
            % {"kind": data_set.get_period_kind_display().lower()}
        )
    if (
        period not in started_periods(data_set)
        or not expected_units(data_set, period).filter(pk=unit.pk).exists()
    ):
        raise ValidationError(
            _("%(unit)s không phải báo cáo biểu này cho %(period)s.")
            % {"unit": unit.name, "period": period_label(period)}
        )
    try:
        with transaction.atomic():
            report = _create_reports(data_set, period, [unit], actor, "open")[0]
            record(actor, AuditAction.CREATE, report)
    except IntegrityError:  # someone opened it at the same moment
        report = Report.objects.get(data_set=data_set, unit=unit, period=period.id)
    return report


# Entering figures --------------------------------------------------------------------------------


def parse_entry(indicator: Indicator, raw: str | None) -> tuple[int | None, str]:
    """(stored number, text) from what the user typed; ValueError with a Vietnamese message."""
    raw = (raw or "").strip()
    if not raw:
        return None, ""
    if indicator.value_type == ValueType.TEXT:
        if len(raw) > 4000:
            raise ValueError(_("Nội dung dài quá 4.000 ký tự."))
        return None, raw
    number = parse_number(raw)
    if abs(number) >= MAX_NUMBER:  # first: quantizing a huge number would overflow
        raise ValueError(_("Số quá lớn."))
    if number.as_tuple().exponent < -DECIMALS and number != number.quantize(Decimal(1) / SCALE):
        raise ValueError(_("Chỉ nhận tối đa %(n)s chữ số thập phân.") % {"n": DECIMALS})
    if indicator.value_type == ValueType.INTEGER:
        if number != number.to_integral_value():
            raise ValueError(_("Chỉ tiêu này nhận số nguyên."))
        if number < 0:
            raise ValueError(_("Không nhận số âm."))
    if indicator.value_type == ValueType.PERCENT and not 0 <= number <= 100:
        raise ValueError(_("Tỷ lệ phải từ 0 đến 100."))
    return to_stored(number), ""


def display(indicator: Indicator, number: int | None, text: str = "") -> str:
    """A stored value as the form shows it: "24.193", "98,32"."""
    if indicator.value_type == ValueType.TEXT:
        return text
    value = from_stored(number)
    if value is None:
        return ""
    decimals = (
        0
        if value == value.to_integral_value()
        else min(DECIMALS, -value.normalize().as_tuple().exponent)
    )
    return format_number(value, decimals)


def report_indicators(report: Report) -> list[Indicator]:
    return [row.indicator for row in report.data_set.rows.select_related("indicator")]


def entered_indicators(data_set: DataSet) -> list[Indicator]:
    """The form's indicators that units enter, in the form's order (derived ones are computed,
    record-backed ones counted)."""
    rows = data_set.rows.select_related("indicator")
    return [r.indicator for r in rows if not (r.indicator.is_derived or r.indicator.is_counted)]


def report_values(report: Report) -> dict[str, Value]:
    """{indicator code: Value} of the report's unit and period for the form's indicators.

    A record-backed indicator's value is the unit's own count over the period (its values are
    kept per month, or per year for yearly records), as an unsaved Value."""
    indicators = list(report.data_set.indicators.all())
    values = Value.objects.filter(
        unit_id=report.unit_id,
        period=report.period,
        indicator__in=[i for i in indicators if not i.is_counted],
    ).select_related("indicator")
    found = {v.indicator.code: v for v in values}
    counted = {i.pk: i for i in indicators if i.is_counted}
    if counted:
        inside = rollup.within_period(report.period)
        totals = (
            Value.objects.filter(unit_id=report.unit_id, indicator__in=counted, period__in=inside)
            .values("indicator_id")
            .annotate(n=Sum("number"))
            .order_by()
        )
        for row in totals:
            indicator = counted[row["indicator_id"]]
            found[indicator.code] = Value(
                unit_id=report.unit_id, indicator=indicator, period=report.period, number=row["n"]
            )
    return found


def editing_problem(report: Report, today: date | None = None) -> str | None:
    """Why the report cannot be changed now, or None when it can."""
    today = today or timezone.localdate()
    if report.state == ReportState.APPROVED:
        return _("Báo cáo đã được duyệt nên số liệu đã khoá. Cần cấp trên mở khoá (ghi lý do).")
    if report.state == ReportState.SUBMITTED:
        return _("Báo cáo đã gửi. Muốn sửa, hãy rút lại báo cáo trước.")
    lock = locks_on(report.data_set, Period.parse(report.period))
    if today >= lock and not report.unlocked:
        return _("Số liệu kỳ này đã khoá từ %(day)s. Cần cấp trên mở khoá (ghi lý do).") % {
            "day": lock.strftime("%d/%m/%Y")
        }
    return None


def violations(report: Report, numbers: dict[str, Decimal | None]) -> list[Violation]:
    """The form's rules broken by these figures (code -> value, missing as None)."""
    found = []
    for rule in report.data_set.rules.all():
        if rules.check(rule.left, rule.operator, rule.right, rule.missing, numbers) is False:
            found.append(Violation(rule, tuple(rules.codes(rule.left) + rules.codes(rule.right))))
    return found


def numbers_of(values: dict[str, Value]) -> dict[str, Decimal | None]:
    """{code: number} of stored values, as the validation rules read them."""
    return {code: from_stored(v.number) for code, v in values.items()}


def report_violations(report: Report, values: dict[str, Value] | None = None) -> list[Violation]:
    """The rules broken by the report's stored figures (`values` when already loaded)."""
    return violations(report, numbers_of(report_values(report) if values is None else values))


def is_above(actor, report: Report) -> bool:
    """Whether `actor` may approve and unlock the report: a manager of a unit above it."""
    return in_scope(actor, report.unit_path, Action.APPROVE) and actor.unit_id != report.unit_id


def _lock(report: Report) -> Report:
    """Take the write lock on the report's unit and return the report as stored now."""
    list(Unit.objects.select_for_update().filter(pk=report.unit_id).values_list("pk"))
    return Report.objects.select_related("data_set", "unit", "saved_by").get(pk=report.pk)


def _bump(report: Report, actor, fields: list[str]) -> None:
    """Store a change of the report: a new version, and who changed it when (so that a stale
    form can say who came first)."""
    report.version += 1
    report.saved_at = timezone.now()
    report.saved_by = actor
    report.save(update_fields=[*fields, "version", "saved_at", "saved_by"])


@transaction.atomic
def report_save(*, actor, report: Report, entries: dict[str, str], version: int) -> list[Violation]:
    """Save what the user typed (indicator code -> text) as a draft and return the broken rules.

    Raises ValidationError (per indicator code) for unreadable input, StaleReport when someone
    saved since `version`; in both cases nothing is written.
    """
    require(actor, Action.CHANGE, report.unit)
    current = _lock(report)
    problem = editing_problem(current)
    if problem:
        raise ValidationError(problem)
    indicators = {i.code: i for i in entered_indicators(current.data_set)}
    parsed, errors = {}, {}
    counted = {i.code for i in current.data_set.indicators.all() if i.is_counted}
    for code, raw in entries.items():
        if code in counted:
            errors[code] = _("Chỉ tiêu %(code)s được đếm từ hồ sơ, không nhập tay.") % {
                "code": code
            }
            continue
        if code not in indicators:
            errors[code] = _("Biểu mẫu không có chỉ tiêu %(code)s.") % {"code": code}
            continue
        try:
            parsed[code] = parse_entry(indicators[code], raw)
        except ValueError as exc:
            errors[code] = str(exc)
    if errors:
        raise ValidationError(errors)
    if current.version != version:
        raise StaleReport(current)
    old = report_values(current)
    changes, audit_before, audit_after = [], {}, {}
    for code, (number, text) in parsed.items():
        stored = old.get(code)
        if stored and (stored.number, stored.text) == (number, text):
            continue
        if stored is None and number is None and not text:
            continue
        indicator = indicators[code]
        changes.append(rollup.Change(indicator, stored.number if stored else None, number))
        audit_before[code] = display(indicator, stored.number, stored.text) if stored else ""
        audit_after[code] = display(indicator, number, text)

    def write():
        for change in changes:
            code = change.indicator.code
            number, text = parsed[code]
            if number is None and not text:
                Value.objects.filter(pk=old[code].pk).delete()
            elif code in old:
                Value.objects.filter(pk=old[code].pk).update(number=number, text=text)
            else:
                Value.objects.create(
                    unit_id=current.unit_id,
                    indicator=change.indicator,
                    period=current.period,
                    number=number,
                    text=text,
                )

    current.audit_values = {"values": audit_before}
    before = snapshot(current)
    rollup.apply(current.unit, current.period, changes, write)
    Report.objects.filter(pk=current.pk).update(
        version=F("version") + 1, saved_at=timezone.now(), saved_by=actor
    )
    current.refresh_from_db()
    report.version, report.saved_at, report.saved_by = current.version, current.saved_at, actor
    if changes:
        current.audit_values = {"values": audit_after}
        record(actor, AuditAction.UPDATE, current, before=before, verb="save")
    # the figures as now stored, without reading them back
    numbers = numbers_of(old) | {code: from_stored(number) for code, (number, _t) in parsed.items()}
    return violations(current, numbers)


@transaction.atomic
def report_submit(*, actor, report: Report) -> Report:
    """Send the report up; refused while a validation rule is broken."""
    require(actor, Action.CHANGE, report.unit)
    current = _lock(report)
    problem = editing_problem(current)
    if problem:
        raise ValidationError(problem)
    broken = report_violations(current)
    if broken:
        raise ValidationError([v.message for v in broken])
    before = snapshot(current)
    today = timezone.localdate()
    current.state = ReportState.SUBMITTED
    if current.submitted_on is None:  # a report sent again after a withdrawal keeps its date
        current.submitted_on = today
    current.submitted_by = actor
    _bump(current, actor, ["state", "submitted_on", "submitted_by"])
    if current.obligation_id and current.obligation.done_on is None:
        obligation_complete(actor=actor, obligation=current.obligation, done_on=today)
    record(actor, AuditAction.UPDATE, current, before=before, verb="submit")
    if current.unit.parent_id is not None:
        with site_language():
            title = Message(
                gettext_noop("%(report)s của %(unit)s đã gửi, chờ duyệt"),
                report=_report_name(current),
                unit=current.unit.name,
            )
            body = _("Gửi ngày %(day)s, người gửi: %(who)s.") % {
                "day": format_date(today),
                "who": _who(actor),
            }
        _tell(current, actor, "submit", current.unit.parent_id, title, body)
    return current


@transaction.atomic
def report_withdraw(*, actor, report: Report) -> Report:
    """Take a sent (not yet approved) report back to correct it."""
    require(actor, Action.CHANGE, report.unit)
    current = _lock(report)
    if current.state != ReportState.SUBMITTED:
        raise ValidationError(_("Chỉ rút lại được báo cáo đã gửi và chưa được duyệt."))
    before = snapshot(current)
    current.state = ReportState.DRAFT
    _bump(current, actor, ["state"])
    record(actor, AuditAction.UPDATE, current, before=before, verb="withdraw")
    return current


def _require_above(actor, report: Report) -> None:
    """Approval and unlocking belong to a manager of a unit above the report's unit."""
    require(actor, Action.APPROVE, report.unit)
    if actor is not None and not is_above(actor, report):
        raise PermissionDenied(_("Báo cáo của đơn vị mình do cấp trên duyệt."))


def unopened_below(report: Report):
    """The units right below `report`'s unit that owe the form for the period and have not
    opened their report yet (an approval waits for them too), by name."""
    opened = Report.objects.filter(data_set=report.data_set_id, period=report.period)
    return (
        expected_units(report.data_set, Period.parse(report.period))
        .filter(parent=report.unit_id)
        .exclude(pk__in=opened.values("unit_id"))
        .order_by("sort_key", "name")
    )


def _require_seen(current: Report, version: int | None, *, returning: bool = False) -> None:
    """Refuse to act on figures the person was not shown: the report changed since `version`."""
    if version is None or current.version == version:
        return
    saved = current.saved_at
    names = {
        "who": str(current.saved_by) if current.saved_by else _("người khác"),
        "when": timezone.localtime(saved).strftime("%H:%M %d/%m/%Y") if saved else "",
    }
    if returning:
        message = _(
            "Báo cáo vừa được %(who)s cập nhật lúc %(when)s, sau khi bạn mở; chưa trả lại. "
            "Hãy xem lại số liệu mới."
        )
    else:
        message = _(
            "Báo cáo vừa được %(who)s cập nhật lúc %(when)s, sau khi bạn mở; chưa duyệt. "
            "Hãy xem lại số liệu mới rồi duyệt."
        )
    raise ValidationError(message % names)


def _children_reports(report: Report):
    return Report.objects.filter(
        data_set=report.data_set,
        period=report.period,
        unit__parent=report.unit_id,
        obligation__isnull=False,
    )


@transaction.atomic
def report_approve(*, actor, report: Report, version: int | None = None) -> Report:
    """Approve a sent report once every report of the level below it is approved.

    With `version` (the one the approver was shown), an approval is refused when the report
    changed since — withdrawn, corrected and sent again —, so that nobody approves figures they
    have not seen.
    """
    _require_above(actor, report)
    current = _lock(report)
    if current.state != ReportState.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt được báo cáo đã gửi."))
    _require_seen(current, version)
    waiting = [
        r.unit.name
        for r in _children_reports(current)
        .exclude(state=ReportState.APPROVED)
        .select_related("unit")
        .order_by("unit__sort_key", "unit__name")[:6]
    ]
    # A unit below that owes the report but has not even opened it is waited for too.
    waiting += unopened_below(current).values_list("name", flat=True)[:6]
    if waiting:
        waiting.sort()
        names = ", ".join(waiting[:5]) + ("…" if len(waiting) > 5 else "")
        raise ValidationError(
            _("Cấp dưới chưa được duyệt hết: %(names)s. Hãy duyệt báo cáo cấp dưới trước.")
            % {"names": names}
        )
    before = snapshot(current)
    current.state = ReportState.APPROVED
    current.approved_at = timezone.now()
    current.approved_by = actor
    _bump(current, actor, ["state", "approved_at", "approved_by"])
    record(actor, AuditAction.UPDATE, current, before=before, verb="approve")
    with site_language():
        title = Message(gettext_noop("%(report)s đã được duyệt"), report=_report_name(current))
        body = _("Người duyệt: %(who)s, ngày %(day)s.") % {
            "who": _who(actor),
            "day": format_date(timezone.localdate()),
        }
    _tell(current, actor, "approve", current.unit_id, title, body)
    return current


def reports_approve_many(*, actor, seen: dict[int, int]) -> tuple[list[Report], list[tuple]]:
    """Approve several reports, each at the version the approver opened ({pk: version}).

    Each approval stands alone: one refused (changed since, a unit below still waiting) leaves
    the others approved. The lowest units go first, so that a cell and its commune checked
    together are approved in one go. Returns (approved, [(report, message)])."""
    reports = Report.objects.filter(pk__in=list(seen)).select_related("unit", "data_set")
    reports = sorted(reports, key=lambda r: (-len(r.unit_path), r.unit_path, r.period))
    approved, refused = [], []
    for report in reports:
        try:
            with transaction.atomic():
                approved.append(report_approve(actor=actor, report=report, version=seen[report.pk]))
        except (ValidationError, PermissionDenied) as exc:
            refused.append((report, " ".join(getattr(exc, "messages", [str(exc)]))))
    return approved, refused


@transaction.atomic
def report_return(*, actor, report: Report, comment: str, version: int | None = None) -> Report:
    """Send a report back to its unit for correction, with the approver's comment.

    The report opens for correction (even past its lock date) and the unit is told. What was
    first sent still counts for timeliness: the report keeps its first `submitted_on` and the
    obligation stays done on that day; sending it again changes neither."""
    _require_above(actor, report)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Hãy ghi ý kiến: đơn vị cần sửa gì.")})
    if len(comment) > 2000:
        raise ValidationError({"comment": _("Ý kiến dài quá 2.000 ký tự.")})
    current = _lock(report)
    if current.state != ReportState.SUBMITTED:
        raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi và chưa được duyệt."))
    _require_seen(current, version, returning=True)
    before = snapshot(current)
    current.state = ReportState.DRAFT
    current.unlocked = True
    current.returned_at = timezone.now()
    current.returned_by = actor
    current.return_comment = comment
    _bump(current, actor, ["state", "unlocked", "returned_at", "returned_by", "return_comment"])
    record(actor, AuditAction.UPDATE, current, before=before, verb="return")
    with site_language():
        title = Message(gettext_noop("%(report)s bị trả lại để sửa"), report=_report_name(current))
        body = _("Người trả lại: %(who)s. Ý kiến: %(comment)s") % {
            "who": _who(actor),
            "comment": comment,
        }
    _tell(current, actor, "return", current.unit_id, title, body)
    return current


@transaction.atomic
def report_unlock(*, actor, report: Report, reason: str) -> Report:
    """Reopen an approved or date-locked report for correction; the reason is audited."""
    _require_above(actor, report)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở khoá.")})
    # The unit above first (its approval holds that lock while it checks the reports below),
    # so that an approval above and this unlock cannot both pass their checks.
    list(Unit.objects.select_for_update().filter(pk=report.unit.parent_id).values_list("pk"))
    current = _lock(report)
    if editing_problem(current) is None or current.state == ReportState.SUBMITTED:
        raise ValidationError(_("Báo cáo không bị khoá."))
    parent = Report.objects.filter(
        data_set=current.data_set,
        period=current.period,
        unit_id=current.unit.parent_id,
        state=ReportState.APPROVED,
    ).first()
    if parent is not None:
        raise ValidationError(
            _("Báo cáo của %(unit)s (cấp trên) đã duyệt; hãy mở khoá báo cáo đó trước.")
            % {"unit": parent.unit.name}
        )
    before = snapshot(current)
    current.state = ReportState.DRAFT
    current.unlocked = True
    current.approved_at = None
    current.approved_by = None
    _bump(current, actor, ["state", "unlocked", "approved_at", "approved_by"])
    current.audit_values = {"reason": reason.strip()}
    record(actor, AuditAction.UPDATE, current, before=before, verb="unlock")
    # "Returned" for now: reopening is how the unit above sends a report back for correction.
    with site_language():
        title = Message(gettext_noop("%(report)s được mở lại để sửa"), report=_report_name(current))
        body = _("Người mở khoá: %(who)s. Lý do: %(reason)s") % {
            "who": _who(actor),
            "reason": reason.strip(),
        }
    _tell(current, actor, "unlock", current.unit_id, title, body)
    return current


# Handovers: a report sent up, approved, or returned for correction ---------------------------

_KINDS = {
    "submit": NotificationKind.REPORT_SUBMITTED,
    "approve": NotificationKind.REPORT_APPROVED,
    "unlock": NotificationKind.REPORT_RETURNED,
    "return": NotificationKind.REPORT_RETURNED,
}


def _report_name(report: Report) -> dict:
    """The report's title, in each reader's language (core/stored_text.py)."""
    return stored_text.report(report.data_set.name, report.period)


def _who(actor) -> str:
    if actor is None:
        return _("hệ thống")
    name = actor.get_full_name() or actor.username
    return f"{name} ({actor.unit.name})" if actor.unit_id else name


def _tell(report: Report, actor, verb: str, unit_id: int, title: Message, body: str) -> None:
    """Tell the unit that now holds the report. A report goes up and comes back more than once
    (sent again after a withdrawal or an unlock), so each handover is named by the version the
    action wrote: a second call for the same version tells nobody again."""
    handover(
        to_units=unit_id,
        kind=_KINDS[verb],
        title=title,
        body=body,
        url=report.get_absolute_url(),
        source=report,
        event=f"{verb}:{report.version}",
        actor=actor,
    )


def report_for_closed_unit(*, unit: Unit, on: date, actor=None) -> int:
    """A closed unit owes no more reports for periods ending on or after its closing date."""
    reports = [
        r
        for r in Report.objects.filter(
            unit=unit, submitted_on__isnull=True, obligation__isnull=False
        ).select_related("obligation")
        if Period.parse(r.period).end >= on
    ]
    return _obligations_drop(reports, actor, verb="close")
