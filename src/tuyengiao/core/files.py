"""What an uploaded file is, read from its content and never from its name; and how a stored
upload goes back to a browser.

Every upload a feature takes is checked here — a document (`check_upload`), a photo
(`decoded_image`), a text file (`read_text`) — and every stored upload goes out through
`download`, from a view that has found the object in the user's scope: no uploaded file is ever
served from a public folder (`core.storage.UploadStorage` gives stored files no URL at all).
"""

import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from os.path import splitext
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from tuyengiao.text import format_number, nfc


class FileRefused(ValueError):
    """The upload is not what the feature takes; the message says why, in the user's words."""


@dataclass(frozen=True)
class FileType:
    code: str
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", ".pdf", "application/pdf", "PDF")
DOCX = FileType(
    "docx",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (.docx)",
)
DOC = FileType("doc", ".doc", "application/msword", "Word 97–2003 (.doc)")
XLSX = FileType(
    "xlsx",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (.xlsx)",
)
JPEG = FileType("jpeg", ".jpg", "image/jpeg", "JPEG")
_OTHER = FileType("", "", "application/octet-stream", "")
DOCUMENTS = (PDF, DOCX, DOC)
BY_EXTENSION = {t.extension: t for t in (PDF, DOCX, DOC, XLSX, JPEG)}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97–2003
_ZIP = b"PK\x03\x04"
_ZIP_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}  # the part each must hold


def _seek_start(file) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def zip_members(file) -> list[zipfile.ZipInfo] | None:
    """The members of a ZIP file as its central directory lists them (nothing is unpacked), or
    None when the file is not a readable ZIP. The file is left at its start."""
    _seek_start(file)
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        _seek_start(file)


def file_type(file) -> FileType | None:
    """What the file is by its content: a PDF (it starts with `%PDF-`), a Word document or an
    Excel workbook (a ZIP holding word/document.xml or xl/workbook.xml), a Word 97–2003 file
    (an Office compound file); None for anything else (an HTML page named .pdf is None).
    The file is read from its start and left there."""
    _seek_start(file)
    head = file.read(8)
    _seek_start(file)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(_OLE2):
        return DOC
    if head.startswith(_ZIP):
        names = {m.filename for m in zip_members(file) or ()}
        return next((kind for part, kind in _ZIP_PARTS.items() if part in names), None)
    return None


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


def _megabytes(count: int) -> str:
    return format_number(count / (1024 * 1024), 0 if count % (1024 * 1024) == 0 else 1)


def _labels(types: Sequence[FileType]) -> str:
    labels = [t.label for t in types]
    if len(labels) == 1:
        return labels[0]
    return _("%(some)s hoặc %(last)s") % {"some": ", ".join(labels[:-1]), "last": labels[-1]}


def check_upload(file, types: Sequence[FileType], *, max_bytes: int) -> FileType:
    """The upload's type, one of `types`, read from its content; FileRefused when it is empty,
    larger than `max_bytes`, or anything else — whatever its name says."""
    size = _size(file)
    if size > max_bytes:
        raise FileRefused(_("Tệp quá lớn (tối đa %(max)s MB).") % {"max": _megabytes(max_bytes)})
    if size == 0:
        raise FileRefused(_("Tệp rỗng."))
    found = file_type(file)
    if found in types:
        return found
    name = nfc(getattr(file, "name", "") or "")
    extension = splitext(name)[1].lower()
    if extension in {t.extension for t in types}:
        raise FileRefused(
            _("Tệp “%(name)s” có đuôi %(extension)s nhưng nội dung không phải là tệp %(kinds)s.")
            % {"name": name, "extension": extension, "kinds": _labels(types)}
        )
    raise FileRefused(
        _("Chỉ nhận tệp %(kinds)s; nội dung tệp “%(name)s” không phải loại đó.")
        % {"name": name, "kinds": _labels(types)}
    )


def named_for(file, kind: FileType):
    """The upload renamed to end with its type's extension (a PDF sent as "x.doc" is stored
    as "x.pdf"), so the stored name never disagrees with the content."""
    stem = splitext(getattr(file, "name", "") or "")[0] or kind.code
    file.name = f"{stem}{kind.extension}"
    return file


# Text ------------------------------------------------------------------------------------------


def read_text(data: bytes) -> str:
    """Bytes that should be UTF-8 text (a CSV file), as text; FileRefused saying what they are
    instead: a workbook, UTF-16 text, another encoding, or binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused(
            _("Tệp là văn bản UTF-16, không phải UTF-8. Hãy lưu lại dưới dạng CSV UTF-8.")
        )
    if data.startswith((_ZIP, _OLE2)):
        raise FileRefused(
            _(
                "Tệp là bảng tính hoặc tài liệu (Excel, Word), không phải tệp CSV. Hãy mở bằng "
                "Excel và lưu lại dưới dạng CSV UTF-8."
            )
        )
    if b"\0" in data or data.startswith(b"%PDF-"):
        raise FileRefused(_("Tệp không phải văn bản CSV. Hãy lưu lại dưới dạng CSV UTF-8."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(
            _("Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8.")
        ) from None


# Images ----------------------------------------------------------------------------------------

# Phones save 12 to 24 megapixels by default; the few set to save more are asked for a smaller
# copy. Beyond these limits a file of a few kilobytes can decode to gigabytes.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 12_000
# What phones and browsers send. Pillow knows many more formats; each is a decoder more to
# attack (EPS even runs Ghostscript), so only these are ever opened.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP")  # JPEG opens the MPO of some phones too
_PIXELS = re.compile(r"\((\d+) pixels\)")


def _too_large(size: str) -> FileRefused:
    return FileRefused(
        _(
            "Ảnh quá lớn (%(size)s điểm ảnh): chỉ nhận ảnh đến %(max)s điểm ảnh, mỗi chiều "
            "đến %(side)s điểm ảnh. Hãy chụp lại hoặc thu nhỏ ảnh."
        )
        % {
            "size": size,
            "max": format_number(MAX_IMAGE_PIXELS),
            "side": format_number(MAX_IMAGE_SIDE),
        }
    )


def _bomb(exc: Exception) -> FileRefused:
    """Pillow's own refusal, which names the pixels but not the sides."""
    found = _PIXELS.search(str(exc))
    return _too_large(format_number(int(found.group(1))) if found else "?")


