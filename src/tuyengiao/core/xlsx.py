"""What every Excel file shares: the house style of its cells, how it becomes bytes, and the
one way it is sent to the browser."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl.styles import Alignment, Font, PatternFill

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = "0.00%"
DATE = "DD/MM/YYYY"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="EEF1F5")
WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")


def workbook_bytes(book) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    """A download of `content` named `stem`.xlsx (the stem already safe for a file name)."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response
