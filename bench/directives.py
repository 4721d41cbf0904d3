"""Sending one document to a whole province, and its progress matrix at province level.

Data: province 24 (Tỉnh Bắc Ninh, 99 communes and wards), each commune with 30 party cells: the
15 that `org_import` makes plus 15 more named "Chi bộ tổ dân phố số N", made here — taken from
`org_import` when it has run, imported otherwise, topped up when fewer. Reused when present.

`send_province` registers a new document for every run (numbers SEND_NUMBER, +1, ...) and times
`directive_send(actor=None, ...)` of PLAN (five steps) from the province to every commune and
cell (`receivers_by(province, kinds=[committee, cell])`), commit included. The first send is a
warm-up whose SQL is counted; the next SEND_RUNS are timed. These documents, their rows and
their audit entries are deleted at the start and at the end of the case.

`matrix_province` uses one more document (MATRIX_NUMBER), sent once with the same plan on
SENT_ON, its steps then recorded at random.Random(SEED) as of TODAY, and kept between runs.
`query_ms` is `queries.matrix()` + `queries.late_steps()` for the province (median of RUNS after
a warm-up), `floor_ms` the matrix's counts from one hand-written GROUP BY (asserted equal first),
`matrix_ms` the whole page `GET /directives/<id>/?unit=<province>` through django.test.Client,
logged in as `bench.admin` (administrator of the root), with today held at TODAY; `queries` is
the page's SQL count, session and user included.
"""

import random
import time
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

from ._common import bench_admin, cell_rows, median_ms, ms, note, province_communes

PROVINCE = "24"
CELLS_PER_COMMUNE = 30
EXTRA_CELL = "Chi bộ tổ dân phố số {n}"
ISSUED_ON = date(2025, 2, 14)  # term XIII
SENT_ON = date(2025, 3, 3)
TODAY = date(2025, 9, 30)
SEED = 24
MATRIX_NUMBER = 900
SEND_NUMBER = 901
SEND_RUNS = 3
RUNS = 7
LATE_LIMIT = 100  # as many late steps as the page lists
TITLE = "Văn bản đo hiệu năng ({what})"


def _plan():
    from tuyengiao.directives.models import StepKind
    from tuyengiao.directives.services import StepPlan

    return [
        StepPlan(StepKind.PLAN, days_after=15),
        StepPlan(StepKind.STUDY, days_after=30),
        StepPlan(StepKind.OUTREACH, days_after=60),
        StepPlan(StepKind.INTERIM_REVIEW, months_after=24),
        StepPlan(StepKind.REPORT, days_after=90),
    ]


def _cell_names() -> list[str]:
    from tuyengiao.org.models import Unit

    base = [row.name for row in cell_rows([Unit(name="x")])]
    extra = [EXTRA_CELL.format(n=n + 1) for n in range(CELLS_PER_COMMUNE - len(base))]
    return base + extra


def _province():
    from tuyengiao.org.models import Kind, Unit
    from tuyengiao.org.services import NewUnit, units_create_many

    province, communes = province_communes(PROVINCE)
    have = set(
        Unit.objects.filter(parent__in=communes, kind=Kind.CELL).values_list("parent_id", "name")
    )
    names = _cell_names()
    rows = [
        NewUnit(parent=c, name=name, kind=Kind.CELL)
        for c in communes
        for name in names
        if (c.pk, name) not in have
    ]
    if rows:
        note(f"adding {len(rows)} party cells to the communes of province {PROVINCE}")
        units_create_many(actor=None, rows=rows, verb="bench")
    return province, len(communes)


def _register(province, number: int, what: str):
    from tuyengiao.directives.services import directive_register

    return directive_register(
        actor=None,
        unit=province,
        symbol=f"{number}-CT/TW",
        issued_on=ISSUED_ON,
        title=TITLE.format(what=what),
    )


def _send(province, directive, receivers):
    from tuyengiao.directives.services import directive_send

    return directive_send(
        actor=None,
        directive=directive,
        sender=province,
        receivers=receivers,
        plan=_plan(),
        sent_on=SENT_ON,
    )


