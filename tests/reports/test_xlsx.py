"""The Excel toolkit: text written as text, the title rows, and the set-up every sheet gets."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tuyengiao.reports import charts, xlsx

from .sheets import INJECTION, assert_inert, formulas

DAY = date(2026, 12, 5)
RISKY = [INJECTION, "=1+1", "+1", "-x", "@x", "@SUM(1+1)*cmd|' /C calc'!A0", "\tx", "\rx"]


def read(book):
    return load_workbook(BytesIO(xlsx.workbook_bytes(book)))


def table(rows: int = 3, columns: int = 3, label: str = "Xã Hoà An"):
    """A sheet like every export's: title rows, a header on row 4, a label column."""
    book = xlsx.new_workbook()
    sheet = book.create_sheet("Bảng")
    header = xlsx.title_rows(sheet, "Số lớp đã mở", "Tỉnh Thái Nguyên", "Quý III/2026", day=DAY)
    xlsx.header_row(sheet, header, ["Đơn vị", *(f"Chỉ tiêu {n}" for n in range(1, columns))])
    for n in range(rows):
        xlsx.add_row(sheet, [label, *range(n, n + columns - 1)], formats={2: xlsx.INTEGER})
    return book, sheet


@pytest.mark.parametrize("text", RISKY)
def test_text_that_looks_like_a_formula_is_stored_as_typed_and_never_evaluated(text):
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    xlsx.put(sheet, 1, 1, text)
    xlsx.put_row(sheet, 2, ["Tên", text])
    xlsx.add_row(sheet, [text])
    content = xlsx.workbook_bytes(book)
    assert_inert(content, text)
    cells = [load_workbook(BytesIO(content))["A"][c] for c in ("A1", "B2", "A3")]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [(text, "s", True)] * 3
    # read as an upload is read (read-only): still text
    again = load_workbook(BytesIO(content), read_only=True)["A"]
    read_back = [(c.value, c.data_type) for row in again.iter_rows() for c in row if c.value]
    assert read_back == [(text, "s"), ("Tên", "s"), (text, "s"), (text, "s")]


def test_ordinary_text_numbers_and_dates_keep_their_types():
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    xlsx.put_row(
        sheet,
        1,
        ["Xã Hoà An", 24193, Decimal("98.3216"), Decimal("52.0000"), DAY, None, "a\x00b\x0bc"],
        formats={2: xlsx.INTEGER, 3: xlsx.DECIMAL, 5: xlsx.DATE},
    )
    row = read(book)["A"][1]
    assert [c.value for c in row[:4]] == ["Xã Hoà An", 24193, 98.3216, 52]
    assert [c.data_type for c in row[:4]] == ["s", "n", "n", "n"]
    assert not row[0].quotePrefix  # plain text needs no prefix
    assert row[1].number_format == "#,##0" and row[2].number_format == "#,##0.00"
    assert row[4].value.date() == DAY and row[4].number_format == "DD/MM/YYYY"
    assert row[5].value is None
    assert row[6].value == "abc"  # characters XML cannot carry are left out, not fatal


def test_a_text_cell_written_past_the_toolkit_is_made_inert_on_saving():
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    sheet["A1"] = INJECTION  # openpyxl alone would write a live formula
    assert sheet["A1"].data_type == "f"
    assert_inert(xlsx.workbook_bytes(book), INJECTION)
    assert formulas(xlsx.workbook_bytes(book)) == []


def test_numbers_and_fractions_for_excel():
    assert xlsx.number(Decimal("24193.0000")) == 24193
    assert isinstance(xlsx.number(Decimal("24193.0000")), int)
    assert xlsx.number(Decimal("1.23456789")) == 1.2346
    assert xlsx.number(None) is None
    assert xlsx.fraction(Decimal("98.32")) == pytest.approx(0.9832)
    assert xlsx.fraction(Decimal("100")) == 1 and xlsx.fraction(None) is None


def test_the_title_rows_say_what_where_and_when():
    book, sheet = table()
    sheet = read(book)["Bảng"]
    assert sheet["A1"].value == "Số lớp đã mở"
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A2"].value == "Tỉnh Thái Nguyên · Quý III/2026 · Xuất ngày 05/12/2026"
    assert sheet["A3"].value is None and sheet["A4"].value == "Đơn vị"
    assert xlsx.subtitle("Xã A", day=DAY) == "Xã A · Xuất ngày 05/12/2026"


