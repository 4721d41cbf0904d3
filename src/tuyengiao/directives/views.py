from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.files import download
from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.deadlines.models import State
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Level
from tuyengiao.org.scope import Action, get_for_user, in_scope
from tuyengiao.reports.xlsx import xlsx_response

from . import export, queries, services
from .forms import DirectiveForm, SenderForm, SendForm, StepRecordForm
from .models import Step, StepKind
from .picker import receiver_groups, receiver_members, receiver_tree


def directive_list(request):
    unit = org_queries.viewed_unit(request.user)
    query = request.GET.get("q", "").strip()
    context = {
        "unit": unit,
        "inbox": queries.inbox(request.user, unit)[:100],
        "registered": queries.registered_at(request.user, unit, query)[:200],
        "query": query,
        "can_register": in_scope(request.user, unit.path, Action.CHANGE),
    }
    return render(request, "directives/directive_list.html", context)


def directive_create(request):
    unit = org_queries.viewed_unit(request.user)
    if not in_scope(request.user, unit.path, Action.CHANGE):
        raise PermissionDenied
    # ?symbol= fills the symbol in (the reading page offers to register what a text cites).
    initial = {"symbol": request.GET.get("symbol", "")[:120]}
    form = DirectiveForm(request.POST or None, request.FILES or None, initial=initial)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            directive = services.directive_register(
                actor=request.user,
                unit=unit,
                symbol=data["symbol"],
                issued_on=data["issued_on"],
                title=data["title"],
                summary=data["summary"],
                attachment=data["attachment"],
            )
        except services.DuplicateDirective as exc:
            duplicate = exc.existing
            apply_errors(form, exc)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản %(s)s.") % {"s": directive.symbol})
            return redirect("directives:detail", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form, "duplicate": duplicate})


def directive_detail(request, pk: int):
    directive = queries.directive_for(request.user, pk)
    unit = org_queries.unit_asked(request)
    today = timezone.localdate()
    late_filters = _late_filters(request)
    context = {
        "directive": directive,
        "unit": unit,
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
        "matrix": queries.matrix(request.user, directive, unit, today=today),
        "late": queries.late_steps(
            request.user, directive, unit, today=today, limit=200, **late_filters
        ),
        "late_filters": late_filters,
        "levels": Level.choices,
        "late_states": [
            (State.OVERDUE, State.OVERDUE.label),
            (State.DONE_LATE, State.DONE_LATE.label),
        ],
        "own_steps": queries.own_steps(request.user, directive, unit, today),
        "own_unit": request.user.unit_id == unit.pk,
        "received": queries.received(request.user, directive, unit),
        "may_send": queries.may_send(request.user, directive, unit),
        "step_kinds": StepKind,
        "states": State,
    }
    return render(request, "directives/directive_detail.html", context)


def _late_filters(request) -> dict:
    """The filters of the late-units list, each kept only if it is a known value."""
    get = request.GET
    return {
        "kind": get.get("late_kind", "") if get.get("late_kind") in StepKind.values else "",
        "level": get.get("late_level", "") if get.get("late_level") in Level.values else "",
        "state": get.get("late_state", "")
        if get.get("late_state") in (State.OVERDUE, State.DONE_LATE)
        else "",
    }


def _sender(request, senders):
    """The unit sending: the one asked (the send form's or the sender picker's), else the
    first; 404 for one the user may not send from."""
    raw = request.POST.get("sender") or request.GET.get("sender")
    if raw is None:
        return senders.first()
    pk = parse_id(raw)
    sender = senders.filter(pk=pk).first() if pk else None
    if sender is None:
        raise Http404
    return sender


