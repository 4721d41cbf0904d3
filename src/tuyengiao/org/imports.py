"""Loading units from the official administrative divisions and from CSV files."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record_many
from tuyengiao.core.files import FileRefused, read_text
from tuyengiao.text import nfc, search_key
from tuyengiao.text.collation import sort_key

from .models import Kind, Level, Unit
from .scope import Action, in_scope
from .services import NewUnit, unit_create, unit_move, units_create_many

ROOT_CODE = "VN"
ROOT_NAME = "Trung ương"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    moved: int = 0


def province_code(code: int | str) -> str:
    return f"{int(code):02d}"


def ward_code(code: int) -> str:
    return f"{int(code):05d}"


PROVINCE_PREFIXES = ("Thành phố ", "Tỉnh ")


def province_name(province) -> str:
    """The province's name in full ("Tỉnh Lai Châu", "Thành phố Hà Nội"). Releases of
    vietnam-provinces before 2026 name a province bare ("Lai Châu") and a centrally-run city in
    full; later ones name both in full."""
    name = nfc(province.name).strip()
    if name.startswith(PROVINCE_PREFIXES):
        return name
    city = "thành phố" in str(getattr(province, "division_type", "")).lower()
    return f"{PROVINCE_PREFIXES[0] if city else PROVINCE_PREFIXES[1]}{name}"


def _root() -> Unit:
    root = Unit.objects.filter(code=ROOT_CODE).first()
    return root or unit_create(actor=None, parent=None, name=ROOT_NAME, code=ROOT_CODE)


@transaction.atomic
def divisions_import(*, province: str | None = None) -> ImportResult:
    """Load the current divisions from the `vietnam-provinces` package, keyed by official code.

    Idempotent: a second run changes nothing; a newer package release renames units in place
    and moves a ward whose province changed. Units the package no longer lists are left alone
    (their history matters), to be closed by a merge or dissolution.
    """
    from vietnam_provinces import Province, Ward

    provinces = list(Province.iter_all())
    if province is not None:
        try:
            wanted = province_code(province)
        except (TypeError, ValueError):
            wanted = None
        provinces = [p for p in provinces if province_code(p.code) == wanted]
        if not provinces:
            raise ValidationError(_("Không có tỉnh, thành phố mã %(code)s.") % {"code": province})
    wanted_provinces = {province_code(p.code) for p in provinces}
    wards = [w for w in Ward.iter_all() if province_code(w.province_code) in wanted_provinces]

    result = ImportResult()
    root = _root()
    existing = {u.code: u for u in Unit.objects.filter(code__in=wanted_provinces)}
    parents = _sync(
        root,
        [(province_code(p.code), province_name(p), Level.PROVINCE) for p in provinces],
        existing,
        result,
    )
    existing = {u.code: u for u in Unit.objects.filter(code__in=[ward_code(w.code) for w in wards])}
    by_province: dict[str, list] = {}
    for w in wards:
        by_province.setdefault(province_code(w.province_code), []).append(w)
    for pcode, items in by_province.items():
        rows = [(ward_code(w.code), w.name, Level.COMMUNE) for w in items]
        _sync(parents[pcode], rows, existing, result)
    return result


def _sync(parent: Unit, rows, existing: dict[str, Unit], result: ImportResult) -> dict[str, Unit]:
    """Create, rename or move the units of `rows` (code, name, level) under `parent`."""
    units: dict[str, Unit] = {}
    to_create, renamed = [], []
    for code, name, level in rows:
        name = nfc(name)
        unit = existing.get(code)
        if unit is None:
            to_create.append(NewUnit(parent=parent, name=name, code=code, level=level))
            continue
        if unit.parent_id != parent.pk:
            unit = unit_move(actor=None, unit=unit, new_parent=parent)
            result.moved += 1
        if unit.name != name:
            unit.name, unit.search_key, unit.sort_key = name, search_key(name), sort_key(name)
            renamed.append(unit)
        else:
            result.unchanged += 1
        units[code] = unit
    if renamed:
        Unit.objects.bulk_update(renamed, ["name", "search_key", "sort_key"], batch_size=2000)
        record_many(None, AuditAction.UPDATE, renamed, verb="import")
        result.updated += len(renamed)
    for unit in units_create_many(actor=None, rows=to_create):
        units[unit.code] = unit
        result.created += 1
    return units


# CSV ----------------------------------------------------------------------------------------

KIND_WORDS = {
    "chi bo": Kind.CELL,
    "cell": Kind.CELL,
    "co quan": Kind.AGENCY,
    "ban": Kind.AGENCY,
    "agency": Kind.AGENCY,
    "cap uy": Kind.COMMITTEE,
    "dang uy": Kind.COMMITTEE,
    "committee": Kind.COMMITTEE,
}
CSV_COLUMNS = ("cap_tren", "ten", "loai", "ma", "ten_viet_tat")
MAX_CSV_BYTES = 5 * 1024 * 1024


@dataclass
class CsvError:
    line: int
    message: str


@dataclass
class CsvImportError(Exception):
    errors: list[CsvError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{_('Dòng')} {e.line}: {e.message}" for e in self.errors)


def _read_csv(data: bytes | str) -> list[tuple[int, dict]]:
    """The rows of the file, each with the line number where it ends (blank lines count)."""
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            too_large = _("Tệp quá lớn (tối đa %(max)s MB).") % {"max": MAX_CSV_BYTES >> 20}
            raise CsvImportError([CsvError(1, too_large)])
        try:
            data = read_text(data)  # by its content: a workbook or UTF-16 text says so
        except FileRefused as exc:
            raise CsvImportError([CsvError(1, str(exc))]) from exc
    sample = data[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(data), dialect=dialect)
    headers = [search_key(h or "").replace(" ", "_") for h in reader.fieldnames or []]
    missing = [c for c in ("cap_tren", "ten") if c not in headers]
    if missing:
        raise CsvImportError(
            [
                CsvError(
                    1,
                    _("Thiếu cột %(cols)s. Các cột của tệp: %(all)s.")
                    % {"cols": ", ".join(missing), "all": ", ".join(CSV_COLUMNS)},
                )
            ]
        )
    reader.fieldnames = headers
    return [(reader.line_num, row) for row in reader]


@transaction.atomic
def units_import_csv(*, actor, data: bytes | str) -> ImportResult:
    """Add cells and agencies from a CSV file; a file with any bad row imports nothing.

    Columns: cap_tren (official code or exact name of the parent, or the name of a unit
    created earlier in the same file), ten, loai (chi bộ / cơ quan / cấp ủy), ma, ten_viet_tat.
    A row whose unit already exists under that parent is counted as unchanged.
    """
    rows = _read_csv(data)
    errors: list[CsvError] = []
    planned: list[tuple[int, dict]] = []
    known_names = {}  # names created earlier in this file, by search key
    for index, row in rows:
        parent_ref = nfc(row.get("cap_tren") or "")
        name = nfc(row.get("ten") or "")
        kind_word = search_key(row.get("loai") or "chi bo")
        kind = KIND_WORDS.get(kind_word)
        if not name:
            errors.append(CsvError(index, _("Thiếu tên đơn vị.")))
            continue
        if kind is None:
            errors.append(
                CsvError(
                    index,
                    _("Loại “%(kind)s” không hợp lệ; dùng: chi bộ, cơ quan, cấp ủy.")
                    % {"kind": row.get("loai")},
                )
            )
            continue
        if not parent_ref:
            errors.append(CsvError(index, _("Thiếu đơn vị cấp trên (cột cap_tren).")))
            continue
        planned.append(
            (
                index,
                {
                    "parent": parent_ref,
                    "name": name,
                    "kind": kind,
                    "code": nfc(row.get("ma") or ""),
                    "short_name": nfc(row.get("ten_viet_tat") or ""),
                },
            )
        )
        known_names.setdefault(search_key(name), index)
    parents = _resolve_parents(actor, [p["parent"] for _i, p in planned])
    codes = [p["code"] for _i, p in planned if p["code"]]
    # A code already used is fine when it belongs to the very unit the row describes (re-import).
    taken = {
        code: (parent_id, key)
        for code, parent_id, key in Unit.objects.filter(code__in=codes).values_list(
            "code", "parent_id", "search_key"
        )
    }
    seen_codes: set[str] = set()
    for index, p in planned:
        ref = p["parent"]
        earlier = known_names.get(search_key(ref), index) < index
        if ref not in parents and not earlier:
            errors.append(
                CsvError(
                    index,
                    parents.get(("error", ref))
                    or _("Không tìm thấy đơn vị cấp trên “%(ref)s” trong phạm vi của bạn.")
                    % {"ref": ref},
                )
            )
        owner = taken.get(p["code"])
        parent = parents.get(ref)
        same_unit = (
            owner is not None
            and parent is not None
            and owner
            == (
                parent.pk,
                search_key(p["name"]),
            )
        )
        if p["code"] and ((owner is not None and not same_unit) or p["code"] in seen_codes):
            errors.append(CsvError(index, _("Mã “%(code)s” đã được dùng.") % {"code": p["code"]}))
        seen_codes.add(p["code"])
    if errors:
        raise CsvImportError(sorted(errors, key=lambda e: e.line))

    result = ImportResult()
    created_by_name: dict[str, Unit] = {}
    for index, p in planned:
        parent = parents.get(p["parent"]) or created_by_name[search_key(p["parent"])]
        existing = Unit.objects.filter(parent=parent, search_key=search_key(p["name"])).first()
        if existing:
            result.unchanged += 1
            created_by_name[search_key(p["name"])] = existing
            continue
        try:
            unit = unit_create(
                actor=actor,
                parent=parent,
                name=p["name"],
                kind=p["kind"],
                code=p["code"],
                short_name=p["short_name"],
            )
        except ValidationError as exc:
            errors.append(CsvError(index, " ".join(exc.messages)))
            continue
        created_by_name[search_key(p["name"])] = unit
        result.created += 1
    if errors:  # raising inside the transaction undoes the rows already written
        raise CsvImportError(errors)
    return result


def _resolve_parents(actor, refs: list[str]) -> dict:
    """Map each parent reference (code or exact name) to a unit in the actor's scope."""
    found: dict = {}
    refs = list(dict.fromkeys(refs))
    candidates = Unit.objects.filter(code__in=refs) | Unit.objects.filter(
        search_key__in=[search_key(r) for r in refs]
    )
    by_code, by_key = {}, {}
    for unit in candidates:
        if actor is not None and not in_scope(actor, unit.path, Action.ADMINISTER):
            continue
        if unit.code:
            by_code[unit.code] = unit
        by_key.setdefault(unit.search_key, []).append(unit)
    for ref in refs:
        if ref in by_code:
            found[ref] = by_code[ref]
            continue
        matches = by_key.get(search_key(ref), [])
        if len(matches) == 1:
            found[ref] = matches[0]
        elif len(matches) > 1:
            found[("error", ref)] = _(
                "Có %(n)d đơn vị tên “%(ref)s”; hãy dùng mã đơn vị ở cột cap_tren."
            ) % {"n": len(matches), "ref": ref}
    return found
