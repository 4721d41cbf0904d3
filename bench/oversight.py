"""Oversight at national scale: the open-recommendations roll-up of the country and the
recurring-shortcomings list, on ten inspections of every commune over five years.

Data: the national tree of `org_import` (root, 34 provinces, 3,321 communes, 15 party cells
each; imported here when missing). Every commune is inspected by its province PER_COMMUNE
times, about every six months from FIRST_DAY (a commune's own offset of up to 150 days), for
ten days; each inspection has its decision and its conclusion notice in the register of
documents, a delegation of two, the commune's self-inspection report (an obligation, ~85 %
on time), a conclusion ten days after it ends with a result and two shortcomings (fields of
work drawn with a skew, so that fields come back), and RECOMMENDATIONS recommendations to the
commune due 60, 90 and 120 days after the notice, each an obligation. As of TODAY the old ones
are mostly accepted (on time or late, closing their obligation on the day reported), some
returned or left open; the recent ones open or reported. All drawn from random.Random(SEED).

Rows are bulk-inserted into the same tables, filled as the services fill them (paths, copied
dates, states, obligation links); the obligations are created and closed through
`deadlines.services` (the one writer, audited). Made once, reused when the counts are right
(the bench's rows are the inspections titled TITLE); otherwise they are deleted and made again.

Cases (as `bench.admin`, the whole country in scope; TODAY as today):
- `open_recommendations_country`: `queries.recommendation_matrix(user, root)` — the 34
  provinces × the four states of every recommendation still open and of those closed since 1
  January; `floor_ms` the same counts from one hand-written GROUP BY.
- `open_recommendations_province`: the same for province 79, by commune.
- `recurring_country`: the recurring-shortcomings page's work for the root — every (commune,
  field) named a shortcoming in two or more conclusions within the last 3 years
  (`queries.recurring_rows`), then the first page of 100 with names (`queries.recurrences`);
  `floor_ms` the grouped rows from one hand-written GROUP BY … HAVING.
- `recurring_province`: the same for province 79.
`app_ms` and `floor_ms` are medians of RUNS after a warm-up; `queries` the SQL of one call.
"""

import random
import time
from datetime import date, timedelta

from ._common import bench_admin, cell_rows, median_ms, ms, note

PER_COMMUNE = 10
RECOMMENDATIONS = 3
FIRST_DAY = date(2020, 10, 1)
TODAY = date(2025, 9, 30)
YEARS = 3  # the window of recurring shortcomings
SEED = 14
RUNS = 7
PAGE = 100
PROVINCE = "79"
TITLE = "Kiểm tra định kỳ (bench)"
SUMMARY = "bench:oversight"
BATCH = 2000
# The fields of work named as shortcomings, the first ones far more often.
AREA_WEIGHTS = [8, 8, 6, 5, 3, 2, 2, 1, 1, 1, 1, 1, 1]


def _tree():
    """The national tree, imported (with 15 cells per commune) when missing."""
    from tuyengiao.org.imports import ROOT_CODE, divisions_import
    from tuyengiao.org.models import Kind, Level, Unit
    from tuyengiao.org.services import units_create_many

    if Unit.objects.filter(level=Level.COMMUNE).count() < 3000:
        note("importing the country's provinces and communes")
        divisions_import()
    communes = list(Unit.objects.filter(level=Level.COMMUNE).order_by("code"))
    with_cells = set(
        Unit.objects.filter(kind=Kind.CELL, parent__level=Level.COMMUNE)
        .values_list("parent_id", flat=True)
        .distinct()
    )
    bare = [c for c in communes if c.pk not in with_cells]
    if bare:
        note(f"adding party cells to {len(bare)} communes")
        units_create_many(actor=None, rows=cell_rows(bare), verb="bench")
    return Unit.objects.get(code=ROOT_CODE), communes


def _ours():
    from tuyengiao.oversight.models import Inspection

    return Inspection.objects.filter(title=TITLE)


def _delete() -> None:
    """The bench's oversight rows, in the order their keys allow."""
    from django.db import transaction

    from tuyengiao.deadlines.models import Obligation
    from tuyengiao.deadlines.services import obligations_delete
    from tuyengiao.directives.models import Directive
    from tuyengiao.oversight.models import (
        Conclusion,
        DelegationMember,
        Finding,
        InspectedUnit,
        Recommendation,
    )

    ours = _ours()
    with transaction.atomic():
        recs = Recommendation.objects.filter(conclusion__inspection__in=ours)
        rec_obligations = list(recs.values_list("obligation_id", flat=True))
        visited = InspectedUnit.objects.filter(inspection__in=ours)
        self_reports = list(visited.values_list("self_report_obligation_id", flat=True))
        Finding.objects.filter(conclusion__inspection__in=ours).delete()
        recs.delete()
        Conclusion.objects.filter(inspection__in=ours).delete()
        DelegationMember.objects.filter(inspection__in=ours).delete()
        visited.delete()
        ours.delete()
        Directive.objects.filter(summary=SUMMARY).delete()
        obligations = Obligation.objects.filter(pk__in=[*rec_obligations, *self_reports])
        for start in range(0, len(rec_obligations) + len(self_reports), 50_000):
            chunk = list(obligations.order_by("pk")[start : start + 50_000])
            obligations_delete(actor=None, obligations=chunk, verb="bench")


def _directives(rows, number: int, province, doc_type: str, issued_on: date, title: str):
    from tuyengiao.directives.models import Directive
    from tuyengiao.directives.services import _number_key
    from tuyengiao.directives.terms import symbol_scope, term_of
    from tuyengiao.org.models import STEP

    issuer = "BTGDVTU"
    directive = Directive(
        symbol=f"{number}-{doc_type}/{issuer}",
        number=str(number),
        number_key=_number_key(str(number)),
        doc_type=doc_type,
        issuer=issuer,
        term=term_of(issuer, issued_on),
        symbol_scope=symbol_scope(issuer, province.path, STEP),
        issued_on=issued_on,
        title=title,
        summary=SUMMARY,
        unit=province,
    ).fill_path()
    rows.append(directive)
    return directive


