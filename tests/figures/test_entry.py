"""The pages that enter, send and approve periodic reports (figures/views/entry.py).

The form BM01 of tests/figures/conftest.py is reported monthly by communes and cells; Xã Hoà An
(world.commune) and its two cells owe it for Tháng 10/2026, whose deadline has passed: the
tests run on 20/11/2026 (tests/clock.py).
"""

import re
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from tests.clock import on_day
from tuyengiao.deadlines.models import Obligation
from tuyengiao.figures.models import Report, ReportState, Value
from tuyengiao.figures.services import report_open, report_submit
from tuyengiao.periods import Period

from .conftest import enter

pytestmark = on_day("2026-11-20")
PERIOD = "2026-10"


class Inputs(HTMLParser):
    """The named inputs and text areas of a page: name -> (value, disabled)."""

    def __init__(self, html: str):
        super().__init__()
        self.fields: dict[str, tuple[str, bool]] = {}
        self._area = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and "name" in attrs:
            self.fields[attrs["name"]] = (attrs.get("value") or "", "disabled" in attrs)
        elif tag == "textarea" and "name" in attrs:
            self._area = attrs["name"]
            self.fields[self._area] = ("", "disabled" in attrs)

    def handle_data(self, data):
        if self._area:
            value, disabled = self.fields[self._area]
            self.fields[self._area] = (value + data.strip("\n"), disabled)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._area = None


def shown(response) -> dict[str, str]:
    return {name: value for name, (value, _) in Inputs(response.content.decode()).fields.items()}


def row(response, code: str) -> str:
    """The HTML of the entry table's row holding the input of `code`."""
    html = response.content.decode()
    found = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*name="{code}"(?:(?!</tr>).)*</tr>', html, re.S)
    assert found, f"no row for {code}"
    return unescape(found[0])


def open_report(forms, unit, period=PERIOD) -> Report:
    return report_open(actor=None, data_set=forms.monthly, unit=unit, period=Period.parse(period))


def post(client, report, action="save", version=None, follow=False, **entries):
    """Post the entry form as the page would: its version and hidden fields, then `entries`."""
    page = shown(client.get(f"/figures/reports/{report.pk}/"))
    data = {"version": page["version"] if version is None else version, "action": action}
    data["loaded"] = page["loaded"]
    data.update(entries)
    return client.post(f"/figures/reports/{report.pk}/", data, follow=follow)


def stored(report) -> dict[str, int | str]:
    return {
        v.indicator.code: v.text or v.number
        for v in Value.objects.filter(unit=report.unit, period=report.period).select_related(
            "indicator"
        )
    }


def texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Entering figures ---------------------------------------------------------------------------------


def test_vietnamese_numbers_are_stored_exactly_and_shown_back_the_same_way(client, world, forms):
    report = open_report(forms, world.commune)
    client.force_login(world.commune_staff)
    response = post(client, report, LOP_KH="24.193", LOP_TH="24.193", DIEM="98,32", GHI_CHU="Tốt")
    assert response.status_code == 302
    assert stored(report) == {
        "LOP_KH": 24193 * 10_000,
        "LOP_TH": 24193 * 10_000,
        "DIEM": 983_200,
        "GHI_CHU": "Tốt",
    }
    page = client.get(response.url)
    fields = shown(page)
    assert (fields["LOP_KH"], fields["DIEM"], fields["GHI_CHU"]) == ("24.193", "98,32", "Tốt")
    assert "Đã lưu nháp." in texts(page)
    assert "đạt 100,00%" in row(page, "LOP_TH")
    report.refresh_from_db()
    assert report.saved_by == world.commune_staff and report.version == 1


def test_the_entry_page_pairs_plan_and_actual_and_is_keyboard_ready(client, world, forms):
    report = open_report(forms, world.commune)
    client.force_login(world.commune_staff)
    response = client.get(f"/figures/reports/{report.pk}/")
    html = response.content.decode()
    assert "Kế hoạch" in html and "Thực hiện" in html
    pair = row(response, "LOP_TH")
    assert 'name="LOP_KH"' in pair  # the plan sits on the actual's row
    assert pair.index('name="LOP_KH"') < pair.index('name="LOP_TH"')
    assert html.count('inputmode="decimal"') == 6  # every numeric field, not the note
    first = re.search(r"<input[^>]*autofocus[^>]*>", html)
    assert first and 'name="LOP_KH"' in first[0]  # the first empty field
    assert "tuyengiao/figures-entry.js" in html
    assert shown(response)["version"] == "0"


