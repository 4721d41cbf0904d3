"""Scheduling periodic reports: one report and obligation per assigned unit and begun period."""

import signal
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.figures import tasks
from tuyengiao.figures.models import DataSet, Report
from tuyengiao.figures.services import reports_schedule
from tuyengiao.org.models import Unit
from tuyengiao.org.services import unit_dissolve
from tuyengiao.periods import Period

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MARCH = date(2026, 3, 15)


def communes_form(code="BM10", period_kind="month", first_period="2026-01", **kw) -> DataSet:
    data_set = DataSet.objects.create(
        code=code,
        name="Báo cáo tuyên giáo",
        period_kind=period_kind,
        levels=["commune"],
        kinds=["committee"],
        first_period=first_period,
        due_days=kw.pop("due_days", 5),
        lock_days=60,
        **kw,
    )
    return data_set


def owed(data_set):
    return sorted(
        Report.objects.filter(data_set=data_set).values_list("unit__name", "period"),
    )


def test_one_report_and_obligation_per_assigned_unit_and_begun_period(world):
    data_set = communes_form()
    assert reports_schedule(data_set=data_set, today=MARCH) == 9
    communes = ["Xã Hoà An", "Xã Hòa Bình", "Xã Ngân Sơn"]  # cells and agencies owe nothing
    assert owed(data_set) == sorted(
        (name, p) for name in communes for p in ("2026-01", "2026-02", "2026-03")
    )
    for report in Report.objects.filter(data_set=data_set).select_related("obligation", "unit"):
        obligation = report.obligation
        assert obligation.unit_id == report.unit_id
        assert obligation.unit_path == report.unit.path == report.unit_path
        assert obligation.kind == ObligationKind.REPORT
        assert obligation.source_id == report.pk
        assert obligation.done_on is None
        period = Period.parse(report.period)
        assert obligation.due_on == period.end + timedelta(days=5)
        assert period.label in obligation.title
    assert Obligation.objects.count() == 9


def test_running_again_creates_nothing_more(world):
    data_set = communes_form()
    reports_schedule(data_set=data_set, today=MARCH)
    before = (Report.objects.count(), Obligation.objects.count())
    assert reports_schedule(data_set=data_set, today=MARCH) == 0
    assert (Report.objects.count(), Obligation.objects.count()) == before
    # A new month begins: only its reports are added.
    assert reports_schedule(data_set=data_set, today=date(2026, 4, 1)) == 3
    assert Report.objects.filter(period="2026-04").count() == 3


def test_a_closed_unit_is_not_scheduled_and_a_new_one_only_from_its_opening(world):
    unit_dissolve(actor=None, unit=world.commune2, on=date(2026, 2, 10))
    Unit.objects.filter(pk=world.other_commune.pk).update(valid_from=date(2026, 2, 15))
    data_set = communes_form()
    reports_schedule(data_set=data_set, today=MARCH)
    periods = dict.fromkeys(["Xã Hoà An", "Xã Hòa Bình", "Xã Ngân Sơn"], ())
    for name, period in owed(data_set):
        periods[name] += (period,)
    assert periods == {
        "Xã Hoà An": ("2026-01", "2026-02", "2026-03"),
        "Xã Ngân Sơn": ("2026-01",),  # closed on 10/02: owes nothing for February on
        "Xã Hòa Bình": ("2026-02", "2026-03"),  # opened on 15/02
    }


def test_the_deadline_is_the_period_end_plus_the_due_days(world):
    quarterly = communes_form(
        code="BM11", period_kind="quarter", first_period="2025Q4", due_days=10
    )
    reports_schedule(data_set=quarterly, today=MARCH)
    dues = set(
        Report.objects.filter(data_set=quarterly).values_list("period", "obligation__due_on")
    )
    assert dues == {("2025Q4", date(2026, 1, 10)), ("2026Q1", date(2026, 4, 10))}


def test_nothing_before_the_first_period_nor_for_an_inactive_form(world):
    assert reports_schedule(data_set=communes_form(first_period="2026-04"), today=MARCH) == 0
    assert reports_schedule(data_set=communes_form(code="BM12", active=False), today=MARCH) == 0
    assert not Report.objects.exists()


# The daily job ---------------------------------------------------------------------------------


def this_month_form(today, **kw):
    return communes_form(first_period=Period.of("month", today).id, **kw)


