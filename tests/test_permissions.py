"""Walk every URL that takes an object id: outside one's subtree it does not exist (404), and
a viewer changes nothing anywhere.

A new URL with an id fails `test_every_id_url_is_walked` until it is added to OBJECTS below.
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.clock import on_day
from tests.concerns.conftest import png, submit
from tests.factories import ObligationFactory, send
from tests.figures.conftest import build_forms
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns.services import concern_open, summary_save
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register
from tuyengiao.figures.services import report_open
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
    "deadlines:detail": lambda w, unit: [w.obligations_at[unit.pk].pk],
    "audit:history": lambda w, unit: _audit_args(unit),
    "directives:detail": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:send": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:export": lambda w, unit: [w.directives_at[unit.pk].pk],
    "directives:step": lambda w, unit: [w.steps_at[unit.pk].pk],
    "figures:report": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:withdraw": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:approve": lambda w, unit: [w.reports_at[unit.pk].pk],
    "figures:unlock": lambda w, unit: [w.reports_at[unit.pk].pk],
    "concerns:report": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:report_attach": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:report_open": lambda w, unit: [w.concern_reports_at[unit.pk].pk],
    "concerns:photo": lambda w, unit: [w.concern_reports_at[unit.pk].photos.get().pk],
    "concerns:concern": lambda w, unit: [w.concerns_at[unit.pk].pk],
    "concerns:act": lambda w, unit: [w.concerns_at[unit.pk].pk, "resolve"],
    "concerns:summary": lambda w, unit: [w.summaries_at[unit.pk].pk],
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
    return world


def test_every_id_url_is_walked():
    names = {name for name, _converters in id_urls()}
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
