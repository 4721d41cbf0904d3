"""Every write to the organisation tree and to accounts: scope check, change, audit entry."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.text import nfc, search_key
from tuyengiao.text.collation import sort_key

from . import signals
from .models import (
    STEP,
    Kind,
    Level,
    Role,
    Unit,
    User,
    decode_step,
    encode_step,
    unit_record_models,
    within,
)
from .scope import Action, in_scope

LEVEL_BELOW = {
    Level.CENTRAL: Level.PROVINCE,
    Level.PROVINCE: Level.COMMUNE,
    Level.DISTRICT: Level.COMMUNE,
    Level.COMMUNE: Level.CELL,
    Level.CELL: Level.CELL,
}


def require(actor, action: Action, unit: Unit | None) -> None:
    """Refuse unless `actor` may do `action` at `unit` (None means the top of the tree)."""
    if actor is None:  # system work: imports and commands run by the operator
        return
    path = unit.path if unit is not None else ""
    if not in_scope(actor, path, action) or (unit is None and not actor.is_superuser):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def allocate_paths(parent: Unit | None, count: int) -> list[str]:
    """The next `count` free child paths under `parent`."""
    return _allocate_many({parent: count} if parent else {None: count})[parent]


def _allocate_many(counts: dict) -> dict:
    """Free child paths for several parents at once: one grouped query, whatever their number."""
    parents = [p for p in counts if p is not None]
    last = dict(
        Unit.objects.filter(parent__in=parents)
        .values("parent")
        .annotate(last=Max("path"))
        .values_list("parent", "last")
    )
    if None in counts:
        last[None] = Unit.objects.filter(parent=None).aggregate(last=Max("path"))["last"]
    paths = {}
    for parent, count in counts.items():
        key = parent.pk if parent is not None else None
        previous = last.get(key)
        start = decode_step(previous[-STEP:]) + 1 if previous else 0
        prefix = parent.path if parent is not None else ""
        paths[parent] = [prefix + encode_step(start + i) for i in range(count)]
    return paths


def _fill(unit: Unit) -> Unit:
    unit.name = nfc(unit.name)
    unit.short_name = nfc(unit.short_name)
    unit.search_key = search_key(unit.name)
    unit.sort_key = sort_key(unit.name)
    return unit


@transaction.atomic
def unit_create(
    *,
    actor,
    parent: Unit | None,
    name: str,
    level: str | None = None,
    kind: str = Kind.COMMITTEE,
    code: str = "",
    short_name: str = "",
    valid_from: date | None = None,
) -> Unit:
    require(actor, Action.ADMINISTER, parent)
    if level is None:
        level = _default_level(parent, kind)
    unit = _fill(
        Unit(
            parent=parent,
            name=name,
            level=level,
            kind=kind,
            code=code.strip(),
            short_name=short_name,
            valid_from=valid_from,
        )
    )
    unit.path = allocate_paths(parent, 1)[0]
    unit.full_clean()
    unit.save()
    record(actor, AuditAction.CREATE, unit)
    return unit


def _default_level(parent: Unit | None, kind: str) -> str:
    if parent is None:
        return Level.CENTRAL
    if kind == Kind.AGENCY:
        return parent.level
    if kind == Kind.CELL:
        return Level.CELL
    return LEVEL_BELOW[Level(parent.level)]


@dataclass
class NewUnit:
    parent: Unit
    name: str
    kind: str = Kind.COMMITTEE
    level: str | None = None
    code: str = ""
    short_name: str = ""


@transaction.atomic
def units_create_many(*, actor, rows: list[NewUnit], verb: str = "import") -> list[Unit]:
    """Create many units in a few queries (imports, generated cells); audited like one by one."""
    by_parent: dict[int, list[NewUnit]] = {}
    for row in rows:
        require(actor, Action.ADMINISTER, row.parent)
        by_parent.setdefault(row.parent.pk, []).append(row)
    units = []
    allocated = _allocate_many({group[0].parent: len(group) for group in by_parent.values()})
    for group in by_parent.values():
        paths = allocated[group[0].parent]
        for row, path in zip(group, paths, strict=True):
            units.append(
                _fill(
                    Unit(
                        parent=row.parent,
                        path=path,
                        name=row.name,
                        short_name=row.short_name,
                        code=row.code,
                        kind=row.kind,
                        level=row.level or _default_level(row.parent, row.kind),
                    )
                )
            )
    created = Unit.objects.bulk_create(units, batch_size=2000)
    if any(u.pk is None for u in created):  # backends that do not return ids
        by_path = dict(
            Unit.objects.filter(path__in=[u.path for u in created]).values_list("path", "pk")
        )
        for unit in created:
            unit.pk = by_path[unit.path]
    record_many(actor, AuditAction.CREATE, created, verb=verb)
    return created


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    require(actor, Action.ADMINISTER, unit)
    before = snapshot(unit)
    fields = ("name", "short_name", "code", "level", "kind", "valid_from", "valid_to")
    for field in (*fields, "second_factor_required"):
        if field in changes:
            setattr(unit, field, changes[field])
    _fill(unit)
    unit.full_clean()
    unit.save()
    record(actor, AuditAction.UPDATE, unit, before=before)
    return unit


@transaction.atomic
def unit_move(*, actor, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit and its whole subtree under another parent, in a few UPDATEs."""
    require(actor, Action.ADMINISTER, unit)
    require(actor, Action.ADMINISTER, new_parent)
    if new_parent.is_within(unit):
        raise ValidationError(_("Không thể chuyển một đơn vị vào chính cấp dưới của nó."))
    if unit.parent_id == new_parent.pk:
        return unit
    before = snapshot(unit)
    old = unit.path
    old_ancestors = unit.parent.lineage_ids() if unit.parent else []
    new = allocate_paths(new_parent, 1)[0]
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    Unit.objects.filter(within("path", old)).update(
        path=Concat(Value(new), Substr(F("path"), len(old) + 1))
    )
    for model in unit_record_models():  # not the audit log: it keeps the path of each change
        model.move_paths(old, new)
    unit.refresh_from_db()
    signals.unit_moved.send(
        Unit, unit=unit, old_ancestors=old_ancestors, new_ancestors=new_parent.lineage_ids()
    )
    record(actor, AuditAction.UPDATE, unit, before=before, verb="move")
    return unit


