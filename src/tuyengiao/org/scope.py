"""The one scope policy: what a user may read or change is their unit's subtree.

Every page, API and export reads through `restrict`, so no view can forget the scope. Models
name the column that holds their owning unit's path in `scope_path`.
"""

from enum import StrEnum

from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Role, within


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    MANAGE_USERS = "manage_users"
    APPROVE = "approve"
    ADMINISTER = "administer"
    REPORT_CONCERN = "report_concern"  # send a report of public concern (phản ánh dư luận)


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.COLLABORATOR: frozenset({Action.VIEW, Action.REPORT_CONCERN}),
    Role.STAFF: frozenset({Action.VIEW, Action.CHANGE, Action.REPORT_CONCERN}),
    Role.MANAGER: frozenset(
        {Action.VIEW, Action.CHANGE, Action.MANAGE_USERS, Action.APPROVE, Action.REPORT_CONCERN}
    ),
    Role.ADMINISTRATOR: frozenset(Action),
}


def can(user, action: Action) -> bool:
    """Whether the user's role allows the action at all (scope is checked by `restrict`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.unit_id is not None and action in ROLE_ACTIONS.get(user.role, frozenset())


def scope_prefix(user) -> str | None:
    """The path prefix of the user's subtree; '' for a superuser without a unit (everything)."""
    if user.is_superuser and user.unit_id is None:
        return ""
    return user.unit.path if user.unit_id else None


def restrict(queryset: QuerySet, user, action: Action = Action.VIEW) -> QuerySet:
    """The part of `queryset` that `user` may act on."""
    prefix = scope_prefix(user)
    if prefix is None or not can(user, action):
        return queryset.none()
    if not prefix:
        return queryset
    return queryset.filter(within(queryset.model.scope_path, prefix))


def get_for_user(queryset: QuerySet, user, action: Action = Action.VIEW, **lookup) -> Model:
    """One object in the user's scope, or 404: outside the scope an object does not exist."""
    try:
        return restrict(queryset, user, action).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def in_scope(user, path: str, action: Action = Action.VIEW) -> bool:
    prefix = scope_prefix(user)
    return prefix is not None and can(user, action) and path.startswith(prefix)
