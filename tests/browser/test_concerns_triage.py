"""The province office triages on the desktop: the urgent report on top, a report grouped into
the concern the system suggests, then forwarded to a commune, answered and resolved.

world.province_manager (tinh) runs the office of Tỉnh A; world.collaborator (ctv) reported from
Xã Hoà An and is told of every step.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.concerns.conftest import submit
from tuyengiao.concerns import services
from tuyengiao.concerns.models import Concern, State, Topic, Urgency
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.org.models import Role

from ..factories import UserFactory
from .conftest import open_page, sign_in

CONCERN = "Ô nhiễm khói bụi nhà máy gạch"
REPORT = "Người dân bức xúc vì khói bụi của nhà máy gạch"
URGENT = "Sạt lở đất đe dọa nhiều hộ dân ven sông"


@pytest.fixture(autouse=True)
def topics(concern_topics):
    pass


@pytest.fixture
def desk(browser, live_server):
    """The office's desktop screen."""
    yield from open_page(browser, live_server, viewport={"width": 1280, "height": 800})


def action(page, name: str):
    """Open one action of the concern page (a <details>) and return it."""
    box = page.locator("details.action").filter(has=page.get_by_text(name, exact=True))
    box.locator("summary").click()
    return box


def test_the_office_triages_groups_forwards_answers_and_resolves(world, desk, live_server, today):
    boss = world.province_manager
    neighbour_staff = UserFactory(unit=world.other_province, role=Role.STAFF)
    collaborator2 = UserFactory(username="ctv2", unit=world.commune2, role=Role.COLLABORATOR)
    first = submit(world.collaborator, title="Khói từ lò gạch bay vào khu dân cư")
    existing = services.concern_open(
        actor=boss, reports=[first], title=CONCERN, topic=Topic.objects.get(code="moi-truong")
    )
    report = submit(world.collaborator, title=REPORT)
    submit(
        collaborator2,
        title=URGENT,
        topic=Topic.objects.get(code="thien-tai"),
        urgency=Urgency.URGENT,
    )
    page = desk
    sign_in(page, live_server, boss)

    # The queue: the urgent report on top, whatever came in after it.
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Dư luận").click()
    expect(page).to_have_url(live_server.url + "/concerns/triage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh chờ phân loại")
    expect(page.locator(".queue-counts")).to_have_text("2 phản ánh chờ phân loại, 1 khẩn cấp")
    rows = page.locator("table.triage-queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(URGENT)
    expect(rows.first.locator(".urgency")).to_have_text("Khẩn cấp")
    expect(rows.nth(1)).to_contain_text(REPORT)

    # The report: the concern heard before is suggested; one click groups it there.
    rows.nth(1).get_by_role("link", name=REPORT).click()
    expect(page).to_have_url(live_server.url + f"/concerns/reports/{report.pk}/")
    suggestion = page.locator("ul.suggestions li").filter(has_text=CONCERN)
    expect(suggestion.locator(".score")).to_have_text(re.compile(r"^\d{1,3}%$"))
    suggestion.get_by_role("button", name="Gộp vào vấn đề này").click()

    expect(page).to_have_url(live_server.url + f"/concerns/{existing.pk}/")
    expect(page.locator("p.flash")).to_have_text(f"Đã gộp phản ánh vào vấn đề “{CONCERN}”.")
    expect(page.locator("table.concern-reports")).to_contain_text(REPORT)

    # Forward to the commune, from the keyboard: type the due date and press Enter.
    due = today + timedelta(days=10)
    forward = action(page, "Chuyển cơ quan chịu trách nhiệm")
    forward.get_by_label("hoặc đơn vị cấp dưới").select_option(str(world.commune.pk))
    forward.get_by_label("Ghi chú").fill("Đề nghị UBND xã kiểm tra, trả lời")
    due_field = forward.get_by_label("Hạn trả lời")
    expect(due_field).to_have_value((today + timedelta(days=15)).strftime("%d/%m/%Y"))
    due_field.fill("")
    due_field.type(due.strftime("%d/%m/%Y"))
    due_field.press("Enter")
    expect(page.locator("p.flash")).to_have_text("Đã chuyển cơ quan chịu trách nhiệm.")
    expect(page.locator(".concern-facts")).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(page.locator(".concern-facts")).to_contain_text("Xã Hoà An")

    answer = action(page, "Ghi nhận trả lời")
    answer.get_by_label("Nội dung trả lời").fill("Nhà máy cam kết lắp hệ thống lọc bụi")
    answer.get_by_role("button", name="Lưu trả lời").click()
    expect(page.locator("p.flash")).to_have_text("Đã ghi nhận trả lời.")

    resolve = action(page, "Ghi kết quả giải quyết")
    resolve.get_by_label("Kết quả giải quyết").fill("Đã lắp lọc bụi, người dân đồng tình")
    resolve.get_by_role("button", name="Đã giải quyết").click()
    expect(page.locator("p.flash")).to_have_text("Đã ghi kết quả giải quyết.")

    # The timeline tells the story; only reopening (and editing) is left.
    steps = page.locator("ol.timeline li")
    expect(steps).to_have_count(4)
    expect(steps.nth(1)).to_contain_text("Đã tiếp nhận → Đã chuyển cơ quan chịu trách nhiệm")
    expect(steps.nth(1)).to_contain_text("Đề nghị UBND xã kiểm tra, trả lời")
    expect(steps.nth(2)).to_contain_text("→ Đã có trả lời")
    expect(steps.nth(3)).to_contain_text("Đã có trả lời → Đã giải quyết")
    expect(steps.nth(3)).to_contain_text("tinh")
    expect(page.locator("details.action summary")).to_have_text(
        ["Mở lại", "Sửa tiêu đề, tóm tắt, lĩnh vực"]
    )
    expect(page.locator(".concern-facts .resolution")).to_have_text(
        "Đã lắp lọc bụi, người dân đồng tình"
    )

    concern = Concern.objects.get(pk=existing.pk)
    assert concern.state == State.RESOLVED
    assert concern.obligation.done_on == today
    told = Notification.objects.filter(
        recipient=world.collaborator, kind=NotificationKind.CONCERN_UPDATE
    )
    assert told.filter(title__contains="Đã giải quyết", body__contains="lọc bụi").exists()
    alerts = Notification.objects.filter(kind=NotificationKind.CONCERN_URGENT)
    assert boss.pk in set(alerts.values_list("recipient_id", flat=True))
    assert not alerts.filter(recipient=neighbour_staff).exists()


def test_a_long_list_of_bodies_is_searched_by_typing(world, desk, live_server, monkeypatch):
    """Past PICK_LIMIT units (a national account's communes), the forward form's select holds
    only what the search box found: type part of the name, without diacritics, and choose."""
    from tuyengiao.org import forms as org_forms

    monkeypatch.setattr(org_forms, "PICK_LIMIT", 2)
    report = submit(world.collaborator, title=REPORT)
    concern = services.concern_open(
        actor=world.province_manager,
        reports=[report],
        title=CONCERN,
        topic=Topic.objects.get(code="moi-truong"),
    )
    page = desk
    sign_in(page, live_server, world.province_manager)
    page.goto(live_server.url + f"/concerns/{concern.pk}/")
    forward = action(page, "Chuyển cơ quan chịu trách nhiệm")
    select = forward.get_by_label("hoặc đơn vị cấp dưới")
    expect(select.locator("option")).to_have_count(1)
    forward.get_by_role("searchbox", name="Tìm đơn vị để chọn").type("ngan son")
    expect(select.locator("option")).to_have_text(
        ["1 đơn vị tìm được: chọn một", "Xã Ngân Sơn – Tỉnh A"]
    )
    select.select_option(label="Xã Ngân Sơn – Tỉnh A")
    forward.get_by_label("Hạn trả lời").press("Enter")
    expect(page.locator("p.flash")).to_have_text("Đã chuyển cơ quan chịu trách nhiệm.")
    expect(page.locator(".concern-facts")).to_contain_text("Xã Ngân Sơn")
    assert Concern.objects.get(pk=concern.pk).responsible == world.commune2
