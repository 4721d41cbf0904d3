"""A commune records a political-theory class through the pages and sees it counted at once:
the plan-against-actual rate moves, and the report form shows the count it no longer types.

world.commune_staff (xa) works at Xã Hoà An, whose centre planned two classes this year."""

from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from tuyengiao.text import format_date

from .conftest import open_page, sign_in


@pytest.fixture
def desk(browser, live_server):
    yield from open_page(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def counted(db):
    """The programmes and the record-backed indicators of the migrations: a live server's
    database is emptied after each test, and the migrations' rows with it."""
    for name in (
        "tuyengiao.training.migrations.0002_programmes",
        "tuyengiao.figures.migrations.0005_counted_indicators",
        "tuyengiao.training.migrations.0003_counted_indicators",
    ):
        migration = import_module(name)
        (getattr(migration, "add", None) or migration.create)(apps, None)


def test_a_class_moves_the_rate_and_the_prefilled_form(world, counted, desk, live_server, today):
    from tuyengiao.figures.models import DataSet, Indicator
    from tuyengiao.figures.services import report_open
    from tuyengiao.periods import Period
    from tuyengiao.training import services
    from tuyengiao.training.models import Programme

    centre = services.centre_create(
        actor=None, unit=world.commune, name="Trung tâm Chính trị xã Hoà An", served=None
    )
    services.plan_set(
        actor=None,
        centre=centre,
        programme=Programme.objects.get(code="so-cap-llct"),
        year=today.year,
        classes_planned=2,
        learners_planned=80,
    )
    form = DataSet.objects.create(
        code="LLCT-NAM",
        name="Lớp bồi dưỡng lý luận chính trị so với kế hoạch",
        period_kind="year",
        levels=["commune"],
        first_period=str(today.year),
        lock_days=20000,
    )
    for position, code in enumerate(["LLCT_LOP_KH", "LLCT_LOP", "LLCT_HV_KH", "LLCT_HV"]):
        form.rows.create(indicator=Indicator.objects.get(code=code), position=position)
    report = report_open(
        actor=None, data_set=form, unit=world.commune, period=Period.parse(str(today.year))
    )

    page = desk
    sign_in(page, live_server, world.commune_staff)
    page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Lớp bồi dưỡng"
    ).click()
    expect(page.locator("#by-programme tfoot")).to_contain_text("0/2 lớp, đạt 0% kế hoạch")

    page.goto(f"{live_server.url}/figures/reports/{report.pk}/")
    row = page.get_by_role("row", name="Số lớp bồi dưỡng lý luận chính trị đã khai giảng")
    expect(row.locator("output.counted").last).to_have_text("0")
    expect(page.locator("input[name=LLCT_LOP]")).to_have_count(0)

    page.goto(f"{live_server.url}/training/classes/new/?unit={world.commune.pk}")
    page.get_by_label("Trung tâm").select_option(label="Trung tâm Chính trị xã Hoà An")
    page.get_by_label("Chương trình").select_option(label="Sơ cấp lý luận chính trị")
    page.get_by_role("checkbox", name="Xã Hoà An").check()
    page.get_by_label("Ngày khai giảng").fill(format_date(today))
    page.get_by_label("Số học viên nhập học").fill("42")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Thêm lớp bồi dưỡng")

    page.goto(f"{live_server.url}/training/plan/?unit={world.commune.pk}&period={today.year}")
    expect(page.locator("#by-programme tfoot")).to_contain_text("1/2 lớp, đạt 50% kế hoạch")
    expect(page.locator("#by-programme tfoot")).to_contain_text(
        "42/80 học viên, đạt 52,50% kế hoạch"
    )

    page.goto(f"{live_server.url}/figures/reports/{report.pk}/")
    row = page.get_by_role("row", name="Số lớp bồi dưỡng lý luận chính trị đã khai giảng")
    expect(row.locator("output.counted").last).to_have_text("1")
    expect(row).to_contain_text("đạt 50")
    expect(row.get_by_role("link", name="đếm từ hồ sơ").last).to_have_attribute(
        "href", f"/training/classes/?unit={world.commune.pk}&period={today.year}"
    )
