"""Reminders: the right people, the right window, each reminder once, and the job that repeats."""

import signal
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import ObligationFactory, UserFactory
from tuyengiao.notifications import tasks
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.notifications.services import send_due_reminders
from tuyengiao.org.models import Role

TODAY = date(2026, 3, 10)
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def team(world):
    """Xã Hoà An's people: those who act on its obligations and those who must not be told."""
    world.commune_manager = UserFactory(
        username="xa-lanhdao", unit=world.commune, role=Role.MANAGER, email="lanhdao@xa.vn"
    )
    world.commune_admin = UserFactory(
        username="xa-quantri", unit=world.commune, role=Role.ADMINISTRATOR, email="qt@xa.vn"
    )
    world.commune_viewer = UserFactory(
        username="xa-xem", unit=world.commune, role=Role.VIEWER, email="xem@xa.vn"
    )
    world.commune_former = UserFactory(
        username="xa-cu", unit=world.commune, role=Role.STAFF, email="cu@xa.vn", is_active=False
    )
    return world


def recipients(obligation, kind=None):
    qs = Notification.objects.filter(obligation=obligation)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient__username", flat=True))


def test_a_reminder_goes_to_the_units_active_staff_managers_and_administrators_only(team):
    obligation = ObligationFactory(unit=team.commune, title="Báo cáo quý I", due_on=TODAY)
    ObligationFactory(unit=team.other_commune, due_on=TODAY)

    send_due_reminders(TODAY, days_before=3)

    # Not the viewer, the collaborator or the deactivated account of the unit; not the people
    # of the unit above (Tỉnh A) or below (the cell's viewer); not the neighbouring province.
    assert recipients(obligation) == {"xa", "xa-lanhdao", "xa-quantri"}
    for username in ("tinh", "quantri", "chibo", "ctv", "xa-xem", "xa-cu", "tinhb"):
        assert not Notification.objects.filter(recipient__username=username).exists()


def test_the_due_soon_window_includes_today_and_its_last_day(team):
    due = {
        days: ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(days))
        for days in (0, 1, 3, 4, 30)
    }
    run = send_due_reminders(TODAY, days_before=3)
    assert {d for d, o in due.items() if recipients(o)} == {0, 1, 3}
    assert run.due_soon == 3 * 3 and run.overdue == 0
    assert set(Notification.objects.values_list("kind", flat=True)) == {NotificationKind.DUE_SOON}

    Notification.objects.all().delete()
    send_due_reminders(TODAY, days_before=0)
    assert {d for d, o in due.items() if recipients(o)} == {0}


def test_the_window_defaults_to_the_setting(team, settings):
    settings.REMINDER_DAYS_BEFORE = 5
    ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(5))
    ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(6))
    assert send_due_reminders(TODAY).due_soon == 3


def test_an_overdue_obligation_is_reported_overdue(team):
    late = ObligationFactory(
        unit=team.commune, title="Kế hoạch tuyên truyền", due_on=TODAY - timedelta(1)
    )
    long_late = ObligationFactory(unit=team.commune, due_on=date(2025, 1, 31))
    run = send_due_reminders(TODAY)
    assert run.overdue == 6 and run.due_soon == 0
    assert recipients(late, NotificationKind.OVERDUE) == {"xa", "xa-lanhdao", "xa-quantri"}
    assert recipients(long_late, NotificationKind.OVERDUE) == {"xa", "xa-lanhdao", "xa-quantri"}
    note = Notification.objects.get(obligation=late, recipient=team.commune_staff)
    assert note.title == "Quá hạn: Kế hoạch tuyên truyền"
    assert "09/03/2026" in note.body and "Xã Hoà An" in note.body
    assert note.url == f"/deadlines/{late.pk}/"
    assert note.read_at is None


def test_done_obligations_get_nothing(team):
    ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(1), done_on=TODAY)
    ObligationFactory(unit=team.commune, due_on=TODAY - timedelta(5), done_on=TODAY - timedelta(1))
    ObligationFactory(unit=team.commune, due_on=TODAY - timedelta(5), done_on=TODAY - timedelta(6))
    run = send_due_reminders(TODAY)
    assert (run.due_soon, run.overdue, run.emails) == (0, 0, 0)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_each_reminder_is_sent_once(team):
    soon = ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(2))
    ObligationFactory(unit=team.commune, due_on=TODAY - timedelta(2))
    first = send_due_reminders(TODAY)
    assert (first.due_soon, first.overdue) == (3, 3)
    count, mails = Notification.objects.count(), len(mail.outbox)

    second = send_due_reminders(TODAY)
    assert (second.due_soon, second.overdue, second.emails) == (0, 0, 0)
    assert Notification.objects.count() == count
    assert len(mail.outbox) == mails

    # Days later the same obligation is overdue: that is a new reminder, the old one stays one.
    later = send_due_reminders(TODAY + timedelta(3))
    assert (later.due_soon, later.overdue) == (0, 3)
    assert Notification.objects.filter(obligation=soon, kind=NotificationKind.DUE_SOON).count() == 3
    assert Notification.objects.filter(obligation=soon, kind=NotificationKind.OVERDUE).count() == 3


