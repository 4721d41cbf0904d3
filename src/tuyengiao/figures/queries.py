"""Reads shared by pages, exports and the API: roll-up tables, completeness, the forms in scope."""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.deadlines.models import Obligation, state_of
from tuyengiao.org.models import Unit, within
from tuyengiao.org.scope import Action, restrict
from tuyengiao.periods import Period
from tuyengiao.text.collation import sorted_vi
from tuyengiao.text.numbers import format_number, format_percent

from . import services
from .models import (
    SCALE,
    Aggregation,
    DataSet,
    Indicator,
    Report,
    ReportState,
    Rollup,
    ValueType,
)


def data_sets_for(user):
    """Forms are shared definitions; everyone signed in with a unit may read them."""
    return DataSet.objects.all() if user.is_authenticated else DataSet.objects.none()


def data_sets_in_use_first(user):
    """The report forms, those in use first, by code."""
    return data_sets_for(user).order_by("-active", "code")


def indicators_for(user):
    """Indicators are shared definitions; everyone signed in may read them."""
    return Indicator.objects.all() if user.is_authenticated else Indicator.objects.none()


def indicator_list(user) -> list[Indicator]:
    """The indicators with what they are computed from and the number of report forms using
    each (as `forms`), in Vietnamese alphabetical order of their names (a short list)."""
    indicators = (
        indicators_for(user)
        .select_related("planned", "numerator", "denominator")
        .annotate(forms=Count("data_sets", distinct=True))
    )
    return sorted_vi(indicators, key=lambda i: i.name)


def data_set_list(user):
    """The report forms with their number of indicators (as `indicator_count`)."""
    return data_sets_for(user).annotate(indicator_count=Count("rows", distinct=True))


def data_set_rows(data_set: DataSet):
    """A report form's rows (indicator, section) in its order."""
    return data_set.rows.select_related("indicator", "indicator__planned").order_by(
        "position", "id"
    )


def enterable_indicators() -> list[Indicator]:
    """The indicators a report form may ask for (derived ones are computed, not entered), in
    Vietnamese alphabetical order of their names."""
    return sorted_vi(Indicator.objects.filter(numerator__isnull=True), key=lambda i: i.name)


def reports_for(user, action: Action = Action.VIEW):
    return restrict(Report.objects.select_related("data_set", "unit"), user, action)


def filter_reports(reports, *, data_set: str = "", period=None, unit=None, state: str = ""):
    """Reports of one report form (by code), one period, `unit` and below, one approval state;
    by period, place and form."""
    if data_set:
        reports = reports.filter(data_set__code=data_set)
    if period is not None:
        reports = reports.filter(period=period.id)
    if unit is not None:
        reports = reports.filter(within("unit_path", unit.path))
    if state:
        reports = reports.filter(state=state)
    return reports.order_by("period", "unit_path", "data_set__code")


def indicators_by_code(codes) -> dict[str, Indicator]:
    """The indicators with these codes, with what their values are computed from."""
    indicators = Indicator.objects.filter(code__in=codes).select_related(
        "planned__numerator", "planned__denominator", "numerator", "denominator"
    )
    return {i.code: i for i in indicators}


@dataclass(slots=True)
class Cell:
    value: Decimal | None
    planned: Decimal | None = None
    decimals: int = 0
    percent: bool = False

    @property
    def rate(self) -> Decimal | None:
        if self.value is None or not self.planned:
            return None
        return self.value / self.planned * 100

    @property
    def text(self) -> str:
        """ "24.193", or with a plan "52/50, đạt 104%"."""
        if self.value is None:
            return ""
        shown = format_number(self.value, self.decimals)
        if self.planned is None:
            return f"{shown}%" if self.percent else shown
        text = f"{shown}/{format_number(self.planned, self.decimals)}"
        rate = self.rate
        return f"{text}, đạt {format_percent(rate)}" if rate is not None else text


@dataclass
class Row:
    unit: Unit
    cells: list[Cell]
    is_total: bool = False
    own: bool = False  # the unit's own entries, beside its children's


def own_label(unit: Unit) -> str:
    return _("Chính đơn vị (%(unit)s)") % {"unit": unit.name}


@dataclass
class Table:
    unit: Unit
    indicators: list[Indicator]
    periods: list[Period]
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[Indicator, Period]]:
        return [(i, p) for i in self.indicators for p in self.periods]


def decimals_of(indicator: Indicator) -> int:
    if indicator.is_derived or indicator.value_type in ("percent", "decimal"):
        return 2
    return 2 if indicator.aggregation == Aggregation.AVERAGE else 0


