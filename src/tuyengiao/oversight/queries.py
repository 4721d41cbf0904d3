"""Reads of oversight, scoped, shared by the pages, the API and the exports.

Who sees what: an inspection is seen from the inspecting unit and above it, and from each
inspected unit and above it — a neighbouring commune sees nothing of it (404). A
recommendation is seen from its unit and above, and from the issuing unit and above. A plan
and a conference are their unit's, seen from it and above.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from tuyengiao.deadlines.models import State, state_condition
from tuyengiao.deadlines.queries import Tally
from tuyengiao.directives.services import add_months
from tuyengiao.org.models import STEP, Unit, within
from tuyengiao.org.scope import Action, can, restrict, scope_prefix

from .models import (
    CARRIED_OUT,
    Conclusion,
    Conference,
    Finding,
    FindingKind,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OversightSettings,
    PlanItem,
    Recommendation,
    WorkArea,
)

DEFAULT_RECURRENCE_YEARS = 3


def _prefix(user, action: Action) -> str | None:
    """The user's subtree prefix when the role allows `action`; None when nothing is seen."""
    prefix = scope_prefix(user)
    if prefix is None or not can(user, action):
        return None
    return prefix


# Inspections ---------------------------------------------------------------------------------


def inspections_for(user, action: Action = Action.VIEW) -> QuerySet[Inspection]:
    """The inspections the user may see: by a unit of their subtree, or of a unit in it."""
    prefix = _prefix(user, action)
    if prefix is None:
        return Inspection.objects.none()
    if not prefix:
        return Inspection.objects.all()
    visited = InspectedUnit.objects.filter(within("unit_path", prefix), inspection=OuterRef("pk"))
    return Inspection.objects.filter(within("unit_path", prefix) | Q(Exists(visited)))


