"""Logging in with a second factor: the code after the password, recovery codes, lock-out, and a
unit's requirement."""

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tests.second_factor.conftest import (
    SETUP,
    VERIFY,
    app_code,
    enrol,
    log_in,
    sign_in_with_code,
)
from tuyengiao.audit.models import AuditEntry

WRONG = "Mã xác thực không đúng hoặc đã được dùng."


def test_after_the_password_no_page_is_reachable_before_the_code(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    log_in(client, world.province_manager)
    for url in ("/", f"/units/{world.province.pk}/", "/deadlines/", "/account/password/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    assert client.get("/api/directives/").status_code in {401, 403}  # the session is not enough
    assert client.get("/admin/").status_code == 302

    clock.shift(30)
    response = client.post(f"{VERIFY}?next=/deadlines/", {"code": app_code(device)})
    assert response["Location"] == "/deadlines/"
    assert client.get("/deadlines/").status_code == 200
    assert client.get("/api/directives/").status_code == 200


def test_log_out_and_the_language_stay_reachable_at_the_code_page(client, world, clock):
    enrol(client, world.province_manager)
    log_in(client, world.province_manager)
    assert client.post("/i18n/setlang/", {"language": "en", "next": VERIFY}).status_code == 302
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/")["Location"].startswith("/login/")


def test_a_wrong_code_is_refused_in_vietnamese(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    log_in(client, world.province_manager)
    clock.shift(30)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)


@pytest.mark.parametrize("steps", [-1, 1])
def test_one_step_of_drift_is_accepted_two_are_not(client, world, clock, steps):
    device, _codes = enrol(client, world.province_manager)
    clock.shift(5 * 30)
    log_in(client, world.province_manager)
    response = client.post(VERIFY, {"code": app_code(device, steps=2 * steps)})
    assert WRONG in response.content.decode()
    assert client.post(VERIFY, {"code": app_code(device, steps=steps)}).status_code == 302


def test_a_code_cannot_be_replayed(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    clock.shift(30)
    code = app_code(device)
    log_in(client, world.province_manager)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.logout()
    clock.shift(10)  # still the same 30-second step
    log_in(client, world.province_manager)
    response = client.post(VERIFY, {"code": code})
    assert WRONG in response.content.decode()


def test_a_recovery_code_works_once(client, world, clock):
    _device, codes = enrol(client, world.province_manager)
    log_in(client, world.province_manager)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "còn 9 mã" in response.content.decode()
    assert AuditEntry.objects.filter(verb="second_factor_recovery_code_used").count() == 1

    client.logout()
    log_in(client, world.province_manager)
    assert WRONG in client.post(VERIFY, {"code": codes[0]}).content.decode()
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_five_wrong_codes_lock_the_code_page_even_for_the_right_code(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    assert settings.AXES_FAILURE_LIMIT == 5
    log_in(client, world.province_manager)
    clock.shift(30)
    wrong = f"{(int(app_code(device)) + 1) % 1_000_000:06d}"
    for _attempt in range(4):
        assert WRONG in client.post(VERIFY, {"code": wrong}).content.decode()
    locked = client.post(VERIFY, {"code": wrong})
    assert "quá nhiều lần" in locked.content.decode()

    assert "quá nhiều lần" in client.post(VERIFY, {"code": app_code(device)}).content.decode()
    # Logging in again with the password (which clears the password's failures) does not.
    client.logout()
    log_in(client, world.province_manager)
    clock.shift(30)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert "quá nhiều lần" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)

    clock.shift(settings.AXES_COOLOFF_TIME * 3600 + 30)  # the lock lasts 15 minutes
    assert client.post(VERIFY, {"code": app_code(device)}).status_code == 302


def test_an_api_token_keeps_working_for_an_account_with_a_second_factor(client, world, clock):
    enrol(client, world.province_manager)
    token = Token.objects.create(user=world.province_manager)
    response = client.get("/api/directives/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


# A unit's requirement ---------------------------------------------------------------------------


def require_for_province(client, world):
    client.force_login(world.province_admin)
    url = f"/units/{world.province.pk}/edit/"
    form = {"name": "Tỉnh A", "kind": "committee", "second_factor_required": "on"}
    assert client.post(url, form).status_code == 302
    client.logout()


def test_an_administrator_requires_it_for_their_subtree_audited(client, world):
    require_for_province(client, world)
    world.province.refresh_from_db()
    assert world.province.second_factor_required
    entry = AuditEntry.objects.filter(object_id=str(world.province.pk)).latest("id")
    assert entry.actor == world.province_admin
    assert ("second_factor_required", False, True) in entry.changes()
    # The administrator's own unit is in the subtree: from their next log-in, they set it up too.
    client.force_login(world.province_admin)
    assert client.get(f"/units/{world.province.pk}/")["Location"].startswith(SETUP)


def test_a_manager_below_must_set_it_up_before_anything_else(client, world, clock):
    world.commune_staff.role = "manager"  # a commune manager, below the province
    world.commune_staff.save()
    require_for_province(client, world)
    log_in(client, world.commune_staff)
    for url in ("/", "/deadlines/", "/account/second-factor/"):
        assert client.get(url)["Location"].startswith(SETUP), url
    assert "bắt buộc xác thực hai bước" in client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=world.commune_staff)
    assert client.post(SETUP, {"code": app_code(device)}).status_code == 302
    assert client.get("/deadlines/").status_code == 200
    # Required: it cannot be turned off.
    client.post("/account/second-factor/disable/", {"password": "Mat-khau-2026"})
    assert TOTPDevice.objects.filter(user=world.commune_staff, confirmed=True).exists()


def test_the_requirement_leaves_staff_and_other_subtrees_alone(client, world):
    require_for_province(client, world)
    for user in (world.commune_staff, world.neighbour):
        client.logout()
        log_in(client, user)
        assert client.get("/deadlines/").status_code == 200, user


def test_with_the_requirement_a_device_is_asked_for_as_usual(client, world, clock):
    device, _codes = enrol(client, world.province_manager)
    require_for_province(client, world)
    sign_in_with_code(client, clock, world.province_manager, device)
    assert client.get("/deadlines/").status_code == 200
