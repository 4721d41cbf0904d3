"""Files as people upload them, made in memory: real documents and impostors."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OLE2_BYTES = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def zip_bytes(*members: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for member in members:
            archive.writestr(member, "<x/>")
    return out.getvalue()


DOCX_BYTES = zip_bytes("word/document.xml")
XLSX_BYTES = zip_bytes("xl/workbook.xml")


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    """An uploaded file as Django hands it to a form or a service (the browser's type is a
    claim, not a fact: the impostors below claim to be PDFs)."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "van-ban.pdf"):
    return upload(name, PDF_BYTES, "application/pdf")


def html_named(name: str = "van-ban.pdf"):
    return upload(name, HTML_BYTES, "application/pdf")
