"""Outreach at national scale: political-theory classes against plan, read from the roll-up of
record-backed indicators, and the cost of saving one class with the roll-up kept fresh.

Data: the national tree of `org_import` (root, 34 provinces, 3,321 communes, 15 party cells
each; imported here when missing). Every province has its political school and a commune
political centre for every CENTRE_SPAN communes (serving them); each centre and school has a
YEAR plan for every programme (classes and learners), and its classes of that year: for each
programme CLASSES_PER_PROGRAMME classes opened through the year (the plan met at 85–115 %),
each of 25–70 learners, closed a month later with 85–100 % completing. Every commune also has
one speaker with a session every month of YEAR (audience 30–200) and two exemplary models
recognised that year. All drawn from random.Random(SEED), bulk-inserted into the same tables
(paths filled as the services fill them), then counted into the record-backed indicators with
`figures.sources.refill` (the roll-up rows added, nothing else rebuilt). Made once, reused when
the counts are right (the bench's centres are named with TAG); otherwise made again.

Cases (as `bench.admin`, the whole country in scope):
- `plan_vs_actual_country`: `training.queries.plan_vs_actual_by_unit(user, root, YEAR)` — the
  34 provinces' classes and learners against plan, completion ("52/50 lớp, đạt 104% kế
  hoạch"), from the roll-up; `floor_ms` the same numbers from one hand-written GROUP BY over the
  raw classes and plans by province.
- `plan_vs_actual_province`: the same for province PROVINCE by commune.
- `save_class`: `training.services.class_create` of one class in a commune of PROVINCE (rules,
  audit, the three counted values of its month and their roll-up up the tree, in one
  transaction); `floor_ms` one hand-written count of that commune's classes of the month over
  the raw records. Each run's class is deleted afterwards, outside the timing. The roll-up of
  the commune, the province and the root is then compared with a count from the raw records.
`app_ms` and `floor_ms` are medians of RUNS after a warm-up; `queries` the SQL of one call.
"""

import random
import time
from datetime import date, timedelta

from ._common import bench_admin, median_ms, note

YEAR = 2025
CENTRE_SPAN = 3
CLASSES_PER_PROGRAMME = 2
SEED = 15
RUNS = 7
PROVINCE = "79"
TAG = "(bench)"
BATCH = 2000
TODAY = date(YEAR, 12, 31)


def _ours():
    from tuyengiao.training.models import PoliticalCentre

    return PoliticalCentre.objects.filter(name__endswith=TAG)


def _delete() -> None:
    from django.db import transaction

    from tuyengiao.outreach.models import Exemplar, OutreachSession, Speaker
    from tuyengiao.training.models import TrainingClass, TrainingPlan

    with transaction.atomic():
        centres = _ours()
        TrainingClass.objects.filter(centre__in=centres).delete()
        TrainingPlan.objects.filter(centre__in=centres).delete()
        centres.delete()
        speakers = Speaker.objects.filter(full_name__endswith=TAG)
        OutreachSession.objects.filter(speaker__in=speakers).delete()
        speakers.delete()
        Exemplar.objects.filter(name__endswith=TAG).delete()


