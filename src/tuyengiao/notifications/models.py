"""Notifications: what the system tells one person, in the app and by e-mail."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.stored_text import render


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    CONCERN_URGENT = "concern_urgent", _("Dư luận khẩn cấp")
    CONCERN_UPDATE = "concern_update", _("Kết quả xử lý phản ánh")
    # Handovers: work has passed from one unit to another (`services.handover`).
    DIRECTIVE_SENT = "directive_sent", _("Văn bản mới")
    REPORT_SUBMITTED = "report_submitted", _("Báo cáo chờ duyệt")
    REPORT_APPROVED = "report_approved", _("Báo cáo đã được duyệt")
    REPORT_RETURNED = "report_returned", _("Báo cáo trả lại để sửa")
    CONCERN_FORWARD = "concern_forward", _("Vấn đề dư luận chuyển đến")
    CONCERN_ANSWER = "concern_answer", _("Vấn đề dư luận đã có trả lời")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    SELF_REPORT = "self_report", _("Báo cáo tự kiểm tra đã nộp")
    RECOMMENDATION = "recommendation", _("Kiến nghị cần thực hiện")
    REC_REPORTED = "rec_reported", _("Kiến nghị đã báo cáo kết quả")
    REC_ACCEPTED = "rec_accepted", _("Kiến nghị được công nhận hoàn thành")
    REC_RETURNED = "rec_returned", _("Kiến nghị bị trả lại")
    NARRATIVE_SENT = "narrative_sent", _("Báo cáo bằng văn bản đã gửi")


REMINDER_KINDS = (NotificationKind.DUE_SOON, NotificationKind.OVERDUE)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # the indexes below lead with the recipient
    )
    obligation = models.ForeignKey(
        "deadlines.Obligation",
        verbose_name=_("việc phải làm"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the unique constraint leads with the obligation
    )
    kind = models.CharField(_("loại"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=600)
    # What the title was made from, to show it in the reader's language (core/stored_text.py).
    title_message = models.JSONField(null=True, blank=True, editable=False)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    # The run of the reminder job that inserted the row: with INSERT ... ON CONFLICT DO NOTHING
    # a run cannot tell its own rows from a concurrent run's except by this token.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)
    # What a handover notice is about (a document, a report, a concern) and which handover of
    # it (`event`: "send", "submit:7", ...): each person is told of one handover once.
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint leads with it
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    event = models.CharField(max_length=64, blank=True, editable=False)
    # The e-mail outbox: when the notice went out by e-mail (or was found to need none). A run
    # that dies before sending leaves it empty, and the next run sends it.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Each reminder once: a second or concurrent run of the job inserts nothing new.
            models.UniqueConstraint(
                fields=["obligation", "recipient", "kind"], name="notification_once"
            ),
            # Each handover once: the same source, event and person are never told twice,
            # however often (or however concurrently) the feature's service runs.
            models.UniqueConstraint(
                fields=["source_type", "source_id", "event", "recipient"],
                condition=models.Q(source_id__isnull=False),
                name="notification_handover_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unmailed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (as stored when nothing else was kept)."""
        return render(self.title_message, self.title)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
