"""Walk every URL that takes an object id: outside one's subtree it does not exist (404), and
a viewer changes nothing anywhere. Walk every URL as a collaborator: only the pages and API
operations open to them exist (OPEN_TO_COLLABORATORS), every other answers 404.

A new URL with an id fails `test_every_id_url_is_walked` until it is added to OBJECTS below, and
any new URL fails `test_the_collaborator_walk_covers_every_route` until the walk can name it.
"""

import re
from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from tests.clock import on_day
from tests.concerns.conftest import png, submit
from tests.factories import ObligationFactory, send
from tests.figures.conftest import build_forms
from tests.narratives.conftest import NARRATIVE_API, NARRATIVE_ROUTES
from tests.narratives.conftest import marked as marked_narrative
from tests.outreach.conftest import OUTREACH_OBJECTS
from tests.outreach.conftest import marked as marked_outreach
from tests.oversight.conftest import OVERSIGHT_OBJECTS
from tests.oversight.conftest import marked as marked_oversight
from tests.oversight.walks import API_OBJECTS, PAGE_OBJECTS, pick
from tests.training.conftest import TRAINING_API, TRAINING_OBJECTS
from tests.training.conftest import marked as marked_training
from tests.uploads import PDF_BYTES
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns.models import ResponsibleBody
from tuyengiao.concerns.services import concern_open, summary_save
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.figures.services import report_open
from tuyengiao.notifications.models import Notification
from tuyengiao.notifications.services import notify
from tuyengiao.org.access import is_api_view, open_to_collaborators
from tuyengiao.org.permissions import CollaboratorGate
from tuyengiao.org.services import unit_update
from tuyengiao.periods import Period

# The walked world holds a report for Tháng 10/2026, owed only once that month has begun.
pytestmark = on_day("2026-11-20")


def id_urls(resolver=None, namespace=""):
    """(qualified name, converter names) of every named route with an int or str parameter."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin is for superusers only, outside the roles
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from id_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and entry.pattern.converters:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.converters)


def routes(resolver=None, namespace=""):
    """(qualified name, callback, parameter names) of every named route, pages and API alike."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback, sorted(entry.pattern.regex.groupindex)


def _audit_args(obj):
    return [ContentType.objects.get_for_model(obj).pk, obj.pk]


# For each URL: the arguments that name an object at a given unit of the world.
OBJECTS = {
    "org:unit": lambda w, unit: [unit.pk],
    "org:unit_add": lambda w, unit: [unit.pk],
    "org:unit_edit": lambda w, unit: [unit.pk],
    "org:unit_merge": lambda w, unit: [unit.pk],
    "org:unit_dissolve": lambda w, unit: [unit.pk],
    "org:user_edit": lambda w, unit: [w.users_at[unit.pk].pk],
    "org:user_toggle": lambda w, unit: [w.users_at[unit.pk].pk],
    "org:user_password": lambda w, unit: [w.users_at[unit.pk].pk],
    "deadlines:detail": lambda w, unit: [w.obligations_at[unit.pk].pk],
    "audit:history": lambda w, unit: _audit_args(unit),
    "directives:detail": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:send": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:send_receivers": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:export": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:step": lambda w, unit: [w.steps_at[unit.pk].pk],
    "directives:attachment": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:step_file": lambda w, unit: [w.steps_at[unit.pk].pk],
    "figures:report": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:withdraw": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:approve": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:unlock": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:return": lambda w, unit: [w.reports_at[unit.pk].pk],
    "concerns:report": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:report_attach": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:report_open": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:photo": lambda w, unit: [w.concern_reports_at[unit.pk].photos.get().pk],
    "concerns:concern": lambda w, unit: [w.concerns_at[unit.pk].pk],
    "concerns:act": lambda w, unit: [w.concerns_at[unit.pk].pk, "resolve"],
    "concerns:summary": lambda w, unit: [w.summaries_at[unit.pk].pk],
    "concerns:body": lambda w, unit: [w.bodies_at[unit.pk].pk],
    **{
        f"oversight:{route}": lambda w, unit, obj=obj: [w.oversight_at[unit.pk][obj].pk]
        for route, obj in {**OVERSIGHT_OBJECTS, **PAGE_OBJECTS}.items()
    },
    **{
        f"outreach:{route}": lambda w, unit, obj=obj: [w.outreach_at[unit.pk][obj].pk]
        for route, obj in OUTREACH_OBJECTS.items()
    },
    **{
        f"training:{route}": lambda w, unit, obj=obj: [w.training_at[unit.pk][obj].pk]
        for route, obj in TRAINING_OBJECTS.items()
    },
    **{
        f"narratives:{route}": lambda w, unit: [w.narratives_at[unit.pk].pk]
        for route in NARRATIVE_ROUTES
    },
}

