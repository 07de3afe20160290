"""CLI: seed-demo (idempotent), create-user, backup/restore."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.tenancy import all_tenants
from tests.conftest import LANE


def _counts(app):
    with app.app_context(), all_tenants():
        from workgroups.models import Group

        return (db.session.scalar(select(func.count(User.id))),
                db.session.scalar(select(func.count(Membership.id))),
                db.session.scalar(select(func.count(Group.id))))


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "koordynator.wielkopolskie@example.org" in first.output
    counts = _counts(app)
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts(app) == counts
    users, memberships, groups = counts
    # 7 core demo accounts; modules may add their own (SIRES adds coordinators of 6 more regions)
    assert users >= 7 and memberships >= 5 and groups >= 8


def test_demo_logins_work(app, csrf_off):
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email in ("admin@example.org", "krajowy@example.org", "koordynator.lodzkie@example.org",
                  "czlonek.wielkopolskie@example.org", "owes.lodzkie@example.org"):
        r = app.test_client().post("/login", data={"email": email, "password": "demo-haslo-sieci"})
        assert r.status_code == 303, email


def test_create_user(app):
    runner = app.test_cli_runner()
    r = runner.invoke(args=["create-user", "--email", "Nowy@Example.org", "--name", "Nowy Koordynator",
                            "--password", "bardzo-tajne-1", "--tenant", "opolskie", "--role", "coordinator"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["create-user", "--email", "nowy@example.org", "--name", "X",
                            "--password", "bardzo-tajne-1"])
    assert r.exit_code != 0 and "Konto z tym adresem e-mail już istnieje." in r.output
    r = runner.invoke(args=["create-user", "--email", "x@example.org", "--name", "X",
                            "--password", "bardzo-tajne-1", "--tenant", "atlantyda"])
    assert r.exit_code != 0 and "unknown region" in r.output


def test_backup_and_restore(app, tmp_path):
    if LANE == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.fail("pg_dump/pg_restore missing: install the PostgreSQL client")
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    before = _counts(app)
    target = tmp_path / "backup.dump"
    r = runner.invoke(args=["backup", str(target)])
    assert r.exit_code == 0, r.output
    assert target.stat().st_size > 0
    with app.app_context(), all_tenants():
        db.session.execute(db.delete(Membership))
        db.session.commit()
    assert _counts(app)[1] == 0
    r = runner.invoke(args=["restore", str(target), "--yes"])
    assert r.exit_code == 0, r.output
    assert _counts(app) == before
