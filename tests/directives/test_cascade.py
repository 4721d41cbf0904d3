from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.clock import on_day
from tests.factories import UnitFactory, send
from tuyengiao.deadlines.models import Obligation, ObligationKind, State
from tuyengiao.directives.models import Assignment, Step, StepKind
from tuyengiao.directives.services import (
    DuplicateDirective,
    StepPlan,
    add_months,
    directive_register,
    directive_send,
    receivers_by,
    step_record,
)
from tuyengiao.org.models import Kind, Level

SENT = date(2026, 3, 2)


@pytest.fixture
def kl01(world):
    return directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="Kết luận số 01-KL/TƯ",
        issued_on=date(2021, 5, 18),
        title="Tiếp tục thực hiện Chỉ thị 05-CT/TW",
    )


PLAN = [
    StepPlan(StepKind.PLAN, days_after=15),
    StepPlan(StepKind.STUDY, days_after=30),
    StepPlan(StepKind.INTERIM_REVIEW, months_after=24),
]


def test_registering_reads_type_issuer_and_term_from_the_symbol(kl01):
    assert kl01.symbol == "01-KL/TW"
    assert (kl01.doc_type, kl01.issuer, kl01.term) == ("KL", "TW", "XIII")


def test_the_same_symbol_in_the_same_term_is_refused_with_the_existing_document(world, kl01):
    with pytest.raises(DuplicateDirective) as caught:
        directive_register(
            actor=world.province_manager,
            unit=world.province,
            symbol="1-KL/TW",
            issued_on=date(2021, 6, 1),
            title="Trùng",
        )
    assert caught.value.existing == kl01
    # Numbers start again in a new term: 01-KL/TW of the XIV term is another document.
    other = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="01-KL/TW",
        issued_on=date(2026, 3, 1),
        title="Kết luận mới",
    )
    assert other.term == "XIV"


def test_a_symbol_that_does_not_parse_is_explained(world):
    with pytest.raises(ValidationError) as caught:
        directive_register(
            actor=world.province_manager,
            unit=world.province,
            symbol="KL/TW",
            issued_on=date(2021, 5, 18),
            title="x",
        )
    assert "symbol" in caught.value.message_dict


def test_sending_to_all_communes_makes_one_obligation_per_step_and_receiver(world, kl01):
    communes = receivers_by(world.province, levels=[Level.COMMUNE], kinds=[Kind.COMMITTEE])
    assert communes == [world.commune, world.commune2]
    result = directive_send(
        actor=world.province_manager,
        directive=kl01,
        sender=world.province,
        receivers=communes,
        plan=PLAN,
        sent_on=SENT,
    )
    assert result.assigned == 2
    steps = Step.objects.filter(unit=world.commune).order_by("due_on")
    assert [(s.kind, s.due_on) for s in steps] == [
        (StepKind.PLAN, date(2026, 3, 17)),
        (StepKind.STUDY, date(2026, 4, 1)),
        (StepKind.INTERIM_REVIEW, date(2028, 3, 2)),
    ]
    obligation = steps[0].obligation
    assert obligation.kind == ObligationKind.DIRECTIVE_STEP
    assert obligation.title == "Ban hành kế hoạch 01-KL/TW"
    assert Obligation.objects.filter(kind=ObligationKind.DIRECTIVE_STEP).count() == 6


def test_sending_again_is_idempotent(world, kl01):
    args = dict(actor=world.province_manager, directive=kl01, sender=world.province, plan=PLAN)
    directive_send(receivers=[world.commune], sent_on=SENT, **args)
    again = directive_send(receivers=[world.commune, world.commune2], sent_on=SENT, **args)
    assert (again.assigned, again.already) == (1, 1)
    assert Assignment.objects.filter(directive=kl01).count() == 2
    assert Step.objects.filter(unit=world.commune).count() == 3


def test_a_receiver_outside_the_senders_subtree_is_refused(world, kl01):
    with pytest.raises(ValidationError):
        send(kl01, world.province, [world.other_commune], PLAN, SENT)
    with pytest.raises(PermissionDenied):
        directive_send(
            actor=world.neighbour,
            directive=kl01,
            sender=world.province,
            receivers=[world.commune],
            plan=PLAN,
            sent_on=SENT,
        )
    assert not Assignment.objects.exists()


