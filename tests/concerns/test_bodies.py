"""The bodies a unit forwards concerns to: the list (managers keep it, audited, in their
subtree), forwarding to one (the unit's obligation on the body's behalf, lateness as for any
obligation, the answer recorded by the office) and where the body shows."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.bodies import bodies_add_defaults, body_add, body_update, forward_bodies
from tuyengiao.concerns.models import ResponsibleBody, State
from tuyengiao.concerns.stats import answers_by_body
from tuyengiao.deadlines.models import Obligation, state_of
from tuyengiao.deadlines.models import State as ObligationState
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.org.models import Role, Unit

from .conftest import submit, topic


@pytest.fixture
def commune_manager(world):
    return UserFactory(username="xa.ql", unit=world.commune, role=Role.MANAGER)


@pytest.fixture
def police(world):
    return body_add(actor=None, unit=world.commune, name="Công an xã")


def _concern(world, actor=None):
    actor = actor or world.province_manager
    report = submit(world.collaborator, title="Đua xe ban đêm")
    return services.concern_open(
        actor=actor, reports=[report], title="Đua xe trái phép ban đêm", topic=topic()
    )


def _due(days=10):
    return timezone.localdate() + timedelta(days=days)


# --- the list -------------------------------------------------------------------------------


def test_a_manager_adds_renames_and_deactivates_a_body_each_audited(world, commune_manager):
    body = body_add(actor=commune_manager, unit=world.commune, name="  Hội  Nông dân xã ")
    assert body.name == "Hội Nông dân xã"
    body_update(actor=commune_manager, body=body, name="Hội Nông dân", active=True)
    body_update(actor=commune_manager, body=body, name="Hội Nông dân", active=False)
    verbs = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(body), object_id=str(body.pk)
        )
        .order_by("id")
        .values_list("verb")
    )
    assert verbs == [("add",), ("update",), ("update",)]
    assert body not in forward_bodies(world.commune)
    with pytest.raises(ValidationError):
        body_add(actor=commune_manager, unit=world.commune, name="hội nông dân")
    with pytest.raises(ValidationError):  # collaborators read it: no personal data
        body_add(actor=commune_manager, unit=world.commune, name="Anh Hùng 0912 345 678")


def test_staff_may_not_change_the_list_nor_a_manager_another_subtrees(world, commune_manager):
    with pytest.raises(PermissionDenied):
        body_add(actor=world.commune_staff, unit=world.commune, name="Công an xã")
    with pytest.raises(PermissionDenied):
        body_add(actor=commune_manager, unit=world.commune2, name="Công an xã")
    assert not ResponsibleBody.objects.exists()


def test_the_usual_list_of_a_level_is_added_once(world):
    world.commune.level = "commune"
    world.commune.save()
    body_add(actor=None, unit=world.commune, name="Công an xã")
    added = bodies_add_defaults(actor=None, unit=world.commune)
    assert "Công an xã" not in [b.name for b in added]
    assert "UBND xã" in [b.name for b in added]
    assert bodies_add_defaults(actor=None, unit=world.commune) == []


def test_the_page_lists_adds_and_refuses_what_is_outside(client, world, commune_manager, police):
    other = body_add(actor=None, unit=world.commune2, name="Công an Ngân Sơn")
    client.force_login(commune_manager)
    page = client.get("/concerns/bodies/").content.decode()
    assert "Công an xã" in page and "Công an Ngân Sơn" not in page
    done = client.post("/concerns/bodies/add/", {"unit": world.commune.pk, "name": "Đoàn xã"})
    assert done.status_code == 302
    assert ResponsibleBody.objects.filter(unit=world.commune, name="Đoàn xã").exists()
    assert client.get(f"/concerns/bodies/?unit={world.commune2.pk}").status_code == 404
    assert client.post(f"/concerns/bodies/{other.pk}/", {"name": "x"}).status_code == 404
    moved = client.post(f"/concerns/bodies/{police.pk}/", {"name": "Công an", "active": ""})
    assert moved.status_code == 302
    police.refresh_from_db()
    assert (police.name, police.active) == ("Công an", False)
    client.force_login(world.commune_staff)  # reads the list, changes nothing
    assert client.get("/concerns/bodies/").status_code == 200
    assert client.post(f"/concerns/bodies/{police.pk}/", {"name": "y"}).status_code == 403


# --- forwarding to a body -------------------------------------------------------------------


def test_forwarding_to_a_body_is_the_units_obligation_titled_with_the_body(world, police):
    concern = _concern(world, world.commune_staff)
    concern = services.concern_forward(
        actor=world.commune_staff, concern=concern, body=police, due_on=_due()
    )
    obligation = Obligation.objects.get(pk=concern.obligation_id)
    assert obligation.unit == world.commune
    assert obligation.title.startswith("Công an xã trả lời vấn đề dư luận")
    assert (concern.body, concern.responsible, concern.state) == (police, None, State.FORWARDED)
    # The body is no user of the system: no unit is handed the concern (the reporter is told).
    assert not Notification.objects.filter(kind=NotificationKind.CONCERN_FORWARD).exists()
    event = concern.events.order_by("id").last()
    assert event.forwarded_to == "Công an xã"
    # The office records the body's answer: the obligation is done, on time.
    concern = services.concern_answer(actor=world.commune_staff, concern=concern, answer="Đã xử")
    obligation.refresh_from_db()
    assert state_of(obligation.due_on, obligation.done_on, timezone.localdate()) == (
        ObligationState.DONE_ON_TIME
    )


def test_a_body_answering_after_its_due_date_is_late(client, world, police, today, time_machine):
    concern = services.concern_forward(
        actor=world.commune_staff, concern=_concern(world), body=police, due_on=_due(3)
    )
    time_machine.shift(timedelta(days=5))
    services.concern_answer(actor=world.commune_staff, concern=concern, answer="Muộn")
    obligation = Obligation.objects.get(pk=concern.obligation_id)
    assert state_of(obligation.due_on, obligation.done_on, obligation.done_on) == (
        ObligationState.DONE_LATE
    )
    [row] = answers_by_body(world.province, _due(-30), _due(30), today=obligation.done_on)
    assert (row.name, row.answer_due, row.answered_on_time) == ("Công an xã", 1, 0)
    client.force_login(world.province_manager)
    shown = client.get("/concerns/overview/").content.decode()
    assert "Trả lời đúng hạn theo cơ quan chịu trách nhiệm" in shown
    assert "Công an xã" in shown


def test_the_bodies_offered_are_the_units_and_those_above_never_a_siblings(world, police):
    province_dept = body_add(actor=None, unit=world.province, name="Sở Y tế")
    sibling = body_add(actor=None, unit=world.commune2, name="UBND xã Ngân Sơn")
    assert set(forward_bodies(world.commune)) == {police, province_dept}
    concern = _concern(world)
    with pytest.raises(ValidationError):
        services.concern_forward(
            actor=world.province_manager, concern=concern, body=sibling, due_on=_due()
        )
    with pytest.raises(ValidationError):  # a body and a unit at once
        services.concern_forward(
            actor=world.province_manager,
            concern=concern,
            body=police,
            responsible=world.commune,
            due_on=_due(),
        )


def test_the_forward_form_offers_the_bodies_and_shows_the_chosen_one(client, world, police):
    sibling = body_add(actor=None, unit=world.commune2, name="UBND xã Ngân Sơn")
    concern = _concern(world, world.commune_staff)
    client.force_login(world.commune_staff)
    page = client.get(f"/concerns/{concern.pk}/").content.decode()
    assert "Công an xã" in page and "UBND xã Ngân Sơn" not in page
    due = _due().strftime("%d/%m/%Y")
    refused = client.post(f"/concerns/{concern.pk}/forward/", {"body": sibling.pk, "due_on": due})
    assert refused.status_code == 200
    concern.refresh_from_db()
    assert concern.state == State.ACKNOWLEDGED
    done = client.post(f"/concerns/{concern.pk}/forward/", {"body": police.pk, "due_on": due})
    assert done.status_code == 302
    page = client.get(f"/concerns/{concern.pk}/").content.decode()
    assert "Công an xã" in page
    listed = client.get("/concerns/list/?state=forwarded").content.decode()
    assert "Công an xã" in listed
    # The commune records the body's answer: it is among what it has to answer.
    to_answer = client.get("/concerns/list/?tab=answer").context["page"]
    assert list(to_answer) == [concern]
    api = client.get(f"/api/concerns/{concern.pk}/").json()
    assert (api["body"], api["body_name"], api["responsible"]) == (police.pk, "Công an xã", None)
    assert api["events"][-1]["forwarded_to"] == "Công an xã"
    report = concern.reports.get()
    client.force_login(world.collaborator)
    told = client.get(f"/api/concern-reports/{report.pk}/").json()
    assert told["concern"]["responsible"] == "Công an xã"


# --- Vietnamese order -------------------------------------------------------------------------

ORDER = ["Cẩm Giàng", "Cường Lợi", "Đại Phúc", "Đức Lương", "Yên Thế"]


def test_bodies_and_topics_come_in_vietnamese_order(client, world, commune_manager):
    from tuyengiao.concerns.bodies import managed_bodies
    from tuyengiao.concerns.forms_triage import TriageFilterForm
    from tuyengiao.concerns.models import Topic

    # Created in character-code order ("Cường" before "Cẩm", "Yên" before "Đại").
    for name in sorted(ORDER):
        body_add(actor=None, unit=world.commune, name=f"Hội {name}")
        Topic.objects.create(code=f"t-{sorted(ORDER).index(name)}", name=f"Về {name}")
    bodies = [f"Hội {n}" for n in ORDER]
    assert [b.name for b in managed_bodies(commune_manager, world.commune)] == bodies
    assert [b.name for b in forward_bodies(world.commune)] == bodies
    topics = [t.name for t in Topic.objects.filter(name__startswith="Về ")]
    assert topics == [f"Về {n}" for n in ORDER]
    form = TriageFilterForm(units=Unit.objects.filter(path__startswith=world.province.path))
    choices = [str(label) for _pk, label in form.fields["topic"].choices]
    assert [c for c in choices if c.startswith("Về ")] == [f"Về {n}" for n in ORDER]
    client.force_login(commune_manager)
    page = client.get(f"/concerns/bodies/?unit={world.commune.pk}").content.decode()
    positions = [page.index(f"Hội {n}") for n in ORDER]
    assert positions == sorted(positions)
