"""The collaborator's pages, phone first: send a report, and see what became of each one sent.
Open to collaborators (org/access.py), like the notifications and the account pages.

Both pages are light: no htmx, one small stylesheet and one small script that keeps a draft and
an outbox in the browser (static/tuyengiao/concerns-draft.js). The form also works as a plain
POST without any script. A request that asks for JSON (the script's) gets
201/200 {"ok": true, "id": ...} or 400 {"errors": {field: [messages]}} instead of a page.
"""

import json
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.org.access import collaborator_allowed
from tuyengiao.org.scope import Action, can

from .. import queries, services
from ..forms import ReportForm
from ..models import State, Urgency

PER_PAGE = 20
NON_FIELD = "non_field_errors"  # the key the REST API uses too


def _draft_key(user) -> str:
    # One draft and one outbox per account: a shared phone never mixes two people's reports.
    return f"tg-concern-{user.pk}"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("X-Requested-With")
    )


def _errors(form) -> dict[str, list[str]]:
    return {
        (NON_FIELD if field == "__all__" else field): [str(m) for m in errors]
        for field, errors in form.errors.items()
    }


@collaborator_allowed
def new(request):
    as_json, posted = wants_json(request), request.method == "POST"
    if not can(request.user, Action.REPORT_CONCERN):
        if as_json and posted:
            return JsonResponse({"detail": _("Bạn không có quyền gửi phản ánh.")}, status=403)
        raise PermissionDenied
    form = ReportForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    if posted and form.is_valid():
        try:
            report, created = services.report_submit(actor=request.user, **form.submission())
        except ValidationError as error:
            apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error("unit", str(error))
        else:
            # The script's outbox sends in the background and says so on its own page.
            if not as_json or not request.headers.get("X-Concern-Outbox"):
                messages.success(
                    request,
                    _("Đã gửi phản ánh “%(title)s”.") % {"title": report.title}
                    if created
                    else _("Phản ánh “%(title)s” đã được gửi trước đó.") % {"title": report.title},
                )
            if as_json:
                body = {
                    "ok": True,
                    "id": report.pk,
                    "created": created,
                    "title": report.title,
                    "next": reverse("concerns:mine"),
                }
                return JsonResponse(body, status=201 if created else 200)
            return redirect("concerns:mine")
    if posted and as_json:
        return JsonResponse({"errors": _errors(form)}, status=400)
    if not form.is_bound:
        # Sending the same page twice (a double tap, a resend) stores one report; the script
        # keeps this id with the draft it belongs to.
        form.initial["client_id"] = uuid.uuid4()
    form.render_places()
    photos_lost = posted and bool(request.FILES)
    # What the form holds when empty, for the script to clear it after keeping a report.
    blank = {"unit": str(form.base.pk) if form.base else "", "urgency": str(Urgency.NORMAL)}
    context = {
        "form": form,
        "photos_lost": photos_lost,
        "max_photos": services.MAX_PHOTOS,
        "draft_key": _draft_key(request.user),
        "blank": json.dumps(blank),
    }
    return render(request, "concerns/report_form.html", context)


@collaborator_allowed
def mine(request):
    """Every report the user sent, newest first, with its concern's state and answer; with
    ?concern=<id> (the link of a notification), only the reports in that concern."""
    reports = queries.mine(request.user, concern=parse_id(request.GET.get("concern")))
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    anchored = set()
    for report in page:
        # Two reports of one concern: the notification's anchor points at the first.
        report.anchor = report.concern_id is not None and report.concern_id not in anchored
        anchored.add(report.concern_id)
        report.state_label = State(report.state).label
    return render(
        request,
        "concerns/mine.html",
        {"page": page, "draft_key": _draft_key(request.user)},
    )
