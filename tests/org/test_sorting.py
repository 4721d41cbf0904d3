"""Lists of units come in Vietnamese alphabetical order from the database, on both backends."""

import pytest

from tests.factories import UnitFactory
from tuyengiao.org.models import Unit
from tuyengiao.org.queries import children_for, children_with_counts, search_units

ISSUE_ORDER = [
    "Xã Cẩm Giàng",
    "Xã Cường Lợi",
    "Xã Dương Quang",
    "Xã Đại Phúc",
    "Xã Đức Lương",
    "Xã Yên Bình",
]


@pytest.fixture
def communes(world):
    # Created in character-code order, the order the issue saw.
    for name in sorted(ISSUE_ORDER):
        UnitFactory(parent=world.province, name=name)
    return world.province


def test_the_database_orders_units_by_the_stored_key(communes):
    names = list(
        Unit.objects.filter(parent=communes, name__in=ISSUE_ORDER)
        .order_by("sort_key")
        .values_list("name", flat=True)
    )
    assert names == ISSUE_ORDER


def test_the_children_and_the_search_are_in_vietnamese_order(communes, world):
    ours = [u.name for u in children_for(world.province_admin, communes)]
    assert [n for n in ours if n in ISSUE_ORDER] == ISSUE_ORDER
    assert [u.name for u in children_with_counts(communes) if u.name in ISSUE_ORDER] == ISSUE_ORDER
    found = [u.name for u in search_units(world.province_admin, "xa")]
    assert [n for n in found if n in ISSUE_ORDER] == ISSUE_ORDER


def test_the_unit_page_lists_its_children_in_vietnamese_order(communes, world, client):
    client.force_login(world.province_admin)
    page = client.get(f"/units/{communes.pk}/").content.decode()
    positions = [page.index(name) for name in ISSUE_ORDER]
    assert positions == sorted(positions)


def test_a_renamed_unit_takes_its_new_place(communes, world):
    from tuyengiao.org.services import unit_update

    yen = Unit.objects.get(name="Xã Yên Bình")
    unit_update(actor=None, unit=yen, name="Xã An Bình")
    names = Unit.objects.filter(parent=communes, name__startswith="Xã").order_by("sort_key")
    assert names.first().name == "Xã An Bình"


def in_order(names, expected) -> bool:
    shown = [n.strip("\u2003\u00a0 ") for n in names]
    return [n for n in shown if n in expected] == expected


def test_a_unit_select_lists_sister_units_in_vietnamese_order_under_their_parent(communes, world):
    from tuyengiao.org.forms import UnitChoiceField

    cell = UnitFactory(parent=Unit.objects.get(name="Xã Yên Bình"), name="Chi bộ thôn Yên")
    field = UnitChoiceField()
    field.set_units(Unit.objects.filter(path__startswith=communes.path))
    labels = [label for _pk, label in field.choices][1:]
    assert in_order(labels, ISSUE_ORDER)
    assert labels[0] == "Tỉnh A"
    # a unit's own units follow it, indented
    yen = labels.index("\u2003Xã Yên Bình")
    assert labels[yen + 1] == "\u2003\u2003" + cell.name


def test_the_account_form_offers_the_units_in_vietnamese_order(communes, world, client):
    client.force_login(world.province_admin)
    page = client.get("/users/add/").content.decode()
    positions = [page.index(f">\u2003{name}<") for name in ISSUE_ORDER]
    assert positions == sorted(positions)


def test_the_accounts_come_by_unit_then_by_given_name_in_vietnamese_order(communes, world, client):
    from tests.factories import UserFactory
    from tuyengiao.org.queries import search_users

    units = {u.name: u for u in Unit.objects.filter(name__in=ISSUE_ORDER)}
    for i, name in enumerate(reversed(ISSUE_ORDER)):
        UserFactory(username=f"u{i}", unit=units[name], first_name="Trần", last_name="An")
    # Two people of one unit: by the given name, "Cẩm" before "Cường" (character codes put
    # "ư" before "ẩ"), whatever their family names say.
    UserFactory(username="b1", unit=units["Xã Đại Phúc"], first_name="Lê Văn", last_name="Cường")
    UserFactory(username="b2", unit=units["Xã Đại Phúc"], first_name="Nguyễn Thị", last_name="Cẩm")
    listed = [u for u in search_users(world.province_admin) if u.unit.name in ISSUE_ORDER]
    assert in_order([u.unit.name for u in listed if u.last_name == "An"], ISSUE_ORDER)
    dai_phuc = [u.username for u in listed if u.unit.name == "Xã Đại Phúc"]
    assert dai_phuc == ["u2", "b2", "b1"]  # "An", "Cẩm", "Cường"
    client.force_login(world.province_admin)
    page = client.get("/users/").content.decode()
    assert page.index("Nguyễn Thị Cẩm") < page.index("Lê Văn Cường")


def test_a_renamed_person_takes_their_new_place(world):
    from tuyengiao.org.models import User
    from tuyengiao.text.collation import sort_key

    user = world.commune_staff
    user.first_name, user.last_name = "Đỗ", "Yến"
    user.save(update_fields=["first_name", "last_name"])
    assert User.objects.get(pk=user.pk).sort_key == sort_key("Yến Đỗ xa")
