"""Record a plan-against-actual figure found in a text ("52/50 lớp") into a report form: the
choices offered on the reading page and their check when posted. The figures are written only
through figures.services.report_save (the one door), as a draft the user checks and sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.figures import services as figures
from tuyengiao.figures.models import Indicator, Report, ReportState
from tuyengiao.figures.queries import reports_for
from tuyengiao.org.scope import Action, get_for_user
from tuyengiao.text import format_number, parse_number

MAX_REPORTS = 30  # the reports offered, latest periods first
SCANNED = 200  # the draft reports looked at to find them (a locked one is skipped)


def _pairs(data_set) -> list[tuple[Indicator, Indicator | None]]:
    """(actual, planned) of the form's entered indicators whose planned partner is entered in
    the same form; when it has none, each entered numeric indicator alone."""
    entered = [i for i in figures.entered_indicators(data_set) if i.is_numeric]
    ids = {i.pk for i in entered}
    by_id = {i.pk: i for i in entered}
    pairs = [(i, by_id[i.planned_id]) for i in entered if i.planned_id in ids]
    return pairs or [(i, None) for i in entered]


def _label(report: Report, actual: Indicator, planned: Indicator | None) -> str:
    if planned is None:
        return _("%(report)s — %(actual)s") % {"report": report, "actual": actual.name}
    return _("%(report)s — %(actual)s / %(planned)s") % {
        "report": report,
        "actual": actual.name,
        "planned": planned.name,
    }


def choices(user, today: date | None = None) -> list[tuple[str, str]]:
    """("reportid:actualcode:plannedcode", label) for the user's reports that can be changed
    now (in scope, a draft, not locked), latest periods first."""
    today = today or timezone.localdate()
    reports = (
        reports_for(user, Action.CHANGE)
        .filter(state=ReportState.DRAFT)
        .order_by("-period", "unit_path", "data_set__code")[:SCANNED]
    )
    found, pairs_of, offered = [], {}, 0
    for report in reports:
        if offered >= MAX_REPORTS:
            break
        if figures.editing_problem(report, today) is not None:
            continue
        if report.data_set_id not in pairs_of:
            pairs_of[report.data_set_id] = _pairs(report.data_set)
        offered += bool(pairs_of[report.data_set_id])
        for actual, planned in pairs_of[report.data_set_id]:
            value = f"{report.pk}:{actual.code}:{planned.code if planned else ''}"
            found.append((value, _label(report, actual, planned)))
    return found


@dataclass
class Choice:
    report: Report
    entries: dict[str, str]  # indicator code -> the number as typed (Vietnamese)


def _written(value: Decimal) -> str:
    """A number as the entry form reads it: 1.234 (decimal) -> "1,234", 24193 -> "24193"."""
    exponent = value.as_tuple().exponent
    return format_number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _number(raw: str) -> Decimal:
    try:
        return parse_number(raw or "")
    except ValueError:
        raise ValidationError(
            _("Không đọc được số liệu “%(raw)s” của văn bản.") % {"raw": (raw or "").strip()[:40]}
        ) from None


def chosen(user, choice: str, actual: str, planned: str) -> Choice:
    """The posted choice checked again: the report in the user's scope (404 outside), the
    codes entered indicators of its form (the planned one the actual's partner), the numbers
    readable. ValidationError with a Vietnamese message otherwise."""
    parts = (choice or "").split(":")
    pk = parts[0]
    if len(parts) != 3 or not (pk.isascii() and pk.isdigit()) or len(pk) > 12 or not parts[1]:
        raise ValidationError(_("Hãy chọn báo cáo và chỉ tiêu để ghi số liệu."))
    _pk, actual_code, planned_code = parts
    report = get_for_user(reports_for(user, Action.CHANGE), user, Action.CHANGE, pk=int(pk))
    entered = {i.code: i for i in figures.entered_indicators(report.data_set) if i.is_numeric}
    indicator = entered.get(actual_code)
    if indicator is None:
        raise ValidationError(
            _("Chỉ tiêu %(code)s không nhập tay được trong biểu mẫu này.") % {"code": actual_code}
        )
    entries = {actual_code: _written(_number(actual))}
    if planned_code:
        partner = entered.get(planned_code)
        if partner is None or indicator.planned_id != partner.pk:
            raise ValidationError(
                _("Chỉ tiêu %(code)s không phải kế hoạch của %(actual)s trong biểu mẫu này.")
                % {"code": planned_code, "actual": actual_code}
            )
        entries[planned_code] = _written(_number(planned))
    return Choice(report, entries)
