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
import textwrap
import threading
from collections.abc import Sequence
from contextlib import contextmanager
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
    "PAGE_WIDTH_IN",
    "Series",
    "chart_figure",
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
# A chart on a web page: about the width of the page's main column (1200 px); the page scales it
# to its column, so the plot takes the width of a desktop screen and shrinks on a phone.
PAGE_WIDTH_IN = 11.0
LABEL_GAP_PT = 6  # the least room between two x-axis labels
LEGEND_FONT = 9
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
_LOCK = threading.RLock()  # re-entered by `draw` around `chart_figure`

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


def _legend_columns(count: int, width: float) -> int:
    return max(1, min(count, 3 if width >= 9 else 2))


def _wrap(name: str, chars: int) -> str:
    """A series' name in full, on as many lines as it needs."""
    return "\n".join(textwrap.wrap(name, chars, break_long_words=False)) or name


def _legend_chars(width: float, columns: int) -> int:
    """How many characters of a name fit on one line of a legend column (DejaVu Sans at 9 pt
    averages about 5.5 pt a character; the marker and gaps take the rest)."""
    return max(16, int(width * 72 / columns / (LEGEND_FONT * 0.62)) - 8)


def _legend_height(names: list[str], width: float) -> float:
    """Inches the legend below the plot takes: its rows, each as tall as its longest name."""
    columns = _legend_columns(len(names), width)
    chars = _legend_chars(width, columns)
    lines = [len(_wrap(name, chars).split("\n")) for name in names]
    per_column = math.ceil(len(lines) / columns)
    rows = [max(lines[r::per_column] or [1]) for r in range(per_column)]
    return 0.3 + sum(n * LEGEND_FONT * 1.3 / 72 + 0.08 for n in rows)


