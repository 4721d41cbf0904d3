"""Roll-up tables of periodic figures at national scale, against live aggregation.

Data: the whole country (34 provinces, 3,321 communes; taken from `org_import` when it has run,
imported otherwise), one monthly report form for communes (DS_CODE) with 30 stored indicators
(26 summed, among them one planned/actual pair; 2 averaged; 2 "last value") and 2 derived ones
(never stored, computed after aggregation), and MONTHS monthly periods from FIRST_MONTH: one
value per commune, indicator and month except about 2 % left empty — about 5.86 million
`Value` rows. The numbers come from an integer hash of (commune code, indicator position, month)
computed in SQL by one INSERT … SELECT per province, so both databases hold the same figures;
`rollup.rebuild()` then builds the roll-up tables. The form is made inactive and switched on
only once everything is loaded: an active form is the marker that the data is complete (checked
against the root's roll-up), and the data is then reused.

Table cases (`app_ms` = `queries.table()`, median of RUNS after a warm-up; `floor_ms` = the same
numbers from one hand-written SQL aggregate over the raw values, asserted equal cell by cell
first, total row included; `ratio` = app_ms / floor_ms):

- province_12_months(_all): province PROVINCE's communes × the 12 months of YEAR, one indicator
  (LOP_TH, with its plan) or all 30 stored and the 2 derived.
- national_4_quarters(_one|_all): the 34 provinces × the 4 quarters of YEAR.

write_one_report: `services.report_save` of one commune's report (30 values changed, roll-up
maintenance included, commit included), alternating between two sets of figures; afterwards the
stored roll-up of the commune, the province and the root is compared with `rollup.live`, and the
original figures are put back. No floor.
"""

import time

from ._common import bench_admin, median_ms, ms, note

PROVINCE = "79"  # TP Hồ Chí Minh, the province with the most communes (168)
YEAR = 2025
FIRST_MONTH = 2021
MONTHS = 60  # 2021-01 … 2025-12
WRITE_PERIOD = f"{YEAR}-12"
DS_CODE = "BENCH_TG01"
RUNS = 7
GAP = 50  # one value in GAP (where the hash says so) is left empty
PROVINCES, COMMUNES = 34, 3321

# (code, name, mode, lo, span, options): mode "sum" = lo + a per-commune base within span, plus
# monthly noise; "avg" = lo + noise within span, in hundredths (2 decimals); "last" = a slowly
# growing head count. Options: value_type, aggregation, planned (code of the plan).
INDICATORS = [
    ("LOP_KH", "Số lớp học tập nghị quyết theo kế hoạch", "sum", 1, 6, {}),
    ("LOP_TH", "Số lớp học tập nghị quyết đã mở", "sum", 1, 6, {"planned": "LOP_KH"}),
    ("HV_CHITIEU", "Học viên theo chỉ tiêu", "sum", 40, 200, {}),
    ("HV_DANGKY", "Học viên đăng ký", "sum", 40, 200, {}),
    ("HV_THAMDU", "Học viên tham dự", "sum", 30, 180, {}),
    ("HN_QUANTRIEN", "Hội nghị quán triệt", "sum", 0, 4, {}),
    ("HN_BCV", "Hội nghị báo cáo viên", "sum", 0, 3, {}),
    ("LUOT_BCV", "Lượt báo cáo viên nói chuyện", "sum", 1, 10, {}),
    ("NGUOI_NGHE", "Lượt người nghe", "sum", 100, 2000, {}),
    ("TIN_BAI", "Tin, bài trên cổng thông tin", "sum", 2, 30, {}),
    ("TIN_MXH", "Tin, bài trên mạng xã hội", "sum", 5, 80, {}),
    ("PHAT_THANH", "Buổi phát thanh", "sum", 4, 30, {}),
    ("PANO", "Pano, áp phích", "sum", 0, 10, {}),
    ("KHAU_HIEU", "Băng rôn, khẩu hiệu", "sum", 0, 40, {}),
    ("TRIEN_LAM", "Triển lãm", "sum", 0, 2, {}),
    ("VAN_NGHE", "Buổi văn nghệ", "sum", 0, 5, {}),
    ("TOA_DAM", "Tọa đàm", "sum", 0, 4, {}),
    ("DOI_THOAI", "Buổi đối thoại với nhân dân", "sum", 0, 3, {}),
    ("Y_KIEN", "Ý kiến phản ánh", "sum", 0, 50, {}),
    ("Y_KIEN_GQ", "Ý kiến đã giải quyết", "sum", 0, 45, {}),
    ("DV_MOI", "Đảng viên mới kết nạp", "sum", 0, 5, {}),
    ("SH_CHUYENDE", "Buổi sinh hoạt chuyên đề", "sum", 1, 15, {}),
    ("TAI_LIEU", "Tài liệu phát hành", "sum", 10, 500, {}),
    ("TU_SACH", "Lượt mượn tủ sách pháp luật", "sum", 0, 120, {}),
    ("KIEM_TRA", "Cuộc kiểm tra, giám sát", "sum", 0, 3, {}),
    ("DU_LUAN", "Báo cáo dư luận xã hội", "sum", 1, 4, {}),
    ("DIEM_DG", "Điểm đánh giá chất lượng học tập", "avg", 600, 401, {"type": "decimal"}),
    ("TL_DV_HOC", "Tỷ lệ đảng viên tham gia học tập", "avg", 6000, 4001, {"type": "percent"}),
    ("BCV", "Số báo cáo viên", "last", 3, 15, {"aggregation": "last"}),
    ("TTV", "Số tuyên truyền viên", "last", 10, 40, {"aggregation": "last"}),
]
DERIVED = [
    ("TL_LOP", "Tỷ lệ lớp đã mở so kế hoạch", "LOP_TH", "LOP_KH"),
    ("TL_THAMDU", "Tỷ lệ học viên tham dự so đăng ký", "HV_THAMDU", "HV_DANGKY"),
]
MODES = {"sum": 0, "avg": 1, "last": 2}


