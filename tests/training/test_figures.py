"""Classes and plans back the figures: counted at once, rolled up, read by the plan-vs-actual
table by unit, and the same as a count over the raw records after random writes and merges."""

import random
from datetime import date

from tests.training.conftest import TODAY, centre, klass, programme
from tuyengiao.figures.models import SCALE, Rollup
from tuyengiao.org.models import within
from tuyengiao.org.services import unit_merge, unit_move
from tuyengiao.periods import Period
from tuyengiao.training import queries, services
from tuyengiao.training.models import TrainingClass, TrainingPlan


def _stored(unit, code: str, period: str) -> int:
    row = Rollup.objects.filter(unit=unit, indicator__code=code, period=period).first()
    return (row.total // SCALE) if row else 0


def test_a_class_and_a_plan_count_at_once_up_the_tree(world):
    made = centre(None, world.commune)
    services.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=50,
        learners_planned=2000,
    )
    one = klass(None, made, enrolled=40, opened_on=date(2026, 3, 2))
    for unit in (world.commune, world.province, world.root):
        assert _stored(unit, "LLCT_LOP", "2026-03") == 1
        assert _stored(unit, "LLCT_HV", "2026Q1") == 40
        assert _stored(unit, "LLCT_LOP_KH", "2026") == 50
    services.class_update(
        actor=None, klass=one, closed_on=date(2026, 4, 2), completed=38, today=TODAY
    )
    assert _stored(world.province, "LLCT_HV_HT", "2026-04") == 38
    assert _stored(world.province, "LLCT_HV_BG", "2026Q2") == 40
    assert _stored(world.province, "LLCT_LOP_BG", "2026") == 1

    lines = queries.plan_vs_actual_by_unit(
        world.province_manager, world.province, Period.parse("2026")
    )
    [line] = [line for line in lines if line.unit == world.commune]
    assert line.classes_text == "1/50 lớp, đạt 2% kế hoạch"
    assert line.completion_text == "38/40 học viên, đạt 95%"
    services.class_delete(actor=None, klass=one)
    assert _stored(world.root, "LLCT_LOP", "2026") == 0


def _raw(model, unit, field: str, start: date, end: date, weight: str | None):
    rows = model.objects.filter(
        within("unit_path", unit.path), **{f"{field}__gte": start, f"{field}__lte": end}
    )
    return sum(rows.values_list(weight, flat=True)) if weight else rows.count()


def test_random_classes_moves_and_merges_match_a_raw_count(world):
    rng = random.Random(16)
    centres = [
        centre(None, world.commune),
        centre(None, world.commune2, name="Trung tâm Ngân Sơn", served=[world.commune2]),
    ]
    made = []
    every = [world.root, world.province, world.commune, world.commune2, world.other_province]

    def check():
        for unit in every:
            unit.refresh_from_db()
            for period in ("2026-02", "2026Q1", "2026S1", "2026"):
                p = Period.parse(period)
                assert _stored(unit, "LLCT_LOP", period) == _raw(
                    TrainingClass, unit, "opened_on", p.start, p.end, None
                ), (unit, period)
                assert _stored(unit, "LLCT_HV", period) == _raw(
                    TrainingClass, unit, "opened_on", p.start, p.end, "enrolled"
                ), (unit, period)
                assert _stored(unit, "LLCT_HV_HT", period) == _raw(
                    TrainingClass, unit, "closed_on", p.start, p.end, "completed"
                ), (unit, period)
            planned = sum(
                TrainingPlan.objects.filter(within("unit_path", unit.path), year=2026).values_list(
                    "classes_planned", flat=True
                )
            )
            assert _stored(unit, "LLCT_LOP_KH", "2026") == planned

    for step in range(30):
        roll = rng.random()
        at = rng.choice([c for c in centres if c.active] or centres)
        at.refresh_from_db()
        if roll < 0.5 or not made:
            opened = date(2026, rng.randint(1, 5), rng.randint(1, 28))
            made.append(
                klass(
                    None,
                    at,
                    communes=list(at.served.all()) or [at.unit],
                    enrolled=rng.randint(25, 60),
                    opened_on=opened,
                )
            )
        elif roll < 0.75:
            one = made[rng.randrange(len(made))]
            one.refresh_from_db()
            services.class_update(
                actor=None,
                klass=one,
                closed_on=date(2026, 6, rng.randint(1, 28)),
                completed=rng.randint(0, one.enrolled),
                today=TODAY,
            )
        elif roll < 0.85:
            services.plan_set(
                actor=None,
                centre=at,
                programme=programme(),
                year=2026,
                classes_planned=rng.randint(0, 9),
                learners_planned=rng.randint(0, 400),
            )
        else:
            one = made.pop(rng.randrange(len(made)))
            one.refresh_from_db()
            services.class_delete(actor=None, klass=one)
        if step == 10:
            unit_move(actor=None, unit=world.commune2, new_parent=world.other_province)
            check()
        if step == 20:
            unit_move(actor=None, unit=world.commune2, new_parent=world.province)
            unit_merge(
                actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 7, 1)
            )
            check()
    check()
