"""The outreach API: writes through the services (refusals by field), reads scoped (outside:
404), filters, and a viewer's writes refused."""

from datetime import date

from tests.clock import on_day
from tuyengiao.outreach.models import Exemplar, OutreachSession, Replication, Speaker

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
