"""Political-theory classes (lớp bồi dưỡng lý luận chính trị) against the centres' plans.

Since 2025 the classes are run by the commune political centres (trung tâm chính trị xã,
phường, đặc khu; Quy định 360-QĐ/TW), one centre serving one or several communes, and by the
province's political school. A `PoliticalCentre` belongs to the unit that runs it (a commune, or
the province for its school) and lists the communes it serves. A `TrainingPlan` is a centre's
annual plan for one `Programme` (classes and learners); a `TrainingClass` is one class, with the
communes its learners come from and counts of learners only — never their names. Plans and
classes belong to the centre's unit (`unit` is always `centre.unit`), so scope and counts up the
tree are a range over `unit_path`. Every write is in services.py; every read in queries.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import UnitRecord

DEFAULT_MIN_LEARNERS = 25


class Programme(models.Model):
    """A training programme (sơ cấp lý luận chính trị, bồi dưỡng đảng viên mới, …): a list the
    administrators keep in the Django admin."""

    code = models.SlugField(_("mã"), max_length=48, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=200)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    min_learners = models.PositiveIntegerField(
        _("số học viên tối thiểu của một lớp"),
        default=DEFAULT_MIN_LEARNERS,
        help_text=_("Lớp ít học viên hơn số này chỉ được lưu khi người nhập xác nhận."),
    )

    class Meta:
        verbose_name = _("chương trình bồi dưỡng")
        verbose_name_plural = _("chương trình bồi dưỡng")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class CentreKind(models.TextChoices):
    COMMUNE_CENTRE = "commune_centre", _("Trung tâm chính trị xã, phường, đặc khu")
    PROVINCE_SCHOOL = "province_school", _("Trường chính trị tỉnh")


class PoliticalCentre(UnitRecord):
    """A commune political centre or the province's political school."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="political_centres",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=CentreKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    served = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("xã, phường, đặc khu phục vụ"),
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trung tâm chính trị")
        verbose_name_plural = _("trung tâm chính trị")
        ordering = ["unit_path", "sort_key", "id"]
        indexes = [models.Index(fields=["unit_path"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("training:centre", args=[self.pk])


class TrainingPlan(UnitRecord):
    """A centre's plan for one programme and year: classes and learners planned."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        PoliticalCentre,
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    classes_planned = models.PositiveIntegerField(_("số lớp kế hoạch"), default=0)
    learners_planned = models.PositiveIntegerField(_("số học viên kế hoạch"), default=0)

    class Meta:
        verbose_name = _("kế hoạch mở lớp")
        verbose_name_plural = _("kế hoạch mở lớp")
        ordering = ["-year", "centre_id", "programme__position"]
        indexes = [models.Index(fields=["unit_path", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "programme", "year"],
                name="training_plan_once",
                violation_error_message=_(
                    "Trung tâm đã có kế hoạch cho chương trình này trong năm."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} — {self.programme} — {self.year}"


class TrainingClass(UnitRecord):
    """One class: counts of learners only, never their names."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        PoliticalCentre,
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("chương trình"),
        on_delete=models.PROTECT,
        related_name="classes",
    )
    title = models.CharField(_("tên lớp"), max_length=200, blank=True)
    communes = models.ManyToManyField(
        "org.Unit", verbose_name=_("học viên đến từ"), related_name="+"
    )
    opened_on = models.DateField(_("ngày khai giảng"))
    closed_on = models.DateField(_("ngày bế giảng"), null=True, blank=True)
    enrolled = models.PositiveIntegerField(_("số học viên nhập học"))
    completed = models.PositiveIntegerField(_("số học viên hoàn thành"), null=True, blank=True)
    small_confirmed = models.BooleanField(
        _("đã xác nhận lớp dưới số học viên tối thiểu"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lớp bồi dưỡng lý luận chính trị")
        verbose_name_plural = _("lớp bồi dưỡng lý luận chính trị")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "opened_on"]),
            models.Index(fields=["unit_path", "closed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="training_class_closes_after_opening",
                violation_error_message=_("Ngày bế giảng không thể trước ngày khai giảng."),
            ),
            models.CheckConstraint(
                condition=models.Q(completed__isnull=True)
                | models.Q(completed__lte=models.F("enrolled")),
                name="training_class_completed_le_enrolled",
                violation_error_message=_(
                    "Số học viên hoàn thành không thể nhiều hơn số nhập học."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.programme} ({self.opened_on:%d/%m/%Y})"

    @property
    def running(self) -> bool:
        return self.closed_on is None
