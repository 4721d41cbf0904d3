"""One label per thing: no retired state label on any page, no doubled word in a title, one
way to name a period (docs/glossary.md)."""

from pathlib import Path

import pytest
from django.utils import translation

from tuyengiao.deadlines.models import State
from tuyengiao.periods import Period, report_title, titled

SRC = Path(__file__).resolve().parents[2] / "src" / "tuyengiao"

RETIRED = [
    "Quá hạn (đã xong)",
    "Hoàn thành quá hạn",
    "Gửi quá hạn",
    "Gửi đúng hạn",
    "Xong, muộn",
    "Xong, quá hạn",
    "quá hạn (xong)",
    "Còn trong hạn",
    "Chưa hoàn thành, còn trong hạn",
    "Chưa hoàn thành, quá hạn",
    "Báo cáo %(form)s",
    "Báo cáo %(report)s",
    "quý {q}",
]


def _sources():
    for path in SRC.rglob("*"):
        if path.suffix in {".html", ".py", ".js"} and "locale" not in path.parts:
            yield path


@pytest.mark.parametrize("retired", RETIRED)
def test_no_template_or_view_uses_a_retired_label(retired):
    found = [str(p.relative_to(SRC)) for p in _sources() if retired in p.read_text()]
    assert not found, f"{retired!r} in {found}"


def test_each_state_has_its_one_label():
    assert [s.label for s in State] == [
        "Hoàn thành đúng hạn",
        "Hoàn thành trễ hạn",
        "Còn hạn",
        "Quá hạn",
    ]


MONTHLY = "Báo cáo công tác tuyên giáo tháng"


@pytest.mark.parametrize(
    "name, period, title",
    [
        (
            "Báo cáo công tác tuyên giáo tháng",
            "2026-09",
            "Báo cáo công tác tuyên giáo tháng 9/2026",
        ),
        (
            "Báo cáo công tác tuyên giáo tháng",
            "2026-12",
            "Báo cáo công tác tuyên giáo tháng 12/2026",
        ),
        ("Báo cáo công tác tuyên giáo quý", "2026Q2", "Báo cáo công tác tuyên giáo quý II/2026"),
        ("Báo cáo sơ kết 6 tháng", "2026S1", "Báo cáo sơ kết 6 tháng đầu năm 2026"),
        ("Báo cáo kết quả 6 tháng", "2026-09", "Báo cáo kết quả 6 tháng – Tháng 9/2026"),
        ("Báo cáo tổng kết năm", "2026", "Báo cáo tổng kết năm 2026"),
        (
            "công tác giáo dục chính trị",
            "2026-02",
            "Báo cáo công tác giáo dục chính trị – Tháng 2/2026",
        ),
    ],
)
def test_a_report_title_names_each_word_once(name, period, title):
    assert report_title(name, Period.parse(period)) == title


def test_a_task_title_takes_the_one_period_name():
    assert titled("Tổng hợp dư luận xã hội quý", Period.parse("2026Q2")) == (
        "Tổng hợp dư luận xã hội quý II/2026"
    )


def test_the_new_state_label_is_translated_in_the_english_interface():
    with translation.override("en"):
        assert State.DONE_LATE.label == "Done late"
    assert Period.parse("2026Q3").label == "Quý III/2026"
