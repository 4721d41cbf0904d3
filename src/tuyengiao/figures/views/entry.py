"""Entry pages of periodic figures: the reports a unit owes, one report's form, approvals.

Views stay thin: every write is a call to figures.services, every read is scoped by
figures.queries.reports_for or org.queries, so a report outside the user's scope is a 404.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BoundField
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.core.forms import apply_errors
from tuyengiao.core.period_names import period_label
from tuyengiao.org import queries as org_queries
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, can, get_for_user, in_scope
from tuyengiao.periods import Period
from tuyengiao.text.numbers import format_number, format_rate

from .. import queries, services, sources
from ..forms import EntryForm, OpenReportForm, ReportFilterForm, ReturnForm, UnlockForm
from ..models import Indicator, Report, ReportState
from . import opened

# The list of reports a unit owes ---------------------------------------------------------------


def _open_form(request, unit: Unit, data=None) -> OpenReportForm:
    choices = [unit, *org_queries.children_for(request.user, unit)]
    data_sets = queries.active_data_sets()
    return OpenReportForm(
        data,
        units=org_queries.units_for(request.user),
        choices=choices,
        data_sets=data_sets,
        initial={"unit": unit.pk, "open_data_set": data_sets.first()},
    )


def _index(request, unit: Unit, open_form: OpenReportForm):
    user, today = request.user, timezone.localdate()
    filters = ReportFilterForm(request.GET, data_sets=queries.data_sets_for(user))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    data_set = chosen.get("data_set")
    reports = queries.owed_reports(
        user,
        unit,
        data_set=data_set,
        state=chosen.get("state", ""),
        due=chosen.get("due", ""),
        today=today,
    )
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    for report in page:
        report.period_label = period_label(report.period)
        report.due_state = report.obligation.state_on(today)
    unfiltered = not (chosen.get("state") or chosen.get("due"))
    context = {
        "unit": unit,
        "breadcrumb": org_queries.breadcrumb(user, unit),
        "children": org_queries.children_for(user, unit),
        "page": page,
        "filters": filters,
        "unopened": queries.unopened(unit, today, data_set) if unfiltered else [],
        "open_form": open_form,
        "queue_count": queries.approval_queue(user).count() if can(user, Action.APPROVE) else None,
    }
    return render(request, "figures/index.html", context)


def index(request):
    unit = org_queries.unit_asked(request)
    return _index(request, unit, _open_form(request, unit))


def report_open(request):
    """Open the report of a unit in scope for a form and a period (GET: creating the report a
    unit owes is the only write a GET makes)."""
    unit = org_queries.unit_asked(request)
    form = _open_form(request, unit, request.GET)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_open(
                actor=request.user,
                data_set=data["open_data_set"],
                unit=data["unit"],
                period=data["period"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            return redirect("figures:report", pk=report.pk)
    return _index(request, unit, form)


# One report: enter, save, send ------------------------------------------------------------------


@dataclass
class Cell:
    """One input of the entry table with what to show beside it."""

    bound: BoundField | None
    notes: list[str] = field(default_factory=list)
    newer: str | None = None  # the stored value, when someone else changed it meanwhile
    counted: str = ""  # a record-backed figure, shown read-only
    records: str = ""  # the page of the records it counts


@dataclass
class Row:
    indicator: Indicator
    section: str = ""  # a section heading to draw above the row
    plan: Cell | None = None  # the planned figure, when the form has the pair
    actual: Cell | None = None
    computed: str = ""  # a derived indicator's value, or a pair's rate ("đạt 104%")


def _report(request, pk: int) -> Report:
    """The report if it is in the user's scope, else 404."""
    reports = queries.reports_for(request.user).select_related(
        "obligation", "saved_by", "submitted_by", "approved_by", "returned_by"
    )
    return get_for_user(reports, request.user, pk=pk)


def _shown(values: dict) -> dict[str, str]:
    return {code: services.display(v.indicator, v.number, v.text) for code, v in values.items()}


