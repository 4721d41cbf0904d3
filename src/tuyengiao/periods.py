"""Report periods (year, half, quarter, month) identified by ids like "2024Q3"."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import total_ordering

KINDS = ("year", "half", "quarter", "month")
KIND_LABELS = {"year": "Năm", "half": "6 tháng", "quarter": "Quý", "month": "Tháng"}
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_ROMAN = ("I", "II", "III", "IV")
_ID = re.compile(r"([0-9]{4})(?:S([12])|Q([1-4])|-(0[1-9]|1[0-2]))?")


def _check_kind(kind: str) -> None:
    if kind not in _MONTHS:
        raise ValueError(f'Loại kỳ "{kind}" không hợp lệ. Chọn một trong: {", ".join(KINDS)}.')


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


def _parse_id(id: str) -> tuple[str, str, date, date]:
    """Return (canonical id, kind, start, end) for a period id, or raise ValueError."""
    m = _ID.fullmatch(id.strip().upper())
    if not m or m[1] == "0000":
        raise ValueError(
            f'Kỳ báo cáo "{id}" không hợp lệ. Hãy nhập như 2024, 2024S1, 2024Q3 hoặc 2024-11.'
        )
    year, half, quarter, month = m.groups()
    if half:
        kind, first = "half", (int(half) - 1) * 6 + 1
    elif quarter:
        kind, first = "quarter", (int(quarter) - 1) * 3 + 1
    elif month:
        kind, first = "month", int(month)
    else:
        kind, first = "year", 1
    y, last = int(year), first + _MONTHS[kind] - 1
    return m[0], kind, date(y, first, 1), date(y, last, monthrange(y, last)[1])


@total_ordering
@dataclass(frozen=True)
class Period:
    """A report period; build it with ``Period.parse("2024Q3")`` or ``Period.of(kind, d)``."""

    id: str
    kind: str
    start: date
    end: date  # inclusive last day

    def __post_init__(self) -> None:
        if _parse_id(self.id) != (self.id, self.kind, self.start, self.end):
            raise ValueError(f'Kỳ báo cáo "{self.id}" không khớp với loại và ngày đã cho.')

    @classmethod
    def parse(cls, id: str) -> Period:
        """Parse "2024", "2024S1", "2024S2", "2024Q1".."2024Q4" or "2024-01".."2024-12"."""
        return cls(*_parse_id(id))

    @classmethod
    def of(cls, kind: str, d: date) -> Period:
        """The period of ``kind`` that contains the date ``d``."""
        _check_kind(kind)
        d = _as_date(d)
        if kind == "year":
            return cls.parse(f"{d.year:04d}")
        if kind == "half":
            return cls.parse(f"{d.year:04d}S{(d.month - 1) // 6 + 1}")
        if kind == "quarter":
            return cls.parse(f"{d.year:04d}Q{(d.month - 1) // 3 + 1}")
        return cls.parse(f"{d.year:04d}-{d.month:02d}")

    @classmethod
    def range(cls, first: Period, last: Period) -> list[Period]:
        """All periods from ``first`` to ``last`` inclusive; both must be of the same kind."""
        if first.kind != last.kind:
            raise ValueError("Kỳ đầu và kỳ cuối phải cùng loại.")
        if first.start > last.start:
            raise ValueError(f"Kỳ đầu ({first.label}) phải trước kỳ cuối ({last.label}).")
        periods = [first]
        while periods[-1] != last:
            periods.append(periods[-1].next())
        return periods

    @property
    def label(self) -> str:
        """Vietnamese name: "Năm 2024", "6 tháng đầu năm 2024", "Quý III/2024", "Tháng 11/2024"."""
        year = self.start.year
        if self.kind == "year":
            return f"Năm {year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {year}"
        if self.kind == "quarter":
            return f"Quý {_ROMAN[(self.start.month - 1) // 3]}/{year}"
        return f"Tháng {self.start.month}/{year}"

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies entirely within this period (a period contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def contains_date(self, d: date) -> bool:
        """True when the date ``d`` falls within this period."""
        return self.start <= _as_date(d) <= self.end

    def children(self, kind: str) -> list[Period]:
        """The periods of a finer (or the same) ``kind`` that make up this one, in order."""
        _check_kind(kind)
        if _MONTHS[kind] > _MONTHS[self.kind]:
            raise ValueError(f"Không thể chia {self.label} thành các kỳ {KIND_LABELS[kind]}.")
        return Period.range(Period.of(kind, self.start), Period.of(kind, self.end))

    def containing(self) -> list[Period]:
        """This period and every longer one that contains it, longest first."""
        return [Period.of(k, self.start) for k in KINDS if _MONTHS[k] >= _MONTHS[self.kind]]

    def within(self) -> list[Period]:
        """Every period of any kind inside this one, itself included, longest kinds first."""
        return [p for k in KINDS if _MONTHS[k] <= _MONTHS[self.kind] for p in self.children(k)]

    def count_to(self, last: Period) -> int:
        """How many periods of this kind run from this one to ``last`` (inclusive); ``last`` is
        read as the period of this kind that holds its start."""
        months = (last.start.year - self.start.year) * 12 + last.start.month - self.start.month
        return months // _MONTHS[self.kind] + 1

    def next(self) -> Period:
        """The following period of the same kind."""
        try:
            return Period.of(self.kind, self.end + timedelta(days=1))
        except OverflowError:
            raise ValueError(f"{self.label} không có kỳ sau.") from None

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        try:
            return Period.of(self.kind, self.start - timedelta(days=1))
        except (OverflowError, ValueError):
            raise ValueError(f"{self.label} không có kỳ trước.") from None

    def __str__(self) -> str:
        return self.id

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return (self.start, self.end) < (other.start, other.end)


def titled(name: str, period: Period) -> str:
    """A form's or task's name with its period, each word once: "Báo cáo công tác tuyên giáo
    tháng" and Tháng 9/2026 give "Báo cáo công tác tuyên giáo tháng 9/2026"; a name that does
    not end with the period's kind gets " – Tháng 9/2026"."""
    name, label = name.strip(), period.label
    head = label.split(" ", 2 if label.startswith("6 ") else 1)
    kind_word = " ".join(head[:-1]) if len(head) > 1 else ""
    ends = name.casefold().endswith
    # "… 6 tháng" ends with "tháng" but names a half-year, not a month.
    word = kind_word.casefold()
    longer = [w.casefold() for w in KIND_LABELS.values() if len(w) > len(word)]
    longer = [w for w in longer if w.endswith(word)]
    if word and ends(" " + word) and not any(ends(w) for w in longer):
        return name + label[len(kind_word) :]
    return f"{name} – {label}"


def report_title(name: str, period: Period) -> str:
    """The title of a unit's report of a form: "Báo cáo" once, however the form is named."""
    title = titled(name, period)
    return title if title.casefold().startswith("báo cáo") else f"Báo cáo {title}"
