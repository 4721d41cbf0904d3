"""Entering a periodic report from the keyboard, Vietnamese numbers, save and send.

The staff of Xã Hoà An opens the report it owes for Tháng 10/2026 (form BM01 of
tests/figures/conftest.py), types the figures without touching the mouse — Enter and Tab move
on —, saves a draft, sees its figures written back the Vietnamese way and sends the report.
The test runs on 20/11/2026 (tests/clock.py), when that report is owed and not yet opened.
"""

import pytest
from playwright.sync_api import expect

from tests.clock import on_day
from tests.figures.conftest import build_forms
from tuyengiao.figures.models import Report, ReportState, Value
from tuyengiao.figures.services import report_open
from tuyengiao.periods import Period

pytestmark = on_day("2026-11-20")
PERIOD_LABEL = "Tháng 10/2026"


@pytest.fixture
def forms(db):
    return build_forms()


def field(page, name: str):
    return page.get_by_label(name, exact=True)


def flash(page):
    return page.locator("main p.flash")


def test_staff_types_a_report_from_the_keyboard_saves_and_sends_it(
    world, forms, page, login, live_server
):
    login(world.commune_staff)
    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Số liệu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Số liệu định kỳ Xã Hoà An")
    owed = page.locator("table.grid tr").filter(has_text=PERIOD_LABEL)
    owed.get_by_role("link", name="Nhập số liệu").click()
    report = Report.objects.get(unit=world.commune, period="2026-10")
    expect(page).to_have_url(live_server.url + f"/figures/reports/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERIOD_LABEL)

    # The first empty field has the focus; Enter (or Tab) moves down the form.
    expect(field(page, "Số lớp theo kế hoạch")).to_be_focused()
    keyboard = page.keyboard
    keyboard.type("24193")
    keyboard.press("Enter")
    expect(field(page, "Số lớp đã mở")).to_be_focused()
    keyboard.type("24.193")
    keyboard.press("Tab")
    expect(field(page, "Học viên theo chỉ tiêu")).to_be_focused()
    keyboard.type("40")
    keyboard.press("Enter")
    keyboard.type("45")
    keyboard.press("Enter")
    expect(field(page, "Số báo cáo viên")).to_be_focused()
    keyboard.type("3")
    keyboard.press("Enter")
    expect(field(page, "Điểm đánh giá")).to_be_focused()
    keyboard.type("98,320")
    keyboard.press("Enter")
    expect(field(page, "Ghi chú")).to_be_focused()
    keyboard.type("Ổn định")
    keyboard.press("Tab")
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_focused()
    keyboard.press("Enter")

    expect(flash(page)).to_have_text("Đã lưu nháp.")
    expect(field(page, "Số lớp theo kế hoạch")).to_have_value("24.193")
    expect(field(page, "Số lớp đã mở")).to_have_value("24.193")
    expect(field(page, "Điểm đánh giá")).to_have_value("98,32")
    expect(field(page, "Ghi chú")).to_have_value("Ổn định")
    expect(page.get_by_text("đạt 100,00%")).to_be_visible()
    numbers = dict(
        Value.objects.filter(unit=world.commune, period="2026-10").values_list(
            "indicator__code", "number"
        )
    )
    assert numbers["LOP_KH"] == numbers["LOP_TH"] == 241_930_000
    assert numbers["DIEM"] == 983_200

    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(flash(page)).to_have_text("Đã gửi báo cáo lên cấp trên.")
    expect(page.locator(".report-facts .report-state")).to_have_text("Đã gửi")
    expect(field(page, "Số lớp đã mở")).to_be_disabled()
    expect(page.get_by_role("button", name="Rút lại để sửa")).to_be_visible()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_ctrl_enter_saves_the_draft_and_the_page_shows_the_save(world, forms, page, login):
    """The page says "Ctrl+Enter lưu nháp": it sends the save, from a number or from the note,
    and the page comes back with "Lưu lần cuối" and the computed rate brought up to date."""
    login(world.commune_staff)
    report = report_open(
        actor=world.commune_staff,
        data_set=forms.monthly,
        unit=world.commune,
        period=Period.parse("2026-10"),
    )
    page.goto(f"/figures/reports/{report.pk}/")
    facts = page.locator(".report-facts")
    expect(facts).to_contain_text("chưa lưu")
    field(page, "Số lớp theo kế hoạch").fill("20")
    field(page, "Số lớp đã mở").fill("20")
    field(page, "Số lớp đã mở").press("Control+Enter")

    expect(flash(page)).to_have_text("Đã lưu nháp.")
    expect(facts).not_to_contain_text("chưa lưu")
    expect(facts).to_contain_text("20/11/2026")
    expect(page.get_by_text("đạt 100,00%")).to_be_visible()
    report.refresh_from_db()
    assert report.saved_at is not None and report.state == ReportState.DRAFT

    # the page the save came back to runs its keyboard script once parsed (deferred)
    page.wait_for_load_state()
    field(page, "Số lớp đã mở").fill("25")
    field(page, "Ghi chú").fill("Vượt kế hoạch")
    field(page, "Ghi chú").press("Control+Enter")
    expect(page.get_by_text("đạt 125,00%")).to_be_visible()
    expect(field(page, "Ghi chú")).to_have_value("Vượt kế hoạch")
    assert (
        Value.objects.get(unit=world.commune, period="2026-10", indicator__code="LOP_TH").number
        == 250_000
    )
