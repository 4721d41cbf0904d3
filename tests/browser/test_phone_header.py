"""On a phone (390×844, where the defect was seen) the header is one line: it took ~330 of 844
pixels, and the collaborator's report form began below the fold."""

import pytest
from playwright.sync_api import expect

from .conftest import open_page, sign_in

WIDTH, HEIGHT = 390, 844


@pytest.fixture(autouse=True)
def topics(concern_topics):
    pass


@pytest.fixture
def phone(browser, live_server):
    yield from open_page(
        browser,
        live_server,
        viewport={"width": WIDTH, "height": HEIGHT},
        is_mobile=True,
        has_touch=True,
    )


def header_height(page) -> float:
    return page.locator("header.topbar").bounding_box()["height"]


def test_the_collaborators_header_is_one_line_and_the_form_above_the_fold(
    world, phone, live_server
):
    page = phone
    sign_in(page, live_server, world.collaborator)
    expect(page).to_have_url(live_server.url + "/concerns/new/")
    assert header_height(page) <= 64
    form = page.locator("form[data-concern-form]")
    assert form.bounding_box()["y"] < HEIGHT / 2
    expect(page.get_by_label("Lĩnh vực")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Thông báo (0)")).to_be_in_viewport()
    # What does not fit is reached by swiping the header, never by scrolling the page sideways.
    logout = page.get_by_role("button", name="Đăng xuất")
    logout.scroll_into_view_if_needed()
    expect(logout).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_the_offices_header_is_one_line_on_a_phone_too(world, phone, live_server):
    page = phone
    sign_in(page, live_server, world.commune_staff)
    assert header_height(page) <= 64
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
