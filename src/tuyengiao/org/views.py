from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.htmx import render_page_or_fragment
from tuyengiao.deadlines.queries import state_totals, upcoming

from . import queries, services
from .forms import CsvUploadForm, DissolveForm, MergeForm, UnitForm, UserForm, unit_with_parent
from .imports import CsvImportError, units_import_csv
from .scope import Action, can, in_scope

SEARCH_PAGE = 50


def unit_detail(request, pk: int):
    unit = queries.unit_for(request.user, pk)
    context = {
        "unit": unit,
        "breadcrumb": queries.breadcrumb(request.user, unit),
        "children": queries.children_with_counts(unit),
        "totals": state_totals(request.user, unit),
        "upcoming": upcoming(request.user, unit, limit=8),
        "predecessors": unit.predecessors.all(),
        "can_administer": in_scope(request.user, unit.path, Action.ADMINISTER),
    }
    return render(request, "org/unit_detail.html", context)


def unit_search(request):
    query = request.GET.get("q", "")
    found = queries.units_matching(request.user, query)
    page = Paginator(found, SEARCH_PAGE).get_page(request.GET.get("page"))
    return render_page_or_fragment(
        request,
        "org/unit_search.html",
        "org/_search_results.html",
        {"query": query, "results": list(page.object_list), "page": page},
    )


def unit_options(request):
    """The <option>s of the units in scope matching `q`, for a searched unit select
    (`forms.UnitSearchSelect`); `cells=0` leaves party cells out. Only units in force."""
    query = request.GET.get("q", "")
    units = queries.units_for(request.user).active()
    if request.GET.get("cells") == "0":
        units = queries.without_cells(units)
    found = queries.search_units(request.user, query, units=units)
    for unit in found:
        unit.label = unit_with_parent(unit)
    context = {"query": query.strip(), "units": found}
    return render(request, "org/_unit_options.html", context)


def unit_create(request, pk: int):
    parent = queries.unit_for(request.user, pk, Action.ADMINISTER)
    form = UnitForm(request.POST or None, initial={"kind": "cell"})
    del form.fields["second_factor_required"]  # set on the unit's page, once it exists
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_create(
                actor=request.user,
                parent=parent,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                level=data["level"] or None,
                code=data["code"],
                valid_from=data["valid_from"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect("org:unit", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "parent": parent})


def unit_edit(request, pk: int):
    unit = queries.unit_for(request.user, pk, Action.ADMINISTER)
    fields = ("name", "short_name", "kind", "level", "code", "second_factor_required")
    initial = {f: getattr(unit, f) for f in fields}
    initial["valid_from"] = unit.valid_from
    form = UnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["level"] = data["level"] or unit.level
        try:
            services.unit_update(actor=request.user, unit=unit, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("org:unit", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


def unit_merge(request, pk: int):
    unit = queries.unit_for(request.user, pk, Action.ADMINISTER)
    form = MergeForm(request.POST or None, targets=queries.merge_targets(request.user, unit))
    if request.method == "POST" and form.is_valid():
        try:
            target = services.unit_merge(
                actor=request.user,
                sources=[unit],
                target=form.cleaned_data["target"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã sáp nhập %(a)s vào %(b)s.") % {"a": unit.name, "b": target.name},
            )
            return redirect("org:unit", pk=target.pk)
    return render(request, "org/unit_merge.html", {"form": form, "unit": unit})


def unit_dissolve(request, pk: int):
    unit = queries.unit_for(request.user, pk, Action.ADMINISTER)
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_dissolve(actor=request.user, unit=unit, on=form.cleaned_data["on"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã giải thể %(name)s.") % {"name": unit.name})
            return redirect("org:unit", pk=unit.pk)
    return render(request, "org/unit_dissolve.html", {"form": form, "unit": unit})


def units_import(request):
    if not can(request.user, Action.ADMINISTER):
        raise PermissionDenied
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = units_import_csv(actor=request.user, data=form.cleaned_data["file"].read())
        except CsvImportError as exc:
            errors = exc.errors
        except PermissionDenied as exc:
            errors = [{"line": "–", "message": str(exc)}]
        else:
            messages.success(
                request,
                _("Đã nhập %(created)d đơn vị mới; %(unchanged)d đơn vị đã có từ trước.")
                % {"created": result.created, "unchanged": result.unchanged},
            )
            return redirect("org:import")
    return render(request, "org/units_import.html", {"form": form, "errors": errors})


# Accounts ------------------------------------------------------------------------------------


def user_list(request):
    if not can(request.user, Action.MANAGE_USERS):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    users = queries.search_users(request.user, query)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "org/user_list.html", {"page": page, "query": query})


def _user_form(request, user=None):
    units = queries.units_for(request.user, Action.MANAGE_USERS).active()
    roles = services.assignable_roles(request.user)
    if user is None:
        initial = {"unit": request.user.unit_id, "role": "staff"}
    else:
        fields = ("username", "first_name", "last_name", "email", "position", "unit", "role")
        initial = {f: getattr(user, f) for f in fields}
    return UserForm(
        request.POST or None, initial=initial, units=units, roles=roles, creating=user is None
    )


def user_create(request):
    if not can(request.user, Action.MANAGE_USERS):
        raise PermissionDenied
    form = _user_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": user.username})
            return redirect("org:users")
    return render(request, "org/user_form.html", {"form": form})


def user_edit(request, pk: int):
    user = get_object_or_404(queries.users_for(request.user), pk=pk)
    form = _user_form(request, user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "username"}
        try:
            services.user_update(actor=request.user, user=user, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu tài khoản %(u)s.") % {"u": user.username})
            return redirect("org:users")
    return render(request, "org/user_form.html", {"form": form, "account": user})


def user_password(request, pk: int):
    """A new password for an account of the manager's subtree (its owner forgot theirs)."""
    user = get_object_or_404(queries.users_for(request.user), pk=pk)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(
                actor=request.user, user=user, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã đặt mật khẩu mới cho %(u)s. Hãy báo mật khẩu cho người dùng và nhắc họ đổi.")
                % {"u": user.username},
            )
            return redirect("org:users")
    return render(request, "org/user_password.html", {"form": form, "account": user})


@require_POST
def user_toggle_active(request, pk: int):
    user = get_object_or_404(queries.users_for(request.user), pk=pk)
    try:
        services.user_set_active(actor=request.user, user=user, active=not user.is_active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if user.is_active:
            messages.success(request, _("Đã mở khóa tài khoản %(u)s.") % {"u": user.username})
        else:
            messages.success(request, _("Đã khóa tài khoản %(u)s.") % {"u": user.username})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("org:users")
    return HttpResponseRedirect(target)


def unit_tree_root(request):
    unit = queries.home_unit(request.user)
    if unit is None:
        raise PermissionDenied
    return redirect("org:unit", pk=unit.pk)
