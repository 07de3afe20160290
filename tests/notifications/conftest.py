"""Fixtures of the notification tests: a fake clock, a picky SMTP server, people, helpers."""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, select

from coordination.extensions import db
from coordination.notifications.models import Notification
from tests.conftest import smtp_port

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    """Injectable clock: ``app.config["CLOCK"]``; ``advance(days=1)`` travels in time."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(app):
    # Monday 2 March 2026, 09:00 UTC = 10:00 in Warsaw
    fake = FakeClock(datetime(2026, 3, 2, 9, 0))
    app.config["CLOCK"] = fake
    yield fake
    app.config.pop("CLOCK", None)


class PickyHandler:
    """SMTP server answering 451 for addresses with "tempfail" and 550 for "nouser"."""

    def __init__(self):
        self.messages: list = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if "tempfail" in address:
            return "451 4.3.0 try again later"
        if "nouser" in address:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def picky_server():
    handler = PickyHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def picky_smtp(app, picky_server, monkeypatch):
    """Route this test's mail to the picky server."""
    handler, port = picky_server
    handler.messages.clear()
    monkeypatch.setattr(app.extensions["mailman"], "port", port)
    return handler


def message_ids(box) -> Counter:
    """How many times each Message-ID arrived at the test SMTP server."""
    return Counter(m["message"]["Message-ID"] for m in box.messages)


def rows(app, **filters) -> list[Notification]:
    with app.app_context():
        stmt = select(Notification).order_by(Notification.id)
        for key, value in filters.items():
            stmt = stmt.where(getattr(Notification, key) == value)
        found = list(db.session.scalars(stmt))
        db.session.expunge_all()
        db.session.remove()
    return found


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args, **_kwargs):
        self.count += 1


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: ...; q.count`` — SQL statements sent to the database."""
    import contextlib

    @contextlib.contextmanager
    def _count():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return _count


@pytest.fixture
def flask_cmd(app, database_url, smtp):
    """Build and run ``flask --app wsgi ...`` subprocesses on the test database and SMTP server."""

    def env(**extra) -> dict:
        out = dict(os.environ)
        out.update({
            "SIECES_DATABASE_URL": database_url,
            "SIECES_MAIL_SERVER": "127.0.0.1",
            "SIECES_MAIL_PORT": str(smtp_port(smtp)),
            "SIECES_SECRET_KEY": app.config["SECRET_KEY"],
            "SIECES_BASE_URL": app.config["BASE_URL"],
            "PYTHONUNBUFFERED": "1",
        })
        out.update({f"SIECES_{k}": str(v) for k, v in extra.items()})
        return out

    def start(*args, **extra) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env(**extra),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    started: list[subprocess.Popen] = []

    def run(*args, **extra) -> subprocess.Popen:
        proc = start(*args, **extra)
        started.append(proc)
        return proc

    yield run
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
