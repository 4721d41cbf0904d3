import unicodedata

import pytest

from tuyengiao.text.privacy import Finding, describe, personal_data

PHONE, ID, EMAIL = "phone", "id_number", "email"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Mobile numbers as people write them.
        ("0912345678", [(PHONE, "0912345678")]),
        ("0912 345 678", [(PHONE, "0912 345 678")]),
        ("0912.345.678", [(PHONE, "0912.345.678")]),
        ("091-234-5678", [(PHONE, "091-234-5678")]),
        ("091 234 56 78", [(PHONE, "091 234 56 78")]),
        ("091 - 234 - 5678", [(PHONE, "091 - 234 - 5678")]),
        ("0345 678 910", [(PHONE, "0345 678 910")]),
        ("0567 123 456", [(PHONE, "0567 123 456")]),
        ("0708.123.456", [(PHONE, "0708.123.456")]),
        ("0888123456", [(PHONE, "0888123456")]),
        # International forms.
        ("+84 912 345 678", [(PHONE, "+84 912 345 678")]),
        ("+84912345678", [(PHONE, "+84912345678")]),
        ("84912345678", [(PHONE, "84912345678")]),
        ("(+84) 912 345 678", [(PHONE, "(+84) 912 345 678")]),
        ("tel:+84-905-123-456", [(PHONE, "+84-905-123-456")]),
        ("0084 912 345 678", [(PHONE, "0084 912 345 678")]),
        ("+84 24 3825 1234", [(PHONE, "+84 24 3825 1234")]),
        # Landlines.
        ("024 3825 1234", [(PHONE, "024 3825 1234")]),
        ("0236.3822.123", [(PHONE, "0236.3822.123")]),
        ("(024) 38251234", [(PHONE, "(024) 38251234")]),
        ("ĐT nhà văn hoá: (028) 3829 5555", [(PHONE, "(028) 3829 5555")]),
        # ID numbers: old CMND (9 digits), CCCD (12 digits).
        ("123456789", [(ID, "123456789")]),
        ("001203004567", [(ID, "001203004567")]),
        ("001 203 004 567", [(ID, "001 203 004 567")]),
        ("0012 0300 4567", [(ID, "0012 0300 4567")]),
        ("001.203.004.567", [(ID, "001.203.004.567")]),
        ("CMND: 125678901 cấp tại Bắc Ninh", [(ID, "125678901")]),
        ("Hộ ông B (CCCD 038090001234) bị thu hồi đất", [(ID, "038090001234")]),
        ("Mã số định danh của bà C là 001090012345.", [(ID, "001090012345")]),
        # E-mail addresses.
        ("a@b.vn", [(EMAIL, "a@b.vn")]),
        ("Email của anh Tuấn: tuan.nguyen84@gmail.com", [(EMAIL, "tuan.nguyen84@gmail.com")]),
        ("nguyen.van.an+dlxh@mail.hanoi.gov.vn", [(EMAIL, "nguyen.van.an+dlxh@mail.hanoi.gov.vn")]),
        ("Hòm thư trần.thị.bình@yahoo.com.vn.", [(EMAIL, "trần.thị.bình@yahoo.com.vn")]),
        ("(lienhe_2024@ubnd-xa.tanphu.vn)", [(EMAIL, "lienhe_2024@ubnd-xa.tanphu.vn")]),
        # Realistic sentences, several numbers, odd characters.
        (
            "Ông Nguyễn Văn A, SĐT 0912345678, phản ánh đường ngập",
            [(PHONE, "0912345678")],
        ),
        (
            "Phản ánh qua đường dây nóng 1900 1234 hoặc gọi chị Lan 0905 123 456.",
            [(PHONE, "0905 123 456")],
        ),
        ("SĐT: 0912345678,0987654321", [(PHONE, "0912345678"), (PHONE, "0987654321")]),
        ("0912345678/0987654321", [(PHONE, "0912345678"), (PHONE, "0987654321")]),
        (
            "ĐT 0912 345 678 - 0987 654 321",
            [(PHONE, "0912 345 678"), (PHONE, "0987 654 321")],
        ),
        ("ngày 12-03-2024 0912 345 678", [(PHONE, "0912 345 678")]),
        ("sđt0912345678", [(PHONE, "0912345678")]),
        ("０９１２３４５６７８", [(PHONE, "０９１２３４５６７８")]),
        ("0912\u00a0345\u00a0678", [(PHONE, "0912\u00a0345\u00a0678")]),
        ("0912\u202f345\u202f678", [(PHONE, "0912\u202f345\u202f678")]),
        ("091\u2013234\u20135678", [(PHONE, "091\u2013234\u20135678")]),
        (
            "Chị H (0988 111 222, h.tran@gmail.com, CCCD 001185000111) đề nghị",
            [(PHONE, "0988 111 222"), (EMAIL, "h.tran@gmail.com"), (ID, "001185000111")],
        ),
    ],
)
def test_it_finds_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    findings = personal_data(text)
    assert [(f.kind, f.text) for f in findings] == expected
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text


