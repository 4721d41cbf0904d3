"""Demo oversight for the demo province: a year and more of inspections of its communes by the
province (and of cells by a few communes), annual plans with their progress, conclusions with
shortcomings by field of work — some named again for the same commune, hence recurring —
recommendations in every state, and conferences with their tasks.

Everything goes through `oversight.services` (so obligations, audit and notices are real), each
step with the day it happened as its `today`; the days are counted back from `today`, so the
same stories happen on whatever day the demo is loaded, and nothing is dated after it (the
timestamps the services stamp are moved back to their day, never after `now`).

What each recommendation becomes is written in the stories below, not drawn: every state of a
deadline and of the follow-up is there — open and pending, open and overdue, reported and
waiting, accepted on time, accepted late, returned (and so still open, often late).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tuyengiao.directives.models import Directive
from tuyengiao.org.models import Kind, Level, Unit
from tuyengiao.oversight import services
from tuyengiao.oversight.models import (
    Conclusion,
    Conference,
    ConferenceKind,
    FindingKind,
    Inspection,
    InspectionKind,
    InspectionPlan,
    Recommendation,
    WorkArea,
)
from tuyengiao.oversight.services import FindingInput, MemberInput, RecommendationInput

from .org import DEMO_COMMUNE

# What a unit owes after a shortcoming in a field of work, and how the shortcoming reads.
AREAS = {
    "tuyen-truyen-mieng": (
        "Đội ngũ báo cáo viên cơ sở còn thiếu, chưa được cung cấp thông tin định kỳ; sinh hoạt "
        "thông tin thời sự ở một số chi bộ chưa đều.",
        "Kiện toàn đội ngũ báo cáo viên, tuyên truyền viên cơ sở; duy trì sinh hoạt thông tin "
        "thời sự hằng tháng ở các chi bộ.",
    ),
    "du-luan-xa-hoi": (
        "Việc nắm, tổng hợp dư luận xã hội chưa thường xuyên; báo cáo tình hình dư luận còn "
        "chậm so với quy định.",
        "Phân công cộng tác viên dư luận xã hội ở từng thôn, tổ dân phố; gửi báo cáo tình hình "
        "dư luận xã hội đúng kỳ.",
    ),
    "hoc-tap-quan-triet": (
        "Tỷ lệ đảng viên dự học tập, quán triệt nghị quyết ở một số chi bộ chưa đạt yêu cầu; "
        "chương trình hành động ban hành chậm.",
        "Tổ chức học tập bổ sung cho đảng viên vắng; ban hành chương trình hành động thực hiện "
        "nghị quyết.",
    ),
    "dan-van": (
        "Công tác dân vận chính quyền chưa được chú trọng; việc đối thoại với nhân dân chưa "
        "định kỳ.",
        "Xây dựng kế hoạch đối thoại định kỳ giữa người đứng đầu cấp ủy, chính quyền với nhân dân.",
    ),
    "ly-luan-chinh-tri": (
        "Việc cử cán bộ đi bồi dưỡng lý luận chính trị chưa đúng kế hoạch.",
        "Rà soát, cử cán bộ học lớp bồi dưỡng lý luận chính trị theo kế hoạch năm.",
    ),
    "thong-tin-bao-cao": (
        "Chế độ thông tin, báo cáo chưa nghiêm; nhiều báo cáo định kỳ gửi chậm.",
        "Chấn chỉnh chế độ thông tin, báo cáo; phân công cán bộ theo dõi, đôn đốc.",
    ),
    "van-hoa-van-nghe": (
        "Hoạt động văn hoá, văn nghệ phục vụ nhiệm vụ chính trị ở thôn còn ít.",
        "Tổ chức ít nhất một buổi sinh hoạt văn hoá, văn nghệ mỗi quý ở nhà văn hoá thôn.",
    ),
}
RESULTS = [
    "Cấp ủy quan tâm lãnh đạo công tác tuyên giáo; tổ chức học tập, quán triệt nghị quyết "
    "cho cán bộ, đảng viên kịp thời.",
    "Công tác tuyên truyền các ngày lễ lớn, sự kiện chính trị của địa phương được thực hiện "
    "bằng nhiều hình thức, có hiệu quả.",
    "Nắm bắt tư tưởng cán bộ, đảng viên và nhân dân; giải quyết kịp thời các vấn đề phát "
    "sinh ở cơ sở.",
]
DELEGATION = [
    MemberInput("Nguyễn Thị Hoà", "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", "head"),
    MemberInput("Hoàng Minh Tuấn", "Trưởng phòng Tuyên truyền", "deputy"),
    MemberInput("Trần Văn Bình", "Chuyên viên", "secretary"),
]
COMMUNE_DELEGATION = [
    MemberInput("Lục Thị Mai", "Trưởng Ban Xây dựng Đảng", "head"),
    MemberInput("Hoàng Văn Nam", "Chuyên viên Ban Xây dựng Đảng", "secretary"),
]
REPORTED = "Đã thực hiện: {text} (kèm kế hoạch, biên bản và danh sách tham gia)."
RETURN_REASON = (
    "Chưa có tài liệu chứng minh việc thực hiện ở các chi bộ; đề nghị bổ sung biên bản, danh "
    "sách tham gia."
)
PDF = b"%PDF-1.4\n% demo\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# What becomes of a recommendation (or a task): the unit's report and the office's decision.
ON_TIME, LATE, RETURNED, REPORTED, OPEN = "on_time", "late", "returned", "reported", "open"


@dataclass
class Visit:
    """One inspection of the province (or of a commune), counted in days from `today`."""

    start: int  # days from today (negative: in the past)
    days: int
    communes: list[int]  # indexes into the communes picked (0: the demo commune)
    kind: str = InspectionKind.INSPECTION
    planned: bool = True
    stage: str = "concluded"  # concluded, conducted, overdue, announced, preparing
    late_self_report: bool = False
    shortcomings: list[str] = field(default_factory=list)  # field-of-work codes
    outcomes: list[str] = field(default_factory=list)  # of its recommendations, in order


VISITS = [
    Visit(-400, 12, [1], shortcomings=["tuyen-truyen-mieng", "du-luan-xa-hoi"],
          outcomes=[ON_TIME, LATE, ON_TIME]),
    Visit(-370, 10, [2], InspectionKind.SUPERVISION, late_self_report=True,
          shortcomings=["hoc-tap-quan-triet"], outcomes=[ON_TIME, RETURNED]),
    Visit(-340, 8, [0], shortcomings=["tuyen-truyen-mieng", "dan-van"], outcomes=[LATE, ON_TIME]),
    Visit(-300, 5, [3, 4], InspectionKind.SURVEY, planned=False,
          shortcomings=["thong-tin-bao-cao"], outcomes=[ON_TIME, OPEN]),
    Visit(-250, 10, [5], late_self_report=True, shortcomings=["ly-luan-chinh-tri"],
          outcomes=[ON_TIME, LATE]),
    Visit(-200, 7, [6], InspectionKind.WORKING_SESSION, shortcomings=["van-hoa-van-nghe"],
          outcomes=[ON_TIME]),
    Visit(-160, 10, [1], shortcomings=["tuyen-truyen-mieng"], outcomes=[LATE, OPEN]),
    Visit(-120, 12, [2], InspectionKind.SUPERVISION, shortcomings=["hoc-tap-quan-triet"],
          outcomes=[ON_TIME, REPORTED]),
    Visit(-90, 10, [0], shortcomings=["tuyen-truyen-mieng", "du-luan-xa-hoi"],
          outcomes=[RETURNED, ON_TIME, OPEN]),
    Visit(-60, 6, [7], InspectionKind.WORKING_SESSION, planned=False,
          shortcomings=["dan-van"], outcomes=[REPORTED, OPEN]),
    Visit(-45, 10, [8], shortcomings=["du-luan-xa-hoi", "thong-tin-bao-cao"],
          outcomes=[OPEN, ON_TIME, OPEN]),
    Visit(-20, 26, [9], stage="conducted", late_self_report=True),
    Visit(-5, 21, [10], InspectionKind.SUPERVISION, stage="overdue"),
    Visit(3, 15, [11], stage="announced"),
    Visit(20, 10, [12], stage="preparing"),
]  # fmt: skip

# The demo commune's own inspections of its cells (days from today; outcomes).
COMMUNE_VISITS = [
    Visit(-70, 8, [0], shortcomings=["hoc-tap-quan-triet"], outcomes=[LATE, REPORTED]),
    Visit(-12, 15, [1], InspectionKind.SUPERVISION, stage="conducted"),
]


@dataclass
class Meeting:
    """A conference, counted in days from `today`, and its tasks' outcomes."""

    held: int
    kind: str
    title: str
    participants: int
    connected_points: int = 0
    tasks: list[str] = field(default_factory=list)  # outcomes, one task to a commune each
    conclusions: str = ""