def test_a_receiver_passes_it_down_never_later_than_its_own_deadline(world, kl01):
    directive_send(
        actor=world.province_manager,
        directive=kl01,
        sender=world.province,
        receivers=[world.commune],
        plan=PLAN,
        sent_on=SENT,
    )
    with pytest.raises(ValidationError) as caught:
        directive_send(
            actor=world.commune_staff,
            directive=kl01,
            sender=world.commune,
            receivers=[world.cell],
            plan=[StepPlan(StepKind.STUDY, due_on=date(2026, 4, 2))],
            sent_on=date(2026, 3, 10),
        )
    assert "muộn hơn" in " ".join(caught.value.messages)
    result = directive_send(
        actor=world.commune_staff,
        directive=kl01,
        sender=world.commune,
        receivers=[world.cell, world.cell2],
        plan=[StepPlan(StepKind.STUDY, due_on=date(2026, 3, 25))],
        sent_on=date(2026, 3, 10),
    )
    assert result.dispatch.parent.sender == world.province
    assert Step.objects.filter(unit=world.cell, kind=StepKind.STUDY).get().due_on == date(
        2026, 3, 25
    )


def test_a_unit_that_never_received_it_cannot_pass_it_on(world, kl01):
    with pytest.raises(ValidationError):
        directive_send(
            actor=world.commune_staff,
            directive=kl01,
            sender=world.commune,
            receivers=[world.cell],
            plan=PLAN,
            sent_on=SENT,
        )


@on_day("2026-05-01")
def test_recording_the_study_conference_closes_its_obligation(world, kl01):
    send(kl01, world.province, [world.commune], PLAN, SENT)
    step = Step.objects.get(unit=world.commune, kind=StepKind.STUDY)
    with pytest.raises(ValidationError) as caught:
        step_record(actor=world.commune_staff, step=step, done_on=date(2026, 3, 30))
    assert "expected" in caught.value.message_dict
    step_record(
        actor=world.commune_staff,
        step=step,
        done_on=date(2026, 4, 3),
        attendees_cadres=12,
        attendees_members=31,
        expected=45,
    )
    step.refresh_from_db()
    assert step.attendees == 43
    assert step.obligation.done_on == date(2026, 4, 3)
    assert step.obligation.state_on(date(2026, 5, 1)) == State.DONE_LATE


@on_day("2026-05-01")
def test_recording_a_plan_needs_a_valid_symbol(world, kl01):
    send(kl01, world.province, [world.commune], PLAN, SENT)
    step = Step.objects.get(unit=world.commune, kind=StepKind.PLAN)
    with pytest.raises(ValidationError):
        step_record(actor=world.commune_staff, step=step, done_on=SENT, own_symbol="kế hoạch")
    step_record(actor=world.commune_staff, step=step, done_on=SENT, own_symbol="12 KH/ĐU")
    step.refresh_from_db()
    assert step.own_symbol == "12-KH/ĐU"


def test_months_are_added_by_the_calendar():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 24) == date(2028, 11, 30)


def test_a_step_plan_needs_exactly_one_deadline(world, kl01):
    with pytest.raises(ValidationError):
        send(kl01, world.province, [world.commune], [StepPlan(StepKind.PLAN)], SENT)


def test_sending_to_many_cells_is_batched(world, kl01, django_assert_max_num_queries):
    for i in range(40):
        UnitFactory(parent=world.commune2, name=f"Chi bộ {i}", kind=Kind.CELL)
    cells = receivers_by(world.province, kinds=[Kind.CELL])
    with django_assert_max_num_queries(30):
        result = send(kl01, world.province, cells, PLAN, SENT)
    assert result.assigned == 42


def test_two_communes_may_each_have_their_own_local_number(world):
    for commune in (world.commune, world.commune2):
        directive_register(
            actor=None, unit=commune, symbol="05-NQ/ĐU", issued_on=date(2026, 2, 1), title="x"
        )
    with pytest.raises(DuplicateDirective):
        directive_register(
            actor=None, unit=world.commune, symbol="5-NQ/DU", issued_on=date(2026, 3, 1), title="y"
        )


def test_a_send_is_audited_once_with_its_receivers_and_plan(world, kl01):
    from django.contrib.contenttypes.models import ContentType

    from tuyengiao.audit.models import AuditAction, AuditEntry
    from tuyengiao.directives.models import Dispatch

    directive_send(
        actor=world.province_manager,
        directive=kl01,
        sender=world.province,
        receivers=[world.commune, world.commune2],
        plan=PLAN,
        sent_on=SENT,
    )
    sends = AuditEntry.objects.filter(verb="send")
    entry = sends.get(content_type=ContentType.objects.get_for_model(Dispatch))
    assert entry.actor == world.province_manager
    assert sorted(entry.after["receivers"]) == sorted([world.commune.pk, world.commune2.pk])
    assert [p["kind"] for p in entry.after["plan"]] == ["plan", "study", "interim_review"]
    # Its obligations are audited by deadlines, one creation each, under the same verb.
    created = sends.filter(content_type=ContentType.objects.get_for_model(Obligation))
    assert {e.action for e in created} == {AuditAction.CREATE}
    assert sorted(int(e.object_id) for e in created) == sorted(
        Step.objects.filter(directive=kl01).values_list("obligation_id", flat=True)
    )
    assert {e.actor for e in created} == {world.province_manager}
