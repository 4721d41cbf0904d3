"""Browser tests: Playwright's sync API drives Debian's Chromium, headless, against `live_server`.

Chromium is never downloaded: set CHROMIUM_PATH or install Debian's `chromium` package. Without a
browser the tests are skipped, except under CI (env CI set), where that is a failure.

Database: every test here uses `live_server`, and pytest-django then gives the test a
transactional database even when a fixture (like `world`) asks only for `db`, so the data the
test thread writes is committed and visible to the server's thread.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls that the fixtures
# make from that thread are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "Mat-khau-2026"
TIMEOUT_MS = 10_000
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `browser` (a conftest's own `pytestmark` is not applied)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str | None:
    explicit = os.environ.get("CHROMIUM_PATH")
    candidates = [explicit] if explicit else CHROMIUM_CANDIDATES
    return next((c for c in candidates if Path(c).is_file()), None)


def _unavailable(reason: str, detail: str = ""):
    """Skip the browser tests, or fail them under CI, which must never skip them silently."""
    if os.environ.get("CI"):
        extra = f"{detail}; " if detail else ""
        pytest.fail(f"{reason} ({extra}CI is set, so browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        _unavailable("Playwright not installed: pip install -e '.[dev]' to run browser tests")
    executable = chromium_path()
    if executable is None:
        where = os.environ.get("CHROMIUM_PATH") or " or ".join(CHROMIUM_CANDIDATES)
        _unavailable(
            "Chromium not found: install Debian's chromium package to run browser tests",
            detail=f"looked for {where}",
        )
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield browser
    browser.close()
    playwright.stop()


def open_page(browser, live_server, **options):
    """A page in a new context (viewport, is_mobile… in `options`); yields it, then fails the
    test if the page raised a JavaScript error."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page, live_server, user, password: str = PASSWORD):
    """Log in through the form as `user` (a User or a user name); wait until signed in."""
    from playwright.sync_api import expect

    page.goto(live_server.url + "/login/")
    page.locator("input[name=username]").fill(getattr(user, "username", user))
    page.locator("input[name=password]").fill(password)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    return page


@pytest.fixture
def page(browser, live_server):
    yield from open_page(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def concern_topics(db):
    """The topics of the concerns migration: a live server's database is emptied after each
    test, and the migration's rows with it."""
    from importlib import import_module

    from tuyengiao.concerns.models import Topic

    topics = import_module("tuyengiao.concerns.migrations.0002_topics").TOPICS
    for position, (code, name) in enumerate(topics, start=1):
        Topic.objects.get_or_create(code=code, defaults={"name": name, "position": position})


@pytest.fixture
def login(page, live_server):
    """Log in through the form as `user` (a User or a user name) and wait for the home page."""
    from playwright.sync_api import expect

    def login(user, password: str = PASSWORD):
        sign_in(page, live_server, user, password)
        expect(page).to_have_url(live_server.url + "/")
        return page

    return login
