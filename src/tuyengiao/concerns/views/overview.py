"""See the overview: counts, rising topics and timeliness rolled up the tree; periodic summaries.

The office (viewer and up) reads; collaborators never reach these pages (404). A unit
comes through `org.queries.unit_for`, so one outside the user's subtree answers 404. Numbers
come from `concerns.stats`, prose and exports from `concerns.summary`; saving a summary is
`services.summary_save`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, can, get_for_user, in_scope
from tuyengiao.reports.charts import chart_response
from tuyengiao.reports.xlsx import xlsx_response
from tuyengiao.text import search_key

from .. import queries, services, stats, summary, workbook
from ..forms_overview import OverviewParams, SummaryCompose, SummaryParams, SummaryTextForm
from ..models import Summary

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_SIZE = 50


def _office(user, action: Action = Action.VIEW) -> None:
    if not can(user, action):
        raise PermissionDenied(
            _(
                "Trang này dành cho cán bộ theo dõi dư luận xã hội; cộng tác viên xem phản ánh "
                "của mình."
            )
        )


def _stem(*parts: str) -> str:
    return "-".join(search_key(" ".join(parts)).split()) or "bao-cao"


# The overview -------------------------------------------------------------------------------------


def _overview(request):
    _office(request.user)
    unit = org_queries.unit_asked(request)
    params = OverviewParams(request.GET)
    if not params.is_valid():
        return unit, params, None
    return unit, params, stats.overview(unit, params.cleaned_data["week_list"])


def _errors(params) -> str:
    return " ".join(str(m) for messages_ in params.errors.values() for m in messages_)


def overview_page(request):
    unit, params, overview = _overview(request)
    crumbs = org_queries.breadcrumb(request.user, unit)
    if overview is None:
        context = {"unit": unit, "params": params, "crumbs": [(a, f"unit={a.pk}") for a in crumbs]}
        return render(request, "concerns/overview.html", context, status=400)
    chart = overview.by_week.is_empty is False
    if request.GET.get("format") == "xlsx":
        png = None
        if chart:
            png = summary.weekly_chart(
                overview.by_week, overview.weeks, "png", title=summary.chart_title(unit)
            )
        content = workbook.overview_workbook(overview, png)
        return xlsx_response(content, _stem("du luan", unit.name, overview.weeks[-1].id))

    children = [p.unit for p in overview.places if not p.own]
    parents = org_queries.with_children(children)
    for row in [*overview.by_place.lines, *overview.resolution]:
        row.query = (
            params.query(unit=row.unit.pk)
            if not row.is_total and not row.own and row.unit.pk in parents
            else ""
        )
    # A province has a hundred communes, most with nothing in a few weeks: by default only the
    # places with something to show, the others one click away (the workbook keeps them all).
    every = params.cleaned_data["all"]
    places = [line for line in overview.by_place.lines if every or not line.is_blank]
    resolution = [row for row in overview.resolution if every or not row.is_blank]
    query = params.query(unit=unit.pk)
    context = {
        "unit": unit,
        "params": params,
        "overview": overview,
        "crumbs": [(a, params.query(unit=a.pk)) for a in crumbs],
        "query": query,
        "rising": [(item, stats.rising_detail(item)) for item in overview.rising],
        "places": places,
        "places_blank": sum(line.is_blank for line in overview.by_place.lines),
        "resolution": resolution,
        "resolution_blank": sum(row.is_blank for row in overview.resolution),
        "every": every,
        "toggle_query": params.query(unit=unit.pk, all=None if every else "1"),
        "last_week": overview.weeks[-1],
        "place_heads": list(zip(overview.by_place.keys, overview.by_place.columns, strict=True)),
        "chart": chart,
        "chart_title": summary.chart_title(unit),
        "rule": _(
            "Lĩnh vực tăng: ít nhất %(min)s phản ánh trong tuần và gấp %(factor)s lần trở lên "
            "so với trung bình bốn tuần trước."
        )
        % {"min": stats.RISING_MIN, "factor": "1,5"},
        "can_compose": can(request.user, Action.CHANGE)
        and in_scope(request.user, unit.path, Action.CHANGE),
    }
    return render(request, "concerns/overview.html", context)


def overview_chart(request, fmt: str):
    unit, params, overview = _overview(request)
    if overview is None:
        return HttpResponseBadRequest(_errors(params), content_type="text/plain; charset=utf-8")
    content = summary.weekly_chart(
        overview.by_week, overview.weeks, fmt, title=summary.chart_title(unit)
    )
    return chart_response(content, fmt)


# Summaries ---------------------------------------------------------------------------------------


def _compose_units(user, extra: Unit | None = None) -> list[Unit]:
    """The units one writes summaries for: one's own and the places directly below it (and
    the unit asked for)."""
    home = org_queries.home_unit(user)
    if home is None:
        return []
    units = [home, *org_queries.places_below(home)]
    if extra is not None and extra not in units:
        units.append(extra)
    return units


def _recent(user) -> list[dict]:
    """The periods one usually reports on, for one's own unit: last week, this week, last month
    and this month, each with its saved summary if there is one."""
    home = org_queries.home_unit(user)
    if home is None:
        return []
    today = timezone.localdate()
    this_week, this_month = stats.Week.of(today), summary.span_of(Summary.Kind.MONTH, today)
    spans = [
        (_("Tuần trước"), Summary.Kind.WEEK, this_week.previous()),
        (_("Tuần này (chưa hết tuần)"), Summary.Kind.WEEK, this_week),
        (_("Tháng trước"), Summary.Kind.MONTH, this_month.previous()),
        (_("Tháng này (chưa hết tháng)"), Summary.Kind.MONTH, this_month),
    ]
    saved = queries.saved_summaries(home, [span.start for *_x, span in spans])
    return [
        {
            "label": label,
            "span": summary.span_text(kind, span),
            "saved": saved.get((kind, span.start)),
            "query": f"unit={home.pk}&kind={kind}&start={span.start.isoformat()}",
        }
        for label, kind, span in spans
    ]


def _list(request, compose=None, status=200):
    unit = None
    if request.GET.get("unit") and compose is None:
        unit = org_queries.unit_asked(request)
    summaries = queries.summary_list(request.user, unit)
    page = Paginator(summaries, PAGE_SIZE).get_page(request.GET.get("page"))
    if compose is None and can(request.user, Action.CHANGE):
        compose = SummaryCompose(
            initial={"unit": (unit or org_queries.home_unit(request.user)).pk},
            units=_compose_units(request.user),
        )
    recent = _recent(request.user) if compose is not None else []
    context = {"page": page, "compose": compose, "unit": unit, "recent": recent}
    return render(request, "concerns/summary_list.html", context, status=status)


def summary_list(request):
    _office(request.user)
    return _list(request)


def _summary_params(request, source):
    """(unit, kind, span) of a summary named by unit, kind and start; 404 outside the scope."""
    unit = org_queries.unit_asked(request, source)
    params = SummaryParams(source)
    if not params.is_valid():
        return unit, params, None
    return unit, params, params.cleaned_data["span"]


def _may_write(user, unit: Unit) -> bool:
    return in_scope(user, unit.path, Action.CHANGE)


def _form_page(request, *, unit, kind, span, form, saved, redrafted=False, status=200):
    f = summary.facts(unit, kind, span)
    query = f"unit={unit.pk}&kind={kind}&start={span.start.isoformat()}"
    context = {
        "unit": unit,
        "kind": kind,
        "span": span,
        "title": summary.title_of(kind, span),
        "form": form,
        "saved": saved,
        "redrafted": redrafted,
        "editable": _may_write(request.user, unit),
        "facts": f,
        "blank_places": sum(line.is_blank for line in f.grid.lines),
        "query": query,
        "overview_query": f"unit={unit.pk}&end={stats.Week.of(span.end).id}",
        "action": reverse("concerns:summary", args=[saved.pk])
        if saved and not redrafted
        else reverse("concerns:summary_draft") + "?" + query,
    }
    return render(request, "concerns/summary_form.html", context, status=status)


def _save(request, *, unit, kind, span, form) -> Summary | None:
    if not form.is_valid():
        return None
    try:
        return services.summary_save(
            actor=request.user,
            unit=unit,
            kind=kind,
            start=span.start,
            end=span.end,
            text=form.cleaned_data["text"],
            symbol=form.cleaned_data["symbol"],
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return None


def summary_draft(request):
    """A draft from the data for a unit and a period (GET), saved by POST. A saved summary is
    shown as saved unless a redraft is asked for."""
    _office(request.user, Action.CHANGE)
    # The summary is named in the query string; a POST carries only its text.
    unit, params, span = _summary_params(request, request.GET)
    if not _may_write(request.user, unit):
        raise PermissionDenied
    if span is None:
        compose = SummaryCompose(request.GET, units=_compose_units(request.user, unit))
        compose.is_valid()
        return _list(request, compose, status=400)
    kind = params.cleaned_data["kind"]
    saved = queries.saved_summaries(unit, [span.start]).get((kind, span.start))
    if request.method == "POST":
        form = SummaryTextForm(request.POST)
        stored = _save(request, unit=unit, kind=kind, span=span, form=form)
        if stored is not None:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect(stored.get_absolute_url())
        return _form_page(
            request,
            unit=unit,
            kind=kind,
            span=span,
            form=form,
            saved=saved,
            redrafted=True,
            status=400,
        )
    redraft = request.GET.get("redraft") == "1"
    if saved is not None and not redraft:
        return redirect(saved.get_absolute_url())
    text = summary.draft(summary.facts(unit, kind, span))
    form = SummaryTextForm(initial={"text": text, "symbol": saved.symbol if saved else ""})
    return _form_page(
        request, unit=unit, kind=kind, span=span, form=form, saved=saved, redrafted=True
    )


def summary_detail(request, pk: int):
    _office(request.user)
    saved = get_for_user(queries.summaries_for(request.user), request.user, pk=pk)
    span = summary.span_of(saved.kind, saved.start)
    if request.method == "POST":
        if not _may_write(request.user, saved.unit):
            raise PermissionDenied
        form = SummaryTextForm(request.POST)
        stored = _save(request, unit=saved.unit, kind=saved.kind, span=span, form=form)
        if stored is not None:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect(stored.get_absolute_url())
        status = 400
    else:
        form = SummaryTextForm(initial={"text": saved.text, "symbol": saved.symbol})
        status = 200
    return _form_page(
        request,
        unit=saved.unit,
        kind=saved.kind,
        span=span,
        form=form,
        saved=saved,
        status=status,
    )


def _export(request):
    _office(request.user)
    unit, params, span = _summary_params(request, request.GET)
    if span is None:
        return None
    kind = params.cleaned_data["kind"]
    text, saved = summary.text_for(unit, kind, span)
    return unit, kind, span, text, saved


def _stem_of(unit: Unit, kind: str, span) -> str:
    return _stem("bao cao du luan", summary.span_text(kind, span), unit.name)


def summary_docx(request):
    found = _export(request)
    if found is None:
        return HttpResponseBadRequest(_("Kỳ báo cáo không hợp lệ."))
    unit, kind, span, text, saved = found
    content = summary.summary_docx(unit, kind, span, text, saved.symbol if saved else "")
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_stem_of(unit, kind, span)}.docx"'
    return response


def summary_xlsx(request):
    found = _export(request)
    if found is None:
        return HttpResponseBadRequest(_("Kỳ báo cáo không hợp lệ."))
    unit, kind, span, text, _saved = found
    content = workbook.summary_workbook(unit, kind, span, text)
    return xlsx_response(content, _stem_of(unit, kind, span))
