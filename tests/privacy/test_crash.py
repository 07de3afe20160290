"""Crash safety: real gunicorn on the lane's database (SQLite in WAL mode with
``synchronous=FULL``, or PostgreSQL), concurrent writes of the three kinds people make —
comments on draft minutes, survey submissions through respondents' token links, attendance
registers — SIGKILL of the whole server in the middle of the burst, restart.

Every write that got a success answer must be in the database, and the database must pass its
integrity check: SQLite ``PRAGMA integrity_check`` and ``foreign_key_check``; PostgreSQL
``amcheck`` over every B-tree index (heap and index agree); both: every submitted response has
its flipped token and the reverse, and the maintained answer tallies equal a recount."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from datetime import time as dtime
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from bench.client import Browser, Failed, expect_redirect, form_on, submit_survey
from coordination import clock, create_app
from coordination.auth.services import create_user
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from surveys import services as survey_services
from surveys.models import AnswerTally, Respondent, Response
from surveys.services import tally
from tenants.models import Tenant
from tenants.services import ensure_regions
from tests.conftest import LANE, worker_database
from workgroups.models import Attendance, GroupMember, Meeting, MinutesComment
from workgroups.services import minutes as minutes_services
from workgroups.services.groups import ensure_group

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "haslo-testowe-awarii-1"
#: writer threads and writes per writer, by kind (8 concurrent writers in all).
PLAN = {"comment": (3, 40), "attendance": (2, 25), "survey": (3, 12)}
#: the server is killed once every kind has at least this many acknowledged writes.
KILL_AFTER = {"comment": 15, "attendance": 6, "survey": 3}
MEMBERS_PER_MEETING = 3


def _database(tmp_path) -> str:
    if LANE == "sqlite":
        return "sqlite:///" + str(tmp_path / "crash.sqlite")
    from tests import pgcluster

    return pgcluster.create_database(os.environ["SIECES_TEST_DATABASE_URL"],
                                     worker_database("sieci_crash_test"))


def _prepare(url: str) -> dict:
    """Schema, regions, a coordinator; a held meeting whose draft minutes take comments; held
    meetings without a register; an open survey campaign with invited respondents."""
    app = create_app({"TESTING": True, "SECRET_KEY": "crash-secret", "DATABASE_URL": url})
    today = clock.today()
    with app.app_context():
        db.create_all()
        ensure_regions()
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolskie"))
        create_user("awaria@example.org", "Koordynatorka Awaryjna", PASSWORD,
                    memberships={tenant: "coordinator"})
        with tenant_context(tenant.id):
            group = ensure_group("Grupa robocza ds. promocji", "promotion")
            members = [GroupMember(group_id=group.id, full_name=f"Osoba {n}",
                                   date_from=today - timedelta(days=400))
                       for n in range(MEMBERS_PER_MEETING)]
            meetings = [Meeting(group_id=group.id, year=today.year, number=n + 1,
                                title=f"Posiedzenie nr {n + 1}", day=today - timedelta(days=3 + n),
                                start_time=dtime(10), end_time=dtime(12), mode="in_person",
                                place="Poznań", status="held", ical_uid=f"crash-{n}@sieci-es")
                        for n in range(1 + PLAN["attendance"][0] * PLAN["attendance"][1])]
            db.session.add_all(members + meetings)
            db.session.flush()
            minutes = minutes_services.create_draft(meetings[0], group, actor=None)
            minutes.status = "consultation"
            template, _ = survey_services.ensure_core_template()
            campaign = survey_services.create_campaign(template, today.year, today - timedelta(days=2),
                                                       today + timedelta(days=10))
            tokens = {}
            for n in range(PLAN["survey"][0] * PLAN["survey"][1]):
                person = survey_services.add_respondent(campaign, f"Respondent {n}", f"r{n}@example.org")
                tokens[survey_services.respondents.new_token(person)] = person
            db.session.commit()
            prepared = {"comments": meetings[0].id, "registers": [m.id for m in meetings[1:]],
                        "tokens": {token: person.id for token, person in tokens.items()}}
        db.session.remove()
        db.engine.dispose()
    return prepared


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "SIECES_DATABASE_URL": url, "SIECES_SECRET_KEY": "crash-secret",
           "SIECES_WTF_CSRF_ENABLED": "false", "SIECES_LOGIN_RATE_LIMIT": "1000 per minute",
           "SIECES_LOGIN_RATE_LIMIT_ADDRESS": "1000 per minute",
           "SIECES_CLOCK_START": clock.now().isoformat()}  # the server lives at the test's moment
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


class Burst:
    """Writers of every kind; each success is recorded with what it wrote; the server is
    killed (its whole process group) once every kind reached its :data:`KILL_AFTER`."""

    def __init__(self, server: subprocess.Popen, base: str, prepared: dict) -> None:
        self.server, self.base, self.prepared = server, base, prepared
        self.acknowledged: dict[str, list] = {kind: [] for kind in PLAN}
        self.lock = threading.Lock()
        self.killed = threading.Event()

    def ack(self, kind: str, what) -> None:
        with self.lock:
            self.acknowledged[kind].append(what)
            if not self.killed.is_set() and all(len(self.acknowledged[k]) >= n for k, n in KILL_AFTER.items()):
                self.killed.set()
                os.killpg(self.server.pid, signal.SIGKILL)

    def _coordinator(self) -> Browser:
        person = Browser(self.base, timeout=10)
        person.login("awaria@example.org", PASSWORD)
        return person

    def comment(self, writer: int) -> None:
        person = self._coordinator()
        page = f"/wielkopolskie/grupy/posiedzenia/{self.prepared['comments']}/protokol"
        form = form_on(person.get(page).body, "/protokol/uwagi")
        sections = [s for s in form.selects["section"] if s]
        for n in range(PLAN["comment"][1]):
            body = f"uwaga-{writer}-{n}"
            data = {**form.hidden, "section": sections[n % len(sections)], "body": body}
            expect_redirect(person.post(form.action, data), "comment")
            self.ack("comment", body)

    def attendance(self, writer: int) -> None:
        person = self._coordinator()
        per = PLAN["attendance"][1]
        for n, meeting_id in enumerate(self.prepared["registers"][writer * per:(writer + 1) * per]):
            path = f"/wielkopolskie/grupy/posiedzenia/{meeting_id}/obecnosc"
            form = form_on(person.get(path).body, path)
            statuses = {name: ("present", "absent", "excused")[(n + i) % 3]
                        for i, name in enumerate(form.selects)}
            expect_redirect(person.post(path, {**form.hidden, **statuses}), "attendance")
            self.ack("attendance", (meeting_id, {int(k.split("-")[1]): v for k, v in statuses.items()}))

    def survey(self, writer: int) -> None:
        per = PLAN["survey"][1]
        for n, token in enumerate(list(self.prepared["tokens"])[writer * per:(writer + 1) * per]):
            submit_survey(Browser(self.base, timeout=10), token, writer * per + n)
            self.ack("survey", self.prepared["tokens"][token])

    def run(self) -> None:
        def guarded(kind: str, writer: int) -> None:
            try:
                getattr(self, kind)(writer)
            except (OSError, Failed, http.client.HTTPException):
                if not self.killed.is_set():
                    raise  # a refusal while the server was up is a defect, not the crash

        threads = [threading.Thread(target=guarded, args=(kind, w))
                   for kind, (writers, _n) in PLAN.items() for w in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def _check_integrity(url: str) -> None:
    if LANE == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        indexes = conn.scalars(text(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE a.amname = 'btree' AND n.nspname = 'public'")).all()
        assert indexes
        for index in indexes:  # raises on any corrupted index or heap tuple missing from it
            conn.execute(text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index})
    engine.dispose()


def test_acknowledged_writes_survive_sigkill(tmp_path):
    url = _database(tmp_path)
    prepared = _prepare(url)
    port = _free_port()
    burst = Burst(_start(url, port), f"http://127.0.0.1:{port}", prepared)
    burst.run()
    if not burst.killed.is_set():
        os.killpg(burst.server.pid, signal.SIGKILL)
    burst.server.wait()
    acked = burst.acknowledged
    planned = sum(writers * n for writers, n in PLAN.values())
    assert burst.killed.is_set(), {k: len(v) for k, v in acked.items()}
    assert sum(len(v) for v in acked.values()) < planned  # killed mid-burst

    restarted = _start(url, port)  # recovery (WAL replay / PostgreSQL crash recovery) and boot
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "crash-secret", "DATABASE_URL": url})
        with app.app_context(), all_tenants():
            comments = set(db.session.scalars(select(MinutesComment.body)))
            register = {(a.meeting_id, a.member_id): a.status for a in db.session.scalars(select(Attendance))}
            held = dict(db.session.execute(select(Meeting.id, Meeting.status)).all())
            completed = set(db.session.scalars(select(Respondent.id).where(Respondent.completed.is_(True))))
            responses = db.session.scalar(select(func.count(Response.id)))
            tallies = Counter({tuple(r[:-1]): r[-1] for r in db.session.execute(select(
                AnswerTally.question_id, AnswerTally.item, AnswerTally.choice, AnswerTally.num,
                AnswerTally.category, AnswerTally.answers))})
            tally.rebuild()  # the recount, compared and rolled back
            recount = Counter({tuple(r[:-1]): r[-1] for r in db.session.execute(select(
                AnswerTally.question_id, AnswerTally.item, AnswerTally.choice, AnswerTally.num,
                AnswerTally.category, AnswerTally.answers))})
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
        present = {
            "comment": [c for c in acked["comment"] if c in comments],
            "attendance": [(m, rows) for m, rows in acked["attendance"]
                           if held[m] == "held" and all(register.get((m, k)) == v for k, v in rows.items())],
            "survey": [r for r in acked["survey"] if r in completed],
        }
        for kind in PLAN:
            print(f"crash ({LANE}) {kind}: {len(acked[kind])} acknowledged, {len(present[kind])} present")
        assert {k: len(v) for k, v in present.items()} == {k: len(v) for k, v in acked.items()}
        assert responses == len(completed) >= len(acked["survey"])  # no response without its token
        assert tallies == recount and tallies
        _check_integrity(url)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200
    finally:
        os.killpg(restarted.pid, signal.SIGKILL)
        restarted.wait()
