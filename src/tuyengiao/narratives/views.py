"""The reading page: paste a text or upload a Word document, see the references to Party
documents, the plan-against-actual figures and the percentages it holds (text/extract.py)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from tuyengiao.org.scope import Action, can
from tuyengiao.text import format_number, format_percent
from tuyengiao.text.extract import Extraction, extract

from . import queries
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
        )
    return render(request, "narratives/read.html", context)
