"""Periodic figures: indicators, report forms (data sets), reports, values and their roll-up.

Numbers are stored as whole multiples of 1/SCALE in 64-bit integers, so that sums are exact on
every database (SQLite would otherwise sum decimals as floating point).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import Kind, Level, UnitRecord
from tuyengiao.periods import KINDS

from .rules import CODE  # one definition of an indicator code, shared with the rules

SCALE = 10_000
DECIMALS = 4  # the finest decimal a value may carry (1/SCALE)


def to_stored(value: Decimal) -> int:
    return int(value * SCALE)


def from_stored(stored: int | None) -> Decimal | None:
    return None if stored is None else Decimal(stored) / SCALE


class ValueType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ (%)")
    TEXT = "text", _("Văn bản")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn")
    AVERAGE = "average", _("Trung bình")
    LAST = "last", _("Giá trị cuối kỳ")


# The kinds' names of periods.py (KIND_LABELS, tests/core/test_period_names.py), through
# gettext for the English interface.
_KIND_NAMES = {"year": _("Năm"), "half": _("6 tháng"), "quarter": _("Quý"), "month": _("Tháng")}
PeriodKind = models.TextChoices("PeriodKind", [(k, (k, _KIND_NAMES[k])) for k in KINDS[::-1]])


def validate_code(code: str) -> None:
    if not CODE.fullmatch(code or ""):
        raise ValidationError(
            _("Mã chỉ tiêu gồm chữ in hoa không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ."),
            code="invalid",
        )


class Indicator(models.Model):
    """What is counted (chỉ tiêu): a value entered by units, or derived from two others."""

    code = models.CharField(_("mã"), max_length=32, unique=True, validators=[validate_code])
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    measure = models.CharField(_("đơn vị tính"), max_length=32, blank=True)
    value_type = models.CharField(
        _("kiểu giá trị"), max_length=16, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    planned = models.OneToOneField(
        "self",
        verbose_name=_("chỉ tiêu kế hoạch tương ứng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actual",
        help_text=_("Với chỉ tiêu thực hiện: chỉ tiêu kế hoạch để so sánh (52/50, đạt 104%)."),
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("tử số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("mẫu số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    factor = models.DecimalField(_("hệ số"), max_digits=12, decimal_places=4, default=100)
    description = models.TextField(_("giải thích"), blank=True)
    # Record-backed: counted from the records a source names (figures/sources.py), never typed.
    source = models.CharField(_("đếm từ hồ sơ"), max_length=48, blank=True, default="")

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=~models.Q(source=""), name="indicator_source_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_derived(self) -> bool:
        return self.numerator_id is not None

    @property
    def is_numeric(self) -> bool:
        return self.value_type != ValueType.TEXT

    @property
    def is_counted(self) -> bool:
        """Record-backed: its values are counted from records, never entered."""
        return bool(self.source)

    def clean(self) -> None:
        if (self.numerator_id is None) != (self.denominator_id is None):
            raise ValidationError(_("Chỉ tiêu tính toán cần cả tử số và mẫu số."))
        if self.is_derived and self.value_type == ValueType.TEXT:
            raise ValidationError(_("Chỉ tiêu tính toán phải là số."))
        if self.pk and self.pk in (self.numerator_id, self.denominator_id, self.planned_id):
            raise ValidationError(_("Chỉ tiêu không thể tham chiếu chính nó."))
        if self.source:
            from .sources import get

            if get(self.source) is None:
                raise ValidationError({"source": _("Không có nguồn hồ sơ này.")})
            if self.is_derived or self.value_type != ValueType.INTEGER:
                raise ValidationError(
                    _("Chỉ tiêu đếm từ hồ sơ là số nguyên, không tính từ chỉ tiêu khác.")
                )
            if self.aggregation != Aggregation.SUM:
                raise ValidationError(_("Chỉ tiêu đếm từ hồ sơ được tổng hợp bằng cách cộng dồn."))


class DataSet(models.Model):
    """A report form (biểu mẫu báo cáo): indicators reported together, per period kind."""

    code = models.CharField(_("mã biểu"), max_length=32, unique=True)
    name = models.CharField(_("tên biểu mẫu"), max_length=255)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=PeriodKind.choices)
    levels = models.JSONField(_("cấp báo cáo"), default=list, blank=True)
    kinds = models.JSONField(_("loại đơn vị báo cáo"), default=list, blank=True)
    first_period = models.CharField(_("từ kỳ"), max_length=7)
    due_days = models.PositiveSmallIntegerField(_("hạn nộp (số ngày sau khi hết kỳ)"), default=5)
    lock_days = models.PositiveSmallIntegerField(
        _("khoá số liệu (số ngày sau khi hết kỳ)"), default=30
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    indicators = models.ManyToManyField(
        Indicator, through="DataSetIndicator", related_name="data_sets", verbose_name=_("chỉ tiêu")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lock_days__gte=models.F("due_days")),
                name="dataset_lock_after_due",
                violation_error_message=_("Ngày khoá số liệu không thể trước hạn nộp."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        bad_levels = set(self.levels) - set(Level.values)
        bad_kinds = set(self.kinds) - set(Kind.values)
        if bad_levels or bad_kinds or not self.levels:
            raise ValidationError({"levels": _("Hãy chọn ít nhất một cấp báo cáo hợp lệ.")})
        from tuyengiao.periods import Period

        try:
            first = Period.parse(self.first_period)
        except ValueError as exc:
            raise ValidationError({"first_period": str(exc)}) from None
        if first.kind != self.period_kind:
            raise ValidationError(
                {"first_period": _("Kỳ bắt đầu phải cùng loại với kỳ báo cáo của biểu.")}
            )
        self.first_period = first.id


class DataSetIndicator(models.Model):
    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rows")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    section = models.CharField(_("mục"), max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["data_set", "indicator"], name="dataset_indicator_once")
        ]

    def __str__(self) -> str:
        return f"{self.data_set_id}:{self.indicator_id}"


class Operator(models.TextChoices):
    EQ = "==", "="
    NE = "!=", "≠"
    LT = "<", "<"
    LE = "<=", "≤"
    GT = ">", ">"
    GE = ">=", "≥"
    BOTH_OR_NEITHER = "both", _("cùng có hoặc cùng trống")


class MissingValues(models.TextChoices):
    SKIP_IF_ANY = "skip_if_any", _("Bỏ qua nếu thiếu bất kỳ giá trị nào")
    SKIP_IF_ALL = "skip_if_all", _("Bỏ qua nếu thiếu tất cả; thiếu coi là 0")
    NEVER_SKIP = "never_skip", _("Luôn kiểm tra; thiếu coi là 0")


class ValidationRule(models.Model):
    """Compare two expressions over a form's indicators, e.g. HV_DANGKY <= HV_CHITIEU * 1.5."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=8, choices=Operator.choices)
    right = models.CharField(_("vế phải"), max_length=500)
    missing = models.CharField(
        _("khi thiếu số liệu"),
        max_length=16,
        choices=MissingValues.choices,
        default=MissingValues.SKIP_IF_ANY,
    )
    message = models.CharField(_("thông báo khi vi phạm"), max_length=500)

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.left} {self.get_operator_display()} {self.right}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")


