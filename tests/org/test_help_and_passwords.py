"""Help, the icon, the forgotten password and the warning before a lock-out."""

import re

import pytest
from django.core import mail

from tests.factories import UserFactory
from tuyengiao.audit.models import AuditEntry
from tuyengiao.org.models import Role

PASSWORD = "Mat-khau-2026"
NEW_PASSWORD = "Mat-khau-moi-2026!"


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)


def test_every_page_names_its_icon_and_links_to_help(client, world):
    assert 'rel="icon"' in client.get("/login/").content.decode()
    client.force_login(world.commune_staff)
    page = client.get(f"/units/{world.commune.pk}/").content.decode()
    assert 'rel="icon"' in page and 'href="/help/"' in page


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("collaborator", ["Gửi phản ánh", "Cách nhập số và ngày"], ["Duyệt số liệu", "quá hạn"]),
        ("cell_viewer", ["Tài khoản xem", "Hoàn thành trễ hạn"], ["Duyệt số liệu", "Chuyên viên"]),
        ("commune_staff", ["Chuyên viên", "Ctrl+Enter", "24.193"], ["Duyệt số liệu"]),
        ("province_manager", ["Duyệt số liệu", "đặt lại mật khẩu"], ["Cây tổ chức"]),
        ("province_admin", ["Cây tổ chức", "Chỉ tiêu và biểu mẫu"], ["Cộng tác viên"]),
    ],
)
def test_the_help_page_speaks_to_each_role(client, world, persona, shown, hidden):
    client.force_login(getattr(world, persona))
    text = client.get("/help/").content.decode()
    for words in shown:
        assert words in text, words
    for words in hidden:
        assert words not in text, words


def test_a_forgotten_password_is_reset_by_the_link_sent_by_email(client, world):
    world.commune_staff.email = "xa@example.vn"
    world.commune_staff.save()
    page = client.get("/account/password/reset/").content.decode()
    assert "hãy nhờ quản lý đơn vị đặt lại mật khẩu" in page

    response = client.post("/account/password/reset/", {"email": "XA"}, follow=True)
    assert "Đã gửi yêu cầu" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["xa@example.vn"]]
    link = re.search(r"http://testserver(/account/password/reset/\S+/)", mail.outbox[0].body)[1]

    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Đã đặt mật khẩu mới" in done.content.decode()
    world.commune_staff.refresh_from_db()
    assert world.commune_staff.check_password(NEW_PASSWORD)


def test_an_account_without_an_address_gets_no_mail_and_the_page_says_whom_to_ask(client, world):
    response = client.post("/account/password/reset/", {"email": "xa"}, follow=True)
    assert "nhờ quản lý đơn vị đặt lại mật khẩu" in response.content.decode()
    assert mail.outbox == []


def test_a_manager_sets_a_new_password_for_an_account_below(client, world):
    client.force_login(world.province_manager)
    assert f"/users/{world.commune_staff.pk}/password/" in client.get("/users/").content.decode()
    response = client.post(
        f"/users/{world.commune_staff.pk}/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    world.commune_staff.refresh_from_db()
    assert world.commune_staff.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(verb="set_password")
    assert entry.actor == world.province_manager
    assert "password" not in entry.after  # the log never holds a password, not even hashed


def test_no_one_sets_a_password_outside_their_subtree_or_without_the_right(client, world):
    outside = UserFactory(unit=world.other_province, role=Role.STAFF)
    client.force_login(world.province_manager)
    url = f"/users/{outside.pk}/password/"
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, data).status_code == 404
    client.force_login(world.commune_staff)
    assert client.post(f"/users/{world.cell_viewer.pk}/password/", data).status_code == 404
    outside.refresh_from_db()
    world.cell_viewer.refresh_from_db()
    assert outside.check_password(PASSWORD) and world.cell_viewer.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(verb="set_password").exists()


def test_the_login_page_warns_before_the_last_try(client, world, settings):
    assert settings.AXES_FAILURE_LIMIT == 5

    def wrong():
        return client.post("/login/", {"username": "xa", "password": "sai"}).content.decode()

    for _ in range(2):
        assert "lockout-warning" not in wrong()
    assert "Còn 2 lần thử" in wrong()
    last = wrong()
    assert "Còn 1 lần thử: nếu nhập sai lần nữa, tài khoản sẽ bị tạm khóa 15 phút." in last
    assert "Tạm khóa đăng nhập" in wrong()


def test_a_manager_reset_lifts_the_lockout(client, world):
    for _ in range(5):
        client.post("/login/", {"username": "xa", "password": "sai"})
    client.force_login(world.province_manager)
    client.post(
        f"/users/{world.commune_staff.pk}/password/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.logout()
    response = client.post("/login/", {"username": "xa", "password": NEW_PASSWORD})
    assert response.status_code == 302
