"""Titles stored once and shown in each reader's language (core/stored_text.py): stored in the
site's language whatever the writer's, made again through gettext when read, typed text kept as
typed, and the stored text when what was kept cannot be read."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_noop

from tuyengiao.core.stored_text import Message, label, period, render, report, stored
from tuyengiao.deadlines.models import State


@pytest.fixture(autouse=True)
def _restore_language():
    before = translation.get_language()
    yield
    translation.activate(before)


def test_a_title_is_stored_in_the_sites_language_whoever_writes_it():
    title = Message(gettext_noop("Đã có trả lời: %(title)s"), title="Rác ở chợ")
    with translation.override("en"):
        text, kept = stored(title)
    assert text == "Đã có trả lời: Rác ở chợ"
    with translation.override("en"):
        assert render(kept, text) == "Answered: Rác ở chợ"  # the typed part as typed
    with translation.override("vi"):
        assert render(kept, text) == text


def test_labels_periods_and_reports_are_translated_in_their_turn():
    title = Message(
        gettext_noop("Phản ánh “%(title)s”: %(state)s"),
        title="Đường ngập",
        state=label(State.OVERDUE.label),
    )
    text, kept = stored(title)
    assert text == "Phản ánh “Đường ngập”: Quá hạn"
    with translation.override("en"):
        assert render(kept, text) == "Report “Đường ngập”: Overdue"
        assert render(period("2026Q3"), "x") == "Q3 2026"
        assert render(report("Báo cáo công tác tuyên giáo tháng", "2026-09"), "x") == (
            "Báo cáo công tác tuyên giáo tháng – September 2026"
        )
    assert stored(report("Báo cáo công tác tuyên giáo tháng", "2026-09"))[0] == (
        "Báo cáo công tác tuyên giáo tháng 9/2026"
    )


def test_a_message_holds_another_one():
    inner = Message(gettext_noop("Trả lời vấn đề dư luận: %(title)s"), title="Khói bụi")
    text, kept = stored(Message(gettext_noop("Quá hạn: %(title)s"), title=inner))
    assert text == "Quá hạn: Trả lời vấn đề dư luận: Khói bụi"
    with translation.override("en"):
        assert render(kept, text) == "Overdue: Answer the public concern: Khói bụi"


@pytest.mark.parametrize(
    "kept",
    [
        None,
        {},
        {"id": "Quá hạn: %(title)s", "args": {}},  # a parameter missing
        {"report": ["x", "not a period"]},
        {"what": "?"},
        {"label": 3},
    ],
)
def test_what_cannot_be_made_again_shows_the_stored_text(kept):
    with translation.override("en"):
        assert render(kept, "Việc gõ tay") == "Việc gõ tay"


def test_plain_text_is_stored_as_it_is_and_cut_to_the_column():
    assert stored("Việc gõ tay") == ("Việc gõ tay", None)
    assert stored("x" * 700, 600)[0] == "x" * 600
    long = Message(gettext_noop("Đã có trả lời: %(title)s"), title="y" * 700)
    assert len(stored(long, 500)[0]) == 500
