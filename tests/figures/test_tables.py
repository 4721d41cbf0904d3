"""Roll-up table pages, completeness and timeliness, their charts and XLSX exports.

Figures are entered by hand at the cells and communes of Tỉnh A (tests/conftest.py), then read
through the pages as the province manager: the table shows the stored roll-up with the plan
("52/50, đạt 104,00%"), drills down to a commune, refuses a unit outside the scope, explains a
bad period in Vietnamese, and the completeness page counts expected, received and on-time
reports, names the late unit and does not expect a merged one.
"""

import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import on_day
from tests.figures.conftest import enter
from tests.reports.sheets import INJECTION, assert_inert, assert_set_up
from tuyengiao.figures import queries
from tuyengiao.figures.models import DataSet, Report
from tuyengiao.figures.services import report_submit, reports_schedule
from tuyengiao.org.models import Unit
from tuyengiao.org.services import unit_merge
from tuyengiao.periods import Period

pytestmark = pytest.mark.django_db
TABLE = reverse("figures:table")
COMPLETENESS = reverse("figures:completeness")


@pytest.fixture
def figures(world, forms):
    """Jan: Nà Pài 22/20, Bản Chang 30/30 (Hoà An 52/50); Feb: Ngân Sơn 8/10; Mar: Nà Pài 5/5."""
    bm = forms.monthly
    enter(None, bm, world.cell, "2024-01", LOP_KH="20", LOP_TH="22", HV_CHITIEU="1.000")
    enter(None, bm, world.cell2, "2024-01", LOP_KH="30", LOP_TH="30", HV_CHITIEU="1.500")
    enter(None, bm, world.commune2, "2024-02", LOP_KH="10", LOP_TH="8")
    enter(None, bm, world.cell, "2024-03", LOP_KH="5", LOP_TH="5")
    return forms


def client_for(client, user):
    client.force_login(user)
    return client


def params(forms, *codes, **extra):
    query = {"data_set": forms.monthly.pk, "kind": "month", "first": "2024-01", "last": "2024-03"}
    query["indicator"] = [forms.indicators[c].pk for c in codes or ["LOP_TH"]]
    query.update(extra)
    return query


def row_of(response, name):
    table = response.context["table"]
    return next(r for r in table.rows if r.unit.name == name and not r.is_total)


def texts(row):
    return [c.text for c in row.cells]


def test_the_table_shows_the_rolled_up_figures_against_plan(client, world, figures):
    response = client_for(client, world.province_manager).get(TABLE, params(figures))
    assert response.status_code == 200
    assert texts(row_of(response, "Xã Hoà An")) == ["52/50, đạt 104,00%", "", "5/5, đạt 100,00%"]
    assert texts(row_of(response, "Xã Ngân Sơn")) == ["", "8/10, đạt 80,00%", ""]
    total = response.context["table"].rows[-1]
    assert total.is_total and total.unit == world.province
    assert texts(total) == ["52/50, đạt 104,00%", "8/10, đạt 80,00%", "5/5, đạt 100,00%"]
    html = response.content.decode()
    for label in ("Tháng 1/2024", "Tháng 2/2024", "Tháng 3/2024", "Tổng cộng: Tỉnh A"):
        assert label in html
    assert "52/50, đạt 104,00%" in html
    assert 'class="total"' in html
    # the chart of the same table, drawn on the server
    assert reverse("figures:table_chart", args=["svg"]) in html


