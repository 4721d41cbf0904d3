"""Approving figures reports: returning one with a comment, the approval list's filters and its
query count, approving several at once only after opening each (figures/views/approvals.py).

BM01 (tests/figures/conftest.py) is owed monthly by Xã Hoà An and its two cells; Tháng 10/2026
is due on 05/11/2026.
"""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.clock import moment, on_day
from tuyengiao.audit.models import AuditEntry
from tuyengiao.deadlines.models import State
from tuyengiao.figures.models import Report, ReportState
from tuyengiao.figures.services import (
    report_approve,
    report_return,
    report_save,
    report_submit,
)
from tuyengiao.notifications.models import Notification, NotificationKind

from .conftest import enter

pytestmark = on_day("2026-11-20")
PERIOD = "2026-10"


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def sent(world, forms, unit, period=PERIOD):
    report = enter(world.commune_staff, forms.monthly, unit, period, LOP_KH="2", LOP_TH="2")
    return report_submit(actor=world.commune_staff, report=report)


def fresh(report) -> Report:
    return Report.objects.select_related("obligation").get(pk=report.pk)


# Services ----------------------------------------------------------------------------------


def test_a_returned_report_keeps_its_first_submission_for_timeliness(world, forms, time_machine):
    time_machine.move_to(moment("2026-11-03"))  # two days before the deadline
    report = sent(world, forms, world.commune)
    time_machine.move_to(moment("2026-11-10"))
    report_return(
        actor=world.province_manager, report=report, comment="Số lớp đã mở chưa khớp sổ sách."
    )
    returned = fresh(report)
    assert returned.state == ReportState.DRAFT
    assert returned.return_comment == "Số lớp đã mở chưa khớp sổ sách."
    # Open for correction, and still counted as sent on time meanwhile.
    assert returned.submitted_on == date(2026, 11, 3)
    assert returned.obligation.state_on(date(2026, 11, 10)) == State.DONE_ON_TIME

    time_machine.move_to(moment("2026-11-20"))  # corrected and sent again after the deadline
    report_save(
        actor=world.commune_staff,
        report=returned,
        entries={"LOP_TH": "3"},
        version=returned.version,
    )
    report_submit(actor=world.commune_staff, report=returned)
    again = fresh(report)
    assert again.state == ReportState.SUBMITTED
    assert again.submitted_on == date(2026, 11, 3)
    assert again.obligation.done_on == date(2026, 11, 3)
    assert again.obligation.state_on(date(2026, 11, 20)) == State.DONE_ON_TIME


def test_a_return_tells_the_unit_once_and_is_audited_with_its_comment(world, forms):
    report = sent(world, forms, world.commune)
    report_return(actor=world.province_manager, report=report, comment="  Thiếu ghi chú  ")

    notes = Notification.objects.filter(kind=NotificationKind.REPORT_RETURNED)
    recipients = list(notes.values_list("recipient__username", flat=True))
    assert "xa" in recipients and len(recipients) == len(set(recipients))
    note = notes.get(recipient=world.commune_staff)
    assert note.title.endswith("Tháng 10/2026 bị trả lại để sửa")
    assert note.body.endswith("Ý kiến: Thiếu ghi chú")
    assert note.url == f"/figures/reports/{report.pk}/"
    entry = AuditEntry.objects.get(verb="return", object_id=str(report.pk))
    assert entry.actor == world.province_manager
    assert entry.after["return_comment"] == "Thiếu ghi chú"
    assert entry.before["state"] == "submitted" and entry.after["state"] == "draft"


def test_a_return_needs_a_comment_a_sent_report_and_a_manager_above(world, forms):
    report = sent(world, forms, world.commune)
    with pytest.raises(ValidationError, match="Hãy ghi ý kiến"):
        report_return(actor=world.province_manager, report=report, comment="   ")
    with pytest.raises(PermissionDenied):
        report_return(actor=world.commune_staff, report=report, comment="Sửa đi")
    report_return(actor=world.province_manager, report=report, comment="Sửa số lớp")
    with pytest.raises(ValidationError, match="Chỉ trả lại được báo cáo đã gửi"):
        report_return(actor=world.province_manager, report=fresh(report), comment="Lần nữa")
    assert Notification.objects.filter(kind=NotificationKind.REPORT_RETURNED).exists()


def test_approving_or_returning_a_version_not_seen_is_refused(world, forms):
    report = sent(world, forms, world.cell)
    seen = report.version
    report.refresh_from_db()
    # withdrawn, corrected and sent again after the manager opened it
    from tuyengiao.figures.services import report_withdraw

    report_withdraw(actor=world.commune_staff, report=report)
    report = fresh(report)
    report_save(
        actor=world.commune_staff, report=report, entries={"LOP_TH": "1"}, version=report.version
    )
    report_submit(actor=world.commune_staff, report=fresh(report))
    with pytest.raises(ValidationError, match="sau khi bạn mở; chưa duyệt"):
        report_approve(actor=world.province_manager, report=report, version=seen)
    with pytest.raises(ValidationError, match="sau khi bạn mở; chưa trả lại"):
        report_return(actor=world.province_manager, report=report, comment="x", version=seen)
    assert fresh(report).state == ReportState.SUBMITTED
    report_approve(actor=world.province_manager, report=report, version=fresh(report).version)
    assert fresh(report).state == ReportState.APPROVED


# Pages -------------------------------------------------------------------------------------