def _needed(indicators: list[Indicator]) -> dict[int, Indicator]:
    """The indicators whose stored roll-up the table reads (parts of derived ones, plans)."""
    needed: dict[int, Indicator] = {}
    for indicator in indicators:
        parts = [indicator]
        if indicator.is_derived:
            parts = [indicator.numerator, indicator.denominator]
        if indicator.planned_id:
            parts.append(indicator.planned)
        for part in parts:
            needed[part.pk] = part
    return needed


def row_units(unit: Unit, periods: list[Period]) -> list[Unit]:
    """The children shown for a range: those open at some time in it (merged ones included for
    the periods before their merger)."""
    start, end = periods[0].start, periods[-1].end
    return list(
        Unit.objects.filter(parent=unit)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .order_by("sort_key", "name")
    )


def _period_filter(period_ids: list[str]) -> Q:
    """The periods as the range from the first id to the last when that range holds few others
    (ids of one kind sort in time order: the 12 months of a year, 4 quarters), else as a list.

    The roll-up's key is (unit, indicator, period): a range is one index walk per unit and
    indicator, where a list is one look-up per unit, indicator and period (PostgreSQL 15 even
    prefers reading the whole table to 60,000 look-ups). The caller drops what the range holds
    beyond the wanted periods."""
    low, high = min(period_ids), max(period_ids)
    inside = [
        p.id
        for year in range(int(low[:4]), int(high[:4]) + 1)
        for p in Period.parse(f"{year:04d}").within()
        if low <= p.id <= high
    ]
    if len(inside) <= 2 * len(set(period_ids)):
        return Q(period__gte=low, period__lte=high)
    return Q(period__in=period_ids)


# A roll-up row as read: (unit id, period id, indicator id, total, count, last_total).
_TOTAL, _COUNT, _LAST = 3, 4, 5


def _stored_numbers(unit_ids: list[int], indicator_ids: list[int], period_ids: list[str]) -> dict:
    """{(unit id, period id): {indicator id: roll-up row}} from the roll-up."""
    wanted = set(period_ids)
    stored = (
        Rollup.objects.filter(_period_filter(period_ids))
        .filter(unit_id__in=unit_ids, indicator_id__in=indicator_ids)
        .order_by()
        .values_list("unit_id", "period", "indicator_id", "total", "count", "last_total")
    )
    numbers: dict = defaultdict(dict)
    # The rows kept as they come: a slice or an unpacking per row would make 60,000 more objects
    # for the garbage collector, which cost as much as the query.
    for row in stored:
        if row[1] in wanted:
            numbers[row[0], row[1]][row[2]] = row
    return numbers


def _reader(indicator: Indicator):
    """The indicator's value after aggregation, as a function of one table row's roll-up rows
    for one period ({indicator id: row}): an average divides the total by the count, a "last
    value" indicator takes the sum of the units' latest values, a derived one divides its
    aggregated parts (times its factor); None without values or with a zero denominator. The
    branches are taken once per column, not once per cell."""
    if indicator.is_derived:
        numerator, denominator = _reader(indicator.numerator), _reader(indicator.denominator)
        factor = indicator.factor

        def derived(found: dict) -> Decimal | None:
            num = numerator(found)
            if num is None:
                return None
            den = denominator(found)
            return num / den * factor if den else None

        return derived
    key = indicator.pk
    if indicator.aggregation == Aggregation.AVERAGE:

        def average(found: dict) -> Decimal | None:
            row = found.get(key)
            if row is None or not row[_COUNT]:
                return None
            return Decimal(row[_TOTAL]) / SCALE / row[_COUNT]  # from_stored, inlined

        return average
    column = _LAST if indicator.aggregation == Aggregation.LAST else _TOTAL

    def stored(found: dict) -> Decimal | None:
        row = found.get(key)
        return None if row is None or not row[_COUNT] else Decimal(row[column]) / SCALE

    return stored


def table(unit: Unit, indicators: list[Indicator], periods: list[Period]) -> Table:
    """Children of `unit` (and its total) × indicators × periods, from the roll-up tables."""
    # A province-year table of every indicator makes ~65,000 cells, all kept: the cyclic
    # collector would walk the whole heap midway and free nothing (a third of the time).
    with _collector_paused():
        return _table(unit, indicators, periods)


