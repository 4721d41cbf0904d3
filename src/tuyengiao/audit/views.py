from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import queries


def audit_list(request):
    entries = queries.entries_for(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_list.html", {"page": page})


def object_history(request, content_type_id: int, object_id: str):
    content_type, entries = queries.history(request.user, content_type_id, object_id)
    if content_type is None or not entries:
        raise Http404
    return render(
        request,
        "audit/object_history.html",
        {"entries": entries, "content_type": content_type, "title": entries[0].object_repr},
    )
