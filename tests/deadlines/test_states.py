from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import ObligationFactory
from tuyengiao.deadlines.models import Obligation, ObligationKind, State, state_of
from tuyengiao.deadlines.services import (
    obligation_complete,
    obligation_create,
    obligation_reopen,
)

TODAY = date(2026, 6, 15)
DUE = date(2026, 6, 10)


@pytest.mark.parametrize(
    ("due_on", "done_on", "state"),
    [
        (DUE, date(2026, 6, 1), State.DONE_ON_TIME),
        (DUE, DUE, State.DONE_ON_TIME),  # done on the due date is on time
        (DUE, date(2026, 6, 11), State.DONE_LATE),
        (date(2026, 6, 15), None, State.PENDING),  # due today: still in time
        (date(2026, 7, 1), None, State.PENDING),
        (date(2026, 6, 14), None, State.OVERDUE),
    ],
)
def test_the_four_states(due_on, done_on, state, db, world):
    assert state_of(due_on, done_on, TODAY) == state
    obligation = ObligationFactory(unit=world.cell, due_on=due_on, done_on=done_on)
    # The database computes the same state as Python, and filters by it.
    assert Obligation.objects.with_state(TODAY).get(pk=obligation.pk).state == state
    assert list(Obligation.objects.in_state(state, TODAY)) == [obligation]


def test_completing_stamps_the_date_and_the_person(world):
    obligation = ObligationFactory(unit=world.commune, due_on=date(2020, 1, 1))
    obligation_complete(actor=world.commune_staff, obligation=obligation, done_on=date(2020, 1, 5))
    obligation.refresh_from_db()
    assert obligation.done_on == date(2020, 1, 5)
    assert obligation.done_by == world.commune_staff
    assert obligation.state_on(TODAY) == State.DONE_LATE


def test_a_completion_date_in_the_future_is_refused(world):
    obligation = ObligationFactory(unit=world.commune)
    with pytest.raises(ValidationError):
        obligation_complete(
            actor=world.commune_staff, obligation=obligation, done_on=date(2999, 1, 1)
        )


def test_reopening_needs_a_reason(world):
    obligation = ObligationFactory(unit=world.commune, done_on=date(2026, 1, 1))
    with pytest.raises(ValidationError):
        obligation_reopen(actor=world.commune_staff, obligation=obligation, reason="  ")
    obligation_reopen(actor=world.commune_staff, obligation=obligation, reason="Báo cáo thiếu")
    obligation.refresh_from_db()
    assert obligation.done_on is None
    assert "Báo cáo thiếu" in obligation.note


def test_only_staff_of_the_subtree_may_create_or_close(world):
    with pytest.raises(PermissionDenied):
        obligation_create(
            actor=world.cell_viewer,
            unit=world.cell,
            kind=ObligationKind.TASK,
            title="x",
            due_on=DUE,
        )
    with pytest.raises(PermissionDenied):
        obligation_complete(actor=world.neighbour, obligation=ObligationFactory(unit=world.commune))
    created = obligation_create(
        actor=world.commune_staff, unit=world.cell, kind=ObligationKind.TASK, title="x", due_on=DUE
    )
    assert created.unit_path == world.cell.path
