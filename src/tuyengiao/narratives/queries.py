"""Reads of the reading page: which references of a text name a document the user may see."""

from django.db.models import Q

from tuyengiao.directives.models import Directive
from tuyengiao.directives.queries import directives_for
from tuyengiao.text.extract import DocRef


def _number_key(number: str) -> str:
    return number.lstrip("0") or "0"


def registered_for(user, refs: list[DocRef]) -> dict[str, Directive]:
    """symbol -> a registered document with that symbol, among those the user sees
    (`directives.queries.directives_for`: registered in the subtree or sent to it); the most
    recently issued when several terms reuse a number."""
    if not refs:
        return {}
    match = Q()
    for ref in {(r.issuer, r.doc_type, _number_key(r.number)) for r in refs}:
        match |= Q(issuer=ref[0], doc_type=ref[1], number_key=ref[2])
    found: dict[tuple, Directive] = {}
    for directive in directives_for(user).filter(match).order_by("issued_on", "pk"):
        found[(directive.issuer, directive.doc_type, directive.number_key)] = directive
    return {
        r.symbol: found[key]
        for r in refs
        if (key := (r.issuer, r.doc_type, _number_key(r.number))) in found
    }
