"""Charts drawn on the server: one function, SVG for the page and PNG for exports.

The same code path makes both formats, so a chart in a workbook or a DOCX report is the chart the
page showed. Matplotlib's object API with the Agg canvas (no pyplot, no display, no global
figure state); the font is DejaVu Sans, which ships with matplotlib and has every Vietnamese
letter, so nothing is fetched from the network and the output does not depend on the machine's
fonts. The output is deterministic: a fixed SVG hash salt and no dates in the metadata.
"""

from __future__ import annotations

import math
import threading
from io import BytesIO
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tuyengiao.text.numbers import format_number

from .queries import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib is imported on the first chart, not when the URLs load (it takes a while).

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
MAX_SERIES = 8
MAX_BARS = 40  # children shown in a bar chart; more would not be readable
_STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9,
    "svg.fonttype": "path",  # glyphs drawn as paths: the page needs no font either
    "svg.hashsalt": "tuyengiao",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
}
_COLOURS = ["#1f5fa8", "#d9822b", "#2e8b57", "#b03a2e", "#6c4f9c", "#8c6d1f", "#2a9d8f", "#666"]
# rcParams are process-wide: draw one chart at a time so that the style never leaks between
# threads (charts are small; this costs nothing noticeable).
_LOCK = threading.Lock()


def _number(value) -> float:
    return math.nan if value is None else float(value)


def _vn_axis(value, _position) -> str:
    value = float(value)  # numpy's float64 would print as "np.float64(...)"
    return format_number(value, 0 if value.is_integer() else 1)


def _whole(series) -> bool:
    """Every value shown is a whole number (counts): the axis then has whole ticks only."""
    return all(
        math.isnan(v) or float(v).is_integer() for _name, values, _d in series for v in values
    )


def _locator(series):
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=6, integer=_whole(series))


def _label(value: float) -> str:
    if math.isnan(value):
        return ""
    return format_number(value, 0 if value.is_integer() else 2)


