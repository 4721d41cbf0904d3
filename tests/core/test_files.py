"""What an uploaded file is, by its content; images refused by their header before decoding;
stored uploads sent back as downloads, never from a public URL."""

import io
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from PIL import Image, ImageFile

from tests.uploads import (
    DOCX_BYTES,
    HTML_BYTES,
    OLE2_BYTES,
    PDF_BYTES,
    XLSX_BYTES,
    upload,
    zip_bytes,
)
from tuyengiao.core import files
from tuyengiao.core.files import DOC, DOCUMENTS, DOCX, PDF, XLSX, FileRefused
from tuyengiao.core.storage import uploads_are_not_public

# What a file is -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, PDF),
        (DOCX_BYTES, DOCX),
        (OLE2_BYTES, DOC),
        (XLSX_BYTES, XLSX),
        (HTML_BYTES, None),
        (b"  %PDF-1.4 after some spaces", None),
        (zip_bytes("hello.txt"), None),  # a ZIP, but no Office document
        (b"PK\x03\x04 cut short", None),
        (b"", None),
    ],
    ids=["pdf", "docx", "doc", "xlsx", "html", "pdf-not-at-start", "zip", "broken-zip", "empty"],
)
def test_a_file_is_known_by_its_content(content, expected):
    file = io.BytesIO(content)
    file.seek(3 if content else 0)
    assert files.file_type(file) == expected
    assert file.tell() == 0  # left at its start for whoever reads it next


def test_an_html_page_named_pdf_is_refused_saying_so():
    with pytest.raises(FileRefused) as refused:
        files.check_upload(upload("chi-thi.pdf", HTML_BYTES), DOCUMENTS, max_bytes=1000)
    assert str(refused.value) == (
        "Tệp “chi-thi.pdf” có đuôi .pdf nhưng nội dung không phải là tệp "
        "PDF, Word (.docx) hoặc Word 97–2003 (.doc)."
    )


def test_a_file_of_another_kind_is_refused_naming_what_is_taken():
    with pytest.raises(FileRefused) as refused:
        files.check_upload(upload("trang.html", HTML_BYTES), DOCUMENTS, max_bytes=1000)
    assert str(refused.value) == (
        "Chỉ nhận tệp PDF, Word (.docx) hoặc Word 97–2003 (.doc); nội dung tệp “trang.html” "
        "không phải loại đó."
    )


def test_a_real_document_is_taken_whatever_its_name_and_renamed_to_what_it_is():
    file = upload("bao-cao.doc", PDF_BYTES)
    kind = files.check_upload(file, DOCUMENTS, max_bytes=1000)
    assert kind == PDF
    assert files.named_for(file, kind).name == "bao-cao.pdf"
    assert files.check_upload(upload("x", DOCX_BYTES), DOCUMENTS, max_bytes=10**6) == DOCX


def test_sizes_are_limited_and_an_empty_file_is_refused():
    big = upload("a.pdf", PDF_BYTES)
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(FileRefused, match=r"^Tệp quá lớn \(tối đa 20 MB\)\.$"):
        files.check_upload(big, DOCUMENTS, max_bytes=20 * 1024 * 1024)
    with pytest.raises(FileRefused, match="^Tệp rỗng.$"):
        files.check_upload(upload("a.pdf", b""), DOCUMENTS, max_bytes=1000)


# Text -----------------------------------------------------------------------------------------


def test_text_is_read_as_utf8_with_or_without_bom():
    assert files.read_text(b"cap_tren,ten\n") == "cap_tren,ten\n"
    assert files.read_text("\ufeffXã".encode()) == "Xã"


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (XLSX_BYTES, "bảng tính"),
        (OLE2_BYTES, "bảng tính"),
        ("cap_tren,ten\n".encode("utf-16"), "UTF-16"),
        (PDF_BYTES, "không phải văn bản CSV"),
        (b"cap_tren\0ten", "không phải văn bản CSV"),
        ("Hòa".encode("latin-1"), "không phải văn bản UTF-8"),
    ],
    ids=["xlsx", "xls", "utf-16", "pdf", "binary", "latin-1"],
)
def test_what_is_not_utf8_text_says_what_it_is(content, says):
    with pytest.raises(FileRefused) as refused:
        files.read_text(content)
    assert says in str(refused.value)
    assert "CSV UTF-8" in str(refused.value)


# Images ---------------------------------------------------------------------------------------


def image_file(mode: str, size: tuple[int, int], fmt: str = "PNG") -> io.BytesIO:
    out = io.BytesIO()
    Image.new(mode, size).save(out, fmt)
    out.seek(0)
    return out