def decoded_image(file, *, fit: tuple[int, int] | None = None):
    """The uploaded image decoded (a Pillow image), once its header — read without decoding
    anything — has shown it within MAX_IMAGE_PIXELS and MAX_IMAGE_SIDE. FileRefused for what is
    no image of IMAGE_FORMATS, is broken, or is too large ("Ảnh quá lớn (… điểm ảnh)": a
    decompression bomb says so, not "not an image").

    `fit`: the box the caller will shrink it into; a JPEG is then decoded straight at the
    smallest scale that still covers the box, many times faster for a phone's photo.
    """
    from PIL import Image

    # Pillow's own guard for every image this process opens: above the limit it warns, above
    # twice the limit it refuses in Image.open, before a pixel is decoded.
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    Image.init()  # every format's plugin registered (Image.open loads only the commonest first)
    _seek_start(file)
    not_an_image = FileRefused(_("Tệp không phải là ảnh (JPEG, PNG…)."))
    try:
        image = Image.open(file, formats=IMAGE_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # (the warning is raised where warnings are errors, as a test may make them)
        raise _bomb(exc) from None
    except Exception:  # Pillow raises many kinds of error on what is not an image it opens
        raise not_an_image from None
    width, height = image.size
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        image.close()
        raise _too_large(f"{format_number(width)} × {format_number(height)}")
    try:
        if fit is not None and image.format in ("JPEG", "MPO"):
            image.draft("RGB", fit)
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _bomb(exc) from None
    except Exception:  # a truncated or corrupt image shows only when it is decoded
        raise not_an_image from None
    return image


# Going back to the browser ---------------------------------------------------------------------

_SLASHES = re.compile(r"[/\\]+")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f:*?"<>|]+')


def safe_filename(stem: str, kind: FileType, *, max_length: int = 120) -> str:
    """A file name for `Content-Disposition` made from `stem` ("01-KL/TW Về việc…"): Vietnamese
    kept (NFC), no path separators, quotes or control characters, at most `max_length`
    characters before the extension, which is the type's own."""
    text = _SLASHES.sub("-", unicodedata.normalize("NFC", stem or ""))  # 01-KL/TW: 01-KL-TW
    text = nfc(_UNSAFE.sub(" ", text))
    text = re.sub(r"-{2,}", "-", text).strip(" .-")
    if len(text) > max_length:
        text = text[:max_length].rsplit(" ", 1)[0].rstrip(" .-") or text[:max_length]
    return f"{text or 'tep'}{kind.extension}"


def _ascii(name: str) -> str:
    """The name without diacritics, for browsers that do not read `filename*`."""
    bare = "".join(
        c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)
    ).translate({ord("đ"): "d", ord("Đ"): "D"})
    bare = re.sub(r"[^A-Za-z0-9._-]+", "-", bare).strip("-")
    return bare or "tep"


def content_disposition(filename: str) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266): the Vietnamese name for
    every current browser, a plain one for the others."""
    plain, encoded = _ascii(filename), quote(filename, safe="")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}"


def download(field_file, *, name: str) -> FileResponse:
    """A stored upload as a response, saved by the browser as `name` (made safe, with the
    extension of the type the upload was stored as): never shown in the site's own origin, so
    an HTML file that slipped in runs nothing; its declared type only (`nosniff`); kept by no
    shared cache. 404 when there is no file or it is missing from the storage."""
    if not field_file:
        raise Http404
    kind = type_of_stored(field_file.name) or _OTHER
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=kind.content_type)
    response["Content-Disposition"] = content_disposition(safe_filename(name, kind))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def type_of_stored(name: str) -> FileType | None:
    """The type a stored upload was saved as, from the extension `named_for` gave it."""
    return BY_EXTENSION.get(splitext(name or "")[1].lower())


PHOTO_SIDE = 1600
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def clean_photo(upload, *, side: int = PHOTO_SIDE, max_bytes: int = MAX_PHOTO_BYTES):
    """A photo as it is kept: re-encoded as JPEG without its metadata (EXIF can hold where and
    by whom), turned upright, at most `side` points on its longer side; (ContentFile, width,
    height). Its size is read from its header before anything is decoded: a small file that
    decodes to gigabytes is refused as too large ("Ảnh quá lớn (… điểm ảnh)"), not as "not an
    image". FileRefused with the message for the user."""
    import io

    from django.core.files.base import ContentFile
    from PIL import ImageOps

    if upload.size > max_bytes:
        raise FileRefused(_("Mỗi ảnh tối đa 10 MB."))
    decoded = decoded_image(upload, fit=(side, side))
    with decoded:
        image = ImageOps.exif_transpose(decoded).convert("RGB")
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return ContentFile(out.getvalue(), name="anh.jpg"), image.width, image.height
