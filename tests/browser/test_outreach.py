"""The commune records a speaker and one of their sessions through the pages, and sees the
session counted in the table of sessions by period (and a refusal shown beside its field).

world.commune_staff (xa) works at Xã Hoà An."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tuyengiao.text import format_date

from .conftest import open_page, sign_in


@pytest.fixture
def desk(browser, live_server):
    yield from open_page(browser, live_server, viewport={"width": 1280, "height": 900})


def test_a_speaker_and_a_session_are_recorded_and_counted(world, desk, live_server, today):
    page = desk
    sign_in(page, live_server, world.commune_staff)
    nav = page.get_by_role("navigation", name="Chức năng")
    nav.get_by_role("link", name="Báo cáo viên, mô hình").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo viên")
    page.get_by_role("link", name="Thêm báo cáo viên").click()
    page.get_by_label("Họ và tên").fill("Hoàng Văn Dũng")
    page.get_by_label("Chức vụ").fill("Bí thư Chi bộ thôn Nà Pài")
    page.get_by_label("Nhiệm kỳ").fill(f"{today.year - 1}-{today.year + 4}")
    page.get_by_label("Số, ký hiệu quyết định công nhận").fill("45-QĐ/ĐU")
    page.get_by_label("Ngày ban hành quyết định").fill(format_date(today - timedelta(days=30)))
    page.get_by_label("Ngày bắt đầu").fill(format_date(today - timedelta(days=10)))
    page.get_by_label("Ngày kết thúc").fill(format_date(today - timedelta(days=20)))
    page.get_by_role("checkbox", name="Chi bộ thôn Nà Pài").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".field.has-error")).to_contain_text("trước ngày bắt đầu")
    page.get_by_label("Ngày kết thúc").fill(format_date(today + timedelta(days=365)))
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoàng Văn Dũng")
    expect(page.locator("dl.facts")).to_contain_text("45-QĐ/ĐU")

    page.get_by_role("link", name="Ghi nhận buổi nói chuyện").click()
    page.get_by_label("Ngày").fill(format_date(today))
    page.get_by_label("Đơn vị nghe").select_option(label="\u2003Chi bộ thôn Nà Pài")
    page.get_by_label("Chủ đề").fill("Thông tin thời sự trong nước và quốc tế")
    page.get_by_label("Số người nghe").fill("64")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#sessions")).to_contain_text("Thông tin thời sự trong nước")

    page.get_by_role("link", name="Buổi nói chuyện theo kỳ").click()
    expect(page.locator("#total-sessions")).to_have_text("1")
    expect(page.locator("#total-audience")).to_have_text("64")
    expect(page.locator("#by-unit")).to_contain_text("Chi bộ thôn Nà Pài")
    expect(page.locator("#by-speaker")).to_contain_text("Hoàng Văn Dũng")
