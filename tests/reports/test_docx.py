import datetime
import struct
import zlib
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tuyengiao.reports.docx import (
    Image,
    PartyDocument,
    Section,
    Table,
    format_cell,
    place_date,
    render,
)


def _png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = b"".join(b"\x00" + b"\xc0\x10\x10" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _report(**changes: object) -> PartyDocument:
    values: dict[str, object] = {
        "superior": "Đảng bộ tỉnh Bắc Ninh",
        "issuer": "Ban Tuyên giáo và Dân vận",
        "symbol": "Số 12-BC/BTGDVTU",
        "place": "Bắc Ninh",
        "date": datetime.date(2026, 1, 5),
        "kind": "Báo cáo",
        "title": "tình hình dư luận xã hội tuần từ 29/12/2025 đến 04/01/2026",
        "sections": [
            Section(
                "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI",
                [
                    "Dư luận quan tâm đến giá điện.\n- Ý kiến về giá điện mùa lạnh;\n"
                    "- Ý kiến về tiến độ làm đường.",
                    Table(
                        headers=["Xã, phường", "Số ý kiến", "Tỷ lệ (%)"],
                        rows=[
                            ["Phường Kinh Bắc", 24193, 98.3216],
                            ["Xã Yên Phong", 7, None],
                            ["Tổng", 24200, Decimal("100.0")],
                        ],
                        caption="Bảng 1. Ý kiến theo địa bàn",
                        widths_cm=[8, 4, 4],
                        total_row=True,
                    ),
                ],
            ),
            Section(
                "II. NHIỆM VỤ TUẦN TỚI",
                [Image(_png(), width_cm=10, caption="Biểu đồ 1. Số ý kiến theo ngày")],
            ),
        ],
        "recipients": ["- Ban Tuyên giáo và Dân vận Trung ương (b/c),", "- Lưu Văn phòng."],
        "signer_name": "Nguyễn Văn An",
    }
    values.update(changes)
    return PartyDocument(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def document() -> docx.document.Document:
    return docx.Document(BytesIO(render(_report())))


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs]


def test_page_is_a4_with_party_margins(document) -> None:
    section = document.sections[0]

    def mm(*lengths):  # Word stores twentieths of a point, so millimetres come back rounded
        return tuple(round(length.mm, 1) for length in lengths)

    assert mm(section.page_width, section.page_height) == (210, 297)
    assert mm(section.top_margin, section.bottom_margin) == (20, 20)
    assert mm(section.left_margin, section.right_margin) == (30, 15)


def test_text_is_times_new_roman_14_for_every_script(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{script}")) == "Times New Roman"
    body = next(p for p in document.paragraphs if p.text.startswith("Dư luận"))
    assert body.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.style.paragraph_format.first_line_indent is not None
    assert all(run.font.name is None for run in body.runs)


def test_first_page_header_names_issuer_party_and_date(document) -> None:
    header = document.tables[0]
    left = _texts(header.cell(0, 0)) + _texts(header.cell(1, 0))
    right = _texts(header.cell(0, 1)) + _texts(header.cell(1, 1))
    assert left == ["ĐẢNG BỘ TỈNH BẮC NINH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "*", "Số 12-BC/BTGDVTU"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Bắc Ninh, ngày 05 tháng 01 năm 2026"]
    party = header.cell(0, 1).paragraphs[0].runs[0]
    assert party.bold and party.underline and party.font.size == Pt(15)
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert header.cell(1, 1).paragraphs[0].runs[0].italic


def test_kind_and_title_follow_the_header(document) -> None:
    texts = [p.text for p in document.paragraphs]
    start = texts.index("BÁO CÁO")
    assert texts[start + 1 : start + 3] == [
        "tình hình dư luận xã hội tuần từ 29/12/2025 đến 04/01/2026",
        "-----",
    ]
    assert document.paragraphs[start].runs[0].bold


def test_sections_split_lines_into_paragraphs(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI" in texts
    assert "II. NHIỆM VỤ TUẦN TỚI" in texts
    assert "- Ý kiến về giá điện mùa lạnh;" in texts
    assert "- Ý kiến về tiến độ làm đường." in texts


def test_tables_show_vietnamese_numbers_right_aligned(document) -> None:
    table = document.tables[1]
    assert table.style.name == "Table Grid"
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells == [
        ["Xã, phường", "Số ý kiến", "Tỷ lệ (%)"],
        ["Phường Kinh Bắc", "24.193", "98,32"],
        ["Xã Yên Phong", "7", ""],
        ["Tổng", "24.200", "100,0"],
    ]
    number = table.cell(1, 1).paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.cell(1, 0).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.cell(0, 0).paragraphs[0].runs[0].bold
    assert table.cell(3, 1).paragraphs[0].runs[0].bold
    assert not table.cell(2, 1).paragraphs[0].runs[0].bold
    assert "Bảng 1. Ý kiến theo địa bàn" in [p.text for p in document.paragraphs]


def test_image_is_inline_with_caption(document) -> None:
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Mm(100)
    texts = [p.text for p in document.paragraphs]
    assert "Biểu đồ 1. Số ý kiến theo ngày" in texts


def test_closing_block_lists_recipients_and_signer(document) -> None:
    closing = document.tables[-1]
    assert _texts(closing.cell(0, 0)) == [
        "Nơi nhận:",
        "- Ban Tuyên giáo và Dân vận Trung ương (b/c),",
        "- Lưu Văn phòng.",
    ]
    signer = [text for text in _texts(closing.cell(0, 1)) if text]
    # a ban is signed by its head; "T/M" is for collective bodies
    assert signer == ["TRƯỞNG BAN", "Nguyễn Văn An"]
    deputy = render(_report(signer_role="K/T TRƯỞNG BAN", signer_title="PHÓ TRƯỞNG BAN"))
    signer = [t for t in _texts(docx.Document(BytesIO(deputy)).tables[-1].cell(0, 1)) if t]
    assert signer == ["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn An"]


def test_the_header_blocks_fit_the_text_width_with_narrow_cell_margins(document) -> None:
    header = document.tables[0]
    widths = [round(cell.width.cm, 2) for cell in header.rows[0].cells]
    assert widths == [7.9, 8.6] and sum(widths) <= 16.5
    margins = header._tbl.tblPr.find(qn("w:tblCellMar"))
    assert margins is not None and margins.find(qn("w:left")).get(qn("w:w")) == "28"


def test_an_appendix_follows_the_signature_on_a_page_of_its_own() -> None:
    table = Table(headers=["Địa bàn", "Số"], rows=[["Xã A", 3], ["Tổng", 3]], total_row=True)
    content = render(
        _report(
            appendix=[Section("", [table, Image(_png(), caption="Biểu đồ")])],
            appendix_title="Số liệu tuần 1",
            appendix_note="(Kèm theo Báo cáo số 12-BC/BTGDVTU)",
        )
    )
    document = docx.Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("PHỤ LỤC")
    assert texts[start + 1 : start + 3] == ["Số liệu tuần 1", "(Kèm theo Báo cáo số 12-BC/BTGDVTU)"]
    assert document.paragraphs[start].paragraph_format.page_break_before
    # header, the section's table, the closing block, then the appendix and its table
    body = list(document.element.body)
    assert [child.tag.rsplit("}", 1)[1] for child in body].count("tbl") == 4
    assert body.index(document.tables[2]._tbl) < body.index(document.paragraphs[start]._p)
    assert "Nơi nhận:" in document.tables[2].cell(0, 0).text
    assert document.tables[-1].cell(1, 0).text == "Xã A" and len(document.inline_shapes) == 2


def test_pages_are_numbered_at_the_top_except_the_first(document) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.is_linked_to_previous is False
    assert "PAGE" not in section.first_page_header._element.xml
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = header._p.findall(f".//{qn('w:instrText')}")
    assert [i.text.strip() for i in instructions] == ["PAGE"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (datetime.date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        (datetime.date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
        (datetime.date(2026, 11, 23), "Hà Nội, ngày 23 tháng 11 năm 2026"),
    ],
)
def test_place_date_pads_days_below_ten_and_months_one_and_two(day, expected) -> None:
    assert place_date("Hà Nội", day) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ("", False)),
        (24193, ("24.193", True)),
        (98.3216, ("98,32", True)),
        (Decimal("12.5"), ("12,5", True)),
        ("98,32%", ("98,32%", True)),
        ("Phường Kinh Bắc", ("Phường Kinh Bắc", False)),
    ],
)
def test_format_cell(value, expected) -> None:
    assert format_cell(value) == expected


def test_rows_of_the_wrong_length_are_refused() -> None:
    bad = Table(headers=["A", "B"], rows=[["x"]])
    with pytest.raises(ValueError, match="Row 1"):
        render(_report(sections=[Section("I. X", [bad])]))


def test_an_unnumbered_document_without_signer_name_renders() -> None:
    content = render(_report(symbol="Số     -BC/BTGDVTU", signer_name="", sections=[]))
    document = docx.Document(BytesIO(content))
    assert document.tables[0].cell(1, 0).text == "Số     -BC/BTGDVTU"
    assert "Nguyễn Văn An" not in document.tables[-1].cell(0, 1).text
