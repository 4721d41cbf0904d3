"""The outreach pages: a speaker and a session recorded through the forms and counted, the
refusals shown beside their fields, filters, models with photos and replications, and the
scope (a neighbouring commune's objects do not exist)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.clock import on_day
from tests.concerns.conftest import png
from tests.factories import UserFactory
from tuyengiao.org.models import Role
from tuyengiao.outreach.models import Exemplar, OutreachSession, Replication, Speaker

from .conftest import area, marked, model, session, speaker

pytestmark = on_day("2026-12-06")


def speaker_data(**kw):
    data = {
        "full_name": "Hoàng Văn Dũng",
        "position": "Bí thư Chi bộ",
        "kind": "reporter",
        "level": "",
        "term": "2025-2030",
        "decision": "45-QĐ/ĐU",
        "decision_issued_on": "01/10/2025",
        "starts_on": "01/10/2025",
        "ends_on": "30/09/2030",
    }
    data.update(kw)
    return data


def test_a_speaker_and_a_session_are_recorded_and_counted(client, world):
    client.force_login(world.commune_staff)
    url = reverse("outreach:speaker_new") + f"?unit={world.commune.pk}"
    assert client.get(url).status_code == 200
    data = speaker_data(unit=world.commune.pk, assigned_units=[world.cell.pk])
    response = client.post(reverse("outreach:speaker_new"), data)
    person = Speaker.objects.get()
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert list(person.assigned_units.all()) == [world.cell]
    new = reverse("outreach:session_new", args=[person.pk])
    assert client.get(new).status_code == 200
    response = client.post(
        new,
        {
            "held_on": "20/11/2026",
            "unit": world.cell.pk,
            "topic": "Nghị quyết Đại hội XIV",
            "mode": "in_person",
            "audience": "42",
        },
    )
    assert response.status_code == 302
    assert OutreachSession.objects.get().audience == 42
    page = client.get(reverse("outreach:sessions"), {"unit": world.commune.pk, "period": "2026"})
    assert page.context["rollup"].total.sessions == 1
    assert page.context["rollup"].total.audience == 42
    assert "Hoàng Văn Dũng" in page.content.decode()
    detail = client.get(person.get_absolute_url(), {"period": "2026-11"}).content.decode()
    assert "1 buổi, 42 lượt người nghe" in detail


def test_refusals_are_shown_beside_their_fields(client, world):
    client.force_login(world.commune_staff)
    data = speaker_data(
        unit=world.commune.pk,
        full_name="Dũng 0912345678",
        starts_on="01/10/2026",
        ends_on="01/09/2026",
    )
    response = client.post(reverse("outreach:speaker_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "full_name" in form.errors
    assert not Speaker.objects.exists()
    response = client.post(reverse("outreach:speaker_new"), {**data, "full_name": "Dũng"})
    assert "trước ngày bắt đầu" in response.context["form"].errors["ends_on"][0]
    person = speaker(world.commune_staff)
    response = client.post(
        reverse("outreach:session_new", args=[person.pk]),
        {
            "held_on": "20/11/2026",
            "unit": world.commune2.pk,
            "topic": "x",
            "mode": "in_person",
            "audience": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "unit" in errors and "audience" in errors


def test_the_roster_flags_idle_speakers_and_lists_terms_ending(client, world):
    client.force_login(world.commune_staff)
    busy = speaker(world.commune_staff, name="Bận rộn")
    session(world.commune_staff, busy, held_on=date(2026, 11, 1))
    speaker(world.commune_staff, name="Im lặng")
    soon = speaker(world.commune_staff, name="Sắp hết", ends_on=date(2026, 12, 31))
    url = reverse("outreach:index")
    page = client.get(url, {"unit": world.commune.pk})
    assert [s.flagged for s in page.context["speakers"]] == [False, True, True]
    idle = client.get(url, {"unit": world.commune.pk, "idle": "6"}).context["speakers"]
    assert {s.full_name for s in idle} == {"Im lặng", "Sắp hết"}
    ending = client.get(url, {"unit": world.commune.pk, "ending": "90"}).context["speakers"]
    assert list(ending) == [soon]
    assert client.get(url, {"unit": world.commune.pk, "idle": "x", "level": "?"}).status_code == 200


def test_a_model_with_photos_is_recorded_found_and_replicated(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.province_manager)
    response = client.post(
        reverse("outreach:model_new"),
        {
            "unit": world.commune.pk,
            "name": "Dân vận khéo — đường hoa nông thôn",
            "area": area("dan-van").pk,
            "description": "Mỗi thôn một tuyến đường hoa.",
            "decision": "88-QĐ/BTGDVTU",
            "decision_issued_on": "02/03/2026",
            "photos": [png()],
        },
    )
    assert response.status_code == 302
    found = Exemplar.objects.get()
    photo = found.photos.get()
    assert client.get(reverse("outreach:photo", args=[photo.pk])).status_code == 200
    listed = client.get(reverse("outreach:models"), {"unit": world.province.pk, "q": "duong hoa"})
    assert list(listed.context["models"]) == [found]
    response = client.post(
        reverse("outreach:replication_add", args=[found.pk]),
        {"unit": world.commune2.pk, "replicated_on": "01/06/2026"},
    )
    assert response.status_code == 302
    assert Replication.objects.get().unit == world.commune2
    counts = client.get(reverse("outreach:counts"), {"unit": world.province.pk})
    assert counts.context["counts"].total == 1
    assert counts.context["counts"].replications == 1
    bad = client.post(
        reverse("outreach:replication_add", args=[found.pk]),
        {"unit": world.commune2.pk, "replicated_on": "01/06/2026"},
    )
    assert bad.status_code == 400


def test_every_page_answers_and_a_neighbouring_commune_gets_404(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = marked(world.commune, world.cell, "Chi bộ")
    pages = [
        reverse("outreach:speaker", args=[objects["speaker"].pk]),
        reverse("outreach:speaker_edit", args=[objects["speaker"].pk]),
        reverse("outreach:session_new", args=[objects["speaker"].pk]),
        reverse("outreach:model", args=[objects["model"].pk]),
        reverse("outreach:model_edit", args=[objects["model"].pk]),
        reverse("outreach:photo", args=[objects["photo"].pk]),
        reverse("outreach:attendance", args=[objects["conference"].pk]),
    ]
    client.force_login(world.commune_staff)
    for url in pages:
        assert client.get(url).status_code == 200, url
    for name in ("index", "sessions", "models", "counts", "speaker_new", "model_new"):
        assert client.get(reverse(f"outreach:{name}")).status_code == 200, name
    neighbour = UserFactory(username="xa2", unit=world.commune2, role=Role.MANAGER)
    client.force_login(neighbour)
    for url in pages:
        assert client.get(url).status_code == 404, url
    for name in ("session_delete", "replication_delete"):
        pk = objects["session" if name == "session_delete" else "replication"].pk
        assert client.post(reverse(f"outreach:{name}", args=[pk])).status_code == 404
    assert OutreachSession.objects.count() == 1 and Replication.objects.count() == 1
    assert client.get(reverse("outreach:index"), {"unit": world.commune.pk}).status_code == 404


@pytest.mark.parametrize("persona", ["cell_viewer"])
def test_a_viewer_reads_and_changes_nothing(client, world, persona, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objects = marked(world.commune, world.cell, "Chi bộ")
    client.force_login(getattr(world, persona))
    assert client.get(reverse("outreach:speaker", args=[objects["speaker"].pk])).status_code == 200
    response = client.post(reverse("outreach:session_delete", args=[objects["session"].pk]))
    assert response.status_code == 403
    assert OutreachSession.objects.count() == 1
    model(world.commune_staff)  # the staff still may
