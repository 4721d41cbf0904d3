"""The files of a narrative report, made with the document toolkit (`reports/`): the report
as a Party document (DOCX, Hướng dẫn 36-HD/VPTW), its tables as a workbook (XLSX).

Both take one version of a report the user may see (queries.report_for) and write nothing else.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tuyengiao.reports import charts, docx, party, xlsx
from tuyengiao.text import search_key

from .drafting import section_text, subject
from .models import NarrativeReport, NarrativeVersion

SIGNER_ROLE = "K/T TRƯỞNG BAN"
SIGNER_TITLE = "PHÓ TRƯỞNG BAN"
CHART_BARS = 12  # a chart of the indicators against plan when there are not more than this


def stem(report: NarrativeReport) -> str:
    words = f"bao cao {report.period} {report.unit.name}".replace("/", " ")
    return "-".join(search_key(words).split()) or "bao-cao"


def symbol_of(report: NarrativeReport) -> str:
    """ "Số 12-BC/BTGDVTU": a number typed alone ("12") takes the office's symbol."""
    head = party.letterhead(report.unit)
    number = report.number.strip()
    if number and number.isdigit():
        number = f"{number}-BC/{head.abbreviation}" if head.abbreviation else f"{number}-BC"
    return party.symbol_of(number, head.abbreviation)


def _chart(table: dict) -> docx.Image | None:
    rows = table.get("chart") or []
    if not rows or len(rows) > CHART_BARS:
        return None
    png = charts.draw(
        [r[0] for r in rows],
        [
            charts.Series(_("Thực hiện"), [r[1] for r in rows]),
            charts.Series(_("Kế hoạch"), [r[2] for r in rows], planned=True),
        ],
        "png",
        kind="bars",
        legend="below",
        dpi=150,
    )
    return docx.Image(png, width_cm=docx.TEXT_WIDTH_CM)


def _tables(section: dict) -> list:
    items: list = []
    if not section.get("kept", True):
        return items
    for table in section.get("tables", []):
        items.append(
            docx.Table(headers=table["headers"], rows=table["rows"], caption=table["caption"])
        )
        chart = _chart(table)
        if chart is not None:
            items.append(chart)
    return items


def report_document(
    report: NarrativeReport, version: NarrativeVersion, *, today: date
) -> docx.PartyDocument:
    head = party.letterhead(report.unit)
    sections = []
    for s in version.sections:
        text = section_text(s)
        items: list = [text] if text.strip() else []
        sections.append(docx.Section(s.get("heading", ""), items + _tables(s)))
    return docx.PartyDocument(
        superior=head.superior,
        issuer=head.issuer,
        symbol=symbol_of(report),
        place=head.place,
        date=report.sent_on or today,
        kind="BÁO CÁO",
        title=subject(report.period_obj),
        sections=sections,
        recipients=party.recipients(report.unit),
        signer_role=SIGNER_ROLE,
        signer_title=SIGNER_TITLE,
    )


def report_docx(report: NarrativeReport, version: NarrativeVersion, *, today: date) -> bytes:
    return docx.render(report_document(report, version, today=today))


def report_workbook(report: NarrativeReport, version: NarrativeVersion, *, today: date) -> bytes:
    """Every kept table of the version on a sheet of its own (a sheet saying there is none
    when the report keeps no table)."""
    book = xlsx.new_workbook()
    period = report.period_obj.label
    number = 0
    for s in version.sections:
        if not s.get("kept", True):
            continue
        for table in s.get("tables", []):
            number += 1
            sheet = book.create_sheet(f"{number}")
            row = xlsx.title_rows(sheet, table["caption"], report.unit.name, period, day=today)
            xlsx.header_row(sheet, row, table["headers"])
            for values in table["rows"]:
                xlsx.add_row(sheet, values)
            xlsx.set_up(sheet)
    if not number:
        sheet = book.create_sheet("1")
        xlsx.title_rows(sheet, _("Báo cáo không giữ bảng số liệu nào."), report.unit.name, period)
    return xlsx.workbook_bytes(book)
