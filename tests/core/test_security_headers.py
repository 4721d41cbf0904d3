"""Security headers on every response: the Content-Security-Policy (no inline script or style),
Permissions-Policy, Referrer-Policy, Cross-Origin-Opener-Policy; HTTPS only behind HTTPS, so that
`check --deploy` is clean with production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

import tuyengiao

SRC = Path(tuyengiao.__file__).resolve().parent


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_a_page_forbids_inline_script_and_style_and_other_origins(client, world):
    client.force_login(world.province_manager)
    response = client.get("/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/login/", "/api/directives/", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_headers(client, db, url):
    response = client.get(url)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    features = dict(
        item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_a_page_shows_the_htmx_indicator_style_from_the_stylesheet(client, world):
    """htmx would otherwise insert a <style> element, which the policy refuses."""
    client.force_login(world.province_manager)
    html = client.get("/").content.decode()
    assert '"includeIndicatorStyles": false' in html
    css = (SRC / "static/tuyengiao/app.css").read_text()
    assert ".htmx-request .htmx-indicator" in css


# An inline <script> (one without src, or with a type the browser runs), a <style> element, a
# style="…" attribute, an on…= event attribute or a javascript: URL.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:json|ld\+json)\")[^>]*>"
    r"|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def test_no_template_has_inline_script_or_style():
    offenders = [
        f"{path.relative_to(SRC)}:{html[: m.start()].count(chr(10)) + 1}: {m.group(0).strip()}"
        for path in sorted(SRC.rglob("templates/**/*.html"))
        for html in [path.read_text()]
        for m in INLINE.finditer(html)
    ]
    assert not offenders, "The Content-Security-Policy refuses these:\n" + "\n".join(offenders)


def test_the_inline_check_finds_what_it_looks_for():
    for bad in (
        "<script>alert(1)</script>",
        '<select onchange="x()">',
        '<span style="--rate: 3%">',
        "<style>.a{}</style>",
        '<a href="javascript:x()">',
    ):
        assert INLINE.search(bad), bad
    for good in ('<script src="/static/a.js" defer></script>', '<span class="bar">', "<select>"):
        assert not INLINE.search(good), good


# HTTPS ----------------------------------------------------------------------------------------


def test_behind_https_plain_http_is_redirected_and_https_is_remembered(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    plain = Client().get("/login/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/login/"
    secure = Client().get("/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_behind_a_proxy_its_https_header_is_believed(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/login/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert Client().get("/login/", headers={"X-Forwarded-Proto": "http"}).status_code == 301


def test_without_secure_cookies_there_is_no_redirect_nor_hsts(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def run_command(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """A management command in a fresh process, with the given environment and no other
    setting of ours (the tests' own environment could hide what production would get)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_"))
    }
    base.update(TUYENGIAO_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "tuyengiao.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_COOKIES": "1",
    "ALLOWED_HOSTS": "tuyengiao.example.vn",
}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_command(tmp_path, PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_warns_when_https_is_not_set_up(tmp_path):
    """The counterpart: without SECURE_COOKIES the same check names what is missing."""
    env = {**PRODUCTION, "SECURE_COOKIES": "0"}
    result = run_command(tmp_path, env, "check", "--deploy")
    output = result.stdout + result.stderr
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in output, output


def test_the_https_settings_are_read_from_the_environment(tmp_path):
    env = {
        **PRODUCTION,
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = run_command(tmp_path, env, "shell", "-c", code)
    assert (
        result.stdout.strip().splitlines()[-1] == "600 False ('HTTP_X_FORWARDED_PROTO', 'https')"
    ), result.stderr
