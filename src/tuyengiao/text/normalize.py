"""Unicode normalisation and accent-insensitive search keys for Vietnamese text."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[\W_]+")


def nfc(s: str) -> str:
    """Return ``s`` in NFC with runs of whitespace collapsed to one space and stripped."""
    return " ".join(unicodedata.normalize("NFC", s).split())


def search_key(s: str) -> str:
    """Return a lowercase, diacritics-free key: ``"Xã Ngân Sơn"`` -> ``"xa ngan son"``.

    Both tone placements ("Hoà"/"Hòa") and composed/decomposed input give the same key.
    """
    # Lowercase before decomposing so that marks produced by case mapping are dropped too.
    decomposed = unicodedata.normalize("NFD", s.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    # đ is a letter of its own, not d plus a combining mark, so NFD leaves it alone.
    bare = bare.replace("đ", "d")
    return _NON_ALNUM.sub(" ", bare).strip()


def matches(query: str, text: str) -> bool:
    """True when every word of ``query`` occurs in ``text``, ignoring case and diacritics.

    Each word matches as a substring, so "ngan" finds "Ngân Sơn". An empty query matches.
    """
    haystack = search_key(text)
    return all(word in haystack for word in search_key(query).split())
