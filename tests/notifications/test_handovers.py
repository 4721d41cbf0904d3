"""Handover notices: every time work passes from one unit to another, the receiving side is told,
once — a document sent down, a report sent up, approved or returned, a concern forwarded or
answered. The people told are those who act on the receiving unit's work (active staff, managers,
administrators attached to it), never the actor, never viewers or collaborators."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from tests.concerns.conftest import submit
from tests.factories import UserFactory
from tuyengiao.concerns import services as concerns
from tuyengiao.concerns.models import Topic
from tuyengiao.directives.models import StepKind
from tuyengiao.directives.services import StepPlan, directive_register, directive_send
from tuyengiao.figures import services as figures
from tuyengiao.figures.models import DataSet
from tuyengiao.figures.services import report_open
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.notifications.services import handover
from tuyengiao.org.models import Kind, Role, User
from tuyengiao.org.services import NewUnit, units_create_many
from tuyengiao.periods import Period

TODAY = date(2026, 3, 10)
SENT = date(2026, 3, 2)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PLAN = [StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, months_after=1)]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, tz=None: TODAY if value is None else real(value, tz),
    )


@pytest.fixture
def team(world):
    """Xã Hoà An and its cells: who acts on their work, and who must not be told of it."""
    commune, cell = world.commune, world.cell
    world.commune_manager = UserFactory(
        username="xa-lanhdao", unit=commune, role=Role.MANAGER, email="lanhdao@xa.vn"
    )
    world.commune_admin = UserFactory(
        username="xa-quantri", unit=commune, role=Role.ADMINISTRATOR, email="qt@xa.vn"
    )
    UserFactory(username="xa-xem", unit=commune, role=Role.VIEWER, email="xem@xa.vn")
    UserFactory(username="xa-cu", unit=commune, role=Role.STAFF, email="cu@xa.vn", is_active=False)
    world.cell_staff = UserFactory(
        username="chibo-cv", unit=cell, role=Role.STAFF, email="cv@chibo.vn"
    )
    world.cell2_staff = UserFactory(username="chibo2-cv", unit=world.cell2, role=Role.STAFF)
    return world


COMMUNE_ACTING = {"xa", "xa-lanhdao", "xa-quantri"}


def told(kind) -> list[str]:
    """Who was told of this kind of handover, one name per notice (so twice shows twice)."""
    notes = Notification.objects.filter(kind=kind)
    return sorted(notes.values_list("recipient__username", flat=True))


# Documents sent down -------------------------------------------------------------------------


@pytest.fixture
def kl01(team):
    return directive_register(
        actor=team.province_manager,
        unit=team.province,
        symbol="01-KL/TW",
        issued_on=date(2021, 5, 18),
        title="Tiếp tục thực hiện Chỉ thị 05-CT/TW",
    )


def send(actor, directive, sender, receivers, note=""):
    return directive_send(
        actor=actor,
        directive=directive,
        sender=sender,
        receivers=receivers,
        plan=PLAN,
        sent_on=SENT,
        note=note,
    )


def test_a_document_sent_down_tells_each_receiving_units_acting_people_once(team, kl01):
    send(
        team.province_manager,
        kl01,
        team.province,
        [team.commune, team.commune2, team.cell],
        note="Đề nghị tổ chức học tập trước ngày 30/3.",
    )

    # Not the sender, not the province's own administrator (the province receives nothing),
    # not the viewers, the collaborator or the deactivated account, not a cell not sent to.
    assert told(NotificationKind.DIRECTIVE_SENT) == sorted([*COMMUNE_ACTING, "chibo-cv"])
    note = Notification.objects.get(recipient=team.cell_staff)
    assert note.title == "Văn bản mới: 01-KL/TW Tiếp tục thực hiện Chỉ thị 05-CT/TW"
    assert note.body.splitlines() == [
        "Tỉnh A gửi ngày 02/03/2026.",
        "Các bước: Ban hành kế hoạch (hạn 17/03/2026); Học tập, quán triệt (hạn 02/04/2026).",
        "Hạn gần nhất: 17/03/2026.",
        "Ghi chú của đơn vị gửi: Đề nghị tổ chức học tập trước ngày 30/3.",
    ]
    assert note.url == f"/directives/{kl01.pk}/"
    assert note.read_at is None

    # Sent again to units that have it: they are skipped, and nobody is told twice. The commune
    # passes it on to its cells: only the cell that is new to it hears, not the commune's sender.
    send(team.province_manager, kl01, team.province, [team.commune, team.cell])
    send(team.commune_staff, kl01, team.commune, [team.cell, team.cell2], note="Chi bộ làm ngay.")
    assert told(NotificationKind.DIRECTIVE_SENT) == sorted(
        [*COMMUNE_ACTING, "chibo-cv", "chibo2-cv"]
    )
    passed_on = Notification.objects.get(recipient=team.cell2_staff)
    assert passed_on.body.splitlines()[0] == "Xã Hoà An gửi ngày 02/03/2026."
    assert passed_on.body.splitlines()[-1] == "Ghi chú của đơn vị gửi: Chi bộ làm ngay."


def test_the_same_handover_called_again_tells_nobody_twice(team, kl01):
    def again():
        return handover(
            to_units=[team.commune, team.cell],
            kind=NotificationKind.DIRECTIVE_SENT,
            title="Văn bản mới: 01-KL/TW",
            url=kl01.get_absolute_url(),
            source=kl01,
            event="send",
            actor=team.province_manager,
        )

    first = again()
    assert Notification.objects.filter(batch=first).count() == 4
    second = again()
    assert not Notification.objects.filter(batch=second).exists()
    assert told(NotificationKind.DIRECTIVE_SENT) == sorted([*COMMUNE_ACTING, "chibo-cv"])
    # Another handover of the same document (another event) is news again.
    handover(
        to_units=team.cell,
        kind=NotificationKind.DIRECTIVE_SENT,
        title="Văn bản: nhắc lại",
        source=kl01,
        event="resend",
    )
    assert Notification.objects.filter(recipient=team.cell_staff).count() == 2
    with pytest.raises(ValueError):
        handover(to_units=team.cell, kind=NotificationKind.DIRECTIVE_SENT, title="x", source=kl01)


def test_the_receiver_sees_the_senders_note_on_the_document_page(client, team, kl01):
    send(team.province_manager, kl01, team.province, [team.commune], note="Kèm tài liệu hỏi đáp.")
    send(team.commune_staff, kl01, team.commune, [team.cell], note="Chi bộ học tập trong tháng 3.")

    client.force_login(team.cell_staff)
    page = client.get(f"/directives/{kl01.pk}/").content.decode()
    assert "Chi bộ thôn Nà Pài nhận văn bản từ Xã Hoà An ngày 02/03/2026" in page
    assert "Ghi chú của đơn vị gửi" in page and "Chi bộ học tập trong tháng 3." in page
    assert "Kèm tài liệu hỏi đáp." not in page  # the note of the send that reached the cell

    client.force_login(team.commune_manager)
    page = client.get(f"/directives/{kl01.pk}/").content.decode()
    assert "Xã Hoà An nhận văn bản từ Tỉnh A ngày 02/03/2026" in page
    assert "Kèm tài liệu hỏi đáp." in page

    # The unit that registered it received it from nobody.
    client.force_login(team.province_manager)
    page = client.get(f"/directives/{kl01.pk}/").content.decode()
    assert "nhận văn bản từ" not in page and "Ghi chú của đơn vị gửi" not in page


@override_settings(TASKS=IMMEDIATE)
def test_the_receivers_with_an_address_get_an_email_after_the_commit(
    team, kl01, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(team.province_manager, kl01, team.province, [team.commune, team.cell])
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1  # one e-mail task for the whole send
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"lanhdao@xa.vn", "qt@xa.vn", "cv@chibo.vn"}
    message = by_address["cv@chibo.vn"]
    assert "1 thông báo mới" in message.subject
    assert "Văn bản mới: 01-KL/TW" in message.body and f"/directives/{kl01.pk}/" in message.body
    assert "\n  Hạn gần nhất: 17/03/2026.\n" in message.body  # each line of the notice indented

    # Sent again: nobody new, so no e-mail task at all.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send(team.province_manager, kl01, team.province, [team.commune, team.cell])
    assert callbacks == [] and len(mail.outbox) == 3


def test_a_send_to_1400_units_tells_them_in_one_statement(team, kl01):
    cells = units_create_many(
        actor=None,
        rows=[NewUnit(team.commune, f"Chi bộ số {i}", kind=Kind.CELL) for i in range(1400)],
    )
    User.objects.bulk_create(
        User(username=f"cv{i}", unit=cell, role=Role.STAFF) for i, cell in enumerate(cells)
    )
    with CaptureQueriesContext(connection) as captured:
        result = send(team.province_manager, kl01, team.province, cells)
    assert result.assigned == 1400
    touching = [q["sql"] for q in captured if "notifications_notification" in q["sql"]]
    assert len(touching) == 1 and touching[0].startswith("INSERT")
    assert Notification.objects.filter(kind=NotificationKind.DIRECTIVE_SENT).count() == 1400
    assert not Notification.objects.filter(recipient__unit=team.commune).exists()

    # The handover alone: the same handful of queries for 1,400 units as for one.
    def handover_queries(units) -> int:
        with CaptureQueriesContext(connection) as captured:
            handover(
                to_units=units,
                kind=NotificationKind.DIRECTIVE_SENT,
                title="x",
                source=team.commune,
                event=f"test:{len(units)}",
            )
        return len(captured)

    assert handover_queries(cells) == handover_queries(cells[:1]) <= 2


# Reports sent up, approved, returned ----------------------------------------------------------


@pytest.fixture
def monthly(team) -> DataSet:
    return DataSet.objects.create(
        code="BM01",
        name="công tác giáo dục chính trị",
        period_kind="month",
        levels=["commune", "cell"],
        first_period="2026-01",
        due_days=5,
        lock_days=20000,
    )


def open_report(actor, data_set, unit, period="2026-02"):
    return report_open(actor=actor, data_set=data_set, unit=unit, period=Period.parse(period))


def test_a_report_sent_up_tells_the_unit_above_once_per_sending(team, monthly):
    report = open_report(team.cell_staff, monthly, team.cell)
    figures.report_submit(actor=team.cell_staff, report=report)

    # The commune above, which approves it: its acting people, not the cell's sender.
    assert told(NotificationKind.REPORT_SUBMITTED) == sorted(COMMUNE_ACTING)
    note = Notification.objects.get(recipient=team.commune_manager)
    assert note.title == (
        "Báo cáo công tác giáo dục chính trị – Tháng 2/2026 của Chi bộ thôn Nà Pài "
        "đã gửi, chờ duyệt"
    )
    assert note.body == "Gửi ngày 10/03/2026, người gửi: chibo-cv (Chi bộ thôn Nà Pài)."
    assert note.url == f"/figures/reports/{report.pk}/"

    # A double submit is refused and tells nobody again.
    with pytest.raises(ValidationError):
        figures.report_submit(actor=team.cell_staff, report=report)
    assert len(told(NotificationKind.REPORT_SUBMITTED)) == 3

    # Taken back and sent again after a correction: that is a new sending, told again.
    figures.report_withdraw(actor=team.cell_staff, report=report)
    figures.report_submit(actor=team.cell_staff, report=report)
    assert told(NotificationKind.REPORT_SUBMITTED) == sorted([*COMMUNE_ACTING] * 2)

    # A commune's report goes to the province.
    commune_report = open_report(team.commune_staff, monthly, team.commune)
    figures.report_submit(actor=team.commune_staff, report=commune_report)
    province = ["quantri", "tinh"]
    assert told(NotificationKind.REPORT_SUBMITTED) == sorted([*COMMUNE_ACTING] * 2 + province)


def test_an_approved_report_tells_the_reporting_unit(team, monthly):
    report = open_report(team.cell_staff, monthly, team.cell)
    figures.report_submit(actor=team.cell_staff, report=report)
    figures.report_approve(actor=team.commune_manager, report=report)

    assert told(NotificationKind.REPORT_APPROVED) == ["chibo-cv"]
    note = Notification.objects.get(kind=NotificationKind.REPORT_APPROVED)
    assert note.title == "Báo cáo công tác giáo dục chính trị – Tháng 2/2026 đã được duyệt"
    assert note.body == "Người duyệt: xa-lanhdao (Xã Hoà An), ngày 10/03/2026."
    assert note.url == f"/figures/reports/{report.pk}/"


def test_a_report_reopened_for_correction_tells_the_reporting_unit_with_the_reason(team, monthly):
    report = open_report(team.cell_staff, monthly, team.cell)
    figures.report_submit(actor=team.cell_staff, report=report)
    figures.report_approve(actor=team.commune_manager, report=report)
    figures.report_unlock(actor=team.commune_manager, report=report, reason="Sai số học viên")

    assert told(NotificationKind.REPORT_RETURNED) == ["chibo-cv"]
    note = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED)
    assert note.title == "Báo cáo công tác giáo dục chính trị – Tháng 2/2026 được mở lại để sửa"
    assert note.body == "Người mở khoá: xa-lanhdao (Xã Hoà An). Lý do: Sai số học viên"

    # Corrected, sent, approved and returned again: each is a new handover, told once more.
    figures.report_submit(actor=team.cell_staff, report=report)
    figures.report_approve(actor=team.commune_manager, report=report)
    figures.report_unlock(actor=team.commune_manager, report=report, reason="Thiếu ghi chú")
    assert told(NotificationKind.REPORT_RETURNED) == ["chibo-cv", "chibo-cv"]
    assert told(NotificationKind.REPORT_APPROVED) == ["chibo-cv", "chibo-cv"]
    assert not Notification.objects.filter(recipient=team.commune_manager).exclude(
        kind=NotificationKind.REPORT_SUBMITTED
    )


# Concerns forwarded and answered --------------------------------------------------------------


def concern_from(team, reporter):
    """A concern of Xã Hoà An, opened by its staff from one report."""
    report = submit(reporter, unit=team.commune, title="Khói bụi từ nhà máy gạch")
    return concerns.concern_open(
        actor=team.commune_staff,
        reports=[report],
        title="Khói bụi nhà máy gạch",
        topic=Topic.objects.get(code="moi-truong"),
    )


def forward(team, concern, unit, due=date(2026, 3, 25)):
    return concerns.concern_forward(
        actor=team.commune_staff,
        concern=concern,
        responsible=unit,
        due_on=due,
        note="Đề nghị kiểm tra, trả lời trước hạn.",
    )


def test_a_forwarded_concern_tells_the_responsible_body_once(team):
    concern = forward(team, concern_from(team, team.collaborator), team.cell)

    assert told(NotificationKind.CONCERN_FORWARD) == ["chibo-cv"]
    note = Notification.objects.get(kind=NotificationKind.CONCERN_FORWARD)
    assert note.title == "Vấn đề dư luận chuyển đến: Khói bụi nhà máy gạch"
    assert note.body.splitlines() == [
        "Xã Hoà An chuyển ngày 10/03/2026, hạn trả lời 25/03/2026.",
        "Ghi chú: Đề nghị kiểm tra, trả lời trước hạn.",
    ]
    assert note.url == f"/concerns/{concern.pk}/"
    # The collaborator hears as a reporter, as before; the office that forwarded hears nothing.
    assert told(NotificationKind.CONCERN_UPDATE) == ["ctv", "ctv"]
    assert not Notification.objects.filter(recipient__unit=team.commune).exclude(
        recipient=team.collaborator
    )

    # The same forwarding sent twice (a double submit) is one handover; a new due date or
    # another body is a new one.
    forward(team, concern, team.cell)
    assert told(NotificationKind.CONCERN_FORWARD) == ["chibo-cv"]
    forward(team, concern, team.cell2)
    assert told(NotificationKind.CONCERN_FORWARD) == ["chibo-cv", "chibo2-cv"]


def test_the_actor_is_never_told_of_their_own_handover(team):
    """The office forwards a concern to its own unit: its colleagues hear, the sender does not."""
    forward(team, concern_from(team, team.collaborator), team.commune)
    assert told(NotificationKind.CONCERN_FORWARD) == ["xa-lanhdao", "xa-quantri"]


def test_an_answer_from_the_responsible_body_tells_the_office_that_forwarded_it(team):
    concern = forward(team, concern_from(team, team.collaborator), team.cell)
    concerns.concern_answer(actor=team.cell_staff, concern=concern, answer="Đã yêu cầu lọc bụi.")

    assert told(NotificationKind.CONCERN_ANSWER) == sorted(COMMUNE_ACTING)
    note = Notification.objects.get(
        kind=NotificationKind.CONCERN_ANSWER, recipient=team.commune_staff
    )
    assert note.title == "Đã có trả lời: Khói bụi nhà máy gạch"
    assert note.body == "Chi bộ thôn Nà Pài trả lời ngày 10/03/2026: Đã yêu cầu lọc bụi."
    assert note.url == f"/concerns/{concern.pk}/"
    assert not Notification.objects.filter(
        recipient=team.cell_staff, kind=NotificationKind.CONCERN_ANSWER
    )


def test_an_answer_the_office_records_itself_is_no_news_to_it(team):
    concern = forward(team, concern_from(team, team.collaborator), team.cell)
    concerns.concern_answer(actor=team.commune_manager, concern=concern, answer="Đã xử lý.")
    assert told(NotificationKind.CONCERN_ANSWER) == []

    # Forwarded again and answered by a unit above (the province): the office hears of it.
    concern = forward(team, concern, team.cell, due=date(2026, 4, 10))
    concerns.concern_answer(actor=team.province_manager, concern=concern, answer="Đã xong.")
    assert told(NotificationKind.CONCERN_ANSWER) == sorted(COMMUNE_ACTING)


def test_nobody_hears_the_same_news_twice_in_one_action(team):
    """A manager of the office reported it too: told once, as the office, not again as reporter."""
    concern = forward(team, concern_from(team, team.commune_manager), team.cell)
    last = Notification.objects.latest("id").pk

    concerns.concern_answer(actor=team.cell_staff, concern=concern, answer="Đã kiểm tra.")
    [news] = Notification.objects.filter(recipient=team.commune_manager, pk__gt=last)
    assert news.kind == NotificationKind.CONCERN_ANSWER
    assert told(NotificationKind.CONCERN_ANSWER) == sorted(COMMUNE_ACTING)
