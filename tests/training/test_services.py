from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tuyengiao.audit.models import AuditEntry
from tuyengiao.org.services import unit_merge
from tuyengiao.training import services
from tuyengiao.training.models import CentreKind, PoliticalCentre, Programme, TrainingClass

from .conftest import TODAY, centre, klass, programme

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return exc.value.message_dict


def test_programmes_are_seeded_with_a_minimum_of_25():
    names = list(Programme.objects.values_list("name", flat=True))
    assert len(names) == 6 and names[0] == "Sơ cấp lý luận chính trị"
    assert set(Programme.objects.values_list("min_learners", flat=True)) == {25}


def test_a_commune_centre_serves_its_commune_by_default(world):
    made = centre(world.commune_staff, world.commune)
    assert made.kind == CentreKind.COMMUNE_CENTRE
    assert list(made.served.all()) == [world.commune]
    school = centre(world.province_manager, world.province, name="Trường Chính trị tỉnh")
    assert school.kind == CentreKind.PROVINCE_SCHOOL


def test_served_communes_lie_in_the_centres_province_and_in_the_actors_scope(world):
    with pytest.raises(ValidationError) as exc:
        centre(None, world.commune, served=[world.commune, world.other_commune])
    assert "served" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        centre(None, world.commune, served=[world.cell])
    assert "served" in _errors(exc)
    with pytest.raises(PermissionDenied):
        centre(world.commune_staff, world.commune, served=[world.commune, world.commune2])
    both = centre(world.province_manager, world.commune, served=[world.commune, world.commune2])
    assert both.served.count() == 2


def test_a_commune_centre_belongs_to_a_commune(world):
    with pytest.raises(ValidationError) as exc:
        centre(None, world.cell, kind=CentreKind.COMMUNE_CENTRE, served=[world.commune])
    assert "unit" in _errors(exc)


def test_a_class_cannot_close_before_it_opens(world):
    made = centre(None, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, closed_on=date(2026, 3, 1), completed=30)
    assert "closed_on" in _errors(exc)
    assert not TrainingClass.objects.exists()


def test_completed_above_enrolled_is_refused(world):
    made = centre(None, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, enrolled=40, closed_on=date(2026, 3, 20), completed=41)
    assert "completed" in _errors(exc)


def test_completed_only_once_closed_and_closing_needs_completed(world):
    made = centre(None, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, completed=30)
    assert "completed" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, closed_on=date(2026, 3, 20))
    assert "completed" in _errors(exc)


def test_a_class_does_not_open_in_the_future(world):
    made = centre(None, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, opened_on=date(2026, 12, 7))
    assert "opened_on" in _errors(exc)


def test_a_small_class_needs_confirming_and_the_audit_says_so(world):
    made = centre(world.commune_staff, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(world.commune_staff, made, enrolled=24)
    assert exc.value.error_dict["enrolled"][0].code == "small"
    small = klass(world.commune_staff, made, enrolled=24, confirm_small=True)
    assert small.small_confirmed
    entry = AuditEntry.objects.filter(object_id=str(small.pk)).latest("pk")
    assert "25" in entry.verb and entry.after["small_confirmed"] is True
    # closing it keeps the confirmation: its number did not change
    services.class_update(
        actor=world.commune_staff,
        klass=small,
        closed_on=date(2026, 4, 1),
        completed=24,
        today=TODAY,
    )
    assert klass(None, made, enrolled=25).small_confirmed is False


def test_the_minimum_is_the_programmes(world):
    p = programme("chuyen-de")
    p.min_learners = 10
    p.save()
    made = centre(None, world.commune)
    assert klass(None, made, programme=p, enrolled=12).small_confirmed is False


def test_a_class_draws_from_communes_its_centre_serves(world):
    made = centre(None, world.commune)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, communes=[world.commune2])
    assert "communes" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        klass(None, made, communes=[])
    assert "communes" in _errors(exc)
    school = centre(None, world.province, name="Trường Chính trị tỉnh A")
    assert klass(None, school, communes=[world.commune, world.commune2]).communes.count() == 2


def test_closing_a_running_class_by_update(world):
    made = centre(None, world.commune)
    running = klass(None, made)
    assert running.running
    services.class_update(
        actor=None, klass=running, closed_on=date(2026, 4, 10), completed=38, today=TODAY
    )
    running.refresh_from_db()
    assert not running.running and running.completed == 38


def test_plans_are_one_per_centre_programme_and_year_and_not_negative(world):
    made = centre(None, world.commune)
    first = services.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=3,
        learners_planned=120,
    )
    again = services.plan_set(
        actor=None,
        centre=made,
        programme=programme(),
        year=2026,
        classes_planned=5,
        learners_planned=200,
    )
    assert first.pk == again.pk and again.classes_planned == 5
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=None, plan=again, learners_planned=-1)
    assert "learners_planned" in _errors(exc)


def test_someone_outside_cannot_write(world):
    made = centre(None, world.commune)
    with pytest.raises(PermissionDenied):
        klass(world.neighbour, made)
    with pytest.raises(PermissionDenied):
        klass(world.cell_viewer, made)


def test_a_merge_passes_the_centre_to_the_successor(world):
    made = centre(None, world.commune)
    other = centre(None, world.commune2, name="Trung tâm Ngân Sơn", served=[world.commune2])
    one = klass(None, made)
    unit_merge(actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 7, 1))
    made.refresh_from_db()
    one.refresh_from_db()
    assert made.unit == world.commune2 and one.unit == world.commune2
    assert one.unit_path == world.commune2.path
    assert PoliticalCentre.objects.get(pk=other.pk).served.count() == 1


def test_a_dissolved_communes_centre_is_made_inactive(world):
    from tuyengiao.org.services import unit_dissolve

    made = centre(None, world.commune2, name="Trung tâm Ngân Sơn", served=[world.commune2])
    unit_dissolve(actor=None, unit=world.commune2, on=date(2026, 7, 1))
    made.refresh_from_db()
    assert made.active is False
    with pytest.raises(ValidationError) as exc:
        klass(None, made, communes=[world.commune2])
    assert "centre" in _errors(exc)
