"""Two people saving the same report never overwrite each other silently; saves of different
units at the same moment all land, and the roll-up stays exact."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.clock import on_day
from tests.factories import UserFactory
from tests.faults.threads import needs_server, run_together
from tuyengiao.audit.models import AuditEntry
from tuyengiao.figures import rollup
from tuyengiao.figures.models import SCALE, Report, Rollup, Value
from tuyengiao.figures.services import (
    StaleReport,
    report_approve,
    report_open,
    report_save,
    report_submit,
    report_unlock,
)
from tuyengiao.org.models import Role
from tuyengiao.periods import Period

# Seen from 20/11/2026 (tests/clock.py): the reports of 2026 are owed by then.
pytestmark = on_day("2026-11-20")
PERIOD = "2026-01"
PERIODS = [PERIOD, "2026Q1", "2026S1", "2026"]
CODES = ["LOP_KH", "LOP_TH", "HV_CHITIEU", "HV_DANGKY", "BCV", "DIEM"]


def _open(world, forms, unit, actor=None):
    return report_open(
        actor=actor or world.commune_staff,
        data_set=forms.monthly,
        unit=unit,
        period=Period.parse(PERIOD),
    )


def _values(unit):
    rows = Value.objects.filter(unit=unit, period=PERIOD).select_related("indicator")
    return {v.indicator.code: v.number for v in rows}


def assert_rollup_is_live(forms, units):
    """Stored roll-up == live aggregation ("last" sums are kept for last-value indicators)."""
    ids = [forms.indicators[c].pk for c in CODES]
    last = forms.indicators["BCV"].pk

    def comparable(rows):
        return {key: row if key[0] == last else row[:2] for key, row in rows.items()}

    for unit in units:
        stored = {
            (r.indicator_id, r.period): (r.total, r.count, r.last_total)
            for r in Rollup.objects.filter(unit=unit, indicator_id__in=ids, count__gt=0)
        }
        assert comparable(stored) == comparable(rollup.live(unit, ids, PERIODS)), unit.name


# One after the other (every database) ----------------------------------------------------------


@pytest.mark.django_db
def test_the_second_save_from_the_same_version_is_refused_and_writes_nothing(world, forms):
    hoa = UserFactory(username="hoa", first_name="Hoa", last_name="Nguyễn Thị", unit=world.commune)
    report = _open(world, forms, world.cell)
    # both open the form at version 0
    mine = Report.objects.get(pk=report.pk)
    theirs = Report.objects.get(pk=report.pk)

    report_save(actor=hoa, report=theirs, entries={"LOP_KH": "5", "LOP_TH": "5"}, version=0)
    entries = AuditEntry.objects.count()
    rollups = sorted(Rollup.objects.values_list("unit_id", "indicator_id", "period", "total"))

    with pytest.raises(StaleReport) as caught:
        report_save(
            actor=world.commune_staff,
            report=mine,
            entries={"LOP_KH": "7", "LOP_TH": "7", "GHI_CHU": "của tôi"},
            version=mine.version,
        )

    stored = Report.objects.get(pk=report.pk)
    saved_at = stored.saved_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    message = str(caught.value)
    assert message == (
        f"Báo cáo vừa được Hoa Nguyễn Thị cập nhật lúc {saved_at:%H:%M %d/%m/%Y}, sau khi bạn mở. "
        "Số liệu bạn nhập chưa được lưu và vẫn còn trên màn hình; hãy xem số liệu mới rồi lưu lại."
    )
    assert caught.value.current.version == 1  # what the page reloads from
    assert (stored.version, stored.saved_by) == (1, hoa)
    assert _values(world.cell) == {"LOP_KH": 5 * SCALE, "LOP_TH": 5 * SCALE}
    assert AuditEntry.objects.count() == entries
    assert (
        sorted(Rollup.objects.values_list("unit_id", "indicator_id", "period", "total")) == rollups
    )

    # starting again from the version it reloaded, the save goes through
    report_save(actor=world.commune_staff, report=mine, entries={"LOP_KH": "7"}, version=1)
    assert _values(world.cell)["LOP_KH"] == 7 * SCALE


@pytest.mark.django_db
def test_the_time_zone_of_the_message_is_the_office_clock(world, forms, settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    report = _open(world, forms, world.cell)
    report_save(actor=world.commune_staff, report=report, entries={"LOP_KH": "1"}, version=0)
    Report.objects.filter(pk=report.pk).update(
        saved_at=datetime(2026, 1, 31, 17, 30, tzinfo=ZoneInfo("UTC"))
    )
    with pytest.raises(StaleReport, match="cập nhật lúc 00:30 01/02/2026"):
        report_save(actor=world.commune_staff, report=report, entries={"LOP_KH": "2"}, version=0)


@pytest.mark.django_db
def test_roll_up_rows_are_written_in_one_order_whatever_the_order_of_the_figures(
    world, forms, monkeypatch
):
    """Writers that share ancestors lock their roll-up rows in the same order, so that two
    saves at the same moment wait for each other instead of deadlocking (PostgreSQL aborts one
    of two transactions that lock the same rows in opposite orders)."""
    batches = []
    real_cursor = connection.cursor

    def spying_cursor(*args, **kwargs):
        cursor = real_cursor(*args, **kwargs)
        real_execute = cursor.execute

        def execute(sql, params=None):
            if Rollup._meta.db_table in sql and sql.lstrip().startswith("INSERT"):
                rows = [params[i : i + 6] for i in range(0, len(params), 6)]
                batches.append([tuple(row[:3]) for row in rows])
            return real_execute(sql, params)

        cursor.execute = execute
        return cursor

    monkeypatch.setattr(connection, "cursor", spying_cursor)
    first = _open(world, forms, world.cell)
    second = _open(world, forms, world.cell2)
    report_save(
        actor=world.commune_staff,
        report=first,
        entries={code: "1" for code in CODES},
        version=0,
    )
    report_save(
        actor=world.commune_staff,
        report=second,
        entries={code: "2" for code in reversed(CODES)},
        version=0,
    )
    assert len(batches) == 2
    for batch in batches:
        assert len(batch) == 6 * len(PERIODS) * 4  # indicators × periods × lineage
        assert batch == sorted(batch)


# At the same moment (separate connections) --------------------------------------------------


def saver(actor, report_id, version, entries):
    def job():
        report = Report.objects.get(pk=report_id)
        report_save(actor=actor, report=report, entries=entries, version=version)
        return "saved"

    return job


@needs_server
@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_saves_from_one_version_exactly_one_lands(world, forms):
    other = UserFactory(username="xa2", role=Role.STAFF, unit=world.commune)
    report = _open(world, forms, world.cell)
    report_save(
        actor=world.commune_staff, report=report, entries={"LOP_KH": "1", "BCV": "1"}, version=0
    )
    mine = {"LOP_KH": "5", "LOP_TH": "5", "BCV": "3", "DIEM": "8,5"}
    theirs = {"DIEM": "9", "BCV": "4", "LOP_TH": "7", "LOP_KH": "7", "HV_CHITIEU": "30"}
    stored_as = {
        id(mine): {"LOP_KH": 50_000, "LOP_TH": 50_000, "BCV": 30_000, "DIEM": 85_000},
        id(theirs): {
            "LOP_KH": 70_000,
            "LOP_TH": 70_000,
            "BCV": 40_000,
            "DIEM": 90_000,
            "HV_CHITIEU": 300_000,
        },
    }

    results = run_together(
        saver(world.commune_staff, report.pk, 1, mine),
        saver(other, report.pk, 1, theirs),
        begun=False,
    )

    assert sorted(type(r).__name__ for r in results) == ["StaleReport", "str"], results
    winner, entries = (world.commune_staff, mine) if results[0] == "saved" else (other, theirs)
    stale = next(r for r in results if isinstance(r, StaleReport))
    assert str(winner) in str(stale)
    stored = Report.objects.get(pk=report.pk)
    assert (stored.version, stored.saved_by) == (2, winner)
    # the winner's figures, whole; nothing of the other's (the first save's BCV is replaced)
    assert _values(world.cell) == stored_as[id(entries)]
    assert AuditEntry.objects.filter(verb="save").count() == 2
    assert_rollup_is_live(forms, [world.cell, world.commune, world.province, world.root])


@needs_server
@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_sibling_units_all_land_and_add_up(world, forms):
    """Two cells of one commune save at once, naming their figures in different orders: both
    land, nobody waits for the other forever, and the commune's total is the exact sum."""
    reports = [_open(world, forms, unit) for unit in (world.cell, world.cell2)]
    rounds = 10
    for step in range(rounds):
        first = {"LOP_KH": f"{step + 1}", "BCV": f"{step}", "DIEM": f"{step},25", "HV_CHITIEU": "9"}
        second = dict(reversed([(code, f"{10 * step + 3}") for code in CODES]))
        results = run_together(
            saver(world.commune_staff, reports[0].pk, step, first),
            saver(world.commune_staff, reports[1].pk, step, second),
            begun=False,
        )
        assert results == ["saved", "saved"], (step, results)

    last = rounds - 1
    assert _values(world.cell)["LOP_KH"] == rounds * SCALE
    assert _values(world.cell2)["LOP_KH"] == (10 * last + 3) * SCALE
    lop_kh = forms.indicators["LOP_KH"]
    for period in PERIODS:
        total = Rollup.objects.get(unit=world.commune, indicator=lop_kh, period=period).total
        assert total == (rounds + 10 * last + 3) * SCALE
    assert_rollup_is_live(
        forms, [world.cell, world.cell2, world.commune, world.province, world.root]
    )


