"""Excel both ways: a template of a report form to fill offline, and the import of the filled file.

The template
------------
Written with the document toolkit (`reports.xlsx`: text as text, the header frozen and printed on
every page, A4). For one report form (data set), one unit and a range of periods of the form's
kind, one sheet per period, its title the period id ("2026-10", "2026Q3", "2026S1", "2026"). On
each sheet:

- row 1: A1 the form's code (the import reads it), B1 the form's name, the unit, the period and
  the day the template was made;
- row 2: a one-line reminder of how to fill the sheet;
- row 3: column names for people: "Số hiệu", "Đơn vị", "Trực thuộc", "Trạng thái", then each
  entered (non-derived) indicator's name and measure, "Số lớp đã mở (lớp)";
- row 4: the key row the import reads: MA_DON_VI, TEN_DON_VI, TRUC_THUOC, TRANG_THAI, then the
  indicator codes (LOP_KH, LOP_TH, ...);
- from row 5: one row per unit of the chosen unit's subtree that owes the form for the period
  (`services.expected_units`), in tree order. MA_DON_VI is the unit's id in this system (cells
  have no official code), the name columns are for people and ignored on import. Values are
  pre-filled with what is stored, numbers written as numbers; a report that cannot be changed
  now (approved, sent, or locked by date) is shaded grey and says so in TRANG_THAI.
Numeric columns carry an Excel data validation (whole number >= 0, decimal, 0-100 for rates) as
a warning only, so that text such as "24.193" can still be typed. A last sheet "Hướng dẫn"
explains all this and is skipped on import.

The import
----------
Read with openpyxl (read-only, formulas as written). A sheet's period is its title; its form
is cell A1 (one form per file); its columns are found from the key row (the row, among the
first ten, that has a MA_DON_VI cell), so columns may be reordered, hidden or deleted.
A cell is read as:

- empty: the stored value is left as it is (so that a partly filled sheet never erases figures);
- a formula: an error (its cached result may be stale or missing; type or paste the values);
- "-" (or an en/em dash): the stored value is cleared;
- a number: taken as it is (float noise beyond 10 decimals rounded away);
- text: read as a person types it in Vietnamese, "24.193", "98,32" (`services.parse_entry`).

Every error is collected with its sheet, row and column: a cell holding a formula (anywhere in
a data sheet), a sheet whose title is not a period of the form's kind, a period that has not
begun or is before the form's first period, an unknown or derived indicator code, a unit that
is unknown, outside the uploader's scope (for changing) or does not owe the form, a unit twice
in one sheet, an unreadable number, a report that cannot be changed now
(`services.editing_problem`), and a broken validation rule
(`services.violations` over the figures the report would have after the import). Only rows
that change something are checked for the last two: an untouched pre-filled row of an approved
report is no error. If there is any error nothing is written. Otherwise every changed report is
saved through `services.report_save` (from the version read during the check, so a report saved
by someone else meanwhile refuses the whole import) in one transaction: roll-up and audit stay
exact, and either the whole file is imported or nothing is.

Files over 5 MB, with more than 50,000 rows, or that unpack to more than 100 MB are refused; a
file that is not an .xlsx workbook gets a clear message. The page lists at most 1,000 errors
(and says how many more there are).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.core.files import XLSX, file_type, zip_members
from tuyengiao.core.params import parse_id
from tuyengiao.core.period_names import period_label
from tuyengiao.org.models import Unit
from tuyengiao.org.queries import tree_ordered
from tuyengiao.org.scope import Action, can, restrict
from tuyengiao.periods import Period
from tuyengiao.reports import xlsx

from . import services
from .models import DataSet, Indicator, Report, Value, ValueType, from_stored
from .queries import data_sets_for

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024
MAX_ROWS = 50_000
MAX_PERIODS = 24
MAX_SHOWN_ERRORS = 1000

UNIT_KEY = "MA_DON_VI"
NAME_KEY = "TEN_DON_VI"
PARENT_KEY = "TRUC_THUOC"
STATE_KEY = "TRANG_THAI"
RESERVED = (UNIT_KEY, NAME_KEY, PARENT_KEY, STATE_KEY)
KEY_ROW = 4
FIRST_ROW = 5
KEY_ROW_SEARCH = 10
CLEAR = frozenset({"-", "\u2013", "\u2014"})
INSTRUCTIONS = "Hướng dẫn"
_CHUNK = 2000


@dataclass(frozen=True)
class CellError:
    """One problem of an uploaded file, where a person can find it."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        place = {"sheet": self.sheet, "row": self.row, "column": self.column, "m": self.message}
        if not self.sheet:
            return self.message
        if self.row is None:
            return _("Trang tính %(sheet)s: %(m)s") % place
        if not self.column:
            return _("Trang tính %(sheet)s, dòng %(row)s: %(m)s") % place
        return _("Trang tính %(sheet)s, dòng %(row)s, cột %(column)s: %(m)s") % place


