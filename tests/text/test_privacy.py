import unicodedata

import pytest

from tuyengiao.text.privacy import LABELS, Finding, describe, personal_data

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
        "Nội dung có số điện thoại (0912 345 678) và địa chỉ e-mail (a@b.vn). Hãy xoá thông tin "
        "cá nhân trước khi gửi: hệ thống chỉ ghi nhận vấn đề và địa bàn, không ghi ai nói gì."
    )


def test_describe_groups_by_kind_in_order_of_appearance() -> None:
    text = "CCCD 001203004567, ĐT 0912345678 hoặc 0912345678, 024 3825 1234, email a@b.vn"
    assert describe(personal_data(text)).startswith(
        "Nội dung có số căn cước/CMND (001203004567), "
        "số điện thoại (0912345678, 024 3825 1234) và địa chỉ e-mail (a@b.vn). Hãy xoá"
    )


def test_describe_shows_no_break_spaces_as_spaces() -> None:
    assert "(0912 345 678)" in describe(personal_data("0912\u00a0345\u202f678"))


def test_describe_of_nothing_is_empty() -> None:
    assert describe([]) == ""
    assert describe(personal_data("Đường giao thông xuống cấp")) == ""


# --- issue 12: the ways around the filter, in sentences a collaborator might send -----------

EVASIONS = [
    # phones, digit by digit or grouped oddly
    ("Bà con nhắn nhau gọi 0 9 1 2 3 4 5 6 7 8 để hỏi.", PHONE),
    ("Số của anh ấy là 0 912 345 678, ai cần thì gọi.", PHONE),
    ("Liên hệ chị Mai 09 12 34 56 78 để đăng ký.", PHONE),
    ("Người dân truyền tay số 0912,345,678 trên mạng.", PHONE),
    ("Ghi trên tờ rơi: 0912/345/678.", PHONE),
    ("Tài khoản Zalo 0912_345_678 kêu gọi tụ tập.", PHONE),
    ("Số máy 0912.345.678 được dán khắp chợ.", PHONE),
    ("Gọi 0912-345-678 gặp ông trưởng nhóm.", PHONE),
    ("Bà N. dùng số +84 (0) 912 345 678 để nhắn tin.", PHONE),
    ("Số nước ngoài gọi về 84912345678 nhiều lần.", PHONE),
    ("Gọi 0,9,1,2,3,4,5,6,7,8 sau 8 giờ tối.", PHONE),
    ("Số điện thoại 0-9-1-2-3-4-5-6-7-8 ghi trên băng rôn.", PHONE),
    ("Nhắn 0.9.8.7.6.5.4.3.2.1 để được tư vấn.", PHONE),
    ("Tin nhắn ký tên 0_9_1_2_3_4_5_6_7_8 lan truyền.", PHONE),
    ("Đường dây tư vấn đất đai 0912 / 345 / 678 thu phí.", PHONE),
    ("Người đứng đầu nhóm có số 0369 123 456 ở thôn 3.", PHONE),
    ("Số 0 3 6 9 1 2 3 4 5 6 được ghi trên tường.", PHONE),
    ("Số 8 4 9 1 2 3 4 5 6 7 8 gọi đến từ nước ngoài.", PHONE),
    ("Ông T. (ĐT 0236 3822 123) là người khởi xướng.", PHONE),
    # phones spelled out
    ("Số của bà ấy là không chín một hai ba bốn năm sáu bảy tám.", PHONE),
    ("So cua ba ay la khong chin mot hai ba bon nam sau bay tam.", PHONE),
    ("Gọi không chín linh hai ba bốn năm sáu bảy tám hỏi giá.", PHONE),
    ("Gọi không chín lẻ hai ba tư năm sáu bẩy tám nhé.", PHONE),
    ("SỐ KHÔNG CHÍN MỘT HAI BA BỐN NĂM SÁU BẢY TÁM ĐANG LAN TRUYỀN.", PHONE),
    ("Không-chín-một-hai-ba-bốn-năm-sáu-bảy-tám là số của nhóm.", PHONE),
    ("Gọi 09 một hai ba bốn năm sáu bảy tám để mua.", PHONE),
    ("không chín một hai, ba bốn năm, sáu bảy tám", PHONE),
    # letters, keycaps, full-width and invisible characters
    ("Số O912 345 678 của chủ tiệm.", PHONE),
    ("Gọi 09l2? Không, số đúng là 0912 3O5 678.", PHONE),
    ("Gọi 0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣ để tham gia nhóm.", PHONE),
    ("Gọi ０９１２ ３４５ ６７８ để tham gia.", PHONE),
    ("Gọi 0912\u200b345\u200b678 để tham gia.", PHONE),
    ("Số 09\u00ad12\u00ad34\u00ad56\u00ad78 trên tờ rơi.", PHONE),
    ("Số máy bàn (024) 3825 1234 của hội.", PHONE),
    ("Gọi 0912 chấm 345 chấm 678 nhé.", PHONE),
    # ID numbers
    ("Ông ấy có CMND 123 456 789 cấp năm 2010.", ID),
    ("Căn cước của bà là 001 203 004 567.", ID),
    ("Số định danh 0012-0300-4567 bị lộ trên mạng.", ID),
    ("CCCD 001_203_004_567 được chụp đăng lên nhóm.", ID),
    ("Người khiếu nại có CMND 1 2 3 4 5 6 7 8 9.", ID),
    ("Số căn cước 0 0 1 2 0 3 0 0 4 5 6 7 bị đăng công khai.", ID),
    ("CCCD không không một hai không ba không không bốn năm sáu bảy.", ID),
    ("Số giấy tờ 123-456-789 của người bán.", ID),
    ("Căn cước 0O1 2O3 0O4 567 của ông H.", ID),
    # e-mails
    ("Thư gửi về tuan.nguyen at gmail dot com.", EMAIL),
    ("Email: tuan.nguyen[at]gmail[dot]com", EMAIL),
    ("Liên hệ tuan(at)gmail.com để nhận tài liệu.", EMAIL),
    ("Gửi về hoa a còng gmail chấm com nhé.", EMAIL),
    ("Gửi về hoa acòng gmail.com nhé.", EMAIL),
    ("Gửi về hoa a cong gmail cham com nhé.", EMAIL),
    ("Địa chỉ hoa＠gmail.com đang kêu gọi quyên góp.", EMAIL),
    ("Nhắn qua tuan @ yahoo.com.vn nhé.", EMAIL),
    ("Gửi về tuan@gmail . com để nhận quà.", EMAIL),
    ("Liên hệ tuan.nguyen @ gmail . com.", EMAIL),
    ("Hộp thư lienhe [at] nhomdanoan [dot] vn", EMAIL),
    ("Email tuan (at) gmail (dot) com", EMAIL),
    ("Gửi hoa chấm le a còng gmail chấm com", EMAIL),
    ("Thư gửi TUAN AT GMAIL DOT COM", EMAIL),
    ("Gửi tài liệu về hoa{at}outlook.com", EMAIL),
    ("Hộp thư tuan.nguyen(a)gmail.com nhận đơn.", EMAIL),
    ("Hòm thư ấn.lê a còng yahoo chấm com chấm vn.", EMAIL),
    ("Gửi về tuan＠ｇｍａｉｌ．ｃｏｍ", EMAIL),
]

