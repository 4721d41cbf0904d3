"""Every write on public concerns, and the rules: intake, triage, the state machine, tell-back.

States follow what civic issue trackers use:

    new → acknowledged → forwarded (to a responsible body, with a due date) → answered → resolved
    new / acknowledged → duplicate | not our remit | no action needed

A report is "new" until the office groups it into a concern; a concern is opened already
acknowledged (or closed at once). An answered concern may be forwarded again when the answer
does not settle it, and a closed one may be reopened, with a reason.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.core.files import FileRefused, clean_photo
from tuyengiao.core.privacy import refuse_personal_data
from tuyengiao.core.stored_text import Message, label
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.deadlines.services import (
    obligation_complete,
    obligation_create,
    obligations_delete,
)
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.queries import told_in
from tuyengiao.notifications.services import handover, notify, site_language
from tuyengiao.org.models import STEP, Kind, Level, Unit, User
from tuyengiao.org.scope import Action, in_scope, roles_for
from tuyengiao.org.services import require
from tuyengiao.text import format_date
from tuyengiao.text.normalize import nfc, search_key

from .models import (
    CLOSED_STATES,
    Concern,
    ConcernEvent,
    ConcernPhoto,
    ConcernReport,
    ResponsibleBody,
    State,
    Summary,
    Topic,
    Urgency,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    State.NEW: frozenset(
        {State.ACKNOWLEDGED, State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION}
    ),
    State.ACKNOWLEDGED: frozenset(
        {State.FORWARDED, State.RESOLVED, State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION}
    ),
    State.FORWARDED: frozenset({State.FORWARDED, State.ANSWERED}),
    State.ANSWERED: frozenset({State.FORWARDED, State.RESOLVED}),
    State.RESOLVED: frozenset({State.ACKNOWLEDGED}),
    State.DUPLICATE: frozenset(),
    State.NOT_OUR_REMIT: frozenset({State.ACKNOWLEDGED}),
    State.NO_ACTION: frozenset({State.ACKNOWLEDGED}),
}

MAX_PHOTOS = 4
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_SIDE = 1600


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, frozenset())


def check_private(**texts: str) -> None:
    """Refuse free text holding personal data (phone, ID number, e-mail), field by field.

    Every text a collaborator writes or reads goes through it: the report's title and content,
    and the office's own texts told back to the reporter (the concern's title and summary, the
    notes on opening, forwarding, closing and reopening, the answer and the resolution)."""
    refuse_personal_data(**texts)


# --- intake ---------------------------------------------------------------------------------


def _clean_photo(upload) -> tuple[ContentFile, int, int]:
    """The photo re-encoded as JPEG without its metadata (`core.files.clean_photo`)."""
    try:
        return clean_photo(upload, side=PHOTO_SIDE, max_bytes=MAX_PHOTO_BYTES)
    except FileRefused as exc:
        raise ValidationError({"photos": str(exc)}) from exc


def report_submit(
    *,
    actor: User,
    unit: Unit,
    topic: Topic,
    title: str,
    content: str,
    spread: str,
    mood: str,
    source: str,
    urgency: int = Urgency.NORMAL,
    client_id=None,
    photos=(),
) -> tuple[ConcernReport, bool]:
    """Store a collaborator's report; (report, created). The same `client_id` sent again (a
    draft resent after a lost connection) returns the stored report and creates nothing."""
    require(actor, Action.REPORT_CONCERN, unit)
    # A resend with photos is answered before they are re-encoded again. Without photos the
    # unique constraint answers it: one query less for every report sent once.
    if client_id is not None and photos and (sent := _sent(actor, client_id)) is not None:
        return sent, False
    report = ConcernReport(
        reporter=actor,
        unit=unit,
        topic=topic,
        title=nfc(title or ""),
        content=(content or "").strip(),
        spread=spread,
        mood=mood,
        source=source,
        urgency=urgency,
        client_id=client_id,
    ).fill_path()
    try:
        cleaned = _checked(report, photos)
    except ValidationError:
        # A resend is answered with the stored report, whatever else it says.
        if client_id is None or (sent := _sent(actor, client_id)) is None:
            raise
        return sent, False
    try:
        with transaction.atomic():
            report.save()
            for file, width, height in cleaned:
                ConcernPhoto.objects.create(report=report, image=file, width=width, height=height)
            record(actor, AuditAction.CREATE, report)
            if report.urgency == Urgency.URGENT:
                _tell_office(report)
    except IntegrityError:
        # The same draft sent again, or twice at once: the first request stored it.
        if client_id is None or (sent := _sent(actor, client_id)) is None:
            raise
        return sent, False
    return report, True


def _sent(actor: User, client_id) -> ConcernReport | None:
    return ConcernReport.objects.filter(reporter=actor, client_id=client_id).first()


def _checked(report: ConcernReport, photos) -> list[tuple[ContentFile, int, int]]:
    """The report's photos re-encoded, once the report is found fit to store."""
    check_private(title=report.title, content=report.content)
    if not report.topic.active:
        raise ValidationError({"topic": _("Lĩnh vực này không còn dùng.")})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Tối đa %(n)d ảnh.") % {"n": MAX_PHOTOS}})
    report.search_key = search_key(f"{report.title} {report.content}")
    report.full_clean(exclude=["reporter", "unit", "topic", "concern"])
    return [_clean_photo(p) for p in photos]


