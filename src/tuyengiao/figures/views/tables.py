"""Roll-up tables, completeness and timeliness of reporting, their charts and Excel exports.

Every page reads the stored roll-up through `figures.queries` (no aggregation here); the unit
comes through `org.queries.unit_for`, so a unit outside the user's scope answers 404. The page,
its chart (SVG or PNG) and its workbook take the same query parameters.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.urls import path, re_path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period
from tuyengiao.reports.charts import FORMATS
from tuyengiao.reports.xlsx import xlsx_response
from tuyengiao.text import search_key

from .. import charts, export, queries
from ..models import DataSet, Indicator, PeriodKind, ValueType

MAX_COLUMNS = 60  # indicators × periods on one table
MAX_PERIODS = 120  # periods of one completeness page (ten years of months)
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
LAYOUT_PERIODS, LAYOUT_INDICATORS = "periods", "indicators"


# Parameters ------------------------------------------------------------------------------------


def default_range(kind: str, today: date) -> tuple[Period, Period]:
    """From the start of this year (five years back for years) to the current period."""
    first_day = date(today.year - 4 if kind == "year" else today.year, 1, 1)
    return Period.of(kind, first_day), Period.of(kind, today)


def _count(first: Period, last: Period) -> int:
    months = (last.start.year - first.start.year) * 12 + last.start.month - first.start.month
    return months // _MONTHS[first.kind] + 1


def _as_kind(period: Period, kind: str, at_end: bool) -> Period:
    """A period turned into the one of `kind` holding its start (or its end)."""
    if period.kind == kind:
        return period
    return Period.of(kind, period.end if at_end else period.start)


def period_range(form: forms.Form, kind: str, limit: int, today: date) -> list[Period] | None:
    """The periods first..last of `kind` from the form's fields, or None with the errors added.

    Ids of another kind are read as the periods of `kind` that hold them (2024-01..2024-12 as
    quarters is Quý I/2024..Quý IV/2024), so changing the kind keeps the span.
    """
    first_default, last_default = default_range(kind, today)
    bounds = {}
    for name, default, at_end in (("first", first_default, False), ("last", last_default, True)):
        raw = form.cleaned_data.get(name) or ""
        try:
            bounds[name] = _as_kind(Period.parse(raw), kind, at_end) if raw else default
        except ValueError as exc:
            form.add_error(name, str(exc))
    if len(bounds) < 2:
        return None
    first, last = bounds["first"], bounds["last"]
    count = _count(first, last)
    if count < 1:
        form.add_error(
            "last",
            _("Kỳ đầu (%(first)s) phải trước kỳ cuối (%(last)s).")
            % {"first": first.label, "last": last.label},
        )
        return None
    if count > limit:
        form.add_error(
            "last",
            _("Khoảng thời gian có %(n)s kỳ; hãy chọn tối đa %(max)s kỳ.")
            % {"n": count, "max": limit},
        )
        return None
    form.cleaned_data["first"], form.cleaned_data["last"] = first.id, last.id
    return Period.range(first, last)


def indicator_choices(data_set: DataSet | None) -> list[Indicator]:
    """A form's numeric indicators in its order, then the derived ones computed from them; or
    every numeric indicator when no form is chosen."""
    numeric = Indicator.objects.exclude(value_type=ValueType.TEXT)
    if data_set is None:
        return list(numeric.select_related("planned", "numerator", "denominator").order_by("code"))
    own = [
        row.indicator
        for row in data_set.rows.select_related(
            "indicator__planned", "indicator__numerator", "indicator__denominator"
        )
        if row.indicator.value_type != ValueType.TEXT
    ]
    ids = [i.pk for i in own]
    derived = numeric.filter(numerator__in=ids, denominator__in=ids).exclude(pk__in=ids)
    return own + list(derived.select_related("planned", "numerator", "denominator"))


def _show(form: forms.Form, **values) -> None:
    """Show the values actually used (defaults, normalised ids) in the form's fields."""
    form.data = form.data.copy()
    for key, value in values.items():
        form.data[key] = str(value)  # replaces (QueryDict.update would append)


