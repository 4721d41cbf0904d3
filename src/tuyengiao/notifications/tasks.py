"""The reminder job, on Django's task interface (django-tasks; the queue is django-tasks-db).

`scan_reminders` sends what is owed and puts itself back on the queue to run again after
REMINDER_INTERVAL_MINUTES, so a running worker (`tuyengiao db_worker`) keeps reminding with
no cron. `tuyengiao schedule_reminders` starts the chain; it does nothing if a scan is already
waiting, so it can run at every start.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tuyengiao.core.tasks import enqueue_once

from . import services

logger = logging.getLogger(__name__)


@task()
def scan_reminders() -> dict[str, int]:
    try:
        return services.send_due_reminders(timezone.localdate()).as_dict()
    finally:
        # Even after a failure, so that one bad run does not end the chain.
        schedule_next_scan()


@task()
def mail_batch(batch: str) -> int:
    """E-mail what one `services.notify` call told its recipients."""
    return services.send_digests(uuid.UUID(batch))


def schedule_first_scan():
    """Enqueue a scan to run now, unless one is already waiting; the result, or None."""
    return enqueue_once(scan_reminders)


def schedule_next_scan():
    """Enqueue the next scan, REMINDER_INTERVAL_MINUTES from now; the result, or None.

    Nothing when a scan already waits (two chains never grow from one), nor on a backend that
    cannot defer work.
    """
    run_after = timezone.now() + timedelta(minutes=settings.REMINDER_INTERVAL_MINUTES)
    return enqueue_once(scan_reminders, run_after)
