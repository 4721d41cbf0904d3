"""Titles made by the system (obligations, notices) and period names show in the reader's
language: English on the English pages, Vietnamese as stored on the Vietnamese ones; what a
person typed (a document's title, a concern's) stays as typed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from tests.clock import on_day
from tests.concerns.conftest import submit, topic
from tests.factories import send
from tests.figures.conftest import build_forms
from tuyengiao.concerns.services import concern_forward, concern_open
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.directives.models import StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.figures.services import report_open
from tuyengiao.notifications.models import Notification
from tuyengiao.notifications.services import send_due_reminders
from tuyengiao.periods import Period

pytestmark = on_day("2026-11-20")

REPORT_VI = "Báo cáo công tác giáo dục chính trị – Tháng 10/2026"
REPORT_EN = "Báo cáo công tác giáo dục chính trị – October 2026"


@pytest.fixture(autouse=True)
def _restore_language():
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def owed(world):
    """What Xã Hoà An owes: October's report, a directive's study step, a concern's answer; and
    the notices its staff got (the document, then the reminders)."""
    forms = build_forms()
    report = report_open(
        actor=None, data_set=forms.monthly, unit=world.commune, period=Period.parse("2026-10")
    )
    directive = directive_register(
        actor=None,
        unit=world.province,
        symbol="01-KL/TW",
        issued_on=date(2021, 5, 18),
        title="Về tiếp tục đổi mới",
    )
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.STUDY, days_after=30)],
        date(2026, 11, 1),
    )
    grouped = submit(world.collaborator, title="Khói bụi nhà máy gạch")
    concern = concern_open(
        actor=world.province_manager, reports=[grouped], title="Khói bụi ở Nà Pài", topic=topic()
    )
    concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.commune,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    send_due_reminders(today=timezone.localdate(), days_before=30)
    return report


def test_obligations_are_stored_in_vietnamese_and_shown_in_the_readers_language(world, owed):
    titles = {o.kind: o for o in Obligation.objects.filter(unit=world.commune)}
    report = titles[ObligationKind.REPORT]
    step = titles[ObligationKind.DIRECTIVE_STEP]
    answer = titles[ObligationKind.CONCERN_ANSWER]
    assert (report.title, step.title, answer.title) == (
        REPORT_VI,
        "Học tập, quán triệt 01-KL/TW",
        "Trả lời vấn đề dư luận: Khói bụi ở Nà Pài",
    )
    with translation.override("vi"):
        assert [o.display_title for o in (report, step, answer)] == [
            report.title,
            step.title,
            answer.title,
        ]
    with translation.override("en"):
        assert [o.display_title for o in (report, step, answer)] == [
            REPORT_EN,
            "Study conference 01-KL/TW",
            "Answer the public concern: Khói bụi ở Nà Pài",
        ]


def test_notices_are_shown_in_the_readers_language(world, owed):
    notices = Notification.objects.filter(recipient=world.commune_staff)
    stored = set(notices.values_list("title", flat=True))
    assert f"Quá hạn: {REPORT_VI}" in stored
    assert "Văn bản mới: 01-KL/TW Về tiếp tục đổi mới" in stored
    with translation.override("en"):
        shown = {n.display_title for n in notices}
    assert f"Overdue: {REPORT_EN}" in shown
    assert "Due soon: Study conference 01-KL/TW" in shown
    assert "New document: 01-KL/TW Về tiếp tục đổi mới" in shown


def test_a_title_typed_by_hand_is_shown_as_typed(world):
    from tests.factories import ObligationFactory

    typed = ObligationFactory(unit=world.commune, title="Chuẩn bị hội nghị")
    with translation.override("en"):
        assert typed.display_title == "Chuẩn bị hội nghị"


def test_the_english_pages_show_english_titles_and_period_names(client, world, owed):
    client.force_login(world.commune_staff)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302

    todo = client.get("/deadlines/").content.decode()
    for text in (REPORT_EN, "Study conference 01-KL/TW", "Answer the public concern"):
        assert text in todo
    for text in ("Tháng 10/2026", "Học tập, quán triệt", "Trả lời vấn đề dư luận"):
        assert text not in todo

    page = client.get(f"/figures/reports/{owed.pk}/").content.decode()
    assert "October 2026" in page and "Tháng 10/2026" not in page

    notices = client.get("/notifications/").content.decode()
    for text in (f"Overdue: {REPORT_EN}", "New document: 01-KL/TW Về tiếp tục đổi mới"):
        assert text in notices
    for text in ("Quá hạn:", "Văn bản mới", "Tháng 10/2026"):
        assert text not in notices

    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert REPORT_VI in client.get("/deadlines/").content.decode()
    assert f"Quá hạn: {REPORT_VI}" in client.get("/notifications/").content.decode()
