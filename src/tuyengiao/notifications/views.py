from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.params import parse_id
from tuyengiao.org.access import collaborator_allowed

from . import queries, services


@collaborator_allowed
def notification_list(request):
    page = Paginator(queries.notifications_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


def _back(request):
    url = reverse("notifications:list")
    page = parse_id(request.POST.get("page"))
    return redirect(f"{url}?page={page}" if page and page != 1 else url)


@collaborator_allowed
@require_POST
def mark_read(request):
    """Mark one of the user's notifications read; another person's id does not exist (404)."""
    pk = parse_id(request.POST.get("id"))
    if pk is None:
        raise Http404
    notification = get_object_or_404(queries.notifications_for(request.user), pk=pk)
    services.mark_read(request.user, notification)
    return _back(request)


@collaborator_allowed
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("Đã đánh dấu tất cả thông báo là đã đọc."))
    return _back(request)
