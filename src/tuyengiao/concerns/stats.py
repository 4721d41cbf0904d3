"""The overview of public concerns: counts, rising topics, timeliness and speed, rolled up the tree.

Every function takes a unit the caller has already checked the user may see (through
`org.queries.unit_for`) and reads its whole subtree by path prefix. Rows are the unit's children
("localities"): a report at a party cell counts for its commune, because the child at depth d
of a path is its first d steps (`Substr(unit_path, 1, d * STEP)`), so every roll-up is one
SQL group-by, never a loop over units. A report or concern placed at the unit itself (a concern
spanning several communes sits at their common ancestor) makes a row of its own, "Chính đơn vị".

Days and weeks are those of the server's time zone (settings.TIME_ZONE, Asia/Ho_Chi_Minh):
`created_at` is stored in UTC, so a report sent at 17:30 UTC on Sunday belongs to the Monday,
in the next week. Weeks are ISO weeks, Monday to Sunday.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Substr, TruncDate, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.org.models import STEP, Kind, Unit, within
from tuyengiao.periods import Period
from tuyengiao.text import format_number, parse_date
from tuyengiao.text.normalize import search_key

from .models import Concern, ConcernReport, State, Topic

DEFAULT_WEEKS = 8
MAX_WEEKS = 26
BASELINE = 4  # rising topics: this week against the average of the four before
RISING_MIN = 2
RISING_FACTOR = Decimal("1.5")
# Closed without action: never forwarded for an answer, so they owe nothing in time.
NOT_ACTED = (State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION)


# Weeks -----------------------------------------------------------------------------------------


def _day_month(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}"


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, Monday to Sunday; ids like "2026-W47"."""

    start: date

    def __post_init__(self) -> None:
        if self.start.weekday() != 0:
            raise ValueError("A week starts on a Monday.")

    @classmethod
    def of(cls, day: date) -> Week:
        if isinstance(day, datetime):
            day = day.date()
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def current(cls) -> Week:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text: str) -> Week:
        """ "2026-W47", or any day of the week ("2026-11-18", "18/11/2026")."""
        raw = (text or "").strip().upper()
        if "-W" in raw:
            year, _sep, number = raw.partition("-W")
            try:
                return cls(date.fromisocalendar(int(year), int(number), 1))
            except ValueError:
                pass
        else:
            try:
                return cls.of(parse_date(text))
            except ValueError:
                pass
        raise ValueError(
            _('Tuần "%(text)s" không hợp lệ. Hãy nhập như 2026-W47 hoặc một ngày trong tuần.')
            % {"text": text}
        )

    @classmethod
    def ending(cls, last: Week, count: int) -> list[Week]:
        """`count` weeks in order, the last one being `last`."""
        return [last.shifted(n - count + 1) for n in range(count)]

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def number(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def id(self) -> str:
        year, number, _day = self.start.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def span(self) -> str:
        """ "16/11–22/11/2026", or across a new year "29/12/2025–04/01/2026"."""
        first = _day_month(self.start)
        if self.start.year != self.end.year:
            first += f"/{self.start.year}"
        return f"{first}–{_day_month(self.end)}/{self.end.year}"

    @property
    def days(self) -> str:
        """ "16/11–22/11", the span without its year (a table header under "Tuần 47")."""
        return f"{_day_month(self.start)}–{_day_month(self.end)}"

    @property
    def label(self) -> str:
        """ "Tuần 47 (16/11–22/11/2026)"."""
        return _("Tuần %(number)s (%(span)s)") % {"number": self.number, "span": self.span}

    @property
    def short_label(self) -> str:
        return _("Tuần %(number)s") % {"number": self.number}

    def shifted(self, weeks: int) -> Week:
        return Week(self.start + timedelta(weeks=weeks))

    def previous(self) -> Week:
        return self.shifted(-1)

    def next(self) -> Week:
        return self.shifted(1)

    def __str__(self) -> str:
        return self.id


Span = Week | Period  # a week, or a month from periods.py: both have start, end and previous()


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the server's time zone."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def reported_between(unit: Unit, first: date, last: date):
    return ConcernReport.objects.filter(
        within("unit_path", unit.path),
        created_at__gte=start_of(first),
        created_at__lt=start_of(last + timedelta(days=1)),
    )


def _head(unit: Unit) -> Substr:
    """The path of the row a record counts for: the unit's child holding it (or the unit)."""
    return Substr("unit_path", 1, len(unit.path) + STEP)


def _trunc(kind: str):
    tz = timezone.get_current_timezone()
    trunc = TruncWeek if kind == "week" else TruncMonth
    # A date in the local zone: the bucket of a report is its Vietnamese Monday (or month).
    return trunc("created_at", tzinfo=tz, output_field=DateField())


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


# Counts ------------------------------------------------------------------------------------------


def report_counts(
    unit: Unit, first: date, last: date, *, by: str | None = None
) -> dict[tuple, int]:
    """Reports in the subtree between two local days, grouped by topic and child path, and by
    week or month when `by` is "week" or "month": {(topic_id, head[, start of bucket]): n}."""
    rows = reported_between(unit, first, last).annotate(head=_head(unit))
    keys = ["topic_id", "head"]
    if by:
        rows = rows.annotate(bucket=_trunc(by))
        keys.append("bucket")
    counts: dict[tuple, int] = {}
    for row in rows.values(*keys).annotate(n=Count("pk")).order_by():
        key = tuple(_as_date(row[k]) if k == "bucket" else row[k] for k in keys)
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


@dataclass
class Locality:
    """A row: a child of the chosen unit, the unit itself ("Chính đơn vị") or the total."""

    unit: Unit
    own: bool = False
    is_total: bool = False

    @property
    def label(self) -> str:
        if self.is_total:
            return _("Tổng cộng: %(unit)s") % {"unit": self.unit.name}
        if self.own:
            return _("Chính đơn vị (%(unit)s)") % {"unit": self.unit.name}
        return self.unit.name


def localities(unit: Unit, heads: set[str], first: date) -> list[Locality]:
    """The unit's children that are places (agencies only when something is recorded there),
    open at some time since `first`, or holding a record; then the unit itself if it holds
    records of its own. In Vietnamese alphabetical order."""
    open_places = (Q(valid_to__isnull=True) | Q(valid_to__gt=first)) & ~Q(kind=Kind.AGENCY)
    children = list(Unit.objects.filter(Q(parent=unit) & (open_places | Q(path__in=heads))))
    children.sort(key=lambda u: (u.sort_key, u.name))
    rows = [Locality(u) for u in children]
    if unit.path in heads:
        rows.append(Locality(unit, own=True))
    return rows


@dataclass
class Line:
    """One row of a count table; its cells are plain counts."""

    label: str
    values: list[int]
    unit: Unit | None = None
    topic: Topic | None = None
    own: bool = False
    is_total: bool = False

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def is_blank(self) -> bool:
        """A place or topic with nothing to count (the total row never is)."""
        return not self.is_total and not any(self.values)


@dataclass
class Grid:
    """Counts, rows × columns, the last row being the total."""

    corner: str
    columns: list[str]
    lines: list[Line]
    keys: list = field(default_factory=list)  # what each column counts: a topic or a week

    @property
    def total(self) -> Line:
        return self.lines[-1]

    @property
    def is_empty(self) -> bool:
        return self.total.total == 0


def topics_in(counts: dict[tuple, int]) -> list[Topic]:
    """The topics with at least one report, in their configured order."""
    ids = {key[0] for key, n in counts.items() if n}
    return list(Topic.objects.filter(pk__in=ids).order_by("position", "sort_key", "name"))


def short_name(topic: Topic) -> str:
    """ "Đất đai" for "Đất đai, bồi thường, giải phóng mặt bằng" (table headers)."""
    return topic.name.split(",")[0].strip()


def _total_line(unit: Unit, lines: list[Line], width: int) -> Line:
    values = [sum(line.values[i] for line in lines) for i in range(width)]
    return Line(_("Tổng cộng: %(unit)s") % {"unit": unit.name}, values, unit=unit, is_total=True)


def topic_week_grid(unit: Unit, topics: list[Topic], weeks: list[Week], counts) -> Grid:
    """Topics × weeks (from weekly `report_counts`), with the total row."""
    per: dict[tuple[int, date], int] = defaultdict(int)
    for (topic_id, _head_path, bucket), n in counts.items():
        per[topic_id, bucket] += n
    lines = [
        Line(topic.name, [per.get((topic.pk, w.start), 0) for w in weeks], topic=topic)
        for topic in topics
    ]
    lines.append(_total_line(unit, lines, len(weeks)))
    return Grid(_("Lĩnh vực"), [w.label for w in weeks], lines, keys=list(weeks))


def locality_topic_grid(unit: Unit, topics: list[Topic], places: list[Locality], counts) -> Grid:
    """Localities × topics (counts keyed by topic and head, any further key summed)."""
    per: dict[tuple[str, int], int] = defaultdict(int)
    for key, n in counts.items():
        per[key[1], key[0]] += n
    lines = [
        Line(
            place.label,
            [per.get((place.unit.path, t.pk), 0) for t in topics],
            unit=place.unit,
            own=place.own,
        )
        for place in places
    ]
    lines.append(_total_line(unit, lines, len(topics)))
    return Grid(_("Địa bàn"), [short_name(t) for t in topics], lines, keys=list(topics))


# Rising topics -----------------------------------------------------------------------------------


@dataclass
class Rising:
    """A topic heard more this week (or month) than on average over the four before."""

    topic: Topic
    count: int
    average: Decimal

    @property
    def difference(self) -> Decimal:
        return self.count - self.average

    @property
    def change(self) -> Decimal | None:
        """The increase in percent of the average; None when the topic was not heard before."""
        if not self.average:
            return None
        return (self.difference / self.average * 100).quantize(Decimal("1"), ROUND_HALF_UP)


def is_rising(count: int, average: Decimal) -> bool:
    """The rule: at least RISING_MIN reports in the current span, and at least RISING_FACTOR
    times the average of the BASELINE spans before (a topic not heard before rises with two
    reports). One report is never a trend."""
    return count >= RISING_MIN and count >= RISING_FACTOR * average


def rising(unit: Unit, current: Span) -> list[Rising]:
    """Topics rising in the `current` week (or month) against the average of the four weeks
    (months) before, by `is_rising`; the largest increase first (count - average), then the
    most reports, then the topic's order."""
    spans = [current]
    for _n in range(BASELINE):
        spans.insert(0, spans[0].previous())
    kind = "week" if isinstance(current, Week) else "month"
    counts = report_counts(unit, spans[0].start, current.end, by=kind)
    per: dict[tuple[int, date], int] = defaultdict(int)
    for (topic_id, _head_path, bucket), n in counts.items():
        per[topic_id, bucket] += n
    topics = {t.pk: t for t in topics_in(counts)}
    found = []
    for topic in topics.values():
        count = per.get((topic.pk, current.start), 0)
        before = sum(per.get((topic.pk, s.start), 0) for s in spans[:-1])
        average = Decimal(before) / BASELINE
        if is_rising(count, average):
            found.append(Rising(topic, count, average))
    found.sort(key=lambda r: (-r.difference, -r.count, r.topic.position, r.topic.name))
    return found


def format_average(value: Decimal) -> str:
    """An average over four spans, exactly: "3", "3,5", "0,25"."""
    decimals = max(0, -value.normalize().as_tuple().exponent) if value else 0
    return format_number(value, min(decimals, 2))


def rising_detail(item: Rising, kind: str = "week") -> str:
    """ "9 phản ánh tuần này, trung bình 3,5 phản ánh mỗi tuần trong bốn tuần trước, ↑ 157%"."""
    values = {"count": format_number(item.count), "average": format_average(item.average)}
    if kind == "week":
        text = _(
            "%(count)s phản ánh tuần này, trung bình %(average)s phản ánh mỗi tuần trong bốn "
            "tuần trước"
        )
    else:
        text = _(
            "%(count)s phản ánh tháng này, trung bình %(average)s phản ánh mỗi tháng trong bốn "
            "tháng trước"
        )
    text %= values
    if item.change is None:
        return text + ", " + _("mới xuất hiện")
    return text + f", ↑ {format_number(item.change)}%"


def rising_text(item: Rising, kind: str = "week") -> str:
    """The topic's full name, then `rising_detail`."""
    return f"{item.topic.name}: {rising_detail(item, kind)}"


# Timeliness and speed ----------------------------------------------------------------------------


def _median(values: list[float]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) * 100 / whole if whole else None


@dataclass
class Resolution:
    """How one locality's concerns were answered and resolved (see `resolution`)."""

    unit: Unit
    own: bool = False
    is_total: bool = False
    due: int = 0
    resolved_on_time: int = 0
    answer_due: int = 0
    answered_on_time: int = 0
    answer_days: list[float] = field(default_factory=list)
    resolve_days: list[float] = field(default_factory=list)

    @property
    def label(self) -> str:
        return Locality(self.unit, self.own, self.is_total).label

    @property
    def resolved_share(self) -> Decimal | None:
        return _share(self.resolved_on_time, self.due)

    @property
    def answered_share(self) -> Decimal | None:
        return _share(self.answered_on_time, self.answer_due)

    @property
    def answer_median(self) -> Decimal | None:
        return _median(self.answer_days)

    @property
    def resolve_median(self) -> Decimal | None:
        return _median(self.resolve_days)

    @property
    def is_blank(self) -> bool:
        """Nothing fell due, was answered or was resolved here (the total row never is)."""
        return not self.is_total and not (
            self.due or self.answer_due or self.answer_days or self.resolve_days
        )

    def add(self, other: Resolution) -> None:
        self.due += other.due
        self.resolved_on_time += other.resolved_on_time
        self.answer_due += other.answer_due
        self.answered_on_time += other.answered_on_time
        self.answer_days += other.answer_days
        self.resolve_days += other.resolve_days


def _days(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 86400


def resolution_numbers(
    unit: Unit, first: date, last: date, today: date | None = None
) -> dict[str, Resolution]:
    """Per child path of `unit` (or its own path), the numbers of `Resolution`.

    Within the due date, for the concerns placed in the subtree whose due date falls between
    `first` and `last` (they were forwarded to a responsible body with that due date), leaving
    out those closed without action (duplicate, not our remit, no action needed):
    - resolved within the due date: of those whose due date has passed (before `today`) or that
      are resolved, the ones resolved on or before the due date (the local date of
      `resolved_at` ≤ `due_on`);
    - answered within the due date: of those whose due date has passed or that are answered,
      the ones answered on or before the due date (as the answer obligation's done_on).
    Median time, in days, over the concerns answered (resolved) between `first` and `last`:
    answered_at − first_reported_at, and resolved_at − first_reported_at.
    """
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    concerns = Concern.objects.filter(within("unit_path", unit.path)).annotate(head=_head(unit))
    passed = Q(due_on__lt=today)
    grouped = (
        concerns.filter(due_on__gte=first, due_on__lte=last)
        .exclude(state__in=NOT_ACTED)
        .alias(
            resolved_day=TruncDate("resolved_at", tzinfo=tz),
            answered_day=TruncDate("answered_at", tzinfo=tz),
        )
        .values("head")
        .annotate(
            due=Count("pk", filter=passed | Q(resolved_at__isnull=False)),
            resolved_on_time=Count("pk", filter=Q(resolved_day__lte=F("due_on"))),
            answer_due=Count("pk", filter=passed | Q(answered_at__isnull=False)),
            answered_on_time=Count("pk", filter=Q(answered_day__lte=F("due_on"))),
        )
        .order_by()
    )
    rows: dict[str, Resolution] = {}
    for g in grouped:
        row = rows.setdefault(g["head"], Resolution(unit))
        row.due, row.resolved_on_time = g["due"], g["resolved_on_time"]
        row.answer_due, row.answered_on_time = g["answer_due"], g["answered_on_time"]

    begin, end = start_of(first), start_of(last + timedelta(days=1))
    answered = Q(answered_at__gte=begin, answered_at__lt=end)
    resolved = Q(resolved_at__gte=begin, resolved_at__lt=end)
    timed = concerns.filter(answered | resolved).values_list(
        "head", "first_reported_at", "answered_at", "resolved_at"
    )
    for head, reported, answered_at, resolved_at in timed:
        row = rows.setdefault(head, Resolution(unit))
        if answered_at and begin <= answered_at < end:
            row.answer_days.append(_days(answered_at, reported))
        if resolved_at and begin <= resolved_at < end:
            row.resolve_days.append(_days(resolved_at, reported))
    return rows


def resolution_rows(
    unit: Unit, places: list[Locality], numbers: dict[str, Resolution]
) -> list[Resolution]:
    """One `Resolution` per locality, then the total of the unit."""
    rows, total = [], Resolution(unit, is_total=True)
    for place in places:
        row = Resolution(place.unit, own=place.own)
        found = numbers.get(place.unit.path)
        if found is not None:
            row.add(found)
        rows.append(row)
        total.add(row)
    return [*rows, total]


@dataclass
class BodyAnswers:
    """How one body (all the bodies of that name in the subtree: "UBND xã" of every commune)
    answered the concerns forwarded to it, due in the range; as `resolution_numbers` counts."""

    name: str
    answer_due: int = 0
    answered_on_time: int = 0
    answer_days: list[float] = field(default_factory=list)

    @property
    def answered_share(self) -> Decimal | None:
        return _share(self.answered_on_time, self.answer_due)

    @property
    def answer_median(self) -> Decimal | None:
        return _median(self.answer_days)


def answers_by_body(
    unit: Unit, first: date, last: date, today: date | None = None
) -> list[BodyAnswers]:
    """Per body forwarded to (or unit, when forwarded to a unit), the concerns of the subtree
    due between `first` and `last` that fell due or were answered, and those answered within
    the due date; the median days from the first report to the answer. Most due first."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    due = (
        Concern.objects.filter(within("unit_path", unit.path), due_on__gte=first, due_on__lte=last)
        .exclude(state__in=NOT_ACTED)
        .filter(Q(due_on__lt=today) | Q(answered_at__isnull=False))
        .filter(Q(body__isnull=False) | Q(responsible__isnull=False))
        .annotate(answered_day=TruncDate("answered_at", tzinfo=tz))
        .values_list("body__name", "responsible__name", "due_on", "answered_day")
    )
    rows: dict[str, BodyAnswers] = {}
    for body, responsible, due_on, answered_day in due:
        row = rows.setdefault(body or responsible, BodyAnswers(body or responsible))
        row.answer_due += 1
        row.answered_on_time += answered_day is not None and answered_day <= due_on
    timed = (
        Concern.objects.filter(within("unit_path", unit.path))
        .filter(answered_at__gte=start_of(first), answered_at__lt=start_of(last + timedelta(1)))
        .filter(Q(body__isnull=False) | Q(responsible__isnull=False))
        .values_list("body__name", "responsible__name", "first_reported_at", "answered_at")
    )
    for body, responsible, reported, answered_at in timed:
        row = rows.setdefault(body or responsible, BodyAnswers(body or responsible))
        row.answer_days.append(_days(answered_at, reported))
    return sorted(rows.values(), key=lambda r: (-r.answer_due, search_key(r.name)))


# The whole overview -------------------------------------------------------------------------------


@dataclass
class Overview:
    unit: Unit
    weeks: list[Week]
    topics: list[Topic]
    places: list[Locality]
    by_week: Grid  # topics × weeks
    by_place: Grid  # localities × topics
    rising: list[Rising]
    resolution: list[Resolution]
    bodies: list[BodyAnswers] = field(default_factory=list)

    @property
    def first(self) -> date:
        return self.weeks[0].start

    @property
    def last(self) -> date:
        return self.weeks[-1].end

    @property
    def span(self) -> str:
        if len(self.weeks) == 1:
            return self.weeks[0].label
        return _("%(first)s đến %(last)s") % {
            "first": self.weeks[0].label,
            "last": self.weeks[-1].label,
        }


def overview(unit: Unit, weeks: list[Week], today: date | None = None) -> Overview:
    """Counts by topic × week and topic × locality over `weeks`, the topics rising in the last
    of them, and how concerns due in the range were answered and resolved, per child."""
    first, last = weeks[0].start, weeks[-1].end
    counts = report_counts(unit, first, last, by="week")
    numbers = resolution_numbers(unit, first, last, today)
    heads = {key[1] for key in counts} | set(numbers)
    places = localities(unit, heads, first)
    topics = topics_in(counts)
    return Overview(
        unit=unit,
        weeks=weeks,
        topics=topics,
        places=places,
        by_week=topic_week_grid(unit, topics, weeks, counts),
        by_place=locality_topic_grid(unit, topics, places, counts),
        rising=rising(unit, weeks[-1]),
        resolution=resolution_rows(unit, places, numbers),
        bodies=answers_by_body(unit, first, last, today),
    )


def top_topics(grid: Grid, limit: int = 6) -> list[Line]:
    """The rows of a topic grid with the most reports (for the chart), in the grid's order."""
    lines = [line for line in grid.lines if not line.is_total and line.total]
    keep = {id(line) for line in sorted(lines, key=lambda line: -line.total)[:limit]}
    return [line for line in lines if id(line) in keep]
