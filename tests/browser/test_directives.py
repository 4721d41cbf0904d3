"""Party documents through the browser: register, refuse a duplicate, send down, record, follow.

The province manager registers Chỉ thị 05-CT/TW and sends two of its steps to the communes of
Tỉnh A; the staff of Xã Hoà An records its study conference; the province sees the attendance
rate in its matrix and drills down to the commune.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tuyengiao.directives.models import Directive, StepKind
from tuyengiao.directives.services import (
    StepPlan,
    directive_register,
    directive_send,
    receivers_by,
)
from tuyengiao.org.models import Kind, Level

TYPED_SYMBOL = "Chỉ thị số 05 CT/TW"
SYMBOL = "05-CT/TW"
ISSUED_ON = date(2016, 5, 15)
TITLE = "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
PLAN_DAYS = 15
STUDY_DAYS = 30
OWN_ROW = "Chính đơn vị"


def vn(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def heading(page):
    return page.get_by_role("heading", level=1)


def flash(page):
    return page.locator("main p.flash")


def matrix_rows(page):
    return page.locator("table.matrix tbody tr")


def matrix_row(page, name: str):
    return matrix_rows(page).filter(has=page.get_by_role("cell", name=name, exact=True))


def own_steps(page):
    """The table of the unit's own steps, under "Việc của <unit>"."""
    return page.locator("h2:has-text('Việc của') + .scroll table tbody tr")


def own_step(page, label: str):
    return own_steps(page).filter(has=page.get_by_role("cell", name=label, exact=True))


def step_row(page, label: str):
    """A row of the send form's step table, found by its step's checkbox."""
    return page.locator("form tr").filter(has=page.get_by_role("checkbox", name=label))


def open_documents(page):
    page.get_by_role("navigation", name="Chức năng").get_by_role(
        "link", name="Văn bản", exact=True
    ).click()
    expect(heading(page)).to_contain_text("Văn bản chỉ đạo")


def fill_register_form(page):
    page.get_by_label("Số và ký hiệu").fill(TYPED_SYMBOL)
    page.get_by_label("Ngày ban hành").fill("15/5/2016")
    page.get_by_label("Trích yếu").fill(TITLE)
    page.get_by_role("button", name="Vào sổ").click()


