"""Conferences: the list of a unit's subtree (by kind and year), recording one (its tasks
assigned at once), correcting it, one conference's page with its tasks, and assigning more
tasks — each a recommendation of the unit it names, followed on the recommendation's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.directives.queries import directives_for
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, in_scope

from .. import queries, services
from ..forms import RecommendationRows
from ..forms_conferences import ConferenceForm, documents_text
from ..models import ConferenceKind, WorkArea
from .common import may_inspect, read_only, require_change, require_inspect

TASK_ROWS = 4
RECENT_DOCUMENTS = 12


def _may_change(user, unit: Unit) -> bool:
    return in_scope(user, unit.path, Action.CHANGE)


def conference_list(request):
    unit = org_queries.unit_asked(request)
    if refused := read_only(request):
        return refused
    this_year = timezone.localdate().year
    year = parse_id(request.GET.get("year"))
    year = year if year and 2000 <= year <= 2100 else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in ConferenceKind.values else ""
    found = queries.conferences_in(request.user, unit, kind=kind, year=year).annotate(
        task_count=Count("tasks"), open_tasks=Count("tasks", filter=Q(tasks__done_on__isnull=True))
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    context = {
        "unit": unit,
        "page": page,
        "kind": kind,
        "kinds": ConferenceKind.choices,
        "year": year,
        "years": range(this_year, this_year - 6, -1),
        "may_record": _may_change(request.user, unit),
        "current": "conferences",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/conference_list.html", context)


def _targets(unit: Unit):
    """The units a conference's tasks go to from its pages: those directly below, in force."""
    return Unit.objects.filter(parent=unit).active().order_by("sort_key", "name")


def _task_rows(request, unit: Unit, *, data=None):
    rows = RecommendationRows(
        data,
        prefix="tasks",
        initial=[{} for _i in range(TASK_ROWS)],
        row_kwargs={"units": _targets(unit), "areas": WorkArea.objects.filter(active=True)},
    )
    return rows


def _tasks(rows) -> list[services.RecommendationInput]:
    return [
        services.RecommendationInput(
            unit=row["unit"], text=row["text"], due_on=row["due_on"], area=row["area"]
        )
        for row in rows.filled()
    ]


def _recent_documents(user, unit: Unit):
    """A hint under the documents field: what the unit's register and inbox hold, newest."""
    return directives_for(user).order_by("-issued_on", "-id")[:RECENT_DOCUMENTS]


def _form_page(request, unit, form, *, conference=None, tasks=None, status=200):
    context = {
        "unit": unit,
        "form": form,
        "conference": conference,
        "tasks": tasks,
        "recent": _recent_documents(request.user, unit),
        "current": "conferences",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/conference_form.html", context, status=status)


def conference_new(request):
    posted = request.method == "POST"
    unit = org_queries.unit_asked(request, request.POST if posted else None)
    require_change(request.user, unit)
    with_tasks = may_inspect(request.user, unit)
    form = ConferenceForm(
        request.POST if posted else None,
        user=request.user,
        initial={"held_on": timezone.localdate()},
    )
    tasks = _task_rows(request, unit, data=request.POST if posted else None)
    if posted and form.is_valid() and (not with_tasks or tasks.is_valid()):
        data = form.cleaned_data
        try:
            conference = services.conference_create(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                participants=data["participants"] or 0,
                connected_points=data["connected_points"] or 0,
                documents=data["documents"],
                conclusions=data["conclusions"],
                tasks=_tasks(tasks) if with_tasks else (),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận hội nghị."))
            return redirect(conference)
    status = 400 if posted else 200
    return _form_page(request, unit, form, tasks=tasks if with_tasks else None, status=status)


def conference_edit(request, pk: int):
    conference = queries.conference_for(request.user, pk)
    require_change(request.user, conference.unit)
    posted = request.method == "POST"
    initial = {
        "kind": conference.kind,
        "title": conference.title,
        "held_on": conference.held_on,
        "participants": conference.participants,
        "connected_points": conference.connected_points,
        "conclusions": conference.conclusions,
        "documents": documents_text(conference, request.user),
    }
    form = ConferenceForm(request.POST if posted else None, user=request.user, initial=initial)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            services.conference_update(
                actor=request.user,
                conference=conference,
                documents=data["documents"],
                kind=data["kind"],
                held_on=data["held_on"],
                title=data["title"],
                participants=data["participants"] or 0,
                connected_points=data["connected_points"] or 0,
                conclusions=data["conclusions"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(conference)
    return _form_page(
        request, conference.unit, form, conference=conference, status=400 if posted else 200
    )


def conference_detail(request, pk: int):
    conference = queries.conference_for(request.user, pk)
    if refused := read_only(request):
        return refused
    today = timezone.localdate()
    tasks = queries.recommendations_of(conference=conference)
    for task in tasks:
        task.due_state = queries.recommendation_state(task, today)
    context = {
        "conference": conference,
        "unit": conference.unit,
        "documents": queries.conference_documents(request.user, conference),
        "tasks": tasks,
        "may_change": _may_change(request.user, conference.unit),
        "may_assign": may_inspect(request.user, conference.unit),
        "current": "conferences",
        "breadcrumb": org_queries.breadcrumb(request.user, conference.unit),
    }
    return render(request, "oversight/conference_detail.html", context)


def conference_tasks(request, pk: int):
    """Tasks the conference's conclusion assigns, each followed as a recommendation."""
    conference = queries.conference_for(request.user, pk)
    require_inspect(request.user, conference.unit)
    posted = request.method == "POST"
    tasks = _task_rows(request, conference.unit, data=request.POST if posted else None)
    error = ""
    if posted and tasks.is_valid():
        chosen = _tasks(tasks)
        if not chosen:
            error = _("Hãy nhập ít nhất một nhiệm vụ.")
        else:
            try:
                services.conference_assign(actor=request.user, conference=conference, tasks=chosen)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, _("Đã giao nhiệm vụ; các đơn vị đã được thông báo."))
                return redirect(conference)
    context = {
        "conference": conference,
        "unit": conference.unit,
        "tasks": tasks,
        "error": error,
        "current": "conferences",
        "breadcrumb": org_queries.breadcrumb(request.user, conference.unit),
    }
    return render(
        request,
        "oversight/conference_tasks.html",
        context,
        status=400 if posted else 200,
    )
