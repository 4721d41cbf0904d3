"""Numbers in a rewritten section that no longer match the data it was drafted from.

The section's facts are the numbers its drafted paragraphs counted (`drafting.Para`). After an
edit, the text is read with `text.extract` (ratios "52/50 lớp, đạt 104%", percentages) and for
plain numbers ("312 buổi"); a number that is none of the facts (a percentage: none of the
rates, to the decimals written), or a ratio whose stated rate disagrees with its own numbers,
is flagged with the words around it. Dates, years, symbols of documents and the numbers the
draft itself wrote (in a unit's name, say) are never flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from tuyengiao.text.extract import extract, prepare
from tuyengiao.text.numbers import parse_number

from .drafting import section_facts

# A plain number: 1.234.567, 24193, 98,3 — not part of a word, a date or a symbol.
_NUMBER = re.compile(
    r"(?<![\w/.,-])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\w/-])|(?<![\w/.,-])\d+(?:,\d+)?(?![\w/-])"
)
_DATE_WORDS = ("ngày", "tháng", "năm", "quý", "khóa", "khoá", "nhiệm kỳ", "số")


@dataclass
class Flag:
    quote: str
    reason: str


def _values(facts: dict) -> set[Decimal]:
    return {Decimal(str(v)) for v in facts.values() if v is not None}


def _matches_rate(value: Decimal, rates: set[Decimal]) -> bool:
    exponent = value.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)
    for rate in rates:
        if rate.quantize(places, ROUND_HALF_UP) == value:
            return True
        if rate.quantize(places, ROUND_DOWN) == value:
            return True
    return False


def _plain_numbers(text: str) -> list[tuple[int, int, Decimal]]:
    found = []
    for match in _NUMBER.finditer(text):
        try:
            found.append((match.start(), match.end(), parse_number(match.group())))
        except ValueError:
            continue
    return found


def _is_calendar(text: str, start: int, value: Decimal) -> bool:
    before = text[max(0, start - 12) : start].lower().rstrip()
    if before.endswith(_DATE_WORDS) or before.endswith("/"):
        return True
    return value == value.to_integral_value() and 1900 <= value <= 2100


def numbers_in(text: str) -> list[Decimal]:
    """Every number a text states: its ratios' two numbers and stated rate, its percentages,
    its plain numbers (a quoted text's numbers become facts)."""
    extraction = extract(text)
    found: list[Decimal] = []
    for ratio in extraction.ratios:
        found += [ratio.actual, ratio.planned]
        if ratio.percent_stated is not None:
            found.append(ratio.percent_stated)
    found += [p.value for p in extraction.percents]
    found += [v for _s, _e, v in _plain_numbers(extraction.text)]
    return found


def flags(section: dict) -> list[Flag]:
    """The numbers of an edited section's text that are none of its facts."""
    from django.utils.translation import gettext as _

    if "text" not in section:
        return []
    facts = section_facts(section)
    values = _values(facts)
    drafted = "\n".join(p.get("text", "") for p in section.get("paragraphs", []))
    values |= {v for _s, _e, v in _plain_numbers(prepare(drafted))}
    rates = values
    extraction = extract(section["text"])
    text = extraction.text
    taken: list[tuple[int, int]] = [(r.start, r.end) for r in extraction.doc_refs]
    out: list[Flag] = []
    for ratio in extraction.ratios:
        taken.append((ratio.start, ratio.end))
        if ratio.consistent is False:
            out.append(Flag(ratio.quote, _("tỷ lệ ghi không khớp với chính số liệu của nó")))
        elif ratio.actual not in values or ratio.planned not in values:
            out.append(Flag(ratio.quote, _("không khớp với số liệu")))
    for percent in extraction.percents:
        if any(s <= percent.start < e for s, e in taken):
            continue
        taken.append((percent.start, percent.end))
        if not _matches_rate(percent.value, rates):
            out.append(Flag(percent.quote, _("tỷ lệ không khớp với số liệu")))
    for start, end, value in _plain_numbers(text):
        if any(s <= start < e for s, e in taken) or _is_calendar(text, start, value):
            continue
        if value not in values:
            quote = text[max(0, start - 30) : min(len(text), end + 30)].strip()
            out.append(Flag(quote, _("số %(n)s không khớp với số liệu") % {"n": text[start:end]}))
    return out
