"""Charts drawn on the server: one function, SVG for the page and PNG for exports.

The same code path makes both formats, so a chart in a workbook or a DOCX report is the chart the
page showed. The chart knows nothing of the apps: it takes category labels (periods, weeks,
units) and neutral `Series` of numbers; each app adapts its own tables to them (figures'
roll-up table in `figures/charts.py`, the concerns' weekly counts in `concerns/summary.py`).

Matplotlib's object API with the Agg canvas (no pyplot, no display, no global figure state); the
font is DejaVu Sans, which ships with matplotlib and has every Vietnamese letter, so nothing is
fetched from the network and the output does not depend on the machine's fonts. The output is
deterministic: a fixed SVG hash salt and no dates in the metadata.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from tuyengiao.text.numbers import format_number

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# matplotlib is imported on the first chart, not when the URLs load (it takes a while).

__all__ = [
    "FORMATS",
    "KINDS",
    "LEGENDS",
    "MAX_BARS",
    "MAX_SERIES",
    "Series",
    "chart_response",
    "draw",
]

FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
# matplotlib's SVG styles its shapes with style attributes and a <style> block, which the site's
# policy (no inline style) would refuse when the chart is opened by itself; a chart has no
# script and loads nothing, so its own policy allows inline style and nothing else.
CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
KINDS = ("lines", "bars")
LEGENDS = ("right", "below")
MAX_SERIES = 8
MAX_BARS = 40  # categories shown in a bar chart; more would not be readable
# A chart for a page of a document (legend "below"): about the text width of an A4 page in the
# Party layout (reports.docx.TEXT_WIDTH_CM, 16.5 cm); the document scales it to that width.
DOCUMENT_WIDTH_IN = 6.5
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

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Series:
    """One named row of numbers, one value per category (None: no value).

    `planned`: the plan of the series just before it, drawn in that series' colour — a dashed
    line without markers, or a pale bar.
    """

    name: str
    values: Sequence[Number]
    planned: bool = False


def _number(value: Number) -> float:
    return math.nan if value is None else float(value)


def _vn_axis(value, _position) -> str:
    value = float(value)  # numpy's float64 would print as "np.float64(...)"
    return format_number(value, 0 if value.is_integer() else 1)


def _whole(series: list[tuple[str, list[float], bool]]) -> bool:
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


def draw(
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: str = "svg",
    *,
    title: str = "",
    kind: str = "lines",
    dpi: int = 110,
    legend: str = "right",
) -> bytes:
    """A chart as SVG or PNG bytes.

    kind "lines": one line per series over the categories (periods, weeks), a dashed one for a
    plan; kind "bars": one horizontal bar per category (units, first on top), a group of bars
    per series, each labelled with its value when there are not too many. At most `MAX_SERIES`
    series and `MAX_BARS` bars are drawn. legend "right" of the plot, or "below" it for a page of
    a document (the plot then takes the page's whole width, and the legend keeps a readable
    size).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng biểu đồ không hỗ trợ: {fmt}")
    if kind not in KINDS:
        raise ValueError(f"Loại biểu đồ không hỗ trợ: {kind}")
    if legend not in LEGENDS:
        raise ValueError(f"Vị trí chú giải không hỗ trợ: {legend}")
    import matplotlib

    labels = list(categories)
    for item in series:
        if len(item.values) != len(labels):
            raise ValueError(
                f"Dãy số {item.name!r} có {len(item.values)} giá trị cho {len(labels)} nhãn"
            )
    if kind == "bars":
        labels = [_short(label) for label in labels[:MAX_BARS]]
    rows = [
        (item.name, [_number(v) for v in item.values[: len(labels)]], item.planned)
        for item in list(series)[:MAX_SERIES]
    ]
    with _LOCK, matplotlib.rc_context(_STYLE):
        if kind == "lines":
            figure = _lines(labels, rows, title, legend)
        else:
            figure = _bars(labels, rows, title, legend)
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
        return Figure(figsize=(DOCUMENT_WIDTH_IN, height + 0.9), layout="constrained")
    return Figure(figsize=(width, height))


def _colour(index: int, planned: bool) -> str:
    return _COLOURS[(index - 1 if planned else index) % len(_COLOURS)]


def _lines(labels: list[str], series, title: str, legend: str) -> Figure:
    from matplotlib.ticker import FuncFormatter

    width = min(11.0, max(6.5, 0.55 * len(labels) + 4))
    figure = _figure(width, 3.8, legend)
    axes = figure.add_subplot()
    xs = list(range(len(labels)))
    for index, (name, values, planned) in enumerate(series):
        axes.plot(
            xs,
            values,
            label=_short(name, 40),
            color=_colour(index, planned),
            linestyle="--" if planned else "-",
            marker=None if planned else "o",
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


def _bars(labels: list[str], series, title: str, legend: str) -> Figure:
    from matplotlib.ticker import FuncFormatter

    height = min(12.0, max(2.6, 0.32 * len(labels) * max(1, len(series) * 0.6) + 1.4))
    figure = _figure(8.5, height, legend)
    axes = figure.add_subplot()
    ys = list(range(len(labels)))
    band = 0.8 / max(1, len(series))
    for index, (name, values, planned) in enumerate(series):
        offsets = [y - 0.4 + band * (index + 0.5) for y in ys]
        bars = axes.barh(
            offsets,
            [0 if math.isnan(v) else v for v in values],
            height=band,
            label=_short(name, 40),
            color=_colour(index, planned),
            alpha=0.4 if planned else 1.0,
        )
        if len(labels) * len(series) <= 40:
            axes.bar_label(bars, labels=[_label(v) for v in values], padding=3, fontsize=7)
    axes.set_yticks(ys, labels)
    axes.invert_yaxis()  # first category on top, as in the table
    axes.xaxis.set_major_formatter(FuncFormatter(_vn_axis))
    axes.xaxis.set_major_locator(_locator(series))
    axes.margins(x=0.08)  # room for the value labels
    return _finish(figure, axes, title, len(series) > 1, legend)


def chart_response(content: bytes, fmt: str):
    """A chart drawn by `draw` as an HTTP response, under its own Content-Security-Policy."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=FORMATS[fmt])
    response.headers["Content-Security-Policy"] = CHART_POLICY
    return response
