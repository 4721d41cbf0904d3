"""Read references to Party documents, plan-against-actual figures and percentages out of a
narrative text (a commune's report, a news item): :func:`extract`.

Pure Python, no Django. The rules are written for the language, not for particular texts:

**References** (:class:`DocRef`). A Party document's symbol is ``<number>-<type>/<issuer>``
("01-KL/TW"), typed with spaces, other dashes, "TƯ" (:func:`~tuyengiao.text.symbols.parse_symbol`
reads it); the State's shape ``<number>/<type>-<issuer>`` ("35/KH-UBND") is a reference only when
its issuer is a Party body ("05/CT-TW", a common slip). **Only Party documents count**: a symbol
whose issuer is a Party body (ends in TW, TU, HU, QU, ĐU, ĐUK, or such a body's board: BTGTU,
BTGDVTU, UBKTTW…); State documents ("35/KH-UBND", "Quyết định số 06/QĐ-TTg", "Đề án 06 của
Chính phủ") are not. A reference opens with a type word ("Nghị quyết", "Chỉ thị", "Kết luận",
"Quy định", "Quyết định", "Hướng dẫn", "Kế hoạch", "Thông báo (kết luận)", "Chương trình (hành
động)", "Đề án", "Quy chế", "Công văn", "Báo cáo") and an optional "số", or is a bare symbol
("theo 01-KL/TW"). After it may come ", ngày 18/5/2021" / "ngày 18 tháng 5 năm 2021" and
"của <issuer>" in either order. Without a symbol ("Quy định số 144 của Bộ Chính trị") the issuer
is inferred from "của …" (Bộ Chính trị, Ban Bí thư, Ban Chấp hành Trung ương → TW; (Ban Thường
vụ) Tỉnh ủy → TU; Đảng ủy xã → ĐU; Ban Tuyên giáo (và Dân vận) Tỉnh ủy → BTGTU / BTGDVTU…);
a type word and a number alone ("sơ kết Chỉ thị 05") is a reference when the text names that
document with its symbol elsewhere; otherwise it is not read (it may be the State's).

**Ratios** (:class:`Ratio`). "A/B <unit>" ("52/50 lớp", "24.193/24.606 học viên") and "A <unit> …
(chỉ tiêu/kế hoạch … B …)" ("312 đảng viên tham dự (chỉ tiêu giao là 340 người)"), with the
stated percentage that follows in the same clause ("đạt 104%"; "vượt 12,5%" states 112,5%) or
precedes the figure in brackets ("đạt 86,7% (39/45 tổ chức)"). A/B without a unit is a ratio only
with a stated percentage; after "ngày", "đến", "sáng", "tháng"… or followed by a year it is a date
("ngày 07/11", "Quốc khánh 2/9" has neither unit nor percentage). ``consistent`` is whether
A/B × 100 agrees with the stated percentage to its decimals, rounded or truncated.

**Percentages** (:class:`Percent`): "98,32%", "104 %", "85 phần trăm"; in a range ("90-95%")
only the number carrying the sign.

The digits of a symbol (Party's or State's) are never a ratio or a percentage. Offsets
(``start``, ``end``) index the text after :func:`~tuyengiao.text.normalize.nfc`-style Unicode
normalisation (NFC, line breaks kept): :func:`prepare` returns it, and the page highlights it.
"""

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tuyengiao.text.numbers import parse_number
from tuyengiao.text.symbols import SymbolError, parse_symbol

__all__ = ["DocRef", "Extraction", "Percent", "Ratio", "consistent", "extract", "prepare"]


@dataclass(frozen=True)
class DocRef:
    start: int
    end: int
    quote: str
    doc_type: str  # the symbol's type: "KL", "CT", "QĐ"…
    number: str  # as written, leading zeros kept: "01"
    issuer: str  # "TW", "TU", "ĐU"…
    symbol: str  # normalised: "01-KL/TW"
    date: date | None


@dataclass(frozen=True)
class Ratio:
    start: int
    end: int
    quote: str
    actual: Decimal
    planned: Decimal
    unit: str
    percent_stated: Decimal | None
    consistent: bool | None

    @property
    def percent(self) -> Decimal:
        return self.actual * 100 / self.planned