# Shared definitions, tied to no unit: everyone signed in reads them, administrators change them.
DEFINITIONS = {
    "figures:indicator_edit": lambda w: [w.forms.indicators["LOP_KH"].pk],
    "figures:data_set_detail": lambda w: [w.forms.monthly.pk],
    "figures:data_set_edit": lambda w: [w.forms.monthly.pk],
    "figures:data_set_schedule": lambda w: [w.forms.monthly.pk],
    "figures:rule_new": lambda w: [w.forms.monthly.pk],
    "figures:rule_edit": lambda w: [w.forms.monthly.rules.first().pk],
    "figures:rule_delete": lambda w: [w.forms.monthly.rules.first().pk],
}


# Pages that only read: a POST to them changes nothing and shows the page again.
READ_ONLY = {"org:unit", "audit:history", "directives:detail", "directives:export"}


@pytest.fixture
def walked(world, settings, tmp_path):
    """The world, with an obligation, an account and an audited change at two units."""
    settings.MEDIA_ROOT = tmp_path
    world.obligations_at = {}
    world.users_at = {
        world.cell.pk: world.cell_viewer,
        world.province.pk: world.commune_staff,
    }
    for unit in (world.cell, world.province):
        world.obligations_at[unit.pk] = ObligationFactory(unit=unit, due_on=date(2026, 3, 1))
        unit_update(actor=None, unit=unit, short_name="X")
    world.directive = directive_register(
        actor=None, unit=world.province, symbol="01-KL/TW", issued_on=date(2021, 5, 18), title="x"
    )
    send(
        world.directive,
        world.province,
        [world.office, world.cell],
        [StepPlan(StepKind.STUDY, days_after=10)],
        date(2026, 3, 1),
    )
    only_office = directive_register(
        actor=None, unit=world.province, symbol="02-KL/TW", issued_on=date(2021, 6, 1), title="y"
    )
    send(
        only_office,
        world.province,
        [world.office],
        [StepPlan(StepKind.STUDY, days_after=10)],
        date(2026, 3, 1),
    )
    world.directives_at = {world.cell.pk: world.directive, world.province.pk: only_office}
    world.forms = build_forms()
    # the "province" report lies in Tỉnh A but outside the commune staff's Xã Hoà An
    world.reports_at = {
        unit.pk: report_open(
            actor=None, data_set=world.forms.monthly, unit=at, period=Period.parse("2026-10")
        )
        for unit, at in ((world.cell, world.cell), (world.province, world.commune2))
    }
    world.steps_at = {
        world.cell.pk: Step.objects.get(unit=world.cell, directive=world.directive),
        world.province.pk: Step.objects.get(unit=world.office, directive=only_office),
    }
    # A file on every walked document and step, so that their downloads are walked too.
    for document in world.directives_at.values():
        document.attachment.save("van-ban.pdf", ContentFile(PDF_BYTES))
    for step in world.steps_at.values():
        step.report_file.save("bao-cao.pdf", ContentFile(PDF_BYTES))
    world.concern_reports_at, world.concerns_at = {}, {}
    for unit, at in ((world.cell, world.cell), (world.province, world.commune2)):
        world.concern_reports_at[unit.pk] = submit(world.province_admin, unit=at, photos=[png()])
        grouped = submit(world.province_admin, unit=at, title="Đã phân loại")
        world.concerns_at[unit.pk] = concern_open(
            actor=None, reports=[grouped], title="Vấn đề", topic=grouped.topic
        )
    world.summaries_at = {
        unit.pk: summary_save(
            actor=None,
            unit=at,
            kind="week",
            start=date(2026, 11, 16),
            end=date(2026, 11, 22),
            text="I. TÌNH HÌNH",
        )
        for unit, at in ((world.cell, world.cell), (world.province, world.commune2))
    }
    world.bodies_at = {
        unit.pk: ResponsibleBody.objects.create(unit=at, name="Công an xã").fill_path()
        for unit, at in ((world.cell, world.cell), (world.province, world.commune2))
    }
    for body in world.bodies_at.values():
        body.save()
    # the cell's: the commune inspects its cell; the province's: it inspects Xã A2
    world.oversight_at = {
        world.cell.pk: marked_oversight(world.commune, world.cell, "Chi bộ"),
        world.province.pk: marked_oversight(world.province, world.commune2, "Tỉnh"),
    }
    # the cell's: a speaker and a model of the cell; the province's: of Xã A2
    world.outreach_at = {
        world.cell.pk: marked_outreach(world.commune, world.cell, "Chi bộ"),
        world.province.pk: marked_outreach(world.province, world.commune2, "Tỉnh"),
    }
    # the cell's: a centre of the cell's commune (outside the cell viewer's scope);
    # the province's: a centre of Xã A2
    world.training_at = {
        world.cell.pk: marked_training(world.commune, "Chi bộ"),
        world.province.pk: marked_training(world.commune2, "Tỉnh"),
    }
    # a narrative report of the cell, and one of Xã A2 (the province's side)
    world.narratives_at = {
        world.cell.pk: marked_narrative(world.cell, "Chi bộ"),
        world.province.pk: marked_narrative(world.commune2, "Tỉnh"),
    }
    return world


