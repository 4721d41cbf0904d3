"""The demo organisation: one real province, generated party cells, the demo accounts and a
year of plain tasks."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.deadlines.services import (
    NewObligation,
    obligations_complete_many,
    obligations_create_many,
)
from tuyengiao.org.imports import divisions_import, province_code
from tuyengiao.org.models import Kind, Level, Role, Unit, User
from tuyengiao.org.services import NewUnit, units_create_many
from tuyengiao.periods import Period, titled

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


QUARTER_TASKS = [
    "Sinh hoạt chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh quý",
    "Tổng hợp tình hình tư tưởng, dư luận xã hội quý",
]


def build_obligations(province: Unit, today: date) -> int:
    """A year of work with a realistic mix: mostly on time, some late, some overdue.

    The communes' monthly reports are not here: they are the obligations of the figures report
    form (build_figures), owed and sent like every periodic report."""
    if Obligation.objects.filter(
        unit_path__startswith=province.path, kind=ObligationKind.TASK
    ).exists():
        return 0
    rng = random.Random(today.year)
    year = today.year
    items, done_on = [], []
    cells = Unit.objects.filter(parent__parent=province, kind=Kind.CELL).order_by("path")
    for unit in cells:
        diligence = rng.uniform(0.5, 0.98)
        for quarter in range(1, 5):
            due = date(year, quarter * 3, 20)
            for title in QUARTER_TASKS:
                items.append(
                    NewObligation(
                        unit=unit,
                        kind=ObligationKind.TASK,
                        title=titled(title, Period.parse(f"{year}Q{quarter}")),
                        due_on=due,
                    )
                )
                done_on.append(_done_on(due, today, rng, diligence))
    created = obligations_create_many(actor=None, items=items, verb="demo")
    obligations_complete_many(
        actor=None,
        done=[(o, day) for o, day in zip(created, done_on, strict=True) if day is not None],
        verb="demo",
    )
    return len(items)


def _done_on(due: date, today: date, rng: random.Random, diligence: float) -> date | None:
    """When a unit of this diligence did work due on `due`, as of `today` (None: not yet)."""
    done_on = None
    if due < today:
        roll = rng.random()
        if roll < diligence:
            done_on = due - timedelta(days=rng.randint(0, 6))
        elif roll < diligence + (1 - diligence) * 0.6:
            done_on = min(today, due + timedelta(days=rng.randint(1, 20)))
    elif rng.random() < 0.25 and due - timedelta(days=10) < today:
        done_on = today - timedelta(days=rng.randint(0, 3))
    return done_on
