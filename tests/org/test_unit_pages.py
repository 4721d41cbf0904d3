"""The unit pages: detail, add and edit, merge and dissolve, search."""

from datetime import date

import pytest
from django.contrib.messages import get_messages

from tests.clock import on_day
from tuyengiao.org.models import Kind, Level, Role, Unit, User
from tuyengiao.org.services import NewUnit, unit_merge, units_create_many


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def unit_form(**overrides):
    data = {
        "name": "Chi bộ thôn Khuổi Khon",
        "short_name": "",
        "kind": Kind.CELL,
        "level": "",
        "code": "",
        "valid_from": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin(client, world):
    client.force_login(world.province_admin)
    return client


@pytest.fixture
def manager(client, world):
    client.force_login(world.province_manager)
    return client


# Detail -------------------------------------------------------------------------------------


def test_the_unit_page_lists_children_with_their_sub_unit_and_account_counts(manager, world):
    response = manager.get(f"/units/{world.province.pk}/")
    assert response.status_code == 200
    rows = {c.name: (c.subtree_size, c.user_count) for c in response.context["children"]}
    assert rows == {
        "Xã Hoà An": (2, 3),  # two cells; xa and ctv there, chibo in a cell
        "Xã Ngân Sơn": (0, 0),
        "Ban Tuyên giáo và Dân vận Tỉnh ủy A": (0, 0),
    }
    # Agencies first, then the committees by name.
    assert [c.name for c in response.context["children"]] == [
        "Ban Tuyên giáo và Dân vận Tỉnh ủy A",
        "Xã Hoà An",
        "Xã Ngân Sơn",
    ]
    page = response.content.decode()
    assert f'href="/units/{world.commune.pk}/">Xã Hoà An</a>' in page
    assert "Tỉnh B" not in page


def test_locked_accounts_are_not_counted(manager, world):
    User.objects.filter(pk=world.collaborator.pk).update(is_active=False)
    children = manager.get(f"/units/{world.province.pk}/").context["children"]
    assert {c.name: c.user_count for c in children}["Xã Hoà An"] == 2


def test_a_unit_outside_the_scope_does_not_exist(client, world):
    client.force_login(world.neighbour)
    assert client.get(f"/units/{world.province.pk}/").status_code == 404
    assert client.get(f"/units/{world.cell.pk}/").status_code == 404


def test_the_administration_buttons_are_only_for_administrators(client, world):
    client.force_login(world.province_manager)
    assert "Quản trị đơn vị" not in client.get(f"/units/{world.commune.pk}/").content.decode()
    client.force_login(world.province_admin)
    page = client.get(f"/units/{world.commune.pk}/").content.decode()
    assert "Quản trị đơn vị" in page
    assert f"/units/{world.commune.pk}/merge/" in page


# The day the merge takes effect: from then on the unit is no longer in force.
@on_day("2025-07-01")
def test_a_merged_unit_links_to_its_successor_and_the_successor_to_it(manager, world):
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2025, 7, 1))

    page = manager.get(f"/units/{world.commune2.pk}/").content.decode()
    assert "Hết hiệu lực từ" in page
    assert "01/07/2025" in page
    assert f'→ <a href="/units/{world.commune.pk}/">Xã Hoà An</a>' in page

    page = manager.get(f"/units/{world.commune.pk}/").content.decode()
    assert "Kế thừa từ" in page
    assert f'<a href="/units/{world.commune2.pk}/">Xã Ngân Sơn</a>' in page

    # The parent lists the merged unit last, marked as no longer in force.
    children = manager.get(f"/units/{world.province.pk}/").context["children"]
    assert children[-1] == world.commune2
    assert not children[-1].is_active


# Session, user, the unit (with parent and successor), the user's own unit (scope), breadcrumb,
# children, two grouped counts, the obligation tally, the upcoming list, predecessors, and the
# oversight panel's four (inspections, open recommendations, the window's setting, recurring
# fields); none per child.
UNIT_PAGE_QUERIES = 16


def test_the_unit_page_makes_a_fixed_number_of_queries(
    manager, world, django_assert_max_num_queries
):
    url = f"/units/{world.commune.pk}/"
    manager.get(url)  # warm the per-process caches (content types, ...)
    with django_assert_max_num_queries(UNIT_PAGE_QUERIES) as before:
        assert manager.get(url).status_code == 200
    units_create_many(
        actor=None,
        rows=[
            NewUnit(parent=world.commune, name=f"Chi bộ số {i}", kind=Kind.CELL) for i in range(30)
        ],
    )
    for i in range(3):
        User.objects.create(username=f"cb{i}", unit=world.cell, role=Role.VIEWER)
    with django_assert_max_num_queries(UNIT_PAGE_QUERIES) as after:
        response = manager.get(url)
    assert len(response.context["children"]) == 32
    assert len(after.captured_queries) == len(before.captured_queries)


