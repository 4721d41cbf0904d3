"""The scope walk: every route of the resolver, pages and API, read and written by every
persona, once with an object of their subtree and once with one outside it, lists and exports
with ?unit= inside and outside and search terms that match the markers (tests/scope/world.py).

For each persona, what must hold on every route:
(a) an object outside the subtree does not exist (404; 405 for a method the route does not
    serve); anonymous visitors are sent to log in (pages) or refused (401/403, API);
(b) no answer — HTML, JSON, CSV, XLSX and DOCX (every XML part read), a file download, headers
    included — carries the marker of a subtree the persona may not see;
(c) a write to an object outside changes nothing, and a viewer's write changes nothing anywhere.

A new route fails `test_the_walk_names_every_route` until its arguments are named below.
"""

import io
import json
import zipfile
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.clock import on_day
from tests.narratives.conftest import NARRATIVE_API, NARRATIVE_ROUTES
from tests.outreach.conftest import OUTREACH_OBJECTS
from tests.oversight.conftest import OVERSIGHT_OBJECTS
from tests.oversight.walks import API_OBJECTS, PAGE_OBJECTS, pick
from tests.test_permissions import routes
from tests.training.conftest import TRAINING_API, TRAINING_OBJECTS
from tuyengiao.concerns.models import Concern, ConcernReport, ResponsibleBody
from tuyengiao.deadlines.models import Obligation
from tuyengiao.directives.models import Directive
from tuyengiao.figures.models import Report, Value
from tuyengiao.notifications.models import Notification
from tuyengiao.outreach.models import Exemplar, Speaker
from tuyengiao.oversight.models import Conclusion, Conference, Inspection, Recommendation
from tuyengiao.training.models import PoliticalCentre, TrainingClass, TrainingPlan

from .world import ZONES, notice_marker, populate

# The world's reports are for Tháng 10/2026, its concerns forwarded with a December deadline.
pytestmark = [on_day("2026-11-20"), pytest.mark.walk]


@dataclass(frozen=True)
class Persona:
    name: str
    user: str | None  # the World attribute; None: anonymous
    sees: frozenset  # the zones whose markers they may read
    inside: str  # the zone of "their" objects
    outside: str  # a zone outside their subtree
    writes: bool = True  # whether their own role may change anything


PERSONAS = [
    Persona(
        "province_manager",
        "province_manager",
        frozenset({"ALPHA", "BRAVO", "MINE"}),
        "BRAVO",
        "CHARLIE",
    ),
    Persona("commune_staff", "commune_staff", frozenset({"ALPHA", "MINE"}), "ALPHA", "BRAVO"),
    Persona(
        "cell_viewer", "cell_viewer", frozenset({"ALPHA", "MINE"}), "ALPHA", "BRAVO", writes=False
    ),
    Persona("collaborator", "collaborator", frozenset({"MINE"}), "ALPHA", "BRAVO"),
    Persona("commune2_manager", "commune2_manager", frozenset({"BRAVO"}), "BRAVO", "ALPHA"),
    Persona("neighbour", "neighbour", frozenset({"CHARLIE"}), "CHARLIE", "ALPHA"),
    Persona("anonymous", None, frozenset(), "ALPHA", "BRAVO", writes=False),
]