def draw(
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: str = "svg",
    *,
    title: str = "",
    kind: str = "lines",
    dpi: int = 110,
    legend: str = "right",
    width: float | None = None,
) -> bytes:
    """A chart as SVG or PNG bytes.

    kind "lines": one line per series over the categories (periods, weeks), a dashed one for a
    plan; kind "bars": one horizontal bar per category (units, first on top), a group of bars
    per series, each labelled with its value when there are not too many. At most `MAX_SERIES`
    series and `MAX_BARS` bars are drawn. legend "right" of the plot, or "below" it for a page of
    a document (the plot then takes the page's whole width, and the legend keeps a readable
    size). `width` in inches: a document's text width by default with the legend below
    (`PAGE_WIDTH_IN` for a web page). Series' names are never cut, but wrapped; x-axis labels
    that would touch are thinned to every second, third… one.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng biểu đồ không hỗ trợ: {fmt}")
    with _styled():
        figure = chart_figure(
            categories, series, title=title, kind=kind, legend=legend, width=width
        )
        buffer = BytesIO()
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return buffer.getvalue()


@contextmanager
def _styled():
    import matplotlib

    with _LOCK, matplotlib.rc_context(_STYLE):
        yield


def chart_figure(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    kind: str = "lines",
    legend: str = "right",
    width: float | None = None,
) -> Figure:
    """The matplotlib figure `draw` saves, laid out (the tests measure its geometry)."""
    if kind not in KINDS:
        raise ValueError(f"Loại biểu đồ không hỗ trợ: {kind}")
    if legend not in LEGENDS:
        raise ValueError(f"Vị trí chú giải không hỗ trợ: {legend}")
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
    with _styled():
        return _build(labels, rows, title=title, kind=kind, legend=legend, width=width)


def _build(labels: list[str], rows, *, title: str, kind: str, legend: str, width) -> Figure:
    if kind == "lines":
        figure, axes = _lines(labels, rows, legend, width)
    else:
        figure, axes = _bars(labels, rows, legend, width)
    _finish(figure, axes, title, len(rows) > (0 if kind == "lines" else 1), legend)
    if kind == "lines":
        _thin_labels(figure, axes)
    return figure


def _renderer(figure: Figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    figure.draw_without_rendering()
    return canvas.get_renderer()


def _thin_labels(figure: Figure, axes) -> None:
    """Keep every k-th x-axis label, k the least that leaves a gap between the widest ones."""
    ticks = axes.get_xticklabels()
    texts = [t.get_text() for t in ticks]
    if len(ticks) < 2:
        return
    renderer = _renderer(figure)
    widest = max(t.get_window_extent(renderer).width for t in ticks)
    x0, x1 = (axes.transData.transform((x, 0))[0] for x in (0, 1))
    step = abs(x1 - x0)
    gap = LABEL_GAP_PT * figure.dpi / 72
    every = max(1, math.ceil((widest + gap) / step)) if step else len(ticks)
    if every > 1:
        shown = [text if i % every == 0 else "" for i, text in enumerate(texts)]
        axes.set_xticks(axes.get_xticks(), shown)


def _finish(figure: Figure, axes, title: str, has_legend: bool, legend: str) -> Figure:
    if title:
        axes.set_title(_short(title, 90), loc="left", fontsize=10, fontweight="bold")
    handles, names = axes.get_legend_handles_labels()
    width = figure.get_figwidth()
    if has_legend and legend == "below":
        columns = _legend_columns(len(names), width)
        chars = _legend_chars(width, columns)
        figure.legend(
            handles,
            [_wrap(n, chars) for n in names],
            loc="outside lower center",
            ncols=columns,
            frameon=False,
            fontsize=LEGEND_FONT,
        )
    elif has_legend:
        axes.legend(
            handles,
            [_wrap(n, 30) for n in names],
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=8,
        )
    axes.grid(axis="both", color="#e3e6ea", linewidth=0.6)
    axes.set_axisbelow(True)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    return figure


def _figure(width: float, height: float, legend: str, names: list[str]) -> Figure:
    from matplotlib.figure import Figure

    if legend == "below":  # the legend under the plot: the plot keeps its height above it
        extra = _legend_height(names, width) if names else 0.3
        return Figure(figsize=(width, height + extra), layout="constrained")
    return Figure(figsize=(width, height))


def _colour(index: int, planned: bool) -> str:
    return _COLOURS[(index - 1 if planned else index) % len(_COLOURS)]


def _names(series) -> list[str]:
    return [name for name, _values, _planned in series]


def _lines(labels: list[str], series, legend: str, width: float | None):
    from matplotlib.ticker import FuncFormatter

    if width is None:
        width = (
            DOCUMENT_WIDTH_IN if legend == "below" else min(11.0, max(6.5, 0.55 * len(labels) + 4))
        )
    figure = _figure(width, 3.8, legend, _names(series))
    axes = figure.add_subplot()
    xs = list(range(len(labels)))
    for index, (name, values, planned) in enumerate(series):
        axes.plot(
            xs,
            values,
            label=name,
            color=_colour(index, planned),
            linestyle="--" if planned else "-",
            marker=None if planned else "o",
            markersize=4,
            linewidth=1.6,
        )
    axes.set_xticks(xs, labels)
    axes.yaxis.set_major_formatter(FuncFormatter(_vn_axis))
    axes.yaxis.set_major_locator(_locator(series))
    axes.set_ylim(bottom=0)
    return figure, axes


def _bars(labels: list[str], series, legend: str, width: float | None):
    from matplotlib.ticker import FuncFormatter

    height = min(12.0, max(2.6, 0.32 * len(labels) * max(1, len(series) * 0.6) + 1.4))
    if width is None:
        width = DOCUMENT_WIDTH_IN if legend == "below" else 8.5
    figure = _figure(width, height, legend, _names(series))
    axes = figure.add_subplot()
    ys = list(range(len(labels)))
    band = 0.8 / max(1, len(series))
    for index, (name, values, planned) in enumerate(series):
        offsets = [y - 0.4 + band * (index + 0.5) for y in ys]
        bars = axes.barh(
            offsets,
            [0 if math.isnan(v) else v for v in values],
            height=band,
            label=name,
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
    return figure, axes


def chart_response(content: bytes, fmt: str):
    """A chart drawn by `draw` as an HTTP response, under its own Content-Security-Policy."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=FORMATS[fmt])
    response.headers["Content-Security-Policy"] = CHART_POLICY
    return response
