"""The directive steps that back indicators (figures/sources.py)."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuyengiao.figures.sources import Source, register


def connect() -> None:
    register(
        Source(
            "directives.steps_done",
            _("Bước triển khai văn bản đã hoàn thành"),
            "directives.Step",
            unit="unit",
            date="done_on",
        ),
        Source(
            "directives.steps_on_time",
            _("Bước triển khai văn bản hoàn thành đúng hạn"),
            "directives.Step",
            unit="unit",
            date="done_on",
            where=lambda: Q(done_on__lte=F("due_on")),
            fields=("due_on",),
        ),
    )