def _short(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _planned(indicator) -> str:
    return _("%(name)s – kế hoạch") % {"name": indicator.name}


def _series_over_periods(table: Table) -> tuple[list[str], list[tuple[str, list[float], bool]]]:
    """x labels (periods) and, per indicator of the total row, its values (and its plan)."""
    total = table.rows[-1]
    n = len(table.periods)
    series = []
    for i, indicator in enumerate(table.indicators):
        cells = total.cells[i * n : (i + 1) * n]
        series.append((indicator.name, [_number(c.value) for c in cells], False))
        if indicator.planned_id and len(table.indicators) <= MAX_SERIES // 2:
            series.append((_planned(indicator), [_number(c.planned) for c in cells], True))
    return [p.label for p in table.periods], series[:MAX_SERIES]


def _series_per_child(table: Table) -> tuple[list[str], list[tuple[str, list[float], bool]]]:
    """y labels (children, then the total when there are no children) and per indicator of the
    first period its values."""
    rows = [r for r in table.rows if not r.is_total] or table.rows
    rows = rows[:MAX_BARS]
    n = len(table.periods)
    series = []
    for i, indicator in enumerate(table.indicators[:MAX_SERIES]):
        series.append((indicator.name, [_number(r.cells[i * n].value) for r in rows], False))
        if indicator.planned_id and len(table.indicators) == 1:
            planned = [_number(r.cells[i * n].planned) for r in rows]
            series.append((_planned(indicator), planned, True))
    return [_short(r.unit.name) for r in rows], series


def chart_kind(table: Table) -> str:
    """ "lines" over periods when the table has several, otherwise "bars" per child."""
    return "lines" if len(table.periods) > 1 else "bars"


def draw(
    table: Table,
    fmt: str = "svg",
    *,
    title: str = "",
    kind: str | None = None,
    dpi: int = 110,
    legend: str = "right",
) -> bytes:
    """The chart of a roll-up table as SVG or PNG bytes.

    kind "lines": one line per indicator over the periods for the table's total row (a dashed
    line for the plan of an indicator that has one); kind "bars": one bar per child for the
    table's first period, a group of bars per indicator. By default: lines when the table has
    several periods. legend "right" of the plot, or "below" it for a page of a document (the
    plot then takes the page's whole width, and the legend keeps a readable size).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng biểu đồ không hỗ trợ: {fmt}")
    import matplotlib

    kind = kind or chart_kind(table)
    with _LOCK, matplotlib.rc_context(_STYLE):
        figure = _lines(table, title, legend) if kind == "lines" else _bars(table, title, legend)
        buffer = BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return buffer.getvalue()


def _finish(figure: Figure, axes, title: str, has_legend: bool, legend: str) -> Figure:
    if title:
        axes.set_title(_short(title, 90), loc="left", fontsize=10, fontweight="bold")
    if has_legend and legend == "below":
        figure.legend(loc="outside lower center", ncols=3, frameon=False, fontsize=9)
    elif has_legend:
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
    axes.grid(axis="both", color="#e3e6ea", linewidth=0.6)
    axes.set_axisbelow(True)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    return figure


def _figure(width: float, height: float, legend: str) -> Figure:
    from matplotlib.figure import Figure

    if legend == "below":  # a document's page: its text width, the legend under the plot
        return Figure(figsize=(6.5, height + 0.9), layout="constrained")
    return Figure(figsize=(width, height))


def _lines(table: Table, title: str, legend: str) -> Figure:
    from matplotlib.ticker import FuncFormatter

    labels, series = _series_over_periods(table)
    width = min(11.0, max(6.5, 0.55 * len(labels) + 4))
    figure = _figure(width, 3.8, legend)
    axes = figure.add_subplot()
    xs = list(range(len(labels)))
    for index, (name, values, dashed) in enumerate(series):
        colour = _COLOURS[(index - 1 if dashed else index) % len(_COLOURS)]
        axes.plot(
            xs,
            values,
            label=_short(name, 40),
            color=colour,
            linestyle="--" if dashed else "-",
            marker=None if dashed else "o",
            markersize=4,
            linewidth=1.6,
        )
    axes.set_xticks(xs, labels, rotation=45 if len(labels) > 6 else 0, ha="right")
    if len(labels) <= 6:
        for tick in axes.get_xticklabels():
            tick.set_horizontalalignment("center")
    axes.yaxis.set_major_formatter(FuncFormatter(_vn_axis))
    axes.yaxis.set_major_locator(_locator(series))
    axes.set_ylim(bottom=0)
    return _finish(figure, axes, title, bool(series), legend)


def _bars(table: Table, title: str, legend: str) -> Figure:
    from matplotlib.ticker import FuncFormatter

    labels, series = _series_per_child(table)
    height = min(12.0, max(2.6, 0.32 * len(labels) * max(1, len(series) * 0.6) + 1.4))
    figure = _figure(8.5, height, legend)
    axes = figure.add_subplot()
    ys = list(range(len(labels)))
    band = 0.8 / max(1, len(series))
    for index, (name, values, dashed) in enumerate(series):
        offsets = [y - 0.4 + band * (index + 0.5) for y in ys]
        bars = axes.barh(
            offsets,
            [0 if math.isnan(v) else v for v in values],
            height=band,
            label=_short(name, 40),
            color=_COLOURS[(index - 1 if dashed else index) % len(_COLOURS)],
            alpha=0.4 if dashed else 1.0,
        )
        if len(labels) * len(series) <= 40:
            axes.bar_label(bars, labels=[_label(v) for v in values], padding=3, fontsize=7)
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()  # first child on top, as in the table
    axes.xaxis.set_major_formatter(FuncFormatter(_vn_axis))
    axes.xaxis.set_major_locator(_locator(series))
    axes.margins(x=0.08)  # room for the value labels
    return _finish(figure, axes, title, len(series) > 1, legend)
