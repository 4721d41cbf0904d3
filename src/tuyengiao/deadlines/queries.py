"""Reads of obligations: lists and the dashboard, computed in the database."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from tuyengiao.org.models import STEP, Unit, within
from tuyengiao.org.scope import restrict
from tuyengiao.periods import Period

from .models import Obligation, State, state_condition


def obligations_for(user, unit: Unit | None = None):
    """The obligations the user may see, within `unit`'s subtree when given.

    The subtree range comes first: SQLite uses the first range on an indexed column to seek
    and checks the second row by row, so the narrower one must lead.
    """
    qs = Obligation.objects.all()
    if unit is not None:
        qs = qs.filter(within("unit_path", unit.path))
    return restrict(qs, user)


def unit_obligations(
    user,
    unit: Unit,
    *,
    period: Period | None = None,
    state: str = "",
    subtree: bool = False,
    today=None,
):
    qs = obligations_for(user, unit).select_related("unit")
    if not subtree:
        qs = qs.filter(unit=unit)
    if period is not None:
        qs = qs.filter(due_on__range=(period.start, period.end))
    if state:
        qs = qs.in_state(State(state), today)
    return qs.with_state(today).order_by("done_on", "due_on", "id")


def has_own_obligations(user, unit: Unit) -> bool:
    return obligations_for(user, unit).filter(unit=unit).exists()


STATES = [s.value for s in State]  # the states' values, in order (not the enum's, per tally)


@dataclass
class Tally:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def single(self) -> str:
        """The state of the one obligation counted, "" when the tally counts none or several."""
        found = [state for state, n in self.counts.items() if n]
        return found[0] if len(found) == 1 and self.counts[found[0]] == 1 else ""

    @property
    def due(self) -> int:
        """Obligations already done or past their date: the base of the on-time rate."""
        return self.total - self.counts[State.PENDING]

    @property
    def on_time_rate(self) -> float | None:
        return 100 * self.counts[State.DONE_ON_TIME] / self.due if self.due else None

    def add(self, other: "Tally") -> None:
        for key, value in other.counts.items():
            self.counts[key] += value


@dataclass
class DashboardRow:
    unit: Unit
    tally: Tally
    own: bool = False  # the unit's own obligations, not those of a sub-unit


@dataclass
class Dashboard:
    unit: Unit
    period: Period
    rows: list[DashboardRow]
    total: Tally


def dashboard(user, unit: Unit, period: Period, today=None) -> Dashboard:
    """For each child of `unit`: its subtree's obligations due in `period`, by state.

    One grouped query over the obligations (by the child's path prefix) and one for the
    children's names, however many units lie below.
    """
    today = today or timezone.localdate()
    width = (unit.depth + 1) * STEP
    grouped = (
        obligations_for(user, unit)
        .filter(due_on__range=(period.start, period.end))
        .annotate(head=Substr("unit_path", 1, width))
        .values("head")
        .annotate(**{s.value: Count("id", filter=state_condition(s, today)) for s in State})
    )
    tallies = {row["head"]: Tally({s.value: row[s.value] for s in State}) for row in grouped}
    children = Unit.objects.filter(parent=unit).order_by("sort_key", "name")
    rows = [
        DashboardRow(child, tallies.get(child.path, Tally()))
        for child in children
        if child.is_active or child.path in tallies
    ]
    rows.sort(key=lambda r: (r.tally.on_time_rate is None, r.tally.on_time_rate or 0, r.unit.name))
    if unit.path in tallies:
        rows.insert(0, DashboardRow(unit, tallies[unit.path], own=True))
    total = Tally()
    for row in rows:
        total.add(row.tally)
    return Dashboard(unit=unit, period=period, rows=rows, total=total)


def state_totals(user, unit: Unit, today=None) -> Tally:
    """Counts by state of everything the unit's subtree owes (for the unit page)."""
    today = today or timezone.localdate()
    counts = obligations_for(user, unit).aggregate(
        **{s.value: Count("id", filter=state_condition(s, today)) for s in State}
    )
    return Tally(counts)


def upcoming(user, unit: Unit, limit: int = 10, today=None):
    """What the unit's subtree must do next: overdue first, then by date."""
    return list(
        obligations_for(user, unit)
        .filter(done_on__isnull=True)
        .select_related("unit")
        .with_state(today)
        .order_by("due_on", "id")[:limit]
    )
