"""The office's pages: the triage queue, one report, the list of concerns and one concern.

Views stay thin: every write is a call to concerns.services, every read goes through
concerns.queries (or org.scope), so a report or concern outside the user's scope is a 404 and a
user who may only read gets 403 on every action.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuyengiao.audit.services import record_view
from tuyengiao.core.files import download
from tuyengiao.core.forms import apply_errors
from tuyengiao.core.htmx import render_page_or_fragment
from tuyengiao.org.queries import units_for
from tuyengiao.org.scope import Action, can, in_scope

from .. import queries, services
from ..bodies import forward_bodies
from ..forms_triage import (
    AnswerForm,
    AttachForm,
    CloseForm,
    ConcernFilterForm,
    DuplicateForm,
    EditForm,
    ForwardForm,
    OpenConcernForm,
    ReopenForm,
    ResolveForm,
    TriageFilterForm,
)
from ..models import (
    Concern,
    ConcernReport,
    State,
)

PAGE_SIZE = 50
SEARCH_LIMIT = 10


def _office(user) -> None:
    """Only office staff (not collaborators, not read-only accounts) triage and follow up."""
    if not can(user, Action.TRIAGE):
        raise PermissionDenied(_("Trang này dành cho cán bộ được giao phân loại, xử lý phản ánh."))


def _may_change(user, path: str) -> bool:
    return in_scope(user, path, Action.CHANGE)


# --- the triage queue -----------------------------------------------------------------------


def triage(request):
    user = request.user
    _office(user)
    filters = TriageFilterForm(request.GET, units=units_for(user, Action.CHANGE))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    reports = queries.triage_queue(
        user, topic=chosen.get("topic"), unit=chosen.get("unit"), urgency=chosen.get("urgency")
    )
    context = {
        "filters": filters,
        "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": queries.queue_totals(reports),
    }
    return render_page_or_fragment(
        request, "concerns/triage.html", "concerns/_triage_queue.html", context
    )


# --- one report -----------------------------------------------------------------------------


def _render_report(request, report: ConcernReport, **forms):
    user = request.user
    office = in_scope(user, report.unit_path)
    can_triage = report.concern_id is None and _may_change(user, report.unit_path)
    query = request.GET.get("q", "").strip()
    context = {
        "report": report,
        "concern": report.concern if queries.readable_concerns(user, [report]) else None,
        "photos": report.photos.all(),
        "office": office,
        "can_triage": can_triage,
        "query": query,
        "forms": forms,
    }
    if can_triage:
        similar = queries.similar_untriaged(user, report)
        context.update(
            suggestions=queries.suggestions(user, report),
            similar=similar,
            open_form=forms.get("open")
            or OpenConcernForm(
                initial={"title": report.title, "topic": report.topic_id},
                similar=ConcernReport.objects.none(),
            ),
            results=queries.search_joinable(user, query) if query else None,
        )
        if request.htmx and "q" in request.GET:  # the search box, typing
            return render(request, "concerns/_triage_search.html", context)
    return render(request, "concerns/report_detail.html", context)


def _viewed(user, obj, report: ConcernReport | None = None) -> None:
    """Who opened a concern's details is in the audit (a collaborator's own report is not)."""
    if report is None or report.reporter_id != user.pk:
        record_view(user, obj)


def report_detail(request, pk: int):
    report = queries.report_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    _viewed(request.user, report, report)
    return _render_report(request, report)


def _triage_target(request, pk: int) -> ConcernReport:
    report = queries.report_for(request.user, pk)
    if not _may_change(request.user, report.unit_path):
        raise PermissionDenied(_("Bạn chỉ được xem phản ánh này."))
    return report


@require_POST
def report_attach(request, pk: int):
    """Group the report into an existing concern."""
    report = _triage_target(request, pk)
    form = AttachForm(request.POST, concerns=queries.joinable(request.user))
    if form.is_valid():
        concern = form.cleaned_data["concern"]
        try:
            services.reports_attach(actor=request.user, concern=concern, reports=[report])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Đã gộp phản ánh vào vấn đề “%(title)s”.") % {"title": concern.title}
            )
            return redirect(concern)
    return _render_report(request, report, attach=form)


@require_POST
def report_open(request, pk: int):
    """Open a new concern for the report and the similar new reports ticked beside it."""
    report = _triage_target(request, pk)
    similar = queries.similar_candidates(request.user, report)
    form = OpenConcernForm(request.POST, similar=similar)
    if form.is_valid():
        data = form.cleaned_data
        try:
            concern = services.concern_open(
                actor=request.user,
                reports=[report, *data["also"]],
                title=data["title"],
                topic=data["topic"],
                description=data["description"],
                state=data["state"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã mở vấn đề “%(title)s”.") % {"title": concern.title})
            return redirect(concern)
    return _render_report(request, report, open=form)


def photo(request, pk: int):
    """A report's photo, to whoever may see the report (media files are never linked)."""
    item = queries.photo_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    _viewed(request.user, item, item.report)
    return download(item.image, name=item.download_name)


# --- the list of concerns -------------------------------------------------------------------


