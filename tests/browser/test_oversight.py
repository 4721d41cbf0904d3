"""The province inspects a commune through the pages: it sets up the inspection, announces it,
records the working session and the conclusion with two recommendations; the commune reports
on one with evidence; the province accepts it; the recommendation matrix then shows one closed
and one open.

world.province_manager (tinh) runs the office of Tỉnh A; world.commune_staff (xa) works at Xã
Hoà An.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.uploads import PDF_BYTES
from tuyengiao.oversight.models import Recommendation, RecommendationState, WorkArea
from tuyengiao.text import format_date

from .conftest import open_page, sign_in

TITLE = "Kiểm tra công tác tuyên giáo tại Xã Hoà An"
FIRST = "Tổ chức lại hội nghị học tập nghị quyết cho đảng viên"
SECOND = "Kiện toàn đội ngũ báo cáo viên cấp xã"


@pytest.fixture(autouse=True)
def work_areas(db):
    """The fields of work of the oversight migration: a live server's database is emptied
    after each test, and the migration's rows with it."""
    from importlib import import_module

    areas = import_module("tuyengiao.oversight.migrations.0002_work_areas").WORK_AREAS
    for position, (code, name) in enumerate(areas, start=1):
        WorkArea.objects.get_or_create(code=code, defaults={"name": name, "position": position})


@pytest.fixture
def desk(browser, live_server):
    yield from open_page(browser, live_server, viewport={"width": 1280, "height": 900})


def as_user(page, live_server, user):
    page.context.clear_cookies()
    sign_in(page, live_server, user)


def test_an_inspection_from_decision_to_an_accepted_recommendation(world, desk, live_server, today):
    page = desk
    day = lambda offset: format_date(today + timedelta(days=offset))  # noqa: E731
    as_user(page, live_server, world.province_manager)

    # The inspection is set up from the oversight pages, with its decision and delegation.
    nav = page.get_by_role("navigation", name="Chức năng")
    nav.get_by_role("link", name="Kiểm tra, giám sát").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kiểm tra, giám sát")
    page.get_by_role("link", name="Thêm cuộc kiểm tra, giám sát").click()
    page.get_by_label("Tên cuộc kiểm tra, giám sát").fill(TITLE)
    page.get_by_label("Nội dung").fill("Việc học tập, quán triệt nghị quyết; tuyên truyền miệng.")
    page.get_by_role("checkbox", name="Xã Hoà An").check()
    page.get_by_label("Ngày bắt đầu").fill(day(-5))
    page.get_by_label("Ngày kết thúc").fill(day(60))  # too long for a province: refused
    page.get_by_label("Số, ký hiệu quyết định thành lập đoàn").fill("15-QĐ/BTGDVTU")
    page.get_by_label("Ngày ký quyết định").fill(day(-7))
    page.get_by_label("Thành phần đoàn").fill(
        "Nguyễn Văn An; Phó Trưởng Ban; Trưởng đoàn\nLê Thị Bình; Chuyên viên; Thư ký"
    )
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".field.has-error")).to_contain_text("tối đa 45 ngày")
    page.get_by_label("Ngày kết thúc").fill(day(5))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("dl.facts")).to_contain_text("15-QĐ/BTGDVTU")

    # Announced: the commune owes its self-inspection report by today.
    page.get_by_role("link", name="Công bố quyết định").click()
    page.get_by_label("Hạn nộp báo cáo tự kiểm tra").fill(day(0))
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator("#inspected")).to_contain_text("Còn hạn")

    # The working session's record, then the conclusion with two recommendations.
    page.get_by_role("link", name="Ghi biên bản làm việc").click()
    page.get_by_label("Ngày làm việc").fill(day(0))
    page.get_by_label("Biên bản làm việc").fill("Đoàn làm việc với Ban Thường vụ Đảng ủy xã.")
    page.get_by_role("button", name="Ghi nhận").click()
    page.get_by_role("link", name="Ghi thông báo kết luận").click()
    page.get_by_label("Số, ký hiệu thông báo kết luận").fill("20-TB/BTGDVTU")
    page.get_by_label("Ngày ban hành").fill(day(0))
    page.locator("select[name=findings-0-area]").select_option(label="Dân vận")
    page.locator("textarea[name=findings-0-text]").fill("Công tác dân vận chưa sâu sát.")
    page.locator("textarea[name=recommendations-0-text]").fill(FIRST)
    page.locator("input[name=recommendations-0-due_on]").fill(day(30))
    page.locator("textarea[name=recommendations-1-text]").fill(SECOND)
    page.locator("input[name=recommendations-1-due_on]").fill(day(45))
    page.get_by_role("button", name="Ghi thông báo kết luận").click()
    rows = page.locator("#recommendations tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("ol.procedure li[aria-current=step]")).to_have_text("Đã kết luận")

    # The commune reports on the first, with evidence: refused without it, then sent.
    as_user(page, live_server, world.commune_staff)
    first = Recommendation.objects.get(text=FIRST)
    page.goto(live_server.url + first.get_absolute_url())
    page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức lại hội nghị, 95% đảng viên dự.")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".field.has-error")).to_contain_text("tài liệu chứng minh")
    page.get_by_label("Kết quả thực hiện").fill("Đã tổ chức lại hội nghị, 95% đảng viên dự.")
    page.get_by_label("Tài liệu chứng minh (PDF, Word; tối đa 20 MB)").set_input_files(
        {"name": "bien-ban-hoi-nghi.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator("#recommendation-state")).to_have_text("Đã báo cáo, chờ xem xét")
    expect(page.get_by_role("button", name="Công nhận hoàn thành")).to_have_count(0)

    # The province accepts it: done on the day the commune reported.
    as_user(page, live_server, world.province_manager)
    page.goto(live_server.url + first.get_absolute_url())
    page.get_by_role("button", name="Công nhận hoàn thành").click()
    expect(page.locator("#recommendation-state")).to_have_text("Đã được công nhận hoàn thành")
    first.refresh_from_db()
    assert first.state == RecommendationState.ACCEPTED and first.done_on == today

    # The matrix: Xã Hoà An has one closed (on time) and one open.
    page.goto(live_server.url + "/oversight/")
    page.get_by_role("link", name="Theo dõi kiến nghị").click()
    row = page.locator("#matrix tbody tr").filter(has_text="Xã Hoà An")
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("2")  # in all
    expect(cells.nth(2)).to_have_text("1")  # done on time
    expect(cells.nth(4)).to_have_text("1")  # pending
    expect(cells.nth(5)).to_have_text("0")  # overdue
    row.get_by_role("link", name="1").last.click()
    expect(page.locator("#recommendation-list tbody")).to_contain_text(SECOND)
    expect(page.locator("#recommendation-list tbody")).not_to_contain_text(FIRST)
