"""The audit log as people read it: field labels, displayed values, local times.

An entry stores raw values (`reporter_id: 12`, `mood: "worried"`, ISO UTC times); a page shows
the field's verbose name and the value as the rest of the app shows it: a choice's label, a
foreign key's name, a date as dd/mm/yyyy, a time in the local zone. Internal columns (paths,
search keys, ids) are not shown.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from tuyengiao.text import format_date, format_number

# Columns that only the machinery reads.
HIDDEN = {"id", "password", "search_key", "search_text", "unit_path", "path", "scope_path"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def _hidden(key: str, field: models.Field | None) -> bool:
    if key in HIDDEN or key.endswith("_path") or key.startswith("search"):
        return True
    return field is not None and field.primary_key


def _fields(model) -> dict[str, models.Field]:
    if model is None:
        return {}
    return {f.attname: f for f in model._meta.concrete_fields}


def _names(entries) -> dict[type, dict]:
    """The names of every object a foreign key of these entries points to, one query a model."""
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        fields = _fields(entry.content_type.model_class())
        for side in (entry.before or {}, entry.after or {}):
            for key, value in side.items():
                field = fields.get(key)
                if value is not None and isinstance(field, models.ForeignKey):
                    wanted[field.related_model].add(value)
    return {
        model: {str(pk): str(obj) for pk, obj in model._default_manager.in_bulk(ids).items()}
        for model, ids in wanted.items()
    }


def _show(field: models.Field | None, value, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field is None:
        return str(value)
    if isinstance(field, models.ForeignKey):
        return names.get(field.related_model, {}).get(str(value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Có") if value else _("Không")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if isinstance(moment, datetime):
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment, timezone.get_default_timezone())
            return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    elif isinstance(field, models.DateField):
        day = parse_date(str(value))
        if day is not None:
            return format_date(day)
    if isinstance(field, models.IntegerField) and isinstance(value, int):
        return format_number(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return str(value).replace(".", ",")
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(value)


def _label(key: str, field: models.Field | None) -> str:
    return str(field.verbose_name).capitalize() if field is not None else key


def describe(entries) -> list:
    """The entries, each given `shown`: its visible changes as (label, before, after)."""
    entries = list(entries)
    names = _names(entries)
    for entry in entries:
        fields = _fields(entry.content_type.model_class())
        shown = []
        for key, before, after in entry.changes():
            field = fields.get(key)
            if _hidden(key, field):
                continue
            if entry.action == "create" and after in (None, ""):
                continue  # a new object's empty fields say nothing
            shown.append(
                Change(_label(key, field), _show(field, before, names), _show(field, after, names))
            )
        entry.shown = shown
    return entries