def _generate(communes) -> dict:
    """Every row of the bench, as the services make them; returns counts."""
    from django.db import transaction

    from tuyengiao.deadlines.models import ObligationKind
    from tuyengiao.deadlines.services import (
        NewObligation,
        obligations_complete_many,
        obligations_create_many,
    )
    from tuyengiao.directives.models import Directive
    from tuyengiao.oversight.models import (
        Conclusion,
        DelegationMember,
        DelegationRole,
        Finding,
        FindingKind,
        InspectedUnit,
        Inspection,
        InspectionKind,
        InspectionState,
        Recommendation,
        RecommendationState,
        WorkArea,
    )

    rng = random.Random(SEED)
    areas = list(WorkArea.objects.order_by("position", "id"))
    weights = AREA_WEIGHTS[: len(areas)] + [1] * (len(areas) - len(AREA_WEIGHTS))
    provinces = {c.parent_id for c in communes}
    from tuyengiao.org.models import Unit

    parents = Unit.objects.in_bulk(provinces)
    numbers = dict.fromkeys(provinces, 0)
    plan = []  # (commune, province, start)
    for index, commune in enumerate(communes):
        offset = (index * 37) % 150
        for k in range(PER_COMMUNE):
            start = FIRST_DAY + timedelta(days=k * 180 + offset)
            plan.append((commune, parents[commune.parent_id], start))
    note(f"generating {len(plan)} inspections")
    started = time.perf_counter()
    with transaction.atomic():
        documents, decisions, notices = [], [], []
        for commune, province, start in plan:
            numbers[province.pk] += 1
            n = numbers[province.pk]
            decisions.append(
                _directives(
                    documents,
                    n,
                    province,
                    "QĐ",
                    start - timedelta(days=12),
                    f"Quyết định thành lập Đoàn kiểm tra tại {commune.name}",
                )
            )
            notices.append(
                _directives(
                    documents,
                    n,
                    province,
                    "TB",
                    start + timedelta(days=19),
                    f"Thông báo kết luận kiểm tra tại {commune.name}",
                )
            )
        Directive.objects.bulk_create(documents, batch_size=BATCH)
        inspections = [
            Inspection(
                unit=province,
                kind=InspectionKind.INSPECTION,
                title=TITLE,
                decision=decision,
                content="Việc lãnh đạo, chỉ đạo công tác tuyên giáo, dân vận.",
                period_from=date(start.year - 2, 1, 1),
                period_to=date(start.year - 1, 12, 31),
                starts_on=start,
                ends_on=start + timedelta(days=9),
                state=InspectionState.CONCLUDED,
                announced_on=start - timedelta(days=10),
                record_text="Đoàn làm việc với Ban Thường vụ Đảng ủy.",
                conducted_on=start + timedelta(days=2),
            ).fill_path()
            for (_commune, province, start), decision in zip(plan, decisions, strict=True)
        ]
        Inspection.objects.bulk_create(inspections, batch_size=BATCH)
        members = []
        for inspection in inspections:
            members += [
                DelegationMember(
                    inspection=inspection,
                    full_name="Nguyễn Văn An",
                    position="Phó Trưởng Ban",
                    duty=DelegationRole.HEAD,
                    order=1,
                ),
                DelegationMember(
                    inspection=inspection,
                    full_name="Lê Thị Bình",
                    position="Chuyên viên",
                    duty=DelegationRole.SECRETARY,
                    order=2,
                ),
            ]
        DelegationMember.objects.bulk_create(members, batch_size=BATCH)
        visited = [
            InspectedUnit(
                inspection=inspection,
                unit=commune,
                self_report_due_on=start - timedelta(days=3),
                self_report_on=start - timedelta(days=4 if rng.random() < 0.85 else 1),
            ).fill_path()
            for inspection, (commune, _province, start) in zip(inspections, plan, strict=True)
        ]
        InspectedUnit.objects.bulk_create(visited, batch_size=BATCH)
        owed = obligations_create_many(
            actor=None,
            items=[
                NewObligation(
                    unit=row.unit,
                    kind=ObligationKind.SELF_REPORT,
                    title=f"Báo cáo tự kiểm tra: {TITLE}",
                    due_on=row.self_report_due_on,
                    source=row,
                )
                for row in visited
            ],
            verb="bench",
            permitted=True,
        )
        for row, obligation in zip(visited, owed, strict=True):
            row.self_report_obligation = obligation
        InspectedUnit.objects.bulk_update(visited, ["self_report_obligation"], batch_size=BATCH)
        obligations_complete_many(
            actor=None,
            done=[(o, r.self_report_on) for o, r in zip(owed, visited, strict=True)],
            verb="bench",
        )
        conclusions = [
            Conclusion(inspection=inspection, notice=notice, issued_on=notice.issued_on)
            for inspection, notice in zip(inspections, notices, strict=True)
        ]
        Conclusion.objects.bulk_create(conclusions, batch_size=BATCH)
        findings, recs, outcomes = [], [], []
        for conclusion, (commune, _province, _start) in zip(conclusions, plan, strict=True):
            day = conclusion.issued_on
            findings.append(
                Finding(
                    conclusion=conclusion,
                    unit=commune,
                    kind=FindingKind.RESULT,
                    text="Cơ bản hoàn thành nhiệm vụ.",
                    issued_on=day,
                    order=1,
                ).fill_path()
            )
            named = set()
            while len(named) < 2:
                named.add(rng.choices(range(len(areas)), weights)[0])
            for order, i in enumerate(sorted(named), start=2):
                findings.append(
                    Finding(
                        conclusion=conclusion,
                        unit=commune,
                        kind=FindingKind.SHORTCOMING,
                        area=areas[i],
                        text=f"Hạn chế về {areas[i].name.lower()}.",
                        issued_on=day,
                        order=order,
                    ).fill_path()
                )
            for number in range(1, RECOMMENDATIONS + 1):
                due = day + timedelta(days=30 + 30 * number)
                rec, done = _followed(rng, commune, conclusion, number, due)
                recs.append(rec)
                outcomes.append(done)
        Finding.objects.bulk_create(findings, batch_size=BATCH)
        Recommendation.objects.bulk_create(recs, batch_size=BATCH)
        follow = obligations_create_many(
            actor=None,
            items=[
                NewObligation(
                    unit=rec.unit,
                    kind=ObligationKind.FOLLOW_UP,
                    title=f"Kiến nghị {rec.number}: {rec.text}",
                    due_on=rec.due_on,
                    source=rec,
                )
                for rec in recs
            ],
            verb="bench",
            permitted=True,
        )
        for rec, obligation in zip(recs, follow, strict=True):
            rec.obligation = obligation
        Recommendation.objects.bulk_update(recs, ["obligation"], batch_size=BATCH)
        obligations_complete_many(
            actor=None,
            done=[(o, day) for o, day in zip(follow, outcomes, strict=True) if day is not None],
            verb="bench",
        )
    note(f"generated in {ms(time.perf_counter() - started) / 1000:.0f} s")
    accepted = sum(1 for r in recs if r.state == RecommendationState.ACCEPTED)
    return {"inspections": len(inspections), "recommendations": len(recs), "accepted": accepted}


