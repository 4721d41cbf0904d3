"""Personal data in free text: phone numbers, ID card numbers and e-mail addresses.

Collaborators describe what people are concerned about; the system records topics and places,
never who said what. :func:`personal_data` finds what must be removed before a report is
saved and :func:`describe` says so in one sentence.

Numbers are read the way Vietnamese text writes them: "." groups thousands, "," marks decimals,
so "120.000.000 đồng", "3,5 tỷ", "12/03/2024" or "01-KL/TW" are never personal data.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .unmask import unmask


@dataclass(frozen=True)
class Finding:
    kind: str  # "phone" | "id_number" | "email"
    start: int
    end: int
    text: str


LABELS = {"phone": "số điện thoại", "id_number": "số căn cước/CMND", "email": "địa chỉ e-mail"}

_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w+\-]+(?:\.[\w+\-]+)*@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)
# An address written in words ("tuan a còng gmail chấm com") must end as addresses do: a
# sentence that happens to hold "at" and a full stop is not one.
_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "vn",
        "info",
        "biz",
        "io",
        "me",
        "co",
        "uk",
        "us",
        "asia",
        "online",
        "site",
        "xyz",
        "mobi",
        "name",
        "app",
        "dev",
        "cn",
        "jp",
        "kr",
        "fr",
        "de",
        "ru",
        "au",
        "ca",
        "sg",
        "tw",
        "hk",
    ]
)
# A run of digit groups joined by one separator each: ".", ",", "/", "_", "-" (spaces allowed
# around it) or a space; the first group may sit in parentheses, "(024) 3825 1234". +84, (+84)
# and (84) prefix it, and "(0)" may follow: "+84 (0) 912 345 678".
_PREFIX = r"(?:\(\s?\+?\s?84\s?\)|\+\s?84)[ ]?[.\-]?[ ]?(?:\(0\)[ ]?)?"
_SEP = r"(?:[ ]?[.,\-_/][ ]?|[ ])"
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
# Separators of a list ("12, 15, 20 hộ", "thôn 03, 05, 07"): a phone is written with them only
# digit by digit or in long groups.
_LISTS = frozenset({", ", "/ ", ". "})
_ID_SEPS = frozenset({" ", ".", "-", "_"})
_MAX_GROUPS = 13  # a 12-digit ID or an 11-digit phone written digit by digit, and a prefix
_MIN_DIGITS, _MAX_DIGITS = 9, 13


def _kind(raw: str) -> str:
    """The separator between two groups as written: " ", ".", ",", "/", "_", "-", or a list's
    ", ", "/ ", ". " (punctuation with a space after it)."""
    mark = raw.replace("(", "").replace(")", "").strip()
    if not mark:
        return " "
    return mark + " " if mark in ",/." and raw.endswith(" ") else mark


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


def _one_way(groups: list[str], seps: list[str]) -> bool:
    """Written as one number is: digit by digit (any separators), or in groups all joined the
    same way, a list's separator only between long groups."""
    if len(groups) == 1 or all(len(g) == 1 for g in groups):
        return True
    if len(set(seps)) != 1:
        return False
    return seps[0] not in _LISTS or all(len(g) >= 3 for g in groups)


def _phone(groups: list[str], seps: list[str], prefixed: bool) -> bool:
    if not _one_way(groups, seps):
        return False
    digits = "".join(groups)
    by_digit = len(groups) > 1 and all(len(g) == 1 for g in groups)
    if prefixed:
        national = digits if digits.startswith("0") else "0" + digits
    elif digits.startswith("0084"):
        national = "0" + digits[4:]
    elif digits.startswith("84") and (len(groups) == 1 or groups[0] == "84" or by_digit):
        if _amount_shaped(groups, seps):
            return False
        national = "0" + digits[2:]
    elif (
        len(groups) <= 3
        or by_digit
        or (groups[0].startswith("0") and all(len(g) <= 4 for g in groups))
    ):
        national = digits
    else:
        return False
    if len(national) == 10:
        return national[0] == "0" and national[1] in _MOBILE
    return len(national) == 11 and national.startswith("02")


