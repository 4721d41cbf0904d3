"""The page of a unit's responsible bodies: the list the office forwards concerns to. Office
staff read it; managers and administrators add, rename and deactivate (bodies.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tuyengiao.core.forms import apply_errors
from tuyengiao.org.queries import unit_asked, units_for
from tuyengiao.org.scope import Action, can, in_scope

from .. import bodies
from ..forms_bodies import BodyAddForm, BodyEditForm, BodyUnitForm


def _may_manage(user, unit) -> None:
    if not in_scope(user, unit.path, Action.MANAGE_BODIES):
        raise PermissionDenied


def _url(unit) -> str:
    return f"{reverse('concerns:bodies')}?unit={unit.pk}"


def _render(request, unit, add=None, edited=None, status=200):
    user = request.user
    listed = list(bodies.managed_bodies(user, unit))
    have = {b.name.casefold() for b in listed}
    missing = [n for n in bodies.DEFAULTS.get(unit.level, ()) if n.casefold() not in have]
    may_manage = in_scope(user, unit.path, Action.MANAGE_BODIES)
    rows = [
        (
            body,
            edited[1]
            if edited and edited[0] == body.pk
            else BodyEditForm(
                initial={"name": body.name, "active": body.active}, auto_id=f"id_b{body.pk}_%s"
            ),
        )
        for body in listed
    ]
    context = {
        "unit": unit,
        "rows": rows,
        "may_manage": may_manage,
        "add": add or BodyAddForm(),
        "missing": missing,
        "pick": BodyUnitForm(initial={"unit": unit.pk}, units=units_for(user).active()),
    }
    return render(request, "concerns/bodies.html", context, status=status)


@require_GET
def body_list(request):
    if not can(request.user, Action.VIEW):
        raise PermissionDenied
    return _render(request, unit_asked(request))


@require_POST
def body_add(request):
    unit = unit_asked(request, request.POST)
    _may_manage(request.user, unit)
    form = BodyAddForm(request.POST)
    if form.is_valid():
        try:
            bodies.body_add(actor=request.user, unit=unit, name=form.cleaned_data["name"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ quan."))
            return redirect(_url(unit))
    return _render(request, unit, add=form, status=400)


@require_POST
def body_defaults(request):
    unit = unit_asked(request, request.POST)
    _may_manage(request.user, unit)
    added = bodies.bodies_add_defaults(actor=request.user, unit=unit)
    messages.success(request, _("Đã thêm %(n)d cơ quan.") % {"n": len(added)})
    return redirect(_url(unit))


@require_POST
def body_edit(request, pk: int):
    body = bodies.body_for(request.user, pk)
    _may_manage(request.user, body.unit)
    form = BodyEditForm(request.POST, auto_id=f"id_b{body.pk}_%s")
    if form.is_valid():
        try:
            bodies.body_update(
                actor=request.user,
                body=body,
                name=form.cleaned_data["name"],
                active=form.cleaned_data["active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(_url(body.unit))
    return _render(request, body.unit, edited=(body.pk, form), status=400)