def test_a_child_row_drills_down_to_the_same_table_at_that_child(client, world, figures):
    c = client_for(client, world.province_manager)
    response = c.get(TABLE, params(figures))
    commune = row_of(response, "Xã Hoà An")
    assert f"unit={world.commune.pk}" in commune.query
    assert f'href="?{commune.query.replace("&", "&amp;")}"' in response.content.decode()
    # a commune without sub-units leads nowhere further
    assert row_of(response, "Xã Ngân Sơn").query == ""

    below = c.get(TABLE + "?" + commune.query)
    assert below.status_code == 200
    assert below.context["unit"] == world.commune
    assert texts(row_of(below, "Chi bộ thôn Nà Pài")) == [
        "22/20, đạt 110,00%",
        "",
        "5/5, đạt 100,00%",
    ]
    assert texts(row_of(below, "Chi bộ thôn Bản Chang")) == ["30/30, đạt 100,00%", "", ""]
    assert texts(below.context["table"].rows[-1])[0] == "52/50, đạt 104,00%"
    # the breadcrumb leads back up to the top of the manager's scope, same parameters
    crumbs = below.context["crumbs"]
    assert [unit for unit, _ in crumbs] == [world.province]
    assert "first=2024-01" in crumbs[0][1] and f"unit={world.province.pk}" in crumbs[0][1]


def test_quarters_and_years_sum_the_months(client, world, figures):
    c = client_for(client, world.province_manager)
    quarters = c.get(TABLE, params(figures, kind="quarter", first="2024Q1", last="2024Q2"))
    assert [p.label for p in quarters.context["table"].periods] == ["Quý I/2024", "Quý II/2024"]
    assert texts(quarters.context["table"].rows[-1]) == ["65/65, đạt 100,00%", ""]
    # month ids read as the quarters that hold them, so changing the kind keeps the span
    converted = c.get(TABLE, params(figures, kind="quarter"))
    assert [p.id for p in converted.context["table"].periods] == ["2024Q1"]
    year = c.get(TABLE, params(figures, "LOP_TH", "HV_CHITIEU", kind="year", first="2024"))
    assert texts(year.context["table"].rows[-1]) == ["65/65, đạt 100,00%", "2.500"]
    halves = c.get(TABLE, params(figures, kind="half", first="2024S1", last="2024S2"))
    assert "6 tháng đầu năm 2024" in halves.content.decode()


def test_children_by_indicators_for_one_period(client, world, figures):
    c = client_for(client, world.province_manager)
    response = c.get(
        TABLE, {"layout": "indicators", "data_set": figures.monthly.pk, "period": "2024Q1"}
    )
    assert response.status_code == 200
    table = response.context["table"]
    codes = [i.code for i in table.indicators]
    # the form's numeric indicators, then the derived one computed from them; no text
    assert codes[:2] == ["LOP_KH", "LOP_TH"] and codes[-1] == "TL_LOP" and "GHI_CHU" not in codes
    total = dict(zip(codes, texts(table.rows[-1]), strict=True))
    assert total["LOP_KH"] == "65"
    assert total["LOP_TH"] == "65/65, đạt 100,00%"
    assert total["TL_LOP"] == "100,00%"
    assert total["HV_CHITIEU"] == "2.500"
    html = response.content.decode()
    assert "Quý I/2024" in html and "Tỷ lệ lớp so kế hoạch" in html


