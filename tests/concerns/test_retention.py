"""Retention: reports older than CONCERN_TEXT_RETENTION_YEARS lose their text and photos; what
they counted stays, the purge is audited and the text is gone from the log too."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from tests.clock import moment
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.models import ConcernPhoto, ConcernReport, State
from tuyengiao.concerns.retention import cutoff, purge_old_text

from .conftest import png, submit, topic

TODAY = date(2026, 5, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reports(world, time_machine):
    time_machine.move_to(moment("2021-05-03"))
    old = submit(world.collaborator, title="Khói bụi nhà máy gạch", photos=[png()])
    time_machine.move_to(moment("2021-05-04"))
    recent = submit(world.collaborator, title="Khói bụi lại tăng", photos=[png()])
    services.concern_open(
        actor=world.province_manager, reports=[old, recent], title="Khói bụi", topic=topic(),
        description="", state=State.ACKNOWLEDGED, note="",
    )  # fmt: skip
    return old, recent


def test_old_reports_lose_their_text_and_photos_and_keep_what_they_counted(
    reports, media, django_capture_on_commit_callbacks
):
    old, recent = reports
    kept = ConcernReport.objects.values("topic", "unit", "concern", "urgency", "created_at")
    before = {r["concern"]: r for r in kept.filter(pk=old.pk)}
    old_photo = old.photos.get()

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        assert purge_old_text(today=TODAY, years=5) == 1

    old.refresh_from_db()
    assert (old.title, old.content, old.search_key) == ("", "", "")
    assert old.text_purged_on == TODAY
    assert {r["concern"]: r for r in kept.filter(pk=old.pk)} == before
    assert old.concern.report_count == 2 and old.concern.state == State.ACKNOWLEDGED
    assert not old.photos.exists() and not (media / old_photo.image.name).exists()
    recent.refresh_from_db()
    assert recent.title == "Khói bụi lại tăng" and recent.photos.exists()
    assert purge_old_text(today=TODAY, years=5) == 0  # once


def test_the_purge_is_audited_and_the_text_leaves_the_log(reports):
    old, _recent = reports
    purge_old_text(today=TODAY, years=5)
    entries = AuditEntry.objects.filter(object_id=str(old.pk), content_type__model="concernreport")
    purge = entries.get(verb="retention")
    assert purge.action == AuditAction.UPDATE and purge.after["text_purged_on"] == "2026-05-04"
    assert "Khói bụi nhà máy gạch" not in str(list(entries.values_list("before", "after")))
    assert AuditEntry.objects.filter(verb="retention", action=AuditAction.DELETE).count() == 1


def test_pages_say_the_text_was_purged(client, world, reports):
    old, _recent = reports
    purge_old_text(today=TODAY, years=5)
    old.refresh_from_db()
    client.force_login(world.commune_staff)
    for url in (f"/concerns/reports/{old.pk}/", f"/concerns/{old.concern_id}/"):
        assert "(nội dung đã xoá theo thời hạn lưu trữ)" in client.get(url).content.decode()


def test_nothing_is_purged_without_a_retention_period(reports, settings):
    settings.CONCERN_TEXT_RETENTION_YEARS = None
    assert purge_old_text(today=TODAY) == 0
    assert not ConcernReport.objects.filter(text_purged_on__isnull=False).exists()


def test_the_command_reads_the_setting(reports, settings):
    settings.CONCERN_TEXT_RETENTION_YEARS = 5
    out = io.StringIO()
    call_command("purge_concern_text", "--today", "2026-05-04", stdout=out)
    assert "1 phản ánh" in out.getvalue()
    assert ConcernPhoto.objects.count() == 1


def test_a_year_back_from_29_february_is_28_february():
    assert cutoff(date(2028, 2, 29), 1) == date(2027, 2, 28)
    assert cutoff(TODAY, 5) == date(2021, 5, 4)
