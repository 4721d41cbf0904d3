"""The audit log: every change through the services is recorded, and read within the scope."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditAction, AuditEntry
from tuyengiao.org.models import Kind, Role, Unit
from tuyengiao.org.services import (
    unit_create,
    unit_merge,
    unit_update,
    user_create,
    user_update,
)


def entries_of(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("id")


def history_url(obj) -> str:
    return f"/audit/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


# What the services record ---------------------------------------------------------------------


def test_creating_a_unit_records_who_and_what(world):
    unit = unit_create(
        actor=world.province_admin,
        parent=world.commune,
        name="Chi bộ thôn Khuổi Khon",
        kind=Kind.CELL,
        short_name="KK",
    )
    [entry] = entries_of(unit)
    assert entry.actor == world.province_admin
    assert entry.action == AuditAction.CREATE
    assert entry.before is None
    assert entry.after["name"] == "Chi bộ thôn Khuổi Khon"
    assert entry.after["parent_id"] == world.commune.pk
    assert entry.object_repr == "Chi bộ thôn Khuổi Khon"
    assert entry.unit_path == unit.path
    assert "search_key" not in entry.after
    changes = {field: (before, after) for field, before, after in entry.changes()}
    assert changes["name"] == (None, "Chi bộ thôn Khuổi Khon")
    assert changes["short_name"] == (None, "KK")
    assert changes["kind"] == (None, "cell")


def test_updating_a_unit_records_only_the_changed_fields(world):
    unit_update(
        actor=world.province_admin,
        unit=world.cell,
        name="Chi bộ thôn Nà Pài Mới",
        short_name="NPM",
        valid_from=date(2025, 7, 1),
    )
    entry = entries_of(world.cell).last()
    assert entry.actor == world.province_admin
    assert entry.action == AuditAction.UPDATE
    assert entry.before["name"] == "Chi bộ thôn Nà Pài"
    # The order of the fields is the database's (jsonb sorts keys), so compare sorted.
    assert sorted(entry.changes()) == [
        ("name", "Chi bộ thôn Nà Pài", "Chi bộ thôn Nà Pài Mới"),
        ("short_name", "", "NPM"),
        ("valid_from", None, "2025-07-01"),
    ]


def test_an_update_that_changes_nothing_shows_no_changes(world):
    unit_update(actor=world.province_admin, unit=world.cell, name="Chi bộ thôn Nà Pài")
    assert entries_of(world.cell).last().changes() == []


def test_merging_records_the_closure_and_every_move(world):
    unit_merge(
        actor=world.province_admin,
        sources=[world.commune],
        target=world.commune2,
        on=date(2025, 7, 1),
    )
    merge = entries_of(world.commune).get(verb="merge")
    assert merge.actor == world.province_admin
    assert merge.action == AuditAction.UPDATE
    assert sorted(merge.changes()) == [
        ("successor_id", None, world.commune2.pk),
        ("valid_to", None, "2025-07-01"),
    ]
    for cell in (world.cell, world.cell2):
        move = entries_of(cell).get(verb="move")
        changed = {field: (before, after) for field, before, after in move.changes()}
        assert changed["parent_id"] == (world.commune.pk, world.commune2.pk)
        assert set(changed) == {"parent_id", "path"}
        cell.refresh_from_db()
        assert move.unit_path == cell.path


def test_creating_an_account_is_recorded_without_the_password(world):
    user = user_create(
        actor=world.province_manager,
        unit=world.commune,
        username="nguyenvanan",
        password="Tuyen-giao-Ha-Giang-2026",
        role=Role.STAFF,
        first_name="Nguyễn Văn",
        last_name="An",
    )
    [entry] = entries_of(user)
    assert entry.actor == world.province_manager
    assert entry.action == AuditAction.CREATE
    assert entry.object_repr == "Nguyễn Văn An"
    assert entry.unit_path == world.commune.path
    assert entry.after["username"] == "nguyenvanan"
    assert entry.after["role"] == "staff"
    assert entry.after["unit_id"] == world.commune.pk
    assert "password" not in entry.after
    assert "Tuyen-giao" not in str(entry.after)


def test_updating_an_account_records_the_changed_fields(world):
    user_update(
        actor=world.province_manager,
        user=world.commune_staff,
        role=Role.MANAGER,
        unit=world.cell,
    )
    [entry] = entries_of(world.commune_staff)
    assert entry.actor == world.province_manager
    assert entry.action == AuditAction.UPDATE
    assert sorted(entry.changes()) == [
        ("role", "staff", "manager"),
        ("unit_id", world.commune.pk, world.cell.pk),
    ]
    assert entry.unit_path == world.cell.path


def test_system_work_is_recorded_without_an_actor(world):
    unit = unit_create(actor=None, parent=world.commune, name="Chi bộ mới", kind=Kind.CELL)
    [entry] = entries_of(unit)
    assert entry.actor is None


# One request, one correlation id ----------------------------------------------------------------


def test_the_entries_of_one_request_share_a_correlation_id(client, world):
    client.force_login(world.province_admin)
    start = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    response = client.post(
        f"/units/{world.commune.pk}/merge/", {"target": world.commune2.pk, "on": "01/07/2025"}
    )
    assert response.status_code == 302
    written = list(AuditEntry.objects.filter(id__gt=start))
    assert sorted(e.verb for e in written) == ["merge", "move", "move"]
    ids = {e.correlation_id for e in written}
    assert len(ids) == 1
    assert None not in ids
    assert all(e.actor == world.province_admin for e in written)

    client.post(f"/units/{world.cell.pk}/dissolve/", {"on": "15/08/2025"})
    dissolve = entries_of(world.cell).get(verb="dissolve")
    assert dissolve.correlation_id is not None
    assert dissolve.correlation_id not in ids


# Reading the log ---------------------------------------------------------------------------------


@pytest.fixture
def changes_on_both_sides(world):
    unit_update(actor=world.province_admin, unit=world.commune, short_name="HA")
    unit_update(actor=None, unit=world.other_commune, short_name="HB")
    b_user = UserFactory(username="xab", unit=world.other_commune, role=Role.STAFF)
    user_update(actor=world.neighbour, user=b_user, position="Chuyên viên Tỉnh B")
    return b_user


def test_the_audit_list_shows_only_changes_in_the_managers_scope(
    client, world, changes_on_both_sides
):
    client.force_login(world.province_manager)
    response = client.get("/audit/")
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert shown
    assert all(e.unit_path.startswith(world.province.path) for e in shown)
    reprs = {e.object_repr for e in shown}
    assert "Xã Hoà An" in reprs
    assert "Xã Hòa Bình" not in reprs
    assert "xab" not in reprs
    page = response.content.decode()
    assert "Xã Hòa Bình" not in page
    assert "Chuyên viên Tỉnh B" not in page


def test_the_neighbour_sees_their_own_changes_only(client, world, changes_on_both_sides):
    client.force_login(world.neighbour)
    shown = list(client.get("/audit/").context["page"])
    assert {e.object_repr for e in shown} >= {"Xã Hòa Bình", "xab"}
    assert all(e.unit_path.startswith(world.other_province.path) for e in shown)


def test_the_history_page_of_a_unit_in_scope(client, world):
    unit_update(actor=world.province_admin, unit=world.commune, short_name="HA")
    client.force_login(world.province_manager)
    response = client.get(history_url(world.commune))
    assert response.status_code == 200
    assert [e.action for e in response.context["entries"]] == ["update", "create"]
    page = response.content.decode()
    assert "Lịch sử thay đổi: Xã Hoà An" in page
    assert "Tên viết tắt</span>: <del>—</del> → <ins>HA</ins>" in page


def test_the_history_of_an_account_in_scope(client, world):
    user_update(actor=world.province_manager, user=world.commune_staff, position="Phó Bí thư")
    client.force_login(world.province_manager)
    response = client.get(history_url(world.commune_staff))
    assert response.status_code == 200
    assert "Phó Bí thư" in response.content.decode()


def test_the_history_of_an_object_outside_the_scope_does_not_exist(
    client, world, changes_on_both_sides
):
    b_user = changes_on_both_sides
    client.force_login(world.province_manager)
    assert client.get(history_url(world.other_commune)).status_code == 404
    assert client.get(history_url(b_user)).status_code == 404
    unknown = ContentType.objects.get_for_model(Unit).pk
    assert client.get(f"/audit/{unknown}/999999/").status_code == 404
    # The same pages answer their own side.
    client.force_login(world.neighbour)
    assert client.get(history_url(world.other_commune)).status_code == 200
    assert client.get(history_url(b_user)).status_code == 200


@pytest.mark.parametrize(
    "persona, status", [("commune_staff", 403), ("cell_viewer", 403), ("collaborator", 404)]
)
def test_staff_and_viewers_cannot_read_the_log(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/audit/").status_code == status
    assert client.get(history_url(world.commune)).status_code == status
    assert client.get(history_url(world.cell)).status_code == status
