"""Logging in with the second factor, as a manager sees it."""

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.clock import on_day
from tests.second_factor.conftest import app_code

pytestmark = on_day("2026-11-20")


def test_a_manager_with_an_authenticator_enters_the_code_after_the_password(
    world, page, live_server
):
    device = TOTPDevice.objects.create(user=world.province_manager, name="app", confirmed=True)
    page.goto(live_server.url + f"/units/{world.cell.pk}/")
    page.locator("input[name=username]").fill("tinh")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mã xác thực")
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    page.get_by_label("Mã xác thực hoặc mã khôi phục").fill(wrong)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("alert")).to_contain_text("Mã xác thực không đúng hoặc đã được dùng.")

    page.get_by_label("Mã xác thực hoặc mã khôi phục").fill(app_code(device))
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ thôn Nà Pài")
    expect(page.get_by_role("link", name="Xác thực hai bước")).to_be_visible()