@dataclass(frozen=True)
class Percent:
    start: int
    end: int
    quote: str
    value: Decimal


@dataclass(frozen=True)
class Extraction:
    text: str
    doc_refs: list[DocRef]
    ratios: list[Ratio]
    percents: list[Percent]

    def as_json(self) -> dict:
        """The command's and the API's shape: numbers as JSON numbers, dates ISO."""
        return {
            "doc_refs": [
                {
                    "quote": r.quote,
                    "doc_type": r.doc_type,
                    "number": r.number,
                    "issuer": r.issuer,
                    "symbol": r.symbol,
                    "date": r.date.isoformat() if r.date else None,
                }
                for r in self.doc_refs
            ],
            "ratios": [
                {
                    "quote": r.quote,
                    "actual": json_number(r.actual),
                    "planned": json_number(r.planned),
                    "unit": r.unit,
                    "percent_stated": json_number(r.percent_stated),
                    "consistent": r.consistent,
                }
                for r in self.ratios
            ],
            "percents": [{"quote": p.quote, "value": json_number(p.value)} for p in self.percents],
        }


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Text -----------------------------------------------------------------------------------------


def prepare(text: str) -> str:
    """The text offsets refer to: NFC, Windows line ends and odd spaces made plain."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.translate(_PLAIN)


_PLAIN = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": " ",
        "\ufeff": " ",
        "Ð": "Đ",
        "ð": "đ",
        "\uff05": "%",
    }
)


def _fold_char(c: str) -> str:
    if c in "đĐ":
        return "d"
    bare = "".join(ch for ch in unicodedata.normalize("NFD", c) if not unicodedata.combining(ch))
    bare = bare.lower()
    return bare[0] if len(bare) == 1 else c.lower()[:1] or c


def _fold(text: str) -> str:
    """Lowercase without diacritics, character for character (offsets stay the same)."""
    folded = "".join(_fold_char(c) for c in text)
    assert len(folded) == len(text)
    return folded


# Numbers ---------------------------------------------------------------------------------------

# Vietnamese: "24.193", "1.245.600", "98,32"; also "98.32" and "3.5" as typed in news.
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?"


def _number(text: str) -> Decimal | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


# Symbols ---------------------------------------------------------------------------------------

_DASH = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"  # for a character class
_LETTERS = "A-Za-zĐđƯưƠơ"
# Party shape: 01-KL/TW, 05 CT/TƯ, 29 - NQ/TW, 05–CT/TW, 08-QĐi/TW.
_PARTY_SHAPE = re.compile(
    rf"(?<![\w/.,])(\d{{1,5}})\s{{0,2}}[{_DASH}]?\s{{0,2}}([A-ZĐ][{_LETTERS}]{{0,4}})"
    rf"\s?/\s?([A-ZĐƯ][{_LETTERS}]{{0,11}})(?![\w])"
)
# State shape: 35/KH-UBND, 06/QĐ-TTg, 13/2023/NĐ-CP, 1234/QĐ-UBND; 05/CT-TW (a slip for 05-CT/TW).
_STATE_SHAPE = re.compile(
    rf"(?<![\w/.,])(\d{{1,5}})(?:/\d{{4}})?\s?/\s?([A-ZĐ][{_LETTERS}]{{0,6}})"
    rf"\s?[{_DASH}]\s?([A-ZĐƯ][{_LETTERS}]{{0,11}}(?:[{_DASH}][A-ZĐ][{_LETTERS}]*)*)(?![\w])"
)
# Party issuers: a committee (TW, TU, HU, QU, ĐU, ĐUK…) or one of its boards.
_PARTY_ISSUER = re.compile(
    r"(?:BTG|BTGDV|BDV|BTC|BNC|UBKT|VP|BCĐ|BCS|BTV|TT|BKT|BCH)?"
    r"(?:TW|TU|HU|QU|TXU|TPU|ĐU|ĐUK|ĐUQSTW|ĐUCA|ĐUCATW|ĐUK\w*)"
)


# A document's number standing alone ("Chỉ thị 05 của …"), not a symbol's ("35/KH-UBND").
_BARE_NUMBER = re.compile(rf"(\d{{1,5}})(?![\d\w]|[/.,]\d|\s?[/{_DASH}]\s?[A-Za-zĐđ])")


def _party_symbol(number: str, doc_type: str, issuer: str):
    try:
        symbol = parse_symbol(f"{number}-{doc_type}/{issuer}")
    except SymbolError:
        return None
    return symbol if _PARTY_ISSUER.fullmatch(symbol.issuer) else None


# Type words, issuers, dates (matched on the folded text) ---------------------------------------

_TYPE_WORDS = [
    ("chuong trinh hanh dong", "CTr"),
    ("thong bao ket luan", "TB"),
    ("nghi quyet", "NQ"),
    ("chi thi", "CT"),
    ("ket luan", "KL"),
    ("quy dinh", "QĐ"),
    ("quyet dinh", "QĐ"),
    ("huong dan", "HD"),
    ("ke hoach", "KH"),
    ("thong bao", "TB"),
    ("chuong trinh", "CTr"),
    ("de an", "ĐA"),
    ("quy che", "QC"),
    ("cong van", "CV"),
    ("bao cao", "BC"),
]
_TYPE_RE = re.compile(
    r"\b(" + "|".join(w.replace(" ", r"\s+") for w, _ in _TYPE_WORDS) + r")\b(?:\s+so\b)?\s*:?\s*"
)
_TYPE_OF = {w: t for w, t in _TYPE_WORDS}
# Type words name a set of types: "Quy định" is QĐ now and QĐi in 2016-2021.
_SAME_TYPES = {"QĐ": {"QĐ", "QĐi"}, "CTr": {"CTr", "CTHĐ"}}

_LEVEL = r"(?:tinh|thanh)\s+uy"
_ISSUERS: list[tuple[str, str | None]] = [
    (r"ban\s+tuyen\s+giao\s+va\s+dan\s+van\s+trung\s+uong", "BTGDVTW"),
    (rf"ban\s+tuyen\s+giao\s+va\s+dan\s+van\s+{_LEVEL}", "BTGDVTU"),
    (r"ban\s+tuyen\s+giao\s+va\s+dan\s+van\s+huyen\s+uy", "BTGDVHU"),
    (r"ban\s+tuyen\s+giao\s+trung\s+uong", "BTGTW"),
    (rf"ban\s+tuyen\s+giao\s+{_LEVEL}", "BTGTU"),
    (r"ban\s+tuyen\s+giao\s+huyen\s+uy", "BTGHU"),
    (r"ban\s+tuyen\s+giao\s+quan\s+uy", "BTGQU"),
    (r"ban\s+dan\s+van\s+trung\s+uong", "BDVTW"),
    (rf"ban\s+dan\s+van\s+{_LEVEL}", "BDVTU"),
    (r"ban\s+dan\s+van\s+huyen\s+uy", "BDVHU"),
    (r"ban\s+to\s+chuc\s+trung\s+uong", "BTCTW"),
    (rf"ban\s+to\s+chuc\s+{_LEVEL}", "BTCTU"),
    (r"ban\s+to\s+chuc\s+huyen\s+uy", "BTCHU"),
    (r"uy\s+ban\s+kiem\s+tra\s+trung\s+uong", "UBKTTW"),
    (rf"uy\s+ban\s+kiem\s+tra\s+{_LEVEL}", "UBKTTU"),
    (r"uy\s+ban\s+kiem\s+tra\s+huyen\s+uy", "UBKTHU"),
    (
        r"(?:bo\s+chinh\s+tri|ban\s+bi\s+thu|ban\s+chap\s+hanh\s+trung\s+uong|"
        r"hoi\s+nghi\s+(?:lan\s+thu\s+\w+\s+)?(?:ban\s+chap\s+hanh\s+)?trung\s+uong|"
        r"trung\s+uong\s+dang|tong\s+bi\s+thu|ban\s+chi\s+dao\s+trung\s+uong|trung\s+uong)",
        "TW",
    ),
    (r"dang\s+uy\s+khoi", "ĐUK"),
    (
        rf"(?:(?:ban\s+thuong\s+vu|thuong\s+truc|ban\s+chap\s+hanh(?:\s+dang\s+bo)?)\s+)?{_LEVEL}|"
        r"ban\s+chap\s+hanh\s+dang\s+bo\s+(?:tinh|thanh\s+pho)",
        "TU",
    ),
    (
        r"(?:(?:ban\s+thuong\s+vu|thuong\s+truc|ban\s+chap\s+hanh(?:\s+dang\s+bo)?)\s+)?"
        r"huyen\s+uy|ban\s+chap\s+hanh\s+dang\s+bo\s+huyen",
        "HU",
    ),
    (r"(?:(?:ban\s+thuong\s+vu|thuong\s+truc)\s+)?quan\s+uy", "QU"),
    (r"(?:(?:ban\s+thuong\s+vu|ban\s+chap\s+hanh)\s+)?dang\s+uy", "ĐU"),
    # The State's bodies: not a Party document.
    (
        r"uy\s+ban\s+nhan\s+dan|ubnd|hoi\s+dong\s+nhan\s+dan|hdnd|chinh\s+phu|thu\s+tuong|"
        r"quoc\s+hoi|bo\s+(?!chinh\s+tri)\w+|so\s+\w+|toa\s+an|vien\s+kiem\s+sat|mat\s+tran",
        None,
    ),
]
_ISSUER_RE = [(re.compile(pattern), code) for pattern, code in _ISSUERS]
_OF = re.compile(r"\s*,?\s*cua\s+")
_DATE_NUM = re.compile(
    r"\s*,?\s*(?:ngay|ban\s+hanh\s+ngay)\s+(\d{1,2})\s?([/.-])\s?(\d{1,2})(?:\2(\d{4}))?"
)
_DATE_WORDS = re.compile(r"\s*,?\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")


def _issuer_at(folded: str, pos: int) -> tuple[str | None, int] | None:
    """The issuer named by "của …" at `pos`: (code, end), (None, end) for a State body, or None."""
    m = _OF.match(folded, pos)
    if not m:
        return None
    for pattern, code in _ISSUER_RE:
        found = pattern.match(folded, m.end())
        if found and (found.end() == len(folded) or not folded[found.end()].isalnum()):
            return code, found.end()
    return None


def _date_at(folded: str, pos: int) -> tuple[date | None, int] | None:
    m = _DATE_NUM.match(folded, pos) or _DATE_WORDS.match(folded, pos)
    if not m:
        return None
    groups = [g for g in m.groups() if g is None or g.isdigit()]
    day, month, year = groups[0], groups[1], groups[-1]
    try:
        found = date(int(year), int(month), int(day)) if year else None
    except ValueError:
        found = None
    return found, m.end()


def _tail(folded: str, pos: int) -> tuple[str | None, bool, date | None, int]:
    """What follows a reference: (issuer code, a State body named, date, end)."""
    issuer, state, when, end = None, False, None, pos
    for _i in range(2):
        if when is None and (got := _date_at(folded, end)):
            when, end = got
            continue
        if issuer is None and not state and (got := _issuer_at(folded, end)):
            issuer, end = got
            state = issuer is None
            continue
        break
    return issuer, state, when, end


# Spans -----------------------------------------------------------------------------------------


class Spans:
    """Disjoint (start, end) spans kept in order: whether a new one overlaps any is a bisection,
    so a long text with thousands of items is read in linear time."""

    def __init__(self, spans=()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end) - 1  # the last span starting before `end`
        return i >= 0 and self._ends[i] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def copy(self) -> "Spans":
        other = Spans()
        other._starts, other._ends = list(self._starts), list(self._ends)
        return other


def _doc_refs(text: str, folded: str) -> tuple[list[DocRef], Spans]:
    taken = Spans()  # every symbol's span, Party's or State's
    found: dict[int, tuple[int, object]] = {}  # start -> (end, Symbol) of Party symbols
    for m in _PARTY_SHAPE.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        symbol = _party_symbol(m[1], m[2], m[3])
        if symbol is None:
            try:
                parse_symbol(f"{m[1]}-{m[2]}/{m[3]}")
            except SymbolError:
                continue  # not a symbol at all ("2/3 TP/HCM"?)
        taken.add(m.start(), m.end())
        if symbol is not None:
            found[m.start()] = (m.end(), symbol)
    for m in _STATE_SHAPE.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        taken.add(m.start(), m.end())
        symbol = _party_symbol(m[1], m[2], m[3])
        if symbol is not None:
            found[m.start()] = (m.end(), symbol)

    refs: list[DocRef] = []
    used: set[int] = set()
    bare: list[tuple[int, int, str, str, int]] = []  # start, end, type, number, number start
    for m in _TYPE_RE.finditer(folded):
        pos = m.end()
        if pos in found:
            end, symbol = found[pos]
            used.add(pos)
            refs.append(_ref(text, folded, m.start(), end, symbol))
            continue
        num = _BARE_NUMBER.match(folded, pos)
        if not num or taken.overlaps(pos, num.end()):
            continue
        doc_type = _TYPE_OF[re.sub(r"\s+", " ", m[1])]
        bare.append((m.start(), num.end(), doc_type, num[1], pos))
    for start, (end, symbol) in found.items():
        if start not in used:
            refs.append(_ref(text, folded, start, end, symbol))

    # Those naming their issuer first ("Quy định 37 của Ban Chấp hành Trung ương"), then those
    # naming a document the text names elsewhere ("sơ kết Quy định 37").
    tails = [(item, _tail(folded, item[1])) for item in bare]
    tails.sort(key=lambda pair: pair[1][0] is None)
    named: dict = {}
    for (start, _end, doc_type, number, _num_start), (issuer, state, when, tail_end) in tails:
        if issuer is None and not named:
            named = {(s.number.lstrip("0"), s.doc_type): s for s in _symbols(refs)}
        if state:
            continue
        if issuer is None:
            symbol = next(
                (
                    named[(number.lstrip("0"), t)]
                    for t in _SAME_TYPES.get(doc_type, {doc_type})
                    if (number.lstrip("0"), t) in named
                ),
                None,
            )
            if symbol is None:
                continue
            doc_type, issuer = symbol.doc_type, symbol.issuer
            number = symbol.number if symbol.number.lstrip("0") == number.lstrip("0") else number
        try:
            symbol = parse_symbol(f"{number}-{doc_type}/{issuer}")
        except SymbolError:
            continue
        refs.append(
            DocRef(
                start,
                tail_end,
                text[start:tail_end],
                symbol.doc_type,
                symbol.number,
                symbol.issuer,
                str(symbol),
                when,
            )
        )
    refs.sort(key=lambda r: r.start)
    return refs, taken


def _symbols(refs: list[DocRef]):
    for r in refs:
        yield parse_symbol(r.symbol)


def _ref(text: str, folded: str, start: int, end: int, symbol) -> DocRef:
    _issuer, _state, when, tail_end = _tail(folded, end)
    return DocRef(
        start,
        tail_end,
        text[start:tail_end],
        symbol.doc_type,
        symbol.number,
        symbol.issuer,
        str(symbol),
        when,
    )


# Percentages -----------------------------------------------------------------------------------

_PERCENT = re.compile(rf"(?<![\w.,/])({_NUM})(?:\s?%|\s+phần\s+trăm\b|\s+phan\s+tram\b)")


def _percents(text: str, taken) -> list[Percent]:
    out = []
    for m in _PERCENT.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        value = _number(m[1])
        if value is not None:
            out.append(Percent(m.start(), m.end(), m[0], value))
    return out


# Ratios ----------------------------------------------------------------------------------------

_RATIO = re.compile(rf"(?<![\w.,/])({_NUM})\s?/\s?({_NUM})(?![\w/]|[.,]\d)")
_DATE_CUES = {
    "ngay", "sang", "chieu", "toi", "trua", "dem", "hom", "thang", "den", "tu", "truoc", "sau",
    "khanh", "le", "dip", "luc", "nam", "hop", "tet", "vao", "tuan", "mung",
}  # fmt: skip
# Words that open a clause, not a unit: "14/14 chi bộ" has a unit, "30/9 đã có" has none.
_NOT_UNITS = {
    "da", "se", "duoc", "cac", "nhung", "moi", "mot", "la", "cua", "va", "thi", "o", "tai",
    "trong", "tu", "den", "nam", "thang", "ngay", "luc", "gio", "voi", "cho", "ve", "theo",
    "nhu", "khi", "sau", "truoc", "con", "chua", "dat", "bang", "chiem", "tang", "giam",
    "vuot", "co", "nay", "do", "tren", "duoi", "hon", "tuong", "vao", "ra", "thuc", "hoan", "tham",
}  # fmt: skip
_UNIT_STOPS = _NOT_UNITS
_WORD = re.compile(r"[^\W\d_]+")
_PLAN_CUE = re.compile(r"\b(?:chi\s+tieu|ke\s+hoach)\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER_RE = re.compile(rf"(?<![\w.,/])({_NUM})(?![\w/]|[.,]\d)")
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?=\s|$)")
_NEXT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")
_DATE_AFTER = re.compile(r"\s*(?:nam\b|,?\s*\d{4}\b)")
_PERCENT_AFTER = re.compile(r"\s?%|\s+phan\s+tram")
_DIGIT = re.compile(r"\d")


def _unit_after(text: str, folded: str, pos: int) -> tuple[str, int]:
    """The unit words after a number ("chi bộ", "lượt người"): up to three words, stopping at
    punctuation or a word that opens a clause; ("", pos) when there is none."""
    words: list[tuple[int, int]] = []
    i = pos
    while len(words) < 3:
        m = _NEXT_WORD.match(folded, i)
        if not m or m[1] in _UNIT_STOPS:
            break
        if not words and text[m.start(1)].isupper() and m[1] not in ("",):
            break  # "2/9 Quốc khánh": a capital opens a name, not a unit
        words.append((m.start(1), m.end(1)))
        i = m.end()
    if not words:
        return "", pos
    return text[words[0][0] : words[-1][1]], words[-1][1]


def _prev_word(folded: str, pos: int) -> str:
    m = re.search(r"([^\W\d_]+)[\s,]*$", folded[max(0, pos - 30) : pos])
    return m[1] if m else ""


def _stated_after(text: str, folded: str, pos: int, percents: list[Percent]):
    """The percentage stated for a figure ending at `pos`: the first in the same clause, with
    no other number between; "vượt X%" states 100 + X. (value, end) or None."""
    limit = pos + 90
    clause = _CLAUSE_END.search(text, pos, limit)
    if clause:
        limit = clause.start()
    i = bisect_left(percents, pos, key=lambda p: p.start)
    if i == len(percents):
        return None
    p = percents[i]
    if p.start >= limit or _DIGIT.search(text, pos, p.start):
        return None
    return _stated_value(folded, p), p.end


def _stated_before(text: str, start: int, percents: list[Percent]):
    """ "đạt 86,7% (39/45 tổ chức)": the percentage just before the bracket."""
    head = text[max(0, start - 3) : start]
    if "(" not in head:
        return None
    i = bisect_left(percents, start - 3, key=lambda p: p.end)
    for p in percents[i : i + 2]:
        if 0 <= start - p.end <= 3 and re.fullmatch(r"\s?\(\s?", text[p.end : start]):
            return p.value
    return None


def _stated_value(folded: str, percent: Percent) -> Decimal:
    """ "vượt 12,5%" states 112,5% of the plan."""
    if re.search(r"\bvuot\s*$", folded[max(0, percent.start - 12) : percent.start]):
        return 100 + percent.value
    return percent.value


def consistent(actual: Decimal, planned: Decimal, stated: Decimal) -> bool:
    """Whether `stated` is actual/planned × 100 to its own decimals, rounded or truncated."""
    if planned == 0:
        return False
    exponent = stated.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    step = Decimal(1).scaleb(-decimals)
    true = actual * 100 / planned
    return stated - step / 2 - Decimal("1e-9") <= true < stated + step


def _make_ratio(text, start, end, actual, planned, unit, stated) -> Ratio:
    return Ratio(
        start, end, text[start:end], actual, planned, unit, stated,
        None if stated is None else consistent(actual, planned, stated),
    )  # fmt: skip


def _ratios(text: str, folded: str, taken: Spans, percents: list[Percent]) -> list[Ratio]:
    out: list[Ratio] = []
    spans = taken.copy()
    for m in _RATIO.finditer(text):
        if spans.overlaps(m.start(), m.end()):
            continue
        actual, planned = _number(m[1]), _number(m[2])
        if actual is None or planned is None or planned == 0:
            continue
        could_be_date = actual == int(actual) and 1 <= actual <= 31 and 1 <= planned <= 12
        if could_be_date and _prev_word(folded, m.start()) in _DATE_CUES:
            continue
        if _DATE_AFTER.match(folded, m.end()):
            continue
        unit, unit_end = _unit_after(text, folded, m.end())
        after = _stated_after(text, folded, unit_end if unit else m.end(), percents)
        stated = after[0] if after else _stated_before(text, m.start(), percents)
        end = after[1] if after else (unit_end if unit else m.end())
        if not unit and stated is None:
            continue
        out.append(_make_ratio(text, m.start(), end, actual, planned, unit, stated))
        spans.add(m.start(), m.end())
    out.extend(_plan_ratios(text, folded, spans, percents))
    out.sort(key=lambda r: r.start)
    return out


def _plan_ratios(text: str, folded: str, spans: Spans, percents: list[Percent]) -> list[Ratio]:
    """ "312 đảng viên tham dự (chỉ tiêu giao là 340 người), đạt 91,76%"."""
    out = []
    percent_spans = Spans((p.start, p.end) for p in percents)
    starts = [p.start for p in percents]
    for cue in _PLAN_CUE.finditer(folded):
        # B: the first number within a few words after the cue, with a unit or a bracket after it.
        window_end = min(len(text), cue.end() + 45)
        clause = _CLAUSE_END.search(text, cue.end(), window_end)
        if clause:
            window_end = min(window_end, clause.start())
        b = next(
            (
                n
                for n in _NUMBER_RE.finditer(text, cue.end(), window_end)
                if not spans.overlaps(n.start(), n.end())
            ),
            None,
        )
        if b is None or percent_spans.overlaps(b.start(), b.end()):
            continue
        if _PERCENT_AFTER.match(folded, b.end()):
            continue
        planned = _number(b[1])
        b_unit, b_unit_end = _unit_after(text, folded, b.end())
        if planned is None or planned == 0 or (_YEAR.fullmatch(b[1]) and not b_unit):
            continue
        # A: the last number before the cue in the same clause, followed by a unit.
        head_start = max(0, cue.start() - 120)
        for stop in _CLAUSE_END.finditer(text, head_start, cue.start()):
            head_start = stop.end()
        candidates = [
            n
            for n in _NUMBER_RE.finditer(text, head_start, cue.start())
            if not spans.overlaps(n.start(), n.end())
            and not percent_spans.overlaps(n.start(), n.end())
            and _prev_word(folded, n.start()) not in _DATE_CUES
        ]
        if not candidates:
            continue
        a = candidates[-1]
        unit, _unit_end = _unit_after(text, folded, a.end())
        actual = _number(a[1])
        # "68 đồng chí, đạt 85% kế hoạch (80 đồng chí)": a percentage may stand between.
        between = [
            p
            for p in percents[bisect_left(starts, a.end()) : bisect_left(starts, cue.start())]
            if p.end <= cue.start()
        ]
        rest = text[a.end() : cue.start()]
        for p in reversed(between):
            rest = rest[: p.start - a.end()] + rest[p.end - a.end() :]
        if not unit or actual is None or re.search(r"\d", rest):
            continue
        close = text.find(")", b.end(), b.end() + 40)
        after_pos = (
            close + 1
            if close != -1 and "(" in text[a.end() : b.start()]
            else (b_unit_end if b_unit else b.end())
        )
        after = None if between else _stated_after(text, folded, after_pos, percents)
        if after is None and not b_unit and not between:
            continue
        stated = after[0] if after else _stated_value(folded, between[-1]) if between else None
        end = after[1] if after else after_pos
        out.append(_make_ratio(text, a.start(), end, actual, planned, unit, stated))
        spans.add(a.start(), b.end())
    return out


# The door --------------------------------------------------------------------------------------


def extract(text: str) -> Extraction:
    """Every Party-document reference, plan-against-actual figure and percentage of `text`."""
    text = prepare(text)
    folded = _fold(text)
    refs, taken = _doc_refs(text, folded)
    percents = _percents(text, taken)
    ratios = _ratios(text, folded, taken, percents)
    return Extraction(text, refs, ratios, percents)