@override_settings(TASKS=DUMMY)
def test_the_task_schedules_every_active_form_and_enqueues_tomorrows_run(world, today):
    monthly = this_month_form(today)
    this_month_form(today, code="BM12", active=False)

    assert tasks.schedule_reports.call() == {"BM10": 3}
    assert Report.objects.filter(data_set=monthly).count() == 3

    backend = tasks.schedule_reports.get_backend()
    [queued] = backend.results
    assert queued.task.func is tasks.schedule_reports.func
    assert queued.status == TaskResultStatus.READY
    tomorrow = today + timedelta(days=1)
    run_after = timezone.localtime(queued.task.run_after)
    assert (run_after.date(), run_after.time()) == (tomorrow, time(0, 5))

    # Idempotent, and one waiting run is enough: no second chain.
    assert tasks.schedule_reports.call() == {"BM10": 0}
    assert len(backend.results) == 1


@override_settings(TASKS=DUMMY)
def test_a_failed_run_still_enqueues_the_next(world, monkeypatch, today):
    this_month_form(today)

    def broken(**kwargs):
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr(tasks.services, "reports_schedule", broken)
    with pytest.raises(RuntimeError):
        tasks.schedule_reports.call()
    assert len(tasks.schedule_reports.get_backend().results) == 1


@override_settings(TASKS=IMMEDIATE)
def test_on_the_immediate_backend_the_task_runs_once(world, today):
    this_month_form(today)
    result = tasks.schedule_reports.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"BM10": 3}


def test_next_run_is_just_after_local_midnight():
    now = timezone.make_aware(datetime(2026, 3, 31, 23, 59))
    assert timezone.localtime(tasks.next_run_at(now)) == timezone.make_aware(
        datetime(2026, 4, 1, 0, 5)
    )


def test_the_command_schedules_at_once_and_starts_the_daily_chain_once(world, capsys, today):
    data_set = this_month_form(today)
    call_command("schedule_reports")
    call_command("schedule_reports")
    assert Report.objects.filter(data_set=data_set).count() == 3
    assert "Đã lập lịch 3 báo cáo" in capsys.readouterr().out
    [row] = DBTaskResult.objects.all()
    assert row.task_path == "tuyengiao.figures.tasks.schedule_reports"
    assert row.status == TaskResultStatus.READY
    assert row.run_after > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_task_and_leaves_the_next_one_waiting(world, today):
    data_set = this_month_form(today)
    tasks.schedule_reports.enqueue()

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for signum, handler in handlers.items():
            signal.signal(signum, handler)

    assert Report.objects.filter(data_set=data_set).count() == 3
    done, waiting = DBTaskResult.objects.order_by("enqueued_at")
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == {"BM10": 3}
    assert waiting.status == TaskResultStatus.READY
    assert waiting.run_after > timezone.now()


def test_a_level_taken_off_a_form_owes_no_more_and_owes_again_when_put_back(world):
    """Cells were asked for the form by mistake: once the administrator takes the level off, the
    cells' unsent reports stop being owed (audited), and what was sent or entered stays."""
    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.figures.models import Indicator
    from tuyengiao.figures.services import data_set_save

    admin = world.province_admin
    admin.is_superuser = True  # forms are defined for the whole country
    indicator = Indicator.objects.create(code="LOP", name="Số lớp", measure="lớp")
    data_set = communes_form(due_days=5)
    data_set.levels, data_set.kinds = ["commune", "cell"], []
    data_set = data_set_save(actor=admin, data_set=data_set, indicators=[indicator])
    reports_schedule(data_set=data_set, today=MARCH)
    cells = Report.objects.filter(data_set=data_set, unit__kind="cell")
    assert cells.count() == 9 and not cells.filter(obligation__isnull=True).exists()
    sent = cells.get(unit=world.cell, period="2026-01")
    Report.objects.filter(pk=sent.pk).update(submitted_on=date(2026, 2, 3), state="submitted")
    communes = Report.objects.filter(data_set=data_set, unit__kind="committee").count()

    data_set.levels = ["commune"]
    data_set_save(actor=admin, data_set=data_set, indicators=[indicator])
    owing = cells.filter(obligation__isnull=False)
    assert list(owing.values_list("pk", flat=True)) == [sent.pk]  # sent: its record stays
    assert cells.count() == 9  # the reports stay, with whatever was entered
    assert Obligation.objects.filter(unit__kind="cell").count() == 1
    dropped = AuditEntry.objects.filter(verb="narrow", action="delete")
    assert dropped.count() == 8 and {e.actor for e in dropped} == {admin}
    assert (
        Report.objects.filter(
            data_set=data_set, unit__kind="committee", obligation__isnull=False
        ).count()
        == communes
    )

    data_set.levels = ["commune", "cell"]
    data_set_save(actor=admin, data_set=data_set, indicators=[indicator])
    assert reports_schedule(data_set=data_set, today=MARCH) == 8
    assert not cells.filter(obligation__isnull=True).exists()
    assert cells.count() == 9
