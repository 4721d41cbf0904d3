"""Approving a commune's reports as the province's manager: open a report, read its figures,
approve it; open another and send it back with a comment, which the commune then reads.
Screenshots of the pages at desktop and phone size land in $SCREENSHOTS when it is set."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page, sign_in
from tests.clock import on_day
from tests.figures.conftest import build_forms, enter
from tuyengiao.figures.models import Report, ReportState
from tuyengiao.figures.services import report_submit

pytestmark = on_day("2026-11-20")


@pytest.fixture
def forms(db):
    return build_forms()


def shoot(page, name):
    folder = os.environ.get("SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def sent(world, forms, unit):
    report = enter(world.commune_staff, forms.monthly, unit, "2026-10", LOP_KH="2", LOP_TH="2")
    return report_submit(actor=world.commune_staff, report=report)


def test_open_then_approve_and_open_then_return_with_a_comment(world, forms, page, login):
    cell, cell2 = sent(world, forms, world.cell), sent(world, forms, world.cell2)
    login(world.province_manager)
    page.goto("/figures/approvals/")
    rows = page.locator("table.approvals tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("checkbox")).to_have_count(0)  # nothing opened yet
    shoot(page, "approvals-desktop")

    rows.filter(has_text="Chi bộ thôn Nà Pài").get_by_role("link", name="Mở để duyệt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tháng 10/2026")
    expect(page.get_by_label("Số lớp đã mở", exact=True)).to_have_value("2")
    shoot(page, "report-to-approve-desktop")
    page.get_by_role("button", name="Duyệt báo cáo").click()
    expect(page.locator("main p.flash")).to_contain_text("Đã duyệt báo cáo Chi bộ thôn Nà Pài")

    page.goto(f"/figures/reports/{cell2.pk}/")
    # The comment is required: the browser asks for it before sending (the server's own
    # refusal, in Vietnamese, is tested in tests/figures/test_approval.py).
    expect(page.get_by_label("Ý kiến: đơn vị cần sửa gì")).to_have_attribute("required", "")
    page.get_by_role("button", name="Trả lại để sửa").click()
    assert Report.objects.get(pk=cell2.pk).state == ReportState.SUBMITTED
    page.get_by_label("Ý kiến: đơn vị cần sửa gì").fill("Số lớp kế hoạch phải là 3.")
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator("main p.flash")).to_contain_text("Đã trả lại báo cáo")
    assert Report.objects.get(pk=cell.pk).state == ReportState.APPROVED
    assert Report.objects.get(pk=cell2.pk).state == ReportState.DRAFT

    page.context.clear_cookies()
    login(world.commune_staff)
    page.goto(f"/figures/reports/{cell2.pk}/")
    expect(page.locator(".notice.returned")).to_contain_text("Số lớp kế hoạch phải là 3.")
    expect(page.get_by_role("button", name="Lưu nháp")).to_be_visible()


def test_the_approval_pages_fit_a_phone(world, forms, browser, live_server):
    report = sent(world, forms, world.cell)
    phone = {"width": 390, "height": 844}
    for page in open_page(browser, live_server, viewport=phone, is_mobile=True):
        sign_in(page, live_server, world.province_manager)
        page.goto(live_server.url + f"/figures/reports/{report.pk}/")
        shoot(page, "report-to-approve-phone")
        comment = page.get_by_label("Ý kiến: đơn vị cần sửa gì")
        expect(comment).to_be_visible()
        box = comment.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        page.goto(live_server.url + "/figures/approvals/")
        expect(page.locator("table.approvals")).to_contain_text("Chi bộ thôn Nà Pài")
        shoot(page, "approvals-phone")