def test_a_bad_number_shows_the_message_beside_it_and_saves_nothing(client, world, forms):
    report = open_report(forms, world.commune)
    client.force_login(world.commune_staff)
    response = post(client, report, LOP_KH="12", HV_CHITIEU="mười", BCV="1,5")
    assert response.status_code == 200
    assert 'Không đọc được số "mười". Hãy nhập như 24.193 hoặc 98,32.' in row(
        response, "HV_CHITIEU"
    )
    assert "Chỉ tiêu này nhận số nguyên." in row(response, "BCV")
    fields = shown(response)
    assert (fields["LOP_KH"], fields["HV_CHITIEU"], fields["BCV"]) == ("12", "mười", "1,5")
    assert stored(report) == {}
    report.refresh_from_db()
    assert report.version == 0


def test_the_second_of_two_concurrent_saves_is_refused_and_loses_nothing(client, world, forms):
    from django.test import Client

    report = open_report(forms, world.commune)
    enter(world.commune_staff, forms.monthly, world.commune, PERIOD, LOP_KH="10", DIEM="7")
    first, second = Client(), Client()
    first.force_login(world.commune_staff)
    second.force_login(world.province_manager)
    page = shown(first.get(f"/figures/reports/{report.pk}/"))
    assert shown(second.get(f"/figures/reports/{report.pk}/"))["version"] == page["version"]
    common = {"version": page["version"], "loaded": page["loaded"], "action": "save"}

    done = first.post(f"/figures/reports/{report.pk}/", {**common, "LOP_KH": "12", "DIEM": "7"})
    assert done.status_code == 302
    refused = second.post(
        f"/figures/reports/{report.pk}/",
        {**common, "LOP_KH": "10", "DIEM": "8,5", "HV_CHITIEU": "40"},
    )

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "sau khi bạn mở" in html and "chưa được lưu" in html
    fields = shown(refused)
    assert (fields["LOP_KH"], fields["DIEM"], fields["HV_CHITIEU"]) == ("10", "8,5", "40")
    assert "Giá trị mới: <b>12</b>" in row(refused, "LOP_KH")  # changed by the first
    assert "Giá trị mới" not in row(refused, "DIEM")  # changed only by this user
    assert stored(report) == {"LOP_KH": 120_000, "DIEM": 70_000}
    report.refresh_from_db()
    assert fields["version"] == str(report.version)

    # Saving again from the refused page goes through, on purpose.
    again = second.post(f"/figures/reports/{report.pk}/", {**fields, "action": "save"})
    assert again.status_code == 302
    assert stored(report) == {"LOP_KH": 100_000, "DIEM": 85_000, "HV_CHITIEU": 400_000}


def test_a_broken_rule_is_shown_beside_its_fields_and_in_the_summary(client, world, forms):
    report = open_report(forms, world.commune)
    client.force_login(world.commune_staff)
    response = post(client, report, follow=True, HV_CHITIEU="10", HV_DANGKY="16", LOP_KH="3")
    message = "Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu."
    assert message in row(response, "HV_DANGKY")
    assert message in row(response, "HV_CHITIEU")
    assert message not in row(response, "BCV")
    both = "Đã có số lớp theo kế hoạch thì phải nhập số lớp đã mở (và ngược lại)."
    assert both in row(response, "LOP_TH")
    summary = re.search(r'<div class="errors violations".*?</div>', response.content.decode(), re.S)
    assert summary and message in summary[0] and both in summary[0]
    assert any("Còn 2 điểm chưa hợp lệ" in m for m in texts(response))
    assert stored(report)["HV_DANGKY"] == 160_000  # a draft may break rules; sending may not


def test_sending_is_refused_while_a_rule_is_broken(client, world, forms):
    report = open_report(forms, world.commune)
    client.force_login(world.commune_staff)
    response = post(client, report, "submit", follow=True, HV_CHITIEU="10", HV_DANGKY="16")
    assert any(m.startswith("Chưa gửi được báo cáo") for m in texts(response))
    assert "Học viên đăng ký không được vượt quá 1,5 lần chỉ tiêu." in texts(response)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.submitted_on is None

    response = post(client, report, "submit", follow=True, HV_DANGKY="15")
    assert "Đã gửi báo cáo lên cấp trên." in texts(response)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.submitted_by == world.commune_staff
    assert Obligation.objects.get(pk=report.obligation_id).done_on is not None
    fields = Inputs(response.content.decode()).fields
    assert fields["HV_DANGKY"] == ("15", True)  # a sent report is read-only
    assert "Báo cáo đã gửi. Muốn sửa, hãy rút lại báo cáo trước." in response.content.decode()
    assert "Lưu nháp" not in response.content.decode()

    response = client.post(f"/figures/reports/{report.pk}/withdraw/", follow=True)
    assert "Đã rút lại báo cáo để sửa." in texts(response)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert Inputs(response.content.decode()).fields["HV_DANGKY"] == ("15", False)


