"""The scope policy for the REST API (DRF permission classes); `scope.py` decides, these ask."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .access import open_to_collaborators
from .scope import Action, can, outside_office


class CollaboratorGate(BasePermission):
    """An outside volunteer reaches only the API views marked `collaborator_allowed`; every other
    answers 404 (org/access.py). In DRF's default permission classes: a view that sets its own
    `permission_classes` lists it too (a test walks them all)."""

    def has_permission(self, request, view) -> bool:
        if outside_office(request.user) and not open_to_collaborators(view):
            raise Http404
        return True


class CanChange(BasePermission):
    """Writes need a role that may change (a viewer gets 403 on every write); where is for the
    services' `require` to say."""

    message = _("Bạn không có quyền thực hiện thao tác này với đơn vị này.")

    def has_permission(self, request, view) -> bool:
        return request.method in SAFE_METHODS or can(request.user, Action.CHANGE)
