"""The units CSV is read by its content: a workbook, UTF-16 text or a binary file uploaded in its
place says what it is and imports nothing."""

import pytest

from tests.uploads import PDF_BYTES, XLSX_BYTES
from tuyengiao.org import imports
from tuyengiao.org.imports import CsvImportError, units_import_csv
from tuyengiao.org.models import Unit

from .test_imports import upload

CSV = "cap_tren,ten,loai\n90001,Chi bộ thôn Mới,chi bộ\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            XLSX_BYTES,
            "Tệp là bảng tính hoặc tài liệu (Excel, Word), không phải tệp CSV. Hãy mở bằng "
            "Excel và lưu lại dưới dạng CSV UTF-8.",
        ),
        (
            CSV.encode("utf-16"),  # Excel's "Unicode Text"
            "Tệp là văn bản UTF-16, không phải UTF-8. Hãy lưu lại dưới dạng CSV UTF-8.",
        ),
        (PDF_BYTES, "Tệp không phải văn bản CSV. Hãy lưu lại dưới dạng CSV UTF-8."),
    ],
    ids=["xlsx", "utf-16", "pdf"],
)
def test_a_file_that_is_not_csv_text_says_what_it_is_on_line_one(world, content, message):
    count = Unit.objects.count()
    with pytest.raises(CsvImportError) as refused:
        units_import_csv(actor=world.province_admin, data=content)
    assert [(e.line, e.message) for e in refused.value.errors] == [(1, message)]
    assert Unit.objects.count() == count


def test_a_workbook_named_csv_is_refused_on_the_page(client, world):
    client.force_login(world.province_admin)
    response = upload(client, XLSX_BYTES, name="don_vi.csv")
    assert response.status_code == 200
    assert "Tệp là bảng tính hoặc tài liệu (Excel, Word), không phải tệp CSV" in (
        response.content.decode()
    )


def test_the_import_limits_the_size_whoever_calls_it(world, monkeypatch):
    assert imports.MAX_CSV_BYTES == 5 * 1024 * 1024
    monkeypatch.setattr(imports, "MAX_CSV_BYTES", len(CSV.encode()) - 1)
    with pytest.raises(CsvImportError) as refused:
        units_import_csv(actor=world.province_admin, data=CSV.encode())
    assert refused.value.errors[0].message.startswith("Tệp quá lớn")
