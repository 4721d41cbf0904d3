"""Roll-up tables, completeness and timeliness of reporting, their charts and Excel exports.

Every page reads the stored roll-up through `figures.queries` (no aggregation here); the unit
comes through `org.queries.unit_for`, so a unit outside the user's scope answers 404. The page,
its chart (SVG or PNG) and its workbook take the same query parameters.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.period_names import period_label
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period
from tuyengiao.reports.charts import chart_response
from tuyengiao.reports.xlsx import xlsx_response
from tuyengiao.text import search_key

from .. import charts, export, queries
from ..forms_tables import LAYOUT_PERIODS, CompletenessParams, TableParams
from ..models import DataSet


def _data_sets(request):
    return queries.data_sets_in_use_first(request.user)


def _bind(request, params_class):
    """The parameters from the query string, with the default form when none is named."""
    data = request.GET.copy()
    data_sets = _data_sets(request)
    if "data_set" not in data:
        first = data_sets.first()
        data["data_set"] = str(first.pk) if first else ""
    if params_class is TableParams:
        data.setdefault("layout", LAYOUT_PERIODS)
    if request.htmx.trigger_name == "data_set":  # another form: its own indicators, its kind
        data.pop("indicator", None)
        data.pop("kind", None)
    today = timezone.localdate()
    return params_class(data, data_sets=data_sets, today=today, refresh=request.path)


def _redrawn_form(request, unit: Unit, params) -> HttpResponse | None:
    """The parameters' form alone, for htmx redrawing it as one of its fields changes."""
    if not request.htmx:
        return None
    params.is_valid()
    return render(request, "figures/_table_params.html", {"unit": unit, "params": params})


def _errors(params: forms.Form) -> str:
    return " ".join(str(m) for messages in params.errors.values() for m in messages)


def _span(periods: list[Period]) -> str:
    if len(periods) == 1:
        return period_label(periods[0])
    return f"{period_label(periods[0])} – {period_label(periods[-1])}"


def _crumbs(request, unit: Unit, params) -> list[tuple[Unit, str]]:
    return [(a, params.query(unit=a.pk)) for a in org_queries.breadcrumb(request.user, unit)]


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return xlsx_response(content, "-".join(search_key(name).split()) or "bang")


def _chart(content: bytes, fmt: str) -> HttpResponse:
    # Not cached: a chart must show a value the moment it is saved, like its table.
    return chart_response(content, fmt)


# The roll-up table -------------------------------------------------------------------------------


def _table(request):
    """(unit, params, table or None) for the request; the table is None when params are bad."""
    unit = org_queries.unit_asked(request)
    params = _bind(request, TableParams)
    if not params.is_valid():
        return unit, params, None
    data = params.cleaned_data
    return unit, params, queries.table(unit, data["indicators"], data["periods"])


def _table_title(table: queries.Table) -> str:
    names = ", ".join(i.name for i in table.indicators[:3])
    if len(table.indicators) > 3:
        names += _(" và %(n)s chỉ tiêu khác") % {"n": len(table.indicators) - 3}
    return names


def _failed(request, template: str, unit: Unit, params) -> HttpResponse:
    """The page with the parameters' errors beside their fields: 400, or 200 when the user
    asked for nothing and only the defaults failed (no form defined yet)."""
    crumbs = [(a, f"unit={a.pk}") for a in org_queries.breadcrumb(request.user, unit)]
    context = {"unit": unit, "params": params, "crumbs": crumbs, "failed": True}
    return render(request, template, context, status=400 if request.GET else 200)


def table_page(request):
    unit, params, table = _table(request)
    if redrawn := _redrawn_form(request, unit, params):
        return redrawn
    if table is None:
        return _failed(request, "figures/table.html", unit, params)
    children = [r.unit for r in table.rows if not (r.is_total or r.own)]
    parents = org_queries.with_children(children)
    for row in table.rows:
        row.note = export.unit_note(row.unit)
        drill = row.unit.pk in parents and not row.own
        row.query = params.query(unit=row.unit.pk) if drill else ""
    data = params.cleaned_data
    context = {
        "unit": unit,
        "params": params,
        "table": table,
        "crumbs": _crumbs(request, unit, params),
        "query": params.query(unit=unit.pk),
        "layout": data["layout"],
        "title": _table_title(table),
        "span": _span(table.periods),
        "has_values": any(c.value is not None for r in table.rows for c in r.cells),
        "completeness_query": _completeness_link(params, unit),
    }
    return render(request, "figures/table.html", context)


