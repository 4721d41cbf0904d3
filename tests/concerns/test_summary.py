"""The periodic summary: a draft written from the data, saved, and exported to DOCX and XLSX.

The data are those of test_stats: week 47 (16/11–22/11/2026) has five reports in Tỉnh A (two
on land, two on the environment, one on health), week 46 has seven; four concerns fell due in
week 47, one resolved in time; one is overdue at Xã Ngân Sơn. Tỉnh B's never show.
"""

from datetime import date
from io import BytesIO
from types import SimpleNamespace

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.reports.sheets import INJECTION, assert_inert, assert_set_up
from tuyengiao.concerns import summary, workbook
from tuyengiao.concerns.models import Urgency
from tuyengiao.concerns.services import summary_save
from tuyengiao.concerns.stats import Locality, Week
from tuyengiao.periods import Period

from .test_stats import W47, build_concerns, build_reports, sent, vn

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)
NOVEMBER = Period.parse("2026-11")


@pytest.fixture
def reports(world, collaborator2):
    build_reports(world, collaborator2)


@pytest.fixture
def concerns(world, collaborator2):
    build_concerns(world, collaborator2)


def _draft(world, kind="week", span=W47):
    return summary.draft(summary.facts(world.province, kind, span, today=TODAY))


def test_titles_and_periods():
    assert summary.title_of("week", W47) == "tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026"
    assert summary.title_of("month", NOVEMBER) == "tình hình dư luận xã hội tháng 11/2026"
    new_year = Week(date(2025, 12, 29))
    assert summary.span_text("week", new_year) == "tuần từ 29/12/2025 đến 04/01/2026"
    assert summary.span_of("week", date(2026, 11, 19)) == W47
    assert summary.span_of("month", date(2026, 11, 19)) == NOVEMBER
    assert [w.number for w in summary.chart_weeks("month", NOVEMBER)] == [44, 45, 46, 47, 48, 49]
    assert len(summary.chart_weeks("week", W47)) == 8


def test_the_weekly_draft_tells_the_numbers(world, reports, concerns):
    text = _draft(world)
    lines = text.splitlines()
    assert lines[0] == "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI"
    assert lines[1] == (
        "Trong tuần (từ 16/11 đến 22/11/2026), đội ngũ cộng tác viên dư luận xã hội đã gửi 5 "
        "phản ánh, giảm 2 phản ánh so với tuần trước (7 phản ánh); tập trung vào các lĩnh vực: "
        "đất đai, bồi thường, giải phóng mặt bằng (2); môi trường (2); y tế, bảo hiểm (1)."
    )
    # the province manager's own report is at the province itself
    assert lines[2] == (
        "Phản ánh đến từ 2 địa bàn: Xã Hoà An (3); Xã Ngân Sơn (1); ngoài ra, 1 phản ánh ghi "
        "nhận chung tại Tỉnh A."
    )
    # đất đai: 2 this week against 1 in the four weeks before (0,25 a week)
    assert lines[3] == (
        "Lĩnh vực được phản ánh tăng rõ so với trung bình bốn tuần trước: đất đai, bồi thường, "
        "giải phóng mặt bằng (2 phản ánh, gấp 8 lần mức trung bình 0,25 phản ánh mỗi tuần)."
    )
    assert "II. KẾT QUẢ TIẾP NHẬN, XỬ LÝ" in lines and "III. ĐỀ XUẤT, KIẾN NGHỊ" in lines
    # c1..c4 fell due in the week (16/11 to 22/11); c1 was resolved in time
    assert (
        "Với các vấn đề có hạn trả lời trong tuần: 1/4 vấn đề đến hạn được giải quyết đúng hạn "
        "(đạt 25,00%); 2/4 vấn đề được trả lời đúng hạn (đạt 50,00%)."
    ) in lines
    assert (
        "Hiện còn 1 vấn đề đã quá hạn mà cơ quan chịu trách nhiệm chưa trả lời: Xã Ngân Sơn (1)."
    ) in lines
    assert "- Đề nghị Xã Ngân Sơn khẩn trương trả lời các vấn đề đã quá hạn." in lines
    assert "Tỉnh B" not in text


def test_rising_topics_and_urgent_reports_are_named(world):
    ctv = world.collaborator
    for day in (16, 17, 18):
        sent(ctv, vn(2026, 11, day, 9), code="dat-dai", title="Đền bù chậm")
    urgent = sent(ctv, vn(2026, 11, 19, 9), title="Sạt lở đê")
    urgent.__class__.objects.filter(pk=urgent.pk).update(urgency=Urgency.URGENT)
    text = _draft(world)
    assert (
        "Lĩnh vực được phản ánh tăng rõ so với trung bình bốn tuần trước: đất đai, bồi thường, "
        "giải phóng mặt bằng (3 phản ánh, bốn tuần trước không có)."
    ) in text
    assert "Phản ánh đến từ 1 địa bàn: Xã Hoà An (4)." in text
    assert "Có 1 phản ánh khẩn: “Sạt lở đê” (Xã Hoà An)." in text
    assert "các vấn đề về đất đai, bồi thường, giải phóng mặt bằng tại Xã Hoà An." in text


