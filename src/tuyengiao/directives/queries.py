"""Reads of the cascade: the inbox, the matrix of units × steps, rates by level, late units.

Every read is scoped; the matrix is a fixed number of queries whatever the number of units.
"""

from contextlib import suppress
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from tuyengiao.deadlines.models import Obligation, State, state_condition
from tuyengiao.deadlines.queries import STATES, Tally
from tuyengiao.org.models import STEP, Level, Unit, within
from tuyengiao.org.scope import Action, can, restrict, scope_prefix
from tuyengiao.text import nfc, parse_symbol

from .models import Assignment, Directive, Step, StepKind


def directives_for(user):
    """Documents registered in the user's scope or sent to a unit in it."""
    prefix = scope_prefix(user)
    if prefix is None or not can(user, Action.VIEW):
        return Directive.objects.none()
    if not prefix:
        return restrict(Directive.objects.all(), user)
    received = Assignment.objects.filter(within("unit_path", prefix), directive=OuterRef("pk"))
    return Directive.objects.filter(within("unit_path", prefix) | Q(Exists(received)))


def search_directives(queryset, query: str):
    """Documents whose symbol or subject holds the query; a typed symbol ("Kết luận 01-KL/TƯ")
    also finds its canonical form."""
    query = nfc(query)
    if not query:
        return queryset
    match = Q(symbol__icontains=query) | Q(title__icontains=query)
    with suppress(ValueError):
        match |= Q(symbol=str(parse_symbol(query)))
    return queryset.filter(match)


def registered_at(user, unit: Unit, query: str = ""):
    """The documents registered by `unit` or below it, matching `query` (see
    `search_directives`)."""
    registered = directives_for(user).filter(within("unit_path", unit.path))
    return search_directives(registered, query).select_related("unit")


def directive_for(user, pk: int) -> Directive:
    """One document the user may see, or 404 (the visibility rule is `directives_for`)."""
    directive = directives_for(user).select_related("unit").filter(pk=pk).first()
    if directive is None:
        raise Http404
    return directive


def inbox(user, unit: Unit):
    """Documents the unit has received, the one with the nearest open deadline first."""
    next_due = Min(
        "assignments__steps__due_on",
        filter=Q(assignments__steps__done_on=None, assignments__unit=unit),
    )
    return (
        directives_for(user)
        .filter(assignments__unit=unit)
        .annotate(next_due=next_due)
        .order_by("next_due", "-issued_on")
        .distinct()
    )


def received(user, directive: Directive, unit: Unit) -> Assignment | None:
    """How the document reached `unit`: its assignment with the dispatch (sender, date, note),
    or None where the unit did not receive it (it registered it, or it is not a receiver)."""
    return (
        restrict(Assignment.objects.filter(directive=directive, unit=unit), user)
        .select_related("dispatch__sender", "dispatch__sent_by")
        .first()
    )


def steps_for(user):
    return restrict(Step.objects.all(), user)


def step_for(user, pk: int) -> Step:
    """One step of a unit in the user's subtree, with its document and unit; else 404."""
    step = steps_for(user).select_related("directive", "unit").filter(pk=pk).first()
    if step is None:
        raise Http404
    return step


def directive_counts(user, directive: Directive, today=None) -> dict[str, int]:
    """Receivers and steps of the document within the user's subtree, steps by state."""
    today = today or timezone.localdate()
    obligations = restrict(Obligation.objects.filter(directive_step__directive=directive), user)
    counts = obligations.aggregate(
        steps=Count("pk"),
        **{s.value: Count("pk", filter=state_condition(s, today)) for s in State},
    )
    counts["assigned"] = restrict(Assignment.objects.filter(directive=directive), user).count()
    return counts


def filter_steps(steps, *, directive: int | None = None, unit=None, state: str = ""):
    """Steps of one document, of `unit` and below, in one deadline state (as of today)."""
    if directive is not None:
        steps = steps.filter(directive_id=directive)
    if unit is not None:
        steps = steps.filter(within("unit_path", unit.path))
    if state:
        steps = steps.filter(obligation__in=Obligation.objects.in_state(State(state)))
    return steps


def own_steps(user, directive: Directive, unit: Unit, today=None) -> list[Step]:
    """The unit's own steps of the document, the earliest due first, each with its `state`."""
    today = today or timezone.localdate()
    steps = list(
        steps_for(user)
        .filter(directive=directive, unit=unit)
        .select_related("obligation")
        .order_by("due_on")
    )
    for step in steps:
        step.state = step.obligation.state_on(today)
    return steps


def senders(user, directive: Directive):
    """The units the user may send the document down from: the units of their scope that they
    may change and that registered the document or received it."""
    allowed = restrict(Unit.objects.all(), user, Action.CHANGE)
    holders = Assignment.objects.filter(directive=directive).values("unit_id")
    return allowed.filter(Q(pk=directive.unit_id) | Q(pk__in=holders)).order_by("path")


def sender_choices(senders, sender: Unit):
    """The senders worth offering in the send page's picker: those with a unit in force below
    them (a cell that received the document has no one to send it to), and `sender` itself."""
    below = Unit.objects.filter(parent=OuterRef("pk")).active()
    return senders.filter(Q(pk=sender.pk) | Q(Exists(below)))


