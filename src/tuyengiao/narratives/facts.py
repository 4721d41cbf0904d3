"""The numbers a narrative report is drafted from: one function per family of facts.

Each returns the numbers it counted and a link to the page of the records they count
(`?unit=&period=`), read through the apps' own queries (the one door for each count): the
integrator may switch a function to the record-backed indicators' roll-up
(`figures.models.Rollup(unit, indicator, period).total / SCALE`) without touching the drafting.
Every function counts `unit`'s subtree in `period` as `user` may see it; the unit is in the
user's scope (the pages and the API check it first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from tuyengiao.deadlines.models import ObligationKind, State, state_condition
from tuyengiao.deadlines.queries import obligations_for
from tuyengiao.org.models import Unit, within
from tuyengiao.org.scope import restrict
from tuyengiao.periods import Period


@dataclass
class Fact:
    numbers: dict = field(default_factory=dict)
    link: str = ""
    rows: list = field(default_factory=list)  # details: per indicator, per unit, per item


def _link(name: str, unit: Unit, period: Period | None = None, **more) -> str:
    query = f"?unit={unit.pk}"
    if period is not None:
        query += f"&period={period.id}"
    for key, value in more.items():
        query += f"&{key}={value}"
    return reverse(name) + query


# Documents studied and disseminated (directives' steps) -------------------------------------


def documents(user, unit: Unit, period: Period, today: date) -> Fact:
    """The steps of Party documents due in the period below `unit`: done, on time, the
    attendance of the studies (people present / people expected) and the audience reached."""
    from tuyengiao.directives.models import Step, StepKind

    steps = restrict(
        Step.objects.filter(
            within("unit_path", unit.path), due_on__gte=period.start, due_on__lte=period.end
        ),
        user,
    )
    study = Q(kind=StepKind.STUDY, done_on__isnull=False)
    found = steps.aggregate(
        steps=Count("id"),
        documents=Count("directive", distinct=True),
        done=Count("id", filter=Q(done_on__isnull=False)),
        on_time=Count("id", filter=state_condition(State.DONE_ON_TIME, today)),
        due=Count("id", filter=~state_condition(State.PENDING, today)),
        studied=Count("directive", distinct=True, filter=study),
        present=Sum("attendees_cadres", filter=study, default=0)
        + Sum("attendees_members", filter=study, default=0),
        expected=Sum("expected", filter=study & Q(expected__isnull=False), default=0),
        audience=Sum("audience", filter=Q(kind=StepKind.OUTREACH), default=0),
    )
    return Fact(found, _link("directives:list", unit))


def late_steps(user, unit: Unit, period: Period, today: date, limit: int = 400) -> Fact:
    """Steps due in the period below `unit` done late or overdue: per unit, which steps of
    which documents."""
    from tuyengiao.directives.models import Step, StepKind

    late = state_condition(State.OVERDUE, today) | state_condition(State.DONE_LATE, today)
    rows = list(
        restrict(
            Step.objects.filter(
                within("unit_path", unit.path), due_on__gte=period.start, due_on__lte=period.end
            ),
            user,
        )
        .filter(late)
        .values_list("unit__name", "unit_path", "kind", "directive__symbol", "done_on")
        .order_by("unit_path", "due_on")[:limit]
    )
    labels = dict(StepKind.choices)
    by_unit: dict[str, dict] = {}
    for name, path, kind, symbol, done_on in rows:
        entry = by_unit.setdefault(path, {"unit": name, "steps": [], "overdue": 0, "late": 0})
        entry["steps"].append(f"{labels.get(kind, kind)} {symbol}".strip())
        entry["overdue" if done_on is None else "late"] += 1
    return Fact(
        {"units": len(by_unit), "steps": len(rows)},
        _link("directives:list", unit),
        list(by_unit.values()),
    )


# Obligations ----------------------------------------------------------------------------------


def late_obligations(user, unit: Unit, period: Period, today: date) -> Fact:
    """Per unit of the subtree, the obligations due in the period that were done late or are
    overdue, by kind (every other deadline than the steps of documents, counted there)."""
    late = state_condition(State.OVERDUE, today) | state_condition(State.DONE_LATE, today)
    grouped = (
        obligations_for(user, unit)
        .filter(due_on__gte=period.start, due_on__lte=period.end)
        .exclude(kind=ObligationKind.DIRECTIVE_STEP)
        .filter(late)
        .values("unit_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_unit: dict[int, dict[str, int]] = {}
    for row in grouped:
        by_unit.setdefault(row["unit_id"], {})[row["kind"]] = row["n"]
    units = Unit.objects.only("id", "name", "path").in_bulk(list(by_unit))
    labels = dict(ObligationKind.choices)
    rows = [
        {
            "unit": units[pk].name,
            "path": units[pk].path,
            "kinds": [(str(labels.get(k, k)), n) for k, n in sorted(kinds.items())],
            "total": sum(kinds.values()),
        }
        for pk, kinds in by_unit.items()
        if pk in units
    ]
    rows.sort(key=lambda r: (-r["total"], r["path"]))
    return Fact(
        {"units": len(rows), "late": sum(r["total"] for r in rows)},
        _link("deadlines:list", unit, period, state=State.OVERDUE.value),
        rows,
    )


def due_next(user, unit: Unit, period: Period, limit: int = 15) -> Fact:
    """What the subtree owes in `period` (the next one) and has not done: by kind, and the
    unit's own items."""
    owed = (
        obligations_for(user, unit)
        .filter(due_on__gte=period.start, due_on__lte=period.end, done_on__isnull=True)
        .exclude(kind=ObligationKind.NARRATIVE)  # the report being written is one of them
    )
    labels = dict(ObligationKind.choices)
    kinds = [
        (str(labels.get(r["kind"], r["kind"])), r["n"])
        for r in owed.values("kind").annotate(n=Count("id")).order_by("kind")
    ]
    own = list(
        owed.filter(unit=unit)
        .order_by("due_on", "id")
        .only("title", "title_message", "due_on")[:limit]
    )
    return Fact(
        {"owed": sum(n for _k, n in kinds)},
        _link("deadlines:list", unit, period),
        [{"kinds": kinds, "own": [(o.display_title, o.due_on) for o in own]}],
    )


