"""Extraction from narrative texts (issue #16): precision and recall of `text.extract` per kind.

Two annotated sets under `extract_texts/`: `dev/` (the rules were tuned on it) and `heldout/`
(written and committed before the rules, never tuned on). Each text `NAME.txt` has its expected
items in `NAME.json`:

    {"doc_refs": ["01-KL/TW", ...],
     "ratios": [{"actual": 52, "planned": 50, "percent_stated": 104}, ...],
     "percents": [104, 98.32, ...]}

Items are compared by normalised value, as multisets per text (a reference named twice is
expected twice): a reference by its symbol's key (number without leading zeros, type, issuer);
a ratio by (actual, planned, stated percentage or none: "vượt 12,5%" states 112.5); a
percentage by its value. Offsets and quotes are not compared. One line per set and kind:
`found`, `expected`, `matched`, `precision` = matched/found, `recall` = matched/expected.
`python -m bench.extract --show` prints what each dev text missed or added (stderr).
"""

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

from ._common import note

TEXTS = Path(__file__).resolve().parent / "extract_texts"
SETS = ("dev", "heldout")
KINDS = ("doc_refs", "ratios", "percents")


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


def _keys(kind: str, items: list) -> Counter:
    from tuyengiao.text.symbols import parse_symbol

    if kind == "doc_refs":
        return Counter(parse_symbol(s).key for s in items)
    if kind == "ratios":
        return Counter(
            (_dec(r["actual"]), _dec(r["planned"]), _dec(r["percent_stated"])) for r in items
        )
    return Counter(_dec(v) for v in items)


def _found(extraction, kind: str) -> list:
    got = extraction.as_json()[kind]
    if kind == "doc_refs":
        return [r["symbol"] for r in got]
    if kind == "percents":
        return [p["value"] for p in got]
    return got


def score(name: str, *, show: bool = False) -> list[dict]:
    from tuyengiao.text.extract import extract

    totals = {kind: Counter() for kind in KINDS}
    paths = sorted((TEXTS / name).glob("*.txt"))
    for path in paths:
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        extraction = extract(path.read_text(encoding="utf-8"))
        for kind in KINDS:
            want = _keys(kind, expected[kind])
            got = _keys(kind, _found(extraction, kind))
            matched = sum((want & got).values())
            totals[kind].update(
                found=sum(got.values()), expected=sum(want.values()), matched=matched
            )
            if show and (want != got):
                note(
                    f"{name}/{path.stem} {kind}: missed {dict(want - got)} added {dict(got - want)}"
                )
    lines = []
    for kind in KINDS:
        t = totals[kind]
        lines.append(
            {
                "case": kind,
                "set": name,
                "texts": len(paths),
                "precision": round(t["matched"] / t["found"], 3) if t["found"] else 1.0,
                "recall": round(t["matched"] / t["expected"], 3) if t["expected"] else 1.0,
                "found": t["found"],
                "expected": t["expected"],
                "matched": t["matched"],
            }
        )
    return lines


def run():
    for name in SETS:
        yield from score(name)


if __name__ == "__main__":
    src = Path(__file__).resolve().parent.parent / "src"
    sys.path.insert(0, str(src))
    show = "--show" in sys.argv
    for name in [a for a in sys.argv[1:] if a in SETS] or ["dev"]:
        for line in score(name, show=show):
            print(json.dumps(line, ensure_ascii=False))
