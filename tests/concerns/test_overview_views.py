"""The overview page, its chart and workbook, and the periodic summaries' pages and exports.

Scope: a unit outside one's subtree is a 404, a collaborator (who sees only their own reports)
gets 403, a read-only account reads but does not draft or save.
"""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.factories import UnitFactory, UserFactory
from tests.reports.sheets import INJECTION, assert_inert, assert_set_up
from tuyengiao.concerns.models import Summary
from tuyengiao.concerns.stats import Week
from tuyengiao.org.models import Role, Unit
from tuyengiao.reports.xlsx import CONTENT_TYPE as XLSX

from .test_stats import W47, build_reports, sent, vn

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("concerns:overview")
SUMMARIES = reverse("concerns:summaries")
DRAFT = reverse("concerns:summary_draft")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def reports(world, collaborator2):
    build_reports(world, collaborator2)


def as_user(client, user):
    client.force_login(user)
    return client


def overview_params(world, **extra):
    return {"unit": world.province.pk, "weeks": 2, "end": "2026-W47", **extra}


def week_params(world, **extra):
    return {"unit": world.province.pk, "kind": "week", "start": "2026-11-18", **extra}


# The overview -----------------------------------------------------------------------------------


def test_the_office_sees_the_overview_of_its_province(client, world, reports):
    response = as_user(client, world.province_manager).get(OVERVIEW, overview_params(world))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert overview.by_place.total.total == 6
    html = response.content.decode()
    for text in (
        "Tuần 47",
        "16/11–22/11/2026",
        "Tổng cộng: Tỉnh A",
        "Xã Hoà An",
        "Chính đơn vị (Tỉnh A)",
        # the topic's full name, then what rose: 2 against 1 in the four weeks before
        "<strong>Đất đai, bồi thường, giải phóng mặt bằng</strong>: 2 phản ánh tuần này, "
        "trung bình 0,25 phản ánh mỗi tuần trong bốn tuần trước, ↑ 700%",
        reverse("concerns:overview_chart", args=["svg"]),
    ):
        assert text in html
    assert "Tỉnh B" not in html
    # Hoà An has cells below it: its name drills down to the same page for it
    assert f"unit={world.commune.pk}" in html
    assert f"unit={world.commune2.pk}" not in html  # nothing below Ngân Sơn


def test_places_with_nothing_in_the_range_are_one_click_away(client, world, reports):
    quiet = UnitFactory(parent=world.province, name="Xã Yên Lặng", code="90009")
    c = as_user(client, world.province_manager)
    response = c.get(OVERVIEW, overview_params(world))
    html = response.content.decode()
    assert [x.label for x in response.context["places"]] == [
        "Xã Hoà An",
        "Xã Ngân Sơn",
        "Chính đơn vị (Tỉnh A)",
        "Tổng cộng: Tỉnh A",
    ]
    assert quiet.name not in html
    assert "Hiện cả địa bàn không có phản ánh (1)" in html
    # no concern fell due in weeks 46–47: only the total row, and the other places a click away
    assert [x.label for x in response.context["resolution"]] == ["Tổng cộng: Tỉnh A"]
    assert "Hiện cả địa bàn không có vấn đề đến hạn (4)" in html
    # a zero is still a number, shown faded
    assert '<td class="num zero">0</td>' in html

    every = c.get(OVERVIEW, overview_params(world, all="1"))
    html = every.content.decode()
    assert quiet.name in html and "Chỉ hiện địa bàn có phản ánh" in html
    assert len(every.context["resolution"]) == 5
    # the choice is kept when drilling down or changing weeks
    assert f"unit={world.commune.pk}" in html and 'name="all" value="1"' in html
    assert every.context["places"][0].query.endswith(f"all=1&unit={world.commune.pk}")

    # the workbook keeps every place, for Excel's filter
    book = load_workbook(BytesIO(c.get(OVERVIEW, overview_params(world, format="xlsx")).content))
    assert quiet.name in [cell.value for cell in book["Theo địa bàn"]["A"]]


def test_the_default_range_is_the_last_eight_weeks(client, world):
    response = as_user(client, world.province_manager).get(OVERVIEW)
    assert response.status_code == 200
    weeks = response.context["overview"].weeks
    assert len(weeks) == 8 and weeks[-1].start.weekday() == 0
    assert response.context["unit"] == world.province


def test_a_drill_down_and_a_cell_viewer(client, world, reports):
    c = as_user(client, world.province_manager)
    response = c.get(OVERVIEW, overview_params(world, unit=world.commune.pk))
    assert [x.label for x in response.context["overview"].by_place.lines][0] == (
        "Chi bộ thôn Bản Chang"
    )
    viewer = as_user(client, world.cell_viewer)
    assert viewer.get(OVERVIEW, overview_params(world, unit=world.cell.pk)).status_code == 200


