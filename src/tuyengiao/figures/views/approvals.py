"""The approval list: reports sent by the units below, filtered, and approved several at once
once each was opened (views/opened.py). Approving one report happens on its own page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tuyengiao.core.params import parse_id
from tuyengiao.core.period_names import period_label
from tuyengiao.org import queries as org_queries
from tuyengiao.org.scope import Action, can

from .. import queries, services
from ..forms import ApprovalFilterForm
from ..models import ReportState
from . import opened

PAGE_SIZE = 50


def _unit_choices(user, unit):
    """The asked unit, the units above it in the user's scope, and those right below it."""
    above = [u for u in org_queries.breadcrumb(user, unit) if u.pk != unit.pk]
    return [*above, unit, *org_queries.children_for(user, unit)]


def approvals(request):
    user = request.user
    if not can(user, Action.APPROVE):
        raise PermissionDenied
    unit = org_queries.unit_asked(request)
    today = timezone.localdate()
    filters = ApprovalFilterForm(
        request.GET,
        units=_unit_choices(user, unit),
        data_sets=queries.data_sets_for(user),
        periods=queries.approval_periods(user),
    )
    chosen = filters.cleaned_data if filters.is_valid() else {}
    state = chosen.get("state") or queries.APPROVAL_WAITING
    reports_qs = queries.approval_list(
        user,
        unit=unit,
        data_set=chosen.get("data_set"),
        period=chosen.get("period", ""),
        state=state,
    ).select_related("obligation", "unit__parent", "returned_by")
    page = Paginator(reports_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    reports = list(page)
    for report in reports:
        report.period_label = period_label(report.period)
        report.due_state = report.obligation.state_on(today) if report.obligation else None
    queries.children_status(reports)
    opened.mark(request, reports)
    context = {
        "page": page,
        "reports": reports,
        "filters": filters,
        "unit": unit,
        "waiting": state == queries.APPROVAL_WAITING,
        "may_bulk": any(r.opened_now and r.state == ReportState.SUBMITTED for r in reports),
    }
    return render(request, "figures/approvals.html", context)


@require_POST
def approve_many(request):
    """Approve the checked reports, each at the version this person opened it at."""
    user = request.user
    if not can(user, Action.APPROVE):
        raise PermissionDenied
    ids = {pk for pk in (parse_id(raw) for raw in request.POST.getlist("report")) if pk}
    seen = opened.opened(request)
    in_scope = queries.approval_list(user, state=queries.APPROVAL_WAITING).filter(pk__in=ids)
    chosen = {pk: seen[pk] for pk in in_scope.values_list("pk", flat=True) if pk in seen}
    if len(chosen) < len(ids):
        messages.error(request, _("Chỉ duyệt cùng lúc được những báo cáo bạn đã mở và xem."))
    if chosen:
        approved, refused = services.reports_approve_many(actor=user, seen=chosen)
        if approved:
            messages.success(
                request,
                ngettext("Đã duyệt %(n)d báo cáo.", "Đã duyệt %(n)d báo cáo.", len(approved))
                % {"n": len(approved)},
            )
        for report, problem in refused:
            label = f"{report.unit.name} – {period_label(report.period)}"
            messages.error(request, f"{label}: {problem}")
    elif not ids:
        messages.error(request, _("Chưa chọn báo cáo nào."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("figures:approvals")