@contextmanager
def _collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _table(unit: Unit, indicators: list[Indicator], periods: list[Period]) -> Table:
    result = Table(unit, indicators, periods)
    units = row_units(unit, periods)
    period_ids = [p.id for p in periods]
    numbers = _stored_numbers(
        [unit.pk, *(u.pk for u in units)], list(_needed(indicators)), period_ids
    )

    # what each column needs is worked out once, not once per cell
    readers = {i.pk: _reader(i) for i in indicators}
    for indicator in indicators:
        if indicator.planned_id and indicator.planned_id not in readers:
            readers[indicator.planned_id] = _reader(indicator.planned)
    columns = [
        (
            position,
            readers[indicator.pk],
            readers[indicator.planned_id] if indicator.planned_id else None,
            decimals_of(indicator),
            indicator.value_type == ValueType.PERCENT,
        )
        for indicator in indicators
        for position in range(len(periods))
    ]
    empty: dict = {}

    def cells(row_unit_id) -> list[Cell]:
        by_period = [numbers.get((row_unit_id, period_id), empty) for period_id in period_ids]
        return [
            Cell(value(found), plan(found) if plan is not None else None, decimals, percent)
            if (found := by_period[position])
            else Cell(None, None, decimals, percent)
            for position, value, plan, decimals, percent in columns
        ]

    result.rows = [Row(u, cells(u.pk)) for u in units]
    if _own_numbers(numbers, unit, period_ids):
        result.rows.append(Row(unit, cells("own"), own=True))
    result.rows.append(Row(unit, cells(unit.pk), is_total=True))
    return result


def _own_numbers(numbers: dict, unit: Unit, period_ids: list[str]) -> bool:
    """Put under ("own", period) the unit's own figures: its subtree's roll-up less its
    children's (every other unit in `numbers`), so that the rows add up to the total. True
    when it has any."""
    children: dict = {}
    for (unit_id, period_id), found in numbers.items():
        if unit_id == unit.pk:
            continue
        for indicator_id, row in found.items():
            sums = children.get((period_id, indicator_id))
            if sums is None:
                children[period_id, indicator_id] = [row[_TOTAL], row[_COUNT], row[_LAST]]
            else:
                sums[0] += row[_TOTAL]
                sums[1] += row[_COUNT]
                sums[2] += row[_LAST]
    found_any = False
    for period_id in period_ids:
        own = {}
        for indicator_id, row in numbers.get((unit.pk, period_id), {}).items():
            total, count, last = children.get((period_id, indicator_id), (0, 0, 0))
            if row[_COUNT] - count > 0:
                own[indicator_id] = (
                    None,
                    period_id,
                    indicator_id,
                    row[_TOTAL] - total,
                    row[_COUNT] - count,
                    row[_LAST] - last,
                )
        if own:
            numbers["own", period_id] = own
            found_any = True
    return found_any


# Completeness and timeliness -----------------------------------------------------------------


@dataclass
class Completeness:
    unit: Unit
    expected: int = 0
    received: int = 0
    on_time: int = 0
    is_total: bool = False

    @property
    def received_rate(self) -> Decimal | None:
        return Decimal(self.received) * 100 / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> Decimal | None:
        return Decimal(self.on_time) * 100 / self.expected if self.expected else None


def _expected(data_set: DataSet, periods: list[Period], unit: Unit):
    """Reports owed in the subtree: a report that has an obligation (a closed unit owes none)."""
    return Report.objects.filter(
        within("unit_path", unit.path),
        data_set=data_set,
        period__in=[p.id for p in periods],
        obligation__isnull=False,
    )


