"""Printing: the roll-up table (and every page: the dashboard, the directive matrix) prints on
A4 without the navigation and forms, with its colours and its header rows repeated."""

from playwright.sync_api import expect

from tests.figures.conftest import build_forms, enter


def computed(locator, prop: str) -> str:
    return locator.evaluate(f"(e) => getComputedStyle(e).getPropertyValue('{prop}')")


def test_the_roll_up_table_prints_without_navigation_keeping_colours(
    world, page, login, live_server
):
    forms = build_forms()
    enter(None, forms.monthly, world.cell, "2024-01", LOP_KH="20", LOP_TH="22")
    login(world.province_manager)
    page.goto(f"/figures/table/?data_set={forms.monthly.pk}&kind=month&first=2024-01&last=2024-02")
    menu = page.get_by_role("navigation", name="Chức năng")
    expect(menu).to_be_visible()

    page.emulate_media(media="print")
    expect(menu).to_be_hidden()
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Vị trí")).to_be_hidden()
    expect(page.locator("form.table-params")).to_be_hidden()
    expect(page.get_by_role("link", name="Xuất Excel")).to_be_hidden()
    table = page.locator("table.rollup")
    expect(table).to_be_visible()
    assert computed(table.locator("thead"), "display") == "table-header-group"
    total = table.locator("tr.total td").first
    assert computed(total, "print-color-adjust") == "exact"
    assert computed(total, "background-color") == "rgb(243, 245, 248)"

    page.goto("/deadlines/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Chức năng")).to_be_hidden()
