"""Training over the test world (tests/conftest.py): centres of the communes and the province's
school, their plans and classes. The helpers drive the services as the pages do."""

from datetime import date

from tuyengiao.training import services
from tuyengiao.training.models import Programme

TODAY = date(2026, 12, 6)

# The training routes with an id, and which object of `marked` each takes (both walks).
TRAINING_OBJECTS = {
    "centre": "centre",
    "centre_edit": "centre",
    "plans": "centre",
    "class_edit": "class",
    "class_delete": "class",
}
TRAINING_API = {
    "api:political-centre-detail": "centre",
    "api:training-plan-detail": "plan",
    "api:training-class-detail": "class",
}


def programme(code: str = "so-cap-llct") -> Programme:
    return Programme.objects.get(code=code)


def centre(actor, unit, *, name="Trung tâm Chính trị xã Hoà An", served=None, **kw):
    return services.centre_create(actor=actor, unit=unit, name=name, served=served, **kw)


def klass(actor, at, *, enrolled=40, communes=None, opened_on=date(2026, 3, 2), **kw):
    kw.setdefault("programme", programme())
    kw.setdefault("today", TODAY)
    return services.class_create(
        actor=actor,
        centre=at,
        communes=communes if communes is not None else [at.unit],
        opened_on=opened_on,
        enrolled=enrolled,
        **kw,
    )


def marked(commune, text: str) -> dict:
    """For the walks: a centre of `commune`, a plan and a class, their text carrying `text`."""
    made = centre(None, commune, name=f"{text} CENTRE")
    plan = services.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=4,
        learners_planned=160,
    )
    one = klass(None, made, title=f"{text} CLASS", today=date(2026, 11, 20))
    return {"centre": made, "plan": plan, "class": one}
