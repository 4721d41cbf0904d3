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
