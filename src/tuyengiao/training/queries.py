"""Reads of political-theory training, scoped, shared by the pages, the API and the export.

Who sees what: a centre, its plans and its classes are the centre's unit's, seen from it and
above (the commune and the province); a neighbouring commune sees nothing of them (404), even
one the centre serves — the counts of a class are its centre's, not of the communes its
learners come from.

Plan against actual (`plan_vs_actual`) for a unit's subtree and a period, three tables in a
fixed number of grouped queries: by programme, by centre, by child unit (the child's subtree,
grouped by the first steps of `unit_path`). Actual counts the classes OPENED in the period and
their learners enrolled (by opening day), and the learners completed in the classes CLOSED in
the period (by closing day). A plan is annual: every period is compared with the plan of its
year — for a half, a quarter or a month the figure reads "đạt …% kế hoạch năm" (progress
towards the year's plan).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from tuyengiao.figures import sources
from tuyengiao.org.models import STEP, Unit, within
from tuyengiao.org.scope import Action, restrict
from tuyengiao.periods import Period
from tuyengiao.text import format_number
from tuyengiao.text.numbers import format_rate

from .models import PoliticalCentre, Programme, TrainingClass, TrainingPlan


def _one(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def programmes(active_only: bool = False) -> QuerySet[Programme]:
    found = Programme.objects.all()
    return found.filter(active=True) if active_only else found


def centres_for(user, action: Action = Action.VIEW) -> QuerySet[PoliticalCentre]:
    return restrict(PoliticalCentre.objects.select_related("unit"), user, action)


def centre_for(user, pk, action: Action = Action.VIEW) -> PoliticalCentre:
    return _one(centres_for(user, action), pk)


def centres_in(user, unit: Unit, *, active: bool | None = None) -> QuerySet[PoliticalCentre]:
    found = centres_for(user).filter(within("unit_path", unit.path))
    if active is not None:
        found = found.filter(active=active)
    return found.order_by("unit_path", "sort_key", "id")


def plans_for(user, action: Action = Action.VIEW) -> QuerySet[TrainingPlan]:
    return restrict(
        TrainingPlan.objects.select_related("centre", "programme", "unit"), user, action
    )


def plan_for(user, pk, action: Action = Action.VIEW) -> TrainingPlan:
    return _one(plans_for(user, action), pk)


def plans_in(user, unit: Unit, *, year: int | None = None) -> QuerySet[TrainingPlan]:
    found = plans_for(user).filter(within("unit_path", unit.path))
    if year is not None:
        found = found.filter(year=year)
    return found.order_by("-year", "unit_path", "centre__sort_key", "programme__position")


def centre_plans(user, centre: PoliticalCentre, year: int) -> dict[int, TrainingPlan]:
    """The centre's plans of the year by programme id."""
    return {p.programme_id: p for p in plans_for(user).filter(centre=centre, year=year)}


def classes_for(user, action: Action = Action.VIEW) -> QuerySet[TrainingClass]:
    return restrict(
        TrainingClass.objects.select_related("centre", "programme", "unit"), user, action
    )


def class_for(user, pk, action: Action = Action.VIEW) -> TrainingClass:
    return _one(classes_for(user, action), pk)


RUNNING, CLOSED = "running", "closed"


def classes_in(
    user,
    unit: Unit,
    *,
    year: int | None = None,
    programme: Programme | None = None,
    centre: PoliticalCentre | None = None,
    state: str = "",
) -> QuerySet[TrainingClass]:
    """The classes of `unit`'s subtree (opened in `year` when given), newest first."""
    found = classes_for(user).filter(within("unit_path", unit.path))
    if year is not None:
        found = found.filter(opened_on__year=year)
    if programme is not None:
        found = found.filter(programme=programme)
    if centre is not None:
        found = found.filter(centre=centre)
    if state == RUNNING:
        found = found.filter(closed_on__isnull=True)
    elif state == CLOSED:
        found = found.filter(closed_on__isnull=False)
    return found.prefetch_related("communes").order_by("-opened_on", "-id")


# Plan against actual -------------------------------------------------------------------------


def _rate(actual: int, planned: int) -> str:
    """ "104%", "98,32%": two decimals, none when whole; "" against nothing planned."""
    text = format_rate(actual, planned)
    return text.replace(",00%", "%")


