"""Records that belong to a unit (`UnitRecord`): one way to fill their copy of the unit's path,
one way to rewrite it on moves; the audit log keeps the path each change was made under."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from tests.factories import ObligationFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns.models import Concern, ConcernReport, ResponsibleBody, Summary
from tuyengiao.deadlines.models import Obligation
from tuyengiao.directives.models import Assignment, Directive, Dispatch, Step
from tuyengiao.directives.services import directive_register
from tuyengiao.figures.models import Report
from tuyengiao.narratives.models import NarrativeReport
from tuyengiao.org.models import UnitRecord, unit_record_models
from tuyengiao.org.services import unit_move, unit_update
from tuyengiao.outreach.models import Exemplar, OutreachSession, Replication, Speaker
from tuyengiao.oversight.models import (
    Conference,
    Finding,
    InspectedUnit,
    Inspection,
    InspectionPlan,
    OversightSettings,
    Recommendation,
)
from tuyengiao.training.models import PoliticalCentre, TrainingClass, TrainingPlan


def test_every_record_with_a_copy_of_its_units_path_is_a_unit_record():
    assert set(unit_record_models()) == {
        Directive,
        Dispatch,
        Assignment,
        Step,
        Report,
        Concern,
        ConcernReport,
        Summary,
        ResponsibleBody,
        Obligation,
        OversightSettings,
        InspectionPlan,
        Inspection,
        InspectedUnit,
        Finding,
        Conference,
        Recommendation,
        Speaker,
        OutreachSession,
        Exemplar,
        Replication,
        PoliticalCentre,
        TrainingPlan,
        TrainingClass,
        NarrativeReport,
    }
    assert not issubclass(AuditEntry, UnitRecord)
    for model in unit_record_models():
        assert model.scope_path == "unit_path"
        unit = model._meta.get_field(model.unit_field)
        assert unit.related_model._meta.label == "org.Unit", model


def test_the_path_is_filled_from_the_records_own_unit(world):
    dispatch = Dispatch(sender=world.commune).fill_path()
    assert dispatch.unit_path == world.commune.path
    assert Obligation(unit=world.cell).fill_path().unit_path == world.cell.path


def test_a_move_rewrites_the_records_paths_but_not_the_audit_log(world):
    directive = directive_register(
        actor=world.commune_staff,
        unit=world.commune,
        symbol="05-NQ/ĐU",
        issued_on=date(2026, 1, 5),
        title="Nghị quyết về công tác tuyên truyền",
    )
    obligation = ObligationFactory(unit=world.cell)
    unit_update(actor=world.province_admin, unit=world.cell, name="Chi bộ thôn Nà Pài 1")
    old_commune, old_cell = world.commune.path, world.cell.path
    registered = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Directive), object_id=str(directive.pk)
    )
    renamed = AuditEntry.objects.filter(verb="", object_id=str(world.cell.pk)).latest("id")
    assert (registered.unit_path, renamed.unit_path) == (old_commune, old_cell)

    unit_move(actor=None, unit=world.commune, new_parent=world.other_province)

    world.commune.refresh_from_db()
    world.cell.refresh_from_db()
    assert world.commune.path != old_commune
    assert Directive.objects.get(pk=directive.pk).unit_path == world.commune.path
    assert Obligation.objects.get(pk=obligation.pk).unit_path == world.cell.path
    # The log says where each change was made, then: a manager of Tỉnh A still reads it.
    registered.refresh_from_db()
    renamed.refresh_from_db()
    assert (registered.unit_path, renamed.unit_path) == (old_commune, old_cell)
