"""What the oversight pages share: who may act, the unit asked about, the read-only answer."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _

from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, in_scope

SAFE = ("GET", "HEAD")


def read_only(request):
    """A page that only reads answers other methods 405 — after its object was found in the
    user's scope, so that outside it the object still does not exist (404)."""
    return None if request.method in SAFE else HttpResponseNotAllowed(SAFE)


def post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def may_inspect(user, unit: Unit) -> bool:
    return in_scope(user, unit.path, Action.INSPECT)


def require_inspect(user, unit: Unit) -> None:
    if not may_inspect(user, unit):
        raise PermissionDenied(_("Bạn không có quyền kiểm tra, giám sát tại đơn vị này."))


def require_change(user, unit: Unit) -> None:
    if not in_scope(user, unit.path, Action.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def visitable(unit: Unit):
    """The units an office picks from on its pages: its own units directly below, in force
    (a province visits its communes and agencies, a commune its cells)."""
    return Unit.objects.filter(parent=unit).active().order_by("sort_key", "name")
