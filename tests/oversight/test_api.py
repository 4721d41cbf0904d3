"""The oversight API: an inspection from plan to conclusion, a recommendation reported with
evidence, accepted or returned, conferences and their tasks — through the services, under the
pages' scope, errors in the one shape and in Vietnamese."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import error_problems
from tests.clock import on_day
from tests.uploads import html_named, pdf
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.oversight.models import (
    Conference,
    Inspection,
    InspectionState,
    PlanItem,
    Recommendation,
    RecommendationState,
)

from .conftest import concluded, conducted, inspect

pytestmark = on_day("2026-11-20")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def office(world):
    return api(world.province_manager)


@pytest.fixture
def commune(world):
    return api(world.commune_staff)


def errors_of(response) -> dict:
    body = response.json()
    assert not error_problems(response.status_code, response["Content-Type"], body), body
    return body.get("errors") or {"detail": body.get("detail")}


def test_work_areas_are_listed_by_code(office):
    areas = office.get("/api/work-areas/").json()
    assert {"code": "dan-van", "name": "Dân vận"} in areas


def test_a_plan_with_items_and_its_progress(office, world):
    created = office.post("/api/inspection-plans/", {"unit": world.province.pk, "year": 2026})
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["title"] == "Kế hoạch kiểm tra, giám sát năm 2026"
    assert plan["progress"] == {"done": 0, "total": 0, "percent": None}
    item = office.post(
        f"/api/inspection-plans/{plan['id']}/items/",
        {
            "kind": "inspection",
            "units": [world.commune.pk],
            "content": "Học tập nghị quyết",
            "planned_month": 11,
        },
        format="json",
    )
    assert item.status_code == 201, item.json()
    outside = office.post(
        f"/api/inspection-plans/{plan['id']}/items/",
        {
            "kind": "inspection",
            "units": [world.other_commune.pk],
            "content": "x",
            "planned_month": 11,
        },
        format="json",
    )
    assert outside.status_code == 400
    assert "units" in errors_of(outside)
    item = PlanItem.objects.get(pk=item.json()["id"])
    conducted(world.province_manager, [world.commune], plan_item=item)
    detail = office.get(f"/api/inspection-plans/{plan['id']}/").json()
    assert detail["progress"] == {"done": 1, "total": 1, "percent": 100.0}
    assert detail["items"][0]["carried_out"] is True
    listed = office.get("/api/inspection-plans/", {"unit": world.province.pk, "year": 2026})
    assert [p["id"] for p in listed.json()["results"]] == [plan["id"]]


INSPECTION = {
    "kind": "inspection",
    "title": "Kiểm tra công tác tuyên giáo",
    "content": "Học tập, quán triệt nghị quyết; tuyên truyền miệng.",
    "starts_on": "16/11/2026",
    "ends_on": "2026-11-27",
    "members": [
        {"full_name": "Nguyễn Văn An", "position": "Phó Trưởng Ban", "duty": "head"},
        {"full_name": "Lê Thị Bình", "position": "Chuyên viên"},
    ],
    "decision": "15-QĐ/BTGDVTU",
    "decision_issued_on": "2026-11-10",
}


def test_an_inspection_from_creation_to_conclusion(office, commune, world):
    data = {**INSPECTION, "unit": world.province.pk, "units": [world.commune.pk]}
    too_long = office.post("/api/inspections/", {**data, "ends_on": "2027-01-31"}, format="json")
    assert too_long.status_code == 400
    assert "tối đa 45 ngày" in errors_of(too_long)["ends_on"][0]
    too_far = office.post(
        "/api/inspections/",
        {**data, "period_from": "2019-01-01", "period_to": "2025-12-31"},
        format="json",
    )
    assert "tối đa 5 năm" in errors_of(too_far)["period_from"][0]
    created = office.post("/api/inspections/", data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "preparing" and body["decision_symbol"] == "15-QĐ/BTGDVTU"
    assert [m["duty"] for m in body["members"]] == ["head", "member"]
    assert [row["unit"] for row in body["inspected"]] == [world.commune.pk]
    pk = body["id"]

    # the commune sees it, may not announce it (403), and owes its self-report once announced
    assert commune.get(f"/api/inspections/{pk}/").status_code == 200
    refused = commune.post(f"/api/inspections/{pk}/announce/", {"self_report_due_on": "2026-11-25"})
    assert refused.status_code == 403
    announced = office.post(
        f"/api/inspections/{pk}/announce/", {"self_report_due_on": "25/11/2026"}
    )
    assert announced.status_code == 200, announced.json()
    assert announced.json()["inspected"][0]["self_report_state"] == "pending"
    assert Obligation.objects.get(unit=world.commune, kind=ObligationKind.SELF_REPORT)
    impostor = commune.post(
        f"/api/inspections/{pk}/self-report/", {"file": html_named()}, format="multipart"
    )
    assert impostor.status_code == 400 and "self_report" in errors_of(impostor)
    uploaded = commune.post(
        f"/api/inspections/{pk}/self-report/", {"file": pdf()}, format="multipart"
    )
    assert uploaded.status_code == 200, uploaded.json()
    row = uploaded.json()["inspected"][0]
    assert row["has_self_report"] and row["self_report_state"] == "done_on_time"

    recorded = office.post(
        f"/api/inspections/{pk}/record/",
        {"conducted_on": "2026-11-10", "record_text": "Đoàn làm việc với Đảng ủy xã."},
    )
    assert recorded.status_code == 400  # 10/11 is before the inspection began
    assert "conducted_on" in errors_of(recorded)
    recorded = office.post(
        f"/api/inspections/{pk}/record/",
        {"conducted_on": "2026-11-18", "record_file": pdf("bien-ban.pdf")},
        format="multipart",
    )
    assert recorded.status_code == 200 and recorded.json()["state"] == "conducted"
    assert office.get(recorded.json()["record_file"]).status_code == 200

    conclusion = {
        "notice": "20-TB/BTGDVTU",
        "issued_on": "2026-11-20",
        "results": "Cơ bản hoàn thành.",
        "findings": [
            {"unit": world.commune.pk, "kind": "result", "text": "Học tập đầy đủ."},
            {"unit": world.commune.pk, "kind": "shortcoming", "text": "Tuyên truyền miệng yếu."},
        ],
        "recommendations": [
            {"unit": world.commune.pk, "text": "Kiện toàn báo cáo viên.", "due_on": "2026-12-31"},
            {
                "unit": world.commune.pk,
                "text": "Tổ chức hội nghị.",
                "due_on": "2027-01-31",
                "area": "dan-van",
            },
        ],
    }
    no_area = office.post(f"/api/inspections/{pk}/conclude/", conclusion, format="json")
    assert no_area.status_code == 400
    assert "lĩnh vực" in errors_of(no_area)["findings"][0]
    conclusion["findings"][1]["area"] = "tuyen-truyen-mieng"
    unknown = office.post(
        f"/api/inspections/{pk}/conclude/",
        {**conclusion, "findings": [{**conclusion["findings"][1], "area": "khong-co"}]},
        format="json",
    )
    assert "findings.0.area" in errors_of(unknown)
    done = office.post(f"/api/inspections/{pk}/conclude/", conclusion, format="json")
    assert done.status_code == 201, done.json()
    body = done.json()
    assert body["notice"] == "20-TB/BTGDVTU"
    assert [r["number"] for r in body["recommendations"]] == [1, 2]
    assert {r["state"] for r in body["recommendations"]} == {"pending"}
    assert Inspection.objects.get(pk=pk).state == InspectionState.CONCLUDED
    detail = commune.get(f"/api/conclusions/{body['id']}/").json()
    assert [f["recurring"] for f in detail["findings"]] == [False, False]
    assert office.get(f"/api/inspections/{pk}/").json()["conclusion"] == body["id"]


def test_a_recommendation_is_reported_with_evidence_then_accepted_or_returned(
    office, commune, world
):
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[
            (world.commune, "Kiện toàn đội ngũ báo cáo viên", date(2026, 12, 15)),
            (world.commune, "Tổ chức hội nghị chuyên đề", date(2026, 11, 25)),
        ],
    )
    first, second = conclusion.recommendations.order_by("number")
    url = f"/api/recommendations/{first.pk}/"
    without = commune.post(url + "report/", {"report_text": "Đã kiện toàn."})
    assert without.status_code == 400 and "evidence" in errors_of(without)
    assert office.post(url + "accept/").status_code == 400  # nothing reported yet
    reported = commune.post(
        url + "report/", {"report_text": "Đã kiện toàn.", "evidence": pdf()}, format="multipart"
    )
    assert reported.status_code == 200, reported.json()
    assert reported.json()["status"] == "reported" and reported.json()["evidence"]
    assert commune.post(url + "accept/").status_code == 403  # only the issuing office decides
    accepted = office.post(url + "accept/")
    assert accepted.status_code == 200
    assert accepted.json()["state"] == "done_on_time"
    assert accepted.json()["done_on"] == "2026-11-20"
    assert office.get(accepted.json()["evidence"]).status_code == 200

    url = f"/api/recommendations/{second.pk}/"
    commune.post(
        url + "report/", {"report_text": "Đã tổ chức.", "evidence": pdf()}, format="multipart"
    )
    no_reason = office.post(url + "return/", {"reason": " "})
    assert no_reason.status_code == 400 and errors_of(no_reason)
    returned = office.post(url + "return/", {"reason": "Chưa có biên bản hội nghị."})
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned" and returned.json()["done_on"] is None

    listed = office.get("/api/recommendations/", {"unit": world.commune.pk, "open": "1"})
    assert [r["id"] for r in listed.json()["results"]] == [second.pk]
    done = office.get("/api/recommendations/", {"state": "done_on_time"}).json()["results"]
    assert [r["id"] for r in done] == [first.pk]
    status = office.get("/api/recommendations/", {"status": "returned"}).json()["results"]
    assert [r["id"] for r in status] == [second.pk]
    assert office.get("/api/recommendations/", {"state": "late"}).status_code == 400
    assert Recommendation.objects.get(pk=second.pk).state == RecommendationState.RETURNED


@on_day("2026-12-20")
def test_a_returned_recommendation_stays_late(office, world):
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[(world.commune, "Kiện toàn", date(2026, 12, 1))],
        today=date(2026, 11, 20),
    )
    rec = conclusion.recommendations.get()
    api(world.commune_staff).post(
        f"/api/recommendations/{rec.pk}/report/",
        {"report_text": "Đã làm.", "evidence": pdf()},
        format="multipart",
    )
    office.post(f"/api/recommendations/{rec.pk}/return/", {"reason": "Thiếu tài liệu."})
    body = office.get(f"/api/recommendations/{rec.pk}/").json()
    assert body["state"] == "overdue" and body["status"] == "returned"


def test_scope_a_neighbouring_commune_sees_nothing(world):
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[(world.commune, "Kiện toàn", date(2026, 12, 15))],
    )
    inspection = conclusion.inspection
    rec = conclusion.recommendations.get()
    from tests.factories import UserFactory
    from tuyengiao.org.models import Role

    sibling = api(UserFactory(username="xa2", unit=world.commune2, role=Role.MANAGER))
    neighbour = api(world.neighbour)
    for client in (sibling, neighbour):
        for url in (
            f"/api/inspections/{inspection.pk}/",
            f"/api/conclusions/{conclusion.pk}/",
            f"/api/recommendations/{rec.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        post = client.post(f"/api/recommendations/{rec.pk}/report/", {"report_text": "x"})
        assert post.status_code == 404
        assert client.get("/api/inspections/").json()["results"] == []
        assert client.get("/api/recommendations/").json()["results"] == []
    assert neighbour.get("/api/inspections/", {"unit": world.commune.pk}).status_code == 404


def test_an_inspected_unit_sees_only_its_own_findings_and_recommendations(world):
    conclusion = concluded(
        world.province_manager,
        [world.commune, world.commune2],
        findings=[
            (world.commune, "dan-van", "shortcoming"),
            (world.commune2, "khoa-giao", "shortcoming"),
        ],
        recommendations=[
            (world.commune, "Việc của Hoà An", date(2026, 12, 15)),
            (world.commune2, "Việc của Ngân Sơn", date(2026, 12, 15)),
        ],
    )
    mine = api(world.commune_staff).get(f"/api/conclusions/{conclusion.pk}/").json()
    assert {f["unit"] for f in mine["findings"]} == {world.commune.pk}
    assert [r["text"] for r in mine["recommendations"]] == ["Việc của Hoà An"]
    everything = api(world.province_manager).get(f"/api/conclusions/{conclusion.pk}/").json()
    assert len(everything["findings"]) == 2 and len(everything["recommendations"]) == 2


def test_recurring_shortcomings_are_flagged_in_the_conclusion(office, world):
    for day in (date(2025, 3, 1), date(2026, 3, 1)):
        concluded(
            world.province_manager,
            [world.commune],
            starts_on=day,
            ends_on=day.replace(day=5),
            issued_on=day.replace(day=10),
            findings=[(world.commune, "dan-van", "shortcoming")],
        )
    latest = office.get("/api/conclusions/").json()["results"][0]
    assert latest["findings"][0]["recurring"] is None  # the list leaves it out
    detail = office.get(f"/api/conclusions/{latest['id']}/").json()
    assert detail["findings"][0]["recurring"] is True


def test_a_viewer_writes_nothing(world):
    viewer = api(world.cell_viewer)
    inspection = inspect(world.commune_staff, [world.cell])
    assert viewer.get(f"/api/inspections/{inspection.pk}/").status_code == 200
    refused = viewer.post(
        f"/api/inspections/{inspection.pk}/announce/", {"self_report_due_on": "2026-11-25"}
    )
    assert refused.status_code == 403 and errors_of(refused)["detail"]
    assert (
        viewer.post("/api/inspection-plans/", {"unit": world.cell.pk, "year": 2026}).status_code
        == 403
    )


def test_conferences_with_documents_and_tasks(office, commune, world):
    from tuyengiao.directives.services import directive_register

    document = directive_register(
        actor=None, unit=world.province, symbol="01-KL/TW", issued_on=date(2021, 5, 18), title="KL"
    )
    hidden = directive_register(
        actor=None,
        unit=world.other_province,
        symbol="02-KL/TW",
        issued_on=date(2021, 5, 18),
        title="Của tỉnh khác",
    )
    data = {
        "unit": world.province.pk,
        "kind": "speakers",
        "held_on": "18/11/2026",
        "title": "Hội nghị báo cáo viên tháng 11",
        "participants": 350,
        "connected_points": 93,
        "documents": [document.pk],
        "conclusions": "Tiếp tục tuyên truyền Nghị quyết.",
        "tasks": [
            {"unit": world.commune.pk, "text": "Tổ chức tuyên truyền", "due_on": "2026-12-31"}
        ],
    }
    outside = office.post("/api/conferences/", {**data, "documents": [hidden.pk]}, format="json")
    assert outside.status_code == 400 and "documents" in errors_of(outside)
    future = office.post("/api/conferences/", {**data, "held_on": "2026-12-01"}, format="json")
    assert "held_on" in errors_of(future)
    created = office.post("/api/conferences/", data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["documents"] == [{"id": document.pk, "symbol": "01-KL/TW", "title": "KL"}]
    assert (
        body["tasks"][0]["origin"] == "conference"
        and body["tasks"][0]["issuer"] == world.province.pk
    )
    more = office.post(
        f"/api/conferences/{body['id']}/tasks/",
        {"tasks": [{"unit": world.commune2.pk, "text": "Báo cáo kết quả", "due_on": "2027-01-15"}]},
        format="json",
    )
    assert more.status_code == 201
    assert [t["number"] for t in more.json()["tasks"]] == [1, 2]
    assert (
        office.post(
            f"/api/conferences/{body['id']}/tasks/", {"tasks": []}, format="json"
        ).status_code
        == 400
    )
    task = Conference.objects.get().tasks.get(number=1)
    # the task is followed as a recommendation: the commune reports on it
    reported = commune.post(
        f"/api/recommendations/{task.pk}/report/",
        {"report_text": "Đã tổ chức 12 buổi.", "evidence": pdf()},
        format="multipart",
    )
    assert reported.status_code == 200
    listed = office.get("/api/conferences/", {"kind": "speakers", "year": 2026}).json()["results"]
    assert [c["id"] for c in listed] == [body["id"]]
    assert office.get("/api/conferences/", {"kind": "x"}).status_code == 400
    # the commune does not see the province's conference (a conference is its unit's)
    assert commune.get(f"/api/conferences/{body['id']}/").status_code == 404