# Figures against plan ----------------------------------------------------------------------------


def figures_plan(user, unit: Unit, period: Period) -> Fact:
    """The entered indicators that have a plan: the subtree's value, its plan and the rate,
    and which children fell below plan (`figures.queries.table`)."""
    from tuyengiao.figures.models import Indicator
    from tuyengiao.figures.queries import table

    indicators = list(
        Indicator.objects.filter(planned__isnull=False)
        .select_related("planned", "planned__numerator", "planned__denominator")
        .select_related("numerator", "denominator")
        .order_by("code")
    )
    if not indicators:
        return Fact({}, _link("figures:table", unit, period))
    grid = table(unit, indicators, [period])
    total = next(r for r in grid.rows if r.is_total)
    rows = []
    for i, (indicator, cell) in enumerate(zip(indicators, total.cells, strict=True)):
        if cell.value is None or cell.planned is None:
            continue
        below = [
            r.unit.name
            for r in grid.rows
            if not r.is_total
            and not r.own
            and r.cells[i].rate is not None
            and r.cells[i].rate < 100
        ]
        rows.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "measure": indicator.measure,
                "value": cell.value,
                "planned": cell.planned,
                "rate": cell.rate,
                "decimals": cell.decimals,
                "below": below,
            }
        )
    return Fact({"indicators": len(rows)}, _link("figures:table", unit, period), rows)


# Political-theory classes (the `training` app, when installed) -------------------------------


def classes(user, unit: Unit, period: Period) -> Fact:
    """Classes and learners against plan, from `training.queries.plan_vs_actual` (the
    subtree's total: the plan of the year, classes opened, learners of the classes closed)."""
    from tuyengiao.training.queries import plan_vs_actual

    result = plan_vs_actual(user, unit, period)
    figures = result.total.figures
    numbers = {
        key: getattr(figures, key)
        for key in (
            "classes",
            "classes_planned",
            "enrolled",
            "learners_planned",
            "completed",
            "closed_enrolled",
        )
    }
    link = _link("training:plan", unit, period)
    return Fact(numbers, link, [{"classes_text": result.total.classes_text}])


# Speakers, sessions and audience ----------------------------------------------------------------


def outreach(user, unit: Unit, period: Period) -> Fact:
    from tuyengiao.outreach.queries import session_rollup, sessions_by_speaker

    rollup = session_rollup(user, unit, period)
    speakers = sessions_by_speaker(user, unit, period)
    return Fact(
        {
            "sessions": rollup.total.sessions,
            "audience": rollup.total.audience,
            "speakers": len(speakers),
        },
        _link("outreach:sessions", unit, period),
    )


def exemplars(user, unit: Unit, period: Period) -> Fact:
    """Models recognised in the period, by field of work, and their replications."""
    from tuyengiao.outreach.queries import model_counts

    counts = model_counts(user, unit, since=period.start, until=period.end)
    return Fact(
        {"recognised": counts.total, "replications": counts.replications},
        _link("outreach:counts", unit),
        [{"area_id": a.pk, "area": a.name, "n": counts.by_area.get(a.pk, 0)} for a in counts.areas],
    )


