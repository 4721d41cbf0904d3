"""Keep training in step when the organisation tree changes.

Moves need nothing here: `unit_path` columns follow the unit (org.services.unit_move). When a
commune is merged into another, its centres pass to the successor with their plans and classes
(a plan and a class belong to their centre's unit), and every centre that served the closed
commune serves the successor instead (the classes keep the communes their learners came from:
that is history). A unit dissolved without a successor leaves its centres inactive.
"""

from django.dispatch import receiver

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record_many, snapshot
from tuyengiao.figures import sources
from tuyengiao.org import signals

from .models import PoliticalCentre, TrainingClass, TrainingPlan


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    successor = unit.successor
    centres = list(PoliticalCentre.objects.filter(unit=unit))
    befores = [snapshot(c) for c in centres]
    if successor is None:
        for centre in centres:
            centre.active = False
        PoliticalCentre.objects.bulk_update(centres, ["active"])
        record_many(actor, AuditAction.UPDATE, centres, verb="dissolve", before=befores)
        return
    for centre in centres:
        centre.unit = successor
        centre.fill_path()
    PoliticalCentre.objects.bulk_update(centres, ["unit", "unit_path"], batch_size=1000)
    record_many(actor, AuditAction.UPDATE, centres, verb="merge", before=befores)
    for model in (TrainingPlan, TrainingClass):
        rows = list(model.objects.filter(centre__in=centres))
        counted = sources.pairs_of_rows(model, rows)
        for row in rows:
            row.unit = successor
            row.fill_path()
        model.objects.bulk_update(rows, ["unit", "unit_path"], batch_size=1000)
        # the figures counted from these records follow them to the successor
        sources.bulk_written(model, rows, counted)
    through = PoliticalCentre.served.through
    serving = list(
        through.objects.filter(unit_id=unit.pk).values_list("politicalcentre_id", flat=True)
    )
    already = set(
        through.objects.filter(politicalcentre_id__in=serving, unit_id=successor.pk).values_list(
            "politicalcentre_id", flat=True
        )
    )
    through.objects.filter(unit_id=unit.pk).delete()
    through.objects.bulk_create(
        [
            through(politicalcentre_id=pk, unit_id=successor.pk)
            for pk in serving
            if pk not in already
        ]
    )
