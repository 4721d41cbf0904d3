"""Every feature's main pages under the Content-Security-Policy: the browser reports no violation
and no console error, and what the moved scripts and styles do still works (the unit filter, the
language selector, htmx's swaps, the charts, the report form's draft, the Django admin).

The policy is the one of settings.py; the browser tells of a refusal by a
`securitypolicyviolation` event (caught by a script installed before each page's own) and by a
console error."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.clock import moment
from tests.concerns.conftest import submit
from tests.figures.conftest import build_forms, enter
from tuyengiao.concerns import services as concern_services
from tuyengiao.concerns.models import Topic
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import (
    StepPlan,
    directive_register,
    directive_send,
    receivers_by,
)
from tuyengiao.figures.models import Report
from tuyengiao.notifications.models import NotificationKind
from tuyengiao.notifications.services import notify
from tuyengiao.org.models import Kind, Level

from ..factories import UserFactory
from .conftest import PASSWORD, open_page, sign_in

LISTEN = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.reportViolation([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber,
    e.sample].join(" | "));
});
"""


class Watched:
    """A page whose policy violations and console errors are collected, with the page's URL."""

    def __init__(self, page):
        self.page = page
        self.violations: list[str] = []
        self.console: list[str] = []
        page.expose_function("reportViolation", lambda text: self.violations.append(text))
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url')})")

    def visit(self, path: str):
        response = self.page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
        self.page.wait_for_load_state()  # the deferred scripts have run
        return self.page

    def assert_clean(self):
        # A violation reaches the page's listener asynchronously: give it the chance.
        self.page.evaluate("new Promise(function (ok) { setTimeout(ok, 50); })")
        assert not self.violations, "Content-Security-Policy violations:\n" + "\n".join(
            self.violations
        )
        assert not self.console, "Console errors:\n" + "\n".join(self.console)


@pytest.fixture(autouse=True)
def topics(concern_topics):
    pass


@pytest.fixture
def watched(page):
    return Watched(page)