@dataclass
class Figures:
    classes_planned: int = 0
    learners_planned: int = 0
    classes: int = 0  # opened in the period
    enrolled: int = 0  # in the classes opened in the period
    closed: int = 0  # classes closed in the period
    closed_enrolled: int = 0  # enrolled in them
    completed: int = 0  # completed in them

    def add(self, other: "Figures") -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def classes_rate(self) -> Decimal | None:
        return _fraction(self.classes, self.classes_planned)

    @property
    def learners_rate(self) -> Decimal | None:
        return _fraction(self.enrolled, self.learners_planned)

    @property
    def completion_rate(self) -> Decimal | None:
        return _fraction(self.completed, self.closed_enrolled)


def _fraction(actual: int, planned: int) -> Decimal | None:
    return Decimal(actual) * 100 / Decimal(planned) if planned else None


def ratio_text(actual: int, planned: int, noun: str, *, annual: bool = False) -> str:
    """ "52/50 lớp, đạt 104% kế hoạch"; "12/50 lớp, đạt 24% kế hoạch năm" for a shorter
    period; "3 lớp" when nothing was planned. Vietnamese numbers (24.193; 98,32%)."""
    shown = format_number(actual)
    if not planned:
        return f"{shown} {noun}"
    text = f"{shown}/{format_number(planned)} {noun}"
    if annual:
        return _("%(text)s, đạt %(rate)s kế hoạch năm") % {
            "text": text,
            "rate": _rate(actual, planned),
        }
    return _("%(text)s, đạt %(rate)s kế hoạch") % {"text": text, "rate": _rate(actual, planned)}


def completion_text(completed: int, enrolled: int) -> str:
    """ "24.193/24.606 học viên, đạt 98,32%": completed of those enrolled in the classes closed."""
    if not enrolled:
        return ""
    return _("%(completed)s/%(enrolled)s học viên, đạt %(rate)s") % {
        "completed": format_number(completed),
        "enrolled": format_number(enrolled),
        "rate": _rate(completed, enrolled),
    }


@dataclass
class Line:
    label: str
    figures: Figures
    unit: Unit | None = None
    own: bool = False
    has_children: bool = False
    annual: bool = False

    @property
    def classes_text(self) -> str:
        f = self.figures
        return ratio_text(f.classes, f.classes_planned, _("lớp"), annual=self.annual)

    @property
    def learners_text(self) -> str:
        f = self.figures
        return ratio_text(f.enrolled, f.learners_planned, _("học viên"), annual=self.annual)

    @property
    def completion_text(self) -> str:
        return completion_text(self.figures.completed, self.figures.closed_enrolled)


@dataclass
class PlanVsActual:
    unit: Unit
    period: Period
    by_programme: list[Line] = field(default_factory=list)
    by_centre: list[Line] = field(default_factory=list)
    by_unit: list[Line] = field(default_factory=list)
    total: Line | None = None

    @property
    def annual(self) -> bool:
        return self.period.kind != "year"


def _grouped(user, unit: Unit, period: Period, key) -> dict:
    """{key value: Figures} for the subtree and period, in three grouped queries."""
    figures: dict = {}

    def at(k) -> Figures:
        return figures.setdefault(k, Figures())

    plans = (
        plans_for(user)
        .filter(within("unit_path", unit.path), year=period.start.year)
        .annotate(k=key)
        .values("k")
        .annotate(c=Sum("classes_planned"), n=Sum("learners_planned"))
        .order_by()
    )
    for row in plans:
        at(row["k"]).classes_planned = row["c"] or 0
        at(row["k"]).learners_planned = row["n"] or 0
    classes = classes_for(user).filter(within("unit_path", unit.path))
    opened = (
        classes.filter(opened_on__gte=period.start, opened_on__lte=period.end)
        .annotate(k=key)
        .values("k")
        .annotate(c=Count("id"), n=Sum("enrolled"))
        .order_by()
    )
    for row in opened:
        at(row["k"]).classes = row["c"]
        at(row["k"]).enrolled = row["n"] or 0
    closed = (
        classes.filter(closed_on__gte=period.start, closed_on__lte=period.end)
        .annotate(k=key)
        .values("k")
        .annotate(c=Count("id"), n=Sum("enrolled"), done=Sum("completed"))
        .order_by()
    )
    for row in closed:
        at(row["k"]).closed = row["c"]
        at(row["k"]).closed_enrolled = row["n"] or 0
        at(row["k"]).completed = row["done"] or 0
    return figures