def test_a_photo_within_the_limits_is_decoded():
    image = files.decoded_image(image_file("RGB", (400, 300), "JPEG"), fit=(100, 100))
    assert image.format == "JPEG"
    assert 100 <= image.size[0] < 400 and image.size[1] >= 75  # decoded smaller, not too small


def test_a_12000_by_12000_png_of_a_few_kilobytes_is_refused_before_decoding(monkeypatch):
    file = image_file("1", (12_000, 12_000))
    assert len(file.getvalue()) < 50_000
    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: decoded.append(self))
    with pytest.raises(FileRefused) as refused:
        files.decoded_image(file)
    assert str(refused.value).startswith("Ảnh quá lớn (144.000.000 điểm ảnh)")
    assert "40.000.000 điểm ảnh" in str(refused.value)
    assert decoded == []


def test_an_image_just_over_the_pixel_limit_is_refused_with_its_sides():
    # 48 megapixels: over the limit, under twice it, where Pillow only warns.
    too_large = r"^Ảnh quá lớn \(8\.000 × 6\.000 điểm ảnh\)"
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(FileRefused, match=too_large):
        files.decoded_image(image_file("1", (8_000, 6_000)))


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_where_warnings_are_errors_the_bomb_is_still_refused_as_too_large():
    with pytest.raises(FileRefused, match=r"^Ảnh quá lớn \(48\.000\.000 điểm ảnh\)"):
        files.decoded_image(image_file("1", (8_000, 6_000)))


def test_a_long_strip_is_refused_by_its_side():
    with pytest.raises(FileRefused, match=r"^Ảnh quá lớn \(12\.001 × 10 điểm ảnh\)"):
        files.decoded_image(image_file("L", (12_001, 10)))


def test_a_decompression_bomb_says_so_not_not_an_image():
    """100,000 × 100,000 pixels of one colour: a file of some kilobytes, ten gigabytes decoded.
    The header is written by hand, as an attacker would, since no tool makes one."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    side = 100_000
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (1 + side // 8) * 64, 9)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows)
    bomb += chunk(b"IEND", b"")
    with pytest.raises(FileRefused) as refused:
        files.decoded_image(io.BytesIO(bomb))
    assert str(refused.value).startswith("Ảnh quá lớn (10.000.000.000 điểm ảnh)")


@pytest.mark.parametrize(
    "content",
    [b"not an image", HTML_BYTES, PDF_BYTES, image_file("RGB", (40, 30)).getvalue()[:60]],
    ids=["text", "html", "pdf", "truncated-png"],
)
def test_what_is_not_an_image_says_so(content):
    with pytest.raises(FileRefused, match=r"^Tệp không phải là ảnh"):
        files.decoded_image(io.BytesIO(content))


def test_formats_outside_what_phones_send_are_not_opened():
    with pytest.raises(FileRefused, match=r"^Tệp không phải là ảnh"):
        files.decoded_image(image_file("RGB", (40, 30), "TIFF"))


# Going back to the browser --------------------------------------------------------------------


def test_a_vietnamese_name_is_kept_safe():
    name = files.safe_filename('01-KL/TW Về "việc"\r\n<học> tập: a\\b', PDF)
    assert name == "01-KL-TW Về việc học tập a-b.pdf"
    assert files.safe_filename("  ", DOCX) == "tep.docx"
    long = files.safe_filename("Nghị quyết " * 30, PDF, max_length=40)
    assert long == "Nghị quyết Nghị quyết Nghị quyết Nghị.pdf"


def test_the_disposition_names_the_file_in_utf8_with_a_plain_fallback():
    header = files.content_disposition("Đề án số 1.pdf")
    plain, encoded = header.split("; filename*=UTF-8''")
    assert plain == 'attachment; filename="De-an-so-1.pdf"'
    assert unquote(encoded) == "Đề án số 1.pdf"
    assert " " not in encoded and '"' not in encoded


def test_a_download_is_an_attachment_of_its_stored_type(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = default_storage.save("directives/2026/chi-thi.pdf", ContentFile(PDF_BYTES))

    class Holder:  # what a model's FileField gives a view
        name = stored

        def __bool__(self):
            return True

        def open(self, mode):
            return default_storage.open(stored, mode)

    response = files.download(Holder(), name="05-CT/TW Về học tập")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="05-CT-TW-Ve-hoc-tap.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == PDF_BYTES
    default_storage.delete(stored)
    with pytest.raises(Http404):
        files.download(Holder(), name="x")


def test_a_stored_upload_has_no_public_url(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = default_storage.save("x.pdf", ContentFile(PDF_BYTES))
    with pytest.raises(ValueError, match="no public URL"):
        default_storage.url(stored)


def test_uploads_kept_in_a_static_folder_fail_the_system_check(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "var"
    assert uploads_are_not_public() == []
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    [error] = uploads_are_not_public()
    assert error.id == "tuyengiao.E001"
