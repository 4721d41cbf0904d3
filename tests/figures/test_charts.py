"""One chart function: SVG for the page and PNG for exports, from the same roll-up table."""

import warnings
from io import BytesIO

import pytest
from PIL import Image

from tests.figures.conftest import enter
from tuyengiao.figures.charts import draw
from tuyengiao.figures.queries import table
from tuyengiao.periods import Period
from tuyengiao.reports.charts import DOCUMENT_WIDTH_IN

pytestmark = pytest.mark.django_db
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def months(world, forms):
    enter(None, forms.monthly, world.cell, "2024-01", LOP_KH="20", LOP_TH="22")
    enter(None, forms.monthly, world.cell2, "2024-02", LOP_KH="30", LOP_TH="24.193")
    enter(None, forms.monthly, world.commune2, "2024-03", LOP_KH="10", LOP_TH="8")
    i = forms.indicators
    periods = Period.range(Period.parse("2024-01"), Period.parse("2024-04"))
    return table(world.province, [i["LOP_TH"], i["HV_CHITIEU"]], periods)


def test_the_same_table_gives_svg_and_png(months):
    svg = draw(months, "svg", title="Số lớp đã mở – Tỉnh A")
    png = draw(months, "png", title="Số lớp đã mở – Tỉnh A")
    assert svg.lstrip().startswith((b"<?xml", b"<svg"))
    assert b"</svg>" in svg
    assert png.startswith(PNG_MAGIC)
    width, height = Image.open(BytesIO(png)).size
    assert width > 400 and height > 200


def test_the_output_is_deterministic(months):
    """What lets a drawn chart be kept (figures.charts): the same numbers, the same bytes."""
    from tuyengiao.figures.charts import clear_memo

    for fmt in ("svg", "png"):
        clear_memo()
        once = draw(months, fmt)
        clear_memo()
        assert draw(months, fmt) == once
    assert b"<dc:date>" not in draw(months, "svg")


def test_vietnamese_labels_render_without_missing_glyphs(months):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(months, "png", title="Ngân Sơn, Hoà An, Nà Pài: đạt kế hoạch quý III")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_bars_per_child_for_one_period_and_an_empty_table(world, forms):
    i = forms.indicators
    enter(None, forms.monthly, world.cell, "2024-01", LOP_KH="2", LOP_TH="3", DIEM="8,5")
    one = table(world.province, [i["LOP_TH"], i["DIEM"], i["TL_LOP"]], [Period.parse("2024Q1")])
    assert draw(one, "svg").lstrip().startswith(b"<?xml")
    assert draw(one, "png", kind="bars").startswith(PNG_MAGIC)
    empty = table(world.cell, [i["LOP_TH"]], [Period.parse("2023"), Period.parse("2024")])
    assert draw(empty, "png").startswith(PNG_MAGIC)  # no children, no values: still a chart


def test_an_unknown_format_is_refused(months):
    with pytest.raises(ValueError, match="không hỗ trợ"):
        draw(months, "gif")


def test_a_chart_for_a_document_page_keeps_its_legend_under_the_plot(months):
    """A DOCX page is 16 cm wide: a legend beside the plot would shrink with it to unreadable."""
    beside = Image.open(BytesIO(draw(months, "png", dpi=100, legend="right", width=None)))
    below = Image.open(BytesIO(draw(months, "png", dpi=100, width=DOCUMENT_WIDTH_IN)))
    assert below.width == 650  # 6.5 in, the text width of an A4 page in the Party layout
    assert below.height > beside.height  # the legend's rows are added under the plot
    # The lowest rows hold the legend's coloured lines (the first series is blue).
    bottom = below.crop((0, below.height - 60, below.width, below.height)).convert("RGB")
    assert any(b > 150 and r < 80 for _n, (r, g, b) in bottom.getcolors(maxcolors=1 << 20))


def test_a_chart_is_drawn_again_only_when_what_it_shows_changes(months, monkeypatch):
    """Charts are kept by the process under a digest of what they are drawn from: the same
    table is not drawn twice, and a value saved gives a new chart at once."""
    from tuyengiao.figures import charts

    drawn = []
    real = charts.charts.draw
    monkeypatch.setattr(charts.charts, "draw", lambda *a, **k: drawn.append(a) or real(*a, **k))
    charts.clear_memo()
    first = draw(months, "svg", title="Số lớp")
    assert draw(months, "svg", title="Số lớp") == first
    assert len(drawn) == 1
    draw(months, "png", title="Số lớp")
    draw(months, "svg", title="Số lớp đã mở")
    assert len(drawn) == 3  # another format, another title: drawn

    months.rows[-1].cells[0].value += 1  # a value saved since
    changed = draw(months, "svg", title="Số lớp")
    assert len(drawn) == 4 and changed != first


def test_the_charts_kept_stay_under_their_budget(months, monkeypatch):
    from tuyengiao.figures import charts

    charts.clear_memo()
    first = draw(months, "svg", title="Một")
    monkeypatch.setattr(charts, "MEMO_BYTES", len(first) * 2)
    for title in ("Hai", "Ba", "Bốn"):
        draw(months, "svg", title=title)
    assert 1 <= len(charts._memo) <= 2
    assert sum(map(len, charts._memo.values())) <= len(first) * 2 + 1000