MEETINGS = [
    Meeting(-340, ConferenceKind.FINAL_REVIEW, "Hội nghị tổng kết công tác tuyên giáo và dân vận",
            320, tasks=[ON_TIME, LATE],
            conclusions="Đánh giá kết quả năm; giao các xã hoàn thiện đội ngũ báo cáo viên và "
            "cộng tác viên dư luận xã hội trong quý I."),
    Meeting(-160, ConferenceKind.INTERIM_REVIEW, "Hội nghị sơ kết 6 tháng công tác tuyên giáo",
            250, tasks=[ON_TIME],
            conclusions="Các xã tập trung tuyên truyền kỷ niệm các ngày lễ lớn, báo cáo kết quả "
            "đúng hạn."),
    Meeting(-120, ConferenceKind.SPEAKERS, "Hội nghị báo cáo viên tháng", 640, 93),
    Meeting(-80, ConferenceKind.COLLABORATORS, "Hội nghị cộng tác viên dư luận xã hội", 180,
            conclusions="Nâng cao chất lượng phản ánh; gửi phản ánh qua hệ thống trong ngày."),
    Meeting(-60, ConferenceKind.SPEAKERS, "Hội nghị báo cáo viên tháng", 710, 93),
    Meeting(-25, ConferenceKind.SPEAKERS, "Hội nghị báo cáo viên tháng", 690, 93,
            tasks=[OPEN, REPORTED, RETURNED],
            conclusions="Các xã tổ chức thông tin thời sự cho đảng viên ở chi bộ trong tháng."),
]  # fmt: skip