def _followed(rng, commune, conclusion, number: int, due: date):
    """A recommendation as it stands on TODAY, and the day its obligation closed (or None)."""
    from tuyengiao.oversight.models import Recommendation, RecommendationState

    rec = Recommendation(
        unit=commune,
        conclusion=conclusion,
        number=number,
        text="Khắc phục hạn chế, báo cáo kết quả kèm tài liệu chứng minh.",
        due_on=due,
    ).fill_path()
    roll = rng.random()
    reported = None
    if due < TODAY - timedelta(days=60):  # long due: mostly accepted
        if roll < 0.65:
            reported, rec.state = due - timedelta(days=rng.randint(0, 20)), "accepted"
        elif roll < 0.85:
            reported, rec.state = due + timedelta(days=rng.randint(1, 40)), "accepted"
        elif roll < 0.92:
            reported, rec.state = due - timedelta(days=2), "returned"
    elif due < TODAY:  # due lately
        if roll < 0.4:
            reported, rec.state = due - timedelta(days=rng.randint(0, 10)), "accepted"
        elif roll < 0.6:
            reported, rec.state = min(TODAY, due + timedelta(days=5)), "reported"
        elif roll < 0.7:
            reported, rec.state = due - timedelta(days=1), "returned"
    elif roll < 0.2:  # not due yet
        reported, rec.state = TODAY - timedelta(days=rng.randint(0, 20)), "reported"
    elif roll < 0.3:
        reported, rec.state = TODAY - timedelta(days=rng.randint(5, 20)), "accepted"
    if reported is not None:
        reported = max(conclusion.issued_on + timedelta(days=1), reported)
        rec.reported_on, rec.rounds = reported, 1
        rec.report_text = "Đã khắc phục."
    if rec.state == RecommendationState.RETURNED:
        rec.return_reason = "Chưa có tài liệu chứng minh."
    if rec.state == RecommendationState.ACCEPTED:
        rec.done_on = reported
    return rec, rec.done_on


