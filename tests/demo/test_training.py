"""The demo's political-theory training: centres for the communes and the province's school,
plans for this year and last, classes up to the day the demo is loaded (some running, some
programmes below plan, one small class confirmed) — on whatever day it is loaded."""

from datetime import date, datetime, time

import pytest

from tests.clock import VIETNAM
from tuyengiao.demo.org import DEMO_COMMUNE, build_accounts, build_structure
from tuyengiao.demo.training import build_training
from tuyengiao.org.models import User
from tuyengiao.periods import Period
from tuyengiao.training import queries
from tuyengiao.training.models import CentreKind, PoliticalCentre, TrainingClass, TrainingPlan


@pytest.mark.parametrize("day", [date(2026, 1, 3), date(2026, 7, 1), date(2026, 12, 6)])
def test_training_on_any_day(db, day, time_machine):
    now = datetime.combine(day, time(6, 5), tzinfo=VIETNAM)
    time_machine.move_to(now.timestamp(), tick=False)
    province = build_structure()
    build_accounts(province)
    build_training(province, day)
    assert PoliticalCentre.objects.filter(kind=CentreKind.PROVINCE_SCHOOL).count() == 1
    assert PoliticalCentre.objects.filter(unit__code=DEMO_COMMUNE).exists()
    assert set(TrainingPlan.objects.values_list("year", flat=True)) == {day.year - 1, day.year}
    classes = TrainingClass.objects.all()
    assert not classes.filter(opened_on__gt=day).exists()
    assert not classes.filter(closed_on__gt=day).exists()
    assert classes.filter(closed_on__isnull=True).exists()
    assert classes.filter(small_confirmed=True).count() == 1
    manager = User.objects.get(username="tinh.quanly")
    report = queries.plan_vs_actual(manager, province, Period.of("year", day))
    assert any(line.figures.classes < line.figures.classes_planned for line in report.by_programme)
    build_training(province, day)  # again: reuses what exists
    assert TrainingClass.objects.count() == classes.count()
