from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import ObligationFactory, UnitFactory
from tuyengiao.deadlines.models import Obligation
from tuyengiao.org.models import STEP, Kind, Level, Unit, path_upper_bound, within
from tuyengiao.org.services import unit_create, unit_dissolve, unit_merge, unit_move


def names(qs):
    return sorted(u.name for u in qs)


def test_a_subtree_is_the_unit_and_everything_below_it(world):
    assert names(Unit.objects.subtree(world.commune)) == [
        "Chi bộ thôn Bản Chang",
        "Chi bộ thôn Nà Pài",
        "Xã Hoà An",
    ]
    assert world.other_cell not in Unit.objects.subtree(world.province)


def test_ancestors_run_from_the_root_down(world):
    assert [u.name for u in world.cell.ancestors()] == ["Trung ương", "Tỉnh A", "Xã Hoà An"]
    assert world.cell.depth == 4
    assert world.cell.is_within(world.province)
    assert not world.cell.is_within(world.other_province)


def test_levels_follow_the_parent_unless_given(world):
    assert world.province.level == Level.PROVINCE
    assert world.commune.level == Level.COMMUNE
    assert world.cell.level == Level.CELL
    assert world.office.level == Level.PROVINCE  # an agency sits at its parent's level


def test_sibling_paths_never_collide_and_sort_in_creation_order(world):
    cells = [UnitFactory(parent=world.commune2, kind=Kind.CELL) for _ in range(40)]
    paths = [c.path for c in cells]
    assert len(set(paths)) == 40
    assert paths == sorted(paths)
    assert all(len(p) == 3 * STEP + STEP for p in paths)


def test_the_range_filter_matches_exactly_the_prefix():
    assert path_upper_bound("0001") == "0002"
    assert path_upper_bound("000Z") == "001"
    assert "000Z" < "000ZZZZZ" < path_upper_bound("000Z") < "0010"
    assert path_upper_bound("00ZZ") == "01"


def test_within_finds_the_same_rows_as_a_prefix_match(world):
    for unit in Unit.objects.all():
        by_range = set(Unit.objects.filter(within("path", unit.path)))
        by_prefix = set(Unit.objects.filter(path__startswith=unit.path))
        assert by_range == by_prefix


def test_a_unit_cannot_be_moved_under_its_own_descendant(world):
    with pytest.raises(ValidationError):
        unit_move(actor=None, unit=world.commune, new_parent=world.cell)


def test_moving_a_unit_moves_its_subtree_and_the_obligations_scope(world):
    obligation = ObligationFactory(unit=world.cell)
    unit_move(actor=None, unit=world.commune, new_parent=world.other_province)
    world.cell.refresh_from_db()
    obligation.refresh_from_db()
    assert world.cell.is_within(world.other_province)
    assert obligation.unit_path == world.cell.path
    assert world.cell not in Unit.objects.subtree(world.province)


def test_merge_closes_the_source_and_hands_its_cells_and_open_work_to_the_successor(world):
    done = ObligationFactory(unit=world.commune, due_on=date(2026, 1, 10), done_on=date(2026, 1, 9))
    open_before = ObligationFactory(unit=world.commune, due_on=date(2026, 2, 1))
    open_after = ObligationFactory(unit=world.commune, due_on=date(2026, 9, 1))

    unit_merge(actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 7, 1))

    world.commune.refresh_from_db()
    world.cell.refresh_from_db()
    assert world.commune.valid_to == date(2026, 7, 1)
    assert world.commune.successor == world.commune2
    assert world.cell.parent == world.commune2
    assert world.cell.is_within(world.commune2)
    # History stays with the old unit; what is still owed after the merge passes on.
    assert Obligation.objects.get(pk=done.pk).unit == world.commune
    assert Obligation.objects.get(pk=open_before.pk).unit == world.commune
    assert Obligation.objects.get(pk=open_after.pk).unit == world.commune2
    assert list(world.commune2.predecessors.all()) == [world.commune]


def test_a_closed_unit_cannot_be_merged_again(world):
    unit_merge(actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 7, 1))
    world.commune.refresh_from_db()
    with pytest.raises(ValidationError):
        unit_merge(actor=None, sources=[world.commune], target=world.commune2, on=date(2026, 8, 1))


def test_dissolving_refuses_while_active_sub_units_remain(world):
    with pytest.raises(ValidationError):
        unit_dissolve(actor=None, unit=world.commune, on=date(2026, 7, 1))
    unit_dissolve(actor=None, unit=world.cell, on=date(2026, 7, 1))
    world.cell.refresh_from_db()
    assert world.cell.valid_to == date(2026, 7, 1)
    assert world.cell not in Unit.objects.filter(parent=world.commune).active(date(2026, 7, 2))
    assert world.cell in Unit.objects.filter(parent=world.commune).active(date(2026, 6, 30))


def test_only_an_administrator_of_the_subtree_may_add_units(world):
    with pytest.raises(PermissionDenied):
        unit_create(actor=world.province_manager, parent=world.province, name="Chi bộ mới")
    with pytest.raises(PermissionDenied):
        unit_create(actor=world.province_admin, parent=world.other_province, name="Chi bộ mới")
    unit = unit_create(
        actor=world.province_admin, parent=world.commune, name="  Chi bộ  thôn Mới ", kind="cell"
    )
    assert unit.name == "Chi bộ thôn Mới"
    assert unit.search_key == "chi bo thon moi"


def test_official_codes_are_unique(world):
    with pytest.raises(ValidationError):
        unit_create(actor=None, parent=world.province, name="Trùng mã", code="90001")
