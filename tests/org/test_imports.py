"""Loading units: the official divisions (vietnam-provinces) and CSV files of cells and agencies."""

import unicodedata
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.factories import UnitFactory
from tuyengiao.org.imports import CsvImportError, divisions_import, units_import_csv
from tuyengiao.org.models import Kind, Level, Unit

LAI_CHAU_COMMUNES = 38


# Official divisions ---------------------------------------------------------------------------


@pytest.fixture
def lai_chau(db):
    result = divisions_import(province="12")
    return result, Unit.objects.get(code="12")


def test_importing_one_province_creates_the_root_the_province_and_its_communes(lai_chau):
    result, province = lai_chau
    root = Unit.objects.get(code="VN")
    assert root.name == "Trung ương"
    assert root.parent is None
    assert province.name == "Tỉnh Lai Châu"
    assert province.parent == root
    assert province.level == Level.PROVINCE
    communes = list(Unit.objects.filter(parent=province))
    assert len(communes) == LAI_CHAU_COMMUNES
    assert all(len(c.code) == 5 and c.code.isdigit() for c in communes)
    assert all(c.level == Level.COMMUNE for c in communes)
    assert all(c.path.startswith(province.path) for c in communes)
    assert result.created == 1 + LAI_CHAU_COMMUNES
    assert Unit.objects.count() == 1 + 1 + LAI_CHAU_COMMUNES
    # The search key is filled, so that the imported communes can be found without diacritics.
    assert all(c.search_key and c.search_key.isascii() for c in communes)


def test_a_second_import_changes_nothing(lai_chau):
    count = Unit.objects.count()
    again = divisions_import(province="12")
    assert again.created == 0
    assert again.updated == 0
    assert again.moved == 0
    assert again.unchanged == 1 + LAI_CHAU_COMMUNES
    assert Unit.objects.count() == count


def test_a_renamed_commune_gets_its_official_name_back(lai_chau):
    _result, province = lai_chau
    commune = Unit.objects.filter(parent=province).order_by("code").first()
    official = commune.name
    Unit.objects.filter(pk=commune.pk).update(name="Xã Tên Cũ", search_key="xa ten cu")
    result = divisions_import(province="12")
    commune.refresh_from_db()
    assert commune.name == official
    assert commune.search_key != "xa ten cu"
    assert result.updated == 1
    assert result.created == 0


def test_a_commune_found_under_another_parent_moves_back_with_its_subtree(lai_chau):
    _result, province = lai_chau
    root = Unit.objects.get(code="VN")
    elsewhere = UnitFactory(parent=root, name="Tỉnh Tạm", code="99")
    commune = Unit.objects.filter(parent=province).order_by("code").first()
    cell = UnitFactory(parent=commune, name="Chi bộ bản Một", kind=Kind.CELL)
    from tuyengiao.org.services import unit_move

    unit_move(actor=None, unit=commune, new_parent=elsewhere)
    cell.refresh_from_db()
    assert cell.path.startswith(elsewhere.path)

    result = divisions_import(province="12")

    commune.refresh_from_db()
    cell.refresh_from_db()
    assert result.moved == 1
    assert result.created == 0
    assert commune.parent == province
    assert commune.path.startswith(province.path)
    assert cell.parent == commune
    assert cell.path.startswith(commune.path)
    assert len(cell.path) == len(commune.path) + 4
    assert not Unit.objects.filter(parent=elsewhere).exists()


def test_an_unknown_province_code_is_refused(db):
    with pytest.raises(ValidationError) as excinfo:
        divisions_import(province="99")
    assert "99" in " ".join(excinfo.value.messages)
    assert not Unit.objects.exclude(code="VN").exists()


def test_a_province_code_that_is_not_a_number_is_refused_like_an_unknown_one(db):
    # `--province abc` on the command line must give a message, not a traceback.
    with pytest.raises(ValidationError):
        divisions_import(province="abc")


