"""The roll-up tables, kept exact in the same transaction as every write.

A value of unit u for period p adds to the `Rollup` row of every ancestor-or-self of u and every
period that contains p. Sums and counts move by the difference between the new and the old
value; for "last value" indicators each unit's own latest value in the longer period is worked
out before and after the write, and the ancestors move by its difference. All changes go to the
database as one upsert that adds to the stored numbers, so concurrent writers never lose one
another's change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

from tuyengiao.org.models import Unit
from tuyengiao.periods import Period

from .models import Aggregation, Indicator, Rollup, Value


def containing(period_id: str) -> list[str]:
    """The period itself and every longer period that contains it."""
    return [p.id for p in Period.parse(period_id).containing()]


def within_period(period_id: str) -> list[str]:
    """Every period (of any kind) that lies inside `period_id`, itself included."""
    return [p.id for p in Period.parse(period_id).within()]


def latest(period_ids: Iterable[str]) -> str | None:
    """The period that ends last (the shortest one when several end on the same day)."""
    periods = [Period.parse(p) for p in period_ids]
    if not periods:
        return None
    return max(periods, key=lambda p: (p.end, p.start)).id


@dataclass
class Change:
    indicator: Indicator
    old: int | None
    new: int | None


def _own_lasts(unit_id: int, indicator_ids: list[int], years: set[str]) -> dict:
    """{(indicator id, container period): stored number} of the unit's own latest values."""
    periods = [p for year in years for p in within_period(year)]
    rows = Value.objects.filter(
        unit_id=unit_id, indicator_id__in=indicator_ids, period__in=periods, number__isnull=False
    ).values_list("indicator_id", "period", "number")
    by_indicator = defaultdict(dict)
    for indicator_id, period, number in rows:
        by_indicator[indicator_id][period] = number
    result = {}
    for indicator_id, numbers in by_indicator.items():
        for year in years:
            for container in within_period(year):
                inside = set(within_period(container)) & numbers.keys()
                if inside:
                    result[indicator_id, container] = numbers[latest(inside)]
    return result


def apply(unit: Unit, period_id: str, changes: list[Change], write) -> None:
    """Run `write()` (which stores the values) and move the roll-up by what it changed.

    `changes` lists, per indicator, the stored number before and after. The caller holds a lock
    on the unit, so no other writer changes the unit's own values meanwhile.
    """
    numeric = [c for c in changes if c.indicator.is_numeric and c.old != c.new]
    lasts = [c.indicator.pk for c in numeric if c.indicator.aggregation == Aggregation.LAST]
    years = {Period.of("year", Period.parse(period_id).start).id}
    before = _own_lasts(unit.pk, lasts, years) if lasts else {}
    write()
    after = _own_lasts(unit.pk, lasts, years) if lasts else {}
    containers = containing(period_id)
    deltas: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for change in numeric:
        for container in containers:
            delta = deltas[change.indicator.pk, container]
            delta[0] += (change.new or 0) - (change.old or 0)
            delta[1] += (change.new is not None) - (change.old is not None)
    for key in before.keys() | after.keys():
        deltas[key][2] += after.get(key, 0) - before.get(key, 0)
    add(
        (unit_id, indicator_id, container, *delta)
        for unit_id in unit.lineage_ids()
        for (indicator_id, container), delta in deltas.items()
        if any(delta)
    )


def _upsert_sql(source: str) -> str:
    table = connection.ops.quote_name(Rollup._meta.db_table)
    return (
        f"INSERT INTO {table} (unit_id, indicator_id, period, total, count, last_total) "
        f"{source} ON CONFLICT (unit_id, indicator_id, period) DO UPDATE SET "
        f"total = {table}.total + excluded.total, "
        f"count = {table}.count + excluded.count, "
        f"last_total = {table}.last_total + excluded.last_total"
    )


_CHUNK = 1000  # rows per statement, well within SQLite's limit on parameters


def add(rows: Iterable[tuple]) -> None:
    """Add (unit id, indicator id, period, total, count, last_total) to the stored roll-up.

    Rows are written in one global order, so that two writers sharing ancestors lock their
    roll-up rows in the same order and never deadlock."""
    rows = sorted(rows, key=lambda row: row[:3])
    with connection.cursor() as cursor:
        # One statement per chunk: a round trip per row would double the time of a save.
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            values = "VALUES " + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(_upsert_sql(values), [x for row in chunk for x in row])


