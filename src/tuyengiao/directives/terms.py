"""Party terms (nhiệm kỳ): document numbers run per type within one term, congress to congress.

Pure functions, no Django. The dates are the opening days of the congresses; a document issued
before a congress opens belongs to the previous term.
"""

from datetime import date

# National Party Congresses: XII (2016), XIII (2021), XIV (2026).
NATIONAL_CONGRESSES = [
    (date(2011, 1, 12), "XI"),
    (date(2016, 1, 21), "XII"),
    (date(2021, 1, 25), "XIII"),
    (date(2026, 1, 19), "XIV"),
]
# Provincial and commune congresses open in the year before the national one (2015, 2020,
# 2025); their exact days vary by province, so the term starts on 1 July of that year.
LOCAL_CONGRESS_YEARS = [2010, 2015, 2020, 2025, 2030]
CENTRAL_ISSUERS = {"TW", "BCT", "BBT", "BTGTW", "BTGDVTW", "VPTW", "UBKTTW", "BTCTW", "BCĐTW"}


def is_central(issuer: str) -> bool:
    return issuer in CENTRAL_ISSUERS or issuer.endswith("TW")


def symbol_scope(issuer: str, unit_path: str, step: int) -> str:
    """The part of the tree within which a document number of this issuer is unique."""
    if is_central(issuer):
        return ""
    if issuer.endswith("TU"):
        return unit_path[: 2 * step]  # the province
    return unit_path


def term_of(issuer: str, issued_on: date) -> str:
    """The term a document belongs to: "XIII" for the centre, "2020-2025" locally."""
    if is_central(issuer):
        current = NATIONAL_CONGRESSES[0][1]
        for opened, name in NATIONAL_CONGRESSES:
            if issued_on >= opened:
                current = name
        return current
    start = LOCAL_CONGRESS_YEARS[0]
    for year in LOCAL_CONGRESS_YEARS:
        if issued_on >= date(year, 7, 1):
            start = year
    return f"{start}-{start + 5}"
