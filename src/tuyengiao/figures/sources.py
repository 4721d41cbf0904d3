"""Record-backed indicators: figures counted from the records, never typed.

A `Source` says which records an indicator counts (a model, the field naming the unit, the date
that places a record in a period, optionally a condition and a field to sum). An indicator with
`source` set holds, for every unit and month (or year), the count as an ordinary `Value`, so it
rolls up through `rollup.apply` like an entered figure and shows in every table, chart and export.

The values follow the records in the same transaction: a registered model's `save()` and
`delete()` recount the (unit, period) pairs the record was in before and is in after; a bulk
write calls `bulk_written(model, rows, before)` itself. `rebuild()` recomputes every
count from the records (after a bulk load, and `tuyengiao recount_records` for repair).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from tuyengiao.org.models import Unit
from tuyengiao.periods import Period

from . import rollup
from .models import SCALE, Indicator, Value

Pair = tuple[int, str]  # (unit id, period id)


@dataclass(frozen=True)
class Source:
    code: str  # stored in Indicator.source
    label: str  # lazy text: what is counted
    model: str  # "app_label.ModelName"
    unit: str  # the field naming the unit the record counts for ("unit")
    date: str  # the date (or datetime, or year number) placing the record in a period
    period: str = "month"  # "month", or "year" for yearly records such as plans
    weight: str | None = None  # a field summed (learners); None counts the records
    where: Callable[[], Q] | None = None  # which records count
    link: str = ""  # the URL name of the page listing the records (?unit=…&period=…)
    fields: tuple[str, ...] = field(default=())  # other fields `where` reads

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def counted_fields(self) -> list[str]:
        names = [f"{self.unit}_id", self.date, *self.fields]
        return [*names, self.weight] if self.weight else names

    def pair(self, values: dict) -> Pair | None:
        """The (unit, period) a record with these field values counts in, or None."""
        when, unit_id = values.get(self.date), values.get(f"{self.unit}_id")
        if when is None or unit_id is None:
            return None
        if isinstance(when, int):
            return unit_id, str(when)
        if isinstance(when, datetime):
            when = timezone.localdate(when) if timezone.is_aware(when) else when.date()
        return unit_id, Period.of(self.period, when).id

    def range(self, period_id: str) -> Q:
        period = Period.parse(period_id)
        kind = self.model_class._meta.get_field(self.date)
        if isinstance(kind, models.IntegerField):
            return Q(**{self.date: period.start.year})
        if isinstance(kind, models.DateTimeField):
            return Q(
                **{f"{self.date}__date__gte": period.start, f"{self.date}__date__lte": period.end}
            )
        return Q(**{f"{self.date}__gte": period.start, f"{self.date}__lte": period.end})

    def records(self) -> models.QuerySet:
        rows = self.model_class._base_manager.all()
        return rows.filter(self.where()) if self.where else rows


_SOURCES: dict[str, Source] = {}
_BY_MODEL: dict[str, list[Source]] = defaultdict(list)


def register(*sources: Source) -> None:
    """Called from an app's `ready()`: its records may back indicators."""
    for source in sources:
        if source.code in _SOURCES:
            continue
        _SOURCES[source.code] = source
        label = source.model.lower()
        if not _BY_MODEL[label]:
            model = source.model_class
            uid = f"record-sources-{label}"
            pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(_after_save, sender=model, dispatch_uid=uid)
            post_delete.connect(_after_delete, sender=model, dispatch_uid=uid)
        _BY_MODEL[label].append(source)


def records_url(indicator: Indicator, unit_id: int, period_id: str) -> str:
    """The page listing the records an indicator counts, for a unit and period ("" if none)."""
    from urllib.parse import urlencode

    from django.urls import NoReverseMatch, reverse

    source = get(indicator.source)
    if source is None or not source.link:
        return ""
    try:
        return reverse(source.link) + "?" + urlencode({"unit": unit_id, "period": period_id})
    except NoReverseMatch:
        return ""


def all_sources() -> list[Source]:
    return list(_SOURCES.values())


def get(code: str) -> Source | None:
    return _SOURCES.get(code)


def choices() -> list[tuple[str, str]]:
    return [(s.code, s.label) for s in _SOURCES.values()]


