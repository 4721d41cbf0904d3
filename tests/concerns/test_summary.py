"""The periodic summary: a draft written from the data, saved, and exported to DOCX and XLSX.

The data are those of test_stats: week 47 (16/11–22/11/2026) has five reports in Tỉnh A (two
on land, two on the environment, one on health), week 46 has seven; four concerns fell due in
week 47, one resolved in time; one is overdue at Xã Ngân Sơn. Tỉnh B's never show.
"""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from tuyengiao.concerns import summary
from tuyengiao.concerns.models import Urgency
from tuyengiao.concerns.services import summary_save
from tuyengiao.concerns.stats import Week
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
        "Trong tuần (từ 16/11 đến 22/11/2026), cộng tác viên phản ánh 5 vấn đề (giảm 2 so với "
        "tuần trước), tập trung vào: đất đai, bồi thường, giải phóng mặt bằng (2); môi trường "
        "(2); y tế, bảo hiểm (1)."
    )
    assert "Địa bàn có nhiều phản ánh: Xã Hoà An (3); Xã Ngân Sơn (1)." in lines
    assert "II. KẾT QUẢ TIẾP NHẬN, XỬ LÝ" in lines and "III. ĐỀ XUẤT, KIẾN NGHỊ" in lines
    # c1..c4 fell due in the week (16/11 to 22/11); c1 was resolved in time
    assert "1/4 vấn đề được giải quyết đúng hạn (25,00%)" in text
    assert "Hiện còn 1 vấn đề quá hạn trả lời: Xã Ngân Sơn (1)." in lines
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
        "Lĩnh vực được phản ánh tăng so với trung bình bốn tuần trước: đất đai, bồi thường, giải "
        "phóng mặt bằng (3, trước đó không có phản ánh)."
    ) in text
    assert "Có 1 phản ánh khẩn: “Sạt lở đê” (Xã Hoà An)." in text
    assert "các vấn đề về đất đai, bồi thường, giải phóng mặt bằng tại Xã Hoà An." in text


def test_the_monthly_draft_and_an_empty_week(world, reports, concerns):
    text = _draft(world, "month", NOVEMBER)
    assert text.splitlines()[1].startswith(
        "Trong tháng, cộng tác viên phản ánh 12 vấn đề (tăng 12 so với tháng trước)"
    )
    assert "1/4 vấn đề được giải quyết đúng hạn (25,00%)" in text
    assert "thời gian giải quyết trung vị 7,1 ngày" in text
    empty = _draft(world, "week", W47.shifted(-10))
    assert "cộng tác viên không phản ánh vấn đề nào (bằng tuần trước)" in empty
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
    heading = document.tables[0]
    assert heading.cell(0, 0).paragraphs[0].text == "TỈNH A"
    assert heading.cell(0, 0).paragraphs[1].text == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
    assert heading.cell(1, 0).text == "Số 12-BC/BTGDVTU"
    assert heading.cell(1, 1).text == "A, ngày 25 tháng 11 năm 2026"
    assert "BÁO CÁO" in texts
    assert "tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026" in texts
    assert "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI" in texts and "PHỤ LỤC SỐ LIỆU" in texts
    table = document.tables[1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["Địa bàn", "Đất đai", "Môi trường", "Y tế", "Tổng số"]
    assert rows[1] == ["Xã Hoà An", "2", "1", "0", "3"]
    assert rows[-1] == ["Tổng cộng: Tỉnh A", "2", "2", "1", "5"]
    assert len(document.inline_shapes) == 1  # the weekly chart
    closing = document.tables[-1].cell(0, 0).text
    assert "Thường trực Tỉnh A" in closing and "Lưu Văn phòng." in closing


def test_the_xlsx_holds_the_text_and_the_tables(world, reports, concerns):
    content = summary.summary_workbook(world.province, "week", W47, _draft(world))
    book = load_workbook(BytesIO(content))
    assert book.sheetnames == [
        "Báo cáo",
        "Theo địa bàn",
        "Theo tuần",
        "Lĩnh vực tăng",
        "Giải quyết",
    ]
    assert book["Báo cáo"]["A4"].value == "I. TÌNH HÌNH DƯ LUẬN XÃ HỘI"
    places = book["Theo địa bàn"]
    assert [c.value for c in places[4]] == ["Địa bàn", "Đất đai", "Môi trường", "Y tế", "Tổng số"]
    assert [c.value for c in places[5]] == ["Xã Hoà An", 2, 1, 0, 3]
    assert [c.value for c in places[8]] == ["Tổng cộng: Tỉnh A", 2, 2, 1, 5]
    weeks = book["Theo tuần"]
    assert weeks["I4"].value == "Tuần 47 (16/11–22/11/2026)"
    assert weeks["H8"].value == 7 and weeks["I8"].value == 5  # weeks 46 and 47, in total
    assert len(weeks._images) == 1
    resolution = book["Giải quyết"]
    total = [c.value for c in resolution[resolution.max_row]]
    assert total[:4] == ["Tổng cộng: Tỉnh A", 4, 1, 0.25]
    assert resolution.cell(resolution.max_row, 4).number_format == "0.00%"
