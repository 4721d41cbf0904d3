from decimal import Decimal

import pytest

from tuyengiao.text import format_number, format_percent, format_rate, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (24193, 0, "24.193"),
        (-1234567, 0, "-1.234.567"),
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (98.3216, 2, "98,32"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (2.675, 2, "2,68"),
        (Decimal("0.125"), 2, "0,13"),
        (1.005, 2, "1,01"),
        (7, 2, "7,00"),
        (-0.001, 2, "0,00"),
        (Decimal("12345678901234567890123456789.5"), 0, "12.345.678.901.234.567.890.123.456.790"),
    ],
)
def test_it_formats_numbers(value: object, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected  # type: ignore[arg-type]


def test_format_number_of_none_is_empty() -> None:
    assert format_number(None) == ""
    assert format_number(None, 2) == ""


@pytest.mark.parametrize(
    ("value", "error"),
    [(float("nan"), ValueError), (float("inf"), ValueError), ("12", TypeError), (True, TypeError)],
)
def test_format_number_rejects_non_numbers(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        format_number(value)  # type: ignore[arg-type]


def test_format_number_rejects_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_number(1, -1)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (98.3216, 2, "98,32%"),
        (104, 0, "104%"),
        (100, 2, "100,00%"),
        (Decimal("99.995"), 2, "100,00%"),
        (0, 1, "0,0%"),
        (1234.5, 1, "1.234,5%"),
        (None, 2, ""),
    ],
)
def test_it_formats_percentages(value: object, decimals: int, expected: str) -> None:
    assert format_percent(value, decimals) == expected  # type: ignore[arg-type]


def test_format_percent_defaults_to_two_decimals() -> None:
    assert format_percent(50) == "50,00%"


@pytest.mark.parametrize(
    ("numerator", "denominator", "decimals", "expected"),
    [
        (23782, 24193, 2, "98,30%"),
        (1, 3, 2, "33,33%"),
        (2, 3, 2, "66,67%"),
        (2, 3, 0, "67%"),
        (26, 25, 0, "104%"),
        (5, 5, 2, "100,00%"),
        (0, 7, 2, "0,00%"),
        (Decimal("1.5"), 2.0, 1, "75,0%"),
        (5, 0, 2, ""),
        (5, 0.0, 2, ""),
        (5, None, 2, ""),
        (None, 5, 2, ""),
    ],
)
def test_it_formats_rates(
    numerator: object, denominator: object, decimals: int, expected: str
) -> None:
    assert format_rate(numerator, denominator, decimals) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24.193", "24193"),
        ("24193", "24193"),
        ("98,32", "98.32"),
        ("1.234.567,5", "1234567.5"),
        (" 52 ", "52"),
        ("-3", "-3"),
        ("+7", "7"),
        ("\u22125", "-5"),
        ("98,32%", "98.32"),
        ("98,32 %", "98.32"),
        ("100%", "100"),
        ("1 234", "1234"),
        ("1\u00a0234", "1234"),
        ("1\u202f234\u202f567", "1234567"),
        ("1 234,5", "1234.5"),
        ("1 234.5", "1234.5"),
        ("1.5", "1.5"),
        ("3.14", "3.14"),
        ("1.500", "1500"),
        ("0.500", "0.5"),
        ("1234.567", "1234.567"),
        ("1,234.5", "1234.5"),
        ("1,234,567", "1234567"),
        ("1,234,567.89", "1234567.89"),
        ("1,5", "1.5"),
        ("1,500", "1.5"),
        ("0,75", "0.75"),
        ("-1.234,56", "-1234.56"),
        ("007", "7"),
        ("0", "0"),
    ],
)
def test_it_parses_numbers_as_people_type_them(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "1.2.3",
        "12,3,4",
        "--1",
        "-",
        "%",
        "1.23.456",
        "1.234.56",
        "1,234,56",
        "12.34,5.6",
        "1.234,5,6",
        "1,234.5.6",
        ",5",
        "5,",
        "5.",
        "1..5",
        "1 23",
        "1  234",
        "1 234,5.6",
        "1e5",
        "12a",
        "½",
        "²",
        "١٢٣",
        "98%%",
        "5 -",
    ],
)
def test_it_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match="Không đọc được số"):
        parse_number(text)


def test_parse_error_quotes_the_input_and_shows_examples() -> None:
    with pytest.raises(ValueError) as exc:
        parse_number(" abc ")
    assert str(exc.value) == 'Không đọc được số "abc". Hãy nhập như 24.193 hoặc 98,32.'


@pytest.mark.parametrize("value", [0, 24193, -1234567, Decimal("98.32"), Decimal("-0.5")])
def test_parse_reads_back_what_format_writes(value: Decimal | int) -> None:
    assert parse_number(format_number(value, 2)) == value
