"""Writing the audit log. Services call `record` in the same transaction as the change."""

import contextvars
import json
import uuid
from collections.abc import Iterable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from .models import AuditAction, AuditEntry

_correlation: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar(
    "audit_correlation", default=None
)


def begin_correlation() -> contextvars.Token:
    """Start a new group of entries (one request, one command run)."""
    return _correlation.set(uuid.uuid4())


def end_correlation(token: contextvars.Token) -> None:
    _correlation.reset(token)


def snapshot(obj: models.Model) -> dict:
    """The object's concrete field values as JSON-ready data (foreign keys as ids)."""
    data = {}
    for field in obj._meta.concrete_fields:
        # Keys derived from the name, and what a title was made from (the title is kept).
        if field.name in {"password", "search_key", "sort_key", "title_message"}:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name or ""
        data[field.attname] = value
    if hasattr(obj, "audit_extra"):  # what a bulk change created, named in its one entry
        data.update(obj.audit_extra())
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _unit_path(obj: models.Model) -> str:
    path: object = obj
    for part in getattr(type(obj), "scope_path", "").split("__"):
        path = getattr(path, part, None) if path is not None else None
    return path if isinstance(path, str) else ""


def _entry(actor, action, obj, before, after, verb) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        unit_path=_unit_path(obj),
        before=before,
        after=after,
        correlation_id=_correlation.get(),
    )


def record(
    actor,
    action: AuditAction,
    obj: models.Model,
    *,
    before: dict | None = None,
    verb: str = "",
) -> AuditEntry:
    """Record one change; `before` is the snapshot taken before an update or delete."""
    after = None if action == AuditAction.DELETE else snapshot(obj)
    entry = _entry(actor, action, obj, before, after, verb)
    entry.save()
    return entry


def record_many(
    actor,
    action: AuditAction,
    objs: Iterable[models.Model],
    *,
    verb: str = "",
    before: Iterable[dict | None] | None = None,
) -> None:
    """Record the creation, update or deletion of many objects at once (imports, cascades);
    `before`: their snapshots taken before an update, in the same order. A deletion is
    recorded before it is made, like `record`'s (its "before" is taken here)."""
    objs = list(objs)
    befores = list(before) if before is not None else [None] * len(objs)
    if action == AuditAction.DELETE:
        entries = [_entry(actor, action, obj, snapshot(obj), None, verb) for obj in objs]
    else:
        entries = [
            _entry(actor, action, obj, was, snapshot(obj), verb)
            for obj, was in zip(objs, befores, strict=True)
        ]
    AuditEntry.objects.bulk_create(entries, batch_size=2000)


def record_view(actor, obj: models.Model, *, today: date | None = None) -> AuditEntry | None:
    """Record that `actor` opened `obj`'s details: once per user, object and day, so that a
    reload does not flood the log; the entry, or None when today's is already there. What was
    seen is not copied into the log."""
    if actor is None or not actor.is_authenticated:
        return None
    today = today or timezone.localdate()
    seen = AuditEntry.objects.filter(
        actor=actor,
        action=AuditAction.VIEW,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        at__date=today,
    )
    if seen.exists():
        return None
    entry = _entry(actor, AuditAction.VIEW, obj, None, None, "")
    entry.save()
    return entry


def redact(model: type[models.Model], ids: Iterable, fields: Iterable[str]) -> int:
    """Blank `fields` in the logged before/after of these objects (text purged for retention
    must not live on in the log); how many entries were changed."""
    fields, changed = list(fields), []
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    )
    for entry in entries.iterator():
        for side in (entry.before, entry.after):
            for field in fields:
                if isinstance(side, dict) and side.get(field):
                    side[field] = ""
                    changed.append(entry)
    changed = list({entry.pk: entry for entry in changed}.values())
    AuditEntry.objects.bulk_update(changed, ["before", "after"], batch_size=1000)
    return len(changed)
