"""Oversight: annual plans, inspections and working sessions, conclusions, recommendations
followed to the end, and conferences (Quy định 296-QĐ/TW, Quyết định 331-QĐ/TW of 2025).

An inspection belongs to the inspecting unit; the units it visits are its `InspectedUnit`s, each
owing a self-inspection report (an obligation). Its one `Conclusion` (the conclusion notice)
names results and shortcomings (`Finding`s, each shortcoming tagged with a `WorkArea`) and
`Recommendation`s, each an obligation of the unit it is addressed to, closed only when the
inspecting office accepts what the unit reported. A `Conference`'s tasks are recommendations
too. Every write is in services.py; every read in queries.py.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import Level, UnitRecord
from tuyengiao.text.collation import sort_key


class WorkArea(models.Model):
    """A field of work (lĩnh vực công tác) that tags shortcomings; a configurable list."""

    code = models.SlugField(_("mã"), max_length=48, unique=True)
    name = models.CharField(_("tên"), max_length=160)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)

    class Meta:
        verbose_name = _("lĩnh vực công tác")
        verbose_name_plural = _("lĩnh vực công tác")
        ordering = ["position", "sort_key", "id"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = sort_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        super().save(*args, **kwargs)


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", _("Kiểm tra")
    SUPERVISION = "supervision", _("Giám sát")
    SURVEY = "survey", _("Khảo sát")
    WORKING_SESSION = "working_session", _("Làm việc")


# The kinds set up by a decision (Quyết định 331-QĐ/TW: a decision sets up the delegation).
DECIDED_KINDS = frozenset({InspectionKind.INSPECTION, InspectionKind.SUPERVISION})


class OversightSettings(UnitRecord):
    """An office's settings for its subtree (the nearest unit above with settings applies)."""

    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.CASCADE,
        related_name="oversight_settings",
    )
    recurrence_years = models.PositiveSmallIntegerField(
        _("số năm xét hạn chế lặp lại"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "Một lĩnh vực được nêu là hạn chế của cùng một đơn vị trong hai thông báo kết luận "
            "trở lên trong chừng ấy năm gần nhất thì được đánh dấu là hạn chế lặp lại."
        ),
    )

    class Meta:
        verbose_name = _("thiết lập kiểm tra, giám sát")
        verbose_name_plural = _("thiết lập kiểm tra, giám sát")

    def __str__(self) -> str:
        return str(self.unit)


