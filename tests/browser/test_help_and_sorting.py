"""Help from every page (on a phone too), units in Vietnamese order, the warning before a
lock-out and the way out of a forgotten password."""

from playwright.sync_api import expect

from tests.factories import UnitFactory

from .conftest import open_page, sign_in
from .test_login import submit_login

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_the_help_is_one_tap_away_on_a_phone(world, browser, live_server):
    for page in open_page(browser, live_server, **PHONE):
        sign_in(page, live_server, world.commune_staff)
        page.goto(live_server.url + f"/units/{world.commune.pk}/")
        link = page.locator("header").get_by_role("link", name="Hướng dẫn")
        expect(link).to_be_visible()
        link.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Hướng dẫn sử dụng")
        expect(
            page.get_by_role("heading", name="Các trạng thái và thế nào là quá hạn")
        ).to_be_visible()
        expect(page.locator("#typing")).to_contain_text("24.193")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_children_of_a_unit_come_in_vietnamese_order(world, page, login, live_server):
    for name in ("Xã Yên Bình", "Xã Đức Lương", "Xã Đại Phúc", "Xã Cường Lợi", "Xã Cẩm Giàng"):
        UnitFactory(parent=world.province, name=name)
    login(world.province_manager)
    page.goto(live_server.url + f"/units/{world.province.pk}/")
    names = page.locator("table#children tbody tr td:first-child a")
    expect(names).to_have_text(
        [
            "Ban Tuyên giáo và Dân vận Tỉnh ủy A",  # agencies first
            "Xã Cẩm Giàng",
            "Xã Cường Lợi",
            "Xã Đại Phúc",
            "Xã Đức Lương",
            "Xã Hoà An",
            "Xã Ngân Sơn",
            "Xã Yên Bình",
        ]
    )


def test_the_login_page_warns_before_the_last_try_and_offers_the_forgotten_password(
    world, page, live_server
):
    page.goto(live_server.url + "/login/")
    for _ in range(3):
        submit_login(page, "xa", "mat-khau-sai")
    expect(page.locator("#lockout-warning")).to_contain_text("Còn 2 lần thử")
    submit_login(page, "xa", "mat-khau-sai")
    warning = page.locator("#lockout-warning")
    expect(warning).to_contain_text(
        "Còn 1 lần thử: nếu nhập sai lần nữa, tài khoản sẽ bị tạm khóa 15 phút."
    )
    warning.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quên mật khẩu")
    expect(page.locator("main")).to_contain_text("hãy nhờ quản lý đơn vị đặt lại mật khẩu")
