"""The periodic narrative report of a unit (báo cáo bằng văn bản): drafted from the data,
rewritten by its authors in versions, sent to the level above as an obligation.

A report is one unit's for one period (`periods.Period` ids: "2026-11", "2026Q3", "2026S1",
"2026"). Nine months ("9 tháng") is not a period of `periods.py` and is not scheduled here: an
office writes it as the third quarter's report (the draft counts the quarter; see
docs/narratives.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import UnitRecord
from tuyengiao.periods import KIND_LABELS, KINDS, Period


class NarrativeState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đã gửi cấp trên")


PERIOD_KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]


class NarrativeSchedule(models.Model):
    """Which committees write the narrative report for which periods, and by when (so many
    days after the period ends). Edited in the admin; `schedule_narratives` reads it."""

    period_kind = models.CharField(_("kỳ báo cáo"), max_length=8, choices=PERIOD_KIND_CHOICES)
    levels = models.JSONField(_("cấp báo cáo"), default=list, blank=True)
    due_days = models.PositiveSmallIntegerField(_("hạn gửi (số ngày sau khi hết kỳ)"), default=5)
    first_period = models.CharField(_("từ kỳ"), max_length=7)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("lịch báo cáo bằng văn bản")
        verbose_name_plural = _("lịch báo cáo bằng văn bản")
        ordering = ["period_kind", "id"]

    def __str__(self) -> str:
        return f"{KIND_LABELS.get(self.period_kind, self.period_kind)} ({', '.join(self.levels)})"


class NarrativeReport(UnitRecord):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="narratives"
    )
    period = models.CharField(_("kỳ"), max_length=7)
    state = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=NarrativeState.choices,
        default=NarrativeState.DRAFT,
    )
    number = models.CharField(_("số báo cáo"), max_length=32, blank=True)
    obligation = models.OneToOneField(
        "deadlines.Obligation",
        verbose_name=_("việc phải làm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="narrative",
    )
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo bằng văn bản")
        verbose_name_plural = _("báo cáo bằng văn bản")
        ordering = ["-period", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="narrative_one_per_period")
        ]
        indexes = [models.Index(fields=["unit_path", "period"])]

    def __str__(self) -> str:
        return f"{self.unit.name} – {self.period_obj.label}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_sent(self) -> bool:
        return self.state == NarrativeState.SENT

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("narratives:detail", args=[self.pk])


class NarrativeVersion(models.Model):
    """One saved text of a report: its sections (see `drafting.Section`), numbered from 1."""

    report = models.ForeignKey(NarrativeReport, on_delete=models.CASCADE, related_name="versions")
    n = models.PositiveIntegerField(_("phiên bản"))
    sections = models.JSONField(_("nội dung"), default=list)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản báo cáo bằng văn bản")
        verbose_name_plural = _("phiên bản báo cáo bằng văn bản")
        ordering = ["report", "-n"]
        constraints = [
            models.UniqueConstraint(fields=["report", "n"], name="narrative_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.n}"
