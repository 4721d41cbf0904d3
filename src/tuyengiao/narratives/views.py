"""The reading page: paste a text or upload a Word document, see the references to Party
documents, the plan-against-actual figures and the percentages it holds (text/extract.py)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuyengiao.figures.services import StaleReport, report_save
from tuyengiao.org.scope import Action, can
from tuyengiao.text import format_number, format_percent
from tuyengiao.text.extract import Extraction, extract

from . import queries, recording
from .forms import ReadForm


def _marked(extraction: Extraction) -> list[tuple[str, str]]:
    """The text cut into (piece, kind): kind "" for plain text, else "ref", "ratio",
    "ratio-bad" (its stated percentage does not match its numbers) or "percent". A reference
    wins over a ratio, a ratio over the percentage it holds."""
    chosen: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e, _k in chosen)

    for r in extraction.doc_refs:
        chosen.append((r.start, r.end, "ref"))
    for q in extraction.ratios:
        if free(q.start, q.end):
            chosen.append((q.start, q.end, "ratio-bad" if q.consistent is False else "ratio"))
    for p in extraction.percents:
        if free(p.start, p.end):
            chosen.append((p.start, p.end, "percent"))
    chosen.sort()
    text, pieces, at = extraction.text, [], 0
    for start, end, kind in chosen:
        if start > at:
            pieces.append((text[at:start], ""))
        pieces.append((text[start:end], kind))
        at = end
    if at < len(text):
        pieces.append((text[at:], ""))
    return pieces


def _shown(value: Decimal) -> str:
    """A number as written, Vietnamese style: 24193 -> "24.193", 98.3 -> "98,3"."""
    exponent = value.as_tuple().exponent
    return format_number(value, -exponent if isinstance(exponent, int) and exponent < 0 else 0)


def read(request):
    """Đọc văn bản: staff and above (those who record work); a viewer gets 403."""
    if not can(request.user, Action.CHANGE):
        raise PermissionDenied
    form = ReadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        extraction = extract(form.cleaned_data["text"])
        registered = queries.registered_for(request.user, extraction.doc_refs)
        new = reverse("directives:new")
        context.update(
            extraction=extraction,
            pieces=_marked(extraction),
            refs=[
                (ref, registered.get(ref.symbol), f"{new}?symbol={ref.symbol}")
                for ref in extraction.doc_refs
            ],
            ratios=[
                {
                    "ratio": r,
                    "actual": _shown(r.actual),
                    "planned": _shown(r.planned),
                    "computed": format_percent(r.percent),
                    "stated": "" if r.percent_stated is None else _shown(r.percent_stated) + "%",
                }
                for r in extraction.ratios
            ],
            inconsistent=sum(1 for r in extraction.ratios if r.consistent is False),
            record_choices=recording.choices(request.user) if extraction.ratios else [],
        )
    return render(request, "narratives/read.html", context)


@require_POST
def record(request):
    """Ghi vào báo cáo số liệu: one figure of the text (actual, planned) into a report the user
    may change now, as a draft; errors go back to the reading page as a message."""
    if not can(request.user, Action.CHANGE):
        raise PermissionDenied
    data = request.POST
    try:
        choice = recording.chosen(
            request.user, data.get("choice", ""), data.get("actual", ""), data.get("planned", "")
        )
        broken = report_save(
            actor=request.user,
            report=choice.report,
            entries=choice.entries,
            version=choice.report.version,
        )
    except (ValidationError, StaleReport) as exc:
        for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
            messages.error(request, message)
        return redirect("narratives:read")
    messages.success(
        request,
        _(
            "Đã ghi số liệu của văn bản vào báo cáo %(report)s (đang nhập). Hãy kiểm tra rồi gửi "
            "báo cáo."
        )
        % {"report": choice.report},
    )
    for violation in broken:
        messages.warning(request, violation.message)
    return redirect("figures:report", pk=choice.report.pk)
