"""Every write of the second factor: setting up the authenticator app, recovery codes, turning it
off, and checking a code at log-in. Audited on the account, never with the secret or the codes."""

import re
from base64 import b32encode

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot

from .queries import authenticator, may_use, recovery_device, required_for

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã khôi phục"
SIX_DIGITS = re.compile(r"\d{6}")


def _audit(user, verb: str) -> None:
    record(user, AuditAction.UPDATE, user, before=snapshot(user), verb=verb)


def _require_may_use(user) -> None:
    if not may_use(user):
        raise PermissionDenied(_("Tài khoản này không dùng xác thực hai bước."))


def secret_groups(device: TOTPDevice) -> str:
    """The secret as typed by hand into an authenticator app: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The authenticator being set up, not yet confirmed. The same one is returned until it is
    confirmed, so that reloading the page does not invalidate the QR code already scanned."""
    _require_may_use(user)
    if authenticator(user) is not None:
        raise ValidationError(_("Tài khoản đã bật xác thực hai bước."))
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def enrolment_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code it shows; returns it and the recovery codes, which
    are shown to the user this once."""
    _require_may_use(user)
    device = authenticator(user, confirmed=False)
    if device is None:
        raise ValidationError(_("Hãy bắt đầu lại việc cài đặt xác thực hai bước."))
    if not _totp_accepts(user, device, code):
        raise ValidationError(
            {"code": _("Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiện.")}
        )
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    _audit(user, "second_factor_enable")
    device.refresh_from_db()
    return device, codes


def _totp_accepts(user, device: TOTPDevice, code: str) -> bool:
    """A current code (one step of drift either way), never one already used: django-otp keeps
    the last step used and locks the device row while it checks."""
    code = _normalised(code)
    return bool(SIX_DIGITS.fullmatch(code)) and (
        django_otp.verify_token(user, device.persistent_id, code) is not None
    )


def _recovery_code_used(user, code: str) -> StaticDevice | None:
    """Use up a recovery code: the DELETE of its row decides, so two requests carrying the same
    code cannot both pass."""
    device = recovery_device(user)
    if device is None:
        return None
    deleted, _rows = StaticToken.objects.filter(device=device, token=_normalised(code)).delete()
    return device if deleted else None


@transaction.atomic
def code_check(*, user, code: str) -> Device | None:
    """The device that accepts `code` at log-in: the authenticator app, or a recovery code,
    which is then used up (audited). None when the code is wrong or already used."""
    device = authenticator(user)
    if device is None:
        return None
    if SIX_DIGITS.fullmatch(_normalised(code)):
        return device if _totp_accepts(user, device, code) else None
    used = _recovery_code_used(user, code)
    if used is not None:
        _audit(user, "second_factor_recovery_code_used")
    return used


@transaction.atomic
def recovery_codes_regenerate(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    _require_may_use(user)
    if authenticator(user) is None:
        raise ValidationError(_("Tài khoản chưa bật xác thực hai bước."))
    codes = _new_recovery_codes(user)
    _audit(user, "second_factor_recovery_codes")
    return codes


@transaction.atomic
def second_factor_disable(*, user, code: str = "", password: str = "") -> None:
    """Turn the second factor off, proven by a current code or the password. Refused where the
    user's unit requires it."""
    if authenticator(user) is None:
        raise ValidationError(_("Tài khoản chưa bật xác thực hai bước."))
    if required_for(user):
        raise ValidationError(
            _("Đơn vị của bạn bắt buộc xác thực hai bước cho lãnh đạo, quản lý và quản trị.")
        )
    proven = (password and user.check_password(password)) or (
        code and code_check(user=user, code=code) is not None
    )
    if not proven:
        raise ValidationError({"proof": _("Mã xác thực hoặc mật khẩu không đúng.")})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(user, "second_factor_disable")
