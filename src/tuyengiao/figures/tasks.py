"""The daily scheduling job, on Django's task interface (django-tasks; queue django-tasks-db).

`schedule_reports` creates, for every active report form, the report and obligation that each
assigned unit owes for each period that has begun (services.reports_schedule, which creates
only what is missing). It then puts itself back on the queue for shortly after the next local
midnight, so a running worker (`tuyengiao db_worker`) opens each new period's reports on its
first day with no cron. `tuyengiao schedule_reports` runs it once at once and starts the chain.
"""

import logging
from datetime import datetime, time, timedelta

from django.db import IntegrityError
from django.utils import timezone
from django_tasks import task

from tuyengiao.core.tasks import enqueue_once

from . import services
from .queries import active_data_sets

logger = logging.getLogger(__name__)

RUN_AT = time(0, 5)  # local time of the daily run


def schedule_all(today=None) -> dict[str, int]:
    """{form code: reports created} for every active form; a form that fails is logged and
    left for the next run, the others go on."""
    today = today or timezone.localdate()
    created = {}
    for data_set in active_data_sets():
        try:
            created[data_set.code] = services.reports_schedule(data_set=data_set, today=today)
        except IntegrityError:  # another run created the same reports at the same moment
            logger.warning("Lập lịch biểu %s trùng với lượt khác; lượt sau sẽ làm tiếp.", data_set)
    return created


@task()
def schedule_reports() -> dict[str, int]:
    try:
        return schedule_all()
    finally:
        # Even after a failure, so that one bad run does not end the chain.
        schedule_next_run()


def next_run_at(now=None) -> datetime:
    """RUN_AT on the next local day."""
    now = timezone.localtime(now)
    day = now.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, RUN_AT), now.tzinfo)


def schedule_next_run():
    """Enqueue tomorrow's run; the result, or None when one already waits or the backend
    cannot defer work."""
    return enqueue_once(schedule_reports, next_run_at())
