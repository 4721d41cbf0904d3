"""Shared test personas, in the spirit of named test users.

The tree: Trung ương → Tỉnh A → (Xã A1 → Chi bộ A1a, Chi bộ A1b; Xã A2; Ban Tuyên giáo A)
                     → Tỉnh B → Xã B1 → Chi bộ B1a
Personas: province_manager (Tỉnh A, manager), province_admin (Tỉnh A, administrator),
commune_staff (Xã A1, staff), cell_viewer (Chi bộ A1a, viewer), collaborator (Xã A1),
neighbour (Tỉnh B, manager) — the one who must never see anything of Tỉnh A.

The clock: TUYENGIAO_TEST_CLOCK=2028-02-29T12:00+07:00 moves the whole session to that moment,
ticking (`make test-clock CLOCK=...`); tests/clock.py says how a test that depends on "today"
keeps its own day.
"""

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.utils import timezone

from tests.clock import CLOCK_VARIABLE, moment, moved_clock
from tests.factories import UnitFactory, UserFactory
from tuyengiao.concerns.queries import forget_topics
from tuyengiao.org.models import Kind, Role, Unit, User


@dataclass
class World:
    root: Unit
    province: Unit
    commune: Unit
    commune2: Unit
    office: Unit
    cell: Unit
    cell2: Unit
    other_province: Unit
    other_commune: Unit
    other_cell: Unit
    province_manager: User
    province_admin: User
    commune_staff: User
    cell_viewer: User
    collaborator: User
    neighbour: User


def build_world() -> World:
    root = UnitFactory(name="Trung ương", code="VN")
    province = UnitFactory(parent=root, name="Tỉnh A", code="91")
    commune = UnitFactory(parent=province, name="Xã Hoà An", code="90001")
    commune2 = UnitFactory(parent=province, name="Xã Ngân Sơn", code="90002")
    office = UnitFactory(
        parent=province, name="Ban Tuyên giáo và Dân vận Tỉnh ủy A", kind=Kind.AGENCY
    )
    cell = UnitFactory(parent=commune, name="Chi bộ thôn Nà Pài", kind=Kind.CELL)
    cell2 = UnitFactory(parent=commune, name="Chi bộ thôn Bản Chang", kind=Kind.CELL)
    other_province = UnitFactory(parent=root, name="Tỉnh B", code="92")
    other_commune = UnitFactory(parent=other_province, name="Xã Hòa Bình", code="90003")
    other_cell = UnitFactory(parent=other_commune, name="Chi bộ thôn Một", kind=Kind.CELL)
    return World(
        root=root,
        province=province,
        commune=commune,
        commune2=commune2,
        office=office,
        cell=cell,
        cell2=cell2,
        other_province=other_province,
        other_commune=other_commune,
        other_cell=other_cell,
        province_manager=UserFactory(username="tinh", unit=province, role=Role.MANAGER),
        province_admin=UserFactory(username="quantri", unit=province, role=Role.ADMINISTRATOR),
        commune_staff=UserFactory(username="xa", unit=commune, role=Role.STAFF),
        cell_viewer=UserFactory(username="chibo", unit=cell, role=Role.VIEWER),
        collaborator=UserFactory(username="ctv", unit=commune, role=Role.COLLABORATOR),
        neighbour=UserFactory(username="tinhb", unit=other_province, role=Role.MANAGER),
    )


def pytest_configure(config):
    when = moved_clock()
    if when is not None:
        # The live server's thread sees it too: time-machine patches the C-level clock. A
        # timestamp, so that time-machine leaves the TZ variable to Django's TIME_ZONE.
        traveller = time_machine.travel(when.timestamp(), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_terminal_summary(terminalreporter):
    when = moved_clock()
    if when is not None:
        terminalreporter.write_line(f"{CLOCK_VARIABLE}: clock moved to {when.isoformat()}")


@pytest.fixture
def today(time_machine) -> date:
    """The session's date (real or moved), the clock held at 06:00 of it while the test runs.

    For a test that reads today itself and compares it with what the code it drives reads
    ("due today", "done today", "this month"): midnight cannot pass between the two readings.
    06:00 in Vietnam is still the day before in UTC (tests/clock.py).
    """
    day = timezone.localdate()
    time_machine.move_to(moment(day).timestamp())
    return day


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher's many iterations would take most of the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_topics():
    # Each process keeps the active topics a while; a test's rolled-back or flushed topics
    # must not outlive it.
    forget_topics()


@pytest.fixture
def world(db) -> World:
    return build_world()
