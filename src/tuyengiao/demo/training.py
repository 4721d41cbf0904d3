"""Demo political-theory training for the demo province: a political centre for about every
three communes (Xã Ngân Sơn runs one), the province's political school, plans for each
programme this year and last, and the classes of both years up to the day the demo is loaded —
some running, some programmes below plan, one small class confirmed (last year's first class
for new party members at Xã Ngân Sơn's centre).

The magnitudes follow the quarterly figures the demo enters (LLCT-QUY: one to four classes of
30 to 50 learners a commune and quarter). Everything goes through the services; deterministic
from `today`; no date after it.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from tuyengiao.org.models import Kind, Level, Unit, within

from .org import DEMO_COMMUNE

# Days from opening to closing, by programme code (sơ cấp runs for weeks, the rest days).
LENGTH = {
    "so-cap-llct": (45, 75),
    "dang-vien-moi": (5, 8),
    "nhan-thuc-ve-dang": (3, 5),
    "nghiep-vu-cong-tac-dang": (3, 5),
    "cap-nhat-kien-thuc": (2, 4),
    "chuyen-de": (1, 2),
}
SCHOOL_PROGRAMMES = ("nghiep-vu-cong-tac-dang", "cap-nhat-kien-thuc", "chuyen-de")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def build_training(province: Unit, today: date) -> None:
    """The centres, plans and classes of the demo province (once)."""
    from tuyengiao.training.models import PoliticalCentre

    if PoliticalCentre.objects.filter(within("unit_path", province.path)).exists():
        return
    with transaction.atomic():
        _build(province, today)


def _centres(province: Unit) -> list:
    from tuyengiao.training import services

    communes = list(
        Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=Kind.COMMITTEE)
        .active()
        .order_by("path")
    )
    demo = [c for c in communes if c.code == DEMO_COMMUNE]
    rest = [c for c in communes if c.code != DEMO_COMMUNE]
    ordered = demo + rest
    centres = []
    for start in range(0, len(ordered), 3):
        group = ordered[start : start + 3]
        centres.append(
            services.centre_create(
                actor=None,
                unit=group[0],
                name=f"Trung tâm Chính trị {_lower_first(group[0].name)}",
                served=group,
            )
        )
    centres.append(
        services.centre_create(
            actor=None, unit=province, name=f"Trường Chính trị {_lower_first(province.name)}"
        )
    )
    return centres


def _build(province: Unit, today: date) -> None:
    from tuyengiao.training import services
    from tuyengiao.training.models import CentreKind, Programme

    rng = random.Random(today.year * 100 + 36)
    centres = _centres(province)
    programmes = list(Programme.objects.filter(active=True).order_by("position"))
    small_done = False
    for year in (today.year - 1, today.year):
        first = date(year, 1, 1)
        for centre in centres:
            school = centre.kind == CentreKind.PROVINCE_SCHOOL
            served = list(services.served_communes(centre).order_by("path"))
            if not served:
                continue
            for programme in programmes:
                if school and programme.code not in SCHOOL_PROGRAMMES:
                    continue
                planned = rng.randint(2, 6) if school else rng.randint(1, 3)
                size = rng.randint(35, 50) if not school else rng.randint(50, 80)
                services.plan_set(
                    actor=None,
                    centre=centre,
                    programme=programme,
                    year=year,
                    classes_planned=planned,
                    learners_planned=planned * size,
                )
                # most programmes keep to the plan, a few open one more, some one less
                opened = planned + rng.choice([0, 0, 0, 1, -1, -1])
                for index in range(max(0, opened)):
                    day = first + timedelta(
                        days=int((index + rng.uniform(0.1, 0.9)) / max(opened, 1) * 364)
                    )
                    if day > today:
                        continue  # not yet opened: this year is below its plan so far
                    small = (
                        not small_done
                        and centre.unit.code == DEMO_COMMUNE
                        and programme.code == "dang-vien-moi"
                    )
                    enrolled = (
                        rng.randint(18, 23) if small else rng.randint(max(25, size - 12), size + 10)
                    )
                    low, high = LENGTH.get(programme.code, (2, 5))
                    closes = day + timedelta(days=rng.randint(low, high))
                    running = closes > today
                    services.class_create(
                        actor=None,
                        centre=centre,
                        programme=programme,
                        title=f"Lớp {programme.name.lower()} khóa {index + 1}/{year}",
                        communes=rng.sample(served, k=min(len(served), rng.randint(1, 3))),
                        opened_on=day,
                        enrolled=enrolled,
                        closed_on=None if running else closes,
                        completed=None if running else enrolled - rng.randint(0, 3),
                        confirm_small=small,
                        today=today,
                    )
                    small_done = small_done or small