def chart_is_drawn(page, selector: str = "figure.chart img"):
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()  # the chart loads lazily
    expect(image).to_be_visible()
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_the_office_pages_run_under_the_policy(world, watched, live_server, today):
    manager = world.province_manager
    directive = directive_register(
        actor=manager,
        unit=world.province,
        symbol="Chỉ thị số 05 CT/TW",
        issued_on=today - timedelta(days=30),
        title="Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )
    directive_send(
        actor=manager,
        directive=directive,
        sender=world.province,
        receivers=receivers_by(world.province, levels=[Level.COMMUNE], kinds=[Kind.COMMITTEE]),
        plan=[StepPlan(StepKind.PLAN, days_after=15)],
        sent_on=today,
    )
    forms = build_forms()
    enter(None, forms.monthly, world.cell, "2024-01", LOP_KH="20", LOP_TH="22")
    enter(None, forms.monthly, world.cell2, "2024-02", LOP_KH="30", LOP_TH="30")
    report = Report.objects.filter(unit=world.cell).first()
    first = submit(world.collaborator, title="Khói từ lò gạch bay vào khu dân cư")
    concern = concern_services.concern_open(
        actor=manager,
        reports=[first],
        title="Ô nhiễm khói bụi nhà máy gạch",
        topic=Topic.objects.get(code="moi-truong"),
    )
    submit(world.collaborator, title="Người dân lo lắng giá đền bù đường tránh")
    notify([manager.pk], kind=NotificationKind.DUE_SOON, title="Sắp đến hạn nộp kế hoạch")

    page = watched.page
    watched.visit("/account/password/reset/")
    watched.visit("/account/password/reset/sent/")
    watched.visit("/login/")
    sign_in(page, live_server, manager)
    watched.visit("/help/")
    watched.visit("/")

    # the unit page: its children filter as one types (app.js, once an inline script)
    watched.visit(f"/units/{world.province.pk}/")
    children = page.locator("#children tbody tr[data-key]")
    expect(children.filter(visible=True)).to_have_count(3)
    page.locator("input[data-filter-target]").fill("ngan son")
    expect(children.filter(visible=True)).to_have_count(1)
    expect(children.filter(visible=True)).to_contain_text("Xã Ngân Sơn")
    watched.visit("/units/")
    watched.visit("/units/search/?q=xa")
    watched.visit("/deadlines/")

    # the dashboard: on-time bars drawn by attribute, the period swapped by htmx
    watched.visit("/deadlines/dashboard/")
    expect(page.locator("#board .bar rect").first).to_be_attached()
    page.get_by_role("combobox", name="Kỳ").select_option(label=f"Tháng 1/{today.year}")
    expect(page.locator("#board h2")).to_have_text(f"Tháng 1/{today.year}")

    watched.visit("/directives/")
    watched.visit(f"/directives/{directive.pk}/")
    expect(page.locator("table.matrix")).to_be_visible()
    # the receivers' picker: search, count and "all cells" from receiver-picker.js
    watched.visit(f"/directives/{directive.pk}/send/")
    page.locator("[data-picker-search]").fill("na pai")
    page.get_by_role("checkbox", name="Chi bộ thôn Nà Pài — Xã Hoà An").check()
    expect(page.locator("[data-picker-count]")).to_have_text("Đã chọn 1 đơn vị")
    step = Step.objects.filter(unit=world.commune).first()
    watched.visit(f"/directives/steps/{step.pk}/")
    expect(page.locator("dl.evidence")).to_be_visible()

    watched.visit("/figures/")
    watched.visit(f"/figures/reports/{report.pk}/")
    watched.visit("/figures/approvals/")
    watched.visit(
        f"/figures/table/?data_set={forms.monthly.pk}&kind=month&first=2024-01&last=2024-02"
        f"&indicator={forms.indicators['LOP_TH'].pk}"
    )
    expect(page.locator("table.rollup tr.total")).to_contain_text("22/20, đạt 110,00%")
    chart_is_drawn(page)

    # the concerns: triage filtered by htmx, a concern, the overview and its chart
    watched.visit("/concerns/triage/")
    queue = page.locator("#queue")
    expect(queue).to_contain_text("giá đền bù")
    watched.visit(f"/concerns/{concern.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ô nhiễm khói bụi")
    watched.visit("/concerns/list/")
    watched.visit("/concerns/overview/")
    chart_is_drawn(page)
    watched.visit("/concerns/bodies/")  # the unit's responsible bodies
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cơ quan chịu trách nhiệm")

    watched.visit("/audit/")
    watched.visit("/users/")
    watched.visit(f"/users/{world.commune_staff.pk}/password/")
    watched.visit("/notifications/")
    expect(page.locator(".notifications li.unread")).to_have_count(1)

    # the language selector sends itself (app.js, once an onchange attribute)
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    watched.assert_clean()


def test_the_triage_filter_swaps_the_queue_under_the_policy(world, watched, live_server):
    submit(world.collaborator, title="Người dân lo lắng giá đền bù đường tránh")
    page = watched.page
    sign_in(page, live_server, world.province_manager)
    watched.visit("/concerns/triage/")
    expect(page.locator("#queue")).to_contain_text("giá đền bù")
    filters = page.get_by_role("form", name="Lọc phản ánh")
    topic = filters.locator("select").first
    options = topic.locator("option")
    # choosing another value of the first filter: htmx fetches the queue again in place
    with page.expect_response(lambda r: "/concerns/triage/" in r.url):
        topic.select_option(index=options.count() - 1)
    expect(page).to_have_url(re.compile(r"/concerns/triage/\?"))
    watched.assert_clean()


def test_the_collaborators_report_page_keeps_its_draft_under_the_policy(
    world, browser, live_server
):
    for phone in open_page(browser, live_server, viewport={"width": 360, "height": 740}):
        watched = Watched(phone)
        sign_in(phone, live_server, world.collaborator)
        watched.visit("/concerns/new/")
        phone.get_by_label("Tiêu đề ngắn").fill("Lo lắng giá đền bù đường tránh")
        # the draft is kept as one types (concerns-draft.js) and comes back after a reload
        phone.wait_for_function("() => Object.keys(localStorage).some((k) => k.endsWith('-draft'))")
        watched.visit("/concerns/new/")
        expect(phone.get_by_label("Tiêu đề ngắn")).to_have_value("Lo lắng giá đền bù đường tránh")
        watched.visit("/concerns/mine/")
        watched.assert_clean()


def test_the_oversight_pages_run_under_the_policy(world, watched, live_server):
    from tests.oversight.conftest import conducted, shortcomings_of
    from tuyengiao.oversight import services as oversight

    with time_machine.travel(moment("2026-11-20").timestamp(), tick=True):
        _fields_of_work()
        shortcomings_of(world, date(2025, 3, 1), "dan-van")
        conclusion = shortcomings_of(world, date(2026, 6, 1), "dan-van")
        plan = oversight.plan_create(actor=None, unit=world.province, year=2026)
        inspection = conducted(world.province_manager, [world.commune])
        recommendation = oversight.conference_create(
            actor=None,
            unit=world.province,
            kind="speakers",
            held_on=date(2026, 11, 18),
            title="Hội nghị báo cáo viên tháng 11",
            tasks=[
                oversight.RecommendationInput(
                    world.commune, "Thông tin thời sự", date(2026, 12, 15)
                )
            ],
        ).tasks.get()
    page = watched.page
    sign_in(page, live_server, world.province_manager)
    watched.visit("/oversight/")
    watched.visit(f"/oversight/plans/?unit={world.province.pk}")
    watched.visit(plan.get_absolute_url())
    watched.visit(f"/oversight/inspections/new/?unit={world.province.pk}")
    watched.visit(conclusion.inspection.get_absolute_url())
    expect(page.locator("ol.procedure")).to_be_visible()
    watched.visit(f"/oversight/inspections/{inspection.pk}/conclude/")
    expect(page.locator("#recurring-warning")).to_contain_text("Dân vận")
    watched.visit(recommendation.get_absolute_url())
    watched.visit(recommendation.conference.get_absolute_url())
    watched.visit("/oversight/recommendations/")
    watched.visit(f"/oversight/recommendations/list/?unit={world.commune.pk}")
    watched.visit("/oversight/recurring/")
    watched.visit(f"/units/{world.commune.pk}/")
    expect(page.locator("#unit-recurring")).to_contain_text("Dân vận")
    watched.assert_clean()


def test_the_conference_pages_and_oversight_files_run_under_the_policy(world, watched, live_server):
    from tests.oversight.conftest import concluded
    from tuyengiao.oversight import services as oversight

    with time_machine.travel(moment("2026-11-20").timestamp(), tick=True):
        _fields_of_work()
        conference = oversight.conference_create(
            actor=None,
            unit=world.province,
            kind="final_review",
            held_on=date(2026, 11, 10),
            title="Hội nghị tổng kết",
            connected_points=12,
        )
        plan = oversight.plan_create(actor=None, unit=world.province, year=2026)
        conclusion = concluded(
            world.province_manager,
            [world.commune],
            recommendations=[(world.commune, "Kiện toàn báo cáo viên", date(2026, 12, 15))],
        )
    page = watched.page
    sign_in(page, live_server, world.province_manager)
    watched.visit(f"/oversight/conferences/?unit={world.province.pk}")
    expect(page.locator("#conferences")).to_contain_text("Hội nghị tổng kết")
    watched.visit(f"/oversight/conferences/new/?unit={world.province.pk}")
    expect(page.locator("#task-rows")).to_be_visible()
    watched.visit(conference.get_absolute_url())
    watched.visit(f"/oversight/conferences/{conference.pk}/edit/")
    watched.visit(f"/oversight/conferences/{conference.pk}/tasks/")
    for url in (
        f"/oversight/inspections/{conclusion.inspection_id}/conclusion.docx",
        f"/oversight/plans/{plan.pk}/plan.xlsx",
        f"/oversight/recommendations/open.xlsx?unit={world.province.pk}",
    ):
        response = page.request.get(live_server.url + url)
        assert response.status == 200, url
        assert response.body()[:2] == b"PK", url


def test_the_outreach_pages_run_under_the_policy(world, watched, live_server, settings, tmp_path):
    from tests.outreach.conftest import marked

    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(moment("2026-12-06").timestamp(), tick=True):
        _fields_of_work()
        made = marked(world.commune, world.cell, "Chi bộ")
    page = watched.page
    sign_in(page, live_server, world.commune_staff)
    watched.visit("/outreach/")
    watched.visit("/outreach/?idle=6")
    watched.visit(f"/outreach/speakers/new/?unit={world.commune.pk}")
    watched.visit(made["speaker"].get_absolute_url())
    watched.visit(f"/outreach/speakers/{made['speaker'].pk}/sessions/new/")
    watched.visit("/outreach/sessions/?period=2026")
    watched.visit(f"/outreach/conferences/{made['conference'].pk}/speakers/")
    watched.visit("/outreach/models/?q=mo+hinh")
    watched.visit(f"/outreach/models/new/?unit={world.commune.pk}")
    watched.visit(made["model"].get_absolute_url())
    expect(page.locator("ul.photos img")).to_be_visible()
    watched.visit("/outreach/models/counts/")
    watched.assert_clean()


def _fields_of_work():
    """The fields of work of the oversight migration (a live server's database is emptied after
    each test, and the migration's rows with it)."""
    from importlib import import_module

    from tuyengiao.oversight.models import WorkArea

    areas = import_module("tuyengiao.oversight.migrations.0002_work_areas").WORK_AREAS
    for position, (code, name) in enumerate(areas, start=1):
        WorkArea.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def test_the_django_admin_runs_under_the_policy(world, watched, live_server):
    UserFactory(username="quantri-he-thong", unit=world.root, is_staff=True, is_superuser=True)
    page = watched.page
    watched.visit("/admin/login/")
    page.locator("input[name=username]").fill("quantri-he-thong")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    watched.visit("/admin/")
    watched.visit(f"/admin/org/unit/{world.commune.pk}/change/")
    expect(page.locator("input[name=name]")).to_have_value("Xã Hoà An")
    watched.assert_clean()


def test_the_watch_sees_a_refused_inline_style(db, watched):
    """The counterpart of the tests above: what the policy refuses does reach the watch."""
    page = watched.visit("/login/")
    page.evaluate(
        "document.body.appendChild(document.createElement('p')).setAttribute('style', 'color: red')"
    )
    page.evaluate("new Promise(function (ok) { setTimeout(ok, 50); })")
    assert any("style-src" in v for v in watched.violations), watched.violations


def test_the_reading_page_runs_under_the_policy(world, watched, live_server):
    page = watched.page
    sign_in(page, live_server, world.commune_staff)
    watched.visit("/narratives/read/")
    page.fill(
        "textarea[name=content]",
        "Kết luận số 01-KL/TW: 52/50 lớp, đạt 104%; 120/100 tin, đạt 102%.",
    )
    page.click("form.form button[type=submit]")
    expect(page.locator(".extracted-text mark.ratio-bad")).to_have_text("120/100 tin, đạt 102%")
    watched.assert_clean()


def test_the_narrative_report_pages_run_under_the_policy(world, watched, live_server):
    from tests.narratives.conftest import marked

    _fields_of_work()
    report = marked(world.commune, "Báo cáo thử")
    page = watched.page
    sign_in(page, live_server, world.commune_staff)
    watched.visit(f"/narratives/?unit={world.commune.pk}")
    watched.visit(f"/narratives/{report.pk}/")
    page.fill("textarea[name='text-p1-ii-data']", "Còn 3 chi bộ chậm.")
    page.click("form.narrative-editor button[type=submit]")
    expect(page.locator(".narrative-editor")).to_be_visible()
    watched.visit(f"/narratives/children/?unit={world.commune.pk}")
    watched.assert_clean()
