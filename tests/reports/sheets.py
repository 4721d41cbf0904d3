"""Checks on the workbooks the system produces, shared by the tests of every export."""

import re
import zipfile
from io import BytesIO

from openpyxl import load_workbook

# What someone might type as a unit name, a text figure, a title or a line of a summary.
INJECTION = '=HYPERLINK("http://example.com/x","Bấm vào đây")'


def formulas(content: bytes) -> list[str]:
    """Every place the workbook holds a formula: a cell openpyxl reads as one, or an <f>
    element in a sheet's XML (what Excel and LibreOffice would evaluate)."""
    found = []
    for sheet in load_workbook(BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            found += [f"{sheet.title}!{c.coordinate}" for c in row if c.data_type == "f"]
    with zipfile.ZipFile(BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >/]", archive.read(name)):
                found.append(name)
    return found


def cells_with(book, text: str) -> list:
    """The cells of the workbook whose value is `text`."""
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == text
    ]


def assert_inert(content: bytes, *texts: str) -> None:
    """No formula anywhere, and each text is in the workbook, as typed, as a string cell marked
    with Excel's quote prefix."""
    assert formulas(content) == []
    book = load_workbook(BytesIO(content))
    for text in texts:
        found = cells_with(book, text)
        assert found, f"{text!r} is not in the workbook"
        for cell in found:
            assert (cell.data_type, cell.quotePrefix) == ("s", True), cell.coordinate


def assert_set_up(sheet, header: tuple[int, int] = (4, 4)) -> None:
    """The sheet says what (row 1) and where, when and the day of export (row 2) above its
    table; its header rows are frozen and printed on every page of an A4 page as wide as the
    table."""
    assert sheet["A1"].value and sheet["A1"].font.b
    assert "Xuất ngày " in sheet["A2"].value
    assert re.sub("^[A-Z]+", "", sheet.freeze_panes) == str(header[1] + 1)
    assert sheet.print_title_rows == f"${header[0]}:${header[1]}"
    setup = sheet.page_setup
    assert setup.paperSize == 9 and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