def _completeness_link(params: TableParams, unit: Unit) -> str:
    data = params.cleaned_data
    if not data.get("data_set"):
        return ""
    query = QueryDict(mutable=True)
    query.update(unit=unit.pk, data_set=data["data_set"].pk)
    if data["layout"] == LAYOUT_PERIODS and data["kind"] == data["data_set"].period_kind:
        query.update(first=data["periods"][0].id, last=data["periods"][-1].id)
    return query.urlencode()


def table_chart(request, fmt: str):
    unit, params, table = _table(request)
    if table is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    return _chart(charts.draw(table, fmt, title=_table_title(table)), fmt)


def table_export(request):
    unit, params, table = _table(request)
    if table is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    title = _table_title(table)
    content = export.table_workbook(
        table,
        title=title,
        when=_span(table.periods),
        chart_png=charts.draw(table, "png", title=title),
    )
    return _xlsx(content, f"so lieu {unit.name} {_span(table.periods)}")


# Completeness and timeliness -------------------------------------------------------------------

LATE_SHOWN = 200


def _completeness(request):
    unit = org_queries.unit_asked(request)
    params = _bind(request, CompletenessParams)
    if not params.is_valid():
        return unit, params, None
    data = params.cleaned_data
    return unit, params, queries.completeness(unit, data["data_set"], data["periods"])


def _completeness_title(data_set: DataSet) -> str:
    return _("Tình hình gửi báo cáo: %(form)s") % {"form": data_set.name}


def completeness_page(request):
    unit, params, rows = _completeness(request)
    if redrawn := _redrawn_form(request, unit, params):
        return redrawn
    if rows is None:
        return _failed(request, "figures/completeness.html", unit, params)
    data = params.cleaned_data
    parents = org_queries.with_children([r.unit for r in rows if r.unit.pk != unit.pk])
    for row in rows:
        row.own = not row.is_total and row.unit.pk == unit.pk
        row.note = export.unit_note(row.unit)
        row.query = (
            params.query(unit=row.unit.pk)
            if not row.is_total and not row.own and row.unit.pk in parents
            else ""
        )
    late = queries.late_reports(unit, data["data_set"], data["periods"]).select_related(
        "unit__parent", "unit__successor"
    )
    late_list = list(late[:LATE_SHOWN])
    for report in late_list:
        report.period_label = period_label(report.period)
        report.note = export.unit_note(report.unit)
    table_query = QueryDict(mutable=True)
    table_query.update(
        unit=unit.pk,
        data_set=data["data_set"].pk,
        kind=data["data_set"].period_kind,
        first=data["periods"][0].id,
        last=data["periods"][-1].id,
    )
    context = {
        "unit": unit,
        "params": params,
        "rows": rows,
        "crumbs": _crumbs(request, unit, params),
        "query": params.query(unit=unit.pk),
        "data_set": data["data_set"],
        "span": _span(data["periods"]),
        "total": rows[-1],
        "late": late_list,
        "late_count": late.count() if len(late_list) == LATE_SHOWN else len(late_list),
        "table_query": table_query.urlencode(),
    }
    return render(request, "figures/completeness.html", context)


def completeness_chart(request, fmt: str):
    unit, params, rows = _completeness(request)
    if rows is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    title = _completeness_title(params.cleaned_data["data_set"])
    return _chart(charts.completeness_chart(rows, fmt, title=title), fmt)


def completeness_export(request):
    unit, params, rows = _completeness(request)
    if rows is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    data = params.cleaned_data
    title = _completeness_title(data["data_set"])
    late = queries.late_reports(unit, data["data_set"], data["periods"]).select_related(
        "unit__parent", "unit__successor"
    )
    content = export.completeness_workbook(
        rows,
        late,
        own_label=_("Chính đơn vị (%(unit)s)") % {"unit": unit.name},
        title=title,
        when=_span(data["periods"]),
        chart_png=charts.completeness_chart(rows, "png", title=title),
    )
    return _xlsx(content, f"tinh hinh bao cao {data['data_set'].code} {unit.name}")