def shift(unit: Unit, old_ancestors: list[int], new_ancestors: list[int]) -> None:
    """A subtree moved: take its totals from the ancestors it left, give them to the new ones."""
    table = connection.ops.quote_name(Rollup._meta.db_table)
    common = set(old_ancestors) & set(new_ancestors)
    moves = [(a, -1) for a in old_ancestors if a not in common] + [
        (a, 1) for a in new_ancestors if a not in common
    ]
    with connection.cursor() as cursor:
        for ancestor, sign in moves:
            select = (
                f"SELECT %s, indicator_id, period, %s * total, %s * count, %s * last_total "
                f"FROM {table} WHERE unit_id = %s"
            )
            cursor.execute(_upsert_sql(select), [ancestor, sign, sign, sign, unit.pk])


def live(unit: Unit, indicator_ids: list[int], period_ids: list[str]) -> dict:
    """The roll-up of one unit computed from the raw values (the reference the tests compare
    the stored tables with): {(indicator id, period): (total, count, last_total)}."""
    from tuyengiao.org.models import within

    wanted = {p: set(within_period(p)) for p in period_ids}
    inside = set().union(*wanted.values()) if wanted else set()
    rows = Value.objects.filter(
        within("unit__path", unit.path),
        indicator_id__in=indicator_ids,
        period__in=inside,
        number__isnull=False,
    ).values_list("unit_id", "indicator_id", "period", "number")
    own = defaultdict(dict)
    for unit_id, indicator_id, period, number in rows:
        own[unit_id, indicator_id][period] = number
    result = {}
    for (_unit_id, indicator_id), numbers in own.items():
        for period_id, parts in wanted.items():
            hits = parts & numbers.keys()
            if not hits:
                continue
            total, count, last = result.get((indicator_id, period_id), (0, 0, 0))
            result[indicator_id, period_id] = (
                total + sum(numbers[p] for p in hits),
                count + len(hits),
                last + numbers[latest(hits)],
            )
    return result


def rebuild() -> int:
    """Recompute every roll-up row from the raw values, in SQL (repair and bulk loads)."""
    values = connection.ops.quote_name(Value._meta.db_table)
    units = connection.ops.quote_name(Unit._meta.db_table)
    indicators = connection.ops.quote_name(Indicator._meta.db_table)
    Rollup.objects.all().delete()
    with connection.cursor() as cursor:  # after a bulk load, plan with fresh statistics
        for table in (values, units):
            cursor.execute(f"ANALYZE {table}")
    periods = list(Value.objects.values_list("period", flat=True).distinct().order_by())
    mapping = [
        (p, c, Period.parse(p).end.isoformat() + Period.parse(p).start.isoformat())
        for p in periods
        for c in containing(p)
    ]
    if not mapping:
        return 0
    depth = max(len(p) for p in Unit.objects.values_list("path", flat=True)) // 4
    pm = (
        "pm(period, container, ordering) AS (VALUES "
        + ", ".join(["(%s, %s, %s)"] * len(mapping))
        + ")"
    )
    params = [x for row in mapping for x in row]
    last = connection.ops.quote_name("last")
    with connection.cursor() as cursor:
        for d in range(1, depth + 1):
            cursor.execute(
                f"WITH {pm} "
                + _upsert_sql(
                    f"SELECT a.id, v.indicator_id, pm.container, SUM(v.number), COUNT(*), 0 "
                    f"FROM {values} v JOIN {units} u ON u.id = v.unit_id "
                    f"JOIN pm ON pm.period = v.period "
                    f"JOIN {units} a ON a.path = SUBSTR(u.path, 1, {4 * d}) "
                    f"WHERE v.number IS NOT NULL AND LENGTH(u.path) >= {4 * d} "
                    f"GROUP BY a.id, v.indicator_id, pm.container "
                    # rows stored in index order keep a table's reads on few pages
                    f"ORDER BY a.id, v.indicator_id, pm.container"
                ),
                params,
            )
            cursor.execute(
                f"WITH {pm}, ranked AS ("
                f"SELECT v.unit_id, v.indicator_id, pm.container, v.number, ROW_NUMBER() OVER ("
                f"PARTITION BY v.unit_id, v.indicator_id, pm.container "
                f"ORDER BY pm.ordering DESC) AS {last} "
                f"FROM {values} v JOIN {indicators} i ON i.id = v.indicator_id "
                f"JOIN pm ON pm.period = v.period "
                f"WHERE v.number IS NOT NULL AND i.aggregation = %s) "
                + _upsert_sql(
                    f"SELECT a.id, r.indicator_id, r.container, 0, 0, SUM(r.number) "
                    f"FROM ranked r JOIN {units} u ON u.id = r.unit_id "
                    f"JOIN {units} a ON a.path = SUBSTR(u.path, 1, {4 * d}) "
                    f"WHERE r.{last} = 1 AND LENGTH(u.path) >= {4 * d} "
                    f"GROUP BY a.id, r.indicator_id, r.container"
                ),
                [*params, Aggregation.LAST.value],
            )
    return Rollup.objects.count()