def _rows(form: EntryForm, form_rows, values, notes, newer, report: Report) -> list[Row]:
    """The entry table: form order, section headings, a planned/actual pair on one row;
    record-backed figures read-only, with a link to their records."""
    in_form = {r.indicator.code: r.indicator for r in form_rows}
    planned_by_pk = {i.pk: i for i in in_form.values()}
    pairs = {}  # planned code -> actual indicator, for pairs with both halves in the form
    for indicator in in_form.values():
        if indicator.planned_id in planned_by_pk and not indicator.is_derived:
            pairs[planned_by_pk[indicator.planned_id].code] = indicator
    actuals = {a.code for a in pairs.values()}
    numbers = services.numbers_of(values)

    def cell(code):
        indicator = in_form.get(code)
        if indicator is not None and indicator.is_counted:
            value = values.get(code)
            return Cell(
                None,
                notes.get(code, []),
                counted=services.display(indicator, value.number if value else 0),
                records=sources.records_url(indicator, report.unit_id, report.period),
            )
        if code not in form.fields:
            return None
        return Cell(form[code], notes.get(code, []), newer.get(code))

    rows, done, section = [], set(), ""
    for form_row in form_rows:
        indicator = form_row.indicator
        if indicator.code in done:
            continue
        row = Row(indicator)
        if form_row.section and form_row.section != section:
            row.section = section = form_row.section
        if indicator.code in pairs or indicator.code in actuals:
            actual = pairs.get(indicator.code, indicator)
            planned = planned_by_pk[actual.planned_id]
            row.indicator = actual
            row.plan, row.actual = cell(planned.code), cell(actual.code)
            done |= {actual.code, planned.code}
            rate = format_rate(numbers.get(actual.code), numbers.get(planned.code))
            row.computed = _("đạt %(rate)s") % {"rate": rate} if rate else ""
        elif indicator.is_derived:
            num = numbers.get(indicator.numerator.code) if indicator.numerator else None
            den = numbers.get(indicator.denominator.code) if indicator.denominator else None
            if num is not None and den:
                row.computed = format_number(num / den * indicator.factor, 2)
        else:
            row.actual = cell(indicator.code)
        rows.append(row)
    return rows


def _newer(posted: EntryForm, values: dict) -> dict[str, str]:
    """The fields whose stored figure is no longer the one the page showed (or, if the page did
    not say, not the one typed): {code: the stored figure}."""
    stored = _shown(values)
    try:
        loaded = json.loads(posted.data.get("loaded") or "null")
    except ValueError:
        loaded = None
    changed = {}
    for code, indicator in posted.indicators.items():
        now = stored.get(code, "")
        if isinstance(loaded, dict):
            differs = now != loaded.get(code, "")
        else:
            try:
                number, text = services.parse_entry(indicator, posted.data.get(code, ""))
                differs = now != services.display(indicator, number, text)
            except ValueError:
                differs = True
        if differs:
            changed[code] = now or _("(trống)")
    return changed


def _autofocus(form: EntryForm, editable: bool) -> None:
    """Focus the first field with an error, else the first empty one, else the first."""
    if not editable or not form.indicators:
        return
    codes = list(form.indicators)
    errors = [c for c in codes if c in form.errors] if form.is_bound else []
    empty = [c for c in codes if not str(form[c].value() or "").strip()]
    form.fields[(errors or empty or codes)[0]].widget.attrs["autofocus"] = True


def _render_report(
    request, report: Report, form: EntryForm | None = None, stale: str = "", newer=None
):
    """The entry page. `form` is the bound form of a refused save: the typed figures stay."""
    user, today = request.user, timezone.localdate()
    values = services.report_values(report)
    problem = services.editing_problem(report, today)
    may_change = in_scope(user, report.unit_path, Action.CHANGE)
    editable = problem is None and may_change
    form_rows = list(
        report.data_set.rows.select_related(
            "indicator", "indicator__numerator", "indicator__denominator"
        )
    )
    notes: dict[str, list[str]] = {}
    broken = []
    if form is None:  # drawn from what is stored: its broken rules are shown beside the fields
        shown = _shown(values)
        form = EntryForm(
            indicators=[r.indicator for r in form_rows],
            editable=editable,
            initial={**shown, "version": report.version, "loaded": json.dumps(shown)},
        )
        broken = services.report_violations(report, values)
        for violation in broken:
            for code in violation.codes:
                notes.setdefault(code, []).append(violation.message)
    _autofocus(form, editable)
    rows = _rows(form, form_rows, values, notes, newer or {}, report)
    above = services.is_above(user, report)
    children = list(queries.children_reports(user, report))
    for child in children:
        child.due_state = child.obligation.state_on(today)
    opened.mark(request, children)
    unopened = list(services.unopened_below(report))
    may_approve = above and report.state == ReportState.SUBMITTED
    if may_approve:  # the figures below are what this person saw: what "Duyệt" approves
        opened.remember(request, report)
    context = {
        "report": report,
        "unit": report.unit,
        "breadcrumb": org_queries.breadcrumb(user, report.unit),
        "period": Period.parse(report.period),
        "due_state": report.obligation.state_on(today) if report.obligation else None,
        "form": form,
        "rows": rows,
        "pairs": any(r.plan is not None for r in rows),
        "broken": broken,
        "stale": stale,
        "problem": problem,
        "editable": editable,
        "may_change": may_change,
        "may_withdraw": may_change and report.state == ReportState.SUBMITTED,
        "may_approve": may_approve,
        "return_form": ReturnForm(initial={"version": report.version}),
        "returned": report.state == ReportState.DRAFT and report.returned_at is not None,
        "may_unlock": above and problem is not None and report.state != ReportState.SUBMITTED,
        "may_approve_children": in_scope(user, report.unit_path, Action.APPROVE),
        "may_audit": can(user, Action.MANAGE_USERS),
        "unlock_form": UnlockForm(),
        "children": children,
        "unopened_children": unopened,
    }
    return render(request, "figures/report_entry.html", context)


