"""Inspections from decision to conclusion: the list, one inspection, and the forms of each step
(create, change dates, announce, record, conclude) and of the inspected unit's self-report."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.files import download
from tuyengiao.core.forms import apply_errors
from tuyengiao.core.params import parse_id
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, in_scope

from .. import queries, services
from ..forms import (
    AnnounceForm,
    ConclusionForm,
    FindingRows,
    InspectionEditForm,
    InspectionForm,
    RecommendationRows,
    RecordForm,
    SelfReportForm,
    members_text,
)
from ..models import (
    DECIDED_KINDS,
    FindingKind,
    InspectionKind,
    InspectionState,
    PlanItem,
    WorkArea,
)
from .common import may_inspect, read_only, require_change, require_inspect, visitable


def _year(request, default: int) -> int:
    raw = parse_id(request.GET.get("year"))
    return raw if raw and 2000 <= raw <= 2100 else default


def index(request):
    """The inspections made by the unit's subtree or visiting it, in a year."""
    unit = org_queries.unit_asked(request)
    year = _year(request, timezone.localdate().year)
    context = {
        "unit": unit,
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 6, -1),
        "inspections": queries.inspections_around(request.user, unit, year=year),
        "may_inspect": may_inspect(request.user, unit),
        "current": "inspections",
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/inspection_list.html", context)


