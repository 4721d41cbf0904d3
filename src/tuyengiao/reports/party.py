"""The Party's document conventions for a unit: who issues, under which committee, where.

Quy định 66-QĐ/TW (2017, now 399-QĐ/TW of 2026) and Hướng dẫn 36-HD/VPTW (2018) on the layout of
Party documents: the header names the committee above the issuing body ("TỈNH ỦY THÁI NGUYÊN")
and the issuing body itself ("BAN TUYÊN GIÁO VÀ DÂN VẬN"), then "Số 12-BC/BTGDVTU" and the
place-date line; a report closes with its recipients ("Nơi nhận"). Every feature that writes a
Party document (the concerns summary, inspection conclusions, the periodic report) takes these
from here, and the page layout from `reports.docx`.

Which agency of a committee does the propaganda work is data, not code: its name starts with
"Ban Tuyên giáo" (since 2025 "Ban Tuyên giáo và Dân vận") or, in a commune since July 2025,
"Ban Xây dựng Đảng" (Quy định 298-QĐ/TW).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tuyengiao.org.models import Kind, Level, Unit
from tuyengiao.text import search_key

__all__ = [
    "ISSUER",
    "Letterhead",
    "committee_name",
    "committee_of",
    "issuer_of",
    "letterhead",
    "office_of",
    "place_of",
    "recipients",
    "symbol_of",
]

ISSUER = "Ban Tuyên giáo và Dân vận"  # when the committee has no office among its agencies
OFFICE_KEYS = ("ban tuyen giao", "ban xay dung dang")
_COMMITTEE_SUFFIX = re.compile(r"\s+(Tỉnh|Thành|Đảng|Huyện)\s+(ủy|uỷ)\b.*$", re.IGNORECASE)
_PLACE_PREFIXES = (
    "Đảng bộ thành phố ",
    "Đảng bộ tỉnh ",
    "Thành ủy ",
    "Tỉnh ủy ",
    "Thành phố ",
    "Tỉnh ",
)


def _starts(name: str, *keys: str) -> bool:
    return search_key(name).startswith(keys)


def committee_of(unit: Unit) -> Unit:
    """The party committee a document is issued under: an agency's parent, or the unit itself."""
    if unit.kind == Kind.AGENCY and unit.parent_id:
        return unit.parent
    return unit


def committee_name(committee: Unit) -> str:
    """The committee as a Party document names it: "Tỉnh ủy Thái Nguyên" for the unit "Tỉnh
    Thái Nguyên", "Thành ủy Hải Phòng", "Đảng ủy xã Chợ Đồn"; a name that already says so stays."""
    name = committee.name
    if committee.kind != Kind.COMMITTEE or _starts(name, "tinh uy", "thanh uy", "dang uy"):
        return name
    if committee.level == Level.CENTRAL:
        return "Ban Chấp hành Trung ương"
    if committee.level == Level.PROVINCE:
        for prefix, title in (("thanh pho ", "Thành ủy "), ("tinh ", "Tỉnh ủy ")):
            if _starts(name, prefix):
                return title + name[len(prefix) :].strip()
    if committee.level in (Level.COMMUNE, Level.DISTRICT):
        return "Đảng ủy " + name[:1].lower() + name[1:]
    return name


def office_of(committee: Unit) -> Unit | None:
    """The committee's office for this work: its agency named "Ban Tuyên giáo…" or, in a
    commune since July 2025, "Ban Xây dựng Đảng" (which office it is, is data)."""
    agencies = Unit.objects.filter(parent=committee, kind=Kind.AGENCY).active()
    for agency in sorted(agencies, key=lambda u: u.path):
        if _starts(agency.name, *OFFICE_KEYS):
            return agency
    return None


def issuer_of(unit: Unit) -> tuple[str, str]:
    """The issuing office's name for the header, without its committee ("Ban Tuyên giáo và Dân
    vận", not "... Tỉnh ủy"), and its abbreviation for the symbol ("BTGDVTU", or "")."""
    office = unit if unit.kind == Kind.AGENCY else office_of(committee_of(unit))
    if office is None:
        return ISSUER, ""
    return _COMMITTEE_SUFFIX.sub("", office.name).strip(), office.short_name


def symbol_of(symbol: str, abbreviation: str, doc_type: str = "BC") -> str:
    """ "Số 12-BC/BTGDVTU"; before a number is given, room for it: "Số      -BC/BTGDVTU".

    `doc_type` is the document type's abbreviation (BC báo cáo, TB thông báo, KH kế hoạch…).
    """
    symbol = symbol.strip()
    if symbol.startswith("Số"):
        return symbol
    if symbol:
        return f"Số {symbol}"
    return f"Số       -{doc_type}/{abbreviation}" if abbreviation else f"Số       -{doc_type}"


def place_of(unit: Unit) -> str:
    """The place of the date line: the province's name without "Tỉnh"/"Tỉnh ủy"…"""
    province = Unit.objects.filter(
        path__in=[*unit.ancestor_paths(), unit.path], level=Level.PROVINCE
    ).first()
    name = (province or unit).name
    for prefix in _PLACE_PREFIXES:
        if name.lower().startswith(prefix.lower()):
            return name[len(prefix) :].strip()
    return name


def recipients(unit: Unit) -> list[str]:
    """ "Nơi nhận" of a report sent upward: the office above (for a province: the central one),
    the committee's standing members, and the file copy."""
    committee = committee_of(unit)
    above = None
    if committee.parent_id and committee.level != Level.PROVINCE:
        above = office_of(committee.parent)
    return [
        _("- %(office)s (b/c),")
        % {"office": above.name if above else _("Ban Tuyên giáo và Dân vận Trung ương")},
        _("- Thường trực %(committee)s (b/c),") % {"committee": committee_name(committee)},
        _("- Lưu Văn phòng."),
    ]


@dataclass(frozen=True)
class Letterhead:
    """The header of a Party document issued by a unit's office (`reports.docx.PartyDocument`
    takes `superior`, `issuer`, `symbol` and `place` from it)."""

    superior: str  # "Tỉnh ủy Thái Nguyên"
    issuer: str  # "Ban Tuyên giáo và Dân vận"
    abbreviation: str  # "BTGDVTU", or ""
    symbol: str  # "Số 12-BC/BTGDVTU", or room for the number
    place: str  # "Thái Nguyên"

    @property
    def number(self) -> str:
        """The symbol without "Số" ("12-BC/BTGDVTU"), or blank room while it has no number."""
        number = self.symbol.removeprefix("Số").strip()
        return number if number[:1].isdigit() else "      "


def letterhead(unit: Unit, *, symbol: str = "", doc_type: str = "BC") -> Letterhead:
    """Who issues a document of `unit` and how its header reads (see the module's docstring)."""
    issuer, abbreviation = issuer_of(unit)
    return Letterhead(
        superior=committee_name(committee_of(unit)),
        issuer=issuer,
        abbreviation=abbreviation,
        symbol=symbol_of(symbol, abbreviation, doc_type),
        place=place_of(unit),
    )