def plan_vs_actual(user, unit: Unit, period: Period) -> PlanVsActual:
    """The three tables for `unit`'s subtree and `period` (see the module's docstring)."""
    from django.db.models import F

    annual = period.kind != "year"
    result = PlanVsActual(unit=unit, period=period)
    total = Figures()
    by_programme = _grouped(user, unit, period, F("programme_id"))
    for programme in Programme.objects.order_by("position", "id"):
        found = by_programme.get(programme.pk)
        if found is None and not programme.active:
            continue
        figures = found or Figures()
        total.add(figures)
        result.by_programme.append(Line(programme.name, figures, annual=annual))
    result.total = Line(_("Tổng cộng"), total, unit=unit, annual=annual)
    by_centre = _grouped(user, unit, period, F("centre_id"))
    for centre in centres_in(user, unit):
        figures = by_centre.get(centre.pk)
        if figures is None and not centre.active:
            continue
        label = centre.name if centre.unit_id == unit.pk else f"{centre.name} ({centre.unit.name})"
        result.by_centre.append(Line(label, figures or Figures(), unit=centre.unit, annual=annual))
    result.by_unit = plan_vs_actual_by_unit(user, unit, period)
    return result


# The record-backed figures (training/record_sources.py) that make the table by unit.
_SOURCES = {
    "classes": "training.classes",
    "enrolled": "training.enrolled",
    "completed": "training.completed",
    "closed": "training.classes_closed",
    "closed_enrolled": "training.closed_enrolled",
    "classes_planned": "training.classes_planned",
    "learners_planned": "training.learners_planned",
}
_PLANNED = ("classes_planned", "learners_planned")


def _from_rollup(unit: Unit, children: list[Unit], period: Period) -> dict | None:
    """{unit id: Figures} of the unit and its children's subtrees, from the roll-up of the
    record-backed figures (one query); None when those indicators are missing."""
    year = Period.of("year", period.start).id
    counted = sources.totals(
        [unit.pk, *(c.pk for c in children)], _SOURCES.values(), {period.id, year}
    )
    if counted is None:
        return None
    found: dict[int, Figures] = {}
    for u in [unit, *children]:
        figures = found[u.pk] = Figures()
        for name, code in _SOURCES.items():
            setattr(
                figures, name, counted.get((u.pk, code, year if name in _PLANNED else period.id), 0)
            )
    return found


def _is_empty(figures: Figures) -> bool:
    return not any(getattr(figures, name) for name in figures.__dataclass_fields__)


def plan_vs_actual_by_unit(user, unit: Unit, period: Period) -> list[Line]:
    """The unit's own line and a line per child (its whole subtree), from the roll-up of the
    figures counted from the classes and plans (records in one query, however large the
    subtree); the same figures as the grouped counts over the records, which serve when the
    counted indicators are missing."""
    annual = period.kind != "year"
    children = list(
        Unit.objects.filter(parent=unit)
        .annotate(kids=Count("children"))
        .order_by("sort_key", "name")
    )
    found = _from_rollup(unit, children, period)
    if found is None:
        width = (unit.depth + 1) * STEP
        by_head = _grouped(user, unit, period, Substr("unit_path", 1, width))
        # the unit's own records group under its own path: its line holds only them
        found = {u.pk: by_head[u.path] for u in [unit, *children] if u.path in by_head}
        own = found.get(unit.pk, Figures())
    else:
        own = found[unit.pk]
        for child in children:
            for name in own.__dataclass_fields__:
                setattr(own, name, getattr(own, name) - getattr(found[child.pk], name))
    lines = []
    if not _is_empty(own):
        label = _("Chính đơn vị (%(unit)s)") % {"unit": unit.name}
        lines.append(Line(label, own, unit=unit, own=True, annual=annual))
    for child in children:
        figures = found.get(child.pk)
        if figures is not None and not _is_empty(figures):
            lines.append(
                Line(child.name, figures, unit=child, has_children=child.kids > 0, annual=annual)
            )
    return lines


def years_with_data(user, unit: Unit, today) -> list[int]:
    """The years offered by the filters: this year and the next, and every year recorded."""
    found = set(
        plans_for(user).filter(within("unit_path", unit.path)).values_list("year", flat=True)
    )
    found |= {
        d.year
        for d in classes_for(user).filter(within("unit_path", unit.path)).dates("opened_on", "year")
    }
    found |= {today.year, today.year + 1}
    return sorted(found, reverse=True)