def test_a_narrow_table_is_set_up_upright_with_its_header_frozen_and_repeated():
    book, sheet = table()
    xlsx.set_up(sheet)
    sheet = read(book)["Bảng"]
    assert sheet.freeze_panes == "A5"  # the header rows stay in view
    assert sheet.print_title_rows == "$4:$4"  # and are printed on every page
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "portrait")  # A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)  # the page's width, any height
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    header = sheet["A4"]
    assert (
        header.font.b and header.alignment.wrap_text and header.fill.fgColor.rgb.endswith("EEF1F5")
    )
    # widths from the content, with a little room: the label "Xã Hoà An", the header
    # "Chỉ tiêu 1" over its small numbers
    assert [sheet.column_dimensions[c].width for c in "AB"] == [len("Xã Hoà An") + 2, 12]


def test_a_wide_table_prints_landscape_with_its_label_column_frozen():
    book, sheet = table(columns=12, label="Chi bộ thôn Nà Pài (đã sáp nhập vào Xã Hoà An)")
    xlsx.set_up(sheet)
    sheet = read(book)["Bảng"]
    assert sheet.freeze_panes == "B5"
    assert sheet.page_setup.orientation == "landscape"


def test_widths_are_bounded_and_long_headers_wrap_onto_taller_rows():
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    xlsx.header_row(sheet, 4, ["Đơn vị", "Tỷ lệ giải quyết đúng hạn trong kỳ báo cáo", "x"])
    xlsx.add_row(sheet, ["Đ" * 200, 1, "y"])
    xlsx.set_up(sheet, widths={3: 30}, label_columns=2)
    sheet = read(book)["A"]
    assert sheet.column_dimensions["A"].width == xlsx.MAX_WIDTH  # however long the name
    assert sheet.column_dimensions["B"].width == xlsx.HEADER_WIDTH + 2  # the header wraps
    assert sheet.column_dimensions["C"].width == 30  # as asked
    assert sheet.row_dimensions[4].height == 2 * xlsx.LINE_HEIGHT  # 42 characters in 21
    assert sheet.freeze_panes == "C5"  # as many label columns as asked


def test_a_sheet_of_text_has_no_header_to_freeze():
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    xlsx.title_rows(sheet, "Báo cáo", "Tỉnh A", day=DAY)
    cell = xlsx.put(sheet, 4, 1, "Một đoạn văn dài. " * 20)
    cell.alignment = xlsx.TEXT_WRAP
    xlsx.fit_height(sheet, 4, widths={1: 100})
    xlsx.set_up(sheet, header=None, widths={1: 100}, wide=False)
    sheet = read(book)["A"]
    assert sheet.freeze_panes is None and sheet.print_title_rows is None
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.row_dimensions[4].height == 4 * xlsx.LINE_HEIGHT  # 360 characters in 99


def test_a_chart_is_placed_below_the_table():
    book, sheet = table()
    png = charts.draw(["T1", "T2"], [charts.Series("A", [1, 2])], "png")
    xlsx.add_image(sheet, png, 7)
    xlsx.add_image(sheet, None, 9)  # no chart, nothing added
    sheet = read(book)["Bảng"]
    assert len(sheet._images) == 1
    assert sheet._images[0].anchor._from.row == 6  # zero-based: row 7


def test_the_download():
    response = xlsx.xlsx_response(b"PK", "so-lieu-tinh-a")
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu-tinh-a.xlsx"'


def test_a_two_row_header_with_merged_titles():
    """A group title over three columns does not widen the first; a title over both header
    rows wraps over them."""
    book = xlsx.new_workbook()
    sheet = book.create_sheet("A")
    long = " ".join(["Học viên"] * 9)  # 80 characters
    xlsx.put_row(sheet, 4, ["Đơn vị", "Số lớp đã mở (lớp) – Tháng 1/2024", None, None, long])
    xlsx.put_row(sheet, 5, [None, "Thực hiện", "Kế hoạch", "Đạt (%)"])
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("B4:D4")
    sheet.merge_cells("E4:E5")
    xlsx.add_row(sheet, ["Xã Hoà An", 52, 50, 1.04], formats={4: xlsx.PERCENT})
    xlsx.set_up(sheet, header=(4, 5))
    sheet = read(book)["A"]
    assert sheet.column_dimensions["B"].width == len("Thực hiện") + 2
    assert sheet.column_dimensions["E"].width == xlsx.HEADER_WIDTH + 2
    # 80 characters in 21 take four lines: three on row 4, one on row 5
    assert sheet.row_dimensions[4].height == 3 * xlsx.LINE_HEIGHT
    assert sheet.print_title_rows == "$4:$5" and sheet.freeze_panes == "A6"
