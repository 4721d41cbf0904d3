"""The reads of oversight: who sees an inspection and a recommendation (a neighbouring commune
sees nothing: 404), plan progress, the recommendations rolled up by the four states, and
recurring shortcomings in their window."""

from datetime import date

import pytest
from django.http import Http404

from tests.clock import on_day
from tests.factories import UserFactory
from tuyengiao.deadlines.models import State
from tuyengiao.org.models import Role
from tuyengiao.oversight import queries, services
from tuyengiao.oversight.models import FindingKind, InspectionKind

from .conftest import area, concluded, conducted, evidence, inspect, shortcomings_of

pytestmark = on_day("2026-11-20")

DUE = date(2026, 12, 15)
SHORT = FindingKind.SHORTCOMING


@pytest.fixture
def commune2_manager(world):
    return UserFactory(username="xa2", unit=world.commune2, role=Role.MANAGER)


# Scope -----------------------------------------------------------------------------------------


def test_an_inspection_is_seen_from_both_ends_and_nowhere_else(world, commune2_manager):
    inspection = inspect(world.province_manager, [world.commune])
    for user in (world.province_manager, world.commune_staff):
        assert queries.inspection_for(user, inspection.pk) == inspection
        assert list(queries.inspections_for(user)) == [inspection]
    for user in (commune2_manager, world.neighbour, world.cell_viewer, world.collaborator):
        assert not queries.inspections_for(user).exists()
        with pytest.raises(Http404):
            queries.inspection_for(user, inspection.pk)


def test_a_recommendation_is_seen_by_its_unit_and_the_issuing_office(world, commune2_manager):
    conclusion = concluded(
        world.province_manager,
        [world.commune, world.commune2],
        recommendations=[(world.commune, "Kiện toàn báo cáo viên.", DUE)],
    )
    recommendation = conclusion.recommendations.get()
    for user in (world.province_manager, world.commune_staff):
        assert queries.recommendation_for(user, recommendation.pk) == recommendation
    # Xã Ngân Sơn was inspected too, but the recommendation is not addressed to it.
    assert queries.inspection_for(commune2_manager, conclusion.inspection_id)
    for user in (commune2_manager, world.neighbour, world.cell_viewer):
        with pytest.raises(Http404):
            queries.recommendation_for(user, recommendation.pk)


def test_a_commune_sees_the_inspections_it_made_of_its_cells(world):
    own = inspect(
        world.commune_staff, [world.cell], starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 10)
    )
    assert queries.inspection_for(world.cell_viewer, own.pk) == own
    assert queries.inspection_for(world.province_manager, own.pk) == own
    with pytest.raises(Http404):
        queries.inspection_for(world.neighbour, own.pk)


# Plan progress ---------------------------------------------------------------------------------


def test_plan_progress_counts_items_carried_out_and_lists_visits_outside_the_plan(world):
    boss = world.province_manager
    plan = services.plan_create(actor=boss, unit=world.province, year=2026)
    items = [
        services.plan_item_add(
            actor=boss,
            plan=plan,
            kind=InspectionKind.INSPECTION,
            units=[world.commune],
            content=f"Nội dung {month}",
            planned_month=month,
        )
        for month in (3, 6, 9, 11)
    ]
    concluded(
        boss,
        [world.commune],
        plan_item=items[0],
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 6),
    )
    conducted(
        boss,
        [world.commune],
        plan_item=items[1],
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 5),
    )
    inspect(boss, [world.commune], plan_item=items[2])  # only prepared: not carried out
    outside = conducted(
        boss,
        [world.commune2],
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 3),
        kind=InspectionKind.WORKING_SESSION,
    )
    inspect(boss, [world.commune2], starts_on=date(2025, 7, 1), ends_on=date(2025, 7, 3))

    progress = queries.plan_progress(boss, plan)
    assert (progress.done, progress.total, progress.percent) == (2, 4, 50.0)
    assert [i.carried_out for i in progress.items] == [True, True, False, False]
    assert progress.outside == [outside]
    with pytest.raises(Http404):
        queries.plan_for(world.commune_staff, plan.pk)


def test_a_plan_is_one_a_year_and_visits_units_below(world):
    from django.core.exceptions import ValidationError

    boss = world.province_manager
    plan = services.plan_create(actor=boss, unit=world.province, year=2026)
    with pytest.raises(ValidationError):
        services.plan_create(actor=boss, unit=world.province, year=2026)
    with pytest.raises(ValidationError):
        services.plan_item_add(
            actor=boss,
            plan=plan,
            kind=InspectionKind.SURVEY,
            units=[world.other_commune],
            content="Ngoài phạm vi",
            planned_month=5,
        )
    with pytest.raises(ValidationError):
        services.plan_item_add(
            actor=boss,
            plan=plan,
            kind=InspectionKind.SURVEY,
            units=[world.commune],
            content="Tháng 13",
            planned_month=13,
        )


