"""Reads on public concerns, scoped once here so that no page, export or API can forget it.

- A collaborator (who may not VIEW the office's pages) sees the reports they sent, each with its
  concern's state and answer, and nothing else of the triage.
- Office staff (viewer and up) see the reports and concerns of their subtree; the responsible
  body also sees the concerns forwarded to it, to answer them.
"""

import time
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tuyengiao.org.models import within
from tuyengiao.org.scope import Action, can, restrict, scope_prefix
from tuyengiao.text.normalize import search_key
from tuyengiao.text.similarity import rank

from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    Concern,
    ConcernPhoto,
    ConcernReport,
    State,
    Summary,
    Topic,
    Urgency,
)

SUGGEST_DAYS = 90  # a report is grouped with what was heard in the last three months
TOPICS_TTL = 30  # seconds a process trusts its copy of the active topics

_topics: tuple[float, dict[str, Topic]] = (float("-inf"), {})


def active_topic(code: str) -> Topic | None:
    """The active topic with this code. Every report names one, and the list changes a few times
    a year: each process keeps a copy for TOPICS_TTL seconds (at once where a topic is saved:
    `forget_topics`), so that intake does not ask the database for it on every report."""
    global _topics
    loaded, topics = _topics
    if time.monotonic() - loaded > TOPICS_TTL:
        topics = {t.code: t for t in Topic.objects.filter(active=True)}
        _topics = (time.monotonic(), topics)
    return topics.get(code)


def forget_topics(**kwargs) -> None:
    global _topics
    _topics = (float("-inf"), {})


def reports_for(user, action: Action = Action.VIEW) -> QuerySet[ConcernReport]:
    reports = ConcernReport.objects.select_related("topic", "unit", "concern")
    if action == Action.VIEW and user.is_authenticated and not can(user, Action.VIEW):
        return reports.filter(reporter=user)  # a collaborator reads what they sent
    return restrict(reports, user, action)


def concerns_for(user, action: Action = Action.VIEW) -> QuerySet[Concern]:
    concerns = Concern.objects.select_related(
        "topic", "unit", "responsible", "body__unit", "obligation"
    )
    prefix = scope_prefix(user)
    if prefix is None or not can(user, action):
        return concerns.none()
    if not prefix:
        return concerns
    return concerns.filter(within("unit_path", prefix) | within("responsible__path", prefix))


def untriaged(user) -> QuerySet[ConcernReport]:
    """The triage queue: reports not yet grouped, most urgent first, then the newest."""
    return (
        reports_for(user, Action.CHANGE)
        .filter(concern__isnull=True)
        .order_by("-urgency", "-created_at", "-id")
    )


def similar_candidates(user, report: ConcernReport) -> QuerySet[ConcernReport]:
    """The other new reports that may be grouped with `report` into a new concern."""
    return untriaged(user).exclude(pk=report.pk)


def mine(user, concern: int | None = None) -> QuerySet[ConcernReport]:
    """What a person reported (in one concern, when given), newest first, with what became of
    each."""
    reports = (
        ConcernReport.objects.filter(reporter=user)
        .select_related("topic", "unit", "concern", "concern__responsible", "concern__body")
        .order_by("-created_at", "-id")
    )
    return reports.filter(concern_id=concern) if concern else reports


def candidates(user, *, today=None) -> QuerySet[Concern]:
    """Concerns a report may join: in the user's scope, heard lately, not a duplicate."""
    since = (today or timezone.now()) - timedelta(days=SUGGEST_DAYS)
    # Its own subtree only: attaching widens the concern to a unit the user must change, so a
    # concern merely forwarded to the user's unit from above cannot take the report.
    return (
        restrict(Concern.objects.all(), user, Action.CHANGE)
        .filter(Q(first_reported_at__gte=since) | ~Q(state__in=CLOSED_STATES))
        .exclude(state=State.DUPLICATE)
    )


def suggest(user, report: ConcernReport, limit: int = 5) -> list[tuple[Concern, float]]:
    """Likely concerns for a report, by text similarity ignoring diacritics, best first.

    The same topic counts a little in favour; a concern in the report's own area too.
    """
    pool = list(
        candidates(user).only(
            "id", "title", "search_key", "topic_id", "unit_path", "state", "report_count"
        )
    )
    by_id = {c.pk: c for c in pool}
    scored = rank(
        report.search_key or f"{report.title} {report.content}",
        [(c.pk, c.search_key or c.title) for c in pool],
        limit=len(pool) or 1,
        threshold=0.0,
    )
    results = []
    for pk, score in scored:
        concern = by_id[pk]
        if concern.topic_id == report.topic_id:
            score += 0.1
        if report.unit_path.startswith(concern.unit_path):
            score += 0.05
        if score >= 0.25:
            results.append((concern, min(score, 1.0)))
    results.sort(key=lambda pair: -pair[1])
    return results[:limit]


