"""The organisation tree and the people who work in it."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from tuyengiao.text.collation import sort_key

# A path is the concatenation of fixed-width steps, one per level of depth, so that a subtree is
# a prefix match on one indexed column and the ancestor at depth d is the path's first d steps.
STEP = 4
STEP_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def encode_step(number: int) -> str:
    digits = []
    for _i in range(STEP):
        number, rest = divmod(number, len(STEP_ALPHABET))
        digits.append(STEP_ALPHABET[rest])
    if number:
        raise ValueError("too many children under one unit")
    return "".join(reversed(digits))


def decode_step(step: str) -> int:
    number = 0
    for char in step:
        number = number * len(STEP_ALPHABET) + STEP_ALPHABET.index(char)
    return number


def path_upper_bound(prefix: str) -> str:
    """The smallest path greater than every path that starts with `prefix`."""
    chars = list(prefix)
    while chars:
        position = STEP_ALPHABET.index(chars[-1])
        if position + 1 < len(STEP_ALPHABET):
            chars[-1] = STEP_ALPHABET[position + 1]
            return "".join(chars)
        chars.pop()
    return "~"  # only reached for a prefix of all 'Z's, which allocation never makes


def within(field: str, prefix: str) -> models.Q:
    """Rows whose `field` path lies in the subtree at `prefix`.

    A range rather than LIKE 'prefix%': a plain b-tree index serves it on every database
    and collation (the path alphabet sorts the same in all of them).
    """
    if not prefix:
        return models.Q()
    return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": path_upper_bound(prefix)})


class Level(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    CELL = "cell", _("Chi bộ")


class Kind(models.TextChoices):
    COMMITTEE = "committee", _("Cấp ủy")
    CELL = "cell", _("Chi bộ")
    AGENCY = "agency", _("Cơ quan, ban")


class UnitQuerySet(models.QuerySet):
    def subtree(self, unit: "Unit") -> "UnitQuerySet":
        """The unit and every unit below it."""
        return self.filter(within("path", unit.path))

    def active(self, on=None) -> "UnitQuerySet":
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=on))


class Unit(models.Model):
    """A node of the organisation tree (Tỉnh ủy, Đảng ủy xã, chi bộ, Ban Tuyên giáo, ...)."""

    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=32, blank=True)
    code = models.CharField(
        _("mã"),
        max_length=32,
        blank=True,
        help_text=_("Mã đơn vị hành chính chính thức (2 chữ số cho tỉnh, 5 chữ số cho xã)."),
    )
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.COMMITTEE)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=255, unique=True, editable=False)
    search_key = models.CharField(max_length=255, db_index=True, editable=False)
    # Vietnamese alphabetical order (text/collation.py): lists of units order by it.
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hết hiệu lực từ"),
        null=True,
        blank=True,
        help_text=_("Ngày đơn vị sáp nhập hoặc giải thể; bỏ trống nếu đang hoạt động."),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    second_factor_required = models.BooleanField(
        _("bắt buộc xác thực hai bước"),
        default=False,
        help_text=_(
            "Lãnh đạo, quản lý và quản trị của đơn vị này và mọi đơn vị cấp dưới phải dùng mã "
            "xác thực hai bước khi đăng nhập."
        ),
    )

    objects = UnitQuerySet.as_manager()

    # For the scope policy: the column holding the materialised path of the owning unit.
    scope_path = "path"

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="unit_code_unique",
                violation_error_code="unique",
                violation_error_message=_("Đã có đơn vị mang mã này."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_dates",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return len(self.path) // STEP

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.valid_to is None or self.valid_to > timezone.localdate()

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(STEP, len(self.path), STEP)]

    def ancestors(self) -> list["Unit"]:
        """Ancestors from the root down, in one query."""
        return list(Unit.objects.filter(path__in=self.ancestor_paths()).order_by("path"))

    def lineage_ids(self) -> list[int]:
        """The ids of the unit and its ancestors, in one query."""
        paths = [*self.ancestor_paths(), self.path]
        return list(Unit.objects.filter(path__in=paths).values_list("pk", flat=True))

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)


class UnitRecord(models.Model):
    """A record that belongs to a unit and keeps a copy of the unit's path.

    The copy lets scope filters and roll-ups work without a join. Each model declares its own
    foreign key to the unit (their names, related names and deletion rules differ) and names it
    in `unit_field`. `fill_path()` is the one way to set the copy, before a save or a
    bulk_create; `move_paths()` the one way to rewrite it when a subtree moves
    (`org.services.unit_move` calls it on every subclass). Not the audit log: an entry keeps
    the path its change was made under.
    """

    unit_path = models.CharField(max_length=255, editable=False)

    unit_field = "unit"
    scope_path = "unit_path"

    class Meta:
        abstract = True

    def fill_path(self):
        """Copy the unit's path into `unit_path`; returns the record, for use in expressions."""
        self.unit_path = getattr(self, self.unit_field).path
        return self

    @classmethod
    def move_paths(cls, old: str, new: str) -> int:
        """Rewrite the copies of the subtree at `old` to lie at `new` (a moved subtree)."""
        return cls._default_manager.filter(within("unit_path", old)).update(
            unit_path=Concat(Value(new), Substr(F("unit_path"), len(old) + 1))
        )


def unit_record_models() -> list[type[UnitRecord]]:
    """Every installed model that belongs to a unit and keeps a copy of its path."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, UnitRecord)]


class Role(models.TextChoices):
    VIEWER = "viewer", _("Xem")
    STAFF = "staff", _("Chuyên viên")
    MANAGER = "manager", _("Lãnh đạo, quản lý")
    ADMINISTRATOR = "administrator", _("Quản trị")
    COLLABORATOR = "collaborator", _("Cộng tác viên")


class User(AbstractUser):
    """A staff account, attached to one unit; its scope is that unit's subtree."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    # Vietnamese order of people: by the given name (`last_name`), then the family and middle
    # names, then the user name (text/collation.py); set by save().
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.sort_key = person_sort_key(self.first_name, self.last_name, self.username)
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name", "username"} & set(fields):
            kwargs["update_fields"] = {*fields, "sort_key"}
        super().save(*args, **kwargs)


def person_sort_key(first_name: str, last_name: str, username: str) -> str:
    """A person's place in Vietnamese order: "Nguyễn Văn" "An" sorts as "An Nguyễn Văn"."""
    return sort_key(f"{last_name} {first_name} {username}")
