"""The demo's oversight: plans with progress, inspections at every step (some self-reports
late, some shortcomings recurring), recommendations in every state, conferences with tasks —
on whatever day it is loaded, consistent with the deadlines it makes, nothing after that day."""

from collections import Counter
from datetime import date, datetime, time

import pytest

from tests.clock import VIETNAM
from tuyengiao.deadlines.models import Obligation, ObligationKind, State, state_of
from tuyengiao.demo.directives import build_directives
from tuyengiao.demo.org import DEMO_COMMUNE, build_accounts, build_structure
from tuyengiao.demo.oversight import build_oversight
from tuyengiao.org.models import Unit, User
from tuyengiao.oversight import queries
from tuyengiao.oversight.models import (
    Conclusion,
    Conference,
    ConferenceKind,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    InspectionState,
    Recommendation,
    RecommendationState,
)


def load(day: date, time_machine):
    """The demo loaded early on `day` (the clock held there: services refuse the future)."""
    now = datetime.combine(day, time(6, 5), tzinfo=VIETNAM)
    time_machine.move_to(now.timestamp(), tick=False)
    province = build_structure()
    build_accounts(province)
    build_directives(province, day)
    build_oversight(province, day, now)
    return province, now


# A December day, the first days of a year (a plan barely begun) and a leap day.
@pytest.mark.parametrize("day", [date(2026, 12, 6), date(2027, 1, 3), date(2028, 2, 29)])
def test_every_state_on_any_day(db, day, time_machine):
    province, now = load(day, time_machine)
    recs = list(Recommendation.objects.select_related("obligation"))
    states = Counter(state_of(r.due_on, r.done_on, day) for r in recs)
    assert set(states) == set(State), states
    statuses = Counter(r.state for r in recs)
    assert set(statuses) == set(RecommendationState), statuses
    # a returned one stays open, and some returned one is late
    returned = [r for r in recs if r.state == RecommendationState.RETURNED]
    assert all(r.done_on is None for r in returned)
    assert any(r.due_on < day for r in returned)
    # the obligations say the same, and the dashboard reads them
    for rec in recs:
        assert (rec.obligation.due_on, rec.obligation.done_on) == (rec.due_on, rec.done_on)
        assert rec.obligation.kind == ObligationKind.FOLLOW_UP
    assert rec.obligation.unit_id == rec.unit_id
    # self-inspection reports: on time, late, and one still owed past its date
    reports = Obligation.objects.filter(kind=ObligationKind.SELF_REPORT)
    owed = Counter(o.state_on(day) for o in reports)
    assert owed[State.DONE_ON_TIME] and owed[State.DONE_LATE] and owed[State.OVERDUE], owed
    assert owed[State.PENDING]
    # every step of the procedure
    assert set(Inspection.objects.values_list("state", flat=True)) == set(InspectionState)
    # nothing after the day
    assert not Recommendation.objects.filter(reported_on__gt=day).exists()
    assert not Recommendation.objects.filter(decided_at__gt=now).exists()
    assert not Inspection.objects.filter(conducted_on__gt=day).exists()
    assert not Inspection.objects.filter(announced_on__gt=day).exists()
    assert not InspectedUnit.objects.filter(self_report_on__gt=day).exists()
    assert not Conclusion.objects.filter(issued_on__gt=day).exists()
    assert not Conference.objects.filter(held_on__gt=day).exists()
    for model in (Inspection, Conclusion, Conference, InspectionPlan, Recommendation):
        assert not model.objects.filter(created_at__gt=now).exists(), model


def test_plans_recurring_shortcomings_and_conferences(db, time_machine):
    day = date(2026, 12, 6)
    province, _now = load(day, time_machine)
    manager = User.objects.get(username="tinh.quanly")
    plan = InspectionPlan.objects.get(unit=province, year=day.year)
    progress = queries.plan_progress(manager, plan)
    assert 0 < progress.done < progress.total
    assert progress.outside  # visits outside the plan, listed apart
    recurring = queries.recurring_shortcomings(manager, province, today=day)
    demo = Unit.objects.get(code=DEMO_COMMUNE)
    assert len({r.unit for r in recurring}) >= 3
    assert any(r.unit == demo and r.area.code == "tuyen-truyen-mieng" for r in recurring)
    kinds = set(Conference.objects.values_list("kind", flat=True))
    assert kinds >= {
        ConferenceKind.SPEAKERS,
        ConferenceKind.INTERIM_REVIEW,
        ConferenceKind.FINAL_REVIEW,
        ConferenceKind.COLLABORATORS,
    }
    speakers = Conference.objects.filter(kind=ConferenceKind.SPEAKERS)
    assert all(c.connected_points > 0 and c.documents.exists() for c in speakers)
    assert Recommendation.objects.filter(conference__isnull=False).count() >= 6
    # the demo commune inspects its own cells too, and its staff sees its recommendations
    assert Inspection.objects.filter(unit=demo).exists()
    staff = User.objects.get(username="xa.nganson")
    assert queries.open_recommendations(staff, demo).exists()
    matrix = queries.recommendation_matrix(manager, province, today=day)
    assert matrix.total.counts[State.OVERDUE] > 0
    # loading again changes nothing
    before = Recommendation.objects.count()
    build_oversight(province, day)
    assert Recommendation.objects.count() == before
