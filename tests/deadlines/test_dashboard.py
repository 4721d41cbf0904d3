from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ObligationFactory, UnitFactory
from tuyengiao.deadlines.models import State
from tuyengiao.deadlines.queries import dashboard, state_totals
from tuyengiao.org.models import Kind
from tuyengiao.org.services import unit_merge
from tuyengiao.periods import Period

TODAY = date(2026, 6, 15)
YEAR = Period.parse("2026")


def make(unit, due, done=None):
    return ObligationFactory(unit=unit, due_on=due, done_on=done)


def seed(world):
    # Xã Hoà An and its cells: 1 on time, 1 late, 1 overdue, 1 pending.
    make(world.commune, date(2026, 3, 1), date(2026, 2, 28))
    make(world.cell, date(2026, 3, 1), date(2026, 3, 5))
    make(world.cell2, date(2026, 5, 1))
    make(world.cell2, date(2026, 9, 1))
    # Xã Ngân Sơn: 2 on time.
    make(world.commune2, date(2026, 1, 1), date(2026, 1, 1))
    make(world.commune2, date(2026, 2, 1), date(2026, 1, 20))
    # The province itself: 1 overdue. Outside the year, and next door: never counted.
    make(world.province, date(2026, 4, 1))
    make(world.commune, date(2025, 12, 31))
    make(world.other_commune, date(2026, 3, 1))


def row_for(board, unit):
    return next(r for r in board.rows if r.unit == unit)


def test_each_child_row_counts_its_whole_subtree(world):
    seed(world)
    board = dashboard(world.province_manager, world.province, YEAR, today=TODAY)
    hoa_an = row_for(board, world.commune).tally
    assert hoa_an.counts == {
        State.DONE_ON_TIME: 1,
        State.DONE_LATE: 1,
        State.PENDING: 1,
        State.OVERDUE: 1,
    }
    assert round(hoa_an.on_time_rate, 2) == 33.33  # 1 of the 3 already due
    assert row_for(board, world.commune2).tally.on_time_rate == 100
    # The province's own obligations are a row of their own, listed first.
    assert board.rows[0].own and board.rows[0].tally.counts[State.OVERDUE] == 1
    assert board.total.total == 7
    assert board.total.counts[State.DONE_ON_TIME] == 3


def test_rows_are_sorted_worst_first_and_idle_units_come_last(world):
    seed(world)
    board = dashboard(world.province_manager, world.province, YEAR, today=TODAY)
    children = [r.unit for r in board.rows if not r.own]
    assert children == [world.commune, world.commune2, world.office]
    assert row_for(board, world.office).tally.on_time_rate is None


def test_drilling_down_shows_the_cells(world):
    seed(world)
    board = dashboard(world.province_manager, world.commune, YEAR, today=TODAY)
    # Both cells stand at 0%; equal rates sort by name.
    assert [r.unit for r in board.rows] == [world.commune, world.cell2, world.cell]
    assert row_for(board, world.cell2).tally.counts[State.OVERDUE] == 1


def test_a_shorter_period_counts_only_what_falls_due_in_it(world):
    seed(world)
    board = dashboard(world.province_manager, world.province, Period.parse("2026Q1"), today=TODAY)
    assert board.total.total == 4


def test_a_user_sees_no_counts_from_outside_their_scope(world):
    seed(world)
    board = dashboard(world.commune_staff, world.commune, YEAR, today=TODAY)
    assert board.total.total == 4
    totals = state_totals(world.neighbour, world.other_province, today=TODAY)
    assert totals.total == 1


def test_a_merged_unit_keeps_its_history_in_the_board(world):
    seed(world)
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2026, 6, 1))
    board = dashboard(world.province_manager, world.province, YEAR, today=TODAY)
    # Closed, but its work of the year still shows, attributed to it.
    assert row_for(board, world.commune2).tally.total == 2


def test_the_board_is_two_queries_however_many_units(world):
    seed(world)
    with CaptureQueriesContext(connection) as small:
        dashboard(world.province_manager, world.province, YEAR, today=TODAY)
    for i in range(30):
        commune = UnitFactory(parent=world.province, name=f"Xã {i}")
        cell = UnitFactory(parent=commune, kind=Kind.CELL)
        make(cell, date(2026, 2, 1))
    with CaptureQueriesContext(connection) as large:
        board = dashboard(world.province_manager, world.province, YEAR, today=TODAY)
    assert len(large) == len(small) == 2
    assert board.total.total == 37
