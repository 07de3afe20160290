"""Crash safety: real gunicorn on the lane's database (SQLite in WAL mode with
``synchronous=FULL``, or PostgreSQL), concurrent comments on draft minutes, SIGKILL of the whole
server in the middle of the burst, restart. Every comment that got a success answer must be in
the database, and the database must pass its integrity check."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from datetime import time as dtime
from pathlib import Path

from sqlalchemy import select

from coordination import create_app
from coordination.auth.services import create_user
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from tenants.models import Tenant
from tenants.services import ensure_regions
from tests.conftest import LANE
from workgroups.models import GroupMember, Meeting, MinutesComment
from workgroups.services import minutes as minutes_services
from workgroups.services.groups import ensure_group

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "haslo-testowe-awarii-1"
#: the burst: writers x comments each; the server is killed after KILL_AFTER acknowledgements.
WRITERS, PER_WRITER, KILL_AFTER = 6, 25, 40


def _database(tmp_path) -> str:
    if LANE == "sqlite":
        return "sqlite:///" + str(tmp_path / "crash.sqlite")
    from tests import pgcluster

    return pgcluster.create_database(os.environ["SIECES_TEST_DATABASE_URL"], "sieci_crash_test")


def _prepare(url: str) -> int:
    """Schema, regions, a coordinator, a held meeting whose draft minutes take comments."""
    app = create_app({"TESTING": True, "SECRET_KEY": "crash-secret", "DATABASE_URL": url})
    with app.app_context():
        db.create_all()
        ensure_regions()
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolskie"))
        create_user("awaria@example.org", "Koordynatorka Awaryjna", PASSWORD,
                    memberships={tenant: "coordinator"})
        with tenant_context(tenant.id):
            group = ensure_group("Grupa robocza ds. promocji", "promotion")
            member = GroupMember(group_id=group.id, full_name="Osoba", date_from=date(2025, 1, 1))
            meeting = Meeting(group_id=group.id, year=2025, number=1, title="Posiedzenie nr 1/2025",
                              day=date(2025, 3, 3), start_time=dtime(10), end_time=dtime(12),
                              mode="in_person", place="Poznań", status="held",
                              ical_uid="crash-1@sieci-es")
            db.session.add_all([member, meeting])
            db.session.flush()
            minutes = minutes_services.create_draft(meeting, group, actor=None)
            minutes.status = "consultation"
            db.session.commit()
            meeting_id = meeting.id
        db.session.remove()
        db.engine.dispose()
    return meeting_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "SIECES_DATABASE_URL": url, "SIECES_SECRET_KEY": "crash-secret",
           "SIECES_WTF_CSRF_ENABLED": "false", "SIECES_LOGIN_RATE_LIMIT": "1000 per minute",
           "SIECES_LOGIN_RATE_LIMIT_ADDRESS": "1000 per minute"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--graceful-timeout", "1", "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _opener(port: int):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    body = urllib.parse.urlencode({"email": "awaria@example.org", "password": PASSWORD}).encode()
    try:
        opener.open(f"http://127.0.0.1:{port}/login", body, timeout=30)
    except urllib.error.HTTPError as exc:
        assert exc.code == 303, exc.code
    return opener


def test_acknowledged_writes_survive_sigkill(tmp_path):
    url = _database(tmp_path)
    meeting_id = _prepare(url)
    port = _free_port()
    server = _start(url, port)
    opener = _opener(port)
    target = f"http://127.0.0.1:{port}/wielkopolskie/grupy/posiedzenia/{meeting_id}/protokol/uwagi"
    acknowledged: list[str] = []
    lock = threading.Lock()
    killed = threading.Event()

    def write(writer: int) -> None:
        for n in range(PER_WRITER):
            text = f"uwaga-{writer}-{n}"
            body = urllib.parse.urlencode({"section": "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum", "body": text}).encode()
            try:
                opener.open(target, body, timeout=10)
                ok = False
            except urllib.error.HTTPError as exc:
                ok = exc.code == 303  # success answers redirect (no htmx)
            except OSError:
                return  # the server is gone
            if ok:
                with lock:
                    acknowledged.append(text)
                    if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        os.killpg(server.pid, signal.SIGKILL)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if not killed.is_set():
        os.killpg(server.pid, signal.SIGKILL)
    server.wait()
    assert len(acknowledged) >= KILL_AFTER
    assert len(acknowledged) < WRITERS * PER_WRITER  # killed mid-burst

    restarted = _start(url, port)  # recovery (WAL replay / PostgreSQL crash recovery) and boot
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "crash-secret", "DATABASE_URL": url})
        with app.app_context(), all_tenants():
            present = set(db.session.scalars(select(MinutesComment.body)))
            db.session.remove()
            db.engine.dispose()
        missing = set(acknowledged) - present
        print(f"crash: {len(acknowledged)} acknowledged, {len(present & set(acknowledged))} present,"
              f" {len(present)} stored in all")
        assert not missing, f"acknowledged but lost: {sorted(missing)}"
        if LANE == "sqlite":
            with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
    finally:
        os.killpg(restarted.pid, signal.SIGKILL)
        restarted.wait()
