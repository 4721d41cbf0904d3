"""Registering Party documents, sending them down the tree, recording the steps."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.core.files import DOCUMENTS, FileRefused, check_upload, named_for
from tuyengiao.core.stored_text import Message, label
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    obligation_complete,
    obligations_create_many,
)
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.services import handover, site_language
from tuyengiao.org.models import STEP, Unit
from tuyengiao.org.scope import Action, in_scope
from tuyengiao.org.services import require
from tuyengiao.text import format_date, nfc
from tuyengiao.text.symbols import parse_symbol

from .models import Assignment, Directive, Dispatch, Step, StepKind
from .terms import symbol_scope, term_of

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class DuplicateDirective(ValidationError):
    """The symbol is already registered in this term; `existing` is the document."""

    def __init__(self, existing: Directive):
        super().__init__(
            {
                "symbol": _("Văn bản %(symbol)s đã được vào sổ (nhiệm kỳ %(term)s).")
                % {"symbol": existing.symbol, "term": existing.term}
            }
        )
        self.existing = existing


def _number_key(number: str) -> str:
    return number.lstrip("0") or "0"


@transaction.atomic
def directive_register(
    *,
    actor,
    unit: Unit,
    symbol: str,
    issued_on: date,
    title: str,
    summary: str = "",
    attachment=None,
) -> Directive:
    require(actor, Action.CHANGE, unit)
    try:
        parsed = parse_symbol(symbol)
    except ValueError as exc:
        raise ValidationError({"symbol": str(exc)}) from exc
    if attachment is not None:
        attachment = _checked_document(attachment, "attachment")
    term = term_of(parsed.issuer, issued_on)
    where = symbol_scope(parsed.issuer, unit.path, STEP)
    existing = Directive.objects.filter(
        issuer=parsed.issuer,
        doc_type=parsed.doc_type,
        number_key=_number_key(parsed.number),
        term=term,
        symbol_scope=where,
    ).first()
    if existing is not None:
        raise DuplicateDirective(existing)
    directive = Directive(
        symbol=str(parsed),
        number=parsed.number,
        number_key=_number_key(parsed.number),
        doc_type=parsed.doc_type,
        issuer=parsed.issuer,
        term=term,
        symbol_scope=where,
        issued_on=issued_on,
        title=nfc(title),
        summary=summary.strip(),
        unit=unit,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    ).fill_path()
    if attachment is not None:
        directive.attachment = attachment
    directive.full_clean()
    directive.save()
    record(actor, AuditAction.CREATE, directive)
    return directive


def document_register(
    actor, *, unit: Unit, symbol: str, issued_on, title: str, field: str, types, what: str
) -> Directive:
    """Register a decision or a notice a feature records (an inspection's decision, a speaker's
    recognition) in the register of documents, or take the one already registered under that
    symbol where the actor sees it. `types`: the document types accepted (e.g. {"QĐ"}); `what`
    names the document in the messages; errors by `field` (and `<field>_issued_on`)."""
    symbol = (symbol or "").strip()
    if not symbol:
        raise ValidationError({field: _("Hãy nhập số và ký hiệu của %(what)s.") % {"what": what}})
    if issued_on is None:
        raise ValidationError(
            {f"{field}_issued_on": _("Hãy nhập ngày ban hành của %(what)s.") % {"what": what}}
        )
    try:
        parsed = parse_symbol(symbol)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from exc
    if parsed.doc_type not in types:
        raise ValidationError(
            {
                field: _("%(symbol)s không phải là %(what)s (loại %(types)s).")
                % {"symbol": str(parsed), "what": what, "types": ", ".join(sorted(types))}
            }
        )
    try:
        return directive_register(
            actor=actor, unit=unit, symbol=symbol, issued_on=issued_on, title=title[:500]
        )
    except DuplicateDirective as exc:
        existing = exc.existing
        if actor is None or in_scope(actor, existing.unit_path):
            return existing
        raise ValidationError({field: exc.messages}) from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            named = {"symbol": field, "issued_on": f"{field}_issued_on", "title": field}
            raise ValidationError(
                {named.get(key, field): errors for key, errors in exc.error_dict.items()}
            ) from exc
        raise


def _checked_document(upload, field: str):
    """A PDF or Word file by its content (an HTML page named .pdf is not one), at most 20 MB,
    named with the extension of what it is."""
    try:
        kind = check_upload(upload, DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES)
    except FileRefused as exc:
        raise ValidationError({field: str(exc)}) from exc
    return named_for(upload, kind)


# Sending ------------------------------------------------------------------------------------


MAX_DAYS_AFTER = 36_500  # a deadline a hundred years after the document is already none
MAX_MONTHS_AFTER = 1_200


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class StepPlan:
    """When a step is due: a fixed date, or days or months after the receiver gets the document."""

    kind: str
    due_on: date | None = None
    days_after: int | None = None
    months_after: int | None = None

    def due_for(self, received_on: date) -> date:
        if self.due_on is not None:
            return self.due_on
        try:
            if self.months_after is not None:
                return add_months(received_on, self.months_after)
            return received_on + timedelta(days=self.days_after or 0)
        except (OverflowError, ValueError):
            raise ValidationError(_("Thời hạn tính ra vượt quá năm 9999.")) from None

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "days_after": self.days_after,
            "months_after": self.months_after,
        }

    def check(self) -> None:
        if self.kind not in StepKind.values:
            raise ValidationError(_("Bước “%(kind)s” không hợp lệ.") % {"kind": self.kind})
        given = [v for v in (self.due_on, self.days_after, self.months_after) if v is not None]
        if len(given) != 1:
            raise ValidationError(
                _("Bước “%(step)s”: hãy cho một thời hạn (một ngày, hoặc số ngày/tháng sau).")
                % {"step": StepKind(self.kind).label}
            )
        if any(isinstance(v, int) and v < 0 for v in given):
            raise ValidationError(_("Số ngày, số tháng phải là số dương."))
        if (self.days_after or 0) > MAX_DAYS_AFTER or (self.months_after or 0) > MAX_MONTHS_AFTER:
            raise ValidationError(
                _("Thời hạn quá xa: tối đa %(days)s ngày hoặc %(months)s tháng sau.")
                % {"days": MAX_DAYS_AFTER, "months": MAX_MONTHS_AFTER}
            )


def receivers_by(sender: Unit, *, levels=(), kinds=()) -> list[Unit]:
    """The active units of the sender's subtree (not the sender) of the given levels and kinds."""
    units = Unit.objects.subtree(sender).exclude(pk=sender.pk).active()
    if levels:
        units = units.filter(level__in=levels)
    if kinds:
        units = units.filter(kind__in=kinds)
    return list(units.order_by("path"))


