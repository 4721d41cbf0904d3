"""The reminder job, on Django's task interface (django-tasks; the queue is django-tasks-db).

`scan_reminders` sends what is owed and puts itself back on the queue to run again after
REMINDER_INTERVAL_MINUTES, so a running worker (`tuyengiao db_worker`) keeps reminding with
no cron. `tuyengiao schedule_reminders` starts the chain; it does nothing if a scan is already
waiting, so it can run at every start.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db import DatabaseBackend

from . import services

logger = logging.getLogger(__name__)


@task()
def scan_reminders() -> dict[str, int]:
    try:
        return services.send_due_reminders(timezone.localdate()).as_dict()
    finally:
        # Even after a failure, so that one bad run does not end the chain.
        schedule_next_scan()


def pending_scan_exists() -> bool:
    """Whether a scan waits in the queue (one that has not started)."""
    backend = scan_reminders.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=scan_reminders.module_path,
            status=TaskResultStatus.READY,
        ).exists()
    # Backends that keep results in memory (the dummy backend of the tests).
    return any(
        result.task.func is scan_reminders.func and result.status == TaskResultStatus.READY
        for result in getattr(backend, "results", ())
    )


def schedule_first_scan():
    """Enqueue a scan to run now, unless one is already waiting; the result, or None."""
    if pending_scan_exists():
        return None
    return scan_reminders.enqueue()


def schedule_next_scan():
    """Enqueue the next scan, REMINDER_INTERVAL_MINUTES from now; the result, or None.

    Nothing when a scan already waits (two chains never grow from one), nor on a backend that
    cannot defer work (the immediate backend would run it at once, for ever).
    """
    if not scan_reminders.get_backend().supports_defer:
        return None
    if pending_scan_exists():
        return None
    run_after = timezone.now() + timedelta(minutes=settings.REMINDER_INTERVAL_MINUTES)
    return scan_reminders.using(run_after=run_after).enqueue()
