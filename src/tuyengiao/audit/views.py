from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import queries
from .display import describe
from .forms import AuditFilter

PER_PAGE = 50


def audit_list(request):
    entries = queries.entries_for(request.user)
    form = AuditFilter(request.GET or None)
    if form.is_bound and form.is_valid():
        entries = queries.filtered(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    # The page's ids first, then their rows: sorting the ids alone is several times faster
    # than sorting whole entries (with their before/after) over a large scope.
    page = Paginator(entries.values_list("pk", flat=True), PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = queries.entries_for(request.user).in_bulk(list(page.object_list))
    page.object_list = describe(rows[pk] for pk in page.object_list)
    return render(request, "audit/audit_list.html", {"page": page, "form": form})


def object_history(request, content_type_id: int, object_id: str):
    found = queries.history(request.user, content_type_id, object_id)
    if found is None:
        raise Http404
    content_type, title, entries = found
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = describe(page.object_list)
    return render(
        request,
        "audit/object_history.html",
        {"page": page, "content_type": content_type, "title": title},
    )
