"""Running work in threads released at the same instant, each with its own connection."""

import threading

import pytest
from django.db import connection, connections, transaction

needs_server = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database serialises threads with table locks (no waiting)",
)


def run_together(*jobs, begun=True):
    """Run each job in its own thread and database connection, released by a barrier at the
    same instant; each job's result, or the exception it raised. With `begun`, each waits inside
    a transaction that has begun (a first statement is sent), so the jobs' services (whose own
    transactions become savepoints) race from the same instant; without, each service opens its
    own transaction after the release."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            if not begun:
                barrier.wait(timeout=30)
                results[i] = job()
                return
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                barrier.wait(timeout=30)
                results[i] = job()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a job never finished"
    return results
