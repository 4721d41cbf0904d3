"""Vietnamese text helpers: normalisation, search keys, numbers and dates."""

from tuyengiao.text.dates import format_date, parse_date
from tuyengiao.text.normalize import matches, nfc, search_key
from tuyengiao.text.numbers import format_number, format_percent, format_rate, parse_number

__all__ = [
    "format_date",
    "format_number",
    "format_percent",
    "format_rate",
    "matches",
    "nfc",
    "parse_date",
    "parse_number",
    "search_key",
]