def test_the_monthly_draft_and_an_empty_week(world, reports, concerns):
    text = _draft(world, "month", NOVEMBER)
    assert text.splitlines()[1].startswith(
        "Trong tháng, đội ngũ cộng tác viên dư luận xã hội đã gửi 12 phản ánh, tháng trước không "
        "có phản ánh nào; tập trung vào các lĩnh vực: môi trường (8);"
    )
    assert "1/4 vấn đề đến hạn được giải quyết đúng hạn (đạt 25,00%)" in text
    assert (
        "Thời gian trung vị tính từ phản ánh đầu tiên đến khi có trả lời là 7 ngày, đến khi "
        "giải quyết xong là 7,1 ngày."
    ) in text
    empty = _draft(world, "week", W47.shifted(-10))
    assert (
        "Trong tuần (từ 07/09 đến 13/09/2026), cộng tác viên không gửi phản ánh nào; tuần trước "
        "cũng không có phản ánh nào."
    ) in empty
    assert "Không có vấn đề nào quá hạn trả lời." not in empty  # c4 is overdue today


def test_saved_text_is_what_exports_use(world, reports):
    text, saved = summary.text_for(world.province, "week", W47)
    assert saved is None and text.startswith("I. TÌNH HÌNH DƯ LUẬN XÃ HỘI")
    summary_save(
        actor=world.province_manager,
        unit=world.province,
        kind="week",
        start=W47.start,
        end=W47.end,
        text="I. Tình hình\nĐã chỉnh sửa.",
    )
    text, saved = summary.text_for(world.province, "week", W47)
    assert saved is not None and text == "I. Tình hình\nĐã chỉnh sửa."


def test_sections_from_the_text():
    sections = summary.sections_of("Mở đầu.\nI. MỘT\nĐoạn 1.\n\nĐoạn 2.\nII. HAI\n- Ý a.")
    assert [(s.heading, s.paragraphs) for s in sections] == [
        ("", ["Mở đầu."]),
        ("I. MỘT", ["Đoạn 1.", "Đoạn 2."]),
        ("II. HAI", ["- Ý a."]),
    ]


def test_the_docx_is_a_party_document_with_the_table_and_chart(world, reports, concerns):
    content = summary.summary_docx(
        world.province, "week", W47, _draft(world), symbol="12-BC/BTGDVTU", today=TODAY
    )
    document = Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    heading, closing, table = document.tables
    # the committee above the office, the office without "Tỉnh ủy A" (Hướng dẫn 36-HD/VPTW)
    assert heading.cell(0, 0).paragraphs[0].text == "TỈNH ỦY A"
    assert heading.cell(0, 0).paragraphs[1].text == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert heading.cell(1, 0).text == "Số 12-BC/BTGDVTU"
    assert heading.cell(1, 1).text == "A, ngày 25 tháng 11 năm 2026"
    assert "BÁO CÁO" in texts
    assert "tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026" in texts
    assert "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI" in texts
    recipients = closing.cell(0, 0).text
    assert "Ban Tuyên giáo và Dân vận Trung ương (b/c)" in recipients
    assert "Thường trực Tỉnh ủy A (b/c)" in recipients and "Lưu Văn phòng." in recipients
    assert [t for t in (p.text for p in closing.cell(0, 1).paragraphs) if t] == ["TRƯỞNG BAN"]
    # the appendix follows the signature, on a page of its own
    start = texts.index("PHỤ LỤC")
    assert document.paragraphs[start].paragraph_format.page_break_before
    assert texts[start + 1 : start + 3] == [
        "Số liệu tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026",
        "(Kèm theo Báo cáo số 12-BC/BTGDVTU, ngày 25/11/2026 của Ban Tuyên giáo và Dân vận)",
    ]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Địa bàn", "Đất đai", "Môi trường", "Y tế", "Tổng số"]
    assert rows[1] == ["Xã Hoà An", "2", "1", "0", "3"]
    assert rows[-1] == ["Tổng cộng: Tỉnh A", "2", "2", "1", "5"]
    assert len(document.inline_shapes) == 1  # the weekly chart
    assert any(t.startswith("Biểu đồ: Số phản ánh theo tuần") for t in texts)