def test_a_unit_outside_the_scope_does_not_exist(client, world, figures):
    query = params(figures, unit=world.province.pk)
    neighbour = client_for(client, world.neighbour)
    assert neighbour.get(TABLE, query).status_code == 404
    assert neighbour.get(reverse("figures:table_export"), query).status_code == 404
    assert neighbour.get(reverse("figures:table_chart", args=["png"]), query).status_code == 404
    assert neighbour.get(COMPLETENESS, query).status_code == 404
    client.logout()
    staff = client_for(client, world.commune_staff)
    assert staff.get(TABLE, query).status_code == 404  # above the staff's own unit
    assert staff.get(TABLE, params(figures, unit=world.cell.pk)).status_code == 200
    assert staff.get(TABLE, params(figures, unit="abc")).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"first": "2024-13"}, "Kỳ báo cáo &quot;2024-13&quot; không hợp lệ"),
        ({"first": "2024-06", "last": "2024-01"}, "phải trước kỳ cuối"),
        ({"first": "2001-01", "last": "2024-12"}, "hãy chọn tối đa 60 kỳ"),
        ({"layout": "indicators", "period": "Q3/2024"}, "không hợp lệ"),
        ({"kind": "week"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_parameters_get_a_vietnamese_message_not_an_error(
    client, world, figures, changes, message
):
    c = client_for(client, world.province_manager)
    response = c.get(TABLE, params(figures, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context.get("table") is None
    export = c.get(reverse("figures:table_export"), params(figures, **changes))
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/plain")


def test_too_many_columns_are_refused(client, world, figures):
    c = client_for(client, world.province_manager)
    every = ["LOP_KH", "LOP_TH", "HV_CHITIEU", "HV_DANGKY", "BCV", "DIEM"]
    response = c.get(TABLE, params(figures, *every, first="2024-01", last="2024-12"))
    assert response.status_code == 400
    assert "72 cột" in response.content.decode()


def test_a_merged_child_is_marked_with_its_date(client, world, figures):
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2024, 3, 1))
    response = client_for(client, world.province_manager).get(TABLE, params(figures))
    merged = row_of(response, "Xã Ngân Sơn")
    assert merged.note == "(đã sáp nhập vào Xã Hoà An từ 01/03/2024)"
    assert texts(merged) == ["", "8/10, đạt 80,00%", ""]
    assert "(đã sáp nhập vào Xã Hoà An từ 01/03/2024)" in response.content.decode()
    # after the merger the commune is no longer a row of the table
    later = client.get(TABLE, params(figures, first="2024-04", last="2024-06"))
    assert "Xã Ngân Sơn" not in [r.unit.name for r in later.context["table"].rows]


def test_the_table_exports_to_xlsx_with_numbers_and_the_chart(client, world, figures):
    response = client_for(client, world.province_manager).get(
        reverse("figures:table_export"), params(figures, "LOP_TH", "HV_CHITIEU")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.content))
    sheet = book.active
    assert "Số lớp đã mở" in sheet["A1"].value
    assert "Tỉnh A" in sheet["A2"].value
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=6) if r[0].value}
    hoa_an = rows["Xã Hoà An"]
    # LOP_TH over three months: actual, planned, rate for each; then HV_CHITIEU per month
    assert [c.value for c in hoa_an[1:4]] == [52, 50, pytest.approx(1.04)]
    assert hoa_an[1].data_type == "n" and hoa_an[1].number_format == "#,##0"
    assert hoa_an[3].number_format == "0.00%"
    assert [c.value for c in hoa_an[10:13]] == [2500, None, None]
    total = rows["Tổng cộng: Tỉnh A"]
    assert [c.value for c in total[4:7]] == [8, 10, pytest.approx(0.8)]
    assert total[0].font.b
    headers = [c.value for c in sheet[4]]
    assert "Tháng 1/2024" in " ".join(str(h) for h in headers)
    assert [c.value for c in sheet[5][1:4]] == ["Thực hiện", "Kế hoạch", "Đạt (%)"]
    assert len(sheet._images) == 1


def test_the_chart_url_gives_svg_and_png(client, world, figures):
    c = client_for(client, world.province_manager)
    svg = c.get(reverse("figures:table_chart", args=["svg"]), params(figures))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<?xml")
    # matplotlib styles its SVG inline: the chart's own policy allows that and nothing else
    assert svg["Content-Security-Policy"].startswith(
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    png = c.get(reverse("figures:table_chart", args=["png"]), params(figures))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert c.get("/figures/table/chart.gif", params(figures)).status_code == 404


# Completeness and timeliness ---------------------------------------------------------------------


@pytest.fixture
def reporting(world, forms):
    """Reports owed for Jan–Mar 2024 by the communes and cells; Hoà An and its cells send all,
    Bản Chang's February late; Ngân Sơn sends January only and is merged into Hoà An on
    1 March, so its March report is no longer owed while its February one stays late."""
    bm = forms.monthly
    reports_schedule(data_set=bm, today=date(2024, 4, 10))

    def send(unit, period, on):
        report = Report.objects.get(data_set=bm, unit=unit, period=period)
        report_submit(actor=None, report=report)
        Report.objects.filter(pk=report.pk).update(submitted_on=on)

    for unit in (world.commune, world.cell, world.cell2):
        for month in (1, 2, 3):
            send(unit, f"2024-{month:02d}", date(2024, month + 1, 3))
    Report.objects.filter(data_set=bm, unit=world.cell2, period="2024-02").update(
        submitted_on=date(2024, 3, 20)
    )
    send(world.commune2, "2024-01", date(2024, 2, 5))
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2024, 3, 1))
    return forms


