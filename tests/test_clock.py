"""The tests' clock (tests/clock.py): the session moved by TUYENGIAO_TEST_CLOCK, a test's own
day with `on_day`, and the `today` fixture that holds the clock for a test."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tests.clock import CLOCK_VARIABLE, VIETNAM, moved_clock, on_day


def test_the_session_runs_on_the_moved_clock_or_on_the_real_one():
    start = moved_clock()
    assert time_machine.escape_hatch.is_travelling() == (start is not None)
    if start is not None:
        # The moved clock ticks from its moment on, as the suite runs.
        assert dt.timedelta(0) <= timezone.now() - start < dt.timedelta(hours=2)


def test_the_moment_is_read_in_iso_and_without_an_offset_in_vietnam(monkeypatch):
    monkeypatch.setenv(CLOCK_VARIABLE, "2028-01-01T05:00+07:00")
    assert moved_clock() == dt.datetime(2027, 12, 31, 22, 0, tzinfo=dt.UTC)
    monkeypatch.setenv(CLOCK_VARIABLE, "2028-02-29T12:00")
    assert moved_clock() == dt.datetime(2028, 2, 29, 12, 0, tzinfo=VIETNAM)
    monkeypatch.setenv(CLOCK_VARIABLE, "")
    assert moved_clock() is None
    monkeypatch.setenv(CLOCK_VARIABLE, "29/02/2028")
    with pytest.raises(pytest.UsageError, match="not an ISO moment"):
        moved_clock()


@on_day("2028-02-29")
def test_a_test_on_a_day_of_its_own_starts_at_six_in_vietnam_the_day_before_in_utc():
    assert timezone.localdate() == dt.date(2028, 2, 29)
    assert timezone.localtime().time() < dt.time(6, 1)
    assert timezone.now().date() == dt.date(2028, 2, 28)
    # The process's own zone is Vietnam's too (Django sets TZ from TIME_ZONE).
    assert dt.date.today() == dt.date(2028, 2, 29)


@on_day("2026-12-31")
def test_today_holds_the_clock_at_six_on_the_days_own_date(today):
    assert today == timezone.localdate() == dt.date(2026, 12, 31)
    assert dt.time(6, 0) <= timezone.localtime().time() < dt.time(6, 1)
