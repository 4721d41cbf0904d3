"""Figures' tables as the toolkit's neutral chart series (the drawing is `reports.charts`).

The page's SVG and the workbook's PNG of one table come from the same series, so they show the
same picture.

A chart drawn is kept by the process (`MEMO_BYTES` at most, the least recently used dropped
first) under a digest of everything it is drawn from: categories, each series' name, values and
kind, the format and the options. The drawing is deterministic, so the same numbers give the same
bytes; a value saved changes the digest, so a chart never shows an old figure. Matplotlib takes
0.2–0.7 s for a chart of 40 units, the page's table a few milliseconds; a chart is drawn again only
when what it shows has changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence

from django.utils.translation import gettext as _

from tuyengiao.core.period_names import period_label
from tuyengiao.reports import charts
from tuyengiao.reports.charts import MAX_SERIES, PAGE_WIDTH_IN, Series

from .queries import Table, own_label

MEMO_BYTES = 32 * 1024 * 1024
_memo: OrderedDict[str, bytes] = OrderedDict()
_memo_lock = threading.Lock()


def _digest(categories: Sequence[str], series: Sequence[Series], fmt: str, options: dict) -> str:
    # str(): a lazily translated name counts by its text in the active language
    drawn_from = (
        tuple(str(c) for c in categories),
        tuple((str(s.name), tuple(s.values), s.planned) for s in series),
        fmt,
        tuple((name, str(value)) for name, value in sorted(options.items())),
    )
    return hashlib.sha256(repr(drawn_from).encode()).hexdigest()


def _drawn(categories: Sequence[str], series: Sequence[Series], fmt: str, **options) -> bytes:
    """`reports.charts.draw(categories, series, fmt, **options)`, drawn once for the same
    arguments while the process keeps it."""
    key = _digest(categories, series, fmt, options)
    with _memo_lock:
        if (content := _memo.get(key)) is not None:
            _memo.move_to_end(key)
            return content
    content = charts.draw(categories, series, fmt, **options)
    with _memo_lock:
        _memo[key] = content
        kept = sum(len(c) for c in _memo.values())
        while kept > MEMO_BYTES and len(_memo) > 1:
            kept -= len(_memo.popitem(last=False)[1])
    return content


def clear_memo() -> None:
    with _memo_lock:
        _memo.clear()


def chart_kind(table: Table) -> str:
    """ "lines" over periods when the table has several, otherwise "bars" per child."""
    return "lines" if len(table.periods) > 1 else "bars"


def _planned(indicator) -> str:
    return _("%(name)s – kế hoạch") % {"name": indicator.name}


def over_periods(table: Table) -> tuple[list[str], list[Series]]:
    """The periods, and per indicator of the total row its values (and its plan, while the
    lines stay few enough to read)."""
    total = table.rows[-1]
    n = len(table.periods)
    series = []
    for i, indicator in enumerate(table.indicators):
        cells = total.cells[i * n : (i + 1) * n]
        series.append(Series(indicator.name, [c.value for c in cells]))
        if indicator.planned_id and len(table.indicators) <= MAX_SERIES // 2:
            series.append(Series(_planned(indicator), [c.planned for c in cells], planned=True))
    return [period_label(p) for p in table.periods], series


def per_child(table: Table) -> tuple[list[str], list[Series]]:
    """The children (or the total when there are none), and per indicator its values in the
    table's first period (and its plan when there is one indicator)."""
    rows = [r for r in table.rows if not r.is_total] or table.rows
    n = len(table.periods)
    series = []
    for i, indicator in enumerate(table.indicators[:MAX_SERIES]):
        series.append(Series(indicator.name, [r.cells[i * n].value for r in rows]))
        if indicator.planned_id and len(table.indicators) == 1:
            planned = [r.cells[i * n].planned for r in rows]
            series.append(Series(_planned(indicator), planned, planned=True))
    return [own_label(r.unit) if r.own else r.unit.name for r in rows], series


def series_of(table: Table, kind: str) -> tuple[list[str], list[Series]]:
    """The table as chart categories and series for `kind` ("lines" or "bars")."""
    return over_periods(table) if kind == "lines" else per_child(table)


def draw(
    table: Table,
    fmt: str = "svg",
    *,
    title: str = "",
    kind: str | None = None,
    dpi: int = 110,
    legend: str = "below",
    width: float | None = PAGE_WIDTH_IN,
) -> bytes:
    """The chart of a roll-up table (lines over periods when it has several, else bars per
    child), drawn by `reports.charts.draw`: the page's width, the legend below the plot (the
    page's SVG and the workbook's PNG alike)."""
    kind = kind or chart_kind(table)
    categories, series = series_of(table, kind)
    return _drawn(
        categories, series, fmt, title=title, kind=kind, dpi=dpi, legend=legend, width=width
    )


def completeness_chart(rows, fmt: str = "svg", *, title: str = "") -> bytes:
    """Bars of the share of reports sent and sent on time, per child (or the total alone)."""
    shown = [r for r in rows if not r.is_total] or list(rows)
    series = [
        Series(_("Tỷ lệ đã gửi (%)"), [r.received_rate for r in shown]),
        Series(_("Tỷ lệ đúng hạn (%)"), [r.on_time_rate for r in shown]),
    ]
    top = rows[-1].unit  # the unit asked for: its own reports have a row named for it
    names = [
        own_label(r.unit) if r.unit.pk == top.pk and len(shown) > 1 else r.unit.name for r in shown
    ]
    return _drawn(names, series, fmt, title=title, kind="bars", legend="below", width=PAGE_WIDTH_IN)
