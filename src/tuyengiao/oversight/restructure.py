"""Keep oversight in step when the organisation tree changes.

Moves need nothing here: `unit_path` columns follow the unit (org.services.unit_move). When a
unit is merged into another, deadlines passes what it still owes to its successor
(deadlines.restructure, connected first: its app comes first); the recommendations and
self-inspection reports whose obligations went with it follow, so that the successor sees and
answers them. What is closed, or stayed with the old unit, stays attributed to it.
"""

from django.dispatch import receiver

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record_many, snapshot
from tuyengiao.figures import sources
from tuyengiao.org import signals

from .models import InspectedUnit, Recommendation


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    successor = unit.successor
    if successor is None:
        return
    passed = list(
        Recommendation.objects.filter(unit=unit, obligation__unit_id=successor.pk).select_related(
            "obligation"
        )
    )
    befores = [snapshot(r) for r in passed]
    counted = sources.pairs_of_rows(Recommendation, passed)
    for recommendation in passed:
        recommendation.unit = successor
        recommendation.fill_path()
    Recommendation.objects.bulk_update(passed, ["unit", "unit_path"], batch_size=1000)
    sources.bulk_written(Recommendation, passed, counted)
    record_many(actor, AuditAction.UPDATE, passed, verb="merge", before=befores)

    visited = set(
        InspectedUnit.objects.filter(unit=successor).values_list("inspection_id", flat=True)
    )
    owing = [
        row
        for row in InspectedUnit.objects.filter(
            unit=unit, self_report_obligation__unit_id=successor.pk
        )
        # The successor inspected in the same inspection already owes its own report.
        if row.inspection_id not in visited
    ]
    befores = [snapshot(r) for r in owing]
    for row in owing:
        row.unit = successor
        row.fill_path()
    InspectedUnit.objects.bulk_update(owing, ["unit", "unit_path"], batch_size=1000)
    record_many(actor, AuditAction.UPDATE, owing, verb="merge", before=befores)