# Public concerns ------------------------------------------------------------------------------


def concerns(user, unit: Unit, period: Period, today: date) -> Fact:
    """Concerns first reported in the period, answered and resolved in it, and of those due in
    it how many were answered and resolved on time (`concerns.stats.resolution_numbers`)."""
    from tuyengiao.concerns.queries import concerns_for
    from tuyengiao.concerns.stats import resolution_numbers, start_of

    begin, end = start_of(period.start), start_of(period.end + timedelta(days=1))
    found = (
        concerns_for(user)
        .filter(within("unit_path", unit.path))
        .aggregate(
            received=Count("id", filter=Q(first_reported_at__gte=begin, first_reported_at__lt=end)),
            answered=Count("id", filter=Q(answered_at__gte=begin, answered_at__lt=end)),
            resolved=Count("id", filter=Q(resolved_at__gte=begin, resolved_at__lt=end)),
        )
    )
    numbers = dict(found)
    totals = {"due": 0, "resolved_on_time": 0, "answer_due": 0, "answered_on_time": 0}
    for row in resolution_numbers(unit, period.start, period.end, today).values():
        for key in totals:
            totals[key] += getattr(row, key)
    numbers.update(totals)
    return Fact(numbers, _link("concerns:overview", unit))


def concerns_overdue(user, unit: Unit, today: date, limit: int = 10) -> Fact:
    """Concerns still open past their due date."""
    from tuyengiao.concerns.models import OPEN_STATES
    from tuyengiao.concerns.queries import concerns_for

    overdue = concerns_for(user).filter(
        within("unit_path", unit.path), state__in=OPEN_STATES, due_on__lt=today
    )
    rows = list(
        overdue.select_related("unit")
        .order_by("due_on", "id")
        .values_list("title", "unit__name", "due_on")[:limit]
    )
    return Fact({"overdue": overdue.count()}, _link("concerns:list", unit), rows)


# Inspections and recommendations ------------------------------------------------------------------


def inspections(user, unit: Unit, period: Period, today: date) -> Fact:
    """Inspections the subtree's units began in the period, recommendations issued in it, and
    where the subtree's recommendations stand (`oversight.queries.recommendation_matrix`)."""
    from tuyengiao.oversight.queries import (
        inspections_for,
        recommendation_matrix,
        recommendations_for,
    )

    held = inspections_for(user).filter(
        within("unit_path", unit.path), starts_on__gte=period.start, starts_on__lte=period.end
    )
    issued = recommendations_for(user).filter(
        within("unit_path", unit.path),
        Q(conclusion__issued_on__gte=period.start, conclusion__issued_on__lte=period.end)
        | Q(conference__held_on__gte=period.start, conference__held_on__lte=period.end),
    )
    matrix = recommendation_matrix(user, unit, since=period.start, today=today)
    counts = matrix.total.counts
    return Fact(
        {
            "inspections": held.count(),
            "recommendations": issued.count(),
            "done_on_time": counts[State.DONE_ON_TIME],
            "done_late": counts[State.DONE_LATE],
            "pending": counts[State.PENDING],
            "overdue": counts[State.OVERDUE],
        },
        _link("oversight:matrix", unit),
    )


def recurring(user, unit: Unit, today: date, limit: int = 10) -> Fact:
    from tuyengiao.oversight.queries import recurrences, recurring_rows

    rows = recurring_rows(user, unit, today=today)
    found = recurrences(rows[:limit])
    return Fact(
        {"recurring": len(rows)},
        _link("oversight:recurring", unit),
        [{"unit": r.unit.name, "area": r.area.name, "n": r.conclusions} for r in found],
    )


def open_recommendations(user, unit: Unit, today: date, limit: int = 15) -> Fact:
    from tuyengiao.oversight.queries import open_recommendations as open_of

    found = open_of(user, unit, today=today)
    rows = [(r.unit.name, r.text, r.due_on) for r in found[:limit]]
    return Fact({"open": found.count()}, _link("oversight:recommendations", unit), rows)


def rate(part, whole) -> Decimal | None:
    if part is None or not whole:
        return None
    return Decimal(part) * 100 / Decimal(whole)


__all__ = [
    "Fact",
    "classes",
    "concerns",
    "concerns_overdue",
    "documents",
    "due_next",
    "exemplars",
    "figures_plan",
    "inspections",
    "late_obligations",
    "late_steps",
    "open_recommendations",
    "outreach",
    "rate",
    "recurring",
]