def province_office(unit: Unit) -> list[int]:
    """The ids of the active office staff of the unit's province (its committee and agencies):
    those who work the concerns queue hear at once of an urgent report."""
    province = Unit.objects.filter(
        path__in=[*unit.ancestor_paths(), unit.path], level=Level.PROVINCE
    ).first()
    if province is None:
        return []
    units = Q(unit=province) | Q(unit__parent=province, unit__kind=Kind.AGENCY)
    return list(
        User.objects.filter(units, is_active=True, role__in=roles_for(Action.TRIAGE)).values_list(
            "pk", flat=True
        )
    )


def _tell_office(report: ConcernReport) -> None:
    recipients = province_office(report.unit)
    if recipients:
        notify(
            recipients,
            kind=NotificationKind.CONCERN_URGENT,
            title=Message(gettext_noop("Phản ánh khẩn: %(title)s"), title=report.title),
            body=_("%(unit)s · %(topic)s: %(content)s")
            % {"unit": report.unit.name, "topic": report.topic.name, "content": report.content},
            url=report.get_absolute_url(),
        )


# --- triage ---------------------------------------------------------------------------------


def common_unit(units: list[Unit]) -> Unit:
    """The lowest unit containing all of `units` (their common ancestor, or the unit itself)."""
    paths = [u.path for u in units]
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[:-STEP]
    known = {u.path: u for u in units}
    return known[prefix] if prefix in known else Unit.objects.get(path=prefix)


def _event(
    concern: Concern, actor, from_state: str, to_state: str, note: str = "", forwarded_to=""
) -> None:
    ConcernEvent.objects.create(
        concern=concern,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        note=note,
        forwarded_to=forwarded_to,
    )


def _refresh_counts(concern: Concern) -> None:
    agg = concern.reports.aggregate(first=Min("created_at"), urgency=Max("urgency"))
    concern.report_count = concern.reports.count()
    concern.first_reported_at = agg["first"] or concern.first_reported_at
    concern.urgency = max(agg["urgency"] or Urgency.NORMAL, Urgency.NORMAL)
    keys = concern.reports.values_list("title", flat=True)[:50]
    concern.search_key = search_key(" ".join([concern.title, concern.description, *keys]))


def _untriaged(reports: list[ConcernReport]) -> None:
    if not reports:
        raise ValidationError(_("Chọn ít nhất một phản ánh."))
    if any(r.concern_id for r in reports):
        raise ValidationError(_("Có phản ánh đã được phân loại vào một vấn đề khác."))


@transaction.atomic
def concern_open(
    *,
    actor,
    reports: list[ConcernReport],
    title: str,
    topic: Topic,
    description: str = "",
    state: str = State.ACKNOWLEDGED,
    note: str = "",
) -> Concern:
    """Open a new concern from untriaged reports: acknowledged, or closed at once (not our
    remit, no action needed) — the reporters are told either way."""
    reports = list(ConcernReport.objects.select_for_update().filter(pk__in=[r.pk for r in reports]))
    _untriaged(reports)
    for report in reports:
        require(actor, Action.CHANGE, report.unit)
    if state not in TRANSITIONS[State.NEW] or state == State.DUPLICATE:
        raise ValidationError({"state": _("Không thể mở vấn đề ở trạng thái này.")})
    title, description, note = nfc(title or ""), (description or "").strip(), (note or "").strip()
    check_private(title=title, description=description, note=note)
    if state in CLOSED_STATES and not note:
        raise ValidationError({"note": _("Hãy ghi lý do.")})
    unit = common_unit([r.unit for r in reports])
    now = timezone.now()
    concern = Concern(
        unit=unit,
        topic=topic,
        title=title,
        description=description,
        state=state,
        first_reported_at=min(r.created_at for r in reports),
        created_by=actor,
        acknowledged_at=now,
        closed_at=now if state in CLOSED_STATES else None,
        closing_note=note if state in CLOSED_STATES else "",
    ).fill_path()
    concern.full_clean(exclude=["unit", "topic", "created_by"])
    concern.save()
    ConcernReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        concern=concern, triaged_at=now
    )
    _refresh_counts(concern)
    concern.save()
    record(actor, AuditAction.CREATE, concern)
    _event(concern, actor, State.NEW, state, note)
    _tell_reporters(concern, reporters=[r.reporter_id for r in reports])
    return concern


