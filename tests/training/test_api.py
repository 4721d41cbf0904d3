from datetime import date

import pytest

from tests.clock import on_day
from tuyengiao.training.models import TrainingClass

from .conftest import centre, klass, programme

pytestmark = [pytest.mark.django_db, on_day("2026-12-06")]


def test_classes_through_the_api(client, world):
    made = centre(None, world.commune)
    client.force_login(world.commune_staff)
    body = {
        "centre": made.pk,
        "programme": programme().pk,
        "communes": [world.commune.pk],
        "opened_on": "2026-03-02",
        "enrolled": 20,
    }
    refused = client.post("/api/training-classes/", body, content_type="application/json")
    assert refused.status_code == 400 and "enrolled" in refused.json()["errors"]
    created = client.post(
        "/api/training-classes/", {**body, "confirm_small": True}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["small_confirmed"]
    pk = created.json()["id"]
    wrong = client.patch(
        f"/api/training-classes/{pk}/",
        {"closed_on": "2026-03-01", "completed": 20},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "closed_on" in wrong.json()["errors"]
    closed = client.patch(
        f"/api/training-classes/{pk}/",
        {"closed_on": "2026-04-01", "completed": 19},
        content_type="application/json",
    )
    assert closed.status_code == 200 and closed.json()["completed"] == 19
    listed = client.get("/api/training-classes/", {"unit": world.commune.pk, "state": "closed"})
    assert [c["id"] for c in listed.json()["results"]] == [pk]


def test_scope_in_the_api(client, world):
    made = centre(None, world.commune)
    one = klass(None, made)
    client.force_login(world.neighbour)
    assert client.get(f"/api/political-centres/{made.pk}/").status_code == 404
    assert client.delete(f"/api/training-classes/{one.pk}/").status_code == 404
    assert (
        client.get("/api/training-plan-vs-actual/", {"unit": world.commune.pk}).status_code == 404
    )
    assert TrainingClass.objects.count() == 1


def test_plans_and_plan_vs_actual(client, world):
    made = centre(None, world.commune)
    client.force_login(world.commune_staff)
    body = {
        "centre": made.pk,
        "programme": programme().pk,
        "year": 2026,
        "classes_planned": 2,
        "learners_planned": 80,
    }
    assert (
        client.post("/api/training-plans/", body, content_type="application/json").status_code
        == 201
    )
    negative = client.post(
        "/api/training-plans/", {**body, "classes_planned": -1}, content_type="application/json"
    )
    assert negative.status_code == 400
    klass(None, made, opened_on=date(2026, 5, 4))
    answer = client.get(
        "/api/training-plan-vs-actual/", {"unit": world.commune.pk, "period": "2026"}
    )
    assert answer.status_code == 200
    assert answer.json()["by_programme"][0]["classes_text"] == "1/2 lớp, đạt 50% kế hoạch"
    assert client.get("/api/training-plan-vs-actual/", {"period": "x"}).status_code == 400
    assert client.get("/api/programmes/").status_code == 200


def test_centres_through_the_api(client, world):
    client.force_login(world.province_manager)
    body = {
        "unit": world.commune.pk,
        "name": "Trung tâm Chính trị xã Hoà An",
        "served": [world.commune.pk, world.commune2.pk],
    }
    created = client.post("/api/political-centres/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "commune_centre"
    pk = created.json()["id"]
    outside = client.post(
        "/api/political-centres/",
        {**body, "served": [world.other_commune.pk]},
        content_type="application/json",
    )
    assert outside.status_code == 400
    changed = client.patch(
        f"/api/political-centres/{pk}/", {"active": False}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert client.delete(f"/api/political-centres/{pk}/").status_code == 204
    client.force_login(world.cell_viewer)
    assert (
        client.post("/api/political-centres/", body, content_type="application/json").status_code
        == 403
    )
