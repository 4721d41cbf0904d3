"""The pages: the unit's reports, "Soạn báo cáo", the editor (versions, tables kept or dropped,
numbers flagged), "Gửi cấp trên" and the parent's page with its children side by side."""

from datetime import date

import pytest

from tests.clock import on_day
from tests.narratives.conftest import report_of, work
from tuyengiao.deadlines.models import State
from tuyengiao.narratives.models import NarrativeVersion
from tuyengiao.notifications.models import Notification, NotificationKind

pytestmark = on_day("2026-10-03")


@pytest.fixture
def commune_client(client, schedule):
    client.force_login(schedule.commune_staff)
    return client


def test_write_edit_and_send_a_report(commune_client, schedule):
    world = schedule
    work(world)
    page = commune_client.get(f"/narratives/?unit={world.commune.pk}")
    assert page.status_code == 200 and "Quý III/2026" in page.content.decode()
    response = commune_client.post(
        "/narratives/new/", {"unit": world.commune.pk, "period": "2026Q3"}
    )
    report = report_of(world.commune)
    assert response.status_code == 302 and response["Location"] == f"/narratives/{report.pk}/"
    page = commune_client.get(f"/narratives/{report.pk}/").content.decode()
    assert "Phần thứ nhất" in page and "200 lượt người nghe" in page
    assert 'name="text-p1-i-tuyen-truyen-mieng"' in page
    version = report.versions.get()
    outreach = next(s for s in version.sections if s["key"] == "p1-i-tuyen-truyen-mieng")
    text = "\n".join(p["text"] for p in outreach["paragraphs"]).replace("200 lượt", "300 lượt")
    response = commune_client.post(
        f"/narratives/{report.pk}/",
        {"text-p1-i-tuyen-truyen-mieng": text, "note": "sửa câu chữ"},
        follow=True,
    )
    page = response.content.decode()
    assert report.versions.count() == 2 and "không khớp với số liệu" in page
    latest = report.versions.order_by("-n").first()
    assert latest.note == "sửa câu chữ"
    # nothing to send without a number
    response = commune_client.post(f"/narratives/{report.pk}/send/", {"number": ""}, follow=True)
    assert (
        "This field is required" in response.content.decode()
        or report_of(world.commune).is_sent is False
    )
    response = commune_client.post(f"/narratives/{report.pk}/send/", {"number": "7-BC/ĐU"})
    report = report_of(world.commune)
    assert report.is_sent and report.sent_on == date(2026, 10, 3)
    assert report.obligation.state_on(date(2026, 10, 3)) == State.DONE_ON_TIME
    told = Notification.objects.filter(kind=NotificationKind.NARRATIVE_SENT)
    assert told.exists() and all(n.recipient.unit_id == world.province.pk for n in told)
    # read-only once sent
    response = commune_client.post(f"/narratives/{report.pk}/", {"text-p1-ii-data": "x"})
    assert response.status_code == 403
    assert NarrativeVersion.objects.filter(report=report).count() == 2
    page = commune_client.get(f"/narratives/{report.pk}/").content.decode()
    assert "<textarea" not in page


def test_the_parent_sees_who_sent_and_reads_side_by_side(client, schedule):
    from tuyengiao.narratives import services

    world = schedule
    work(world)
    for unit in (world.commune, world.commune2):
        report = report_of(unit)
        services.narrative_draft(actor=world.province_manager, report=report)
        services.narrative_send(
            actor=world.province_manager, report=report, number="3", today=date(2026, 10, 3)
        )
    client.force_login(world.province_manager)
    ids = [report_of(world.commune).pk, report_of(world.commune2).pk]
    page = client.get(
        f"/narratives/children/?unit={world.province.pk}&period=2026Q3&show={ids[0]}&show={ids[1]}"
    ).content.decode()
    assert "Hoàn thành đúng hạn" in page
    assert page.count('class="narrative column"') == 2


def test_a_bad_period_is_a_message_not_an_error(commune_client, schedule):
    response = commune_client.post(
        "/narratives/new/", {"unit": schedule.commune.pk, "period": "2026Q9"}, follow=True
    )
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()


def test_downloads(commune_client, schedule):
    world = schedule
    commune_client.post("/narratives/new/", {"unit": world.commune.pk, "period": "2026Q3"})
    report = report_of(world.commune)
    response = commune_client.get(f"/narratives/{report.pk}/docx/")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    response = commune_client.get(f"/narratives/{report.pk}/xlsx/")
    assert response.status_code == 200 and response.content[:2] == b"PK"
