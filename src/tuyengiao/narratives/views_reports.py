"""The narrative reports' pages: the unit's reports, the editor (sections, tables kept or
dropped, versions, numbers that no longer match flagged), sending upward, the children's
reports side by side, and the DOCX and XLSX downloads. Thin: query → template, or form →
service → message → redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.params import parse_id
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, in_scope
from tuyengiao.periods import Period
from tuyengiao.reports.xlsx import xlsx_response

from . import checking, documents, queries, services
from .drafting import section_text
from .forms_reports import NewReportForm, SendForm

SAFE = ("GET", "HEAD")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read_only(request):
    return None if request.method in SAFE else HttpResponseNotAllowed(SAFE)


def _post_only(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _may_change(user, unit: Unit) -> bool:
    return in_scope(user, unit.path, Action.CHANGE)


def _require_change(user, unit: Unit) -> None:
    if not _may_change(user, unit):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với đơn vị này."))


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _period(request, today) -> Period:
    raw = (request.GET.get("period") or "").strip()
    if raw:
        try:
            return Period.parse(raw)
        except ValueError as exc:
            messages.error(request, str(exc))
    return Period.of("quarter", today).previous()


def report_list(request):
    """The unit's narrative reports, each with where its deadline stands."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    reports = list(queries.unit_reports(request.user, unit)[:200])
    rows = [(r, *queries.state_label(r, today)) for r in reports]
    context = {
        "unit": unit,
        "rows": rows,
        "may_change": _may_change(request.user, unit),
        "form": NewReportForm(initial={"period": Period.of("quarter", today).previous().id}),
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
        "has_children": Unit.objects.filter(parent=unit).exists(),
        "period": Period.of("quarter", today).previous(),
    }
    return render(request, "narratives/report_list.html", context)


def report_new(request):
    """ "Soạn báo cáo": the unit's report of the period (opened when missing), its first version
    drafted from the data."""
    if refused := _post_only(request):
        return refused
    unit = org_queries.unit_asked(request, request.POST)
    _require_change(request.user, unit)
    form = NewReportForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(reverse("narratives:list") + f"?unit={unit.pk}")
    try:
        report = services.narrative_open(
            actor=request.user, unit=unit, period=form.cleaned_data["period"]
        )
        if not report.versions.exists():
            services.narrative_draft(actor=request.user, report=report)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(reverse("narratives:list") + f"?unit={unit.pk}")
    return redirect(report)


def _sections_view(version) -> list[dict]:
    shown = []
    for s in version.sections if version else []:
        shown.append(
            {
                **s,
                "shown_text": section_text(s),
                "flags": checking.flags(s),
                "rows": max(3, min(30, section_text(s).count("\n") + 3)),
            }
        )
    return shown


def report_detail(request, pk: int):
    """The editor: every section's text in a box, its tables kept or dropped; saving makes a
    new version. A sent report, or a reader who may not change it, reads it only."""
    report = queries.report_for(request.user, pk)
    today = timezone.localdate()
    editable = not report.is_sent and _may_change(request.user, report.unit)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Báo cáo này không sửa được."))
        latest = queries.version_of(report)
        edits = []
        for s in latest.sections if latest else []:
            edit = {"key": s["key"]}
            text = request.POST.get(f"text-{s['key']}")
            if text is not None and text.replace("\r\n", "\n").strip() != section_text(s).strip():
                edit["text"] = text
            if s.get("tables"):
                edit["kept"] = request.POST.get(f"kept-{s['key']}") == "on"
            if len(edit) > 1:
                edits.append(edit)
        try:
            version = services.version_save(
                actor=request.user,
                report=report,
                edits=edits,
                note=request.POST.get("note", "")[:300],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            flagged = sum(len(s["flags"]) for s in _sections_view(version))
            messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": version.n})
            if flagged:
                messages.warning(
                    request,
                    _("%(n)s số liệu trong văn bản không khớp với số liệu đã ghi nhận.")
                    % {"n": flagged},
                )
        return redirect(report)
    if refused := _read_only(request):
        return refused
    version = queries.version_of(report, parse_id(request.GET.get("v")))
    state, label = queries.state_label(report, today)
    context = {
        "report": report,
        "unit": report.unit,
        "version": version,
        "sections": _sections_view(version),
        "versions": list(report.versions.select_related("created_by").order_by("-n")[:50]),
        "editable": editable and version is not None and version.n == _latest_n(report),
        "may_change": _may_change(request.user, report.unit),
        "state": state,
        "state_label": label,
        "send_form": SendForm(initial={"number": report.number}),
        "breadcrumb": org_queries.breadcrumb(request.user, report.unit),
    }
    return render(request, "narratives/report_detail.html", context)


def _latest_n(report) -> int | None:
    latest = queries.version_of(report)
    return latest.n if latest else None


def report_redraft(request, pk: int):
    """A new version drafted again from today's data."""
    report = queries.report_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, report.unit)
    try:
        version = services.narrative_draft(actor=request.user, report=report)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã soạn lại từ số liệu: phiên bản %(n)s.") % {"n": version.n})
    return redirect(report)


def report_send(request, pk: int):
    """ "Gửi cấp trên": closes the obligation today and tells the level above."""
    report = queries.report_for(request.user, pk)
    if refused := _post_only(request):
        return refused
    _require_change(request.user, report.unit)
    form = SendForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(report)
    try:
        services.narrative_send(
            actor=request.user, report=report, number=form.cleaned_data["number"]
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã gửi báo cáo lên cấp trên."))
    return redirect(report)


def report_docx(request, pk: int):
    report = queries.report_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    version = queries.version_of(report, parse_id(request.GET.get("v")))
    if version is None:
        messages.error(request, _("Báo cáo chưa có nội dung."))
        return redirect(report)
    content = documents.report_docx(report, version, today=timezone.localdate())
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{documents.stem(report)}.docx"'
    return response


def report_xlsx(request, pk: int):
    report = queries.report_for(request.user, pk)
    if refused := _read_only(request):
        return refused
    version = queries.version_of(report, parse_id(request.GET.get("v")))
    if version is None:
        messages.error(request, _("Báo cáo chưa có nội dung."))
        return redirect(report)
    content = documents.report_workbook(report, version, today=timezone.localdate())
    return xlsx_response(content, documents.stem(report))


def children(request):
    """The children's reports of a period: who sent (on time, late), who has not; and up to
    three chosen sent reports read side by side."""
    unit = org_queries.unit_asked(request)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    period = _period(request, today)
    chosen = [i for i in (parse_id(v) for v in request.GET.getlist("show")) if i is not None]
    side = queries.sent_side_by_side(request.user, unit, chosen)
    context = {
        "unit": unit,
        "period": period,
        "rows": queries.children_reports(request.user, unit, period, today),
        "side": [{"report": r, "version": v, "sections": _sections_view(v)} for r, v in side],
        "chosen": chosen,
        "breadcrumb": org_queries.breadcrumb(request.user, unit),
    }
    return render(request, "narratives/children.html", context)
