"""Personal data in free text: phone numbers, ID card numbers and e-mail addresses.

Collaborators describe what people are concerned about; the system records topics and places,
never who said what. :func:`personal_data` finds what must be removed before a report is
saved and :func:`describe` says so in one sentence.

Numbers are read the way Vietnamese text writes them: "." groups thousands, "," marks decimals,
so "120.000.000 đồng", "3,5 tỷ", "12/03/2024" or "01-KL/TW" are never personal data.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone" | "id_number" | "email"
    start: int
    end: int
    text: str


LABELS = {"phone": "số điện thoại", "id_number": "số CMND/CCCD", "email": "địa chỉ email"}

_SPACES = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
# One character for one, so that positions in the working copy are positions in the input.
_TRANSLATE = {
    **dict.fromkeys(map(ord, _SPACES), " "),
    **dict.fromkeys(map(ord, _DASHES), "-"),
    ord("\uff0b"): "+",
    ord("\uff0e"): ".",
    ord("\uff08"): "(",
    ord("\uff09"): ")",
}


class _Digits(dict):
    """Translation table that also maps every Unicode decimal digit (fullwidth...) to 0-9."""

    def __missing__(self, code: int) -> int | str:
        char = chr(code)
        value = str(unicodedata.decimal(char)) if char.isdecimal() and code > 127 else code
        self[code] = value
        return value


_TABLE = _Digits(_TRANSLATE)

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w+\-]+(?:\.[\w+\-]+)*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)
# A run of digit groups joined by one separator each: ".", "-" (spaces allowed around it) or a
# space; the first group may sit in parentheses, "(024) 3825 1234". +84, (+84) and (84) prefix it.
_PREFIX = r"(?:\(\s?\+?\s?84\s?\)|\+\s?84)[ ]?[.\-]?[ ]?"
_SEP = r"(?:\.|[ ]?-[ ]?|[ ])"
_CHUNK = re.compile(
    rf"(?<![0-9])(?P<prefix>{_PREFIX})?"
    rf"(?P<body>(?:\([0-9]{{2,4}}\)[ ]?[0-9]+|[0-9]+)(?:{_SEP}[0-9]+)*)"
)
_GROUP = re.compile(r"[0-9]+")
# Words after a number that make it a quantity, not an ID: "123456789 đồng", "100000000 lượt".
_UNIT = re.compile(
    r"[ ]*(?:đồng|đ|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn|người|hộ|lượt|m2|m²|m3|km|ha|kg|tấn|"
    r"lít|%)(?!\w)",
    re.IGNORECASE,
)
_MOBILE = "35789"
_MAX_GROUPS = 6  # more groups than any phone or ID number is written in
_MAX_DIGITS = 13


def _working_copy(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """Return NFC text with spaces, dashes and digits unified, and where each character came from.

    The map is None when positions are the same as in ``text``; otherwise each character maps to
    the (start, end) of the input characters it was composed from.
    """
    if unicodedata.is_normalized("NFC", text):
        return text.translate(_TABLE), None
    pieces: list[str] = []
    origin: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        pieces.append(piece)
        origin.extend([(i, j)] * len(piece))
        i = j
    return "".join(pieces).translate(_TABLE), origin


def _amount_shaped(groups: list[str], seps: list[str]) -> bool:
    """True for thousands grouping like 120.000.000 or 1 234: a quantity, never a person's."""
    return (
        len(groups) > 1
        and len(set(seps)) == 1
        and seps[0] in (".", " ")
        and 1 <= len(groups[0]) <= 3
        and not groups[0].startswith("0")
        and all(len(g) == 3 for g in groups[1:])
    )


def _phone(groups: list[str], seps: list[str], prefixed: bool) -> bool:
    digits = "".join(groups)
    if prefixed:
        national = digits if digits.startswith("0") else "0" + digits
    elif digits.startswith("0084"):
        national = "0" + digits[4:]
    elif digits.startswith("84") and (len(groups) == 1 or groups[0] == "84"):
        if _amount_shaped(groups, seps):
            return False
        national = "0" + digits[2:]
    elif len(groups) == 1 or (3 <= len(groups[0]) <= 4 and all(len(g) >= 2 for g in groups)):
        national = digits
    else:
        return False
    if len(national) == 10:
        return national[0] == "0" and national[1] in _MOBILE
    return len(national) == 11 and national.startswith("02")


