"""Vietnamese alphabetical order as a stored key that sorts the same on every database.

`sort_key(name)` maps a name to a string of digits and capital letters whose plain comparison
is the dictionary order: word by word; in a word, letter by letter in the Vietnamese alphabet
(a ă â b c d đ e ê … o ô ơ … u ư …), then, among words of the same letters, by tone (none,
huyền, hỏi, ngã, sắc, nặng); numbers by their value ("số 2" before "số 10"); case ignored.
Only [0-9A-Z] are used, so any collation (C, ICU, SQLite's BINARY) orders the keys alike.
"""

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Combining marks that make a letter of its own (ă â ê ô ơ ư) and the five tones, in order.
_SHAPES = {"\u0306": "breve", "\u0302": "circumflex", "\u031b": "horn"}
_SHAPED = {
    ("a", "breve"): "ă",
    ("a", "circumflex"): "â",
    ("e", "circumflex"): "ê",
    ("o", "circumflex"): "ô",
    ("o", "horn"): "ơ",
    ("u", "horn"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_END_OF_WORD = "00"
_NUMBER = "01"


def _code(rank: int) -> str:
    """Two characters for a letter: after the markers, in alphabet order."""
    high, low = divmod(rank + 10, len(_CODE_CHARS))
    return _CODE_CHARS[high] + _CODE_CHARS[low]


_LETTER_CODES = {letter: _code(i) for i, letter in enumerate(_ALPHABET)}


def _letters(text: str):
    """(letter, tone) for each character of `text`; None for what separates words."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    i = 0
    while i < len(decomposed):
        base = decomposed[i]
        i += 1
        shape, tone = None, 0
        while i < len(decomposed) and unicodedata.combining(decomposed[i]):
            mark = decomposed[i]
            shape = _SHAPES.get(mark, shape)
            tone = _TONES.get(mark, tone)
            i += 1
        letter = _SHAPED.get((base, shape), base)
        if letter in _LETTER_CODES or letter.isdigit():
            yield letter, tone
        else:
            yield None


def _words(text: str):
    word: list[tuple[str, int]] = []
    for item in _letters(text):
        if item is None:
            if word:
                yield word
            word = []
        else:
            word.append(item)
    if word:
        yield word


def _word_key(word: list[tuple[str, int]]) -> str:
    parts, tone_of_word, digits = [], 0, ""
    for letter, tone in [*word, ("", 0)]:
        if letter.isdigit():
            digits += letter
            continue
        if digits:
            number = digits.lstrip("0") or "0"
            parts.append(_NUMBER + _CODE_CHARS[min(len(number), 35)] + number)
            digits = ""
        if letter:
            parts.append(_LETTER_CODES[letter])
            # A syllable carries one tone, wherever it is placed ("Hoà" = "Hòa").
            tone_of_word = tone_of_word or tone
    return "".join(parts) + _END_OF_WORD + str(tone_of_word)


def sort_key(text: str) -> str:
    """The key of `text` in Vietnamese alphabetical order (see the module's docstring)."""
    return "".join(_word_key(word) for word in _words(text))


def sorted_vi(items, key=str):
    """`items` sorted in Vietnamese alphabetical order of `key(item)`."""
    return sorted(items, key=lambda item: (sort_key(key(item)), key(item)))
