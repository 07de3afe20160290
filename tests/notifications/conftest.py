"""Fixtures of the notification tests: a picky SMTP server, people, helpers (the clock, the
SQL counter and ``csrf_off`` are the shared ones of tests/conftest.py)."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from coordination import clock as app_clock
from coordination.extensions import db
from coordination.notifications.models import Notification
from tests.conftest import _free_port, smtp_port

ROOT = Path(__file__).resolve().parents[2]


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


def subject(msg) -> str:
    """Decoded Subject header."""
    from email.header import decode_header, make_header

    return str(make_header(decode_header(msg["Subject"])))


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


class Proc:
    """A ``flask --app wsgi ...`` subprocess whose output is collected by a reader thread."""

    def __init__(self, args, env):
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.pid = self.popen.pid
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.popen.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Block until ``text`` appears in the output (fails if the process ends first)."""
        until(lambda: text in self.output or self.popen.poll() is not None, timeout,
              f"{text!r} in the output")
        assert text in self.output, f"process ended without printing {text!r}:\n{self.output}"

    def finish(self, timeout: float = 120) -> int:
        code = self.popen.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return code


def until(condition, timeout: float, what: str, interval: float = 0.02):
    """Poll ``condition`` (subprocess coordination only; in-process tests use the fake clock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def flask_cmd(app, database_url, smtp):
    """Start ``flask --app wsgi ...`` on the test database and SMTP server (loopback only).

    Keyword arguments become ``SIECES_<NAME>`` settings. Processes still running at the end
    of the test are killed.
    """
    started: list[Proc] = []
    began = time.monotonic()

    def run(*args, **settings) -> Proc:
        # the test's moment plus the real time elapsed since the test began: every process
        # of the test sees one clock that only moves forward (leases, heartbeats)
        with app.app_context():
            start = app_clock.now() + timedelta(seconds=time.monotonic() - began)
        env = dict(os.environ)
        env.update({
            "SIECES_DATABASE_URL": database_url,
            "SIECES_MAIL_SERVER": "127.0.0.1",
            "SIECES_MAIL_PORT": str(smtp_port(smtp)),
            "SIECES_SECRET_KEY": app.config["SECRET_KEY"],
            "SIECES_BASE_URL": app.config["BASE_URL"],
            "PYTHONUNBUFFERED": "1",
            "SIECES_CLOCK_START": start.isoformat(),
        })
        env.update({f"SIECES_{k}": str(v) for k, v in settings.items()})
        proc = Proc(args, env)
        started.append(proc)
        return proc

    yield run
    for proc in started:
        if proc.popen.poll() is None:
            proc.popen.kill()
            proc.popen.wait(timeout=10)
        proc._reader.join(timeout=10)
        proc.popen.stdout.close()


@pytest.fixture(autouse=True)
def _without_module_hooks(monkeypatch):
    """The mechanism tests schedule module kinds (``meeting_reminder``, ``survey_reminder``...)
    about made-up objects; the modules' send-time hooks, which check the real objects, are
    tested in the modules' own tests. Restored after each test (also when a test registers or
    pops a hook of its own)."""
    from coordination.notifications.kinds import ATTACHMENTS, CHECKS

    for registry in (CHECKS, ATTACHMENTS):
        for name in list(registry):
            if name != "digest":
                monkeypatch.delitem(registry, name)
