"""The one way an XLSX file is sent to the browser."""

from django.http import HttpResponse

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    """A download of `content` named `stem`.xlsx (the stem already safe for a file name)."""
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response
