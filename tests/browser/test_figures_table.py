"""The roll-up table through the browser: the province manager chooses the months, reads the
province's totals against plan, and drills down to a commune to see its cells."""

from playwright.sync_api import expect

from tests.figures.conftest import build_forms, enter
from tuyengiao.figures.models import DataSet


def rows(page):
    return page.locator("table.rollup tbody tr")


def row(page, name: str):
    return rows(page).filter(has=page.get_by_role("cell", name=name, exact=True))


def test_the_manager_reads_the_totals_and_drills_down(world, page, login, live_server):
    forms = build_forms()
    bm = forms.monthly
    enter(None, bm, world.cell, "2024-01", LOP_KH="20", LOP_TH="22")
    enter(None, bm, world.cell2, "2024-01", LOP_KH="30", LOP_TH="30")
    enter(None, bm, world.commune2, "2024-02", LOP_KH="10", LOP_TH="8")

    login(world.province_manager)
    page.goto(live_server.url + "/figures/table/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh A")
    page.wait_for_load_state()  # htmx redraws the form as its lists change
    page.get_by_label("Từ kỳ").select_option(label="Tháng 1/2024")
    page.get_by_label("Đến kỳ").select_option(label="Tháng 2/2024")
    page.get_by_role("button", name="Xem").click()

    header = page.locator("table.rollup thead")
    expect(header).to_contain_text("Tháng 1/2024")
    expect(header).to_contain_text("Tháng 2/2024")
    total = page.locator("table.rollup tr.total")
    expect(total).to_contain_text("Tổng cộng: Tỉnh A")
    expect(total.locator("td").nth(1)).to_have_text("52/50, đạt 104,00%")
    expect(total.locator("td").nth(2)).to_have_text("8/10, đạt 80,00%")
    expect(row(page, "Xã Ngân Sơn").locator("td").nth(2)).to_have_text("8/10, đạt 80,00%")
    expect(page.locator("figure.chart img")).to_be_visible()

    page.get_by_role("link", name="Xã Hoà An", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xã Hoà An")
    expect(row(page, "Chi bộ thôn Nà Pài").locator("td").nth(1)).to_have_text("22/20, đạt 110,00%")
    expect(row(page, "Chi bộ thôn Bản Chang").locator("td").nth(1)).to_have_text(
        "30/30, đạt 100,00%"
    )
    expect(total).to_contain_text("Tổng cộng: Xã Hoà An")
    expect(page.get_by_label("Đến kỳ")).to_have_value("2024-02")  # the same table, one level down

    # the breadcrumb leads back up with the same months
    page.get_by_role("navigation", name="Vị trí").get_by_role("link", name="Tỉnh A").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tỉnh A")
    expect(row(page, "Xã Hoà An").locator("td").nth(1)).to_have_text("52/50, đạt 104,00%")


def test_the_form_follows_the_report_form_chosen_without_pressing_xem(
    world, page, login, live_server
):
    """Issue #13: changing "Biểu mẫu" left the previous form's indicators until "Xem"; several
    indicators needed Ctrl-click; periods were typed as codes."""
    forms = build_forms()
    enter(None, forms.monthly, world.cell, "2024-01", LOP_KH="20", LOP_TH="22", HV_CHITIEU="40")
    yearly = DataSet.objects.create(
        code="BM09", name="Báo cáo năm", period_kind="year", first_period="2020"
    )
    yearly.rows.create(indicator=forms.indicators["BCV"], position=0)

    login(world.province_manager)
    page.goto(f"/figures/table/?data_set={forms.monthly.pk}&first=2024-01&last=2024-03")
    page.wait_for_load_state()
    boxes = page.locator("fieldset.checks")
    expect(boxes.get_by_label("LOP_TH – Số lớp đã mở")).to_be_checked()
    expect(boxes.get_by_label("BCV – Số báo cáo viên")).to_be_visible()

    # two indicators, each by a click; periods by name
    boxes.get_by_label("HV_CHITIEU – Học viên theo chỉ tiêu").check()
    page.get_by_label("Đến kỳ").select_option(label="Tháng 2/2024")
    page.get_by_role("button", name="Xem").click()
    header = page.locator("table.rollup thead")
    expect(header).to_contain_text("Học viên theo chỉ tiêu")
    expect(header).to_contain_text("Số lớp đã mở")
    expect(header).not_to_contain_text("Tháng 3/2024")

    # another report form: its indicators and its kind of period at once
    page.get_by_label("Biểu mẫu").focus()  # as a click on it would
    page.get_by_label("Biểu mẫu").select_option(label="BM09 – Báo cáo năm")
    expect(boxes.locator("input[type=checkbox]")).to_have_count(1)
    expect(boxes.get_by_label("BCV – Số báo cáo viên")).to_be_checked()
    expect(page.get_by_label("Loại kỳ")).to_have_value("year")
    expect(page.get_by_label("Từ kỳ").locator("option").first).to_have_text("Năm 2020")
    expect(page.get_by_label("Biểu mẫu")).to_be_focused()  # the redraw keeps the focus

    # another kind of period: the lists hold that kind's periods
    page.get_by_label("Loại kỳ").select_option("quarter")
    expect(page.get_by_label("Từ kỳ").locator("option").first).to_have_text("Quý I/2020")
