"""The figures REST API: same scope, same services, same words as the pages."""

from decimal import Decimal

import pytest
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.figures.conftest import enter
from tuyengiao.audit.models import AuditEntry
from tuyengiao.figures.api import as_typed
from tuyengiao.figures.models import Report, ReportState, Rollup, Value
from tuyengiao.figures.services import report_open
from tuyengiao.periods import Period

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def opened(forms, unit, period="2024-03") -> Report:
    return report_open(actor=None, data_set=forms.monthly, unit=unit, period=Period.parse(period))


def stored(report, code):
    value = Value.objects.filter(
        unit=report.unit, period=report.period, indicator__code=code
    ).first()
    return None if value is None else (value.number, value.text)


def values_url(report) -> str:
    return f"/api/reports/{report.pk}/values/"


# Authentication -----------------------------------------------------------------------------


def test_a_token_authenticates(world, forms):
    report = opened(forms, world.commune)
    token = Token.objects.create(user=world.commune_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/reports/").json()["count"] == 1
    response = client.patch(
        values_url(report), {"version": 0, "values": {"LOP_KH": "3"}}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert client.get("/api/reports/").status_code == 401
    anonymous = APIClient().get(f"/api/reports/{report.pk}/")
    assert anonymous.status_code == 401
    assert "đăng nhập" in anonymous.json()["detail"]


def test_a_session_authenticates_and_writes_need_the_csrf_token(world, forms):
    report = opened(forms, world.commune)
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    response = client.post(
        "/login/",
        {
            "username": "xa",
            "password": "Mat-khau-2026",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert client.get(f"/api/reports/{report.pk}/").json()["unit"] == world.commune.pk
    body = '{"version": 0, "values": {"LOP_KH": "3"}}'
    refused = client.patch(values_url(report), body, content_type="application/json")
    assert refused.status_code == 403
    assert stored(report, "LOP_KH") is None
    response = client.patch(
        values_url(report),
        body,
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 200, response.content
    assert stored(report, "LOP_KH") == (3 * 10_000, "")


# Reading ------------------------------------------------------------------------------------


def test_the_forms_and_indicators_are_read_with_their_rules(world, forms):
    viewer = client_for(world.cell_viewer)
    [form] = viewer.get("/api/data-sets/").json()["results"]
    assert (form["code"], form["period_kind"], form["levels"]) == (
        "BM01",
        "month",
        ["commune", "cell"],
    )
    codes = [i["code"] for i in form["indicators"]]
    assert codes == ["LOP_KH", "LOP_TH", "HV_CHITIEU", "HV_DANGKY", "BCV", "DIEM", "GHI_CHU"]
    assert form["indicators"][1]["planned"] == "LOP_KH"
    assert form["indicators"][0]["planned"] is None
    assert [r["operator"] for r in form["rules"]] == ["<=", "both"]
    assert form["rules"][0]["right"] == "HV_CHITIEU * 1,5"
    tl = forms.indicators["TL_LOP"]
    body = viewer.get(f"/api/indicators/{tl.pk}/").json()
    assert (body["is_derived"], body["numerator"], body["denominator"]) == (
        True,
        "LOP_TH",
        "LOP_KH",
    )
    assert body["factor"] == 100
    listed = viewer.get("/api/indicators/?page_size=100").json()["results"]
    # the forms' 8, and those counted from records
    assert {i["code"] for i in listed} >= set(forms.indicators)
    counted = {i["code"] for i in listed if i["is_counted"]}
    assert len(listed) == 8 + len(counted)
    assert "BCV_BUOI" in counted and "LOP_TH" not in counted


def test_reports_are_read_within_scope_only(world, forms):
    mine = [opened(forms, u) for u in (world.commune, world.commune2, world.cell, world.cell2)]
    theirs = opened(forms, world.other_commune)
    enter(None, forms.monthly, world.cell, "2024-03", LOP_KH="2", GHI_CHU="Mở lớp ở nhà văn hoá")
    neighbour = client_for(world.neighbour)
    assert [r["id"] for r in neighbour.get("/api/reports/").json()["results"]] == [theirs.pk]
    for report in mine:
        response = neighbour.get(f"/api/reports/{report.pk}/")
        assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})
    patch = neighbour.patch(
        values_url(mine[2]), {"version": 0, "values": {"LOP_KH": "9"}}, format="json"
    )
    assert patch.status_code == 404
    assert neighbour.post(f"/api/reports/{mine[2].pk}/submit/").status_code == 404
    assert stored(mine[2], "LOP_KH") == (2 * 10_000, "")
    assert neighbour.get(f"/api/reports/?unit={world.province.pk}").status_code == 404
    # The commune sees itself and its cells; the province manager sees all four.
    staff = client_for(world.commune_staff)
    assert staff.get("/api/reports/").json()["count"] == 3
    assert client_for(world.province_manager).get("/api/reports/").json()["count"] == 4

    body = staff.get(f"/api/reports/{mine[2].pk}/").json()
    assert body["values"] == {
        "LOP_KH": 2,
        "LOP_TH": None,
        "HV_CHITIEU": None,
        "HV_DANGKY": None,
        "BCV": None,
        "DIEM": None,
        "GHI_CHU": "Mở lớp ở nhà văn hoá",
    }
    assert (body["data_set"], body["period"], body["period_label"]) == (
        "BM01",
        "2024-03",
        "Tháng 3/2024",
    )
    assert (body["state"], body["version"], body["submitted_on"]) == ("draft", 1, None)
    assert body["deadline"] == "2024-04-05"
    assert body["deadline_state"] == "overdue"
    assert body["locked_reason"] is None
    # Planned classes without the classes opened: the both-or-neither rule is broken.
    [broken] = body["violations"]
    assert broken["codes"] == ["LOP_TH", "LOP_KH"]


def test_the_report_list_filters(world, forms):
    opened(forms, world.commune, "2024-02")
    opened(forms, world.commune, "2024-03")
    opened(forms, world.cell, "2024-03")
    manager = client_for(world.province_manager)

    def units(query):
        response = manager.get(f"/api/reports/?{query}")
        assert response.status_code == 200, response.content
        return [(r["unit"], r["period"]) for r in response.json()["results"]]

    assert units("period=2024-03") == [(world.commune.pk, "2024-03"), (world.cell.pk, "2024-03")]
    assert units(f"unit={world.cell.pk}") == [(world.cell.pk, "2024-03")]
    assert len(units(f"unit={world.commune.pk}&data_set=BM01")) == 3
    assert units("data_set=BM99") == []
    assert units("state=submitted") == []
    assert len(units("state=draft")) == 3
    bad = manager.get("/api/reports/?period=2024-13")
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.json()["errors"]["period"][0]
    assert manager.get("/api/reports/?state=late").status_code == 400
    assert manager.get("/api/reports/?unit=x").status_code == 400


# Writing ------------------------------------------------------------------------------------


def test_values_are_written_from_vietnamese_strings_and_json_numbers(world, forms):
    report = opened(forms, world.commune)
    staff = client_for(world.commune_staff)
    response = staff.patch(
        values_url(report),
        {
            "version": 0,
            "values": {
                "HV_CHITIEU": "24.193",  # as people type it: twenty-four thousand …
                "HV_DANGKY": 24193,
                "DIEM": 24.193,  # a JSON number is read as written
                "LOP_KH": "1.500",
                "LOP_TH": "1 499",
                "BCV": None,
                "GHI_CHU": "Lớp bồi dưỡng ở xã Hoà An",
            },
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 1
    assert body["values"] == {
        "LOP_KH": 1500,
        "LOP_TH": 1499,
        "HV_CHITIEU": 24193,
        "HV_DANGKY": 24193,
        "BCV": None,
        "DIEM": 24.193,
        "GHI_CHU": "Lớp bồi dưỡng ở xã Hoà An",
    }
    assert body["violations"] == []
    assert stored(report, "HV_CHITIEU") == (24193 * 10_000, "")
    assert stored(report, "DIEM") == (241930, "")
    assert stored(report, "BCV") is None
    # Figures roll up at once, to the province.
    rollup = Rollup.objects.get(
        unit=world.province, indicator=forms.indicators["HV_CHITIEU"], period="2024"
    )
    assert rollup.total == 24193 * 10_000
    # "98,32" and a decimal JSON number with a comma-free text; null clears.
    response = staff.patch(
        values_url(report),
        {"version": 1, "values": {"DIEM": "98,32", "HV_DANGKY": None}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["values"]["DIEM"], response.json()["values"]["HV_DANGKY"]) == (
        98.32,
        None,
    )
    assert response.json()["values"]["LOP_KH"] == 1500  # PATCH leaves the others
    assert stored(report, "HV_DANGKY") is None
    assert AuditEntry.objects.filter(object_id=str(report.pk)).exists()


def test_put_replaces_every_figure_of_the_form(world, forms):
    report = enter(None, forms.monthly, world.commune, "2024-03", LOP_KH="2", LOP_TH="2", BCV="4")
    response = client_for(world.commune_staff).put(
        values_url(report), {"version": 1, "values": {"BCV": 5}}, format="json"
    )
    assert response.status_code == 200, response.content
    values = response.json()["values"]
    assert (values["BCV"], values["LOP_KH"], values["LOP_TH"]) == (5, None, None)
    assert stored(report, "LOP_KH") is None


def test_a_stale_version_is_409_and_nothing_is_written(world, forms):
    report = opened(forms, world.commune)
    first, second = client_for(world.commune_staff), client_for(world.province_manager)
    assert first.get(f"/api/reports/{report.pk}/").json()["version"] == 0
    assert second.get(f"/api/reports/{report.pk}/").json()["version"] == 0
    saved = first.patch(
        values_url(report), {"version": 0, "values": {"LOP_KH": "5"}}, format="json"
    )
    assert saved.status_code == 200
    audited = AuditEntry.objects.count()
    response = second.patch(
        values_url(report), {"version": 0, "values": {"LOP_KH": "7", "BCV": "3"}}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["version"] == 1
    assert body["values"]["LOP_KH"] == 5
    assert "chưa được lưu" in body["detail"]
    assert stored(report, "LOP_KH") == (5 * 10_000, "")
    assert stored(report, "BCV") is None
    report.refresh_from_db()
    assert report.version == 1
    assert AuditEntry.objects.count() == audited
    # Sent again with the version it was told, it goes through.
    again = second.patch(
        values_url(report), {"version": 1, "values": {"LOP_KH": "7"}}, format="json"
    )
    assert (again.status_code, again.json()["version"]) == (200, 2)


def test_bad_input_is_400_per_code_and_nothing_is_written(world, forms):
    report = opened(forms, world.commune)
    staff = client_for(world.commune_staff)
    response = staff.patch(
        values_url(report),
        {
            "version": 0,
            "values": {"LOP_KH": "mười", "HV_DANGKY": "2,5", "DIEM": "7", "KHONG_CO": "1"},
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"LOP_KH", "HV_DANGKY", "KHONG_CO"}
    assert "Không đọc được số" in errors["LOP_KH"][0]
    assert errors["HV_DANGKY"] == ["Chỉ tiêu này nhận số nguyên."]
    assert "KHONG_CO" in errors["KHONG_CO"][0]
    assert stored(report, "DIEM") is None
    report.refresh_from_db()
    assert report.version == 0

    wrong_type = staff.patch(
        values_url(report), {"version": 0, "values": {"LOP_KH": True, "BCV": [1]}}, format="json"
    )
    assert wrong_type.status_code == 400
    assert set(wrong_type.json()["errors"]) == {"LOP_KH", "BCV"}
    assert "số" in wrong_type.json()["errors"]["LOP_KH"][0]
    too_fine = staff.patch(
        values_url(report), {"version": 0, "values": {"DIEM": 0.00001}}, format="json"
    )
    assert "chữ số thập phân" in too_fine.json()["errors"]["DIEM"][0]
    no_version = staff.patch(values_url(report), {"values": {"LOP_KH": "1"}}, format="json")
    assert no_version.status_code == 400
    assert "version" in no_version.json()["errors"]
    assert not Value.objects.exists()


def test_a_json_number_becomes_text_the_form_reads_exactly():
    assert as_typed(24.193) == "24,193"
    assert as_typed(24193) == "24193"
    assert as_typed(-1.5) == "-1,5"
    assert as_typed(1e20) == "100000000000000000000"
    assert as_typed(None) == ""
    with pytest.raises(ValueError):
        as_typed(float("nan"))


def test_a_viewer_gets_403_on_every_write(world, forms):
    report = opened(forms, world.cell)
    viewer = client_for(world.cell_viewer)
    assert viewer.get(f"/api/reports/{report.pk}/").status_code == 200
    response = viewer.patch(
        values_url(report), {"version": 0, "values": {"LOP_KH": "1"}}, format="json"
    )
    assert response.status_code == 403
    assert "không có quyền" in response.json()["detail"]
    assert (
        viewer.put(values_url(report), {"version": 0, "values": {}}, format="json").status_code
        == 403
    )
    for verb in ("submit", "withdraw", "approve", "unlock"):
        assert viewer.post(f"/api/reports/{report.pk}/{verb}/").status_code == 403, verb
    opening = viewer.post(
        "/api/reports/open/",
        {"data_set": "BM01", "unit": world.cell.pk, "period": "2024-04"},
        format="json",
    )
    assert opening.status_code == 403
    assert not Value.objects.exists()
    assert Report.objects.count() == 1
    report.refresh_from_db()
    assert (report.state, report.version) == (ReportState.DRAFT, 0)


# Submitting and approving ------------------------------------------------------------------


def test_submit_is_refused_while_a_rule_is_broken(world, forms):
    report = opened(forms, world.commune)
    staff = client_for(world.commune_staff)
    saved = staff.patch(
        values_url(report),
        {"version": 0, "values": {"HV_CHITIEU": "10", "HV_DANGKY": "16", "LOP_KH": "2"}},
        format="json",
    )
    # A draft may be saved with broken rules; it says which.
    assert saved.status_code == 200
    messages = [v["message"] for v in saved.json()["violations"]]
    assert len(messages) == 2
    response = staff.post(f"/api/reports/{report.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == messages
    report.refresh_from_db()
    assert (report.state, report.submitted_on) == (ReportState.DRAFT, None)
    fixed = staff.patch(
        values_url(report),
        {"version": 1, "values": {"HV_DANGKY": "15", "LOP_TH": "2"}},
        format="json",
    )
    assert fixed.json()["violations"] == []
    submitted = staff.post(f"/api/reports/{report.pk}/submit/")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert (body["state"], body["version"]) == ("submitted", 3)
    assert body["submitted_on"] is not None
    assert body["deadline_state"] == "done_late"
    assert "rút lại" in body["locked_reason"]
    # A sent report is not changed until withdrawn.
    locked = staff.patch(
        values_url(report), {"version": 3, "values": {"LOP_TH": "1"}}, format="json"
    )
    assert locked.status_code == 400
    assert "rút lại" in locked.json()["errors"]["non_field_errors"][0]
    withdrawn = staff.post(f"/api/reports/{report.pk}/withdraw/")
    assert withdrawn.json()["state"] == "draft"
    assert staff.post(f"/api/reports/{report.pk}/withdraw/").status_code == 400


def test_the_province_approves_the_commune_after_its_cells(world, forms):
    reports = {u: opened(forms, u) for u in (world.commune, world.cell, world.cell2)}
    staff = client_for(world.commune_staff)
    for report in reports.values():
        assert staff.post(f"/api/reports/{report.pk}/submit/").status_code == 200
    manager = client_for(world.province_manager)
    commune = reports[world.commune]
    early = manager.post(f"/api/reports/{commune.pk}/approve/")
    assert early.status_code == 400
    message = early.json()["errors"]["non_field_errors"][0]
    assert "Chi bộ thôn Bản Chang" in message and "Chi bộ thôn Nà Pài" in message
    # Staff may not approve, not even the cells below them.
    refused = staff.post(f"/api/reports/{reports[world.cell].pk}/approve/")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    for cell in (world.cell, world.cell2):
        response = manager.post(f"/api/reports/{reports[cell].pk}/approve/")
        assert (response.status_code, response.json()["state"]) == (200, "approved")
    approved = manager.post(f"/api/reports/{commune.pk}/approve/")
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"
    commune.refresh_from_db()
    assert commune.approved_by == world.province_manager

    # Approved figures are locked; unlocking needs a reason, the commune's first.
    version = approved.json()["version"]
    locked = staff.patch(
        values_url(commune), {"version": version, "values": {"BCV": "1"}}, format="json"
    )
    assert locked.status_code == 400
    no_reason = manager.post(f"/api/reports/{commune.pk}/unlock/", {"reason": " "}, format="json")
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["reason"] == ["Hãy ghi lý do mở khoá."]
    cell_first = manager.post(
        f"/api/reports/{reports[world.cell].pk}/unlock/", {"reason": "Sai số lớp"}, format="json"
    )
    assert cell_first.status_code == 400
    assert "mở khoá báo cáo đó trước" in cell_first.json()["errors"]["non_field_errors"][0]
    unlocked = manager.post(
        f"/api/reports/{commune.pk}/unlock/", {"reason": "Nhập nhầm số báo cáo viên"}, format="json"
    )
    assert unlocked.status_code == 200, unlocked.content
    assert (unlocked.json()["state"], unlocked.json()["unlocked"]) == ("draft", True)
    entry = AuditEntry.objects.get(object_id=str(commune.pk), verb="unlock")
    assert "Nhập nhầm số báo cáo viên" in str(entry.after)


def test_opening_a_report(world, forms):
    staff = client_for(world.commune_staff)
    payload = {"data_set": "BM01", "unit": world.cell.pk, "period": "2024-04"}
    response = staff.post("/api/reports/open/", payload, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["unit"], body["period"], body["version"]) == (world.cell.pk, "2024-04", 0)
    assert set(body["values"].values()) == {None}
    again = staff.post("/api/reports/open/", payload, format="json")
    assert again.json()["id"] == body["id"]
    assert Report.objects.count() == 1

    quarter = staff.post("/api/reports/open/", {**payload, "period": "2024Q2"}, format="json")
    assert quarter.status_code == 400
    assert "theo tháng" in quarter.json()["errors"]["non_field_errors"][0]
    bad = staff.post("/api/reports/open/", {**payload, "period": "Q2/2024"}, format="json")
    assert "không hợp lệ" in bad.json()["errors"]["period"][0]
    unknown = staff.post("/api/reports/open/", {**payload, "data_set": "BM99"}, format="json")
    assert "BM99" in unknown.json()["errors"]["data_set"][0]
    outside = staff.post(
        "/api/reports/open/", {**payload, "unit": world.other_cell.pk}, format="json"
    )
    assert outside.status_code == 400
    assert "phạm vi" in outside.json()["errors"]["unit"][0]
    not_owed = client_for(world.province_manager).post(
        "/api/reports/open/", {**payload, "unit": world.province.pk}, format="json"
    )
    assert not_owed.status_code == 400
    assert "không phải báo cáo" in not_owed.json()["errors"]["non_field_errors"][0]
    assert Report.objects.count() == 1


# The roll-up table --------------------------------------------------------------------------


def test_the_table_returns_the_hand_computed_roll_up(world, forms):
    bm = forms.monthly
    enter(None, bm, world.cell, "2024-01", LOP_KH="2", LOP_TH="3", DIEM="8,5")
    enter(None, bm, world.cell, "2024-02", LOP_KH="1", LOP_TH="1", DIEM="9")
    enter(None, bm, world.cell2, "2024-01", LOP_KH="4", LOP_TH="2", DIEM="7")
    enter(None, bm, world.commune2, "2024-03", LOP_KH="10", LOP_TH="13")
    manager = client_for(world.province_manager)
    response = manager.get(
        f"/api/table/?unit={world.province.pk}&indicators=LOP_TH,tl_lop,DIEM&periods=2024Q1"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit"] == {"id": world.province.pk, "name": "Tỉnh A"}
    assert [(c["indicator"], c["period"]) for c in body["columns"]] == [
        ("LOP_TH", "2024Q1"),
        ("TL_LOP", "2024Q1"),
        ("DIEM", "2024Q1"),
    ]
    rows = {r["unit_name"]: r for r in body["rows"]}
    assert [r["unit_name"] for r in body["rows"]] == [
        "Ban Tuyên giáo và Dân vận Tỉnh ủy A",
        "Xã Hoà An",
        "Xã Ngân Sơn",
        "Tỉnh A",
    ]
    assert [r["is_total"] for r in body["rows"]] == [False, False, False, True]
    total = rows["Tỉnh A"]["cells"]
    # 3 + 1 + 2 classes at Hoà An's cells and 13 at Ngân Sơn, against 2 + 1 + 4 + 10 planned
    assert (total[0]["value"], total[0]["planned"]) == (19, 17)
    assert total[0]["rate"] == pytest.approx(19 / 17 * 100)
    assert total[0]["text"] == "19/17, đạt 111,76%"
    assert total[1]["value"] == pytest.approx(19 / 17 * 100)  # derived after aggregation
    assert total[2]["value"] == pytest.approx((8.5 + 9 + 7) / 3)
    hoa_an = rows["Xã Hoà An"]["cells"]
    assert (hoa_an[0]["value"], hoa_an[0]["planned"]) == (6, 7)
    assert hoa_an[1]["value"] == pytest.approx(6 / 7 * 100)
    ngan_son = rows["Xã Ngân Sơn"]["cells"]
    assert (ngan_son[0]["value"], ngan_son[2]["value"]) == (13, None)
    assert rows["Ban Tuyên giáo và Dân vận Tỉnh ủy A"]["cells"][0] == {
        "value": None,
        "planned": None,
        "rate": None,
        "text": "",
    }

    # Months by a range; a value written through the API shows at once.
    report = Report.objects.get(unit=world.commune2, period="2024-03")
    manager.patch(values_url(report), {"version": 1, "values": {"LOP_TH": 14}}, format="json")
    months = manager.get(
        f"/api/table/?unit={world.province.pk}&indicators=LOP_TH&periods=2024-01..2024-03"
    ).json()
    assert [c["period"] for c in months["columns"]] == ["2024-01", "2024-02", "2024-03"]
    assert [c["value"] for c in months["rows"][-1]["cells"]] == [5, 1, 14]


def test_the_table_checks_scope_and_parameters(world, forms):
    staff = client_for(world.commune_staff)
    own = staff.get("/api/table/?indicators=LOP_TH&periods=2024")
    assert own.status_code == 200
    assert own.json()["unit"]["id"] == world.commune.pk  # the user's own unit by default
    outside = staff.get(f"/api/table/?unit={world.province.pk}&indicators=LOP_TH&periods=2024")
    assert (outside.status_code, outside.json()) == (404, {"detail": "Không tìm thấy."})
    assert (
        client_for(world.neighbour)
        .get(f"/api/table/?unit={world.commune.pk}&indicators=LOP_TH&periods=2024")
        .status_code
        == 404
    )
    unknown = staff.get("/api/table/?indicators=LOP_TH,XYZ&periods=2024")
    assert unknown.json()["errors"]["indicators"] == ["Không có chỉ tiêu: XYZ."]
    bad = staff.get("/api/table/?indicators=LOP_TH&periods=2024Q5")
    assert "không hợp lệ" in bad.json()["errors"]["periods"][0]
    backwards = staff.get("/api/table/?indicators=LOP_TH&periods=2024-05..2024-01")
    assert backwards.status_code == 400
    assert staff.get("/api/table/?indicators=LOP_TH").status_code == 400
    huge = staff.get("/api/table/?indicators=LOP_TH,LOP_KH,BCV&periods=1990-01..2024-12")
    assert huge.status_code == 400
    assert "tối đa" in huge.json()["errors"]["non_field_errors"][0]
    endless = staff.get("/api/table/?indicators=LOP_TH&periods=1900-01..1999-12")
    assert "quá dài" in endless.json()["errors"]["periods"][0]


# The schema ---------------------------------------------------------------------------------


def test_the_schema_generates_without_warnings_and_validates(world):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned; see the captured stderr"
    for path in (
        "/api/indicators/",
        "/api/data-sets/{id}/",
        "/api/reports/",
        "/api/reports/{id}/values/",
        "/api/reports/{id}/unlock/",
        "/api/reports/open/",
        "/api/table/",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/reports/{id}/values/"]) == {"put", "patch"}
    response = client_for(world.cell_viewer).get("/api/schema/")
    assert response.status_code == 200
    assert "/api/reports/{id}/values/:" in response.content.decode()


def test_decimal_figures_are_json_numbers(world, forms):
    report = enter(None, forms.monthly, world.commune, "2024-03", DIEM="7,25")
    body = client_for(world.commune_staff).get(f"/api/reports/{report.pk}/").json()
    assert body["values"]["DIEM"] == 7.25
    assert Decimal(str(body["values"]["DIEM"])) == Decimal("7.25")


# Found by schema fuzzing (tests/api/test_fuzz.py) -------------------------------------------


def test_a_text_figure_with_a_nul_character_is_400_by_code_and_nothing_is_written(world, forms):
    report = opened(forms, world.commune)
    response = client_for(world.commune_staff).patch(
        values_url(report), {"version": 0, "values": {"GHI_CHU": "a\x00b"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"GHI_CHU": ["Không được có ký tự null."]}}
    report.refresh_from_db()
    assert report.version == 0


def test_indicators_without_a_plan_or_a_ratio_answer_null_as_the_schema_says(world, forms):
    body = client_for(world.province_manager).get(f"/api/indicators/{forms.indicators['BCV'].pk}/")
    assert (body.json()["planned"], body.json()["numerator"], body.json()["denominator"]) == (
        None,
        None,
        None,
    )
