"""Keep concerns in step when the organisation tree changes.

Moves need nothing here: `unit_path` columns follow the unit (org.services.unit_move). When a
responsible body is merged, the obligation to answer passes to its successor (unit_merge), and
so does the concern's responsible body, so that the successor sees it among what it must answer.

A merged unit's list of bodies passes to its successor too: a body the successor lacks moves to
its list (with what was forwarded to it); one it has already by that name (both communes had
their "UBND xã") is the successor's from now on: the concerns still waiting for the old one's
answer wait for the successor's, and the old one, kept with the closed unit for its history, is
no longer offered. A dissolved unit (no successor) keeps its list.
"""

from django.dispatch import receiver

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.org import signals

from .models import Concern, ResponsibleBody, State


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
    _pass_bodies(unit, actor)


def _pass_bodies(unit, actor) -> None:
    successor = unit.successor
    theirs = {
        b.name.casefold(): b for b in ResponsibleBody.objects.filter(unit=successor).order_by("id")
    }
    for body in ResponsibleBody.objects.filter(unit=unit).select_for_update().order_by("id"):
        before = snapshot(body)
        same = theirs.get(body.name.casefold())
        if same is None:
            body.unit = successor
            body.fill_path()
            body.save(update_fields=["unit", "unit_path"])
            theirs[body.name.casefold()] = body
            record(actor, AuditAction.UPDATE, body, before=before, verb="merge")
            continue
        waiting = Concern.objects.filter(body=body, state=State.FORWARDED).select_for_update()
        for concern in waiting:
            concern_before = snapshot(concern)
            concern.body = same
            concern.save(update_fields=["body", "changed_at"])
            record(actor, AuditAction.UPDATE, concern, before=concern_before, verb="merge")
        if body.active:
            body.active = False
            body.save(update_fields=["active"])
            record(actor, AuditAction.UPDATE, body, before=before, verb="merge")
