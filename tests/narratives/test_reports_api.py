"""The narrative reports' API: a scoped list, one report with its latest version, a draft, a
new version by PATCH, sending; outside the scope 404, bad input 400, a viewer's writes 403."""

from tests.clock import on_day
from tests.narratives.conftest import report_of, work

pytestmark = on_day("2026-10-03")
JSON = "application/json"


def test_draft_edit_and_send_through_the_api(client, schedule):
    world = schedule
    work(world)
    client.force_login(world.commune_staff)
    response = client.post(
        "/api/narrative-reports/", {"unit": world.commune.pk, "period": "2026Q3"}, JSON
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["period_label"] == "Quý III/2026" and body["latest"]["n"] == 1
    assert body["docx"] == f"/narratives/{body['id']}/docx/"
    keys = [s["key"] for s in body["latest"]["sections"]]
    assert "p1-ii-data" in keys
    response = client.patch(
        f"/api/narrative-reports/{body['id']}/",
        {"sections": [{"key": "p1-ii-data", "text": "Còn chậm."}], "note": "gọn"},
        JSON,
    )
    assert response.status_code == 200, response.json()
    latest = response.json()["latest"]
    assert latest["n"] == 2 and latest["note"] == "gọn"
    assert next(s for s in latest["sections"] if s["key"] == "p1-ii-data")["text"] == "Còn chậm."
    response = client.patch(
        f"/api/narrative-reports/{body['id']}/", {"sections": [{"key": "nope"}]}, JSON
    )
    assert response.status_code == 400
    response = client.post(f"/api/narrative-reports/{body['id']}/send/", {"number": ""}, JSON)
    assert response.status_code == 400
    response = client.post(f"/api/narrative-reports/{body['id']}/send/", {"number": "5"}, JSON)
    assert response.status_code == 200 and response.json()["state"] == "sent"
    assert response.json()["deadline_state"] == "done_on_time"
    response = client.patch(
        f"/api/narrative-reports/{body['id']}/",
        {"sections": [{"key": "p1-ii-data", "text": "x"}]},
        JSON,
    )
    assert response.status_code == 400  # a sent report is read-only


def test_the_list_is_scoped_and_outside_is_404(client, schedule):
    world = schedule
    client.force_login(world.commune_staff)
    response = client.get("/api/narrative-reports/")
    units = {row["unit"] for row in response.json()["results"]}
    assert units == {world.commune.pk}
    other = report_of(world.commune2)
    assert client.get(f"/api/narrative-reports/{other.pk}/").status_code == 404
    assert client.get(f"/api/narrative-reports/?unit={world.province.pk}").status_code == 404
    assert client.get("/api/narrative-reports/?period=2026Q9").status_code == 400
    client.force_login(world.province_manager)
    response = client.get(f"/api/narrative-reports/?unit={world.province.pk}&period=2026Q3")
    assert len(response.json()["results"]) == 3


def test_a_viewer_reads_but_does_not_write(client, schedule):
    world = schedule
    client.force_login(world.cell_viewer)
    response = client.post(
        "/api/narrative-reports/", {"unit": world.cell.pk, "period": "2026Q3"}, JSON
    )
    assert response.status_code == 403
