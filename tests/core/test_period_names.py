"""A period's name in the reader's language: the same text as `Period.label` in Vietnamese,
the English name in English; the names joined with a period likewise (core/period_names.py)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from tuyengiao.core.period_names import period_label, report_title_label, titled_label
from tuyengiao.periods import Period, report_title, titled


@pytest.fixture(autouse=True)
def _restore_language():
    before = translation.get_language()
    yield
    translation.activate(before)


def test_in_vietnamese_every_period_is_named_as_its_label():
    with translation.override("vi"):
        for period in Period.parse("2024").within():
            assert period_label(period) == period.label
            assert period_label(period.id) == period.label


@pytest.mark.parametrize(
    "period, english",
    [
        ("2024", "Year 2024"),
        ("2024S1", "First half of 2024"),
        ("2024S2", "Second half of 2024"),
        ("2024Q1", "Q1 2024"),
        ("2024Q3", "Q3 2024"),
        ("2024Q4", "Q4 2024"),
        ("2024-01", "January 2024"),
        ("2024-11", "November 2024"),
        ("2024-12", "December 2024"),
    ],
)
def test_in_english_a_period_has_its_english_name(period, english):
    with translation.override("en"):
        assert period_label(Period.parse(period)) == english
    assert Period.parse(period).label != english  # the stored name stays Vietnamese


def test_in_english_every_period_has_a_name_of_its_own():
    with translation.override("en"):
        names = [period_label(p) for p in Period.parse("2024").within()]
    assert len(set(names)) == len(names)
    assert not [n for n in names if "Tháng" in n or "Quý" in n or "Năm" in n or "tháng" in n]


def test_a_name_with_its_period_is_periods_own_in_vietnamese_and_joined_in_english():
    name, period = "Báo cáo công tác tuyên giáo tháng", Period.parse("2026-09")
    with translation.override("vi"):
        assert titled_label(name, period) == titled(name, period)
        assert report_title_label("công tác dư luận", period) == report_title(
            "công tác dư luận", period
        )
    with translation.override("en"):
        assert titled_label(name, period) == f"{name} – September 2026"
        assert report_title_label(name, period) == f"{name} – September 2026"
        # "Báo cáo" once: a form named without it is called a report in English.
        assert report_title_label("công tác dư luận", "2026Q2") == (
            "Report: công tác dư luận – Q2 2026"
        )


def test_the_template_filter_takes_a_period_or_its_id():
    template = Template("{{ p|period_label }} / {{ id|period_label }} / {{ none|period_label }}")
    context = Context({"p": Period.parse("2026Q3"), "id": "2026-11", "none": None})
    with translation.override("en"):
        assert template.render(context) == "Q3 2026 / November 2026 / "
    with translation.override("vi"):
        assert template.render(context) == "Quý III/2026 / Tháng 11/2026 / "


def test_the_kinds_of_period_are_named_as_periods_names_them_and_translated():
    from tuyengiao.figures.models import PeriodKind
    from tuyengiao.periods import KIND_LABELS

    with translation.override("vi"):
        assert {k: str(label) for k, label in PeriodKind.choices} == KIND_LABELS
    with translation.override("en"):
        assert [str(label) for _k, label in PeriodKind.choices] == [
            "Month",
            "Quarter",
            "Half-year",
            "Year",
        ]