def similar_untriaged(
    user, report: ConcernReport, limit: int = 10
) -> list[tuple[ConcernReport, float]]:
    """Other new reports that look like this one (to open one concern for them all)."""
    since = report.created_at - timedelta(days=SUGGEST_DAYS)
    fields = ("id", "title", "search_key", "unit", "unit_path", "topic", "urgency", "created_at")
    pool = list(
        untriaged(user)
        .exclude(pk=report.pk)
        .filter(created_at__gte=since)
        .select_related(None)
        .select_related("unit", "topic")
        .only(*fields)[:2000]
    )
    by_id = {r.pk: r for r in pool}
    scored = rank(
        report.search_key, [(r.pk, r.search_key) for r in pool], limit=limit, threshold=0.25
    )
    return [(by_id[pk], score) for pk, score in scored]


# --- what the office's pages and the API list -----------------------------------------------

SEARCH_LIMIT = 10
OPEN, CLOSED = "open", "closed"  # the two groups of states a list may be filtered by


def _topic(items, topic):
    """Filter by a Topic, or by a topic's code (what the API is sent)."""
    if topic is None or topic == "":
        return items
    if isinstance(topic, str):
        return items.filter(topic__code=topic.strip())
    return items.filter(topic=topic)


def _place(items, unit):
    return items.filter(within("unit_path", unit.path)) if unit is not None else items


def triage_queue(user, *, topic=None, unit=None, urgency=None) -> QuerySet[ConcernReport]:
    """The triage queue filtered by topic, place (that unit and below) and urgency."""
    reports = _place(_topic(untriaged(user), topic), unit)
    return reports.filter(urgency=urgency) if urgency else reports


def queue_totals(reports: QuerySet[ConcernReport]) -> dict[str, int]:
    """How many reports wait, and how many of them are urgent: {"n": …, "urgent": …}."""
    return reports.aggregate(n=Count("id"), urgent=Count("id", filter=Q(urgency=Urgency.URGENT)))


def filter_reports(
    reports: QuerySet[ConcernReport],
    *,
    state: str = "",
    topic=None,
    unit=None,
    since=None,
    concern: int | None = None,
) -> QuerySet[ConcernReport]:
    """Reports by `state` as the reporter sees it ("new": not grouped yet, then most urgent
    first), topic, place (that unit and below), received on or after `since`, one concern's."""
    if state == State.NEW:
        reports = reports.filter(concern__isnull=True).order_by("-urgency", "-created_at", "-id")
    elif state:
        reports = reports.filter(concern__state=state)
    reports = _place(_topic(reports, topic), unit)
    if since is not None:
        reports = reports.filter(created_at__gte=since)
    if concern is not None:
        reports = reports.filter(concern_id=concern)
    return reports


def filter_concerns(
    concerns: QuerySet[Concern],
    user,
    *,
    state: str = "",
    topic=None,
    unit=None,
    since=None,
    overdue: bool = False,
    to_answer: bool = False,
    today=None,
) -> QuerySet[Concern]:
    """Concerns by `state` (a state, or one of the groups OPEN and CLOSED), topic, place, first
    heard on or after `since`; `overdue`: forwarded and past the due date unanswered (as of
    `today`); `to_answer`: forwarded to a unit of the user's subtree, or by one of its units
    to a body of a list (the unit records the body's answer), and not answered yet, the
    earliest due first."""
    if to_answer:
        prefix = scope_prefix(user) or ""
        concerns = concerns.filter(
            Q(within("responsible__path", prefix), responsible__isnull=False)
            | Q(within("unit_path", prefix), body__isnull=False),
            state=State.FORWARDED,
        ).order_by("due_on", "-id")
    if state == OPEN:
        concerns = concerns.filter(state__in=OPEN_STATES)
    elif state == CLOSED:
        concerns = concerns.filter(state__in=CLOSED_STATES)
    elif state:
        concerns = concerns.filter(state=state)
    concerns = _place(_topic(concerns, topic), unit)
    if since is not None:
        concerns = concerns.filter(first_reported_at__gte=since)
    if overdue:
        concerns = concerns.filter(state=State.FORWARDED, due_on__lt=today or timezone.localdate())
    return concerns


