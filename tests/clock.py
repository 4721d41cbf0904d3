"""The tests' clock: no test depends on the real date.

A test whose expectation depends on "today" passes `today=` where the code takes it; where it
drives code that reads the clock itself (a page, a service that refuses dates in the future, a
form that must already have begun), it runs on a day of its own with `on_day`:

    pytestmark = on_day("2026-11-20")        # every test of the module
    @on_day("2026-03-20")                    # one test

The frozen moment is 06:00 in Vietnam, which is still the day before in UTC, so code that takes
the UTC date where Vietnam's date is meant fails in these tests too. The clock ticks from there.

A test that works on any day but reads today itself and compares it with what the code reads
("due today", "done today", "this month") takes the `today` fixture (tests/conftest.py): the
session's date, the clock held at 06:00 of it, so midnight cannot pass between the readings.

The whole session can be moved with TUYENGIAO_TEST_CLOCK (see tests/conftest.py and
`make test-clock`): then every test that is not on a day of its own runs at that moment.

Browser tests: the live server's thread runs on the moved clock, Chromium on the real one. The
session cookie lasts by Max-Age, so logging in is unaffected; but a server clock behind the
files' times makes the browser fetch the static files again on every page, so a test waits for
the page's load (`page.wait_for_load_state()`) before using what a deferred script (htmx) does.
"""

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
CLOCK_VARIABLE = "TUYENGIAO_TEST_CLOCK"
# Before 07:00 in Vietnam the UTC date is still the day before.
EARLY = dt.time(6, 0)


def moment(day: str | dt.date, at: dt.time = EARLY) -> dt.datetime:
    """That day and time in Vietnam (`day` as 2026-11-20)."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return dt.datetime.combine(day, at, tzinfo=VIETNAM)


def on_day(day: str | dt.date, at: dt.time = EARLY):
    """A marker that runs the test (or the module, as `pytestmark`) with the clock at `day`,
    06:00 in Vietnam unless `at` says otherwise, ticking."""
    # A timestamp, not the aware datetime: given a ZoneInfo, time-machine would set the TZ
    # variable itself, which Django has already set from TIME_ZONE.
    return pytest.mark.time_machine(moment(day, at).timestamp(), tick=True)


def moved_clock() -> dt.datetime | None:
    """The moment the session travels to, from TUYENGIAO_TEST_CLOCK; None for the real clock.
    Any ISO moment (2028-02-29T12:00+07:00); without an offset it is Vietnam's time."""
    text = os.environ.get(CLOCK_VARIABLE, "").strip()
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(
            f"{CLOCK_VARIABLE}={text!r} is not an ISO moment (e.g. 2028-02-29T12:00+07:00)"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=VIETNAM)
