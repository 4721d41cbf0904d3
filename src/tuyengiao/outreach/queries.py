"""Reads of outreach, scoped, shared by the pages, the API and the exports.

Who sees what: a speaker, a model and a replication are their unit's, seen from it and above;
a session is its audience's unit's. A neighbouring commune sees nothing of them (404).
Counts up the tree group by the first steps of `unit_path` (the ancestor at a depth), in SQL.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from tuyengiao.directives.services import add_months
from tuyengiao.org.models import STEP, Unit, within
from tuyengiao.org.scope import Action, restrict
from tuyengiao.oversight.models import WorkArea
from tuyengiao.periods import Period
from tuyengiao.text import search_key

from .models import Exemplar, ModelPhoto, OutreachSession, Replication, Speaker

IDLE_MONTHS = 6  # a speaker with no session in this many months is flagged
ENDING_DAYS = 90  # a term ending within this many days is listed


def _one(queryset, pk):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# Speakers ------------------------------------------------------------------------------------


def speakers_for(user, action: Action = Action.VIEW) -> QuerySet[Speaker]:
    return restrict(Speaker.objects.select_related("unit", "decision"), user, action)


def speaker_for(user, pk, action: Action = Action.VIEW) -> Speaker:
    return _one(speakers_for(user, action), pk)


def idle_since(today: date, months: int = IDLE_MONTHS) -> date:
    """The first day of the window "the last `months` months" ending `today`."""
    return add_months(today, -months) + timedelta(days=1)


def with_activity(speakers, today: date, months: int | None = None):
    """`speakers` each with `last_session` (the day of its latest session) and `recent` (a
    session in the last `months` months, IDLE_MONTHS by default)."""
    since = idle_since(today, months or IDLE_MONTHS)
    recent = OutreachSession.objects.filter(speaker=OuterRef("pk"), held_on__gte=since)
    return speakers.annotate(last_session=Max("sessions__held_on"), recent=Exists(recent))


def roster(
    user,
    unit: Unit,
    *,
    level: str = "",
    term: str = "",
    kind: str = "",
    q: str = "",
    idle_months: int | None = None,
    ending_days: int | None = None,
    today: date | None = None,
) -> QuerySet[Speaker]:
    """The speakers of `unit`'s subtree, each with `last_session` (its latest session's day) and
    `idle` (serving today and no session in the last IDLE_MONTHS months, or `idle_months`).

    `idle_months`: only the idle ones; `ending_days`: only those whose term ends within that
    many days from today (not yet ended)."""
    today = today or timezone.localdate()
    speakers = with_activity(
        speakers_for(user).filter(within("unit_path", unit.path)), today, idle_months
    )
    if level:
        speakers = speakers.filter(level=level)
    if term:
        speakers = speakers.filter(term=term)
    if kind:
        speakers = speakers.filter(kind=kind)
    for word in search_key(q).split():
        speakers = speakers.filter(search_key__contains=word)
    if idle_months:
        speakers = speakers.filter(starts_on__lte=today, ends_on__gte=today, recent=False)
    if ending_days is not None:
        speakers = speakers.filter(ends_on__gte=today, ends_on__lte=today + timedelta(ending_days))
    return speakers.order_by("unit_path", "sort_key", "id")


def idle_speakers(user, unit: Unit, *, months: int = IDLE_MONTHS, today: date | None = None):
    """Speakers serving today with no session in the last `months` months."""
    return roster(user, unit, idle_months=months, today=today)


def terms_ending(user, unit: Unit, *, days: int = ENDING_DAYS, today: date | None = None):
    """Speakers whose term ends within `days` days from today (not yet ended)."""
    return roster(user, unit, ending_days=days, today=today).order_by("ends_on", "sort_key")


def terms(user, unit: Unit) -> list[str]:
    """The terms recorded in the subtree, newest first (the roster's filter)."""
    return sorted(
        set(
            speakers_for(user)
            .filter(within("unit_path", unit.path))
            .values_list("term", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def is_idle(speaker, today: date) -> bool:
    """For a speaker of `roster` (annotated): serving today and no recent session."""
    return speaker.serves_on(today) and not speaker.recent


# Sessions ------------------------------------------------------------------------------------


def sessions_for(user, action: Action = Action.VIEW) -> QuerySet[OutreachSession]:
    return restrict(
        OutreachSession.objects.select_related("speaker", "unit", "document"), user, action
    )


def session_for(user, pk, action: Action = Action.VIEW) -> OutreachSession:
    return _one(sessions_for(user, action), pk)


def sessions_in(user, unit: Unit, period: Period | None = None) -> QuerySet[OutreachSession]:
    """The sessions heard in `unit`'s subtree, in `period` when given, newest first."""
    sessions = sessions_for(user).filter(within("unit_path", unit.path))
    if period is not None:
        sessions = sessions.filter(held_on__gte=period.start, held_on__lte=period.end)
    return sessions.order_by("-held_on", "-id")


def speaker_sessions(user, speaker: Speaker) -> QuerySet[OutreachSession]:
    """A speaker's sessions the user sees (an audience's unit outside the scope is not shown)."""
    return sessions_for(user).filter(speaker=speaker).order_by("-held_on", "-id")


@dataclass
class Count2:
    """Sessions and their audience."""

    sessions: int = 0
    audience: int = 0

    def add(self, other: "Count2") -> None:
        self.sessions += other.sessions
        self.audience += other.audience


@dataclass
class RollupRow:
    unit: Unit
    counts: Count2
    own: bool = False  # the unit's own sessions, not its children's
    has_children: bool = False


@dataclass
class Rollup:
    unit: Unit
    period: Period | None
    rows: list[RollupRow]
    total: Count2 = field(default_factory=Count2)


def _children(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(parent=unit).annotate(kids=Count("children")).order_by("sort_key")
    )


def session_rollup(user, unit: Unit, period: Period | None = None) -> Rollup:
    """For `unit` and each child: the sessions heard in its subtree and their audience in
    `period`, in one grouped query (the ancestor at the children's depth is the path's first
    steps), plus one for the children."""
    width = (unit.depth + 1) * STEP
    grouped = (
        sessions_in(user, unit, period)
        .annotate(head=Substr("unit_path", 1, width))
        .values("head")
        .annotate(sessions=Count("id"), audience=Sum("audience"))
        .order_by()
    )
    counts = {r["head"]: Count2(r["sessions"], r["audience"] or 0) for r in grouped}
    rows = []
    if unit.path in counts:
        rows.append(RollupRow(unit, counts[unit.path], own=True))
    for child in _children(unit):
        if child.path in counts:
            rows.append(RollupRow(child, counts[child.path], has_children=child.kids > 0))
    total = Count2()
    for row in rows:
        total.add(row.counts)
    return Rollup(unit=unit, period=period, rows=rows, total=total)


def sessions_by_speaker(user, unit: Unit, period: Period | None = None) -> list[dict]:
    """Per speaker: the sessions heard in `unit`'s subtree in `period` and their audience,
    most sessions first: [{speaker_id, speaker__full_name, sessions, audience}]."""
    return list(
        sessions_in(user, unit, period)
        .values("speaker_id", "speaker__full_name")
        .annotate(sessions=Count("id"), audience=Sum("audience"))
        .order_by("-sessions", "speaker__full_name")
    )


def speakers_counts(user, unit: Unit, period: Period | None = None) -> dict[int, Count2]:
    """For every speaker of `unit`'s subtree (the roster's speakers): their sessions the user
    sees, wherever heard, in `period`, and their audience — one grouped query:
    {speaker id: Count2}; a speaker without a session is absent."""
    speakers = speakers_for(user).filter(within("unit_path", unit.path)).values("pk")
    sessions = sessions_for(user).filter(speaker__in=speakers)
    if period is not None:
        sessions = sessions.filter(held_on__gte=period.start, held_on__lte=period.end)
    grouped = (
        sessions.values("speaker_id").annotate(n=Count("id"), people=Sum("audience")).order_by()
    )
    return {r["speaker_id"]: Count2(r["n"], r["people"] or 0) for r in grouped}


def ends_soon(speaker, today: date, days: int = ENDING_DAYS) -> bool:
    """A term ending within `days` days from today (not yet ended)."""
    return today <= speaker.ends_on <= today + timedelta(days)


def speaker_totals(user, speaker: Speaker, period: Period | None = None) -> Count2:
    sessions = speaker_sessions(user, speaker)
    if period is not None:
        sessions = sessions.filter(held_on__gte=period.start, held_on__lte=period.end)
    found = sessions.aggregate(n=Count("id"), people=Sum("audience"))
    return Count2(found["n"], found["people"] or 0)


# Exemplary models ----------------------------------------------------------------------------


def models_for(user, action: Action = Action.VIEW) -> QuerySet[Exemplar]:
    return restrict(Exemplar.objects.select_related("unit", "area", "decision"), user, action)


def model_for(user, pk, action: Action = Action.VIEW) -> Exemplar:
    return _one(models_for(user, action), pk)


def models_in(
    user, unit: Unit, *, q: str = "", area: WorkArea | None = None, level: str = ""
) -> QuerySet[Exemplar]:
    """The models of `unit`'s subtree; `q` matched without diacritics, word by word."""
    models = models_for(user).filter(within("unit_path", unit.path))
    for word in search_key(q).split():
        models = models.filter(search_key__contains=word)
    if area is not None:
        models = models.filter(area=area)
    if level:
        models = models.filter(level=level)
    return models.annotate(replicated=Count("replications")).order_by("-recognised_on", "-id")


def photo_for(user, pk) -> ModelPhoto:
    """A model's photo, to whoever may see the model."""
    photo = ModelPhoto.objects.select_related("model").filter(pk=pk).first()
    if photo is None:
        raise Http404
    model_for(user, photo.model_id)
    return photo


def replications_for(user, action: Action = Action.VIEW) -> QuerySet[Replication]:
    return restrict(Replication.objects.select_related("unit", "model"), user, action)


def replication_for(user, pk, action: Action = Action.VIEW) -> Replication:
    return _one(replications_for(user, action), pk)


def model_replications(user, model: Exemplar) -> QuerySet[Replication]:
    """Where a model was replicated, as far as the user sees those units."""
    return replications_for(user).filter(model=model).order_by("-replicated_on", "-id")


@dataclass
class CountRow:
    unit: Unit
    by_area: dict[int, int]
    total: int
    replications: int = 0
    own: bool = False
    has_children: bool = False
    cells: list[int] = field(default_factory=list)  # by_area in the order of the areas


@dataclass
class ModelCounts:
    unit: Unit
    areas: list[WorkArea]
    rows: list[CountRow]
    by_area: dict[int, int]
    total: int
    replications: int
    cells: list[int] = field(default_factory=list)


def model_counts(
    user,
    unit: Unit,
    *,
    since: date | None = None,
    until: date | None = None,
) -> ModelCounts:
    """For `unit` and each child: the models recognised in its subtree by field of work (and
    between `since` and `until` when given), and the replications made there — two grouped
    queries on the path's first steps, plus one for the children and one for the fields."""
    width = (unit.depth + 1) * STEP
    models = models_for(user).filter(within("unit_path", unit.path))
    replications = replications_for(user).filter(within("unit_path", unit.path))
    if since is not None:
        models = models.filter(recognised_on__gte=since)
        replications = replications.filter(replicated_on__gte=since)
    if until is not None:
        models = models.filter(recognised_on__lte=until)
        replications = replications.filter(replicated_on__lte=until)
    grouped = (
        models.annotate(head=Substr("unit_path", 1, width))
        .values("head", "area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    cells: dict[str, dict[int, int]] = {}
    for row in grouped:
        cells.setdefault(row["head"], {})[row["area_id"]] = row["n"]
    copied = {
        r["head"]: r["n"]
        for r in replications.annotate(head=Substr("unit_path", 1, width))
        .values("head")
        .annotate(n=Count("id"))
        .order_by()
    }
    used = {a for by_area in cells.values() for a in by_area}
    areas = [a for a in WorkArea.objects.all() if a.pk in used]
    rows = []
    if unit.path in cells or unit.path in copied:
        by_area = cells.get(unit.path, {})
        rows.append(
            CountRow(unit, by_area, sum(by_area.values()), copied.get(unit.path, 0), own=True)
        )
    for child in _children(unit):
        if child.path in cells or child.path in copied:
            by_area = cells.get(child.path, {})
            rows.append(
                CountRow(
                    child,
                    by_area,
                    sum(by_area.values()),
                    copied.get(child.path, 0),
                    has_children=child.kids > 0,
                )
            )
    totals: dict[int, int] = {}
    for row in rows:
        for area_id, n in row.by_area.items():
            totals[area_id] = totals.get(area_id, 0) + n
    for row in rows:
        row.cells = [row.by_area.get(a.pk, 0) for a in areas]
    return ModelCounts(
        unit=unit,
        areas=areas,
        rows=rows,
        by_area=totals,
        total=sum(totals.values()),
        replications=sum(r.replications for r in rows),
        cells=[totals.get(a.pk, 0) for a in areas],
    )


def speaker_conferences(user, speaker: Speaker):
    """The speakers' conferences a speaker attended, as far as the user sees them."""
    from tuyengiao.oversight.queries import conferences_for

    return conferences_for(user).filter(speakers_present=speaker).order_by("-held_on")


def conference_speakers(user, conference) -> QuerySet[Speaker]:
    return speakers_for(user).filter(conferences=conference).order_by("sort_key", "id")


def attendable(user, conference) -> QuerySet[Speaker]:
    """The speakers who may be ticked present at a conference: its unit's subtree, serving."""
    return (
        speakers_for(user)
        .filter(
            within("unit_path", conference.unit.path),
            starts_on__lte=conference.held_on,
            ends_on__gte=conference.held_on,
        )
        .order_by("unit_path", "sort_key", "id")
    )