# Data -------------------------------------------------------------------------------------------


def _tree():
    """The country's provinces and communes, imported when missing."""
    from tuyengiao.org.imports import ROOT_CODE, divisions_import
    from tuyengiao.org.models import Level, Unit

    if (
        Unit.objects.filter(level=Level.PROVINCE).count() < PROVINCES
        or Unit.objects.filter(level=Level.COMMUNE).count() < COMMUNES
    ):
        note("importing the provinces and communes")
        divisions_import()
    return Unit.objects.get(code=ROOT_CODE), Unit.objects.get(code=PROVINCE)


def _define():
    """The indicators and the report form, made or brought back to their definition."""
    from tuyengiao.figures.models import (
        Aggregation,
        DataSet,
        DataSetIndicator,
        Indicator,
        MissingValues,
        Operator,
        ValidationRule,
        ValueType,
    )

    made = {}
    for code, name, _mode, _lo, _span, options in INDICATORS:
        made[code], _ = Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "value_type": options.get("type", ValueType.INTEGER),
                "aggregation": options.get(
                    "aggregation", Aggregation.AVERAGE if _mode == "avg" else Aggregation.SUM
                ),
                "planned": made.get(options.get("planned")),
                "numerator": None,
                "denominator": None,
            },
        )
    for code, name, numerator, denominator in DERIVED:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "value_type": ValueType.PERCENT,
                "numerator": made[numerator],
                "denominator": made[denominator],
            },
        )
    data_set, _ = DataSet.objects.update_or_create(
        code=DS_CODE,
        defaults={
            "name": "Báo cáo tháng công tác tuyên giáo (đo hiệu năng)",
            "period_kind": "month",
            "levels": ["commune"],
            "kinds": ["committee"],
            "first_period": f"{FIRST_MONTH}-01",
            "due_days": 5,
            "lock_days": 20000,  # never locked: the write case edits a past month
            "active": False,  # switched on once the data is complete (the reuse marker)
        },
    )
    data_set.rows.all().delete()
    DataSetIndicator.objects.bulk_create(
        DataSetIndicator(data_set=data_set, indicator=made[code], position=n)
        for n, (code, *_rest) in enumerate(INDICATORS)
    )
    data_set.rules.all().delete()
    ValidationRule.objects.create(
        data_set=data_set,
        left="HV_DANGKY",
        operator=Operator.LE,
        right="HV_CHITIEU * 1,5",
        missing=MissingValues.SKIP_IF_ANY,
        message="Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu.",
    )
    ValidationRule.objects.create(
        data_set=data_set,
        left="LOP_TH",
        operator=Operator.BOTH_OR_NEITHER,
        right="LOP_KH",
        message="Đã có số lớp theo kế hoạch thì phải nhập số lớp đã mở (và ngược lại).",
    )
    return data_set


