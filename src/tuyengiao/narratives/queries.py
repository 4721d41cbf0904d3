"""Reads of the reading page (which references of a text name a document the user may see)
and of the narrative reports (scoped lists, one report, its versions, the children's)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tuyengiao.directives.models import Directive
from tuyengiao.directives.queries import directives_for
from tuyengiao.org.models import Kind, Unit
from tuyengiao.org.scope import Action, restrict
from tuyengiao.periods import Period
from tuyengiao.text.extract import DocRef

from .models import NarrativeReport, NarrativeState, NarrativeVersion


def _number_key(number: str) -> str:
    return number.lstrip("0") or "0"


def registered_for(user, refs: list[DocRef]) -> dict[str, Directive]:
    """symbol -> a registered document with that symbol, among those the user sees
    (`directives.queries.directives_for`: registered in the subtree or sent to it); the most
    recently issued when several terms reuse a number."""
    if not refs:
        return {}
    match = Q()
    for ref in {(r.issuer, r.doc_type, _number_key(r.number)) for r in refs}:
        match |= Q(issuer=ref[0], doc_type=ref[1], number_key=ref[2])
    found: dict[tuple, Directive] = {}
    for directive in directives_for(user).filter(match).order_by("issued_on", "pk"):
        found[(directive.issuer, directive.doc_type, directive.number_key)] = directive
    return {
        r.symbol: found[key]
        for r in refs
        if (key := (r.issuer, r.doc_type, _number_key(r.number))) in found
    }


# Narrative reports -----------------------------------------------------------------------------


def reports_for(user, action: Action = Action.VIEW):
    """The narrative reports of the units the user may see (or change)."""
    return restrict(
        NarrativeReport.objects.select_related("unit", "obligation", "sent_by"), user, action
    )


def report_for(user, pk, action: Action = Action.VIEW) -> NarrativeReport:
    """One report in the user's scope; 404 outside it."""
    found = reports_for(user, action).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def unit_reports(user, unit: Unit):
    """The unit's own reports, the latest period first."""
    return reports_for(user).filter(unit=unit).order_by("-period", "-id")


def version_of(report: NarrativeReport, n=None) -> NarrativeVersion | None:
    """The report's version `n` (its latest when None or unknown)."""
    versions = report.versions.select_related("created_by")
    if n is not None:
        found = versions.filter(n=n).first()
        if found is not None:
            return found
    return versions.order_by("-n").first()


def state_label(report: NarrativeReport, today: date) -> tuple[str, str]:
    """(state value, label) of the report's obligation: sent on time, late, pending, overdue;
    a report owed by nobody (written outside the schedule) is sent or being written."""
    if report.obligation_id:
        state = report.obligation.state_on(today)
        return state.value, str(state.label)
    if report.is_sent:
        return "sent", str(NarrativeState.SENT.label)
    return "draft", str(NarrativeState.DRAFT.label)


@dataclass
class ChildRow:
    unit: Unit
    report: NarrativeReport | None
    state: str
    label: str


def children_reports(user, unit: Unit, period: Period, today: date) -> list[ChildRow]:
    """Each committee right below `unit` with its report of the period and where it stands:
    sent on time, sent late, not yet sent (pending or overdue)."""
    children = list(
        restrict(Unit.objects.filter(parent=unit, kind=Kind.COMMITTEE), user)
        .active()
        .order_by("sort_key", "name")
    )
    reports = {r.unit_id: r for r in reports_for(user).filter(unit__in=children, period=period.id)}
    rows = []
    for child in children:
        report = reports.get(child.pk)
        if report is None:
            rows.append(ChildRow(child, None, "none", _("Không phải báo cáo")))
            continue
        state, label = state_label(report, today)
        if not report.is_sent:
            label = _("Chưa gửi") + f" ({label.lower()})"
        rows.append(ChildRow(child, report, state, label))
    return rows


def sent_side_by_side(user, unit: Unit, ids: list[int]) -> list[tuple]:
    """Up to three sent reports of `unit`'s children, each with its latest version."""
    reports = list(
        reports_for(user)
        .filter(unit__parent=unit, state=NarrativeState.SENT, pk__in=ids[:3])
        .order_by("unit__sort_key", "unit__name")
    )
    return [(r, version_of(r)) for r in reports]
