"""Browser lane: a live server with demo data, Debian Chromium driven by Playwright, axe-core.

Fixtures:
* ``live_server`` — base URL of the app served in a thread (SQLite file, migrated with
  ``upgrade heads``, ``seed-demo`` data, CSRF on, real SMTP server for mail);
* ``browser`` — Chromium (``executable_path`` = Debian's ``chromium``);
* ``page`` — a fresh context + page (Polish, 1280×900); ``mobile_page`` — 320×640 (WCAG reflow width);
* ``check_axe(page)`` — runs axe-core on the current page and fails on any violation;
* ``log_in(page, email)`` — logs in through the real form with the demo password.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_NOW

#: The live server sends static files (the favicon, CSS) through werkzeug's file wrapper; when
#: Chromium drops such a request before reading the body (it often does for the favicon), the
#: file is closed by the garbage collector instead of the server thread, and pytest reports the
#: ResourceWarning of that thread against whichever test runs then. Not a fault of the page under
#: test; every other warning stays an error.
STATIC_FILE_WARNINGS = (
    r"ignore:Exception ignored in. <_io.FileIO name=.*static.*:pytest.PytestUnraisableExceptionWarning",
    r"ignore:unclosed file <_io.BufferedReader name=.*static.*:ResourceWarning",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            for spec in STATIC_FILE_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))

DEMO_PASSWORD = "demo-haslo-sieci"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_LIVE: dict = {}


@pytest.fixture
def send_due(live_server):
    """``send_due()``: run the scheduler's sending job once against the live server's database
    (e-mails are queued by the web requests and sent by the scheduler process)."""
    from coordination.notifications import services as notify

    def _run() -> dict:
        with _LIVE["app"].app_context():
            return notify.send_due()

    return _run


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, smtp):
    from flask_migrate import upgrade

    from coordination import create_app
    from coordination.demo import seed_demo
    from coordination.extensions import db

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app({
        "SECRET_KEY": "e2e-secret",
        "DATABASE_URL": "sqlite:///" + str(tmp_path_factory.mktemp("e2e") / "e2e.sqlite"),
        "BASE_URL": base,
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp._port,
        "DEMO_PASSWORD": DEMO_PASSWORD,
        # the server's own clock runs from the suite's moment: the demo data is seeded and the
        # pages are served at the same time the tests' pinned clock shows
        "CLOCK_START": TEST_NOW.isoformat(),
    })
    with app.app_context():
        upgrade(revision="heads")
        seed_demo()
        db.session.remove()
    _LIVE["app"] = app
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


def _chromium() -> str:
    path = os.environ.get("SIECES_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian chromium not found: apt-get install chromium (make test does it as root)")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS, headless=True)
        yield instance
        instance.close()


def _new_page(browser, base, **kwargs):
    context = browser.new_context(base_url=base, locale="pl-PL", **kwargs)
    page = context.new_page()
    errors: list[str] = []
    def on_console(msg):
        # a 422 is the expected answer to an invalid form (htmx swaps it in)
        if msg.type == "error" and "status of 422" not in msg.text:
            errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    return context, page


def _open(browser, live_server, **kwargs):
    """A fresh page in its own context; closed after the test, which fails on console errors."""
    context, pg = _new_page(browser, live_server, **kwargs)
    yield pg
    context.close()
    assert not pg.console_errors, f"browser console errors: {pg.console_errors}"


@pytest.fixture
def page(browser, live_server):
    yield from _open(browser, live_server, viewport={"width": 1280, "height": 900})


@pytest.fixture
def mobile_page(browser, live_server):
    yield from _open(browser, live_server, viewport={"width": 320, "height": 640}, is_mobile=True, has_touch=True)


@pytest.fixture
def phone(browser, live_server):
    """A 375 px touch phone (the width WCAG's reflow criterion is judged at)."""
    yield from _open(browser, live_server, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)


def no_horizontal_scroll(pg) -> bool:
    """The page fits its viewport's width (no sideways scrolling, WCAG 1.4.10)."""
    return pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_axe(_axe):
    """check_axe(page): 0 axe-core violations on the current page (all default rules)."""

    def _check(pg):
        results = _axe.run(pg)
        if results.violations_count:
            details = []
            for v in results.response["violations"]:
                targets = [n.get("target") for n in v.get("nodes", [])][:5]
                details.append(f"{v['id']} ({v.get('impact')}): {v.get('help')} -> {targets}")
            raise AssertionError(f"axe violations on {pg.url}:\n" + "\n".join(details))
        return results

    return _check


@pytest.fixture
def log_in(live_server):
    def _log_in(pg, email, password=DEMO_PASSWORD):
        pg.goto("/login")
        pg.get_by_label("E-mail").fill(email)
        pg.get_by_label("Hasło").fill(password)
        pg.get_by_role("button", name="Zaloguj się").click()
        pg.wait_for_url(lambda url: "/login" not in url)

    return _log_in
