"""The chart function of the toolkit: neutral series over category labels, SVG or PNG."""

import warnings
from io import BytesIO

import pytest
from PIL import Image

from tuyengiao.reports.charts import MAX_BARS, MAX_SERIES, Series, draw

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MONTHS = ["Tháng 1/2024", "Tháng 2/2024", "Tháng 3/2024", "Tháng 4/2024"]
ACTUAL = Series("Số lớp đã mở", [52, 8, 5, None])
PLANNED = Series("Số lớp đã mở – kế hoạch", [50, 10, 5, None], planned=True)
BLUE, ORANGE = b"#1f5fa8", b"#d9822b"


def test_lines_and_bars_as_svg_and_png():
    svg = draw(MONTHS, [ACTUAL, PLANNED], "svg", title="Số lớp đã mở – Tỉnh A")
    assert svg.lstrip().startswith(b"<?xml") and b"</svg>" in svg
    png = draw(["Xã Hoà An", "Xã Ngân Sơn"], [Series("Số lớp", [52, 8])], "png", kind="bars")
    assert png.startswith(PNG_MAGIC)
    width, height = Image.open(BytesIO(png)).size
    assert width > 400 and height > 200


def test_the_output_is_deterministic():
    for fmt in ("svg", "png"):
        assert draw(MONTHS, [ACTUAL], fmt) == draw(MONTHS, [ACTUAL], fmt)
    assert b"<dc:date>" not in draw(MONTHS, [ACTUAL], "svg")


def test_a_plan_is_drawn_in_the_colour_of_its_series():
    both = draw(MONTHS, [ACTUAL, PLANNED], "svg")
    assert BLUE in both and ORANGE not in both  # the dashed plan is blue too
    two = draw(MONTHS, [ACTUAL, Series("Học viên", [1, 2, 3, 4])], "svg")
    assert BLUE in two and ORANGE in two  # a second series takes the next colour


def test_decimals_counts_and_gaps():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = draw(
            MONTHS,
            [Series("Điểm đánh giá – Hoà An, Nà Pài", [8.5, None, 7.25, 9])],
            "png",
            title="Ngân Sơn, Hoà An, Nà Pài: đạt kế hoạch quý III",
        )
    assert png.startswith(PNG_MAGIC)
    assert not [w for w in caught if "Glyph" in str(w.message)]  # every Vietnamese letter
    assert draw([], [], "png", kind="bars").startswith(PNG_MAGIC)  # nothing: still a chart


def test_too_many_bars_or_series_are_cut_to_what_can_be_read():
    many = [f"Xã {n}" for n in range(MAX_BARS + 10)]
    values = list(range(MAX_BARS + 10))
    assert draw(many, [Series("A", values)], "svg", kind="bars") == draw(
        many[:MAX_BARS], [Series("A", values[:MAX_BARS])], "svg", kind="bars"
    )
    series = [Series(f"S{n}", [n, n + 1, n, n]) for n in range(MAX_SERIES + 2)]
    assert draw(MONTHS, series, "svg") == draw(MONTHS, series[:MAX_SERIES], "svg")


def test_a_chart_for_a_document_page_keeps_its_legend_under_the_plot():
    """A DOCX page is 16,5 cm wide: a legend beside the plot would shrink with it."""
    beside = Image.open(BytesIO(draw(MONTHS, [ACTUAL, PLANNED], "png", dpi=100)))
    below = Image.open(BytesIO(draw(MONTHS, [ACTUAL, PLANNED], "png", dpi=100, legend="below")))
    assert below.width == 650  # 6.5 in, about the text width of the Party layout's page
    assert below.height > beside.height


@pytest.mark.parametrize(
    "change, message",
    [
        ({"fmt": "gif"}, "Định dạng biểu đồ không hỗ trợ"),
        ({"kind": "pie"}, "Loại biểu đồ không hỗ trợ"),
        ({"legend": "left"}, "Vị trí chú giải không hỗ trợ"),
        ({"series": [Series("A", [1, 2])]}, "có 2 giá trị cho 4 nhãn"),
    ],
)
def test_what_the_function_refuses(change, message):
    arguments = {"categories": MONTHS, "series": [ACTUAL], "fmt": "svg", **change}
    with pytest.raises(ValueError, match=message):
        draw(**arguments)


# The web chart of issue #13: "Tháng 7/2026Tháng 8/2026…" overlapped, the legend was cut
# ("Số lượt người tham gia học tập, quán tr…") and two thirds of the width stayed empty.
LONG_NAME = "Số lượt người tham gia học tập, quán triệt nghị quyết của Đảng tại cơ sở"
TWO_YEARS = [f"Tháng {m}/{y}" for y in (2025, 2026) for m in range(1, 13)]


def _geometry(categories, names, **options):
    from tuyengiao.reports.charts import PAGE_WIDTH_IN, chart_figure

    series = [Series(n, list(range(len(categories)))) for n in names]
    options = {"legend": "below", "width": PAGE_WIDTH_IN, **options}
    figure = chart_figure(categories, series, title="Số liệu", kind="lines", **options)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    axes = figure.axes[0]
    shown = [t for t in axes.get_xticklabels() if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in shown]
    legend = figure.legends[0]
    return figure, axes, shown, boxes, legend, renderer


@pytest.mark.parametrize("count", [3, 9, 12, 24])
def test_x_axis_labels_never_overlap_and_stay_in_order(count):
    figure, axes, shown, boxes, _legend, _r = _geometry(TWO_YEARS[:count], ["Số lớp"])
    assert shown[0].get_text() == "Tháng 1/2025"  # the first period is always named
    assert len(shown) >= min(count, 6)  # thinned, not emptied
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left.x1 < right.x0, (left, right)
    page = figure.bbox
    assert all(page.x0 <= b.x0 and b.x1 <= page.x1 for b in boxes)


def test_the_legend_shows_every_name_in_full_below_the_plot_using_the_width():
    names = [LONG_NAME, "Số lớp đã mở", "Học viên theo chỉ tiêu của nghị quyết chuyên đề"]
    figure, axes, _s, _b, legend, renderer = _geometry(TWO_YEARS[:12], names)
    texts = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    assert texts == names  # wrapped on lines, never cut
    assert any("\n" in t.get_text() for t in legend.get_texts())
    box, plot, page = (
        legend.get_window_extent(renderer),
        axes.get_window_extent(renderer),
        figure.bbox,
    )
    assert box.y1 <= plot.y0  # below the plot
    assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0  # inside the picture
    assert plot.width >= 0.8 * page.width  # the plot takes the width


def test_the_page_and_the_workbook_draw_the_same_picture():
    """One function: the PNG of the export is the SVG of the page at another resolution."""
    import re

    categories, series = TWO_YEARS, [Series(LONG_NAME, list(range(24)))]
    options = {"legend": "below", "width": 11.0, "title": "Số liệu"}
    svg = draw(categories, series, "svg", **options).decode()
    png = Image.open(BytesIO(draw(categories, series, "png", dpi=100, **options)))
    points = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert (round(float(points[1]) / 72 * 100), round(float(points[2]) / 72 * 100)) == png.size
