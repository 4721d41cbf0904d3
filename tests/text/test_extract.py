"""The reading rules of text/extract.py: each spelling of a reference, dates that look like
ratios, a symbol's digits, the issuer inferred from "của …", the stated percentage checked."""

from datetime import date
from decimal import Decimal

import pytest

from tuyengiao.text.extract import consistent, extract


def symbols(text: str) -> list[str]:
    return [r.symbol for r in extract(text).doc_refs]


def ratios(text: str) -> list[tuple]:
    return [
        (float(r.actual), float(r.planned), r.percent_stated and float(r.percent_stated))
        for r in extract(text).ratios
    ]


def percents(text: str) -> list[float]:
    return [float(p.value) for p in extract(text).percents]


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị", "01-KL/TW"),
        ("thực hiện Chỉ thị 05 CT/TW về", "05-CT/TW"),
        ("sơ kết Chỉ thị số 05-CT/TƯ còn chậm", "05-CT/TW"),
        ("Nghị quyết số 29 - NQ/TW của", "29-NQ/TW"),
        ("Chỉ thị 05–CT/TW (en dash)", "05-CT/TW"),
        ("Quy định số 08-QĐi/TW về nêu gương", "08-QĐi/TW"),
        ("Chương trình hành động số 15-CTr/TU", "15-CTr/TU"),
        ("Đề án số 06-ĐA/TU", "06-ĐA/TU"),
        ("theo 01-KL/TW, các chi bộ", "01-KL/TW"),
        ("Hướng dẫn số 10/HD-BTGTU của Ban", "10-HD/BTGTU"),  # the State's shape, a Party issuer
        ("Số 45-BC/DU", "45-BC/ĐU"),
    ],
)
def test_each_spelling_of_a_symbol(text, symbol):
    assert symbols(text) == [symbol]


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Nghị quyết số 12 của Ban Chấp hành Trung ương", "12-NQ/TW"),
        ("Quy định số 144 của Bộ Chính trị về chuẩn mực", "144-QĐ/TW"),
        ("Chỉ thị số 10 của Ban Bí thư", "10-CT/TW"),
        ("Kế hoạch số 05 của Ban Thường vụ Tỉnh ủy ngày 18 tháng 5 năm 2021", "05-KH/TU"),
        ("Kế hoạch số 68 của Ban Thường vụ Huyện ủy, ngày 05/8/2022", "68-KH/HU"),
        ("Quyết định số 99 của Đảng ủy xã", "99-QĐ/ĐU"),
        ("Hướng dẫn 05 của Ban Tuyên giáo và Dân vận Tỉnh ủy", "05-HD/BTGDVTU"),
        ("Hướng dẫn số 12 của Ban Tuyên giáo Tỉnh ủy", "12-HD/BTGTU"),
        ("Hướng dẫn số 12 của Ban Tổ chức Trung ương", "12-HD/BTCTW"),
    ],
)
def test_the_issuer_is_inferred_from_the_text(text, symbol):
    assert symbols(text) == [symbol]


def test_date_and_issuer_follow_in_either_order():
    first, second = extract(
        "Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị và "
        "Kế hoạch số 05 của Ban Thường vụ Tỉnh ủy ngày 18 tháng 5 năm 2021."
    ).doc_refs
    assert first.date == second.date == date(2021, 5, 18)
    assert first.quote == "Kết luận số 01-KL/TW, ngày 18/5/2021 của Bộ Chính trị"
    assert (first.doc_type, first.number, first.issuer) == ("KL", "01", "TW")


def test_state_documents_are_not_party_documents():
    text = (
        "Kế hoạch số 35/KH-UBND ngày 02/3/2025 của Ủy ban nhân dân xã; Quyết định số "
        "06/QĐ-TTg; Nghị định 13/2023/NĐ-CP; Đề án 06 của Chính phủ."
    )
    assert symbols(text) == []
    assert ratios(text) == [] and percents(text) == []


def test_a_number_alone_names_a_document_the_text_names_elsewhere():
    text = "Thực hiện Chỉ thị số 05-CT/TW. Hoàn thành sơ kết Chỉ thị 05 trước ngày 15/12/2025."
    assert symbols(text) == ["05-CT/TW", "05-CT/TW"]
    # and only then: "Nghị quyết 12" alone may be the State's
    assert symbols("Triển khai Nghị quyết 12 của tỉnh.") == []
    # nor when a State body issued it
    assert symbols("Đề án số 06-ĐA/TU. Đề án 06 của Chính phủ.") == ["06-ĐA/TU"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Các chi bộ tổ chức 52/50 lớp, đạt 104% so kế hoạch.", [(52, 50, 104)]),
        ("có 24.193/24.606 học viên, đạt 98,32%.", [(24193, 24606, 98.32)]),
        (
            "312 đảng viên tham dự (chỉ tiêu giao là 340 người), đạt 91,76%.",
            [(312, 340, 91.76)],
        ),
        ("14/14 chi bộ đã xây dựng chương trình.", [(14, 14, None)]),
        ("mở 9/8 lớp bồi dưỡng, vượt 12,5% kế hoạch.", [(9, 8, 112.5)]),
        ("đạt 86,7% (39/45 tổ chức), vượt chỉ tiêu.", [(39, 45, 86.7)]),
        ("kết nạp 68 đồng chí, đạt 85% kế hoạch (80 đồng chí).", [(68, 80, 85)]),
        ("đã phổ biến đến 65/65, đạt 100 %.", [(65, 65, 100)]),
        ("Số lớp | 52/50 | 104%", [(52, 50, 104)]),  # a table row of a DOCX
    ],
)
def test_ratios(text, expected):
    assert ratios(text) == [(a, p, s) for a, p, s in expected]


