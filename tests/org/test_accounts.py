"""Account management pages: managers look after the accounts of their own subtree."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db.models import QuerySet

from tuyengiao.audit.models import AuditEntry
from tuyengiao.org.models import Role, Unit, User

PASSWORD = "Tuyen-giao-Ha-Giang-2026"


def account_data(world, **overrides):
    data = {
        "username": "nguyenvanan",
        "first_name": "Nguyễn Văn",
        "last_name": "An",
        "email": "an@example.vn",
        "position": "Chuyên viên",
        "unit": world.commune.pk,
        "role": Role.STAFF,
        "password": PASSWORD,
    }
    data.update(overrides)
    return data


def history(user) -> QuerySet:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    )


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def manager(client, world):
    client.force_login(world.province_manager)
    return client


def test_a_manager_lists_only_the_accounts_of_their_subtree(manager, world):
    response = manager.get("/users/")
    assert response.status_code == 200
    listed = {u.username for u in response.context["page"]}
    assert listed == {"tinh", "quantri", "xa", "chibo", "ctv"}
    assert "tinhb" not in listed


def test_the_account_search_stays_within_the_subtree(manager, world):
    response = manager.get("/users/", {"q": "tinh"})  # not "tinhb" of the neighbouring province
    assert {u.username for u in response.context["page"]} == {"tinh", "quantri"}
    response = manager.get("/users/", {"q": "hoa an"})  # by unit, diacritics ignored
    assert {u.username for u in response.context["page"]} == {"xa", "ctv"}


def test_a_commune_manager_does_not_see_the_province_accounts(client, world):
    boss = User.objects.create(username="xa_lanhdao", unit=world.commune, role=Role.MANAGER)
    client.force_login(boss)
    listed = {u.username for u in client.get("/users/").context["page"]}
    assert listed == {"xa_lanhdao", "xa", "ctv", "chibo"}


def test_a_manager_creates_an_account_that_can_log_in(manager, world):
    response = manager.post("/users/add/", account_data(world))
    assert response.status_code == 302
    assert response.url == "/users/"
    assert flash(response) == ["Đã tạo tài khoản nguyenvanan."]
    user = User.objects.get(username="nguyenvanan")
    assert user.unit == world.commune
    assert user.role == Role.STAFF
    assert user.is_active
    assert user.get_full_name() == "Nguyễn Văn An"
    assert user.check_password(PASSWORD)
    entry = history(user).get(action="create")
    assert entry.actor == world.province_manager


def test_the_unit_choice_offers_only_units_in_scope(manager, world):
    response = manager.get("/users/add/")
    assert response.status_code == 200
    offered = set(response.context["form"].fields["unit"].queryset)
    assert offered == set(Unit.objects.subtree(world.province))
    page = response.content.decode()
    assert "Xã Hoà An" in page
    assert "Xã Hòa Bình" not in page
    assert "Tỉnh B" not in page


def test_a_duplicate_username_is_refused_in_vietnamese(manager, world):
    for taken in ("xa", "XA"):
        response = manager.post("/users/add/", account_data(world, username=taken))
        assert response.status_code == 200
        assert response.context["form"].errors["username"] == [
            "Tên đăng nhập này đã có người dùng."
        ]
    assert "Tên đăng nhập này đã có người dùng." in response.content.decode()
    assert User.objects.filter(username__iexact="xa").count() == 1


def test_a_weak_password_is_refused_in_vietnamese(manager, world):
    response = manager.post("/users/add/", account_data(world, password="1234"))
    assert response.status_code == 200
    errors = response.context["form"].errors["password"]
    assert "Mật khẩu này hoàn toàn là số." in errors
    # Too short: Django 5.2's own Vietnamese catalogue lacks this message, so it must come
    # from the project's.
    assert any("Mật khẩu" in e and "8" in e for e in errors), errors
    assert not [e for e in errors if e.startswith("This password")], errors
    assert not User.objects.filter(username="nguyenvanan").exists()


def test_a_unit_outside_the_scope_is_refused(manager, world):
    response = manager.post("/users/add/", account_data(world, unit=world.other_commune.pk))
    assert response.status_code == 200
    [error] = response.context["form"].errors["unit"]
    assert error.startswith("Hãy chọn một lựa chọn hợp lệ.")
    assert not User.objects.filter(username="nguyenvanan").exists()


def test_a_manager_cannot_grant_the_administrator_role(manager, world):
    form = manager.get("/users/add/").context["form"]
    roles = [value for value, _label in form.fields["role"].choices]
    assert Role.ADMINISTRATOR not in roles
    assert Role.MANAGER in roles

    response = manager.post("/users/add/", account_data(world, role=Role.ADMINISTRATOR))
    assert response.status_code == 200
    [error] = response.context["form"].errors["role"]
    assert error.startswith("Hãy chọn một lựa chọn hợp lệ.")
    assert not User.objects.filter(username="nguyenvanan").exists()

    data = account_data(world, role=Role.ADMINISTRATOR)
    del data["password"]
    response = manager.post(f"/users/{world.commune_staff.pk}/edit/", data)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    world.commune_staff.refresh_from_db()
    assert world.commune_staff.role == Role.STAFF


def test_an_administrator_may_grant_the_administrator_role(client, world):
    client.force_login(world.province_admin)
    response = client.post("/users/add/", account_data(world, role=Role.ADMINISTRATOR))
    assert response.status_code == 302
    assert User.objects.get(username="nguyenvanan").role == Role.ADMINISTRATOR


def test_a_manager_edits_an_account_and_the_change_is_audited(manager, world):
    staff = world.commune_staff
    response = manager.get(f"/users/{staff.pk}/edit/")
    assert response.status_code == 200
    data = account_data(world, username="doi-ten", unit=world.cell.pk, role=Role.MANAGER)
    del data["password"]
    response = manager.post(f"/users/{staff.pk}/edit/", data)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.username == "xa"  # the login name cannot be changed here
    assert staff.unit == world.cell
    assert staff.role == Role.MANAGER
    entry = history(staff).get(action="update")
    changed = {field for field, _before, _after in entry.changes()}
    assert {"unit_id", "role", "first_name", "last_name", "email", "position"} <= changed
    assert "username" not in changed


def test_deactivating_an_account_locks_it_and_is_audited(manager, world):
    staff = world.commune_staff
    response = manager.post(f"/users/{staff.pk}/toggle-active/")
    assert response.status_code == 302
    assert response.url == "/users/"
    assert flash(response) == ["Đã khóa tài khoản xa."]
    staff.refresh_from_db()
    assert not staff.is_active
    entry = history(staff).get(verb="deactivate")
    assert entry.actor == world.province_manager
    assert entry.changes() == [("is_active", True, False)]
    assert entry.unit_path == world.commune.path

    manager.post(f"/users/{staff.pk}/toggle-active/")
    staff.refresh_from_db()
    assert staff.is_active
    assert history(staff).filter(verb="activate").exists()


def test_a_locked_account_is_shown_as_locked(manager, world):
    manager.post(f"/users/{world.commune_staff.pk}/toggle-active/")
    page = manager.get("/users/").content.decode()
    assert "Đã khóa" in page
    assert "Mở khóa" in page


def test_a_manager_cannot_lock_themselves(manager, world):
    me = world.province_manager
    response = manager.post(f"/users/{me.pk}/toggle-active/")
    assert response.status_code == 302
    assert flash(response) == ["Bạn không thể tự khóa tài khoản của mình."]
    me.refresh_from_db()
    assert me.is_active
    assert not history(me).exists()


def test_the_neighbouring_province_cannot_reach_our_accounts(client, world):
    client.force_login(world.neighbour)
    target = world.commune_staff
    assert client.get(f"/users/{target.pk}/edit/").status_code == 404
    assert client.get(f"/users/{world.province_manager.pk}/edit/").status_code == 404
    assert client.post(f"/users/{target.pk}/toggle-active/").status_code == 404
    target.refresh_from_db()
    assert target.is_active


@pytest.mark.parametrize(
    "persona, status", [("commune_staff", 403), ("cell_viewer", 403), ("collaborator", 404)]
)
def test_staff_and_viewers_cannot_manage_accounts(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/users/").status_code == status
    assert client.get("/users/add/").status_code == status
    assert client.post("/users/add/", account_data(world)).status_code == status
    assert not User.objects.filter(username="nguyenvanan").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get("/users/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_a_user_changes_their_password(client, world):
    user = world.commune_staff
    client.force_login(user)
    assert client.get("/account/password/").status_code == 200

    response = client.post(
        "/account/password/",
        {"old_password": "sai", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không chính xác" in response.content.decode()

    response = client.post(
        "/account/password/",
        {"old_password": "Mat-khau-2026", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/account/password/done/"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The session survives the change.
    assert client.get("/account/password/done/").status_code == 200