def _sources_of(model) -> list[Source]:
    return _BY_MODEL.get(model._meta.label_lower, [])


def _fields(model) -> list[str]:
    return sorted({f for s in _sources_of(model) for f in s.counted_fields()})


def pairs_of(model, rows: Iterable[dict]) -> dict[str, set[Pair]]:
    """{source code: pairs} the records count in; `rows` are dicts of their counted fields."""
    found: dict[str, set[Pair]] = defaultdict(set)
    rows = list(rows)
    for source in _sources_of(model):
        for row in rows:
            pair = source.pair(row)
            if pair:
                found[source.code].add(pair)
    return found


def _values_of(instance) -> dict:
    return {name: getattr(instance, name) for name in _fields(type(instance))}


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._counted_before = {}
        return
    old = sender._base_manager.filter(pk=instance.pk).values(*_fields(sender)).first()
    instance._counted_before = pairs_of(sender, [old]) if old else {}


def _after_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pairs = pairs_of(sender, [_values_of(instance)])
    for code, before in getattr(instance, "_counted_before", {}).items():
        pairs[code] |= before
    _recount(pairs)


def _after_delete(sender, instance, **kwargs):
    _recount(pairs_of(sender, [_values_of(instance)]))


def pairs_of_rows(model, rows: Iterable[models.Model]) -> dict[str, set[Pair]]:
    """`pairs_of` for model instances as they are in memory."""
    return pairs_of(model, [_values_of(row) for row in rows])


def join(*found: dict[str, set[Pair]]) -> dict[str, set[Pair]]:
    joined: dict[str, set[Pair]] = defaultdict(set)
    for pairs in found:
        for code, some in pairs.items():
            joined[code] |= some
    return joined


def bulk_written(model, rows: Iterable[models.Model], before: dict | None = None) -> None:
    """After `bulk_create` / `bulk_update` of `rows` (signals do not fire for those): recount
    where they count now and, with `before` (`pairs_of_rows` taken before), where they did."""
    _recount(join(pairs_of_rows(model, rows), before or {}))


def _indicators(codes: Iterable[str]) -> dict[str, Indicator]:
    return {i.source: i for i in Indicator.objects.filter(source__in=list(codes))}


@transaction.atomic
def _recount(pairs: dict[str, set[Pair]]) -> None:
    pairs = {code: found for code, found in pairs.items() if found}
    indicators = _indicators(pairs)
    if not indicators:
        return
    unit_ids = sorted({u for code in indicators for u, _p in pairs[code]})
    # One writer per unit at a time, so that two records saved together are both counted.
    units = {
        u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=unit_ids).order_by("pk")
    }
    by_place: dict[Pair, list[Indicator]] = defaultdict(list)
    for code, indicator in indicators.items():
        for pair in pairs[code]:
            by_place[pair].append(indicator)
    for (unit_id, period_id), counted in sorted(by_place.items()):
        if unit_id in units:
            _store(units[unit_id], period_id, counted)


def _counts(unit_id: int, period_id: str, found: list[Source]) -> dict[str, int]:
    """{source code: count} of one unit and period; the sources that read the same records by
    the same date are counted together, in one query."""
    groups: dict[tuple, list[Source]] = defaultdict(list)
    for source in found:
        groups[source.model, source.unit, source.date, source.where].append(source)
    result = {}
    for group in groups.values():
        first = group[0]
        rows = first.records().filter(first.range(period_id), **{f"{first.unit}_id": unit_id})
        totals = rows.aggregate(
            **{
                f"n{n}": Sum(source.weight) if source.weight else Count("pk")
                for n, source in enumerate(group)
            }
        )
        for n, source in enumerate(group):
            result[source.code] = totals[f"n{n}"] or 0
    return result


def _store(unit: Unit, period_id: str, indicators: list[Indicator]) -> None:
    stored = dict(
        Value.objects.filter(unit=unit, period=period_id, indicator__in=indicators).values_list(
            "indicator_id", "number"
        )
    )
    counted = _counts(unit.pk, period_id, [get(i.source) for i in indicators])
    changes = []
    for indicator in indicators:
        number = counted[indicator.source] * SCALE or None
        if stored.get(indicator.pk) != number:
            changes.append(rollup.Change(indicator, stored.get(indicator.pk), number))
    if not changes:
        return

    def write():
        for change in changes:
            rows = Value.objects.filter(unit=unit, indicator=change.indicator, period=period_id)
            if change.new is None:
                rows.delete()
            elif change.old is None:
                Value.objects.create(
                    unit=unit, indicator=change.indicator, period=period_id, number=change.new
                )
            else:
                rows.update(number=change.new)

    rollup.apply(unit, period_id, changes, write)


