import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.clock import on_day
from tuyengiao.training import queries, services
from tuyengiao.training.models import TrainingClass

from .conftest import centre, klass, programme

pytestmark = [pytest.mark.django_db, on_day("2026-12-06")]


@pytest.fixture
def filled(world):
    made = centre(None, world.commune)
    other = centre(
        None, world.commune2, name="Trung tâm Chính trị xã Ngân Sơn", served=[world.commune2]
    )
    services.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=50,
        learners_planned=24606,
    )
    for i in range(52):
        klass(
            None,
            made,
            enrolled=473 if i < 51 else 24606 - 473 * 51,
            opened_on=date(2026, 2, 1),
            closed_on=date(2026, 3, 1),
            completed=465 if i < 51 else 24193 - 465 * 51,
        )
    klass(None, other, enrolled=30)
    return world, made, other


def test_the_vietnamese_sentences(filled):
    world, made, _other = filled
    report = queries.plan_vs_actual(
        world.province_manager, world.commune, queries.Period.parse("2026")
    )
    line = report.by_programme[0]
    assert line.classes_text == "52/50 lớp, đạt 104% kế hoạch"
    assert line.learners_text == "24.606/24.606 học viên, đạt 100% kế hoạch"
    assert line.completion_text == "24.193/24.606 học viên, đạt 98,32%"
    quarter = queries.plan_vs_actual(
        world.province_manager, world.commune, queries.Period.parse("2026Q1")
    )
    assert quarter.by_programme[0].classes_text == "52/50 lớp, đạt 104% kế hoạch năm"
    assert queries.plan_vs_actual(
        world.province_manager, world.commune, queries.Period.parse("2026Q2")
    ).by_programme[0].classes_text == ("0/50 lớp, đạt 0% kế hoạch năm")


def test_rolled_up_by_child_and_scoped(filled):
    world, made, other = filled
    report = queries.plan_vs_actual(
        world.province_manager, world.province, queries.Period.parse("2026")
    )
    units = {line.unit.pk: line.figures.classes for line in report.by_unit}
    assert units == {world.commune.pk: 52, world.commune2.pk: 1}
    assert report.total.figures.classes == 53
    mine = queries.plan_vs_actual(world.commune_staff, world.commune, queries.Period.parse("2026"))
    assert mine.total.figures.classes == 52
    assert [line.label for line in mine.by_centre] == [made.name]


