"""The one scope policy: what a user may do is their role's actions, in their unit's subtree.

Role rules live here alone: code elsewhere asks `can(user, action)` (templates ask `may.<action>`,
org/context.py), picks people in SQL by `roles_for(action)`, and never compares a role. Every
page, API and export reads through `restrict`, so no view can forget the scope. Models name the
column that holds their owning unit's path in `scope_path`.
"""

from enum import StrEnum

from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Role, within


class Action(StrEnum):
    """What a role allows; where (the subtree) is for `restrict` and `in_scope` to say."""

    VIEW = "view"  # read the office's pages of one's subtree: units, deadlines, documents, ...
    CHANGE = "change"  # record work in one's subtree
    MANAGE_USERS = "manage_users"  # the accounts and the audit log of one's subtree
    APPROVE = "approve"  # approve the figures reported from below
    ADMINISTER = "administer"  # change the tree
    DEFINE = "define"  # define indicators, report forms and their validation rules
    TRIAGE = "triage"  # work the public-concerns queue as the office; hear of urgent reports
    ACT_ON_OBLIGATIONS = "act_on_obligations"  # be reminded of one's unit's obligations
    REPORT_CONCERN = "report_concern"  # send a report of public concern (phản ánh dư luận)
    USE_SECOND_FACTOR = "use_second_factor"  # enrol a TOTP device; be held to a unit's requirement
    MANAGE_BODIES = "manage_bodies"  # the list of bodies a unit forwards public concerns to
    # plan and record inspections of one's subtree; accept or return what a unit reported on a
    # recommendation of one's unit (a unit reports with CHANGE)
    INSPECT = "inspect"


# The office's daily work: read, record, work the concerns queue, be reminded of what is owed,
# inspect the units below and follow up their recommendations.
OFFICE_WORK = frozenset(
    {
        Action.VIEW,
        Action.CHANGE,
        Action.TRIAGE,
        Action.ACT_ON_OBLIGATIONS,
        Action.REPORT_CONCERN,
        Action.INSPECT,
    }
)

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    # An outside volunteer: the report page and what became of their own reports, nothing of the
    # office (every other page and API operation answers 404 to them: org/access.py).
    Role.COLLABORATOR: frozenset({Action.REPORT_CONCERN}),
    Role.STAFF: OFFICE_WORK,
    Role.MANAGER: OFFICE_WORK
    | {Action.MANAGE_USERS, Action.APPROVE, Action.USE_SECOND_FACTOR, Action.MANAGE_BODIES},
    Role.ADMINISTRATOR: frozenset(Action),
}


def can(user, action: Action) -> bool:
    """Whether the user's role allows the action at all (scope is checked by `restrict`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.unit_id is not None and action in ROLE_ACTIONS.get(user.role, frozenset())


def roles_for(action: Action) -> frozenset[str]:
    """The roles that allow `action`: for queries that pick people in SQL (who is reminded, who
    hears of an urgent report), so that the filter is derived from this policy. A superuser
    counts by the role the account holds."""
    return frozenset(role for role, actions in ROLE_ACTIONS.items() if action in actions)


def outside_office(user) -> bool:
    """Whether a signed-in account is an outside volunteer: its role reads none of the office's
    pages, so it reaches only the views marked open to collaborators (org/access.py)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return Action.VIEW not in ROLE_ACTIONS.get(user.role, frozenset())


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