@dataclass
class SendResult:
    dispatch: Dispatch
    assigned: int
    already: int


@transaction.atomic
def directive_send(
    *,
    actor,
    directive: Directive,
    sender: Unit,
    receivers: list[Unit],
    plan: list[StepPlan],
    sent_on: date | None = None,
    note: str = "",
) -> SendResult:
    """Send a document to units of the sender's subtree; each step becomes an obligation.

    A receiver that already has the document is skipped, so sending again is harmless. A unit
    that received the document can pass it further down, never with a later deadline than its
    own for the same step.
    """
    require(actor, Action.CHANGE, sender)
    sent_on = sent_on or timezone.localdate()
    if not plan:
        raise ValidationError(_("Hãy chọn ít nhất một bước phải thực hiện."))
    if len({p.kind for p in plan}) != len(plan):
        raise ValidationError(_("Mỗi bước chỉ chọn một lần."))
    for step_plan in plan:
        step_plan.check()
    if not receivers:
        raise ValidationError(_("Hãy chọn ít nhất một đơn vị nhận."))
    # Sends of one document wait for each other, so that the second sees the receivers the
    # first gave it to (and skips them) instead of colliding with its rows.
    list(Directive.objects.select_for_update().filter(pk=directive.pk).values_list("pk"))

    own = Assignment.objects.filter(directive=directive, unit=sender).first()
    if own is None and sender.pk != directive.unit_id:
        raise ValidationError(
            _("Đơn vị %(unit)s chưa nhận văn bản này nên không thể gửi tiếp.")
            % {"unit": sender.name}
        )
    limits = {}
    if own is not None:
        limits = dict(Step.objects.filter(assignment=own).values_list("kind", "due_on"))
    for step_plan in plan:
        due = step_plan.due_for(sent_on)
        limit = limits.get(step_plan.kind)
        if limit is not None and due > limit:
            raise ValidationError(
                _(
                    "Thời hạn bước “%(step)s” (%(due)s) muộn hơn thời hạn của chính đơn vị gửi "
                    "(%(limit)s)."
                )
                % {
                    "step": StepKind(step_plan.kind).label,
                    "due": due.strftime("%d/%m/%Y"),
                    "limit": limit.strftime("%d/%m/%Y"),
                }
            )
    for unit in receivers:
        if not unit.path.startswith(sender.path) or unit.pk == sender.pk:
            raise ValidationError(
                _("%(unit)s không thuộc phạm vi của đơn vị gửi.") % {"unit": unit.name}
            )

    already = set(
        Assignment.objects.filter(directive=directive, unit__in=receivers).values_list(
            "unit_id", flat=True
        )
    )
    new_units = [u for u in receivers if u.pk not in already]
    dispatch = Dispatch(
        directive=directive,
        sender=sender,
        parent=own.dispatch if own else None,
        sent_on=sent_on,
        plan=[p.as_json() for p in plan],
        note=note,
        sent_by=actor if actor is not None and actor.is_authenticated else None,
    ).fill_path()
    dispatch.save()
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                directive=directive, dispatch=dispatch, unit=u, received_on=sent_on
            ).fill_path()
            for u in new_units
        ],
        batch_size=2000,
    )
    # Per step of the plan, what every receiver gets: computed once, not once per row.
    steps_due = [(p.kind, step_title(p.kind, directive), p.due_for(sent_on)) for p in plan]
    obligations = obligations_create_many(
        actor=actor,
        items=[
            NewObligation(
                unit=a.unit,
                kind=ObligationKind.DIRECTIVE_STEP,
                title=title,
                due_on=due_on,
                source=directive,
            )
            for a in assignments
            for _kind, title, due_on in steps_due
        ],
        verb="send",
    )
    Step.objects.bulk_create(
        [
            Step(
                assignment=a,
                directive=directive,
                unit=a.unit,
                kind=kind,
                obligation=obligations[i * len(steps_due) + j],
                due_on=due_on,
            ).fill_path()
            for i, a in enumerate(assignments)
            for j, (kind, _title, due_on) in enumerate(steps_due)
        ],
        batch_size=2000,
    )
    # One audit entry for the send's own rows: the receivers and the plan say everything the
    # thousands of assignments and steps it created hold (they are all derived from them). The
    # obligations are audited by deadlines, like every obligation.
    dispatch.receiver_ids = [u.pk for u in new_units]
    record(actor, AuditAction.CREATE, dispatch, verb="send")
    if new_units:
        _tell_receivers(actor, dispatch, steps_due)
    return SendResult(dispatch=dispatch, assigned=len(assignments), already=len(already))


def step_title(kind: str, directive: Directive) -> Message:
    """A step's obligation: "Học tập, quán triệt 01-KL/TW", the step in the reader's language."""
    return Message(
        gettext_noop("%(step)s %(symbol)s"),
        step=label(StepKind(kind).label),
        symbol=directive.symbol,
    )


def _tell_receivers(actor, dispatch: Dispatch, steps_due: list[tuple[str, Message, date]]) -> None:
    """Tell the units that have just received the document: what it is, who sent it, the steps
    and the nearest deadline, and the sender's note. Each unit receives a document once, so its
    people are told of it once (the units that had it already are not among the new ones)."""
    directive = dispatch.directive
    title = Message(
        gettext_noop("Văn bản mới: %(symbol)s %(title)s"),
        symbol=directive.symbol,
        title=directive.title,
    )
    with site_language():
        lines = [
            _("%(sender)s gửi ngày %(day)s.")
            % {"sender": dispatch.sender.name, "day": format_date(dispatch.sent_on)},
            _("Các bước: %(steps)s.")
            % {
                "steps": "; ".join(
                    _("%(step)s (hạn %(due)s)")
                    % {"step": StepKind(kind).label, "due": format_date(due_on)}
                    for kind, _title, due_on in steps_due
                )
            },
            _("Hạn gần nhất: %(due)s.") % {"due": format_date(min(d for *_x, d in steps_due))},
        ]
        if dispatch.note.strip():
            lines.append(_("Ghi chú của đơn vị gửi: %(note)s") % {"note": dispatch.note.strip()})
    handover(
        to_units=Unit.objects.filter(assignments__dispatch=dispatch),
        kind=NotificationKind.DIRECTIVE_SENT,
        title=title,
        body="\n".join(lines),
        url=directive.get_absolute_url(),
        source=directive,
        event="send",
        actor=actor,
    )


