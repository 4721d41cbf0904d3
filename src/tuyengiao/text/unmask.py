"""The text the privacy filter reads: personal data written so as to slip past it, written plainly.

:func:`unmask` returns a working copy of a text in which

- every character is in NFKC ("０９１２" → "0912", "＠" → "@"), keycaps are digits ("1️⃣" → "1"),
  invisible format characters are gone and every kind of space or dash is " " or "-";
- digits spelled out in runs ("không chín một hai…", "khong chin mot hai…", "linh"/"lẻ" for
  zero, "bẩy", "tư", "mốt", "lăm") are digits;
- a letter O standing for a zero next to digits ("O912 3O5 678") is a zero;
- "@" and "." written as words ("[at]", "(at)", "(a)", " at ", "a còng", "[dot]", " chấm ") are "@"
  and ".", with the spaces around them gone.

Together with the copy comes, for each of its characters, the span of the input it came from, so
a finding in the copy is shown to the user as they wrote it.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable

Span = tuple[int, int]

_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# Look-alikes of the letter O from other scripts (Cyrillic, Greek).
_OS = "\u041e\u043e\u039f\u03bf"
_TABLE = {
    **dict.fromkeys(map(ord, _SPACES), " "),
    **dict.fromkeys(map(ord, _DASHES), "-"),
    **dict.fromkeys(map(ord, _OS), "o"),
}

_DIGIT_WORDS = {
    "0": "không khong linh lẻ le",
    "1": "một mot mốt",
    "2": "hai",
    "3": "ba",
    "4": "bốn bon tư",
    "5": "năm nam lăm lam",
    "6": "sáu sau",
    "7": "bảy bẩy bay",
    "8": "tám tam",
    "9": "chín chin",
}
_WORD_DIGIT = {word: digit for digit, words in _DIGIT_WORDS.items() for word in words.split()}
_WORD = "|".join(sorted(_WORD_DIGIT, key=len, reverse=True))
_TOKEN = rf"(?:(?<!\w)(?:{_WORD})(?!\w)|[0-9]+)"
_JOIN = r"(?:[ ]?[.,\-_/][ ]?|[ ])"
# Spelled-out digits count only in a run of at least four numbers: "năm 2024" stays a year.
_WORD_RUN = re.compile(
    rf"(?<!\w)(?=[0-9bchklmnst])(?:{_TOKEN}(?:{_JOIN}{_TOKEN}){{3,}})", re.IGNORECASE
)
_WORD_IN_RUN = re.compile(rf"(?<!\w)(?:{_WORD})(?!\w)", re.IGNORECASE)

# O for zero: not within a word, and touching a digit ("O912", "3O5"), or between two digits
# across one separator each side ("09 O 12").
_O_BEFORE_DIGIT = re.compile(r"(?<![^\W\d_])[oO]+(?=[0-9])")
_O_AFTER_DIGIT = re.compile(r"(?<=[0-9])[oO]+(?![^\W\d_])")
_O_BETWEEN = re.compile(r"(?<=[0-9][ .\-_])[oO]+(?=[ .\-_][0-9])")

_AT = re.compile(
    r"[ ]*(?:[\[({<][ ]?(?:at|a|a[ ]?còng|a[ ]?cong|a[ ]?móc)[ ]?[\])}>]|@)[ ]*"
    r"|[ ]+(?:at|a[ ]?-?[ ]?còng|a[ ]?-?[ ]?cong|a[ ]?móc)[ ]+",
    re.IGNORECASE,
)
_DOT = re.compile(
    r"[ ]*[\[({<][ ]?(?:dot|chấm|cham)[ ]?[\])}>][ ]*|[ ]+(?:dot|chấm|cham)[ ]+",
    re.IGNORECASE,
)
# A dot with spaces around it, between what may be labels of a domain: "gmail . com".
_SPACED_DOT = re.compile(r"(?<=[^\W\d_])(?:[ ]+\.[ ]*|[ ]*\.[ ]+)(?=[^\W\d_])")
# What only the slow path handles: invisible characters, marks on a digit.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufe00-\ufe0f"
    "\u20dd-\u20e4\U000e0000-\U000e007f]|[0-9][\u0300-\u036f\u20d0-\u20ff]"
)


class Copy:
    """A rewritten text and, for each of its characters, the span of the original it came from.

    ``origin`` is None while the copy is the original character for character.
    """

    def __init__(self, text: str, origin: list[Span] | None = None) -> None:
        self.text = text
        self.origin = origin

    def span(self, start: int, end: int) -> Span:
        if self.origin is None:
            return start, end
        return self.origin[start][0], self.origin[end - 1][1]

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> "Copy":
        """Replace each (start, end) of the copy, in order and not overlapping, by a string."""
        pieces: list[str] = []
        origin: list[Span] = []
        last = 0
        for start, end, new in edits:
            pieces.append(self.text[last:start])
            origin.extend(self._origin(last, start))
            pieces.append(new)
            whole = self.span(start, end) if end > start else self.span(start, start + 1)
            origin.extend([whole] * len(new))
            last = end
        if not pieces:
            return self
        pieces.append(self.text[last:])
        origin.extend(self._origin(last, len(self.text)))
        return Copy("".join(pieces), origin)

    def sub(self, pattern: re.Pattern, replace: Callable[[re.Match], str]) -> "Copy":
        return self.edit((m.start(), m.end(), replace(m)) for m in pattern.finditer(self.text))

    def _origin(self, start: int, end: int) -> list[Span]:
        if self.origin is None:
            return [(i, i + 1) for i in range(start, end)]
        return self.origin[start:end]


def _characters(text: str) -> Copy:
    """NFKC, character by character (a base with its marks), keycaps as digits, format
    characters dropped, spaces and dashes unified."""
    if text.isascii() or (unicodedata.is_normalized("NFKC", text) and not _INVISIBLE.search(text)):
        return Copy(text.translate(_TABLE))
    pieces: list[str] = []
    origin: list[Span] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and (unicodedata.combining(text[j]) or _mark(text[j])):
            j += 1
        piece = unicodedata.normalize("NFKC", text[i:j])
        if _mark(text[i]):
            piece = ""
        elif piece[:1].isdecimal():
            # A digit keeps none of its marks: "1️⃣" (1, VS16, keycap), "1̲".
            piece = piece[0]
        piece = "".join(c for c in piece if not _mark(c))
        pieces.append(piece)
        origin.extend([(i, j)] * len(piece))
        i = j
    return Copy("".join(pieces).translate(_TABLE), origin)


def _mark(char: str) -> bool:
    """Characters that show nothing of their own: format characters (zero-width space, soft
    hyphen…), variation selectors, the keycap frame."""
    category = unicodedata.category(char)
    return category in ("Cf", "Me") or "\ufe00" <= char <= "\ufe0f"


def _digits_for_words(copy: Copy) -> Copy:
    edits = []
    for run in _WORD_RUN.finditer(copy.text):
        for word in _WORD_IN_RUN.finditer(run.group()):
            digit = _WORD_DIGIT[word.group().lower()]
            edits.append((run.start() + word.start(), run.start() + word.end(), digit))
    return copy.edit(edits)


def _zeros_for_os(copy: Copy) -> Copy:
    spans = sorted(
        m.span()
        for pattern in (_O_BEFORE_DIGIT, _O_AFTER_DIGIT, _O_BETWEEN)
        for m in pattern.finditer(copy.text)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return copy.edit((s, e, "0" * (e - s)) for s, e in merged)


def _has(text: str, *parts: str) -> bool:
    return any(part in text for part in parts)


def unmask(text: str) -> Copy:
    """The working copy of ``text`` that the privacy filter searches (see the module)."""
    copy = _characters(text)
    copy = _digits_for_words(copy)
    copy = _zeros_for_os(copy)
    # Most texts hold none of these: the searches are skipped.
    lower = copy.text.lower()
    if _has(lower, "@", "at", "còng", "cong", "móc", "a)", "a]", "a}", "a>"):
        copy = copy.sub(_AT, lambda m: "@")
    if _has(lower, "dot", "chấm", "cham"):
        copy = copy.sub(_DOT, lambda m: ".")
    if "@" in copy.text:
        copy = copy.sub(_SPACED_DOT, lambda m: ".")
    return copy