def test_the_command_prints_the_counts(db):
    out = StringIO()
    call_command("import_divisions", "--province", "12", stdout=out)
    assert f"Tạo mới {1 + LAI_CHAU_COMMUNES}" in out.getvalue()
    assert "cập nhật tên 0" in out.getvalue()
    out = StringIO()
    call_command("import_divisions", "--province", "12", stdout=out)
    assert "Tạo mới 0" in out.getvalue()
    assert f"giữ nguyên {1 + LAI_CHAU_COMMUNES}" in out.getvalue()


def test_the_command_reports_an_unknown_province_as_an_error(db):
    with pytest.raises(CommandError, match="99"):
        call_command("import_divisions", "--province", "99", stdout=StringIO())


# CSV ------------------------------------------------------------------------------------------

GOOD = (
    "cap_tren,ten,loai,ma,ten_viet_tat\n"
    "90001,Đảng bộ Cơ quan xã,cấp ủy,,ĐBCQ\n"
    "Xã Ngân Sơn,Chi bộ thôn Khuổi Khon,chi bộ,NS-KK,\n"
    "Xã Ngân Sơn,Ban Xây dựng Đảng,cơ quan,,BXDĐ\n"
    "Đảng bộ Cơ quan xã,Chi bộ Văn phòng,chi bộ,,\n"
)


def csv_bytes(text: str, *, bom: bool = True, delimiter: str = ",") -> bytes:
    if delimiter != ",":
        text = text.replace(",", delimiter)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def messages_by_line(exc: CsvImportError) -> dict[int, list[str]]:
    lines: dict[int, list[str]] = {}
    for error in exc.errors:
        lines.setdefault(error.line, []).append(error.message)
    return lines


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_good_file_adds_cells_and_agencies_under_units_named_by_code_or_name(world, delimiter):
    result = units_import_csv(actor=world.province_admin, data=csv_bytes(GOOD, delimiter=delimiter))
    assert result.created == 4
    assert result.unchanged == 0

    committee = Unit.objects.get(name="Đảng bộ Cơ quan xã")
    assert committee.parent == world.commune  # by code 90001
    assert committee.kind == Kind.COMMITTEE
    assert committee.short_name == "ĐBCQ"
    cell = Unit.objects.get(name="Chi bộ thôn Khuổi Khon")
    assert cell.parent == world.commune2  # by exact name
    assert cell.kind == Kind.CELL
    assert cell.code == "NS-KK"
    agency = Unit.objects.get(name="Ban Xây dựng Đảng")
    assert agency.parent == world.commune2
    assert agency.kind == Kind.AGENCY
    # A parent created on an earlier line of the same file.
    office_cell = Unit.objects.get(name="Chi bộ Văn phòng")
    assert office_cell.parent == committee
    assert office_cell.path.startswith(committee.path)


def test_a_file_without_bom_is_read_too(world):
    result = units_import_csv(actor=world.province_admin, data=csv_bytes(GOOD, bom=False))
    assert result.created == 4


def test_importing_the_same_file_again_creates_nothing(world):
    data = csv_bytes(GOOD.replace("NS-KK", ""))
    units_import_csv(actor=world.province_admin, data=data)
    count = Unit.objects.count()
    again = units_import_csv(actor=world.province_admin, data=data)
    assert again.created == 0
    assert again.unchanged == 4
    assert Unit.objects.count() == count


def test_a_file_with_unit_codes_can_be_imported_again(world):
    # The row's own unit, already imported, must not count as "code already used".
    data = csv_bytes(GOOD)
    units_import_csv(actor=world.province_admin, data=data)
    count = Unit.objects.count()
    again = units_import_csv(actor=world.province_admin, data=data)
    assert again.created == 0
    assert again.unchanged == 4
    assert Unit.objects.count() == count


