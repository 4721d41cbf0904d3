"""Demo outreach for the demo province: the province's reporters and those of a dozen communes
(Xã Ngân Sơn among them) for the term 2025-2030, their sessions over the past months (a few
speakers silent for over six months, a few whose time ends within three months), attendance
at the speakers' conferences already recorded, and exemplary models with replications.

Everything goes through the services (so the decisions are registered, the audit is real);
deterministic from `today`; no date after it.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from tuyengiao.org.models import Kind, Level, Unit, within

from .org import DEMO_COMMUNE

FIRST = ["Nguyễn", "Trần", "Lê", "Hoàng", "Nông", "Ma", "Lục", "Đàm", "Hà", "Triệu", "Lý"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
LAST = ["An", "Bình", "Cường", "Dung", "Giang", "Hải", "Hằng", "Khánh", "Lan", "Nam", "Phúc"]
POSITIONS_PROVINCE = [
    "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Trưởng phòng Lý luận chính trị",
    "Giảng viên Trường Chính trị tỉnh",
    "Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch",
]
POSITIONS_COMMUNE = [
    "Phó Bí thư Đảng ủy xã",
    "Trưởng Ban Xây dựng Đảng",
    "Giám đốc Trung tâm Chính trị xã",
    "Bí thư Đoàn xã",
    "Chủ tịch Hội Nông dân xã",
]
TOPICS = [
    "Thông tin thời sự trong nước và quốc tế",
    "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác quan điểm sai trái",
    "Chính quyền địa phương hai cấp: những điều người dân cần biết",
    "Phòng, chống lừa đảo qua mạng",
    "Xây dựng nông thôn mới, đô thị văn minh",
]
MODELS = [
    ("dan-van", "Dân vận khéo trong hiến đất làm đường nông thôn"),
    ("dan-van", "Tổ hòa giải ở cơ sở gắn với tổ dân vận thôn"),
    ("tuyen-truyen-mieng", "Loa truyền thanh thông minh của thôn"),
    ("tuyen-truyen-mieng", "Câu lạc bộ báo cáo viên trẻ"),
    ("hoc-tap-quan-triet", "Chi bộ học tập nghị quyết qua sổ tay điện tử"),
    ("hoc-tap-quan-triet", "Đảng viên gương mẫu, chi bộ bốn tốt"),
    ("dan-van", "Đường hoa nông thôn mới do phụ nữ tự quản"),
    ("van-hoa-van-nghe", "Tủ sách pháp luật ở nhà văn hóa thôn"),
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"


def build_outreach(province: Unit, today: date) -> None:
    """The speakers, sessions and models of the demo province (once)."""
    from tuyengiao.outreach.models import Speaker

    if Speaker.objects.filter(within("unit_path", province.path)).exists():
        return
    if today < date(2026, 1, 1):
        return  # the term's speakers are recognised late in 2025
    with transaction.atomic():
        _build(province, today)


def _build(province: Unit, today: date) -> None:
    from tuyengiao.directives.models import Directive
    from tuyengiao.outreach import services
    from tuyengiao.outreach.models import SessionMode, SpeakerKind
    from tuyengiao.oversight.models import Conference, ConferenceKind, WorkArea

    rng = random.Random(today.year * 100 + 15)
    documents = list(Directive.objects.filter(unit=province).order_by("issued_on"))
    communes = list(
        Unit.objects.filter(parent=province, level=Level.COMMUNE, kind=Kind.COMMITTEE)
        .active()
        .order_by("path")
    )
    chosen = [c for c in communes if c.code == DEMO_COMMUNE] + [
        c for c in communes[:11] if c.code != DEMO_COMMUNE
    ]
    recognised = date(2025, 10, 20)
    speakers = []
    number = 100
    for i in range(12):
        speakers.append(
            services.speaker_create(
                actor=None,
                unit=province,
                full_name=_name(rng),
                position=POSITIONS_PROVINCE[i % len(POSITIONS_PROVINCE)],
                kind=SpeakerKind.REPORTER,
                term="2025-2030",
                decision_symbol="125-QĐ/BTGDVTU",
                decision_issued_on=recognised,
                starts_on=recognised,
                ends_on=date(2030, 9, 30),
            )
        )
    for commune in chosen:
        number += 1
        cells = list(Unit.objects.filter(parent=commune, kind=Kind.CELL).order_by("path"))
        decided = recognised + timedelta(days=rng.randrange(10, 40))
        for j in range(rng.randint(3, 5)):
            ends = date(2030, 9, 30)
            if j == 0 and (commune.code == DEMO_COMMUNE or rng.random() < 0.4):
                # transferred elsewhere: their time ends within the next three months
                ends = min(today + timedelta(days=rng.randrange(15, 85)), date(2030, 9, 30))
            speakers.append(
                services.speaker_create(
                    actor=None,
                    unit=commune,
                    full_name=_name(rng),
                    position=POSITIONS_COMMUNE[j % len(POSITIONS_COMMUNE)],
                    kind=SpeakerKind.REPORTER if j < 2 else SpeakerKind.PROPAGANDIST,
                    term="2025-2030",
                    decision_symbol=f"{number}-QĐ/ĐU",
                    decision_issued_on=decided,
                    starts_on=decided,
                    ends_on=ends,
                    assigned_units=rng.sample(cells, k=min(len(cells), rng.randint(1, 3))),
                )
            )
    for index, speaker in enumerate(speakers):
        silent = index % 7 == 3  # no session in the last six months: flagged
        last = today - timedelta(days=200) if silent else today
        places = list(speaker.assigned_units.all()) or [speaker.unit]
        if speaker.unit.level == Level.PROVINCE:
            places = chosen
        day = speaker.starts_on + timedelta(days=rng.randrange(5, 30))
        while day <= min(last, speaker.ends_on):
            services.session_record(
                actor=None,
                speaker=speaker,
                unit=rng.choice(places),
                held_on=day,
                topic=rng.choice(TOPICS),
                audience=rng.randint(25, 60 if speaker.unit.level == Level.COMMUNE else 300),
                mode=SessionMode.ONLINE if rng.random() < 0.2 else SessionMode.IN_PERSON,
                document=rng.choice(documents) if documents and rng.random() < 0.5 else None,
                today=today,
            )
            day += timedelta(days=rng.randrange(30, 75))
    # the speakers present at the speakers' conferences already recorded in the province
    for conference in Conference.objects.filter(
        within("unit_path", province.path), kind=ConferenceKind.SPEAKERS, held_on__lte=today
    ).order_by("held_on", "pk"):
        present = [
            s
            for s in speakers
            if s.unit.is_within(conference.unit)
            and s.serves_on(conference.held_on)
            and rng.random() < 0.8
        ]
        services.attendance_set(actor=None, conference=conference, speakers=present)
    # exemplary models, recognised over the past year, some replicated in other communes
    areas = {a.code: a for a in WorkArea.objects.all()}
    fallback = next(iter(areas.values()), None)
    if fallback is None:
        return
    for index, (code, name) in enumerate(MODELS * 2):
        commune = chosen[index % len(chosen)]
        recognised_on = today - timedelta(days=rng.randrange(60, 360))
        number += 1
        model = services.model_create(
            actor=None,
            unit=commune,
            name=name if index < len(MODELS) else f"{name} ({commune.name})",
            area=areas.get(code, fallback),
            description=f"Mô hình của {commune.name}, được công nhận và giới thiệu nhân rộng.",
            decision_symbol=f"{number}-QĐ/ĐU",
            decision_issued_on=recognised_on,
            today=today,
        )
        others = [c for c in chosen if c.pk != commune.pk]
        for where in rng.sample(others, k=rng.randint(0, 3)):
            services.replication_add(
                actor=None,
                model=model,
                unit=where,
                replicated_on=recognised_on
                + timedelta(days=rng.randrange(0, (today - recognised_on).days + 1)),
                today=today,
            )
