"""The daily retention run on the task queue, chained like the reminder scan: each run puts the
next one a day later; `tuyengiao purge_concern_text --schedule` starts the chain."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tuyengiao.core.tasks import enqueue_once

from . import retention


@task()
def purge_expired_text() -> int:
    try:
        return retention.purge_old_text(today=timezone.localdate())
    finally:
        schedule_purge(timezone.now() + timedelta(days=1))


def schedule_purge(run_after=None):
    return enqueue_once(purge_expired_text, run_after)
