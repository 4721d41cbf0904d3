"""The demo's narrative reports: the communes' reports of the last quarter drafted, most sent
(some late), the province's own draft listing who sent; nothing after the day."""

import pytest

from tests.clock import moment
from tuyengiao.demo.build import build_demo
from tuyengiao.narratives.models import NarrativeReport, NarrativeVersion

LOADED = moment("2026-12-06")


@pytest.mark.time_machine(LOADED.timestamp(), tick=False)
def test_the_last_quarters_reports_are_drafted_and_mostly_sent(db):
    build_demo()
    quarter = NarrativeReport.objects.filter(period="2026Q3", unit__level="commune")
    assert quarter.count() > 50
    sent = quarter.filter(state="sent")
    assert sent.count() > quarter.count() // 2
    assert sent.filter(sent_on__gt=LOADED.date()).count() == 0
    late = [r for r in sent.select_related("obligation") if r.sent_on > r.obligation.due_on]
    assert late and len(late) < sent.count()
    assert not NarrativeVersion.objects.filter(created_at__gt=LOADED).exists()
    province = NarrativeReport.objects.get(period="2026Q3", unit__level="province")
    keys = [s["key"] for s in province.versions.get().sections]
    assert "p1-ii-children" in keys
    assert NarrativeReport.objects.filter(period="2026").exists()
