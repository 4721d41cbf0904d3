"""The political-theory classes and plans that back indicators (figures/sources.py)."""

from django.utils.translation import gettext_lazy as _

from tuyengiao.figures.sources import Source, register


def connect() -> None:
    register(
        Source(
            "training.classes",
            _("Lớp bồi dưỡng lý luận chính trị đã khai giảng"),
            "training.TrainingClass",
            unit="unit",
            date="opened_on",
            link="training:classes",
        ),
        Source(
            "training.enrolled",
            _("Học viên nhập học lớp lý luận chính trị"),
            "training.TrainingClass",
            unit="unit",
            date="opened_on",
            weight="enrolled",
            link="training:classes",
        ),
        Source(
            "training.completed",
            _("Học viên hoàn thành lớp lý luận chính trị"),
            "training.TrainingClass",
            unit="unit",
            date="closed_on",
            weight="completed",
            link="training:classes",
        ),
        Source(
            "training.classes_closed",
            _("Lớp bồi dưỡng lý luận chính trị đã bế giảng"),
            "training.TrainingClass",
            unit="unit",
            date="closed_on",
            link="training:classes",
        ),
        Source(
            "training.closed_enrolled",
            _("Học viên của các lớp lý luận chính trị đã bế giảng"),
            "training.TrainingClass",
            unit="unit",
            date="closed_on",
            weight="enrolled",
            link="training:classes",
        ),
        Source(
            "training.classes_planned",
            _("Lớp lý luận chính trị theo kế hoạch năm"),
            "training.TrainingPlan",
            unit="unit",
            date="year",
            period="year",
            weight="classes_planned",
            link="training:plan",
        ),
        Source(
            "training.learners_planned",
            _("Học viên lý luận chính trị theo kế hoạch năm"),
            "training.TrainingPlan",
            unit="unit",
            date="year",
            period="year",
            weight="learners_planned",
            link="training:plan",
        ),
    )
