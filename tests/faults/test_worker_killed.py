"""The task worker killed (SIGKILL) in the middle of a reminder run, then started again: every
reminder owed exists exactly once and every person gets each of them by e-mail exactly once.

The run is stopped at a known point without sleeping: this test holds, uncommitted, one reminder
of the run's second chunk, so the worker's insert of that chunk waits for it (the unique
constraint); once PostgreSQL shows it waiting, with the first chunk committed, it is killed.
PostgreSQL only (the wait on another transaction's row is what makes the point certain).
"""

import email
import os
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import UserFactory
from tests.faults.cluster import wait_until
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.deadlines.services import NewObligation, obligations_create_many
from tuyengiao.notifications import tasks
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.notifications.services import CHUNK
from tuyengiao.org.models import Role

ROOT = Path(__file__).resolve().parents[2]
OBLIGATIONS = 700  # × 3 people: three chunks of reminders
# Long past whatever day the worker's clock reads: overdue, so owed a reminder, on any date.
DUE = date(2020, 1, 31)

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="needs PostgreSQL's wait on an uncommitted row"
    ),
    pytest.mark.django_db(transaction=True),
]


def db_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def worker(env, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [Path(sys.executable).parent / "tuyengiao", "db_worker", "--no-reload"]
        + ["--no-startup-delay", "--interval", "0.1", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def mails(folder: Path) -> list[email.message.Message]:
    """The messages the file e-mail backend wrote (each followed by a line of dashes)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk))
    return found


def test_a_worker_killed_mid_run_loses_no_reminder_and_sends_none_twice(world, tmp_path):
    people = [world.commune_staff] + [
        UserFactory(username=f"xa{i}", unit=world.commune, role=Role.STAFF) for i in (2, 3)
    ]
    for i, person in enumerate(people):
        person.email = f"nguoi{i}@xa.vn"
        person.save(update_fields=["email"])
    obligations = obligations_create_many(
        actor=None,
        permitted=True,
        items=[
            NewObligation(world.commune, ObligationKind.TASK, f"viec-{i:04d}", DUE)
            for i in range(OBLIGATIONS)
        ],
    )
    assert OBLIGATIONS * len(people) > 2 * CHUNK
    # One reminder of the second chunk (pairs walked by obligation, then person), held.
    held = obligations[(CHUNK + 10) // len(people)]
    holder = psycopg.connect(db_url())
    holder.execute(
        "INSERT INTO notifications_notification "
        "(recipient_id, obligation_id, kind, title, body, url, created_at, event) "
        "VALUES (%s, %s, %s, 'giữ', '', '', now(), '')",
        [people[0].pk, held.pk, NotificationKind.OVERDUE.value],
    )
    watcher = psycopg.connect(db_url(), autocommit=True)
    outbox = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": db_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "TUYENGIAO_VAR_DIR": str(tmp_path),
    }
    tasks.schedule_first_scan()

    first = worker(env)
    try:

        def stuck_on_the_second_chunk():
            committed = Notification.objects.count()
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE '%%notifications_notification%%'"
            ).fetchone()[0]
            return committed == CHUNK and waiting

        wait_until(stuck_on_the_second_chunk, 60, "the worker to wait inside its second chunk")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    holder.rollback()
    holder.close()
    watcher.close()
    # Killed: the first chunk stays, nothing of the second, and no e-mail went out yet.
    assert Notification.objects.count() == CHUNK
    assert mails(outbox) == []

    # Started again as a deployment does: schedule the scan, run the worker.
    subprocess.run(
        [Path(sys.executable).parent / "tuyengiao", "schedule_reminders"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    second = worker(env, "--batch")
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()

    reminders = Notification.objects.filter(kind=NotificationKind.OVERDUE)
    assert reminders.count() == OBLIGATIONS * len(people)
    pairs = set(reminders.values_list("obligation_id", "recipient_id"))
    assert pairs == {(o.pk, p.pk) for o in Obligation.objects.all() for p in people}
    assert not reminders.filter(emailed_at__isnull=True).exists()

    sent = mails(outbox)
    assert sorted(m["To"] for m in sent) == sorted(p.email for p in people)  # one digest each
    for message in sent:
        body = message.get_payload(decode=True).decode()
        titles = [line for line in body.splitlines() if line.startswith("- ")]
        assert len(titles) == OBLIGATIONS == len(set(titles)), message["To"]