def completeness(
    unit: Unit, data_set: DataSet, periods: list[Period], today: date | None = None
) -> list[Completeness]:
    """Expected, received and on-time reports per child of `unit`, then for `unit` itself.

    A report still within its deadline and not sent is not yet expected (as on the deadlines
    dashboard, the on-time rate leaves out what is pending)."""
    today = today or timezone.localdate()
    depth_chars = len(unit.path) + 4
    grouped = (
        _expected(data_set, periods, unit)
        .filter(Q(obligation__due_on__lt=today) | Q(submitted_on__isnull=False))
        .annotate(prefix=Substr("unit_path", 1, depth_chars))
        .values("prefix")
        .annotate(
            expected=Count("pk"),
            received=Count("pk", filter=Q(submitted_on__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(submitted_on__isnull=False, submitted_on__lte=F("obligation__due_on")),
            ),
        )
        .order_by()
    )
    by_prefix = {g["prefix"]: g for g in grouped}
    children = {u.path: u for u in Unit.objects.filter(path__in=list(by_prefix))}
    rows, total = [], Completeness(unit, is_total=True)
    for prefix, g in by_prefix.items():
        row_unit = children.get(prefix, unit)  # the unit's own reports have its own path
        row = Completeness(row_unit, g["expected"], g["received"], g["on_time"])
        rows.append(row)
        total.expected += row.expected
        total.received += row.received
        total.on_time += row.on_time
    rows.sort(key=lambda r: (r.on_time_rate if r.on_time_rate is not None else 101, r.unit.name))
    return [*rows, total]


def late_reports(unit: Unit, data_set: DataSet, periods: list[Period], today: date | None = None):
    """The reports past their deadline and not sent, naming the late units."""
    today = today or timezone.localdate()
    return (
        _expected(data_set, periods, unit)
        .filter(submitted_on__isnull=True, obligation__due_on__lt=today)
        .select_related("unit", "obligation")
        .order_by("obligation__due_on", "unit_path")
    )


def approval_queue(user, data_set: DataSet | None = None):
    """Sent reports below the user's own unit that the user may approve."""
    return approval_list(user, data_set=data_set)


# The states the approval list filters by: what waits, what was sent back, what is approved.
APPROVAL_WAITING, APPROVAL_RETURNED, APPROVAL_APPROVED, APPROVAL_ALL = (
    "waiting",
    "returned",
    "approved",
    "all",
)


def _below_user(user):
    reports = reports_for(user, Action.APPROVE)
    return reports.exclude(unit_id=user.unit_id) if user.unit_id else reports


def approval_list(
    user,
    *,
    unit: Unit | None = None,
    data_set: DataSet | None = None,
    period: str = "",
    state: str = APPROVAL_WAITING,
):
    """The reports below the user's own unit that the user approves, `unit` and below, the
    oldest sent first: waiting (sent), returned for correction (not sent again yet), approved,
    or all of them sent at least once."""
    reports = _below_user(user)
    if unit is not None:
        reports = reports.filter(within("unit_path", unit.path))
    if data_set is not None:
        reports = reports.filter(data_set=data_set)
    if period:
        reports = reports.filter(period=period)
    if state == APPROVAL_RETURNED:
        reports = reports.filter(state=ReportState.DRAFT, returned_at__isnull=False)
    elif state == APPROVAL_APPROVED:
        reports = reports.filter(state=ReportState.APPROVED)
    elif state == APPROVAL_ALL:
        reports = reports.filter(submitted_on__isnull=False)
    else:
        reports = reports.filter(state=ReportState.SUBMITTED)
    return reports.order_by("submitted_on", "period", "unit_path", "pk")


def approval_periods(user) -> list[Period]:
    """The periods of the reports ever sent to the user for approval, the latest first."""
    ids = (
        _below_user(user)
        .filter(submitted_on__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )
    return [Period.parse(i) for i in ids]


def indicator_choices(data_set: DataSet | None) -> list[Indicator]:
    """A form's numeric indicators in its order, then the derived ones computed from them; or
    every numeric indicator when no form is chosen."""
    numeric = Indicator.objects.exclude(value_type=ValueType.TEXT)
    if data_set is None:
        every = numeric.select_related("planned", "numerator", "denominator")
        return sorted_vi(every, key=lambda i: i.name)
    own = [
        row.indicator
        for row in data_set.rows.select_related(
            "indicator__planned", "indicator__numerator", "indicator__denominator"
        )
        if row.indicator.value_type != ValueType.TEXT
    ]
    ids = [i.pk for i in own]
    derived = numeric.filter(numerator__in=ids, denominator__in=ids).exclude(pk__in=ids)
    return own + list(derived.select_related("planned", "numerator", "denominator"))


# What a unit owes, and what waits below a report -------------------------------------------


def active_data_sets():
    """The report forms in use, in the order the pages list them."""
    return DataSet.objects.filter(active=True).order_by("code")


def owed_reports(user, unit: Unit, *, data_set=None, state: str = "", due: str = "", today=None):
    """The reports `unit` owes (those with an obligation), newest deadline first, filtered by
    report form, approval `state` and deadline state `due` (as of `today`)."""
    reports = (
        reports_for(user)
        .filter(unit=unit, obligation__isnull=False)
        .select_related("obligation", "saved_by")
        .order_by("-obligation__due_on", "data_set__code")
    )
    if data_set is not None:
        reports = reports.filter(data_set=data_set)
    if state:
        reports = reports.filter(state=state)
    if due:
        today = today or timezone.localdate()
        in_state = Obligation.objects.in_state(due, today)
        reports = reports.filter(obligation__in=in_state.values("pk"))
    return reports


def unopened(unit: Unit, today: date, only: DataSet | None = None, latest: int = 3) -> list[dict]:
    """The latest periods (at most `latest` per report form in use, or of `only` if it is in
    use) that `unit` owes a form for but has not opened yet (no report row), the latest
    deadline first: {data_set, period, due_on, due_state}."""
    rows = []
    data_sets = active_data_sets()
    if only is not None:
        data_sets = data_sets.filter(pk=only.pk)
    for data_set in data_sets:
        if unit.level not in data_set.levels or (
            data_set.kinds and unit.kind not in data_set.kinds
        ):
            continue
        periods = services.started_periods(data_set, today)[-latest:]
        have = set(
            Report.objects.filter(
                data_set=data_set, unit=unit, period__in=[p.id for p in periods]
            ).values_list("period", flat=True)
        )
        for period in reversed(periods):
            if period.id in have:
                continue
            if not services.expected_units(data_set, period).filter(pk=unit.pk).exists():
                continue
            due = services.due_on(data_set, period)
            rows.append(
                {
                    "data_set": data_set,
                    "period": period,
                    "due_on": due,
                    "due_state": state_of(due, None, today),
                }
            )
    rows.sort(key=lambda r: r["due_on"], reverse=True)
    return rows


def children_reports(user, report: Report):
    """The reports of the units right below `report`'s unit for the same form and period that
    the user may read, by unit name."""
    return (
        reports_for(user)
        .filter(
            data_set=report.data_set,
            period=report.period,
            unit__parent=report.unit_id,
            obligation__isnull=False,
        )
        .select_related("obligation")
        .order_by("unit__sort_key", "unit__name")
    )


def _owes(unit, data_set: DataSet, period: Period) -> bool:
    """services.expected_units for one unit already loaded (a Unit, or a row with its level,
    kind, valid_from and valid_to), without a query."""
    return (
        unit.level in data_set.levels
        and (not data_set.kinds or unit.kind in data_set.kinds)
        and (unit.valid_to is None or unit.valid_to > period.end)
        and (unit.valid_from is None or unit.valid_from <= period.end)
    )


def children_status(reports: list[Report]) -> None:
    """Count, for each report, its children's reports: in all, approved, sent, not opened
    (set as attributes: children_total, children_approved, children_submitted,
    children_unopened, children_ready). Two queries, whatever the number of reports."""
    if not reports:
        return
    parents = {r.unit_id for r in reports}
    found = Report.objects.filter(
        unit__parent__in=parents,
        data_set__in={r.data_set_id for r in reports},
        period__in={r.period for r in reports},
    ).values_list("unit__parent_id", "unit_id", "data_set_id", "period", "state", "obligation_id")
    counts: dict = {}
    opened: set = set()
    for parent_id, unit_id, data_set_id, period, state, obligation_id in found:
        opened.add((unit_id, data_set_id, period))
        if obligation_id is not None:
            counts.setdefault((parent_id, data_set_id, period), Counter())[state] += 1
    below = defaultdict(list)
    # rows, not models: the cells below a page of communes' reports are hundreds
    for child in (
        Unit.objects.filter(parent__in=parents)
        .order_by()
        .values_list("pk", "parent_id", "level", "kind", "valid_from", "valid_to", named=True)
    ):
        below[child.parent_id].append(child)
    for report in reports:
        tally = counts.get((report.unit_id, report.data_set_id, report.period), Counter())
        period = Period.parse(report.period)
        # Units below that owe the report but have not opened it are waited for too.
        report.children_unopened = sum(
            1
            for child in below[report.unit_id]
            if (child.pk, report.data_set_id, report.period) not in opened
            and _owes(child, report.data_set, period)
        )
        report.children_total = sum(tally.values()) + report.children_unopened
        report.children_approved = tally[ReportState.APPROVED]
        report.children_submitted = tally[ReportState.SUBMITTED]
        report.children_ready = report.children_total == report.children_approved


def schedule_summary(data_set: DataSet, latest: int, today=None) -> list[dict]:
    """For the `latest` periods that have begun, newest first: the reports owed now, the
    reports scheduled (with an obligation), received and on time."""
    today = today or timezone.localdate()
    periods = services.started_periods(data_set, today)[-latest:][::-1]
    counts = {
        row["period"]: row
        for row in Report.objects.filter(data_set=data_set, period__in=[p.id for p in periods])
        .values("period")
        .annotate(
            scheduled=Count("pk", filter=Q(obligation__isnull=False)),
            received=Count("pk", filter=Q(obligation__isnull=False, submitted_on__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(obligation__isnull=False, submitted_on__lte=F("obligation__due_on")),
            ),
        )
        .order_by()
    }
    rows = []
    for period in periods:
        found = counts.get(period.id, {})
        rows.append(
            {
                "period": period,
                "due_on": services.due_on(data_set, period),
                "expected": services.expected_units(data_set, period).count(),
                "scheduled": found.get("scheduled", 0),
                "received": found.get("received", 0),
                "on_time": found.get("on_time", 0),
            }
        )
    return rows
