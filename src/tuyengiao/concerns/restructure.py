"""Keep concerns in step when the organisation tree changes.

Moves need nothing here: `unit_path` columns follow the unit (org.services.unit_move). When a
responsible body is merged, the obligation to answer passes to its successor (unit_merge), and
so does the concern's responsible body, so that the successor sees it among what it must answer.
"""

from django.dispatch import receiver

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.org import signals

from .models import Concern, State


@receiver(signals.unit_closed)
def _unit_closed(sender, unit, on, actor=None, **kwargs):
    if not unit.successor_id:
        return
    passed = Concern.objects.filter(
        responsible=unit, state=State.FORWARDED, obligation__unit_id=unit.successor_id
    )
    for concern in passed:
        before = snapshot(concern)
        concern.responsible_id = unit.successor_id
        concern.save(update_fields=["responsible", "changed_at"])
        record(actor, AuditAction.UPDATE, concern, before=before, verb="merge")
