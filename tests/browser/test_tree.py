"""Browsing the organisation tree, filtering a unit's children and searching for units."""

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect


def children_table(page):
    return page.locator("table#children")


def child_names(page):
    return children_table(page).locator("tbody tr td:first-child a")


def test_the_province_manager_walks_down_the_tree(world, page, login, live_server):
    login(world.province_manager)

    page.get_by_role("navigation", name="Chức năng").get_by_role("link", name="Đơn vị").click()
    expect(page).to_have_url(live_server.url + f"/units/{world.province.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh A")
    # The top of the user's scope: nothing above Tỉnh A is shown, not even Trung ương.
    expect(page.locator("nav.breadcrumb")).to_have_text("Tỉnh A")
    expect(page.get_by_role("heading", name="Đơn vị trực thuộc")).to_contain_text("(3)")
    # Agencies first, then committees by name; then sub-units and accounts below each.
    rows = children_table(page).locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("td")).to_have_text(
        ["Ban Tuyên giáo và Dân vận Tỉnh ủy A", "Cơ quan, ban", "0", "0"]
    )
    expect(rows.nth(1).locator("td")).to_have_text(["Xã Hoà An", "Cấp ủy", "2", "3"])
    expect(rows.nth(2).locator("td")).to_have_text(["Xã Ngân Sơn", "Cấp ủy", "0", "0"])
    expect(page.get_by_text("Tỉnh B")).to_have_count(0)

    children_table(page).get_by_role("link", name="Xã Hoà An").click()
    expect(page).to_have_url(live_server.url + f"/units/{world.commune.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Hoà An")
    breadcrumb = page.locator("nav.breadcrumb")
    expect(breadcrumb).to_have_text("Tỉnh A › Xã Hoà An")
    expect(breadcrumb.get_by_role("link")).to_have_text(["Tỉnh A"])
    expect(child_names(page)).to_have_text(["Chi bộ thôn Bản Chang", "Chi bộ thôn Nà Pài"])

    children_table(page).get_by_role("link", name="Chi bộ thôn Nà Pài").click()
    expect(page).to_have_url(live_server.url + f"/units/{world.cell.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chi bộ thôn Nà Pài")
    expect(breadcrumb).to_have_text("Tỉnh A › Xã Hoà An › Chi bộ thôn Nà Pài")
    expect(children_table(page)).to_contain_text("Không có đơn vị trực thuộc.")

    # And back up by the breadcrumb.
    breadcrumb.get_by_role("link", name="Tỉnh A").click()
    expect(page).to_have_url(live_server.url + f"/units/{world.province.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tỉnh A")


def test_the_children_filter_ignores_diacritics_and_case(world, page, login, live_server):
    login(world.commune_staff)
    page.goto(live_server.url + f"/units/{world.commune.pk}/")
    ban_chang = children_table(page).locator("tbody tr", has_text="Chi bộ thôn Bản Chang")
    na_pai = children_table(page).locator("tbody tr", has_text="Chi bộ thôn Nà Pài")
    expect(ban_chang).to_be_visible()
    expect(na_pai).to_be_visible()

    box = page.get_by_role("searchbox", name="Lọc đơn vị trực thuộc")
    box.fill("ban chang")
    expect(na_pai).to_be_hidden()
    expect(ban_chang).to_be_visible()

    box.fill("NÀ  pai")  # accents, capitals and a double space
    expect(ban_chang).to_be_hidden()
    expect(na_pai).to_be_visible()

    box.fill(unicodedata.normalize("NFD", "Bản"))  # decomposed input, as some keyboards send
    expect(na_pai).to_be_hidden()
    expect(ban_chang).to_be_visible()

    box.fill("chi bo")
    expect(ban_chang).to_be_visible()
    expect(na_pai).to_be_visible()

    box.fill("khong co")
    expect(ban_chang).to_be_hidden()
    expect(na_pai).to_be_hidden()

    box.fill("")
    expect(ban_chang).to_be_visible()
    expect(na_pai).to_be_visible()


def results(page):
    return page.locator("#results ul.results li")


def test_search_ignores_diacritics_and_both_tone_placements(world, page, login, live_server):
    login(world.province_manager)

    # From the search box of the top bar: a full page of results.
    top = page.locator("header").get_by_role("searchbox", name="Tìm đơn vị", exact=True)
    top.fill("ngan son")
    top.press("Enter")
    expect(page).to_have_url(live_server.url + "/units/search/?q=ngan+son")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm đơn vị")
    expect(page.locator("#results .meta")).to_have_text("1 kết quả")
    expect(results(page)).to_have_count(1)
    expect(results(page).first).to_contain_text("Xã Ngân Sơn")
    expect(results(page).first).to_contain_text("Tỉnh A")  # the parent, under the name

    # Typing in the page's own box updates the results as one types (htmx).
    box = page.get_by_role("searchbox", name="Tên đơn vị")

    def search(query: str) -> None:
        """Type a query and wait until its answer is shown (htmx pushes its URL)."""
        box.fill(query)
        page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == [query])

    # "Hòa" (modern tone placement) and "Hoà" (old) find the unit named "Xã Hoà An"; so do
    # decomposed input, capitals, and no diacritics at all.
    for query in ("Hòa An", "Hoà An", unicodedata.normalize("NFD", "HÒA AN"), "hoa an"):
        search(query)
        expect(results(page).get_by_role("link")).to_have_text(["Xã Hoà An"])
        expect(page.locator("#results .meta")).to_have_text("1 kết quả")

    search("khong co don vi nay")
    expect(results(page)).to_have_text(["Không tìm thấy đơn vị nào."])

    # Tỉnh B's Xã Hòa Bình is out of the province manager's scope.
    search("hoa")
    expect(results(page).get_by_role("link")).to_have_text(["Xã Hoà An"])

    results(page).get_by_role("link", name="Xã Hoà An").click()
    expect(page).to_have_url(live_server.url + f"/units/{world.commune.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Hoà An")


def test_another_provinces_unit_is_not_found(world, page, login, live_server):
    login(world.neighbour)

    for path in (
        f"/units/{world.province.pk}/",
        f"/units/{world.cell.pk}/",
        f"/deadlines/dashboard/?unit={world.province.pk}",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        expect(page).to_have_title(re.compile("^Không tìm thấy"))
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Không tìm thấy trang hoặc dữ liệu này"
        )
        expect(page.get_by_text("Tỉnh A", exact=False)).to_have_count(0)

    # Nor does the search reveal it.
    page.goto(live_server.url + "/units/search/?q=hoa")
    expect(results(page).get_by_role("link")).to_have_text(["Xã Hòa Bình"])


def test_back_from_a_live_search_result_shows_the_whole_search_page(
    world, page, login, live_server
):
    login(world.province_manager)
    page.goto(live_server.url + "/units/search/")
    page.get_by_role("searchbox", name="Tên đơn vị").fill("ngan son")
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["ngan son"])
    results(page).get_by_role("link", name="Xã Ngân Sơn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã Ngân Sơn")

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tìm đơn vị")
    expect(page.get_by_role("searchbox", name="Tên đơn vị")).to_have_value("ngan son")
    expect(results(page).get_by_role("link")).to_have_text(["Xã Ngân Sơn"])
