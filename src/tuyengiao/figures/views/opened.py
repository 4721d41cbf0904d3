"""Which reports the person has opened, at which version, kept in their session.

An approval names the figures it approves: the report page sends the version it showed, and
the list approves at once only reports the person opened, at the version they saw there (a
report changed since is refused by figures.services as stale). The session forgets the oldest
beyond MAX_REMEMBERED.
"""

from __future__ import annotations

from ..models import Report

KEY = "figures_opened"
MAX_REMEMBERED = 500


def opened(request) -> dict[int, int]:
    """{report id: the version the person last saw it at}."""
    return {int(pk): version for pk, version in request.session.get(KEY, {}).items()}


def remember(request, report: Report) -> None:
    seen = request.session.get(KEY, {})
    seen.pop(str(report.pk), None)  # re-inserted last: the most recently opened survive
    seen[str(report.pk)] = report.version
    while len(seen) > MAX_REMEMBERED:
        seen.pop(next(iter(seen)))
    request.session[KEY] = seen


def seen_version(request, report: Report) -> int | None:
    return opened(request).get(report.pk)


def mark(request, reports) -> None:
    """Set `opened_now` on each report: opened by this person at its current version."""
    seen = opened(request)
    for report in reports:
        report.opened_now = seen.get(report.pk) == report.version
