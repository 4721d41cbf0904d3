"""The deadlines dashboard of the largest province and of one of its communes.

Data: province 79 (TP Hồ Chí Minh, 168 communes and wards, the largest), each commune with 15
party cells — taken from `org_import` when it has run, imported otherwise — and 20 obligations
due in YEAR for every unit of the province's subtree, states drawn with random.Random(SEED)
as of TODAY. Reused when present. The dashboard runs with TODAY as its date, so the counts
never change from one day to the next.

`app_ms` is `dashboard()` (median of RUNS after a warm-up), `floor_ms` the same counts from one
hand-written GROUP BY, `queries` the number of SQL queries one dashboard call makes.
"""

import random
import tracemalloc
from datetime import date, timedelta

from ._common import bench_admin, cell_rows, median_ms, note, province_communes

PROVINCE = "79"
YEAR = 2025
TODAY = date(YEAR, 9, 30)
PER_UNIT = 20
SEED = 79
RUNS = 7


def _province():
    from tuyengiao.org.models import Kind, Unit
    from tuyengiao.org.services import units_create_many

    province, communes = province_communes(PROVINCE)
    with_cells = set(
        Unit.objects.filter(parent__in=communes, kind=Kind.CELL).values_list("parent_id", flat=True)
    )
    bare = [c for c in communes if c.pk not in with_cells]
    if bare:
        note(f"adding party cells to {len(bare)} communes")
        units_create_many(actor=None, rows=cell_rows(bare), verb="bench")
    return province


def _obligation(unit, number: int, rng: random.Random):
    """(what the unit owes, the day it was done or None)."""
    from tuyengiao.deadlines.models import ObligationKind
    from tuyengiao.deadlines.services import NewObligation

    kinds = list(ObligationKind)
    due = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
    roll = rng.random()
    done = None
    if due < TODAY:
        if roll < 0.7:  # on time
            done = due - timedelta(days=rng.randint(0, 6))
        elif roll < 0.85:  # late; the rest stays overdue
            done = min(TODAY, due + timedelta(days=rng.randint(1, 20)))
    elif roll < 0.2:  # done ahead of time; the rest is pending
        done = TODAY - timedelta(days=rng.randint(0, 3))
    item = NewObligation(
        unit=unit,
        kind=kinds[number % len(kinds)],
        title=f"Việc số {number + 1} năm {YEAR}",
        due_on=due,
    )
    return item, done


def _obligations(province) -> int:
    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.deadlines.services import obligations_complete_many, obligations_create_many
    from tuyengiao.org.models import Unit, within

    units = list(Unit.objects.subtree(province).order_by("path"))
    expected = len(units) * PER_UNIT
    # Its own: obligations without a source (other benchmarks' follow-ups have one).
    existing = Obligation.objects.filter(within("unit_path", province.path), source_id=None)
    have = existing.count()
    if have == expected:
        note(f"reusing {have} obligations")
        return have
    if have:
        note(f"found {have} obligations, expected {expected}: making them again")
        existing.delete()
    rng = random.Random(SEED)
    drawn = [_obligation(unit, n, rng) for unit in units for n in range(PER_UNIT)]
    note(f"creating {len(drawn)} obligations for {len(units)} units")
    created = obligations_create_many(actor=None, items=[item for item, _d in drawn], verb="bench")
    done = [(o, day) for o, (_i, day) in zip(created, drawn, strict=True) if day is not None]
    obligations_complete_many(actor=None, done=done, verb="bench")
    return len(drawn)


FLOOR_SQL = """
SELECT substr(unit_path, 1, {width}) AS head,
       SUM(CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NOT NULL AND done_on > due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on < %s THEN 1 ELSE 0 END)
FROM {table}
WHERE unit_path >= %s AND unit_path < %s AND due_on >= %s AND due_on <= %s
GROUP BY 1
"""


def _floor(unit, period) -> dict[str, tuple[int, ...]]:
    """Counts by state (in State order) per child path prefix, in the plainest SQL."""
    from django.db import connection

    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.org.models import STEP, path_upper_bound

    sql = FLOOR_SQL.format(width=(unit.depth + 1) * STEP, table=Obligation._meta.db_table)
    params = [TODAY, TODAY, unit.path, path_upper_bound(unit.path), period.start, period.end]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {head: tuple(int(n) for n in counts) for head, *counts in cursor.fetchall()}


def _case(name: str, user, unit, period) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.deadlines.models import State
    from tuyengiao.deadlines.queries import dashboard

    board = dashboard(user, unit, period, today=TODAY)
    app = {
        row.unit.path: tuple(row.tally.counts[s] for s in State)
        for row in board.rows
        if row.tally.total
    }
    floor = _floor(unit, period)
    assert app == floor, f"{name}: dashboard and hand-written SQL disagree"
    with CaptureQueriesContext(connection) as queries:
        dashboard(user, unit, period, today=TODAY)
    tracemalloc.start()
    dashboard(user, unit, period, today=TODAY)
    peak_mb = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    tracemalloc.stop()
    app_ms = median_ms(lambda: dashboard(user, unit, period, today=TODAY), runs=RUNS)
    floor_ms = median_ms(lambda: _floor(unit, period), runs=RUNS)
    note(f"{name}: {unit.name}, {len(board.rows)} rows on screen")
    return {
        "case": name,
        "rows": board.total.total,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2) if floor_ms else None,
        "queries": len(queries.captured_queries),
        "peak_mb": peak_mb,
    }


def run():
    from tuyengiao.org.models import Level, Unit
    from tuyengiao.periods import Period

    province = _province()
    _obligations(province)
    user = bench_admin()
    period = Period.parse(str(YEAR))
    yield _case("dashboard_province", user, province, period)
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code").first()
    yield _case("dashboard_commune", user, commune, period)
