"""The files oversight produces, opened and read back: the conclusion notice (DOCX, Party
layout, recommendations numbered with unit, content and due date), the annual plan and the open
recommendations (XLSX); each downloaded in scope only."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.clock import on_day
from tests.reports.sheets import INJECTION, assert_inert
from tests.uploads import pdf
from tuyengiao.oversight import services
from tuyengiao.oversight.models import FindingKind, InspectionKind

from .conftest import concluded, conducted, inspect

pytestmark = on_day("2026-11-20")

SHORTCOMING, RESULT = FindingKind.SHORTCOMING, FindingKind.RESULT


def text_of(document) -> str:
    """Every paragraph of the body and of the tables' cells, one a line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


@pytest.fixture
def notice(world):
    """A concluded inspection of Xã Hoà An: a result, shortcomings in two fields of work (one
    named the year before too), two recommendations."""
    concluded(
        world.province_manager,
        [world.commune],
        starts_on=date(2025, 10, 1),
        ends_on=date(2025, 10, 10),
        issued_on=date(2025, 10, 20),
        findings=[(world.commune, "tuyen-truyen-mieng", SHORTCOMING)],
    )
    return concluded(
        world.province_manager,
        [world.commune],
        period_from=date(2024, 1, 1),
        period_to=date(2025, 12, 31),
        findings=[
            (world.commune, None, RESULT),
            (world.commune, "tuyen-truyen-mieng", SHORTCOMING),
            (world.commune, "dan-van", SHORTCOMING),
        ],
        recommendations=[
            (world.commune, "Kiện toàn đội ngũ báo cáo viên", date(2026, 12, 31)),
            (world.commune, "Tổ chức hội nghị chuyên đề về dân vận", date(2027, 1, 31)),
        ],
    )


def test_the_conclusion_notice_is_a_party_document(client, world, notice):
    client.force_login(world.province_manager)
    inspection = notice.inspection
    url = reverse("oversight:conclusion_docx", args=[inspection.pk])
    assert url in client.get(inspection.get_absolute_url()).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "thong-bao-ket-luan" in response["Content-Disposition"]
    document = Document(BytesIO(response.content))
    text = text_of(document)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert f"Số {notice.notice.symbol}" in text
    assert "THÔNG BÁO" in text
    assert "kết luận kiểm tra công tác tuyên giáo năm 2026" in text
    assert "Nguyễn Văn An, Phó Trưởng Ban làm Trưởng đoàn" in text
    assert "Thời kỳ được kiểm tra: từ ngày 01/01/2024 đến ngày 31/12/2025." in text
    body = [p.text for p in document.paragraphs]
    results, shortcomings, recommendations = (
        body.index("I. KẾT QUẢ ĐẠT ĐƯỢC"),
        body.index("II. HẠN CHẾ, KHUYẾT ĐIỂM"),
        body.index("III. KIẾN NGHỊ"),
    )
    assert results < shortcomings < recommendations
    assert body[results + 1 : shortcomings] == ["Cơ bản hoàn thành nhiệm vụ.", "- Kết quả về None"]
    # shortcomings by field of work, numbered, the one named again marked as recurring
    between = body[shortcomings + 1 : recommendations]
    assert between == [
        "1. Tuyên truyền miệng, báo cáo viên",
        "- Hạn chế về tuyen-truyen-mieng (hạn chế lặp lại)",
        "2. Dân vận",
        "- Hạn chế về dan-van",
    ]
    table = document.tables[-2]  # the last is the closing block's
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["STT", "Đơn vị thực hiện", "Nội dung kiến nghị", "Hạn thực hiện"],
        ["1", "Xã Hoà An", "Kiện toàn đội ngũ báo cáo viên", "31/12/2026"],
        ["2", "Xã Hoà An", "Tổ chức hội nghị chuyên đề về dân vận", "31/01/2027"],
    ]
    assert "- Xã Hoà An," in text and "Nơi nhận:" in text


def test_an_inspected_unit_downloads_its_own_part_and_others_nothing(client, world):
    conclusion = concluded(
        world.province_manager,
        [world.commune, world.commune2],
        findings=[(world.commune2, "dan-van", SHORTCOMING)],
        recommendations=[
            (world.commune, "Việc của Hoà An", date(2026, 12, 15)),
            (world.commune2, "Việc của Ngân Sơn", date(2026, 12, 15)),
        ],
    )
    url = reverse("oversight:conclusion_docx", args=[conclusion.inspection.pk])
    client.force_login(world.commune_staff)
    text = text_of(Document(BytesIO(client.get(url).content)))
    assert "Việc của Hoà An" in text
    assert "Việc của Ngân Sơn" not in text and "Hạn chế về dan-van" not in text
    client.force_login(world.neighbour)
    assert client.get(url).status_code == 404
    # not concluded yet: no notice to download
    client.force_login(world.province_manager)
    pending = inspect(world.province_manager, [world.commune])
    assert client.get(reverse("oversight:conclusion_docx", args=[pending.pk])).status_code == 404
    assert client.post(url).status_code == 405


