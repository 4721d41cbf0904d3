"""The bodies a unit forwards public concerns to (UBND xã, Công an xã, Mặt trận, the province's
departments, …): their services (add, rename, deactivate, the default list; audited) and the
reads that list them (scoped: one's subtree to manage; the concern's unit and its ancestors to
forward to)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, record_many, snapshot
from tuyengiao.org.models import Level, Unit, within
from tuyengiao.org.scope import Action, can, restrict
from tuyengiao.org.services import require
from tuyengiao.text.normalize import nfc

from .models import ResponsibleBody
from .services import check_private

# What a new unit's list starts from, by level ("decide": offered on the page, not imposed).
DEFAULTS: dict[str, tuple[str, ...]] = {
    Level.COMMUNE: (
        "UBND xã",
        "Công an xã",
        "Ủy ban Mặt trận Tổ quốc Việt Nam xã",
        "Hội Nông dân xã",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh xã",
        "Hội Liên hiệp Phụ nữ xã",
        "Hội Cựu chiến binh xã",
        "Trạm Y tế xã",
    ),
    Level.PROVINCE: (
        "UBND tỉnh",
        "Công an tỉnh",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Sở Nông nghiệp và Môi trường",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Xây dựng",
        "Sở Nội vụ",
        "Sở Tài chính",
        "Sở Công Thương",
        "Sở Văn hoá, Thể thao và Du lịch",
        "Sở Khoa học và Công nghệ",
    ),
}


def managed_bodies(user, unit: Unit) -> QuerySet:
    """The list of `unit` (which the caller found in the user's scope), inactive ones last."""
    bodies = restrict(ResponsibleBody.objects.filter(unit=unit), user, Action.VIEW)
    return bodies.order_by("-active", "sort_key", "name", "id")


def forward_bodies(unit: Unit) -> QuerySet:
    """The active bodies a concern of `unit` may be forwarded to: its own and its ancestors'."""
    paths = [*unit.ancestor_paths(), unit.path]
    return (
        ResponsibleBody.objects.filter(unit__path__in=paths, active=True)
        .select_related("unit")
        .order_by("-unit_path", "sort_key", "name", "id")
    )


def bodies_for_unit(unit: Unit) -> QuerySet:
    """What the office of `unit` works with: its own list, inactive bodies included, and the
    active bodies of the units above it (which its concerns may be forwarded to too); its own
    first, then from the nearest unit up, names in Vietnamese order."""
    own = Q(unit=unit)
    above = Q(unit__path__in=unit.ancestor_paths(), active=True)
    return (
        ResponsibleBody.objects.filter(own | above)
        .select_related("unit")
        .order_by("-unit_path", "-active", "sort_key", "name", "id")
    )


def readable_bodies(user) -> QuerySet:
    """The bodies a user may read: those of their subtree, and the active ones of the units
    above their own (offered when forwarding)."""
    mine = restrict(ResponsibleBody.objects.all(), user, Action.VIEW)
    if not can(user, Action.VIEW) or user.unit_id is None:
        return mine.select_related("unit")
    above = ResponsibleBody.objects.filter(unit__path__in=user.unit.ancestor_paths(), active=True)
    return (mine | above).select_related("unit")


def body_for(user, pk: int, action: Action = Action.VIEW) -> ResponsibleBody:
    from tuyengiao.org.scope import get_for_user

    return get_for_user(ResponsibleBody.objects.select_related("unit"), user, action, pk=pk)


def _name(name: str) -> str:
    name = " ".join(nfc(name or "").split())
    if not name:
        raise ValidationError({"name": _("Hãy nhập tên cơ quan.")})
    if len(name) > 200:
        raise ValidationError({"name": _("Tên cơ quan dài quá 200 ký tự.")})
    check_private(name=name)  # collaborators read it, told where their report went
    return name


def _taken(unit: Unit, name: str, exclude: int | None = None) -> bool:
    """Whether the unit's list has the name already, whatever the case (compared in Python:
    SQLite folds the case of ASCII letters only, "XÃ" is not "xã" to it)."""
    names = ResponsibleBody.objects.filter(unit=unit).exclude(pk=exclude)
    wanted = name.casefold()
    return any(n.casefold() == wanted for n in names.values_list("name", flat=True))


@transaction.atomic
def body_add(*, actor, unit: Unit, name: str) -> ResponsibleBody:
    require(actor, Action.MANAGE_BODIES, unit)
    name = _name(name)
    if _taken(unit, name):
        raise ValidationError({"name": _("Đơn vị đã có cơ quan tên này.")})
    body = ResponsibleBody(unit=unit, name=name).fill_path().fill_sort_key()
    try:
        with transaction.atomic():
            body.save()
    except IntegrityError:  # added at the same moment by someone else
        raise ValidationError({"name": _("Đơn vị đã có cơ quan tên này.")}) from None
    record(actor, AuditAction.CREATE, body, verb="add")
    return body


@transaction.atomic
def body_update(*, actor, body: ResponsibleBody, name: str, active: bool) -> ResponsibleBody:
    """Rename or (de)activate: a deactivated body is no longer offered; what was forwarded to it
    keeps its name."""
    body = ResponsibleBody.objects.select_for_update().select_related("unit").get(pk=body.pk)
    require(actor, Action.MANAGE_BODIES, body.unit)
    name = _name(name)
    if _taken(body.unit, name, exclude=body.pk):
        raise ValidationError({"name": _("Đơn vị đã có cơ quan tên này.")})
    if name == body.name and active == body.active:
        return body
    before = snapshot(body)
    body.name, body.active = name, active
    body.save()
    record(actor, AuditAction.UPDATE, body, before=before, verb="update")
    return body


@transaction.atomic
def bodies_add_defaults(*, actor, unit: Unit) -> list[ResponsibleBody]:
    """Add the default list of the unit's level, but the names it already has."""
    require(actor, Action.MANAGE_BODIES, unit)
    have = {
        n.casefold()
        for n in ResponsibleBody.objects.filter(unit=unit).values_list("name", flat=True)
    }
    new = [
        ResponsibleBody(unit=unit, name=name).fill_path().fill_sort_key()
        for name in DEFAULTS.get(unit.level, ())
        if name.casefold() not in have
    ]
    ResponsibleBody.objects.bulk_create(new)
    new = list(ResponsibleBody.objects.filter(unit=unit, name__in=[b.name for b in new]))
    if new:
        record_many(actor, AuditAction.CREATE, new, verb="defaults")
    return new


def bodies_of_subtree(user, prefix: str) -> QuerySet:
    return restrict(ResponsibleBody.objects.filter(within("unit_path", prefix)), user, Action.VIEW)