def test_the_return_form_needs_a_comment_and_shows_it_to_the_unit(client, world, forms):
    report = sent(world, forms, world.commune)
    client.force_login(world.province_manager)
    page = client.get(f"/figures/reports/{report.pk}/").content.decode()
    assert "Trả lại để sửa" in page and "Duyệt báo cáo" in page

    response = client.post(f"/figures/reports/{report.pk}/return/", {"comment": " "}, follow=True)
    assert "Hãy ghi ý kiến: đơn vị cần sửa gì." in texts(response)
    assert fresh(report).state == ReportState.SUBMITTED

    response = client.post(
        f"/figures/reports/{report.pk}/return/",
        {"comment": "Số lớp kế hoạch phải là 3.", "version": report.version},
        follow=True,
    )
    assert "Đã trả lại báo cáo để đơn vị sửa; đơn vị đã được báo." in texts(response)
    assert fresh(report).state == ReportState.DRAFT

    client.force_login(world.commune_staff)
    page = client.get(f"/figures/reports/{report.pk}/").content.decode()
    assert "Báo cáo bị trả lại để sửa" in page and "Số lớp kế hoạch phải là 3." in page
    assert "Lưu nháp" in page  # open for correction


def test_the_approval_list_filters_by_unit_form_period_and_state(client, world, forms):
    commune = sent(world, forms, world.commune)
    cell = sent(world, forms, world.cell)
    september = sent(world, forms, world.cell2, period="2026-09")
    report_return(actor=world.province_manager, report=cell, comment="Sai số")
    client.force_login(world.province_manager)

    def listed(**query):
        response = client.get("/figures/approvals/", query)
        assert response.status_code == 200
        return {r.pk for r in response.context["reports"]}

    assert listed() == {commune.pk, september.pk}
    assert listed(period="2026-09") == {september.pk}
    assert listed(unit=world.cell2.pk) == {september.pk}
    assert listed(unit=world.commune2.pk) == set()
    assert listed(state="returned") == {cell.pk}
    assert listed(state="all") == {commune.pk, cell.pk, september.pk}
    assert listed(data_set=forms.monthly.pk, state="approved") == set()
    assert client.get("/figures/approvals/", {"unit": world.other_commune.pk}).status_code == 404
    page = client.get("/figures/approvals/", {"state": "returned"}).content.decode()
    assert "trả lại 20/11/2026" in page


def test_the_approval_list_needs_a_bounded_number_of_queries(
    client, world, forms, django_assert_max_num_queries
):
    sent(world, forms, world.commune)
    client.force_login(world.province_manager)
    with django_assert_max_num_queries(40) as few:
        client.get("/figures/approvals/")
    for period in ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"):
        for unit in (world.commune, world.cell, world.cell2):
            sent(world, forms, unit, period=period)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get("/figures/approvals/")
    assert len(response.context["reports"]) == 19
    assert len(many.captured_queries) == len(few.captured_queries)


def test_several_reports_are_approved_at_once_only_when_opened(client, world, forms):
    cell, cell2 = sent(world, forms, world.cell), sent(world, forms, world.cell2)
    commune = sent(world, forms, world.commune)
    client.force_login(world.province_manager)
    page = client.get("/figures/approvals/").content.decode()
    assert 'name="report"' not in page and page.count("Mở để duyệt") == 3

    for report in (cell, commune):  # cell2 is never opened
        client.get(f"/figures/reports/{report.pk}/")
    page = client.get("/figures/approvals/").content.decode()
    assert f'name="report" value="{cell.pk}"' in page
    assert f'name="report" value="{commune.pk}"' in page
    assert f'name="report" value="{cell2.pk}"' not in page

    response = client.post(
        "/figures/approvals/approve/", {"report": [cell.pk, cell2.pk, commune.pk]}, follow=True
    )
    messages = texts(response)
    assert "Chỉ duyệt cùng lúc được những báo cáo bạn đã mở và xem." in messages
    assert "Đã duyệt 1 báo cáo." in messages
    assert any("Cấp dưới chưa được duyệt hết" in m for m in messages)  # cell2 is waited for
    states = dict(Report.objects.values_list("pk", "state"))
    assert states == {
        cell.pk: ReportState.APPROVED,
        cell2.pk: ReportState.SUBMITTED,
        commune.pk: ReportState.SUBMITTED,
    }


def test_a_report_changed_after_it_was_opened_is_not_approved_in_the_batch(client, world, forms):
    from tuyengiao.figures.services import report_withdraw

    report = sent(world, forms, world.cell)
    client.force_login(world.province_manager)
    client.get(f"/figures/reports/{report.pk}/")
    report_withdraw(actor=world.commune_staff, report=report)
    report_submit(actor=world.commune_staff, report=fresh(report))
    page = client.get("/figures/approvals/").content.decode()
    assert 'name="report"' not in page  # opened at an older version: open it again
    response = client.post("/figures/approvals/approve/", {"report": [report.pk]}, follow=True)
    assert any("sau khi bạn mở; chưa duyệt" in m for m in texts(response))
    assert fresh(report).state == ReportState.SUBMITTED


def test_the_api_approves_the_version_given_and_returns_with_a_comment(client, world, forms):
    report = sent(world, forms, world.cell)
    client.force_login(world.province_manager)
    url = f"/api/reports/{report.pk}/"
    answer = client.post(url + "return/", {"comment": ""}, content_type="application/json")
    assert answer.status_code == 400
    stale = client.post(
        url + "approve/", {"version": report.version - 1}, content_type="application/json"
    )
    assert stale.status_code == 400 and fresh(report).state == ReportState.SUBMITTED
    answer = client.post(
        url + "return/",
        {"comment": "Thiếu số học viên", "version": report.version},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "draft"
    assert answer.json()["return_comment"] == "Thiếu số học viên"
