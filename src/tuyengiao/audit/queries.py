"""Reads of the audit log: managers read the changes made in their subtree."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q

from tuyengiao.org.scope import Action, can, restrict

from .models import AuditEntry


def entries_for(user):
    """The log of the user's subtree, newest first; 403 for who does not manage accounts."""
    if not can(user, Action.MANAGE_USERS):
        raise PermissionDenied
    return restrict(
        AuditEntry.objects.select_related("actor", "content_type"), user, Action.MANAGE_USERS
    )


def filtered(entries, data: dict):
    """The entries matching a cleaned `AuditFilter` (who, what kind, action, date range)."""
    if who := (data.get("who") or "").strip():
        for word in who.split():
            entries = entries.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
    if data.get("kind"):
        entries = entries.filter(content_type_id=data["kind"])
    if data.get("action"):
        entries = entries.filter(action=data["action"])
    if data.get("start"):
        entries = entries.filter(at__date__gte=data["start"])
    if data.get("end"):
        entries = entries.filter(at__date__lte=data["end"])
    return entries


def _object_in_scope(user, content_type: ContentType, object_id: str):
    """The object itself when it lies in the user's subtree (it has no entries yet), else None."""
    model = content_type.model_class()
    if model is None or not getattr(model, "scope_path", ""):
        return None
    try:
        return (
            restrict(model._default_manager.all(), user, Action.MANAGE_USERS)
            .filter(pk=object_id)
            .first()
        )
    except (ValueError, ValidationError):
        return None


def history(user, content_type_id: int, object_id: str):
    """(kind of object, its name, its entries) in the user's subtree; None when the object
    is not there. An object of the subtree without entries has an empty history, not a 404."""
    entries = list(entries_for(user).filter(content_type_id=content_type_id, object_id=object_id))
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    if content_type is None:
        return None
    if entries:
        return content_type, entries[0].object_repr, entries
    obj = _object_in_scope(user, content_type, object_id)
    return (content_type, str(obj), []) if obj is not None else None
