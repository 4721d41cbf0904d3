from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.clock import on_day
from tuyengiao.deadlines.models import State
from tuyengiao.directives.api import RecordInput
from tuyengiao.directives.models import Assignment, Directive, Dispatch, Step, StepKind
from tuyengiao.directives.services import EVIDENCE_FIELDS, StepPlan, directive_send

PLAN = [
    {"kind": "plan", "days_after": 15},
    {"kind": "study", "due_on": "2026-04-01"},
    {"kind": "interim_review", "months_after": 24},
]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def kl01(world):
    response = client_for(world.province_manager).post(
        "/api/directives/",
        {
            "unit": world.province.pk,
            "symbol": "Kết luận số 01-KL/TƯ",
            "issued_on": "18/5/2021",
            "title": "Tiếp tục thực hiện Chỉ thị 05-CT/TW",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return Directive.objects.get(pk=response.json()["id"])


@pytest.fixture
def sent(world, kl01):
    directive_send(
        actor=None,
        directive=kl01,
        sender=world.province,
        receivers=[world.commune, world.commune2],
        plan=[StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, days_after=30)],
        sent_on=date(2026, 3, 2),
    )
    return kl01


def test_registering_reads_the_messy_symbol(world, kl01):
    body = client_for(world.province_manager).get(f"/api/directives/{kl01.pk}/").json()
    assert (body["symbol"], body["term"], body["issued_on"]) == ("01-KL/TW", "XIII", "2021-05-18")
    assert body["counts"] == {
        "assigned": 0,
        "steps": 0,
        "done_on_time": 0,
        "done_late": 0,
        "pending": 0,
        "overdue": 0,
    }


def test_a_duplicate_is_refused_with_the_existing_document(world, kl01):
    response = client_for(world.province_manager).post(
        "/api/directives/",
        {"unit": world.province.pk, "symbol": "1-KL/TW", "issued_on": "2021-06-01", "title": "x"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["existing"] == kl01.pk
    assert "đã được vào sổ" in body["errors"]["symbol"][0]
    assert Directive.objects.count() == 1


def test_a_symbol_that_does_not_parse_is_explained_in_vietnamese(world):
    response = client_for(world.province_manager).post(
        "/api/directives/",
        {"unit": world.province.pk, "symbol": "KL/TW", "issued_on": "18/5/2021", "title": "x"},
        format="json",
    )
    assert response.status_code == 400
    [message] = response.json()["errors"]["symbol"]
    assert "số" in message.lower()
    bad_date = client_for(world.province_manager).post(
        "/api/directives/",
        {"unit": world.province.pk, "symbol": "01-KL/TW", "issued_on": "31/2/2021", "title": "x"},
        format="json",
    )
    assert bad_date.status_code == 400
    assert "dd/mm/yyyy" in bad_date.json()["errors"]["issued_on"][0]


def test_the_list_filters_and_shows_what_was_received(world, kl01, sent):
    manager = client_for(world.province_manager)
    assert manager.get("/api/directives/?q=01-KL/TƯ").json()["count"] == 1
    assert manager.get("/api/directives/?q=Chỉ thị 05").json()["count"] == 1
    assert manager.get("/api/directives/?q=99-NQ/TW").json()["count"] == 0
    assert manager.get(f"/api/directives/?unit={world.commune.pk}").json()["count"] == 0
    # Registered at the province, received by the commune: the commune sees it too.
    body = client_for(world.commune_staff).get("/api/directives/").json()
    assert [d["symbol"] for d in body["results"]] == ["01-KL/TW"]
    assert client_for(world.neighbour).get("/api/directives/").json()["count"] == 0


def test_sending_to_all_communes_by_level(world, kl01):
    response = client_for(world.province_manager).post(
        f"/api/directives/{kl01.pk}/send/",
        {
            "sender": world.province.pk,
            "levels": ["commune"],
            "kinds": ["committee"],
            "plan": PLAN,
            "sent_on": "02/03/2026",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["assigned"], body["already"]) == (2, 0)
    assert Dispatch.objects.get().pk == body["dispatch"]
    assert Step.objects.filter(unit=world.commune).count() == 3
    counts = client_for(world.province_manager).get(f"/api/directives/{kl01.pk}/").json()["counts"]
    assert (counts["assigned"], counts["steps"]) == (2, 6)
    # The commune counts only its own subtree.
    counts = client_for(world.commune_staff).get(f"/api/directives/{kl01.pk}/").json()["counts"]
    assert (counts["assigned"], counts["steps"]) == (1, 3)


def test_a_bad_plan_is_explained(world, kl01):
    response = client_for(world.province_manager).post(
        f"/api/directives/{kl01.pk}/send/",
        {"sender": world.province.pk, "receivers": [world.commune.pk], "plan": [{"kind": "plan"}]},
        format="json",
    )
    assert response.status_code == 400
    assert "thời hạn" in response.json()["errors"]["non_field_errors"][0]
    assert not Assignment.objects.exists()


def test_a_receiver_outside_scope_is_refused_and_nothing_is_created(world, kl01):
    manager = client_for(world.province_manager)
    url = f"/api/directives/{kl01.pk}/send/"
    payload = {"sender": world.province.pk, "plan": PLAN}
    response = manager.post(
        url, {**payload, "receivers": [world.commune.pk, world.other_commune.pk]}, format="json"
    )
    assert response.status_code in {400, 404}
    assert str(world.other_commune.pk) in response.json()["errors"]["receivers"][0]
    # In the user's scope but not under the sender: the service refuses it.
    staff = client_for(world.commune_staff)
    response = staff.post(
        url,
        {**payload, "sender": world.commune.pk, "receivers": [world.commune2.pk]},
        format="json",
    )
    assert response.status_code in {400, 404}
    # A sender outside the user's scope does not exist for them.
    response = manager.post(
        url, {**payload, "sender": world.other_province.pk, "levels": ["commune"]}, format="json"
    )
    assert response.status_code == 400
    assert "phạm vi" in response.json()["errors"]["sender"][0]
    assert not Dispatch.objects.exists()
    assert not Assignment.objects.exists()


def test_the_neighbour_gets_404_on_the_directive_and_on_a_step(world, sent):
    neighbour = client_for(world.neighbour)
    step = Step.objects.filter(unit=world.commune).first()
    response = neighbour.get(f"/api/directives/{sent.pk}/")
    assert (response.status_code, response.json()) == (404, {"detail": "Không tìm thấy."})
    assert neighbour.get(f"/api/steps/{step.pk}/").status_code == 404
    response = neighbour.post(
        f"/api/directives/{sent.pk}/send/",
        {"sender": world.other_province.pk, "levels": ["commune"], "plan": PLAN},
        format="json",
    )
    assert response.status_code == 404
    response = neighbour.post(
        f"/api/steps/{step.pk}/record/", {"done_on": "2026-03-05"}, format="json"
    )
    assert response.status_code == 404
    assert neighbour.get("/api/steps/").json()["count"] == 0
    assert neighbour.get(f"/api/steps/?unit={world.commune.pk}").status_code == 404


def test_a_viewer_gets_403_on_every_write(world, sent):
    viewer = client_for(world.cell_viewer)
    create = viewer.post(
        "/api/directives/",
        {"unit": world.cell.pk, "symbol": "02-KL/TW", "issued_on": "2021-06-01", "title": "x"},
        format="json",
    )
    assert create.status_code == 403
    assert "không có quyền" in create.json()["detail"]
    send = viewer.post(
        f"/api/directives/{sent.pk}/send/",
        {"sender": world.cell.pk, "levels": ["cell"], "plan": PLAN},
        format="json",
    )
    assert send.status_code == 403
    step = Step.objects.filter(unit=world.commune).first()
    record = viewer.post(f"/api/steps/{step.pk}/record/", {"done_on": "2026-03-05"}, format="json")
    assert record.status_code == 403
    assert Directive.objects.count() == 1
    assert Dispatch.objects.count() == 1
    assert not Step.objects.filter(done_on__isnull=False).exists()


def test_a_receiver_passes_it_down_within_its_own_deadlines(world, sent):
    staff = client_for(world.commune_staff)
    url = f"/api/directives/{sent.pk}/send/"
    payload = {"sender": world.commune.pk, "receivers": [world.cell.pk], "sent_on": "03/03/2026"}
    late = staff.post(
        url, {**payload, "plan": [{"kind": "study", "due_on": "2026-05-01"}]}, format="json"
    )
    assert late.status_code == 400
    assert "muộn hơn" in late.json()["errors"]["non_field_errors"][0]
    response = staff.post(
        url, {**payload, "plan": [{"kind": "study", "due_on": "2026-03-20"}]}, format="json"
    )
    assert response.status_code == 201, response.content
    assert Step.objects.get(unit=world.cell).due_on == date(2026, 3, 20)


def test_a_services_refusal_is_403_with_its_words():
    from django.core.exceptions import PermissionDenied

    from tuyengiao.core.api import exception_handler

    response = exception_handler(PermissionDenied("Bạn không có quyền."), {})
    assert (response.status_code, response.data) == (403, {"detail": "Bạn không có quyền."})


@on_day("2026-05-01")
def test_recording_a_study_step_closes_its_obligation(world, sent):
    step = Step.objects.get(unit=world.commune, kind=StepKind.STUDY)
    staff = client_for(world.commune_staff)
    url = f"/api/steps/{step.pk}/record/"
    missing = staff.post(url, {"done_on": "20/03/2026"}, format="json")
    assert missing.status_code == 400
    assert "expected" in missing.json()["errors"]
    wrong = staff.post(url, {"done_on": "20/03/2026", "own_symbol": "1-KH/ĐU"}, format="json")
    assert wrong.status_code == 400
    response = staff.post(
        url,
        {"done_on": "20/03/2026", "attendees_cadres": 12, "attendees_members": 31, "expected": 45},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["done_on"], body["state"]) == ("2026-03-20", State.DONE_ON_TIME)
    step.refresh_from_db()
    assert step.obligation.done_on == date(2026, 3, 20)
    assert step.obligation.state_on() == State.DONE_ON_TIME


@on_day("2026-05-01")
def test_the_step_list_filters_by_directive_unit_and_state(world, sent):
    manager = client_for(world.province_manager)
    assert manager.get(f"/api/steps/?directive={sent.pk}").json()["count"] == 4
    body = manager.get(f"/api/steps/?unit={world.commune.pk}").json()
    assert {s["unit"] for s in body["results"]} == {world.commune.pk}
    # Sent on 02/03/2026 with 15 and 30 days: both steps are overdue by now.
    overdue = manager.get("/api/steps/?state=overdue").json()
    assert overdue["count"] == 4
    assert {s["state"] for s in overdue["results"]} == {State.OVERDUE}
    assert manager.get("/api/steps/?state=pending").json()["count"] == 0
    assert manager.get("/api/steps/?state=late").status_code == 400
    assert client_for(world.cell_viewer).get("/api/steps/").json()["count"] == 0


def test_the_record_input_knows_every_evidence_field():
    evidence = {f for fields in EVIDENCE_FIELDS.values() for f in fields}
    assert set(RecordInput().fields) - {"done_on"} == evidence


def test_anonymous_gets_401_json_not_a_redirect(world, kl01):
    for url in ("/api/directives/", f"/api/directives/{kl01.pk}/", "/api/steps/", "/api/schema/"):
        response = APIClient().get(url)
        assert response.status_code in {401, 403}, url
        if url != "/api/schema/":
            assert response["Content-Type"].startswith("application/json"), url
            assert "detail" in response.json()
    response = APIClient().post("/api/directives/", {}, format="json")
    assert response.status_code in {401, 403}


def test_a_token_authenticates(world, kl01):
    token = Token.objects.create(user=world.commune_staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/directives/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert client.get("/api/directives/").status_code == 401


def test_the_schema_describes_the_api(world):
    response = client_for(world.cell_viewer).get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3")
    for path in ("/api/directives/", "/api/directives/{id}/send/", "/api/steps/{id}/record/"):
        assert f"{path}:" in text, path


# Found by schema fuzzing (tests/api/test_fuzz.py) -------------------------------------------


def test_a_receiver_id_no_database_holds_is_400_by_field(world, kl01):
    response = client_for(world.province_manager).post(
        f"/api/directives/{kl01.pk}/send/",
        {"sender": world.province.pk, "receivers": [2**63], "plan": PLAN[:1]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["receivers.0"]


@pytest.mark.parametrize(
    ("step", "sent_on"),
    [
        ({"kind": "plan", "days_after": 10**12}, None),
        ({"kind": "plan", "months_after": 10**12}, None),
        ({"kind": "plan", "days_after": 36_500}, "9999-01-01"),
        ({"kind": "plan", "months_after": 24}, "9999-01-01"),
    ],
)
def test_a_deadline_past_the_last_date_is_400_and_nothing_is_sent(world, kl01, step, sent_on):
    body = {"sender": world.province.pk, "receivers": [world.commune.pk], "plan": [step]}
    if sent_on:
        body["sent_on"] = sent_on
    response = client_for(world.province_manager).post(
        f"/api/directives/{kl01.pk}/send/", body, format="json"
    )
    assert response.status_code == 400, response.content
    [messages] = response.json()["errors"].values()
    assert any("Thời hạn" in m or "nhỏ hơn hoặc bằng" in m for m in messages)
    assert not Dispatch.objects.exists()