class TableParams(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("Trình bày"),
        choices=[
            (LAYOUT_PERIODS, gettext_lazy("Đơn vị × kỳ")),
            (LAYOUT_INDICATORS, gettext_lazy("Đơn vị × chỉ tiêu (một kỳ)")),
        ],
    )
    form = forms.ModelChoiceField(
        label=gettext_lazy("Biểu mẫu"),
        queryset=DataSet.objects.none(),
        required=False,
        empty_label=gettext_lazy("Mọi chỉ tiêu"),
    )
    indicator = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Chỉ tiêu"),
        queryset=Indicator.objects.exclude(value_type=ValueType.TEXT),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=gettext_lazy("Giữ Ctrl để chọn nhiều chỉ tiêu."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại kỳ"), choices=PeriodKind.choices, required=False
    )
    first = forms.CharField(
        label=gettext_lazy("Từ kỳ"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "2024-01", "size": 8}),
    )
    last = forms.CharField(
        label=gettext_lazy("Đến kỳ"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "2024-12", "size": 8}),
    )
    period = forms.CharField(
        label=gettext_lazy("Kỳ (bảng theo chỉ tiêu)"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": "2024Q3", "size": 8}),
        help_text=gettext_lazy("Tháng 2024-11, quý 2024Q3, 6 tháng 2024S1, năm 2024"),
    )

    def __init__(self, data, *, data_sets, today: date):
        super().__init__(data)
        self.today = today
        self.fields["form"].queryset = data_sets
        self.data_set = self._raw_data_set(data_sets)
        self.choices = indicator_choices(self.data_set)
        shown = {i.pk for i in self.choices}
        picked = [v for v in self.data.getlist("indicator") if v.isdigit() and int(v) not in shown]
        extra = list(Indicator.objects.filter(pk__in=picked).exclude(value_type=ValueType.TEXT))
        self.fields["indicator"].widget.choices = [(i.pk, str(i)) for i in self.choices + extra]

    def _raw_data_set(self, data_sets):
        raw = self.data.get("form", "")
        return data_sets.filter(pk=int(raw)).first() if raw.isdigit() else None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data_set = data.get("form")
        order = {i.pk: n for n, i in enumerate(self.choices)}
        indicators = sorted(data.get("indicator") or [], key=lambda i: order.get(i.pk, 10**6))
        layout = data["layout"]
        if not indicators:
            indicators = self._default_indicators(layout)
        if not indicators:
            raise forms.ValidationError(_("Chưa có chỉ tiêu nào để tổng hợp."))
        kind = data.get("kind") or (data_set.period_kind if data_set else "month")
        if layout == LAYOUT_INDICATORS:
            periods = self._one_period(kind)
        else:
            periods = period_range(self, kind, MAX_COLUMNS, self.today)
        if periods is None:
            return data
        if len(indicators) * len(periods) > MAX_COLUMNS:
            raise forms.ValidationError(
                _("Bảng có %(n)s cột; hãy chọn ít chỉ tiêu hoặc ít kỳ hơn (tối đa %(max)s cột).")
                % {"n": len(indicators) * len(periods), "max": MAX_COLUMNS}
            )
        data.update(indicators=indicators, periods=periods, kind=periods[0].kind)
        if layout == LAYOUT_INDICATORS:
            _show(self, period=periods[0].id)
        else:
            _show(self, kind=data["kind"], first=periods[0].id, last=periods[-1].id)
        return data

    def _default_indicators(self, layout: str) -> list[Indicator]:
        if layout == LAYOUT_INDICATORS:
            return self.choices[:MAX_COLUMNS]
        planned = [i for i in self.choices if i.planned_id]
        return (planned or self.choices)[:1]

    def _one_period(self, kind: str) -> list[Period] | None:
        raw = self.cleaned_data.get("period") or ""
        if not raw:
            return [Period.of(kind, self.today).previous()]
        try:
            period = Period.parse(raw)
        except ValueError as exc:
            self.add_error("period", str(exc))
            return None
        self.cleaned_data["period"] = period.id
        return [period]

    def query(self, **changes) -> str:
        """The normalised query string of these parameters (defaults made explicit)."""
        data = self.cleaned_data
        params = QueryDict(mutable=True)
        params["layout"] = data["layout"]
        params["form"] = data["form"].pk if data.get("form") else ""
        params.setlist("indicator", [str(i.pk) for i in data["indicators"]])
        if data["layout"] == LAYOUT_INDICATORS:
            params["period"] = data["periods"][0].id
        else:
            params["kind"] = data["kind"]
            params["first"], params["last"] = data["periods"][0].id, data["periods"][-1].id
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()


class CompletenessParams(forms.Form):
    form = forms.ModelChoiceField(
        label=gettext_lazy("Biểu mẫu"), queryset=DataSet.objects.none(), empty_label=None
    )
    first = TableParams.base_fields["first"]
    last = TableParams.base_fields["last"]

    def __init__(self, data, *, data_sets, today: date):
        super().__init__(data)
        self.today = today
        self.fields["form"].queryset = data_sets

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        periods = period_range(self, data["form"].period_kind, MAX_PERIODS, self.today)
        if periods is not None:
            data["periods"] = periods
            _show(self, first=periods[0].id, last=periods[-1].id)
        return data

    def query(self, **changes) -> str:
        data = self.cleaned_data
        params = QueryDict(mutable=True)
        params["form"] = data["form"].pk
        params["first"], params["last"] = data["periods"][0].id, data["periods"][-1].id
        for key, value in changes.items():
            params[key] = value
        return params.urlencode()


def _unit(request) -> Unit:
    return org_queries.viewed_unit(request.user, request.GET.get("unit", ""))


def _data_sets(request):
    return queries.data_sets_for(request.user).order_by("-active", "code")


def _bind(request, params_class):
    """The parameters from the query string, with the default form when none is named."""
    data = request.GET.copy()
    data_sets = _data_sets(request)
    if "form" not in data:
        first = data_sets.first()
        data["form"] = str(first.pk) if first else ""
    if params_class is TableParams:
        data.setdefault("layout", LAYOUT_PERIODS)
    today = timezone.localdate()
    return params_class(data, data_sets=data_sets, today=today)


def _errors(params: forms.Form) -> str:
    return " ".join(str(m) for messages in params.errors.values() for m in messages)


def _span(periods: list[Period]) -> str:
    if len(periods) == 1:
        return periods[0].label
    return f"{periods[0].label} – {periods[-1].label}"


def _parents(units) -> set[int]:
    """The ids of the units that have sub-units (a drill-down leads somewhere)."""
    return set(
        Unit.objects.filter(parent__in=[u.pk for u in units])
        .values_list("parent_id", flat=True)
        .distinct()
    )


def _crumbs(request, unit: Unit, params) -> list[tuple[Unit, str]]:
    return [(a, params.query(unit=a.pk)) for a in org_queries.breadcrumb(request.user, unit)]


def _xlsx(content: bytes, name: str) -> HttpResponse:
    return xlsx_response(content, "-".join(search_key(name).split()) or "bang")


def _chart(content: bytes, fmt: str) -> HttpResponse:
    # Not cached: a chart must show a value the moment it is saved, like its table.
    return HttpResponse(content, content_type=FORMATS[fmt])


# The roll-up table -------------------------------------------------------------------------------


def _table(request):
    """(unit, params, table or None) for the request; the table is None when params are bad."""
    unit = _unit(request)
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
    if table is None:
        return _failed(request, "figures/table.html", unit, params)
    children = [r.unit for r in table.rows if not r.is_total]
    parents = _parents(children)
    for row in table.rows:
        row.note = export.unit_note(row.unit)
        row.query = params.query(unit=row.unit.pk) if row.unit.pk in parents else ""
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
    if not data.get("form"):
        return ""
    query = QueryDict(mutable=True)
    query.update(unit=unit.pk, form=data["form"].pk)
    if data["layout"] == LAYOUT_PERIODS and data["kind"] == data["form"].period_kind:
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
    unit = _unit(request)
    params = _bind(request, CompletenessParams)
    if not params.is_valid():
        return unit, params, None
    data = params.cleaned_data
    return unit, params, queries.completeness(unit, data["form"], data["periods"])


def _completeness_title(data_set: DataSet) -> str:
    return _("Tình hình gửi báo cáo: %(form)s") % {"form": data_set.name}


def completeness_page(request):
    unit, params, rows = _completeness(request)
    if rows is None:
        return _failed(request, "figures/completeness.html", unit, params)
    data = params.cleaned_data
    parents = _parents([r.unit for r in rows if r.unit.pk != unit.pk])
    for row in rows:
        row.own = not row.is_total and row.unit.pk == unit.pk
        row.note = export.unit_note(row.unit)
        row.query = (
            params.query(unit=row.unit.pk)
            if not row.is_total and not row.own and row.unit.pk in parents
            else ""
        )
    late = queries.late_reports(unit, data["form"], data["periods"]).select_related(
        "unit__parent", "unit__successor"
    )
    late_list = list(late[:LATE_SHOWN])
    for report in late_list:
        report.period_label = Period.parse(report.period).label
        report.note = export.unit_note(report.unit)
    table_query = QueryDict(mutable=True)
    table_query.update(
        unit=unit.pk,
        form=data["form"].pk,
        kind=data["form"].period_kind,
        first=data["periods"][0].id,
        last=data["periods"][-1].id,
    )
    context = {
        "unit": unit,
        "params": params,
        "rows": rows,
        "crumbs": _crumbs(request, unit, params),
        "query": params.query(unit=unit.pk),
        "data_set": data["form"],
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
    title = _completeness_title(params.cleaned_data["form"])
    return _chart(charts.completeness_chart(rows, fmt, title=title), fmt)


def completeness_export(request):
    unit, params, rows = _completeness(request)
    if rows is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    data = params.cleaned_data
    title = _completeness_title(data["form"])
    late = queries.late_reports(unit, data["form"], data["periods"]).select_related(
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
    return _xlsx(content, f"tinh hinh bao cao {data['form'].code} {unit.name}")


urlpatterns = [
    path("table/", table_page, name="table"),
    re_path(r"^table/chart\.(?P<fmt>svg|png)$", table_chart, name="table_chart"),
    path("table/export.xlsx", table_export, name="table_export"),
    path("completeness/", completeness_page, name="completeness"),
    re_path(
        r"^completeness/chart\.(?P<fmt>svg|png)$", completeness_chart, name="completeness_chart"
    ),
    path("completeness/export.xlsx", completeness_export, name="completeness_export"),
]