def directive_send(request, pk: int):
    directive = queries.directive_for(request.user, pk)
    senders = queries.senders(request.user, directive)
    sender = _sender(request, senders)
    if sender is None:
        raise PermissionDenied
    form = SendForm(
        request.POST or None,
        senders=senders,
        sender=sender,
        receivers=queries.receivers_for(request.user, sender),
        initial={
            "sender": sender,
            "sent_on": timezone.localdate(),
            "levels": [],
            "kinds": ["committee", "cell"],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = []
        for kind in StepKind.values:
            if not data.get(f"step_{kind}"):
                continue
            after, unit_word = data.get(f"after_{kind}"), data.get(f"unit_{kind}")
            plan.append(
                services.StepPlan(
                    kind,
                    due_on=data.get(f"due_{kind}"),
                    days_after=after if after is not None and unit_word != "months" else None,
                    months_after=after if after is not None and unit_word == "months" else None,
                )
            )
        chosen = list(data["receivers"]) or services.receivers_by(
            sender, levels=data["levels"], kinds=data["kinds"]
        )
        try:
            result = services.directive_send(
                actor=request.user,
                directive=directive,
                sender=sender,
                receivers=chosen,
                plan=plan,
                sent_on=data["sent_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã gửi tới %(n)d đơn vị (%(already)d đơn vị đã nhận từ trước).")
                % {"n": result.assigned, "already": result.already},
            )
            return redirect(
                reverse("directives:detail", args=[directive.pk]) + f"?unit={sender.pk}"
            )
    picked = form.picked()
    # The whole tree only for a browser without JavaScript (the page's link "all=1"); otherwise
    # the children, and receiver-picker.js fetches the units below them (`send_receivers`).
    whole = request.GET.get("all") == "1"
    members_url = reverse("directives:send_receivers", args=[directive.pk]) + f"?sender={sender.pk}"
    return render(
        request,
        "directives/directive_send.html",
        {
            "directive": directive,
            "form": form,
            "sender_form": SenderForm(
                initial={"sender": sender}, senders=queries.sender_choices(senders, sender)
            ),
            "tree": (
                receiver_tree(request.user, sender)
                if whole
                else receiver_groups(request.user, sender, picked)
            ),
            "members_url": "" if whole else members_url,
            "whole_url": f"?sender={sender.pk}&all=1",
            "picked": picked,
        },
    )


def send_receivers(request, pk: int):
    """The units below each child of the sender, as JSON, for the send page's tree
    (receiver-picker.js): {"groups": {child id: [[id, name, kind, parent's name, key], …]}}."""
    directive = queries.directive_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    senders = queries.senders(request.user, directive)
    sender = _sender(request, senders)
    if sender is None:
        raise PermissionDenied
    members = receiver_members(request.user, sender)
    return JsonResponse({"groups": members}, json_dumps_params={"ensure_ascii": False})


def step_record(request, pk: int):
    """A step's page. The unit itself records and corrects it here; the units above see what
    was recorded, read-only, and those that may change it can still record it on the unit's
    behalf (a cell without an acting account of its own) from a separate link."""
    step = get_for_user(
        Step.objects.select_related("directive", "unit", "obligation"), request.user, pk=pk
    )
    may_change = in_scope(request.user, step.unit_path, Action.CHANGE)
    own = request.user.unit_id == step.unit_id
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    if request.method != "POST" and not (may_change and (own or request.GET.get("edit"))):
        return render(
            request,
            "directives/step_view.html",
            {"step": step, "evidence": _evidence(step), "may_change": may_change},
        )
    initial = {"done_on": step.done_on or timezone.localdate()}
    for name in StepRecordForm.FIELDS[StepKind(step.kind)]:
        if name != "report_file":  # a stored file has no URL; the page links to step_file
            initial[name] = getattr(step, name)
    form = StepRecordForm(
        request.POST or None, request.FILES or None, kind=step.kind, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        evidence = {k: v for k, v in form.cleaned_data.items() if k != "done_on"}
        if "report_file" in evidence and not evidence["report_file"]:
            evidence.pop("report_file")
        try:
            services.step_record(
                actor=request.user, step=step, done_on=form.cleaned_data["done_on"], **evidence
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận: %(s)s.") % {"s": step.get_kind_display()})
            return redirect(
                reverse("directives:detail", args=[step.directive_id]) + f"?unit={step.unit_id}"
            )
    return render(request, "directives/step_record.html", {"step": step, "form": form, "own": own})


def _evidence(step: Step) -> list[tuple[str, str, object]]:
    """What the unit recorded for the step: (field, label, value), in the form's order."""
    labels = StepRecordForm(kind=step.kind).fields
    return [
        (name, labels[name].label, getattr(step, name))
        for name in StepRecordForm.FIELDS[StepKind(step.kind)]
    ]


def directive_export(request, pk: int):
    """The matrix and the late units as an Excel workbook (built in `export.py`)."""
    directive = queries.directive_for(request.user, pk)
    unit = org_queries.unit_asked(request)
    late = queries.late_steps(request.user, directive, unit, limit=100000, **_late_filters(request))
    content = export.matrix_workbook(directive, queries.matrix(request.user, directive, unit), late)
    return xlsx_response(content, export.file_stem(directive))


# Uploaded files: sent by these views to whoever may see their object, never from a public
# folder (core/files.py).


def directive_attachment(request, pk: int):
    """The document's file, to whoever may see the document."""
    directive = queries.directive_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return download(directive.attachment, name=directive.download_name)


def step_file(request, pk: int):
    """The report file of a step, to whoever may see the step."""
    step = queries.step_for(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return download(step.report_file, name=step.download_name)