@pytest.mark.parametrize(
    "text",
    [
        "Sáng 07/11, Ban Thường vụ họp.",
        "Tính đến ngày 31/10, các chi bộ đã họp.",
        "đến 30/9 đã có 92,5% đảng viên sử dụng.",
        "kỷ niệm Quốc khánh 2/9.",
        "(3/2/1930 - 3/2/2026)",
        "Đến hết tháng 9/2025, các xã đã gửi.",
        "Tối 14/8, chi bộ sinh hoạt.",
        "24/7 các trang mạng xã hội được theo dõi.",
    ],
)
def test_dates_are_never_ratios(text):
    assert ratios(text) == []


def test_a_symbols_digits_are_never_a_ratio_or_a_percentage():
    text = "Theo Hướng dẫn số 10/HD-BTGTU, Quyết định số 1234/QĐ-UBND và 35/KH-UBND."
    extraction = extract(text)
    assert extraction.ratios == [] and extraction.percents == []


def test_percentages():
    assert percents("đạt 98,32%, 104 %, trên 85 phần trăm; 3.5% và 1.250 tờ rơi") == [
        98.32,
        104,
        85,
        3.5,
    ]


def test_a_stated_percentage_is_checked_against_its_numbers():
    (good, bad) = extract(
        "Phát 52/50 lớp, đạt 104%. Đài phát 120/100 tin, bài, đạt 102% kế hoạch."
    ).ratios
    assert good.consistent is True
    assert bad.consistent is False
    assert extract("14/14 chi bộ đã họp.").ratios[0].consistent is None


@pytest.mark.parametrize(
    ("actual", "planned", "stated", "expected"),
    [
        ("24193", "24606", "98.32", True),  # 98.3216: rounded
        ("29", "32", "90.6", True),  # 90.625: truncated
        ("29", "32", "90.63", True),  # rounded
        ("385", "426", "90.4", True),  # 90.376
        ("27", "30", "92", False),  # 90
        ("76", "102", "78", False),  # 74.5
        ("2", "3", "67", True),  # 66.67 rounded to 0 decimals
        ("2", "3", "66", True),  # truncated
        ("2", "3", "65", False),
    ],
)
def test_consistency_within_the_stated_decimals(actual, planned, stated, expected):
    assert consistent(Decimal(actual), Decimal(planned), Decimal(stated)) is expected


def test_offsets_point_into_the_prepared_text():
    text = "Thực hiện Kết luận 01-KL/TW,\r\n có\u00a052/50 lớp, đạt 104%."
    extraction = extract(text)
    for item in [*extraction.doc_refs, *extraction.ratios, *extraction.percents]:
        assert extraction.text[item.start : item.end] == item.quote


def test_json_shape():
    data = extract("Kết luận số 01-KL/TW; 24.193/24.606 học viên, đạt 98,32%.").as_json()
    assert data == {
        "doc_refs": [
            {
                "quote": "Kết luận số 01-KL/TW",
                "doc_type": "KL",
                "number": "01",
                "issuer": "TW",
                "symbol": "01-KL/TW",
                "date": None,
            }
        ],
        "ratios": [
            {
                "quote": "24.193/24.606 học viên, đạt 98,32%",
                "actual": 24193,
                "planned": 24606,
                "unit": "học viên",
                "percent_stated": 98.32,
                "consistent": True,
            }
        ],
        "percents": [{"quote": "98,32%", "value": 98.32}],
    }


def test_text_imports_nothing_from_django():
    import ast
    from pathlib import Path

    import tuyengiao.text.extract as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in getattr(node, "names", [])
    ]
    assert not [name for name in imported if name and name.startswith("django")]


@pytest.mark.parametrize(
    "unit",
    ["12/12 ", "kế hoạch 5 người ", "01-KL/TW ", "đạt 52/50 lớp, 104% (kế hoạch 40 người) "],
)
def test_a_long_text_is_read_in_linear_time(unit):
    import time

    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    started = time.perf_counter()
    extract(text)
    assert time.perf_counter() - started < 10  # quadratic took 50 s; linear takes about 1
