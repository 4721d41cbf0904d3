from datetime import date, datetime

import pytest

from tuyengiao.text import format_date, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2021, 5, 18), "18/05/2021"),
        (date(2024, 12, 1), "01/12/2024"),
        (datetime(2024, 2, 29, 23, 59), "29/02/2024"),
        (date(999, 1, 2), "02/01/0999"),
        (None, ""),
    ],
)
def test_it_formats_dates(value: date | None, expected: str) -> None:
    assert format_date(value) == expected


@pytest.mark.parametrize(
    "text",
    [
        "18/5/2021",
        "18/05/2021",
        " 18/05/2021 ",
        "18-05-2021",
        "18.05.2021",
        "18.5.2021",
        "2021-05-18",
        "2021-5-18",
        "ngày 18 tháng 5 năm 2021",
        "Ngày 18 tháng 05 năm 2021",
        "NGÀY 18 THÁNG 5 NĂM 2021",
        "ngay 18 thang 5 nam 2021",
        "18 tháng 5 năm 2021",
        "ngày  18  tháng 5,  năm 2021",
        "ngày 18/5/2021",
        "Ngày 18-05-2021",
    ],
)
def test_it_parses_dates(text: str) -> None:
    assert parse_date(text) == date(2021, 5, 18)


def test_it_parses_decomposed_vietnamese() -> None:
    import unicodedata

    assert parse_date(unicodedata.normalize("NFD", "ngày 1 tháng 2 năm 2024")) == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/02/2024", date(2024, 2, 29)),
        ("31/12/1999", date(1999, 12, 31)),
        ("1/1/2025", date(2025, 1, 1)),
    ],
)
def test_it_parses_edge_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hôm nay",
        "31/02/2024",
        "29/02/2023",
        "32/01/2024",
        "00/01/2024",
        "15/13/2024",
        "15/00/2024",
        "18/05/21",
        "18/05-2021",
        "18 05 2021",
        "18052021",
        "2021/05/18",
        "2021-02-30",
        "05/18/2021x",
        "ngày 31 tháng 4 năm 2024",
        "ngày 18 tháng 5",
        "tháng 5 năm 2021",
        "01/01/0000",
        "１８/05/2021",
        "Hà Nội, ngày 18 tháng 5 năm 2021",
    ],
)
def test_it_rejects_invalid_dates(text: str) -> None:
    with pytest.raises(ValueError, match="không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy."):
        parse_date(text)


def test_date_error_quotes_the_input() -> None:
    with pytest.raises(ValueError) as exc:
        parse_date("31/02/2024")
    assert str(exc.value) == 'Ngày "31/02/2024" không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy.'


@pytest.mark.parametrize("value", [date(2021, 5, 18), date(2000, 1, 1), date(2024, 2, 29)])
def test_parse_reads_back_what_format_writes(value: date) -> None:
    assert parse_date(format_date(value)) == value
