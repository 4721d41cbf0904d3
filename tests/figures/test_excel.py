"""Excel both ways: download a template, fill it offline, upload it; any error imports nothing."""

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.clock import on_day
from tests.figures.conftest import enter
from tests.reports.sheets import INJECTION, assert_inert
from tuyengiao.figures import excel
from tuyengiao.figures.models import SCALE, Report, Value
from tuyengiao.figures.queries import table
from tuyengiao.figures.services import report_submit
from tuyengiao.org.models import Unit
from tuyengiao.periods import Period
from tuyengiao.reports import xlsx

# Seen from 20/11/2026 (tests/clock.py): the reports of 2026 are owed by then.
pytestmark = [pytest.mark.django_db, on_day("2026-11-20")]

URL = "/figures/excel/"


def download(client, user, data_set, unit, first, last=""):
    client.force_login(user)
    response = client.get(
        URL + "template.xlsx",
        {"data_set": data_set.pk, "unit": unit.pk, "first": first, "last": last},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    return load_workbook(BytesIO(response.content))


def upload(client, user, book_or_bytes, name="so-lieu.xlsx"):
    if isinstance(book_or_bytes, bytes):
        content = book_or_bytes
    else:
        buffer = BytesIO()
        book_or_bytes.save(buffer)
        content = buffer.getvalue()
    client.force_login(user)
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def row_of(sheet, unit) -> int:
    for row in range(excel.FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == unit.pk:
            return row
    raise AssertionError(f"{unit.name} is not in sheet {sheet.title}")


def column_of(sheet, code) -> str:
    for cell in sheet[excel.KEY_ROW]:
        if cell.value == code:
            return cell.column_letter
    raise AssertionError(f"no column {code} in sheet {sheet.title}")


def put(sheet, unit, **values):
    for code, value in values.items():
        sheet[f"{column_of(sheet, code)}{row_of(sheet, unit)}"] = value


def number(unit, indicator, period):
    value = Value.objects.filter(unit=unit, indicator=indicator, period=period).first()
    return None if value is None else Decimal(value.number) / SCALE


def errors_of(response) -> list[str]:
    result = response.context["result"]
    return [str(e) for e in result.errors]


def test_template_round_trip_updates_the_roll_up(client, world, forms):
    i, bm = forms.indicators, forms.monthly
    enter(None, bm, world.cell, "2026-09", LOP_KH="2", LOP_TH="2", DIEM="8,5", GHI_CHU="Tốt")
    book = download(client, world.province_manager, bm, world.province, "2026-09", "2026-10")

    assert book.sheetnames == ["2026-09", "2026-10", excel.INSTRUCTIONS]
    september, october = book["2026-09"], book["2026-10"]
    assert september["A1"].value == "BM01"
    keys = [c.value for c in september[excel.KEY_ROW]]
    # derived TL_LOP is computed, never entered
    assert keys == [
        *excel.RESERVED,
        "LOP_KH",
        "LOP_TH",
        "HV_CHITIEU",
        "HV_DANGKY",
        "BCV",
        "DIEM",
        "GHI_CHU",
    ]
    names = {september.cell(row=r, column=2).value for r in range(5, september.max_row + 1)}
    # the units of the province that owe a commune/cell form, not the province or other provinces
    assert {"Xã Hoà An", "Xã Ngân Sơn", "Chi bộ thôn Nà Pài", "Chi bộ thôn Bản Chang"} <= names
    assert "Tỉnh A" not in names and "Chi bộ thôn Một" not in names
    # stored figures come pre-filled, numbers as numbers
    row = row_of(september, world.cell)
    assert september[f"{column_of(september, 'LOP_KH')}{row}"].value == 2
    assert september[f"{column_of(september, 'DIEM')}{row}"].value == 8.5
    assert september[f"{column_of(september, 'GHI_CHU')}{row}"].value == "Tốt"

    put(
        october,
        world.cell,
        LOP_KH=3,
        LOP_TH="2",
        HV_CHITIEU="24.193",
        HV_DANGKY=20000,
        DIEM=98.32,
        GHI_CHU="Đã mở lớp",
    )
    put(october, world.commune2, LOP_KH="1", LOP_TH=1, DIEM="7,25")
    put(september, world.cell, LOP_KH="-", LOP_TH="-")  # "-" clears; the rest stays
    response = upload(client, world.province_manager, book)

    assert response.status_code == 200
    result = response.context["result"]
    assert result.ok, errors_of(response)
    assert (result.values, result.reports) == (11, 3)
    assert "Đã nhập xong" in response.content.decode()
    assert number(world.cell, i["HV_CHITIEU"], "2026-10") == 24193
    assert number(world.cell, i["DIEM"], "2026-10") == Decimal("98.32")
    assert Value.objects.get(unit=world.cell, indicator=i["GHI_CHU"], period="2026-10").text == (
        "Đã mở lớp"
    )
    assert number(world.cell, i["LOP_KH"], "2026-09") is None
    assert number(world.cell, i["DIEM"], "2026-09") == Decimal("8.5")  # empty cell: unchanged
    report = Report.objects.get(data_set=bm, unit=world.cell, period="2026-10")
    assert report.saved_by == world.province_manager and report.version == 1

    t = table(
        world.province,
        [i["HV_CHITIEU"], i["LOP_TH"], i["DIEM"]],
        [Period.parse("2026-10"), Period.parse("2026Q3")],
    )
    total = t.rows[-1].cells  # columns: indicator × period
    assert total[0].value == 24193
    assert total[2].value == 3 and total[2].planned == 4
    assert total[3].value is None  # September's classes were cleared
    assert total[4].value == (Decimal("98.32") + Decimal("7.25")) / 2
    assert total[5].value == Decimal("8.5")

    # the same file again changes nothing
    again = upload(client, world.province_manager, book)
    assert again.context["result"].ok and again.context["result"].values == 0


def test_errors_in_two_sheets_are_all_listed_and_nothing_is_imported(client, world, forms):
    bm = forms.monthly
    enter(None, bm, world.cell, "2026-10", HV_CHITIEU="10")
    book = download(client, world.province_manager, bm, world.province, "2026-09", "2026-10")
    september, october = book["2026-09"], book["2026-10"]
    put(september, world.commune2, LOP_KH=1, LOP_TH=1)  # valid, but must not be imported
    put(september, world.cell, HV_CHITIEU="12,5", BCV="nhiều")
    put(october, world.cell, HV_DANGKY=100)  # more than 1,5 × the 10 targeted
    october["L4"] = "KHONG_CO"
    october[f"L{row_of(october, world.cell2)}"] = 5
    before = Value.objects.count()
    versions = list(Report.objects.values_list("pk", "version"))

    response = upload(client, world.province_manager, book)

    assert Value.objects.count() == before
    assert list(Report.objects.values_list("pk", "version")) == versions
    r9, r10 = row_of(september, world.cell), row_of(october, world.cell)
    hv_chitieu, bcv = column_of(september, "HV_CHITIEU"), column_of(september, "BCV")
    hv_dangky = column_of(october, "HV_DANGKY")
    assert errors_of(response) == [
        f"Trang tính 2026-09, dòng {r9}, cột {hv_chitieu}: Chỉ tiêu này nhận số nguyên.",
        f'Trang tính 2026-09, dòng {r9}, cột {bcv}: Không đọc được số "nhiều". '
        "Hãy nhập như 24.193 hoặc 98,32.",
        "Trang tính 2026-10, dòng 4, cột L: Biểu mẫu BM01 không có chỉ tiêu KHONG_CO.",
        f"Trang tính 2026-10, dòng {r10}, cột {hv_dangky}: "
        "Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu.",
    ]
    page = response.content.decode()
    assert "chưa số liệu nào được nhập" in page and "excel-error-list" in page
    assert number(world.commune2, forms.indicators["LOP_KH"], "2026-09") is None


def test_a_unit_outside_the_uploaders_scope_is_refused(client, world, forms):
    bm = forms.monthly
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    sheet = book["2026-10"]
    put(sheet, world.cell, BCV=4)  # in the commune's subtree: fine on its own
    put(sheet, world.commune2, BCV=7)  # a sibling commune: not the commune staff's
    # a unit of another province, typed in by hand
    row = sheet.max_row + 1
    sheet[f"A{row}"] = world.other_cell.pk
    sheet[f"{column_of(sheet, 'BCV')}{row}"] = 9

    response = upload(client, world.commune_staff, book)

    messages = errors_of(response)
    assert messages == [
        f"Trang tính 2026-10, dòng {row_of(sheet, world.commune2)}, cột A: Không có đơn vị số "
        f"hiệu {world.commune2.pk} trong phạm vi bạn được nhập số liệu.",
        f"Trang tính 2026-10, dòng {row}, cột A: Không có đơn vị số hiệu {world.other_cell.pk} "
        "trong phạm vi bạn được nhập số liệu.",
    ]
    assert not Value.objects.exists()
    assert "Chi bộ thôn Một" not in response.content.decode()


def test_sent_report_is_not_changed_but_its_untouched_row_is_no_error(client, world, forms):
    bm = forms.monthly
    report = enter(None, bm, world.cell, "2026-10", BCV="3")
    report_submit(actor=None, report=report)
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    sheet = book["2026-10"]
    assert "khoá" in sheet[f"D{row_of(sheet, world.cell)}"].value

    put(sheet, world.cell2, BCV=2)
    response = upload(client, world.province_manager, book)
    assert response.context["result"].ok  # the sent report's row is as stored
    assert number(world.cell2, forms.indicators["BCV"], "2026-10") == 2

    put(sheet, world.cell, BCV=5)
    response = upload(client, world.province_manager, book)
    assert errors_of(response) == [
        f"Trang tính 2026-10, dòng {row_of(sheet, world.cell)}, cột "
        f"{column_of(sheet, 'BCV')}: Báo cáo đã gửi. Muốn sửa, hãy rút lại báo cáo trước."
    ]
    assert number(world.cell, forms.indicators["BCV"], "2026-10") == 3


def test_sheets_that_are_not_periods_of_the_form(client, world, forms):
    bm = forms.monthly
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    sheet = book["2026-10"]
    put(sheet, world.cell, BCV=1)
    current = Period.of("month", timezone.localdate())
    future = current.next()
    for title in ("Tháng 10", "2026Q4", future.id, "2023-12"):
        copy = book.copy_worksheet(sheet)
        copy.title = title
    response = upload(client, world.province_manager, book)
    assert errors_of(response) == [
        f"Trang tính Tháng 10: Tên trang tính phải là mã kỳ báo cáo như {current.id}.",
        "Trang tính 2026Q4: Biểu mẫu BM01 báo cáo theo tháng, không theo kỳ Quý IV/2026.",
        f"Trang tính {future.id}: {future.label} chưa bắt đầu hoặc trước kỳ đầu tiên của biểu mẫu.",
        "Trang tính 2023-12: Tháng 12/2023 chưa bắt đầu hoặc trước kỳ đầu tiên của biểu mẫu.",
    ]
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"day khong phai excel",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,  # an old .xls (OLE) header
        b"PK\x03\x04 hong",  # a zip cut short
    ],
)
def test_a_corrupt_file_gets_a_clear_message(client, world, forms, content):
    response = upload(client, world.province_manager, content)
    assert response.status_code == 200
    [message] = errors_of(response)
    assert ".xlsx" in message
    assert message in response.content.decode()


