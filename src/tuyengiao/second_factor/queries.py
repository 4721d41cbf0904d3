"""Who has a second factor, and who must have one."""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, can


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice | None:
    """The user's authenticator app (one per account), confirmed or still being set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def may_use(user) -> bool:
    return can(user, Action.USE_SECOND_FACTOR)


def required_for(user) -> bool:
    """Whether the user's unit, or a unit above it, requires a second factor of its managers
    and administrators (`Unit.second_factor_required`, set by an administrator)."""
    if not may_use(user) or user.unit_id is None:
        return False
    paths = [*user.unit.ancestor_paths(), user.unit.path]
    return Unit.objects.filter(path__in=paths, second_factor_required=True).exists()
