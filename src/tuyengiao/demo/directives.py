"""Demo documents sent down the demo province, their steps recorded late or on time."""

import random
from datetime import date, timedelta

from tuyengiao.deadlines.services import (
    obligations_complete_many,
)
from tuyengiao.org.models import Kind, Level, Unit

DIRECTIVES = [
    (
        "01-KL/TW",
        date(2021, 5, 18),
        "Kết luận của Bộ Chính trị về tiếp tục thực hiện Chỉ thị "
        "05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "35-NQ/TW",
        date(2018, 10, 22),
        "Nghị quyết của Bộ Chính trị về tăng cường bảo vệ nền tảng tư tưởng của Đảng, "
        "đấu tranh phản bác các quan điểm sai trái, thù địch trong tình hình mới",
    ),
    (
        "05-CT/TW",
        date(2016, 5, 15),
        "Chỉ thị của Bộ Chính trị về đẩy mạnh học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
]


def build_directives(province: Unit, today: date) -> None:
    """Real documents sent down the province, with a mix of on-time, late and overdue steps."""
    from tuyengiao.directives.models import Directive, Step, StepKind
    from tuyengiao.directives.services import (
        StepPlan,
        directive_register,
        directive_send,
        receivers_by,
    )

    if Directive.objects.filter(unit=province).exists():
        return
    rng = random.Random(today.year + 1)
    office = Unit.objects.filter(parent=province, kind=Kind.AGENCY).order_by("path").first()
    sent_on = date(today.year, 1, 12)
    communes = receivers_by(province, levels=[Level.COMMUNE], kinds=[Kind.COMMITTEE])
    for index, (symbol, issued_on, title) in enumerate(DIRECTIVES):
        directive = directive_register(
            actor=None, unit=province, symbol=symbol, issued_on=issued_on, title=title
        )
        plan = [
            StepPlan(StepKind.PLAN, days_after=20),
            StepPlan(StepKind.STUDY, days_after=45),
            StepPlan(StepKind.OUTREACH, months_after=3),
            StepPlan(StepKind.REPORT, months_after=10),
        ]
        if index == 0:
            plan.append(StepPlan(StepKind.INTERIM_REVIEW, months_after=11))
        directive_send(
            actor=None,
            directive=directive,
            sender=province,
            receivers=communes,
            plan=plan,
            sent_on=sent_on + timedelta(days=14 * index),
        )
        if office is not None and index == 0:
            directive_send(
                actor=None,
                directive=directive,
                sender=province,
                receivers=[office],
                plan=plan[:2],
                sent_on=sent_on,
            )
        if index == 0:
            for commune in communes:
                cells = receivers_by(commune, kinds=[Kind.CELL])
                directive_send(
                    actor=None,
                    directive=directive,
                    sender=commune,
                    receivers=cells,
                    plan=[StepPlan(StepKind.STUDY, days_after=30)],
                    sent_on=sent_on + timedelta(days=5),
                )
        _record_demo_steps(Step.objects.filter(directive=directive), today, rng)


def _record_demo_steps(steps, today: date, rng: random.Random) -> None:
    from tuyengiao.directives.models import Step, StepKind

    steps = list(steps.select_related("obligation"))
    diligence: dict[int, float] = {}
    done_steps, done_obligations = [], []
    for step in steps:
        rate = diligence.setdefault(step.unit_id, rng.uniform(0.55, 0.98))
        if step.due_on >= today:
            continue
        roll = rng.random()
        if roll < rate:
            step.done_on = step.due_on - timedelta(days=rng.randint(0, 10))
        elif roll < rate + (1 - rate) * 0.6:
            step.done_on = min(today, step.due_on + timedelta(days=rng.randint(1, 25)))
        else:
            continue
        if step.kind == StepKind.STUDY:
            step.expected = rng.randint(15, 60)
            step.attendees_members = int(step.expected * rng.uniform(0.8, 1.0))
            step.attendees_cadres = rng.randint(1, 5)
        elif step.kind == StepKind.PLAN:
            step.own_symbol = f"{rng.randint(1, 99):02d}-KH/ĐU"
            step.own_issued_on = step.done_on
        elif step.kind == StepKind.OUTREACH:
            step.channels = rng.choice(["Loa truyền thanh, hội nghị thôn", "Zalo, trang tin xã"])
            step.audience = rng.randint(300, 4000)
        else:
            step.report_text = "Báo cáo kết quả thực hiện (dữ liệu mẫu)."
        done_steps.append(step)
        done_obligations.append((step.obligation, step.done_on))
    Step.objects.bulk_update(
        done_steps,
        [
            "done_on",
            "expected",
            "attendees_members",
            "attendees_cadres",
            "own_symbol",
            "own_issued_on",
            "channels",
            "audience",
            "report_text",
        ],
        batch_size=1000,
    )
    obligations_complete_many(actor=None, done=done_obligations, verb="demo")
