"""``flask seed-synthetic``: counts, determinism, the module contract, usable accounts."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination import synthetic
from coordination.audit import AuditLog
from coordination.auth.models import Membership, User
from coordination.auth.services import authenticate
from coordination.extensions import db
from coordination.tenancy import all_tenants
from tests.perf.conftest import wipe
from tests.perf.plugin import synthetic as plugin
from workgroups.models import Group


def _fingerprint(app):
    with app.app_context(), all_tenants():
        users = db.session.execute(select(User.email, User.full_name).order_by(User.email)).all()
        groups = db.session.execute(select(Group.tenant_id, Group.name, Group.kind, Group.status)
                                    .order_by(Group.tenant_id, Group.name)).all()
        audit = db.session.execute(select(AuditLog.at, AuditLog.action).order_by(AuditLog.id)).all()
        db.session.remove()
    return users, groups, audit


def test_cli_writes_the_scaled_counts_and_refuses_a_second_run(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-synthetic", "--scale", "0.5"])
    assert result.exit_code == 0, result.output
    assert "workgroups: groups" in result.output
    per_tenant = sum(synthetic.count(base, 0.5) for _role, base in synthetic.PEOPLE_PER_TENANT.values())
    with app.app_context(), all_tenants():
        assert db.session.scalar(select(func.count(Membership.id))) == 16 * per_tenant == 16 * 55
        assert db.session.scalar(select(func.count(Group.id))) == 16 * synthetic.count(5, 0.5)
        assert db.session.scalar(select(func.count(User.id)).where(User.is_national)) == 2
        roles = {role: n for role, n in db.session.execute(
            select(Membership.role, func.count()).group_by(Membership.role)).all()}
        assert roles == {"coordinator": 16, "member": 16 * 50, "owes": 16 * 4}
        assert authenticate(synthetic.email("coordinator", 1, "lodzkie"), synthetic.SYNTHETIC_PASSWORD)
        db.session.remove()
    again = runner.invoke(args=["seed-synthetic", "--scale", "0.5"])
    assert again.exit_code != 0 and "fresh database" in again.output


def test_same_seed_same_data_other_seed_other_data(app):
    with app.app_context():
        synthetic.seed(0.2, 7)
    first = _fingerprint(app)
    wipe(app)
    with app.app_context():
        synthetic.seed(0.2, 7)
    assert _fingerprint(app) == first
    wipe(app)
    with app.app_context():
        synthetic.seed(0.2, 8)
    assert _fingerprint(app) != first


def test_modules_generators_are_called_with_the_contract(app, monkeypatch):
    plugin.CALLS.clear()
    monkeypatch.setattr(synthetic, "MODULES", ("workgroups", "tests.perf.plugin"))
    with app.app_context():
        summary = synthetic.seed(1.0, 3)
        db.session.remove()
    assert summary["tests.perf.plugin: things"] == 3 and summary["workgroups: groups"] == 80
    call = plugin.CALLS[0]
    assert len(call["slugs"]) == 16 and call["scale"] == 1.0
    assert call["members"] == 60 and call["committee"] == 40
    wipe(app)
    with app.app_context():
        synthetic.seed(1.0, 3)
    assert plugin.CALLS[1]["draw"] == call["draw"]  # per-package rng: deterministic
