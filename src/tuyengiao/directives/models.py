"""Party documents and their cascade down the tree: sends, receivers, implementation steps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import UnitRecord


class StepKind(models.TextChoices):
    PLAN = "plan", _("Ban hành kế hoạch")
    STUDY = "study", _("Học tập, quán triệt")
    OUTREACH = "outreach", _("Tuyên truyền đến Nhân dân")
    INTERIM_REVIEW = "interim_review", _("Sơ kết")
    FINAL_REVIEW = "final_review", _("Tổng kết")
    REPORT = "report", _("Báo cáo kết quả")


class Directive(UnitRecord):
    """A Party document that lower units must act on (e.g. 01-KL/TW)."""

    symbol = models.CharField(_("số và ký hiệu"), max_length=64)
    number = models.CharField(_("số"), max_length=16)
    number_key = models.CharField(max_length=16, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=8)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=16)
    term = models.CharField(_("nhiệm kỳ"), max_length=16)
    # Where the symbol must be unique: "" for central issuers (the whole country), else the path
    # of the province (issuers ending in TU) or of the registering unit (ĐU, ĐUK, ...), so two
    # communes may each have their own 05-NQ/ĐU.
    symbol_scope = models.CharField(max_length=255, editable=False, default="")
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="directives/%Y/", blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị vào sổ"),
        on_delete=models.PROTECT,
        related_name="registered_directives",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "number_key", "term", "symbol_scope"],
                name="directive_symbol_unique_in_term",
                violation_error_message=_("Văn bản này đã được vào sổ."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.symbol} — {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("directives:detail", args=[self.pk])

    @property
    def download_name(self) -> str:
        """What the attachment is saved as: the symbol and the title ("01-KL-TW Về …pdf")."""
        return f"{self.symbol} {self.title}"


class Dispatch(UnitRecord):
    """One sending of a document by a unit to units of its subtree, with its step plan."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="dispatches")
    sender = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_field = "sender"
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sent_on = models.DateField(_("ngày gửi"))
    plan = models.JSONField(_("các bước và thời hạn"), default=list)
    note = models.TextField(_("ghi chú"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lượt gửi văn bản")
        verbose_name_plural = _("lượt gửi văn bản")

    def __str__(self) -> str:
        return f"{self.directive.symbol} → {self.sender}"

    def audit_extra(self) -> dict:
        receivers = getattr(self, "receiver_ids", None)
        return {"receivers": receivers} if receivers is not None else {}


class Assignment(UnitRecord):
    """A unit that has received a document and owes its steps."""

    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="assignments")
    dispatch = models.ForeignKey(Dispatch, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="assignments")
    received_on = models.DateField(_("ngày nhận"))

    class Meta:
        verbose_name = _("đơn vị nhận văn bản")
        verbose_name_plural = _("đơn vị nhận văn bản")
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="assignment_once_per_unit")
        ]
        indexes = [models.Index(fields=["directive", "unit_path"])]

    def __str__(self) -> str:
        return f"{self.directive.symbol} @ {self.unit}"


class Step(UnitRecord):
    """One implementation step of one receiver, with its evidence once recorded."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="steps")
    directive = models.ForeignKey(Directive, on_delete=models.PROTECT, related_name="steps")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("bước"), max_length=16, choices=StepKind.choices)
    obligation = models.OneToOneField(
        "deadlines.Obligation", on_delete=models.PROTECT, related_name="directive_step"
    )
    # Copies of the obligation's dates, written by the same services in the same transaction,
    # so that the matrix groups steps by state without a join over thousands of obligations.
    due_on = models.DateField(_("hạn"))
    done_on = models.DateField(_("ngày thực hiện"), null=True, blank=True)
    # Evidence, by step: the unit's own plan; the study conference; outreach; reviews.
    own_symbol = models.CharField(_("số, ký hiệu văn bản của đơn vị"), max_length=64, blank=True)
    own_issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    attendees_cadres = models.PositiveIntegerField(_("cán bộ dự"), null=True, blank=True)
    attendees_members = models.PositiveIntegerField(_("đảng viên dự"), null=True, blank=True)
    expected = models.PositiveIntegerField(_("số người phải dự"), null=True, blank=True)
    channels = models.CharField(_("hình thức tuyên truyền"), max_length=255, blank=True)
    audience = models.PositiveIntegerField(_("số người được tuyên truyền"), null=True, blank=True)
    report_text = models.TextField(_("nội dung báo cáo"), blank=True)
    report_file = models.FileField(_("tệp báo cáo"), upload_to="directive-steps/%Y/", blank=True)

    class Meta:
        verbose_name = _("bước triển khai")
        verbose_name_plural = _("bước triển khai")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind"], name="step_once_per_kind")
        ]
        indexes = [models.Index(fields=["directive", "unit_path", "kind"])]

    def __str__(self) -> str:
        return f"{StepKind(self.kind).label} — {self.unit_id}"

    @property
    def download_name(self) -> str:
        """What the report file is saved as: the document, the step and the unit."""
        return f"{self.directive.symbol} {self.get_kind_display()} {self.unit.name}"

    @property
    def attendees(self) -> int | None:
        if self.attendees_cadres is None and self.attendees_members is None:
            return None
        return (self.attendees_cadres or 0) + (self.attendees_members or 0)
