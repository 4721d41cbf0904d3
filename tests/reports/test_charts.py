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
