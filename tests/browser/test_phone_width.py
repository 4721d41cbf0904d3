"""At phone width (390×844) the main pages fit: nothing makes the page wider than the screen
(a wide table scrolls inside its own box, its first column kept in view), so no page is
scrolled sideways. The figures entry table was the one seen too wide."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.clock import on_day
from tests.concerns.conftest import submit, topic
from tests.factories import send
from tests.figures.conftest import build_forms, enter
from tuyengiao.concerns.services import concern_forward, concern_open
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.figures.services import report_open, report_submit
from tuyengiao.periods import Period

from .conftest import open_page, sign_in

pytestmark = on_day("2026-11-20")
WIDTH, HEIGHT = 390, 844
PHONE = {"viewport": {"width": WIDTH, "height": HEIGHT}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def phone(browser, live_server):
    yield from open_page(browser, live_server, **PHONE)


@pytest.fixture
def filled(world, concern_topics, settings, tmp_path):
    """A report to type (Chi bộ thôn Nà Pài's) and one sent up (Xã Hoà An's), a document sent
    with its steps, a concern forwarded with its reports."""
    forms = build_forms()
    world.entry = report_open(
        actor=None, data_set=forms.monthly, unit=world.cell, period=Period.parse("2026-10")
    )
    sent = enter(
        world.commune_staff, forms.monthly, world.commune, "2026-10", LOP_KH="2", LOP_TH="2"
    )
    report_submit(actor=world.commune_staff, report=sent)
    world.directive = directive_register(
        actor=None,
        unit=world.province,
        symbol="05-CT/TW",
        issued_on=date(2021, 5, 18),
        title="Về tăng cường sự lãnh đạo của Đảng đối với công tác tuyên truyền, giáo dục "
        "chính trị tư tưởng trong tình hình mới",
    )
    send(
        world.directive,
        world.province,
        [world.commune, world.commune2, world.cell],
        [StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, days_after=30)],
        date(2026, 11, 1),
    )
    reports = [
        submit(world.collaborator, title="Khói bụi từ lò gạch thủ công gây ô nhiễm khu dân cư"),
        submit(world.collaborator, title="Giá phân bón tăng cao ảnh hưởng vụ đông xuân"),
    ]
    concern = concern_open(
        actor=world.province_manager,
        reports=reports,
        title="Ô nhiễm khói bụi từ các lò gạch thủ công",
        topic=topic(),
    )
    world.report = reports[0]
    world.step = Step.objects.filter(directive=world.directive, unit=world.commune).first()
    world.concern = concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.commune,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    settings.MEDIA_ROOT = tmp_path
    _oversight_and_outreach(world)
    _training_and_narratives(world)
    return world


def _oversight_and_outreach(world):
    """An inspection of Xã Hoà An concluded with a recommendation; a speaker and a model."""
    from tests.browser.test_security_policy import _fields_of_work
    from tests.outreach.conftest import marked
    from tests.oversight.conftest import concluded

    _fields_of_work()
    conclusion = concluded(
        world.province_manager,
        [world.commune],
        recommendations=[(world.commune, "Kiện toàn đội ngũ báo cáo viên", date(2026, 12, 15))],
    )
    world.inspection = conclusion.inspection
    world.recommendation = conclusion.recommendations.first()
    world.outreach = marked(world.commune, world.cell, "Chi bộ")


def _training_and_narratives(world):
    """A centre of Xã Hoà An with its plan and a class; the province's report of the quarter,
    drafted from the data."""
    from importlib import import_module

    from django.apps import apps

    from tests.training.conftest import marked
    from tuyengiao.narratives import services as narratives
    from tuyengiao.narratives.models import NarrativeReport

    # migrations' rows: a live server's database is emptied after each test
    import_module("tuyengiao.training.migrations.0002_programmes").add(apps, None)
    for name in ("figures.migrations.0005", "training.migrations.0003"):
        import_module(f"tuyengiao.{name}_counted_indicators").create(apps, None)
    world.training = marked(world.commune, "Xã")
    report = NarrativeReport(unit=world.province, period="2026Q3").fill_path()
    report.save()
    narratives.narrative_draft(
        actor=world.province_manager, report=report, today=timezone.localdate()
    )
    world.narrative = report


PAGES = {
    "figures entry": ("commune_staff", lambda w: f"/figures/reports/{w.entry.pk}/"),
    "figures index": ("commune_staff", lambda w: "/figures/"),
    "approval list": ("province_manager", lambda w: "/figures/approvals/"),
    "to-do list": ("commune_staff", lambda w: "/deadlines/"),
    "dashboard": ("province_manager", lambda w: "/deadlines/dashboard/"),
    "concern list": ("province_manager", lambda w: "/concerns/list/"),
    "concern triage": ("province_manager", lambda w: "/concerns/triage/"),
    "concern page": ("province_manager", lambda w: f"/concerns/{w.concern.pk}/"),
    "directive list": ("province_manager", lambda w: "/directives/"),
    "directive page": ("province_manager", lambda w: f"/directives/{w.directive.pk}/"),
    "directive send": ("province_manager", lambda w: f"/directives/{w.directive.pk}/send/"),
    "step page": ("commune_staff", lambda w: f"/directives/steps/{w.step.pk}/"),
    "concern report": ("province_manager", lambda w: f"/concerns/reports/{w.report.pk}/"),
    "bodies": ("province_manager", lambda w: "/concerns/bodies/"),
    "inspections": ("province_manager", lambda w: "/oversight/"),
    "inspection page": ("province_manager", lambda w: w.inspection.get_absolute_url()),
    "recommendation matrix": ("province_manager", lambda w: "/oversight/recommendations/"),
    "recommendation page": ("commune_staff", lambda w: w.recommendation.get_absolute_url()),
    "recommendation list": ("province_manager", lambda w: "/oversight/recommendations/list/"),
    "recurring shortcomings": ("province_manager", lambda w: "/oversight/recurring/"),
    "year plans": ("province_manager", lambda w: "/oversight/plans/"),
    "conferences": ("province_manager", lambda w: "/oversight/conferences/"),
    "speakers": ("commune_staff", lambda w: "/outreach/"),
    "speaker page": ("commune_staff", lambda w: w.outreach["speaker"].get_absolute_url()),
    "sessions": ("commune_staff", lambda w: "/outreach/sessions/?period=2026"),
    "models": ("commune_staff", lambda w: "/outreach/models/"),
    "model page": ("commune_staff", lambda w: w.outreach["model"].get_absolute_url()),
    "classes against plan": ("province_manager", lambda w: "/training/plan/?period=2026"),
    "classes": ("province_manager", lambda w: "/training/classes/"),
    "centres": ("province_manager", lambda w: "/training/centres/"),
    "centre page": ("commune_staff", lambda w: f"/training/centres/{w.training['centre'].pk}/"),
    "centre plans": (
        "commune_staff",
        lambda w: f"/training/centres/{w.training['centre'].pk}/plans/?year=2026",
    ),
    "narrative reports": ("province_manager", lambda w: "/narratives/"),
    "narrative report": ("province_manager", lambda w: f"/narratives/{w.narrative.pk}/"),
    "children's reports": ("province_manager", lambda w: "/narratives/children/"),
    "reading a text": ("commune_staff", lambda w: "/narratives/read/"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_fits_a_phone(name, filled, phone, live_server):
    persona, url = PAGES[name]
    sign_in(phone, live_server, getattr(filled, persona))
    response = phone.goto(live_server.url + url(filled))
    assert response.status == 200, name
    phone.wait_for_load_state()
    # Measured against the phone's width: a mobile browser widens its layout viewport (and
    # innerWidth with it) to hold what overflows.
    wide = phone.evaluate(
        """(width) => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > width + 1)
            .filter(e => !e.closest('.scroll, figure.chart'))
            .slice(0, 6).map(e => `${e.tagName}.${e.className}`)""",
        WIDTH,
    )
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{name}: {scroll_width}px wide; too wide: {wide}"


def test_the_entry_table_scrolls_in_its_box_and_keeps_the_indicator_in_view(
    filled, phone, live_server
):
    sign_in(phone, live_server, filled.commune_staff)
    phone.goto(live_server.url + f"/figures/reports/{filled.entry.pk}/")
    first = phone.get_by_label("Số lớp theo kế hoạch", exact=True)
    expect(first).to_be_focused()
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH  # the first figure is on screen
    # Swiped to its end, the table shows its last column with the indicators' names beside it.
    phone.locator(".scroll:has(.entry-table)").evaluate("box => { box.scrollLeft = 10000; }")
    label = phone.locator(".entry-table tbody th[scope=row]").first
    expect(label).to_contain_text("Số lớp đã mở")
    name_box = label.bounding_box()
    assert name_box["x"] >= 0 and name_box["width"] >= 80
    actual = phone.get_by_label("Số lớp đã mở", exact=True)
    actual_box = actual.bounding_box()
    assert actual_box["x"] >= name_box["x"] + name_box["width"] - 1
    assert actual_box["x"] + actual_box["width"] <= WIDTH
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH
