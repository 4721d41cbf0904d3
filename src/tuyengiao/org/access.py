"""Outside volunteers (collaborators) reach only the views marked open to them; every other page
and API operation answers 404 to them, as if it did not exist.

Default-deny, in the spirit of Django's `login_not_required`: a view is closed to them unless it
says otherwise with `@collaborator_allowed` (a function view, the function `as_view()` returns,
or a DRF view set or API view, for all its actions). Who counts as an outside volunteer is the
scope policy's to say (`scope.outside_office`). Pages are answered here, by
`CollaboratorMiddleware`; the API by `permissions.CollaboratorGate`, since an API call signs in
inside DRF (a token), after the middleware has run.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.utils.translation import gettext as _

from .scope import Action, in_scope, outside_office

SAFE = ("GET", "HEAD")


def read_only(request):
    """Other methods 405 — after the object was found in scope (outside it: 404)."""
    return None if request.method in SAFE else HttpResponseNotAllowed(SAFE)


def post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def may_change(user, unit) -> bool:
    return in_scope(user, unit.path, Action.CHANGE)


def require_change(user, unit) -> None:
    if not may_change(user, unit):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def collaborator_allowed(view):
    """Open a view (or a DRF view class) to outside volunteers."""
    view.collaborator_allowed = True
    return view


def open_to_collaborators(view) -> bool:
    return getattr(view, "collaborator_allowed", False)


def is_api_view(view_func) -> bool:
    # What DRF's as_view() returns carries its class as `cls`. Not an issubclass(APIView) test:
    # DRF imports this module's neighbour (permissions.py) while rest_framework.views loads.
    cls = getattr(view_func, "cls", None)
    return cls is not None and hasattr(cls, "permission_classes")


class CollaboratorMiddleware:
    """404 to an outside volunteer for every page not marked `collaborator_allowed`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The API is answered by CollaboratorGate once DRF knows who calls; checked first, so
        # that an API call does not load the session's user here for nothing.
        if is_api_view(view_func) or open_to_collaborators(view_func):
            return None
        if outside_office(request.user):
            raise Http404
        return None
