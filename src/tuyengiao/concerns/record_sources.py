"""The public concerns that back indicators (figures/sources.py)."""

from django.utils.translation import gettext_lazy as _

from tuyengiao.figures.sources import Source, register


def connect() -> None:
    register(
        Source(
            "concerns.received",
            _("Vấn đề dư luận xã hội tiếp nhận"),
            "concerns.Concern",
            unit="unit",
            date="first_reported_at",
            link="concerns:list",
        ),
        Source(
            "concerns.resolved",
            _("Vấn đề dư luận xã hội đã giải quyết"),
            "concerns.Concern",
            unit="unit",
            date="resolved_at",
            link="concerns:list",
        ),
    )
