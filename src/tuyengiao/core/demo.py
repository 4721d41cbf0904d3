"""The demo organisation: one real province, generated party cells, accounts and a year of work.

Deterministic: the same date gives the same data. Running it again reuses what exists.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.deadlines.services import obligations_create_many
from tuyengiao.org.imports import divisions_import, province_code
from tuyengiao.org.models import Kind, Level, Role, Unit, User
from tuyengiao.org.services import NewUnit, units_create_many

DEMO_PROVINCE = "19"  # Thái Nguyên: 92 communes and wards, Ngân Sơn among them
DEMO_COMMUNE = "01954"  # Xã Ngân Sơn
DEMO_PASSWORD = "TuyenGiao@2026"

VILLAGES = [
    "Nà Pài",
    "Bản Chang",
    "Khuổi Slương",
    "Cốc Lào",
    "Nà Lạn",
    "Tổng Hoá",
    "Pác Cáp",
    "Nà Lẹng",
    "Hoà Bình",
    "Đồng Tâm",
    "Tân Lập",
    "Thống Nhất",
    "Quyết Tiến",
    "Làng Mới",
    "Bản Sảng",
]
AGENCY_CELLS = [
    "Chi bộ Trường Tiểu học",
    "Chi bộ Trường THCS",
    "Chi bộ Trạm Y tế",
    "Chi bộ Công an",
]


@dataclass
class DemoAccount:
    username: str
    role: str
    unit_code: str | None  # None: the province office itself
    full_name: str
    position: str


ACCOUNTS = [
    DemoAccount("admin", Role.ADMINISTRATOR, None, "Quản trị hệ thống", "Quản trị viên"),
    DemoAccount("tinh.quanly", Role.MANAGER, None, "Nguyễn Thị Hoà", "Phó Trưởng Ban"),
    DemoAccount("tinh.chuyenvien", Role.STAFF, None, "Trần Văn Bình", "Chuyên viên"),
    DemoAccount("xa.nganson", Role.STAFF, DEMO_COMMUNE, "Hoàng Văn Nam", "Chuyên viên Ban XDĐ"),
    DemoAccount("xa.quanly", Role.MANAGER, DEMO_COMMUNE, "Lục Thị Mai", "Trưởng Ban XDĐ"),
    DemoAccount("chibo.xem", Role.VIEWER, "cell", "Ma Văn Sơn", "Bí thư chi bộ"),
    DemoAccount("ctv.nganson", Role.COLLABORATOR, DEMO_COMMUNE, "Nông Thị Lan", "Cộng tác viên"),
]


def cells_for(commune: Unit, rng: random.Random) -> list[NewUnit]:
    count = rng.randint(8, 15)
    if commune.name.startswith("Phường"):
        names = [f"Chi bộ Tổ dân phố số {i}" for i in range(1, count + 1)]
    else:
        names = [f"Chi bộ thôn {v}" for v in rng.sample(VILLAGES, min(count, len(VILLAGES)))]
    names += rng.sample(AGENCY_CELLS, 2)
    rows = [NewUnit(parent=commune, name=n, kind=Kind.CELL) for n in names]
    rows.append(NewUnit(parent=commune, name="Ban Xây dựng Đảng", kind=Kind.AGENCY))
    return rows


@transaction.atomic
def build_structure() -> Unit:
    divisions_import(province=DEMO_PROVINCE)
    province = Unit.objects.get(code=province_code(DEMO_PROVINCE))
    if Unit.objects.filter(parent=province, kind=Kind.AGENCY).exists():
        return province
    rng = random.Random(19)
    rows = [
        NewUnit(
            parent=province,
            name="Ban Tuyên giáo và Dân vận Tỉnh ủy",
            kind=Kind.AGENCY,
            short_name="BTGDVTU",
        ),
        NewUnit(parent=province, name="Trường Chính trị tỉnh", kind=Kind.AGENCY),
    ]
    for commune in Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"):
        rows += cells_for(commune, rng)
    units_create_many(actor=None, rows=rows, verb="demo")
    return province


def build_accounts(province: Unit) -> list[tuple[DemoAccount, User]]:
    created = []
    cell = Unit.objects.filter(parent__code=DEMO_COMMUNE, kind=Kind.CELL).order_by("path").first()
    for account in ACCOUNTS:
        if account.unit_code is None:
            unit = province
        elif account.unit_code == "cell":
            unit = cell
        else:
            unit = Unit.objects.get(code=account.unit_code)
        user = User.objects.filter(username=account.username).first()
        if user is None:
            last, _sep, first = account.full_name.rpartition(" ")
            user = User(
                username=account.username,
                unit=unit,
                role=account.role,
                first_name=last,
                last_name=first,
                position=account.position,
                is_staff=account.username == "admin",
                is_superuser=account.username == "admin",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        created.append((account, user))
    return created


MONTHLY_REPORT = "Báo cáo công tác tuyên giáo tháng {m}/{y}"
QUARTER_TASKS = [
    "Sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh quý {q}/{y}",
    "Tổng hợp tình hình tư tưởng, dư luận xã hội quý {q}/{y}",
]


def build_obligations(province: Unit, today: date) -> int:
    """A year of work with a realistic mix: mostly on time, some late, some overdue."""
    if Obligation.objects.filter(unit_path__startswith=province.path).exists():
        return 0
    rng = random.Random(today.year)
    year = today.year
    items = []
    communes = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code")
    cells = Unit.objects.filter(parent__parent=province, kind=Kind.CELL).order_by("path")
    for unit in communes:
        diligence = rng.uniform(0.55, 0.97)
        for month in range(1, 13):
            due = date(year, month, 25)
            items.append(
                _obligation(
                    unit,
                    MONTHLY_REPORT.format(m=month, y=year),
                    due,
                    today,
                    rng,
                    diligence,
                    ObligationKind.REPORT,
                )
            )
    for unit in cells:
        diligence = rng.uniform(0.5, 0.98)
        for quarter in range(1, 5):
            due = date(year, quarter * 3, 20)
            for title in QUARTER_TASKS:
                items.append(
                    _obligation(
                        unit,
                        title.format(q=quarter, y=year),
                        due,
                        today,
                        rng,
                        diligence,
                        ObligationKind.TASK,
                    )
                )
    obligations_create_many(actor=None, items=items, verb="demo")
    return len(items)


def _obligation(unit, title, due, today, rng, diligence, kind) -> Obligation:
    done_on = None
    if due < today:
        roll = rng.random()
        if roll < diligence:
            done_on = due - timedelta(days=rng.randint(0, 6))
        elif roll < diligence + (1 - diligence) * 0.6:
            done_on = min(today, due + timedelta(days=rng.randint(1, 20)))
    elif rng.random() < 0.25 and due - timedelta(days=10) < today:
        done_on = today - timedelta(days=rng.randint(0, 3))
    return Obligation(unit=unit, kind=kind, title=title, due_on=due, done_on=done_on)


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
    from tuyengiao.deadlines.models import Obligation
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
        step.obligation.done_on = step.done_on
        done_steps.append(step)
        done_obligations.append(step.obligation)
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
    Obligation.objects.bulk_update(done_obligations, ["done_on"], batch_size=1000)


def build_demo(today: date | None = None) -> list[tuple[DemoAccount, User]]:
    today = today or timezone.localdate()
    province = build_structure()
    accounts = build_accounts(province)
    build_obligations(province, today)
    build_directives(province, today)
    return accounts
