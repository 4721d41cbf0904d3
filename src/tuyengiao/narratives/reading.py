"""The text of what a person hands in to be read: UTF-8 text or a Word document (DOCX:
paragraphs and table cells, in the document's order). One door for the page and the command."""

import io
import zipfile

from django.utils.translation import gettext as _

from tuyengiao.core.files import (
    DOCX,
    FileRefused,
    check_upload,
    file_type,
    read_text,
    zip_members,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a DOCX's parts once unpacked (a ZIP bomb is refused)
MAX_CHARS = 200_000  # a long province report is 30,000 characters


def docx_text(data: bytes) -> str:
    """Paragraphs and table rows of a DOCX, one per line; a row's cells joined by " | "."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    members = zip_members(io.BytesIO(data))
    if members is None:
        raise FileRefused(_("Không đọc được tệp Word (.docx) này."))
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise FileRefused(_("Tệp Word quá lớn khi giải nén."))
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Exception) as exc:
        # python-docx and lxml raise many kinds of errors on a damaged part
        raise FileRefused(_("Không đọc được tệp Word (.docx) này.")) from exc
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:  # a merged cell repeats itself
                        cells.append(text)
                lines.append(" | ".join(cells))
    return "\n".join(lines)


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
