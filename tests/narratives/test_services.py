"""The services: the schedule (once per unit and period, committees only), versions, sending
(once, with a number, closing the obligation, telling the parent once), read-only after; the
indicators against plan found in the figures and drawn in the Word file."""

from datetime import date
from io import BytesIO

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.clock import on_day
from tests.figures.conftest import build_forms, enter
from tests.narratives.conftest import QUARTER, TODAY, report_of, work
from tuyengiao.deadlines.models import Obligation, ObligationKind
from tuyengiao.narratives import documents, services
from tuyengiao.narratives.drafting import draft, section_text
from tuyengiao.narratives.models import NarrativeReport, NarrativeVersion
from tuyengiao.notifications.models import Notification, NotificationKind
from tuyengiao.periods import Period

pytestmark = on_day("2026-10-20")


def test_the_schedule_owes_one_report_per_committee_and_period(schedule):
    world = schedule
    reports = NarrativeReport.objects.filter(period=QUARTER.id)
    units = set(reports.values_list("unit_id", flat=True))
    # the province and its two communes; the other province's too; no cell, no agency
    assert {world.province.pk, world.commune.pk, world.commune2.pk} <= units
    assert world.cell.pk not in units
    report = report_of(world.commune)
    assert report.obligation.kind == ObligationKind.NARRATIVE
    assert report.obligation.due_on == date(2026, 10, 5)
    assert report.obligation.display_title == "Báo cáo bằng văn bản Quý III/2026"
    before = Obligation.objects.count()
    assert services.narratives_schedule(TODAY) == 0
    assert Obligation.objects.count() == before


def test_versions_and_a_send_that_tells_the_parent_once(schedule):
    world = schedule
    work(world)
    report = report_of(world.commune)
    with pytest.raises(ValidationError):
        services.version_save(actor=world.commune_staff, report=report, edits=[])
    v1 = services.narrative_draft(actor=world.commune_staff, report=report, today=TODAY)
    v2 = services.version_save(
        actor=world.commune_staff,
        report=report,
        edits=[{"key": "p1-ii-data", "text": "Một số chi bộ còn chậm."}],
    )
    assert (v1.n, v2.n) == (1, 2)
    assert section_text(next(s for s in v2.sections if s["key"] == "p1-ii-data")) == (
        "Một số chi bộ còn chậm."
    )
    with pytest.raises(ValidationError):
        services.narrative_send(actor=world.commune_staff, report=report, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.narrative_send(actor=world.cell_viewer, report=report, number="1", today=TODAY)
    services.narrative_send(actor=world.commune_staff, report=report, number="9", today=TODAY)
    report.refresh_from_db()
    assert report.is_sent and report.obligation.done_on == TODAY  # late: due 05/10
    told = Notification.objects.filter(kind=NotificationKind.NARRATIVE_SENT)
    recipients = [n.recipient for n in told]
    assert world.province_manager in recipients and len(set(recipients)) == len(recipients)
    assert {r.unit_id for r in recipients} == {world.province.pk}
    with pytest.raises(ValidationError):
        services.narrative_send(actor=world.commune_staff, report=report, number="9")
    with pytest.raises(ValidationError):
        services.narrative_draft(actor=world.commune_staff, report=report)
    assert NarrativeVersion.objects.filter(report=report).count() == 2


def test_indicators_against_plan_are_counted_written_and_drawn(schedule):
    world = schedule
    forms = build_forms()
    for month, planned, done in (("2026-07", "10", "12"), ("2026-08", "20", "14")):
        enter(
            world.province_admin, forms.monthly, world.commune, month, LOP_KH=planned, LOP_TH=done
        )
    enter(world.province_admin, forms.monthly, world.commune2, "2026-09", LOP_KH="5", LOP_TH="5")
    sections = {s["key"]: s for s in draft(world.province_manager, world.province, QUARTER, TODAY)}
    figures = section_text(sections["p1-i-figures"])
    assert "Số lớp đã mở: 31/35 lớp, đạt 88,6% kế hoạch." in figures
    below = section_text(sections["p1-ii-data"])
    assert "Chỉ tiêu “Số lớp đã mở” chưa đạt kế hoạch: 31/35 lớp, đạt 88,6% kế hoạch." in below
    assert f"- {world.commune.name}: Số lớp đã mở." in below
    assert world.commune2.name not in below.split("Đơn vị chưa đạt")[1]
    report = report_of(world.province)
    version = services.narrative_draft(actor=world.province_manager, report=report, today=TODAY)
    document = docx.Document(BytesIO(documents.report_docx(report, version, today=TODAY)))
    pictures = document.inline_shapes
    assert len(pictures) == 1
    assert abs(pictures[0].width.cm - 16.5) < 0.05  # the text width
    table_texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "88,6%" in table_texts


def test_a_period_that_has_not_begun_is_refused(schedule):
    with pytest.raises(ValidationError):
        services.narrative_open(
            actor=schedule.commune_staff,
            unit=schedule.commune,
            period=Period.parse("2027Q2"),
            today=TODAY,
        )


def test_the_classes_against_plan_are_written_from_the_training_records(schedule):
    from tests.training.conftest import centre, klass, programme
    from tuyengiao.training import services as training

    world = schedule
    made = centre(None, world.commune)
    training.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=2,
        learners_planned=50,
    )
    one = klass(None, made, enrolled=52, opened_on=date(2026, 7, 6), today=TODAY)
    training.class_update(
        actor=None, klass=one, closed_on=date(2026, 9, 4), completed=51, today=TODAY
    )
    sections = {s["key"]: s for s in draft(world.province_manager, world.province, QUARTER, TODAY)}
    text = section_text(sections["p1-i-ly-luan-chinh-tri"])
    assert "Mở 1/2 lớp, đạt 50% kế hoạch" in text
    assert "52/50 học viên, đạt 104% kế hoạch" in text
    assert "51 học viên hoàn thành chương trình (98,1%)" in text
