"""The report as a Party document (Hướng dẫn 36-HD/VPTW), read back with python-docx, and its
tables as a workbook; converted to PDF by LibreOffice when it is installed."""

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from io import BytesIO

import docx
import pytest
from docx.shared import Pt
from openpyxl import load_workbook

from tests.clock import on_day
from tests.narratives.conftest import report_of, work
from tuyengiao.narratives import documents, services
from tuyengiao.narratives.queries import version_of
from tuyengiao.periods import Period

SENT = date(2027, 1, 5)


@pytest.fixture
def sent_report(schedule):
    world = schedule
    work(world)
    services.narratives_schedule(SENT)  # the fourth quarter's reports
    report = report_of(world.commune, period=Period.parse("2026Q4"))
    services.narrative_draft(actor=world.commune_staff, report=report, today=SENT)
    services.narrative_send(actor=world.commune_staff, report=report, number="12", today=SENT)
    return report_of(world.commune, period=report.period_obj)


def _docx(report) -> docx.document.Document:
    content = documents.report_docx(report, version_of(report), today=SENT)
    return docx.Document(BytesIO(content))


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


@on_day("2027-01-05")
def test_the_docx_has_every_element_of_the_party_layout(sent_report):
    document = _docx(sent_report)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (20, 20)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    header = document.tables[0]
    party = header.cell(0, 1).paragraphs[0]
    assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM" and party.runs[0].bold
    assert party.text == party.text.upper()
    symbol = header.cell(1, 0).paragraphs[0].text
    # no colon after "Số"; the office's abbreviation follows when the committee has one
    assert re.fullmatch(r"Số 12-BC(/\S+)?", symbol)
    place_date = header.cell(1, 1).paragraphs[0]
    assert place_date.text.endswith("ngày 05 tháng 01 năm 2027")
    assert place_date.runs[0].italic
    texts = [p.text for p in document.paragraphs]
    kind = texts.index("BÁO CÁO")
    assert document.paragraphs[kind].runs[0].bold
    assert document.paragraphs[kind].runs[0].font.size == Pt(16)
    assert texts[kind + 1] == (
        "Kết quả công tác tuyên giáo và dân vận quý IV/2026 và phương hướng, nhiệm vụ quý I/2027"
    )
    headings = [p.text for p in document.paragraphs if p.runs and p.runs[0].bold]
    assert any(h.startswith("Phần thứ nhất") for h in headings)
    assert "I. KẾT QUẢ ĐẠT ĐƯỢC" in headings
    assert "II. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN" in headings
    assert any(h.startswith("Phần thứ hai") for h in headings)
    closing = document.tables[-1]
    assert _texts(closing.cell(0, 0))[0] == "Nơi nhận:"
    signer = [t for t in _texts(closing.cell(0, 1)) if t]
    assert signer[:2] == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"]


@on_day("2027-01-05")
def test_a_dropped_table_is_left_out_and_kept_ones_go_to_the_workbook(sent_report, schedule):
    world = schedule
    report = report_of(world.commune2, period=sent_report.period_obj)
    version = services.narrative_draft(actor=world.province_manager, report=report, today=SENT)
    with_tables = [s for s in version.sections if s["tables"]]
    book = load_workbook(BytesIO(documents.report_workbook(report, version, today=SENT)))
    assert len(book.sheetnames) == max(1, sum(len(s["tables"]) for s in with_tables))
    if with_tables:
        edits = [{"key": s["key"], "kept": False} for s in with_tables]
        version = services.version_save(actor=world.province_manager, report=report, edits=edits)
        book = load_workbook(BytesIO(documents.report_workbook(report, version, today=SENT)))
        assert book.sheetnames == ["1"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@on_day("2027-01-05")
def test_libreoffice_opens_it_and_the_first_page_reads_right(sent_report, tmp_path):
    source = tmp_path / "bao-cao.docx"
    source.write_bytes(documents.report_docx(sent_report, version_of(sent_report), today=SENT))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.exists()
    if shutil.which("pdftotext") is None:
        return
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # justified lines come back with wider spaces; accents may come back decomposed
    first = " ".join(unicodedata.normalize("NFC", first).split())
    for text in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-BC",
        "ngày 05 tháng 01 năm 2027",
        "BÁO CÁO",
        "Phần thứ nhất",
    ):
        assert text in first, text