@transaction.atomic
def unit_merge(*, actor, sources: list[Unit], target: Unit, on: date) -> Unit:
    """Merge `sources` into `target` from date `on` (sáp nhập).

    The sources keep their records and history; they are closed on `on`, point to `target`
    as successor and their active sub-units move under `target`. The apps hear of each closure
    (`signals.unit_closed`): the obligations a source still owes from that date on pass to
    `target` (deadlines.restructure).
    """
    require(actor, Action.ADMINISTER, target)
    for source in sources:
        require(actor, Action.ADMINISTER, source)
        if source.pk == target.pk or target.is_within(source):
            raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó hoặc cấp dưới."))
        if source.valid_to is not None:
            raise ValidationError(
                _("Đơn vị %(name)s đã hết hiệu lực từ trước.") % {"name": source.name}
            )
        for child in list(Unit.objects.filter(parent=source).active(on)):
            unit_move(actor=actor, unit=child, new_parent=target)
        before = snapshot(source)
        source.valid_to = on
        source.successor = target
        source.full_clean()
        source.save(update_fields=["valid_to", "successor"])
        record(actor, AuditAction.UPDATE, source, before=before, verb="merge")
        signals.unit_closed.send(Unit, unit=source, on=on, actor=actor)
    return target


@transaction.atomic
def unit_dissolve(*, actor, unit: Unit, on: date) -> Unit:
    """Close a unit (giải thể); its records stay attributed to it."""
    require(actor, Action.ADMINISTER, unit)
    if unit.valid_to is not None:
        raise ValidationError(_("Đơn vị đã hết hiệu lực từ trước."))
    if Unit.objects.filter(parent=unit).active(on).exists():
        raise ValidationError(
            _("Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể chúng trước.")
        )
    before = snapshot(unit)
    unit.valid_to = on
    unit.full_clean()
    unit.save(update_fields=["valid_to"])
    record(actor, AuditAction.UPDATE, unit, before=before, verb="dissolve")
    signals.unit_closed.send(Unit, unit=unit, on=on, actor=actor)
    return unit


# Accounts ------------------------------------------------------------------------------------

ASSIGNABLE_ROLES = {
    Role.MANAGER: {Role.VIEWER, Role.STAFF, Role.MANAGER, Role.COLLABORATOR},
}


def assignable_roles(actor) -> list[str]:
    if actor.is_superuser or actor.role == Role.ADMINISTRATOR:
        return [r.value for r in Role]
    return [r.value for r in Role if r in ASSIGNABLE_ROLES.get(actor.role, set())]


def _check_role(actor, role: str) -> None:
    if actor is not None and role not in assignable_roles(actor):
        raise PermissionDenied(_("Bạn không thể cấp vai trò này."))


@transaction.atomic
def user_create(
    *,
    actor,
    unit: Unit,
    username: str,
    password: str,
    role: str = Role.VIEWER,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    position: str = "",
) -> User:
    require(actor, Action.MANAGE_USERS, unit)
    _check_role(actor, role)
    user = User(
        username=username.strip(),
        unit=unit,
        role=role,
        first_name=nfc(first_name),
        last_name=nfc(last_name),
        email=email.strip(),
        position=nfc(position),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    record(actor, AuditAction.CREATE, user)
    return user


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> User:
    require(actor, Action.MANAGE_USERS, user.unit)
    _check_role(actor, user.role)
    if "unit" in changes:
        require(actor, Action.MANAGE_USERS, changes["unit"])
    if "role" in changes:
        _check_role(actor, changes["role"])
    before = snapshot(user)
    for field in ("unit", "role", "first_name", "last_name", "email", "position", "phone"):
        if field in changes:
            setattr(user, field, changes[field])
    user.full_clean()
    user.save()
    record(actor, AuditAction.UPDATE, user, before=before)
    return user


@transaction.atomic
def user_set_active(*, actor, user: User, active: bool) -> User:
    require(actor, Action.MANAGE_USERS, user.unit)
    _check_role(actor, user.role)
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    before = snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor, AuditAction.UPDATE, user, before=before, verb="activate" if active else "deactivate"
    )
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """A manager sets a new password for an account of their subtree (one who forgot theirs and
    has no e-mail address); its lock-out after wrong passwords is lifted."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.contrib.auth.password_validation import validate_password

    require(actor, Action.MANAGE_USERS, user.unit)
    _check_role(actor, user.role)
    validate_password(password, user)
    before = snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, AuditAction.UPDATE, user, before=before, verb="set_password")
    AxesProxyHandler.reset_attempts(username=user.get_username())
    return user