# Add and edit -------------------------------------------------------------------------------


def test_an_administrator_adds_a_cell(admin, world):
    response = admin.get(f"/units/{world.commune.pk}/add/")
    assert response.status_code == 200
    response = admin.post(
        f"/units/{world.commune.pk}/add/", unit_form(valid_from="01/07/2025", code="CB-KK")
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Chi bộ thôn Khuổi Khon")
    assert response.url == f"/units/{unit.pk}/"
    assert flash(response) == ["Đã thêm đơn vị Chi bộ thôn Khuổi Khon."]
    assert unit.parent == world.commune
    assert unit.kind == Kind.CELL
    assert unit.level == Level.CELL
    assert unit.code == "CB-KK"
    assert unit.valid_from == date(2025, 7, 1)
    assert unit.path.startswith(world.commune.path)


def test_an_administrator_edits_a_unit(admin, world):
    response = admin.get(f"/units/{world.cell.pk}/edit/")
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Chi bộ thôn Nà Pài"
    response = admin.post(
        f"/units/{world.cell.pk}/edit/",
        unit_form(name="Chi bộ thôn Nà Pài Mới", short_name="NPM", valid_from="1/1/2020"),
    )
    assert response.status_code == 302
    assert flash(response) == ["Đã lưu thay đổi."]
    world.cell.refresh_from_db()
    assert world.cell.name == "Chi bộ thôn Nà Pài Mới"
    assert world.cell.short_name == "NPM"
    assert world.cell.valid_from == date(2020, 1, 1)
    assert world.cell.search_key == "chi bo thon na pai moi"
    assert world.cell.parent == world.commune


def test_an_impossible_date_is_shown_beside_its_field(admin, world):
    response = admin.post(f"/units/{world.commune.pk}/add/", unit_form(valid_from="31/02/2026"))
    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"] == [
        'Ngày "31/02/2026" không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy.'
    ]
    assert "không hợp lệ. Hãy nhập theo dạng dd/mm/yyyy." in response.content.decode()
    assert not Unit.objects.filter(name="Chi bộ thôn Khuổi Khon").exists()


def test_a_missing_name_is_shown_beside_its_field(admin, world):
    response = admin.post(f"/units/{world.commune.pk}/add/", unit_form(name=""))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Trường này là bắt buộc."]


def test_a_duplicate_code_is_shown_beside_the_code_field(admin, world):
    count = Unit.objects.count()
    response = admin.post(f"/units/{world.commune.pk}/add/", unit_form(code="90002"))
    assert response.status_code == 200
    assert response.context["form"].errors.get("code") == ["Đã có đơn vị mang mã này."]
    assert Unit.objects.count() == count

    response = admin.post(
        f"/units/{world.commune2.pk}/edit/",
        unit_form(name="Xã Ngân Sơn", kind=Kind.COMMITTEE, code="90001"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("code") == ["Đã có đơn vị mang mã này."]
    world.commune2.refresh_from_db()
    assert world.commune2.code == "90002"


@pytest.mark.parametrize("persona", ["province_manager", "commune_staff", "neighbour"])
def test_only_administrators_of_the_subtree_add_or_edit_units(client, world, persona):
    client.force_login(getattr(world, persona))
    count = Unit.objects.count()
    assert client.get(f"/units/{world.commune.pk}/add/").status_code in (403, 404)
    assert client.post(f"/units/{world.commune.pk}/add/", unit_form()).status_code in (403, 404)
    response = client.post(f"/units/{world.cell.pk}/edit/", unit_form(name="Đổi tên"))
    assert response.status_code in (403, 404)
    assert Unit.objects.count() == count
    world.cell.refresh_from_db()
    assert world.cell.name == "Chi bộ thôn Nà Pài"


# Merge and dissolve ---------------------------------------------------------------------------


def test_merging_a_commune_into_its_neighbour(admin, world):
    response = admin.get(f"/units/{world.commune2.pk}/merge/")
    assert response.status_code == 200
    targets = set(response.context["form"].fields["target"].queryset)
    assert targets == {world.commune, world.office}  # active siblings in scope

    response = admin.post(
        f"/units/{world.commune2.pk}/merge/", {"target": world.commune.pk, "on": "01/07/2025"}
    )
    assert response.status_code == 302
    assert response.url == f"/units/{world.commune.pk}/"
    assert flash(response) == ["Đã sáp nhập Xã Ngân Sơn vào Xã Hoà An."]
    world.commune2.refresh_from_db()
    assert world.commune2.valid_to == date(2025, 7, 1)
    assert world.commune2.successor == world.commune


def test_merge_moves_the_active_children_to_the_successor(admin, world):
    response = admin.post(
        f"/units/{world.commune.pk}/merge/", {"target": world.commune2.pk, "on": "01/07/2025"}
    )
    assert response.status_code == 302
    for cell in (world.cell, world.cell2):
        cell.refresh_from_db()
        assert cell.parent == world.commune2
        assert cell.path.startswith(world.commune2.path)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"on": "31/02/2025"}, "on", 'Ngày "31/02/2025" không hợp lệ.'),
        ({"on": ""}, "on", "Trường này là bắt buộc."),
        ({"target": "other"}, "target", "Hãy chọn một lựa chọn hợp lệ."),
        ({"target": "self"}, "target", "Hãy chọn một lựa chọn hợp lệ."),
    ],
)
def test_merge_refuses_bad_input_with_a_message(admin, world, data, field, message):
    form = {"target": world.commune.pk, "on": "01/07/2025", **data}
    form["target"] = {"other": world.other_commune.pk, "self": world.commune2.pk}.get(
        form["target"], form["target"]
    )
    response = admin.post(f"/units/{world.commune2.pk}/merge/", form)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    world.commune2.refresh_from_db()
    assert world.commune2.valid_to is None