def _id_number(groups: list[str], seps: list[str]) -> bool:
    digits = "".join(groups)
    if len(groups) == 1:
        return len(digits) in (9, 12)
    if len(digits) != 12 or len(set(seps)) != 1 or _amount_shaped(groups, seps):
        return False
    return {len(g) for g in groups} in ({3}, {4})


def _glued(w: str, start: int, end: int) -> bool:
    """True when the digits at w[start:end] are part of something longer: a code, a decimal."""
    before = w[start - 1] if start else " "
    before2 = w[start - 2] if start > 1 else " "
    after = w[end] if end < len(w) else " "
    after2 = w[end + 1] if end + 1 < len(w) else " "
    return (
        before.isalnum()
        or before in "/_@"
        or (before in ".,-" and before2.isalnum())
        or after.isalnum()
        or after in "/%_@"
        or (after in ".,-" and after2.isalnum())
        or bool(_UNIT.match(w, end))
    )


def _numbers(w: str) -> Iterable[tuple[str, int, int]]:
    """(kind, start, end) of the phone and ID numbers in the working copy ``w``."""
    for chunk in _CHUNK.finditer(w):
        offset = chunk.start("body")
        spans = [(offset + g.start(), offset + g.end()) for g in _GROUP.finditer(chunk["body"])]
        groups = [w[s:e] for s, e in spans]
        # Parentheses belong to a group: "(024) 3825" is joined by a space, "(024)3825" by nothing.
        seps = [w[spans[k][1] : spans[k + 1][0]].strip("()") for k in range(len(spans) - 1)]
        prefixed = chunk["prefix"] is not None
        if not prefixed and _amount_shaped(groups, seps):
            continue
        # Several numbers may follow one another ("0912 345 678 - 0987 654 321"): take the
        # longest run of groups that is one, from left to right.
        i = 0
        while i < len(groups):
            for j in range(min(len(groups), i + _MAX_GROUPS) - 1, i - 1, -1):
                start = chunk.start() if i == 0 else spans[i][0]
                end = spans[j][1]
                kind = _classify(w, start, end, groups[i : j + 1], seps[i:j], prefixed and i == 0)
                if kind:
                    yield kind, start, end
                    i = j + 1
                    break
            else:
                i += 1


def _classify(
    w: str, start: int, end: int, groups: list[str], seps: list[str], prefixed: bool
) -> str | None:
    if sum(map(len, groups)) > _MAX_DIGITS:
        return None
    # Within 1.020.000.000.000 no part is a number of its own.
    if (start > 1 and w[start - 1] == "." and w[start - 2].isdigit()) or (
        end + 1 < len(w) and w[end] == "." and w[end + 1].isdigit()
    ):
        return None
    if _phone(groups, seps, prefixed):
        return "phone"
    if not prefixed and _id_number(groups, seps) and not _glued(w, start, end):
        return "id_number"
    return None


def personal_data(text: str) -> list[Finding]:
    """Phone numbers, ID card numbers and e-mail addresses in ``text``, in order of position.

    Positions index ``text`` as given, also when it is not NFC or uses no-break spaces or
    fullwidth digits. Hotlines (1900/1800), amounts, dates, percentages, document symbols and
    other numbers are not personal data and are not reported.
    """
    w, origin = _working_copy(text)
    found: list[tuple[int, int, str]] = [(m.start(), m.end(), "email") for m in _EMAIL.finditer(w)]
    emails = list(found)
    for kind, start, end in _numbers(w):
        if not any(s < end and start < e for s, e, _ in emails):
            found.append((start, end, kind))
    found.sort()
    findings = []
    for start, end, kind in found:
        if origin is not None:
            start, end = origin[start][0], origin[end - 1][1]
        findings.append(Finding(kind, start, end, text[start:end]))
    return findings


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def describe(findings: Iterable[Finding]) -> str:
    """One sentence asking to remove ``findings``: "Nội dung có số điện thoại (0912 345 678) và
    địa chỉ email (a@b.vn). Hãy xoá ...". Kinds in order of appearance; "" when there are none.
    """
    by_kind: dict[str, list[str]] = {}
    for finding in findings:
        texts = by_kind.setdefault(finding.kind, [])
        shown = " ".join(finding.text.split())
        if shown not in texts:
            texts.append(shown)
    if not by_kind:
        return ""
    parts = [f"{LABELS.get(kind, kind)} ({', '.join(texts)})" for kind, texts in by_kind.items()]
    return (
        f"Nội dung có {_join(parts)}. Hãy xoá thông tin cá nhân trước khi gửi: "
        "hệ thống chỉ ghi nhận vấn đề và địa bàn, không ghi ai nói gì."
    )