def completeness_params(forms, **extra):
    return {"data_set": forms.monthly.pk, "first": "2024-01", "last": "2024-03", **extra}


def counts(row):
    return row.expected, row.received, row.on_time


def test_completeness_counts_expected_received_and_on_time(client, world, reporting):
    response = client_for(client, world.province_manager).get(
        COMPLETENESS, completeness_params(reporting)
    )
    assert response.status_code == 200
    rows = {r.unit.name: r for r in response.context["rows"] if not r.is_total}
    # Hoà An with its two cells: 9 owed, 9 sent, 8 on time (Bản Chang's February was late)
    assert counts(rows["Xã Hoà An"]) == (9, 9, 8)
    # Ngân Sơn owes January and February only: closed from 1 March, March is not expected
    assert counts(rows["Xã Ngân Sơn"]) == (2, 1, 1)
    total = response.context["rows"][-1]
    assert total.is_total and counts(total) == (11, 10, 9)
    html = response.content.decode()
    for text in (
        "88,89%",
        "50,00%",
        "90,91%",
        "81,82%",
        "(đã sáp nhập vào Xã Hoà An từ 01/03/2024)",
    ):
        assert text in html
    # the late unit is named, with the period and the deadline
    late = response.context["late"]
    assert [(r.unit.name, r.period_label) for r in late] == [("Xã Ngân Sơn", "Tháng 2/2024")]
    assert "Tháng 2/2024" in html and "05/03/2024" in html
    assert response.context["late_count"] == 1
    # drill-down to the commune shows its own report and its cells
    hoa_an = rows["Xã Hoà An"]
    assert hoa_an.query and f"unit={world.commune.pk}" in hoa_an.query
    below = client.get(COMPLETENESS + "?" + hoa_an.query)
    assert below.status_code == 200
    by_name = {
        ("own" if r.own else r.unit.name): r for r in below.context["rows"] if not r.is_total
    }
    assert counts(by_name["own"]) == (3, 3, 3)
    assert counts(by_name["Chi bộ thôn Bản Chang"]) == (3, 3, 2)
    assert counts(below.context["rows"][-1]) == (9, 9, 8)
    assert "Chính đơn vị" in below.content.decode()


def test_completeness_refuses_bad_input_and_other_scopes(client, world, reporting):
    c = client_for(client, world.province_manager)
    bad = c.get(COMPLETENESS, completeness_params(reporting, last="2024-99"))
    assert bad.status_code == 400
    assert "không hợp lệ" in bad.content.decode()
    unknown = c.get(COMPLETENESS, completeness_params(reporting, data_set="999999"))
    assert unknown.status_code == 400
    client.logout()
    neighbour = client_for(client, world.neighbour)
    query = completeness_params(reporting, unit=world.commune.pk)
    assert neighbour.get(COMPLETENESS, query).status_code == 404
    assert neighbour.get(reverse("figures:completeness_export"), query).status_code == 404