@pytest.mark.parametrize(
    "who, where, status",
    [
        ("neighbour", "province", 404),
        ("cell_viewer", "province", 404),
        ("commune_staff", "commune2", 404),
        ("collaborator", "commune", 404),
        ("collaborator", "province", 404),
    ],
)
def test_scope(client, world, who, where, status):
    c = as_user(client, getattr(world, who))
    unit = getattr(world, where)
    assert c.get(OVERVIEW, overview_params(world, unit=unit.pk)).status_code == status
    chart = reverse("concerns:overview_chart", args=["svg"])
    assert c.get(chart, overview_params(world, unit=unit.pk)).status_code == status
    assert c.get(SUMMARIES).status_code == (404 if who == "collaborator" else 200)
    export = reverse("concerns:summary_docx")
    assert c.get(export, week_params(world, unit=unit.pk)).status_code == status


def test_a_bad_week_is_explained(client, world):
    response = as_user(client, world.province_manager).get(
        OVERVIEW, overview_params(world, end="tuần trước", weeks=99)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "không hợp lệ" in html and "26" in html


def test_the_overview_as_a_workbook_and_a_chart(client, world, reports):
    c = as_user(client, world.province_manager)
    response = c.get(OVERVIEW, overview_params(world, format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Theo tuần", "Theo địa bàn", "Lĩnh vực tăng", "Giải quyết"]
    places = book["Theo địa bàn"]
    assert [cell.value for cell in places[5]] == ["Xã Hoà An", 3, 1, 0, 4]
    assert [cell.value for cell in places[places.max_row]] == ["Tổng cộng: Tỉnh A", 3, 2, 1, 6]
    rising = book["Lĩnh vực tăng"]
    # môi trường rises by 2 (never heard before), đất đai by 1,75 (2 against 0,25)
    assert [rising["A5"].value, rising["B5"].value] == ["Môi trường", 2]
    assert [rising["A6"].value, rising["C6"].value] == [
        "Đất đai, bồi thường, giải phóng mặt bằng",
        0.25,
    ]
    chart = c.get(reverse("concerns:overview_chart", args=["svg"]), overview_params(world))
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    # counts of one or two: whole ticks only, never 0,4 or 1,2 (matplotlib names each text)
    ticks = re.findall(r"<!-- ([\d.,]+) -->", chart.content.decode())
    assert ticks and all("," not in tick for tick in ticks) and "1" in ticks
    png = c.get(reverse("concerns:overview_chart", args=["png"]), overview_params(world))
    assert png.content.startswith(b"\x89PNG")


# Summaries -------------------------------------------------------------------------------------


def test_draft_save_reopen_and_redraft(client, world, reports):
    c = as_user(client, world.province_manager)
    response = c.get(DRAFT, week_params(world))
    assert response.status_code == 200
    draft = response.context["form"].initial["text"]
    assert "đội ngũ cộng tác viên dư luận xã hội đã gửi 5 phản ánh" in draft
    assert "Bản nháp soạn từ số liệu, chưa lưu" in response.content.decode()

    edited = draft + "\nĐã bổ sung ý kiến của lãnh đạo Ban."
    query = f"?unit={world.province.pk}&kind=week&start=2026-11-16"
    response = c.post(DRAFT + query, {"text": edited, "symbol": "12-BC/BTGDVTU"})
    saved = Summary.objects.get(unit=world.province, kind="week", start=W47.start)
    assert response.status_code == 302 and response["Location"] == saved.get_absolute_url()
    assert saved.end == W47.end and saved.text.endswith("ý kiến của lãnh đạo Ban.")
    assert saved.saved_by == world.province_manager

    # asking for the same week again (any day of it) shows the saved text
    again = c.get(DRAFT, week_params(world, start="2026-11-20"))
    assert again.status_code == 302 and again["Location"] == saved.get_absolute_url()
    page = c.get(saved.get_absolute_url())
    assert page.context["form"].initial["text"] == saved.text
    assert "redraft=1" in page.content.decode()

    # new data, then a redraft from it: the fresh numbers, the saved one untouched until saved
    sent(world.collaborator, vn(2026, 11, 21, 9))
    redraft = c.get(DRAFT, week_params(world, redraft="1"))
    assert redraft.status_code == 200
    assert "đã gửi 6 phản ánh" in redraft.context["form"].initial["text"]
    assert redraft.context["form"].initial["symbol"] == "12-BC/BTGDVTU"
    saved.refresh_from_db()
    assert "ý kiến của lãnh đạo Ban" in saved.text

    # editing on the summary's own page
    response = c.post(saved.get_absolute_url(), {"text": "I. Tình hình\nMới.", "symbol": ""})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.text == "I. Tình hình\nMới." and Summary.objects.count() == 1
    assert c.post(saved.get_absolute_url(), {"text": "  ", "symbol": ""}).status_code == 400


def test_the_list_shows_the_summaries_in_scope(client, world, reports):
    as_user(client, world.province_manager).post(
        f"{DRAFT}?unit={world.province.pk}&kind=month&start=2026-11-01",
        {"text": "I. Tháng 11", "symbol": ""},
    )
    saved = Summary.objects.get()
    assert saved.kind == "month" and saved.end.day == 30
    listing = client.get(SUMMARIES)
    assert saved.get_absolute_url() in listing.content.decode()
    assert "Soạn báo cáo tuần/tháng" in listing.content.decode()
    neighbour = as_user(client, world.neighbour)
    assert saved.get_absolute_url() not in neighbour.get(SUMMARIES).content.decode()
    assert neighbour.get(saved.get_absolute_url()).status_code == 404


def test_the_usual_periods_are_one_click_away(client, world, today):
    c = as_user(client, world.province_manager)
    last_week = Week.of(today).previous()
    html = c.get(SUMMARIES).content.decode()
    for label in ("Tuần trước", "Tuần này (chưa hết tuần)", "Tháng trước", "Tháng này"):
        assert label in html
    query = f"unit={world.province.pk}&amp;kind=week&amp;start={last_week.start.isoformat()}"
    assert f"{DRAFT}?{query}" in html
    c.post(DRAFT + "?" + query.replace("&amp;", "&"), {"text": "I. Tuần trước"})
    saved = Summary.objects.get()
    html = c.get(SUMMARIES).content.decode()
    assert "Mở báo cáo đã lưu" in html and saved.get_absolute_url() in html
    # the saved summary's page puts the exports first
    page = c.get(saved.get_absolute_url()).content.decode()
    assert page.index("Xuất Word (DOCX)") < page.index("<textarea")


def test_a_viewer_reads_but_does_not_draft(client, world, reports):
    viewer = UserFactory(username="xem", unit=world.province, role=Role.VIEWER)
    as_user(client, world.province_manager).post(
        f"{DRAFT}?unit={world.province.pk}&kind=week&start=2026-11-16", {"text": "I. Tuần 47"}
    )
    saved = Summary.objects.get()
    c = as_user(client, viewer)
    assert c.get(DRAFT, week_params(world)).status_code == 403
    page = c.get(saved.get_absolute_url())
    assert page.status_code == 200 and "<textarea" not in page.content.decode()
    assert c.post(saved.get_absolute_url(), {"text": "Sửa"}).status_code == 403
    docx = c.get(reverse("concerns:summary_docx"), week_params(world))
    assert docx.status_code == 200


def test_the_overview_workbook_writes_a_place_as_text_and_is_set_up(client, world, reports):
    Unit.objects.filter(pk=world.commune.pk).update(name=INJECTION)
    c = as_user(client, world.province_manager)
    response = c.get(OVERVIEW, overview_params(world, format="xlsx"))
    assert_inert(response.content, INJECTION)
    book = load_workbook(BytesIO(response.content))
    for sheet in book.worksheets:
        assert_set_up(sheet)
        assert sheet["A2"].value.startswith("Tỉnh A · Tuần 46 (09/11–15/11/2026) đến Tuần 47")
        assert sheet.freeze_panes == "B5"  # the places or topics stay in view


def test_a_bad_period_is_explained(client, world):
    response = as_user(client, world.province_manager).get(
        DRAFT, week_params(world, kind="year", start="hôm qua")
    )
    assert response.status_code == 400
    assert "Nhập một ngày hợp lệ." in response.content.decode()


def test_exports_use_the_saved_text_or_the_draft(client, world, reports):
    c = as_user(client, world.province_manager)
    docx = c.get(reverse("concerns:summary_docx"), week_params(world))
    assert docx.status_code == 200 and docx["Content-Type"] == DOCX
    assert docx["Content-Disposition"].endswith('.docx"')
    texts = [p.text for p in Document(BytesIO(docx.content)).paragraphs]
    assert "tình hình dư luận xã hội tuần từ 16/11 đến 22/11/2026" in texts
    assert any(t.startswith("Trong tuần (từ 16/11 đến 22/11/2026)") for t in texts)

    c.post(
        f"{DRAFT}?unit={world.province.pk}&kind=week&start=2026-11-16",
        {"text": "I. TÌNH HÌNH\nNội dung đã duyệt.", "symbol": "12-BC/BTGDVTU"},
    )
    docx = c.get(reverse("concerns:summary_docx"), week_params(world))
    document = Document(BytesIO(docx.content))
    texts = [p.text for p in document.paragraphs]
    assert "Nội dung đã duyệt." in texts and "I. TÌNH HÌNH" in texts
    assert document.tables[0].cell(1, 0).text == "Số 12-BC/BTGDVTU"
    assert document.tables[-1].rows[-1].cells[0].text == "Tổng cộng: Tỉnh A"  # the appendix

    xlsx = c.get(reverse("concerns:summary_xlsx"), week_params(world))
    assert xlsx.status_code == 200 and xlsx["Content-Type"] == XLSX
    book = load_workbook(BytesIO(xlsx.content))
    assert book["Báo cáo"]["A5"].value == "Nội dung đã duyệt."