def _delete(directives) -> None:
    """Delete bench documents with everything their sends made, audit entries included."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.directives.models import Assignment, Directive, Dispatch, Step

    ids = list(directives.values_list("pk", flat=True))
    if not ids:
        return
    obligations = Obligation.objects.filter(
        source_type=ContentType.objects.get_for_model(Directive), source_id__in=ids
    )
    with transaction.atomic():
        for model, rows in (
            (Obligation, obligations),
            (Step, Step.objects.filter(directive__in=ids)),
            (Assignment, Assignment.objects.filter(directive__in=ids)),
            (Dispatch, Dispatch.objects.filter(directive__in=ids)),
            (Directive, Directive.objects.filter(pk__in=ids)),
        ):
            keys = rows.annotate(key=Cast("pk", CharField())).values("key")
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=keys
            ).delete()
        Step.objects.filter(directive__in=ids).delete()
        obligations.delete()
        Assignment.objects.filter(directive__in=ids).delete()
        Dispatch.objects.filter(directive__in=ids).delete()
        Directive.objects.filter(pk__in=ids).delete()


@contextmanager
def _counting():
    """The SQL statements run inside, in a list.

    Not CaptureQueriesContext: django.test.Client sends request_started, which empties the
    connection's query log in the middle of the capture.
    """
    from django.db import connection

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield statements


def _send_documents():
    from tuyengiao.directives.models import Directive

    return Directive.objects.filter(title=TITLE.format(what="gửi"))


def _send_case(province, communes: int, receivers) -> dict:
    from tuyengiao.directives.models import Step

    _delete(_send_documents())
    cells = len(receivers) - communes
    expected = len(receivers) * len(_plan())
    times = []
    try:
        for run in range(SEND_RUNS + 1):
            directive = _register(province, SEND_NUMBER + run, "gửi")
            if run == 0:  # warm-up, with its SQL counted
                with _counting() as sql:
                    result = _send(province, directive, receivers)
                queries = len(sql)
            else:
                start = time.perf_counter()
                result = _send(province, directive, receivers)
                times.append(time.perf_counter() - start)
            assert result.assigned == len(receivers), result
            assert Step.objects.filter(directive=directive).count() == expected
    finally:
        _delete(_send_documents())
    times.sort()
    send_ms = ms(times[len(times) // 2])
    note(f"send_province: {len(receivers)} receivers, {expected} steps, {send_ms} ms")
    return {
        "case": "send_province",
        "rows": expected,
        "app_ms": send_ms,
        "send_ms": send_ms,
        "queries": queries,
        "receivers": len(receivers),
        "communes": communes,
        "cells": cells,
    }


def _evidence(step, rng: random.Random) -> bool:
    """Record `step` (in memory) the way units do: mostly on time, some late, some never."""
    from tuyengiao.directives.models import StepKind

    if step.due_on >= TODAY:
        return False
    roll = rng.random()
    if roll < 0.6:
        step.done_on = step.due_on - timedelta(days=rng.randint(0, 10))
    elif roll < 0.8:
        step.done_on = min(TODAY, step.due_on + timedelta(days=rng.randint(1, 30)))
    else:
        return False
    if step.kind == StepKind.PLAN:
        step.own_symbol = f"{rng.randint(1, 99):02d}-KH/ĐU"
        step.own_issued_on = step.done_on
    elif step.kind == StepKind.STUDY:
        step.expected = rng.randint(15, 60)
        step.attendees_cadres = rng.randint(2, 8)
        step.attendees_members = max(0, step.expected - step.attendees_cadres - rng.randint(0, 6))
    elif step.kind == StepKind.OUTREACH:
        step.channels = "Loa truyền thanh, hội nghị"
        step.audience = rng.randint(100, 2000)
    else:
        step.report_text = "Đã triển khai theo kế hoạch."
    return True


def _matrix_document(province, receivers):
    """The matrix's document: sent once, its steps recorded deterministically; reused."""
    from tuyengiao.deadlines.services import obligations_complete_many
    from tuyengiao.directives.models import Directive, Step

    expected = len(receivers) * len(_plan())
    documents = Directive.objects.filter(title=TITLE.format(what="tiến độ"))
    directive = documents.first()
    if directive is not None:
        have = Step.objects.filter(directive=directive).count()
        if have == expected:
            note(f"reusing the matrix document with {have} steps")
            return directive
        note(f"matrix document has {have} steps, expected {expected}: making it again")
        _delete(documents)
    note(f"sending the matrix document to {len(receivers)} units and recording its steps")
    directive = _register(province, MATRIX_NUMBER, "tiến độ")
    _send(province, directive, receivers)
    rng = random.Random(SEED)
    steps = list(
        Step.objects.filter(directive=directive)
        .select_related("obligation")
        .order_by("unit_path", "kind")
    )
    done = [s for s in steps if _evidence(s, rng)]
    fields = [
        "done_on",
        *("own_symbol", "own_issued_on", "attendees_cadres", "attendees_members", "expected"),
        *("channels", "audience", "report_text"),
    ]
    Step.objects.bulk_update(done, fields, batch_size=500)
    obligations_complete_many(
        actor=None, done=[(s.obligation, s.done_on) for s in done], verb="bench"
    )
    return directive


