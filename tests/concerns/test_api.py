"""The public-concerns REST API: report from a client, hear back, same scope and privacy rules."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tuyengiao.concerns.api import ConcernReportSerializer, report_json
from tuyengiao.concerns.models import ConcernReport, State, Topic, Urgency
from tuyengiao.concerns.services import concern_answer, concern_forward, concern_open
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.org.models import Role

from ..factories import UserFactory
from .conftest import submit, topic

pytestmark = pytest.mark.django_db

REPORTS = "/api/concern-reports/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def report_body(**changes) -> dict:
    body = {
        "topic": "moi-truong",
        "title": "Mùi hôi từ bãi rác thôn Nà Pài",
        "content": "Bà con lo ngại nước thải từ bãi rác chảy ra suối, nhiều hộ phải đóng cửa.",
        "spread": "local",
        "mood": "worried",
        "source": "daily_life",
    }
    body.update(changes)
    return body


def post(user, **changes):
    return client_for(user).post(REPORTS, report_body(**changes), format="json")


# Intake -------------------------------------------------------------------------------------


def test_the_active_topics_are_listed(world):
    body = client_for(world.collaborator).get("/api/concern-topics/").json()
    codes = [t["code"] for t in body]
    assert "moi-truong" in codes and "dat-dai" in codes
    assert set(body[0]) == {"code", "name"}


def test_a_collaborator_sends_a_report_for_their_unit(world):
    response = post(world.collaborator, client_id=str(uuid.uuid4()))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == world.commune.pk
    assert body["unit_name"] == "Xã Hoà An"
    assert (body["topic"], body["urgency"], body["state"]) == ("moi-truong", 1, "new")
    assert body["state_label"] == "Mới"
    assert body["concern"] is None and body["photos"] == []
    # Nothing about a person: not even the collaborator who sent it.
    assert not {"reporter", "name", "phone", "email"} & set(body)
    report = ConcernReport.objects.get(pk=body["id"])
    assert (report.reporter, report.unit) == (world.collaborator, world.commune)
    assert report.mood == "worried"


def test_the_same_client_id_again_is_200_with_the_stored_report_and_one_row(world):
    client_id = str(uuid.uuid4())
    first = post(world.collaborator, client_id=client_id)
    again = post(world.collaborator, client_id=client_id, title="Sửa lại tiêu đề")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["title"] == "Mùi hôi từ bãi rác thôn Nà Pài"
    assert ConcernReport.objects.filter(client_id=client_id).count() == 1
    # Without a client_id every request is a new report.
    assert post(world.collaborator).status_code == 201
    assert post(world.collaborator).status_code == 201
    assert ConcernReport.objects.count() == 3


def test_a_resend_is_answered_with_the_stored_report_even_when_it_would_be_refused(world):
    client_id = str(uuid.uuid4())
    first = post(world.collaborator, client_id=client_id)
    # The client edited the draft in between and now holds a phone number: still the first.
    again = post(world.collaborator, client_id=client_id, content="Gọi 0912 345 678")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    # Another person's client_id is theirs: the same id from someone else is a new report.
    other = post(world.commune_staff, client_id=client_id)
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_personal_data_is_refused_with_the_reason_and_nothing_is_stored(world):
    response = post(world.collaborator, content="Ông Ba, số 0912 345 678, kể rằng nước bị ô nhiễm.")
    assert response.status_code == 400
    [message] = response.json()["errors"]["content"]
    assert "số điện thoại" in message
    response = post(world.collaborator, title="Liên hệ ba@example.com")
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    assert not ConcernReport.objects.exists()


def test_ordinary_numbers_and_dates_are_not_personal(world):
    response = post(
        world.collaborator, content="Ngày 15/9/2025 có 52/50 hộ ký đơn; giá điện tăng 4,8%."
    )
    assert response.status_code == 201, response.content


def test_bad_input_is_400_by_field(world):
    response = post(world.collaborator, topic="khong-co", mood="vui", urgency=7, client_id="x")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"topic", "mood", "urgency", "client_id"}
    assert "khong-co" in errors["topic"][0]
    missing = client_for(world.collaborator).post(REPORTS, {}, format="json").json()["errors"]
    assert {"topic", "title", "content", "spread", "mood", "source"} <= set(missing)
    not_an_object = client_for(world.collaborator).post(REPORTS, [1, 2], format="json")
    assert not_an_object.status_code == 400
    assert "non_field_errors" in not_an_object.json()["errors"]
    blank = post(world.collaborator, title="   ", content="x" * 4001, source="")
    assert set(blank.json()["errors"]) == {"title", "content", "source"}


def test_a_topic_retired_or_added_counts_at_once_in_this_process(world):
    assert post(world.collaborator).status_code == 201  # the topics are now kept
    retired = topic("moi-truong")
    retired.active = False
    retired.save()
    response = post(world.collaborator)
    assert response.status_code == 400
    assert "moi-truong" in response.json()["errors"]["topic"][0]
    Topic.objects.create(code="giao-thong", name="Giao thông")
    assert post(world.collaborator, topic="giao-thong").status_code == 201


def test_a_unit_given_as_text_or_nonsense(world):
    assert post(world.collaborator, unit=str(world.cell.pk)).status_code == 201
    for nonsense in ("xã bên", 1.5, True, [world.cell.pk]):
        response = post(world.collaborator, unit=nonsense)
        assert response.status_code == 400, nonsense
        assert set(response.json()["errors"]) == {"unit"}
    assert post(world.collaborator, unit=None).json()["unit"] == world.commune.pk
    unplaced = UserFactory(username="ctv-khong-don-vi", unit=None, is_superuser=True)
    response = post(unplaced)
    assert response.status_code == 400
    assert response.json()["errors"]["unit"] == ["Hãy chọn địa bàn."]


def test_a_viewer_may_not_report(world):
    response = post(world.cell_viewer)
    assert response.status_code == 403
    assert "không được gửi phản ánh" in response.json()["detail"]
    assert not ConcernReport.objects.exists()


def test_office_staff_may_report_too(world):
    assert post(world.commune_staff, unit=world.cell.pk).status_code == 201
    assert post(world.province_manager, unit=world.commune2.pk).status_code == 201


def test_a_unit_outside_the_scope_is_400_as_in_the_rest_of_the_api(world):
    response = post(world.collaborator, unit=world.other_commune.pk)
    assert response.status_code == 400
    assert "trong phạm vi của bạn" in response.json()["errors"]["unit"][0]
    # A unit of the same province but not under the collaborator's commune.
    assert post(world.collaborator, unit=world.commune2.pk).status_code == 400
    assert post(world.collaborator, unit=world.cell.pk).status_code == 201
    assert not ConcernReport.objects.filter(unit=world.other_commune).exists()


def test_an_urgent_report_tells_the_province_office(world):
    response = post(world.collaborator, urgency=Urgency.URGENT)
    assert response.status_code == 201, response.content
    assert response.json()["urgency_label"] == "Khẩn cấp"
    told = Notification.objects.filter(kind=NotificationKind.CONCERN_URGENT)
    assert set(told.values_list("recipient", flat=True)) == {
        world.province_manager.pk,
        world.province_admin.pk,
    }


def png_with_exif() -> io.BytesIO:
    image = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh của ai đó"  # Make
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    out.seek(0)
    out.name = "anh.png"
    return out


def test_photos_come_as_multipart_and_are_read_back_re_encoded(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.collaborator)
    body = report_body(photos=[png_with_exif(), png_with_exif()], client_id=str(uuid.uuid4()))
    response = client.post(REPORTS, body, format="multipart")
    assert response.status_code == 201, response.content
    photos = response.json()["photos"]
    assert [(p["width"], p["height"]) for p in photos] == [(40, 30), (40, 30)]
    got = client.get(photos[0]["url"])
    assert got.status_code == 200
    assert got["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(got.streaming_content)))
    assert image.format == "JPEG" and not image.getexif()
    # Another collaborator cannot fetch it; the office can.
    other = UserFactory(username="ctv2", unit=world.commune2, role=Role.COLLABORATOR)
    assert client_for(other).get(photos[0]["url"]).status_code == 404
    assert client_for(world.province_manager).get(photos[0]["url"]).status_code == 200
    bad = report_body(photos=[io.BytesIO(b"not an image")])
    bad["photos"][0].name = "x.jpg"
    refused = client.post(REPORTS, bad, format="multipart")
    assert refused.status_code == 400
    assert "photos" in refused.json()["errors"]


# Reading ------------------------------------------------------------------------------------


def test_the_collaborator_hears_back_what_became_of_the_report(world):
    client = client_for(world.collaborator)
    sent = post(world.collaborator).json()
    report = ConcernReport.objects.get(pk=sent["id"])
    concern = concern_open(
        actor=world.province_manager, reports=[report], title="Ô nhiễm suối Nà Pài", topic=topic()
    )
    body = client.get(f"{REPORTS}{report.pk}/").json()
    assert (body["state"], body["concern"]["state"]) == ("acknowledged", "acknowledged")
    due = timezone.localdate() + timedelta(days=10)
    concern_forward(
        actor=world.province_manager, concern=concern, responsible=world.office, due_on=due
    )
    concern_answer(
        actor=world.province_manager,
        concern=concern,
        answer="Đã kiểm tra, yêu cầu xử lý nước thải.",
    )
    body = client.get(f"{REPORTS}{report.pk}/").json()
    assert body["state"] == State.ANSWERED
    assert body["state_label"] == "Đã có trả lời"
    assert body["concern"] == {
        "id": concern.pk,
        "title": "Ô nhiễm suối Nà Pài",
        "state": "answered",
        "state_label": "Đã có trả lời",
        "responsible": "Ban Tuyên giáo và Dân vận Tỉnh ủy A",
        "due_on": due.isoformat(),
        "answer": "Đã kiểm tra, yêu cầu xử lý nước thải.",
        "resolution": "",
        "closing_note": "",
    }
    [listed] = client.get(REPORTS).json()["results"]
    assert listed["concern"]["answer"] == "Đã kiểm tra, yêu cầu xử lý nước thải."
    assert client.get(f"{REPORTS}?state=answered").json()["count"] == 1
    assert client.get(f"{REPORTS}?state=new").json()["count"] == 0


def test_a_collaborator_reads_only_their_own_reports(world, collaborator2):
    mine = submit(world.collaborator)
    theirs = submit(collaborator2, title="Giá phân bón tăng")
    client = client_for(world.collaborator)
    assert [r["id"] for r in client.get(REPORTS).json()["results"]] == [mine.pk]
    # By the places they report for (no unit page of theirs: they read none of the office's).
    assert client.get(f"{REPORTS}?unit={world.commune.pk}").json()["count"] == 1
    assert client.get(f"{REPORTS}?unit={world.cell.pk}").json()["count"] == 0
    assert client.get(f"{REPORTS}?unit={world.commune2.pk}").status_code == 404
    assert client.get(f"{REPORTS}{theirs.pk}/").status_code == 404
    assert client.get(f"{REPORTS}{theirs.pk}/").json() == {"detail": "Không tìm thấy."}
    assert client_for(collaborator2).get(f"{REPORTS}{mine.pk}/").status_code == 404


def test_the_office_reads_its_subtree_with_filters(world, collaborator2, today):
    a = submit(world.collaborator, urgency=Urgency.NORMAL)
    b = submit(collaborator2, title="Giá phân bón tăng", topic=topic("gia-ca-doi-song"))
    c = submit(world.collaborator, unit=world.cell, urgency=Urgency.URGENT)
    manager = client_for(world.province_manager)
    assert manager.get(REPORTS).json()["count"] == 3
    # The triage order: most urgent first.
    assert [r["id"] for r in manager.get(f"{REPORTS}?state=new").json()["results"]] == [
        c.pk,
        b.pk,
        a.pk,
    ]
    by_topic = manager.get(f"{REPORTS}?topic=gia-ca-doi-song").json()["results"]
    assert [r["id"] for r in by_topic] == [b.pk]
    in_commune = manager.get(f"{REPORTS}?unit={world.commune.pk}").json()["results"]
    assert {r["id"] for r in in_commune} == {a.pk, c.pk}
    assert manager.get(f"{REPORTS}?since={today.isoformat()}").json()["count"] == 3
    tomorrow = today + timedelta(days=1)
    assert manager.get(f"{REPORTS}?since={tomorrow:%d/%m/%Y}").json()["count"] == 0
    assert manager.get(f"{REPORTS}?since=hôm qua").status_code == 400
    assert manager.get(f"{REPORTS}?state=lost").status_code == 400
    assert manager.get(f"{REPORTS}?unit={world.other_commune.pk}").status_code == 404
    # A commune's staff sees its commune; a viewer of a cell its cell.
    assert client_for(world.commune_staff).get(REPORTS).json()["count"] == 2
    assert client_for(world.cell_viewer).get(REPORTS).json()["count"] == 1
    # The neighbour province sees nothing of it.
    neighbour = client_for(world.neighbour)
    assert neighbour.get(REPORTS).json()["count"] == 0
    assert neighbour.get(f"{REPORTS}{a.pk}/").status_code == 404


def test_concerns_are_read_by_the_office_with_their_timeline(world):
    report = submit(world.collaborator)
    concern = concern_open(
        actor=world.province_manager, reports=[report], title="Ô nhiễm suối Nà Pài", topic=topic()
    )
    due = timezone.localdate() + timedelta(days=10)
    concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.office,
        due_on=due,
        note="Gấp",
    )
    manager = client_for(world.province_manager)
    [listed] = manager.get("/api/concerns/").json()["results"]
    assert (listed["id"], listed["state"], listed["report_count"]) == (concern.pk, "forwarded", 1)
    assert listed["responsible_name"] == "Ban Tuyên giáo và Dân vận Tỉnh ủy A"
    assert manager.get("/api/concerns/?state=answered").json()["count"] == 0
    assert manager.get("/api/concerns/?topic=moi-truong").json()["count"] == 1
    body = manager.get(f"/api/concerns/{concern.pk}/").json()
    assert [(e["from_state"], e["to_state"]) for e in body["events"]] == [
        ("new", "acknowledged"),
        ("acknowledged", "forwarded"),
    ]
    assert body["events"][1]["note"] == "Gấp"
    assert body["events"][1]["to_state_label"] == "Đã chuyển cơ quan chịu trách nhiệm"
    # The office filters the reports of one concern.
    assert manager.get(f"{REPORTS}?concern={concern.pk}").json()["count"] == 1
    # Collaborators hear of concerns through their reports only; the neighbour not at all.
    collaborator = client_for(world.collaborator)
    assert collaborator.get("/api/concerns/").status_code == 404
    assert collaborator.get(f"/api/concerns/{concern.pk}/").status_code == 404
    assert client_for(world.neighbour).get(f"/api/concerns/{concern.pk}/").status_code == 404


# Authentication and the schema ------------------------------------------------------------


def test_a_token_authenticates(world):
    token = Token.objects.create(user=world.collaborator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(REPORTS, report_body(client_id=str(uuid.uuid4())), format="json")
    assert response.status_code == 201, response.content
    assert client.get(REPORTS).json()["count"] == 1
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    refused = client.post(REPORTS, report_body(), format="json")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Token không hợp lệ."
    anonymous = APIClient().post(REPORTS, report_body(), format="json")
    assert anonymous.status_code == 401
    assert "đăng nhập" in anonymous.json()["detail"]
    assert ConcernReport.objects.count() == 1
    world.collaborator.is_active = False
    world.collaborator.save()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    inactive = client.get(REPORTS)
    assert inactive.status_code == 401
    assert inactive.json()["detail"] == "Tài khoản đã bị khoá hoặc không còn."


def test_a_report_sent_with_a_token_costs_one_query_before_its_transaction(
    world, django_assert_num_queries
):
    """The token brings the user and their unit; the topics are kept: what a busy intake
    needs is the insert of the report and of its audit entry, nothing more."""
    token = Token.objects.create(user=world.collaborator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.post(REPORTS, report_body(), format="json").status_code == 201
    body = report_body(client_id=str(uuid.uuid4()), unit=world.commune.pk)
    # token+user+unit, savepoint, report, audit entry, release (a transaction outside tests)
    with django_assert_num_queries(5):
        assert client.post(REPORTS, body, format="json").status_code == 201


def test_the_schema_describes_the_concerns_api(world):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned; see the captured stderr"
    for path in (
        "/api/concern-topics/",
        "/api/concern-reports/",
        "/api/concern-reports/{id}/",
        "/api/concern-reports/{id}/photos/{photo}/",
        "/api/concerns/",
        "/api/concerns/{id}/",
    ):
        assert path in schema["paths"], path
    post_body = schema["paths"]["/api/concern-reports/"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(post_body)
    response = client_for(world.commune_staff).get("/api/schema/")
    assert response.status_code == 200
    assert "/api/concern-reports/{id}/:" in response.content.decode()
    # A collaborator's app needs no schema: for them it does not exist.
    assert client_for(world.collaborator).get("/api/schema/").status_code == 404


def test_the_hand_written_answer_is_what_the_schema_describes(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("anh.png", png_with_exif().getvalue(), "image/png")
    report = submit(world.collaborator, photos=[photo], client_id=uuid.uuid4())
    concern_open(
        actor=world.province_manager, reports=[report], title="Ô nhiễm suối", topic=topic()
    )
    concern = report.__class__.objects.get(pk=report.pk).concern
    concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.office,
        due_on=timezone.localdate() + timedelta(days=3),
    )
    for stored in (report, submit(world.collaborator)):
        stored = ConcernReport.objects.select_related("unit", "topic", "concern__responsible").get(
            pk=stored.pk
        )
        described = ConcernReportSerializer(stored).data
        assert report_json(stored) == described


# Found by schema fuzzing (tests/api/test_fuzz.py) -------------------------------------------


def test_a_since_date_that_cannot_be_held_in_utc_is_400_not_500(world):
    client = client_for(world.province_manager)
    for url in (REPORTS, "/api/concerns/"):
        response = client.get(f"{url}?since=0001-01-01")
        assert response.status_code == 400
        assert response.json() == {"errors": {"since": ["Ngày nằm ngoài khoảng cho phép."]}}
    assert client.get(f"{REPORTS}?since=9999-12-31").json()["count"] == 0


def test_a_null_character_is_refused_in_vietnamese(world):
    response = post(world.collaborator, title="Khói\x00bụi")
    assert response.status_code == 400
    assert response.json() == {"errors": {"title": ["Không được có ký tự null."]}}
    assert not ConcernReport.objects.exists()