def _id_number(groups: list[str], seps: list[str]) -> bool:
    digits = "".join(groups)
    if len(digits) not in (9, 12):
        return False
    if len(groups) == 1:
        return True
    if len(set(seps)) != 1 or seps[0] not in _ID_SEPS:
        return False
    sizes = {len(g) for g in groups}
    if sizes == {1}:
        return seps[0] != "."
    if sizes == {4}:
        return True
    if sizes != {3}:
        return False
    # Grouped by three and not starting with 0 it may be an amount: "123.456.789" and
    # "120 000 000 000" are; "123 456 789" alone is an old ID card's number.
    return digits.startswith("0") or seps[0] in "-_" or (seps[0] == " " and len(digits) == 9)


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
        seps = [_kind(w[spans[k][1] : spans[k + 1][0]]) for k in range(len(spans) - 1)]
        prefixed = chunk["prefix"] is not None
        if (
            not prefixed
            and _amount_shaped(groups, seps)
            and (seps[0] == "." or _UNIT.match(w, chunk.end()))
        ):
            continue
        counts = [0]
        for group in groups:
            counts.append(counts[-1] + len(group))
        # Several numbers may follow one another ("0912 345 678 - 0987 654 321"): take the
        # longest run of groups that is one, from left to right.
        i = 0
        while i < len(groups):
            for j in range(min(len(groups), i + _MAX_GROUPS) - 1, i - 1, -1):
                digits = counts[j + 1] - counts[i]
                if digits > _MAX_DIGITS + 2 or digits < _MIN_DIGITS:
                    continue
                start = chunk.start() if i == 0 else spans[i][0]
                window = _Window(w, start, spans[j][1], groups, seps, i, j)
                kind = window.classify(prefixed and i == 0)
                if kind:
                    yield kind, start, spans[j][1]
                    i = j + 1
                    break
            else:
                i += 1


@dataclass(frozen=True)
class _Window:
    """Groups i..j of a chunk, between w[start:end]."""

    w: str
    start: int
    end: int
    all_groups: list[str]
    all_seps: list[str]
    i: int
    j: int

    def classify(self, prefixed: bool) -> str | None:
        w, start, end = self.w, self.start, self.end
        groups, seps = self.all_groups[self.i : self.j + 1], self.all_seps[self.i : self.j]
        if sum(map(len, groups)) > _MAX_DIGITS:
            return None
        # Within 1.020.000.000.000 no part is a number of its own.
        if (start > 1 and w[start - 1] == "." and w[start - 2].isdigit()) or (
            end + 1 < len(w) and w[end] == "." and w[end + 1].isdigit()
        ):
            return None
        if _phone(groups, seps, prefixed):
            return "phone"
        if (
            not prefixed
            and _id_number(groups, seps)
            and not self._continued()
            and not _glued(w, start, end)
        ):
            return "id_number"
        return None

    def _continued(self) -> bool:
        """True when the groups around the window go on in its pattern: nine ones out of
        "1 1 1 1 1 1 1 1 1 1 1" are no ID number."""
        if self.i == self.j:
            return False
        size, sep = len(self.all_groups[self.i]), self.all_seps[self.i]
        before = self.i > 0 and (
            self.all_seps[self.i - 1] == sep and len(self.all_groups[self.i - 1]) == size
        )
        after = self.j + 1 < len(self.all_groups) and (
            self.all_seps[self.j] == sep and len(self.all_groups[self.j + 1]) == size
        )
        return before or after


def personal_data(text: str) -> list[Finding]:
    """Phone numbers, ID card numbers and e-mail addresses in ``text``, in order of position.

    The text is read as :func:`tuyengiao.text.unmask.unmask` writes it: digits spelled out or
    spaced, keycaps, "a còng" and "chấm" are found as well. Positions index ``text`` as given.
    Hotlines and short service numbers (113, 1022, 1900 xxxx, 1800 xxxx), amounts, dates,
    percentages, document symbols, file codes and other numbers are not personal data.
    """
    copy = unmask(text)
    w = copy.text
    found: list[tuple[int, int, str]] = []
    for m in _EMAIL.finditer(w):
        start, end = copy.span(m.start(), m.end())
        written = text[start:end]
        tld = m.group().rsplit(".", 1)[-1].lower()
        if written == m.group() or tld in _TLDS:
            found.append((m.start(), m.end(), "email"))
    emails = list(found)
    for kind, start, end in _numbers(w):
        if not any(s < end and start < e for s, e, _ in emails):
            found.append((start, end, kind))
    found.sort()
    findings = []
    for start, end, kind in found:
        start, end = copy.span(start, end)
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