def test_the_plan_as_a_workbook(client, world):
    plan = services.plan_create(actor=world.province_manager, unit=world.province, year=2026)
    first = services.plan_item_add(
        actor=world.province_manager,
        plan=plan,
        kind=InspectionKind.INSPECTION,
        units=[world.commune],
        content="Học tập, quán triệt nghị quyết",
        planned_month=11,
    )
    services.plan_item_add(
        actor=world.province_manager,
        plan=plan,
        kind=InspectionKind.SURVEY,
        units=[world.commune2],
        content=INJECTION,
        planned_month=12,
    )
    conducted(world.province_manager, [world.commune], plan_item=first)
    conducted(world.province_manager, [world.commune2], title="Làm việc đột xuất")
    client.force_login(world.province_manager)
    assert (
        reverse("oversight:plan_xlsx", args=[plan.pk])
        in client.get(plan.get_absolute_url()).content.decode()
    )
    response = client.get(reverse("oversight:plan_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert "ke-hoach-kiem-tra-giam-sat-2026" in response["Content-Disposition"]
    assert_inert(response.content, INJECTION)
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Kế hoạch", "Ngoài kế hoạch"]
    sheet = book["Kế hoạch"]
    values = [[c for c in row] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert values[0][:5] == [1, 11, "Kiểm tra", "Học tập, quán triệt nghị quyết", "Xã Hoà An"]
    assert values[0][6] == "Có" and values[1][6] == "Chưa"
    assert "Đã thực hiện 1/2 cuộc theo kế hoạch, đạt 50%." in [r[3] for r in values]
    assert [r[4] for r in values if r[3] == "Tỷ lệ thực hiện"] == [0.5]
    outside = [r for r in book["Ngoài kế hoạch"].iter_rows(min_row=5, values_only=True)]
    assert [(r[1], r[3]) for r in outside] == [("Làm việc đột xuất", "Xã Ngân Sơn")]
    assert book["Kế hoạch"].print_title_rows == "$4:$4"
    client.force_login(world.neighbour)
    assert client.get(reverse("oversight:plan_xlsx", args=[plan.pk])).status_code == 404


@on_day("2026-11-25")
def test_the_open_recommendations_as_a_workbook(client, world):
    conclusion = concluded(
        world.province_manager,
        [world.commune, world.commune2],
        recommendations=[
            (world.commune, "Đã xong", date(2026, 12, 15)),
            (world.commune, "Còn hạn", date(2026, 12, 20)),
            (world.commune2, "Quá hạn", date(2026, 11, 20)),
        ],
        today=date(2026, 11, 16),
    )
    done, _pending, _late = conclusion.recommendations.order_by("number")
    services.recommendation_report(
        actor=world.commune_staff, recommendation=done, report_text="Xong", evidence=pdf()
    )
    services.recommendation_accept(actor=world.province_manager, recommendation=done)
    client.force_login(world.province_manager)
    url = reverse("oversight:open_xlsx") + f"?unit={world.province.pk}"
    matrix = client.get(reverse("oversight:matrix"), {"unit": world.province.pk})
    assert url in matrix.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Theo đơn vị", "Chưa hoàn thành"]
    rollup = list(book["Theo đơn vị"].iter_rows(min_row=5, values_only=True))
    assert rollup == [
        ("Xã Ngân Sơn", 0, 0, 0, 1, 1, None),
        ("Xã Hoà An", 1, 0, 1, 0, 2, 1),
        ("Tổng cộng", 1, 0, 1, 1, 3, 1),
    ]
    listed = list(book["Chưa hoàn thành"].iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[2], r[7], r[8], r[9]) for r in listed] == [
        ("Xã Ngân Sơn", "Quá hạn", "Quá hạn", 5, "Đang thực hiện"),
        ("Xã Hoà An", "Còn hạn", "Còn hạn", None, "Đang thực hiện"),
    ]
    assert listed[0][4] == f"Thông báo {conclusion.notice.symbol}"
    client.force_login(world.commune_staff)
    mine = load_workbook(BytesIO(client.get(reverse("oversight:open_xlsx")).content))
    assert [r[2] for r in mine["Chưa hoàn thành"].iter_rows(min_row=5, values_only=True)] == [
        "Còn hạn"
    ]
    assert client.get(url).status_code == 404  # the province is above the commune
