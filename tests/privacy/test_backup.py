"""Backups that restore: ``flask backup`` while the application writes, ``flask restore`` into
an empty database, then per-table rows and checksums compared, the restored application booted
and its pages served, and the erasure register re-applied (an erasure made after the backup
holds after the restore). Runs in both lanes (SQLite backup API; pg_dump / pg_restore)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from coordination import create_app
from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.cli import fingerprints
from coordination.extensions import db
from privacy import queries, services
from tests.audit_guard import assert_audited, guard
from tests.conftest import LANE


def _empty_database(tmp_path) -> str:
    if LANE == "sqlite":
        return "sqlite:///" + str(tmp_path / "restored.sqlite")
    from tests import pgcluster

    return pgcluster.create_database(os.environ["SIECES_TEST_DATABASE_URL"], "sieci_restore_test")


def _writer(app, stop: threading.Event, acknowledged: list[int]) -> None:
    """Write audit entries one transaction each until told to stop (the load)."""
    with app.app_context():
        while not stop.is_set():
            entry = AuditLog(action="load.write", summary={"n": len(acknowledged)})
            db.session.add(entry)
            db.session.commit()
            acknowledged.append(entry.id)
        db.session.remove()


def test_backup_under_load_restores_completely(app, world, tmp_path):
    if LANE == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump/pg_restore missing: install the PostgreSQL client")
    runner = app.test_cli_runner()
    with guard() as unaudited:  # the demo seeding calls most services of every module
        assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert_audited(unaudited)
    target = tmp_path / "backup.dump"
    stop, acknowledged = threading.Event(), []
    load = threading.Thread(target=_writer, args=(app, stop, acknowledged))
    load.start()
    try:
        while len(acknowledged) < 20:  # the load is running before the backup starts
            threading.Event().wait(0.01)
        result = runner.invoke(args=["backup", str(target)])
    finally:
        stop.set()
        load.join()
    assert result.exit_code == 0, result.output
    # an erasure after the backup: the register must re-apply it to the restored database
    with app.app_context():
        services.erase(queries.person_for_user(world.anna), reason="Wniosek DO.2.2026",
                       actor=db.session.get(User, world.admin))
        with db.engine.connect() as conn:
            source = fingerprints(conn)
        db.session.remove()

    restored = create_app({"TESTING": True, "SECRET_KEY": "test-secret",
                           "DATABASE_URL": _empty_database(tmp_path),
                           "PRIVACY_REGISTER_PATH": app.config["PRIVACY_REGISTER_PATH"]})
    try:
        result = restored.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        assert "privacy after restore: 1" in result.output
        with restored.app_context():
            with db.engine.connect() as conn:
                copy = fingerprints(conn)
            last = db.session.scalar(select(func.max(AuditLog.id)).where(AuditLog.action == "load.write"))
            # the backup is one consistent moment of the load: a prefix of the acknowledged writes
            present = set(db.session.scalars(select(AuditLog.id).where(AuditLog.action == "load.write")))
            assert present == {i for i in acknowledged if i <= last} and len(present) >= 20
            assert db.session.get(User, world.anna).full_name.startswith("Osoba usunięta #")
            db.session.remove()
        changed = {"audit_log", "user_account", "group_member", "membership", "minutes_comment",
                   "survey_respondent", "notification", "privacy_erasure"}
        assert {t: v for t, v in copy.items() if t not in changed} == \
            {t: v for t, v in source.items() if t not in changed}
        rows = sum(r for r, _d in copy.values())
        print(f"restore: {len(copy)} tables, {rows} rows compared, {len(present)} of "
              f"{len(acknowledged)} load writes in the backup")
        assert len(copy) >= 50 and rows >= 500
        if LANE == "sqlite":
            path = restored.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        client = restored.test_client()
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json["db"] == "ok"
        assert client.get("/wielkopolskie/").status_code == 200
        with restored.app_context():
            admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
            sid = admin.get_id()
            db.session.remove()
        with client.session_transaction() as sess:
            sess["_user_id"], sess["_fresh"] = sid, True
        for url in ("/wielkopolskie/grupy/", "/lodzkie/", "/prywatnosc/", "/admin/uzytkownicy"):
            assert client.get(url).status_code == 200, url
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()


def test_sqlite_backup_restores_into_the_lane_database(tmp_path):
    """A region moving from the embedded SQLite to a server: the same ``flask restore`` takes a
    SQLite backup into an empty PostgreSQL database (in the SQLite lane: into a new file)."""
    from datetime import date

    from coordination.auth.services import create_user
    from coordination.tenancy import tenant_context
    from tenants.models import Tenant
    from tenants.services import ensure_regions
    from workgroups.models import GroupMember
    from workgroups.services.groups import ensure_group

    source = create_app({"TESTING": True, "SECRET_KEY": "s",
                         "DATABASE_URL": "sqlite:///" + str(tmp_path / "embedded.sqlite")})
    with source.app_context():
        db.create_all()
        ensure_regions()
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "lubuskie"))
        create_user("lowes@example.org", "Łucja Żółtowska", "haslo-przeniesienia-1",
                    memberships={tenant: "coordinator"})
        with tenant_context(tenant.id):
            group = ensure_group("Grupa robocza ds. reintegracji", "reintegration")
            first = GroupMember(group_id=group.id, full_name="Zastępowana", date_from=date(2025, 1, 1))
            db.session.add(first)
            db.session.flush()
            # a substitute row that an earlier row points at (a reference to a later id)
            later = GroupMember(group_id=group.id, full_name="Zastępca", role="substitute",
                                date_from=date(2025, 1, 1))
            db.session.add(later)
            db.session.flush()
            first.role, first.substitute_for_id = "substitute", later.id
            db.session.commit()
        with db.engine.connect() as conn:
            before = fingerprints(conn)
        db.session.remove()
        db.engine.dispose()
    target = tmp_path / "embedded-backup.sqlite"
    assert source.test_cli_runner().invoke(args=["backup", str(target)]).exit_code == 0

    restored = create_app({"TESTING": True, "SECRET_KEY": "s", "DATABASE_URL": _empty_database(tmp_path),
                           "PRIVACY_REGISTER_PATH": str(tmp_path / "rejestr.jsonl")})
    try:
        result = restored.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
        assert result.exit_code == 0, result.output
        with restored.app_context():
            with db.engine.connect() as conn:
                after = fingerprints(conn)
            assert after == before
            # the id sequences continue after the copied rows
            create_user("nowa@example.org", "Nowa Osoba", "haslo-przeniesienia-2")
            db.session.remove()
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