def test_a_zip_that_is_not_a_workbook(client, world, forms):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    response = upload(client, world.province_manager, buffer.getvalue())
    [message] = errors_of(response)
    assert "không phải bảng tính Excel .xlsx" in message


def test_large_files_are_refused(client, world, forms, monkeypatch):
    bm = forms.monthly
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    put(book["2026-10"], world.cell, BCV=1)
    monkeypatch.setattr(excel, "MAX_ROWS", 6)
    [message] = errors_of(upload(client, world.province_manager, book))
    assert message == "Tệp có quá 6 dòng; hãy chia thành nhiều tệp nhỏ hơn."
    monkeypatch.setattr(excel, "MAX_ROWS", 50_000)
    monkeypatch.setattr(excel, "MAX_BYTES", 1000)
    [message] = errors_of(upload(client, world.province_manager, book))
    assert message == "Tệp lớn quá 5 MB; hãy chia thành nhiều tệp nhỏ hơn."
    assert not Value.objects.exists()


def test_a_hand_made_workbook_without_the_key_row(client, world, forms):
    book = Workbook()
    sheet = book.active
    sheet.title = "2026-10"
    sheet.append(["BM01"])
    sheet.append(["Đơn vị", "BCV"])
    sheet.append([world.cell.pk, 3])
    [message] = errors_of(upload(client, world.province_manager, book))
    assert message.startswith("Trang tính 2026-10: Không thấy dòng mã (ô MA_DON_VI)")
    assert not Value.objects.exists()