def test_the_province_registers_a_document_once_and_sends_it_to_its_communes(
    world, page, login, live_server, today
):
    study_due = today + timedelta(days=STUDY_DAYS)
    login(world.province_manager)
    open_documents(page)
    expect(heading(page)).to_have_text("Văn bản chỉ đạo — Tỉnh A")

    # Register: the symbol is read from what was typed, the term from the date.
    page.get_by_role("link", name="Vào sổ văn bản").click()
    expect(page).to_have_url(live_server.url + "/directives/new/")
    fill_register_form(page)
    directive = Directive.objects.get()
    detail = live_server.url + f"/directives/{directive.pk}/"
    expect(page).to_have_url(detail)
    expect(flash(page)).to_have_text(f"Đã vào sổ văn bản {SYMBOL}.")
    expect(heading(page)).to_have_text(f"{SYMBOL} {TITLE}")
    expect(page.locator("main p.meta")).to_have_text(
        "Ngày ban hành 15/05/2016 · nhiệm kỳ XII · vào sổ tại Tỉnh A"
    )
    expect(matrix_rows(page)).to_have_text(["Chưa gửi văn bản này xuống đơn vị nào trong phạm vi."])

    # The same document again: refused, with a link to the one already registered.
    page.goto(live_server.url + "/directives/new/")
    fill_register_form(page)
    expect(page).to_have_url(live_server.url + "/directives/new/")
    expect(page.locator(".field.has-error .error")).to_have_text(
        [f"Văn bản {SYMBOL} đã được vào sổ (nhiệm kỳ XII)."]
    )
    existing = page.locator("main p.errors").get_by_role("link", name=f"{SYMBOL} — {TITLE}")
    expect(existing).to_be_visible()
    existing.click()
    expect(page).to_have_url(detail)
    assert Directive.objects.count() == 1

    # Send two steps to every commune.
    page.get_by_role("link", name="Gửi xuống cấp dưới").click()
    expect(page).to_have_url(detail + "send/")
    expect(heading(page)).to_have_text(f"Gửi {SYMBOL} xuống cấp dưới")
    expect(page.get_by_label("Đơn vị gửi").locator("option:checked")).to_have_text("Tỉnh A")
    page.get_by_role("checkbox", name="Xã, phường, đặc khu").check()
    plan = step_row(page, "Ban hành kế hoạch")
    plan.get_by_role("checkbox").check()
    plan.get_by_role("spinbutton").fill(str(PLAN_DAYS))
    plan.get_by_role("combobox").select_option(label="ngày")
    study = step_row(page, "Học tập, quán triệt")
    study.get_by_role("checkbox").check()
    study.get_by_role("textbox").fill(vn(study_due))
    page.get_by_role("button", name="Gửi", exact=True).click()

    expect(page).to_have_url(detail + f"?unit={world.province.pk}")
    expect(flash(page)).to_have_text("Đã gửi tới 2 đơn vị (0 đơn vị đã nhận từ trước).")
    expect(page.locator("table.matrix thead th")).to_have_text(
        ["Đơn vị", "Ban hành kế hoạch", "Học tập, quán triệt", "Tỷ lệ dự"]
    )
    expect(matrix_rows(page).locator("td:first-child")).to_have_text(["Xã Hoà An", "Xã Ngân Sơn"])
    for name in ("Xã Hoà An", "Xã Ngân Sơn"):
        expect(matrix_row(page, name).locator("td")).to_have_text([name, "Còn hạn", "Còn hạn", "–"])
    expect(page.get_by_text("Xã Hòa Bình")).to_have_count(0)
    expect(page.get_by_text("Học tập, quán triệt: dự")).to_have_count(0)


@pytest.fixture
def sent(world, today) -> Directive:
    """05-CT/TW registered by Tỉnh A and sent today to its communes, as the first test does."""
    directive = directive_register(
        actor=world.province_manager,
        unit=world.province,
        symbol=TYPED_SYMBOL,
        issued_on=ISSUED_ON,
        title=TITLE,
    )
    directive_send(
        actor=world.province_manager,
        directive=directive,
        sender=world.province,
        receivers=receivers_by(
            world.province, levels=[Level.COMMUNE], kinds=[Kind.COMMITTEE, Kind.CELL]
        ),
        plan=[
            StepPlan(StepKind.PLAN, days_after=PLAN_DAYS),
            StepPlan(StepKind.STUDY, due_on=today + timedelta(days=STUDY_DAYS)),
        ],
        sent_on=today,
    )
    return directive