def test_approval_goes_level_by_level_through_the_pages(client, world, forms):
    reports = {}
    for unit in (world.commune, world.cell, world.cell2):
        reports[unit.pk] = enter(
            world.commune_staff, forms.monthly, unit, PERIOD, LOP_KH="2", LOP_TH="2"
        )
        report_submit(actor=world.commune_staff, report=reports[unit.pk])
    commune, cell, cell2 = (reports[u.pk] for u in (world.commune, world.cell, world.cell2))

    client.force_login(world.commune_staff)  # staff approve nothing
    assert client.get("/figures/approvals/").status_code == 403
    assert client.post(f"/figures/reports/{cell.pk}/approve/").status_code == 403

    client.force_login(world.province_manager)
    index = client.get("/figures/")
    assert "Chờ duyệt: 3 báo cáo" in index.content.decode()
    queue = client.get("/figures/approvals/")
    assert [r.pk for r in queue.context["reports"]] == [commune.pk, cell.pk, cell2.pk]
    assert "0/2 đã duyệt" in queue.content.decode()

    back = {"next": "/figures/approvals/"}
    # Never approved blind: a report not opened goes to its page first.
    response = client.post(f"/figures/reports/{commune.pk}/approve/", back, follow=True)
    assert response.redirect_chain[-1][0] == f"/figures/reports/{commune.pk}/"
    assert "Hãy mở báo cáo, xem số liệu rồi mới duyệt." in texts(response)
    response = client.post(f"/figures/reports/{commune.pk}/approve/", back, follow=True)
    assert response.redirect_chain[-1][0] == "/figures/approvals/"
    assert any("Cấp dưới chưa được duyệt hết" in m for m in texts(response))
    commune.refresh_from_db()
    assert commune.state == ReportState.SUBMITTED

    for child in (cell, cell2):
        client.get(f"/figures/reports/{child.pk}/")
        response = client.post(f"/figures/reports/{child.pk}/approve/", back, follow=True)
        assert any(m.startswith("Đã duyệt báo cáo") for m in texts(response))
    assert "2/2 đã duyệt" in response.content.decode()
    response = client.post(f"/figures/reports/{commune.pk}/approve/", follow=True)
    assert response.redirect_chain[-1][0] == f"/figures/reports/{commune.pk}/"
    assert "Đã duyệt" in response.content.decode()
    assert set(Report.objects.values_list("state", flat=True)) == {ReportState.APPROVED}
    assert "Không có báo cáo nào chờ duyệt." in client.get("/figures/approvals/").content.decode()

    # Unlocking needs a reason, and goes top down.
    response = client.post(f"/figures/reports/{cell.pk}/unlock/", {"reason": "Sai số"}, follow=True)
    assert any("(cấp trên) đã duyệt" in m for m in texts(response))
    response = client.post(f"/figures/reports/{commune.pk}/unlock/", {"reason": " "}, follow=True)
    assert "Hãy ghi lý do mở khoá." in texts(response)
    commune.refresh_from_db()
    assert commune.state == ReportState.APPROVED
    response = client.post(
        f"/figures/reports/{commune.pk}/unlock/", {"reason": "Xã báo sai số lớp"}, follow=True
    )
    assert "Đã mở khoá báo cáo; đơn vị có thể sửa số liệu." in texts(response)
    commune.refresh_from_db()
    assert commune.state == ReportState.DRAFT and commune.unlocked


def test_a_report_outside_the_scope_does_not_exist(client, world, forms):
    report = enter(world.commune_staff, forms.monthly, world.commune, PERIOD, LOP_KH="2")
    client.force_login(world.neighbour)
    assert client.get(f"/figures/reports/{report.pk}/").status_code == 404
    response = client.post(f"/figures/reports/{report.pk}/", {"version": 1, "LOP_KH": "9"})
    assert response.status_code == 404
    assert client.post(f"/figures/reports/{report.pk}/approve/").status_code == 404
    assert client.get(f"/figures/?unit={world.commune.pk}").status_code == 404
    assert stored(report) == {"LOP_KH": 20_000}


def test_a_viewer_reads_but_cannot_save(client, world, forms):
    report = enter(world.commune_staff, forms.monthly, world.cell, PERIOD, LOP_KH="2")
    client.force_login(world.cell_viewer)
    page = client.get(f"/figures/reports/{report.pk}/")
    assert page.status_code == 200
    assert Inputs(page.content.decode()).fields["LOP_KH"] == ("2", True)
    assert "Bạn chỉ được xem báo cáo này." in page.content.decode()
    response = client.post(
        f"/figures/reports/{report.pk}/", {"version": 1, "action": "save", "LOP_KH": "9"}
    )
    assert response.status_code == 403
    assert stored(report) == {"LOP_KH": 20_000}


