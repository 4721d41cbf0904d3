"""Number-symbols (số và ký hiệu) of Party documents: ``"Kết luận số 01-KL/TƯ"`` -> 01-KL/TW.

A symbol is ``<number>-<type>/<issuer>``: number 01, type KL (kết luận), issuer TW. People type
it with spaces, other dashes, lowercase, "TƯ" for TW, "QD" for QĐ, a leading "Kết luận số" and a
trailing ", ngày 18/5/2021 của Bộ Chính trị"; :func:`parse_symbol` accepts all of that and says
which part is wrong when it cannot.
"""

import re
from dataclasses import dataclass

from tuyengiao.text.normalize import nfc, search_key

DOC_TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐ": "Quyết định/Quy định",
    # Quy định of the Central Committee in 2016-2021 were numbered QĐi, e.g. 08-QĐi/TW (2018).
    "QĐi": "Quy định",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "CTHĐ": "Chương trình hành động",
    "TB": "Thông báo",
    "BC": "Báo cáo",
    "ĐA": "Đề án",
    "CV": "Công văn",
}

# Uppercased spelling as typed -> canonical type; Đ may be typed as D.
_TYPE_ALIASES: dict[str, str] = {
    **{abbr.upper(): abbr for abbr in DOC_TYPES},
    **{abbr.upper().replace("Đ", "D"): abbr for abbr in DOC_TYPES},
}
_STATE_QD = {"QYĐ", "QYD"}

# Leading document-type words (as search keys) -> the types they may name.
_TYPE_WORDS: dict[tuple[str, ...], frozenset[str]] = {
    ("nghi", "quyet"): frozenset({"NQ"}),
    ("chi", "thi"): frozenset({"CT"}),
    ("ket", "luan"): frozenset({"KL"}),
    ("quyet", "dinh"): frozenset({"QĐ"}),
    ("quy", "dinh"): frozenset({"QĐ", "QĐi"}),
    ("quy", "che"): frozenset({"QC"}),
    ("huong", "dan"): frozenset({"HD"}),
    ("ke", "hoach"): frozenset({"KH"}),
    ("chuong", "trinh"): frozenset({"CTr", "CTHĐ"}),
    ("chuong", "trinh", "hanh", "dong"): frozenset({"CTr", "CTHĐ"}),
    ("thong", "bao"): frozenset({"TB"}),
    ("bao", "cao"): frozenset({"BC"}),
    ("de", "an"): frozenset({"ĐA"}),
    ("cong", "van"): frozenset({"CV"}),
}
_LONGEST_TYPE_WORDS = sorted(_TYPE_WORDS, key=len, reverse=True)

# Issuers typed without the Đ.
_ISSUER_ALIASES = {"DU": "ĐU", "DUK": "ĐUK", "BCD": "BCĐ"}
_ISSUER = re.compile(r"[A-ZĐ]{1,12}")
# Words that may follow the issuer: "01-KL/TW ngày 18/5/2021 của Bộ Chính trị về ...".
_TAIL_WORDS = {"ngay", "cua", "ve"}

_EXAMPLE = "ví dụ 01-KL/TW"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen-minus, hyphens, figure/en/em, minus
_TYPE_AT_END = re.compile(r"[^\W\d_]+$")
_NUMBER = re.compile(r"[0-9]+")
# Icelandic eth looks like Đ and turns up in copied text; zero-width characters too.
_CLEAN = str.maketrans({"Ð": "Đ", "ð": "đ", "\u200b": None, "\u200c": None, "\ufeff": None})


class SymbolError(ValueError):
    """A symbol that cannot be read; ``part`` is "number", "type", "issuer" or "text"."""

    def __init__(self, message: str, part: str) -> None:
        super().__init__(message)
        self.part = part


@dataclass(frozen=True)
class Symbol:
    """A parsed symbol. Compare documents by :attr:`key`, which ignores leading zeros."""

    number: str
    doc_type: str
    issuer: str

    def __str__(self) -> str:
        return f"{self.number}-{self.doc_type}/{self.issuer}"

    @property
    def doc_type_label(self) -> str:
        return DOC_TYPES.get(self.doc_type, self.doc_type)

    @property
    def key(self) -> tuple[str, str, str]:
        """("1", "KL", "TW") for both 1-KL/TW and 01-KL/TW."""
        return (self.number.lstrip("0") or "0", self.doc_type, self.issuer)


