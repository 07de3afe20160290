"""``flask --app wsgi repair-text``: counts stored text with control characters (dry run by
default) and with ``--apply`` normalises it (CR/LF -> LF, C0 controls other than tab/newline
removed); the audit log is left as it is."""

from __future__ import annotations

from sqlalchemy import select, update

from coordination.extensions import db
from coordination.tenancy import all_tenants
from tests.isolation.world import build_world


def _group_names(app):
    from workgroups.models import Group

    with app.app_context(), all_tenants():
        names = sorted(db.session.scalars(select(Group.name)))
        db.session.remove()
    return names


def test_repair_text_dry_run_then_apply(app, tenants, make_user):
    from workgroups.models import Group, Minutes

    build_world(app, tenants, make_user)
    with app.app_context(), all_tenants():
        # PostgreSQL text cannot hold NUL at all (the driver refuses it); SQLite rows may
        nul = "" if db.engine.dialect.name == "postgresql" else "\x00"
        db.session.execute(update(Group).values(name=Group.name + f"\x0b{nul} po\x1bprawka\r\n"))
        db.session.execute(update(Minutes).values(body="Ad. 1\r\nTekst\x0cz Worda\tkoniec"))
        db.session.commit()
        db.session.remove()
    before = _group_names(app)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["repair-text"])
    assert dry.exit_code == 0, dry.output
    assert "work_group.name: 2" in dry.output
    assert "minutes.body: 2" in dry.output
    assert "run with --apply" in dry.output
    assert _group_names(app) == before  # nothing written

    applied = runner.invoke(args=["repair-text", "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "repaired" in applied.output
    names = _group_names(app)
    assert all(n.endswith(" poprawka\n") and "\x0b" not in n and "\x00" not in n for n in names)
    with app.app_context(), all_tenants():
        bodies = set(db.session.scalars(select(Minutes.body)))
        db.session.remove()
    assert bodies == {"Ad. 1\nTekstz Worda\tkoniec"}

    again = runner.invoke(args=["repair-text"])
    assert "0 values to repair" in again.output