# Recording ----------------------------------------------------------------------------------

EVIDENCE_FIELDS = {
    StepKind.PLAN: ("own_symbol", "own_issued_on"),
    StepKind.STUDY: ("attendees_cadres", "attendees_members", "expected"),
    StepKind.OUTREACH: ("channels", "audience"),
    StepKind.INTERIM_REVIEW: ("report_text", "report_file"),
    StepKind.FINAL_REVIEW: ("report_text", "report_file"),
    StepKind.REPORT: ("report_text", "report_file"),
}


@transaction.atomic
def step_record(*, actor, step: Step, done_on: date, **evidence) -> Step:
    """Record a step with its evidence; this closes its obligation on `done_on`."""
    require(actor, Action.CHANGE, step.unit)
    allowed = EVIDENCE_FIELDS[StepKind(step.kind)]
    unknown = set(evidence) - set(allowed)
    if unknown:
        raise ValidationError(_("Thông tin không dùng cho bước này: %s") % ", ".join(unknown))
    errors = {}
    if step.kind == StepKind.PLAN:
        if not evidence.get("own_symbol"):
            errors["own_symbol"] = _("Hãy ghi số, ký hiệu kế hoạch của đơn vị.")
        else:
            try:
                evidence["own_symbol"] = str(parse_symbol(evidence["own_symbol"]))
            except ValueError as exc:
                errors["own_symbol"] = str(exc)
    if step.kind == StepKind.STUDY:
        if not (evidence.get("attendees_cadres") or evidence.get("attendees_members")):
            errors["attendees_members"] = _("Hãy ghi số người dự hội nghị.")
        if not evidence.get("expected"):
            errors["expected"] = _("Hãy ghi số người phải dự để tính tỷ lệ.")
    if step.kind in (StepKind.INTERIM_REVIEW, StepKind.FINAL_REVIEW, StepKind.REPORT) and not (
        evidence.get("report_text") or evidence.get("report_file")
    ):
        errors["report_text"] = _("Hãy nhập nội dung báo cáo hoặc đính kèm tệp.")
    if evidence.get("report_file"):
        try:
            evidence["report_file"] = _checked_document(evidence["report_file"], "report_file")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    before = snapshot(step)
    for field, value in evidence.items():
        setattr(step, field, value)
    step.done_on = done_on
    step.full_clean()
    step.save()
    obligation_complete(actor=actor, obligation=step.obligation, done_on=done_on)
    record(actor, AuditAction.UPDATE, step, before=before, verb="record")
    return step