class Report(UnitRecord):
    """One unit's report for one form and one period; its obligation carries the deadline."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="reports")
    period = models.CharField(_("kỳ"), max_length=7)
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    # Optimistic concurrency: a save names the version it started from.
    version = models.PositiveIntegerField(default=0)
    obligation = models.OneToOneField(
        "deadlines.Obligation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(null=True, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unlocked = models.BooleanField(
        default=False, help_text="Mở khoá sau hạn khoá: được sửa dù đã quá ngày khoá."
    )
    # The last return for correction by the unit above: shown to the unit until it sends again.
    returned_at = models.DateTimeField(_("ngày trả lại"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True, default="")

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["period", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "unit", "period"], name="report_once_per_period"
            )
        ]
        indexes = [models.Index(fields=["data_set", "period", "unit_path"])]

    def __str__(self) -> str:
        from tuyengiao.periods import Period

        return f"{self.data_set.code} – {self.unit} – {Period.parse(self.period).label}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("figures:report", args=[self.pk])

    def audit_extra(self) -> dict:
        """The figures a save changed (or an unlock's reason), set by the service."""
        return getattr(self, "audit_values", {})


class Value(models.Model):
    """One figure of one unit for one indicator and period (entered once, shared by forms)."""

    # db_index=False: the unique constraint below leads with the unit and serves its lookups
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    number = models.BigIntegerField(null=True, blank=True)  # value × SCALE
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period"], name="value_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.unit_id}/{self.period}"


class Rollup(models.Model):
    """The aggregate of a unit's subtree for one indicator over one period (any length).

    Kept exact in the same transaction as every write: `total` and `count` sum the subtree's
    values in the period, `last_total` sums, over the units that report, each one's latest
    value within the period (for indicators aggregated as "last value").
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    total = models.BigIntegerField(default=0)
    count = models.IntegerField(default=0)
    last_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period"], name="rollup_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}@{self.unit_id}/{self.period}"
