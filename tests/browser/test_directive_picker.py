"""Picking a document's receivers by hand (defect: ~1,400 look-alike rows in a Ctrl-click list,
no commune shown): search without diacritics, all cells of a commune at once, the count chosen,
and exactly those units receive it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_page
from tuyengiao.deadlines.models import Obligation
from tuyengiao.directives.models import Assignment
from tuyengiao.directives.services import directive_register
from tuyengiao.org.models import Kind
from tuyengiao.org.services import NewUnit, units_create_many

LOOK_ALIKE = "Chi bộ Tổ dân phố số 1"


@pytest.fixture
def directive(world):
    # Look-alike cells in both communes, as in every ward of a province.
    units_create_many(
        actor=None,
        rows=[
            NewUnit(parent=commune, name=f"Chi bộ Tổ dân phố số {i}", kind=Kind.CELL)
            for commune in (world.commune, world.commune2)
            for i in (1, 2, 3)
        ],
    )
    return directive_register(
        actor=None,
        unit=world.province,
        symbol="05-CT/TW",
        issued_on=date(2016, 5, 15),
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )


def visible_rows(page):
    return page.locator(".picker-tree li[data-kind]").filter(visible=True)


def group(page, name: str):
    return page.locator(".picker-group").filter(
        has=page.get_by_role("checkbox", name=name, exact=True)
    )


def pick_and_send(page, world, live_server, directive):
    page.goto(live_server.url + f"/directives/{directive.pk}/send/")
    count = page.locator("[data-picker-count]")
    expect(count).to_have_text("Đã chọn 0 đơn vị")
    # the sender itself and its level are never offered
    expect(page.get_by_role("checkbox", name="Tỉnh A", exact=True)).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Tỉnh, thành phố")).to_have_count(0)

    # typed without diacritics, the look-alikes appear, each with its commune
    search = page.get_by_role("searchbox", name="Tìm đơn vị nhận")
    search.fill("to dan pho so 1")
    expect(visible_rows(page)).to_have_text(
        [f"{LOOK_ALIKE} — Xã Hoà An", f"{LOOK_ALIKE} — Xã Ngân Sơn"]
    )
    page.get_by_role("checkbox", name=f"{LOOK_ALIKE} — Xã Hoà An").check()
    expect(count).to_have_text("Đã chọn 1 đơn vị")

    # every cell of Xã Ngân Sơn at once
    search.fill("")
    group(page, "Xã Ngân Sơn").get_by_role("button", name="Chọn tất cả chi bộ của xã này").click()
    expect(count).to_have_text("Đã chọn 4 đơn vị")
    expect(page.get_by_role("checkbox", name="Xã Ngân Sơn", exact=True)).not_to_be_checked()

    page.get_by_role("checkbox", name="Ban hành kế hoạch").check()
    page.locator("input[name=after_plan]").fill("15")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator("main p.flash")).to_have_text(
        "Đã gửi tới 4 đơn vị (0 đơn vị đã nhận từ trước)."
    )
    ngan_son_cells = set(
        world.commune2.children.filter(kind=Kind.CELL).values_list("pk", flat=True)
    )
    hoa_an_one = world.commune.children.get(name=LOOK_ALIKE).pk
    expected = ngan_son_cells | {hoa_an_one}
    assert len(expected) == 4
    assert set(Assignment.objects.values_list("unit_id", flat=True)) == expected
    assert set(Obligation.objects.values_list("unit_id", flat=True)) == expected


def test_the_province_picks_look_alike_cells_by_commune_and_sends_to_exactly_them(
    world, directive, page, login, live_server
):
    login(world.province_manager)
    pick_and_send(page, world, live_server, directive)


def test_the_picker_on_a_phone(world, directive, browser, live_server):
    from tests.browser.conftest import sign_in

    pages = open_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = next(pages)
    sign_in(page, live_server, world.province_manager)
    pick_and_send(page, world, live_server, directive)
    next(pages, None)


def test_the_cells_come_after_the_page_and_without_javascript_by_a_link(
    world, directive, browser, page, login, live_server
):
    """The page draws the communes; the cells are fetched after it (the link to the whole tree
    stays hidden), and a browser without JavaScript gets them from that link."""
    login(world.province_manager)
    page.goto(live_server.url + f"/directives/{directive.pk}/send/")
    hoa_an = group(page, "Xã Hoà An")
    hoa_an.locator("summary").click()
    expect(hoa_an.get_by_role("checkbox")).to_have_count(1 + 5)  # the commune and its cells
    expect(page.get_by_role("link", name="Hiện đủ các đơn vị trực thuộc để chọn")).to_be_hidden()

    pages = open_page(browser, live_server, java_script_enabled=False)
    bare = next(pages)
    from tests.browser.conftest import sign_in

    sign_in(bare, live_server, world.province_manager)
    bare.goto(live_server.url + f"/directives/{directive.pk}/send/")
    expect(bare.locator(".picker-tree li[data-kind]")).to_have_count(0)
    bare.get_by_role("link", name="Hiện đủ các đơn vị trực thuộc để chọn").click()
    expect(bare.locator(".picker-tree li[data-kind]")).to_have_count(2 + 6)
    group(bare, "Xã Ngân Sơn").locator("summary").click()
    bare.get_by_role("checkbox", name=f"{LOOK_ALIKE} — Xã Ngân Sơn").check()
    bare.get_by_role("checkbox", name="Ban hành kế hoạch").check()
    bare.locator("input[name=after_plan]").fill("15")
    bare.get_by_role("button", name="Gửi", exact=True).click()
    expect(bare.locator("main p.flash")).to_have_text(
        "Đã gửi tới 1 đơn vị (0 đơn vị đã nhận từ trước)."
    )
    cell = world.commune2.children.get(name=LOOK_ALIKE)
    assert list(Assignment.objects.values_list("unit_id", flat=True)) == [cell.pk]
    next(pages, None)


def test_if_the_cells_cannot_be_fetched_the_page_links_to_the_whole_tree(
    world, directive, page, login, live_server
):
    login(world.province_manager)
    page.route("**/send/receivers/**", lambda route: route.fulfill(status=500, body="x"))
    page.goto(live_server.url + f"/directives/{directive.pk}/send/")
    link = page.get_by_role("link", name="Hiện đủ các đơn vị trực thuộc để chọn")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("[data-picker-search]")).to_be_visible()  # the whole tree: no fetch
    expect(page.locator(".picker-tree li[data-kind]")).to_have_count(2 + 6)