def test_the_commune_records_its_study_and_the_province_sees_the_attendance_rate(
    world, sent, page, login, live_server, today
):
    plan_due = vn(today + timedelta(days=PLAN_DAYS))
    study_due = vn(today + timedelta(days=STUDY_DAYS))
    detail = live_server.url + f"/directives/{sent.pk}/"

    # The commune finds the document in its inbox, the nearest deadline shown.
    login(world.commune_staff)
    open_documents(page)
    expect(heading(page)).to_have_text("Văn bản chỉ đạo — Xã Hoà An")
    inbox = page.locator("h2:has-text('Văn bản đơn vị nhận') + .scroll table tbody tr")
    expect(inbox.locator("td")).to_have_text([SYMBOL, TITLE, "15/05/2016", plan_due])
    inbox.get_by_role("link", name=SYMBOL).click()
    expect(page).to_have_url(detail + f"?unit={world.commune.pk}")
    expect(page.get_by_role("heading", name="Việc của Xã Hoà An")).to_be_visible()
    pending = "Còn hạn"
    expect(own_steps(page).locator("td:first-child")).to_have_text(
        ["Ban hành kế hoạch", "Học tập, quán triệt"]
    )
    expect(own_step(page, "Học tập, quán triệt").locator("td")).to_have_text(
        ["Học tập, quán triệt", study_due, pending, "", "Ghi nhận"]
    )

    # The study conference: 12 cadres and 31 members out of 45.
    own_step(page, "Học tập, quán triệt").get_by_role("link", name="Ghi nhận").click()
    expect(heading(page)).to_have_text(f"Học tập, quán triệt — {SYMBOL}")
    expect(page.locator("main p.meta")).to_have_text(f"Xã Hoà An · hạn {study_due}")
    page.get_by_label("Ngày thực hiện").fill(vn(today))
    page.get_by_label("Số cán bộ dự").fill("12")
    page.get_by_label("Số đảng viên dự").fill("31")
    page.get_by_label("Số người phải dự").fill("45")
    page.get_by_role("button", name="Ghi nhận").click()

    expect(page).to_have_url(detail + f"?unit={world.commune.pk}")
    expect(flash(page)).to_have_text("Đã ghi nhận: Học tập, quán triệt.")
    expect(own_step(page, "Học tập, quán triệt").locator("td")).to_have_text(
        ["Học tập, quán triệt", study_due, "Hoàn thành đúng hạn", vn(today), "Sửa"]
    )
    expect(own_step(page, "Ban hành kế hoạch").locator("td")).to_have_text(
        ["Ban hành kế hoạch", plan_due, pending, "", "Ghi nhận"]
    )
    expect(page.get_by_text("Học tập, quán triệt: dự")).to_have_text(
        "Học tập, quán triệt: dự 43/45, đạt 95,56%"
    )
    expect(matrix_rows(page).locator("td")).to_have_text(
        [OWN_ROW, "Còn hạn", "Hoàn thành đúng hạn", "95,56%"]
    )

    # The province, in its own session, sees the rate on the commune's row.
    page.get_by_role("button", name="Đăng xuất").click()
    login(world.province_manager)
    open_documents(page)
    page.get_by_role("link", name=SYMBOL).click()
    expect(page).to_have_url(detail)
    expect(heading(page)).to_have_text(f"{SYMBOL} {TITLE}")
    expect(page.get_by_text("Học tập, quán triệt: dự")).to_have_text(
        "Học tập, quán triệt: dự 43/45, đạt 95,56%"
    )
    expect(matrix_rows(page).locator("td:first-child")).to_have_text(["Xã Hoà An", "Xã Ngân Sơn"])
    expect(matrix_row(page, "Xã Hoà An").locator("td")).to_have_text(
        ["Xã Hoà An", "Còn hạn", "Hoàn thành đúng hạn", "95,56%"]
    )
    expect(matrix_row(page, "Xã Ngân Sơn").locator("td")).to_have_text(
        ["Xã Ngân Sơn", "Còn hạn", "Còn hạn", "–"]
    )
    by_level = page.locator("h2:has-text('Theo cấp') + .scroll table tbody tr")
    expect(by_level.filter(has_text="Học tập, quán triệt").locator("td")).to_have_text(
        ["Xã, phường, đặc khu", "Học tập, quán triệt", "1/2", "50,00%", "100,00%"]
    )

    # Drill down: the commune's own page, where its own row carries the rate.
    matrix_row(page, "Xã Hoà An").get_by_role("link", name="Xã Hoà An").click()
    expect(page).to_have_url(detail + f"?unit={world.commune.pk}")
    expect(page.locator("nav.breadcrumb")).to_have_text("Tỉnh A › Xã Hoà An")
    expect(page.get_by_role("heading", name="Việc của Xã Hoà An")).to_be_visible()
    expect(matrix_rows(page).locator("td")).to_have_text(
        [OWN_ROW, "Còn hạn", "Hoàn thành đúng hạn", "95,56%"]
    )


def test_the_dates_a_form_fills_in_are_shown_as_dd_mm_yyyy(
    world, sent, page, login, live_server, today
):
    login(world.province_manager)
    page.goto(live_server.url + f"/directives/{sent.pk}/send/")
    expect(page.get_by_label("Ngày gửi")).to_have_attribute("placeholder", "dd/mm/yyyy")
    expect(page.get_by_label("Ngày gửi")).to_have_value(vn(today), timeout=1000)
