"""``python -m coordination.demo_run`` (``make run``): the web server, the scheduler and the
demo mail sink start together, a queued e-mail reaches the sink folder and the administrator's
page, and Ctrl+C (SIGINT) leaves no process behind."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import signal
import smtplib
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from coordination import clock, create_app
from coordination.demo_run import ROOT, free_port, health
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import PASSWORD

ADMIN = "admin@example.org"


def _prepare_database(url: str) -> None:
    """Migrate an empty database, add an administrator who coordinates wielkopolskie and queue
    a test message to them (the real clock: the scheduler sends what is due by its clock)."""
    from coordination.auth.services import create_user
    from coordination.notifications.services import send_test
    from tenants.models import Tenant

    app = create_app({"TESTING": True, "DATABASE_URL": url, "BASE_URL": "http://127.0.0.1"})
    with app.app_context():
        upgrade()
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolskie"))
        user = create_user(ADMIN, "Anna Administratorska", PASSWORD, is_admin=True,
                           memberships={tenant: "coordinator"})
        tenant_id, user_id = tenant.id, user.id
        db.session.remove()
    with app.test_request_context(), tenant_context(tenant_id):
        from coordination.auth.models import User

        user = db.session.get(User, user_id)
        send_test(user, db.session.get(Tenant, tenant_id), actor=user)
        db.session.remove()
    with app.app_context():
        db.engine.dispose()


def _processes_with(marker: str) -> list[int]:
    """Pids of the processes whose environment contains ``marker`` (our children)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _wait(what: str, check, timeout: float, proc: subprocess.Popen, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        assert proc.poll() is None, f"the launcher exited while waiting for {what}: " + \
            log.read_text(errors="replace")
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}: " + log.read_text(errors="replace"))


def _log_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    data = urllib.parse.urlencode({"email": ADMIN, "password": PASSWORD,
                                   "csrf_token": token.group(1)}).encode()
    opener.open(f"{base}/login", data=data, timeout=10).read()
    return opener


def test_launcher_runs_and_stops_web_scheduler_and_mail_sink(tmp_path):
    clock.pin(None)  # the child processes run on the real clock; queue by the same clock
    url = "sqlite:///" + str(tmp_path / "demo.sqlite")
    _prepare_database(url)
    mail_dir = tmp_path / "demo-mail"
    port = free_port()
    smtp_port = next(p for p in iter(free_port, None) if p != port)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIECES_")}
    env["SIECES_DATABASE_URL"] = url
    log = open(tmp_path / "launcher.log", "wb")  # noqa: SIM115 - closed at the end
    proc = subprocess.Popen(
        [sys.executable, "-m", "coordination.demo_run", "--port", str(port), "--smtp-port",
         str(smtp_port), "--mail-dir", str(mail_dir), "--no-setup"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    children: list[int] = []
    try:
        state = _wait("/healthz with the scheduler ok",
                      lambda: (h := health(base)) and h.get("scheduler") == "ok" and h, 180, proc,
                      tmp_path / "launcher.log")
        assert state == {"status": "ok", "db": "ok", "scheduler": "ok"}
        children = _processes_with(f"SIECES_DEMO_MAIL_DIR={mail_dir}")
        assert len(children) == 2, children  # the scheduler and the web server

        files = _wait("the test message in the sink folder", lambda: list(mail_dir.glob("*.eml")), 120,
                      proc, tmp_path / "launcher.log")
        assert len(files) == 1
        with open(files[0], "rb") as fh:
            headers = BytesHeaderParser(policy=policy.default).parse(fh)
        assert headers["To"] == ADMIN
        subject = str(headers["Subject"])

        page = _log_in(base).open(f"{base}/admin/poczta-demo", timeout=10).read().decode()
        assert "Poczta wysłana w trybie demonstracyjnym" in page
        assert ADMIN in page
        assert html.escape(subject, quote=False) in page
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGINT)  # what Ctrl+C does
        try:
            code = proc.wait(timeout=60)
        finally:
            log.close()
    output = (tmp_path / "launcher.log").read_text(errors="replace")
    assert code == 0, output
    assert "scheduler stopped" in output
    for pid in children:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} left running"
    assert not _processes_with(f"SIECES_DEMO_MAIL_DIR={mail_dir}")
    assert health(base) is None
    with pytest.raises(OSError):
        smtplib.SMTP("127.0.0.1", smtp_port, timeout=2)
