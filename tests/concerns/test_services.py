"""The rules of triage and follow-up: the state machine, grouping, forwarding with an obligation,
the audit trail and timeline, telling the reporters back, urgent alerts, scope and privacy."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.models import Concern, ConcernEvent, ConcernReport, State, Urgency
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.deadlines.models import State as Due
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.org.models import Role

from .conftest import submit, topic

# The legal moves, written out from the issue: new → acknowledged → forwarded → answered →
# resolved; new or acknowledged → duplicate | not our remit | no action; an answer that does not
# settle it is forwarded again; a forwarded concern may be rerouted; closed ones reopen.
LEGAL = {
    State.NEW: {State.ACKNOWLEDGED, State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION},
    State.ACKNOWLEDGED: {
        State.FORWARDED,
        State.RESOLVED,
        State.DUPLICATE,
        State.NOT_OUR_REMIT,
        State.NO_ACTION,
    },
    State.FORWARDED: {State.FORWARDED, State.ANSWERED},
    State.ANSWERED: {State.FORWARDED, State.RESOLVED},
    State.RESOLVED: {State.ACKNOWLEDGED},
    State.DUPLICATE: set(),
    State.NOT_OUR_REMIT: {State.ACKNOWLEDGED},
    State.NO_ACTION: {State.ACKNOWLEDGED},
}


def open_concern(actor, reports, title="Ô nhiễm khói bụi nhà máy gạch", **kw):
    return services.concern_open(actor=actor, reports=reports, title=title, topic=topic(), **kw)


def forward(actor, concern, unit, days=10):
    due = timezone.localdate() + timedelta(days=days)
    return services.concern_forward(actor=actor, concern=concern, responsible=unit, due_on=due)


def concern_in(world, state: State) -> Concern:
    """A concern brought to `state` through the services, by the province manager."""
    boss = world.province_manager
    report = submit(world.collaborator, title=f"Phản ánh để thử trạng thái {state}")
    if state in (State.NOT_OUR_REMIT, State.NO_ACTION):
        return open_concern(boss, [report], state=state, note="Lý do")
    concern = open_concern(boss, [report])
    if state in (State.FORWARDED, State.ANSWERED):
        concern = forward(boss, concern, world.commune)
    if state == State.ANSWERED:
        concern = services.concern_answer(actor=boss, concern=concern, answer="Đã kiểm tra")
    if state == State.RESOLVED:
        concern = services.concern_resolve(actor=boss, concern=concern, resolution="Xong")
    if state == State.DUPLICATE:
        original = open_concern(boss, [submit(world.collaborator, title="Bản gốc")])
        concern = services.concern_close(
            actor=boss, concern=concern, state=State.DUPLICATE, duplicate_of=original
        )
    assert concern.state == state
    return concern


def move_to(world, concern: Concern, to: State, other: Concern | None = None):
    """Ask the service that leads to `to`, with everything else it needs filled in (`other`:
    the original, for a duplicate)."""
    boss = world.province_manager
    if to == State.ACKNOWLEDGED:
        return services.concern_reopen(actor=boss, concern=concern, reason="Có thông tin mới")
    if to == State.FORWARDED:
        return forward(boss, concern, world.commune2)
    if to == State.ANSWERED:
        return services.concern_answer(actor=boss, concern=concern, answer="Trả lời")
    if to == State.RESOLVED:
        return services.concern_resolve(actor=boss, concern=concern, resolution="Đã xử lý")
    if to == State.DUPLICATE:
        return services.concern_close(
            actor=boss, concern=concern, state=to, duplicate_of=other, note="Trùng"
        )
    return services.concern_close(actor=boss, concern=concern, state=to, note="Lý do")


# --- the state machine ----------------------------------------------------------------------


def test_the_transition_table_is_the_one_of_the_issue():
    for from_state in State:
        for to_state in State:
            assert services.allowed(from_state, to_state) == (to_state in LEGAL[from_state]), (
                from_state,
                to_state,
            )


ILLEGAL = [
    (from_state, to_state)
    for from_state in State
    if from_state != State.NEW  # a concern is opened acknowledged (or closed), never new
    for to_state in State
    if to_state != State.NEW and to_state not in LEGAL[from_state]
]


@pytest.mark.parametrize(("from_state", "to_state"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(world, from_state, to_state):
    concern = concern_in(world, from_state)
    other = open_concern(world.province_manager, [submit(world.collaborator, title="Vấn đề khác")])
    events, entries = ConcernEvent.objects.count(), AuditEntry.objects.count()
    obligations, notes = Obligation.objects.count(), Notification.objects.count()
    with pytest.raises(ValidationError):
        move_to(world, concern, to_state, other)
    concern.refresh_from_db()
    assert concern.state == from_state
    assert ConcernEvent.objects.count() == events
    assert Obligation.objects.count() == obligations
    assert Notification.objects.count() == notes
    assert AuditEntry.objects.count() == entries


def test_a_concern_cannot_be_opened_new_or_as_a_duplicate(world):
    report = submit(world.collaborator)
    for state in (State.NEW, State.DUPLICATE, State.RESOLVED, State.FORWARDED):
        with pytest.raises(ValidationError) as refused:
            open_concern(world.province_manager, [report], state=state)
        assert "state" in refused.value.message_dict
    assert not Concern.objects.exists()


def test_the_happy_path_writes_one_event_per_step_and_an_audit_entry_each(world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    concern = forward(boss, concern, world.commune)
    concern = services.concern_answer(actor=boss, concern=concern, answer="Nhà máy lắp lọc bụi")
    concern = services.concern_resolve(actor=boss, concern=concern, resolution="Đã hết khói")
    steps = list(ConcernEvent.objects.filter(concern=concern).values_list("from_state", "to_state"))
    assert steps == [
        (State.NEW, State.ACKNOWLEDGED),
        (State.ACKNOWLEDGED, State.FORWARDED),
        (State.FORWARDED, State.ANSWERED),
        (State.ANSWERED, State.RESOLVED),
    ]
    assert set(ConcernEvent.objects.values_list("actor", flat=True)) == {boss.pk}
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Concern), object_id=str(concern.pk)
    ).order_by("at", "id")
    assert [(e.action, e.verb) for e in entries] == [
        ("create", ""),
        ("update", "forward"),
        ("update", "answer"),
        ("update", "resolve"),
    ]
    assert all(e.actor_id == boss.pk for e in entries)
    assert entries.last().before["state"] == State.ANSWERED
    assert entries.last().after["state"] == State.RESOLVED
    assert concern.resolution == "Đã hết khói"
    assert concern.resolved_at is not None and concern.closed_at is not None


def test_closing_without_action_needs_a_reason(world):
    concern = open_concern(world.province_manager, [submit(world.collaborator)])
    for state in (State.NOT_OUR_REMIT, State.NO_ACTION):
        with pytest.raises(ValidationError) as refused:
            services.concern_close(
                actor=world.province_manager, concern=concern, state=state, note="  "
            )
        assert "note" in refused.value.message_dict
    concern = services.concern_close(
        actor=world.province_manager,
        concern=concern,
        state=State.NOT_OUR_REMIT,
        note="Thuộc thẩm quyền UBND tỉnh",
    )
    assert concern.closing_note == "Thuộc thẩm quyền UBND tỉnh"
    assert concern.closed_at is not None
    assert ConcernEvent.objects.filter(concern=concern).last().note == "Thuộc thẩm quyền UBND tỉnh"


def test_a_concern_closed_at_once_needs_a_reason_too(world):
    report = submit(world.collaborator)
    for state in (State.NOT_OUR_REMIT, State.NO_ACTION):
        with pytest.raises(ValidationError) as refused:
            open_concern(world.province_manager, [report], state=state, note=" ")
        assert "note" in refused.value.message_dict
    assert not Concern.objects.exists()
    concern = open_concern(world.province_manager, [report], state=State.NO_ACTION, note="Tin đồn")
    assert (concern.closing_note, concern.closed_at is not None) == ("Tin đồn", True)


def test_answer_and_resolution_must_say_something(world):
    concern = forward(
        world.province_manager,
        open_concern(world.province_manager, [submit(world.collaborator)]),
        world.commune,
    )
    with pytest.raises(ValidationError) as refused:
        services.concern_answer(actor=world.province_manager, concern=concern, answer=" ")
    assert "answer" in refused.value.message_dict
    concern = services.concern_answer(actor=world.province_manager, concern=concern, answer="Có")
    with pytest.raises(ValidationError) as refused:
        services.concern_resolve(actor=world.province_manager, concern=concern, resolution="")
    assert "resolution" in refused.value.message_dict


# --- grouping -------------------------------------------------------------------------------


def test_a_concern_lies_at_the_lowest_unit_holding_all_its_reports(world):
    staff = UserFactory(unit=world.cell, role=Role.COLLABORATOR)
    staff2 = UserFactory(unit=world.cell2, role=Role.COLLABORATOR)
    concern = open_concern(world.province_manager, [submit(staff), submit(staff2)])
    assert concern.unit == world.commune
    assert concern.unit_path == world.commune.path
    assert concern.report_count == 2


def test_attaching_a_report_from_another_commune_widens_the_concern_to_the_province(
    world, collaborator2
):
    first = submit(world.collaborator)
    concern = open_concern(world.province_manager, [first])
    assert concern.unit == world.commune
    later = submit(collaborator2, title="Khói nhà máy gạch bay sang xã bên", urgency=Urgency.URGENT)
    concern = services.reports_attach(
        actor=world.province_manager, concern=concern, reports=[later]
    )
    concern.refresh_from_db()
    assert concern.unit == world.province
    assert concern.unit_path == world.province.path
    assert concern.report_count == 2
    assert concern.urgency == Urgency.URGENT
    assert concern.first_reported_at == first.created_at
    assert set(concern.reports.values_list("pk", flat=True)) == {first.pk, later.pk}
    later.refresh_from_db()
    assert later.triaged_at is not None
    assert "khoi nha may gach bay sang" in concern.search_key
    entry = AuditEntry.objects.get(verb="attach")
    assert entry.before["unit_id"] == world.commune.pk
    assert entry.after["unit_id"] == world.province.pk


def test_a_report_is_grouped_once(world):
    report = submit(world.collaborator)
    concern = open_concern(world.province_manager, [report])
    other = open_concern(world.province_manager, [submit(world.collaborator, title="Khác")])
    with pytest.raises(ValidationError):
        services.reports_attach(actor=world.province_manager, concern=other, reports=[report])
    with pytest.raises(ValidationError):
        open_concern(world.province_manager, [report])
    assert ConcernReport.objects.get(pk=report.pk).concern == concern


def test_a_duplicate_hands_its_reports_to_the_original(world, collaborator2):
    boss = world.province_manager
    original = open_concern(boss, [submit(world.collaborator)])
    dup_reports = [submit(collaborator2, title="Khói nhà máy gạch"), submit(world.collaborator)]
    duplicate = open_concern(boss, dup_reports, title="Khói nhà máy gạch (lặp)")
    seen = Notification.objects.latest("id").pk
    duplicate = services.concern_close(
        actor=boss, concern=duplicate, state=State.DUPLICATE, duplicate_of=original
    )
    assert duplicate.state == State.DUPLICATE
    assert duplicate.duplicate_of == original
    assert duplicate.report_count == 0
    original.refresh_from_db()
    assert original.report_count == 3
    assert set(ConcernReport.objects.values_list("concern", flat=True)) == {original.pk}
    assert original.unit == world.province  # its reports now come from two communes
    # the reporters of the moved reports hear of the original from now on
    told = Notification.objects.filter(kind=NotificationKind.CONCERN_UPDATE, pk__gt=seen)
    assert {n.recipient_id for n in told} == {world.collaborator.pk, collaborator2.pk}
    assert all(original.title in n.title for n in told)
    with pytest.raises(ValidationError):
        services.reports_attach(
            actor=boss, concern=duplicate, reports=[submit(world.collaborator, title="Mới")]
        )


def test_a_duplicate_needs_an_original_that_is_not_itself_a_duplicate(world):
    boss = world.province_manager
    a = open_concern(boss, [submit(world.collaborator, title="A")])
    b = open_concern(boss, [submit(world.collaborator, title="B")])
    c = open_concern(boss, [submit(world.collaborator, title="C")])
    for original in (None, a):  # none chosen, or itself
        with pytest.raises(ValidationError) as refused:
            services.concern_close(
                actor=boss, concern=a, state=State.DUPLICATE, duplicate_of=original
            )
        assert "duplicate_of" in refused.value.message_dict
    services.concern_close(actor=boss, concern=b, state=State.DUPLICATE, duplicate_of=a)
    with pytest.raises(ValidationError) as refused:
        services.concern_close(actor=boss, concern=c, state=State.DUPLICATE, duplicate_of=b)
    assert "duplicate_of" in refused.value.message_dict


# --- forwarding and answering ---------------------------------------------------------------


def test_forwarding_creates_an_obligation_of_the_responsible_unit_due_on_the_date(world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    due = timezone.localdate() + timedelta(days=15)
    concern = services.concern_forward(
        actor=boss, concern=concern, responsible=world.commune, due_on=due, note="Xã kiểm tra"
    )
    obligation = concern.obligation
    assert obligation.unit == world.commune
    assert obligation.kind == ObligationKind.CONCERN_ANSWER
    assert obligation.due_on == due
    assert obligation.source == concern
    assert obligation.done_on is None
    assert Obligation.objects.with_state().get(pk=obligation.pk).state == Due.PENDING
    assert (concern.responsible, concern.due_on) == (world.commune, due)
    assert concern.forwarded_at is not None
    assert ConcernEvent.objects.filter(concern=concern).last().note == "Xã kiểm tra"


def test_the_answer_completes_the_obligation(world, today):
    boss = world.province_manager
    concern = forward(boss, open_concern(boss, [submit(world.collaborator)]), world.commune)
    concern = services.concern_answer(actor=boss, concern=concern, answer="Đã đình chỉ lò")
    obligation = Obligation.objects.with_state().get(pk=concern.obligation_id)
    assert obligation.done_on == today
    assert obligation.state == Due.DONE_ON_TIME
    assert concern.answer == "Đã đình chỉ lò"
    assert concern.answered_at is not None


def test_the_responsible_body_answers_a_concern_of_the_unit_above(world):
    boss = world.province_manager
    concern = open_concern(boss, [submit(world.collaborator)])
    services.reports_attach(
        actor=boss,
        concern=concern,
        reports=[submit(boss, unit=world.commune2, title="Khói bụi ở xã Ngân Sơn")],
    )
    concern = forward(boss, Concern.objects.get(pk=concern.pk), world.commune)
    assert concern.unit == world.province
    staff = world.commune_staff  # Xã Hoà An: the responsible body, below the concern
    assert services.may_answer(staff, concern)
    concern = services.concern_answer(actor=staff, concern=concern, answer="Xã đã làm việc")
    assert concern.state == State.ANSWERED
    assert Obligation.objects.get(pk=concern.obligation_id).done_by == staff
    # but the rest stays with the office that owns the concern
    with pytest.raises(PermissionDenied):
        services.concern_resolve(actor=staff, concern=concern, resolution="Xong")


def test_a_due_date_in_the_past_is_refused(world):
    concern = open_concern(world.province_manager, [submit(world.collaborator)])
    with pytest.raises(ValidationError) as refused:
        forward(world.province_manager, concern, world.commune, days=-1)
    assert "due_on" in refused.value.message_dict
    assert not Obligation.objects.exists()


def test_rerouting_drops_the_first_bodys_obligation(world):
    boss = world.province_manager
    concern = forward(boss, open_concern(boss, [submit(world.collaborator)]), world.commune)
    first = concern.obligation_id
    concern = forward(boss, concern, world.commune2, days=20)
    assert not Obligation.objects.filter(pk=first).exists()
    assert concern.obligation.unit == world.commune2
    assert Obligation.objects.count() == 1
    assert AuditEntry.objects.filter(verb="reroute", object_id=str(first)).exists()


def test_an_answer_that_settles_nothing_is_forwarded_again_with_a_new_obligation(world, today):
    boss = world.province_manager
    concern = forward(boss, open_concern(boss, [submit(world.collaborator)]), world.commune)
    concern = services.concern_answer(actor=boss, concern=concern, answer="Chưa rõ")
    answered = concern.obligation_id
    concern = forward(boss, concern, world.commune2)
    assert concern.state == State.FORWARDED
    assert Obligation.objects.get(pk=answered).done_on == today  # the first one stays done
    assert concern.obligation_id != answered


# --- reopening ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [State.RESOLVED, State.NOT_OUR_REMIT, State.NO_ACTION])
def test_a_closed_concern_reopens_with_a_reason(world, state):
    concern = concern_in(world, state)
    with pytest.raises(ValidationError) as refused:
        services.concern_reopen(actor=world.province_manager, concern=concern, reason="")
    assert "reason" in refused.value.message_dict
    concern = services.concern_reopen(
        actor=world.province_manager, concern=concern, reason="Người dân lại phản ánh"
    )
    assert concern.state == State.ACKNOWLEDGED
    assert concern.closed_at is None and concern.resolved_at is None
    event = ConcernEvent.objects.filter(concern=concern).last()
    assert (event.from_state, event.to_state, event.note) == (
        state,
        State.ACKNOWLEDGED,
        "Người dân lại phản ánh",
    )


# --- telling back ---------------------------------------------------------------------------


def test_every_change_tells_each_distinct_reporter_once(world, collaborator2):
    boss = world.province_manager
    reports = [
        submit(world.collaborator),
        submit(world.collaborator, title="Khói nhà máy gạch lại bốc lên"),
        submit(collaborator2, title="Khói bụi nhà máy gạch"),
    ]
    reporters = {world.collaborator.pk, collaborator2.pk}

    def told():
        notes = Notification.objects.filter(kind=NotificationKind.CONCERN_UPDATE)
        return sorted(notes.values_list("recipient_id", flat=True))

    concern = open_concern(boss, reports)
    assert told() == sorted(reporters)
    steps = [
        lambda c: forward(boss, c, world.commune),
        lambda c: services.concern_answer(actor=boss, concern=c, answer="Đang xử lý"),
        lambda c: services.concern_resolve(actor=boss, concern=c, resolution="Đã di dời lò"),
        lambda c: services.concern_reopen(actor=boss, concern=c, reason="Lò hoạt động lại"),
        lambda c: services.concern_close(actor=boss, concern=c, state=State.NO_ACTION, note="x"),
    ]
    for n, step in enumerate(steps, start=2):
        concern = step(concern)
        assert told() == sorted(pk for pk in reporters for _time in range(n))
        latest = Notification.objects.filter(recipient=world.collaborator).latest("id")
        assert concern.get_state_display() in latest.title
        assert latest.url.startswith("/concerns/mine/")
    resolved = Notification.objects.filter(
        recipient=collaborator2, title__contains="Đã giải quyết"
    ).get()
    assert resolved.body == "Đã di dời lò"
    assert not Notification.objects.exclude(recipient__in=reporters).filter(
        kind=NotificationKind.CONCERN_UPDATE
    )


def test_a_report_closed_at_once_is_told_back_with_the_reason(world):
    open_concern(
        world.province_manager,
        [submit(world.collaborator)],
        state=State.NOT_OUR_REMIT,
        note="Việc của UBND",
    )
    note = Notification.objects.get(recipient=world.collaborator)
    assert note.kind == NotificationKind.CONCERN_UPDATE
    assert "Không thuộc thẩm quyền" in note.title
    assert note.body == "Việc của UBND"


def test_an_urgent_report_alerts_the_province_office_at_once(world, collaborator2):
    office_staff = UserFactory(unit=world.office, role=Role.STAFF)
    office_viewer = UserFactory(unit=world.office, role=Role.VIEWER)
    province_viewer = UserFactory(unit=world.province, role=Role.VIEWER)
    UserFactory(unit=world.other_province, role=Role.STAFF)
    UserFactory(unit=world.province, role=Role.COLLABORATOR)
    UserFactory(unit=world.province, role=Role.STAFF, is_active=False)
    submit(world.collaborator, title="Sạt lở đất đe dọa nhà dân", urgency=Urgency.HIGH)
    assert not Notification.objects.exists()

    report = submit(collaborator2, title="Sạt lở đất vùi lấp đường", urgency=Urgency.URGENT)
    alerts = Notification.objects.filter(kind=NotificationKind.CONCERN_URGENT)
    assert set(alerts.values_list("recipient_id", flat=True)) == {
        world.province_manager.pk,
        world.province_admin.pk,
        office_staff.pk,
    }
    alert = alerts.first()
    assert "Sạt lở đất vùi lấp đường" in alert.title
    assert alert.url == f"/concerns/reports/{report.pk}/"
    for nobody in (office_viewer, province_viewer, world.neighbour, world.cell_viewer):
        assert not Notification.objects.filter(recipient=nobody).exists()
    assert not Notification.objects.filter(recipient__role=Role.COLLABORATOR).exists()


# --- scope and privacy ----------------------------------------------------------------------


def test_a_commune_cannot_triage_outside_its_subtree(world, collaborator2):
    staff = world.commune_staff  # Xã Hoà An
    elsewhere = submit(collaborator2)  # Xã Ngân Sơn
    with pytest.raises(PermissionDenied):
        open_concern(staff, [elsewhere])
    own = open_concern(staff, [submit(world.collaborator)])
    with pytest.raises(PermissionDenied):
        services.reports_attach(actor=staff, concern=own, reports=[elsewhere])
    province_wide = open_concern(world.province_manager, [elsewhere])
    with pytest.raises(PermissionDenied):  # it would widen a concern beyond the commune
        services.reports_attach(
            actor=staff, concern=province_wide, reports=[submit(world.collaborator)]
        )
    for act in (
        lambda: forward(staff, province_wide, world.commune),
        lambda: services.concern_resolve(actor=staff, concern=province_wide, resolution="x"),
        lambda: services.concern_close(
            actor=staff, concern=province_wide, state=State.NO_ACTION, note="x"
        ),
        lambda: services.concern_update(
            actor=staff, concern=province_wide, title="x", description="", topic=topic()
        ),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert ConcernReport.objects.get(pk=elsewhere.pk).concern == province_wide


def test_neighbours_and_viewers_triage_nothing(world):
    report = submit(world.collaborator)
    for user in (world.neighbour, world.cell_viewer, world.collaborator):
        with pytest.raises(PermissionDenied):
            open_concern(user, [report])
    concern = open_concern(world.province_manager, [report])
    with pytest.raises(PermissionDenied):
        forward(world.neighbour, concern, world.other_commune)
    with pytest.raises(PermissionDenied):  # the office forwards only inside its own subtree
        forward(world.province_manager, concern, world.other_commune)
    with pytest.raises(PermissionDenied):
        services.concern_answer(actor=world.neighbour, concern=concern, answer="x")
    assert Concern.objects.get().state == State.ACKNOWLEDGED


def test_personal_data_in_a_concern_is_refused(world):
    report = submit(world.collaborator)
    with pytest.raises(ValidationError) as refused:
        open_concern(
            world.province_manager, [report], title="Ông Ba (0912 345 678) phản ánh khói bụi"
        )
    assert "title" in refused.value.message_dict
    assert not Concern.objects.exists()
    assert ConcernReport.objects.get(pk=report.pk).concern is None
    concern = open_concern(world.province_manager, [report])
    with pytest.raises(ValidationError) as refused:
        services.concern_update(
            actor=world.province_manager,
            concern=concern,
            title=concern.title,
            description="Liên hệ ba.nguyen@example.com để biết thêm",
            topic=topic(),
        )
    assert "description" in refused.value.message_dict
    concern.refresh_from_db()
    assert concern.description == ""


def test_editing_keeps_the_state_and_is_audited(world):
    concern = open_concern(world.province_manager, [submit(world.collaborator)])
    concern = services.concern_update(
        actor=world.province_manager,
        concern=concern,
        title="  Khói   bụi lò gạch  ",
        description="Ba lò gạch thủ công",
        topic=topic("dat-dai"),
    )
    assert concern.title == "Khói bụi lò gạch"
    assert concern.topic.code == "dat-dai"
    assert concern.state == State.ACKNOWLEDGED
    entry = AuditEntry.objects.filter(object_id=str(concern.pk)).latest("id")
    assert entry.before["title"] == "Ô nhiễm khói bụi nhà máy gạch"
    assert entry.after["title"] == "Khói bụi lò gạch"
