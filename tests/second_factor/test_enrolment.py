"""Setting up the second factor from the account's page, and what it leaves in the log."""

import re

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor.conftest import CODES, SETUP, app_code, enrol, sign_in_with_code
from tuyengiao.audit.models import AuditEntry

PAGE = "/account/second-factor/"


def test_a_manager_finds_the_page_in_the_user_menu(client, world):
    client.force_login(world.province_manager)
    assert f'href="{PAGE}"' in client.get("/").content.decode()
    assert "Bật xác thực hai bước" in client.get(PAGE).content.decode()


def test_viewers_staff_and_collaborators_have_no_such_page(client, world):
    for user in (world.cell_viewer, world.commune_staff, world.collaborator):
        client.force_login(user)
        for url in (PAGE, SETUP, CODES, PAGE + "codes.txt"):
            assert client.get(url).status_code == 404, (user, url)
        for url in (SETUP, PAGE + "codes/new/", PAGE + "disable/"):
            assert client.post(url, {"code": "123456"}).status_code == 404, (user, url)
        assert f'href="{PAGE}"' not in client.get("/", follow=True).content.decode()
    assert not TOTPDevice.objects.exists()


def test_the_setup_page_shows_a_qr_code_without_inline_style_and_the_secret(client, world, clock):
    client.force_login(world.province_admin)
    text = client.get(SETUP).content.decode()
    svg = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg and "<path" in svg
    assert "style=" not in svg and "<script" not in svg
    device = TOTPDevice.objects.get(user=world.province_admin, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', text).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", secret)
    assert secret.replace(" ", "") in device.config_url  # the QR code's content
    # Reloading keeps the secret already scanned.
    assert secret in client.get(SETUP).content.decode()


def test_a_code_from_the_app_turns_it_on_and_shows_ten_recovery_codes_once(client, world, clock):
    client.force_login(world.province_manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.province_manager)
    response = client.post(SETUP, {"code": app_code(device)}, follow=True)
    assert response.redirect_chain == [(CODES, 302)]
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    device.refresh_from_db()
    assert device.confirmed

    download = client.get(PAGE + "codes.txt")
    assert download["Content-Disposition"].startswith("attachment;")
    assert all(code in download.content.decode() for code in codes)

    client.post(CODES)  # "I have saved them"
    assert client.get(CODES)["Location"] == PAGE
    assert client.get(PAGE + "codes.txt").status_code == 404
    assert "Còn 10 mã khôi phục" in client.get(PAGE).content.decode()


def test_a_wrong_code_is_refused_in_vietnamese(client, world, clock):
    client.force_login(world.province_manager)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=world.province_manager)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.exists()


def test_turning_it_on_off_and_new_codes_are_audited_without_secrets(client, world, clock):
    device, codes = enrol(client, world.province_manager)
    sign_in_with_code(client, clock, world.province_manager, device)
    client.post(PAGE + "codes/new/")
    new_codes = set(StaticToken.objects.values_list("token", flat=True))
    assert new_codes.isdisjoint(codes)
    response = client.post(PAGE + "disable/", {"password": "Mat-khau-2026"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists() and not StaticToken.objects.exists()

    entries = AuditEntry.objects.filter(
        object_id=str(world.province_manager.pk), verb__startswith="second_factor"
    ).order_by("id")
    assert {entry.object_repr for entry in entries} == {str(world.province_manager)}
    assert list(entries.values_list("verb", flat=True)) == [
        "second_factor_enable",
        "second_factor_recovery_codes",
        "second_factor_disable",
    ]
    logged = str(list(entries.values_list("before", "after")))
    assert device.key not in logged and device.key.upper() not in logged
    assert not any(code in logged for code in [*codes, *new_codes])


def test_turning_it_off_needs_a_current_code_or_the_password(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    sign_in_with_code(client, clock, world.province_manager, device)
    response = client.post(PAGE + "disable/", {"password": "sai"}, follow=True)
    assert "Mã xác thực hoặc mật khẩu không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.province_manager).exists()
    clock.shift(30)
    client.post(PAGE + "disable/", {"code": app_code(device)})
    assert not TOTPDevice.objects.exists()
