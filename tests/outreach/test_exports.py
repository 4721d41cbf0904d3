"""The outreach workbooks: the roster with sessions and audience in a period and its two flags,
the sessions of a period, the models and the counts by field and unit. Opened with openpyxl:
what the page shows, a text starting with "=" kept as text, and nothing of another subtree
(a commune sees neither its neighbour's speakers nor the province's)."""

from datetime import date
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from tests.clock import on_day
from tuyengiao.reports.xlsx import CONTENT_TYPE, HEADER_ROW

from .conftest import model, session, speaker

pytestmark = on_day("2026-12-06")


def workbook(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="')
    return load_workbook(BytesIO(response.content))


def rows(sheet) -> list[list]:
    """The table below the header row, as values."""
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def texts(book) -> str:
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for line in sheet.iter_rows(values_only=True)
        for value in line
        if value is not None
    )


def test_the_roster_with_sessions_of_the_period_and_its_flags(client, world):
    staff = world.commune_staff
    busy = speaker(staff, name="=HYPERLINK(1)", position="Bận rộn")
    session(staff, busy, held_on=date(2026, 11, 1), audience=40)
    session(staff, busy, world.cell, held_on=date(2026, 10, 2), audience=25)
    session(staff, busy, held_on=date(2025, 11, 20), audience=99)  # another year
    speaker(staff, name="Im lặng")
    speaker(staff, name="Sắp hết", ends_on=date(2026, 12, 31))
    speaker(world.province_manager, world.commune2, name="Xã bên cạnh")
    speaker(world.province_manager, world.province, name="Cán bộ tỉnh")
    client.force_login(staff)
    page = client.get(reverse("outreach:index"), {"unit": world.commune.pk, "kind": "reporter"})
    assert 'id="roster-xlsx"' in page.content.decode()
    assert 'name="kind" value="reporter"' in page.content.decode()

    url = reverse("outreach:roster_xlsx")
    book = workbook(client.get(url, {"unit": world.commune.pk, "period": "2026"}))
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Danh sách báo cáo viên, tuyên truyền viên"
    assert "Năm 2026" in sheet["A2"].value
    table = rows(sheet)
    by_name = {r[1]: r for r in table[:-1]}
    assert set(by_name) == {"=HYPERLINK(1)", "Im lặng", "Sắp hết"}
    busy_row = by_name["=HYPERLINK(1)"]
    assert busy_row[10:12] == [2, 65]  # the sessions of 2026 only
    assert busy_row[12] is None and busy_row[13] is None  # neither idle nor ending
    assert by_name["Im lặng"][12] == "Có" and by_name["Im lặng"][13] is None
    assert by_name["Sắp hết"][12] == "Có" and by_name["Sắp hết"][13] == "Có"
    assert table[-1][1] == "Tổng cộng" and table[-1][10:12] == [2, 65]
    cell = next(c for c in sheet["B"] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s" and cell.quotePrefix
    assert "Xã bên cạnh" not in texts(book) and "Cán bộ tỉnh" not in texts(book)

    # the page's filters: only the idle ones; the previous year's sessions
    idle = workbook(client.get(url, {"unit": world.commune.pk, "idle": "6", "period": "2025"}))
    assert {r[1] for r in rows(idle.worksheets[0])[:-1]} == {"Im lặng", "Sắp hết"}
    last_year = workbook(client.get(url, {"unit": world.commune.pk, "period": "2025"}))
    assert rows(last_year.worksheets[0])[-1][10:12] == [1, 99]


def test_the_sessions_workbook_as_the_page(client, world):
    staff = world.commune_staff
    person = speaker(staff, name="Nguyễn Văn An")
    session(staff, person, held_on=date(2026, 11, 1), audience=40, topic="@SUM(A1)")
    session(staff, person, world.cell, held_on=date(2026, 10, 2), audience=25)
    session(staff, person, held_on=date(2026, 6, 2), audience=7)  # another quarter
    other = speaker(world.province_manager, world.commune2, name="Xã bên cạnh")
    session(world.province_manager, other, topic="Bên cạnh")
    client.force_login(staff)
    page = client.get(reverse("outreach:sessions"), {"period": "2026Q4"})
    assert page.context["xlsx_url"] in page.content.decode().replace("&amp;", "&")
    response = client.get(page.context["xlsx_url"])
    book = workbook(response)
    assert "2026q4" in response["Content-Disposition"]
    by_unit, by_speaker, listed = book.worksheets
    assert rows(by_unit) == [
        [f"{world.commune.name} (trực tiếp)", 1, 40],
        [world.cell.name, 1, 25],
        ["Tổng số", 2, 65],
    ]
    assert rows(by_speaker) == [["Nguyễn Văn An", 2, 65]]
    table = rows(listed)
    assert [r[4] for r in table] == ["@SUM(A1)", "Thông tin thời sự tháng 11"]
    assert listed["E5"].data_type == "s" and listed["E5"].quotePrefix
    assert "Bên cạnh" not in texts(book)


def test_the_models_and_their_counts(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    manager = world.province_manager
    mine = model(world.commune_staff, name="=1+1 Đường hoa", description="-rủi ro")
    model(world.commune_staff, name="Tổ an ninh", area_code="tuyen-truyen-mieng")
    model(manager, world.commune2, name="Ở xã bên cạnh")
    model(manager, world.province, name="Của tỉnh")
    from tuyengiao.outreach import services

    services.replication_add(
        actor=manager, model=mine, unit=world.cell, replicated_on=date(2026, 6, 1)
    )
    client.force_login(world.commune_staff)
    page = client.get(reverse("outreach:models"), {"q": "duong"})
    assert "Tải Excel" in page.content.decode()
    book = workbook(client.get(page.context["xlsx_url"]))
    table = rows(book.worksheets[0])
    assert [r[1] for r in table] == ["=1+1 Đường hoa"]
    assert table[0][7] == 1 and table[0][8] == "-rủi ro"
    assert book.worksheets[0]["B5"].quotePrefix and book.worksheets[0]["I5"].quotePrefix
    everything = workbook(client.get(reverse("outreach:models_xlsx")))
    assert {r[1] for r in rows(everything.worksheets[0])} == {"=1+1 Đường hoa", "Tổ an ninh"}
    assert "bên cạnh" not in texts(everything) and "Của tỉnh" not in texts(everything)

    client.force_login(manager)
    counts = workbook(client.get(reverse("outreach:counts_xlsx"), {"unit": world.province.pk}))
    sheet = counts.worksheets[0]
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers[0] == "Đơn vị" and headers[-2:] == ["Tổng số", "Nơi nhân rộng"]
    table = {r[0]: r[1:] for r in rows(sheet)}
    assert table[f"{world.province.name} (trực tiếp)"][-2:] == [1, 0]
    assert table[world.commune.name][-2:] == [2, 1]
    assert table[world.commune2.name][-2:] == [1, 0]
    assert table["Tổng số"][-2:] == [4, 1]
    # the commune sees its own subtree only; a year with nothing recognised has no row
    client.force_login(world.commune_staff)
    own = workbook(client.get(reverse("outreach:counts_xlsx")))
    assert world.commune2.name not in texts(own) and world.province.name not in texts(own)
    empty = workbook(client.get(reverse("outreach:counts_xlsx"), {"year": "2020"}))
    assert rows(empty.worksheets[0]) == [["Tổng số", 0, 0]]


def test_exports_outside_the_scope_answer_404(client, world):
    client.force_login(world.commune_staff)
    for name in ("roster_xlsx", "sessions_xlsx", "models_xlsx", "counts_xlsx"):
        url = reverse(f"outreach:{name}")
        assert client.get(url, {"unit": world.commune2.pk}).status_code == 404, name
        assert client.get(url, {"unit": "x"}).status_code == 404, name
        assert client.post(url).status_code == 405, name
    client.force_login(world.neighbour)
    assert (
        client.get(reverse("outreach:roster_xlsx"), {"unit": world.commune.pk}).status_code == 404
    )


def test_bad_filters_are_ignored_never_a_500(client, world):
    client.force_login(world.commune_staff)
    odd = {"period": "2026Q9", "year": "abc", "area": "x", "idle": "-1", "ending": "9" * 30}
    odd |= {"level": "?", "kind": "=1", "term": "\x00", "q": "=cmd|' /C calc'!A0"}
    for name in ("roster_xlsx", "sessions_xlsx", "models_xlsx", "counts_xlsx"):
        response = client.get(reverse(f"outreach:{name}"), odd)
        assert response.status_code == 200, name
        workbook(response)