def concern_list(user, **filters) -> QuerySet[Concern]:
    """The list page: the user's concerns, newest first, filtered as `filter_concerns` says."""
    concerns = concerns_for(user).order_by("-first_reported_at", "-id")
    return filter_concerns(concerns, user, **filters)


def report_for(user, pk: int) -> ConcernReport:
    """A report the office may see or the user sent; else it does not exist (404)."""
    report = reports_for(user).filter(pk=pk).first() or mine(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def concern_for(user, pk: int) -> Concern:
    """A concern of the user's subtree or forwarded to it; else it does not exist (404)."""
    concern = concerns_for(user).filter(pk=pk).first()
    if concern is None:
        raise Http404
    return concern


def photo_for(user, pk: int) -> ConcernPhoto:
    """A report's photo, to whoever may see the report; else 404."""
    visible = reports_for(user).values("pk")
    photo = (
        ConcernPhoto.objects.select_related("report")
        .filter(Q(report__in=visible) | Q(report__reporter=user), pk=pk)
        .first()
    )
    if photo is None:
        raise Http404
    return photo


def readable_concerns(user, reports) -> set[int]:
    """Of the concerns these reports are grouped into, those the user may read: the reporter
    reads what became of their own report; the office only a concern of its scope (as on the
    concern's own page). For the others the report's state alone says what became of it."""
    ids = {r.concern_id for r in reports if r.concern_id}
    own = {r.concern_id for r in reports if r.concern_id and r.reporter_id == user.pk}
    return own | set(concerns_for(user).filter(pk__in=ids - own).values_list("pk", flat=True))


def concern_reports(user, concern: Concern) -> tuple[list[ConcernReport], int]:
    """The reports grouped into a concern that the user may read (those of their subtree, as on
    the reports' own pages), oldest first, and how many others there are.

    A concern forwarded to a commune may hold reports from other communes: their text, place
    and time stay with the offices whose scope they are in.
    """
    grouped = concern.reports.all()
    visible = list(
        reports_for(user)
        .filter(concern=concern)
        .select_related("unit", "topic")
        .order_by("created_at", "id")
    )
    return visible, grouped.count() - len(visible)


def joinable(user, exclude: Concern | None = None) -> QuerySet[Concern]:
    """Concerns a report may join or a duplicate may point to (not `exclude`): in the user's
    own subtree (a concern merely forwarded to the user's unit from above cannot take a
    report)."""
    concerns = (
        restrict(Concern.objects.select_related("topic", "unit"), user, Action.CHANGE)
        .exclude(state=State.DUPLICATE)
        .order_by("-first_reported_at", "-id")
    )
    return concerns.exclude(pk=exclude.pk) if exclude is not None else concerns


def search_joinable(user, query: str, *, exclude: Concern | None = None) -> list[Concern]:
    """Joinable concerns whose title (or description, or reports' titles) holds every word typed,
    ignoring diacritics; at most SEARCH_LIMIT."""
    words = search_key(query or "").split()
    if not words:
        return []
    condition = Q()
    for word in words:
        condition &= Q(search_key__contains=word)
    return list(joinable(user, exclude).filter(condition)[:SEARCH_LIMIT])


def originals(user, concern: Concern, query: str) -> list[Concern]:
    """The concerns offered as the original of a duplicate: those found by `query`, else the
    recent ones of the same topic."""
    if query:
        return search_joinable(user, query, exclude=concern)
    recent = joinable(user, exclude=concern).filter(topic=concern.topic_id)
    return list(recent[:SEARCH_LIMIT])


def suggestions(user, report: ConcernReport) -> list[tuple[Concern, float]]:
    """`suggest` with each concern's unit and topic loaded (the ranking reads bare rows)."""
    scored = suggest(user, report)
    full = Concern.objects.select_related("unit", "topic").in_bulk([c.pk for c, _s in scored])
    return [(full[c.pk], score) for c, score in scored if c.pk in full]


# --- summaries ------------------------------------------------------------------------------


def summaries_for(user) -> QuerySet[Summary]:
    return restrict(Summary.objects.select_related("unit", "saved_by"), user)


def summary_list(user, unit=None) -> QuerySet[Summary]:
    """The summaries the user may read (of `unit` and below when given), newest first."""
    return _place(summaries_for(user), unit).order_by("-start", "unit_path", "kind")


def saved_summaries(unit, starts) -> dict[tuple[str, object], Summary]:
    """The unit's own summaries beginning on one of `starts`, by (kind, start)."""
    return {(s.kind, s.start): s for s in Summary.objects.filter(unit=unit, start__in=starts)}