def test_merge_before_the_unit_began_is_refused_with_a_message(admin, world):
    Unit.objects.filter(pk=world.commune2.pk).update(valid_from=date(2026, 1, 1))
    response = admin.post(
        f"/units/{world.commune2.pk}/merge/", {"target": world.commune.pk, "on": "01/07/2025"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."
    ]
    world.commune2.refresh_from_db()
    assert world.commune2.valid_to is None


def test_a_unit_merged_already_cannot_be_merged_again(admin, world):
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2025, 7, 1))
    response = admin.post(
        f"/units/{world.commune2.pk}/merge/", {"target": world.office.pk, "on": "01/08/2025"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    world.commune2.refresh_from_db()
    assert world.commune2.successor == world.commune


def test_dissolving_a_cell(admin, world):
    assert admin.get(f"/units/{world.cell.pk}/dissolve/").status_code == 200
    response = admin.post(f"/units/{world.cell.pk}/dissolve/", {"on": "15/08/2025"})
    assert response.status_code == 302
    assert flash(response) == ["Đã giải thể Chi bộ thôn Nà Pài."]
    world.cell.refresh_from_db()
    assert world.cell.valid_to == date(2025, 8, 15)


def test_a_unit_with_active_children_cannot_be_dissolved(admin, world):
    response = admin.post(f"/units/{world.commune.pk}/dissolve/", {"on": "15/08/2025"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể chúng trước."
    ]
    assert "Đơn vị còn đơn vị trực thuộc đang hoạt động" in response.content.decode()
    world.commune.refresh_from_db()
    assert world.commune.valid_to is None


def test_a_unit_closed_already_cannot_be_dissolved_again(admin, world):
    # Dissolving a merged unit would overwrite the merge date and keep a stale successor.
    unit_merge(actor=None, sources=[world.commune2], target=world.commune, on=date(2025, 7, 1))
    response = admin.post(f"/units/{world.commune2.pk}/dissolve/", {"on": "15/08/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors
    world.commune2.refresh_from_db()
    assert world.commune2.valid_to == date(2025, 7, 1)


def test_dissolve_refuses_a_bad_date(admin, world):
    response = admin.post(f"/units/{world.cell.pk}/dissolve/", {"on": "32/13/2025"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"][0].startswith('Ngày "32/13/2025" không hợp lệ.')
    world.cell.refresh_from_db()
    assert world.cell.valid_to is None


# Search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["hoa an", "Hòa An", "Hoà An", "HOA AN", "xa hoa"])
def test_search_finds_the_commune_however_it_is_typed(manager, world, query):
    response = manager.get("/units/search/", {"q": query})
    assert response.status_code == 200
    assert world.commune in response.context["results"]
    assert "Xã Hoà An" in response.content.decode()


def test_search_never_returns_units_outside_the_scope(manager, world):
    results = manager.get("/units/search/", {"q": "hoa"}).context["results"]
    assert world.commune in results
    assert world.other_commune not in results  # Xã Hòa Bình is in Tỉnh B
    assert all(u.path.startswith(world.province.path) for u in results)

    results = manager.get("/units/search/", {"q": "chi bo thon"}).context["results"]
    assert set(results) == {world.cell, world.cell2}


def test_search_from_the_neighbouring_province_finds_nothing_of_ours(client, world):
    client.force_login(world.neighbour)
    response = client.get("/units/search/", {"q": "hoa an"})
    assert response.context["results"] == []
    assert "Không tìm thấy đơn vị nào." in response.content.decode()
    assert [u.name for u in client.get("/units/search/", {"q": "hoa"}).context["results"]] == [
        "Xã Hòa Bình"
    ]


def test_search_answers_htmx_with_the_results_only(manager, world):
    response = manager.get("/units/search/", {"q": "hoa an"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Xã Hoà An" in page
    assert "<html" not in page
    assert "HX-Request" in response["Vary"]