ORDINARY = [
    # figures and rates
    "Đã tổ chức 52/50 lớp, đạt 104% kế hoạch.",
    "Số đảng viên được học tập 24.193/24.606, đạt 98,32%.",
    "Xã có 312 đảng viên, 18 chi bộ trực thuộc.",
    "Kết quả: 1.234/1.300 hộ ký cam kết.",
    "Tỷ lệ đồng thuận 87,5%, tăng 2,3 điểm so với quý trước.",
    "Thu nhập bình quân 58,6 triệu đồng/người/năm.",
    "Đã phát 12.500 tờ rơi, 350 áp phích, 45 băng rôn.",
    "Có 12, 15, 20 hộ ở ba thôn chưa nhận tiền.",
    "Các thôn 03, 05, 07, 08 và 12 phản ánh mất điện.",
    "Phòng 101, 102, 103 của trường bị dột.",
    "Tổ 1, 2, 3, 4, 5, 6, 7, 8, 9 đều có ý kiến.",
    "Diện tích 1.250,5 m2, trong đó 300 m2 đất ở.",
    "Dân số 98 765 432 người theo số liệu cũ.",
    "Dự án ảnh hưởng 1 234 hộ, 5 678 nhân khẩu.",
    # dates, times, years, periods
    "Sự việc xảy ra ngày 18/5/2021 tại nhà văn hoá.",
    "Cuộc họp ngày 05/12/2026 lúc 14:30 chưa có kết luận.",
    "Theo văn bản ngày 2026-12-05, hạn chót là 2026-12-31.",
    "Từ 01/12 - 05/12/2026 người dân tụ tập trước UBND.",
    "Từ 03/12/2026 - 05/12/2026 có ba buổi đối thoại.",
    "Nhiệm kỳ 2021-2026, đã tổ chức 4 hội nghị.",
    "Số liệu quý 2/2026 và 6 tháng đầu năm 2026.",
    "Lúc 8h30 sáng 12.03.2024 có khoảng 50 người.",
    "Ngày 05.03.2024 09:15 đoàn kiểm tra đến.",
    "Ngày 5 tháng 3 năm 2024 dân họp ở thôn 2.",
    "Từ năm 2019 đến năm 2024 đã đối thoại 3 lần.",
    "Giai đoạn 2021 - 2025 và định hướng 2030.",
    "Ngày 03, 05, 07, 09 và 12 tháng 12 có mưa lớn.",
    # document symbols
    "Thực hiện Kết luận số 01-KL/TW ngày 18/5/2021.",
    "Quyết định 15-QĐ/BTGDVTU về kiện toàn ban chỉ đạo.",
    "Số 12-BC/BTGDVTU báo cáo kết quả quý 3.",
    "Theo Quyết định số 1234/QĐ-UBND ngày 12/03/2024.",
    "Hướng dẫn 35-HD/BTGTW và Kế hoạch 128-KH/TU.",
    "Nghị định 100/2019/NĐ-CP về xử phạt giao thông.",
    "Bản án số 12/2024/HS-ST đã có hiệu lực.",
    # money
    "Tiền bồi thường 1.500.000 đồng/m2 là quá thấp.",
    "Tổng kinh phí 2,5 tỷ đồng, đã giải ngân 1,2 tỷ.",
    "Giá đất tăng từ 120.000.000 lên 150.000.000 đồng.",
    "Quỹ vận động được 84.312.500.000 đồng.",
    "Dự toán 123.456.789 đồng chưa được duyệt.",
    "Ngân sách 1.020.000.000.000 đồng cho giai đoạn này.",
    "Mức hỗ trợ 3,5 triệu đồng mỗi hộ.",
    # file and dossier codes
    "Hồ sơ HS-2026-000123 đang chờ xử lý.",
    "Mã hồ sơ 000.00.12.H56-261205-0001 trên cổng dịch vụ công.",
    "Mã số thuế của hợp tác xã ghi trên bảng là MST-0101234.",
    "Mã bưu chính 700000, khu phố 4.",
    "Quốc lộ 1A đoạn Km 1234+500 bị sạt lở.",
    # hotlines and short service numbers
    "Người dân gọi 1022 nhưng không ai nghe máy.",
    "Khi có cháy gọi 114, cấp cứu 115, công an 113.",
    "Đường dây nóng 111 bảo vệ trẻ em đã tiếp nhận.",
    "Tổng đài 18001091 hỗ trợ người nộp thuế.",
    "Hotline 1900 1234 của nhà mạng quá tải.",
    "Đường dây nóng 1800 599 920 (miễn phí) chưa trả lời.",
    "Gọi 1900.9095 để được tư vấn.",
    # ordinary words that are also number words, "at", "chấm", the letter O
    "Ba mẹ các cháu lo năm nay trường không đủ phòng học.",
    "Hai ba năm nay đường thôn không ai sửa.",
    "Người dân bàn tán về giờ học thêm ở trường.",
    "Vấn đề này chấm dứt được thì bà con mới yên tâm.",
    "Chấm điểm thi đua năm 2024 chưa công bằng. Com lê cán bộ mặc đi họp bị chê.",
    "Thư gửi @ubnd_xa hoặc a@b chưa được trả lời.",
    "Khí thải CO2 và O3 ở khu công nghiệp vượt mức.",
    "Việt Nam 2024 tăng trưởng 7%, Quảng Nam 8%.",
    "Tổ 5 khu phố 2 có 1 o 2 ý kiến trái chiều.",
    "Khoảng 1 2 3 người lớn tuổi than phiền.",
    "Hệ số 3,123456789 chỉ là số đo.",
    "Theo điểm (a) khoản 1 Điều 5, hộ (b) được hỗ trợ. Com lê mới.",
]


