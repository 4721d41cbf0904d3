"""Concerns follow the organisation tree when it changes."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns import services
from tuyengiao.concerns.bodies import body_add, forward_bodies
from tuyengiao.concerns.models import Concern, ConcernReport, ResponsibleBody, State
from tuyengiao.concerns.queries import concerns_for
from tuyengiao.org.services import unit_dissolve, unit_merge, unit_move

from ..factories import UnitFactory
from .conftest import submit, topic


def _forwarded(world, responsible):
    report = submit(world.collaborator, title="Rác thải tồn đọng ở chợ")
    concern = services.concern_open(
        actor=world.province_manager, reports=[report], title="Rác ở chợ", topic=topic()
    )
    return services.concern_forward(
        actor=world.province_manager,
        concern=concern,
        responsible=responsible,
        due_on=timezone.localdate() + timedelta(days=10),
    )


def test_a_merged_body_passes_the_concerns_it_must_answer_to_its_successor(world):
    concern = _forwarded(world, world.commune)
    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=timezone.localdate(),
    )

    concern.refresh_from_db()
    assert concern.responsible == world.commune2
    assert concern.obligation.unit == world.commune2
    assert concern.state == State.FORWARDED


def test_a_moved_commune_takes_its_reports_and_concerns_into_the_new_scope(world):
    concern = _forwarded(world, world.commune)
    district = UnitFactory(parent=world.other_province, name="Huyện B")
    unit_move(actor=None, unit=world.commune, new_parent=district)

    report = ConcernReport.objects.get(concern=concern)
    world.commune.refresh_from_db()
    assert report.unit_path == world.commune.path
    assert Concern.objects.get(pk=concern.pk).unit_path == world.commune.path
    assert concern in concerns_for(world.neighbour)
    assert concern not in concerns_for(world.province_manager)


def test_a_merged_units_bodies_pass_to_its_successor(world):
    """Its own bodies join the successor's list; one the successor has by that name already
    is the successor's, and the concern waiting for its answer waits for the successor's."""
    police = body_add(actor=None, unit=world.commune, name="Công an xã")
    old_ubnd = body_add(actor=None, unit=world.commune, name="UBND xã")
    new_ubnd = body_add(actor=None, unit=world.commune2, name="ubnd XÃ")
    report = submit(world.collaborator, title="Đường làng ngập nước")
    concern = services.concern_open(
        actor=world.province_manager, reports=[report], title="Ngập đường", topic=topic()
    )
    concern = services.concern_forward(
        actor=world.province_manager,
        concern=concern,
        body=old_ubnd,
        due_on=timezone.localdate() + timedelta(days=10),
    )

    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=timezone.localdate(),
    )

    police.refresh_from_db()
    old_ubnd.refresh_from_db()
    concern.refresh_from_db()
    assert (police.unit, police.unit_path, police.active) == (
        world.commune2,
        world.commune2.path,
        True,
    )
    assert (old_ubnd.unit, old_ubnd.active) == (world.commune, False)
    assert concern.body == new_ubnd
    assert concern.obligation.unit == world.commune2
    assert set(forward_bodies(world.commune2)) == {police, new_ubnd}
    verbs = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ResponsibleBody), verb="merge"
    ).values_list("object_id", flat=True)
    assert sorted(verbs) == sorted([str(police.pk), str(old_ubnd.pk)])


def test_a_dissolved_unit_keeps_its_bodies(world):
    police = body_add(actor=None, unit=world.commune2, name="Công an xã")
    unit_dissolve(actor=world.province_admin, unit=world.commune2, on=timezone.localdate())
    police.refresh_from_db()
    assert (police.unit, police.active) == (world.commune2, True)
