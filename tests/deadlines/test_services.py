"""The one writer of obligations: each service writes, checks who may, and audits.

Who may change an obligation: whoever may change at its unit, or at the unit of its source (the
office that forwarded a concern records the answer of the body it forwarded it to).
"""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.clock import on_day
from tests.factories import ObligationFactory, UserFactory
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.concerns import services as concerns
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    may_change,
    obligation_complete,
    obligation_reschedule,
    obligations_complete_many,
    obligations_create_many,
    obligations_delete,
)
from tuyengiao.directives.services import directive_register
from tuyengiao.org.models import Role

from ..concerns.conftest import submit, topic

DUE = date(2026, 6, 30)


def audit_of_obligations():
    return AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Obligation))


def entries(verb: str, action: AuditAction | None = None):
    found = audit_of_obligations().filter(verb=verb).order_by("id")
    return found.filter(action=action) if action else found


def owed(unit, title: str = "Việc", **kw) -> NewObligation:
    return NewObligation(unit=unit, kind=ObligationKind.TASK, title=title, due_on=DUE, **kw)


@pytest.fixture
def directive(world):
    """A source that belongs to a unit: a document registered by Xã Hoà An."""
    return directive_register(
        actor=None,
        unit=world.commune,
        symbol="05-NQ/ĐU",
        issued_on=date(2026, 1, 5),
        title="Nghị quyết về công tác tuyên truyền",
    )


# Creating many ----------------------------------------------------------------------------------


def test_creating_many_returns_them_in_order_with_their_source_and_audits_each(world, directive):
    items = [
        owed(world.cell, "Một", source=directive),
        owed(world.commune, "Hai"),
        owed(world.cell2, "Ba", source=directive, note="ghi chú"),
    ]
    created = obligations_create_many(actor=world.commune_staff, items=items, verb="send")

    assert [o.title for o in created] == ["Một", "Hai", "Ba"]
    stored = {o.pk: o for o in Obligation.objects.all()}
    assert [stored[o.pk].unit_path for o in created] == [
        world.cell.path,
        world.commune.path,
        world.cell2.path,
    ]
    assert stored[created[0].pk].source == directive
    assert stored[created[1].pk].source is None
    assert stored[created[2].pk].note == "ghi chú"
    audited = entries("send", AuditAction.CREATE)
    assert [int(e.object_id) for e in audited] == [o.pk for o in created]
    assert {e.actor for e in audited} == {world.commune_staff}
    assert [e.unit_path for e in audited] == [o.unit_path for o in created]


def test_creating_for_a_unit_outside_the_scope_is_refused_and_writes_nothing(world):
    items = [owed(world.cell), owed(world.other_cell)]
    with pytest.raises(PermissionDenied):
        obligations_create_many(actor=world.commune_staff, items=items)
    with pytest.raises(PermissionDenied):  # a viewer changes nothing, even in its own unit
        obligations_create_many(actor=world.cell_viewer, items=[owed(world.cell)])
    assert not Obligation.objects.exists()
    assert not audit_of_obligations().exists()


def test_a_caller_with_a_rule_of_its_own_creates_outside_the_scope(world):
    # A report form makes a unit owe its report, whoever opens it (a viewer may).
    [created] = obligations_create_many(
        actor=world.cell_viewer, items=[owed(world.cell)], verb="open", permitted=True
    )
    assert entries("open").get().actor == world.cell_viewer
    assert created.unit == world.cell


# Completing -------------------------------------------------------------------------------------


def test_the_unit_of_the_source_may_complete_what_it_asked_of_a_unit_outside_its_scope(
    world, directive
):
    # Xã Hoà An's document asks something of Xã Hòa Bình (in another province).
    obligation = ObligationFactory(
        unit=world.other_commune,
        source_type=ContentType.objects.get_for_model(directive),
        source_id=directive.pk,
    )
    stranger = UserFactory(username="xa2", unit=world.commune2, role=Role.STAFF)
    assert may_change(world.commune_staff, obligation)  # the source's unit
    assert may_change(world.neighbour, obligation)  # the obligation's unit
    assert not may_change(stranger, obligation)
    assert not may_change(world.cell_viewer, obligation)  # in scope of neither, and a viewer
    with pytest.raises(PermissionDenied):
        obligation_complete(actor=stranger, obligation=obligation)

    obligation_complete(actor=world.commune_staff, obligation=obligation)
    obligation.refresh_from_db()
    assert (obligation.done_on, obligation.done_by) == (timezone.localdate(), world.commune_staff)
    assert entries("complete").get().actor == world.commune_staff


def test_an_obligation_without_a_source_is_changed_only_within_the_scope(world):
    obligation = ObligationFactory(unit=world.other_commune)
    assert not may_change(world.commune_staff, obligation)
    with pytest.raises(PermissionDenied):
        obligation_complete(actor=world.commune_staff, obligation=obligation)


def test_the_office_records_the_answer_of_a_body_outside_its_scope(world):
    # A concern of Xã Hoà An forwarded by the province to its own office (outside the commune's
    # scope): the commune's office records the answer, which completes the office's obligation.
    report = submit(world.collaborator)
    concern = concerns.concern_open(
        actor=world.province_manager, reports=[report], title="Khói bụi", topic=topic()
    )
    concern = concerns.concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=world.office,
        due_on=timezone.localdate() + timedelta(days=10),
    )
    assert concern.unit == world.commune
    concern = concerns.concern_answer(
        actor=world.commune_staff, concern=concern, answer="Đã làm việc với nhà máy"
    )
    obligation = Obligation.objects.get(pk=concern.obligation_id)
    assert (obligation.unit, obligation.done_by) == (world.office, world.commune_staff)
    assert entries("complete").get().before["done_on"] is None