def inspection_new(request):
    unit = org_queries.unit_asked(request, request.POST if request.method == "POST" else None)
    require_inspect(request.user, unit)
    items = (
        PlanItem.objects.filter(plan__unit=unit)
        .select_related("plan")
        .order_by("-plan__year", "planned_month", "position")
    )
    initial = {"starts_on": None}
    item = items.filter(pk=parse_id(request.GET.get("item"))).first()
    if item is not None:
        initial = {
            "plan_item": item,
            "kind": item.kind,
            "content": item.content,
            "units": list(item.units.all()),
        }
    form = InspectionForm(
        request.POST or None, initial=initial, units=visitable(unit), plan_items=items
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_create(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                units=list(data["units"]),
                members=data["members"],
                plan_item=data["plan_item"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                extended=data["extended"],
                extension_reason=data["extension_reason"],
                decision_symbol=data["decision"],
                decision_issued_on=data["decision_issued_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã tạo cuộc %(kind)s.") % {"kind": inspection.get_kind_display().lower()},
            )
            return redirect(inspection)
    context = {
        "unit": unit,
        "form": form,
        "limits": _limits(unit),
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "oversight/inspection_form.html", context)


def _limits(unit: Unit) -> dict:
    return {
        "days": services.duration_limit(unit.level),
        "extended": services.duration_limit(unit.level, extended=True),
        "years": services.PERIOD_YEARS,
    }


def inspection_detail(request, pk: int):
    inspection = queries.inspection_for(request.user, pk)
    if refused := read_only(request):
        return refused
    return render(request, "oversight/inspection_detail.html", _detail(request, inspection))


def _detail(request, inspection, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    office = may_inspect(user, inspection.unit)
    conclusion = queries.conclusion_of(inspection)
    rows = queries.inspected_units(inspection)
    for row in rows:
        obligation = row.self_report_obligation
        row.state = obligation.state_on(today) if obligation else None
        row.may_upload = inspection.state in (
            InspectionState.ANNOUNCED,
            InspectionState.CONDUCTED,
        ) and in_scope(user, row.unit_path, Action.CHANGE)
        row.may_read = office or in_scope(user, row.unit_path)
    recommendations, findings = [], []
    if conclusion is not None:
        recommendations = [
            r
            for r in queries.recommendations_of(conclusion=conclusion)
            if office or in_scope(user, r.unit_path)
        ]
        for r in recommendations:
            r.due_state = queries.recommendation_state(r, today)
        recurring = {row.unit_id: queries.recurring_for_unit(row.unit, today=today) for row in rows}
        for finding in conclusion.findings.all():
            if not (office or in_scope(user, finding.unit_path)):
                continue  # another inspected unit's: its own scope
            finding.recurs = (
                finding.kind == FindingKind.SHORTCOMING
                and recurring.get(finding.unit_id, {}).get(finding.area_id, 0) >= 2
            )
            findings.append(finding)
    return {
        "inspection": inspection,
        "unit": inspection.unit,
        "members": list(inspection.members.all()),
        "inspected": rows,
        "conclusion": conclusion,
        "results": [f for f in findings if f.kind == FindingKind.RESULT],
        "shortcomings": [f for f in findings if f.kind == FindingKind.SHORTCOMING],
        "recommendations": recommendations,
        "office": office,
        "states": InspectionState,
        "steps": _steps(inspection),
        "self_report_form": forms.get("self_report_form") or SelfReportForm(),
        "breadcrumb": org_queries.breadcrumb(user, inspection.unit),
    }


def _steps(inspection) -> list[tuple[str, bool, bool]]:
    """The procedure's steps: (label, done, current)."""
    order = list(InspectionState)
    at = order.index(InspectionState(inspection.state))
    return [(state.label, i <= at, i == at) for i, state in enumerate(order)]


def _office_inspection(request, pk: int):
    inspection = queries.inspection_for(request.user, pk)
    require_inspect(request.user, inspection.unit)
    return inspection


def inspection_edit(request, pk: int):
    inspection = _office_inspection(request, pk)
    if inspection.state == InspectionState.CONCLUDED:
        messages.error(request, _("Cuộc kiểm tra đã kết luận; không thể sửa."))
        return redirect(inspection)
    initial = {name: getattr(inspection, name) for name in services.EDITABLE} | {
        "members": members_text(inspection)
    }
    form = InspectionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_update(
                actor=request.user,
                inspection=inspection,
                members=data.pop("members"),
                **{name: data[name] for name in services.EDITABLE},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(inspection)
    context = {
        "inspection": inspection,
        "unit": inspection.unit,
        "form": form,
        "limits": _limits(inspection.unit),
        "editing": True,
        "breadcrumb": org_queries.breadcrumb(request.user, inspection.unit),
    }
    return render(request, "oversight/inspection_form.html", context)


def _step_page(request, inspection, form, title: str, template: str = "", **extra):
    context = {
        "inspection": inspection,
        "unit": inspection.unit,
        "form": form,
        "title": title,
        "breadcrumb": org_queries.breadcrumb(request.user, inspection.unit),
        **extra,
    }
    return render(request, template or "oversight/inspection_step.html", context)


def inspection_announce(request, pk: int):
    inspection = _office_inspection(request, pk)
    if inspection.state != InspectionState.PREPARING:
        messages.error(request, _("Cuộc kiểm tra đã được công bố."))
        return redirect(inspection)
    form = AnnounceForm(request.POST or None)
    if inspection.decision_id or inspection.kind not in DECIDED_KINDS:
        for name in ("decision", "decision_issued_on"):
            form.fields[name].required = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_announce(
                actor=request.user,
                inspection=inspection,
                self_report_due_on=data["self_report_due_on"],
                decision_symbol=data["decision"],
                decision_issued_on=data["decision_issued_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã công bố; các đơn vị được kiểm tra đã nhận thông báo."))
            return redirect(inspection)
    return _step_page(
        request,
        inspection,
        form,
        _("Công bố quyết định"),
        intro=_(
            "Mỗi đơn vị được kiểm tra phải nộp báo cáo tự kiểm tra trước hạn dưới đây; đơn vị "
            "nhận thông báo ngay khi công bố."
        ),
    )


def inspection_record(request, pk: int):
    inspection = _office_inspection(request, pk)
    if inspection.state not in (InspectionState.ANNOUNCED, InspectionState.CONDUCTED):
        messages.error(
            request, _("Chỉ ghi biên bản khi cuộc kiểm tra đã công bố và chưa kết luận.")
        )
        return redirect(inspection)
    initial = {
        "conducted_on": inspection.conducted_on or min(timezone.localdate(), inspection.ends_on),
        "record_text": inspection.record_text,
    }
    form = RecordForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                actor=request.user,
                inspection=inspection,
                conducted_on=data["conducted_on"],
                record_text=data["record_text"],
                record_file=data["record_file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi biên bản làm việc."))
            return redirect(inspection)
    return _step_page(request, inspection, form, _("Biên bản làm việc"), multipart=True)


def record_file(request, pk: int):
    inspection = queries.inspection_for(request.user, pk)
    if refused := read_only(request):
        return refused
    return download(inspection.record_file, name=inspection.download_name)


# The conclusion ------------------------------------------------------------------------------

FINDING_ROWS = 6
RECOMMENDATION_ROWS = 4
MORE = 4


def _rows(request, name: str, default: int) -> int:
    """How many rows the form shows: as many as were sent, and MORE when asked."""
    sent = parse_id(request.POST.get(f"{name}-TOTAL_FORMS")) or default
    return min(sent + (MORE if request.POST.get("more") == name else 0), 40)


def inspection_conclude(request, pk: int):
    inspection = _office_inspection(request, pk)
    if inspection.state != InspectionState.CONDUCTED:
        messages.error(
            request,
            _("Thông báo kết luận được ghi sau biên bản làm việc, một lần cho mỗi cuộc."),
        )
        return redirect(inspection)
    today = timezone.localdate()
    rows = queries.inspected_units(inspection)
    visited = Unit.objects.filter(pk__in=[r.unit_id for r in rows]).order_by("sort_key", "name")
    areas = WorkArea.objects.filter(active=True)
    past = {r.unit: queries.recurring_for_unit(r.unit, today=today) for r in rows}
    names = {a.pk: a for a in WorkArea.objects.all()}
    warnings = [
        (unit, [(names[pk], n) for pk, n in sorted(counts.items(), key=lambda kv: -kv[1])])
        for unit, counts in past.items()
        if counts
    ]
    labels = {}
    if len(rows) == 1:  # one unit: its fields named before are marked in the list itself
        counts = next(iter(past.values()))
        labels = {
            pk: _("%(area)s — đã nêu hạn chế %(n)s lần: sẽ là hạn chế lặp lại")
            % {"area": names[pk].name, "n": n}
            for pk, n in counts.items()
            if pk in names
        }
    posted = request.method == "POST"
    more = posted and request.POST.get("more")
    findings_n = _rows(request, "findings", FINDING_ROWS) if posted else FINDING_ROWS
    recs_n = (
        _rows(request, "recommendations", RECOMMENDATION_ROWS) if posted else (RECOMMENDATION_ROWS)
    )
    data = request.POST if posted else None
    if posted:
        data = request.POST.copy()
        data["findings-TOTAL_FORMS"] = str(findings_n)
        data["recommendations-TOTAL_FORMS"] = str(recs_n)
    if more:  # rows added: what was typed stays, unjudged until the form is sent
        form = ConclusionForm(initial=request.POST.dict())
    else:
        form = ConclusionForm(data, initial={"notice_issued_on": today})
    findings = FindingRows(
        data,
        prefix="findings",
        initial=[{} for _i in range(findings_n)],
        row_kwargs={"units": visited, "areas": areas, "area_labels": labels},
    )
    recommendations = RecommendationRows(
        data,
        prefix="recommendations",
        initial=[{} for _i in range(recs_n)],
        row_kwargs={"units": visited, "areas": areas},
    )
    if (
        posted
        and not more
        and form.is_valid()
        and findings.is_valid()
        and (recommendations.is_valid())
    ):
        try:
            services.conclusion_record(
                actor=request.user,
                inspection=inspection,
                notice_symbol=form.cleaned_data["notice"],
                issued_on=form.cleaned_data["notice_issued_on"],
                results=form.cleaned_data["results"],
                findings=[
                    services.FindingInput(
                        unit=row["unit"], kind=row["kind"], text=row["text"], area=row["area"]
                    )
                    for row in findings.filled()
                ],
                recommendations=[
                    services.RecommendationInput(
                        unit=row["unit"], text=row["text"], due_on=row["due_on"], area=row["area"]
                    )
                    for row in recommendations.filled()
                ],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi thông báo kết luận; các đơn vị đã nhận kiến nghị của mình."),
            )
            return redirect(inspection)
    return _step_page(
        request,
        inspection,
        form,
        _("Thông báo kết luận"),
        template="oversight/conclusion_form.html",
        findings=findings,
        recommendations=recommendations,
        warnings=warnings,
        years=queries.recurrence_years(inspection.unit),
        kinds=InspectionKind,
    )


# The inspected unit's self-inspection report ---------------------------------------------------


def self_report(request, pk: int):
    """The inspected unit uploads its self-inspection report (the page, and the upload)."""
    row = queries.inspected_for(request.user, pk)
    require_change(request.user, row.unit)
    inspection = row.inspection
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_report_submit(
                actor=request.user, inspected=row, file=form.cleaned_data["self_report"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Đã nộp báo cáo tự kiểm tra."))
            return redirect(inspection)
    return _step_page(
        request,
        inspection,
        form,
        _("Báo cáo tự kiểm tra: %(unit)s") % {"unit": row.unit.name},
        multipart=True,
        back=reverse("oversight:inspection", args=[inspection.pk]),
    )


def self_report_file(request, pk: int):
    """The self-report, to the inspected unit's subtree and the inspecting office."""
    row = queries.inspected_for(request.user, pk, office=True)
    if refused := read_only(request):
        return refused
    return download(row.self_report, name=row.download_name)
