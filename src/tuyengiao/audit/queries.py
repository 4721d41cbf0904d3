"""Reads of the audit log: managers read the changes made in their subtree."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from tuyengiao.org.scope import Action, can, restrict

from .models import AuditEntry


def entries_for(user):
    """The log of the user's subtree, newest first; 403 for who does not manage accounts."""
    if not can(user, Action.MANAGE_USERS):
        raise PermissionDenied
    return restrict(
        AuditEntry.objects.select_related("actor", "content_type"), user, Action.MANAGE_USERS
    )


def history(user, content_type_id: int, object_id: str) -> tuple[ContentType | None, list]:
    """The kind of object and the entries of one object's history in the user's subtree."""
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    entries = list(entries_for(user).filter(content_type_id=content_type_id, object_id=object_id))
    return content_type, entries