def may_send(user, directive: Directive, unit: Unit) -> bool:
    return senders(user, directive).filter(pk=unit.pk).exists()


def receivers_for(user, unit: Unit):
    """The units in force below `unit` that the user may send to."""
    allowed = restrict(Unit.objects.all(), user, Action.CHANGE)
    return allowed.subtree(unit).exclude(pk=unit.pk).active().order_by("path")


@dataclass
class MatrixRow:
    unit: Unit
    cells: dict[str, Tally] = field(default_factory=dict)  # by step kind
    attendees: int = 0
    expected: int = 0
    own: bool = False
    ordered: list = field(default_factory=list)  # the cells in column order, for the page

    @property
    def attendance_rate(self) -> float | None:
        return 100 * self.attendees / self.expected if self.expected else None

    @property
    def total(self) -> Tally:
        tally = Tally()
        for cell in self.cells.values():
            tally.add(cell)
        return tally


@dataclass
class Matrix:
    directive: Directive
    unit: Unit
    kinds: list[str]
    rows: list[MatrixRow]
    by_level: list[tuple[str, list[tuple[str, Tally]]]]
    total: MatrixRow

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(kind, StepKind(kind).label) for kind in self.kinds]


def matrix(user, directive: Directive, unit: Unit, today=None) -> Matrix:
    """Steps of `directive` below `unit`, one row per child subtree, one column per step."""
    today = today or timezone.localdate()
    width = (unit.depth + 1) * STEP
    states = {s: Count("id", filter=state_condition(State(s), today)) for s in STATES}
    # Subtree range before the scope range: see deadlines.queries.obligations_for.
    steps = restrict(Step.objects.filter(within("unit_path", unit.path), directive=directive), user)
    grouped = (
        steps.annotate(head=Substr("unit_path", 1, width))
        .values("head", "kind")
        .annotate(
            **states,
            attendees=Sum("attendees_cadres", default=0) + Sum("attendees_members", default=0),
            expected=Sum("expected", default=0),
        )
    )
    rows: dict[str, MatrixRow] = {}
    kinds_seen: set[str] = set()
    for item in grouped:
        row = rows.setdefault(item["head"], MatrixRow(unit=None))
        row.cells[item["kind"]] = Tally({s: item[s] for s in STATES})
        row.attendees += item["attendees"] or 0
        row.expected += item["expected"] or 0
        kinds_seen.add(item["kind"])
    units = {u.path: u for u in Unit.objects.filter(path__in=list(rows))}
    result = []
    for path, row in rows.items():
        row.unit = units[path]
        row.own = path == unit.path
        result.append(row)
    result.sort(key=lambda r: (not r.own, -r.total.counts[State.OVERDUE], r.unit.name))
    levels = steps.values("unit__level", "kind").annotate(**states).order_by()
    by_level: dict[str, dict[str, Tally]] = {}
    for item in levels:
        by_level.setdefault(item["unit__level"], {})[item["kind"]] = Tally(
            {s: item[s] for s in STATES}
        )
    level_order = [lv for lv in Level.values if lv in by_level]
    total = MatrixRow(unit=unit)
    for row in result:
        total.attendees += row.attendees
        total.expected += row.expected
        for kind, tally in row.cells.items():
            total.cells.setdefault(kind, Tally()).add(tally)
    kinds = [k for k in StepKind.values if k in kinds_seen]
    for row in result:
        row.ordered = [row.cells.get(kind) for kind in kinds]
    return Matrix(
        directive=directive,
        unit=unit,
        kinds=kinds,
        rows=result,
        by_level=[
            (
                Level(lv).label,
                [
                    (StepKind(k).label, by_level[lv][k])
                    for k in StepKind.values
                    if k in by_level[lv]
                ],
            )
            for lv in level_order
        ],
        total=total,
    )


def late_steps(
    user,
    directive: Directive,
    unit: Unit,
    today=None,
    limit: int = 500,
    *,
    kind: str = "",
    level: str = "",
    state: str = "",
):
    """Steps below `unit` that are overdue or were done late, the oldest deadline first, each
    with the name of its step as `kind_label` (translated once per kind, not once per row).

    Optionally only one step, one level of units, or one of the two late states.
    """
    today = today or timezone.localdate()
    if state in (State.OVERDUE, State.DONE_LATE):
        late = state_condition(State(state), today)
    else:
        late = state_condition(State.OVERDUE, today) | state_condition(State.DONE_LATE, today)
    steps = restrict(Step.objects.filter(within("unit_path", unit.path), directive=directive), user)
    if kind:
        steps = steps.filter(kind=kind)
    if level:
        steps = steps.filter(unit__level=level)
    found = list(
        steps.filter(late)
        .select_related("unit", "unit__parent")
        .order_by("due_on", "unit_path")[:limit]
    )
    labels = {kind: str(label) for kind, label in StepKind.choices}
    for step in found:
        step.kind_label = labels.get(step.kind, step.kind)
    return found