def concern_list(request):
    user = request.user
    if not can(user, Action.VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    filters = ConcernFilterForm(request.GET, units=units_for(user))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    tab = request.GET.get("tab", "")
    concerns = queries.concern_list(
        user,
        state=chosen.get("state", ""),
        topic=chosen.get("topic"),
        unit=chosen.get("unit"),
        overdue=chosen.get("overdue", False),
        to_answer=tab == "answer",
        today=today,
    )
    context = {
        "filters": filters,
        "tab": tab,
        "today": today,
        "page": Paginator(concerns, PAGE_SIZE).get_page(request.GET.get("page")),
    }
    return render_page_or_fragment(
        request, "concerns/concern_list.html", "concerns/_triage_concerns.html", context
    )


# --- one concern and the actions on it ------------------------------------------------------


def _close_states(concern: Concern) -> list[State]:
    return [s for s in (State.NOT_OUR_REMIT, State.NO_ACTION) if services.allowed(concern.state, s)]


def _action_form(request, concern: Concern, action: str, data=None):
    """The form of one action, blank or bound to what was posted; its own ids on the page."""
    user, ids = request.user, {"auto_id": f"id_{action}_%s"}
    if action == "forward":
        initial = {"responsible": concern.responsible_id, "body": concern.body_id}
        return ForwardForm(
            data,
            units=units_for(user, Action.CHANGE).active(),
            bodies=forward_bodies(concern.unit),
            initial=initial,
            **ids,
        )
    if action == "duplicate":
        return DuplicateForm(data, concerns=queries.joinable(user, exclude=concern), **ids)
    if action == "close":
        return CloseForm(data, states=_close_states(concern), **ids)
    if action == "edit":
        initial = {
            "title": concern.title,
            "description": concern.description,
            "topic": concern.topic_id,
        }
        return EditForm(data, initial=initial, **ids)
    forms = {"answer": AnswerForm, "resolve": ResolveForm, "reopen": ReopenForm}
    return forms[action](data, **ids)


def _available(user, concern: Concern) -> list[str]:
    """The actions this user may take on the concern from its current state, in page order."""
    state, actions = concern.state, []
    change = _may_change(user, concern.unit_path)
    if change and services.allowed(state, State.FORWARDED):
        actions.append("forward")
    if services.allowed(state, State.ANSWERED) and services.may_answer(user, concern):
        actions.append("answer")
    if change:
        for action, to in (
            ("resolve", State.RESOLVED),
            ("reopen", State.ACKNOWLEDGED),
            ("duplicate", State.DUPLICATE),
        ):
            if services.allowed(state, to):
                actions.append(action)
        if _close_states(concern):
            actions.append("close")
        if state != State.DUPLICATE:
            actions.append("edit")
    return actions


def _render_concern(request, concern: Concern, bound: tuple[str, object] | None = None):
    user = request.user
    query = (request.POST if bound else request.GET).get("q", "").strip()
    actions = _available(user, concern)
    forms = {action: _action_form(request, concern, action) for action in actions}
    if bound:
        forms[bound[0]] = bound[1]  # shown with its errors even if the state no longer allows it
    reports, reports_elsewhere = queries.concern_reports(user, concern)
    context = {
        "concern": concern,
        "reports": reports,
        "reports_elsewhere": reports_elsewhere,
        "events": concern.events.select_related("actor"),
        "forms": forms,
        "opened": bound[0] if bound else ("duplicate" if query else ""),
        "can_change": _may_change(user, concern.unit_path),
        "query": query,
        "originals": queries.originals(user, concern, query) if "duplicate" in forms else [],
        "today": timezone.localdate(),
    }
    if request.htmx and "q" in request.GET:
        return render(request, "concerns/_triage_originals.html", context)
    return render(request, "concerns/concern_detail.html", context)


def concern_detail(request, pk: int):
    concern = queries.concern_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    _viewed(request.user, concern)
    return _render_concern(request, concern)


def _perform(action: str, user, concern: Concern, data: dict) -> None:
    if action == "forward":
        services.concern_forward(
            actor=user,
            concern=concern,
            responsible=data["responsible"],
            body=data["body"],
            due_on=data["due_on"],
            note=data["note"],
        )
    elif action == "answer":
        services.concern_answer(actor=user, concern=concern, answer=data["answer"])
    elif action == "resolve":
        services.concern_resolve(actor=user, concern=concern, resolution=data["resolution"])
    elif action == "close":
        services.concern_close(actor=user, concern=concern, state=data["state"], note=data["note"])
    elif action == "duplicate":
        services.concern_close(
            actor=user,
            concern=concern,
            state=State.DUPLICATE,
            note=data["note"],
            duplicate_of=data["duplicate_of"],
        )
    elif action == "reopen":
        services.concern_reopen(actor=user, concern=concern, reason=data["reason"])
    else:
        services.concern_update(
            actor=user,
            concern=concern,
            title=data["title"],
            description=data["description"],
            topic=data["topic"],
        )


DONE = {
    "forward": gettext_lazy("Đã chuyển cơ quan chịu trách nhiệm."),
    "answer": gettext_lazy("Đã ghi nhận trả lời."),
    "resolve": gettext_lazy("Đã ghi kết quả giải quyết."),
    "close": gettext_lazy("Đã đóng vấn đề."),
    "duplicate": gettext_lazy("Đã đóng vấn đề vì trùng; các phản ánh đã chuyển sang vấn đề gốc."),
    "reopen": gettext_lazy("Đã mở lại vấn đề."),
    "edit": gettext_lazy("Đã lưu."),
}


@require_POST
def concern_act(request, pk: int, action: str):
    if action not in DONE:
        raise Http404
    user = request.user
    concern = queries.concern_for(request.user, pk)
    allowed = (
        services.may_answer(user, concern)
        if action == "answer"
        else _may_change(user, concern.unit_path)
    )
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền xử lý vấn đề này."))
    form = _action_form(request, concern, action, request.POST)
    if form.is_valid():
        try:
            _perform(action, user, concern, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, DONE[action])
            return redirect(concern)
    return _render_concern(request, concern, bound=(action, form))