def test_the_office_reroutes_a_concern_away_from_a_body_outside_its_scope(world):
    report = submit(world.collaborator)
    concern = concerns.concern_open(
        actor=world.province_manager, reports=[report], title="Khói bụi", topic=topic()
    )
    due = timezone.localdate() + timedelta(days=10)
    concern = concerns.concern_forward(
        actor=world.province_manager, concern=concern, responsible=world.office, due_on=due
    )
    first = concern.obligation_id
    concern = concerns.concern_forward(
        actor=world.commune_staff, concern=concern, responsible=world.cell, due_on=due
    )
    assert not Obligation.objects.filter(pk=first).exists()
    deleted = entries("reroute").get()
    assert (deleted.action, deleted.object_id, deleted.actor) == (
        AuditAction.DELETE,
        str(first),
        world.commune_staff,
    )
    assert deleted.before["unit_id"] == world.office.pk


@on_day("2026-11-20")  # the days recorded lie in the past
def test_completing_many_stamps_each_date_and_audits_each_change(world):
    a, b, c = (ObligationFactory(unit=u) for u in (world.cell, world.cell2, world.commune))
    days = [date(2026, 6, 1), date(2026, 7, 2), date(2026, 6, 1)]
    count = obligations_complete_many(
        actor=world.commune_staff, done=list(zip([a, b, c], days, strict=True)), verb="demo"
    )
    assert count == 3
    stored = Obligation.objects.in_bulk([a.pk, b.pk, c.pk])
    assert [stored[o.pk].done_on for o in (a, b, c)] == days
    assert {stored[o.pk].done_by for o in (a, b, c)} == {world.commune_staff}
    audited = entries("demo", AuditAction.UPDATE)
    assert [int(e.object_id) for e in audited] == [a.pk, b.pk, c.pk]
    assert [e.before["done_on"] for e in audited] == [None, None, None]
    assert [e.after["done_on"] for e in audited] == [d.isoformat() for d in days]


@on_day("2026-11-20")
def test_completing_many_is_refused_whole_outside_the_scope_or_in_the_future(world):
    mine, theirs = ObligationFactory(unit=world.cell), ObligationFactory(unit=world.other_cell)
    day = date(2026, 6, 1)
    with pytest.raises(PermissionDenied):
        obligations_complete_many(actor=world.commune_staff, done=[(mine, day), (theirs, day)])
    with pytest.raises(ValidationError):
        obligations_complete_many(
            actor=world.commune_staff, done=[(mine, timezone.localdate() + timedelta(days=1))]
        )
    assert not Obligation.objects.filter(done_on__isnull=False).exists()
    assert not audit_of_obligations().exists()


# Rescheduling and deleting ----------------------------------------------------------------------


def test_rescheduling_is_audited_and_checked(world):
    obligation = ObligationFactory(unit=world.cell, due_on=DUE)
    with pytest.raises(PermissionDenied):
        obligation_reschedule(actor=world.neighbour, obligation=obligation, due_on=date(2026, 1, 1))
    obligation_reschedule(
        actor=world.commune_staff, obligation=obligation, due_on=date(2026, 1, 1), verb="demo"
    )
    assert Obligation.objects.get(pk=obligation.pk).due_on == date(2026, 1, 1)
    entry = entries("demo").get()
    assert (entry.before["due_on"], entry.after["due_on"]) == ("2026-06-30", "2026-01-01")


def test_deleting_records_each_obligation_under_the_callers_verb(world):
    kept = ObligationFactory(unit=world.cell)
    gone = [ObligationFactory(unit=world.cell, title="Một"), ObligationFactory(unit=world.cell2)]
    assert obligations_delete(actor=world.commune_staff, obligations=gone, verb="narrow") == 2
    assert list(Obligation.objects.all()) == [kept]
    audited = entries("narrow")
    assert [int(e.object_id) for e in audited] == [o.pk for o in gone]
    assert {e.action for e in audited} == {AuditAction.DELETE}
    assert audited[0].before["title"] == "Một" and audited[0].after is None
    assert audited[0].unit_path == world.cell.path


def test_deleting_outside_the_scope_is_refused_unless_the_caller_permits_it(world):
    theirs = ObligationFactory(unit=world.other_cell)
    with pytest.raises(PermissionDenied):
        obligations_delete(actor=world.commune_staff, obligations=[theirs], verb="narrow")
    assert Obligation.objects.filter(pk=theirs.pk).exists()
    assert not audit_of_obligations().exists()
    # A report form's administrator narrows a form for every unit, in scope or not.
    obligations_delete(
        actor=world.province_admin, obligations=[theirs], verb="narrow", permitted=True
    )
    assert not Obligation.objects.exists()
    assert entries("narrow").get().actor == world.province_admin


# The Django admin -------------------------------------------------------------------------------


def test_an_obligation_added_or_moved_in_the_admin_gets_its_units_path(client, world):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    data = {
        "unit": world.cell.pk,
        "kind": ObligationKind.TASK,
        "title": "Việc",
        "due_on": "2026-06-30",
    }
    response = client.post("/admin/deadlines/obligation/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obligation = Obligation.objects.get()
    assert obligation.unit_path == world.cell.path
    data["unit"] = world.other_cell.pk
    client.post(f"/admin/deadlines/obligation/{obligation.pk}/change/", data)
    obligation.refresh_from_db()
    assert (obligation.unit, obligation.unit_path) == (world.other_cell, world.other_cell.path)