@transaction.atomic
def reports_attach(*, actor, concern: Concern, reports: list[ConcernReport]) -> Concern:
    """Group more reports (from any commune, any day) into a concern; its place widens to the
    lowest unit containing them all."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    reports = list(ConcernReport.objects.select_for_update().filter(pk__in=[r.pk for r in reports]))
    _untriaged(reports)
    if concern.state == State.DUPLICATE:
        raise ValidationError(_("Vấn đề này đã được đánh dấu trùng; hãy gộp vào vấn đề gốc."))
    for report in reports:
        require(actor, Action.CHANGE, report.unit)
    unit = common_unit([concern.unit, *[r.unit for r in reports]])
    require(actor, Action.CHANGE, unit)
    before = snapshot(concern)
    ConcernReport.objects.filter(pk__in=[r.pk for r in reports]).update(
        concern=concern, triaged_at=timezone.now()
    )
    concern.unit = unit
    concern.fill_path()
    _refresh_counts(concern)
    concern.save()
    record(actor, AuditAction.UPDATE, concern, before=before, verb="attach")
    _tell_reporters(concern, reporters=[r.reporter_id for r in reports])
    return concern


# --- the state machine ----------------------------------------------------------------------


def check_transition(from_state: str, to_state: str) -> None:
    if not allowed(from_state, to_state):
        raise ValidationError(
            _("Không thể chuyển vấn đề từ “%(from)s” sang “%(to)s”.")
            % {"from": State(from_state).label, "to": State(to_state).label}
        )


def _move(
    concern: Concern,
    actor,
    to_state: str,
    note: str,
    verb: str,
    told=(),
    forwarded_to: str = "",
    **changes,
) -> Concern:
    """Apply one transition: check it, write it, audit it, record it, tell the reporters (but
    those `told` of it already in this action, as the receiving side of a handover)."""
    check_transition(concern.state, to_state)
    before = snapshot(concern)
    from_state = concern.state
    for field, value in changes.items():
        setattr(concern, field, value)
    concern.state = to_state
    concern.save()
    record(actor, AuditAction.UPDATE, concern, before=before, verb=verb)
    _event(concern, actor, from_state, to_state, note, forwarded_to)
    _tell_reporters(concern, told=told)
    return concern


def _locked(concern: Concern) -> Concern:
    # of=self: PostgreSQL cannot lock the nullable side of the outer join to the obligation.
    return (
        Concern.objects.select_for_update(of=("self",))
        .select_related("unit", "obligation")
        .get(pk=concern.pk)
    )


@transaction.atomic
def concern_forward(
    *,
    actor,
    concern: Concern,
    due_on: date,
    responsible: Unit | None = None,
    body: ResponsibleBody | None = None,
    note: str = "",
) -> Concern:
    """Forward to the one that must answer, by `due_on`: a unit below (its obligation), or a
    body of the list of the concern's unit or of a unit above — then the obligation is the
    concern's unit's, on the body's behalf, titled with its name, and the office records the
    body's answer."""
    from .bodies import forward_bodies

    concern = _locked(concern)
    require(actor, Action.CHANGE, concern.unit)
    if (responsible is None) == (body is None):
        raise ValidationError({"body": _("Chọn một cơ quan hoặc một đơn vị để chuyển.")})
    if body is not None and not forward_bodies(concern.unit).filter(pk=body.pk).exists():
        raise ValidationError({"body": _("Cơ quan này không có trong danh sách của đơn vị.")})
    note = (note or "").strip()
    check_private(note=note)
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Hạn trả lời không thể ở quá khứ.")})
    if concern.obligation_id and concern.obligation.done_on is None:
        # Forwarded to the wrong body: the first one owes nothing any more.
        obligations_delete(actor=actor, obligations=[concern.obligation], verb="reroute")
        concern.obligation = None
    if body is not None:
        owner = concern.unit
        title = Message(
            gettext_noop("%(body)s trả lời vấn đề dư luận: %(title)s"),
            body=body.name,
            title=concern.title,
        )
    else:
        owner = responsible
        title = Message(gettext_noop("Trả lời vấn đề dư luận: %(title)s"), title=concern.title)
    obligation = obligation_create(
        actor=actor,
        unit=owner,
        kind=ObligationKind.CONCERN_ANSWER,
        title=title,
        due_on=due_on,
        source=concern,
        note=note,
    )
    told = ()
    if responsible is not None:
        title = Message(gettext_noop("Vấn đề dư luận chuyển đến: %(title)s"), title=concern.title)
        with site_language():
            text = _("%(office)s chuyển ngày %(day)s, hạn trả lời %(due)s.") % {
                "office": concern.unit.name,
                "day": format_date(timezone.localdate()),
                "due": format_date(due_on),
            }
            if note:
                text += "\n" + _("Ghi chú: %(note)s") % {"note": note}
        batch = handover(
            to_units=responsible,
            kind=NotificationKind.CONCERN_FORWARD,
            title=title,
            body=text,
            url=concern.get_absolute_url(),
            source=concern,
            # Sent again to the same body with the same due date (a double submit) is the same
            # handover; another body, or a new due date after an answer, is a new one.
            event=f"forward:{responsible.pk}:{due_on.isoformat()}",
            actor=actor,
        )
        told = told_in(batch)
    return _move(
        concern,
        actor,
        State.FORWARDED,
        note,
        "forward",
        told=told,
        forwarded_to=body.name if body else responsible.name,
        responsible=responsible,
        body=body,
        due_on=due_on,
        obligation=obligation,
        forwarded_at=timezone.now(),
    )


def may_answer(user, concern: Concern) -> bool:
    units = [concern.unit, concern.responsible]
    return any(u is not None and in_scope(user, u.path, Action.CHANGE) for u in units)


@transaction.atomic
def concern_answer(*, actor, concern: Concern, answer: str) -> Concern:
    """Record the responsible body's answer (by that body or by the office); the obligation to
    answer is done today."""
    concern = _locked(concern)
    if actor is not None and not may_answer(actor, concern):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Hãy nhập nội dung trả lời.")})
    check_private(answer=answer)
    now = timezone.now()
    obligation = concern.obligation
    if obligation is not None and obligation.done_on is None and concern.state == State.FORWARDED:
        # The office may record it for the body (deadlines lets the source's unit do it).
        obligation_complete(actor=actor, obligation=obligation)
    told = ()
    # The office that forwarded the concern hears of an answer someone else recorded (the
    # responsible body, or a unit above); one it recorded itself is no news to it.
    if actor is None or actor.unit_id != concern.unit_id:
        title = Message(gettext_noop("Đã có trả lời: %(title)s"), title=concern.title)
        with site_language():
            body = _("%(who)s trả lời ngày %(day)s: %(answer)s") % {
                "who": concern.answerer_name or concern.unit.name,
                "day": format_date(timezone.localdate()),
                "answer": answer,
            }
        told = told_in(
            handover(
                to_units=concern.unit,
                kind=NotificationKind.CONCERN_ANSWER,
                title=title,
                body=body,
                url=concern.get_absolute_url(),
                source=concern,
                # One answer per forwarding: the obligation it answers names the round.
                event=f"answer:{concern.obligation_id or 0}",
                actor=actor,
            )
        )
    return _move(
        concern, actor, State.ANSWERED, "", "answer", told=told, answer=answer, answered_at=now
    )


@transaction.atomic
def concern_resolve(*, actor, concern: Concern, resolution: str) -> Concern:
    concern = _locked(concern)
    require(actor, Action.CHANGE, concern.unit)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Hãy ghi kết quả giải quyết.")})
    check_private(resolution=resolution)
    now = timezone.now()
    return _move(
        concern,
        actor,
        State.RESOLVED,
        "",
        "resolve",
        resolution=resolution,
        resolved_at=now,
        closed_at=now,
    )


