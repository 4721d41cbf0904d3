from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.clock import on_day
from tests.factories import UnitFactory, send
from tuyengiao.deadlines.models import State
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.queries import directives_for, inbox, late_steps, matrix
from tuyengiao.directives.services import (
    StepPlan,
    directive_register,
    receivers_by,
    step_record,
)
from tuyengiao.org.models import Kind

SENT = date(2026, 3, 2)
TODAY = date(2026, 5, 1)
# The steps are recorded as done in March 2026, which must not be in the future (tests/clock.py).
pytestmark = on_day(TODAY)


@pytest.fixture
def sent(world):
    directive = directive_register(
        actor=None,
        unit=world.province,
        symbol="35-NQ/TW",
        issued_on=date(2018, 10, 22),
        title="Bảo vệ nền tảng tư tưởng của Đảng",
    )
    plan = [StepPlan(StepKind.PLAN, days_after=10), StepPlan(StepKind.STUDY, days_after=30)]
    send(directive, world.province, [world.commune, world.commune2], plan, SENT)
    send(
        directive,
        world.commune,
        [world.cell, world.cell2],
        [StepPlan(StepKind.STUDY, days_after=20)],
        SENT,
    )
    study = Step.objects.get(unit=world.commune, kind=StepKind.STUDY)
    step_record(
        actor=None,
        step=study,
        done_on=date(2026, 3, 20),
        attendees_members=43,
        expected=45,
    )
    cell_study = Step.objects.get(unit=world.cell, kind=StepKind.STUDY)
    step_record(
        actor=None, step=cell_study, done_on=date(2026, 3, 30), attendees_members=9, expected=10
    )
    return directive


def test_rows_aggregate_each_child_subtree_by_step(world, sent):
    board = matrix(world.province_manager, sent, world.province, today=TODAY)
    assert board.kinds == [StepKind.PLAN, StepKind.STUDY]
    hoa_an = next(r for r in board.rows if r.unit == world.commune)
    # The commune's own study (on time) and its two cells' (one late, one overdue).
    assert hoa_an.cells[StepKind.STUDY].counts == {
        State.DONE_ON_TIME: 1,
        State.DONE_LATE: 1,
        State.PENDING: 0,
        State.OVERDUE: 1,
    }
    assert hoa_an.cells[StepKind.PLAN].counts[State.OVERDUE] == 1
    assert (hoa_an.attendees, hoa_an.expected) == (52, 55)
    assert round(hoa_an.attendance_rate, 2) == 94.55
    assert board.total.cells[StepKind.STUDY].total == 4


def test_rates_by_level_and_late_units(world, sent):
    board = matrix(world.province_manager, sent, world.province, today=TODAY)
    levels = dict(board.by_level)
    assert set(levels) == {"Xã, phường, đặc khu", "Chi bộ"}
    cells = dict(levels["Chi bộ"])
    assert cells["Học tập, quán triệt"].total == 2
    late = late_steps(world.province_manager, sent, world.province, today=TODAY)
    assert {(s.unit, s.kind) for s in late} == {
        (world.commune, StepKind.PLAN),
        (world.commune2, StepKind.PLAN),
        (world.commune2, StepKind.STUDY),
        (world.cell, StepKind.STUDY),
        (world.cell2, StepKind.STUDY),
    }


def test_the_matrix_is_a_constant_number_of_queries(world, sent):
    with CaptureQueriesContext(connection) as small:
        matrix(world.province_manager, sent, world.province, today=TODAY)
    for i in range(20):
        commune = UnitFactory(parent=world.province, name=f"Xã mới {i}")
        UnitFactory(parent=commune, kind=Kind.CELL)
    send(
        sent,
        world.province,
        receivers_by(world.province, kinds=[Kind.COMMITTEE, Kind.CELL]),
        [StepPlan(StepKind.PLAN, days_after=10)],
        SENT,
    )
    with CaptureQueriesContext(connection) as large:
        board = matrix(world.province_manager, sent, world.province, today=TODAY)
    assert len(large) == len(small)
    assert len(board.rows) == 22


def test_visibility_follows_registration_or_receipt(world, sent):
    assert sent in directives_for(world.cell_viewer)  # received by the viewer's cell
    assert sent not in directives_for(world.neighbour)
    assert list(inbox(world.commune_staff, world.commune)) == [sent]
    commune_view = matrix(world.commune_staff, sent, world.commune, today=TODAY)
    assert {r.unit for r in commune_view.rows} == {world.commune, world.cell, world.cell2}


def test_the_late_list_filters_by_step_level_and_state(world, sent):
    late = late_steps(world.province_manager, sent, world.province, today=TODAY, kind="study")
    assert {s.unit for s in late} == {world.commune2, world.cell, world.cell2}
    cells = late_steps(world.province_manager, sent, world.province, today=TODAY, level="cell")
    assert {s.unit for s in cells} == {world.cell, world.cell2}
    done_late = late_steps(
        world.province_manager, sent, world.province, today=TODAY, state="done_late"
    )
    assert [s.unit for s in done_late] == [world.cell]


def test_the_page_filters_the_late_list(client, world, sent):
    client.force_login(world.province_manager)
    response = client.get(
        f"/directives/{sent.pk}/?unit={world.province.pk}&late_level=cell&late_kind=bogus"
    )
    assert response.status_code == 200
    assert {s.unit for s in response.context["late"]} == {world.cell, world.cell2}


# The document's page: session, user, unit, document, breadcrumb, the matrix (groups, units, by
# level), late steps, own steps, receipt, may send, notifications.
DETAIL_PAGE_QUERIES = 13
EXPORT_QUERIES = 8


def test_the_page_and_its_export_are_a_fixed_number_of_queries(
    client, world, sent, django_assert_max_num_queries
):
    """The page and its workbook cost the same SQL for 2 communes or 22 with their cells."""
    client.force_login(world.province_manager)
    page, export = f"/directives/{sent.pk}/", f"/directives/{sent.pk}/export.xlsx"
    client.get(page)
    with django_assert_max_num_queries(DETAIL_PAGE_QUERIES) as few:
        html = client.get(page).content.decode()
    with django_assert_max_num_queries(EXPORT_QUERIES) as few_export:
        assert client.get(export).status_code == 200
    # one step in a cell: its state by name; several: the four counts
    assert '<span class="badge overdue">Quá hạn</span>' in html  # Xã Ngân Sơn's plan
    assert '<b class="overdue" title="Quá hạn">1</b>' in html  # Xã Hoà An's studies
    for i in range(20):
        commune = UnitFactory(parent=world.province, name=f"Xã mới {i}")
        UnitFactory(parent=commune, kind=Kind.CELL)
    send(
        sent,
        world.province,
        receivers_by(world.province, kinds=[Kind.COMMITTEE, Kind.CELL]),
        [StepPlan(StepKind.PLAN, days_after=10)],
        SENT,
    )
    with django_assert_max_num_queries(len(few)):
        response = client.get(page)
    assert len(response.context["matrix"].rows) == 22
    with django_assert_max_num_queries(len(few_export)):
        assert client.get(export).status_code == 200
