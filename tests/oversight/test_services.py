"""The rules of oversight: the limits of duration and period, the self-inspection report as an
obligation, recommendations closed only through acceptance and never without evidence, a
returned one staying late, the notices told once, the audit, and the restructuring."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from tests.clock import on_day
from tests.factories import UnitFactory, UserFactory
from tests.uploads import html_named, pdf
from tuyengiao.audit.models import AuditEntry
from tuyengiao.deadlines.models import ObligationKind, State
from tuyengiao.deadlines.services import closable_by_hand
from tuyengiao.directives.models import Directive
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.org.models import Kind, Role
from tuyengiao.org.services import unit_merge
from tuyengiao.oversight import services
from tuyengiao.oversight.models import (
    ConferenceKind,
    InspectionKind,
    InspectionState,
    Recommendation,
    RecommendationState,
)
from tuyengiao.oversight.queries import recommendation_state
from tuyengiao.oversight.services import RecommendationInput

from .conftest import announced, concluded, evidence, inspect

pytestmark = on_day("2026-11-20")

DUE = date(2026, 12, 15)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Duration and period ---------------------------------------------------------------------------


def test_a_province_inspection_lasts_at_most_45_days(world):
    boss = world.province_manager
    ok = inspect(boss, [world.commune], starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 15))
    assert ok.days == 45
    with pytest.raises(ValidationError) as excinfo:
        inspect(boss, [world.commune], starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 16))
    message = errors_of(excinfo)["ends_on"][0]
    assert "45 ngày" in message and "46 ngày" in message and "60 ngày" in message


def test_an_extension_by_a_third_needs_a_reason_and_stops_at_60_days(world):
    boss = world.province_manager
    start = date(2026, 8, 1)
    with pytest.raises(ValidationError) as excinfo:
        inspect(boss, [world.commune], starts_on=start, ends_on=date(2026, 9, 29), extended=True)
    assert "extension_reason" in errors_of(excinfo)
    sixty = inspect(
        boss,
        [world.commune],
        starts_on=start,
        ends_on=date(2026, 9, 29),
        extended=True,
        extension_reason="Nội dung phức tạp, cần xác minh thêm.",
    )
    assert sixty.days == 60
    with pytest.raises(ValidationError) as excinfo:
        inspect(
            boss,
            [world.commune],
            starts_on=start,
            ends_on=date(2026, 9, 30),
            extended=True,
            extension_reason="Nội dung phức tạp.",
        )
    assert "60 ngày" in errors_of(excinfo)["ends_on"][0]


def test_a_commune_inspecting_its_cells_has_20_days_or_26_extended(world):
    staff = world.commune_staff  # staff of Xã Hoà An, the level directly above its cells
    start = date(2026, 10, 1)
    assert inspect(staff, [world.cell], starts_on=start, ends_on=date(2026, 10, 20)).days == 20
    with pytest.raises(ValidationError) as excinfo:
        inspect(staff, [world.cell], starts_on=start, ends_on=date(2026, 10, 21))
    assert "20 ngày" in errors_of(excinfo)["ends_on"][0]
    reason = {"extended": True, "extension_reason": "Chi bộ đề nghị lùi buổi làm việc."}
    assert inspect(staff, [world.cell], starts_on=start, ends_on=date(2026, 10, 26), **reason)
    with pytest.raises(ValidationError) as excinfo:
        inspect(staff, [world.cell], starts_on=start, ends_on=date(2026, 10, 27), **reason)
    assert "26 ngày" in errors_of(excinfo)["ends_on"][0]


def test_an_extension_later_is_checked_again(world):
    inspection = inspect(world.province_manager, [world.commune])
    with pytest.raises(ValidationError) as excinfo:
        services.inspection_update(
            actor=world.province_manager, inspection=inspection, ends_on=date(2026, 12, 31)
        )
    assert "ends_on" in errors_of(excinfo)
    services.inspection_update(
        actor=world.province_manager,
        inspection=inspection,
        ends_on=date(2026, 12, 31),
        extended=True,
        extension_reason="Bổ sung nội dung theo chỉ đạo của Thường trực.",
    )
    inspection.refresh_from_db()
    assert inspection.extended and inspection.days == 60


def test_at_most_five_past_years_are_inspected(world):
    boss = world.province_manager
    five = inspect(
        boss, [world.commune], period_from=date(2021, 11, 1), period_to=date(2026, 10, 31)
    )
    assert five.period_to == date(2026, 10, 31)
    with pytest.raises(ValidationError) as excinfo:
        inspect(boss, [world.commune], period_from=date(2021, 11, 1), period_to=date(2026, 11, 1))
    assert "5 năm" in errors_of(excinfo)["period_from"][0]
    with pytest.raises(ValidationError) as excinfo:
        inspect(boss, [world.commune], period_from=date(2025, 1, 1))
    assert "period_to" in errors_of(excinfo)


def test_the_inspected_units_lie_below_the_inspecting_unit(world):
    with pytest.raises(ValidationError) as excinfo:
        inspect(world.commune_staff, [world.commune2])
    assert "Xã Ngân Sơn" in errors_of(excinfo)["units"][0]
    with pytest.raises(PermissionDenied):
        inspect(world.cell_viewer, [world.cell])  # a viewer does not inspect
    with pytest.raises(PermissionDenied):
        inspect(world.neighbour, [world.commune], unit=world.province)


def test_the_decision_is_registered_as_a_document(world):
    inspection = inspect(world.province_manager, [world.commune], decision_symbol="15-QĐ/BTGDVTU")
    decision = Directive.objects.get(pk=inspection.decision_id)
    assert decision.symbol == "15-QĐ/BTGDVTU" and decision.unit == world.province
    with pytest.raises(ValidationError) as excinfo:
        inspect(world.province_manager, [world.commune], decision_symbol="15-QĐ/BTGDVTU")
    assert "đã dùng" in errors_of(excinfo)["decision"][0]
    with pytest.raises(ValidationError) as excinfo:
        inspect(world.province_manager, [world.commune], decision_symbol="16-KH/BTGDVTU")
    assert "QĐ" in errors_of(excinfo)["decision"][0]
    with pytest.raises(ValidationError) as excinfo:
        inspect(world.province_manager, [world.commune], decision_symbol="mười sáu")
    assert "decision" in errors_of(excinfo)


def test_the_delegation_holds_names_and_positions_only(world):
    from tuyengiao.oversight.services import MemberInput

    with pytest.raises(ValidationError) as excinfo:
        inspect(
            world.province_manager,
            [world.commune],
            members=[MemberInput("Nguyễn Văn An 0912 345 678", "Trưởng phòng", "head")],
        )
    assert "members" in errors_of(excinfo)


# The self-inspection report --------------------------------------------------------------------


def test_announcing_makes_each_unit_owe_its_self_report_and_tells_it_once(world):
    inspection = announced(
        world.province_manager, [world.commune, world.commune2], due=date(2026, 11, 10)
    )
    assert inspection.state == InspectionState.ANNOUNCED
    rows = list(inspection.inspected.select_related("self_report_obligation"))
    assert {r.self_report_obligation.unit_id for r in rows} == {world.commune.pk, world.commune2.pk}
    for row in rows:
        obligation = row.self_report_obligation
        assert obligation.kind == ObligationKind.SELF_REPORT
        assert obligation.due_on == date(2026, 11, 10) and obligation.done_on is None
        assert not closable_by_hand(obligation)  # closed by uploading the report only
    told = Notification.objects.filter(
        kind=NotificationKind.INSPECTION, recipient=world.commune_staff
    )
    assert told.count() == 1 and "Báo cáo tự kiểm tra" in told.get().body
    with pytest.raises(ValidationError):
        services.inspection_announce(
            actor=world.province_manager, inspection=inspection, self_report_due_on=DUE
        )
    assert told.count() == 1


def test_an_inspection_is_announced_with_its_decision(world):
    inspection = inspect(world.province_manager, [world.commune], decision=False)
    with pytest.raises(ValidationError) as excinfo:
        services.inspection_announce(
            actor=world.province_manager, inspection=inspection, self_report_due_on=DUE
        )
    assert "decision" in errors_of(excinfo)
    # A working session needs none.
    session = inspect(
        world.province_manager,
        [world.commune],
        decision=False,
        kind=InspectionKind.WORKING_SESSION,
    )
    services.inspection_announce(
        actor=world.province_manager,
        inspection=session,
        self_report_due_on=date(2026, 11, 2),
        today=date(2026, 11, 1),
    )


def test_uploading_the_self_report_closes_its_obligation(world):
    inspection = announced(
        world.province_manager,
        [world.commune],
        starts_on=date(2026, 11, 23),
        ends_on=date(2026, 12, 4),
        due=date(2026, 11, 21),
    )
    row = inspection.inspected.get()
    with pytest.raises(ValidationError) as excinfo:
        services.self_report_submit(actor=world.commune_staff, inspected=row, file=html_named())
    assert "self_report" in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.self_report_submit(actor=world.neighbour, inspected=row, file=pdf())
    services.self_report_submit(actor=world.commune_staff, inspected=row, file=pdf())
    row.refresh_from_db()
    obligation = row.self_report_obligation
    obligation.refresh_from_db()
    assert row.self_report_on == date(2026, 11, 20) and row.self_report.name.endswith(".pdf")
    assert obligation.done_on == date(2026, 11, 20)
    assert obligation.state_on(date(2026, 11, 20)) == State.DONE_ON_TIME
    office = Notification.objects.filter(
        kind=NotificationKind.SELF_REPORT, recipient=world.province_manager
    )
    assert office.count() == 1


# Recommendations -------------------------------------------------------------------------------


def two_recommendations(world, due=DUE):
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[
            (world.commune, "Tổ chức lại hội nghị học tập nghị quyết cho đảng viên.", due),
            (world.commune, "Kiện toàn đội ngũ báo cáo viên cấp xã.", due),
        ],
    )
    return list(conclusion.recommendations.order_by("number"))


def test_each_recommendation_is_an_obligation_of_its_unit_told_once(world):
    first, second = two_recommendations(world)
    for number, recommendation in enumerate((first, second), start=1):
        obligation = recommendation.obligation
        assert recommendation.number == number
        assert obligation.unit == world.commune and obligation.kind == ObligationKind.FOLLOW_UP
        assert obligation.due_on == DUE and obligation.source == recommendation
        assert not closable_by_hand(obligation)
    told = Notification.objects.filter(
        kind=NotificationKind.RECOMMENDATION, recipient=world.commune_staff
    )
    assert told.count() == 2
    assert not Notification.objects.filter(
        kind=NotificationKind.RECOMMENDATION, recipient=world.province_manager
    ).exists()
    assert first.conclusion.inspection.state == InspectionState.CONCLUDED


def test_a_report_without_evidence_or_text_is_refused(world):
    recommendation, _second = two_recommendations(world)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_report(
            actor=world.commune_staff, recommendation=recommendation, report_text="Đã làm xong."
        )
    assert "evidence" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_report(
            actor=world.commune_staff,
            recommendation=recommendation,
            report_text="  ",
            evidence=evidence(),
        )
    assert "report_text" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_report(
            actor=world.commune_staff,
            recommendation=recommendation,
            report_text="Đã làm xong.",
            evidence=html_named(),
        )
    assert "evidence" in errors_of(excinfo)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.OPEN and not recommendation.evidence


def report(world, recommendation, day=date(2026, 11, 20)):
    return services.recommendation_report(
        actor=world.commune_staff,
        recommendation=recommendation,
        report_text="Đã tổ chức hội nghị ngày 24/11/2026 với 95% đảng viên dự.",
        evidence=evidence(),
        today=day,
    )


def test_a_report_leaves_it_open_until_the_office_accepts_it(world, time_machine):
    recommendation, _second = two_recommendations(world)
    report(world, recommendation)
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.REPORTED
    assert recommendation.obligation.done_on is None and recommendation.done_on is None
    office = Notification.objects.filter(
        kind=NotificationKind.REC_REPORTED, recipient=world.province_manager
    )
    assert office.count() == 1
    # The unit cannot accept its own report, nor report again while it is being considered.
    with pytest.raises(PermissionDenied):
        services.recommendation_accept(actor=world.commune_staff, recommendation=recommendation)
    with pytest.raises(ValidationError):
        report(world, recommendation)
    time_machine.move_to("2026-12-01T06:00+07:00")
    services.recommendation_accept(actor=world.province_manager, recommendation=recommendation)
    recommendation.refresh_from_db()
    obligation = recommendation.obligation
    obligation.refresh_from_db()
    assert recommendation.state == RecommendationState.ACCEPTED
    # Closed on the day the unit reported, not the day the office accepted.
    assert obligation.done_on == recommendation.done_on == date(2026, 11, 20)
    assert obligation.state_on(date(2026, 12, 1)) == State.DONE_ON_TIME
    told = Notification.objects.filter(
        kind=NotificationKind.REC_ACCEPTED, recipient=world.commune_staff
    )
    assert told.count() == 1
    verbs = set(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Recommendation),
            object_id=str(recommendation.pk),
        ).values_list("verb", flat=True)
    )
    assert {"", "report", "accept"} <= verbs


def test_reported_after_the_due_date_it_is_done_late(world, time_machine):
    recommendation, _second = two_recommendations(world, due=date(2026, 11, 30))
    time_machine.move_to("2026-12-05T06:00+07:00")
    report(world, recommendation, day=date(2026, 12, 5))
    services.recommendation_accept(actor=world.province_manager, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation_state(recommendation, date(2026, 12, 5)) == State.DONE_LATE
    assert recommendation.obligation.state_on(date(2026, 12, 5)) == State.DONE_LATE


def test_a_returned_recommendation_stays_open_and_goes_on_being_late(world, time_machine):
    recommendation, _second = two_recommendations(world, due=date(2026, 11, 30))
    report(world, recommendation)
    with pytest.raises(ValidationError) as excinfo:
        services.recommendation_return(
            actor=world.province_manager, recommendation=recommendation, reason=" "
        )
    assert "reason" in errors_of(excinfo)
    services.recommendation_return(
        actor=world.province_manager,
        recommendation=recommendation,
        reason="Chưa có danh sách đảng viên dự hội nghị.",
    )
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.RETURNED
    assert recommendation.obligation.done_on is None
    assert recommendation.obligation.state_on(date(2026, 12, 3)) == State.OVERDUE
    assert recommendation_state(recommendation, date(2026, 12, 3)) == State.OVERDUE
    told = Notification.objects.filter(
        kind=NotificationKind.REC_RETURNED, recipient=world.commune_staff
    )
    assert told.count() == 1 and "danh sách" in told.get().body
    # A returned one cannot be accepted until it is reported again.
    with pytest.raises(ValidationError):
        services.recommendation_accept(actor=world.province_manager, recommendation=recommendation)
    time_machine.move_to("2026-12-03T06:00+07:00")
    services.recommendation_report(
        actor=world.commune_staff,
        recommendation=recommendation,
        report_text="Bổ sung danh sách đảng viên dự.",
        today=date(2026, 12, 3),
    )  # the evidence given before is kept
    services.recommendation_accept(actor=world.province_manager, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.done_on == date(2026, 12, 3)
    assert recommendation.obligation.state_on(date(2026, 12, 3)) == State.DONE_LATE
    assert (
        Notification.objects.filter(
            kind=NotificationKind.REC_REPORTED, recipient=world.province_manager
        ).count()
        == 2
    )


def test_a_recommendation_closes_only_through_acceptance(world):
    recommendation, _second = two_recommendations(world)
    with pytest.raises(ValidationError):
        services.recommendation_accept(actor=world.province_manager, recommendation=recommendation)
    # The database refuses a done date on one not accepted, whatever writes it.
    recommendation.done_on = date(2026, 11, 20)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        recommendation.save(update_fields=["done_on"])


def test_recommendations_are_addressed_below_the_inspecting_unit(world):
    with pytest.raises(ValidationError) as excinfo:
        concluded(
            world.province_manager,
            [world.commune],
            recommendations=[(world.other_commune, "Không thuộc phạm vi.", DUE)],
        )
    assert "recommendations" in errors_of(excinfo)


def test_a_conclusion_follows_the_record(world):
    inspection = announced(world.province_manager, [world.commune])
    with pytest.raises(ValidationError):
        services.conclusion_record(
            actor=world.province_manager,
            inspection=inspection,
            notice_symbol="90-TB/BTGDVTU",
            issued_on=date(2026, 11, 14),
        )
    with pytest.raises(ValidationError) as excinfo:
        services.inspection_record(
            actor=world.province_manager,
            inspection=inspection,
            conducted_on=date(2026, 11, 3),
            today=date(2026, 11, 14),
        )
    assert "record_text" in errors_of(excinfo)


def test_a_shortcoming_names_its_field_of_work(world):
    from tuyengiao.oversight.models import FindingKind

    with pytest.raises(ValidationError):
        concluded(
            world.province_manager,
            [world.commune],
            findings=[(world.commune, None, FindingKind.SHORTCOMING)],
        )
    with pytest.raises(ValidationError):
        concluded(
            world.province_manager,
            [world.commune],
            findings=[(world.commune2, "dan-van", FindingKind.SHORTCOMING)],  # not inspected
        )


# Conferences -----------------------------------------------------------------------------------


def test_a_conference_assigns_tasks_followed_like_recommendations(world):
    conference = services.conference_create(
        actor=world.province_manager,
        unit=world.province,
        kind=ConferenceKind.SPEAKERS,
        held_on=date(2026, 11, 18),
        title="Hội nghị báo cáo viên tháng 11/2026",
        participants=1200,
        connected_points=98,
        conclusions="Các xã tổ chức thông tin thời sự cho đảng viên.",
        tasks=[RecommendationInput(world.commune, "Tổ chức thông tin thời sự.", DUE)],
    )
    assert conference.level == world.province.level
    task = conference.tasks.get()
    assert (
        task.obligation.kind == ObligationKind.FOLLOW_UP and task.obligation.unit == world.commune
    )
    report(world, task)
    services.recommendation_accept(actor=world.province_manager, recommendation=task)
    task.refresh_from_db()
    assert (
        task.state == RecommendationState.ACCEPTED
        and task.done_on == date(2026, 11, 25)
        or (task.done_on == task.reported_on)
    )
    with pytest.raises(ValidationError) as excinfo:
        services.conference_create(
            actor=world.province_manager,
            unit=world.province,
            kind=ConferenceKind.FINAL_REVIEW,
            held_on=date(2026, 12, 1),
            title="Tổng kết",
        )
    assert "held_on" in errors_of(excinfo)


# Restructuring ---------------------------------------------------------------------------------


def test_a_merged_units_open_recommendations_pass_to_its_successor(world):
    recommendation, other = two_recommendations(world)
    report(world, other)
    services.recommendation_accept(actor=world.province_manager, recommendation=other)
    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=date(2026, 11, 20),
    )
    recommendation.refresh_from_db()
    other.refresh_from_db()
    assert recommendation.unit == world.commune2 and recommendation.unit_path == world.commune2.path
    assert recommendation.obligation.unit == world.commune2
    assert other.unit == world.commune  # what is done stays with the old unit


def test_an_office_unit_inspects_with_its_own_level(world):
    # An agency of the province (the Ban) inspecting a cell has the province's 45 days.
    staff = UserFactory(unit=world.office, role=Role.STAFF)
    team = UnitFactory(parent=world.office, name="Tổ công tác", kind=Kind.CELL)
    assert inspect(staff, [team], starts_on=date(2026, 9, 1), ends_on=date(2026, 10, 15))


def test_a_merged_units_self_report_still_owed_passes_to_its_successor(world):
    inspection = announced(
        world.province_manager,
        [world.commune],
        starts_on=date(2026, 11, 23),
        ends_on=date(2026, 12, 4),
        due=date(2026, 11, 27),
    )
    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=date(2026, 11, 20),
    )
    row = inspection.inspected.get()
    assert row.unit == world.commune2 and row.self_report_obligation.unit == world.commune2
    manager2 = UserFactory(unit=world.commune2, role=Role.MANAGER)
    services.self_report_submit(actor=manager2, inspected=row, file=pdf())
    row.refresh_from_db()
    assert row.self_report_obligation.done_on == date(2026, 11, 20)
