import unicodedata

import pytest

from tuyengiao.text import DOC_TYPES, Symbol, SymbolError, parse_symbol


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01-KL/TW", "01-KL/TW"),
        ("01-KL/TƯ", "01-KL/TW"),
        ("01-KL/Tư", "01-KL/TW"),
        ("1-KL/TW", "1-KL/TW"),
        ("05 CT/TW", "05-CT/TW"),
        ("05-CT/TW", "05-CT/TW"),
        ("05CT/TW", "05-CT/TW"),
        ("Chỉ thị số 05-CT/TW", "05-CT/TW"),
        ("Chỉ thị 05-CT/TW", "05-CT/TW"),
        ("chi thi so 05-CT/TW", "05-CT/TW"),
        ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", "01-KL/TW"),
        ("Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị", "01-KL/TW"),
        ("Kết luận số 01-KL/TW của Bộ Chính trị về tiếp tục thực hiện", "01-KL/TW"),
        ("35-NQ/TW", "35-NQ/TW"),
        ("Nghị quyết số 57-NQ/TW", "57-NQ/TW"),
        ("36-HD/VPTW", "36-HD/VPTW"),
        ("12-KH/TU", "12-KH/TU"),
        ("12 - KH / TU", "12-KH/TU"),
        ("12–KH/TU", "12-KH/TU"),
        ("12—KH/TU", "12-KH/TU"),
        ("12\u00a0-\u00a0KH/TU", "12-KH/TU"),
        ("  Kế hoạch   số 12-KH/TU  ", "12-KH/TU"),
        ("01-kl/tw", "01-KL/TW"),
        ("số 01-KL/TW", "01-KL/TW"),
        ("Số 01-KL/TW", "01-KL/TW"),
        ("01-KL/TW.", "01-KL/TW"),
        ("68-QĐ/TW", "68-QĐ/TW"),
        (unicodedata.normalize("NFD", "Quy định số 68-QĐ/TƯ"), "68-QĐ/TW"),
        ("68-QD/TW", "68-QĐ/TW"),
        ("68-qđ/tw", "68-QĐ/TW"),
        ("68-QÐ/TW", "68-QĐ/TW"),  # Icelandic eth, looks like Đ
        ("Quyết định số 298-QĐ/TW", "298-QĐ/TW"),
        ("Quy định số 08-QĐi/TW", "08-QĐi/TW"),
        ("121-KL/TW", "121-KL/TW"),
        ("01-CTr/TU", "01-CTr/TU"),
        ("01-CTR/TU", "01-CTr/TU"),
        ("Chương trình hành động số 01-CTr/TU", "01-CTr/TU"),
        ("03-CTHĐ/TU", "03-CTHĐ/TU"),
        ("Chương trình hành động số 03-CTHD/TU", "03-CTHĐ/TU"),
        ("15-TB/TW", "15-TB/TW"),
        ("45-BC/BTGTU", "45-BC/BTGTU"),
        ("07-ĐA/TU", "07-ĐA/TU"),
        ("Đề án số 07-DA/TU", "07-ĐA/TU"),
        ("125-CV/BTGDVTU", "125-CV/BTGDVTU"),
        ("02-QC/TW", "02-QC/TW"),
        ("Quy chế số 02-QC/TW", "02-QC/TW"),
        ("10-NQ/ĐU", "10-NQ/ĐU"),
        ("10-NQ/DU", "10-NQ/ĐU"),
        ("10-NQ/đuk", "10-NQ/ĐUK"),
        ("10-NQ/DUK", "10-NQ/ĐUK"),
        ("03-KH/BCD", "03-KH/BCĐ"),
        ("14-HD/BTGTƯ", "14-HD/BTGTW"),
        ("09-CT/HU", "09-CT/HU"),
        ("Thông báo số 15-TB/TW", "15-TB/TW"),
        ("Công văn số 125-CV/BTGDVTU", "125-CV/BTGDVTU"),
        ("Báo cáo 45-BC/BTGTU", "45-BC/BTGTU"),
        ("Hướng dẫn số 36-HD/VPTW", "36-HD/VPTW"),
        ("01\u200b-KL/TW", "01-KL/TW"),  # zero-width space from a copied web page
    ],
)
def test_it_reads_real_world_spellings(text: str, expected: str) -> None:
    assert str(parse_symbol(text)) == expected


