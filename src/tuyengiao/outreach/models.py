"""Outreach: the speakers' network (báo cáo viên, tuyên truyền viên; Quy chế 973-QĐ/BTGTW,
2021) and their sessions, and exemplary models (mô hình, gương điển hình) with where they were
replicated.

A `Speaker` belongs to a unit, is recognised by a decision registered as a document
(directives), serves for a term and is assigned party cells or localities of the unit's
subtree. A `OutreachSession` belongs to the unit of its audience (counts by unit and period are
a range over `unit_path` and `held_on`). An `Exemplar` belongs to its unit and is tagged
with a field of work (`oversight.WorkArea`); a `Replication` belongs to the unit that copied it.
Only officials' names and positions are stored. Every write is in services.py; every read in
queries.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import Level, UnitRecord


class SpeakerKind(models.TextChoices):
    REPORTER = "reporter", _("Báo cáo viên")
    PROPAGANDIST = "propagandist", _("Tuyên truyền viên")


class OutreachLevel(models.TextChoices):
    """The level of a speaker, or of a model's recognition (central, province, commune)."""

    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh")
    COMMUNE = "commune", _("Xã")


def level_of(unit_level: str) -> str:
    """The outreach level of a unit's level: a cell's and a district's speakers are communes'."""
    if unit_level == Level.CENTRAL:
        return OutreachLevel.CENTRAL
    if unit_level == Level.PROVINCE:
        return OutreachLevel.PROVINCE
    return OutreachLevel.COMMUNE


class Speaker(UnitRecord):
    """A speaker of the network: name and position only, nothing else personal."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="speakers"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=16, choices=SpeakerKind.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=OutreachLevel.choices)
    term = models.CharField(_("nhiệm kỳ"), max_length=9)
    decision = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("quyết định công nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    assigned_units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("địa bàn, chi bộ phụ trách"),
        blank=True,
        related_name="+",
    )
    conferences = models.ManyToManyField(
        "oversight.Conference",
        verbose_name=_("hội nghị báo cáo viên đã dự"),
        blank=True,
        related_name="speakers_present",
    )
    search_key = models.CharField(max_length=400, blank=True, editable=False)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo viên, tuyên truyền viên")
        verbose_name_plural = _("báo cáo viên, tuyên truyền viên")
        ordering = ["unit_path", "sort_key", "id"]
        indexes = [
            models.Index(fields=["unit_path", "ends_on"]),
            models.Index(fields=["ends_on"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("outreach:speaker", args=[self.pk])

    def serves_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")


class OutreachSession(UnitRecord):
    """One session a speaker gave; it belongs to the unit of its audience."""

    speaker = models.ForeignKey(
        Speaker, verbose_name=_("báo cáo viên"), on_delete=models.PROTECT, related_name="sessions"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nghe"),
        on_delete=models.PROTECT,
        related_name="outreach_sessions",
    )
    held_on = models.DateField(_("ngày"))
    topic = models.CharField(_("chủ đề"), max_length=300)
    document = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("văn bản được giới thiệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mode = models.CharField(
        _("hình thức"), max_length=16, choices=SessionMode.choices, default=SessionMode.IN_PERSON
    )
    audience = models.PositiveIntegerField(_("số người nghe"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("buổi nói chuyện, thông tin thời sự")
        verbose_name_plural = _("buổi nói chuyện, thông tin thời sự")
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "held_on"]),
            models.Index(fields=["speaker", "held_on"]),
        ]

    def __str__(self) -> str:
        return self.topic


class Exemplar(UnitRecord):
    """A model or an example (mô hình, gương điển hình) recognised by a decision."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="exemplars",
    )
    name = models.CharField(_("tên mô hình, điển hình"), max_length=300)
    area = models.ForeignKey(
        "oversight.WorkArea",
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        related_name="exemplars",
    )
    description = models.TextField(_("mô tả"), blank=True)
    decision = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("quyết định công nhận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("cấp công nhận"), max_length=16, choices=OutreachLevel.choices)
    recognised_on = models.DateField(_("ngày công nhận"))
    search_key = models.CharField(max_length=1200, blank=True, editable=False)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mô hình, gương điển hình")
        verbose_name_plural = _("mô hình, gương điển hình")
        ordering = ["-recognised_on", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "recognised_on"]),
            models.Index(fields=["area", "unit_path"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outreach:model", args=[self.pk])


def photo_path(instance, filename: str) -> str:
    return f"outreach/{instance.model.recognised_on:%Y}/{instance.model_id}-{filename}"


class ModelPhoto(models.Model):
    """A photo of a model, re-encoded without its metadata."""

    model = models.ForeignKey(
        Exemplar, verbose_name=_("mô hình"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("ảnh"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    scope_path = "model__unit_path"

    class Meta:
        verbose_name = _("ảnh mô hình")
        verbose_name_plural = _("ảnh mô hình")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name

    @property
    def download_name(self) -> str:
        return f"mo-hinh-{self.model_id}-anh-{self.pk}"


class Replication(UnitRecord):
    """Where and when a model was replicated (nhân rộng)."""

    model = models.ForeignKey(
        Exemplar,
        verbose_name=_("mô hình"),
        on_delete=models.CASCADE,
        related_name="replications",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị nhân rộng"),
        on_delete=models.PROTECT,
        related_name="replications",
    )
    replicated_on = models.DateField(_("ngày nhân rộng"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nơi nhân rộng")
        verbose_name_plural = _("nơi nhân rộng")
        ordering = ["-replicated_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "replicated_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "unit"],
                name="replication_once_per_unit",
                violation_error_message=_("Mô hình đã được ghi nhận nhân rộng tại đơn vị này."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} — {self.unit}"
