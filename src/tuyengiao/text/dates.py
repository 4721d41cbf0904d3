"""Dates in Vietnamese format (dd/mm/yyyy)."""

import re
from datetime import date

from tuyengiao.text.normalize import nfc, search_key

_DMY = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
# Matched against search_key(), so diacritics, case and punctuation are already gone.
_WORDS = re.compile(r"(?:ngay )?([0-9]{1,2}) thang ([0-9]{1,2}) nam ([0-9]{4})")


def format_date(d: date | None) -> str:
    """Format a date (or datetime) as dd/mm/yyyy; "" for None."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date(text: str) -> date:
    """Read "18/5/2021", "18-05-2021", "18.05.2021", "2021-05-18" or "ngày 18 tháng 5 năm 2021"."""
    s = nfc(text)
    # "ngày 18/5/2021" is how dates open in official documents.
    head, _, rest = s.partition(" ")
    if rest and search_key(head) == "ngay" and _DMY.fullmatch(rest):
        s = rest

    if m := _DMY.fullmatch(s):
        day, month, year = m[1], m[3], m[4]
    elif m := _ISO.fullmatch(s):
        year, month, day = m.groups()
    elif m := _WORDS.fullmatch(search_key(s)):
        day, month, year = m.groups()
    else:
        raise _invalid(text)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _invalid(text) from None


def _invalid(text: str) -> ValueError:
    return ValueError(f'Ngày "{text.strip()}" không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy.')