def _data():
    from tuyengiao.oversight.models import Recommendation

    root, communes = _tree()
    expected = len(communes) * PER_COMMUNE
    have = _ours().count()
    recs = Recommendation.objects.filter(conclusion__inspection__in=_ours()).count()
    if have == expected and recs == expected * RECOMMENDATIONS:
        note(f"reusing {have} inspections, {recs} recommendations")
    else:
        if have:
            note(f"found {have} inspections, expected {expected}: making them again")
            _delete()
        _generate(communes)
        _analyze()
    return root


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM too: the visibility map lets the index-only scans skip the table.
            for table in ("oversight_recommendation", "oversight_finding", "org_unit"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


# The roll-up ---------------------------------------------------------------------------------

ROLLUP_SQL = """
SELECT substr(unit_path, 1, {width}) AS head,
       SUM(CASE WHEN done_on IS NOT NULL AND done_on <= due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NOT NULL AND done_on > due_on THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN done_on IS NULL AND due_on < %s THEN 1 ELSE 0 END)
FROM oversight_recommendation
WHERE unit_path >= %s AND unit_path < %s AND (done_on IS NULL OR done_on >= %s)
GROUP BY 1
"""


def _rollup_floor(unit, since) -> dict:
    from django.db import connection

    from tuyengiao.org.models import STEP, path_upper_bound

    sql = ROLLUP_SQL.format(width=(unit.depth + 1) * STEP)
    params = [TODAY, TODAY, unit.path, path_upper_bound(unit.path), since]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {head: tuple(int(n) for n in counts) for head, *counts in cursor.fetchall()}


def _rollup_case(name: str, user, unit) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.deadlines.models import State
    from tuyengiao.oversight.queries import recommendation_matrix

    def app():
        return recommendation_matrix(user, unit, today=TODAY)

    board = app()
    shown = {r.unit.path: tuple(r.tally.counts[s] for s in State) for r in board.rows}
    floor = _rollup_floor(unit, board.since)
    assert shown == floor, f"{name}: the roll-up and the hand-written SQL disagree"
    with CaptureQueriesContext(connection) as queries:
        app()
    app_ms = median_ms(app, runs=RUNS)
    floor_ms = median_ms(lambda: _rollup_floor(unit, board.since), runs=RUNS)
    note(f"{name}: {unit.name}, {len(board.rows)} rows, {board.total.total} recommendations")
    return {
        "case": name,
        "rows": board.total.total,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2) if floor_ms else None,
        "queries": len(queries.captured_queries),
        "units_on_screen": len(board.rows),
        "overdue": board.total.counts[State.OVERDUE],
    }


# Recurring shortcomings ----------------------------------------------------------------------

RECURRING_SQL = """
SELECT unit_path, area_id, COUNT(DISTINCT conclusion_id), MAX(issued_on)
FROM oversight_finding
WHERE kind = 'shortcoming' AND unit_path >= %s AND unit_path < %s
  AND issued_on >= %s AND issued_on <= %s
GROUP BY unit_path, area_id
HAVING COUNT(DISTINCT conclusion_id) >= 2
"""


def _recurring_floor(unit, since) -> set:
    from django.db import connection

    from tuyengiao.org.models import path_upper_bound

    params = [unit.path, path_upper_bound(unit.path), since, TODAY]
    with connection.cursor() as cursor:
        cursor.execute(RECURRING_SQL, params)
        return {(path, area, int(n), str(last)[:10]) for path, area, n, last in cursor.fetchall()}


def _recurring_case(name: str, user, unit) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuyengiao.oversight import queries

    def app():
        rows = queries.recurring_rows(user, unit, today=TODAY, years=YEARS)
        return rows, queries.recurrences(rows[:PAGE])

    rows, page = app()
    since = queries.recurrence_since(unit, TODAY, YEARS)
    found = {(r["unit_path"], r["area_id"], r["n"], str(r["last"])[:10]) for r in rows}
    assert found == _recurring_floor(unit, since), f"{name}: the list and the SQL disagree"
    assert len(page) == min(PAGE, len(rows))
    with CaptureQueriesContext(connection) as captured:
        app()
    app_ms = median_ms(app, runs=RUNS)
    floor_ms = median_ms(lambda: _recurring_floor(unit, since), runs=RUNS)
    from tuyengiao.org.models import within
    from tuyengiao.oversight.models import Finding, FindingKind

    scanned = Finding.objects.filter(
        within("unit_path", unit.path),
        kind=FindingKind.SHORTCOMING,
        issued_on__gte=since,
        issued_on__lte=TODAY,
    ).count()
    note(f"{name}: {unit.name}, {len(rows)} recurring (commune, field) of {scanned} shortcomings")
    return {
        "case": name,
        "rows": scanned,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 2) if floor_ms else None,
        "queries": len(captured.captured_queries),
        "recurring": len(rows),
        "page": len(page),
    }


def run():
    from tuyengiao.org.models import Unit

    root = _data()
    user = bench_admin()
    _unit = user.unit  # loaded once, as a request's user is
    province = Unit.objects.get(code=PROVINCE)
    yield _rollup_case("open_recommendations_country", user, root)
    yield _rollup_case("open_recommendations_province", user, province)
    yield _recurring_case("recurring_country", user, root)
    yield _recurring_case("recurring_province", user, province)
