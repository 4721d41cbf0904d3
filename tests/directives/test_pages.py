from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from tests.clock import on_day
from tests.factories import send
from tests.reports.sheets import INJECTION, assert_inert, assert_set_up
from tuyengiao.directives.models import Assignment, Directive, Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.org.models import Unit


def register(world):
    return directive_register(
        actor=None, unit=world.province, symbol="05-CT/TW", issued_on=date(2016, 5, 15), title="x"
    )


def test_registering_shows_the_parse_error_beside_the_symbol(client, world):
    client.force_login(world.province_manager)
    response = client.post(
        "/directives/new/", {"symbol": "05/TW", "issued_on": "15/5/2016", "title": "Chỉ thị"}
    )
    assert response.status_code == 200
    assert "symbol" in response.context["form"].errors
    assert not Directive.objects.exists()


def test_a_duplicate_links_to_the_existing_document(client, world):
    existing = register(world)
    client.force_login(world.province_manager)
    response = client.post(
        "/directives/new/",
        {"symbol": "Chỉ thị số 05 CT/TW", "issued_on": "20/5/2016", "title": "Lặp lại"},
    )
    assert response.status_code == 200
    assert f"/directives/{existing.pk}/" in response.content.decode()


def test_sending_from_the_page_by_level(client, world):
    directive = register(world)
    client.force_login(world.province_manager)
    response = client.post(
        f"/directives/{directive.pk}/send/",
        {
            "sender": world.province.pk,
            "levels": ["commune"],
            "kinds": ["committee"],
            "sent_on": "2/3/2026",
            "step_plan": "on",
            "after_plan": "15",
            "unit_plan": "days",
            "step_interim_review": "on",
            "after_interim_review": "24",
            "unit_interim_review": "months",
        },
    )
    assert response.status_code == 302
    assert set(Assignment.objects.values_list("unit__name", flat=True)) == {
        "Xã Hoà An",
        "Xã Ngân Sơn",
    }
    review = Step.objects.get(unit=world.commune, kind=StepKind.INTERIM_REVIEW)
    assert review.due_on == date(2028, 3, 2)


def test_a_step_without_a_deadline_is_explained_on_the_page(client, world):
    directive = register(world)
    client.force_login(world.province_manager)
    response = client.post(
        f"/directives/{directive.pk}/send/",
        {
            "sender": world.province.pk,
            "levels": ["commune"],
            "sent_on": "2/3/2026",
            "step_study": "on",
        },
    )
    assert response.status_code == 200
    assert "thời hạn" in response.content.decode()
    assert not Assignment.objects.exists()


@on_day("2026-05-01")
def test_recording_a_study_conference_from_its_page(client, world):
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.STUDY, days_after=30)],
        date(2026, 3, 2),
    )
    step = Step.objects.get()
    client.force_login(world.commune_staff)
    response = client.post(
        f"/directives/steps/{step.pk}/",
        {
            "done_on": "20/3/2026",
            "attendees_cadres": "3",
            "attendees_members": "40",
            "expected": "45",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.attendees == 43 and step.obligation.done_on == date(2026, 3, 20)
    page = client.get(f"/directives/{directive.pk}/?unit={world.commune.pk}").content.decode()
    assert "95,56%" in page


@on_day("2026-05-01")
def test_the_matrix_exports_to_excel(client, world):
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune, world.commune2],
        [StepPlan(StepKind.PLAN, days_after=10)],
        date(2026, 3, 2),
    )
    client.force_login(world.province_manager)
    response = client.get(f"/directives/{directive.pk}/export.xlsx?unit={world.province.pk}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    progress, late = book["Tiến độ"], book["Đơn vị chậm"]
    rows = list(progress.iter_rows(min_row=5, values_only=True))
    assert [row[0] for row in rows] == ["Xã Hoà An", "Xã Ngân Sơn", "Tổng cộng"]
    assert rows[0][1:5] == (0, 0, 0, 1)  # the plan: done on time, late, pending, overdue
    header = [c.value for c in progress[4]][:2]
    assert header == ["Đơn vị", "Ban hành kế hoạch: hoàn thành đúng hạn"]
    # what, where and when above each table, set up to be read and printed
    assert progress["A1"].value == f"{directive.symbol} — {directive.title}"
    assert progress["A2"].value.startswith("Tỉnh A · Xuất ngày ")
    assert late["A1"].value == f"Đơn vị chậm: {directive.symbol} — {directive.title}"
    assert progress.print_title_rows == late.print_title_rows == "$4:$4"
    assert progress.freeze_panes == "B5"  # wide: the units stay in view, printed landscape
    assert progress.page_setup.orientation == "landscape"
    assert late.freeze_panes == "A5" and late.page_setup.orientation == "portrait"
    assert late.max_row == 6  # the header on row 4, then both communes, overdue by now
    assert late["D5"].number_format == "DD/MM/YYYY"
    assert response["Content-Disposition"].startswith('attachment; filename="tien-do-')


def test_the_matrix_export_writes_names_and_titles_as_text(client, world):
    """A unit and a document title typed like formulas are shown as typed, never evaluated."""
    directive = directive_register(
        actor=None, unit=world.province, symbol="07-KL/TW", issued_on=date(2021, 7, 1), title="-x"
    )
    Unit.objects.filter(pk=world.commune.pk).update(name=INJECTION)
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.PLAN, days_after=10)],
        date(2026, 3, 2),
    )
    client.force_login(world.province_manager)
    response = client.get(f"/directives/{directive.pk}/export.xlsx?unit={world.province.pk}")
    assert_inert(response.content, INJECTION)
    book = load_workbook(BytesIO(response.content))
    assert book["Tiến độ"]["A1"].value == "07-KL/TW — -x"
    assert_set_up(book["Tiến độ"])
    assert_set_up(book["Đơn vị chậm"])


def test_an_obligation_from_a_directive_links_back_to_it(client, world):
    directive = register(world)
    send(
        directive,
        world.province,
        [world.commune],
        [StepPlan(StepKind.STUDY, days_after=30)],
        date(2026, 3, 2),
    )
    obligation = Step.objects.get().obligation
    client.force_login(world.commune_staff)
    page = client.get(f"/deadlines/{obligation.pk}/").content.decode()
    assert f"/directives/{directive.pk}/?unit={world.commune.pk}" in page
