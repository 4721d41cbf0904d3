"""The directive matrix and the deadlines dashboard printed: A4, no navigation, the header row
repeated on every page, the state colours kept (print-color-adjust)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tuyengiao.directives.models import StepKind
from tuyengiao.directives.services import (
    StepPlan,
    directive_register,
    directive_send,
    receivers_by,
)
from tuyengiao.org.models import Kind, Level

A4_PORTRAIT_POINTS = (595, 842)


@pytest.fixture
def directive(world, today):
    directive = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol="05-CT/TW",
        issued_on=today - timedelta(days=40),
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    directive_send(
        actor=world.province_manager,
        directive=directive,
        sender=world.province,
        receivers=receivers_by(
            world.province, levels=[Level.COMMUNE, Level.CELL], kinds=[Kind.COMMITTEE, Kind.CELL]
        ),
        plan=[StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, days_after=30)],
        sent_on=today - timedelta(days=20),
    )
    return directive


def style(locator, prop: str) -> str:
    return locator.evaluate(f"e => getComputedStyle(e).getPropertyValue('{prop}')")


def assert_printable(page, coloured):
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Chức năng")).to_be_hidden()
    expect(page.locator("main form.filters").first).to_be_hidden()
    assert style(page.locator("table.grid thead").first, "display") == "table-header-group"
    assert style(coloured, "print-color-adjust") == "exact"
    # and on screen, as before: the navigation is back
    page.emulate_media(media="screen")
    expect(page.locator("header.topbar")).to_be_visible()
    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all((round(float(w)), round(float(h))) == A4_PORTRAIT_POINTS for w, h in boxes)


def test_the_matrix_prints_on_a4_with_its_colours_and_no_navigation(
    world, directive, page, login, live_server
):
    login(world.province_manager)
    page.goto(live_server.url + f"/directives/{directive.pk}/")
    overdue = page.locator("table.matrix .badge.overdue").first
    expect(overdue).to_be_visible()
    assert_printable(page, overdue)
    expect(page.locator("table.matrix")).to_be_visible()


def test_the_dashboard_prints_on_a4_with_its_colours_and_no_navigation(
    world, directive, page, login, live_server
):
    login(world.province_manager)
    page.goto(live_server.url + "/deadlines/dashboard/")
    tile = page.locator(".states .state").first
    expect(tile).to_be_visible()
    assert_printable(page, tile)
    expect(page.locator("table.dashboard")).to_be_visible()
