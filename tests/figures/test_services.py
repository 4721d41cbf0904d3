"""Entering, submitting, approving and locking reports, as the services do it for every page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.clock import on_day
from tests.factories import UserFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.deadlines.models import Obligation, ObligationKind, State
from tuyengiao.figures import rollup
from tuyengiao.figures.models import (
    SCALE,
    DataSet,
    Indicator,
    Report,
    ReportState,
    Rollup,
    Value,
    ValueType,
)
from tuyengiao.figures.queries import completeness
from tuyengiao.figures.services import (
    StaleReport,
    display,
    editing_problem,
    locks_on,
    parse_entry,
    report_approve,
    report_open,
    report_save,
    report_submit,
    report_unlock,
    report_withdraw,
)
from tuyengiao.org.models import Role
from tuyengiao.org.services import unit_dissolve, unit_merge
from tuyengiao.periods import Period

# Seen from 20/11/2026 (tests/clock.py): the reports of 2026 are owed by then.
pytestmark = [pytest.mark.django_db, on_day("2026-11-20")]
PERIOD = "2026-01"  # long closed, but the test form never locks (see conftest)


def numbers_of(unit, period=PERIOD):
    values = Value.objects.filter(unit=unit, period=period).select_related("indicator")
    return {v.indicator.code: v.text or Decimal(v.number) / SCALE for v in values}


def everything():
    """What a refused write must leave untouched."""
    return (
        sorted(Value.objects.values_list("unit_id", "indicator_id", "period", "number", "text")),
        sorted(Rollup.objects.values_list("unit_id", "indicator_id", "period", "total", "count")),
        sorted(Report.objects.values_list("pk", "version", "state", "saved_by", "submitted_on")),
        AuditEntry.objects.count(),
        sorted(Obligation.objects.values_list("pk", "done_on")),
    )


def open_report(world, forms, unit=None, period=PERIOD, actor=None):
    return report_open(
        actor=actor or world.commune_staff,
        data_set=forms.monthly,
        unit=unit or world.cell,
        period=Period.parse(period),
    )


def save(actor, report, **entries):
    report.refresh_from_db()
    return report_save(actor=actor, report=report, entries=entries, version=report.version)


def stored_rollup(unit, indicator, period):
    row = Rollup.objects.filter(unit=unit, indicator=indicator, period=period).first()
    return (row.total, row.count, row.last_total) if row and row.count else None


# Reading what people type ----------------------------------------------------------------------


def _indicator(value_type):
    return Indicator(code="X", name="x", value_type=value_type)


@pytest.mark.parametrize(
    "value_type, raw, expected",
    [
        (ValueType.INTEGER, "24.193", 24193),
        (ValueType.INTEGER, "1 234", 1234),
        (ValueType.INTEGER, "1\u00a0234", 1234),  # a no-break space from a spreadsheet
        (ValueType.INTEGER, "1.234.567", 1234567),
        (ValueType.INTEGER, " 52 ", 52),
        (ValueType.INTEGER, "0", 0),
        (ValueType.INTEGER, "2,0", 2),  # a whole number written with a decimal
        (ValueType.DECIMAL, "98,32", Decimal("98.32")),
        (ValueType.DECIMAL, "8,5", Decimal("8.5")),
        (ValueType.DECIMAL, "3.14", Decimal("3.14")),
        (ValueType.DECIMAL, "24.193,5", Decimal("24193.5")),
        (ValueType.DECIMAL, "-2,5", Decimal("-2.5")),
        (ValueType.DECIMAL, "1,2345", Decimal("1.2345")),
        (ValueType.DECIMAL, "1,23450", Decimal("1.2345")),  # a trailing zero is no decimal
        (ValueType.PERCENT, "98,32%", Decimal("98.32")),
        (ValueType.PERCENT, "98,32 %", Decimal("98.32")),
        (ValueType.PERCENT, "100", Decimal(100)),
        (ValueType.PERCENT, "0", Decimal(0)),
    ],
)
def test_vietnamese_numbers_are_read(value_type, raw, expected):
    number, text = parse_entry(_indicator(value_type), raw)
    assert number == expected * SCALE
    assert isinstance(number, int)
    assert text == ""


@pytest.mark.parametrize(
    "value_type, raw, message",
    [
        (ValueType.INTEGER, "2,5", "Chỉ tiêu này nhận số nguyên."),
        (ValueType.INTEGER, "-1", "Không nhận số âm."),
        (ValueType.PERCENT, "120", "Tỷ lệ phải từ 0 đến 100."),
        (ValueType.PERCENT, "-0,5%", "Tỷ lệ phải từ 0 đến 100."),
        (ValueType.DECIMAL, "1,23456", "Chỉ nhận tối đa 4 chữ số thập phân."),
        (ValueType.DECIMAL, "0,00001", "Chỉ nhận tối đa 4 chữ số thập phân."),
        (ValueType.INTEGER, "1.000.000.000.000", "Số quá lớn."),
        # a number too long for the decimal context must still be refused, not crash
        (ValueType.DECIMAL, "1234567890123456789012345678901,12345", "Số quá lớn."),
        (ValueType.INTEGER, "mười", 'Không đọc được số "mười". Hãy nhập như 24.193 hoặc 98,32.'),
        (ValueType.INTEGER, "1.23.4", "Không đọc được số"),
        (ValueType.INTEGER, "1e5", "Không đọc được số"),
        (ValueType.DECIMAL, "%", "Không đọc được số"),
    ],
)
def test_unacceptable_numbers_are_refused_in_vietnamese(value_type, raw, message):
    with pytest.raises(ValueError) as caught:
        parse_entry(_indicator(value_type), raw)
    assert message in str(caught.value)


def test_text_is_kept_as_typed_and_blank_is_no_value():
    note = _indicator(ValueType.TEXT)
    assert parse_entry(note, "  Đã mở 3 lớp; 24.193 lượt người  ") == (
        None,
        "Đã mở 3 lớp; 24.193 lượt người",
    )
    with pytest.raises(ValueError, match="Nội dung dài quá 4.000 ký tự."):
        parse_entry(note, "x" * 4001)
    for value_type in ValueType.values:
        assert parse_entry(_indicator(value_type), "   ") == (None, "")
        assert parse_entry(_indicator(value_type), None) == (None, "")


@pytest.mark.parametrize(
    "value_type, raw, shown",
    [
        (ValueType.INTEGER, "24193", "24.193"),
        (ValueType.DECIMAL, "98,320", "98,32"),
        (ValueType.DECIMAL, "0,0001", "0,0001"),
        (ValueType.PERCENT, "100,0", "100"),
    ],
)
def test_a_stored_value_is_shown_the_vietnamese_way(value_type, raw, shown):
    indicator = _indicator(value_type)
    assert display(indicator, *parse_entry(indicator, raw)) == shown


# Saving a draft --------------------------------------------------------------------------------


def test_a_draft_save_stores_the_figures_and_rolls_them_up(world, forms):
    report = open_report(world, forms)
    broken = save(
        world.commune_staff,
        report,
        LOP_KH="2",
        LOP_TH="3",
        HV_CHITIEU="40",
        HV_DANGKY="61",
        DIEM="8,5",
        GHI_CHU="Một lớp học ghép",
    )
    # the draft is kept even though a rule is broken; the rule is named beside its fields
    assert [v.codes for v in broken] == [("HV_DANGKY", "HV_CHITIEU")]
    assert numbers_of(world.cell) == {
        "LOP_KH": 2,
        "LOP_TH": 3,
        "HV_CHITIEU": 40,
        "HV_DANGKY": 61,
        "DIEM": Decimal("8.5"),
        "GHI_CHU": "Một lớp học ghép",
    }
    report.refresh_from_db()
    assert (report.state, report.version, report.saved_by) == (
        ReportState.DRAFT,
        1,
        world.commune_staff,
    )
    assert report.saved_at is not None
    lop_th = forms.indicators["LOP_TH"]
    for unit in (world.cell, world.commune, world.province, world.root):
        for period in (PERIOD, "2026Q1", "2026S1", "2026"):
            assert stored_rollup(unit, lop_th, period) == (3 * SCALE, 1, 0)
    assert stored_rollup(world.commune2, lop_th, PERIOD) is None


def test_only_changed_values_are_written_and_audited(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, LOP_KH="2", LOP_TH="3", GHI_CHU="ghi chú")
    kept = Value.objects.get(unit=world.cell, indicator=forms.indicators["LOP_KH"])
    entries_before = AuditEntry.objects.count()

    # "2,0" is the same 2; the note and HV are untouched; only LOP_TH changes
    save(world.commune_staff, report, LOP_KH="2,0", LOP_TH="4", GHI_CHU="ghi chú", HV_DANGKY="")

    assert AuditEntry.objects.count() == entries_before + 1
    entry = AuditEntry.objects.filter(verb="save").first()
    assert entry.actor == world.commune_staff
    assert entry.object_id == str(report.pk)
    assert entry.before["values"] == {"LOP_TH": "3"}
    assert entry.after["values"] == {"LOP_TH": "4"}
    assert ("version", 1, 2) in entry.changes()
    assert numbers_of(world.cell) == {"LOP_KH": 2, "LOP_TH": 4, "GHI_CHU": "ghi chú"}
    assert Value.objects.get(pk=kept.pk).number == 2 * SCALE
    assert stored_rollup(world.commune, forms.indicators["LOP_TH"], "2026") == (4 * SCALE, 1, 0)


def test_the_audit_records_values_before_and_after_as_shown(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, HV_CHITIEU="24193", DIEM="9,25")
    first = AuditEntry.objects.get(verb="save")
    assert first.before["values"] == {"HV_CHITIEU": "", "DIEM": ""}
    assert first.after["values"] == {"HV_CHITIEU": "24.193", "DIEM": "9,25"}
    save(world.commune_staff, report, DIEM="9,5")
    second = AuditEntry.objects.filter(verb="save").first()
    assert second.before["values"] == {"DIEM": "9,25"}
    assert second.after["values"] == {"DIEM": "9,5"}


def test_a_save_without_changes_writes_no_audit_entry(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, LOP_KH="2")
    entries = AuditEntry.objects.count()
    save(world.commune_staff, report, LOP_KH="2", LOP_TH="", GHI_CHU="")
    assert AuditEntry.objects.count() == entries
    assert numbers_of(world.cell) == {"LOP_KH": 2}


def test_clearing_a_value_removes_it_everywhere(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, LOP_KH="2", LOP_TH="2", BCV="7", GHI_CHU="x")
    save(world.commune_staff, report, LOP_KH="", LOP_TH="", BCV=" ", GHI_CHU="")
    assert numbers_of(world.cell) == {}
    for code in ("LOP_KH", "LOP_TH", "BCV"):
        for unit in (world.cell, world.commune, world.root):
            assert stored_rollup(unit, forms.indicators[code], "2026") is None
    entry = AuditEntry.objects.filter(verb="save").first()
    assert entry.before["values"] == {"LOP_KH": "2", "LOP_TH": "2", "BCV": "7", "GHI_CHU": "x"}
    assert entry.after["values"] == {"LOP_KH": "", "LOP_TH": "", "BCV": "", "GHI_CHU": ""}


def test_unknown_and_unreadable_entries_are_named_per_field(world, forms):
    report = open_report(world, forms)
    with pytest.raises(ValidationError) as caught:
        save(world.commune_staff, report, LOP_KH="5", KHONG_CO="1", TL_LOP="50", LOP_TH="ba")
    assert caught.value.message_dict == {
        "KHONG_CO": ["Biểu mẫu không có chỉ tiêu KHONG_CO."],
        "TL_LOP": ["Biểu mẫu không có chỉ tiêu TL_LOP."],  # derived: computed, never typed
        "LOP_TH": ['Không đọc được số "ba". Hãy nhập như 24.193 hoặc 98,32.'],
    }


def _locked_form(forms):
    """A form of the same figures whose periods lock ten days after they end."""
    form = DataSet.objects.create(
        code="BM_KHOA",
        name="Báo cáo nhanh",
        period_kind="month",
        levels=["commune", "cell"],
        first_period="2024-01",
        due_days=5,
        lock_days=10,
    )
    for position, code in enumerate(["LOP_KH", "LOP_TH"]):
        form.rows.create(indicator=forms.indicators[code], position=position)
    return form


@pytest.mark.parametrize(
    "case",
    ["unknown code", "bad number", "stale version", "locked", "viewer", "out of scope", "sent"],
)
def test_nothing_is_written_on_any_error(world, forms, case):
    report = open_report(world, forms)
    save(world.commune_staff, report, LOP_KH="2", LOP_TH="2", HV_CHITIEU="10")
    actor, version = world.commune_staff, report.version
    entries = {"LOP_KH": "5", "LOP_TH": "6", "HV_CHITIEU": "", "GHI_CHU": "mới"}
    expected = ValidationError
    if case == "unknown code":
        entries["KHONG_CO"] = "1"
    elif case == "bad number":
        entries["HV_DANGKY"] = "2,5"
    elif case == "stale version":
        version -= 1
        expected = StaleReport
    elif case == "locked":
        report = report_open(
            actor=actor,
            data_set=_locked_form(forms),
            unit=world.cell,
            period=Period.parse("2024-01"),
        )
        version = report.version
        entries = {"LOP_KH": "5"}
    elif case == "viewer":
        actor, expected = world.cell_viewer, PermissionDenied
    elif case == "out of scope":
        actor, expected = world.neighbour, PermissionDenied
    elif case == "sent":
        report_submit(actor=actor, report=report)
        report.refresh_from_db()
        version = report.version
    before = everything()
    with pytest.raises(expected):
        report_save(actor=actor, report=report, entries=entries, version=version)
    assert everything() == before


# Locks and unlocking -------------------------------------------------------------------------


def test_a_report_past_its_lock_date_cannot_be_saved(world, forms):
    form = _locked_form(forms)
    report = report_open(
        actor=world.commune_staff, data_set=form, unit=world.cell, period=Period.parse("2024-01")
    )
    # January ends on the 31st: editable for ten more days, locked from 11/02
    assert locks_on(form, Period.parse("2024-01")) == date(2024, 2, 11)
    assert editing_problem(report, today=date(2024, 2, 10)) is None
    problem = "Số liệu kỳ này đã khoá từ 11/02/2024. Cần cấp trên mở khoá (ghi lý do)."
    assert editing_problem(report, today=date(2024, 2, 11)) == problem
    with pytest.raises(ValidationError) as caught:
        save(world.commune_staff, report, LOP_KH="3")
    assert caught.value.messages == [problem]
    with pytest.raises(ValidationError):  # nor sent
        report_submit(actor=world.commune_staff, report=report)
    assert numbers_of(world.cell, "2024-01") == {}


def test_unlocking_needs_a_manager_above_and_a_reason_which_is_audited(world, forms):
    form = _locked_form(forms)
    report = report_open(
        actor=world.commune_staff, data_set=form, unit=world.cell, period=Period.parse("2024-01")
    )
    with pytest.raises(PermissionDenied):  # staff may enter figures, not unlock them
        report_unlock(actor=world.commune_staff, report=report, reason="Sai số liệu")
    cell_manager = UserFactory(role=Role.MANAGER, unit=world.cell)
    with pytest.raises(PermissionDenied, match="do cấp trên duyệt"):
        report_unlock(actor=cell_manager, report=report, reason="Sai số liệu")
    with pytest.raises(PermissionDenied):
        report_unlock(actor=world.neighbour, report=report, reason="Sai số liệu")
    with pytest.raises(ValidationError) as caught:
        report_unlock(actor=world.province_manager, report=report, reason="   ")
    assert caught.value.message_dict == {"reason": ["Hãy ghi lý do mở khoá."]}

    report_unlock(
        actor=world.province_manager, report=report, reason="  Xã báo nhầm số lớp tháng 1  "
    )
    entry = AuditEntry.objects.get(verb="unlock")
    assert entry.actor == world.province_manager
    assert entry.after["reason"] == "Xã báo nhầm số lớp tháng 1"
    assert ("unlocked", False, True) in entry.changes()

    report.refresh_from_db()
    assert report.unlocked and editing_problem(report) is None
    save(world.commune_staff, report, LOP_KH="3", LOP_TH="3")
    assert numbers_of(world.cell, "2024-01") == {"LOP_KH": 3, "LOP_TH": 3}
    report_submit(actor=world.commune_staff, report=report)  # and sent, late


def test_an_open_report_is_not_unlocked(world, forms):
    report = open_report(world, forms)
    with pytest.raises(ValidationError, match="Báo cáo không bị khoá."):
        report_unlock(actor=world.province_manager, report=report, reason="thử")
    save(world.commune_staff, report, LOP_KH="1", LOP_TH="1")
    report_submit(actor=world.commune_staff, report=report)
    with pytest.raises(ValidationError, match="Báo cáo không bị khoá."):  # withdraw it instead
        report_unlock(actor=world.province_manager, report=report, reason="thử")


# Approval, level by level ------------------------------------------------------------------------


@pytest.fixture
def commune_manager(world):
    return UserFactory(username="lanhdaoxa", role=Role.MANAGER, unit=world.commune)


def _sent(world, forms, unit, **entries):
    report = open_report(world, forms, unit=unit)
    save(world.commune_staff, report, **(entries or {"LOP_KH": "1", "LOP_TH": "1"}))
    return report_submit(actor=world.commune_staff, report=report)


def test_approval_goes_level_by_level(world, forms, commune_manager):
    cell = _sent(world, forms, world.cell)
    cell2 = _sent(world, forms, world.cell2)
    commune = _sent(world, forms, world.commune)

    with pytest.raises(ValidationError) as caught:
        report_approve(actor=world.province_manager, report=commune)
    assert caught.value.messages == [
        "Cấp dưới chưa được duyệt hết: Chi bộ thôn Bản Chang, Chi bộ thôn Nà Pài. "
        "Hãy duyệt báo cáo cấp dưới trước."
    ]
    with pytest.raises(PermissionDenied, match="Báo cáo của đơn vị mình do cấp trên duyệt."):
        report_approve(actor=commune_manager, report=commune)
    with pytest.raises(PermissionDenied):
        report_approve(actor=world.commune_staff, report=cell)  # staff do not approve

    report_approve(actor=commune_manager, report=cell)
    with pytest.raises(ValidationError, match="Cấp dưới chưa được duyệt hết: Chi bộ thôn Bản"):
        report_approve(actor=world.province_manager, report=commune)
    report_approve(actor=commune_manager, report=cell2)
    report_approve(actor=world.province_manager, report=commune)

    commune.refresh_from_db()
    assert (commune.state, commune.approved_by) == (ReportState.APPROVED, world.province_manager)
    assert commune.approved_at is not None
    assert AuditEntry.objects.filter(verb="approve").count() == 3
    with pytest.raises(ValidationError, match="Chỉ duyệt được báo cáo đã gửi."):
        report_approve(actor=world.province_manager, report=commune)


def test_a_unit_below_that_has_not_reported_holds_up_the_approval(world, forms, commune_manager):
    """Reports are created when first opened: a cell that never opened its report is waited
    for like one that has not been approved."""
    cell = _sent(world, forms, world.cell)
    commune = _sent(world, forms, world.commune)
    report_approve(actor=commune_manager, report=cell)
    with pytest.raises(ValidationError) as caught:
        report_approve(actor=world.province_manager, report=commune)
    assert "Chi bộ thôn Bản Chang" in caught.value.messages[0]
    assert not Report.objects.filter(unit=world.cell2).exists()  # still nothing opened

    # a cell dissolved before the period ended owes nothing and is not waited for
    unit_dissolve(actor=None, unit=world.cell2, on=date(2026, 1, 20))
    report_approve(actor=world.province_manager, report=commune)


def test_an_approved_report_is_locked_and_unlocked_from_the_top_down(world, forms, commune_manager):
    cell = _sent(world, forms, world.cell, LOP_KH="4", LOP_TH="5")
    cell2 = _sent(world, forms, world.cell2)
    commune = _sent(world, forms, world.commune)
    report_approve(actor=commune_manager, report=cell)
    report_approve(actor=commune_manager, report=cell2)
    report_approve(actor=world.province_manager, report=commune)

    before = everything()
    with pytest.raises(ValidationError) as caught:
        save(world.commune_staff, cell, LOP_TH="6")
    assert caught.value.messages == [
        "Báo cáo đã được duyệt nên số liệu đã khoá. Cần cấp trên mở khoá (ghi lý do)."
    ]
    with pytest.raises(ValidationError, match="Chỉ rút lại được báo cáo đã gửi"):
        report_withdraw(actor=world.commune_staff, report=cell)
    with pytest.raises(ValidationError) as caught:
        report_unlock(actor=commune_manager, report=cell, reason="Sửa số lớp")
    assert caught.value.messages == [
        "Báo cáo của Xã Hoà An (cấp trên) đã duyệt; hãy mở khoá báo cáo đó trước."
    ]
    assert everything() == before

    report_unlock(actor=world.province_manager, report=commune, reason="Chi bộ báo sai")
    report_unlock(actor=commune_manager, report=cell, reason="Sửa số lớp")
    cell.refresh_from_db()
    assert (cell.state, cell.approved_by, cell.approved_at) == (ReportState.DRAFT, None, None)
    save(world.commune_staff, cell, LOP_TH="6")
    assert numbers_of(world.cell)["LOP_TH"] == 6
    reasons = [e.after["reason"] for e in AuditEntry.objects.filter(verb="unlock")]
    assert reasons == ["Sửa số lớp", "Chi bộ báo sai"]


# Submitting ------------------------------------------------------------------------------------


def test_a_broken_rule_keeps_the_report_from_being_sent(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, HV_CHITIEU="40", HV_DANGKY="61", LOP_KH="2")
    before = everything()
    with pytest.raises(ValidationError) as caught:
        report_submit(actor=world.commune_staff, report=report)
    assert caught.value.messages == [
        "Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu.",
        "Đã có số lớp theo kế hoạch thì phải nhập số lớp đã mở (và ngược lại).",
    ]
    assert everything() == before
    save(world.commune_staff, report, HV_DANGKY="60", LOP_TH="0")
    report_submit(actor=world.commune_staff, report=report)


def test_sending_completes_the_obligation_on_the_day_on_time(world, forms):
    today = timezone.localdate()
    current = Period.of("month", today)  # due five days after it ends: still ahead
    report = open_report(world, forms, period=current.id)
    assert report.obligation.due_on == current.end + timedelta(days=5)
    assert report.obligation.kind == ObligationKind.REPORT
    assert report.obligation.state_on() == State.PENDING
    save(world.commune_staff, report, LOP_KH="3", LOP_TH="3")

    sent = report_submit(actor=world.commune_staff, report=report)

    assert (sent.state, sent.submitted_on, sent.submitted_by) == (
        ReportState.SUBMITTED,
        today,
        world.commune_staff,
    )
    obligation = Obligation.objects.get(pk=report.obligation_id)
    assert obligation.done_on == today
    assert obligation.state_on() == State.DONE_ON_TIME
    assert AuditEntry.objects.filter(verb="submit", object_id=str(report.pk)).exists()
    with pytest.raises(ValidationError, match="Báo cáo đã gửi."):
        report_submit(actor=world.commune_staff, report=report)


def test_sending_after_the_deadline_is_late(world, forms):
    report = open_report(world, forms, period="2024-01")
    save(world.commune_staff, report, LOP_KH="3", LOP_TH="3")
    report_submit(actor=world.commune_staff, report=report)
    obligation = Obligation.objects.get(pk=report.obligation_id)
    assert obligation.due_on == date(2024, 2, 5)
    assert obligation.done_on == timezone.localdate()
    assert obligation.state_on() == State.DONE_LATE
    [row] = [
        r
        for r in completeness(world.commune, forms.monthly, [Period.parse("2024-01")])
        if not r.is_total
    ]
    assert (row.unit, row.expected, row.received, row.on_time) == (world.cell, 1, 1, 0)


def test_withdrawing_returns_to_draft_and_keeps_the_first_sending_date(world, forms):
    report = open_report(world, forms, period="2024-01")
    save(world.commune_staff, report, LOP_KH="3", LOP_TH="3")
    report_submit(actor=world.commune_staff, report=report)
    # as if it had been sent in time, on 3 February 2024
    Report.objects.filter(pk=report.pk).update(submitted_on=date(2024, 2, 3))
    Obligation.objects.filter(pk=report.obligation_id).update(done_on=date(2024, 2, 3))

    withdrawn = report_withdraw(actor=world.commune_staff, report=report)
    assert withdrawn.state == ReportState.DRAFT
    assert withdrawn.submitted_on == date(2024, 2, 3)
    with pytest.raises(ValidationError, match="Chỉ rút lại được báo cáo đã gửi"):
        report_withdraw(actor=world.commune_staff, report=report)
    save(world.commune_staff, report, LOP_KH="4", LOP_TH="4")

    again = report_submit(actor=world.commune_staff, report=report)
    assert again.submitted_on == date(2024, 2, 3)
    obligation = Obligation.objects.get(pk=report.obligation_id)
    assert obligation.done_on == date(2024, 2, 3)
    assert obligation.state_on() == State.DONE_ON_TIME
    verbs = list(
        AuditEntry.objects.filter(object_id=str(report.pk), content_type__model="report")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["", "save", "submit", "withdraw", "save", "submit"]


def test_a_withdrawal_makes_a_form_opened_before_it_stale(world, forms):
    report = open_report(world, forms)
    save(world.commune_staff, report, LOP_KH="1", LOP_TH="1")
    opened = Report.objects.get(pk=report.pk)
    report_submit(actor=world.commune_staff, report=report)
    report_withdraw(actor=world.commune_staff, report=report)
    with pytest.raises(StaleReport):
        report_save(
            actor=world.commune_staff,
            report=opened,
            entries={"LOP_KH": "9"},
            version=opened.version,
        )


# Closed units --------------------------------------------------------------------------------

MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]


def _report_months(world, forms, unit):
    for month in MONTHS:
        report = open_report(world, forms, unit=unit, period=month, actor=world.province_manager)
        save(world.province_manager, report, LOP_KH="1", LOP_TH="1", BCV="2")


def _owed(unit):
    return sorted(
        Report.objects.filter(unit=unit, obligation__isnull=False).values_list("period", flat=True)
    )


def _expected_by_unit(unit, forms, months):
    rows = completeness(unit, forms.monthly, [Period.parse(m) for m in months])
    return {r.unit.name: r.expected for r in rows if not r.is_total}


def test_a_dissolved_unit_owes_no_report_for_periods_ending_after_it_closed(world, forms):
    _report_months(world, forms, world.cell2)
    _report_months(world, forms, world.cell)
    obligations = Obligation.objects.count()
    ids = [forms.indicators[c].pk for c in ("LOP_KH", "LOP_TH", "BCV")]
    live_before = rollup.live(world.commune, ids, ["2024Q1", "2024"])

    unit_dissolve(actor=None, unit=world.cell2, on=date(2024, 3, 15))

    # March ends after the closing date: owed no more; January and February stay owed
    assert _owed(world.cell2) == ["2024-01", "2024-02"]
    assert _owed(world.cell) == MONTHS
    assert Obligation.objects.count() == obligations - 2
    assert AuditEntry.objects.filter(verb="close", content_type__model="obligation").count() == 2
    # the figures stay, attributed to the closed unit, and so do the totals
    assert Value.objects.filter(unit=world.cell2).count() == 12
    assert rollup.live(world.commune, ids, ["2024Q1", "2024"]) == live_before
    assert stored_rollup(world.commune, forms.indicators["LOP_TH"], "2024")[:2] == (8 * SCALE, 8)

    assert _expected_by_unit(world.commune, forms, MONTHS) == {
        "Chi bộ thôn Nà Pài": 4,
        "Chi bộ thôn Bản Chang": 2,
    }
    assert _expected_by_unit(world.commune, forms, ["2024-03", "2024-04"]) == {
        "Chi bộ thôn Nà Pài": 2
    }
    total = completeness(world.commune, forms.monthly, [Period.parse("2024-04")])[-1]
    assert (total.is_total, total.expected) == (True, 1)
    with pytest.raises(ValidationError, match="không phải báo cáo biểu này cho Tháng 5/2024"):
        open_report(world, forms, unit=world.cell2, period="2024-05")


def test_a_merged_unit_keeps_what_it_owed_before_the_merger(world, forms):
    _report_months(world, forms, world.commune2)
    _report_months(world, forms, world.commune)
    values = Value.objects.filter(unit=world.commune2).count()

    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2024, 4, 1))

    assert _owed(world.commune2) == ["2024-01", "2024-02", "2024-03"]
    assert _owed(world.commune) == MONTHS  # the target's own reports are its own
    assert Value.objects.filter(unit=world.commune2).count() == values
    expected = _expected_by_unit(world.province, forms, MONTHS)
    assert expected["Xã Ngân Sơn"] == 3
    assert expected["Xã Hoà An"] == 4
    assert "Xã Ngân Sơn" not in _expected_by_unit(world.province, forms, ["2024-04"])


def test_a_report_still_within_its_deadline_is_not_yet_expected(world, forms):
    """As on the deadlines dashboard: what is pending counts neither for nor against a unit."""
    october, november = Period.parse("2026-10"), Period.parse("2026-11")
    for period in (october, november):
        open_report(world, forms, world.cell, period.id)
        open_report(world, forms, world.cell2, period.id)
    sent = open_report(world, forms, world.cell2, november.id)
    report_submit(actor=None, report=sent)
    today = date(2026, 11, 20)  # October was due on 5/11; November is due on 5/12
    rows = completeness(world.commune, forms.monthly, [october, november], today=today)
    total = rows[-1]
    # both October reports are expected (and late); of November only the one already sent
    assert (total.expected, total.received) == (3, 1)