TITLES = {
    InspectionKind.INSPECTION: "Kiểm tra công tác tuyên giáo, dân vận",
    InspectionKind.SUPERVISION: "Giám sát việc thực hiện Quy chế dân chủ ở cơ sở",
    InspectionKind.SURVEY: "Khảo sát tình hình tư tưởng, dư luận xã hội",
    InspectionKind.WORKING_SESSION: "Làm việc về công tác tuyên giáo, dân vận",
}

TASKS = [
    "Kiện toàn đội ngũ báo cáo viên cấp xã, gửi danh sách về Ban Tuyên giáo và Dân vận",
    "Tổ chức thông tin thời sự cho đảng viên ở các chi bộ",
    "Báo cáo kết quả tuyên truyền các ngày lễ lớn",
]


def _at(day: date, now: datetime, hour: int = 9) -> datetime:
    """`day` at `hour`, never after `now`."""
    return min(timezone.make_aware(datetime.combine(day, time(hour, 0))), now)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class Story:
    """What the demo writes, and the days and symbols it counts."""

    def __init__(self, province: Unit, today: date, now: datetime):
        self.province, self.today, self.now = province, today, now
        self.numbers = iter(range(101, 10_000))
        self.plans: dict[tuple[int, int], InspectionPlan] = {}
        self.areas = {a.code: a for a in WorkArea.objects.all()}

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def plan(self, unit: Unit, year: int) -> InspectionPlan:
        if (unit.pk, year) not in self.plans:
            plan = services.plan_create(actor=None, unit=unit, year=year)
            InspectionPlan.objects.filter(pk=plan.pk).update(
                created_at=_at(min(date(year, 1, 5), self.today), self.now)
            )
            self.plans[unit.pk, year] = plan
        return self.plans[unit.pk, year]

    def symbol(self, unit: Unit, doc_type: str) -> str:
        issuer = "BTGDVTU" if unit.level == Level.PROVINCE else "ĐU"
        return f"{next(self.numbers)}-{doc_type}/{issuer}"

    # One inspection -------------------------------------------------------------------------

    def inspect(self, office: Unit, visit: Visit, visited: list[Unit], title: str) -> None:
        start = self.day(visit.start)
        end = start + timedelta(days=visit.days - 1)
        content = (
            "Việc lãnh đạo, chỉ đạo công tác tuyên giáo, dân vận; học tập, quán triệt nghị "
            "quyết; công tác nắm và định hướng dư luận xã hội."
        )
        item = None
        if visit.planned:
            item = services.plan_item_add(
                actor=None,
                plan=self.plan(office, start.year),
                kind=visit.kind,
                units=visited,
                content=content,
                planned_month=start.month,
            )
        decided = visit.kind in (InspectionKind.INSPECTION, InspectionKind.SUPERVISION)
        inspection = services.inspection_create(
            actor=None,
            unit=office,
            kind=visit.kind,
            title=title,
            content=content,
            starts_on=start,
            ends_on=end,
            units=visited,
            members=DELEGATION if office.level == Level.PROVINCE else COMMUNE_DELEGATION,
            plan_item=item,
            period_from=date(start.year - 2, 1, 1) if decided else None,
            period_to=date(start.year - 1, 12, 31) if decided else None,
            decision_symbol=self.symbol(office, "QĐ") if decided else "",
            decision_issued_on=start - timedelta(days=12) if decided else None,
        )
        Inspection.objects.filter(pk=inspection.pk).update(
            created_at=_at(min(start - timedelta(days=12), self.today), self.now)
        )
        if visit.stage == "preparing":
            return
        # announced ten days before the start (five before a short one that starts soon)
        announced_on = min(start - timedelta(days=10), self.today - timedelta(days=2))
        due = start - timedelta(days=3) if visit.stage != "announced" else self.day(1)
        if visit.stage == "overdue":
            due = self.day(-1)
        services.inspection_announce(
            actor=None, inspection=inspection, self_report_due_on=due, today=announced_on
        )
        if visit.stage in ("announced", "overdue"):
            return
        submitted = due + timedelta(days=2) if visit.late_self_report else due - timedelta(days=1)
        for row in inspection.inspected.select_related("unit"):
            services.self_report_submit(
                actor=None, inspected=row, file=_pdf("bao-cao-tu-kiem-tra.pdf"), today=submitted
            )
        conducted_on = start + timedelta(days=2)
        services.inspection_record(
            actor=None,
            inspection=inspection,
            conducted_on=conducted_on,
            record_text="Đoàn làm việc với Ban Thường vụ Đảng ủy; nghe báo cáo tự kiểm tra, "
            "trao đổi, làm rõ các nội dung.",
            today=conducted_on,
        )
        if visit.stage == "conducted":
            return
        issued_on = end + timedelta(days=5)
        findings, recommendations = [], []
        for number, unit in enumerate(visited):
            findings.append(FindingInput(unit, FindingKind.RESULT, RESULTS[number % 3]))
            for code in visit.shortcomings:
                text, owed = AREAS[code]
                findings.append(FindingInput(unit, FindingKind.SHORTCOMING, text, self.areas[code]))
                recommendations.append((unit, owed, self.areas[code]))
        # as many recommendations as outcomes: the first per field of work, then follow-ups
        while len(recommendations) < len(visit.outcomes):
            unit = visited[len(recommendations) % len(visited)]
            recommendations.append((unit, "Báo cáo kết quả khắc phục hạn chế, khuyết điểm.", None))
        recommendations = recommendations[: len(visit.outcomes)]
        conclusion = services.conclusion_record(
            actor=None,
            inspection=inspection,
            notice_symbol=self.symbol(office, "TB"),
            issued_on=issued_on,
            results="Cơ bản hoàn thành nhiệm vụ; còn một số hạn chế cần khắc phục.",
            findings=findings,
            recommendations=[
                RecommendationInput(unit, text, issued_on + timedelta(days=45 + 15 * i), area)
                for i, (unit, text, area) in enumerate(recommendations)
            ],
            today=issued_on,
        )
        Conclusion.objects.filter(pk=conclusion.pk).update(created_at=_at(issued_on, self.now))
        rows = conclusion.recommendations.order_by("number")
        for rec, outcome in zip(rows, visit.outcomes, strict=True):
            self.follow(rec, outcome, issued_on)

    # What becomes of a recommendation ----------------------------------------------------------

    def follow(self, rec: Recommendation, outcome: str, issued_on: date) -> None:
        Recommendation.objects.filter(pk=rec.pk).update(created_at=_at(issued_on, self.now, 10))
        if outcome == OPEN:
            return
        if outcome == ON_TIME:
            reported = rec.due_on - timedelta(days=7)
        elif outcome == LATE:
            reported = rec.due_on + timedelta(days=12)
        elif outcome == RETURNED:
            reported = rec.due_on - timedelta(days=3)
        else:  # reported, waiting for the office
            reported = self.today - timedelta(days=2)
        reported = max(issued_on + timedelta(days=1), min(reported, self.today))
        services.recommendation_report(
            actor=None,
            recommendation=rec,
            report_text=REPORTED.format(text=rec.text[:1].lower() + rec.text[1:].rstrip(".")),
            evidence=_pdf("tai-lieu-chung-minh.pdf"),
            today=reported,
        )
        if outcome == REPORTED:
            return
        decided_on = min(reported + timedelta(days=4), self.today)
        if outcome == RETURNED:
            services.recommendation_return(actor=None, recommendation=rec, reason=RETURN_REASON)
        else:
            services.recommendation_accept(actor=None, recommendation=rec)
        Recommendation.objects.filter(pk=rec.pk).update(decided_at=_at(decided_on, self.now, 15))

    # Conferences ---------------------------------------------------------------------------

    def meet(self, unit: Unit, meeting: Meeting, targets: list[Unit], documents) -> None:
        held = self.day(meeting.held)
        conference = services.conference_create(
            actor=None,
            unit=unit,
            kind=meeting.kind,
            held_on=held,
            title=f"{meeting.title} {held.month}/{held.year}"
            if meeting.kind == ConferenceKind.SPEAKERS
            else f"{meeting.title} năm {held.year}",
            participants=meeting.participants,
            connected_points=meeting.connected_points,
            documents=documents,
            conclusions=meeting.conclusions,
            today=held,
        )
        Conference.objects.filter(pk=conference.pk).update(created_at=_at(held, self.now, 16))
        if not meeting.tasks:
            return
        tasks = services.conference_assign(
            actor=None,
            conference=conference,
            tasks=[
                RecommendationInput(targets[i], TASKS[i % len(TASKS)], held + timedelta(days=40))
                for i in range(len(meeting.tasks))
            ],
            today=held,
        )
        for task, outcome in zip(tasks, meeting.tasks, strict=True):
            self.follow(task, outcome, held)


