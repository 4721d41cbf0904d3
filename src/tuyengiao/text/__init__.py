"""Vietnamese text helpers: normalisation, search keys, numbers and dates."""

from tuyengiao.text.dates import format_date, parse_date
from tuyengiao.text.normalize import matches, nfc, search_key
from tuyengiao.text.numbers import format_number, format_percent, format_rate, parse_number
from tuyengiao.text.symbols import DOC_TYPES, Symbol, SymbolError, parse_symbol

__all__ = [
    "DOC_TYPES",
    "Symbol",
    "SymbolError",
    "format_date",
    "format_number",
    "format_percent",
    "format_rate",
    "matches",
    "nfc",
    "parse_date",
    "parse_number",
    "parse_symbol",
    "search_key",
]
