"""The outreach records that back indicators (figures/sources.py)."""

from django.utils.translation import gettext_lazy as _

from tuyengiao.figures.sources import Source, register


def connect() -> None:
    register(
        Source(
            "outreach.sessions",
            _("Buổi nói chuyện của báo cáo viên"),
            "outreach.OutreachSession",
            unit="unit",
            date="held_on",
            link="outreach:sessions",
        ),
        Source(
            "outreach.audience",
            _("Lượt người nghe báo cáo viên"),
            "outreach.OutreachSession",
            unit="unit",
            date="held_on",
            weight="audience",
            link="outreach:sessions",
        ),
        Source(
            "outreach.models_recognised",
            _("Mô hình, gương điển hình được công nhận"),
            "outreach.Exemplar",
            unit="unit",
            date="recognised_on",
            link="outreach:models",
        ),
        Source(
            "outreach.replications",
            _("Lượt nhân rộng mô hình"),
            "outreach.Replication",
            unit="unit",
            date="replicated_on",
            link="outreach:models",
        ),
    )
