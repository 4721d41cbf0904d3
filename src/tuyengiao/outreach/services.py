"""Every write of outreach, and its rules: speakers, their sessions and their attendance at the
speakers' conferences; exemplary models, their photos and replications.

Every function is keyword-only, checks who may do it (`Action.CHANGE` at the unit the record
belongs to, `org.services.require`), writes and audits in one transaction. A recognising
decision is registered as a document through `directives.services.document_register` (the
one already registered under that symbol is taken). Refusals are by field, in Vietnamese.
"""

import re
from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuyengiao.audit.models import AuditAction
from tuyengiao.audit.services import record, snapshot
from tuyengiao.core.files import FileRefused, clean_photo
from tuyengiao.core.privacy import refuse_personal_data
from tuyengiao.directives.models import Directive
from tuyengiao.directives.services import document_register
from tuyengiao.notifications.services import site_language
from tuyengiao.org.models import Unit
from tuyengiao.org.scope import Action, in_scope
from tuyengiao.org.services import require
from tuyengiao.oversight.models import Conference, ConferenceKind, WorkArea
from tuyengiao.text import format_date, nfc, search_key
from tuyengiao.text.collation import sort_key

from .models import (
    Exemplar,
    ModelPhoto,
    OutreachLevel,
    OutreachSession,
    Replication,
    SessionMode,
    Speaker,
    SpeakerKind,
    level_of,
)

DECISION_TYPES = frozenset({"QĐ"})
MAX_PHOTOS = 8  # photos of one model
_TERM = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _text(value: str | None) -> str:
    return nfc((value or "").strip())