# Routes whose arguments name no object: a one-time link's token (its own check, tested apart).
TOKEN_LINKS = {"password_reset_confirm"}


def test_every_id_url_is_walked():
    names = {name for name, _converters in id_urls()} - TOKEN_LINKS
    assert names == set(OBJECTS) | set(DEFINITIONS), "add the new URL to OBJECTS in this test"


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_only_administrators_change_definitions(client, walked, name):
    url = reverse(name, args=DEFINITIONS[name](walked))
    entries = AuditEntry.objects.count()
    for user in (walked.neighbour, walked.commune_staff, walked.cell_viewer):
        client.force_login(user)
        allowed = {200, 405} if name == "figures:data_set_detail" else {403, 405}  # reads only
        assert client.post(url, {"name": "x", "code": "X"}).status_code in allowed
    assert AuditEntry.objects.count() == entries
    client.force_login(walked.province_admin)
    if name not in {"figures:data_set_schedule", "figures:rule_delete"}:  # POST-only actions
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_a_user_of_a_sibling_subtree_gets_404(client, walked, name):
    client.force_login(walked.neighbour)  # manager of Tỉnh B, next to Tỉnh A
    url = reverse(name, args=OBJECTS[name](walked, walked.province))
    assert client.get(url).status_code in {404, 405}  # 405: a POST-only action
    assert client.post(url, {"name": "x", "on": "01/07/2026"}).status_code == 404


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_a_user_below_gets_404_for_what_is_above(client, walked, name):
    client.force_login(walked.commune_staff)
    url = reverse(name, args=OBJECTS[name](walked, walked.province))
    assert client.get(url).status_code in {403, 404, 405}


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_a_viewer_changes_nothing(client, walked, name):
    client.force_login(walked.cell_viewer)
    url = reverse(name, args=OBJECTS[name](walked, walked.cell))
    entries = AuditEntry.objects.count()
    payload = {
        "name": "Đổi tên",
        "kind": "cell",
        "on": "01/07/2026",
        "action": "complete",
        "done_on": "01/03/2026",
        "role": "administrator",
        "username": "x",
    }
    response = client.post(url, payload)
    allowed = {200, 403} if name in READ_ONLY else {403, 404, 405}
    assert response.status_code in allowed
    assert AuditEntry.objects.count() == entries
    walked.cell.refresh_from_db()
    assert walked.cell.name == "Chi bộ thôn Nà Pài"
    assert (
        walked.obligations_at[walked.cell.pk]
        .__class__.objects.get(pk=walked.obligations_at[walked.cell.pk].pk)
        .done_on
        is None
    )


