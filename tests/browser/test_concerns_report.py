"""A collaborator reports a concern from a phone (360 px wide), online and offline.

world.collaborator (ctv) works at Xã Hoà An. Offline, a report waits in the browser's outbox
and is sent once when the phone is back online; what is typed survives a reload.
"""

import pytest
from playwright.sync_api import expect

from tuyengiao.concerns.models import ConcernReport, Mood, Source, Spread, Urgency

from .conftest import open_page, sign_in

PRIVACY = "Không ghi tên, số điện thoại, số giấy tờ của người dân."
OFFLINE = "Chưa có mạng: phản ánh đã được lưu trên máy và sẽ tự gửi khi có mạng."
TITLE = "Lo lắng giá đền bù đường tránh"
CONTENT = "Nhiều hộ cho rằng giá đền bù thấp hơn giá thị trường, đề nghị xem xét lại."


@pytest.fixture(autouse=True)
def topics(concern_topics):
    pass


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized browser context; the test turns its network off and on."""
    yield from open_page(
        browser,
        live_server,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
    )


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone: {width}px wide"


def choose(page, group: str, label: str):
    page.get_by_role("group", name=group).get_by_text(label, exact=True).click()


def fill_report(page, title=TITLE, content=CONTENT):
    page.get_by_label("Lĩnh vực").select_option(label="Đất đai, bồi thường, giải phóng mặt bằng")
    page.get_by_label("Tiêu đề ngắn").fill(title)
    page.get_by_label("Người dân đang nói gì").fill(content)
    choose(page, "Mức độ lan rộng", "Nhiều địa bàn")
    choose(page, "Tâm trạng chung", "Lo lắng")
    choose(page, "Nghe được ở đâu", "Tại cuộc họp, hội nghị")
    choose(page, "Mức độ khẩn", "Cần quan tâm sớm")


def status(page):
    return page.locator("[data-concern-status]")


def test_a_collaborator_reports_from_a_phone_and_sees_it_as_new(world, phone, live_server):
    page = phone
    sign_in(page, live_server, world.collaborator)
    # Their home page is the report page; the top bar holds their links only, on one line:
    # their own first, the account's reached by swiping it (tests/browser/test_phone_header.py).
    expect(page).to_have_url(live_server.url + "/concerns/new/")
    nav = page.get_by_role("navigation", name="Chức năng")
    expect(nav.get_by_role("link")).to_have_text(["Gửi phản ánh", "Phản ánh đã gửi"])
    expect(page.get_by_role("search")).to_have_count(0)
    expect(page.get_by_role("link", name="Thông báo (0)")).to_be_in_viewport()
    no_sideways_scroll(page)
    nav.get_by_role("link", name="Phản ánh đã gửi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phản ánh đã gửi")
    expect(page.get_by_text("Bạn chưa gửi phản ánh nào.")).to_be_visible()
    loaded = []

    def keep(response):
        loaded.append(response)

    page.on("response", keep)
    page.get_by_role("link", name="Gửi phản ánh mới").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi phản ánh dư luận")
    page.wait_for_load_state("load")
    page.remove_listener("response", keep)
    # A light page for a weak connection: no htmx, a few kilobytes in all.
    assert not [r.url for r in loaded if "htmx" in r.url]
    # What crossed the wire (the body itself may already be gone from the browser's cache).
    weight = sum(r.request.sizes()["responseBodySize"] for r in loaded if r.status == 200)
    assert 2_000 < weight < 50_000, f"the report page weighs {weight} bytes"
    expect(page.get_by_text(PRIVACY)).to_be_visible()
    expect(page.get_by_role("combobox", name="Địa bàn")).to_have_value(str(world.commune.pk))
    expect(page.get_by_text("trừ ảnh")).to_be_visible()  # the draft keeps no photos, and says so
    no_sideways_scroll(page)

    place = page.get_by_role("combobox", name="Địa bàn")
    place.select_option(label="\xa0\xa0\xa0Chi bộ thôn Nà Pài")
    fill_report(page)
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Gửi phản ánh").click()
    assert sent.value.status == 201  # sent by the page's script, which then opens "mine"

    expect(page).to_have_url(live_server.url + "/concerns/mine/")
    expect(page.locator("main p.flash").first).to_have_text(f"Đã gửi phản ánh “{TITLE}”.")
    item = page.locator("li.my-report").filter(has_text=TITLE)
    expect(item.locator(".concern-state")).to_have_text("Mới")
    expect(item).to_contain_text("Chi bộ thôn Nà Pài")
    no_sideways_scroll(page)

    report = ConcernReport.objects.get()
    assert (report.reporter, report.unit) == (world.collaborator, world.cell)
    assert (report.spread, report.mood) == (Spread.SEVERAL, Mood.WORRIED)
    assert report.source == Source.MEETING
    assert report.urgency == Urgency.HIGH and report.client_id is not None

    # The draft was cleared by the send: a new form is empty.
    page.get_by_role("link", name="Gửi phản ánh mới").click()
    expect(page.get_by_label("Tiêu đề ngắn")).to_have_value("")


def test_offline_the_report_waits_on_the_phone_and_is_sent_once_back_online(
    world, phone, live_server
):
    page = phone
    sign_in(page, live_server, world.collaborator)
    page.goto(live_server.url + "/concerns/new/")
    fill_report(page)

    page.context.set_offline(True)
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(status(page)).to_have_text(OFFLINE)
    assert not ConcernReport.objects.exists()
    expect(page.get_by_label("Tiêu đề ngắn")).to_have_value("")  # ready for the next one

    page.context.set_offline(False)
    expect(status(page)).to_have_text(f"Đã gửi phản ánh lưu trên máy: “{TITLE}”.")
    report = ConcernReport.objects.get()
    assert report.title == TITLE and report.content == CONTENT

    # Opening the pages again sends nothing twice.
    page.reload()
    page.goto(live_server.url + "/concerns/mine/")
    expect(page.locator("li.my-report")).to_have_count(1)
    expect(page.locator("li.my-report .concern-state")).to_have_text("Mới")
    assert ConcernReport.objects.count() == 1


def test_the_draft_survives_a_reload(world, phone, live_server):
    page = phone
    sign_in(page, live_server, world.collaborator)
    page.goto(live_server.url + "/concerns/new/")
    page.get_by_label("Tiêu đề ngắn").fill(TITLE)
    page.get_by_label("Người dân đang nói gì").fill(CONTENT)
    choose(page, "Tâm trạng chung", "Bức xúc, không đồng tình")

    page.reload()
    expect(status(page)).to_have_text("Đã mở lại bản nháp đang soạn trên máy này.")
    expect(page.get_by_label("Tiêu đề ngắn")).to_have_value(TITLE)
    expect(page.get_by_label("Người dân đang nói gì")).to_have_value(CONTENT)
    expect(page.get_by_label("Bức xúc, không đồng tình")).to_be_checked()
    assert not ConcernReport.objects.exists()


def test_a_kept_report_with_a_phone_number_comes_back_to_be_fixed(world, phone, live_server):
    page = phone
    sign_in(page, live_server, world.collaborator)
    page.goto(live_server.url + "/concerns/new/")
    fill_report(page, content="Ai cần hỏi thì gọi 0912 345 678.")
    page.context.set_offline(True)
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(status(page)).to_have_text(OFFLINE)

    page.context.set_offline(False)
    expect(status(page)).to_have_text(
        "Phản ánh lưu trên máy chưa gửi được, hãy sửa theo ghi chú rồi gửi lại."
    )
    content = page.get_by_label("Người dân đang nói gì")
    expect(content).to_have_value("Ai cần hỏi thì gọi 0912 345 678.")
    expect(page.locator('[data-field="content"] .error')).to_contain_text("số điện thoại")
    assert not ConcernReport.objects.exists()

    content.fill("Bà con muốn được giải thích cách tính giá đền bù.")
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page).to_have_url(live_server.url + "/concerns/mine/")
    fixed = ConcernReport.objects.get()
    assert fixed.content == "Bà con muốn được giải thích cách tính giá đền bù."