def test_viewer_cannot_upload(client, world, forms):
    bm = forms.monthly
    book = download(client, world.cell_viewer, bm, world.cell, "2026-10")
    put(book["2026-10"], world.cell, BCV=3)
    response = upload(client, world.cell_viewer, book)
    assert response.status_code == 403
    assert not Value.objects.exists()
    page = client.get(URL)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    assert "chỉ được xem số liệu" in page.content.decode()


def test_template_form_errors_are_shown_not_raised(client, world, forms):
    bm = forms.monthly
    client.force_login(world.province_manager)
    response = client.get(
        URL + "template.xlsx",
        {"data_set": bm.pk, "unit": world.province.pk, "first": "2026Q3"},
    )
    assert response.status_code == 400
    assert "Biểu mẫu này báo cáo theo tháng" in response.content.decode()
    # a unit outside the scope is not a choice
    client.force_login(world.neighbour)
    response = client.get(
        URL + "template.xlsx",
        {"data_set": bm.pk, "unit": world.province.pk, "first": "2026-10"},
    )
    assert response.status_code == 400
    assert "unit" in response.context["template_form"].errors


def test_a_report_saved_meanwhile_rolls_back_the_whole_file(client, world, forms, monkeypatch):
    bm = forms.monthly
    enter(None, bm, world.cell2, "2026-10", BCV="1")
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    sheet = book["2026-10"]
    put(sheet, world.cell, BCV=4)  # saved first, then rolled back
    put(sheet, world.cell2, BCV=5)
    checked = excel._check_rows

    def someone_saves_between_check_and_write(*args):
        plans = checked(*args)
        enter(None, bm, world.cell2, "2026-10", BCV="2")
        return plans

    monkeypatch.setattr(excel, "_check_rows", someone_saves_between_check_and_write)
    [message] = errors_of(upload(client, world.province_manager, book))
    assert message.startswith(f"Trang tính 2026-10, dòng {row_of(sheet, world.cell2)}: Báo cáo vừa")
    assert number(world.cell, forms.indicators["BCV"], "2026-10") is None
    assert number(world.cell2, forms.indicators["BCV"], "2026-10") == 2
    assert not Report.objects.filter(unit=world.cell, period="2026-10").exists()


