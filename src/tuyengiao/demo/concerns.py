"""Demo public concerns for the demo province: ten weeks of reports from collaborators in a
dozen communes, grouped into concerns at every stage, and a few new ones waiting for triage.

Everything goes through the services (so the audit, obligations and tell-back are real); the
dates are moved back afterwards, deterministically from `today`.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from tuyengiao.concerns import services
from tuyengiao.concerns.bodies import bodies_add_defaults, forward_bodies
from tuyengiao.concerns.models import (
    Concern,
    ConcernEvent,
    ConcernReport,
    Mood,
    Source,
    Spread,
    State,
    Topic,
    Urgency,
)
from tuyengiao.deadlines.services import obligation_complete, obligation_reschedule
from tuyengiao.org.models import Level, Role, Unit, User


@dataclass
class Story:
    topic: str
    title: str
    says: list[str]  # what people say, one per report
    outcome: str  # the state the concern reaches
    weeks_ago: int  # when it was first heard
    urgency: int = Urgency.NORMAL
    mood: str = Mood.WORRIED
    answer: str = ""
    resolution: str = ""


STORIES = [
    Story(
        "dat-dai",
        "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án đường tránh",
        [
            "Nhiều hộ đã bàn giao mặt bằng từ đầu năm nhưng chưa nhận đủ tiền bồi thường.",
            "Bà con hỏi nhau khi nào được chi trả phần bồi thường tài sản trên đất.",
            "Người dân bức xúc vì tiền bồi thường giải phóng mặt bằng chi trả chậm.",
            "Có ý kiến cho rằng đơn giá bồi thường đất nông nghiệp thấp hơn giá thị trường.",
        ],
        State.ANSWERED,
        7,
        mood=Mood.DISCONTENT,
        answer="UBND xã đã rà soát hồ sơ; 38/45 hộ được chi trả trước 15/12, 7 hộ còn lại đang "
        "xác minh nguồn gốc đất.",
    ),
    Story(
        "moi-truong",
        "Khói bụi từ các lò gạch thủ công gây ô nhiễm",
        [
            "Khói bụi từ lò gạch thủ công bay vào khu dân cư vào buổi tối.",
            "Người dân lo ngại ô nhiễm khói bụi lò gạch ảnh hưởng sức khoẻ trẻ nhỏ.",
            "Lò gạch vẫn đốt dù đã có chủ trương xoá bỏ lò thủ công.",
        ],
        State.RESOLVED,
        9,
        mood=Mood.DISCONTENT,
        answer="Đoàn kiểm tra liên ngành đã lập biên bản, yêu cầu dừng đốt lò.",
        resolution="Hai lò gạch thủ công đã ngừng hoạt động từ ngày 20 tháng trước; xã tiếp tục "
        "giám sát.",
    ),
    Story(
        "gia-ca-doi-song",
        "Giá phân bón, thức ăn chăn nuôi tăng cao",
        [
            "Giá phân bón tăng gần 20% so với vụ trước, bà con lo chi phí sản xuất.",
            "Thức ăn chăn nuôi tăng giá, nhiều hộ giảm đàn lợn.",
            "Người dân mong có hỗ trợ giống, phân bón cho vụ đông.",
            "Giá phân bón cao trong khi giá nông sản thấp.",
            "Nhiều hộ nuôi gà băn khoăn vì giá cám tăng liên tục.",
        ],
        State.ACKNOWLEDGED,
        0,
    ),
    Story(
        "y-te",
        "Trạm y tế xã thiếu thuốc bảo hiểm y tế",
        [
            "Người cao tuổi đi khám bảo hiểm y tế phải tự mua thêm thuốc ngoài.",
            "Trạm y tế thiếu một số thuốc huyết áp, tiểu đường cấp theo bảo hiểm.",
        ],
        State.FORWARDED,
        2,
    ),
    Story(
        "giao-duc",
        "Phụ huynh băn khoăn các khoản thu đầu năm học",
        [
            "Phụ huynh hỏi về các khoản thu ngoài học phí đầu năm học.",
            "Có ý kiến về việc thu quỹ lớp, quỹ hội cha mẹ học sinh cao.",
        ],
        State.RESOLVED,
        10,
        answer="Phòng Văn hoá - Xã hội đã hướng dẫn các trường công khai các khoản thu.",
        resolution="Các trường đã công khai và điều chỉnh khoản thu theo hướng dẫn.",
    ),
    Story(
        "thien-tai",
        "Sạt lở taluy dương đe doạ nhà dân sau mưa lớn",
        [
            "Sau mưa lớn, taluy sau nhà dân xóm Nà Pài có vết nứt dài, bà con rất lo.",
            "Đất đá sạt xuống đường liên xã, đi lại nguy hiểm.",
        ],
        State.FORWARDED,
        1,
        urgency=Urgency.URGENT,
    ),
    Story(
        "dich-vu-cong",
        "Thủ tục cấp giấy chứng nhận quyền sử dụng đất sau sáp nhập xã còn chậm",
        [
            "Người dân phải đi lại nhiều lần để làm thủ tục đất đai sau khi sáp nhập xã.",
            "Hồ sơ đất đai nộp từ tháng trước chưa có kết quả.",
            "Bà con chưa quen nộp hồ sơ trực tuyến trên cổng dịch vụ công.",
        ],
        State.ANSWERED,
        4,
        answer="Trung tâm phục vụ hành chính công xã đã bố trí thêm cán bộ hướng dẫn nộp hồ sơ "
        "trực tuyến vào thứ Bảy.",
    ),
    Story(
        "to-chuc-bo-may",
        "Băn khoăn về bố trí cán bộ không chuyên trách sau sắp xếp",
        [
            "Cán bộ không chuyên trách ở thôn băn khoăn về chế độ sau sắp xếp.",
            "Có ý kiến lo ngại việc giải quyết chế độ nghỉ việc còn chậm.",
        ],
        State.NO_ACTION,
        6,
    ),
    Story(
        "an-ninh-trat-tu",
        "Thanh thiếu niên tụ tập đua xe trên quốc lộ vào ban đêm",
        [
            "Tối thứ Bảy có nhóm thanh niên đua xe, nẹt pô trên quốc lộ.",
            "Người dân lo mất an toàn giao thông do đua xe trái phép.",
        ],
        State.NOT_OUR_REMIT,
        3,
    ),
    Story(
        "chinh-sach-xa-hoi",
        "Chậm chi trả trợ cấp xã hội hằng tháng",
        [
            "Một số người cao tuổi chưa nhận trợ cấp xã hội tháng này.",
            "Gia đình người khuyết tật hỏi lý do chậm chi trả trợ cấp.",
        ],
        State.FORWARDED,
        5,
    ),
]

NEW_REPORTS = [
    (
        "gia-ca-doi-song",
        "Giá cám chăn nuôi lại tăng",
        "Hộ chăn nuôi nói giá cám tăng lần thứ ba trong tháng.",
        Urgency.NORMAL,
    ),
    (
        "thien-tai",
        "Nước lũ dâng cao, một số hộ cần di dời",
        "Nước suối dâng nhanh, một số hộ ven suối cần di dời đồ đạc, người già và trẻ nhỏ.",
        Urgency.URGENT,
    ),
    (
        "moi-truong",
        "Rác thải tồn đọng ở chợ",
        "Rác thải sau phiên chợ chưa được thu gom, bốc mùi.",
        Urgency.HIGH,
    ),
    (
        "dat-dai",
        "Tiền bồi thường đường tránh chưa nhận đủ",
        "Bà con hỏi lịch chi trả phần còn lại của tiền bồi thường giải phóng mặt bằng.",
        Urgency.NORMAL,
    ),
]


def _at(day: date, rng: random.Random, now: datetime) -> datetime:
    """A working-hours moment of `day`; on the day the demo is loaded, one before `now`."""
    at = timezone.make_aware(
        datetime.combine(day, time(rng.randint(7, 20), rng.choice([0, 15, 30, 45])))
    )
    return at if at <= now else now - timedelta(minutes=rng.randint(5, 240))


# Who answers a story's concern: the first body of the unit's (or the province's) list whose name
# holds one of these words.
ANSWERS_BY_TOPIC = {
    "dat-dai": ("UBND", "Nông nghiệp"),
    "y-te": ("Y tế",),
    "giao-duc": ("Giáo dục", "UBND"),
    "thien-tai": ("UBND",),
    "dich-vu-cong": ("UBND",),
    "chinh-sach-xa-hoi": ("Nội vụ", "UBND"),
    "an-ninh-trat-tu": ("Công an",),
}


def _body_for(concern: Concern, topic: str):
    bodies = list(forward_bodies(concern.unit))
    for word in ANSWERS_BY_TOPIC.get(topic, ("UBND",)):
        for body in bodies:
            if word in body.name:
                return body
    return bodies[0]


def _collaborators(communes: list[Unit]) -> list[User]:
    people = []
    for commune in communes:
        user, created = User.objects.get_or_create(
            username=f"ctv.{commune.code}",
            defaults={"unit": commune, "role": Role.COLLABORATOR, "first_name": "Cộng tác viên"},
        )
        if created:
            user.set_unusable_password()
            user.save()
        people.append(user)
    return people


@transaction.atomic
def build_concerns(province: Unit, today: date, manager: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if ConcernReport.objects.filter(unit_path__startswith=province.path).exists():
        return
    rng = random.Random(5)
    communes = list(Unit.objects.filter(parent=province, level=Level.COMMUNE).order_by("code"))
    demo_commune = User.objects.filter(username="ctv.nganson").first()
    people = _collaborators(rng.sample(communes, 11))
    if demo_commune is not None:
        people.insert(0, demo_commune)
    topics = {t.code: t for t in Topic.objects.all()}
    for unit in [province, *communes]:  # every list starts from the usual bodies of its level
        bodies_add_defaults(actor=None, unit=unit)
    for n, story in enumerate(STORIES):
        start = today - timedelta(weeks=story.weeks_ago, days=rng.randint(0, 3))
        reports = []
        for k, says in enumerate(story.says):
            reporter = people[(n + k * 3) % len(people)] if k else people[n % len(people)]
            report = services.report_submit(
                actor=reporter,
                unit=reporter.unit,
                topic=topics[story.topic],
                title=story.title if k == 0 else says.split(",")[0][:120],
                content=says,
                spread=rng.choice([Spread.LOCAL, Spread.SEVERAL, Spread.FEW]),
                mood=story.mood,
                source=rng.choice(list(Source)),
                urgency=story.urgency,
            )[0]
            when = _at(min(start + timedelta(days=k * 2), today), rng, now)
            ConcernReport.objects.filter(pk=report.pk).update(created_at=when)
            report.created_at = when
            reports.append(report)
        _walk(story, reports, manager, today, rng, now)
    for k, (code, title, content, urgency) in enumerate(NEW_REPORTS):
        reporter = people[(k * 5) % len(people)]
        report = services.report_submit(
            actor=reporter,
            unit=reporter.unit,
            topic=topics[code],
            title=title,
            content=content,
            spread=Spread.LOCAL,
            mood=Mood.WORRIED,
            source=Source.DAILY_LIFE,
            urgency=urgency,
        )[0]
        when = _at(today - timedelta(days=k % 3), rng, now)
        ConcernReport.objects.filter(pk=report.pk).update(created_at=when)


def _walk(
    story: Story, reports, manager: User, today: date, rng: random.Random, now: datetime
) -> None:
    """Take the story's concern to its outcome, then move its history back in time."""
    first = min(r.created_at for r in reports)
    closed_at_once = story.outcome in (State.NOT_OUR_REMIT, State.NO_ACTION)
    concern = services.concern_open(
        actor=manager,
        reports=reports,
        title=story.title,
        topic=reports[0].topic,
        state=story.outcome if closed_at_once else State.ACKNOWLEDGED,
        note="Đã trao đổi với cơ quan chức năng; thông tin tới người dân qua loa truyền thanh."
        if closed_at_once
        else "",
    )
    steps = [first + timedelta(hours=20)]
    if story.outcome in (State.FORWARDED, State.ANSWERED, State.RESOLVED):
        due = max(today, (first + timedelta(days=15)).date())
        concern = services.concern_forward(
            actor=manager, concern=concern, body=_body_for(concern, story.topic), due_on=due
        )
        steps.append(first + timedelta(days=1, hours=3))
        # Back-date the due date too, so that some answers come in late, as in real life.
        obligation_reschedule(
            actor=None,
            obligation=concern.obligation,
            due_on=(first + timedelta(days=15)).date(),
            verb="demo",
        )
        Concern.objects.filter(pk=concern.pk).update(due_on=(first + timedelta(days=15)).date())
    if story.outcome in (State.ANSWERED, State.RESOLVED):
        answered = min(first + timedelta(days=rng.randint(6, 20)), now)
        # The body answered on that day: its obligation is done then, not today.
        obligation_complete(actor=manager, obligation=concern.obligation, done_on=answered.date())
        concern = services.concern_answer(actor=manager, concern=concern, answer=story.answer)
        steps.append(answered)
        Concern.objects.filter(pk=concern.pk).update(answered_at=answered)
    if story.outcome == State.RESOLVED:
        services.concern_resolve(actor=manager, concern=concern, resolution=story.resolution)
        resolved = min(steps[-1] + timedelta(days=rng.randint(2, 8)), now)
        steps.append(resolved)
        Concern.objects.filter(pk=concern.pk).update(resolved_at=resolved, closed_at=resolved)
    steps = [min(s, now) for s in steps]
    Concern.objects.filter(pk=concern.pk).update(acknowledged_at=steps[0])
    if len(steps) > 1:
        Concern.objects.filter(pk=concern.pk).update(forwarded_at=steps[1])
    for event, at in zip(concern.events.order_by("id"), steps, strict=False):
        ConcernEvent.objects.filter(pk=event.pk).update(at=at)
    ConcernReport.objects.filter(concern=concern).update(triaged_at=steps[0])