class InspectionPlan(UnitRecord):
    """An office's annual plan of inspections, supervisions, surveys and working sessions."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="inspection_plans",
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")
        ordering = ["-year", "unit_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="inspection_plan_once_a_year",
                violation_error_message=_("Đơn vị đã có kế hoạch kiểm tra, giám sát của năm này."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:plan", args=[self.pk])


class PlanItem(models.Model):
    """One visit the plan names: its kind, the units to visit, the content, the month."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=InspectionKind.choices)
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("đơn vị được kiểm tra, giám sát"), related_name="+"
    )
    content = models.TextField(_("nội dung"))
    planned_month = models.PositiveSmallIntegerField(
        _("tháng dự kiến"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    position = models.PositiveSmallIntegerField(_("số thứ tự"), default=0)

    # The plan's unit owns the item: its scope is the plan's.
    scope_path = "plan__unit_path"

    class Meta:
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        ordering = ["plan", "planned_month", "position", "id"]

    def __str__(self) -> str:
        return self.content[:120]


class InspectionState(models.TextChoices):
    PREPARING = "preparing", _("Chuẩn bị")
    ANNOUNCED = "announced", _("Đã công bố quyết định")
    CONDUCTED = "conducted", _("Đã tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")


# The states in which a plan item counts as carried out.
CARRIED_OUT = (InspectionState.CONDUCTED, InspectionState.CONCLUDED)


class Inspection(UnitRecord):
    """One inspection, supervision, survey or working session of an office, from plan to close."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị kiểm tra"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("hình thức"), max_length=16, choices=InspectionKind.choices)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("theo kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    title = models.CharField(_("tên cuộc kiểm tra"), max_length=300)
    decision = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("quyết định thành lập đoàn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("nội dung"))
    period_from = models.DateField(_("thời kỳ kiểm tra từ ngày"), null=True, blank=True)
    period_to = models.DateField(_("thời kỳ kiểm tra đến ngày"), null=True, blank=True)
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    extended = models.BooleanField(_("kéo dài thời gian"), default=False)
    extension_reason = models.TextField(_("lý do kéo dài"), blank=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=InspectionState.choices,
        default=InspectionState.PREPARING,
    )
    announced_on = models.DateField(_("ngày công bố"), null=True, blank=True)
    record_text = models.TextField(_("biên bản làm việc"), blank=True)
    record_file = models.FileField(_("tệp biên bản"), upload_to="oversight/records/%Y/", blank=True)
    conducted_on = models.DateField(_("ngày làm việc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra, giám sát")
        verbose_name_plural = _("cuộc kiểm tra, giám sát")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="inspection_ends_after_start",
                violation_error_message=_("Ngày kết thúc không thể trước ngày bắt đầu."),
            ),
            models.CheckConstraint(
                condition=Q(period_from__isnull=True, period_to__isnull=True)
                | Q(period_from__isnull=False, period_to__gte=models.F("period_from")),
                name="inspection_period_ordered",
                violation_error_message=_("Thời kỳ kiểm tra: ngày cuối không thể trước ngày đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:inspection", args=[self.pk])

    @property
    def days(self) -> int:
        """The duration, first and last day counted."""
        return (self.ends_on - self.starts_on).days + 1

    @property
    def download_name(self) -> str:
        return _("Biên bản %(title)s") % {"title": self.title}


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Trưởng đoàn")
    DEPUTY = "deputy", _("Phó Trưởng đoàn")
    MEMBER = "member", _("Thành viên")
    SECRETARY = "secretary", _("Thư ký")


class DelegationMember(models.Model):
    """An official of the delegation: name and position only, nothing else personal."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("cuộc kiểm tra"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    duty = models.CharField(
        _("nhiệm vụ trong đoàn"),
        max_length=16,
        choices=DelegationRole.choices,
        default=DelegationRole.MEMBER,
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    scope_path = "inspection__unit_path"

    class Meta:
        verbose_name = _("thành viên đoàn")
        verbose_name_plural = _("thành viên đoàn")
        ordering = ["inspection", "order", "id"]

    def __str__(self) -> str:
        return self.full_name


class InspectedUnit(UnitRecord):
    """A unit the inspection visits, and its self-inspection report (an obligation)."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("cuộc kiểm tra"),
        on_delete=models.CASCADE,
        related_name="inspected",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="inspected_in",
    )
    self_report_due_on = models.DateField(_("hạn nộp báo cáo tự kiểm tra"), null=True, blank=True)
    self_report_obligation = models.OneToOneField(
        "deadlines.Obligation",
        verbose_name=_("việc phải làm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="self_report_of",
    )
    self_report = models.FileField(
        _("báo cáo tự kiểm tra"), upload_to="oversight/self_reports/%Y/", blank=True
    )
    self_report_on = models.DateField(_("ngày nộp báo cáo tự kiểm tra"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị được kiểm tra")
        verbose_name_plural = _("đơn vị được kiểm tra")
        ordering = ["inspection", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspected_unit_once")
        ]
        indexes = [models.Index(fields=["unit_path", "inspection"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.inspection}"

    def get_absolute_url(self) -> str:
        return self.inspection.get_absolute_url()

    @property
    def download_name(self) -> str:
        return _("Báo cáo tự kiểm tra %(unit)s") % {"unit": self.unit.name}


class Conclusion(models.Model):
    """The conclusion notice (thông báo kết luận) that closes an inspection: one per inspection,
    whatever the number of units visited (the notice is one document; each finding and each
    recommendation names its unit)."""

    inspection = models.OneToOneField(
        Inspection,
        verbose_name=_("cuộc kiểm tra"),
        on_delete=models.PROTECT,
        related_name="conclusion",
    )
    notice = models.ForeignKey(
        "directives.Directive",
        verbose_name=_("thông báo kết luận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_on = models.DateField(_("ngày ban hành"))
    results = models.TextField(_("kết quả chung"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "inspection__unit_path"

    class Meta:
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = _("thông báo kết luận")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.notice.symbol} — {self.inspection}"

    def get_absolute_url(self) -> str:
        return self.inspection.get_absolute_url()


class FindingKind(models.TextChoices):
    RESULT = "result", _("Kết quả")
    SHORTCOMING = "shortcoming", _("Hạn chế")


class Finding(UnitRecord):
    """A result or a shortcoming of one inspected unit, named by a conclusion."""

    conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("thông báo kết luận"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=FindingKind.choices)
    area = models.ForeignKey(
        WorkArea,
        verbose_name=_("lĩnh vực công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    text = models.TextField(_("nội dung"))
    # A copy of the conclusion's date, written with it: recurring shortcomings are counted in a
    # window of years from one table and one index, without a join.
    issued_on = models.DateField(_("ngày kết luận"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("kết quả, hạn chế")
        verbose_name_plural = _("kết quả, hạn chế")
        ordering = ["conclusion", "kind", "order", "id"]
        indexes = [
            # The window's dates come after the field of work: the rows of one unit and one
            # field are next to each other, so grouping them needs no sort.
            models.Index(
                fields=["kind", "unit_path", "area", "conclusion", "issued_on"],
                name="finding_recurrence",
            ),
            models.Index(
                fields=["kind", "issued_on", "unit", "area", "conclusion"],
                name="finding_recurrence_by_date",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="shortcoming") | Q(area__isnull=False),
                name="shortcoming_has_area",
                violation_error_message=_("Hạn chế phải gắn với một lĩnh vực công tác."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:120]


class ConferenceKind(models.TextChoices):
    INTERIM_REVIEW = "interim_review", _("Hội nghị sơ kết")
    FINAL_REVIEW = "final_review", _("Hội nghị tổng kết")
    SPEAKERS = "speakers", _("Hội nghị báo cáo viên")
    COLLABORATORS = "collaborators", _("Hội nghị cộng tác viên dư luận xã hội")
    OTHER = "other", _("Hội nghị khác")


class Conference(UnitRecord):
    """A conference a unit holds: review, speakers', collaborators'. Its tasks are
    recommendations with the conference as their origin."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị tổ chức"),
        on_delete=models.PROTECT,
        related_name="conferences",
    )
    kind = models.CharField(_("loại hội nghị"), max_length=16, choices=ConferenceKind.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    held_on = models.DateField(_("ngày tổ chức"))
    title = models.CharField(_("tên hội nghị"), max_length=300)
    participants = models.PositiveIntegerField(_("số đại biểu dự"), default=0)
    connected_points = models.PositiveIntegerField(
        _("số điểm cầu trực tuyến"),
        default=0,
        help_text=_("Bỏ trống hoặc 0 nếu hội nghị không tổ chức trực tuyến."),
    )
    documents = models.ManyToManyField(
        "directives.Directive",
        verbose_name=_("văn bản được quán triệt, giới thiệu"),
        blank=True,
        related_name="+",
    )
    conclusions = models.TextField(_("kết luận hội nghị"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit_path", "held_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("oversight:conference", args=[self.pk])


class RecommendationState(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    REPORTED = "reported", _("Đã báo cáo, chờ xem xét")
    ACCEPTED = "accepted", _("Đã được công nhận hoàn thành")
    RETURNED = "returned", _("Bị trả lại")


class Recommendation(UnitRecord):
    """A recommendation of a conclusion, or a task of a conference, addressed to a unit: an
    obligation of that unit, closed only when the issuing office accepts what it reported."""

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    conclusion = models.ForeignKey(
        Conclusion,
        verbose_name=_("thông báo kết luận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    conference = models.ForeignKey(
        Conference,
        verbose_name=_("hội nghị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"), default=1)
    area = models.ForeignKey(
        WorkArea,
        verbose_name=_("lĩnh vực công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    text = models.TextField(_("nội dung kiến nghị"))
    due_on = models.DateField(_("hạn thực hiện"))
    # A copy of the obligation's date of completion (the date the unit reported, once
    # accepted), written with it: the roll-up counts states from this table alone.
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    # Set in the transaction that creates the recommendation (the obligation names the
    # recommendation as its source, so it is created second).
    obligation = models.OneToOneField(
        "deadlines.Obligation",
        verbose_name=_("việc phải làm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendation",
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=RecommendationState.choices,
        default=RecommendationState.OPEN,
    )
    report_text = models.TextField(_("kết quả thực hiện"), blank=True)
    evidence = models.FileField(
        _("tài liệu chứng minh"), upload_to="oversight/evidence/%Y/", blank=True
    )
    reported_on = models.DateField(_("ngày báo cáo"), null=True, blank=True)
    # How many times the unit has reported (a returned recommendation is reported again).
    rounds = models.PositiveSmallIntegerField(_("số lần báo cáo"), default=0, editable=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("thời điểm xem xét"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["due_on", "number", "id"]
        indexes = [
            models.Index(fields=["unit_path", "done_on", "due_on"], name="recommendation_rollup"),
            models.Index(fields=["unit", "state"], name="recommendation_unit_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(conclusion__isnull=False, conference__isnull=True)
                | Q(conclusion__isnull=True, conference__isnull=False),
                name="recommendation_one_origin",
                violation_error_message=_(
                    "Một kiến nghị xuất phát từ một thông báo kết luận hoặc một hội nghị."
                ),
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(state="accepted"),
                name="recommendation_closed_by_acceptance",
                violation_error_message=_("Kiến nghị chỉ hoàn thành khi được công nhận."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:120]

    def get_absolute_url(self) -> str:
        return reverse("oversight:recommendation", args=[self.pk])

    @property
    def download_name(self) -> str:
        return _("Tài liệu chứng minh kiến nghị %(number)s") % {"number": self.number}