def test_the_template_writes_text_as_text_and_is_set_up(client, world, forms):
    """A text figure and a unit name that look like formulas come back as typed, and the
    unchanged file imports as nothing changed."""
    Unit.objects.filter(pk=world.cell2.pk).update(name="+Chi bộ thôn Bản Chang")
    enter(None, forms.monthly, world.cell, "2026-10", GHI_CHU=INJECTION)
    client.force_login(world.province_manager)
    response = client.get(
        URL + "template.xlsx",
        {"data_set": forms.monthly.pk, "unit": world.province.pk, "first": "2026-10"},
    )
    assert_inert(response.content, INJECTION, "+Chi bộ thôn Bản Chang")
    book = load_workbook(BytesIO(response.content))
    sheet = book["2026-10"]
    assert sheet["A1"].value == "BM01"  # still where the import reads it
    assert sheet["B1"].value.startswith(
        "Báo cáo công tác giáo dục chính trị – Tỉnh A · Tháng 10/2026 · Xuất ngày "
    )
    # the names and codes stay in view and are printed on every page; the figures scroll
    assert sheet.freeze_panes == "E5" and sheet.print_title_rows == "$3:$4"
    assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
    assert book[excel.INSTRUCTIONS].page_setup.paperSize == 9

    again = upload(client, world.province_manager, book)
    assert again.context["result"].ok and again.context["result"].values == 0
    text = Value.objects.get(unit=world.cell, indicator=forms.indicators["GHI_CHU"])
    assert text.text == INJECTION


def test_a_cell_holding_a_formula_is_an_error_and_nothing_is_imported(client, world, forms):
    bm = forms.monthly
    book = download(client, world.province_manager, bm, world.province, "2026-10")
    sheet = book["2026-10"]
    put(sheet, world.cell2, BCV=2)  # fine on its own, but the file has errors
    bcv, note = column_of(sheet, "BCV"), column_of(sheet, "GHI_CHU")
    sheet[f"{bcv}{row_of(sheet, world.cell)}"] = "=1+2"
    sheet[f"{note}{row_of(sheet, world.cell)}"] = '=HYPERLINK("http://example.com","x")'
    commune2 = row_of(sheet, world.commune2)
    sheet[f"A{commune2}"] = f"={world.commune2.pk}"  # the unit's id, computed

    response = upload(client, world.province_manager, book)

    row = row_of(sheet, world.cell)
    advice = "hãy nhập thẳng số liệu, hoặc sao chép rồi dán dưới dạng giá trị (Paste Values)."
    assert errors_of(response) == [
        f"Trang tính 2026-10, dòng {row}, cột {bcv}: Ô này chứa công thức (=1+2); {advice}",
        f"Trang tính 2026-10, dòng {row}, cột {note}: Ô này chứa công thức "
        f'(=HYPERLINK("http://example.com","x")); {advice}',
        f"Trang tính 2026-10, dòng {commune2}, cột A: Ô này chứa công thức "
        f"(={world.commune2.pk}); {advice}",
    ]
    assert not Value.objects.exists()
    assert "Ô này chứa công thức (=1+2)" in response.content.decode()