def test_the_party_header_of_a_commune_and_an_unnumbered_report(world, reports):
    # a commune without its own office: the default office, the province's office above it
    # (the conventions themselves: tests/reports/test_party.py)
    content = summary.summary_docx(world.commune, "week", W47, "I. MỘT\nHai.", today=TODAY)
    document = Document(BytesIO(content))
    heading, closing = document.tables[:2]
    assert heading.cell(0, 0).paragraphs[0].text == "ĐẢNG ỦY XÃ HOÀ AN"
    assert heading.cell(0, 0).paragraphs[1].text == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert heading.cell(1, 0).text == "Số       -BC"
    assert "- Thường trực Đảng ủy xã Hoà An (b/c)," in closing.cell(0, 0).text
    assert "(Kèm theo Báo cáo số       , ngày 25/11/2026" in "\n".join(
        p.text for p in document.paragraphs
    )


def test_where_the_reports_came_from_names_the_places_with_most():
    unit = SimpleNamespace(name="Tỉnh A")

    def facts(*counts, own=0):
        places = [(Locality(SimpleNamespace(name=f"Xã {i}")), n) for i, n in enumerate(counts)]
        if own:
            places.append((Locality(unit, own=True), own))
        return SimpleNamespace(unit=unit, places=places)

    many = summary._places_sentence(facts(5, 3, 2, 1, 1, 1, 1))
    assert many == "Phản ánh đến từ 7 địa bàn, nhiều nhất là: Xã 0 (5); Xã 1 (3); Xã 2 (2)."
    assert summary._places_sentence(facts(*[1] * 6)) == (
        "Phản ánh đến từ 6 địa bàn, mỗi địa bàn 1 phản ánh."
    )
    assert summary._places_sentence(facts(own=2)) == "Có 2 phản ánh ghi nhận chung tại Tỉnh A."


def test_the_xlsx_holds_the_text_and_the_tables(world, reports, concerns):
    content = workbook.summary_workbook(world.province, "week", W47, _draft(world), day=TODAY)
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == [
        "Báo cáo",
        "Theo địa bàn",
        "Theo tuần",
        "Lĩnh vực tăng",
        "Giải quyết",
    ]
    assert book["Báo cáo"]["A4"].value == "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI"
    assert book["Báo cáo"]["A2"].value.endswith("· Xuất ngày 25/11/2026")  # as of TODAY
    places = book["Theo địa bàn"]
    assert [c.value for c in places[4]] == ["Địa bàn", "Đất đai", "Môi trường", "Y tế", "Tổng số"]
    assert [c.value for c in places[5]] == ["Xã Hoà An", 2, 1, 0, 3]
    assert [c.value for c in places[8]] == ["Tổng cộng: Tỉnh A", 2, 2, 1, 5]
    # every place, empty ones too, with Excel's filter over them (not over the total)
    assert places.auto_filter.ref == "A4:E7" and places.freeze_panes == "B5"
    assert places.print_title_rows == "$4:$4" and places.page_setup.paperSize == 9  # A4
    assert places.page_setup.orientation == "portrait"  # three topics fit an upright page
    weeks = book["Theo tuần"]
    assert weeks.page_setup.orientation == "landscape"  # eight weeks do not
    assert weeks["I4"].value == "Tuần 47 (16/11–22/11/2026)"
    assert weeks["H8"].value == 7 and weeks["I8"].value == 5  # weeks 46 and 47, in total
    assert len(weeks._images) == 1
    resolution = book["Giải quyết"]
    total = [c.value for c in resolution[resolution.max_row]]
    assert total[:4] == ["Tổng cộng: Tỉnh A", 4, 1, 0.25]
    assert resolution.cell(resolution.max_row, 4).number_format == "0.00%"


def test_the_xlsx_writes_the_text_as_typed_and_is_set_up(world, reports):
    """Lines of the saved text that look like formulas stay text; every table sheet says what,
    where and when and prints with its header."""
    text = f"I. TÌNH HÌNH\n{INJECTION}\n- Đề nghị giải quyết.\n+ thêm\n@ghi chú"
    content = workbook.summary_workbook(world.province, "week", W47, text, day=TODAY)
    assert_inert(content, INJECTION, "- Đề nghị giải quyết.", "+ thêm", "@ghi chú")
    book = load_workbook(BytesIO(content))
    report = book["Báo cáo"]
    assert report["A1"].value == "Báo cáo tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026"
    assert report["A2"].value == ("Tỉnh A · tuần từ 16/11 đến 22/11/2026 · Xuất ngày 25/11/2026")
    assert [report[f"A{n}"].value for n in range(4, 9)] == text.splitlines()
    assert report["A4"].font.b and not report["A5"].font.b
    assert report.page_setup.paperSize == 9 and report.page_setup.orientation == "portrait"
    for sheet in book.worksheets[1:]:
        assert_set_up(sheet)
