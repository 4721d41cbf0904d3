"""The second factor's tests: a frozen clock, so that the code an app would show is computed here
(django_otp.oath.totp) exactly as the server checks it."""

import re
from datetime import time

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import PASSWORD
from tests.clock import moment

NOON = moment("2026-11-20", time(12, 0))
SETUP = "/account/second-factor/setup/"
VERIFY = "/account/second-factor/verify/"
CODES = "/account/second-factor/codes/"


@pytest.fixture
def clock(time_machine):
    """The clock held at noon of a day of its own; `clock.shift(seconds)` moves it."""
    time_machine.move_to(NOON.timestamp(), tick=False)
    return time_machine


def app_code(device: TOTPDevice, steps: int = 0) -> str:
    """What the authenticator app shows now (`steps` periods of 30 s later or earlier)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, steps):06d}"


def log_in(client, user, password: str = PASSWORD):
    return client.post("/login/", {"username": user.username, "password": password})


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    """Set up the authenticator through the pages, as `user`; the device and the recovery codes."""
    client.force_login(user)
    assert client.get(SETUP).status_code == 200
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"code": app_code(device)})
    assert response.status_code == 302 and response["Location"] == CODES
    codes = re.findall(r"<li><code>(\w+)</code></li>", client.get(CODES).content.decode())
    client.post(CODES)
    client.logout()
    device.refresh_from_db()
    return device, codes


def sign_in_with_code(client, clock, user, device: TOTPDevice) -> None:
    """The password, then a fresh code (30 s on, so that no code already used is replayed)."""
    assert client.get(log_in(client, user)["Location"])["Location"].startswith(VERIFY)
    clock.shift(30)
    response = client.post(VERIFY, {"code": app_code(device)})
    assert response.status_code == 302 and not response["Location"].startswith(VERIFY)
