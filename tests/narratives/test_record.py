"""From the reading page, a plan-against-actual figure of the text recorded into a report form
(figures.services.report_save): the choices are the user's reports that can be changed now, the
post is checked again (scope, codes, numbers), and errors come back as a message."""

import pytest
from django.urls import reverse

from tests.clock import on_day
from tests.figures.conftest import build_forms
from tuyengiao.audit.models import AuditEntry
from tuyengiao.figures.models import Indicator, Report, ReportState, Value, to_stored
from tuyengiao.figures.services import report_open
from tuyengiao.periods import Period

pytestmark = on_day("2026-12-06")

TEXT = "Các chi bộ tổ chức 52/50 lớp, đạt 104% so kế hoạch."


@pytest.fixture
def setup(world):
    forms = build_forms()

    def opened(actor, unit, period="2026-11"):
        return report_open(
            actor=actor, data_set=forms.monthly, unit=unit, period=Period.parse(period)
        )

    world.forms = forms
    world.own = opened(world.province_manager, world.commune)
    world.older = opened(world.province_manager, world.commune, "2026-10")
    world.sent = opened(world.province_manager, world.cell)
    Report.objects.filter(pk=world.sent.pk).update(state=ReportState.SUBMITTED)
    world.outside = opened(world.neighbour, world.other_commune)
    return world


def post_record(client, report_pk, actual="52", planned="50", codes="LOP_TH:LOP_KH"):
    return client.post(
        reverse("narratives:record"),
        {"choice": f"{report_pk}:{codes}", "actual": actual, "planned": planned},
    )


def test_the_choices_are_the_users_reports_that_can_be_changed(client, setup):
    client.force_login(setup.commune_staff)
    html = client.post(reverse("narratives:read"), {"content": TEXT}).content.decode()
    assert f'action="{reverse("narratives:record")}"' in html
    assert 'name="actual" value="52"' in html and 'name="planned" value="50"' in html
    own = f'value="{setup.own.pk}:LOP_TH:LOP_KH"'
    older = f'value="{setup.older.pk}:LOP_TH:LOP_KH"'
    assert own in html and older in html
    assert html.index(own) < html.index(older)  # the latest period first
    assert f'value="{setup.sent.pk}:' not in html  # sent: not editable now
    assert f'value="{setup.outside.pk}:' not in html  # outside the scope
    assert "Số lớp đã mở / Số lớp theo kế hoạch" in html


def test_a_form_without_a_pair_offers_its_numeric_indicators(client, setup):
    setup.forms.monthly.rows.filter(indicator__code="LOP_KH").delete()
    client.force_login(setup.commune_staff)
    html = client.post(reverse("narratives:read"), {"content": TEXT}).content.decode()
    assert f'value="{setup.own.pk}:LOP_TH:"' in html
    assert f'value="{setup.own.pk}:DIEM:"' in html
    assert f'value="{setup.own.pk}:GHI_CHU:"' not in html  # text, not a number


def test_recording_writes_through_report_save(client, setup):
    client.force_login(setup.commune_staff)
    entries = AuditEntry.objects.filter(verb="save").count()
    response = post_record(client, setup.own.pk, actual="1.234", planned="1.200")
    assert response.status_code == 302
    assert response["Location"] == reverse("figures:report", args=[setup.own.pk])
    values = dict(
        Value.objects.filter(unit=setup.commune, period="2026-11").values_list(
            "indicator__code", "number"
        )
    )
    assert values == {"LOP_TH": to_stored(1234), "LOP_KH": to_stored(1200)}
    assert AuditEntry.objects.filter(verb="save").count() == entries + 1
    setup.own.refresh_from_db()
    assert setup.own.state == ReportState.DRAFT and setup.own.version == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã ghi số liệu của văn bản vào báo cáo" in page


def test_a_report_outside_the_scope_answers_404(client, setup):
    client.force_login(setup.commune_staff)
    assert post_record(client, setup.outside.pk).status_code == 404
    client.force_login(setup.neighbour)
    assert post_record(client, setup.own.pk).status_code == 404
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    ("codes", "actual", "message"),
    [
        ("TL_LOP:", "52", "Chỉ tiêu TL_LOP không nhập tay được"),  # derived
        ("COUNTED:", "52", "không nhập tay được"),  # counted from records
        ("GHI_CHU:", "52", "Chỉ tiêu GHI_CHU không nhập tay được"),  # text
        ("LOP_TH:HV_CHITIEU", "52", "không phải kế hoạch của LOP_TH"),
        ("LOP_TH:LOP_KH", "năm mươi", "Không đọc được số liệu"),
        ("", "52", "Hãy chọn báo cáo và chỉ tiêu"),
    ],
)
def test_a_refused_choice_comes_back_as_a_message(client, setup, codes, actual, message):
    counted = Indicator.objects.exclude(source="").first()
    setup.forms.monthly.rows.create(indicator=counted, position=20)
    codes = codes.replace("COUNTED", counted.code)
    client.force_login(setup.commune_staff)
    response = post_record(client, setup.own.pk, actual=actual, codes=codes)
    if not codes:
        response = client.post(reverse("narratives:record"), {"choice": "", "actual": "52"})
    assert response.status_code == 302 and response["Location"] == reverse("narratives:read")
    assert message in client.get(reverse("narratives:read")).content.decode()
    assert not Value.objects.exists()


@pytest.mark.parametrize("choice", ["²:LOP_TH:", "1:2", "x:LOP_TH:", "9999999999999:LOP_TH:"])
def test_a_malformed_choice_is_no_500(client, setup, choice):
    client.force_login(setup.commune_staff)
    response = client.post(reverse("narratives:record"), {"choice": choice, "actual": "52"})
    assert response.status_code in {302, 404}


def test_a_locked_or_sent_report_is_refused(client, setup):
    client.force_login(setup.province_manager)
    response = post_record(client, setup.sent.pk)
    assert response["Location"] == reverse("narratives:read")
    assert "Báo cáo đã gửi" in client.get(reverse("narratives:read")).content.decode()
    assert not Value.objects.exists()


def test_staff_and_above_only(client, setup):
    url = reverse("narratives:record")
    client.force_login(setup.cell_viewer)
    assert post_record(client, setup.own.pk).status_code == 403
    client.force_login(setup.collaborator)
    assert post_record(client, setup.own.pk).status_code == 404
    client.force_login(setup.commune_staff)
    assert client.get(url).status_code == 405
    assert not Value.objects.exists()
