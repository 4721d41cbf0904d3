"""Who opened which concern's details is in the audit: once per person, object and day, in the
object's history and the log that managers read, without the text that was read."""

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.clock import moment, on_day
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.models import State

from .conftest import png, submit, topic

pytestmark = on_day("2026-05-04")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def concern(world):
    report = submit(world.collaborator, title="Khói bụi nhà máy gạch", photos=[png()])
    return services.concern_open(
        actor=world.province_manager, reports=[report], title="Khói bụi", topic=topic(),
        description="", state=State.ACKNOWLEDGED, note="",
    )  # fmt: skip


def views_of(obj, user=None):
    entries = AuditEntry.objects.filter(
        action=AuditAction.VIEW,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
    )
    return list(entries.filter(actor=user) if user else entries)


def test_opening_a_concern_is_recorded_once_a_day_per_person(client, world, concern, time_machine):
    client.force_login(world.commune_staff)
    for _ in range(3):
        assert client.get(f"/concerns/{concern.pk}/").status_code == 200
    client.force_login(world.province_admin)
    client.get(f"/concerns/{concern.pk}/")

    assert len(views_of(concern, world.commune_staff)) == 1
    assert len(views_of(concern, world.province_admin)) == 1
    entry = views_of(concern, world.commune_staff)[0]
    assert entry.before is None and entry.after is None  # what was read is not copied
    assert entry.unit_path == concern.unit_path

    time_machine.move_to(moment("2026-05-05"))
    client.force_login(world.commune_staff)
    client.get(f"/concerns/{concern.pk}/")
    assert len(views_of(concern, world.commune_staff)) == 2


def test_opening_a_report_and_its_photo_is_recorded(client, world, concern):
    report = concern.reports.get()
    photo = report.photos.get()
    client.force_login(world.commune_staff)
    assert client.get(f"/concerns/reports/{report.pk}/").status_code == 200
    assert client.get(f"/concerns/photos/{photo.pk}/").status_code == 200

    assert [e.actor for e in views_of(report)] == [world.commune_staff]
    assert [e.actor for e in views_of(photo)] == [world.commune_staff]


def test_the_reporter_reading_their_own_report_is_not_recorded(client, world, concern):
    report = concern.reports.get()
    client.force_login(world.collaborator)
    client.get(f"/concerns/photos/{report.photos.get().pk}/")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW).count() == 0


def test_what_one_may_not_see_records_nothing(client, world, concern):
    client.force_login(world.neighbour)
    assert client.get(f"/concerns/{concern.pk}/").status_code == 404
    assert views_of(concern) == []


def test_a_manager_reads_who_opened_it_in_its_history_and_the_log(client, world, concern):
    client.force_login(world.commune_staff)
    client.get(f"/concerns/{concern.pk}/")
    kind = ContentType.objects.get_for_model(concern)

    client.force_login(world.province_manager)
    history = client.get(f"/audit/{kind.pk}/{concern.pk}/").content.decode()
    log = client.get("/audit/").content.decode()

    for page in (history, log):
        assert "<td>Xem</td>" in page.replace("\n", "")
        assert str(world.commune_staff) in page
