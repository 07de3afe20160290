"""Shared fixtures: the app on the lane's database, a real SMTP server, users and logins.

Lanes: ``SIECES_TEST_DB=sqlite`` (default) or ``postgresql``. The PostgreSQL lane uses
``SIECES_TEST_DATABASE_URL`` or starts a throwaway cluster (tests/pgcluster.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from sqlalchemy import delete, event, select

from coordination import create_app
from coordination.clock import pin as pin_clock
from coordination.extensions import db
from coordination.tenancy import all_tenants, clear_request_tenant, tenant_context

LANE = os.environ.get("SIECES_TEST_DB", "sqlite")
PASSWORD = "test-haslo-123"
#: the pytest-xdist worker running this process (``gw0``, ``gw1``...), ``main`` without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


#: the instant every test runs at unless it sets another one: a Wednesday in November, 10:00 in
#: Warsaw, far from New Year, DST changes and month ends. ``SIECES_TEST_NOW`` (ISO 8601 with an
#: offset) runs the whole suite at another moment, e.g. ``2026-12-31T22:30:00+00:00``.
TEST_NOW = datetime.fromisoformat(os.environ.get("SIECES_TEST_NOW", "2026-11-18T09:00:00+00:00"))


def pytest_report_header(config):
    return f"sieci lane: {LANE}; clock pinned at {TEST_NOW.isoformat()}"


def worker_database(name: str) -> str:
    """This worker's copy of a PostgreSQL database: ``sieci_test_gw0``, ``sieci_test_main``..."""
    return f"{name}_{WORKER}"


_cluster = None


def pytest_configure(config):
    """PostgreSQL lane: one throwaway cluster for the whole run, started by the main process
    (the xdist controller, or the only process without xdist) before any worker starts; the
    workers find it in ``SIECES_TEST_DATABASE_URL`` and each uses its own databases on it."""
    global _cluster
    if LANE != "postgresql" or hasattr(config, "workerinput") or os.environ.get("SIECES_TEST_DATABASE_URL"):
        return
    from tests import pgcluster

    _cluster = pgcluster.Cluster()
    os.environ["SIECES_TEST_DATABASE_URL"] = _cluster.start()


def pytest_unconfigure(config):
    global _cluster
    if _cluster is not None:
        os.environ.pop("SIECES_TEST_DATABASE_URL", None)
        _cluster.stop()
        _cluster = None


class FakeClock:
    """A clock that stands still until a test moves it: ``advance(days=1)`` travels in time."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> datetime:
        self.now = now
        return now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def pinned_clock():
    """Every test runs with the one clock (coordination/clock.py) pinned at ``TEST_NOW``; a test
    that needs another moment calls ``pinned_clock.set(...)`` or ``advance(...)``."""
    fake = FakeClock(TEST_NOW)
    pin_clock(fake)
    yield fake
    pin_clock(None)


#: Monday 2 March 2026, 09:00 UTC = 10:00 in Warsaw (naive UTC, as stored): the start of the
#: weeks the notification tests travel through (reminders, digests, retries).
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def clock(pinned_clock):
    """:func:`pinned_clock` moved to :data:`MONDAY_MORNING`; tests travel on with ``advance``."""
    pinned_clock.set(MONDAY_MORNING)
    return pinned_clock


@pytest.fixture
def csrf_off(app):
    """Forms posted without a CSRF token (CSRF itself is tested in tests/test_csrf.py)."""
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url`` (for tests that keep CSRF on)."""
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@dataclass
class StatementLog:
    """SQL statements executed inside :func:`count_statements`."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_statements(app):
    """``with count_statements(app) as log: ...`` — every statement the app's engine sends to
    the database inside the block (``log.count``, ``log.statements``)."""
    log = StatementLog()

    def hook(_conn, _cursor, statement, _params, _context, _executemany):
        log.statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", hook)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as log: ...`` — :func:`count_statements` on the test app."""
    return lambda: count_statements(app)


@dataclass
class Mailbox:
    """Messages received by the test SMTP server (raw envelopes)."""

    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        import email

        msg = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append({"to": envelope.rcpt_tos, "message": msg})
        return "250 OK"

    def bodies(self) -> list[str]:
        out = []
        for m in self.messages:
            for part in m["message"].walk():
                if part.get_content_type() == "text/plain":
                    out.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
        return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def smtp():
    box = Mailbox()
    box._port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box._port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """This worker's database: a SQLite file in its temporary directory, or its own database
    on the lane's PostgreSQL server (see :func:`pytest_configure`)."""
    if LANE == "sqlite":
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
    if LANE != "postgresql":
        raise RuntimeError(f"unknown lane {LANE!r}")
    from tests import pgcluster

    return pgcluster.create_database(os.environ["SIECES_TEST_DATABASE_URL"], worker_database("sieci_test"))