BAD = (
    "cap_tren,ten,loai,ma\n"
    "90001,Chi bộ thôn Mới,chi bộ,\n"  # 2: good
    "90001,,chi bộ,\n"  # 3: no name
    "90001,Chi bộ Lạ,xyz,\n"  # 4: unknown kind
    "Xã Không Có,Chi bộ thôn Hai,chi bộ,\n"  # 5: unknown parent
    "90001,Chi bộ thôn Ba,chi bộ,90002\n"  # 6: code taken by Xã Ngân Sơn
    "Xã Hòa Bình,Chi bộ thôn Bốn,chi bộ,\n"  # 7: parent in the neighbouring province
    "90001,Chi bộ thôn Năm,chi bộ,CB5\n"  # 8: good
    "90001,Chi bộ thôn Sáu,chi bộ,CB5\n"  # 9: code already used on line 8
)


def test_a_file_with_bad_rows_reports_each_on_its_line_and_imports_nothing(world):
    count = Unit.objects.count()
    with pytest.raises(CsvImportError) as excinfo:
        units_import_csv(actor=world.province_admin, data=csv_bytes(BAD))
    lines = messages_by_line(excinfo.value)
    assert sorted(lines) == [3, 4, 5, 6, 7, 9]
    assert lines[3] == ["Thiếu tên đơn vị."]
    assert lines[4] == ["Loại “xyz” không hợp lệ; dùng: chi bộ, cơ quan, cấp ủy."]
    assert lines[5] == ["Không tìm thấy đơn vị cấp trên “Xã Không Có” trong phạm vi của bạn."]
    assert lines[6] == ["Mã “90002” đã được dùng."]
    assert lines[7] == ["Không tìm thấy đơn vị cấp trên “Xã Hòa Bình” trong phạm vi của bạn."]
    assert lines[9] == ["Mã “CB5” đã được dùng."]
    assert Unit.objects.count() == count
    assert not Unit.objects.filter(name="Chi bộ thôn Mới").exists()
    assert "Dòng 3: Thiếu tên đơn vị." in str(excinfo.value)


def test_line_numbers_count_blank_lines_too(world):
    data = csv_bytes("cap_tren,ten,loai\n90001,Chi bộ thôn Mới,chi bộ\n\n90001,,chi bộ\n")
    with pytest.raises(CsvImportError) as excinfo:
        units_import_csv(actor=world.province_admin, data=data)
    # The empty name is on the fourth line of the file, as the user's editor numbers it.
    assert [e.line for e in excinfo.value.errors] == [4]


def test_a_parent_that_appears_only_on_a_later_line_is_an_error_not_a_crash(world):
    data = csv_bytes(
        "cap_tren,ten,loai\n"
        "Đảng bộ Cơ quan xã,Chi bộ Văn phòng,chi bộ\n"  # its parent comes on line 3
        "90001,Đảng bộ Cơ quan xã,cấp ủy\n"
    )
    count = Unit.objects.count()
    with pytest.raises(CsvImportError) as excinfo:
        units_import_csv(actor=world.province_admin, data=data)
    assert [e.line for e in excinfo.value.errors] == [2]
    assert "Đảng bộ Cơ quan xã" in excinfo.value.errors[0].message
    assert Unit.objects.count() == count


def test_a_missing_required_column_is_reported_on_line_one(world):
    data = csv_bytes("ten,loai\nChi bộ thôn Mới,chi bộ\n")
    with pytest.raises(CsvImportError) as excinfo:
        units_import_csv(actor=world.province_admin, data=data)
    [error] = excinfo.value.errors
    assert error.line == 1
    assert error.message.startswith("Thiếu cột cap_tren.")


def test_vietnamese_column_headings_are_understood(world):
    data = csv_bytes("Cấp trên,Tên,Loại\n90001,Chi bộ thôn Mới,Chi bộ\n")
    assert units_import_csv(actor=world.province_admin, data=data).created == 1


