"""Demo narrative reports: quarterly (from the last quarter) and yearly (this year) reports owed
by the province and its communes; the communes' reports of the last quarter drafted from the
data and most of them sent (some late), the province's own report of that quarter drafted from
their roll-up.

Through the services (drafted by the province's manager, who sees every commune); deterministic
from `today`; nothing dated after it. Loading again reuses what exists.
"""

import random
from datetime import date, timedelta

from tuyengiao.narratives import services
from tuyengiao.narratives.models import NarrativeReport, NarrativeSchedule
from tuyengiao.org.models import Level, Unit, User
from tuyengiao.periods import Period

SCHEDULES = [("quarter", 10), ("year", 15)]
SENT_SHARE = 0.8  # of the communes' reports of the last quarter
LATE_SHARE = 0.2  # of those sent


def build_narratives(province: Unit, today: date) -> None:
    quarter = Period.of("quarter", today).previous()
    # From the last quarter and this year: the demo's units owe no report of a period whose
    # work the demo never wrote up.
    first = {"quarter": quarter.id, "year": Period.of("year", today).id}
    for kind, due_days in SCHEDULES:
        NarrativeSchedule.objects.get_or_create(
            period_kind=kind,
            defaults={
                "levels": [Level.PROVINCE, Level.COMMUNE],
                "due_days": due_days,
                "first_period": first[kind],
            },
        )
    services.narratives_schedule(today)
    manager = User.objects.get(username="tinh.quanly")
    rng = random.Random(quarter.id)
    reports = (
        NarrativeReport.objects.filter(unit__parent=province, period=quarter.id)
        .select_related("unit", "obligation")
        .order_by("unit__code", "id")
    )
    for report in reports:
        roll = rng.random()
        if report.versions.exists() or report.is_sent:
            continue
        services.narrative_draft(actor=manager, report=report, today=today)
        if roll >= SENT_SHARE or report.obligation is None:
            continue
        due = report.obligation.due_on
        late = rng.random() < LATE_SHARE
        day = (
            due + timedelta(days=rng.randint(1, 6)) if late else due - timedelta(rng.randint(0, 4))
        )
        day = max(min(day, today), quarter.end + timedelta(days=1))
        if day > today:
            continue
        services.narrative_send(
            actor=manager, report=report, number=str(rng.randint(10, 99)), today=day
        )
    own = NarrativeReport.objects.filter(unit=province, period=quarter.id).first()
    if own is not None and not own.versions.exists():
        services.narrative_draft(actor=manager, report=own, today=today)
