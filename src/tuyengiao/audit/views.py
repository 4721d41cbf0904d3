from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tuyengiao.org.scope import Action, can, restrict

from .models import AuditEntry


def _entries(user):
    if not can(user, Action.MANAGE_USERS):
        raise PermissionDenied
    return restrict(
        AuditEntry.objects.select_related("actor", "content_type"), user, Action.MANAGE_USERS
    )


def audit_list(request):
    entries = _entries(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"page": page})


def object_history(request, content_type_id: int, object_id: str):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    entries = list(
        _entries(request.user).filter(content_type_id=content_type_id, object_id=object_id)
    )
    if content_type is None or not entries:
        raise Http404
    return render(
        request,
        "audit/object_history.html",
        {"entries": entries, "content_type": content_type, "title": entries[0].object_repr},
    )