def test_pages_without_ids_refuse_viewers_their_changes(client, world):
    client.force_login(world.cell_viewer)
    for url in ("/users/", "/users/add/", "/units/import/", "/audit/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/users/add/", {"username": "moi", "password": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("org:unit", args=[world.province.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


# Collaborators ----------------------------------------------------------------------------------

# What a collaborator (an outside volunteer) reaches, and what each answers to a GET and a POST
# (405: the method is not served; 400: an empty report refused; 302: done, or sent on).
OPEN_TO_COLLABORATORS = {
    "home": {"GET": 302, "POST": 302},  # the report page
    "favicon": {"GET": 301, "POST": 301},
    "help": {"GET": 200, "POST": 200},
    "login": {"GET": 200, "POST": 200},
    "logout": {"GET": 405, "POST": 302},
    "password_change": {"GET": 200, "POST": 200},
    "password_change_done": {"GET": 200, "POST": 405},
    "password_reset": {"GET": 200, "POST": 200},  # no address given: the form again
    "password_reset_done": {"GET": 200, "POST": 405},
    "password_reset_confirm": {"GET": 200, "POST": 200},  # a wrong link: says so
    "password_reset_complete": {"GET": 200, "POST": 405},
    "set_language": {"GET": 302, "POST": 302},
    "concerns:new": {"GET": 200, "POST": 200},
    "concerns:mine": {"GET": 200, "POST": 200},
    "notifications:list": {"GET": 200, "POST": 200},
    "notifications:read": {"GET": 405, "POST": 302},
    "notifications:read_all": {"GET": 405, "POST": 302},
    "api:concern-topic-list": {"GET": 200, "POST": 405},
    "api:concern-report-list": {"GET": 200, "POST": 400},
    "api:concern-report-detail": {"GET": 200, "POST": 405},
    "api:concern-report-photo": {"GET": 200, "POST": 405},
}

# The arguments of every route that takes some, for the collaborator's walk: the office's
# objects at a cell of their own commune (inside what would be their scope, so that a 404 there
# is the closed door, not the scope), their own report for the routes of a report.
_CELL = {name: (lambda w, make=make: make(w, w.cell)) for name, make in OBJECTS.items()}
WALK_ARGS = {
    **_CELL,
    **DEFINITIONS,
    "password_reset_confirm": lambda w: ["MQ", "wrong-token"],
    "concerns:report": lambda w: [w.own_report.pk],
    "concerns:report_attach": lambda w: [w.own_report.pk],
    "concerns:report_open": lambda w: [w.own_report.pk],
    "concerns:photo": lambda w: [w.own_report.photos.get().pk],
    "figures:table_chart": lambda w: ["svg"],
    "figures:completeness_chart": lambda w: ["svg"],
    "concerns:overview_chart": lambda w: ["svg"],
    "api:directive-detail": lambda w: [w.directive.pk],
    "api:directive-send": lambda w: [w.directive.pk],
    "api:step-detail": lambda w: [w.steps_at[w.cell.pk].pk],
    "api:step-record": lambda w: [w.steps_at[w.cell.pk].pk],
    "api:directive-attachment": lambda w: [w.directive.pk],
    "api:step-report-file": lambda w: [w.steps_at[w.cell.pk].pk],
    "api:indicator-detail": lambda w: [w.forms.indicators["LOP_KH"].pk],
    "api:data-set-detail": lambda w: [w.forms.monthly.pk],
    **{
        f"api:report-{action}": lambda w: [w.reports_at[w.cell.pk].pk]
        for action in ("detail", "approve", "return", "submit", "unlock", "values", "withdraw")
    },
    "api:concern-report-detail": lambda w: [w.own_report.pk],
    "api:concern-report-photo": lambda w: [w.own_report.pk, w.own_report.photos.get().pk],
    "api:concern-detail": lambda w: [w.concerns_at[w.cell.pk].pk],
    "api:body-detail": lambda w: [w.bodies_at[w.cell.pk].pk],
    "api:body-deactivate": lambda w: [w.bodies_at[w.cell.pk].pk],
    **{
        f"api:{route}": lambda w, obj=obj: [pick(w.oversight_at[w.cell.pk], obj).pk]
        for route, obj in API_OBJECTS.items()
    },
    "api:speaker-detail": lambda w: [w.outreach_at[w.cell.pk]["speaker"].pk],
    "api:speaker-session-detail": lambda w: [w.outreach_at[w.cell.pk]["session"].pk],
    "api:exemplary-model-detail": lambda w: [w.outreach_at[w.cell.pk]["model"].pk],
    "api:exemplary-model-photos": lambda w: [w.outreach_at[w.cell.pk]["model"].pk],
    "api:exemplary-model-photo": lambda w: [
        w.outreach_at[w.cell.pk]["model"].pk,
        w.outreach_at[w.cell.pk]["photo"].pk,
    ],
    "api:replication-detail": lambda w: [w.outreach_at[w.cell.pk]["replication"].pk],
    **{
        route: lambda w, obj=obj: [w.training_at[w.cell.pk][obj].pk]
        for route, obj in TRAINING_API.items()
    },
    **{
        f"narratives:{route}": lambda w: [w.narratives_at[w.cell.pk].pk]
        for route in NARRATIVE_ROUTES
    },
    **{f"api:{route}": lambda w: [w.narratives_at[w.cell.pk].pk] for route in NARRATIVE_API},
}


@pytest.fixture
def volunteer(walked):
    """The walked world, with a report of the collaborator's own and a notification for them."""
    walked.own_report = submit(walked.collaborator, unit=walked.cell, photos=[png()])
    notify([walked.collaborator.pk], kind="concern_update", title="Phản ánh: đã tiếp nhận")
    walked.notification = Notification.objects.get(recipient=walked.collaborator)
    return walked


def _walk(client, world, names, login) -> list[str]:
    """Every route of `names`, GET and POST, as the collaborator; what did not answer as the
    table says (404 where it says nothing)."""
    payload = {"id": world.notification.pk, "name": "x", "on": "01/07/2026", "title": "x"}
    wrong = []
    for name in sorted(names):
        make = WALK_ARGS.get(name)
        url = reverse(name, args=make(world) if make else None)
        for method in ("GET", "POST"):
            login()  # logging out is on the list
            response = client.get(url) if method == "GET" else client.post(url, payload)
            expected = OPEN_TO_COLLABORATORS.get(name, {}).get(method, 404)
            if response.status_code != expected:
                wrong.append(f"{method} {url} ({name}): {response.status_code}, not {expected}")
    return wrong


def test_the_collaborator_walk_covers_every_route():
    takes_arguments = {name for name, _view, params in routes() if params}
    assert takes_arguments == set(WALK_ARGS), "name the new route's arguments in WALK_ARGS"
    assert set(OPEN_TO_COLLABORATORS) <= {name for name, _view, _params in routes()}


def test_the_views_open_to_collaborators_are_exactly_these():
    opened = {
        name
        for name, view, _params in routes()
        if open_to_collaborators(view.cls if is_api_view(view) else view)
    }
    assert opened == set(OPEN_TO_COLLABORATORS)


def test_every_api_view_asks_the_collaborator_gate():
    """A view that names its own permission classes keeps the gate (DRF's default has it)."""
    for name, view, _params in routes():
        if is_api_view(view):
            checks = view.cls().get_permissions()
            assert any(isinstance(check, CollaboratorGate) for check in checks), name


def test_a_collaborator_finds_only_their_own_pages(client, volunteer):
    entries = AuditEntry.objects.count()
    wrong = _walk(
        client,
        volunteer,
        {name for name, _view, _params in routes()},
        lambda: client.force_login(volunteer.collaborator),
    )
    assert wrong == []
    assert AuditEntry.objects.count() == entries  # nothing changed behind a closed door


def test_an_api_client_of_a_collaborator_finds_only_the_intake(client, volunteer):
    token = Token.objects.create(user=volunteer.collaborator)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    api = {name for name, view, _params in routes() if is_api_view(view)}
    assert _walk(client, volunteer, api, lambda: None) == []


def test_a_collaborators_home_is_the_report_page_with_only_their_links(client, world):
    client.force_login(world.collaborator)
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(reverse("concerns:new"), 302)]
    links = set(re.findall(r'<a[^>]* href="([^"?#]+)', response.content.decode()))
    assert links == {
        "/",
        "/concerns/new/",
        "/concerns/mine/",
        "/notifications/",
        "/help/",
        "/account/password/",
    }
    assert 'action="/units/search/"' not in response.content.decode()


def test_the_office_keeps_its_top_bar(client, world):
    client.force_login(world.province_manager)
    text = client.get("/").content.decode()
    for url in ("/units/", "/deadlines/", "/directives/", "/figures/", "/concerns/", "/users/"):
        assert f'href="{url}"' in text, url
    assert 'action="/units/search/"' in text
    client.force_login(world.cell_viewer)
    text = client.get("/").content.decode()
    assert 'href="/deadlines/"' in text and 'href="/users/"' not in text
