"""Oversight over the test world (tests/conftest.py): the province inspects its communes.

The helpers drive the services as the pages do, by the province manager unless told, so that
each test starts from an inspection in the state it needs."""

from datetime import date

from django.core.files.base import ContentFile

from tests.uploads import PDF_BYTES, pdf
from tuyengiao.oversight import services
from tuyengiao.oversight.models import FindingKind, InspectionKind, WorkArea
from tuyengiao.oversight.services import FindingInput, MemberInput, RecommendationInput

_symbols = iter(range(1, 5_000))  # outreach numbers its own from 5000

# The oversight routes with an id, and which object of `marked` each takes (both walks).
OVERSIGHT_OBJECTS = {
    "plan": "plan",
    "plan_item_add": "plan",
    "plan_item_delete": "plan_item",
    "inspection": "inspection",
    "inspection_edit": "inspection",
    "inspection_announce": "inspection",
    "inspection_record": "inspection",
    "record_file": "inspection",
    "inspection_conclude": "inspection",
    "self_report": "inspected",
    "self_report_file": "inspected",
    "recommendation": "recommendation",
    "recommendation_report": "recommendation",
    "recommendation_accept": "recommendation",
    "recommendation_return": "recommendation",
    "evidence": "recommendation",
    "conference": "conference",
}


def area(code: str = "tuyen-truyen-mieng") -> WorkArea:
    """One of the fields of work the migration creates."""
    return WorkArea.objects.get(code=code)


def inspect(
    actor,
    units,
    *,
    unit=None,
    starts_on=date(2026, 11, 2),
    ends_on=date(2026, 11, 13),
    kind=InspectionKind.INSPECTION,
    decision=True,
    **kw,
):
    """A new inspection of `units` by the actor's unit (preparing), with a decision."""
    if decision:
        kw.setdefault("decision_symbol", f"{next(_symbols)}-QĐ/BTGDVTU")
        kw.setdefault("decision_issued_on", starts_on)
    return services.inspection_create(
        actor=actor,
        unit=unit or actor.unit,
        kind=kind,
        title=kw.pop("title", "Kiểm tra công tác tuyên giáo năm 2026"),
        content=kw.pop("content", "Việc học tập, quán triệt nghị quyết; tuyên truyền miệng."),
        starts_on=starts_on,
        ends_on=ends_on,
        units=units,
        members=kw.pop(
            "members",
            [
                MemberInput("Nguyễn Văn An", "Phó Trưởng Ban", "head"),
                MemberInput("Lê Thị Bình", "Chuyên viên", "secretary"),
            ],
        ),
        **kw,
    )


def announced(actor, units, *, due=None, **kw):
    inspection = inspect(actor, units, **kw)
    return services.inspection_announce(
        actor=actor,
        inspection=inspection,
        self_report_due_on=due or inspection.starts_on,
        today=min(inspection.starts_on, date(2026, 11, 2)),
    )


def conducted(actor, units, **kw):
    inspection = announced(actor, units, **kw)
    return services.inspection_record(
        actor=actor,
        inspection=inspection,
        conducted_on=inspection.starts_on,
        record_text="Đoàn làm việc với Ban Thường vụ Đảng ủy xã.",
        today=inspection.ends_on,
    )


def concluded(actor, units, *, issued_on=None, findings=(), recommendations=(), today=None, **kw):
    """An inspection brought to its conclusion, with `findings` as (unit, area code or None,
    kind) and `recommendations` as (unit, text, due_on)."""
    inspection = conducted(actor, units, **kw)
    issued_on = issued_on or inspection.ends_on
    conclusion = services.conclusion_record(
        actor=actor,
        inspection=inspection,
        notice_symbol=f"{next(_symbols)}-TB/BTGDVTU",
        issued_on=issued_on,
        results="Cơ bản hoàn thành nhiệm vụ.",
        findings=[
            FindingInput(
                unit=u,
                kind=k,
                text=f"{'Hạn chế' if k == FindingKind.SHORTCOMING else 'Kết quả'} về {code}",
                area=area(code) if code else None,
            )
            for u, code, k in findings
        ],
        recommendations=[
            RecommendationInput(unit=u, text=t, due_on=d) for u, t, d in recommendations
        ],
        today=today or max(issued_on, date(2026, 11, 20)),
    )
    return conclusion


def evidence():
    return pdf("bien-ban-khac-phuc.pdf")


def marked(office, visited, text: str, data: bytes = PDF_BYTES) -> dict:
    """For the walks: an inspection by `office` of `visited`, concluded with a shortcoming and a
    recommendation, a plan of `office` naming the visit and a conference with a task, every
    text carrying `text` (a zone's marker), every file (record, self-report, evidence) holding
    `data`; made by the system (no actor)."""
    plan = services.plan_create(actor=None, unit=office, year=2026, title=f"{text} PLAN")
    item = services.plan_item_add(
        actor=None,
        plan=plan,
        kind=InspectionKind.INSPECTION,
        units=[visited],
        content=f"{text} PLANITEM",
        planned_month=11,
    )
    conclusion = concluded(
        None,
        [visited],
        unit=office,
        plan_item=item,
        title=f"{text} INSPECTION",
        content=f"{text} INSPECTIONCONTENT",
        members=[MemberInput(f"{text} MEMBER", "Chuyên viên", "head")],
        findings=[(visited, "dan-van", FindingKind.SHORTCOMING)],
        recommendations=[(visited, f"{text} RECOMMENDATION", date(2026, 12, 15))],
    )
    conference = services.conference_create(
        actor=None,
        unit=office,
        kind="speakers",
        held_on=date(2026, 11, 18),
        title=f"{text} CONFERENCE",
        participants=120,
        conclusions=f"{text} CONFERENCECONCLUSIONS",
        tasks=[RecommendationInput(visited, f"{text} TASK", date(2026, 12, 15))],
    )
    inspection = conclusion.inspection
    inspection.record_file.save("bien-ban.pdf", ContentFile(data))
    inspected = inspection.inspected.get()
    inspected.self_report.save("tu-kiem-tra.pdf", ContentFile(data))
    recommendation = conclusion.recommendations.get()
    recommendation.report_text = f"{text} REPORTTEXT"
    recommendation.evidence.save("minh-chung.pdf", ContentFile(data))
    return {
        "plan": plan,
        "plan_item": item,
        "inspection": inspection,
        "inspected": inspected,
        "recommendation": recommendation,
        "conference": conference,
    }


def shortcomings_of(world, day, *areas, unit=None):
    """A conclusion of the province naming `areas` shortcomings of `unit` (the commune) in
    the month of `day`."""
    unit = unit or world.commune
    start = day.replace(day=1)
    return concluded(
        world.province_manager,
        [unit],
        starts_on=start,
        ends_on=start.replace(day=5),
        issued_on=start.replace(day=10),
        findings=[(unit, code, FindingKind.SHORTCOMING) for code in areas],
    )
