"""Logging in and out, as a user sees it."""

import re

from django.conf import settings
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

WRONG_PASSWORD_MESSAGE = "Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác."


def submit_login(page, username: str, password: str) -> None:
    """Fill in and send the form; return once the answer has loaded (it may look the same)."""
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng nhập").click()


def test_the_right_password_opens_the_home_page_of_ones_unit(world, page, login):
    login(world.commune_staff)

    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Hoà An")
    expect(page.locator(".usermenu .who")).to_have_text("xa · Xã Hoà An")
    nav = page.get_by_role("navigation", name="Chức năng")
    expect(nav.get_by_role("link")).to_have_text(
        [
            "Tổng quan",
            "Đơn vị",
            "Việc phải làm",
            "Theo dõi tiến độ",
            "Văn bản",
            "Số liệu",
            "Dư luận",
            "Kiểm tra, giám sát",
            "Báo cáo viên, mô hình",
            "Báo cáo bằng văn bản",
            "Đọc văn bản",
            "Lớp bồi dưỡng",
        ]
    )
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_a_manager_also_sees_accounts_and_the_log(world, page, login):
    login(world.province_manager)

    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh A")
    nav = page.get_by_role("navigation", name="Chức năng")
    expect(nav.get_by_role("link")).to_have_text(
        [
            "Tổng quan",
            "Đơn vị",
            "Việc phải làm",
            "Theo dõi tiến độ",
            "Văn bản",
            "Số liệu",
            "Dư luận",
            "Kiểm tra, giám sát",
            "Báo cáo viên, mô hình",
            "Báo cáo bằng văn bản",
            "Đọc văn bản",
            "Lớp bồi dưỡng",
            "Tài khoản",
            "Nhật ký",
        ]
    )


def test_a_wrong_password_shows_the_error_and_stays_on_the_login_page(world, page, live_server):
    page.goto(live_server.url + "/login/")
    submit_login(page, "xa", "mat-khau-sai")

    expect(page.get_by_role("alert")).to_contain_text(WRONG_PASSWORD_MESSAGE)
    expect(page).to_have_url(live_server.url + "/login/")
    expect(page.locator("input[name=username]")).to_have_value("xa")
    expect(page.get_by_role("navigation", name="Chức năng")).to_have_count(0)


def test_after_logging_out_the_home_page_asks_to_log_in_again(world, page, login, live_server):
    login(world.commune_staff)

    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(live_server.url + "/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")

    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/login/?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_a_login_keeps_the_page_asked_for(world, page, live_server):
    page.goto(live_server.url + f"/units/{world.cell.pk}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/units/\d+/$"))

    submit_login(page, "xa", PASSWORD)
    expect(page).to_have_url(live_server.url + f"/units/{world.cell.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ thôn Nà Pài")


def test_repeated_failures_lock_the_account_out_even_for_the_right_password(
    world, page, live_server
):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    page.goto(live_server.url + "/login/")
    for _ in range(limit - 1):
        submit_login(page, "xa", "mat-khau-sai")
        expect(page.get_by_role("alert")).to_contain_text(WRONG_PASSWORD_MESSAGE)

    submit_login(page, "xa", "mat-khau-sai")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    expect(page).to_have_title(re.compile("^Tạm khóa đăng nhập"))
    expect(page.get_by_role("alert")).to_contain_text("Hãy thử lại sau 15 phút")

    page.get_by_role("link", name="Quay lại trang đăng nhập").click()
    submit_login(page, "xa", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    expect(page.get_by_role("navigation", name="Chức năng")).to_have_count(0)
