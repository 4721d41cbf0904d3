"""The progress dashboard: counts by state per sub-unit, the period selector, drill-downs."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.clock import moment
from tests.factories import ObligationFactory

OWN_ROW = "Việc của chính đơn vị"
OFFICE = "Ban Tuyên giáo và Dân vận Tỉnh ủy A"


@pytest.fixture
def today(today, time_machine) -> date:
    """Today, as the pages see it.

    The data below need January and February behind today and ten days ahead of it within the
    same year. Between 1 March and 15 December that is the session's date (real or moved, held
    by tests/conftest.py's `today`); otherwise the clock is moved to the nearest end of that
    window (the live server's thread sees it too).
    """
    pinned = min(max(today, date(today.year, 3, 1)), date(today.year, 12, 15))
    if pinned != today:
        time_machine.move_to(moment(pinned).timestamp())
    assert timezone.localdate() == pinned
    return pinned


@dataclass
class Titles:
    overdue_commune: list[str]


@pytest.fixture
def obligations(world, today) -> Titles:
    """Obligations of Tỉnh A's subtree this year (plus some that must not count).

    Year       on time  late  pending  overdue  rate
    Tỉnh A own    1       0      0        0     100,00%
    Xã Hoà An     1       1      1        2      25,00%
    Xã Ngân Sơn   2       0      1        1      66,67%
    Ban TG&DV     –       –      –        –        –
    January: own 1 on time; Hoà An 1 on time + 1 late (50,00%); Ngân Sơn 1 on time (100,00%).
    """
    y = today.year

    def make(unit, title, due_on, done_on=None):
        return ObligationFactory(unit=unit, title=title, due_on=due_on, done_on=done_on)

    make(world.province, "Tỉnh: kế hoạch năm", date(y, 1, 5), date(y, 1, 4))

    make(world.commune, "Hoà An: báo cáo tháng 1", date(y, 1, 10), date(y, 1, 8))
    make(world.cell, "Nà Pài: họp chi bộ", date(y, 1, 20), date(y, 1, 25))
    make(world.cell2, "Bản Chang: báo cáo quý I", date(y, 2, 10))
    make(world.commune, "Hoà An: trả lời dư luận", today - timedelta(days=1))
    make(world.commune, "Hoà An: báo cáo tháng tới", today + timedelta(days=10))

    make(world.commune2, "Ngân Sơn: học tập nghị quyết", date(y, 1, 15), date(y, 1, 15))
    make(world.commune2, "Ngân Sơn: tổng kết", date(y, 2, 5), date(y, 2, 1))
    make(world.commune2, "Ngân Sơn: kiểm tra", date(y, 2, 3))
    make(world.commune2, "Ngân Sơn: hạn hôm nay", today)

    # Outside the year, or outside the province manager's scope: never counted.
    make(world.commune, "Hoà An: việc năm ngoái", date(y - 1, 12, 20))
    make(world.other_commune, "Hòa Bình: quá hạn", date(y, 2, 10))
    return Titles(overdue_commune=["Bản Chang: báo cáo quý I", "Hoà An: trả lời dư luận"])


def board_rows(page):
    return page.locator("#board table.dashboard tbody tr")


def board_row(page, name: str):
    return board_rows(page).filter(has=page.get_by_role("link", name=name, exact=True))


def expect_row(page, name: str, cells: list[str]) -> None:
    """cells: total, on time, done late, pending, overdue, on-time rate."""
    expect(board_row(page, name).locator("td")).to_have_text([name, *cells])


def expect_totals(page, on_time, late, pending, overdue, rate) -> None:
    expect(page.locator("#board .states .state b")).to_have_text(
        [on_time, late, pending, overdue, rate]
    )


def open_dashboard(page, login, user):
    login(user)
    page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Theo dõi tiến độ"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Theo dõi tiến độ")
    # The period selector works through htmx, a deferred script: wait until it runs. The
    # heading can come first, above all when the server's clock is moved (tests/clock.py) and
    # the browser, whose clock is not, fetches the static files again on every page.
    page.wait_for_load_state()


def test_the_year_board_counts_each_sub_unit_and_the_period_selector_swaps_it(
    world, obligations, today, page, login, live_server
):
    y = today.year
    open_dashboard(page, login, world.province_manager)
    expect(page).to_have_url(live_server.url + "/deadlines/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tiến độ — Tỉnh A")
    period = page.get_by_role("combobox", name="Kỳ")
    expect(period.locator("option:checked")).to_have_text(f"Năm {y}")
    expect(page.locator("#board h2")).to_have_text(f"Năm {y}")

    # The unit's own work first, then the sub-units from the lowest on-time rate up; a unit
    # with nothing due yet comes last.
    expect(board_rows(page).locator("td:first-child")).to_have_text(
        [OWN_ROW, "Xã Hoà An", "Xã Ngân Sơn", OFFICE]
    )
    expect_row(page, OWN_ROW, ["1", "1", "0", "0", "0", "100,00%"])
    expect_row(page, "Xã Hoà An", ["5", "1", "1", "1", "2", "25,00%"])
    expect_row(page, "Xã Ngân Sơn", ["4", "2", "0", "1", "1", "66,67%"])
    expect_row(page, OFFICE, ["0", "0", "0", "0", "0", "–"])
    expect_totals(page, "4", "1", "2", "3", "50,00%")
    expect(page.get_by_text("Hòa Bình")).to_have_count(0)

    # Another period: htmx swaps the board in place and records the period in the address.
    period.select_option(label=f"Tháng 1/{y}")
    expect(page.locator("#board h2")).to_have_text(f"Tháng 1/{y}")
    expect(page).to_have_url(re.compile(rf"[?&]period={y}-01(&|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tiến độ — Tỉnh A")
    expect_row(page, OWN_ROW, ["1", "1", "0", "0", "0", "100,00%"])
    expect_row(page, "Xã Hoà An", ["2", "1", "1", "0", "0", "50,00%"])
    expect_row(page, "Xã Ngân Sơn", ["1", "1", "0", "0", "0", "100,00%"])
    expect_row(page, OFFICE, ["0", "0", "0", "0", "0", "–"])
    expect(board_rows(page).locator("td:first-child")).to_have_text(
        [OWN_ROW, "Xã Hoà An", "Xã Ngân Sơn", OFFICE]
    )
    expect_totals(page, "3", "1", "0", "0", "75,00%")

    # A period with nothing due.
    period.select_option(value=f"{y - 1}-06")
    expect(page.locator("#board h2")).to_have_text(f"Tháng 6/{y - 1}")
    expect_row(page, "Xã Hoà An", ["0", "0", "0", "0", "0", "–"])
    expect_totals(page, "0", "0", "0", "0", "–")

    # Back to the year.
    period.select_option(label=f"Năm {y}")
    expect(page.locator("#board h2")).to_have_text(f"Năm {y}")
    expect_row(page, "Xã Hoà An", ["5", "1", "1", "1", "2", "25,00%"])


def test_clicking_a_commune_drills_down_to_its_own_board_for_the_same_period(
    world, obligations, today, page, login, live_server
):
    y = today.year
    open_dashboard(page, login, world.province_manager)
    page.get_by_role("combobox", name="Kỳ").select_option(label=f"Tháng 1/{y}")
    expect(page.locator("#board h2")).to_have_text(f"Tháng 1/{y}")

    board_row(page, "Xã Hoà An").get_by_role("link", name="Xã Hoà An").click()
    expect(page).to_have_url(
        live_server.url + f"/deadlines/dashboard/?unit={world.commune.pk}&period={y}-01"
    )
    page.wait_for_load_state()  # htmx runs on the new page (see open_dashboard)
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tiến độ — Xã Hoà An")
    expect(page.locator("nav.breadcrumb")).to_have_text("Tỉnh A › Xã Hoà An")
    expect(page.get_by_role("combobox", name="Kỳ").locator("option:checked")).to_have_text(
        f"Tháng 1/{y}"
    )
    expect(board_rows(page).locator("td:first-child")).to_have_text(
        [OWN_ROW, "Chi bộ thôn Nà Pài", "Chi bộ thôn Bản Chang"]
    )
    expect_row(page, OWN_ROW, ["1", "1", "0", "0", "0", "100,00%"])
    expect_row(page, "Chi bộ thôn Nà Pài", ["1", "0", "1", "0", "0", "0,00%"])
    expect_row(page, "Chi bộ thôn Bản Chang", ["0", "0", "0", "0", "0", "–"])

    # The same board over the year.
    page.get_by_role("combobox", name="Kỳ").select_option(label=f"Năm {y}")
    expect(page.locator("#board h2")).to_have_text(f"Năm {y}")
    expect(board_rows(page).locator("td:first-child")).to_have_text(
        [OWN_ROW, "Chi bộ thôn Bản Chang", "Chi bộ thôn Nà Pài"]
    )
    expect_row(page, OWN_ROW, ["3", "1", "0", "1", "1", "50,00%"])
    expect_row(page, "Chi bộ thôn Bản Chang", ["1", "0", "0", "0", "1", "0,00%"])
    expect_row(page, "Chi bộ thôn Nà Pài", ["1", "0", "1", "0", "0", "0,00%"])

    # Back in the browser: the province's board as it was, whole page included.
    page.go_back()
    expect(page.get_by_role("combobox", name="Kỳ").locator("option:checked")).to_have_text(
        f"Tháng 1/{y}"
    )
    page.go_back()
    expect(page).to_have_url(re.compile(rf"unit={world.province.pk}&period={y}-01$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tiến độ — Tỉnh A")
    expect(page.locator("#board h2")).to_have_text(f"Tháng 1/{y}")
    expect_row(page, "Xã Hoà An", ["2", "1", "1", "0", "0", "50,00%"])


def test_an_overdue_count_opens_exactly_the_overdue_items(
    world, obligations, today, page, login, live_server
):
    y = today.year
    open_dashboard(page, login, world.province_manager)

    board_row(page, "Xã Hoà An").locator("td").nth(5).get_by_role("link", name="2").click()
    expect(page).to_have_url(
        live_server.url + f"/deadlines/?unit={world.commune.pk}&period={y}&state=overdue&subtree=1"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Việc phải làm — Xã Hoà An")
    expect(page.get_by_role("combobox", name="Tình trạng").locator("option:checked")).to_have_text(
        "Quá hạn"
    )
    expect(page.get_by_role("combobox", name="Kỳ").locator("option:checked")).to_have_text(
        f"Năm {y}"
    )
    expect(page.get_by_role("checkbox", name="Gồm cả đơn vị trực thuộc")).to_be_checked()
    expect(page.locator("main p.meta")).to_have_text("2 việc")
    rows = page.locator("main table.grid tbody tr")
    expect(rows.locator("td:nth-child(2)")).to_have_text(obligations.overdue_commune)
    expect(rows.locator("td:nth-child(3)")).to_have_text(["Chi bộ thôn Bản Chang", "Xã Hoà An"])
    expect(rows.locator("td:nth-child(4)")).to_have_text(["Quá hạn", "Quá hạn"])
    expect(rows.locator("td:nth-child(1)")).to_have_text(
        [f"10/02/{y}", (today - timedelta(days=1)).strftime("%d/%m/%Y")]
    )

    # From the list to one item.
    rows.get_by_role("link", name="Bản Chang: báo cáo quý I").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản Chang: báo cáo quý I")
    expect(page.locator("dl.facts")).to_contain_text("Quá hạn")


def test_the_own_rows_overdue_count_lists_only_the_units_own_items(
    world, obligations, today, page, login, live_server
):
    y = today.year
    open_dashboard(page, login, world.commune_staff)
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi tiến độ — Xã Hoà An")

    board_row(page, OWN_ROW).locator("td").nth(5).get_by_role("link", name="1").click()
    expect(page).to_have_url(
        live_server.url + f"/deadlines/?unit={world.commune.pk}&period={y}&state=overdue"
    )
    expect(page.get_by_role("checkbox", name="Gồm cả đơn vị trực thuộc")).not_to_be_checked()
    expect(page.locator("main p.meta")).to_have_text("1 việc")
    expect(page.locator("main table.grid tbody tr td:nth-child(2)")).to_have_text(
        ["Hoà An: trả lời dư luận"]
    )
