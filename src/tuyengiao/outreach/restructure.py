"""Keep outreach in step when the organisation tree changes.

Moves need nothing here: `unit_path` columns follow the unit (org.services.unit_move). When a
unit is merged into another, the speakers still serving on the closing day pass to the
successor (its cells, which they are assigned to, moved under it with the merge). What was done
stays attributed to where it was done: sessions to the unit that heard them, models to the
unit recognised, replications to the unit that copied them, ended speakers to the old unit.
"""

from django.dispatch import receiver

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record_many, snapshot
from tuyengiao.org import signals

from .models import Speaker


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    successor = unit.successor
    if successor is None:
        return
    serving = list(Speaker.objects.filter(unit=unit, ends_on__gte=on))
    befores = [snapshot(s) for s in serving]
    for speaker in serving:
        speaker.unit = successor
        speaker.fill_path()
    Speaker.objects.bulk_update(serving, ["unit", "unit_path"], batch_size=1000)
    record_many(actor, AuditAction.UPDATE, serving, verb="merge", before=befores)