@transaction.atomic
def concern_close(
    *, actor, concern: Concern, state: str, note: str = "", duplicate_of: Concern | None = None
) -> Concern:
    """Close without action: a duplicate (its reports join the original), not our remit, or no
    action needed."""
    concern = _locked(concern)
    require(actor, Action.CHANGE, concern.unit)
    if state not in (State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION):
        raise ValidationError({"state": _("Chọn cách đóng vấn đề.")})
    check_transition(concern.state, state)
    note = (note or "").strip()
    check_private(note=note)
    if state == State.DUPLICATE:
        if duplicate_of is not None:  # its state as stored now, not as the caller last saw it
            duplicate_of = Concern.objects.select_for_update().get(pk=duplicate_of.pk)
        if duplicate_of is None or duplicate_of.pk == concern.pk:
            raise ValidationError({"duplicate_of": _("Chọn vấn đề gốc.")})
        if duplicate_of.state == State.DUPLICATE:
            raise ValidationError({"duplicate_of": _("Vấn đề gốc cũng đã bị đánh dấu trùng.")})
        # The reports join the original, whose reporters are told from now on.
        reports = list(concern.reports.all())
        ConcernReport.objects.filter(concern=concern).update(concern=None)
        if reports:
            reports_attach(actor=actor, concern=duplicate_of, reports=reports)
        concern.report_count = 0
    elif not note:
        raise ValidationError({"note": _("Hãy ghi lý do.")})
    return _move(
        concern,
        actor,
        state,
        note,
        "close",
        closing_note=note,
        duplicate_of=duplicate_of if state == State.DUPLICATE else None,
        closed_at=timezone.now(),
    )


@transaction.atomic
def concern_reopen(*, actor, concern: Concern, reason: str) -> Concern:
    concern = _locked(concern)
    require(actor, Action.CHANGE, concern.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    check_private(reason=reason)
    return _move(
        concern, actor, State.ACKNOWLEDGED, reason, "reopen", closed_at=None, resolved_at=None
    )


@transaction.atomic
def concern_update(
    *, actor, concern: Concern, title: str, description: str, topic: Topic
) -> Concern:
    concern = _locked(concern)
    require(actor, Action.CHANGE, concern.unit)
    title, description = nfc(title or ""), (description or "").strip()
    check_private(title=title, description=description)
    before = snapshot(concern)
    concern.title, concern.description, concern.topic = title, description, topic
    concern.full_clean(exclude=["unit", "topic", "created_by", "responsible", "duplicate_of"])
    _refresh_counts(concern)
    concern.save()
    record(actor, AuditAction.UPDATE, concern, before=before)
    return concern


# --- telling back ---------------------------------------------------------------------------


def _tell_reporters(concern: Concern, reporters: list[int] | None = None, told=()) -> None:
    """Tell each collaborator whose report is in the concern what became of it (but those
    `told` of it already in the same action: a query of user ids)."""
    if reporters is None:
        reports = concern.reports.all()
        if isinstance(told, QuerySet) or told:
            reports = reports.exclude(reporter_id__in=told)
        reporters = list(reports.values_list("reporter_id", flat=True).distinct())
    if not reporters:
        return
    state = label(State(concern.state).label)
    body = {
        State.ANSWERED: concern.answer,
        State.RESOLVED: concern.resolution,
    }.get(concern.state, concern.closing_note)
    notify(
        reporters,
        kind=NotificationKind.CONCERN_UPDATE,
        title=Message(
            gettext_noop("Phản ánh “%(title)s”: %(state)s"), title=concern.title, state=state
        ),
        body=body,
        url=concern_url_for_reporter(concern),
    )


def concern_url_for_reporter(concern: Concern) -> str:
    from django.urls import reverse

    return reverse("concerns:mine") + f"?concern={concern.pk}#concern-{concern.pk}"


# --- topics and summaries -------------------------------------------------------------------


@transaction.atomic
def summary_save(
    *, actor, unit: Unit, kind: str, start: date, end: date, text: str, symbol: str = ""
) -> Summary:
    require(actor, Action.CHANGE, unit)
    summary = Summary.objects.select_for_update().filter(unit=unit, kind=kind, start=start).first()
    before = snapshot(summary) if summary else None
    if summary is None:
        summary = Summary(unit=unit, kind=kind, start=start).fill_path()
    summary.end, summary.text, summary.symbol, summary.saved_by = end, text, symbol, actor
    summary.full_clean(exclude=["unit", "saved_by"])
    summary.save()
    record(actor, AuditAction.UPDATE if before else AuditAction.CREATE, summary, before=before)
    return summary