def _ct(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def _report(w, z, persona):
    return w.zones["MINE" if persona == "collaborator" else z.name].concern_report


# The keyword arguments that name a zone's object, for every route that takes an id.
OBJECT_ARGS = {
    "org:unit": lambda w, z, p: {"pk": z.unit.pk},
    "org:unit_add": lambda w, z, p: {"pk": z.registrar.pk},
    "org:unit_edit": lambda w, z, p: {"pk": z.unit.pk},
    "org:unit_merge": lambda w, z, p: {"pk": z.unit.pk},
    "org:unit_dissolve": lambda w, z, p: {"pk": z.unit.pk},
    "org:user_edit": lambda w, z, p: {"pk": z.user.pk},
    "org:user_toggle": lambda w, z, p: {"pk": z.user.pk},
    "org:user_password": lambda w, z, p: {"pk": z.user.pk},
    "deadlines:detail": lambda w, z, p: {"pk": z.obligation.pk},
    "audit:history": lambda w, z, p: {
        "content_type_id": _ct(Directive),
        "object_id": str(z.directive.pk),
    },
    "directives:detail": lambda w, z, p: {"pk": z.directive.pk},
    "directives:send": lambda w, z, p: {"pk": z.directive.pk},
    "directives:send_receivers": lambda w, z, p: {"pk": z.directive.pk},
    "directives:export": lambda w, z, p: {"pk": z.directive.pk},
    "directives:attachment": lambda w, z, p: {"pk": z.directive.pk},
    "directives:step": lambda w, z, p: {"pk": z.step.pk},
    "directives:step_file": lambda w, z, p: {"pk": z.step.pk},
    "figures:report": lambda w, z, p: {"pk": z.report.pk},
    "figures:withdraw": lambda w, z, p: {"pk": z.report.pk},
    "figures:approve": lambda w, z, p: {"pk": z.report.pk},
    "figures:unlock": lambda w, z, p: {"pk": z.report.pk},
    "figures:return": lambda w, z, p: {"pk": z.report.pk},
    "concerns:report": lambda w, z, p: {"pk": _report(w, z, p).pk},
    "concerns:report_attach": lambda w, z, p: {"pk": _report(w, z, p).pk},
    "concerns:report_open": lambda w, z, p: {"pk": _report(w, z, p).pk},
    "concerns:photo": lambda w, z, p: {"pk": _report(w, z, p).photos.first().pk},
    "concerns:concern": lambda w, z, p: {"pk": z.concern.pk},
    "concerns:act": lambda w, z, p: {"pk": z.concern.pk, "action": "resolve"},
    "concerns:summary": lambda w, z, p: {"pk": z.summary.pk},
    "concerns:body": lambda w, z, p: {"pk": z.body.pk},
    **{
        f"oversight:{route}": lambda w, z, p, obj=obj: {"pk": z.extra[obj].pk}
        for route, obj in {**OVERSIGHT_OBJECTS, **PAGE_OBJECTS}.items()
    },
    **{
        f"api:{route}": lambda w, z, p, obj=obj: {"pk": pick(z.extra, obj).pk}
        for route, obj in API_OBJECTS.items()
    },
    **{
        f"outreach:{route}": lambda w, z, p, obj=obj: {"pk": z.extra[f"outreach_{obj}"].pk}
        for route, obj in OUTREACH_OBJECTS.items()
    },
    **{
        f"training:{route}": lambda w, z, p, obj=obj: {"pk": z.extra[f"training_{obj}"].pk}
        for route, obj in TRAINING_OBJECTS.items()
    },
    **{
        route: lambda w, z, p, obj=obj: {"pk": z.extra[f"training_{obj}"].pk}
        for route, obj in TRAINING_API.items()
    },
    "api:directive-detail": lambda w, z, p: {"pk": z.directive.pk},
    "api:directive-send": lambda w, z, p: {"pk": z.directive.pk},
    "api:directive-attachment": lambda w, z, p: {"pk": z.directive.pk},
    "api:step-detail": lambda w, z, p: {"pk": z.step.pk},
    "api:step-record": lambda w, z, p: {"pk": z.step.pk},
    "api:step-report-file": lambda w, z, p: {"pk": z.step.pk},
    **{
        f"api:report-{action}": lambda w, z, p: {"pk": z.report.pk}
        for action in ("detail", "approve", "return", "submit", "unlock", "values", "withdraw")
    },
    "api:concern-report-detail": lambda w, z, p: {"pk": _report(w, z, p).pk},
    "api:concern-report-photo": lambda w, z, p: {
        "pk": _report(w, z, p).pk,
        "photo": _report(w, z, p).photos.first().pk,
    },
    "api:concern-detail": lambda w, z, p: {"pk": z.concern.pk},
    "api:body-detail": lambda w, z, p: {"pk": z.body.pk},
    "api:body-deactivate": lambda w, z, p: {"pk": z.body.pk},
    "api:speaker-detail": lambda w, z, p: {"pk": z.extra["outreach_speaker"].pk},
    "api:speaker-session-detail": lambda w, z, p: {"pk": z.extra["outreach_session"].pk},
    "api:exemplary-model-detail": lambda w, z, p: {"pk": z.extra["outreach_model"].pk},
    "api:exemplary-model-photos": lambda w, z, p: {"pk": z.extra["outreach_model"].pk},
    "api:exemplary-model-photo": lambda w, z, p: {
        "pk": z.extra["outreach_model"].pk,
        "photo": z.extra["outreach_photo"].pk,
    },
    "api:replication-detail": lambda w, z, p: {"pk": z.extra["outreach_replication"].pk},
    **{
        f"narratives:{route}": lambda w, z, p: {"pk": z.extra["narrative"].pk}
        for route in NARRATIVE_ROUTES
    },
    **{f"api:{route}": lambda w, z, p: {"pk": z.extra["narrative"].pk} for route in NARRATIVE_API},
}

# Routes read for every object of their kind (Walk.sweep).
SWEPT = {
    "concerns:report": ConcernReport,
    "api:concern-report-detail": ConcernReport,
    "concerns:concern": Concern,
    "api:concern-detail": Concern,
    "directives:detail": Directive,
    "api:directive-detail": Directive,
    "figures:report": Report,
    "api:report-detail": Report,
    "deadlines:detail": Obligation,
    "api:body-detail": ResponsibleBody,
    "oversight:inspection": Inspection,
    "oversight:recommendation": Recommendation,
    "api:inspection-detail": Inspection,
    "api:conclusion-detail": Conclusion,
    "api:recommendation-detail": Recommendation,
    "api:conference-detail": Conference,
    "outreach:speaker": Speaker,
    "outreach:model": Exemplar,
    "api:speaker-detail": Speaker,
    "api:exemplary-model-detail": Exemplar,
    "training:centre": PoliticalCentre,
    "api:political-centre-detail": PoliticalCentre,
    "api:training-plan-detail": TrainingPlan,
    "api:training-class-detail": TrainingClass,
}

# Shared definitions, tied to no unit: walked once, read by all, changed by none of the personas.
SHARED_ARGS = {
    "figures:indicator_edit": lambda w: {"pk": w.forms.indicators["GHI_CHU"].pk},
    "figures:data_set_detail": lambda w: {"pk": w.forms.monthly.pk},
    "figures:data_set_edit": lambda w: {"pk": w.forms.monthly.pk},
    "figures:data_set_schedule": lambda w: {"pk": w.forms.monthly.pk},
    "figures:rule_new": lambda w: {"pk": w.forms.monthly.pk},
    "figures:rule_edit": lambda w: {"pk": w.forms.monthly.rules.first().pk},
    "figures:rule_delete": lambda w: {"pk": w.forms.monthly.rules.first().pk},
    "api:indicator-detail": lambda w: {"pk": w.forms.indicators["GHI_CHU"].pk},
    "api:data-set-detail": lambda w: {"pk": w.forms.monthly.pk},
    "figures:table_chart": lambda w: {"fmt": "svg"},
    "figures:completeness_chart": lambda w: {"fmt": "svg"},
    "concerns:overview_chart": lambda w: {"fmt": "svg"},
    # a one-time link of a forgotten password: a token, no object (a wrong one is refused)
    "password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "wrong-token"},
}

# Routes with no id whose answer does not depend on ?unit= (their own person's pages, the
# account pages, definitions): an outside ?unit= is ignored there rather than refused.
UNIT_IGNORED = {
    "home",
    "favicon",
    "help",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "notifications:list",
    "notifications:read",
    "notifications:read_all",
    "concerns:mine",
    "concerns:new",
    "org:search",
    "org:unit_options",
    "org:tree",
    "org:import",
    "org:users",
    "org:user_add",
    "directives:new",
    "figures:indicator_list",
    "figures:indicator_new",
    "figures:data_set_list",
    "figures:data_set_new",
    "audit:list",
    "directives:list",  # the user's own unit's inbox and register
    "figures:excel",
    "concerns:index",  # sends on to the triage queue or to one's own reports
    "api:schema",
    "api:indicator-list",
    "api:data-set-list",
    "api:concern-topic-list",
    "api:work-area-list",  # a shared definition
    # reading a pasted text: nothing of a unit (its links obey directives_for)
    "narratives:read",
    "api:extract",
    "api:programme-list",  # a shared definition
    "training:programmes",  # a shared definition
    # the person's own second factor
    "second_factor:manage",
    "second_factor:setup",
    "second_factor:codes",
    "second_factor:codes_download",
    "second_factor:regenerate",
    "second_factor:disable",
    "second_factor:verify",
}

# Lists whose ?unit= is a filter form's choice among the user's units: an outside unit is no
# choice, the filter is refused and the list stays the user's (the markers prove it).
UNIT_FILTER_FORMS = {"concerns:triage", "concerns:list"}

# Writes that change only the person's own data.
OWN_DATA = {"notifications:read_all"} | {
    f"second_factor:{name}" for name in ("setup", "regenerate", "disable", "verify")
}

# Open without logging in.
PUBLIC = {
    "login",
    "set_language",
    "favicon",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def _methods(view) -> list[str]:
    """The write methods a route serves (a page: POST)."""
    actions = getattr(view, "actions", None)
    if actions:
        return [m.upper() for m in actions if m not in {"get", "head", "options"}] or ["POST"]
    return ["POST"]


def fingerprint() -> tuple:
    """Every row count of the project's tables, and what a write without a new row changes."""
    counts = tuple(
        model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("tuyengiao.")
    )
    return (
        *counts,
        Obligation.objects.filter(done_on__isnull=False).count(),
        Notification.objects.filter(read_at__isnull=False).count(),
    )


def body_text(response) -> str:
    """What a person could read in the answer: headers, the body, every part of a zip file."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [str(response.headers).encode(), content]
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(member) for member in archive.namelist()]
    return b"\n".join(parts).decode("utf-8", "replace").lower()


def forbidden_markers(world, persona: Persona) -> list[str]:
    own = getattr(world, persona.user) if persona.user else None
    marks = [f"mk-{zone}".lower() for zone in ZONES if zone not in persona.sees]
    people = Notification.objects.values_list("recipient", flat=True).distinct()
    marks += [
        notice_marker(type("P", (), {"pk": pk})).lower()
        for pk in people
        if own is None or pk != own.pk
    ]
    return marks


class Walk:
    def __init__(self, client, world, persona: Persona):
        self.client, self.world, self.persona = client, world, persona
        self.forbidden = forbidden_markers(world, persona)
        self.failures: list[str] = []
        self.inside: dict[tuple[str, str], int] = {}
        self.login()

    def login(self):
        if self.persona.user:
            self.client.force_login(getattr(self.world, self.persona.user))

    def not_found(self, name, where, method, status, allowed=frozenset({404, 405})) -> bool:
        """Whether the answer outside is 'it does not exist'; 403 too where the persona's role
        is refused the route altogether (inside as well), which tells nothing of the object."""
        if where == "inside":
            self.inside[name, method] = status
            return True
        refused = self.inside.get((name, method), self.inside.get((name, "GET")))
        return status in allowed or (status == 403 and refused == 403)

    def fail(self, name, where, method, url, problem):
        self.failures.append(f"{name} × {self.persona.name} × {where}: {method} {url}: {problem}")

    def check_read(self, response, name, where, method, url):
        if response.status_code >= 500:
            self.fail(name, where, method, url, f"{response.status_code}")
        text = body_text(response)
        leaked = [mark for mark in self.forbidden if mark in text]
        if leaked:
            at = text.find(leaked[0])
            context = " ".join(text[max(0, at - 160) : at + 60].split())
            self.fail(name, where, method, url, f"shows {', '.join(leaked)} (…{context}…)")

    def refused(self, name, response) -> bool:
        """How anonymous visitors are refused: to the log-in page, or 401/403 from the API."""
        if name.startswith("api:"):
            return response.status_code in {401, 403}
        return response.status_code == 302 and response["Location"].startswith("/login/")

    def request(self, method, url, name, *, data=None, query=None):
        if method == "GET":
            return self.client.get(url, query or {})
        if name.startswith("api:"):
            return self.client.generic(
                method, url, json.dumps(data or {}), content_type="application/json"
            )
        return self.client.post(url, data or {})

    def payload(self, zone) -> dict:
        w = self.world
        return {
            "unit": zone.unit.pk,
            "units": [zone.unit.pk],
            "responsible": zone.registrar.pk,
            "name": "Đổi tên",
            "title": "Đổi tên",
            "kind": "cell",
            "on": "01/07/2026",
            "action": "complete",
            "done_on": "20/11/2026",
            "role": "administrator",
            "username": "moi",
            "password": "Mat-khau-2026",
            "reason": "Sửa số liệu",
            "note": "Ghi chú",
            "answer": "Trả lời",
            "resolution": "Đã giải quyết",
            "text": "Nội dung",
            "report_text": "Nội dung",
            "data_set": w.forms.monthly.pk,
            "period": "2026-10",
            "values": {"GHI_CHU": "Đổi"},
            "GHI_CHU": "Đổi",
            "version": zone.report.version if zone.report else 1,
            "id": Notification.objects.exclude(
                recipient_id=getattr(getattr(w, self.persona.user or "", None), "pk", None)
            )
            .values_list("pk", flat=True)
            .first(),
            "reports": [zone.concern_report.pk] if zone.concern_report else [],
            "concern": zone.concern.pk if zone.concern else "",
            "content": "Người dân phản ánh",
            "topic": 1,
            "spread": "local",
            "mood": "discontent",
            "source": "daily_life",
            "urgency": 1,
        }

    def visit(self, name, view, url, where, zone, *, writes_change_nothing):
        persona = self.persona
        response = self.request("GET", url, name)
        self.check_read(response, name, where, "GET", url)
        status = response.status_code
        if persona.user is None:
            if name not in PUBLIC and not self.refused(name, response) and status != 405:
                self.fail(name, where, "GET", url, f"{status} to an anonymous visitor")
        elif not self.not_found(name, where, "GET", status):
            self.fail(name, where, "GET", url, f"{status}, not 404")
        if not writes_change_nothing:
            return
        for method in _methods(view):
            before = fingerprint()
            response = self.request(method, url, name, data=self.payload(zone))
            self.check_read(response, name, where, method, url)
            status = response.status_code
            if name == "logout":
                self.login()
            if fingerprint() != before:
                self.fail(name, where, method, url, f"{status} and changed the database")
            if persona.user is None:
                if name not in PUBLIC and not self.refused(name, response) and status != 405:
                    self.fail(name, where, method, url, f"{status} to an anonymous visitor")
            else:
                allowed = {404, 405} if persona.writes else {403, 404, 405}
                if not self.not_found(name, where, method, status, allowed):
                    self.fail(name, where, method, url, f"{status}, not 404")

    def walk(self):
        w, persona = self.world, self.persona
        inside, outside = w.zones[persona.inside], w.zones[persona.outside]
        # An outside write changes nothing; so does any write of a role that may not write.
        inside_writes = not persona.writes
        for name, view, params in routes():
            if params and name in OBJECT_ARGS:
                for where, zone in (("inside", inside), ("outside", outside)):
                    # a collaborator's own report stands for the reports of their area
                    own = persona.name if where == "inside" else ""
                    url = reverse(name, kwargs=OBJECT_ARGS[name](w, zone, own))
                    changes = where == "outside" or inside_writes
                    self.visit(name, view, url, where, zone, writes_change_nothing=changes)
                continue
            url = reverse(name, kwargs=SHARED_ARGS[name](w) if params else None)
            for where, zone in (("inside", inside), ("outside", outside)):
                query = {
                    "unit": zone.unit.pk,
                    "q": zone.name,
                    "directive": zone.directive.pk,
                    "concern": zone.concern.pk,
                    "data_set": w.forms.monthly.pk,
                    "period": "2026-10",
                }
                response = self.request("GET", url, name, query=query)
                shown = f"{url}?unit={zone.unit.pk}&q={zone.name}"
                self.check_read(response, name, where, "GET", shown)
                status = response.status_code
                if persona.user is None:
                    if name not in PUBLIC and not self.refused(name, response):
                        self.fail(name, where, "GET", shown, f"{status} to an anonymous visitor")
                elif (
                    name not in UNIT_IGNORED | UNIT_FILTER_FORMS
                    and not params
                    and not self.not_found(name, where, "GET", status, {400, 404, 405})
                ):
                    self.fail(name, where, "GET", shown, f"{status}, not 404")
                if where == "outside" or inside_writes:
                    self._write_without_id(name, view, url, where, zone)
            response = self.request("GET", url, name)
            self.check_read(response, name, "plain", "GET", url)
        self.sweep()

    def sweep(self):
        """Every object of the world at its own page, whatever its zone: what a page embeds of
        other objects (a concern's reports, a report's concern) obeys the scope of their pages."""
        for name, model in SWEPT.items():
            for pk in model.objects.values_list("pk", flat=True):
                url = reverse(name, kwargs={"pk": pk})
                self.check_read(self.request("GET", url, name), name, "sweep", "GET", url)

    def _write_without_id(self, name, view, url, where, zone):
        if name in {"logout", "login", "set_language", "password_change"} | OWN_DATA:
            return
        for method in _methods(view):
            before = fingerprint()
            response = self.request(method, url, name, data=self.payload(zone))
            self.check_read(response, name, where, method, url)
            if fingerprint() != before:
                self.fail(name, where, method, url, f"{response.status_code}: changed the database")


@pytest.fixture
def populated(world, settings, tmp_path):
    populate(world, settings, tmp_path)
    return world


def test_the_walk_names_every_route():
    takes_arguments = {name for name, _view, params in routes() if params}
    assert takes_arguments == set(OBJECT_ARGS) | set(SHARED_ARGS), (
        "name the new route's arguments in OBJECT_ARGS (or SHARED_ARGS) of tests/scope"
    )
    names = {name for name, _view, _params in routes()}
    assert names >= UNIT_IGNORED | UNIT_FILTER_FORMS | OWN_DATA


def test_every_zone_holds_its_markers(populated):
    """The walk proves something only if the markers are where a page would show them."""
    from tuyengiao.audit.models import AuditEntry

    assert any("MK-BRAVO" in str(entry.after) for entry in AuditEntry.objects.all())
    for zone in ("ALPHA", "BRAVO", "CHARLIE"):
        z = populated.zones[zone]
        assert z.directive.attachment.read().endswith(f"MK-{zone} FILE\n".encode())
        assert z.step.report_file.read().endswith(f"MK-{zone} FILE\n".encode())
        assert Value.objects.filter(unit=z.unit, text=f"MK-{zone} FIGURE").exists()


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda p: p.name)
def test_the_scope_walk(client, populated, persona):
    walk = Walk(client, populated, persona)
    walk.walk()
    assert not walk.failures, "\n".join(walk.failures)
