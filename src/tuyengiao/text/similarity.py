"""Which existing concern a new report is about: cosine similarity of syllables and syllable pairs.

Text is compared as search keys (no case, no diacritics), so "ô nhiễm", "Ô NHIỄM" and
"o nhiem" are one term. Vietnamese words are mostly one or two syllables, so the terms are the
syllables and the pairs of neighbouring syllables ("o nhiem", "mat bang"). Pairs are taken after
stopwords are dropped, so "khói bụi từ nhà máy" and "khói bụi của nhà máy" share "bui nha".
"""

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

from tuyengiao.text.normalize import search_key

K = TypeVar("K")

# Function words without diacritics. A key stands for every word spelt like it once the marks
# are gone, so words whose look-alikes carry topics stay: "o" (ô nhiễm), "ve" (vệ sinh),
# "do" (đổ rác), "tai" (tai nạn, tái định cư), "thi" (thi công), "ma" (ma túy), "khi" (khí thải),
# "vi" (vi phạm), "den" (đền bù), "tu" (đầu tư). "nguoi" and "dan" are in nearly every report.
STOPWORDS = frozenset(
    """
    ai ay bi cac cho co cua da dan dang de duoc gi hay hoac la mot nao nay neu nguoi nhieu nhung
    rat se theo tren trong truoc va vao voi
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def terms(text: str) -> Counter[str]:
    """Syllables and neighbouring pairs of ``text`` as search keys, without stopwords or numbers."""
    words = [w for w in search_key(text).split() if w not in STOPWORDS and not w.isdigit()]
    counts = Counter(words)
    counts.update(map(" ".join, zip(words, words[1:], strict=False)))
    return counts


def _squared_norm(counts: Mapping[str, float]) -> float:
    return sum(v * v for v in counts.values())


@lru_cache(maxsize=2048)
def _cached_terms(text: str) -> tuple[Counter[str], float]:
    # rank() is asked again with the same candidates while a report is being typed.
    counts = terms(text)
    return counts, _squared_norm(counts)


def _cosine(dot: float, squared_norms: float) -> float:
    # sqrt of the product (not a product of roots) so that identical terms give exactly 1.0.
    return min(1.0, dot / math.sqrt(squared_norms)) if dot else 0.0


def similarity(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two term counts: 1.0 for the same terms in the same proportions, 0.0 for none."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b[t] for t, v in a.items() if t in b)
    return _cosine(dot, _squared_norm(a) * _squared_norm(b))


def rank(
    query: str | Mapping[str, float],
    candidates: Iterable[tuple[K, str | Mapping[str, float]]],
    *,
    limit: int = 5,
    threshold: float = 0.2,
) -> list[tuple[K, float]]:
    """The ``limit`` candidates most similar to ``query``, best first, as (key, score).

    A candidate is (key, text) or (key, terms(text)): callers that keep terms skip reading the
    text again. Only scores of at least ``threshold`` and above 0 count; equal scores keep the
    order of ``candidates``.
    """
    q = terms(query) if isinstance(query, str) else query
    if not q or limit <= 0:
        return []
    q_items = list(q.items())
    q_squared = _squared_norm(q)
    scored: list[tuple[float, int, K]] = []
    for index, (key, candidate) in enumerate(candidates):
        if isinstance(candidate, str):
            c, c_squared = _cached_terms(candidate)
        else:
            c, c_squared = candidate, None
        dot = sum(v * c[t] for t, v in q_items if t in c)
        if not dot:
            continue
        if c_squared is None:
            c_squared = _squared_norm(c)
        score = _cosine(dot, q_squared * c_squared)
        if score >= threshold:
            scored.append((score, -index, key))
    best = heapq.nlargest(limit, scored, key=lambda s: (s[0], s[1]))
    return [(key, score) for score, _, key in best]
