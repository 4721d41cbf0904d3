"""The rules of outreach: speakers named by name and position only, terms and dates, assigned
units within the speaker's unit, the decision registered once as a document, sessions within
the term and in scope, attendance at speakers' conferences, models with clean photos and
replications, the audit."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.clock import on_day
from tests.concerns.conftest import png
from tuyengiao.audit.models import AuditEntry
from tuyengiao.directives.models import Directive
from tuyengiao.outreach import services
from tuyengiao.outreach.models import Exemplar, OutreachLevel, OutreachSession, SessionMode
from tuyengiao.oversight import services as oversight

from .conftest import TODAY, area, model, session, speaker

pytestmark = on_day("2026-12-06")


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Speakers ------------------------------------------------------------------------------------


def test_a_speaker_is_recorded_with_the_decision_registered_as_a_document(world):
    person = speaker(world.province_manager, decision_symbol="12-QĐ/BTGDVTU")
    assert person.unit == world.province
    assert person.level == OutreachLevel.PROVINCE  # from the unit's level
    assert person.decision.symbol == "12-QĐ/BTGDVTU"
    assert person.decision.unit == world.province
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="create").exists()
    # the same decision recognises a second speaker: one document in the register
    other = speaker(world.province_manager, name="Lê Thị Bình", decision_symbol="12-QĐ/BTGDVTU")
    assert other.decision == person.decision
    assert Directive.objects.filter(symbol="12-QĐ/BTGDVTU").count() == 1


def test_a_commune_speaker_is_of_the_commune_level_and_the_level_may_be_chosen(world):
    assert speaker(world.commune_staff).level == OutreachLevel.COMMUNE
    chosen = speaker(world.province_manager, level=OutreachLevel.CENTRAL)
    assert chosen.level == OutreachLevel.CENTRAL


def test_the_decision_must_be_a_decision(world):
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, decision_symbol="12-KL/TW")
    assert "quyết định công nhận" in errors_of(excinfo)["decision"][0]
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, decision_symbol="")
    assert "decision" in errors_of(excinfo)


@pytest.mark.parametrize(
    "text", ["Nguyễn Văn An 0912 345 678", "an.nguyen@gmail.com", "CCCD 001085012345"]
)
def test_only_names_and_positions_are_stored(world, text):
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, name=text)
    assert "full_name" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, position=f"Chuyên viên {text}")
    assert "position" in errors_of(excinfo)


def test_the_end_cannot_come_before_the_start(world):
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 30))
    assert "trước ngày bắt đầu" in errors_of(excinfo)["ends_on"][0]


def test_the_dates_lie_within_the_term_and_the_term_reads_like_2025_2030(world):
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.province_manager, ends_on=date(2031, 1, 1))
    assert "2025-2030" in errors_of(excinfo)["ends_on"][0]
    for bad in ("2030-2025", "nhiệm kỳ mới", ""):
        with pytest.raises(ValidationError) as excinfo:
            speaker(world.province_manager, term=bad)
        assert "term" in errors_of(excinfo)
    assert speaker(world.province_manager, term="2025 – 2030").term == "2025-2030"


def test_assigned_units_lie_within_the_speakers_unit(world):
    person = speaker(world.commune_staff, assigned_units=[world.cell, world.cell2])
    assert set(person.assigned_units.all()) == {world.cell, world.cell2}
    with pytest.raises(ValidationError) as excinfo:
        speaker(world.commune_staff, assigned_units=[world.cell, world.commune2])
    assert "Xã Ngân Sơn" in errors_of(excinfo)["assigned_units"][0]


def test_a_speaker_is_recorded_only_in_ones_scope(world):
    with pytest.raises(PermissionDenied):
        speaker(world.commune_staff, world.commune2)
    with pytest.raises(PermissionDenied):
        speaker(world.cell_viewer, world.cell)


def test_an_update_keeps_the_sessions_within_the_dates(world):
    person = speaker(world.commune_staff)
    session(world.commune_staff, person, held_on=date(2026, 3, 10))
    with pytest.raises(ValidationError) as excinfo:
        services.speaker_update(
            actor=world.commune_staff, speaker=person, starts_on=date(2026, 4, 1)
        )
    assert "1 buổi" in errors_of(excinfo)["ends_on"][0]
    changed = services.speaker_update(
        actor=world.commune_staff, speaker=person, position="Bí thư Đảng ủy xã"
    )
    assert changed.position == "Bí thư Đảng ủy xã"
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="update").exists()


def test_a_speaker_with_sessions_is_not_deleted(world):
    person = speaker(world.commune_staff)
    session(world.commune_staff, person)
    with pytest.raises(ValidationError):
        services.speaker_delete(actor=world.commune_staff, speaker=person)
    alone = speaker(world.commune_staff, name="Lê Văn C")
    services.speaker_delete(actor=world.commune_staff, speaker=alone)


# Sessions ------------------------------------------------------------------------------------


def test_a_session_is_recorded_in_the_audiences_unit(world):
    person = speaker(world.commune_staff)
    heard = session(world.commune_staff, person, world.cell, audience=35, mode=SessionMode.ONLINE)
    assert heard.unit_path == world.cell.path
    assert heard.audience == 35


def test_a_session_outside_the_term_is_refused(world):
    person = speaker(world.commune_staff, starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30))
    with pytest.raises(ValidationError) as excinfo:
        session(world.commune_staff, person, held_on=date(2026, 7, 1))
    assert "01/01/2026 – 30/06/2026" in errors_of(excinfo)["held_on"][0]
    with pytest.raises(ValidationError):
        session(world.commune_staff, person, held_on=date(2025, 12, 31))
    assert session(world.commune_staff, person, held_on=date(2026, 6, 30))


def test_a_session_is_not_in_the_future_and_has_an_audience(world):
    person = speaker(world.commune_staff)
    with pytest.raises(ValidationError) as excinfo:
        session(world.commune_staff, person, held_on=date(2026, 12, 7))
    assert "tương lai" in errors_of(excinfo)["held_on"][0]
    for audience in (0, None):
        with pytest.raises(ValidationError) as excinfo:
            session(world.commune_staff, person, audience=audience)
        assert "audience" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        session(world.commune_staff, person, topic="  ")
    assert "topic" in errors_of(excinfo)


def test_the_audiences_unit_must_be_in_scope(world):
    person = speaker(world.province_manager)
    with pytest.raises(PermissionDenied):  # the province's speaker is not the commune's to record
        session(world.commune_staff, person, world.cell)
    commune_speaker = speaker(world.commune_staff)
    with pytest.raises(ValidationError) as excinfo:
        session(world.commune_staff, commune_speaker, world.commune2)
    assert "phạm vi" in errors_of(excinfo)["unit"][0]
    assert not OutreachSession.objects.exists()


def test_the_document_presented_must_be_one_the_actor_sees(world):
    person = speaker(world.commune_staff)
    foreign = speaker(world.neighbour, name="Người tỉnh B").decision
    with pytest.raises(ValidationError) as excinfo:
        session(world.commune_staff, person, document=foreign)
    assert "document" in errors_of(excinfo)
    own = session(world.commune_staff, person, document=person.decision)
    assert own.document == person.decision


def test_a_session_is_updated_and_deleted_with_an_audit(world):
    person = speaker(world.commune_staff)
    heard = session(world.commune_staff, person)
    services.session_update(actor=world.commune_staff, session=heard, audience=80, today=TODAY)
    heard.refresh_from_db()
    assert heard.audience == 80
    pk = heard.pk
    services.session_delete(actor=world.commune_staff, session=heard)
    assert not OutreachSession.objects.exists()
    actions = set(AuditEntry.objects.filter(object_id=str(pk)).values_list("action", flat=True))
    assert {"create", "update", "delete"} <= actions


# Attendance at speakers' conferences ----------------------------------------------------------


def _conference(actor, kind="speakers", held_on=date(2026, 11, 19)):
    return oversight.conference_create(
        actor=actor,
        unit=actor.unit,
        kind=kind,
        held_on=held_on,
        title="Hội nghị báo cáo viên tháng 11",
        today=TODAY,
    )


def test_speakers_present_at_a_speakers_conference(world):
    boss = world.province_manager
    conference = _conference(boss)
    present = [speaker(boss), speaker(boss, world.commune, name="Lê Thị Bình")]
    services.attendance_set(actor=boss, conference=conference, speakers=present)
    assert set(conference.speakers_present.all()) == set(present)
    services.attendance_set(actor=boss, conference=conference, speakers=present[:1])
    assert list(conference.speakers_present.all()) == present[:1]


def test_attendance_only_at_speakers_conferences_and_of_the_units_speakers(world):
    boss = world.province_manager
    review = _conference(boss, kind="final_review")
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_set(actor=boss, conference=review, speakers=[speaker(boss)])
    assert "conference" in errors_of(excinfo)
    commune_conference = _conference(world.commune_staff)
    with pytest.raises(ValidationError) as excinfo:
        services.attendance_set(actor=boss, conference=commune_conference, speakers=[speaker(boss)])
    assert "speakers" in errors_of(excinfo)
    late = speaker(boss, name="Mới", starts_on=date(2026, 12, 1), decision_issued_on=TODAY)
    with pytest.raises(ValidationError):
        services.attendance_set(actor=boss, conference=_conference(boss), speakers=[late])
    with pytest.raises(PermissionDenied):
        services.attendance_set(actor=world.commune_staff, conference=review, speakers=[])


# Models --------------------------------------------------------------------------------------


def test_a_model_is_recognised_by_a_registered_decision(world):
    found = model(world.commune_staff, decision_issued_on=date(2026, 3, 2))
    assert found.recognised_on == date(2026, 3, 2)
    assert found.level == OutreachLevel.COMMUNE
    assert found.decision.unit == world.commune
    assert found.area == area("dan-van")


def test_a_model_needs_a_name_a_field_and_a_past_decision(world):
    with pytest.raises(ValidationError) as excinfo:
        model(world.commune_staff, name=" ", area=None)
    assert {"name", "area"} <= set(errors_of(excinfo))
    with pytest.raises(ValidationError) as excinfo:
        model(world.commune_staff, decision_issued_on=date(2026, 12, 7))
    assert "decision_issued_on" in errors_of(excinfo)


def test_photos_are_reencoded_without_metadata(world, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    found = model(world.commune_staff, photos=[png()])
    photo = found.photos.get()
    with Image.open(photo.image.open("rb")) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    with pytest.raises(ValidationError) as excinfo:
        services.photos_add(
            actor=world.commune_staff,
            model=found,
            photos=[type(png())("x.png", b"not an image", "image/png")],
        )
    assert "photos" in errors_of(excinfo)


def test_a_replication_is_in_scope_after_the_recognition_and_once_per_unit(world):
    found = model(world.province_manager, world.commune, decision_issued_on=date(2026, 3, 2))
    copied = services.replication_add(
        actor=world.province_manager,
        model=found,
        unit=world.commune2,
        replicated_on=date(2026, 5, 1),
        today=TODAY,
    )
    assert copied.unit_path == world.commune2.path
    for unit, day, field in (
        (world.commune2, date(2026, 6, 1), "unit"),  # once per unit
        (world.commune, date(2026, 6, 1), "unit"),  # the model's own unit
        (world.cell, date(2026, 3, 1), "replicated_on"),  # before the recognition
        (world.cell, date(2026, 12, 7), "replicated_on"),  # in the future
    ):
        with pytest.raises(ValidationError) as excinfo:
            services.replication_add(
                actor=world.province_manager,
                model=found,
                unit=unit,
                replicated_on=day,
                today=TODAY,
            )
        assert field in errors_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.replication_add(
            actor=world.commune_staff,
            model=found,
            unit=world.commune2,
            replicated_on=date(2026, 6, 1),
            today=TODAY,
        )


def test_a_model_is_deleted_only_in_scope_and_before_any_replication(world):
    found = model(world.province_manager, world.commune)
    with pytest.raises(PermissionDenied):
        services.model_delete(actor=world.neighbour, model=found)
    copied = services.replication_add(
        actor=world.province_manager,
        model=found,
        unit=world.commune2,
        replicated_on=date(2026, 5, 1),
        today=TODAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.model_delete(actor=world.commune_staff, model=found)
    assert "1 nơi" in excinfo.value.messages[0]
    services.replication_delete(actor=world.province_manager, replication=copied)
    pk = found.pk
    services.model_delete(actor=world.commune_staff, model=found)
    assert not Exemplar.objects.exists()
    entry = AuditEntry.objects.get(
        action="delete", object_id=str(pk), content_type__model="exemplar"
    )
    assert entry.actor == world.commune_staff and entry.before["name"] == found.name


# Restructuring -------------------------------------------------------------------------------


def test_a_merged_communes_serving_speakers_pass_to_its_successor(world):
    from tuyengiao.org.services import unit_merge

    serving = speaker(world.commune_staff, assigned_units=[world.cell])
    ended = speaker(
        world.commune_staff, name="Đã nghỉ", starts_on=date(2025, 10, 1), ends_on=date(2026, 3, 1)
    )
    heard = session(world.commune_staff, serving, world.commune)
    found = model(world.commune_staff)
    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=date(2026, 12, 1),
    )
    for obj in (serving, ended, heard, found):
        obj.refresh_from_db()
    assert serving.unit == world.commune2 and serving.unit_path == world.commune2.path
    world.cell.refresh_from_db()
    assert serving.assigned_units.get().is_within(world.commune2)  # the cell moved with it
    assert ended.unit == world.commune  # what is done stays with the old unit
    assert heard.unit == world.commune and found.unit == world.commune
