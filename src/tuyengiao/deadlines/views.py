from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.htmx import render_page_or_fragment
from tuyengiao.org import queries as org_queries
from tuyengiao.org.access import collaborator_allowed
from tuyengiao.org.scope import Action, can, get_for_user, in_scope
from tuyengiao.periods import Period

from . import queries, services
from .forms import CompleteForm, ReopenForm
from .models import Obligation, State


@collaborator_allowed
def home(request):
    """The user's unit at a glance: its obligations by state and what falls due next. A
    collaborator, who reads nothing of the office, is taken to the report page."""
    unit = org_queries.home_unit(request.user)
    if unit is None:
        return render(request, "no_unit.html")
    if not can(request.user, Action.VIEW):
        return redirect("concerns:new")
    context = {
        "unit": unit,
        "totals": queries.state_totals(request.user, unit),
        "upcoming": queries.upcoming(request.user, unit, limit=12),
    }
    return render(request, "deadlines/home.html", context)


def _period(request, default: Period | None) -> tuple[Period | None, str]:
    """The period asked for, or the default; an unreadable id gives the default and a message."""
    raw = request.GET.get("period", "").strip()
    if not raw:
        return default, ""
    try:
        return Period.parse(raw), ""
    except ValueError as exc:
        return default, str(exc)


def period_choices(today: date) -> list[Period]:
    """The periods offered in the selector: this year and last, their halves, quarters, months."""
    choices = []
    for year in (today.year, today.year - 1):
        choices.append(Period.parse(str(year)))
        choices += Period.parse(str(year)).children("half")
        choices += Period.parse(str(year)).children("quarter")
        choices += Period.parse(str(year)).children("month")
    return choices


def obligation_list(request):
    unit = org_queries.unit_asked(request)
    period, period_error = _period(request, None)
    state = request.GET.get("state", "")
    if state not in State.values:
        state = ""
    # The form sends "0" and, when ticked, "1". Unasked, a unit that owes nothing itself (a
    # province, whose work is all below) opens on its subtree, and the page says so.
    asked = request.GET.getlist("subtree")
    subtree_by_default = not asked and not queries.has_own_obligations(request.user, unit)
    subtree = "1" in asked or subtree_by_default
    obligations = queries.unit_obligations(
        request.user, unit, period=period, state=state, subtree=subtree
    )
    page = Paginator(obligations, 50).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "state": state,
        "states": State.choices,
        "subtree": subtree,
        "subtree_by_default": subtree_by_default,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(timezone.localdate()),
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "deadlines/obligation_list.html", context)


def dashboard(request):
    unit = org_queries.unit_asked(request)
    today = timezone.localdate()
    period, period_error = _period(request, Period.of("year", today))
    data = queries.dashboard(request.user, unit, period, today=today)
    context = {
        "board": data,
        "unit": unit,
        "period": period,
        "period_error": period_error,
        "periods": period_choices(today),
        "states": State,
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render_page_or_fragment(
        request, "deadlines/dashboard.html", "deadlines/_dashboard_table.html", context
    )


def obligation_detail(request, pk: int):
    obligation = get_for_user(
        Obligation.objects.select_related("unit", "done_by").with_state(), request.user, pk=pk
    )
    may_change = in_scope(request.user, obligation.unit_path, Action.CHANGE)
    complete_form = CompleteForm(initial={"done_on": timezone.localdate()})
    reopen_form = ReopenForm()
    if request.method == "POST":
        if not may_change or not services.closable_by_hand(obligation):
            raise PermissionDenied
        action = request.POST.get("action")
        form = CompleteForm(request.POST) if action == "complete" else ReopenForm(request.POST)
        if form.is_valid():
            try:
                if action == "complete":
                    services.obligation_complete(
                        actor=request.user,
                        obligation=obligation,
                        done_on=form.cleaned_data["done_on"],
                        note=form.cleaned_data["note"] or None,
                    )
                    messages.success(request, _("Đã ghi nhận hoàn thành."))
                else:
                    services.obligation_reopen(
                        actor=request.user,
                        obligation=obligation,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("Đã mở lại việc này."))
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("deadlines:detail", pk=obligation.pk)
        if action == "complete":
            complete_form = form
        else:
            reopen_form = form
    context = {
        "obligation": obligation,
        "state_label": State(obligation.state).label,
        "may_change": may_change and services.closable_by_hand(obligation),
        "complete_form": complete_form,
        "reopen_form": reopen_form,
        "breadcrumb": org_queries.breadcrumb(request.user, obligation.unit),
    }
    return render(request, "deadlines/obligation_detail.html", context)