@pytest.mark.parametrize(("text", "kind"), EVASIONS)
def test_personal_data_written_to_slip_past_is_found(text: str, kind: str) -> None:
    findings = personal_data(text)
    assert [f.kind for f in findings] == [kind], findings
    assert LABELS[kind] in describe(findings)


@pytest.mark.parametrize("text", ORDINARY)
def test_no_false_alarm_on_figures_dates_symbols_money_codes_hotlines(text: str) -> None:
    assert personal_data(text) == []


def test_the_finding_is_shown_as_written() -> None:
    text = "Gọi không chín một hai ba bốn năm sáu bảy tám nhé"
    (finding,) = personal_data(text)
    assert finding.text == "không chín một hai ba bốn năm sáu bảy tám"
    (finding,) = personal_data("Gửi hoa a còng gmail chấm com nhé")
    assert finding.text == "hoa a còng gmail chấm com"
    (finding,) = personal_data("Gọi 0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣!")
    assert finding.text == "0️⃣9️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣"


def test_the_reasons_are_named() -> None:
    assert LABELS == {
        PHONE: "số điện thoại",
        ID: "số căn cước/CMND",
        EMAIL: "địa chỉ e-mail",
    }


def test_tables_are_large_enough() -> None:
    assert len(EVASIONS) >= 60 and len(ORDINARY) >= 60
