"""Narrative reports over the test world (tests/conftest.py): a quarterly schedule for the
communes and the province, some work of the quarter, and helpers that drive the services."""

from datetime import date

import pytest

from tests.factories import ObligationFactory
from tests.outreach.conftest import session, speaker
from tuyengiao.deadlines.models import ObligationKind
from tuyengiao.narratives import services
from tuyengiao.narratives.models import NarrativeSchedule
from tuyengiao.org.models import Level
from tuyengiao.periods import Period

QUARTER = Period.parse("2026Q3")
TODAY = date(2026, 10, 20)  # the quarter's reports are due on 2026-10-05


@pytest.fixture
def schedule(world):
    NarrativeSchedule.objects.create(
        period_kind="quarter",
        levels=[Level.PROVINCE, Level.COMMUNE],
        due_days=5,
        first_period="2026Q3",
    )
    services.narratives_schedule(TODAY)
    return world


def work(world):
    """Some work of the quarter: sessions heard in a commune, a late task of the other."""
    reporter = speaker(world.province_manager, world.commune)
    session(world.province_manager, reporter, held_on=date(2026, 8, 10), audience=120, today=TODAY)
    session(world.province_manager, reporter, held_on=date(2026, 9, 1), audience=80, today=TODAY)
    ObligationFactory(
        unit=world.commune2, kind=ObligationKind.TASK, due_on=date(2026, 9, 15), title="Việc A"
    )
    ObligationFactory(
        unit=world.province,
        kind=ObligationKind.TASK,
        due_on=date(2026, 11, 15),
        title="Tổ chức hội nghị báo cáo viên",
    )


def report_of(unit, period=QUARTER):
    from tuyengiao.narratives.models import NarrativeReport

    return NarrativeReport.objects.get(unit=unit, period=period.id)


def drafted(actor, unit, today=TODAY):
    report = report_of(unit)
    services.narrative_draft(actor=actor, report=report, today=today)
    return report


def sent(actor, unit, day, number="12-BC/ĐU"):
    report = drafted(actor, unit, day)
    return services.narrative_send(actor=actor, report=report, number=number, today=day)


# The narrative routes with an id (all take the report), for both walks.
NARRATIVE_ROUTES = ("detail", "redraft", "send", "docx", "xlsx")
NARRATIVE_API = ("narrative-report-detail", "narrative-report-send")


def marked(unit, text: str):
    """For the walks: a report of `unit` (its own, outside any schedule) with one version
    whose every text carries `text` (a zone's marker); made by the system (no actor)."""
    from tuyengiao.narratives.models import NarrativeReport, NarrativeVersion

    report = NarrativeReport(unit=unit, period="2026Q2", number=f"1 {text}").fill_path()
    report.save()
    NarrativeVersion.objects.create(
        report=report,
        n=1,
        note=text,
        sections=[
            {
                "key": "p1-ii-data",
                "heading": text,
                "level": 2,
                "paragraphs": [{"text": f"- {text}", "link": "", "facts": {}}],
                "tables": [{"caption": text, "headers": [text], "rows": [[text]]}],
                "kept": True,
            }
        ],
    )
    return report