def _months() -> list[str]:
    return [f"{FIRST_MONTH + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS)]


# One row per commune × indicator × month; x, then h = x² mod p: a cheap integer hash, the same
# on both databases (64-bit integers throughout; commune codes are 5 digits). Both name the
# columns of a VALUES list column1, column2, ….
INSERT_SQL = """
INSERT INTO {value} (unit_id, indicator_id, period, number, text)
SELECT unit_id, indicator_id, period,
       CASE mode
         WHEN 0 THEN (base + h %% (base / 2 + 1)) * 10000
         WHEN 1 THEN (lo + h %% span) * 100
         ELSE (base + m / 12 + h %% 3) * 10000
       END, ''
FROM (
  SELECT unit_id, indicator_id, period, m, mode, lo, span, base, (x * x) %% 1000033 AS h
  FROM (
    SELECT u.id AS unit_id, ind.id AS indicator_id, mo.period, mo.m, ind.mode, ind.lo, ind.span,
           ind.lo + (CAST(u.code AS BIGINT) * 31 + ind.pos * 17) %% ind.span AS base,
           (CAST(u.code AS BIGINT) * 7919 + ind.pos * 104729 + mo.m * 1299709) %% 1000003 AS x
    FROM {unit} u
    CROSS JOIN (SELECT column1 AS id, column2 AS pos, column3 AS mode, column4 AS lo,
                       column5 AS span FROM (VALUES {indicators}) AS t) AS ind
    CROSS JOIN (SELECT column1 AS period, column2 AS m FROM (VALUES {months}) AS t) AS mo
    WHERE u.parent_id = %s AND u.level = 'commune'
  ) AS keyed
) AS hashed
WHERE h %% {gap} <> 7
ORDER BY unit_id, indicator_id, period
"""


def _insert_sql(indicators: dict) -> tuple[str, list]:
    from django.db import connection

    from tuyengiao.figures.models import Value
    from tuyengiao.org.models import Unit

    rows, params = [], []
    for pos, (code, _name, mode, lo, span, _options) in enumerate(INDICATORS, start=1):
        rows.append("(%s, %s, %s, %s, %s)")
        params += [indicators[code].pk, pos, MODES[mode], lo, span]
    months = ["(%s, %s)" for _ in range(MONTHS)]
    for m, period in enumerate(_months()):
        params += [period, m]
    sql = INSERT_SQL.format(
        value=connection.ops.quote_name(Value._meta.db_table),
        unit=connection.ops.quote_name(Unit._meta.db_table),
        indicators=", ".join(rows),
        months=", ".join(months),
        gap=GAP,
    )
    return sql, params


def _expected_values(communes: list[str]) -> int:
    """How many values INSERT_SQL makes for these commune codes (it leaves some empty)."""
    count = 0
    for code in communes:
        c = int(code)
        for pos in range(1, len(INDICATORS) + 1):
            for m in range(MONTHS):
                x = (c * 7919 + pos * 104729 + m * 1299709) % 1000003
                count += (x * x) % 1000033 % GAP != 7
    return count


def _generated(code: int, index: int, month: int) -> int | None:
    """The stored number INSERT_SQL gives a commune (by code) for INDICATORS[index] and month
    number `month` (0 = FIRST_MONTH-01), or None for an empty value."""
    _code, _name, mode, lo, span, _options = INDICATORS[index]
    pos = index + 1
    x = (code * 7919 + pos * 104729 + month * 1299709) % 1000003
    h = (x * x) % 1000033
    if h % GAP == 7:
        return None
    base = lo + (code * 31 + pos * 17) % span
    if mode == "sum":
        return (base + h % (base // 2 + 1)) * 10000
    if mode == "avg":
        return (lo + h % span) * 100
    return (base + month // 12 + h % 3) * 10000


def _analyze(*models) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL also sets its visibility map; SQLite
    empties its write-ahead log, hundreds of MB after the load)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the load's WAL back to disk


def _data(root):
    """The form, its indicators and the values: reused when complete, generated otherwise.

    Two stages, each skipped when already done: the values (their count is known in advance),
    then the roll-up (the form is switched on once it is built; the root's yearly roll-up must
    count every value).
    """
    from django.db import connection
    from django.db.models import Sum

    from tuyengiao.figures import rollup
    from tuyengiao.figures.models import DataSet, Indicator, Rollup, Value
    from tuyengiao.org.models import Level, Unit

    codes = [row[0] for row in INDICATORS]
    provinces = list(Unit.objects.filter(level=Level.PROVINCE).order_by("code"))
    communes = Unit.objects.filter(parent__in=provinces, level=Level.COMMUNE)
    expected = _expected_values(list(communes.values_list("code", flat=True)))
    data_set = DataSet.objects.filter(code=DS_CODE).first()
    ids = list(Indicator.objects.filter(code__in=codes).values_list("pk", flat=True))
    have = Value.objects.filter(indicator_id__in=ids).count() if len(ids) == len(codes) else 0
    if data_set is not None and have == expected:
        years = [str(FIRST_MONTH + y) for y in range(MONTHS // 12)]
        counted = Rollup.objects.filter(unit=root, indicator_id__in=ids, period__in=years)
        if data_set.active and counted.aggregate(n=Sum("count"))["n"] == expected:
            note(f"reusing {expected:,} values of form {DS_CODE} and their roll-up")
            return data_set, expected
    start = time.perf_counter()
    if data_set is None or have != expected:
        if ids:
            note(f"found {have:,} figures values, expected {expected:,}: making them again")
            Rollup.objects.filter(indicator_id__in=ids).delete()
            Value.objects.filter(indicator_id__in=ids).delete()
        data_set = _define()
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        sql, params = _insert_sql(indicators)
        with connection.cursor() as cursor:
            for n, province in enumerate(provinces, start=1):
                cursor.execute(sql, [*params, province.pk])
                if n % 5 == 0 or n == len(provinces):
                    note(
                        f"values: {n}/{len(provinces)} provinces, "
                        f"{time.perf_counter() - start:.0f} s"
                    )
        have = Value.objects.filter(indicator__in=indicators.values()).count()
        assert have == expected, (have, expected)
    else:
        note(f"reusing {have:,} values; the roll-up is incomplete")
        data_set = _define()
    inserted = time.perf_counter()
    # Statistics first: the rebuild's joins are planned from them (on PostgreSQL, stale ones
    # after a bulk load make it pick a nested loop over every unit × every row).
    _analyze(Unit, Value)
    analysed = time.perf_counter()
    note(f"{have:,} values in {inserted - start:.1f} s; rebuilding the roll-up")
    rows = rollup.rebuild()
    rebuilt = time.perf_counter()
    note(f"{rows:,} roll-up rows built in {rebuilt - analysed:.1f} s; analysing")
    _analyze(Value, Rollup)
    DataSet.objects.filter(pk=data_set.pk).update(active=True)
    data_set.active = True
    end = time.perf_counter()
    note(
        f"generated in {end - start:.1f} s (values {inserted - start:.1f} s, roll-up "
        f"{rebuilt - analysed:.1f} s, statistics {analysed - inserted + end - rebuilt:.1f} s)"
    )
    return data_set, have


def _sizes() -> str:
    """The disk taken by values and roll-up (tables and their indexes), and the whole database."""
    from django.db import connection

    from tuyengiao.figures.models import Rollup, Value

    tables = [Value._meta.db_table, Rollup._meta.db_table]
    mb = 2**20
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            parts = []
            for table in tables:
                cursor.execute("SELECT pg_table_size(%s), pg_indexes_size(%s)", [table, table])
                data, index = cursor.fetchone()
                parts.append(f"{table} {data / mb:,.0f} MB + indexes {index / mb:,.0f} MB")
            cursor.execute("SELECT pg_database_size(current_database())")
            whole = cursor.fetchone()[0]
        else:
            parts = []
            try:
                for table in tables:
                    cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s", [table])
                    data = cursor.fetchone()[0] or 0
                    cursor.execute(
                        "SELECT SUM(d.pgsize) FROM dbstat d JOIN sqlite_master m "
                        "ON m.name = d.name WHERE m.type = 'index' AND m.tbl_name = %s",
                        [table],
                    )
                    index = cursor.fetchone()[0] or 0
                    parts.append(f"{table} {data / mb:,.0f} MB + indexes {index / mb:,.0f} MB")
            except Exception:  # dbstat not compiled in
                parts = ["(no dbstat)"]
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            whole = pages * cursor.fetchone()[0]
    return f"{'; '.join(parts)}; database {whole / mb:,.0f} MB"


# The floor ---------------------------------------------------------------------------------------

QUARTER = (
    "SUBSTR(v.period, 1, 4) || 'Q' || CASE WHEN SUBSTR(v.period, 6, 2) <= '03' THEN '1' "
    "WHEN SUBSTR(v.period, 6, 2) <= '06' THEN '2' WHEN SUBSTR(v.period, 6, 2) <= '09' THEN '3' "
    "ELSE '4' END"
)

# Sums and counts per (child, indicator, column) straight from the values; for "last value"
# indicators, each unit's latest value within the column (its latest month: monthly ids sort
# by date), summed.
FLOOR_SQL = """
SELECT SUBSTR(u.path, 1, {width}) AS head, v.indicator_id, {column} AS col,
       SUM(v.number), COUNT(*), 0
FROM {value} v JOIN {unit} u ON u.id = v.unit_id
WHERE u.path >= %s AND u.path < %s AND v.indicator_id IN ({ids}) AND v.period IN ({periods})
  AND v.number IS NOT NULL
GROUP BY SUBSTR(u.path, 1, {width}), v.indicator_id, {column}
"""
FLOOR_LAST_SQL = """
UNION ALL
SELECT head, indicator_id, col, 0, 0, SUM(number)
FROM (
  SELECT SUBSTR(u.path, 1, {width}) AS head, v.indicator_id, {column} AS col, v.number,
         ROW_NUMBER() OVER (
           PARTITION BY v.unit_id, v.indicator_id, {column} ORDER BY v.period DESC
         ) AS rn
  FROM {value} v JOIN {unit} u ON u.id = v.unit_id
  WHERE u.path >= %s AND u.path < %s AND v.indicator_id IN ({last_ids})
    AND v.period IN ({periods}) AND v.number IS NOT NULL
) AS ranked
WHERE rn = 1
GROUP BY head, indicator_id, col
"""


def _floor(unit, stored: list, months: list[str], by_quarter: bool) -> dict:
    """{(child path, indicator id, column id): [total, count, last_total]} in plain SQL."""
    from django.db import connection

    from tuyengiao.figures.models import Aggregation, Value
    from tuyengiao.org.models import STEP, Unit, path_upper_bound

    last_ids = [i.pk for i in stored if i.aggregation == Aggregation.LAST]
    parts = {
        "width": (unit.depth + 1) * STEP,
        "column": QUARTER if by_quarter else "v.period",
        "value": connection.ops.quote_name(Value._meta.db_table),
        "unit": connection.ops.quote_name(Unit._meta.db_table),
        "ids": ", ".join(["%s"] * len(stored)),
        "last_ids": ", ".join(["%s"] * len(last_ids)),
        "periods": ", ".join(["%s"] * len(months)),
    }
    bounds = [unit.path, path_upper_bound(unit.path)]
    sql = FLOOR_SQL.format(**parts)
    params = [*bounds, *(i.pk for i in stored), *months]
    if last_ids:
        sql += FLOOR_LAST_SQL.format(**parts)
        params += [*bounds, *last_ids, *months]
    result: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for head, indicator_id, col, total, count, last in cursor.fetchall():
            numbers = result.setdefault((head, indicator_id, col), [0, 0, 0])
            numbers[0] += int(total)
            numbers[1] += int(count)
            numbers[2] += int(last or 0)
    return result


def _expected_value(indicator, numbers: dict):
    """What a cell must show, worked out from the floor's numbers (not with the app's code)."""
    from decimal import Decimal

    from tuyengiao.figures.models import SCALE, Aggregation

    if indicator.is_derived:
        num = _expected_value(indicator.numerator, numbers)
        den = _expected_value(indicator.denominator, numbers)
        return None if num is None or not den else num / den * indicator.factor
    found = numbers.get(indicator.pk)
    if not found or not found[1]:
        return None
    total, count, last = found
    if indicator.aggregation == Aggregation.AVERAGE:
        return Decimal(total) / count / SCALE
    if indicator.aggregation == Aggregation.LAST:
        return Decimal(last) / SCALE
    return Decimal(total) / SCALE


def _same_as_floor(table, floor: dict) -> int:
    """Assert that every cell, the total row's included, equals the floor; return the number of
    raw values behind the table."""
    by_head: dict = {}
    for (head, indicator_id, col), numbers in floor.items():
        by_head.setdefault((head, col), {})[indicator_id] = numbers
        total = by_head.setdefault((None, col), {}).setdefault(indicator_id, [0, 0, 0])
        for n in range(3):
            total[n] += numbers[n]
    heads = {row.unit.path for row in table.rows if not row.is_total}
    assert {head for head, _col in by_head if head is not None} <= heads, "values outside rows"
    for row in table.rows:
        head = None if row.is_total else row.unit.path
        for cell, (indicator, period) in zip(row.cells, table.columns, strict=True):
            numbers = by_head.get((head, period.id), {})
            value = _expected_value(indicator, numbers)
            planned = _expected_value(indicator.planned, numbers) if indicator.planned_id else None
            assert (cell.value, cell.planned) == (value, planned), (
                row.unit.name,
                indicator.code,
                period.id,
                (cell.value, cell.planned),
                (value, planned),
            )
    return sum(numbers[1] for numbers in floor.values())


# Cases ------------------------------------------------------------------------------------------


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def _table_case(name: str, unit, indicators: list, periods: list, months: list[str]) -> dict:
    from tuyengiao.figures import queries

    stored = [i for i in indicators if not i.is_derived]
    stored += [
        part
        for i in indicators
        if i.is_derived
        for part in (i.numerator, i.denominator)
        if part not in stored
    ]
    stored += [i.planned for i in indicators if i.planned_id and i.planned not in stored]
    by_quarter = periods[0].kind == "quarter"

    def app():
        return queries.table(unit, indicators, periods)

    def floor():
        return _floor(unit, stored, months, by_quarter)

    table = app()
    rows = _same_as_floor(table, floor())
    count = _queries(app)
    app_ms = median_ms(app, runs=RUNS)
    floor_ms = median_ms(floor, runs=RUNS)
    cells = len(table.rows) * len(table.columns)
    note(f"{name}: {len(table.rows)} rows × {len(table.columns)} columns, {app_ms} ms")
    return {
        "case": name,
        "rows": rows,
        "app_ms": app_ms,
        "floor_ms": floor_ms,
        "ratio": round(app_ms / floor_ms, 3) if floor_ms else None,
        "queries": count,
        "cells": cells,
    }


def _live_equals_stored(units, indicators, period_ids) -> None:
    from tuyengiao.figures import rollup
    from tuyengiao.figures.models import Aggregation, Rollup

    ids = [i.pk for i in indicators]
    lasts = {i.pk for i in indicators if i.aggregation == Aggregation.LAST}
    for unit in units:
        live = rollup.live(unit, ids, period_ids)
        stored = {
            (r.indicator_id, r.period): (r.total, r.count, r.last_total)
            for r in Rollup.objects.filter(
                unit=unit, indicator_id__in=ids, period__in=period_ids, count__gt=0
            )
        }
        assert live.keys() == stored.keys(), (unit.name, live.keys() ^ stored.keys())
        for key, numbers in live.items():
            have = stored[key]
            width = 3 if key[0] in lasts else 2
            assert numbers[:width] == have[:width], (unit.name, key, numbers, have)


def _write_case(data_set, root, province, indicators: list) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from tuyengiao.audit.models import AuditEntry
    from tuyengiao.figures import rollup, services
    from tuyengiao.figures.models import Report, Value, ValueType
    from tuyengiao.org.models import Level, Unit
    from tuyengiao.periods import Period

    actor = bench_admin()
    commune = Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code").first()
    period = Period.parse(WRITE_PERIOD)
    report = services.report_open(actor=actor, data_set=data_set, unit=commune, period=period)
    report_type = ContentType.objects.get_for_model(Report)
    audits = AuditEntry.objects.filter(content_type=report_type, object_id=str(report.pk))
    month = (period.start.year - FIRST_MONTH) * 12 + period.start.month - 1
    generated = {i.pk: _generated(int(commune.code), n, month) for n, i in enumerate(indicators)}
    # The SQL generator and its Python twin agree (on the month before, which no write touches).
    before = dict(
        Value.objects.filter(unit=commune, period=period.previous().id).values_list(
            "indicator_id", "number"
        )
    )
    twin = {i.pk: _generated(int(commune.code), n, month - 1) for n, i in enumerate(indicators)}
    assert before == {k: v for k, v in twin.items() if v is not None}, (before, twin)

    def entries(shift: bool) -> dict[str, str]:
        out = {}
        for indicator in indicators:
            number = generated[indicator.pk]
            if shift and number is None:  # an empty value gets one
                number = 50 * 10000 if indicator.value_type == ValueType.PERCENT else 10000
            elif shift:
                step = 2500 if indicator.value_type == ValueType.DECIMAL else 10000
                if indicator.value_type == ValueType.PERCENT and number > 99 * 10000:
                    step = -step
                number += step
            out[indicator.code] = services.display(indicator, number)
        return out

    original, shifted = entries(False), entries(True)

    def save(values: dict[str, str]):
        current = Report.objects.get(pk=report.pk)
        return services.report_save(
            actor=actor, report=current, entries=values, version=current.version
        )

    save(original)  # the generated figures, whatever an interrupted run left
    count = 0
    times = []
    for run in range(RUNS + 1):
        values = shifted if run % 2 == 0 else original
        current = Report.objects.get(pk=report.pk)
        start = time.perf_counter()
        if run == 0:
            count = _queries(
                lambda current=current, values=values: services.report_save(
                    actor=actor, report=current, entries=values, version=current.version
                )
            )
        else:
            services.report_save(
                actor=actor, report=current, entries=values, version=current.version
            )
        if run:  # the first is a warm-up
            times.append(time.perf_counter() - start)
    periods = rollup.containing(period.id)
    _live_equals_stored([commune, province], indicators, periods)
    _live_equals_stored([root], indicators, periods[-2:])  # the month and its quarter
    save(original)
    _live_equals_stored([commune, province], indicators, periods)
    audits.delete()
    times.sort()
    write_ms = ms(times[len(times) // 2])
    note(f"write_one_report: {commune.name} {period.label}, {write_ms} ms, {count} queries")
    return {
        "case": "write_one_report",
        "rows": len(indicators),
        "app_ms": write_ms,
        "floor_ms": None,
        "ratio": None,
        "queries": count,
        "rollup_rows": len(indicators) * len(periods) * len(commune.lineage_ids()),
    }


def run():
    from tuyengiao.figures.models import Indicator
    from tuyengiao.periods import Period

    root, province = _tree()
    data_set, values = _data(root)
    note(f"figures data: {values:,} values; {_sizes()}")
    codes = [row[0] for row in INDICATORS]
    loaded = Indicator.objects.select_related("planned", "numerator", "denominator")
    by_code = {i.code: i for i in loaded.filter(code__in=codes + [d[0] for d in DERIVED])}
    stored = [by_code[c] for c in codes]
    every = stored + [by_code[d[0]] for d in DERIVED]
    one = [by_code["LOP_TH"]]
    months = [Period.parse(f"{YEAR}-{m:02d}") for m in range(1, 13)]
    quarters = [Period.parse(f"{YEAR}Q{q}") for q in range(1, 5)]
    month_ids = [p.id for p in months]
    yield _table_case("province_12_months", province, one, months, month_ids)
    yield _table_case("province_12_months_all", province, every, months, month_ids)
    yield _table_case("national_4_quarters_one", root, one, quarters, month_ids)
    yield _table_case("national_4_quarters_all", root, every, quarters, month_ids)
    yield _write_case(data_set, root, province, stored)