def _expected(communes, provinces) -> int:
    return len(provinces) + sum(-(-len(c) // CENTRE_SPAN) for c in communes.values())


def _make(root, provinces, by_province) -> None:
    from django.db import transaction

    from tuyengiao.directives.services import document_register
    from tuyengiao.outreach.models import Exemplar, OutreachSession, Speaker
    from tuyengiao.oversight.models import WorkArea
    from tuyengiao.training.models import (
        CentreKind,
        PoliticalCentre,
        Programme,
        TrainingClass,
        TrainingPlan,
    )

    rng = random.Random(SEED)
    programmes = list(Programme.objects.filter(active=True).order_by("position"))
    note(f"making centres, plans and classes of {YEAR}")
    with transaction.atomic():
        centres, served = [], []
        for province in provinces:
            school = PoliticalCentre(
                unit=province,
                kind=CentreKind.PROVINCE_SCHOOL,
                name=f"Trường Chính trị {province.name} {TAG}",
            ).fill_path()
            centres.append(school)
            communes = by_province[province.pk]
            for start in range(0, len(communes), CENTRE_SPAN):
                group = communes[start : start + CENTRE_SPAN]
                centre = PoliticalCentre(
                    unit=group[0],
                    kind=CentreKind.COMMUNE_CENTRE,
                    name=f"Trung tâm Chính trị {group[0].name} {TAG}",
                ).fill_path()
                centres.append(centre)
                served.append((centre, group))
        PoliticalCentre.objects.bulk_create(centres, batch_size=BATCH)
        through = PoliticalCentre.served.through
        through.objects.bulk_create(
            [through(politicalcentre_id=c.pk, unit_id=u.pk) for c, group in served for u in group],
            batch_size=BATCH,
        )
        plans, classes, lists = [], [], []
        for centre in centres:
            group = next((g for c, g in served if c is centre), None) or []
            for programme in programmes:
                planned = CLASSES_PER_PROGRAMME
                learners = planned * rng.randint(30, 60)
                plans.append(
                    TrainingPlan(
                        unit=centre.unit,
                        centre=centre,
                        programme=programme,
                        year=YEAR,
                        classes_planned=planned,
                        learners_planned=learners,
                    ).fill_path()
                )
                held = planned + (1 if rng.random() < 0.15 else -1 if rng.random() < 0.15 else 0)
                for _n in range(held):
                    opened = date(YEAR, 1, 1) + timedelta(days=rng.randint(0, 300))
                    enrolled = rng.randint(25, 70)
                    classes.append(
                        TrainingClass(
                            unit=centre.unit,
                            centre=centre,
                            programme=programme,
                            opened_on=opened,
                            closed_on=opened + timedelta(days=30),
                            enrolled=enrolled,
                            completed=int(enrolled * rng.uniform(0.85, 1.0)),
                        ).fill_path()
                    )
                    lists.append(group or [centre.unit])
        TrainingPlan.objects.bulk_create(plans, batch_size=BATCH)
        TrainingClass.objects.bulk_create(classes, batch_size=BATCH)
        through = TrainingClass.communes.through
        through.objects.bulk_create(
            [
                through(trainingclass_id=k.pk, unit_id=u.pk)
                for k, group in zip(classes, lists, strict=True)
                for u in group
            ],
            batch_size=BATCH,
        )
        note(f"{len(centres)} centres, {len(plans)} plans, {len(classes)} classes")

        note("speakers, sessions and models")
        area = WorkArea.objects.order_by("pk").first()
        speakers, sessions, models = [], [], []
        for province in provinces:
            decision = document_register(
                None,
                unit=province,
                symbol=f"{900 + provinces.index(province)}-QĐ/BTGDVTU",
                issued_on=date(YEAR - 1, 12, 1),
                title="Quyết định công nhận báo cáo viên (bench)",
                field="decision",
                types={"QĐ"},
                what="quyết định",
            )
            for commune in by_province[province.pk]:
                speakers.append(
                    Speaker(
                        unit=commune,
                        full_name=f"Báo cáo viên {commune.code} {TAG}",
                        kind="reporter",
                        level="commune",
                        term="2025-2030",
                        decision=decision,
                        starts_on=date(YEAR, 1, 1),
                        ends_on=date(YEAR + 4, 12, 31),
                    ).fill_path()
                )
                for n in range(2):
                    models.append(
                        Exemplar(
                            unit=commune,
                            name=f"Mô hình {n + 1} của {commune.name} {TAG}",
                            area=area,
                            level="commune",
                            decision=decision,
                            recognised_on=date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                        ).fill_path()
                    )
        Speaker.objects.bulk_create(speakers, batch_size=BATCH)
        for speaker in speakers:
            for month in range(1, 13):
                sessions.append(
                    OutreachSession(
                        speaker=speaker,
                        unit_id=speaker.unit_id,
                        held_on=date(YEAR, month, rng.randint(1, 28)),
                        topic="Thông tin thời sự",
                        mode="in_person",
                        audience=rng.randint(30, 200),
                    ).fill_path()
                )
        OutreachSession.objects.bulk_create(sessions, batch_size=BATCH)
        Exemplar.objects.bulk_create(models, batch_size=BATCH)
        note(f"{len(speakers)} speakers, {len(sessions)} sessions, {len(models)} models")
    _count()


def _count() -> None:
    from tuyengiao.figures import sources
    from tuyengiao.figures.models import Indicator

    for indicator in Indicator.objects.exclude(source="").filter(
        source__startswith="training."
    ) | Indicator.objects.filter(source__startswith="outreach."):
        note(f"counting {indicator.code}")
        sources.refill(indicator)


def _data():
    from tuyengiao.org.models import Level, Unit

    from .oversight import _tree

    root, communes = _tree()
    provinces = list(Unit.objects.filter(level=Level.PROVINCE).order_by("code"))
    by_province = {p.pk: [] for p in provinces}
    for commune in communes:
        by_province.setdefault(commune.parent_id, []).append(commune)
    if _ours().count() != _expected(by_province, provinces):
        _delete()
        _make(root, provinces, by_province)
    return root


def _floor_by_unit(unit, year: int):
    """The by-unit figures from one hand-written GROUP BY over the raw classes and plans."""
    from django.db import connection

    from tuyengiao.training.models import TrainingClass, TrainingPlan

    width = len(unit.path) + 4
    classes = connection.ops.quote_name(TrainingClass._meta.db_table)
    plans = connection.ops.quote_name(TrainingPlan._meta.db_table)
    start, end = date(year, 1, 1), date(year, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT SUBSTR(unit_path, 1, {width}), COUNT(*), SUM(enrolled) FROM {classes} "
            "WHERE unit_path >= %s AND unit_path < %s AND opened_on BETWEEN %s AND %s "
            f"GROUP BY SUBSTR(unit_path, 1, {width})",
            [unit.path, unit.path + "~", start, end],
        )
        opened = cursor.fetchall()
        cursor.execute(
            f"SELECT SUBSTR(unit_path, 1, {width}), SUM(enrolled), SUM(completed) FROM {classes} "
            "WHERE unit_path >= %s AND unit_path < %s AND closed_on BETWEEN %s AND %s "
            f"GROUP BY SUBSTR(unit_path, 1, {width})",
            [unit.path, unit.path + "~", start, end],
        )
        closed = cursor.fetchall()
        cursor.execute(
            f"SELECT SUBSTR(unit_path, 1, {width}), SUM(classes_planned), SUM(learners_planned) "
            f"FROM {plans} WHERE unit_path >= %s AND unit_path < %s AND year = %s "
            f"GROUP BY SUBSTR(unit_path, 1, {width})",
            [unit.path, unit.path + "~", year],
        )
        planned = cursor.fetchall()
    return opened, closed, planned


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _table_case(name, user, unit):
    from tuyengiao.periods import Period
    from tuyengiao.training import queries

    period = Period.parse(str(YEAR))
    table = queries.plan_vs_actual_by_unit(user, unit, period)
    # the roll-up agrees with the raw records
    opened, closed, planned = _floor_by_unit(unit, YEAR)
    raw = {path: n for path, n, _e in opened}
    got = {line.unit.path: line.figures.classes for line in table if line.unit}
    assert got == {p: n for p, n in raw.items() if n}, "the roll-up differs from the records"
    app = median_ms(lambda: queries.plan_vs_actual_by_unit(user, unit, period), runs=RUNS)
    floor = median_ms(lambda: _floor_by_unit(unit, YEAR), runs=RUNS)
    return {
        "case": name,
        "rows": len(table),
        "app_ms": app,
        "floor_ms": floor,
        "ratio": round(app / floor, 2) if floor else None,
        "queries": _queries(lambda: queries.plan_vs_actual_by_unit(user, unit, period)),
    }


def _save_case(user, province):
    from django.db import connection

    from tuyengiao.figures.models import SCALE, Indicator, Rollup
    from tuyengiao.training import services
    from tuyengiao.training.models import Programme, TrainingClass

    centre = _ours().filter(unit__parent=province, kind="commune_centre").order_by("pk").first()
    communes = list(centre.served.all())
    programme = Programme.objects.filter(active=True).order_by("position").first()
    made = []
    day = date(YEAR, 6, 15)

    def save():
        made.append(
            services.class_create(
                actor=None,
                centre=centre,
                programme=programme,
                communes=communes,
                opened_on=day,
                enrolled=40,
                today=TODAY,
            )
        )

    def cleanup():
        while made:
            services.class_delete(actor=None, klass=made.pop())

    table = connection.ops.quote_name(TrainingClass._meta.db_table)

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), SUM(enrolled) FROM {table} "
                "WHERE unit_id = %s AND opened_on BETWEEN %s AND %s",
                [centre.unit_id, date(YEAR, 6, 1), date(YEAR, 6, 30)],
            )
            return cursor.fetchone()

    times = []
    for n in range(RUNS + 1):
        start = time.perf_counter()
        save()
        elapsed = (time.perf_counter() - start) * 1000
        if n:
            times.append(elapsed)
        if n < RUNS:
            cleanup()
    times.sort()
    queries_one = _queries(save)
    # fresh: the stored roll-up of the commune, the province and the root equals the records
    indicator = Indicator.objects.get(source="training.classes")
    for unit in (centre.unit, province, province.parent):
        stored = Rollup.objects.filter(unit=unit, indicator=indicator, period=str(YEAR)).first()
        raw = TrainingClass.objects.filter(
            unit_path__startswith=unit.path, opened_on__year=YEAR
        ).count()
        assert (stored.total // SCALE if stored else 0) == raw, (unit, stored, raw)
    cleanup()
    floor_ms = median_ms(floor, runs=RUNS)
    app = round(times[len(times) // 2], 1)
    return {
        "case": "save_class",
        "rows": 1,
        "app_ms": app,
        "floor_ms": floor_ms,
        "ratio": round(app / floor_ms, 2) if floor_ms else None,
        "queries": queries_one,
    }


def run():
    from tuyengiao.org.models import Unit

    root = _data()
    user = bench_admin()
    _unit = user.unit
    province = Unit.objects.get(code=PROVINCE)
    yield _table_case("plan_vs_actual_country", user, root)
    yield _table_case("plan_vs_actual_province", user, province)
    yield _save_case(user, province)