@transaction.atomic
def build_oversight(province: Unit, today: date, now: datetime | None = None) -> None:
    """The province's (and the demo commune's) oversight, as of `today`; nothing if present."""
    now = now or timezone.now()
    if InspectionPlan.objects.filter(unit=province).exists():
        return
    story = Story(province, today, now)
    communes = list(
        Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=Kind.COMMITTEE)
        .active()
        .order_by("code")
    )
    demo = next((c for c in communes if c.code == DEMO_COMMUNE), communes[0])
    others = [c for c in communes if c.pk != demo.pk]
    # spread over the province: every seventh commune, the demo commune first
    picked = [demo, *others[::7]][:13]
    services.settings_set(actor=None, unit=province, recurrence_years=3)
    story.plan(province, today.year)
    for visit in VISITS:
        visited = [picked[i % len(picked)] for i in visit.communes]
        title = f"{TITLES[visit.kind]} tại {', '.join(u.name for u in visited)}"
        story.inspect(province, visit, visited, title)
    # items of this year's plan not carried out yet: one behind, two ahead
    plan = story.plan(province, today.year)
    for month, commune in (
        (max(1, today.month - 1), others[3]),
        (min(12, today.month + 2), others[10]),
        (12, others[20]),
    ):
        services.plan_item_add(
            actor=None,
            plan=plan,
            kind=InspectionKind.SUPERVISION,
            units=[commune],
            content="Giám sát việc thực hiện quy chế dân chủ ở cơ sở.",
            planned_month=month,
        )
    # the demo commune inspects its cells
    cells = list(Unit.objects.filter(parent=demo, kind=Kind.CELL).active().order_by("path"))
    for visit in COMMUNE_VISITS:
        visited = [cells[i] for i in visit.communes]
        title = f"{InspectionKind(visit.kind).label} việc sinh hoạt chi bộ tại {visited[0].name}"
        story.inspect(demo, visit, visited, title)
    services.plan_item_add(
        actor=None,
        plan=story.plan(demo, today.year),
        kind=InspectionKind.INSPECTION,
        units=cells[2:4],
        content="Kiểm tra việc học tập, quán triệt nghị quyết ở chi bộ.",
        planned_month=12,
    )
    documents = list(Directive.objects.filter(unit=province).order_by("issued_on")[:2])
    for meeting in MEETINGS:
        story.meet(province, meeting, picked[:3], documents)
    story.meet(
        demo,
        Meeting(-150, ConferenceKind.INTERIM_REVIEW, "Hội nghị sơ kết công tác xây dựng Đảng",
                95, tasks=[OPEN], conclusions="Các chi bộ tổ chức sinh hoạt chuyên đề."),
        cells,
        [],
    )  # fmt: skip
