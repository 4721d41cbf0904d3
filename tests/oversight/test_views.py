"""The oversight pages: each step of an inspection through its form, the recommendation page
(the unit reports with evidence, the office accepts or returns), the roll-up and its
drill-down, recurring shortcomings, the plan, the unit page's panel; errors in Vietnamese on
the page, never a 500."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import on_day
from tests.uploads import html_named, pdf
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.notifications.models import Notification
from tuyengiao.oversight import services
from tuyengiao.oversight.models import (
    Finding,
    Inspection,
    InspectionState,
    Recommendation,
    RecommendationState,
)

from .conftest import area, concluded, conducted, inspect, shortcomings_of

pytestmark = on_day("2026-11-20")


@pytest.fixture
def office(client, world):
    client.force_login(world.province_manager)
    return client


def test_the_nav_and_the_list(office, world):
    inspection = inspect(world.province_manager, [world.commune])
    page = office.get(reverse("oversight:index")).content.decode()
    assert 'href="/oversight/"' in page
    assert inspection.title in page and "Xã Hoà An" in page


def test_an_inspection_is_created_through_its_form_with_errors_in_vietnamese(office, world):
    url = reverse("oversight:inspection_new") + f"?unit={world.province.pk}"
    form = office.get(url)
    assert form.status_code == 200 and "Xã Hoà An" in form.content.decode()
    data = {
        "unit": world.province.pk,
        "kind": "inspection",
        "title": "Kiểm tra việc học tập nghị quyết",
        "content": "Học tập, quán triệt Nghị quyết Đại hội XIV.",
        "units": [world.commune.pk],
        "starts_on": "01/09/2026",
        "ends_on": "20/10/2026",  # 50 days
        "decision": "15-QĐ/BTGDVTU",
        "decision_issued_on": "25/08/2026",
        "members": "Nguyễn Văn An; Phó Trưởng Ban; Trưởng đoàn\nLê Thị Bình; Chuyên viên; Thư ký",
    }
    refused = office.post(url, data)
    assert refused.status_code == 200
    assert "tối đa 45 ngày" in refused.content.decode()
    assert not Inspection.objects.exists()
    data["ends_on"] = "15/10/2026"
    done = office.post(url, data)
    inspection = Inspection.objects.get()
    assert done.status_code == 302 and done["Location"] == inspection.get_absolute_url()
    assert [m.full_name for m in inspection.members.all()] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert inspection.decision.symbol == "15-QĐ/BTGDVTU"
    bad = dict(data, members="Trần Văn C; Chuyên viên; Đội trưởng", decision="")
    assert "Đội trưởng" in office.post(url, bad).content.decode()


def test_announce_record_and_conclude_through_the_pages(office, world, client):
    inspection = inspect(world.province_manager, [world.commune])
    announce = reverse("oversight:inspection_announce", args=[inspection.pk])
    assert "Hạn nộp" in office.post(announce, {"self_report_due_on": "31/02/2026"}).content.decode()
    response = office.post(announce, {"self_report_due_on": "10/11/2026"})
    assert response.status_code == 200 and "quá khứ" in response.content.decode()
    # the frozen day is 20/11; make the inspection later to announce it now
    services.inspection_update(
        actor=world.province_manager,
        inspection=inspection,
        starts_on=date(2026, 11, 23),
        ends_on=date(2026, 12, 4),
    )
    assert office.post(announce, {"self_report_due_on": "21/11/2026"}).status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.ANNOUNCED

    # the commune uploads its self-report from the inspection page
    client.force_login(world.commune_staff)
    page = client.get(inspection.get_absolute_url()).content.decode()
    row = inspection.inspected.get()
    upload = reverse("oversight:self_report", args=[row.pk])
    assert upload in page
    refused = client.post(upload, {"self_report": html_named()})
    assert "không phải" in refused.content.decode()
    assert client.post(upload, {"self_report": pdf()}).status_code == 302
    row.refresh_from_db()
    assert row.self_report_obligation.done_on == date(2026, 11, 20)
    file = client.get(reverse("oversight:self_report_file", args=[row.pk]))
    assert file.status_code == 200 and file["Content-Disposition"].startswith("attachment")
    office.force_login(world.province_manager)
    assert office.get(reverse("oversight:self_report_file", args=[row.pk])).status_code == 200


def test_the_conclusion_form_warns_of_a_field_named_before_and_assigns(office, world):
    shortcomings_of(world, date(2025, 3, 1), "dan-van")
    inspection = conducted(world.province_manager, [world.commune])
    url = reverse("oversight:inspection_conclude", args=[inspection.pk])
    page = office.get(url).content.decode()
    assert 'id="recurring-warning"' in page and "Dân vận" in page
    assert "sẽ là hạn chế lặp lại" in page  # marked in the list of fields itself
    data = {
        "notice": "20-TB/BTGDVTU",
        "notice_issued_on": "20/11/2026",
        "results": "Cơ bản hoàn thành.",
        "findings-TOTAL_FORMS": "2",
        "findings-INITIAL_FORMS": "2",
        "findings-0-unit": world.commune.pk,
        "findings-0-kind": "shortcoming",
        "findings-0-area": area("dan-van").pk,
        "findings-0-text": "Công tác dân vận chưa sâu.",
        "findings-1-unit": world.commune.pk,
        "findings-1-kind": "shortcoming",
        "findings-1-area": "",
        "findings-1-text": "",
        "recommendations-TOTAL_FORMS": "2",
        "recommendations-INITIAL_FORMS": "2",
        "recommendations-0-unit": world.commune.pk,
        "recommendations-0-text": "Xây dựng kế hoạch dân vận năm 2027.",
        "recommendations-0-due_on": "",
        "recommendations-1-unit": world.commune.pk,
        "recommendations-1-text": "",
    }
    missing_due = office.post(url, data)
    assert "Hãy nhập hạn thực hiện" in missing_due.content.decode()
    more = office.post(url, dict(data, more="findings"))
    assert 'name="findings-5-text"' in more.content.decode()
    assert "Công tác dân vận chưa sâu." in more.content.decode()
    data["recommendations-0-due_on"] = "31/12/2026"
    assert office.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.CONCLUDED
    assert Finding.objects.filter(conclusion__inspection=inspection).count() == 1
    recommendation = Recommendation.objects.get(conclusion__inspection=inspection)
    assert recommendation.obligation.kind == ObligationKind.FOLLOW_UP
    page = office.get(inspection.get_absolute_url()).content.decode()
    assert "lặp lại" in page and recommendation.text in page


def test_the_unit_reports_and_the_office_accepts_or_returns(client, world):
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[(world.commune, "Kiện toàn báo cáo viên.", date(2026, 12, 15))],
    )
    recommendation = conclusion.recommendations.get()
    url = recommendation.get_absolute_url()
    client.force_login(world.commune_staff)
    page = client.get(url).content.decode()
    assert "Báo cáo kết quả thực hiện" in page and "Công nhận" not in page
    report = reverse("oversight:recommendation_report", args=[recommendation.pk])
    refused = client.post(report, {"report_text": "Đã kiện toàn."})
    assert refused.status_code == 400 and "tài liệu chứng minh" in refused.content.decode()
    accept = reverse("oversight:recommendation_accept", args=[recommendation.pk])
    assert client.post(accept).status_code == 403
    sent = client.post(report, {"report_text": "Đã kiện toàn.", "evidence": pdf()})
    assert sent.status_code == 302
    assert client.get(reverse("oversight:evidence", args=[recommendation.pk])).status_code == 200

    client.force_login(world.province_manager)
    page = client.get(url).content.decode()
    assert "Công nhận hoàn thành" in page and "Trả lại" in page
    back = reverse("oversight:recommendation_return", args=[recommendation.pk])
    assert "Lý do trả lại" in client.post(back, {"reason": ""}).content.decode()
    assert client.post(back, {"reason": "Thiếu quyết định kiện toàn."}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.RETURNED
    assert client.post(accept).status_code == 302  # refused with a message, nothing changes
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.RETURNED

    client.force_login(world.commune_staff)
    assert "Thiếu quyết định" in client.get(url).content.decode()
    client.post(report, {"report_text": "Bổ sung quyết định."})
    client.force_login(world.province_manager)
    assert client.post(accept).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.ACCEPTED
    assert recommendation.obligation.done_on == date(2026, 11, 20)
    assert Notification.objects.filter(recipient=world.commune_staff).count() >= 3


def test_the_matrix_and_its_drill_down(office, world):
    conclusion = concluded(
        world.province_manager,
        [world.commune, world.commune2],
        recommendations=[
            (world.commune, "Một", date(2026, 12, 15)),
            (world.commune2, "Hai", date(2026, 12, 15)),
        ],
    )
    page = office.get(reverse("oversight:matrix") + f"?unit={world.province.pk}")
    text = page.content.decode()
    assert 'id="matrix"' in text and "Xã Hoà An" in text and "Xã Ngân Sơn" in text
    drill = office.get(
        reverse("oversight:recommendations") + f"?unit={world.commune.pk}&state=pending"
    ).content.decode()
    assert "Một" in drill and "Hai" not in drill
    bad = office.get(reverse("oversight:matrix") + "?since=32/13/2026")
    assert bad.status_code == 200 and 'role="alert"' in bad.content.decode()
    assert conclusion


def test_recurring_shortcomings_page_and_setting(office, world):
    shortcomings_of(world, date(2025, 3, 1), "dan-van")
    shortcomings_of(world, date(2026, 6, 1), "dan-van")
    url = reverse("oversight:recurring") + f"?unit={world.province.pk}"
    text = office.get(url).content.decode()
    assert "Dân vận" in text and "Xã Hoà An" in text
    settings_url = reverse("oversight:settings")
    office.post(settings_url, {"unit": world.province.pk, "recurrence_years": "1"})
    assert "Không có hạn chế lặp lại" in office.get(url).content.decode()
    office.post(settings_url, {"unit": world.province.pk, "recurrence_years": "99"})
    assert "1 năm" in office.get(url).content.decode()


def test_the_unit_page_shows_its_inspections_and_open_recommendations(office, world):
    concluded(
        world.province_manager,
        [world.commune],
        recommendations=[(world.commune, "Kiện toàn báo cáo viên.", date(2026, 12, 15))],
    )
    text = office.get(reverse("org:unit", args=[world.commune.pk])).content.decode()
    assert 'id="unit-oversight"' in text and "Kiện toàn báo cáo viên." in text


def test_the_plan_pages(office, world):
    url = reverse("oversight:plans") + f"?unit={world.province.pk}"
    assert office.post(url, {"unit": world.province.pk, "year": "2026"}).status_code == 302
    plan = world.province.inspection_plans.get()
    add = reverse("oversight:plan_item_add", args=[plan.pk])
    refused = office.post(add, {"kind": "survey", "content": "", "planned_month": "3"})
    assert refused.status_code == 200 and "field has-error" in refused.content.decode()
    office.post(
        add,
        {
            "kind": "survey",
            "units": [world.commune.pk],
            "content": "Khảo sát tư tưởng",
            "planned_month": "3",
        },
    )
    item = plan.items.get()
    conducted(world.province_manager, [world.commune], plan_item=item)
    text = office.get(plan.get_absolute_url()).content.decode()
    assert "Đã thực hiện 1/1 cuộc theo kế hoạch, đạt 100%" in text


def test_the_unit_page_flags_the_units_recurring_shortcomings(office, world):
    shortcomings_of(world, date(2025, 3, 1), "dan-van")
    shortcomings_of(world, date(2026, 6, 1), "dan-van")
    text = office.get(reverse("org:unit", args=[world.commune.pk])).content.decode()
    assert 'id="unit-recurring"' in text and "Dân vận" in text
    text = office.get(reverse("org:unit", args=[world.commune2.pk])).content.decode()
    assert 'id="unit-recurring"' not in text