def test_a_concurrent_runs_rows_are_neither_duplicated_nor_mailed_again(team):
    """What another run inserted meanwhile is skipped by the database, and not in our digest."""
    obligation = ObligationFactory(unit=team.commune, title="Báo cáo tháng", due_on=TODAY)
    Notification.objects.create(
        recipient=team.commune_manager,
        obligation=obligation,
        kind=NotificationKind.DUE_SOON,
        title="gửi bởi lượt chạy khác",
        emailed_at=timezone.now(),  # and mailed by it
    )
    run = send_due_reminders(TODAY)
    assert run.due_soon == 2
    assert Notification.objects.filter(obligation=obligation).count() == 3
    assert [m.to for m in mail.outbox] == [["qt@xa.vn"]]  # the staff member has no address

    # And the constraint itself: an insert of the same reminder is ignored.
    duplicate = Notification(
        recipient=team.commune_manager,
        obligation=obligation,
        kind=NotificationKind.DUE_SOON,
        title="lần nữa",
    )
    Notification.objects.bulk_create([duplicate], ignore_conflicts=True)
    assert Notification.objects.filter(obligation=obligation).count() == 3


def test_one_digest_per_recipient_with_an_address(team):
    ObligationFactory(unit=team.commune, title="Báo cáo quý I", due_on=TODAY + timedelta(1))
    ObligationFactory(unit=team.commune, title="Tổng kết năm", due_on=TODAY - timedelta(3))
    ObligationFactory(unit=team.commune2, title="Việc xã khác", due_on=TODAY)
    run = send_due_reminders(TODAY)
    assert run.emails == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"lanhdao@xa.vn", "qt@xa.vn"}
    body = by_address["lanhdao@xa.vn"].body
    assert "Sắp đến hạn: Báo cáo quý I" in body and "Quá hạn: Tổng kết năm" in body
    assert "Việc xã khác" not in body
    assert "/notifications/" in body and "/deadlines/" in body
    assert "2 nhắc việc mới" in by_address["lanhdao@xa.vn"].subject


def test_a_run_is_a_fixed_number_of_queries_however_many_obligations(team):
    def queries_for(n: int) -> int:
        Notification.objects.all().delete()
        for _ in range(n):
            ObligationFactory(unit=team.commune, due_on=TODAY + timedelta(1))
            ObligationFactory(unit=team.commune2, due_on=TODAY - timedelta(1))
        with CaptureQueriesContext(connection) as captured:
            send_due_reminders(TODAY)
        return len(captured.captured_queries)

    # (below the rows one INSERT holds on SQLite: its bound on parameters splits larger ones)
    assert queries_for(1) == queries_for(20)


# The job ----------------------------------------------------------------------------------


@override_settings(TASKS=DUMMY, REMINDER_INTERVAL_MINUTES=60)
def test_the_scan_sends_and_enqueues_its_next_run(team, today):
    ObligationFactory(unit=team.commune, due_on=today)
    before = timezone.now()

    assert tasks.scan_reminders.call() == {"due_soon": 3, "overdue": 0, "emails": 2}

    backend = tasks.scan_reminders.get_backend()
    [queued] = backend.results
    assert queued.task.func is tasks.scan_reminders.func
    assert queued.status == TaskResultStatus.READY
    wait = queued.task.run_after - before
    assert timedelta(minutes=59) < wait < timedelta(minutes=61)

    # A scan already waits: a second run (or `schedule_reminders`) adds no second chain.
    tasks.scan_reminders.call()
    assert tasks.schedule_first_scan() is None
    assert len(backend.results) == 1


@override_settings(TASKS=DUMMY)
def test_a_failed_scan_still_enqueues_the_next(team, monkeypatch):
    def broken(today):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(tasks.services, "send_due_reminders", broken)
    with pytest.raises(RuntimeError):
        tasks.scan_reminders.call()
    assert len(tasks.scan_reminders.get_backend().results) == 1


@override_settings(TASKS=IMMEDIATE)
def test_on_the_immediate_backend_the_scan_runs_once_without_rescheduling(team, today):
    ObligationFactory(unit=team.commune, due_on=today - timedelta(1))
    result = tasks.scan_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["overdue"] == 3
    assert Notification.objects.count() == 3


def test_schedule_reminders_enqueues_the_first_scan_once(team):
    call_command("schedule_reminders")
    call_command("schedule_reminders")
    [row] = DBTaskResult.objects.all()
    assert row.task_path == "tuyengiao.notifications.tasks.scan_reminders"
    assert row.status == TaskResultStatus.READY
    assert row.task.run_after is None  # the first scan runs at once


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_scan_and_leaves_the_next_one_waiting(team, today):
    ObligationFactory(unit=team.commune, due_on=today + timedelta(1))
    call_command("schedule_reminders")

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    assert Notification.objects.count() == 3
    done, waiting = DBTaskResult.objects.order_by("enqueued_at")
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {"due_soon": 3, "overdue": 0, "emails": 2}
    assert waiting.status == TaskResultStatus.READY
    assert waiting.run_after > timezone.now() + timedelta(minutes=55)