@pytest.mark.parametrize(
    "text",
    [
        "52/50 lớp, đạt 104%",
        "12/03/2024",
        "12-03-2024",
        "12.03.2024",
        "ngày 5 tháng 3 năm 2024",
        "2020-2025",
        "2024–2025",
        "giai đoạn 2021 - 2025",
        "1.200.000 đồng",
        "120.000.000đ",
        "120000000 đồng",
        "1.200.000.000",
        "1.020.000.000.000",
        "Tổng cộng 84.312.500.000 đồng",
        "120 000 000 000 đồng",
        "3,5 tỷ",
        "98,32%",
        "01-KL/TW",
        "05-NQ/ĐU",
        "Quyết định 1234/QĐ-UBND",
        "Quyết định số 123456789/QĐ-UBND",
        "0,5 ha",
        "1 234 người",
        "Dân số 98 765 432 người",
        "QL1A",
        "Quốc lộ 1A đoạn Km 1234+500",
        "14:30",
        "lúc 8h30 sáng",
        "từ 14:30 – 16:00 ngày 12-03-2024",
        "Bản án số 12/2024/HS-ST",
        "mã hồ sơ 000.30.21.H40-240305-0001",
        "Mã bưu chính 700000",
        "12345678",
        "1234",
        "12345678901",
        "0123 456 789",
        "Đường dây nóng 1900 1234",
        "Hotline 1800 599 920 (miễn phí)",
        "1900.9095",
        "19001234",
        "hệ số 3,123456789",
        "thư gửi @ubnd_xa hoặc a@b",
        "Năm 2024, toàn huyện có 1.234 hộ nghèo, giảm 2,5% so với năm 2023",
        "Dự án rộng 12,5 ha, 350 hộ bị ảnh hưởng, kinh phí bồi thường 45,6 tỷ đồng",
        "Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021 và Kế hoạch 35-KH/UBND",
        "Vụ việc kéo dài từ 2019-2024, đã 3 lần đối thoại (lần gần nhất 05.03.2024 09:15)",
    ],
)
def test_ordinary_text_is_not_personal(text: str) -> None:
    assert personal_data(text) == []


def test_positions_refer_to_decomposed_input() -> None:
    text = unicodedata.normalize("NFD", "Bà Ấn (ĐT 0912 345 678) gửi thư ấn.lê@gmail.com ạ")
    findings = personal_data(text)
    assert [f.kind for f in findings] == [PHONE, EMAIL]
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text
    assert unicodedata.normalize("NFC", findings[1].text) == "ấn.lê@gmail.com"


def test_an_email_is_one_finding_even_with_a_number_in_it() -> None:
    assert personal_data("0912345678@gmail.com") == [Finding(EMAIL, 0, 20, "0912345678@gmail.com")]


def test_findings_carry_positions() -> None:
    assert personal_data("Gọi 0912 345 678 nhé") == [Finding(PHONE, 4, 16, "0912 345 678")]


@pytest.mark.parametrize("text", ["1 " * 20000, "1." * 20000, "a" * 50000, "a@" + "b-" * 20000])
def test_long_odd_input_is_handled(text: str) -> None:
    assert personal_data(text) == []


def test_describe_names_what_to_remove() -> None:
    assert describe(personal_data("Gọi 0912 345 678 hoặc a@b.vn")) == (
        "Nội dung có số điện thoại (0912 345 678) và địa chỉ email (a@b.vn). Hãy xoá thông tin "
        "cá nhân trước khi gửi: hệ thống chỉ ghi nhận vấn đề và địa bàn, không ghi ai nói gì."
    )


def test_describe_groups_by_kind_in_order_of_appearance() -> None:
    text = "CCCD 001203004567, ĐT 0912345678 hoặc 0912345678, 024 3825 1234, email a@b.vn"
    assert describe(personal_data(text)).startswith(
        "Nội dung có số CMND/CCCD (001203004567), "
        "số điện thoại (0912345678, 024 3825 1234) và địa chỉ email (a@b.vn). Hãy xoá"
    )


def test_describe_shows_no_break_spaces_as_spaces() -> None:
    assert "(0912 345 678)" in describe(personal_data("0912\u00a0345\u202f678"))


def test_describe_of_nothing_is_empty() -> None:
    assert describe([]) == ""
    assert describe(personal_data("Đường giao thông xuống cấp")) == ""