FLOOR_SQL = """
SELECT substr(unit_path, 1, {width}) AS head, kind,
       SUM(CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NOT NULL AND done_on > due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on < %s THEN 1 ELSE 0 END),
       SUM(COALESCE(attendees_cadres, 0) + COALESCE(attendees_members, 0)),
       SUM(COALESCE(expected, 0))
FROM {table}
WHERE directive_id = %s AND unit_path >= %s AND unit_path < %s
GROUP BY 1, 2
"""


def _floor(directive, unit) -> dict[tuple[str, str], tuple[int, ...]]:
    """(head, kind) -> counts by state (in State order), attendees, expected, in plain SQL."""
    from django.db import connection

    from tuyengiao.directives.models import Step
    from tuyengiao.org.models import STEP, path_upper_bound

    sql = FLOOR_SQL.format(width=(unit.depth + 1) * STEP, table=Step._meta.db_table)
    params = [TODAY, TODAY, directive.pk, unit.path, path_upper_bound(unit.path)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(head, kind): tuple(int(n) for n in rest) for head, kind, *rest in cursor}


def _same_as_floor(board, floor) -> None:
    from tuyengiao.deadlines.models import State

    app = {
        (row.unit.path, kind): tuple(tally.counts[s] for s in State)
        for row in board.rows
        for kind, tally in row.cells.items()
    }
    assert app == {key: counts[:4] for key, counts in floor.items()}, "matrix and SQL disagree"
    people = {}
    for (head, _kind), counts in floor.items():
        attendees, expected = people.get(head, (0, 0))
        people[head] = (attendees + counts[4], expected + counts[5])
    assert {r.unit.path: (r.attendees, r.expected) for r in board.rows} == people


@contextmanager
def _today():
    """The page's `timezone.localdate()` held at TODAY, as `today=TODAY` does for the queries."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    with mock.patch("django.utils.timezone.localdate", localdate):
        yield


def _matrix_case(user, province, directive) -> dict:
    from django.test import Client

    from tuyengiao.directives import queries

    def query():
        board = queries.matrix(user, directive, province, today=TODAY)
        late = queries.late_steps(user, directive, province, today=TODAY, limit=LATE_LIMIT)
        return board, late

    board, late = query()
    _same_as_floor(board, _floor(directive, province))
    client = Client()
    client.force_login(user)
    url = f"/directives/{directive.pk}/?unit={province.pk}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    with _today():
        body = page().content.decode()
        assert f'href="?unit={board.rows[0].unit.pk}"' in body
        with _counting() as sql:
            page()
        matrix_ms = median_ms(page, runs=RUNS)
    query_ms = median_ms(query, runs=RUNS)
    floor_ms = median_ms(lambda: _floor(directive, province), runs=RUNS)
    rows = board.total.total.total
    note(f"matrix_province: {len(board.rows)} rows on screen, {len(late)} late steps listed")
    return {
        "case": "matrix_province",
        "rows": rows,
        "app_ms": matrix_ms,
        "matrix_ms": matrix_ms,
        "query_ms": query_ms,
        "floor_ms": floor_ms,
        "ratio": round(query_ms / floor_ms, 2) if floor_ms else None,
        "queries": len(sql),
        "units_on_screen": len(board.rows),
        "late_listed": len(late),
    }


def run():
    from tuyengiao.directives.services import receivers_by
    from tuyengiao.org.models import Kind

    province, communes = _province()
    receivers = receivers_by(province, kinds=[Kind.COMMITTEE, Kind.CELL])
    user = bench_admin()
    yield _send_case(province, communes, receivers)
    directive = _matrix_document(province, receivers)
    yield _matrix_case(user, province, directive)