@pytest.mark.parametrize(
    "data",
    [
        # Windows' Vietnamese code page writes tone marks as separate bytes.
        unicodedata.normalize("NFD", "cap_tren,ten\nXã Hoà An,Chi bo Moi\n").encode("cp1258"),
        "cap_tren,ten\n90001,Chi bo Hòa\n".encode("latin-1"),
    ],
    ids=["cp1258", "latin-1"],
)
def test_a_file_that_is_not_utf8_gets_a_message_about_utf8(world, data):
    count = Unit.objects.count()
    with pytest.raises(CsvImportError) as excinfo:
        units_import_csv(actor=world.province_admin, data=data)
    [error] = excinfo.value.errors
    assert error.line == 1
    assert error.message == "Tệp không phải văn bản UTF-8. Hãy lưu lại dưới dạng CSV UTF-8."
    assert Unit.objects.count() == count


# The upload page -------------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "don_vi.csv"):
    return client.post(
        "/units/import/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


def test_the_upload_page_shows_the_errors_with_line_numbers_and_imports_nothing(client, world):
    client.force_login(world.province_admin)
    count = Unit.objects.count()
    response = upload(client, csv_bytes(BAD))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tệp có lỗi, chưa nhập dòng nào" in page
    assert "Dòng 3: Thiếu tên đơn vị." in page
    assert "Dòng 4: Loại “xyz” không hợp lệ" in page
    assert "Dòng 6: Mã “90002” đã được dùng." in page
    assert Unit.objects.count() == count


def test_a_row_the_model_refuses_is_shown_as_an_error_not_a_server_error(client, world):
    # A short name longer than the 32 characters the column holds.
    data = csv_bytes(
        "cap_tren,ten,loai,ma,ten_viet_tat\n"
        "90001,Chi bộ thôn Mới,chi bộ,,\n"
        f"90001,Chi bộ thôn Dài,chi bộ,,{'X' * 40}\n"
    )
    client.force_login(world.province_admin)
    count = Unit.objects.count()
    response = upload(client, data)
    assert response.status_code == 200
    assert "Dòng 3" in response.content.decode()
    assert Unit.objects.count() == count


def test_a_good_upload_redirects_with_a_success_message(client, world):
    client.force_login(world.province_admin)
    response = upload(client, csv_bytes(GOOD))
    assert response.status_code == 302
    assert response.url == "/units/import/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã nhập 4 đơn vị mới; 0 đơn vị đã có từ trước."
    ]
    assert Unit.objects.filter(name="Chi bộ Văn phòng").exists()
    page = client.get(response.url).content.decode()
    assert "Đã nhập 4 đơn vị mới" in page


def test_a_non_utf8_upload_shows_the_utf8_message(client, world):
    client.force_login(world.province_admin)
    response = upload(client, "cap_tren,ten\n90001,Chi bo Hòa\n".encode("latin-1"))
    assert response.status_code == 200
    assert "Hãy lưu lại dưới dạng CSV UTF-8" in response.content.decode()


@pytest.mark.parametrize("persona", ["commune_staff", "province_manager", "cell_viewer"])
def test_only_administrators_may_import(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/units/import/").status_code == 403
    count = Unit.objects.count()
    assert upload(client, csv_bytes(GOOD)).status_code == 403
    assert Unit.objects.count() == count


@pytest.mark.parametrize(
    "name, division_type, expected",
    [
        ("Lai Châu", "tỉnh", "Tỉnh Lai Châu"),  # vietnam-provinces before 2026
        ("Tỉnh Lai Châu", "tỉnh", "Tỉnh Lai Châu"),  # 2026.9 and later
        ("Thành phố Hà Nội", "thành phố trung ương", "Thành phố Hà Nội"),
        ("Hà Nội", "thành phố trung ương", "Thành phố Hà Nội"),
        ("Tỉnh Điện Biên", "tỉnh", "Tỉnh Điện Biên"),  # decomposed diacritics
    ],
)
def test_a_province_is_named_once_whatever_the_package_release(name, division_type, expected):
    from types import SimpleNamespace
    from unicodedata import normalize

    from tuyengiao.org.imports import province_name

    raw = normalize("NFD", name) if "Điện" in name else name
    province = SimpleNamespace(name=raw, division_type=division_type)
    assert province_name(province) == expected
