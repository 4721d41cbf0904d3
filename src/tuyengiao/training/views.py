"""The training pages: centres, the programmes, a centre's plans of a year, the classes and
the plan against actual (with its Excel download). Thin: form → service → message →
redirect, or query → template."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.core.params import period_asked as _period
from tuyengiao.org import queries as org_queries
from tuyengiao.org.access import may_change as _may_change
from tuyengiao.org.access import post_only as _post_only
from tuyengiao.org.access import read_only as _read_only
from tuyengiao.org.access import require_change as _require_change
from tuyengiao.org.models import Level, Unit, within
from tuyengiao.org.scope import Action, can, in_scope
from tuyengiao.periods import Period
from tuyengiao.reports.xlsx import xlsx_response

from . import documents, queries, services
from .forms import CentreForm, ClassForm, PlanGridForm
from .models import CentreKind, PoliticalCentre


def _base(request, unit: Unit, current: str) -> dict:
    return {
        "unit": unit,
        "current": current,
        "may_change": _may_change(request.user, unit),
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }


def _year(request, today) -> int:
    year = parse_id(request.GET.get("year"))
    return year if year is not None and 2000 <= year <= 2100 else today.year


def _communes(user, centre_unit: Unit):
    """The communes a centre of `centre_unit` may serve: those of its province the user may
    change."""
    province = services.province_of(centre_unit) or centre_unit
    return (
        org_queries.units_for(user, Action.CHANGE)
        .filter(within("path", province.path), level=Level.COMMUNE)
        .active()
        .order_by("sort_key", "name")
    )


# Centres -------------------------------------------------------------------------------------


def centre_list(request):
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    centres = queries.centres_in(request.user, unit).prefetch_related("served")
    context = {**_base(request, unit, "centres"), "centres": centres[:500]}
    return render(request, "training/centre_list.html", context)


def centre_detail(request, pk: int):
    centre = queries.centre_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    year = _year(request, today)
    plans = queries.centre_plans(request.user, centre, year)
    context = {
        **_base(request, centre.unit, "centres"),
        "centre": centre,
        "served": [u for u in centre.served.order_by("sort_key") if in_scope(request.user, u.path)]
        if centre.kind == CentreKind.COMMUNE_CENTRE
        else None,
        "year": year,
        "plans": [(p, plans.get(p.pk)) for p in queries.programmes() if p.pk in plans or p.active],
        "classes": queries.classes_in(request.user, centre.unit, centre=centre)[:100],
    }
    return render(request, "training/centre_detail.html", context)


def _centre_form(request, unit: Unit, data=None, **kw) -> CentreForm:
    return CentreForm(data, communes=_communes(request.user, unit), **kw)


def centre_new(request):
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    _require_change(request.user, unit)
    kind = CentreKind.PROVINCE_SCHOOL if unit.level == Level.PROVINCE else CentreKind.COMMUNE_CENTRE
    form = _centre_form(
        request, unit, request.POST or None, initial={"kind": kind, "served": [unit]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            centre = services.centre_create(
                actor=request.user,
                unit=unit,
                name=data["name"],
                kind=data["kind"],
                served=list(data["served"]),
                active=data["active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận %(name)s.") % {"name": centre.name})
            return redirect(centre)
    context = {**_base(request, unit, "centres"), "form": form}
    return render(request, "training/centre_form.html", context)


def centre_edit(request, pk: int):
    centre = queries.centre_for(request.user, pk)
    _require_change(request.user, centre.unit)
    initial = {
        "name": centre.name,
        "kind": centre.kind,
        "served": list(centre.served.all()),
        "active": centre.active,
    }
    form = _centre_form(request, centre.unit, request.POST or None, initial=initial)
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.centre_update(
                actor=request.user,
                centre=centre,
                name=data["name"],
                active=data["active"],
                served=list(data["served"]) if centre.kind == CentreKind.COMMUNE_CENTRE else None,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(centre)
    context = {**_base(request, centre.unit, "centres"), "form": form, "centre": centre}
    return render(request, "training/centre_form.html", context)


# Programmes ----------------------------------------------------------------------------------


def programme_list(request):
    """The configurable list of programmes; administrators keep it in the Django admin."""
    if refused := _read_only(request):
        return refused
    unit = org_queries.home_unit(request.user) or org_queries.unit_asked(request)
    context = {
        **_base(request, unit, "programmes"),
        "programmes": queries.programmes(),
        "may_define": can(request.user, Action.DEFINE) and request.user.is_staff,
    }
    return render(request, "training/programme_list.html", context)


# Plans ---------------------------------------------------------------------------------------


def centre_plans(request, pk: int):
    """A centre's plan of a year: programmes × classes and learners planned, in one grid."""
    centre = queries.centre_for(request.user, pk)
    today = timezone.localdate()
    year = _year(request, today)
    if request.method == "POST":
        _require_change(request.user, centre.unit)
        year = parse_id(request.POST.get("year")) or year
    plans = queries.centre_plans(request.user, centre, year)
    programmes = [p for p in queries.programmes() if p.active or p.pk in plans]
    form = PlanGridForm(request.POST or None, programmes=programmes, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            services.plans_set(actor=request.user, centre=centre, year=year, rows=form.entries())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu kế hoạch năm %(year)d.") % {"year": year})
            return redirect(f"{reverse('training:plans', args=[centre.pk])}?year={year}")
    context = {
        **_base(request, centre.unit, "centres"),
        "centre": centre,
        "year": year,
        "years": range(today.year + 1, today.year - 5, -1),
        "form": form,
        "may_edit": _may_change(request.user, centre.unit),
    }
    return render(request, "training/plans.html", context)


# Classes -------------------------------------------------------------------------------------


def class_list(request):
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    year = parse_id(request.GET.get("year"))
    year = year if year is not None and 2000 <= year <= 2100 else None
    programmes = list(queries.programmes())
    chosen_programme = next(
        (p for p in programmes if p.pk == parse_id(request.GET.get("programme"))), None
    )
    centres = list(queries.centres_in(request.user, unit))
    chosen_centre = next((c for c in centres if c.pk == parse_id(request.GET.get("centre"))), None)
    state = request.GET.get("state", "")
    state = state if state in (queries.RUNNING, queries.CLOSED) else ""
    classes = queries.classes_in(
        request.user,
        unit,
        year=year,
        programme=chosen_programme,
        centre=chosen_centre,
        state=state,
    )
    context = {
        **_base(request, unit, "classes"),
        "classes": classes[:500],
        "programmes": programmes,
        "programme": chosen_programme,
        "centres": centres,
        "centre": chosen_centre,
        "state": state,
        "year": year,
        "years": queries.years_with_data(request.user, unit, today),
        "may_add": any(_may_change(request.user, c.unit) for c in centres if c.active),
    }
    return render(request, "training/class_list.html", context)


def _class_form(request, unit: Unit, data=None, *, centre: PoliticalCentre | None = None, **kw):
    centres = queries.centres_in(request.user, unit, active=True).filter(
        within("unit_path", unit.path)
    )
    centres = [c for c in centres if _may_change(request.user, c.unit)]
    ids = [c.pk for c in centres] + ([centre.pk] if centre else [])
    communes = Unit.objects.none()
    for c in centres + ([centre] if centre else []):
        communes = communes | services.served_communes(c)
    return ClassForm(
        data,
        centres=PoliticalCentre.objects.filter(pk__in=ids).order_by("sort_key"),
        # a new class takes a programme in use; an existing one keeps its own
        programmes=queries.programmes(active_only=centre is None),
        communes=communes.distinct().order_by("sort_key", "name"),
        **kw,
    )


def _save_class(request, form, klass=None):
    data = form.cleaned_data
    fields = {
        "programme": data["programme"],
        "title": data["title"],
        "opened_on": data["opened_on"],
        "closed_on": data["closed_on"],
        "enrolled": data["enrolled"],
        "completed": data["completed"],
    }
    if klass is None:
        return services.class_create(
            actor=request.user,
            centre=data["centre"],
            communes=list(data["communes"]),
            confirm_small=data["confirm_small"],
            **fields,
        )
    return services.class_update(
        actor=request.user,
        klass=klass,
        communes=list(data["communes"]),
        confirm_small=data["confirm_small"],
        **fields,
    )


def _failed(form, exc: ValidationError) -> None:
    apply_errors(form, exc)
    small = getattr(exc, "error_dict", {}).get("enrolled", [])
    if any(e.code == "small" for e in small):
        programme = form.cleaned_data.get("programme")
        form.ask_to_confirm(programme.min_learners if programme else 25)


def class_new(request):
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    _require_change(request.user, unit)
    initial = {"opened_on": timezone.localdate()}
    asked = parse_id(request.GET.get("centre"))
    if asked is not None:
        initial["centre"] = queries.centre_for(request.user, asked, Action.CHANGE)
    form = _class_form(request, unit, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_class(request, form)
        except ValidationError as exc:
            _failed(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận lớp."))
            return redirect(f"{reverse('training:classes')}?unit={unit.pk}")
    context = {**_base(request, unit, "classes"), "form": form}
    return render(request, "training/class_form.html", context)


def class_edit(request, pk: int):
    klass = queries.class_for(request.user, pk)
    _require_change(request.user, klass.centre.unit)
    initial = {
        "centre": klass.centre,
        "programme": klass.programme,
        "title": klass.title,
        "communes": list(klass.communes.all()),
        "opened_on": klass.opened_on,
        "closed_on": klass.closed_on,
        "enrolled": klass.enrolled,
        "completed": klass.completed,
    }
    form = _class_form(
        request, klass.centre.unit, request.POST or None, centre=klass.centre, initial=initial
    )
    form.fields["centre"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            _save_class(request, form, klass)
        except ValidationError as exc:
            _failed(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(f"{reverse('training:classes')}?unit={klass.unit_id}")
    context = {**_base(request, klass.unit, "classes"), "form": form, "klass": klass}
    return render(request, "training/class_form.html", context)


def class_delete(request, pk: int):
    klass = queries.class_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, klass.centre.unit)
    unit = klass.unit_id
    services.class_delete(actor=request.user, klass=klass)
    messages.success(request, _("Đã xóa lớp."))
    return redirect(f"{reverse('training:classes')}?unit={unit}")


# Plan against actual -------------------------------------------------------------------------


def plan_vs_actual(request):
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    period = _period(request, today)
    this_year = Period.of("year", today)
    context = {
        **_base(request, unit, "plan"),
        "period": period,
        "periods": [
            this_year,
            Period.of("half", today),
            Period.of("quarter", today),
            Period.of("month", today),
            this_year.previous(),
        ],
        "report": queries.plan_vs_actual(request.user, unit, period),
    }
    return render(request, "training/plan_vs_actual.html", context)


def plan_vs_actual_xlsx(request):
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    period = _period(request, timezone.localdate())
    report = queries.plan_vs_actual(request.user, unit, period)
    return xlsx_response(documents.workbook(report), documents.stem(report))