def counts(source: Source) -> dict[Pair, int]:
    """Every (unit, period) count of a source, read from its records."""
    totals: dict[Pair, int] = defaultdict(int)
    names = [f"{source.unit}_id", source.date, *([source.weight] if source.weight else [])]
    for row in source.records().values(*names).iterator(chunk_size=5000):
        pair = source.pair(row)
        if pair:
            totals[pair] += row[source.weight] if source.weight else 1
    return {pair: n for pair, n in totals.items() if n}


@transaction.atomic
def rebuild() -> int:
    """Recompute every record-backed value from the records, then the roll-up; returns the
    number of values written."""
    indicators = Indicator.objects.exclude(source="")
    Value.objects.filter(indicator__in=indicators).delete()
    rows = []
    for indicator in indicators:
        source = get(indicator.source)
        if source is None:
            continue
        for (unit_id, period_id), n in counts(source).items():
            rows.append(
                Value(unit_id=unit_id, indicator=indicator, period=period_id, number=n * SCALE)
            )
    Value.objects.bulk_create(rows, batch_size=2000)
    rollup.rebuild()
    return len(rows)


def _lineages(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """{unit id: ids of the unit and its ancestors}."""
    paths = dict(Unit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "path"))
    prefixes = {p[:n] for p in paths.values() for n in range(4, len(p) + 1, 4)}
    ids = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "pk"))
    return {
        pk: [ids[path[:n]] for n in range(4, len(path) + 1, 4) if path[:n] in ids]
        for pk, path in paths.items()
    }


@transaction.atomic
def refill(indicator: Indicator) -> int:
    """An indicator's source was set or changed: take away its values (and their roll-up) and
    count them afresh from the records. Returns the number of values written."""
    old = list(
        Value.objects.filter(indicator=indicator, number__isnull=False).values_list(
            "unit_id", "period", "number"
        )
    )
    source = get(indicator.source) if indicator.source else None
    new = counts(source) if source else {}
    Value.objects.filter(indicator=indicator).delete()
    Value.objects.bulk_create(
        [
            Value(unit_id=u, indicator=indicator, period=p, number=n * SCALE)
            for (u, p), n in new.items()
        ],
        batch_size=2000,
    )
    deltas: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, period_id, number in old:
        deltas[unit_id, period_id][0] -= number
        deltas[unit_id, period_id][1] -= 1
    for (unit_id, period_id), n in new.items():
        deltas[unit_id, period_id][0] += n * SCALE
        deltas[unit_id, period_id][1] += 1
    lineages = _lineages(u for u, _p in deltas)
    totals: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for (unit_id, period_id), (total, count) in deltas.items():
        for container in rollup.containing(period_id):
            for ancestor in lineages.get(unit_id, []):
                cell = totals[ancestor, container]
                cell[0] += total
                cell[1] += count
    rollup.add(
        (unit_id, indicator.pk, period_id, total, count, 0)
        for (unit_id, period_id), (total, count) in totals.items()
        if total or count
    )
    return len(new)


def totals(unit_ids: Iterable[int], codes: Iterable[str], period_ids: Iterable[str]) -> dict | None:
    """{(unit id, source code, period id): count} of the units' subtrees, read from the roll-up
    in one query (absent where nothing was counted); None when an indicator of these sources
    is missing (the caller counts the records itself)."""
    from .models import Rollup

    codes = list(codes)
    indicators = dict(Indicator.objects.filter(source__in=codes).values_list("pk", "source"))
    if len(indicators) < len(set(codes)):
        return None
    rows = Rollup.objects.filter(
        unit_id__in=list(unit_ids), indicator_id__in=list(indicators), period__in=list(period_ids)
    ).values_list("unit_id", "indicator_id", "period", "total")
    return {(u, indicators[i], p): total // SCALE for u, i, p, total in rows}