def inspection_for(user, pk, action: Action = Action.VIEW) -> Inspection:
    """One inspection the user may see, with what its page shows, or 404."""
    inspection = (
        inspections_for(user, action)
        .select_related("unit", "decision", "plan_item__plan")
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def inspections_of(user, unit: Unit, *, year: int | None = None) -> QuerySet[Inspection]:
    """The inspections made by `unit` or below it, newest first."""
    found = inspections_for(user).filter(within("unit_path", unit.path))
    if year:
        found = found.filter(starts_on__year=year)
    return found.select_related("unit", "decision").order_by("-starts_on", "-id")


def inspections_around(user, unit: Unit, *, year: int | None = None) -> QuerySet[Inspection]:
    """The inspections made by a unit of `unit`'s subtree or visiting one, newest first."""
    visited = InspectedUnit.objects.filter(
        within("unit_path", unit.path), inspection=OuterRef("pk")
    )
    found = inspections_for(user).filter(within("unit_path", unit.path) | Q(Exists(visited)))
    if year:
        found = found.filter(starts_on__year=year)
    return (
        found.select_related("unit", "decision", "plan_item")
        .prefetch_related("inspected__unit")
        .order_by("-starts_on", "-id")
    )


def inspections_of_unit(user, unit: Unit, limit: int | None = None) -> list[Inspection]:
    """The inspections that visited `unit` (the unit page), newest first."""
    found = (
        inspections_for(user)
        .filter(inspected__unit=unit)
        .select_related("unit", "decision")
        .order_by("-starts_on", "-id")
        .distinct()
    )
    return list(found[:limit] if limit else found)


def inspected_units(inspection: Inspection) -> list[InspectedUnit]:
    """The units visited, with their self-report obligations (for the state colours)."""
    return list(
        inspection.inspected.select_related("unit", "self_report_obligation").order_by(
            "unit__sort_key", "unit__name"
        )
    )


def inspected_for(user, pk, action: Action = Action.VIEW, *, office: bool = False):
    """One inspected unit's row in the user's scope at that unit (its self-report), or, with
    `office`, at the inspecting unit too; else 404."""
    rows = InspectedUnit.objects.select_related("inspection__unit", "unit")
    prefix = _prefix(user, action)
    if prefix is None:
        rows = rows.none()
    elif prefix and office:
        rows = rows.filter(within("unit_path", prefix) | within("inspection__unit_path", prefix))
    elif prefix:
        rows = rows.filter(within("unit_path", prefix))
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def conclusion_of(inspection: Inspection) -> Conclusion | None:
    try:
        return (
            Conclusion.objects.select_related("notice")
            .prefetch_related(
                Prefetch("findings", Finding.objects.select_related("unit", "area")),
            )
            .get(inspection=inspection)
        )
    except Conclusion.DoesNotExist:
        return None


# Recommendations -----------------------------------------------------------------------------


def recommendations_for(user, action: Action = Action.VIEW) -> QuerySet[Recommendation]:
    """The recommendations the user may see: addressed to a unit of their subtree, or issued
    by one (an inspection's or a conference's unit)."""
    prefix = _prefix(user, action)
    found = Recommendation.objects.all()
    if prefix is None:
        return found.none()
    if not prefix:
        return found
    return found.filter(
        within("unit_path", prefix)
        | within("conclusion__inspection__unit_path", prefix)
        | within("conference__unit_path", prefix)
    )


def recommendation_for(user, pk, action: Action = Action.VIEW) -> Recommendation:
    found = (
        recommendations_for(user, action)
        .select_related(
            "unit",
            "area",
            "obligation",
            "conclusion__notice",
            "conclusion__inspection__unit",
            "conference__unit",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def recommendations_of(conclusion: Conclusion | None = None, conference: Conference | None = None):
    """The recommendations of one origin, in their numbered order (what its page shows)."""
    origin = {"conclusion": conclusion} if conclusion is not None else {"conference": conference}
    return list(
        Recommendation.objects.filter(**origin)
        .select_related("unit", "area", "obligation")
        .order_by("number", "id")
    )


def recommendation_state(recommendation: Recommendation, today: date | None = None) -> State:
    """One of the four states of every deadline (its obligation's, from its copied dates)."""
    from tuyengiao.deadlines.models import state_of

    return state_of(recommendation.due_on, recommendation.done_on, today or timezone.localdate())


def open_recommendations(user, unit: Unit, *, subtree: bool = True, today=None):
    """What `unit` (and its subtree) still has to do, the latest first: not accepted yet."""
    found = recommendations_for(user).filter(done_on__isnull=True)
    found = found.filter(within("unit_path", unit.path)) if subtree else found.filter(unit=unit)
    return found.select_related("unit", "conclusion__notice", "conference").order_by("due_on", "id")


def recommendations_in(
    user, unit: Unit, *, state: str = "", open_only: bool = False, today=None
) -> QuerySet[Recommendation]:
    """The recommendations addressed to `unit`'s subtree, in one of the four states when given
    (the drill-down of the matrix)."""
    today = today or timezone.localdate()
    found = recommendations_for(user).filter(within("unit_path", unit.path))
    if state:
        found = found.filter(state_condition(State(state), today))
    if open_only:
        found = found.filter(done_on__isnull=True)
    return found.select_related("unit", "conclusion__notice", "conference").order_by(
        "due_on", "number", "id"
    )


@dataclass
class MatrixRow:
    unit: Unit
    tally: Tally
    own: bool = False  # the unit's own recommendations, not those of a unit below
    has_children: bool = False


@dataclass
class Matrix:
    unit: Unit
    rows: list[MatrixRow]
    total: Tally
    since: date


def recommendation_matrix(user, unit: Unit, *, since: date | None = None, today=None) -> Matrix:
    """For each child of `unit`: its subtree's recommendations by the four states — every one
    still open, whatever its due date, and those closed since `since` (the start of the year
    by default) — in one grouped query, plus one for the children.

    The unit is in the user's scope, so everything addressed below it is visible to them: the
    rows are read by the addressed unit's path alone, on one index (`recommendation_rollup`).
    """
    today = today or timezone.localdate()
    since = since or date(today.year, 1, 1)
    width = (unit.depth + 1) * STEP
    below = Recommendation.objects.filter(within("unit_path", unit.path))
    grouped = (
        restrict(below, user)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=since))
        .annotate(head=Substr("unit_path", 1, width))
        .values("head")
        # Counted by a column of the index (never null), not the id: PostgreSQL then reads
        # the index alone (an index-only scan), not the table's wide rows.
        .annotate(**{s.value: Count("due_on", filter=state_condition(s, today)) for s in State})
        .order_by()
    )
    tallies = {row["head"]: Tally({s.value: row[s.value] for s in State}) for row in grouped}
    children = list(
        Unit.objects.filter(parent=unit)
        .annotate(kids=Count("children"))
        .order_by("sort_key", "name")
    )
    rows = [
        MatrixRow(child, tallies.get(child.path, Tally()), has_children=child.kids > 0)
        for child in children
        if child.path in tallies
    ]
    rows.sort(key=lambda r: (-r.tally.counts[State.OVERDUE], r.unit.sort_key, r.unit.name))
    if unit.path in tallies:
        rows.insert(0, MatrixRow(unit, tallies[unit.path], own=True))
    total = Tally()
    for row in rows:
        total.add(row.tally)
    return Matrix(unit=unit, rows=rows, total=total, since=since)


# Recurring shortcomings ----------------------------------------------------------------------


def recurrence_years(unit: Unit) -> int:
    """N of "within the last N years": the setting of the unit or of the nearest unit above it
    that has one."""
    paths = [*unit.ancestor_paths(), unit.path]
    found = (
        OversightSettings.objects.filter(unit__path__in=paths)
        .order_by("-unit__path")
        .values_list("recurrence_years", flat=True)
        .first()
    )
    return found or DEFAULT_RECURRENCE_YEARS


def recurrence_since(unit: Unit, today: date, years: int | None = None) -> date:
    """The first day of the window: N years back from `today`."""
    return add_months(today, -12 * (years or recurrence_years(unit)))


@dataclass
class Recurrence:
    unit: Unit
    area: WorkArea
    conclusions: int
    last_on: date


def recurring_rows(
    user, unit: Unit, *, today: date | None = None, years: int | None = None
) -> list[dict]:
    """The (unit path, field, conclusions, last date) of every unit of `unit`'s subtree in
    which the same field of work was named a shortcoming in two or more conclusions within the
    last N years, most conclusions first, then in the tree's order: one grouped query (count
    of distinct conclusions ≥ 2) read from the findings' index alone — by the unit's path, which
    stands for the unit (a finding's copy follows the unit's moves)."""
    today = today or timezone.localdate()
    if not can(user, Action.VIEW):
        return []
    since = recurrence_since(unit, today, years)
    return list(
        restrict(Finding.objects.filter(within("unit_path", unit.path)), user)
        .filter(kind=FindingKind.SHORTCOMING, issued_on__gte=since, issued_on__lte=today)
        .values("unit_path", "area_id")
        .annotate(n=Count("conclusion_id", distinct=True), last=Max("issued_on"))
        .filter(n__gte=2)
        .order_by("-n", "unit_path", "area_id")
    )


def recurrences(rows: list[dict]) -> list[Recurrence]:
    """The rows of `recurring_rows` (a page of them) with their units and fields: one query
    for the units, one for the fields."""
    units = (
        Unit.objects.only("id", "name", "path", "sort_key").in_bulk(
            {row["unit_path"] for row in rows}, field_name="path"
        )
        if rows
        else {}
    )
    areas = WorkArea.objects.in_bulk({row["area_id"] for row in rows}) if rows else {}
    return [
        Recurrence(units[row["unit_path"]], areas[row["area_id"]], row["n"], row["last"])
        for row in rows
        if row["unit_path"] in units
    ]


def recurring_shortcomings(
    user, unit: Unit, *, today: date | None = None, years: int | None = None
) -> list[Recurrence]:
    """Every recurring shortcoming of `unit`'s subtree (see `recurring_rows`), with its unit
    and field. A long list (the country's) is paged: `recurring_rows`, then `recurrences` of a
    page."""
    return recurrences(recurring_rows(user, unit, today=today, years=years))


def recurring_for_unit(
    unit: Unit, areas=None, *, today: date | None = None, years: int | None = None
) -> dict[int, int]:
    """For the conclusion being drafted: {field of work id: conclusions within the window that
    already named it a shortcoming of `unit`} — one more makes it recurring (≥ 1 here)."""
    today = today or timezone.localdate()
    since = recurrence_since(unit, today, years)
    found = Finding.objects.filter(
        unit=unit, kind=FindingKind.SHORTCOMING, issued_on__gte=since, issued_on__lte=today
    )
    if areas is not None:
        found = found.filter(area__in=areas)
    return dict(
        found.values("area_id")
        .annotate(n=Count("conclusion_id", distinct=True))
        .values_list("area_id", "n")
        .order_by()
    )


# Plans ---------------------------------------------------------------------------------------


def plans_for(user, action: Action = Action.VIEW) -> QuerySet[InspectionPlan]:
    return restrict(InspectionPlan.objects.select_related("unit"), user, action)


def plan_for(user, pk, action: Action = Action.VIEW) -> InspectionPlan:
    plan = plans_for(user, action).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


@dataclass
class PlanProgress:
    plan: InspectionPlan
    items: list[PlanItem]
    done: int
    outside: list[Inspection] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> float | None:
        return 100 * self.done / self.total if self.total else None


def plan_progress(user, plan: InspectionPlan) -> PlanProgress:
    """ "Đã thực hiện 9/12 cuộc theo kế hoạch, đạt 75%": the items with an inspection conducted
    or concluded; the visits of the plan's unit that year made outside the plan, apart."""
    carried = Inspection.objects.filter(plan_item=OuterRef("pk"), state__in=CARRIED_OUT)
    items = list(
        plan.items.annotate(carried_out=Exists(carried))
        .prefetch_related(
            Prefetch("units", Unit.objects.order_by("sort_key", "name")),
            Prefetch(
                "inspections", Inspection.objects.order_by("starts_on", "id"), to_attr="visits"
            ),
        )
        .order_by("planned_month", "position", "id")
    )
    outside = list(
        inspections_for(user)
        .filter(unit=plan.unit, plan_item__isnull=True, starts_on__year=plan.year)
        .select_related("unit")
        .prefetch_related("inspected__unit")
        .order_by("starts_on", "id")
    )
    return PlanProgress(
        plan=plan, items=items, done=sum(1 for i in items if i.carried_out), outside=outside
    )


# Conferences ---------------------------------------------------------------------------------


def conferences_for(user, action: Action = Action.VIEW) -> QuerySet[Conference]:
    return restrict(Conference.objects.select_related("unit"), user, action)


def conference_for(user, pk, action: Action = Action.VIEW) -> Conference:
    conference = conferences_for(user, action).filter(pk=pk).first()
    if conference is None:
        raise Http404
    return conference


def conference_documents(user, conference: Conference):
    """The documents presented, as far as the user sees them (a document's own scope)."""
    from tuyengiao.directives.queries import directives_for

    return (
        directives_for(user)
        .filter(pk__in=conference.documents.values("pk"))
        .order_by("-issued_on", "id")
    )


# Conclusions, and what a reader sees of one ------------------------------------------------------


def conclusions_for(user, action: Action = Action.VIEW) -> QuerySet[Conclusion]:
    """The conclusions of the inspections the user may see."""
    return Conclusion.objects.filter(inspection__in=inspections_for(user, action).values("pk"))


def conclusion_for(user, pk, action: Action = Action.VIEW) -> Conclusion:
    found = (
        conclusions_for(user, action)
        .select_related("notice", "inspection__unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def seen_in(user, inspection: Inspection, rows):
    """Of a conclusion's findings or recommendations, those the user sees: all of them from
    the inspecting unit's subtree, an inspected unit's own from that unit's (another inspected
    unit's belong to that unit)."""
    prefix = scope_prefix(user)
    if prefix is None or not can(user, Action.VIEW):
        return []
    if inspection.unit_path.startswith(prefix):
        return list(rows)
    return [row for row in rows if row.unit_path.startswith(prefix)]


def conferences_in(
    user, unit: Unit | None = None, *, kind: str = "", year: int | None = None
) -> QuerySet[Conference]:
    """The conferences held by `unit`'s subtree (the user's when None), newest first."""
    found = conferences_for(user)
    if unit is not None:
        found = found.filter(within("unit_path", unit.path))
    if kind:
        found = found.filter(kind=kind)
    if year:
        found = found.filter(held_on__year=year)
    return found.order_by("-held_on", "-id")
