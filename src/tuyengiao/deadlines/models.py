"""Obligations: everything a unit owes by a date, in one table with one way to be late."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuyengiao.core.stored_text import render
from tuyengiao.org.models import UnitRecord


class State(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành trễ hạn")
    PENDING = "pending", _("Còn hạn")
    OVERDUE = "overdue", _("Quá hạn")


class ObligationKind(models.TextChoices):
    DIRECTIVE_STEP = "directive_step", _("Triển khai văn bản")
    REPORT = "report", _("Báo cáo định kỳ")
    CONCERN_ANSWER = "concern_answer", _("Trả lời vấn đề dư luận")
    FOLLOW_UP = "follow_up", _("Thực hiện kiến nghị sau kiểm tra")
    SELF_REPORT = "self_report", _("Báo cáo tự kiểm tra")
    NARRATIVE = "narrative", _("Báo cáo bằng văn bản")
    TASK = "task", _("Nhiệm vụ khác")


def state_condition(state: State, today) -> Q:
    """The condition for one state, as of `today` (the only definition of lateness)."""
    return {
        State.DONE_ON_TIME: Q(done_on__isnull=False, done_on__lte=models.F("due_on")),
        State.DONE_LATE: Q(done_on__isnull=False, done_on__gt=models.F("due_on")),
        State.PENDING: Q(done_on__isnull=True, due_on__gte=today),
        State.OVERDUE: Q(done_on__isnull=True, due_on__lt=today),
    }[state]


def state_of(due_on, done_on, today) -> State:
    if done_on is not None:
        return State.DONE_ON_TIME if done_on <= due_on else State.DONE_LATE
    return State.PENDING if due_on >= today else State.OVERDUE


class ObligationQuerySet(models.QuerySet):
    def with_state(self, today=None) -> "ObligationQuerySet":
        today = today or timezone.localdate()
        return self.annotate(
            state=Case(
                *(When(state_condition(s, today), then=Value(s.value)) for s in State),
                output_field=models.CharField(),
            )
        )

    def in_state(self, state: State, today=None) -> "ObligationQuerySet":
        return self.filter(state_condition(State(state), today or timezone.localdate()))


class Obligation(UnitRecord):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="obligations"
    )
    kind = models.CharField(_("loại"), max_length=32, choices=ObligationKind.choices)
    title = models.CharField(_("nội dung"), max_length=500)
    # What the title was made from, to show it in the reader's language (core/stored_text.py);
    # empty for a title typed by hand.
    title_message = models.JSONField(null=True, blank=True, editable=False)
    due_on = models.DateField(_("hạn"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("việc phải làm")
        verbose_name_plural = _("việc phải làm")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["unit_path", "due_on", "done_on"]),
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["unit", "done_on", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title in the reader's language (the stored text when it was typed by hand)."""
        return render(self.title_message, self.title)

    def state_on(self, today=None) -> State:
        return state_of(self.due_on, self.done_on, today or timezone.localdate())
