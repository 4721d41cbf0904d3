"""The outreach API: writes through the services (refusals by field), reads scoped (outside:
404), filters, and a viewer's writes refused."""

import functools
from datetime import date
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.clock import on_day
from tests.concerns.conftest import png
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.core.files import clean_photo
from tuyengiao.outreach import services
from tuyengiao.outreach.models import (
    Exemplar,
    ModelPhoto,
    OutreachSession,
    Replication,
    Speaker,
)

from .conftest import model, session, speaker

pytestmark = on_day("2026-12-06")

SPEAKER = {
    "full_name": "Hoàng Văn Dũng",
    "position": "Bí thư Chi bộ",
    "kind": "reporter",
    "term": "2025-2030",
    "decision": "45-QĐ/ĐU",
    "decision_issued_on": "2025-10-20",
    "starts_on": "2025-10-20",
    "ends_on": "2030-09-30",
}


def test_a_speaker_and_a_session_through_the_api(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        "/api/speakers/", {**SPEAKER, "assigned_units": [world.cell.pk]}, "application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["level"] == "commune" and body["decision_symbol"] == "45-QĐ/ĐU"
    assert body["assigned_units"] == [world.cell.pk]
    assert body["idle"] is True and body["last_session"] is None
    response = client.post(
        "/api/speaker-sessions/",
        {
            "speaker": body["id"],
            "unit": world.cell.pk,
            "held_on": "2026-11-20",
            "topic": "Thời sự",
            "audience": 40,
        },
        "application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unit_name"] == world.cell.name
    listed = client.get("/api/speaker-sessions/", {"period": "2026-11"}).json()
    assert listed["count"] == 1
    assert client.get("/api/speaker-sessions/", {"period": "2026-10"}).json()["count"] == 0
    assert client.get("/api/speaker-sessions/", {"period": "x"}).status_code == 400
    speakers = client.get("/api/speakers/").json()["results"]
    assert speakers[0]["last_session"] == "2026-11-20" and speakers[0]["idle"] is False


def test_refusals_are_by_field(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        "/api/speakers/",
        {**SPEAKER, "full_name": "Dũng 0912 345 678", "ends_on": "2025-01-01"},
        "application/json",
    )
    assert response.status_code == 400
    assert "full_name" in response.json()["errors"]
    response = client.post(
        "/api/speakers/", {**SPEAKER, "unit": world.commune2.pk}, "application/json"
    )
    assert response.status_code == 400 and "unit" in response.json()["errors"]
    person = speaker(world.commune_staff)
    response = client.post(
        "/api/speaker-sessions/",
        {"speaker": person.pk, "held_on": "2027-01-01", "topic": "x", "audience": 3},
        "application/json",
    )
    assert response.status_code == 400 and "held_on" in response.json()["errors"]
    assert not Speaker.objects.exclude(pk=person.pk).exists()
    assert not OutreachSession.objects.exists()


def test_reads_are_scoped_and_viewers_write_nothing(client, world):
    person = speaker(world.commune_staff)
    heard = session(world.commune_staff, person, world.cell)
    found = model(world.commune_staff)
    client.force_login(world.neighbour)
    for url in (
        f"/api/speakers/{person.pk}/",
        f"/api/speaker-sessions/{heard.pk}/",
        f"/api/exemplary-models/{found.pk}/",
    ):
        assert client.get(url).status_code == 404
    assert client.delete(f"/api/speaker-sessions/{heard.pk}/").status_code == 404
    assert client.get("/api/speakers/", {"unit": world.commune.pk}).status_code == 404
    client.force_login(world.cell_viewer)
    assert client.get(f"/api/speaker-sessions/{heard.pk}/").status_code == 200
    assert client.delete(f"/api/speaker-sessions/{heard.pk}/").status_code == 403
    assert OutreachSession.objects.count() == 1


def test_models_and_replications_through_the_api(client, world):
    client.force_login(world.province_manager)
    response = client.post(
        "/api/exemplary-models/",
        {
            "unit": world.commune.pk,
            "name": "Đường hoa nông thôn mới",
            "area": "dan-van",
            "decision": "88-QĐ/ĐU",
            "decision_issued_on": "2026-03-02",
        },
        "application/json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    found = client.get("/api/exemplary-models/", {"q": "duong hoa"}).json()
    assert [m["id"] for m in found["results"]] == [pk]
    response = client.post(
        "/api/replications/",
        {"model": pk, "unit": world.commune2.pk, "replicated_on": "2026-02-01"},
        "application/json",
    )
    assert response.status_code == 400 and "replicated_on" in response.json()["errors"]
    response = client.post(
        "/api/replications/",
        {"model": pk, "unit": world.commune2.pk, "replicated_on": "2026-06-01"},
        "application/json",
    )
    assert response.status_code == 201
    assert Replication.objects.get().replicated_on == date(2026, 6, 1)
    assert Exemplar.objects.get().recognised_on == date(2026, 3, 2)
    rid = response.json()["id"]
    assert client.delete(f"/api/replications/{rid}/").status_code == 204
    assert not Replication.objects.exists()


def test_a_speaker_is_changed_and_deleted_through_the_api(client, world):
    person = speaker(world.commune_staff, name="Hoàng Văn Dũng")
    url = f"/api/speakers/{person.pk}/"
    client.force_login(world.commune_staff)
    response = client.patch(url, {"position": "Bí thư Đảng ủy"}, "application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["position"] == "Bí thư Đảng ủy"
    person.refresh_from_db()
    assert person.position == "Bí thư Đảng ủy" and person.full_name == "Hoàng Văn Dũng"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(person.pk)).get()
    assert entry.actor == world.commune_staff
    # PUT: every field; a new decision with its day; assigned units of the speaker's subtree
    full = {
        **SPEAKER,
        "decision": "46-QĐ/ĐU",
        "decision_issued_on": "2025-11-01",
        "assigned_units": [world.cell.pk],
        "level": "commune",
    }
    response = client.put(url, full, "application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["decision_symbol"] == "46-QĐ/ĐU"
    assert response.json()["assigned_units"] == [world.cell.pk]
    # refusals by field, nothing changed
    for body, field in (
        ({"ends_on": "2024-01-01"}, "ends_on"),
        ({"full_name": "Dũng 0912 345 678"}, "full_name"),
        ({"decision": "47-QĐ/ĐU"}, "decision_issued_on"),
        ({"kind": "boss"}, "kind"),
        ({"assigned_units": [world.commune2.pk]}, "assigned_units"),
    ):
        response = client.patch(url, body, "application/json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"], response.json()
    missing = client.put(url, {"full_name": "Dũng"}, "application/json")
    assert missing.status_code == 400 and "term" in missing.json()["errors"]
    person.refresh_from_db()
    assert person.full_name == "Hoàng Văn Dũng" and person.ends_on == date(2030, 9, 30)
    # a speaker with a session stays; without, goes
    heard = session(world.commune_staff, person)
    refused = client.delete(url)
    assert refused.status_code == 400 and Speaker.objects.filter(pk=person.pk).exists()
    heard.delete()
    assert client.delete(url).status_code == 204
    assert not Speaker.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(person.pk)).exists()


def test_edits_outside_the_scope_answer_404_and_a_viewer_gets_403(client, world):
    person = speaker(world.commune_staff, world.cell)
    found = model(world.commune_staff, world.cell)
    urls = (f"/api/speakers/{person.pk}/", f"/api/exemplary-models/{found.pk}/")
    client.force_login(world.neighbour)
    for url in urls:
        assert client.patch(url, {"name": "x"}, "application/json").status_code == 404
        assert client.put(url, {"name": "x"}, "application/json").status_code == 404
        assert client.delete(url).status_code == 404
    photos = f"/api/exemplary-models/{found.pk}/photos/"
    assert client.get(photos).status_code == 404
    found.photos.create(width=1, height=1, image="outreach/x.jpg")
    assert client.get(f"{photos}{found.photos.get().pk}/").status_code == 404
    found.photos.all().delete()
    assert client.post(photos, {"photos": [png()]}).status_code == 404
    client.force_login(world.cell_viewer)
    for url in urls:
        assert client.patch(url, {"name": "x"}, "application/json").status_code == 403
        assert client.delete(url).status_code == 403
    assert client.post(photos, {"photos": [png()]}).status_code == 403
    assert Speaker.objects.count() == 1 and Exemplar.objects.count() == 1
    assert not ModelPhoto.objects.exists()


def test_a_model_is_changed_given_photos_and_deleted(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    found = model(world.commune_staff, name="Đường hoa")
    url = f"/api/exemplary-models/{found.pk}/"
    client.force_login(world.commune_staff)
    response = client.patch(url, {"name": "Đường hoa nông thôn mới"}, "application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Đường hoa nông thôn mới"
    response = client.put(
        url, {"name": "Tuyến đường hoa", "area": "tuyen-truyen-mieng"}, "application/json"
    )
    assert response.status_code == 200 and response.json()["area"] == "tuyen-truyen-mieng"
    for body, field in (({"area": "khong-co"}, "area"), ({"name": ""}, "name")):
        response = client.patch(url, body, "application/json")
        assert response.status_code == 400 and field in response.json()["errors"], body
    assert client.put(url, {"name": "x"}, "application/json").status_code == 400
    found.refresh_from_db()
    assert found.name == "Tuyến đường hoa"

    photos = f"/api/exemplary-models/{found.pk}/photos/"
    assert client.get(photos).json() == []
    response = client.post(photos, {"photos": [png(), png()]})
    assert response.status_code == 201, response.json()
    listed = response.json()
    assert len(listed) == 2 and listed[0]["width"] == 40
    assert listed[0]["url"] == f"{photos}{listed[0]['id']}/"
    download = client.get(listed[0]["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    other = model(world.commune_staff, name="Khác", photos=[png()])
    assert client.get(f"{photos}{other.photos.get().pk}/").status_code == 404
    assert client.get(url).json()["photos"] == [p["id"] for p in listed]
    assert AuditEntry.objects.filter(verb="thêm ảnh", object_id=str(found.pk)).exists()
    text = SimpleUploadedFile("anh.jpg", b"not an image", content_type="image/jpeg")
    for body in ({"photos": [text]}, {}, {"photos": [png() for _ in range(7)]}):
        response = client.post(photos, body)
        assert response.status_code == 400, body
        assert "photos" in response.json()["errors"], response.json()
    assert client.post(photos, {"photos": []}, "application/json").status_code == 400
    assert found.photos.count() == 2

    services.replication_add(
        actor=world.province_manager,
        model=found,
        unit=world.commune2,
        replicated_on=date(2026, 6, 1),
        today=date(2026, 12, 6),
    )
    assert client.delete(url).status_code == 400
    Replication.objects.all().delete()
    files = [p.image.path for p in found.photos.all()]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(url).status_code == 204
    assert not Exemplar.objects.filter(pk=found.pk).exists()
    assert not ModelPhoto.objects.filter(model_id=found.pk).exists()
    assert not any(Path(f).exists() for f in files)
    assert AuditEntry.objects.filter(action=AuditAction.DELETE, object_id=str(found.pk)).exists()


def test_an_oversize_photo_is_refused_by_field(client, world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(services, "clean_photo", functools.partial(clean_photo, max_bytes=100))
    found = model(world.commune_staff)
    client.force_login(world.commune_staff)
    response = client.post(f"/api/exemplary-models/{found.pk}/photos/", {"photos": [png()]})
    assert response.status_code == 400
    assert "10 MB" in response.json()["errors"]["photos"][0]