@needs_server
@pytest.mark.django_db(transaction=True)
def test_an_approval_above_and_an_unlock_below_at_the_same_moment_do_not_both_pass(world, forms):
    """Approving Xã Hoà An's report needs its cells' reports approved; unlocking a cell's
    report needs Xã Hoà An's report not approved. Done at once, one of them must be refused,
    or an approved commune would rest on a cell's report that is open again."""
    commune_manager = UserFactory(username="lanhdaoxa", role=Role.MANAGER, unit=world.commune)
    reports = {}
    for unit in (world.cell, world.cell2, world.commune):
        report = _open(world, forms, unit)
        report_save(actor=world.commune_staff, report=report, entries={"BCV": "1"}, version=0)
        reports[unit.pk] = report_submit(actor=world.commune_staff, report=report)
    for unit in (world.cell, world.cell2):
        report_approve(actor=commune_manager, report=reports[unit.pk])
    commune, cell = reports[world.commune.pk], reports[world.cell.pk]

    for step in range(10):

        def approve():
            report_approve(actor=world.province_manager, report=Report.objects.get(pk=commune.pk))
            return "approved"

        def unlock():
            report_unlock(
                actor=commune_manager, report=Report.objects.get(pk=cell.pk), reason="Sửa lại"
            )
            return "unlocked"

        results = run_together(approve, unlock, begun=False)
        done = [r for r in results if isinstance(r, str)]
        assert len(done) == 1, (step, results)
        refused = next(r for r in results if not isinstance(r, str))
        assert isinstance(refused, ValidationError), results
        # back to the start: commune sent, cells approved
        if done == ["approved"]:
            report_unlock(actor=world.province_manager, report=commune, reason="Làm lại")
            report_submit(actor=world.commune_staff, report=commune)
        else:
            report_submit(actor=world.commune_staff, report=cell)
            report_approve(actor=commune_manager, report=cell)
