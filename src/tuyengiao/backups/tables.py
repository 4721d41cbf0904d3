"""Every table's rows as database-neutral JSON values, and back.

A table is dumped through the ORM, column by column (`local_concrete_fields`, so a parent and a
child table of an inherited model are two tables), and loaded with the values as they were:
primary keys, `auto_now` dates and all. Values that JSON cannot hold (dates, decimals, UUIDs)
are written as text and read back by the field's own `to_python`, so an SQLite backup loads into
PostgreSQL and the other way round.
"""

import base64
import datetime
import decimal
import uuid
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db import connections, models
from django.utils.duration import duration_iso_string

BATCH = 500


def all_models() -> list[type[models.Model]]:
    """The models that own a table: every app's, with the many-to-many tables Django made."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]
    return sorted(found, key=lambda model: model._meta.db_table)


def columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def encode(value):
    """For `json.dumps(row, default=encode)`: what JSON cannot hold, as text."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"Cannot back up a value of type {type(value).__name__}")


def rows(model: type[models.Model], using: str = "default") -> Iterator[tuple]:
    names = [field.attname for field in columns(model)]
    queryset = model._base_manager.using(using).order_by("pk").values_list(*names)
    return queryset.iterator(chunk_size=2000)


def _decoder(field: models.Field):
    if isinstance(field, models.JSONField):
        return lambda value: value
    return lambda value: None if value is None else field.to_python(value)


def load(model: type[models.Model], data: Iterable[list], using: str = "default") -> int:
    """Insert the rows as they are (raw: no `auto_now`, no signals); how many."""
    fields = columns(model)
    decoders = [(field.attname, _decoder(field)) for field in fields]
    batch_size = max(1, min(BATCH, connections[using].ops.bulk_batch_size(fields, [None] * BATCH)))
    count, batch = 0, []

    def flush() -> None:
        # What Model.save_base does for one object (raw=True keeps the dates and the ids).
        model._base_manager.using(using)._insert(batch, fields=fields, raw=True, using=using)
        batch.clear()

    for row in data:
        values = zip(decoders, row, strict=True)
        batch.append(model(**{name: decode(value) for (name, decode), value in values}))
        count += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return count
