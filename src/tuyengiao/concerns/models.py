"""Public concerns: what collaborators hear people talk about, grouped, routed and resolved.

Privacy by design: a `ConcernReport` records a topic, a place and what is being said — never who
said it. There is no field for a citizen; free text is checked for phone numbers, ID numbers and
e-mail addresses before it is stored, and photos are stored re-encoded, without their metadata.
The reporter is the collaborator (a staff-side account), so that the office can tell them back.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuyengiao.org.models import UnitRecord
from tuyengiao.text.collation import sort_key


def _saving_sort_key(kwargs: dict, name_field: str) -> None:
    """A save of some fields that include the name saves its sort key too."""
    fields = kwargs.get("update_fields")
    if fields is not None and name_field in fields:
        kwargs["update_fields"] = {*fields, "sort_key"}


class Topic(models.Model):
    """A configurable topic (lĩnh vực): land, environment, prices and livelihoods, …"""

    code = models.SlugField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang dùng"), default=True)
    # Vietnamese order among topics of the same position (text/collation.py); set by save().
    sort_key = models.CharField(max_length=512, blank=True, editable=False)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["position", "sort_key", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.sort_key = sort_key(self.name)
        _saving_sort_key(kwargs, "name")
        super().save(*args, **kwargs)


class ResponsibleBody(UnitRecord):
    """A body a unit forwards concerns to (UBND xã, Công an xã, Mặt trận, a department of the
    province, …). Not a unit of the tree: its obligation to answer is kept by the unit that owns
    the list, on its behalf."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="bodies"
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    active = models.BooleanField(_("đang dùng"), default=True)
    # Vietnamese order (text/collation.py): set by save() and `fill_sort_key()`.
    sort_key = models.CharField(max_length=1024, blank=True, editable=False)

    class Meta:
        verbose_name = _("cơ quan chịu trách nhiệm")
        verbose_name_plural = _("cơ quan chịu trách nhiệm")
        ordering = ["unit_path", "sort_key", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="responsible_body_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def fill_sort_key(self) -> "ResponsibleBody":
        """Set the key of the name (before a bulk insert); returns the body."""
        self.sort_key = sort_key(self.name)
        return self

    def save(self, *args, **kwargs):
        self.fill_sort_key()
        _saving_sort_key(kwargs, "name")
        super().save(*args, **kwargs)


class Spread(models.TextChoices):
    FEW = "few", _("Một số người")
    LOCAL = "local", _("Trong một địa bàn")
    SEVERAL = "several", _("Nhiều địa bàn")
    WIDE = "wide", _("Lan rộng, nhiều nơi bàn tán")


class Mood(models.TextChoices):
    AGREE = "agree", _("Đồng tình, phấn khởi")
    NEUTRAL = "neutral", _("Bình thường")
    WORRIED = "worried", _("Lo lắng")
    DISCONTENT = "discontent", _("Bức xúc, không đồng tình")


class Source(models.TextChoices):
    DAILY_LIFE = "daily_life", _("Trong sinh hoạt hằng ngày")
    MEETING = "meeting", _("Tại cuộc họp, hội nghị")
    PRESS = "press", _("Báo chí")
    ONLINE = "online", _("Mạng xã hội, trên mạng")


class Urgency(models.IntegerChoices):
    # Ordered: the triage queue sorts the most urgent first.
    NORMAL = 1, _("Bình thường")
    HIGH = 2, _("Cần quan tâm sớm")
    URGENT = 3, _("Khẩn cấp")


class State(models.TextChoices):
    NEW = "new", _("Mới")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan chịu trách nhiệm")
    ANSWERED = "answered", _("Đã có trả lời")
    RESOLVED = "resolved", _("Đã giải quyết")
    DUPLICATE = "duplicate", _("Trùng với vấn đề khác")
    NOT_OUR_REMIT = "not_our_remit", _("Không thuộc thẩm quyền")
    NO_ACTION = "no_action", _("Không cần xử lý")


OPEN_STATES = (State.NEW, State.ACKNOWLEDGED, State.FORWARDED, State.ANSWERED)
CLOSED_STATES = (State.RESOLVED, State.DUPLICATE, State.NOT_OUR_REMIT, State.NO_ACTION)


class Concern(UnitRecord):
    """One issue of public concern (vấn đề dư luận quan tâm), grouping the reports about it."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="concerns"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="concerns"
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("tóm tắt"), blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("mức độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices)
    search_key = models.TextField(editable=False, blank=True)
    first_reported_at = models.DateTimeField(_("phản ánh đầu tiên"))
    report_count = models.PositiveIntegerField(_("số phản ánh"), default=0)

    responsible = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_to_answer",
    )
    # Forwarded to a body of a unit's list (then `responsible` is empty) rather than to a unit.
    body = models.ForeignKey(
        ResponsibleBody,
        verbose_name=_("cơ quan, đoàn thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    obligation = models.OneToOneField(
        "deadlines.Obligation",
        verbose_name=_("việc phải làm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    answer = models.TextField(_("trả lời của cơ quan chịu trách nhiệm"), blank=True)
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)
    closing_note = models.TextField(_("ghi chú khi đóng"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )

    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("chuyển lúc"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    changed_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("vấn đề dư luận")
        verbose_name_plural = _("vấn đề dư luận")
        ordering = ["-first_reported_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "first_reported_at"], name="concern_scope"),
            models.Index(fields=["state", "unit_path"], name="concern_state"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("concerns:concern", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def answerer_name(self) -> str:
        """Who must answer: the body, or the unit it was forwarded to; empty before that."""
        if self.body_id:
            return self.body.name
        return self.responsible.name if self.responsible_id else ""


class ConcernReport(UnitRecord):
    """A collaborator's report (phiếu phản ánh): what people in a place are saying."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cộng tác viên"),
        on_delete=models.PROTECT,
        related_name="concern_reports",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("tiêu đề ngắn"), max_length=200)
    content = models.TextField(_("người dân đang nói gì"), max_length=4000)
    spread = models.CharField(_("mức độ lan rộng"), max_length=16, choices=Spread.choices)
    mood = models.CharField(_("tâm trạng chung"), max_length=16, choices=Mood.choices)
    source = models.CharField(_("nghe được ở đâu"), max_length=16, choices=Source.choices)
    urgency = models.PositiveSmallIntegerField(
        _("mức độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    concern = models.ForeignKey(
        Concern,
        verbose_name=_("vấn đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    search_key = models.TextField(editable=False, blank=True)
    # Chosen by the client: a draft sent again after a lost connection is stored once.
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True, db_index=True)
    triaged_at = models.DateTimeField(_("phân loại lúc"), null=True, blank=True)
    # The day its free text and photos were purged after CONCERN_TEXT_RETENTION_YEARS.
    text_purged_on = models.DateField(_("xoá nội dung ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "client_id"], name="concern_report_sent_once"
            ),
        ]
        indexes = [
            models.Index(fields=["unit_path", "created_at"], name="concern_report_scope"),
            models.Index(
                fields=["unit_path", "-urgency", "created_at"],
                condition=models.Q(concern__isnull=True),
                name="concern_report_untriaged",
            ),
            models.Index(fields=["reporter", "-created_at"], name="concern_report_mine"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("concerns:report", args=[self.pk])

    @property
    def state(self) -> str:
        """What the reporter sees: new until triaged, then the concern's state."""
        return self.concern.state if self.concern_id else State.NEW


def photo_path(instance, filename: str) -> str:
    return f"concerns/{instance.report.created_at:%Y/%m}/{instance.report_id}-{filename}"


class ConcernPhoto(models.Model):
    report = models.ForeignKey(ConcernReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("ảnh"), upload_to=photo_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    scope_path = "report__unit_path"

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image.name

    @property
    def download_name(self) -> str:
        """What the photo is saved as: the report's number and its own (no place, no person)."""
        return f"phan-anh-{self.report_id}-anh-{self.pk}"


class ConcernEvent(models.Model):
    """One step of a concern's history, shown as its timeline and told to its reporters."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_state = models.CharField(_("từ"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("sang"), max_length=16, choices=State.choices)
    note = models.TextField(_("ghi chú"), blank=True)
    # The name of the body or unit it was forwarded to, as it was called that day.
    forwarded_to = models.CharField(_("chuyển đến"), max_length=200, blank=True)

    scope_path = "concern__unit_path"

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = _("diễn biến")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class Summary(UnitRecord):
    """A periodic summary of public opinion (weekly or monthly), drafted from the data."""

    class Kind(models.TextChoices):
        WEEK = "week", _("Tuần")
        MONTH = "month", _("Tháng")

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kỳ"), max_length=8, choices=Kind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    text = models.TextField(_("nội dung"))
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    saved_at = models.DateTimeField(_("lưu lúc"), auto_now=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("báo cáo tổng hợp dư luận")
        verbose_name_plural = _("báo cáo tổng hợp dư luận")
        ordering = ["-start", "unit_path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "start"], name="summary_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("concerns:summary", args=[self.pk])
