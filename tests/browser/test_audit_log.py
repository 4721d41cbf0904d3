"""The audit log read in a browser: labels instead of columns, filters, an empty history."""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect

from tuyengiao.audit.models import AuditEntry
from tuyengiao.org.models import Kind
from tuyengiao.org.services import unit_create

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_a_manager_reads_and_filters_the_log(world, page, login, live_server):
    unit_create(
        actor=world.province_admin, parent=world.commune, name="Chi bộ Khuổi Khon", kind=Kind.CELL
    )
    login(world.province_manager)
    page.goto(live_server.url + "/audit/")
    row = page.locator("table.audit tbody tr").filter(has_text="Chi bộ Khuổi Khon").first
    expect(row).to_contain_text("Đơn vị cấp trên: Xã Hoà An")
    expect(row).to_contain_text("Loại: Chi bộ")
    expect(page.locator("main")).not_to_contain_text("parent_id")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "audit-desktop.png"), full_page=True)

    page.get_by_label("Người thực hiện").fill("quantri")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(live_server.url + "/audit/?who=quantri&kind=&action=&start=&end=")
    rows = page.locator("table.audit tbody tr")
    expect(rows.first).to_contain_text("quantri")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "audit-phone.png"), full_page=True)


def test_the_history_of_an_unchanged_object_says_so(world, page, login, live_server):
    cell = world.cell2
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(cell), object_id=str(cell.pk)
    ).delete()
    login(world.province_admin)
    page.goto(live_server.url + f"/units/{cell.pk}/")
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lịch sử thay đổi: {cell.name}")
    expect(page.locator("main")).to_contain_text("Chưa có thay đổi nào được ghi lại")