# The roll-up -----------------------------------------------------------------------------------


def test_the_matrix_rolls_recommendations_up_by_the_four_states(world, time_machine):
    boss = world.province_manager
    conclusion = concluded(
        boss,
        [world.commune, world.commune2],
        recommendations=[
            (world.commune, "Một", DUE),
            (world.commune, "Hai", date(2026, 11, 25)),
            (world.commune2, "Ba", DUE),
        ],
    )
    first, second, third = conclusion.recommendations.order_by("number")
    services.recommendation_report(
        actor=world.commune_staff, recommendation=first, report_text="Xong.", evidence=evidence()
    )
    services.recommendation_accept(actor=boss, recommendation=first)

    matrix = queries.recommendation_matrix(boss, world.province, today=date(2026, 12, 1))
    by_unit = {row.unit: row.tally.counts for row in matrix.rows}
    assert by_unit[world.commune] == {
        State.DONE_ON_TIME: 1,
        State.DONE_LATE: 0,
        State.PENDING: 0,
        State.OVERDUE: 1,
    }
    assert by_unit[world.commune2][State.PENDING] == 1
    assert matrix.total.total == 3
    # The country above sees it under the province; the commune sees only its own.
    country = queries.recommendation_matrix(world.province_admin, world.province)
    assert country.total.total == 3
    own = queries.recommendation_matrix(world.commune_staff, world.commune)
    assert own.total.total == 2 and own.rows[0].own
    drill = queries.recommendations_in(
        boss, world.commune, state=State.OVERDUE, today=date(2026, 12, 1)
    )
    assert list(drill) == [second]
    assert list(queries.open_recommendations(world.commune_staff, world.commune)) == [second]


# Recurring shortcomings ------------------------------------------------------------------------


def test_the_same_field_in_two_conclusions_is_a_recurring_shortcoming(world):
    shortcomings_of(world, date(2025, 3, 1), "tuyen-truyen-mieng", "dan-van")
    shortcomings_of(world, date(2026, 6, 1), "tuyen-truyen-mieng", "khoa-giao")
    shortcomings_of(world, date(2026, 6, 1), "dan-van", unit=world.commune2)  # another unit
    found = queries.recurring_shortcomings(
        world.province_manager, world.province, today=date(2026, 11, 20)
    )
    assert [(r.unit, r.area.code, r.conclusions) for r in found] == [
        (world.commune, "tuyen-truyen-mieng", 2)
    ]
    assert found[0].last_on == date(2026, 6, 10)
    # One conclusion naming a field twice is not a recurrence.
    shortcomings_of(world, date(2026, 9, 1), "khoa-giao", "khoa-giao", unit=world.commune2)
    assert len(queries.recurring_shortcomings(world.province_manager, world.province)) == 1
    # Out of sight of the neighbour, and of a commune for another one.
    assert not queries.recurring_shortcomings(world.neighbour, world.other_province)
    assert [r.unit for r in queries.recurring_shortcomings(world.commune_staff, world.commune)] == [
        world.commune
    ]


def test_the_window_is_the_offices_setting(world):
    shortcomings_of(world, date(2024, 3, 1), "dan-van")
    shortcomings_of(world, date(2026, 6, 1), "dan-van")
    boss = world.province_manager
    assert queries.recurrence_years(world.commune) == queries.DEFAULT_RECURRENCE_YEARS == 3
    assert len(queries.recurring_shortcomings(boss, world.province)) == 1
    services.settings_set(actor=boss, unit=world.province, recurrence_years=2)
    assert queries.recurrence_years(world.commune) == 2
    assert not queries.recurring_shortcomings(boss, world.province)
    assert queries.recurring_shortcomings(boss, world.province, years=5)
    # The conclusion being drafted is warned by field: dân vận was named once in the window.
    assert queries.recurring_for_unit(world.commune, today=date(2026, 11, 20)) == {
        area("dan-van").pk: 1
    }


def test_the_unit_page_lists_its_inspections(world, commune2_manager):
    inspection = inspect(world.province_manager, [world.commune])
    assert queries.inspections_of_unit(world.commune_staff, world.commune) == [inspection]
    assert queries.inspections_of_unit(commune2_manager, world.commune) == []