def test_completeness_exports_numbers_and_the_late_units(client, world, reporting):
    response = client_for(client, world.province_manager).get(
        reverse("figures:completeness_export"), completeness_params(reporting)
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = {r[0].value: [c.value for c in r[1:6]] for r in sheet.iter_rows(min_row=6) if r[0].value}
    assert rows["Xã Hoà An"] == [9, 9, 1, 8, pytest.approx(8 / 9)]
    assert rows["Tổng cộng: Tỉnh A"] == [11, 10, pytest.approx(10 / 11), 9, pytest.approx(9 / 11)]
    merged = next(name for name in rows if name.startswith("Xã Ngân Sơn"))
    assert "đã sáp nhập" in merged
    assert len(sheet._images) == 1
    late = book.worksheets[1]
    assert late["A1"].value == "Đơn vị gửi báo cáo chậm – " + sheet["A1"].value
    assert [c.value for c in late[5]][:3] == [merged, "Tỉnh A", "Tháng 2/2024"]
    assert late["D5"].value.date() == date(2024, 3, 5)
    assert late["D5"].number_format == "DD/MM/YYYY"
    # both sheets say what, where and when, and are set up to be read and printed
    for each in (sheet, late):
        assert "Tỉnh A · Tháng 1/2024 – Tháng 3/2024 · Xuất ngày" in each["A2"].value
    # wide (the merged commune's long label): the label column stays in view, landscape
    assert (sheet.freeze_panes, sheet.print_title_rows) == ("B6", "$4:$5")
    assert sheet.page_setup.orientation == "landscape"
    assert (late.freeze_panes, late.print_title_rows) == ("A5", "$4:$4")
    chart = client.get(
        reverse("figures:completeness_chart", args=["svg"]), completeness_params(reporting)
    )
    assert chart.status_code == 200 and chart.content.lstrip().startswith(b"<?xml")


def test_default_parameters_need_no_query(client, world, figures):
    c = client_for(client, world.commune_staff)
    response = c.get(TABLE)
    assert response.status_code == 200
    assert response.context["unit"] == world.commune
    assert [i.code for i in response.context["table"].indicators] == ["LOP_TH"]
    assert c.get(COMPLETENESS).status_code == 200


def picked(html: str, name: str) -> list[tuple[str, str]]:
    """The options of the select `name`: [(value, label)], and which one is selected."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])


def selected(html: str, name: str) -> str:
    return next(label for _value, chosen, label in picked(html, name) if chosen)


def test_the_form_shows_the_periods_it_used(client, world, figures):
    """Periods are picked by name from lists of real periods; an old link with codes of
    another kind ("2024-02" for quarters) still opens the table it meant."""
    c = client_for(client, world.province_manager)
    response = c.get(TABLE, params(figures, kind="quarter", first="2024-02", last="2024-05"))
    html = response.content.decode()
    assert [p.id for p in response.context["table"].periods] == ["2024Q1", "2024Q2"]
    assert selected(html, "first") == "Quý I/2024" and selected(html, "last") == "Quý II/2024"
    labels = [label for _v, _c, label in picked(html, "first")]
    assert labels[:5] == ["Quý I/2024", "Quý II/2024", "Quý III/2024", "Quý IV/2024", "Quý I/2025"]
    one = c.get(TABLE, {"layout": "indicators", "data_set": figures.monthly.pk, "period": "2024q3"})
    assert one.status_code == 200
    assert selected(one.content.decode(), "period") == "Quý III/2024"


@on_day("2026-09-15")
def test_the_period_lists_run_from_the_forms_start_to_the_current_period(client, world, figures):
    c = client_for(client, world.province_manager)
    html = c.get(TABLE, {"data_set": figures.monthly.pk}).content.decode()
    months = [label for _v, _c, label in picked(html, "last")]
    assert months[0] == "Tháng 1/2024" and months[-1] == "Tháng 9/2026"
    assert selected(html, "first") == "Tháng 1/2026" and selected(html, "last") == "Tháng 9/2026"
    assert selected(html, "kind") == "Tháng"
    quarters = c.get(TABLE, {"data_set": figures.monthly.pk, "kind": "quarter"}).content.decode()
    assert [label for _v, _c, label in picked(quarters, "last")][-1] == "Quý III/2026"


def test_indicators_are_checkboxes_and_follow_the_form_chosen(client, world, figures):
    """Changing "Biểu mẫu" redraws the form (htmx) with that form's indicators, unchecked
    from the previous one, and the periods of its kind."""
    yearly = DataSet.objects.create(
        code="BM09", name="Báo cáo năm", period_kind="year", first_period="2020"
    )
    yearly.rows.create(indicator=figures.indicators["BCV"], position=0)
    c = client_for(client, world.province_manager)
    page = c.get(TABLE, params(figures, "LOP_TH", "HV_CHITIEU")).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="indicator" value="(\d+)"([^>]*)>', page)
    assert {int(v) for v, _a in boxes} >= {
        figures.indicators["LOP_TH"].pk,
        figures.indicators["DIEM"].pk,
    }
    assert sorted(int(v) for v, attrs in boxes if "checked" in attrs) == sorted(
        figures.indicators[c].pk for c in ("LOP_TH", "HV_CHITIEU")
    )
    assert 'hx-get="/figures/table/"' in page and '<select name="indicator"' not in page

    changed = c.get(
        TABLE,
        params(figures, "LOP_TH", data_set=yearly.pk),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="data_set",
    )
    assert changed.status_code == 200
    form = changed.content.decode()
    assert form.lstrip().startswith("<form") and "<html" not in form
    boxes = re.findall(r'<input type="checkbox" name="indicator" value="(\d+)"([^>]*)>', form)
    assert [int(v) for v, _a in boxes] == [figures.indicators["BCV"].pk]
    assert "checked" in boxes[0][1]  # the form's default indicator, not the old choice
    assert selected(form, "kind") == "Năm"
    assert all(label.startswith("Năm ") for _v, _c, label in picked(form, "first"))


def test_the_exports_write_a_unit_name_as_text_and_are_set_up(client, world, reporting):
    """A unit named like a formula is shown as typed, never evaluated, in both workbooks."""
    Unit.objects.filter(pk=world.commune.pk).update(name=INJECTION)
    c = client_for(client, world.province_manager)
    table = c.get(reverse("figures:table_export"), params(reporting, first="2024-01"))
    assert_inert(table.content, INJECTION)
    assert_set_up(load_workbook(BytesIO(table.content))["Số liệu"], header=(4, 5))
    completeness = c.get(reverse("figures:completeness_export"), completeness_params(reporting))
    assert_inert(completeness.content, INJECTION)
    book = load_workbook(BytesIO(completeness.content))
    assert_set_up(book["Tình hình báo cáo"], header=(4, 5))
    assert_set_up(book["Đơn vị chậm"])


def test_a_communes_own_figures_have_their_row_and_the_rows_add_up(client, world, figures):
    """The commune enters figures of its own beside its cells': the drill-down shows them on
    a row of their own, so the rows above "Tổng cộng" add up to it, months and quarter alike;
    the workbook and the API carry the same row."""
    bm = figures.monthly
    enter(None, bm, world.commune, "2024-02", LOP_KH="100", LOP_TH="90", BCV="4")
    enter(None, bm, world.commune, "2024-03", BCV="6")
    enter(None, bm, world.cell, "2024-03", BCV="2")
    c = client_for(client, world.province_manager)
    query = params(figures, "LOP_TH", "BCV", unit=world.commune.pk)
    for kind, last in (("month", "2024-03"), ("quarter", "2024Q1")):
        response = c.get(TABLE, {**query, "kind": kind, "last": last})
        assert response.status_code == 200
        rows = response.context["table"].rows
        own = [r for r in rows if r.own]
        assert len(own) == 1 and own[0].unit == world.commune
        *parts, total = rows
        assert total.is_total
        for column in range(len(total.cells)):
            values = [r.cells[column].value for r in parts if r.cells[column].value is not None]
            assert sum(values) == (total.cells[column].value or 0), (kind, column)
        assert "Chính đơn vị (Xã Hoà An)" in response.content.decode()
        assert own[0].query == ""
    # the quarter: own classes 90 of 100; reporters (last value) 6, beside the cell's 2
    assert texts(own[0]) == ["90/100, đạt 90,00%", "6"]
    assert texts(total) == ["147/155, đạt 94,84%", "8"]

    book = load_workbook(BytesIO(c.get(reverse("figures:table_export"), query).content))
    labels = [r[0].value for r in book.worksheets[0].iter_rows()]
    assert "Chính đơn vị (Xã Hoà An)" in labels

    api = c.get(
        "/api/table/", {"unit": world.commune.pk, "indicators": "LOP_TH", "periods": "2024Q1"}
    )
    assert [(r["unit_name"], r["own"], r["is_total"]) for r in api.json()["rows"]][-2:] == [
        ("Xã Hoà An", True, False),
        ("Xã Hoà An", False, True),
    ]


def test_a_unit_without_entries_of_its_own_has_no_own_row(client, world, figures):
    response = client_for(client, world.province_manager).get(
        TABLE, params(figures, unit=world.commune.pk)
    )
    assert not any(r.own for r in response.context["table"].rows)


# The chart and the workbook of the completeness page: session, user, unit, the report forms
# (default and chosen), the periods, the counts by child and their units, the late reports.
COMPLETENESS_CHART_QUERIES = 7
COMPLETENESS_EXPORT_QUERIES = 9


def test_the_completeness_chart_and_workbook_are_few_queries_and_drawn_once(
    client, world, reporting, django_assert_max_num_queries, monkeypatch
):
    """The chart is drawn once for the same numbers (figures.charts keeps it), and again as
    soon as a report is sent."""
    from tuyengiao.figures import charts

    drawn = []
    real = charts.charts.draw
    monkeypatch.setattr(charts.charts, "draw", lambda *a, **k: drawn.append(a[2]) or real(*a, **k))
    charts.clear_memo()
    c = client_for(client, world.province_manager)
    query = completeness_params(reporting)
    chart = reverse("figures:completeness_chart", args=["svg"])
    export = reverse("figures:completeness_export")
    for _again in range(2):
        with django_assert_max_num_queries(COMPLETENESS_CHART_QUERIES):
            before = c.get(chart, query).content
        with django_assert_max_num_queries(COMPLETENESS_EXPORT_QUERIES):
            assert c.get(export, query).status_code == 200
    assert drawn == ["svg", "png"]
    # Ngân Sơn's February report arrives: the chart shows it at once
    Report.objects.filter(data_set=reporting.monthly, unit=world.commune2, period="2024-02").update(
        submitted_on=date(2024, 3, 4)
    )
    assert c.get(chart, query).content != before
    assert drawn == ["svg", "png", "svg"]


def test_months_across_a_year_show_only_themselves(world, figures):
    """The table reads a run of periods as one range of ids, which also holds the quarters,
    halves and year that sort between them: those stay out, and a sparse pick is read by its
    ids."""
    enter(None, figures.monthly, world.cell, "2024-12", LOP_KH="4", LOP_TH="3")
    enter(None, figures.monthly, world.commune2, "2025-01", LOP_KH="6", LOP_TH="6")
    lop = figures.indicators["LOP_TH"]
    months = Period.range(Period.parse("2024-07"), Period.parse("2025-06"))
    table = queries.table(world.province, [lop], months)
    assert [c.text for c in table.rows[-1].cells] == (
        [""] * 5 + ["3/4, đạt 75,00%", "6/6, đạt 100,00%"] + [""] * 5
    )
    picked = [Period.parse("2024-01"), Period.parse("2024-12"), Period.parse("2025Q1")]
    table = queries.table(world.province, [lop], picked)
    assert [c.text for c in table.rows[-1].cells] == [
        "52/50, đạt 104,00%",
        "3/4, đạt 75,00%",
        "6/6, đạt 100,00%",
    ]
    assert [c.text for c in row_of_table(table, "Xã Ngân Sơn").cells] == [
        "",
        "",
        "6/6, đạt 100,00%",
    ]


def row_of_table(table, name):
    return next(r for r in table.rows if r.unit.name == name and not r.is_total)