class ClosingClient(FlaskClient):
    """The test client, reading every response to the end and closing it as a WSGI server does
    (a download sent from a temporary file closes the file then; left open, it would be a
    ``ResourceWarning``, an error in this suite). The request body Werkzeug's builder spooled
    for a large multipart upload is closed too (a request refused before its body is read,
    e.g. with 413, would leave it open)."""

    def open(self, *args, buffered=True, **kwargs):
        response = super().open(*args, buffered=buffered, **kwargs)
        body = response.request.environ.get("wsgi.input")
        if hasattr(body, "close"):
            body.close()
        return response


@pytest.fixture(scope="session")
def app(database_url, smtp):
    application = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "BASE_URL": "https://sieci.example.org",
        "LOGIN_RATE_LIMIT": "10000 per minute",
        "LOGIN_RATE_LIMIT_ADDRESS": "10000 per minute",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port(smtp),
        "SERVER_NAME": None,
    })
    application.test_client_class = ClosingClient
    with application.app_context():
        db.drop_all()
        db.create_all()
        from tenants.services import ensure_regions

        ensure_regions()
        db.session.remove()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def smtp_port(box) -> int:
    return box._port


@pytest.fixture(scope="session")
def _audit_watch():
    """One audit guard (tests/audit_guard.py) for the whole run of this process."""
    from tests.audit_guard import Guard

    watcher = Guard(include_tests=False).install()
    yield watcher
    watcher.remove()


@pytest.fixture(autouse=True)
def _audit_complete(_audit_watch):
    """Every test: a commit of the product that changed a region's rows without an audit entry
    (and is not on the guard's allow-list) fails the test, whichever module it belongs to."""
    from tests.audit_guard import assert_audited

    _audit_watch.violations.clear()
    yield
    found = list(_audit_watch.violations)
    _audit_watch.violations.clear()
    assert_audited(found)


#: tables not emptied between tests: the regions.
KEPT_TABLES = ("tenant",)


@pytest.fixture(autouse=True)
def _clean(request):
    """Each test starts with only the 16 regions, an empty mailbox and no tenant context."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    box = request.getfixturevalue("smtp")
    box.messages.clear()
    clear_request_tenant()
    with application.app_context():
        db.session.rollback()
        with all_tenants():
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in KEPT_TABLES:
                    db.session.execute(delete(table))
            db.session.commit()
        from tenants.models import Tenant
        from tenants.regions import OPERATORS, REGIONS, default_operator_forms

        defaults = {slug: operator for _t, slug, _n, operator in REGIONS}
        for tenant in db.session.scalars(select(Tenant)):
            tenant.operator_name = defaults[tenant.slug]
            tenant.operator_short = OPERATORS[tenant.slug]["short"]["nom"]
            tenant.operator_forms = default_operator_forms(tenant.slug)
            tenant.committee_name = "Regionalny Komitet Rozwoju Ekonomii Społecznej"
            tenant.contact_email = tenant.contact_phone = tenant.address = tenant.logo_text = None
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def tenants(app):
    from tenants.models import Tenant

    with app.app_context():
        rows = {t.slug: t.id for t in db.session.scalars(select(Tenant))}
        db.session.remove()
    return rows


@pytest.fixture
def make_user(app, tenants):
    """make_user(email, role=None, tenant="wielkopolskie", admin=False, national=False) -> id"""
    from coordination.auth.services import create_user
    from tenants.models import Tenant

    def _make(email, role=None, tenant="wielkopolskie", admin=False, national=False, name=None):
        with app.app_context():
            memberships = {}
            if role:
                memberships[db.session.get(Tenant, tenants[tenant])] = role
            user = create_user(email, name or email.split("@")[0], PASSWORD, is_admin=admin,
                               is_national=national, memberships=memberships, update=True)
            uid = user.id
            db.session.remove()
        return uid

    return _make


@pytest.fixture
def login(app):
    """login(client, user_id): put the user's session into the test client's cookie."""
    from coordination.auth.models import User

    def _login(client, user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            sid = user.get_id()
            db.session.remove()
        with client.session_transaction() as sess:
            sess["_user_id"] = sid
            sess["_fresh"] = True
        return client

    return _login


@pytest.fixture
def make_group(app, tenants):
    from workgroups.services import ensure_group

    def _make(name, tenant="wielkopolskie", kind="promotion"):
        with app.app_context(), tenant_context(tenants[tenant]):
            gid = ensure_group(name, kind).id
            db.session.remove()
        return gid

    return _make
