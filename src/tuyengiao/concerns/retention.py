"""Retention: the free text of old concern reports is purged, what they counted is kept.

A report received more than CONCERN_TEXT_RETENTION_YEARS ago loses its title, its text and its
photos (which may show people and places); its topic, place, spread, mood, urgency, dates, its
concern and so every count and state stay. It is marked `text_purged_on`, the purge is audited
(one entry per report, without the text), and the text is blanked in its earlier audit entries
too. The concerns themselves (the office's own summary and its follow-up) are kept.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record_many, redact

from .models import ConcernPhoto, ConcernReport

PURGED_FIELDS = ("title", "content", "search_key")
BATCH = 500


def cutoff(today: date, years: int) -> date:
    """Reports received (in Vietnam) before this day are older than `years` years; from
    29 February, back to 28 February."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def expired(today: date, years: int):
    start = timezone.make_aware(datetime.combine(cutoff(today, years), time.min))
    return ConcernReport.objects.filter(created_at__lt=start, text_purged_on__isnull=True)


def purge_old_text(*, today: date, years: int | None = None, actor=None) -> int:
    """Purge what has outlived the retention period; how many reports. Nothing when no period
    is set."""
    years = years if years is not None else settings.CONCERN_TEXT_RETENTION_YEARS
    if not years:
        return 0
    done = 0
    while True:
        with transaction.atomic():
            batch = list(expired(today, years).select_for_update().order_by("pk")[:BATCH])
            if not batch:
                return done
            photos = list(ConcernPhoto.objects.filter(report__in=batch).select_related("report"))
            record_many(actor, AuditAction.DELETE, photos, verb="retention")
            files = [photo.image for photo in photos]
            ConcernPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
            for report in batch:
                report.title = report.content = report.search_key = ""
                report.text_purged_on = today
            ConcernReport.objects.bulk_update(batch, [*PURGED_FIELDS, "text_purged_on"])
            redact(ConcernReport, [report.pk for report in batch], PURGED_FIELDS)
            record_many(actor, AuditAction.UPDATE, batch, verb="retention")
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
            done += len(batch)
