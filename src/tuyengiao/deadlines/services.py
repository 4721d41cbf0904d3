"""Every write of obligations: created, completed, reopened, rescheduled, passed on, deleted.

The one writer of `Obligation`, for every feature. A feature passes what the obligation is for
(its source) and gets the obligation back; it never touches the table. Every function checks
who may do it, writes, and records the audit entries in one transaction. The `_many` ones are
for cascades of thousands of rows: a few statements and one audit write, whatever the number.

Who may change an obligation: whoever may change at its unit, or at the unit of its source when
that is a record of a unit (`org.models.UnitRecord`) — the office that forwarded a concern to a
body records that body's answer, and may forward it elsewhere. A caller that decides under a
rule of its own (a report form's administrator, a form's schedule) says so with `permitted=True`.
This package imports no domain package.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.core import stored_text
from tuyengiao.org.models import Unit, UnitRecord
from tuyengiao.org.scope import Action, in_scope
from tuyengiao.org.services import require

from .models import Obligation, ObligationKind

BATCH = 2000
TITLE_LENGTH = Obligation._meta.get_field("title").max_length


@dataclass(frozen=True)
class NewObligation:
    """One obligation to create: what a unit owes, by when, and what it is for (its source).

    The title is text, or a `core.stored_text.Message` (or part) it is made from: then it is
    stored in the site's language and shown in each reader's (`Obligation.display_title`)."""

    unit: Unit
    kind: str
    title: Any
    due_on: date
    source: models.Model | None = None
    note: str = ""


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _refuse() -> None:
    raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def may_change(actor, obligation: Obligation) -> bool:
    """Whether `actor` may complete, reopen, reschedule or delete the obligation: in scope of
    its unit, or of the unit its source belongs to (read only when the first answer is no)."""
    if actor is None:  # system work: imports, commands, signals of the operator's changes
        return True
    if in_scope(actor, obligation.unit_path, Action.CHANGE):
        return True
    source = obligation.source if obligation.source_type_id else None
    return isinstance(source, UnitRecord) and in_scope(actor, source.unit_path, Action.CHANGE)


def _require_change(actor, obligations: Iterable[Obligation]) -> None:
    if actor is not None and not all(may_change(actor, o) for o in obligations):
        _refuse()


def _check_done_on(done_on: date) -> None:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("Ngày hoàn thành không thể ở tương lai.")})


# Creating --------------------------------------------------------------------------------------


def _build(item: NewObligation, types: dict, titles: dict) -> Obligation:
    # A cascade gives thousands of receivers the same few titles: each is made once.
    key = repr(stored_text.as_json(item.title)) if not isinstance(item.title, str) else None
    if key is None:
        title, kept = stored_text.stored(item.title, TITLE_LENGTH)
    else:
        if key not in titles:
            titles[key] = stored_text.stored(item.title, TITLE_LENGTH)
        title, kept = titles[key]
    obligation = Obligation(
        unit=item.unit,
        kind=item.kind,
        title=title,
        title_message=kept,
        due_on=item.due_on,
        note=item.note,
    ).fill_path()
    if item.source is not None:
        model = type(item.source)
        if model not in types:
            types[model] = ContentType.objects.get_for_model(model)
        obligation.source_type = types[model]
        obligation.source_id = item.source.pk
    return obligation


@transaction.atomic
def obligation_create(
    *, actor, unit, kind: str, title, due_on: date, source=None, note: str = ""
) -> Obligation:
    """One obligation; `title` is text, or a `core.stored_text.Message` (see NewObligation)."""
    require(actor, Action.CHANGE, unit)
    obligation = _build(
        NewObligation(unit=unit, kind=kind, title=title, due_on=due_on, source=source, note=note),
        {},
        {},
    )
    obligation.full_clean()
    obligation.save()
    record(actor, AuditAction.CREATE, obligation)
    return obligation


@transaction.atomic
def obligations_create_many(
    *, actor, items: Sequence[NewObligation], verb: str = "", permitted: bool = False
) -> list[Obligation]:
    """Create many obligations at once, returned in the order of `items` (a cascade to
    thousands of units is one action): batched inserts and one audit write."""
    if not permitted:
        for unit in {item.unit.pk: item.unit for item in items}.values():
            require(actor, Action.CHANGE, unit)
    types: dict = {}
    titles: dict = {}
    created = Obligation.objects.bulk_create(
        [_build(i, types, titles) for i in items], batch_size=BATCH
    )
    if any(o.pk is None for o in created):
        raise RuntimeError("the database did not return the new ids")
    record_many(actor, AuditAction.CREATE, created, verb=verb)
    return created


# Completing and reopening ----------------------------------------------------------------------


@transaction.atomic
def obligation_complete(
    *, actor, obligation: Obligation, done_on: date | None = None, note: str | None = None
) -> Obligation:
    """Close an obligation on `done_on` (today by default); its state follows from the dates."""
    _require_change(actor, [obligation])
    done_on = done_on or timezone.localdate()
    _check_done_on(done_on)
    before = snapshot(obligation)
    obligation.done_on = done_on
    obligation.done_by = actor
    if note is not None:
        obligation.note = note
    obligation.save(update_fields=["done_on", "done_by", "note"])
    record(actor, AuditAction.UPDATE, obligation, before=before, verb="complete")
    return obligation


@transaction.atomic
def obligations_complete_many(
    *, actor, done: Iterable[tuple[Obligation, date]], verb: str = "complete"
) -> int:
    """Close many obligations, each on its own date (a year of work loaded at once): one
    UPDATE per day and batch rather than per row, and one audit write."""
    pairs = list(done)
    for _obligation, day in pairs:
        _check_done_on(day)
    _require_change(actor, [o for o, _day in pairs])
    done_by = actor if actor is not None and actor.is_authenticated else None
    befores = [snapshot(o) for o, _day in pairs]
    by_day: dict[date, list[int]] = defaultdict(list)
    for obligation, day in pairs:
        obligation.done_on, obligation.done_by = day, done_by
        by_day[day].append(obligation.pk)
    for day, ids in by_day.items():
        for chunk in _chunks(ids):
            Obligation.objects.filter(pk__in=chunk).update(done_on=day, done_by=done_by)
    record_many(actor, AuditAction.UPDATE, [o for o, _day in pairs], verb=verb, before=befores)
    return len(pairs)


@transaction.atomic
def obligation_reopen(*, actor, obligation: Obligation, reason: str) -> Obligation:
    _require_change(actor, [obligation])
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do mở lại.")})
    before = snapshot(obligation)
    obligation.done_on = None
    obligation.done_by = None
    obligation.note = (obligation.note + "\n" if obligation.note else "") + reason.strip()
    obligation.save(update_fields=["done_on", "done_by", "note"])
    record(actor, AuditAction.UPDATE, obligation, before=before, verb="reopen")
    return obligation


@transaction.atomic
def obligation_reschedule(
    *, actor, obligation: Obligation, due_on: date, verb: str = "reschedule"
) -> Obligation:
    """Give an obligation another due date; its state follows from the dates."""
    _require_change(actor, [obligation])
    before = snapshot(obligation)
    obligation.due_on = due_on
    obligation.save(update_fields=["due_on"])
    record(actor, AuditAction.UPDATE, obligation, before=before, verb=verb)
    return obligation


# Passing on and deleting -----------------------------------------------------------------------


@transaction.atomic
def obligations_pass_on(*, actor, unit: Unit, on: date) -> int:
    """A unit merged into another on `on` passes to its successor what it still owes from that
    date on (audited, verb "merge"). What is done stays with the unit, and so do its periodic
    reports: a report belongs to the unit it reports on. A unit without a successor (dissolved)
    passes nothing."""
    successor = unit.successor
    if successor is None:
        return 0
    require(actor, Action.CHANGE, unit)
    require(actor, Action.CHANGE, successor)
    moving = list(
        Obligation.objects.filter(unit=unit, done_on__isnull=True, due_on__gte=on).exclude(
            kind__in=[ObligationKind.REPORT, ObligationKind.NARRATIVE]
        )
    )
    befores = [snapshot(o) for o in moving]
    for chunk in _chunks([o.pk for o in moving]):
        Obligation.objects.filter(pk__in=chunk).update(unit=successor, unit_path=successor.path)
    for obligation in moving:
        obligation.unit = successor
        obligation.fill_path()
    record_many(actor, AuditAction.UPDATE, moving, verb="merge", before=befores)
    return len(moving)


@transaction.atomic
def obligations_delete(
    *, actor, obligations: Iterable[Obligation], verb: str, permitted: bool = False
) -> int:
    """Delete obligations that are owed no more, one or many, with an audit entry each under
    the caller's `verb` ("reroute": a concern forwarded elsewhere; "narrow": a report form no
    longer asks it of the unit; "close": the unit closed)."""
    obligations = list(obligations)
    if not permitted:
        _require_change(actor, obligations)
    record_many(actor, AuditAction.DELETE, obligations, verb=verb)
    for chunk in _chunks([o.pk for o in obligations]):
        Obligation.objects.filter(pk__in=chunk).delete()
    return len(obligations)


def closable_by_hand(obligation: Obligation) -> bool:
    """Obligations created by a domain feature are closed by recording that feature's step."""
    return obligation.kind == ObligationKind.TASK