def _issuer(right: str) -> str:
    typed, _, tail = right.strip().partition(" ")
    if not typed:
        raise SymbolError(f"Thiếu cơ quan ban hành sau dấu “/”, {_EXAMPLE}.", "issuer")
    if tail and search_key(tail.split()[0]) not in _TAIL_WORDS:
        raise SymbolError(
            f"Cơ quan ban hành “{right.strip()}” phải viết liền, chỉ gồm chữ cái, "
            "ví dụ TW, TU, ĐUK, BTGTU.",
            "issuer",
        )
    # TƯ (Trung ương) is written TW. Other accented letters are refused, not stripped: "TƯ"
    # without its horn would silently become TU (Tỉnh ủy).
    issuer = typed.upper().replace("TƯ", "TW")
    issuer = _ISSUER_ALIASES.get(issuer, issuer)
    if not typed.isalpha() or not _ISSUER.fullmatch(issuer):
        raise SymbolError(
            f"Cơ quan ban hành “{typed}” chỉ được gồm chữ cái không dấu hoặc Đ (tối đa 12), "
            "ví dụ TW, TU, ĐUK, BTGTU.",
            "issuer",
        )
    return issuer


def _doc_type(typed: str) -> str:
    upper = typed.upper()
    if upper in _STATE_QD:
        raise SymbolError(
            f"“{typed}” là ký hiệu của văn bản Nhà nước; văn bản của Đảng dùng “QĐ” cho cả "
            "quyết định và quy định, ví dụ 68-QĐ/TW.",
            "type",
        )
    if upper not in _TYPE_ALIASES:
        known = ", ".join(DOC_TYPES)
        raise SymbolError(f"Loại văn bản “{typed}” không có trong danh mục ({known}).", "type")
    return _TYPE_ALIASES[upper]


def _split_head(words: list[str]) -> tuple[tuple[str, ...] | None, list[str]]:
    """Split "Chỉ thị số 05" into the type words ("chi", "thi") and the rest ["05"]."""
    keys = [search_key(word) for word in words]
    type_words = next((tw for tw in _LONGEST_TYPE_WORDS if tuple(keys[: len(tw)]) == tw), None)
    start = len(type_words) if type_words else 0
    if start < len(keys) and keys[start] == "so":
        start += 1
    return type_words, words[start:]


def parse_symbol(text: str) -> Symbol:
    """Read a symbol as people type it: "Chỉ thị số 05 - CT/TƯ, ngày ..." -> 05-CT/TW.

    Raises :class:`SymbolError` naming the wrong part.
    """
    cleaned = nfc(text.translate(_CLEAN)).partition(",")[0].rstrip(". ")
    if not cleaned:
        raise SymbolError(f"Chưa nhập số và ký hiệu văn bản, {_EXAMPLE}.", "text")
    left, slash, right = cleaned.partition("/")

    type_match = _TYPE_AT_END.search(left.rstrip())
    if not slash and (
        type_match is None or type_match.group().upper() not in _TYPE_ALIASES.keys() | _STATE_QD
    ):
        raise SymbolError(f"“{cleaned}” không có dạng số-loại/cơ quan, {_EXAMPLE}.", "text")
    if type_match is None:
        raise SymbolError(f"Thiếu loại văn bản trước dấu “/”, {_EXAMPLE}.", "type")
    head = left[: type_match.start()].rstrip()
    if head.endswith(tuple(_DASHES)):
        head = head[:-1].rstrip()

    type_words, rest = _split_head(head.split())
    if len(rest) > 1:
        raise SymbolError(
            f"Không hiểu “{' '.join(rest[:-1])}” trước số văn bản; chỉ ghi tên loại văn bản "
            "và chữ “số”, ví dụ Kết luận số 01-KL/TW.",
            "text",
        )
    if not rest:
        raise SymbolError(f"Thiếu số văn bản trước loại văn bản, {_EXAMPLE}.", "number")
    number = rest[0]
    if not _NUMBER.fullmatch(number):
        raise SymbolError(
            f"Số văn bản “{number}” chỉ được gồm chữ số, nối với loại văn bản bằng dấu “-”, "
            f"{_EXAMPLE}.",
            "number",
        )
    if not number.strip("0"):
        raise SymbolError(f"Số văn bản phải lớn hơn 0, {_EXAMPLE}.", "number")

    doc_type = _doc_type(type_match.group())
    if type_words and doc_type not in _TYPE_WORDS[type_words]:
        named = " ".join(head.split()[: len(type_words)])
        expected = "/".join(sorted(_TYPE_WORDS[type_words]))
        raise SymbolError(
            f"“{named}” không khớp với ký hiệu “{doc_type}” ({DOC_TYPES[doc_type]}); "
            f"{named.lower()} có ký hiệu {expected}.",
            "type",
        )

    if not slash:
        raise SymbolError(f"Thiếu cơ quan ban hành sau dấu “/”, {_EXAMPLE}.", "issuer")
    return Symbol(number, doc_type, _issuer(right))
