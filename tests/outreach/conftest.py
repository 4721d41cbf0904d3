"""Outreach over the test world (tests/conftest.py): speakers of the province and its communes,
their sessions, models. The helpers drive the services as the pages do."""

from datetime import date

from tests.concerns.conftest import png
from tuyengiao.outreach import services
from tuyengiao.oversight.models import WorkArea

# Numbers of their own: a decision symbol the oversight helpers also made would be the same
# registered document (document_register reuses it), whatever the order the tests ran in.
_symbols = iter(range(5_000, 10_000))

# The outreach routes with an id, and which object of `marked` each takes (both walks).
OUTREACH_OBJECTS = {
    "speaker": "speaker",
    "speaker_edit": "speaker",
    "session_new": "speaker",
    "session_delete": "session",
    "model": "model",
    "model_edit": "model",
    "model_photos": "model",
    "replication_add": "model",
    "replication_delete": "replication",
    "photo": "photo",
    "attendance": "conference",
}

TODAY = date(2026, 12, 6)


def area(code: str = "tuyen-truyen-mieng") -> WorkArea:
    return WorkArea.objects.get(code=code)


def speaker(actor, unit=None, *, name="Nguyễn Văn An", **kw) -> object:
    """A reporter of `unit` (the actor's unit) for 2025-2030, recognised by a new decision."""
    unit = unit or actor.unit
    kw.setdefault("decision_symbol", f"{next(_symbols)}-QĐ/BTGDVTU")
    kw.setdefault("decision_issued_on", date(2025, 10, 1))
    kw.setdefault("starts_on", date(2025, 10, 1))
    kw.setdefault("ends_on", date(2030, 9, 30))
    kw.setdefault("term", "2025-2030")
    kw.setdefault("position", "Phó Trưởng Ban Tuyên giáo và Dân vận")
    return services.speaker_create(actor=actor, unit=unit, full_name=name, **kw)


def session(actor, speaker, unit=None, *, held_on=date(2026, 11, 10), audience=50, **kw):
    kw.setdefault("topic", "Thông tin thời sự tháng 11")
    return services.session_record(
        actor=actor,
        speaker=speaker,
        unit=unit or speaker.unit,
        held_on=held_on,
        audience=audience,
        today=kw.pop("today", TODAY),
        **kw,
    )


def model(actor, unit=None, *, name="Dân vận khéo trong xây dựng nông thôn mới", **kw):
    unit = unit or actor.unit
    kw.setdefault("decision_symbol", f"{next(_symbols)}-QĐ/BTGDVTU")
    kw.setdefault("decision_issued_on", date(2026, 3, 2))
    kw.setdefault("area", area(kw.pop("area_code", "dan-van")))
    return services.model_create(actor=actor, unit=unit, name=name, today=TODAY, **kw)


def marked(office, unit, text: str) -> dict:
    """For the walks: a speaker of `unit` with a session heard there, a model of `unit` with
    a photo, replicated at `office`, and a speakers' conference of `office` the speaker
    attended; every text carrying `text` (a zone's marker); made by the system (no actor)."""
    from tuyengiao.oversight import services as oversight

    person = speaker(None, unit, name=f"{text} SPEAKER", position=f"{text} POSITION")
    heard = session(None, person, unit, topic=f"{text} SESSION")
    exemplary = model(
        None,
        unit,
        name=f"{text} MODEL",
        description=f"{text} MODELDESCRIPTION",
        photos=[png()],
    )
    replication = services.replication_add(
        actor=None,
        model=exemplary,
        unit=office,
        replicated_on=date(2026, 6, 1),
        note=f"{text} REPLICATION",
        today=TODAY,
    )
    conference = oversight.conference_create(
        actor=None,
        unit=office,
        kind="speakers",
        held_on=date(2026, 11, 19),
        title=f"{text} SPEAKERSCONFERENCE",
        today=TODAY,
    )
    services.attendance_set(actor=None, conference=conference, speakers=[person])
    return {
        "speaker": person,
        "session": heard,
        "model": exemplary,
        "photo": exemplary.photos.get(),
        "replication": replication,
        "conference": conference,
    }
