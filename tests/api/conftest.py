"""A small populated world for walking the whole API: a few objects of each kind, so that the
ids an operation takes exist (see tests/conftest.py for the tree and personas)."""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token

from tests.concerns.conftest import submit, topic
from tests.figures.conftest import build_forms, enter
from tests.oversight.conftest import marked as marked_oversight
from tuyengiao.concerns.services import concern_open
from tuyengiao.directives.models import StepKind
from tuyengiao.directives.services import StepPlan, directive_register, directive_send

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)


def error_problems(status: int, content_type: str, body) -> list[str]:
    """What is wrong with an error answer: not JSON, not the documented shape, not Vietnamese."""
    if not content_type.startswith("application/json"):
        return [f"{status} as {content_type}"]
    if not isinstance(body, dict):
        return [f"{status} body is not an object: {body!r}"]
    if isinstance(body.get("errors"), dict) and body["errors"]:
        messages = []
        for field, items in body["errors"].items():
            if not isinstance(items, list) or not all(isinstance(m, str) for m in items):
                return [f"{status} errors.{field} is not a list of strings: {items!r}"]
            messages += items
    elif isinstance(body.get("detail"), str):
        messages = [body["detail"]]
    else:
        return [f"{status} body has neither errors nor detail: {body!r}"]
    return [
        f"{status} message not in Vietnamese: {m!r}" for m in messages if not VIETNAMESE.search(m)
    ]


@dataclass
class Populated:
    token: str
    ids: dict[str, list[int]]  # the path prefix of a detail operation → ids that exist


def populate(world) -> Populated:
    forms = build_forms()
    manager = world.province_manager
    directive = directive_register(
        actor=manager,
        unit=world.province,
        symbol="Kết luận số 01-KL/TƯ",
        issued_on=date(2021, 5, 18),
        title="Tiếp tục thực hiện Chỉ thị 05-CT/TW",
    )
    directive_send(
        actor=manager,
        directive=directive,
        sender=world.province,
        receivers=[world.commune, world.commune2],
        plan=[StepPlan(StepKind.PLAN, days_after=15), StepPlan(StepKind.STUDY, days_after=30)],
        sent_on=date(2026, 3, 2),
    )
    other = directive_register(
        actor=world.neighbour,
        unit=world.other_province,
        symbol="Kết luận số 02-KL/TƯ",
        issued_on=date(2021, 6, 1),
        title="Một văn bản của tỉnh khác",
    )
    report = enter(manager, forms.monthly, world.commune, "2026-01", LOP_KH="5", LOP_TH="4")
    enter(manager, forms.monthly, world.cell, "2026-01", GHI_CHU="=HYPERLINK(1)")
    concern_report = submit(world.collaborator, title="Khói bụi từ nhà máy gạch")
    concern = concern_open(
        actor=manager, reports=[concern_report], title="Ô nhiễm không khí", topic=topic()
    )
    submit(world.collaborator, title="Đường ngập nước")
    oversight = marked_oversight(world.province, world.commune, "Kiểm tra")
    token = Token.objects.create(user=manager).key
    from tests.outreach.conftest import marked as marked_outreach
    from tuyengiao.directives.models import Step

    outreach = marked_outreach(world.commune, world.cell, "Chi bộ")
    from tests.training.conftest import marked as marked_training

    training = marked_training(world.commune, "Trung tâm")

    return Populated(
        token=token,
        ids={
            "/api/directives/": [directive.pk, other.pk],
            "/api/steps/": list(Step.objects.values_list("pk", flat=True)[:3]),
            "/api/indicators/": [i.pk for i in forms.indicators.values()][:4],
            "/api/data-sets/": [forms.monthly.pk],
            "/api/reports/": [report.pk],
            "/api/concern-reports/": [concern_report.pk],
            "/api/concerns/": [concern.pk],
            "/api/inspection-plans/": [oversight["plan"].pk],
            "/api/inspections/": [oversight["inspection"].pk],
            "/api/conclusions/": [oversight["inspection"].conclusion.pk],
            "/api/recommendations/": [oversight["recommendation"].pk],
            "/api/conferences/": [oversight["conference"].pk],
            "/api/speakers/": [outreach["speaker"].pk],
            "/api/speaker-sessions/": [outreach["session"].pk],
            "/api/exemplary-models/": [outreach["model"].pk],
            "/api/replications/": [outreach["replication"].pk],
            "/api/political-centres/": [training["centre"].pk],
            "/api/training-plans/": [training["plan"].pk],
            "/api/training-classes/": [training["class"].pk],
        },
    )


@pytest.fixture
def populated(world) -> Populated:
    return populate(world)


@pytest.fixture
def in_process_requests():
    """Requests made straight to the WSGI application inside the test's transaction: as
    Django's test client does, the connection is not closed at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
