"""The annual plan of an office: its items, their progress, the visits made outside it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.org import queries as org_queries
from tuyengiao.org.scope import restrict

from .. import queries, services
from ..forms import PlanForm, PlanItemForm
from ..models import PlanItem
from .common import may_inspect, post_only, read_only, require_inspect, visitable


def plan_list(request):
    """The unit's plans, newest first, and the form that starts this year's."""
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    office = may_inspect(request.user, unit)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST":
        require_inspect(request.user, unit)
        if form.is_valid():
            try:
                plan = services.plan_create(
                    actor=request.user,
                    unit=unit,
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã lập kế hoạch năm %(y)s.") % {"y": plan.year})
                return redirect(plan)
    plans = queries.plans_for(request.user).filter(unit=unit).order_by("-year")
    context = {
        "unit": unit,
        "plans": plans,
        "form": form if office else None,
        "current": "plans",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/plan_list.html", context)


def plan_detail(request, pk: int):
    plan = queries.plan_for(request.user, pk)
    if refused := read_only(request):
        return refused
    return render(request, "oversight/plan_detail.html", _context(request, plan))


def _context(request, plan, form=None) -> dict:
    office = may_inspect(request.user, plan.unit)
    return {
        "plan": plan,
        "unit": plan.unit,
        "progress": queries.plan_progress(request.user, plan),
        "office": office,
        "form": form or (PlanItemForm(units=visitable(plan.unit)) if office else None),
        "current": "plans",
        "breadcrumb": org_queries.breadcrumb(request.user, plan.unit),
    }


def plan_item_add(request, pk: int):
    plan = queries.plan_for(request.user, pk)
    if refused := post_only(request):
        return refused
    require_inspect(request.user, plan.unit)
    form = PlanItemForm(request.POST, units=visitable(plan.unit))
    if form.is_valid():
        try:
            services.plan_item_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm vào kế hoạch."))
            return redirect(plan)
    return render(request, "oversight/plan_detail.html", _context(request, plan, form))


def plan_item_delete(request, pk: int):
    item = restrict(PlanItem.objects.select_related("plan__unit"), request.user).filter(pk=pk)
    item = item.first()
    if item is None:
        raise Http404
    if refused := post_only(request):
        return refused
    require_inspect(request.user, item.plan.unit)
    try:
        services.plan_item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa khỏi kế hoạch."))
    return redirect(item.plan)
