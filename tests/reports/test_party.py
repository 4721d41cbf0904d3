"""The Party's document conventions for a unit: the committee, the issuing office, the symbol,
the place and the recipients (Hướng dẫn 36-HD/VPTW)."""

import pytest

from tests.factories import UnitFactory
from tuyengiao.org.models import Kind, Level, Unit
from tuyengiao.reports import party

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world):
    office = world.office  # "Ban Tuyên giáo và Dân vận Tỉnh ủy A" of the province
    office.short_name = "BTGDVTU"
    office.save()
    return office


def test_the_committee_and_its_office_issue_a_units_documents(world, office):
    assert party.committee_of(office) == world.province  # an agency issues under its committee
    assert party.committee_of(world.commune) == world.commune
    assert party.committee_name(world.province) == "Tỉnh ủy A"
    assert party.committee_name(world.commune) == "Đảng ủy xã Hoà An"
    assert party.committee_name(world.root) == "Ban Chấp hành Trung ương"
    assert party.committee_name(office) == office.name  # not a committee: its name as it is
    assert party.office_of(world.province) == office
    assert party.issuer_of(world.province) == ("Ban Tuyên giáo và Dân vận", "BTGDVTU")
    assert party.issuer_of(office) == ("Ban Tuyên giáo và Dân vận", "BTGDVTU")
    # a commune without its own office: the default office, without an abbreviation
    assert party.office_of(world.commune) is None
    assert party.issuer_of(world.commune) == ("Ban Tuyên giáo và Dân vận", "")


def test_a_commune_office_since_2025_is_its_party_building_board(world):
    board = UnitFactory(parent=world.commune, name="Ban Xây dựng Đảng", kind=Kind.AGENCY)
    board.short_name = "BXDĐ"
    board.save()
    assert party.office_of(world.commune) == board
    assert party.issuer_of(world.commune) == ("Ban Xây dựng Đảng", "BXDĐ")


def test_a_city_and_a_name_that_already_says_committee():
    city = Unit(name="Thành phố Hải Phòng", level=Level.PROVINCE, kind=Kind.COMMITTEE)
    assert party.committee_name(city) == "Thành ủy Hải Phòng"
    named = Unit(name="Đảng ủy Khối cơ quan", level=Level.PROVINCE, kind=Kind.COMMITTEE)
    assert party.committee_name(named) == "Đảng ủy Khối cơ quan"


def test_symbols_leave_room_for_a_number_not_yet_given():
    assert party.symbol_of("", "BTGDVTU") == "Số       -BC/BTGDVTU"
    assert party.symbol_of("", "") == "Số       -BC"
    assert party.symbol_of("", "BTGDVTU", "TB") == "Số       -TB/BTGDVTU"
    assert party.symbol_of("12-BC/BTGDVTU", "BTGDVTU") == "Số 12-BC/BTGDVTU"
    assert party.symbol_of(" Số 3-BC/ĐU ", "") == "Số 3-BC/ĐU"


def test_place_and_recipients(world, office):
    assert party.place_of(world.cell) == "A"  # the province's name without "Tỉnh"
    assert party.place_of(world.root) == "Trung ương"
    assert party.recipients(world.province) == [
        "- Ban Tuyên giáo và Dân vận Trung ương (b/c),",
        "- Thường trực Tỉnh ủy A (b/c),",
        "- Lưu Văn phòng.",
    ]
    # a commune reports to the province's office
    assert party.recipients(world.commune)[:2] == [
        "- Ban Tuyên giáo và Dân vận Tỉnh ủy A (b/c),",
        "- Thường trực Đảng ủy xã Hoà An (b/c),",
    ]


def test_the_letterhead_of_a_unit(world, office):
    head = party.letterhead(world.province, symbol="12-BC/BTGDVTU")
    assert head == party.Letterhead(
        superior="Tỉnh ủy A",
        issuer="Ban Tuyên giáo và Dân vận",
        abbreviation="BTGDVTU",
        symbol="Số 12-BC/BTGDVTU",
        place="A",
    )
    assert head.number == "12-BC/BTGDVTU"
    unnumbered = party.letterhead(world.commune, doc_type="TB")
    assert unnumbered.symbol == "Số       -TB" and unnumbered.number.strip() == ""
