"""The oversight records that back indicators (figures/sources.py)."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuyengiao.figures.sources import Source, register


def connect() -> None:
    register(
        Source(
            "oversight.inspections",
            _("Cuộc kiểm tra, giám sát đã tiến hành"),
            "oversight.Inspection",
            unit="unit",
            date="conducted_on",
            link="oversight:index",
        ),
        Source(
            "oversight.recommendations",
            _("Kiến nghị sau kiểm tra, giám sát, hội nghị"),
            "oversight.Recommendation",
            unit="unit",
            date="created_at",
            link="oversight:recommendations",
        ),
        Source(
            "oversight.recommendations_on_time",
            _("Kiến nghị hoàn thành đúng hạn"),
            "oversight.Recommendation",
            unit="unit",
            date="done_on",
            where=lambda: Q(done_on__lte=F("due_on")),
            fields=("due_on",),
            link="oversight:recommendations",
        ),
    )
