"""What the self-rescheduling jobs (reminders, report scheduling) share: one waiting run at most."""

from django_tasks import TaskResultStatus
from django_tasks_db import DatabaseBackend


def is_waiting(task) -> bool:
    """Whether a run of `task` waits in the queue (one that has not started)."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(
            backend_name=backend.alias,
            task_path=task.module_path,
            status=TaskResultStatus.READY,
        ).exists()
    # Backends that keep results in memory (the dummy backend of the tests).
    return any(
        result.task.func is task.func and result.status == TaskResultStatus.READY
        for result in getattr(backend, "results", ())
    )


def enqueue_once(task, run_after=None):
    """Enqueue `task` (after `run_after`, if given) unless a run already waits; the result, or
    None. A deferred run is never put on a backend that cannot defer work (the immediate
    backend would run it at once, for ever)."""
    if run_after is not None and not task.get_backend().supports_defer:
        return None
    if is_waiting(task):
        return None
    return (task.using(run_after=run_after) if run_after is not None else task).enqueue()