def report_entry(request, pk: int):
    report = _report(request, pk)
    if request.method != "POST":
        return _render_report(request, report)
    if not in_scope(request.user, report.unit_path, Action.CHANGE):
        raise PermissionDenied(_("Bạn chỉ được xem báo cáo này."))
    form = EntryForm(request.POST, indicators=services.report_indicators(report))
    if not form.is_valid():  # only a missing or forged version makes it so
        form.add_error(None, _("Trang nhập liệu không hợp lệ; hãy tải lại trang rồi nhập lại."))
        return _render_report(request, report, form)
    try:
        broken = services.report_save(
            actor=request.user,
            report=report,
            entries=form.entries(),
            version=form.cleaned_data["version"],
        )
    except services.StaleReport as exc:
        current = _report(request, pk)
        values = services.report_values(current)
        # The typed figures stay; the next save starts from the current version, on purpose.
        data = request.POST.copy()
        data["version"] = str(current.version)
        data["loaded"] = json.dumps(_shown(values))
        retry = EntryForm(data, indicators=services.report_indicators(current))
        return _render_report(request, current, retry, stale=str(exc), newer=_newer(form, values))
    except ValidationError as exc:
        apply_errors(form, exc)
        return _render_report(request, report, form)
    if request.POST.get("action") == "submit":
        _submit(request, report, broken)
    elif broken:
        messages.warning(
            request,
            _("Đã lưu nháp. Còn %(n)d điểm chưa hợp lệ (ghi bên cạnh chỉ tiêu); sửa trước khi gửi.")
            % {"n": len(broken)},
        )
    else:
        messages.success(request, _("Đã lưu nháp."))
    return redirect("figures:report", pk=report.pk)


def _submit(request, report: Report, broken) -> None:
    if broken:
        messages.error(
            request, _("Chưa gửi được báo cáo: số liệu đã lưu nhưng còn điểm chưa hợp lệ.")
        )
        for violation in broken:
            messages.error(request, violation.message)
        return
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã gửi báo cáo lên cấp trên."))


def _back(request, report: Report):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("figures:report", pk=report.pk)


def _act(request, report: Report, service, done: str, **kwargs):
    """Run one service on the report; a refusal is a message, a missing right a 403."""
    try:
        service(actor=request.user, report=report, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return _back(request, report)


@require_POST
def report_withdraw(request, pk: int):
    report = _report(request, pk)
    return _act(request, report, services.report_withdraw, _("Đã rút lại báo cáo để sửa."))


@require_POST
def report_approve(request, pk: int):
    """Approve the report at the version the person saw: the one the page sent, else the one
    this person last opened. A report never opened is not approved blind."""
    report = _report(request, pk)
    label = f"{report.unit.name} – {period_label(report.period)}"
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() and len(raw) < 10 else opened.seen_version(request, report)
    if version is None:
        if not services.is_above(request.user, report):
            raise PermissionDenied(_("Báo cáo của đơn vị mình do cấp trên duyệt."))
        messages.error(request, _("Hãy mở báo cáo, xem số liệu rồi mới duyệt."))
        return redirect("figures:report", pk=report.pk)
    return _act(
        request,
        report,
        services.report_approve,
        _("Đã duyệt báo cáo %(r)s.") % {"r": label},
        version=version,
    )


@require_POST
def report_return(request, pk: int):
    report = _report(request, pk)
    if not in_scope(request.user, report.unit_path, Action.APPROVE):
        raise PermissionDenied(_("Chỉ lãnh đạo cấp trên được trả lại báo cáo."))
    form = ReturnForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("figures:report", pk=report.pk)
    return _act(
        request,
        report,
        services.report_return,
        _("Đã trả lại báo cáo để đơn vị sửa; đơn vị đã được báo."),
        comment=form.cleaned_data["comment"],
        version=form.cleaned_data["version"],
    )


@require_POST
def report_unlock(request, pk: int):
    report = _report(request, pk)
    if not in_scope(request.user, report.unit_path, Action.APPROVE):
        raise PermissionDenied(_("Chỉ lãnh đạo cấp trên được mở khoá báo cáo."))
    form = UnlockForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back(request, report)
    return _act(
        request,
        report,
        services.report_unlock,
        _("Đã mở khoá báo cáo; đơn vị có thể sửa số liệu."),
        reason=form.cleaned_data["reason"],
    )
