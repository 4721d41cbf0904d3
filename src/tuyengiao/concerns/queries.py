"""Reads on public concerns, scoped once here so that no page, export or API can forget it.

- A collaborator (who may not VIEW the office's pages) sees the reports they sent, each with its
  concern's state and answer, and nothing else of the triage.
- Office staff (viewer and up) see the reports and concerns of their subtree; the responsible
  body also sees the concerns forwarded to it, to answer them.
"""

import time
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from tuyengiao.org.models import within
from tuyengiao.org.scope import Action, can, restrict, scope_prefix
from tuyengiao.text.similarity import rank

from .models import CLOSED_STATES, Concern, ConcernReport, State, Topic

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
    concerns = Concern.objects.select_related("topic", "unit", "responsible", "obligation")
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


def mine(user) -> QuerySet[ConcernReport]:
    """What a person reported, newest first, with what became of each."""
    return (
        ConcernReport.objects.filter(reporter=user)
        .select_related("topic", "unit", "concern", "concern__responsible")
        .order_by("-created_at", "-id")
    )


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