@pytest.mark.parametrize(
    ("text", "part", "fragment"),
    [
        ("", "text", "Chưa nhập"),
        ("   ", "text", "Chưa nhập"),
        (", ngày 18/5/2021", "text", "Chưa nhập"),
        ("Kết luận", "text", "không có dạng"),
        ("01 KL TW", "text", "không có dạng"),
        ("Văn bản số 01-KL/TW", "text", "Không hiểu “Văn bản số”"),
        ("KL/TW", "number", "Thiếu số văn bản trước loại văn bản"),
        ("-KL/TW", "number", "Thiếu số văn bản"),
        ("Kết luận số KL/TW", "number", "Thiếu số văn bản"),
        ("01a-KL/TW", "number", "“01a”"),
        ("12_KH/TU", "number", "“12_”"),
        ("AB-KL/TW", "number", "chỉ được gồm chữ số"),
        ("00-KL/TW", "number", "lớn hơn 0"),
        ("01-XX/TW", "type", "Loại văn bản “XX” không có trong danh mục (NQ, CT, KL, QĐ"),
        ("01-/TW", "type", "Thiếu loại văn bản"),
        ("/TW", "type", "Thiếu loại văn bản"),
        ("12-QyĐ/TW", "type", "văn bản của Đảng dùng “QĐ” cho cả quyết định và quy định"),
        ("12-QYD/TW", "type", "“QYD” là ký hiệu của văn bản Nhà nước"),
        ("Chỉ thị số 05-NQ/TW", "type", "“Chỉ thị” không khớp với ký hiệu “NQ”"),
        ("Quyết định số 08-QĐi/TW", "type", "không khớp"),
        ("Kết luận số 01-CT/TW", "type", "kết luận có ký hiệu KL"),
        ("01-KL/", "issuer", "Thiếu cơ quan ban hành sau dấu “/”"),
        ("01-KL / ", "issuer", "Thiếu cơ quan ban hành"),
        ("01-KL", "issuer", "Thiếu cơ quan ban hành"),
        ("01-KL/TW1", "issuer", "chỉ được gồm chữ cái"),
        ("01-KL/T-W", "issuer", "chỉ được gồm chữ cái"),
        ("01-KL/TW/BTG", "issuer", "chỉ được gồm chữ cái"),
        ("01-KL/ABCDEFGHIJKLM", "issuer", "tối đa 12"),
        ("01-KL/TỦ", "issuer", "chữ cái không dấu"),
        ("01-KL/TƯƠNG", "issuer", "chữ cái không dấu"),
        ("01-KL/BTG TU", "issuer", "phải viết liền"),
        ("01-KL/TW; 02-KL/TW", "issuer", "“TW; 02-KL/TW” phải viết liền"),
    ],
)
def test_it_says_which_part_is_wrong(text: str, part: str, fragment: str) -> None:
    with pytest.raises(SymbolError) as excinfo:
        parse_symbol(text)
    assert excinfo.value.part == part
    assert fragment in str(excinfo.value)


def test_symbol_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_symbol("01-KL")


def test_leading_zeros_name_the_same_document() -> None:
    one, zero_one = parse_symbol("1-KL/TW"), parse_symbol("01-KL/TƯ")
    assert one.key == zero_one.key == ("1", "KL", "TW")
    assert (one.number, zero_one.number) == ("1", "01")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kết luận số 001-KL/TW", "1-kl/tư"),
        ("68-QD/TW", "68-QĐ/TƯ"),
        ("10-NQ/DUK", "010 - NQ / ĐUK"),
    ],
)
def test_keys_ignore_spelling(a: str, b: str) -> None:
    assert parse_symbol(a).key == parse_symbol(b).key


def test_different_documents_have_different_keys() -> None:
    keys = {parse_symbol(s).key for s in ["01-KL/TW", "01-KL/TU", "01-NQ/TW", "10-KL/TW"]}
    assert len(keys) == 4


def test_it_builds_the_symbol_fields() -> None:
    assert parse_symbol("Chỉ thị số 05 - CT/TƯ, ngày 1/1/2021") == Symbol("05", "CT", "TW")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("01-KL/TW", "Kết luận"),
        ("05-CT/TW", "Chỉ thị"),
        ("35-NQ/TW", "Nghị quyết"),
        ("68-QĐ/TW", "Quyết định/Quy định"),
        ("02-QC/TW", "Quy chế"),
        ("36-HD/VPTW", "Hướng dẫn"),
        ("12-KH/TU", "Kế hoạch"),
        ("01-CTr/TU", "Chương trình"),
        ("03-CTHĐ/TU", "Chương trình hành động"),
        ("15-TB/TW", "Thông báo"),
        ("45-BC/BTGTU", "Báo cáo"),
        ("07-ĐA/TU", "Đề án"),
        ("125-CV/BTGDVTU", "Công văn"),
    ],
)
def test_doc_type_label(text: str, label: str) -> None:
    assert parse_symbol(text).doc_type_label == label


def test_doc_types_refuse_the_state_abbreviation() -> None:
    assert "QĐ" in DOC_TYPES
    assert "QyĐ" not in DOC_TYPES
    assert all(unicodedata.is_normalized("NFC", abbr) for abbr in DOC_TYPES)