@dataclass
class ImportResult:
    errors: list[CellError] = field(default_factory=list)
    values: int = 0  # figures changed
    reports: int = 0  # reports saved
    data_set: DataSet | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[CellError]:
        return self.errors[:MAX_SHOWN_ERRORS]

    @property
    def hidden_errors(self) -> int:
        return max(0, len(self.errors) - MAX_SHOWN_ERRORS)


def _chunks(items: Iterable, size: int = _CHUNK) -> Iterator[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


# The template ------------------------------------------------------------------------------------


def template_periods(data_set: DataSet, first: str, last: str) -> list[Period]:
    """The periods from `first` to `last`, checked against the form; ValidationError if not."""
    try:
        start, end = Period.parse(first or ""), Period.parse(last or first or "")
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    kind_label = data_set.get_period_kind_display().lower()
    if start.kind != data_set.period_kind or end.kind != data_set.period_kind:
        raise ValidationError(
            _("Biểu mẫu này báo cáo theo %(kind)s; hãy nhập kỳ như %(example)s.")
            % {"kind": kind_label, "example": Period.of(data_set.period_kind, date.today()).id}
        )
    if start > end:
        raise ValidationError(_("Kỳ đầu phải trước kỳ cuối."))
    periods = Period.range(start, end)
    if len(periods) > MAX_PERIODS:
        raise ValidationError(
            _("Mỗi tệp nhiều nhất %(n)s kỳ; hãy chia thành nhiều tệp.") % {"n": MAX_PERIODS}
        )
    started = services.started_periods(data_set)
    if not started or start < started[0] or end > started[-1]:
        raise ValidationError(
            _("Chỉ tải được mẫu cho các kỳ đã bắt đầu, từ %(first)s đến %(last)s.")
            % {
                "first": period_label(data_set.first_period),
                "last": period_label(started[-1] if started else data_set.first_period),
            }
        )
    return periods


def template_units(data_set: DataSet, unit: Unit, period: Period) -> list[Unit]:
    """The units of `unit`'s subtree that owe the form for the period, in tree order (sister
    units in Vietnamese order)."""
    return tree_ordered(
        services.expected_units(data_set, period).subtree(unit).select_related("parent")
    )


def _as_cell(indicator: Indicator, number: int | None, text: str):
    if indicator.value_type == ValueType.TEXT:
        return text or None
    value = from_stored(number)
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def template(data_set: DataSet, unit: Unit, periods: list[Period]) -> bytes:
    """The XLSX template (see the module's docstring); ValidationError when it would be too big."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    indicators = services.entered_indicators(data_set)
    units_by_period = {p.id: template_units(data_set, unit, p) for p in periods}
    if sum(len(u) for u in units_by_period.values()) > MAX_ROWS:
        raise ValidationError(
            _("Mẫu sẽ có quá %(n)s dòng; hãy chọn đơn vị nhỏ hơn hoặc ít kỳ hơn.")
            % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    period_ids = [p.id for p in periods]
    unit_ids = {u.pk for units in units_by_period.values() for u in units}
    stored: dict = {}
    reports: dict = {}
    for chunk in _chunks(unit_ids):
        for v in Value.objects.filter(
            unit_id__in=chunk, period__in=period_ids, indicator__in=indicators
        ).values_list("unit_id", "period", "indicator_id", "number", "text"):
            stored[v[:3]] = v[3:]
        for report in Report.objects.filter(
            data_set=data_set, period__in=period_ids, unit_id__in=chunk
        ).select_related("data_set"):
            reports[report.unit_id, report.period] = report

    first_value_column = len(RESERVED) + 1
    today = timezone.localdate()

    book = xlsx.new_workbook()
    for period in periods:
        sheet = book.create_sheet(period.id)
        units = units_by_period[period.id]
        # A1 is read back by the import; B1 says what, where and when for people.
        xlsx.put(sheet, 1, 1, data_set.code, bold=True)
        what = f"{data_set.name} – {xlsx.subtitle(unit.name, period_label(period), day=today)}"
        xlsx.put(sheet, 1, 2, what, bold=True)
        xlsx.put(
            sheet,
            2,
            1,
            _(
                "Nhập số như 24.193 hoặc 98,32. Ô để trống: giữ nguyên số đã lưu; gõ dấu - để "
                "xoá. Không sửa tên trang tính, ô A1 và dòng mã (dòng 4)."
            ),
        )
        names = [_("Số hiệu"), _("Đơn vị"), _("Trực thuộc"), _("Trạng thái")]
        for indicator in indicators:
            measure = f" ({indicator.measure})" if indicator.measure else ""
            names.append(f"{indicator.name}{measure}")
        xlsx.header_row(sheet, KEY_ROW - 1, names)
        for cell in xlsx.put_row(sheet, KEY_ROW, [*RESERVED, *(i.code for i in indicators)]):
            cell.font = xlsx.KEY_FONT
        for number, row_unit in enumerate(units, start=FIRST_ROW):
            report = reports.get((row_unit.pk, period.id))
            problem = services.editing_problem(report, today) if report else None
            if report is None:
                state = _("Chưa nhập")
            else:
                state = report.get_state_display()
                if problem:
                    state = _("%(state)s – khoá, không sửa được") % {"state": state}
            line = [
                row_unit.pk,
                row_unit.name,
                row_unit.parent.name if row_unit.parent else "",
                state,
            ]
            for indicator in indicators:
                value, text = stored.get((row_unit.pk, period.id, indicator.pk), (None, ""))
                line.append(_as_cell(indicator, value, text))
            cells = xlsx.put_row(sheet, number, line)
            if problem:
                for cell in cells:
                    cell.fill = xlsx.LOCKED_FILL
        last_row = max(FIRST_ROW, FIRST_ROW + len(units) - 1)
        widths = {1: 9, 4: 18}  # the names (B, C) as wide as they are
        for offset, indicator in enumerate(indicators):
            letter = get_column_letter(first_value_column + offset)
            area = f"{letter}{FIRST_ROW}:{letter}{last_row}"
            widths[first_value_column + offset] = 16
            if indicator.value_type == ValueType.TEXT:
                for (cell,) in sheet[area]:
                    cell.number_format = xlsx.TEXT
                continue
            if indicator.value_type == ValueType.INTEGER:
                rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
                rule.error = _("Chỉ tiêu này nhận số nguyên không âm.")
                for (cell,) in sheet[area]:
                    cell.number_format = xlsx.INTEGER
            elif indicator.value_type == ValueType.PERCENT:
                rule = DataValidation(
                    type="decimal", operator="between", formula1="0", formula2="100"
                )
                rule.error = _("Tỷ lệ phải từ 0 đến 100.")
            else:
                rule = DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="-999999999999",
                    formula2="999999999999",
                )
                rule.error = _("Ô này nhận số.")
            rule.errorStyle = "warning"
            rule.errorTitle = _("Số liệu chưa hợp lệ")
            rule.allow_blank = True
            rule.add(area)
            sheet.add_data_validation(rule)
        # The reserved columns (id, names, state) stay in view while one scrolls the figures.
        xlsx.set_up(
            sheet, header=(KEY_ROW - 1, KEY_ROW), label_columns=len(RESERVED), widths=widths
        )

    guide = book.create_sheet(INSTRUCTIONS)
    for number, line in enumerate(_instructions(data_set, indicators), start=1):
        xlsx.put(guide, number, 1, line, bold=number == 1)
    xlsx.set_up(guide, header=None, widths={1: 110}, wide=False)
    return xlsx.workbook_bytes(book)


def _instructions(data_set: DataSet, indicators: list[Indicator]) -> list[str]:
    lines = [
        _("Mẫu nhập số liệu: %(code)s – %(name)s") % {"code": data_set.code, "name": data_set.name},
        "",
        _("Mỗi trang tính là một kỳ báo cáo; tên trang tính là mã kỳ (như 2026-10). Đừng đổi tên."),
        _("Ô A1 là mã biểu mẫu; dòng 4 là dòng mã (MA_DON_VI và mã chỉ tiêu). Đừng sửa."),
        _("Cột MA_DON_VI là số hiệu đơn vị trong hệ thống. Các cột tên đơn vị chỉ để đọc."),
        _("Nhập số như 24.193 (hai mươi tư nghìn một trăm chín mươi ba) hoặc 98,32."),
        _("Ô để trống: giữ nguyên số đã lưu. Gõ dấu - để xoá số đã lưu."),
        _("Dòng tô xám là báo cáo đã gửi, đã duyệt hoặc đã khoá: không sửa được."),
        _(
            "Khi gửi tệp, mọi lỗi được liệt kê theo trang tính, dòng và cột; tệp còn lỗi thì "
            "không số liệu nào được nhập. Sửa hết lỗi rồi gửi lại."
        ),
        "",
        _("Các chỉ tiêu:"),
    ]
    for indicator in indicators:
        lines.append(
            f"{indicator.code}: {indicator.name}"
            + (f" ({indicator.measure})" if indicator.measure else "")
            + f" – {indicator.get_value_type_display()}"
        )
    return lines


# The import --------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int  # the row number in Excel
    unit_id: int
    unit_column: str
    cells: list[tuple[str, object]]  # (column letter, raw value) under a key


@dataclass
class _Sheet:
    title: str
    code: str = ""  # the form code in A1
    key_row: int | None = None
    keys: dict[str, str] = field(default_factory=dict)  # column letter -> key
    rows: list[_Row] = field(default_factory=list)
    period: Period | None = None
    columns: dict[str, Indicator] = field(default_factory=dict)  # column letter -> indicator


class _Refused(Exception):
    """The file as a whole cannot be read; its message says why."""


class _Rollback(Exception):
    pass


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _cell_text(indicator: Indicator, value) -> str | None:
    """What a person would have typed for this cell; None when the cell is empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(_("Ô này chứa giá trị đúng/sai, không phải số liệu."))
    if isinstance(value, datetime | date | time | timedelta):
        raise ValueError(
            _("Ô này là ngày tháng; hãy định dạng ô là số hoặc văn bản rồi nhập lại số liệu.")
        )
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise ValueError(_("Không đọc được số.")) from None
        if not number.is_finite():
            raise ValueError(_("Không đọc được số."))
        if number.as_tuple().exponent < -10:  # binary floating point noise
            number = number.quantize(Decimal("1E-10")).normalize()
        if number == number.to_integral_value():
            return str(int(number))
        # "1,234" is one point two three four for parse_number; "1.234" would be a thousand
        return format(number, "f").replace(".", ",")
    text = str(value).strip()
    return text or None


def _check_size(file) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size > MAX_BYTES:
        raise _Refused(_("Tệp lớn quá 5 MB; hãy chia thành nhiều tệp nhỏ hơn."))
    if size == 0:
        raise _Refused(_("Tệp rỗng."))
    not_xlsx = _(
        "Tệp không phải bảng tính Excel .xlsx hoặc đã bị hỏng. Nếu là tệp .xls hay .ods, hãy mở "
        "bằng Excel (hoặc LibreOffice) và lưu lại dưới dạng .xlsx."
    )
    if file_type(file) is not XLSX:  # by its content: a ZIP holding xl/workbook.xml
        raise _Refused(not_xlsx)
    unpacked = sum(member.file_size for member in zip_members(file) or ())
    if unpacked > MAX_UNPACKED:
        raise _Refused(_("Tệp giải nén ra quá lớn; hãy chia thành nhiều tệp nhỏ hơn."))


def _read(file, errors: list[CellError]) -> list[_Sheet]:
    """The data sheets of the uploaded workbook; _Refused when the file cannot be read."""
    from openpyxl import load_workbook

    _check_size(file)
    try:
        # Formulas as written (not their cached results): a cell holding one is an error.
        book = load_workbook(file, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error on a broken file
        raise _Refused(
            _("Không mở được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")
        ) from None
    try:
        sheets, total = [], 0
        for worksheet in book.worksheets:
            if worksheet.title.strip() == INSTRUCTIONS:
                continue
            sheet = _Sheet(worksheet.title)
            total = _read_sheet(worksheet, sheet, total, errors)
            sheets.append(sheet)
        return sheets
    except _Refused:
        raise
    except Exception:  # a broken part of the file shows only while reading it
        raise _Refused(_("Không đọc được nội dung tệp Excel: tệp bị hỏng.")) from None
    finally:
        book.close()


def _read_sheet(worksheet, sheet: _Sheet, total: int, errors: list[CellError]) -> int:
    """Read one sheet's A1, key row and data rows; return the file's row count so far."""
    from openpyxl.utils import get_column_letter

    unit_index = 0
    stray: dict[int, int] = {}  # column index -> first row with data but no key
    for number, row in enumerate(worksheet.iter_rows(), start=1):
        total += 1
        if total > MAX_ROWS:
            raise _Refused(
                _("Tệp có quá %(n)s dòng; hãy chia thành nhiều tệp nhỏ hơn.")
                % {"n": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        values, formulas = _values(sheet, number, row, errors)
        if number == 1:
            sheet.code = _text(values[0] if values else None).upper()
        if sheet.key_row is None:
            texts = [_text(v).upper() for v in values]
            if UNIT_KEY in texts:
                sheet.key_row = number
                unit_index = texts.index(UNIT_KEY)
                sheet.keys = {get_column_letter(i + 1): t for i, t in enumerate(texts) if t}
            elif number >= KEY_ROW_SEARCH:
                break
            continue
        if all(_text(v) == "" for v in values):
            continue
        unit_column = get_column_letter(unit_index + 1)
        raw_unit = values[unit_index] if unit_index < len(values) else None
        cells = []
        for index, value in enumerate(values):
            letter = get_column_letter(index + 1)
            if index == unit_index or _text(value) == "":
                continue
            if letter not in sheet.keys:
                stray.setdefault(index, number)
            else:
                cells.append((letter, value))
        unit_id = _unit_id(raw_unit)
        if unit_id is None and unit_index in formulas:
            continue  # the formula's error says it
        if unit_id is None:
            message = (
                _("Thiếu số hiệu đơn vị (cột %(key)s).")
                if _text(raw_unit) == ""
                else _("Số hiệu đơn vị “%(value)s” không hợp lệ.")
            )
            place = {"key": UNIT_KEY, "value": _text(raw_unit)}
            errors.append(CellError(sheet.title, number, unit_column, message % place))
            continue
        sheet.rows.append(_Row(number, unit_id, unit_column, cells))
    if sheet.key_row is None:
        errors.append(
            CellError(
                sheet.title,
                None,
                "",
                _(
                    "Không thấy dòng mã (ô %(key)s) trong %(n)s dòng đầu. Hãy dùng mẫu tải "
                    "từ hệ thống và đừng xoá dòng mã."
                )
                % {"key": UNIT_KEY, "n": KEY_ROW_SEARCH},
            )
        )
    for index, first in sorted(stray.items()):
        errors.append(
            CellError(
                sheet.title,
                first,
                get_column_letter(index + 1),
                _("Cột này có số liệu nhưng không có mã chỉ tiêu ở dòng mã."),
            )
        )
    return total


def _values(sheet: _Sheet, number: int, row, errors: list[CellError]) -> tuple[list, set[int]]:
    """The values of a row's cells, and the indexes of those holding a formula: each is an
    error and reads as empty.

    A formula is never imported: its cached result may be stale or missing, and a figure sent
    upward must be what the unit typed (so that the file is also no vehicle for a formula).
    """
    from openpyxl.utils import get_column_letter

    values, formulas = [], set()
    for index, cell in enumerate(row):
        if cell.data_type == "f":
            formulas.add(index)
            formula = str(getattr(cell.value, "text", None) or cell.value)  # an array formula
            shown = formula if len(formula) <= 40 else formula[:39] + "…"
            errors.append(
                CellError(
                    sheet.title,
                    number,
                    get_column_letter(index + 1),
                    _(
                        "Ô này chứa công thức (%(formula)s); hãy nhập thẳng số liệu, hoặc sao "
                        "chép rồi dán dưới dạng giá trị (Paste Values)."
                    )
                    % {"formula": shown},
                )
            )
            values.append(None)
        else:
            values.append(cell.value)
    return values, formulas


def _unit_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value > 0 else None
    return parse_id(_text(value))


def _check_sheets(data_set: DataSet, sheets: list[_Sheet], errors: list[CellError]) -> None:
    """Check each sheet's form code, period and key row; set its period and columns."""
    by_code = {i.code: i for i in data_set.indicators.all()}
    started = services.started_periods(data_set)
    seen_periods: dict[str, str] = {}
    for sheet in sheets:
        if sheet.code != data_set.code:
            errors.append(
                CellError(
                    sheet.title,
                    1,
                    "A",
                    _("Ô A1 phải là mã biểu mẫu %(code)s (một tệp chỉ nhập một biểu mẫu).")
                    % {"code": data_set.code},
                )
            )
        used: dict[str, str] = {}
        for letter, key in sheet.keys.items():
            if key in RESERVED:
                continue
            indicator = by_code.get(key)
            if indicator is None:
                message = _("Biểu mẫu %(form)s không có chỉ tiêu %(code)s.")
            elif indicator.is_derived:
                message = _("Chỉ tiêu %(code)s được tính tự động, không nhập.")
            elif indicator.is_counted:
                message = _("Chỉ tiêu %(code)s được đếm từ hồ sơ, không nhập tay.")
            elif key in used:
                message = _("Chỉ tiêu %(code)s lặp lại (đã có ở cột %(other)s).")
            else:
                sheet.columns[letter] = indicator
                used[key] = letter
                continue
            place = {"form": data_set.code, "code": key, "other": used.get(key, "")}
            errors.append(CellError(sheet.title, sheet.key_row, letter, message % place))
        problem = _period_problem(data_set, sheet.title, started)
        if isinstance(problem, str):
            errors.append(CellError(sheet.title, None, "", problem))
        elif problem.id in seen_periods:
            errors.append(
                CellError(
                    sheet.title,
                    None,
                    "",
                    _("Kỳ %(period)s đã có ở trang tính %(other)s.")
                    % {"period": period_label(problem), "other": seen_periods[problem.id]},
                )
            )
        else:
            seen_periods[problem.id] = sheet.title
            sheet.period = problem


def _period_problem(data_set: DataSet, title: str, started: list[Period]) -> Period | str:
    """The sheet's period, or why its title is not a period the form may be filled for."""
    try:
        period = Period.parse(title)
    except ValueError:
        return _("Tên trang tính phải là mã kỳ báo cáo như %(example)s.") % {
            "example": started[-1].id if started else data_set.first_period
        }
    if period.kind != data_set.period_kind:
        return _("Biểu mẫu %(code)s báo cáo theo %(kind)s, không theo kỳ %(period)s.") % {
            "code": data_set.code,
            "kind": data_set.get_period_kind_display().lower(),
            "period": period_label(period),
        }
    if period not in started:
        return _("%(period)s chưa bắt đầu hoặc trước kỳ đầu tiên của biểu mẫu.") % {
            "period": period_label(period)
        }
    return period


@dataclass
class _Plan:
    sheet: str
    row: int
    unit: Unit
    period: Period
    report: Report | None
    entries: dict[str, str]  # code -> the figure as typed, for services.report_save
    columns: dict[str, str] = field(default_factory=dict)  # changed code -> column letter
    after: dict[str, tuple[int | None, str]] = field(default_factory=dict)  # code -> stored


def _in_scope(actor, data_set: DataSet, sheets: list[_Sheet]):
    """(units the actor may change, (unit, period) pairs owed, reports, stored values)."""
    unit_ids = {r.unit_id for s in sheets for r in s.rows}
    period_ids = [s.period.id for s in sheets]
    indicators = list(data_set.indicators.all())
    allowed: dict[int, Unit] = {}
    owed: set[tuple[int, str]] = set()
    reports: dict[tuple[int, str], Report] = {}
    stored: dict[tuple[int, str, str], tuple[int | None, str]] = {}
    for chunk in _chunks(unit_ids):
        for unit in restrict(Unit.objects.all(), actor, Action.CHANGE).filter(pk__in=chunk):
            allowed[unit.pk] = unit
        for sheet in sheets:
            owing = services.expected_units(data_set, sheet.period).filter(pk__in=chunk)
            owed.update((pk, sheet.period.id) for pk in owing.values_list("pk", flat=True))
        for report in Report.objects.filter(
            data_set=data_set, period__in=period_ids, unit_id__in=chunk
        ).select_related("data_set", "unit"):
            reports[report.unit_id, report.period] = report
        for unit_id, period, code, number, text in Value.objects.filter(
            unit_id__in=chunk, period__in=period_ids, indicator__in=indicators
        ).values_list("unit_id", "period", "indicator__code", "number", "text"):
            stored[unit_id, period, code] = (number, text)
    return allowed, owed, reports, stored


def _check_rows(actor, data_set: DataSet, sheets: list[_Sheet], errors: list[CellError]):
    """Check every row of the sheets whose period is known; the reports to save."""
    sheets = [s for s in sheets if s.period is not None]
    allowed, owed, reports, stored = _in_scope(actor, data_set, sheets)
    entered = services.entered_indicators(data_set)
    today = timezone.localdate()
    plans = []
    for sheet in sheets:
        period = sheet.period
        seen_units: dict[int, int] = {}
        for row in sheet.rows:
            place = (sheet.title, row.number)
            unit = allowed.get(row.unit_id)
            if unit is None:
                message = _("Không có đơn vị số hiệu %(id)s trong phạm vi bạn được nhập số liệu.")
            elif (unit.pk, period.id) not in owed:
                message = _("%(unit)s không phải báo cáo biểu này cho %(period)s.")
            elif unit.pk in seen_units:
                message = _("%(unit)s đã có ở dòng %(row)s của trang tính này.")
            else:
                message = None
            if message:
                values = {
                    "id": row.unit_id,
                    "unit": unit.name if unit else "",
                    "period": period_label(period),
                    "row": seen_units.get(row.unit_id, ""),
                }
                errors.append(CellError(*place, row.unit_column, message % values))
                continue
            seen_units[unit.pk] = row.number
            plan = _check_row(sheet, row, unit, stored, errors)
            if plan is None:
                continue
            plan.report = reports.get((unit.pk, period.id))
            problem = services.editing_problem(plan.report, today) if plan.report else None
            first_changed = next(iter(plan.columns.values()))
            if problem:
                errors.append(CellError(*place, first_changed, problem))
                continue
            numbers = {
                i.code: from_stored(
                    plan.after.get(i.code, stored.get((unit.pk, period.id, i.code), (None, "")))[0]
                )
                for i in entered
            }
            probe = plan.report or Report(data_set=data_set, unit=unit, period=period.id)
            broken = services.violations(probe, numbers)
            for violation in broken:
                letter = next(
                    (plan.columns[c] for c in violation.codes if c in plan.columns),
                    next((c for c, i in sheet.columns.items() if i.code in violation.codes), ""),
                )
                errors.append(CellError(*place, letter, violation.message))
            if not broken:
                plans.append(plan)
    return plans


def _check_row(sheet: _Sheet, row: _Row, unit: Unit, stored: dict, errors) -> _Plan | None:
    """The row's changed figures, or None when it changes nothing or has an unreadable cell."""
    plan = _Plan(sheet.title, row.number, unit, sheet.period, None, {})
    bad = False
    for letter, raw in row.cells:
        indicator = sheet.columns.get(letter)
        if indicator is None:  # the key row's error says why
            continue
        try:
            typed = _cell_text(indicator, raw)
            if typed is None:
                continue
            new = (None, "") if typed in CLEAR else services.parse_entry(indicator, typed)
        except ValueError as exc:
            errors.append(CellError(sheet.title, row.number, letter, str(exc)))
            bad = True
            continue
        if new != stored.get((unit.pk, sheet.period.id, indicator.code), (None, "")):
            plan.entries[indicator.code] = services.display(indicator, *new)
            plan.columns[indicator.code] = letter
            plan.after[indicator.code] = new
    return None if bad or not plan.entries else plan


def _write(actor, data_set: DataSet, plans: list[_Plan], result: ImportResult) -> None:
    """Save every planned report in one transaction; on any refusal, write nothing."""
    try:
        with transaction.atomic():
            for plan in plans:
                try:
                    report = plan.report or services.report_open(
                        actor=actor, data_set=data_set, unit=plan.unit, period=plan.period
                    )
                    services.report_save(
                        actor=actor, report=report, entries=plan.entries, version=report.version
                    )
                except services.StaleReport as exc:
                    result.errors.append(CellError(plan.sheet, plan.row, "", str(exc)))
                except (ValidationError, PermissionDenied) as exc:
                    for message in getattr(exc, "messages", None) or [str(exc)]:
                        result.errors.append(CellError(plan.sheet, plan.row, "", message))
            if result.errors:
                raise _Rollback
    except _Rollback:
        return
    result.reports = len(plans)
    result.values = sum(len(p.entries) for p in plans)


def import_workbook(*, actor, file) -> ImportResult:
    """Check the whole uploaded workbook and, when it has no error at all, import it."""
    if actor is not None and not can(actor, Action.CHANGE):
        raise PermissionDenied(_("Bạn không có quyền nhập số liệu."))
    result = ImportResult()
    try:
        sheets = _read(file, result.errors)
    except _Refused as exc:
        result.errors.append(CellError("", None, "", str(exc)))
        return result
    if not sheets:
        result.errors.append(CellError("", None, "", _("Tệp không có trang tính số liệu nào.")))
        return result
    form_code = next((s.code for s in sheets if s.code), "")
    forms = data_sets_for(actor) if actor is not None else DataSet.objects.all()
    data_set = forms.filter(code=form_code).first() if form_code else None
    if data_set is None:
        result.errors.append(
            CellError(
                sheets[0].title,
                1,
                "A",
                _("Ô A1 phải là mã biểu mẫu; không có biểu mẫu mã “%(code)s”.")
                % {"code": form_code},
            )
        )
        return result
    result.data_set = data_set
    _check_sheets(data_set, sheets, result.errors)
    plans = _check_rows(actor, data_set, sheets, result.errors)
    if not result.errors:
        _write(actor, data_set, plans, result)
    position = {s.title: i for i, s in enumerate(sheets)}
    result.errors.sort(
        key=lambda e: (position.get(e.sheet, -1), e.row or 0, len(e.column), e.column)
    )
    return result