def test_the_page_and_its_workbook(client, filled):
    world, made, other = filled
    client.force_login(world.province_manager)
    page = client.get("/training/plan/", {"unit": world.province.pk, "period": "2026"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "52/50 lớp, đạt 104% kế hoạch" in text and 'class="scroll"' in text
    download = client.get("/training/plan/xlsx/", {"unit": world.province.pk, "period": "2026"})
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["Theo chương trình", "Theo trung tâm", "Theo đơn vị"]
    rows = list(book["Theo chương trình"].iter_rows(values_only=True))
    first = next(r for r in rows if r[0] == "Sơ cấp lý luận chính trị")
    assert first[1:3] == (50, 53) and first[10] == "53/50 lớp, đạt 106% kế hoạch"


def test_the_workbook_writes_no_formula(client, world):
    centre(None, world.commune, name='=HYPERLINK("http://x")')
    client.force_login(world.province_manager)
    download = client.get("/training/plan/xlsx/", {"unit": world.province.pk})
    book = load_workbook(io.BytesIO(download.content))
    cells = [c for row in book["Theo trung tâm"].iter_rows() for c in row if c.value]
    risky = [c for c in cells if str(c.value).startswith("=")]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)


def test_outside_answers_404(client, filled):
    world, made, other = filled
    client.force_login(world.neighbour)
    assert client.get(f"/training/centres/{made.pk}/").status_code == 404
    assert client.get("/training/plan/", {"unit": world.commune.pk}).status_code == 404
    client.force_login(world.commune_staff)
    assert client.get(f"/training/centres/{other.pk}/").status_code == 404
    one = TrainingClass.objects.filter(centre=other).get()
    assert client.post(f"/training/classes/{one.pk}/delete/").status_code == 404


def test_a_small_class_asks_for_the_checkbox(client, world):
    made = centre(None, world.commune)
    client.force_login(world.commune_staff)
    data = {
        "unit": world.commune.pk,
        "centre": made.pk,
        "programme": programme().pk,
        "communes": [world.commune.pk],
        "opened_on": "02/03/2026",
        "enrolled": "20",
    }
    page = client.post("/training/classes/new/", data)
    text = page.content.decode()
    assert page.status_code == 200 and "Vẫn lưu lớp dưới 25 học viên" in text
    assert not TrainingClass.objects.exists()
    done = client.post("/training/classes/new/", {**data, "confirm_small": "on"})
    assert done.status_code == 302
    assert TrainingClass.objects.get().small_confirmed


def test_closing_before_opening_is_said_by_the_field(client, world):
    made = centre(None, world.commune)
    client.force_login(world.commune_staff)
    page = client.post(
        "/training/classes/new/",
        {
            "unit": world.commune.pk,
            "centre": made.pk,
            "programme": programme().pk,
            "communes": [world.commune.pk],
            "opened_on": "02/03/2026",
            "closed_on": "01/03/2026",
            "enrolled": "30",
            "completed": "30",
        },
    )
    assert "Ngày bế giảng không thể trước ngày khai giảng." in page.content.decode()


def test_the_plan_grid(client, world):
    made = centre(None, world.commune)
    client.force_login(world.commune_staff)
    p = programme()
    response = client.post(
        f"/training/centres/{made.pk}/plans/?year=2026",
        {
            "year": "2026",
            f"classes_planned_{p.pk}": "4",
            f"learners_planned_{p.pk}": "160",
        },
    )
    assert response.status_code == 302
    assert made.plans.get().learners_planned == 160
    page = client.get(f"/training/centres/{made.pk}/plans/", {"year": 2026})
    assert page.status_code == 200 and 'value="160"' in page.content.decode()


def test_lists_and_forms_answer(client, filled):
    world, made, other = filled
    client.force_login(world.province_manager)
    for url in (
        "/training/",
        "/training/centres/",
        "/training/classes/?state=running",
        "/training/programmes/",
        "/training/centres/new/",
        "/training/classes/new/",
        f"/training/centres/{made.pk}/",
        f"/training/centres/{made.pk}/edit/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_centre_and_a_class_through_the_pages(client, world):
    client.force_login(world.commune_staff)
    response = client.post(
        "/training/centres/new/",
        {
            "unit": world.commune.pk,
            "name": "Trung tâm Chính trị xã Hoà An",
            "kind": "commune_centre",
            "served": [world.commune.pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    made = world.commune.political_centres.get()
    one = klass(None, made)
    page = client.get(f"/training/classes/{one.pk}/edit/")
    assert page.status_code == 200 and "Ngày bế giảng" in page.content.decode()
    closed = client.post(
        f"/training/classes/{one.pk}/edit/",
        {
            "programme": one.programme_id,
            "communes": [world.commune.pk],
            "opened_on": "02/03/2026",
            "closed_on": "20/04/2026",
            "enrolled": "40",
            "completed": "39",
        },
    )
    assert closed.status_code == 302
    one.refresh_from_db()
    assert one.completed == 39 and one.closed_on == date(2026, 4, 20)
    assert client.get(f"/training/classes/{one.pk}/delete/").status_code == 405
    assert client.post(f"/training/classes/{one.pk}/delete/").status_code == 302
    assert not TrainingClass.objects.exists()


def test_a_viewer_sees_but_changes_nothing(client, world):
    made = centre(None, world.commune)
    client.force_login(world.cell_viewer)
    assert client.get("/training/classes/new/").status_code == 403
    client.force_login(world.commune_staff)
    viewer_page = client.get(f"/training/centres/{made.pk}/")
    assert viewer_page.status_code == 200


def test_the_class_list_filters(client, world):
    made = centre(None, world.commune)
    klass(None, made, title="Lớp đang học")
    klass(None, made, title="Lớp đã xong", closed_on=date(2026, 3, 10), completed=40)
    client.force_login(world.commune_staff)
    running = client.get("/training/classes/", {"state": "running"}).content.decode()
    assert "Lớp đang học" in running and "Lớp đã xong" not in running
    closed = client.get("/training/classes/", {"state": "closed", "year": 2026}).content.decode()
    assert "Lớp đã xong" in closed and "Lớp đang học" not in closed
    assert "Lớp đang học" not in client.get("/training/classes/", {"year": 2025}).content.decode()