def _by(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _no_personal_data(**texts: str) -> None:
    """Speakers are named by names and positions only: no phone, ID number or e-mail."""
    refuse_personal_data(**texts)


def parse_term(term: str) -> tuple[int, int]:
    """ "2025-2030" → (2025, 2030); ValueError with the message otherwise."""
    found = _TERM.fullmatch((term or "").strip())
    if not found or int(found[1]) >= int(found[2]) or int(found[1]) < 1945:
        raise ValueError(_("Nhiệm kỳ ghi như 2025-2030 (năm đầu trước năm cuối)."))
    return int(found[1]), int(found[2])


def _units_within(unit: Unit, units: Iterable[Unit], field: str) -> list[Unit]:
    """`units`, each in `unit`'s subtree (below it or the unit itself)."""
    units = list({u.pk: u for u in units}.values())
    outside = [u.name for u in units if not u.is_within(unit)]
    if outside:
        raise ValidationError(
            {
                field: _("%(units)s không thuộc phạm vi của %(unit)s.")
                % {"units": ", ".join(outside), "unit": unit.name}
            }
        )
    return units


def _seen_document(actor, document: Directive | None) -> Directive | None:
    """A document presented must be one the actor sees (the document's own scope)."""
    if document is None or actor is None:
        return document
    from tuyengiao.directives.queries import directives_for

    if not directives_for(actor).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Văn bản không thuộc phạm vi của bạn.")})
    return document


def _decision(actor, unit: Unit, symbol: str, issued_on, title: str) -> Directive:
    return document_register(
        actor,
        unit=unit,
        symbol=symbol,
        issued_on=issued_on,
        title=title,
        field="decision",
        types=DECISION_TYPES,
        what=_("quyết định công nhận"),
    )


# Speakers ------------------------------------------------------------------------------------

SPEAKER_FIELDS = ("full_name", "position", "kind", "level", "term", "starts_on", "ends_on")


def _check_speaker(speaker: Speaker) -> None:
    errors = {}
    if not speaker.full_name:
        errors["full_name"] = _("Hãy nhập họ và tên.")
    if speaker.kind not in SpeakerKind.values:
        errors["kind"] = _("Hãy chọn báo cáo viên hoặc tuyên truyền viên.")
    if speaker.level not in OutreachLevel.values:
        errors["level"] = _("Hãy chọn cấp: Trung ương, tỉnh hoặc xã.")
    try:
        first, last = parse_term(speaker.term)
    except ValueError as exc:
        errors["term"] = str(exc)
        first = last = None
    if speaker.starts_on is None:
        errors["starts_on"] = _("Hãy nhập ngày bắt đầu.")
    if speaker.ends_on is None:
        errors["ends_on"] = _("Hãy nhập ngày kết thúc.")
    if speaker.starts_on and speaker.ends_on:
        if speaker.ends_on < speaker.starts_on:
            errors["ends_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu.")
        elif first is not None and not (
            first <= speaker.starts_on.year and speaker.ends_on.year <= last
        ):
            errors["ends_on"] = _(
                "Thời gian từ ngày bắt đầu đến ngày kết thúc phải nằm trong nhiệm kỳ %(term)s."
            ) % {"term": speaker.term}
    if errors:
        raise ValidationError(errors)


def _fill_speaker(speaker: Speaker) -> None:
    speaker.full_name = _text(speaker.full_name)
    speaker.position = _text(speaker.position)
    speaker.term = re.sub(r"\s*[-–]\s*", "-", (speaker.term or "").strip())
    _no_personal_data(full_name=speaker.full_name, position=speaker.position)
    speaker.search_key = search_key(f"{speaker.full_name} {speaker.position}")[:400]
    speaker.sort_key = sort_key(speaker.full_name)


@transaction.atomic
def speaker_create(
    *,
    actor,
    unit: Unit,
    full_name: str,
    position: str = "",
    kind: str = SpeakerKind.REPORTER,
    level: str | None = None,
    term: str,
    decision_symbol: str,
    decision_issued_on: date | None,
    starts_on: date | None,
    ends_on: date | None,
    assigned_units: Sequence[Unit] = (),
) -> Speaker:
    """A speaker of `unit`, recognised by the decision `decision_symbol` (registered as a
    document of `unit`, or the one already registered), assigned units of `unit`'s subtree."""
    require(actor, Action.CHANGE, unit)
    speaker = Speaker(
        unit=unit,
        full_name=full_name,
        position=position,
        kind=kind,
        level=level or level_of(unit.level),
        term=term,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=_by(actor),
    )
    _fill_speaker(speaker)
    _check_speaker(speaker)
    assigned = _units_within(unit, assigned_units, "assigned_units")
    with site_language():
        title = _("Quyết định công nhận báo cáo viên, tuyên truyền viên (%(name)s)") % {
            "name": speaker.full_name
        }
    speaker.decision = _decision(actor, unit, decision_symbol, decision_issued_on, title)
    speaker.fill_path()
    speaker.full_clean()
    speaker.save()
    speaker.assigned_units.set(assigned)
    record(actor, AuditAction.CREATE, speaker)
    return speaker


@transaction.atomic
def speaker_update(
    *,
    actor,
    speaker: Speaker,
    assigned_units: Sequence[Unit] | None = None,
    decision_symbol: str | None = None,
    decision_issued_on: date | None = None,
    **changes,
) -> Speaker:
    """Change what was recorded of a speaker (not their unit); sessions stay in the term."""
    require(actor, Action.CHANGE, speaker.unit)
    unknown = set(changes) - set(SPEAKER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    speaker = Speaker.objects.select_for_update().get(pk=speaker.pk)
    before = snapshot(speaker)
    for name, value in changes.items():
        setattr(speaker, name, value)
    _fill_speaker(speaker)
    _check_speaker(speaker)
    if decision_symbol is not None and decision_symbol.strip() != speaker.decision.symbol:
        with site_language():
            title = _("Quyết định công nhận báo cáo viên, tuyên truyền viên (%(name)s)") % {
                "name": speaker.full_name
            }
        speaker.decision = _decision(
            actor, speaker.unit, decision_symbol, decision_issued_on, title
        )
    outside = speaker.sessions.exclude(
        held_on__gte=speaker.starts_on, held_on__lte=speaker.ends_on
    ).count()
    if outside:
        raise ValidationError(
            {
                "ends_on": _(
                    "Có %(n)s buổi nói chuyện ngoài thời gian này; hãy sửa các buổi đó trước."
                )
                % {"n": outside}
            }
        )
    speaker.full_clean()
    speaker.save()
    if assigned_units is not None:
        speaker.assigned_units.set(_units_within(speaker.unit, assigned_units, "assigned_units"))
    record(actor, AuditAction.UPDATE, speaker, before=before)
    return speaker


@transaction.atomic
def speaker_delete(*, actor, speaker: Speaker) -> None:
    """Take away a speaker recorded by mistake: only one without sessions."""
    require(actor, Action.CHANGE, speaker.unit)
    if speaker.sessions.exists():
        raise ValidationError(
            _("Báo cáo viên đã có buổi nói chuyện; không thể xóa (hãy sửa ngày kết thúc).")
        )
    record(actor, AuditAction.DELETE, speaker, before=snapshot(speaker))
    speaker.delete()


# Sessions ------------------------------------------------------------------------------------


def _check_session(actor, session: OutreachSession, today: date) -> None:
    speaker = session.speaker
    errors = {}
    if not session.topic:
        errors["topic"] = _("Hãy nhập chủ đề.")
    if session.mode not in SessionMode.values:
        errors["mode"] = _("Hãy chọn hình thức trực tiếp hoặc trực tuyến.")
    if session.audience is None or session.audience < 1:
        errors["audience"] = _("Số người nghe ít nhất là 1.")
    if session.held_on is None:
        errors["held_on"] = _("Hãy nhập ngày.")
    elif session.held_on > today:
        errors["held_on"] = _("Chỉ ghi nhận buổi đã diễn ra: ngày không thể ở tương lai.")
    elif not speaker.serves_on(session.held_on):
        errors["held_on"] = _(
            "Ngày nằm ngoài thời gian hoạt động của báo cáo viên (%(start)s – %(end)s)."
        ) % {
            "start": format_date(speaker.starts_on),
            "end": format_date(speaker.ends_on),
        }
    if actor is not None and not in_scope(actor, session.unit.path, Action.CHANGE):
        errors["unit"] = _("Đơn vị nghe không thuộc phạm vi của bạn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def session_record(
    *,
    actor,
    speaker: Speaker,
    unit: Unit,
    held_on: date | None,
    topic: str,
    audience: int | None,
    mode: str = SessionMode.IN_PERSON,
    document: Directive | None = None,
    today: date | None = None,
) -> OutreachSession:
    """A session `speaker` gave to an audience of `unit` (in the actor's scope), within the
    speaker's term, not in the future."""
    require(actor, Action.CHANGE, speaker.unit)
    session = OutreachSession(
        speaker=speaker,
        unit=unit,
        held_on=held_on,
        topic=_text(topic)[:300],
        audience=audience,
        mode=mode,
        document=_seen_document(actor, document),
        created_by=_by(actor),
    )
    _check_session(actor, session, _today(today))
    session.fill_path()
    session.full_clean()
    session.save()
    record(actor, AuditAction.CREATE, session)
    return session


SESSION_FIELDS = ("unit", "held_on", "topic", "audience", "mode", "document")


@transaction.atomic
def session_update(
    *, actor, session: OutreachSession, today: date | None = None, **changes
) -> OutreachSession:
    require(actor, Action.CHANGE, session.speaker.unit)
    require(actor, Action.CHANGE, session.unit)
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    before = snapshot(session)
    for name, value in changes.items():
        setattr(session, name, value)
    session.topic = _text(session.topic)[:300]
    if "document" in changes:
        _seen_document(actor, session.document)
    _check_session(actor, session, _today(today))
    session.fill_path()
    session.full_clean()
    session.save()
    record(actor, AuditAction.UPDATE, session, before=before)
    return session


@transaction.atomic
def session_delete(*, actor, session: OutreachSession) -> None:
    require(actor, Action.CHANGE, session.speaker.unit)
    require(actor, Action.CHANGE, session.unit)
    record(actor, AuditAction.DELETE, session, before=snapshot(session))
    session.delete()


# Attendance at the speakers' conferences ------------------------------------------------------


@transaction.atomic
def attendance_set(*, actor, conference: Conference, speakers: Iterable[Speaker]) -> list[Speaker]:
    """The speakers present at a speakers' conference (oversight's), speakers of the
    conference's unit's subtree; the list replaces the one recorded before."""
    require(actor, Action.CHANGE, conference.unit)
    if conference.kind != ConferenceKind.SPEAKERS:
        raise ValidationError({"conference": _("Chỉ ghi nhận người dự ở hội nghị báo cáo viên.")})
    speakers = list({s.pk: s for s in speakers}.values())
    outside = [s.full_name for s in speakers if not s.unit.is_within(conference.unit)]
    if outside:
        raise ValidationError(
            {
                "speakers": _("%(names)s không thuộc phạm vi của %(unit)s.")
                % {"names": ", ".join(outside), "unit": conference.unit.name}
            }
        )
    for speaker in speakers:
        if not speaker.serves_on(conference.held_on):
            raise ValidationError(
                {
                    "speakers": _(
                        "%(name)s chưa bắt đầu hoặc đã hết thời gian hoạt động vào ngày hội nghị."
                    )
                    % {"name": speaker.full_name}
                }
            )
    present = Speaker.conferences.through.objects.filter(conference_id=conference.pk)
    before = sorted(present.values_list("speaker_id", flat=True))
    present.delete()
    Speaker.conferences.through.objects.bulk_create(
        [
            Speaker.conferences.through(speaker_id=s.pk, conference_id=conference.pk)
            for s in speakers
        ]
    )
    record(
        actor,
        AuditAction.UPDATE,
        conference,
        before={"speakers_present": before},
        verb=_("ghi nhận báo cáo viên dự hội nghị"),
    )
    return speakers


# Exemplary models ----------------------------------------------------------------------------

MODEL_FIELDS = ("name", "area", "description", "level")


def _fill_model(model: Exemplar) -> None:
    model.name = _text(model.name)[:300]
    model.description = (model.description or "").strip()
    errors = {}
    if not model.name:
        errors["name"] = _("Hãy nhập tên mô hình, điển hình.")
    if model.area_id is None:
        errors["area"] = _("Hãy chọn lĩnh vực.")
    if model.level not in OutreachLevel.values:
        errors["level"] = _("Hãy chọn cấp công nhận.")
    if errors:
        raise ValidationError(errors)
    model.search_key = search_key(f"{model.name} {model.description}")[:1200]
    model.sort_key = sort_key(model.name)


def _photos(model: Exemplar, photos) -> list:
    photos = list(photos or ())
    if len(photos) + (model.photos.count() if model.pk else 0) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Tối đa %(n)d ảnh.") % {"n": MAX_PHOTOS}})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload))
        except FileRefused as exc:
            raise ValidationError({"photos": str(exc)}) from exc
    return cleaned


def _save_photos(model: Exemplar, cleaned) -> list[ModelPhoto]:
    saved = []
    for content, width, height in cleaned:
        photo = ModelPhoto(model=model, width=width, height=height)
        photo.image.save(content.name, content, save=False)
        photo.save()
        saved.append(photo)
    return saved


@transaction.atomic
def model_create(
    *,
    actor,
    unit: Unit,
    name: str,
    area: WorkArea | None,
    description: str = "",
    level: str | None = None,
    decision_symbol: str,
    decision_issued_on: date | None,
    photos=(),
    today: date | None = None,
) -> Exemplar:
    """A model of `unit`, recognised by a decision (registered as a document of `unit`)."""
    require(actor, Action.CHANGE, unit)
    if decision_issued_on is not None and decision_issued_on > _today(today):
        raise ValidationError({"decision_issued_on": _("Ngày công nhận không thể ở tương lai.")})
    model = Exemplar(
        unit=unit,
        name=name,
        area=area,
        description=description,
        level=level or level_of(unit.level),
        created_by=_by(actor),
    )
    _fill_model(model)
    cleaned = _photos(model, photos)
    with site_language():
        title = _("Quyết định công nhận mô hình, điển hình: %(name)s") % {"name": model.name}
    model.decision = _decision(actor, unit, decision_symbol, decision_issued_on, title)
    model.recognised_on = model.decision.issued_on
    model.fill_path()
    model.full_clean()
    model.save()
    _save_photos(model, cleaned)
    record(actor, AuditAction.CREATE, model)
    return model


@transaction.atomic
def model_update(*, actor, model: Exemplar, **changes) -> Exemplar:
    require(actor, Action.CHANGE, model.unit)
    unknown = set(changes) - set(MODEL_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    before = snapshot(model)
    for name, value in changes.items():
        setattr(model, name, value)
    _fill_model(model)
    model.full_clean()
    model.save()
    record(actor, AuditAction.UPDATE, model, before=before)
    return model


@transaction.atomic
def model_delete(*, actor, model: Exemplar) -> None:
    """Take away a model recorded by mistake: only one not yet replicated anywhere (the
    replications are other units' records). Its photos' files go after the commit."""
    require(actor, Action.CHANGE, model.unit)
    replicated = model.replications.count()
    if replicated:
        raise ValidationError(
            _(
                "Mô hình đã được ghi nhận nhân rộng ở %(n)d nơi; không thể xóa "
                "(hãy xóa các nơi nhân rộng ghi nhầm trước)."
            )
            % {"n": replicated}
        )
    files = [photo.image for photo in model.photos.all()]
    record(actor, AuditAction.DELETE, model, before=snapshot(model))
    model.delete()
    transaction.on_commit(lambda: [f.delete(save=False) for f in files])


@transaction.atomic
def photos_add(*, actor, model: Exemplar, photos) -> list[ModelPhoto]:
    """Photos of a model, re-encoded without their metadata as the concerns' are."""
    require(actor, Action.CHANGE, model.unit)
    if not photos:
        raise ValidationError({"photos": _("Hãy chọn ít nhất một ảnh.")})
    saved = _save_photos(model, _photos(model, photos))
    record(
        actor,
        AuditAction.UPDATE,
        model,
        before={"photos": model.photos.count() - len(saved)},
        verb=_("thêm ảnh"),
    )
    return saved


@transaction.atomic
def replication_add(
    *,
    actor,
    model: Exemplar,
    unit: Unit,
    replicated_on: date | None,
    note: str = "",
    today: date | None = None,
) -> Replication:
    """The model replicated at `unit` (in the actor's scope) on a day since its recognition."""
    require(actor, Action.CHANGE, unit)
    errors = {}
    if replicated_on is None:
        errors["replicated_on"] = _("Hãy nhập ngày nhân rộng.")
    elif replicated_on > _today(today):
        errors["replicated_on"] = _("Ngày nhân rộng không thể ở tương lai.")
    elif replicated_on < model.recognised_on:
        errors["replicated_on"] = _("Ngày nhân rộng không thể trước ngày công nhận mô hình.")
    if unit.pk == model.unit_id:
        errors["unit"] = _("Đây là đơn vị của mô hình; hãy chọn đơn vị khác.")
    elif Replication.objects.filter(model=model, unit=unit).exists():
        errors["unit"] = _("Mô hình đã được ghi nhận nhân rộng tại đơn vị này.")
    if errors:
        raise ValidationError(errors)
    replication = Replication(
        model=model, unit=unit, replicated_on=replicated_on, note=_text(note)[:300]
    ).fill_path()
    replication.full_clean()
    replication.save()
    record(actor, AuditAction.CREATE, replication)
    return replication


@transaction.atomic
def replication_delete(*, actor, replication: Replication) -> None:
    require(actor, Action.CHANGE, replication.unit)
    record(actor, AuditAction.DELETE, replication, before=snapshot(replication))
    replication.delete()
