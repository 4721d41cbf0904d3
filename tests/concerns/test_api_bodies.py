"""The API of the responsible bodies: the list a unit works with (its own and those above),
kept by managers through the same services as the page, refused by field, by role and by scope."""

import pytest
from django.contrib.contenttypes.models import ContentType
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.concerns.bodies import body_add
from tuyengiao.concerns.models import ResponsibleBody
from tuyengiao.org.models import Role

pytestmark = pytest.mark.django_db

BODIES = "/api/bodies/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def commune_manager(world):
    return UserFactory(username="xa.ql", unit=world.commune, role=Role.MANAGER)


@pytest.fixture
def lists(world):
    """Bodies at the province, at Xã Hoà An (one inactive), at the sibling commune and in Tỉnh B."""
    made = {
        "health": body_add(actor=None, unit=world.province, name="Sở Y tế"),
        "police": body_add(actor=None, unit=world.commune, name="Công an xã"),
        "farmers": body_add(actor=None, unit=world.commune, name="Hội Nông dân xã"),
        "sibling": body_add(actor=None, unit=world.commune2, name="UBND xã Ngân Sơn"),
        "neighbour": body_add(actor=None, unit=world.other_commune, name="UBND xã Hòa Bình"),
        "old_dept": body_add(actor=None, unit=world.province, name="Sở cũ"),
    }
    for key in ("farmers", "old_dept"):
        ResponsibleBody.objects.filter(pk=made[key].pk).update(active=False)
    return made


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [b["name"] for b in response.json()]


def test_the_list_is_the_units_own_then_the_active_ones_above(world, lists):
    staff = client_for(world.commune_staff)
    # Its own first (inactive last), then the province's active bodies; never a sibling's.
    assert names(staff.get(BODIES)) == ["Công an xã", "Hội Nông dân xã", "Sở Y tế"]
    first = staff.get(BODIES).json()[0]
    assert first == {
        "id": lists["police"].pk,
        "name": "Công an xã",
        "active": True,
        "unit": world.commune.pk,
        "unit_name": "Xã Hoà An",
        "may_change": False,  # staff read the list, managers keep it
    }
    province = client_for(world.province_manager)
    assert names(province.get(BODIES)) == ["Sở Y tế", "Sở cũ"]
    assert names(province.get(BODIES, {"unit": world.commune.pk})) == [
        "Công an xã",
        "Hội Nông dân xã",
        "Sở Y tế",
    ]
    assert all(b["may_change"] for b in province.get(BODIES).json())


def test_outside_the_subtree_a_unit_or_a_body_does_not_exist(world, lists):
    staff = client_for(world.commune_staff)
    assert staff.get(BODIES, {"unit": world.commune2.pk}).status_code == 404
    assert staff.get(BODIES, {"unit": "x"}).status_code == 400
    assert staff.get(f"{BODIES}{lists['sibling'].pk}/").status_code == 404
    assert staff.get(f"{BODIES}{lists['neighbour'].pk}/").status_code == 404
    assert staff.get(f"{BODIES}{lists['old_dept'].pk}/").status_code == 404  # inactive, above
    assert staff.get(f"{BODIES}{lists['health'].pk}/").json()["name"] == "Sở Y tế"


def test_a_manager_adds_renames_and_deactivates_each_audited(world, lists, commune_manager):
    api = client_for(commune_manager)
    added = api.post(BODIES, {"name": "  Trạm  Y tế xã "}, format="json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["name"], body["unit"], body["active"]) == ("Trạm Y tế xã", world.commune.pk, True)
    pk = body["id"]
    renamed = api.patch(f"{BODIES}{pk}/", {"name": "Trạm Y tế"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Trạm Y tế"
    off = api.post(f"{BODIES}{pk}/deactivate/")
    assert off.status_code == 200 and off.json()["active"] is False
    on = api.patch(f"{BODIES}{pk}/", {"active": True}, format="json")
    assert on.json()["active"] is True
    verbs = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ResponsibleBody), object_id=str(pk)
        )
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["add", "update", "update", "update"]
    # At a unit below, by its id.
    province = client_for(world.province_manager)
    below = province.post(BODIES, {"unit": world.commune2.pk, "name": "Công an xã"}, format="json")
    assert below.status_code == 201 and below.json()["unit"] == world.commune2.pk


def test_bad_input_is_400_by_field(world, lists, commune_manager):
    api = client_for(commune_manager)
    taken = api.post(BODIES, {"name": "công an XÃ"}, format="json")
    assert taken.status_code == 400
    assert taken.json() == {"errors": {"name": ["Đơn vị đã có cơ quan tên này."]}}
    assert "name" in api.post(BODIES, {"name": " "}, format="json").json()["errors"]
    private = api.post(BODIES, {"name": "Anh Ba 0912 345 678"}, format="json")
    assert private.status_code == 400 and "name" in private.json()["errors"]
    outside = api.post(BODIES, {"unit": world.commune2.pk, "name": "X"}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()["errors"]
    empty = api.patch(f"{BODIES}{lists['police'].pk}/", {}, format="json")
    assert empty.status_code == 400 and "non_field_errors" in empty.json()["errors"]
    assert ResponsibleBody.objects.filter(unit=world.commune).count() == 2


def test_only_those_who_manage_bodies_change_them_and_only_in_their_subtree(
    world, lists, commune_manager
):
    police = lists["police"]
    for user in (world.commune_staff, world.cell_viewer):
        api = client_for(user)
        assert api.post(BODIES, {"name": "Mới"}, format="json").status_code == 403
        assert api.patch(f"{BODIES}{police.pk}/", {"name": "Đổi"}, format="json").status_code in {
            403,
            404,  # the cell's viewer does not see its commune's list
        }
        assert api.post(f"{BODIES}{police.pk}/deactivate/").status_code in {403, 404}
    manager = client_for(commune_manager)
    # A body above is read, never changed; a sibling's does not exist.
    assert (
        manager.patch(f"{BODIES}{lists['health'].pk}/", {"name": "X"}, format="json").status_code
        == 404
    )
    assert manager.post(f"{BODIES}{lists['sibling'].pk}/deactivate/").status_code == 404
    assert client_for(world.collaborator).get(BODIES).status_code == 404
    assert APIClient().get(BODIES).status_code in {401, 403}
    police.refresh_from_db()
    assert (police.name, police.active) == ("Công an xã", True)
    assert ResponsibleBody.objects.count() == len(lists)
