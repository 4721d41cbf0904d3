"""The second factor's pages: the account's page, set-up, recovery codes, and the code page at
log-in. For the roles that use it (`Action.USE_SECOND_FACTOR`); 404 to every other."""

import django_otp
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.forms import apply_errors

from . import lockout, services
from .forms import CodeForm, DisableForm, LoginCodeForm
from .gate import CODE, ENROL, mark_passed, open_before_second_factor, pending
from .qr import qr_svg
from .queries import authenticator, may_use, recovery_codes_left, required_for

FRESH_CODES = "second_factor_fresh_codes"  # shown once after they are made, then forgotten


def _next_url(request) -> str:
    url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and safe else "/"


def _require_may_use(request) -> None:
    if not may_use(request.user):
        raise Http404


def manage(request):
    _require_may_use(request)
    device = authenticator(request.user)
    context = {
        "device": device,
        "required": required_for(request.user),
        "codes_left": recovery_codes_left(request.user) if device else 0,
        "disable_form": DisableForm(),
    }
    return render(request, "second_factor/manage.html", context)


@open_before_second_factor
def setup(request):
    """Scan the QR code (or type the secret), then confirm with a code from the app."""
    _require_may_use(request)
    if pending(request) == CODE or authenticator(request.user) is not None:
        return redirect("second_factor:manage")
    device = services.enrolment_start(user=request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _device, codes = services.enrolment_confirm(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            django_otp.login(request, _device)
            mark_passed(request)
            request.session[FRESH_CODES] = codes
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("second_factor:codes")
    context = {
        "form": form,
        "qr": qr_svg(device.config_url, label=escape(_("Mã QR để cài đặt ứng dụng xác thực"))),
        "secret": services.secret_groups(device),
        "required": pending(request) == ENROL,
    }
    return render(request, "second_factor/setup.html", context)


def codes(request):
    """The recovery codes just made: shown this once (and as a .txt file), then forgotten."""
    _require_may_use(request)
    fresh = request.session.get(FRESH_CODES)
    if not fresh:
        return redirect("second_factor:manage")
    if request.method == "POST":
        del request.session[FRESH_CODES]
        return redirect("home")
    return render(request, "second_factor/codes.html", {"codes": fresh})


def codes_download(request):
    _require_may_use(request)
    fresh = request.session.get(FRESH_CODES)
    if not fresh:
        raise Http404
    lines = [
        _("Mã khôi phục xác thực hai bước — tài khoản %(user)s")
        % {"user": request.user.get_username()},
        _("Mỗi mã dùng được một lần, khi không có ứng dụng xác thực."),
        "",
        *fresh,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ma-khoi-phuc-tuyengiao.txt"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def regenerate(request):
    _require_may_use(request)
    try:
        request.session[FRESH_CODES] = services.recovery_codes_regenerate(user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("second_factor:manage")
    messages.success(request, _("Đã tạo mã khôi phục mới; các mã cũ không còn dùng được."))
    return redirect("second_factor:codes")


@require_POST
def disable(request):
    _require_may_use(request)
    if lockout.is_locked(request):
        return redirect("second_factor:verify")
    form = DisableForm(request.POST)
    form.is_valid()
    try:
        services.second_factor_disable(
            user=request.user,
            code=form.cleaned_data.get("code", ""),
            password=form.cleaned_data.get("password", ""),
        )
    except ValidationError as exc:
        if "proof" in getattr(exc, "error_dict", {}):
            lockout.count_failure(request)
        messages.error(request, " ".join(exc.messages))
        return redirect("second_factor:manage")
    messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("second_factor:manage")


@open_before_second_factor
def verify(request):
    """After the password: the code from the app, or a recovery code."""
    if pending(request) != CODE:
        return redirect(_next_url(request))
    locked = lockout.is_locked(request)
    form = LoginCodeForm(None if locked else request.POST or None)
    if request.method == "POST" and not locked and form.is_valid():
        device = services.code_check(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            mark_passed(request)
            lockout.forget_failures(request)
            if device != authenticator(request.user):
                left = recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("Đã dùng một mã khôi phục; còn %(n)s mã.") % {"n": left},
                )
            return redirect(_next_url(request))
        lockout.count_failure(request)
        form.add_error("code", _("Mã xác thực không đúng hoặc đã được dùng."))
    context = {"form": form, "locked": locked, "next": _next_url(request)}
    return render(request, "second_factor/verify.html", context, status=429 if locked else 200)
