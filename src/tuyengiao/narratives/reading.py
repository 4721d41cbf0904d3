"""The text of what a person hands in to be read: UTF-8 text or a Word document (DOCX:
paragraphs and table cells, in the document's order). One door for the page and the command."""

import io

from django.utils.translation import gettext as _

from tuyengiao.core.files import (
    DOCX,
    FileRefused,
    check_upload,
    file_type,
    read_text,
    zip_members,
)
from tuyengiao.reports.docx import document_text

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a DOCX's parts once unpacked (a ZIP bomb is refused)
MAX_CHARS = 200_000  # a long province report is 30,000 characters


def docx_text(data: bytes) -> str:
    """A DOCX's paragraphs and table rows (reports.docx.document_text), once its parts are
    known to unpack to a sane size."""
    members = zip_members(io.BytesIO(data))
    if members is None:
        raise FileRefused(_("Không đọc được tệp Word (.docx) này."))
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("Tệp Word quá lớn khi giải nén."))
    try:
        return document_text(data)
    except ValueError:
        raise FileRefused(_("Không đọc được tệp Word (.docx) này.")) from None


def text_of(data: bytes) -> str:
    """UTF-8 text or a DOCX's text; FileRefused with the reason otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefused(_("Tệp quá lớn (tối đa 5 MB)."))
    kind = file_type(io.BytesIO(data))
    if kind == DOCX:
        text = docx_text(data)
    elif kind is not None:
        raise FileRefused(_("Chỉ đọc được văn bản UTF-8 hoặc tệp Word (.docx)."))
    else:
        try:
            text = read_text(data)
        except FileRefused:
            raise FileRefused(_("Chỉ đọc được văn bản UTF-8 hoặc tệp Word (.docx).")) from None
    return check_length(text)


def upload_text(file) -> str:
    """An uploaded DOCX's text, checked by its content (core.files)."""
    check_upload(file, (DOCX,), max_bytes=MAX_UPLOAD_BYTES)
    file.seek(0)
    return check_length(docx_text(file.read()))


def check_length(text: str) -> str:
    if len(text) > MAX_CHARS:
        raise FileRefused(
            _("Văn bản quá dài (tối đa %(n)s ký tự).") % {"n": f"{MAX_CHARS:,}".replace(",", ".")}
        )
    return text