# The list of reports and opening one --------------------------------------------------------------


def test_the_unit_sees_the_reports_it_owes_newest_first(client, world, forms, monkeypatch):
    # The periods listed as not yet opened follow today: held in November 2026.
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return date(2026, 11, 23) if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    enter(world.commune_staff, forms.monthly, world.commune, "2026-08", LOP_KH="1")
    sent = enter(world.commune_staff, forms.monthly, world.commune, "2026-09", BCV="1")
    report_submit(actor=world.commune_staff, report=sent)
    enter(world.commune_staff, forms.monthly, world.cell, "2026-09", LOP_KH="1")  # not the unit's
    client.force_login(world.commune_staff)
    response = client.get("/figures/")
    listed = list(response.context["page"])
    assert [r.period for r in listed] == ["2026-09", "2026-08"]
    html = response.content.decode()
    assert "Tháng 9/2026" in html and "Tháng 8/2026" in html
    assert listed[1].due_state == "overdue" and listed[0].due_state == "done_late"
    # The latest periods it has not opened are listed with a link that opens them.
    unopened = [(r["data_set"].code, r["period"].id) for r in response.context["unopened"]]
    assert unopened == [("BM01", "2026-11"), ("BM01", "2026-10")]
    assert "Chờ duyệt" not in html  # staff approve nothing

    drafts = client.get("/figures/", {"state": "draft"}).context["page"]
    assert [r.period for r in drafts] == ["2026-08"]
    overdue = client.get("/figures/", {"due": "overdue"}).context["page"]
    assert [r.period for r in overdue] == ["2026-08"]
    cells = client.get("/figures/", {"unit": world.cell.pk}).context["page"]
    assert [r.period for r in cells] == ["2026-09"]


def test_opening_a_report_creates_it_once_or_says_why_not(client, world, forms):
    client.force_login(world.commune_staff)
    query = {"unit": world.cell.pk, "open_data_set": forms.monthly.pk, "period": "10/2026"}
    response = client.get("/figures/reports/open/", query)
    report = Report.objects.get(unit=world.cell, period="2026-10")
    assert response.status_code == 302 and response.url == f"/figures/reports/{report.pk}/"
    client.get("/figures/reports/open/", query)
    assert Report.objects.count() == 1
    page = client.get(response.url)
    assert "Tháng 10/2026" in page.content.decode()
    assert page.context["report"].obligation.due_on.isoformat() == "2026-11-05"

    response = client.get("/figures/reports/open/", {**query, "period": "2026Q3"})
    assert response.status_code == 200
    assert "Biểu mẫu này báo cáo theo tháng." in response.content.decode()
    response = client.get("/figures/reports/open/", {**query, "period": "tháng mười"})
    assert "không hợp lệ" in response.content.decode()
    client.force_login(world.province_manager)
    response = client.get(
        "/figures/reports/open/",
        {"unit": world.province.pk, "open_data_set": forms.monthly.pk, "period": "2026-10"},
    )
    assert "Tỉnh A không phải báo cáo biểu này cho Tháng 10/2026." in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.parametrize("user", ["commune_staff", "province_manager", "cell_viewer"])
def test_the_figures_pages_answer_every_role(client, world, forms, user):
    client.force_login(getattr(world, user))
    response = client.get("/figures/")
    assert response.status_code == 200
    assert 'href="/figures/"' in response.content.decode()  # the "Số liệu" link of the menu


def test_the_approval_list_asks_the_same_queries_however_many_reports(client, world, forms):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_the_list():
        client.force_login(world.province_manager)
        client.get("/figures/approvals/")  # the session and caches warmed
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/figures/approvals/").status_code == 200
        return len(captured)

    first = enter(world.commune_staff, forms.monthly, world.cell, PERIOD, LOP_KH="2", LOP_TH="2")
    report_submit(actor=world.commune_staff, report=first)
    one = queries_for_the_list()
    for unit in (world.commune, world.cell2):
        report = enter(world.commune_staff, forms.monthly, unit, PERIOD, LOP_KH="2", LOP_TH="2")
        report_submit(actor=world.commune_staff, report=report)
    assert queries_for_the_list() == one
    # The commune's report still waits for its two cells.
    assert "0/2 đã duyệt" in client.get("/figures/approvals/").content.decode()
