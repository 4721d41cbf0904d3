"""Recommendations followed to the end: one recommendation (the unit reports with evidence,
the issuing office accepts or returns it), the roll-up by unit and its drill-down, and the
recurring shortcomings of the units below."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.files import download
from tuyengiao.core.forms import apply_errors
from tuyengiao.deadlines.models import State
from tuyengiao.org import queries as org_queries
from tuyengiao.text import parse_date

from .. import queries, services
from ..forms import ReportForm, ReturnForm, SettingsForm
from ..models import RecommendationState
from .common import may_inspect, post_only, read_only, require_inspect


def recommendation_detail(request, pk: int):
    recommendation = queries.recommendation_for(request.user, pk)
    if refused := read_only(request):
        return refused
    return render(
        request,
        "oversight/recommendation_detail.html",
        _context(request, recommendation),
    )


def _context(request, recommendation, **forms) -> dict:
    user = request.user
    state = recommendation.state
    may_report = services.may_report(user, recommendation) and state in (
        RecommendationState.OPEN,
        RecommendationState.RETURNED,
    )
    may_decide = services.may_decide(user, recommendation) and state == (
        RecommendationState.REPORTED
    )
    issuer = services.issuer_of(recommendation)
    return {
        "recommendation": recommendation,
        "unit": recommendation.unit,
        "issuer": issuer,
        "due_state": queries.recommendation_state(recommendation),
        "may_report": may_report,
        "may_decide": may_decide,
        "report_form": forms.get("report_form")
        or ReportForm(initial={"report_text": recommendation.report_text}),
        "return_form": forms.get("return_form") or ReturnForm(),
        "breadcrumb": org_queries.breadcrumb(user, recommendation.unit),
    }


def recommendation_report(request, pk: int):
    recommendation = queries.recommendation_for(request.user, pk)
    if refused := post_only(request):
        return refused
    if not services.may_report(request.user, recommendation):
        raise PermissionDenied(_("Bạn không có quyền báo cáo kiến nghị của đơn vị này."))
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.recommendation_report(
                actor=request.user,
                recommendation=recommendation,
                report_text=form.cleaned_data["report_text"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi báo cáo kết quả thực hiện kiến nghị."))
            return redirect(recommendation)
    return render(
        request,
        "oversight/recommendation_detail.html",
        _context(request, recommendation, report_form=form),
        status=400,
    )


def _decide(request, pk: int):
    recommendation = queries.recommendation_for(request.user, pk)
    if refused := post_only(request):
        return recommendation, refused
    if not services.may_decide(request.user, recommendation):
        raise PermissionDenied(_("Chỉ đơn vị ban hành kiến nghị mới xem xét kết quả."))
    return recommendation, None


def recommendation_accept(request, pk: int):
    recommendation, refused = _decide(request, pk)
    if refused:
        return refused
    try:
        services.recommendation_accept(actor=request.user, recommendation=recommendation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã công nhận hoàn thành kiến nghị."))
    return redirect(recommendation)


def recommendation_return(request, pk: int):
    recommendation, refused = _decide(request, pk)
    if refused:
        return refused
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_return(
                actor=request.user,
                recommendation=recommendation,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã trả lại; đơn vị đã nhận lý do."))
            return redirect(recommendation)
    return render(
        request,
        "oversight/recommendation_detail.html",
        _context(request, recommendation, return_form=form),
        status=400,
    )


def evidence(request, pk: int):
    recommendation = queries.recommendation_for(request.user, pk)
    if refused := read_only(request):
        return refused
    return download(recommendation.evidence, name=recommendation.download_name)


# The roll-up, its drill-down, recurring shortcomings --------------------------------------------


def _since(request, today: date) -> tuple[date, str]:
    raw = request.GET.get("since", "").strip()
    default = date(today.year, 1, 1)
    if not raw:
        return default, ""
    try:
        return parse_date(raw), ""
    except ValueError as exc:
        return default, str(exc)


def matrix(request):
    """Open recommendations by unit, rolled up the tree, with the four states of every deadline
    (and those closed since the start of the year)."""
    unit = org_queries.unit_asked(request)
    today = timezone.localdate()
    since, since_error = _since(request, today)
    board = queries.recommendation_matrix(request.user, unit, since=since, today=today)
    context = {
        "unit": unit,
        "board": board,
        "since": since,
        "since_error": since_error,
        "current": "matrix",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/matrix.html", context)


def recommendation_list(request):
    """The drill-down: the recommendations of the unit's subtree, in one state when asked."""
    unit = org_queries.unit_asked(request)
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    open_only = request.GET.get("open") == "1"
    found = queries.recommendations_in(request.user, unit, state=state, open_only=open_only)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for recommendation in page:
        recommendation.due_state = queries.recommendation_state(recommendation, today)
    context = {
        "unit": unit,
        "page": page,
        "state": state,
        "states": State.choices,
        "open_only": open_only,
        "current": "matrix",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/recommendation_list.html", context)


def recurring(request):
    """The units below where a field of work was named a shortcoming in two or more
    conclusions within the office's window of years."""
    unit = org_queries.unit_asked(request)
    years = queries.recurrence_years(unit)
    office = may_inspect(request.user, unit)
    rows = queries.recurring_rows(request.user, unit, years=years)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "found": queries.recurrences(page.object_list),
        "years": years,
        "since": queries.recurrence_since(unit, timezone.localdate(), years),
        "settings_form": SettingsForm(initial={"recurrence_years": years}) if office else None,
        "current": "recurring",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/recurring.html", context)


def settings(request):
    """The office sets N, the window of years of recurring shortcomings for its subtree."""
    unit = org_queries.unit_asked(request, request.POST)
    if refused := post_only(request):
        return refused
    require_inspect(request.user, unit)
    form = SettingsForm(request.POST)
    if form.is_valid():
        try:
            services.settings_set(
                actor=request.user,
                unit=unit,
                recurrence_years=form.cleaned_data["recurrence_years"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu số năm xét hạn chế lặp lại."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('oversight:recurring')}?unit={unit.pk}")
