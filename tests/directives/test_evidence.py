"""A recorded step's evidence: the unit itself edits it; the units above read it (as text, with
the report file's link), not the unit's edit form."""

from datetime import date

import pytest

from tests.clock import on_day
from tests.factories import send
from tests.uploads import pdf
from tuyengiao.directives.models import Step, StepKind
from tuyengiao.directives.services import StepPlan, directive_register, step_record

FORM = '<form method="post" enctype="multipart/form-data"'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def steps(world):
    directive = directive_register(
        actor=None, unit=world.province, symbol="05-CT/TW", issued_on=date(2016, 5, 15), title="x"
    )
    send(
        directive,
        world.province,
        [world.commune],
        [
            StepPlan(StepKind.PLAN, days_after=30),
            StepPlan(StepKind.STUDY, days_after=30),
            StepPlan(StepKind.REPORT, days_after=60),
        ],
        date(2026, 3, 2),
    )
    by_kind = {s.kind: s for s in Step.objects.filter(unit=world.commune)}
    done = date(2026, 3, 20)
    step_record(
        actor=world.commune_staff,
        step=by_kind[StepKind.PLAN],
        done_on=done,
        own_symbol="12-KH/ĐU",
        own_issued_on=date(2026, 3, 18),
    )
    step_record(
        actor=world.commune_staff,
        step=by_kind[StepKind.STUDY],
        done_on=done,
        attendees_cadres=3,
        attendees_members=40,
        expected=45,
    )
    step_record(
        actor=world.commune_staff,
        step=by_kind[StepKind.REPORT],
        done_on=done,
        report_text="Đã tổ chức học tập cho toàn bộ đảng viên.",
        report_file=pdf("bao-cao.pdf"),
    )
    return by_kind


def page(client, step, query="") -> str:
    response = client.get(f"/directives/steps/{step.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


@on_day("2026-05-01")
def test_the_province_reads_the_communes_evidence_without_its_form(client, world, steps):
    client.force_login(world.province_manager)
    plan = page(client, steps[StepKind.PLAN])
    assert FORM not in plan
    assert "12-KH/ĐU" in plan and "18/03/2026" in plan and "20/03/2026" in plan
    study = page(client, steps[StepKind.STUDY])
    assert FORM not in study
    assert '<dd class="num">40</dd>' in study and "95,56%" in study
    report = page(client, steps[StepKind.REPORT])
    assert FORM not in report
    assert "Đã tổ chức học tập cho toàn bộ đảng viên." in report
    assert f"/directives/steps/{steps[StepKind.REPORT].pk}/file/" in report
    # the matrix page's link to the commune's steps says "Xem", not "Sửa"
    detail = client.get(
        f"/directives/{steps[StepKind.PLAN].directive_id}/?unit={world.commune.pk}"
    ).content.decode()
    assert ">Xem</a>" in detail and ">Sửa</a>" not in detail


@on_day("2026-05-01")
def test_the_province_may_still_record_on_the_units_behalf_from_a_separate_link(
    client, world, steps
):
    client.force_login(world.province_manager)
    step = steps[StepKind.STUDY]
    assert "?edit=1" in page(client, step)
    form = page(client, step, "?edit=1")
    assert FORM in form and "Bạn đang ghi nhận thay cho Xã Hoà An." in form


@on_day("2026-05-01")
def test_the_commune_still_edits_its_own_evidence(client, world, steps):
    client.force_login(world.commune_staff)
    html = page(client, steps[StepKind.STUDY])
    assert FORM in html and 'value="45"' in html and "thay cho" not in html
    response = client.post(
        f"/directives/steps/{steps[StepKind.STUDY].pk}/",
        {
            "done_on": "21/3/2026",
            "attendees_cadres": "5",
            "attendees_members": "40",
            "expected": "45",
        },
    )
    assert response.status_code == 302
    steps[StepKind.STUDY].refresh_from_db()
    assert steps[StepKind.STUDY].attendees == 45


@on_day("2026-05-01")
def test_a_viewer_reads_and_may_not_write(client, world, steps):
    client.force_login(world.cell_viewer)
    send(
        steps[StepKind.PLAN].directive,
        world.commune,
        [world.cell],
        [StepPlan(StepKind.PLAN, days_after=10)],
        date(2026, 3, 3),
    )
    own = Step.objects.get(unit=world.cell)
    html = page(client, own)
    assert FORM not in html and "Chưa ghi nhận" in html and "?edit=1" not in html
    response = client.post(f"/directives/steps/{own.pk}/", {"done_on": "20/3/2026"})
    assert response.status_code == 403
