"""Creating and closing obligations. Domain packages call these; this package imports none."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.org.scope import Action
from tuyengiao.org.services import require

from .models import Obligation, ObligationKind


@transaction.atomic
def obligation_create(
    *, actor, unit, kind: str, title: str, due_on: date, source=None, note: str = ""
) -> Obligation:
    require(actor, Action.CHANGE, unit)
    obligation = Obligation(
        unit=unit, unit_path=unit.path, kind=kind, title=title, due_on=due_on, note=note
    )
    if source is not None:
        obligation.source_type = ContentType.objects.get_for_model(source)
        obligation.source_id = source.pk
    obligation.full_clean()
    obligation.save()
    record(actor, AuditAction.CREATE, obligation)
    return obligation


@transaction.atomic
def obligations_create_many(*, actor, items: list[Obligation], verb: str = "") -> list[Obligation]:
    """Create many obligations at once (a cascade to thousands of units is one action)."""
    for item in items:
        item.unit_path = item.unit.path
    for unit in {item.unit for item in items}:
        require(actor, Action.CHANGE, unit)
    created = Obligation.objects.bulk_create(items, batch_size=2000)
    if any(o.pk is None for o in created):
        raise RuntimeError("the database did not return the new ids")
    record_many(actor, AuditAction.CREATE, created, verb=verb)
    return created


@transaction.atomic
def obligation_complete(
    *, actor, obligation: Obligation, done_on: date | None = None, note: str | None = None
) -> Obligation:
    """Close an obligation on `done_on` (today by default); its state follows from the dates."""
    require(actor, Action.CHANGE, obligation.unit)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Ngày hoàn thành không thể ở tương lai.")})
    before = snapshot(obligation)
    obligation.done_on = done_on
    obligation.done_by = actor
    if note is not None:
        obligation.note = note
    obligation.save(update_fields=["done_on", "done_by", "note"])
    record(actor, AuditAction.UPDATE, obligation, before=before, verb="complete")
    return obligation


@transaction.atomic
def obligation_reopen(*, actor, obligation: Obligation, reason: str) -> Obligation:
    require(actor, Action.CHANGE, obligation.unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    before = snapshot(obligation)
    obligation.done_on = None
    obligation.done_by = None
    obligation.note = (obligation.note + "\n" if obligation.note else "") + reason.strip()
    obligation.save(update_fields=["done_on", "done_by", "note"])
    record(actor, AuditAction.UPDATE, obligation, before=before, verb="reopen")
    return obligation


def closable_by_hand(obligation: Obligation) -> bool:
    """Obligations created by a domain feature are closed by recording that feature's step."""
    return obligation.kind == ObligationKind.TASK
