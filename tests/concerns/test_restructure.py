"""Concerns follow the organisation tree when it changes."""

from datetime import timedelta

from django.utils import timezone

from tuyengiao.concerns import services
from tuyengiao.concerns.models import Concern, ConcernReport, State
from tuyengiao.concerns.queries import concerns_for
from tuyengiao.org.services import unit_merge, unit_move

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
