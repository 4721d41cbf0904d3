"""Obligations follow the organisation tree: a merged unit passes on what it still owes."""

from datetime import date

from django.contrib.contenttypes.models import ContentType

from tests.factories import ObligationFactory
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.org import signals
from tuyengiao.org.services import unit_dissolve, unit_merge

ON = date(2026, 7, 1)


def merge_entries():
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Obligation), verb="merge"
    )


def test_a_merge_passes_the_open_work_due_from_its_date_to_the_successor_audited(world):
    passed = [
        ObligationFactory(unit=world.commune, due_on=ON),  # due on the merge date: still owed
        ObligationFactory(unit=world.commune, due_on=date(2026, 9, 1), kind=ObligationKind.TASK),
        ObligationFactory(
            unit=world.commune, due_on=date(2026, 9, 1), kind=ObligationKind.DIRECTIVE_STEP
        ),
    ]
    stays = [
        ObligationFactory(unit=world.commune, due_on=date(2026, 6, 30)),  # due before the merge
        ObligationFactory(unit=world.commune, due_on=date(2026, 9, 1), done_on=date(2026, 6, 1)),
        # a periodic report belongs to the unit it reports on
        ObligationFactory(unit=world.commune, due_on=date(2026, 9, 1), kind=ObligationKind.REPORT),
        ObligationFactory(unit=world.cell, due_on=date(2026, 9, 1)),  # a cell moves with its unit
    ]
    unit_merge(actor=world.province_admin, sources=[world.commune], target=world.commune2, on=ON)

    for obligation in passed:
        obligation.refresh_from_db()
        assert (obligation.unit, obligation.unit_path) == (world.commune2, world.commune2.path)
    for obligation in stays[:3]:
        assert Obligation.objects.get(pk=obligation.pk).unit == world.commune
    cells = Obligation.objects.get(pk=stays[3].pk)
    world.cell.refresh_from_db()
    assert (cells.unit, cells.unit_path) == (world.cell, world.cell.path)
    assert world.cell.is_within(world.commune2)
    entries = merge_entries().order_by("object_id")
    assert sorted(int(e.object_id) for e in entries) == sorted(o.pk for o in passed)
    for entry in entries:
        assert (entry.action, entry.actor) == (AuditAction.UPDATE, world.province_admin)
        assert entry.before["unit_id"] == world.commune.pk
        assert entry.after["unit_id"] == world.commune2.pk
        assert entry.after["unit_path"] == world.commune2.path
        assert entry.unit_path == world.commune2.path  # now the successor's to see


def test_a_dissolved_unit_passes_nothing(world):
    obligation = ObligationFactory(unit=world.commune2, due_on=date(2026, 9, 1))
    unit_dissolve(actor=world.province_admin, unit=world.commune2, on=ON)
    assert Obligation.objects.get(pk=obligation.pk).unit == world.commune2
    assert not merge_entries().exists()


def test_obligations_pass_on_before_the_concerns_look_for_them():
    # concerns.restructure passes a concern to the successor only if its obligation is there.
    order = [ref().__module__ for _key, ref, *_rest in signals.unit_closed.receivers]
    assert order.index("tuyengiao.deadlines.restructure") < order.index(
        "tuyengiao.concerns.restructure"
    )
