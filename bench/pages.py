"""Every page of the demo as each demo account: time and weight, one JSON line per page.

The demo (`tuyengiao load-demo`) is loaded into the benchmark database when its accounts are
missing. Every named GET route outside the API and the admin is requested through
`django.test.Client`, logged in as each demo account; a route that takes an id gets the first
object of its kind in that account's scope. `app_ms` is the median of BENCH_RUNS (5) requests
after a warm-up, `first_ms` the warm-up request itself (the first a process serves: nothing
cached yet), `bytes` the body's size, `queries` the SQL of the warm-up request. `kind` tells a
page (HTML, the 300 ms aim) from a chart (an image a page loads, drawn by matplotlib) and a
download (an exported workbook or document, a file the user asks for). Routes that answer
anything but 200 to a persona (404 outside its role, 405 for POST-only views) are left out of
the lines and counted on stderr.
"""

import os
import time
from collections import Counter

from ._common import median_ms, ms, note

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PERSONAS = ("admin", "tinh.quanly", "tinh.chuyenvien", "xa.quanly", "xa.nganson", "chibo.xem")
COLLABORATOR = "ctv.nganson"
# Routes that change something or end the session even on GET.
SKIPPED = {"logout", "set_language", "notifications:read"}


def _load_demo() -> None:
    from django.core.management import call_command

    from tuyengiao.org.models import User

    if not User.objects.filter(username="tinh.quanly").exists():
        note("loading the demo (tuyengiao load-demo)")
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def data_size() -> dict:
    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.concerns.models import Concern, ConcernReport
    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.directives.models import Directive, Step
    from tuyengiao.figures.models import Report, Value
    from tuyengiao.org.models import Unit, User

    models = {
        "units": Unit,
        "users": User,
        "obligations": Obligation,
        "directives": Directive,
        "steps": Step,
        "reports": Report,
        "values": Value,
        "concerns": Concern,
        "concern_reports": ConcernReport,
        "audit_entries": AuditEntry,
    }
    return {name: model.objects.count() for name, model in models.items()}


def _first(queryset, user):
    from tuyengiao.org.scope import Action, restrict

    return restrict(queryset, user, Action.VIEW).order_by("pk").first()


def _args(name: str, user) -> dict | None:
    """The keyword arguments naming an object of the persona's scope, None when it has none."""
    from django.contrib.contenttypes.models import ContentType

    from tuyengiao.concerns.models import Concern, ConcernReport, Summary
    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.directives.models import Directive, Step
    from tuyengiao.figures.models import DataSet, Indicator, Report, ValidationRule
    from tuyengiao.org.models import Unit, User

    def pk(obj):
        return None if obj is None else {"pk": obj.pk}

    by_route = {
        "org:unit": lambda: pk(_first(Unit.objects.all(), user)),
        "org:unit_add": lambda: pk(_first(Unit.objects.all(), user)),
        "org:unit_edit": lambda: pk(_first(Unit.objects.all(), user)),
        "org:unit_merge": lambda: pk(_first(Unit.objects.all(), user)),
        "org:unit_dissolve": lambda: pk(_first(Unit.objects.all(), user)),
        "org:user_edit": lambda: pk(_first(User.objects.all(), user)),
        "deadlines:detail": lambda: pk(_first(Obligation.objects.all(), user)),
        "directives:detail": lambda: pk(_first(Directive.objects.all(), user)),
        "directives:send": lambda: pk(_first(Directive.objects.all(), user)),
        "directives:send_receivers": lambda: pk(_first(Directive.objects.all(), user)),
        "directives:export": lambda: pk(_first(Directive.objects.all(), user)),
        "directives:step": lambda: pk(_first(Step.objects.all(), user)),
        "figures:report": lambda: pk(_first(Report.objects.all(), user)),
        "concerns:report": lambda: pk(_first(ConcernReport.objects.all(), user)),
        "concerns:concern": lambda: pk(_first(Concern.objects.all(), user)),
        "concerns:summary": lambda: pk(_first(Summary.objects.all(), user)),
        "figures:indicator_edit": lambda: pk(Indicator.objects.order_by("pk").first()),
        "figures:data_set_detail": lambda: pk(DataSet.objects.order_by("pk").first()),
        "figures:data_set_edit": lambda: pk(DataSet.objects.order_by("pk").first()),
        "figures:data_set_schedule": lambda: pk(DataSet.objects.order_by("pk").first()),
        "figures:rule_new": lambda: pk(DataSet.objects.order_by("pk").first()),
        "figures:rule_edit": lambda: pk(ValidationRule.objects.order_by("pk").first()),
        "figures:table_chart": lambda: {"fmt": "svg"},
        "figures:completeness_chart": lambda: {"fmt": "svg"},
        "concerns:overview_chart": lambda: {"fmt": "svg"},
        "audit:history": lambda: (
            {"content_type_id": ContentType.objects.get_for_model(Unit).pk, "object_id": str(u)}
            if (u := user.unit_id)
            else None
        ),
    }
    build = by_route.get(name)
    return build() if build else None


def kind_of(response) -> str:
    """ "page", "chart" (an image a page shows) or "download" (a file: workbook, document)."""
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("image/"):
        return "chart"
    if response.headers.get("Content-Disposition") or not content_type.startswith(
        ("text/html", "application/json")
    ):
        return "download"
    return "page"


def _counter(queries: list):
    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def _routes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(resolver, namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in {"admin", "api"}:
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)

    return [(name, params) for name, params in walk(get_resolver()) if name not in SKIPPED]


def run():
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tuyengiao.org.models import User

    _load_demo()
    size = data_size()
    note(f"demo data: {size}")
    yield {"case": "demo_data", "persona": None, "rows": size["obligations"], **size}
    left_out: Counter = Counter()
    for username in (*PERSONAS, COLLABORATOR):
        user = User.objects.get(username=username)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for name, params in _routes():
            kwargs = _args(name, user) if params else None
            if params and kwargs is None:
                left_out["no object"] += 1
                continue
            try:
                url = reverse(name, kwargs=kwargs)
            except Exception:  # noqa: BLE001 - a route the map does not name
                left_out["no arguments"] += 1
                continue
            queries: list[str] = []
            with connection.execute_wrapper(_counter(queries)):
                start = time.perf_counter()
                response = client.get(url)
                body = b"".join(response) if response.streaming else response.content
                first_ms = ms(time.perf_counter() - start)
            if response.status_code != 200:
                left_out[str(response.status_code)] += 1
                continue

            def get(url=url, client=client):
                response = client.get(url)
                if response.streaming:
                    b"".join(response)

            yield {
                "case": name,
                "persona": username,
                "kind": kind_of(response),
                "url": url,
                "app_ms": median_ms(get, runs=RUNS, warmup=0),
                "first_ms": first_ms,
                "bytes": len(body),
                "queries": len(queries),
                "rows": size["obligations"],
            }
    note(f"left out (persona × route): {dict(left_out)}")
