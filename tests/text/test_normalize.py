import unicodedata

import pytest

from tuyengiao.text import matches, nfc, search_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Xã Ngân Sơn", "Xã Ngân Sơn"),
        ("  Ban  Tuyên giáo\tTỉnh ủy \n", "Ban Tuyên giáo Tỉnh ủy"),
        ("Hà\u00a0Nội", "Hà Nội"),
        (unicodedata.normalize("NFD", "Đắk Lắk"), "Đắk Lắk"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_it_normalises_to_nfc_and_collapses_whitespace(raw: str, expected: str) -> None:
    result = nfc(raw)
    assert result == expected
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_keeps_tone_placement() -> None:
    assert nfc("Hoà") != nfc("Hòa")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Xã Ngân Sơn", "xa ngan son"),
        ("Hoà", "hoa"),
        ("Hòa", "hoa"),
        ("ĐẮK LẮK", "dak lak"),
        ("Thanh Hoá", "thanh hoa"),
        ("Thanh Hóa", "thanh hoa"),
        ("Thừa Thiên - Huế", "thua thien hue"),
        ("Bà Rịa–Vũng Tàu", "ba ria vung tau"),
        ("  Phường 12, Quận 3 (cũ)  ", "phuong 12 quan 3 cu"),
        ("Đảng ủy_khối", "dang uy khoi"),
        ("Nghị quyết số 35-NQ/TW", "nghi quyet so 35 nq tw"),
        ("", ""),
        ("!!!", ""),
    ],
)
def test_it_builds_search_keys(raw: str, expected: str) -> None:
    assert search_key(raw) == expected


@pytest.mark.parametrize("text", ["Xã Ngân Sơn", "ĐẮK LẮK", "Hoà Bình", "Thừa Thiên Huế"])
def test_decomposed_input_gives_the_same_key(text: str) -> None:
    assert search_key(unicodedata.normalize("NFD", text)) == search_key(text)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("ngan son", "Xã Ngân Sơn", True),
        ("Ngân", "Xã Ngân Sơn", True),
        ("son xa", "Xã Ngân Sơn", True),
        ("ngan", "Xã Ngân Sơn, tỉnh Bắc Kạn", True),
        ("hoa", "Thanh Hoá", True),
        ("dak", "Đắk Nông", True),
        ("DAK LAK", "Đắk Lắk", True),
        ("  ", "Bất kỳ", True),
        ("", "", True),
        ("ngan ha", "Xã Ngân Sơn", False),
        ("xuan", "Xã Ngân Sơn", False),
        ("ha noi", "", False),
    ],
)
def test_it_matches_every_query_word(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected
