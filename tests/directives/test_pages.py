from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from tests.clock import on_day
from tests.factories import send
from tuyengiao.directives.models import Assignment, Directive, Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register


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
    rows = list(book["Tiến độ"].iter_rows(values_only=True))
    names = {row[0] for row in rows[3:]}
    assert {"Xã Hoà An", "Xã Ngân Sơn", "Tổng cộng"} <= names
    assert book["Đơn vị chậm"].max_row == 3  # header + both communes, overdue by now


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
