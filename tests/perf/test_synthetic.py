"""``flask seed-synthetic``: counts, determinism, the module contract, usable accounts."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from coordination import clock, synthetic
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
        modules = [sorted(tuple(row) for row in db.session.execute(stmt)) for stmt in _module_rows()]
        db.session.remove()
    return users, groups, audit, modules


def _module_rows():
    """Id-free columns of the modules' synthetic rows (ids differ between databases)."""
    from national.models import Diagnosis, DiagnosisRating
    from owes.models import ReportedValue
    from surveys.models import Answer, Respondent
    from workgroups.models import ActionItem, Attendance, Meeting, Minutes

    return [select(Meeting.tenant_id, Meeting.year, Meeting.number, Meeting.day, Meeting.start_time,
                   Meeting.status),
            select(Attendance.tenant_id, Attendance.status),
            select(Minutes.tenant_id, Minutes.status, Minutes.adopted_on, Minutes.body),
            select(ActionItem.tenant_id, ActionItem.description, ActionItem.due_date, ActionItem.status),
            select(Respondent.tenant_id, Respondent.email, Respondent.completed, Respondent.token_hash),
            select(Answer.id, Answer.response_id, Answer.num, Answer.choice, Answer.text),
            select(ReportedValue.tenant_id, ReportedValue.period, ReportedValue.value, ReportedValue.status),
            select(Diagnosis.tenant_id, Diagnosis.version, Diagnosis.status, Diagnosis.signed_at),
            select(DiagnosisRating.tenant_id, DiagnosisRating.state, DiagnosisRating.need,
                   DiagnosisRating.priority)]


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
        _check_modules(groups=16 * 2, owes=16 * 4, versions=2)
        db.session.remove()
    again = runner.invoke(args=["seed-synthetic", "--scale", "0.5"])
    assert again.exit_code != 0 and "fresh database" in again.output


def _check_modules(*, groups: int, owes: int, versions: int) -> None:
    """The module generators wrote consistent rows (inside all_tenants)."""
    from national.models import Diagnosis, DiagnosisRating, SupportEntry
    from owes.models import PlanTarget, ReportedValue
    from surveys.models import Answer, Campaign, Respondent, Response
    from workgroups.models import ActionItem, Meeting, Minutes, MinutesVersion

    def scalar(stmt):
        return db.session.scalar(stmt)

    # workgroups: 6 meetings a year per group over 5 years, numbered 1..6 per group and year
    assert scalar(select(func.count(Meeting.id))) == groups * 30
    assert scalar(select(func.min(Meeting.number))) == 1 and scalar(select(func.max(Meeting.number))) == 6
    held = scalar(select(func.count(Meeting.id)).where(Meeting.status == "held"))
    assert scalar(select(func.count(Minutes.id))) == held
    adopted = scalar(select(func.count(Minutes.id)).where(Minutes.status == "adopted"))
    assert held > adopted > held * 0.8
    assert scalar(select(func.count(func.distinct(MinutesVersion.minutes_id)))) == adopted
    assert scalar(select(func.count(ActionItem.id)).where(
        ActionItem.status.in_(("open", "in_progress")), ActionItem.due_date < synthetic.EPOCH_END.date())) > 0
    # surveys: 5 yearly campaigns per region; as many anonymous responses as completed tokens
    assert scalar(select(func.count(Campaign.id))) == 16 * 5
    responses = scalar(select(func.count(Response.id)))
    assert responses == scalar(select(func.count(Respondent.id)).where(Respondent.completed.is_(True))) > 0
    assert scalar(select(func.count(Response.id)).where(Response.respondent_name.is_not(None))) == 0
    assert scalar(select(func.count(Answer.id))) >= responses * 22  # 20 ratings + 2 profile choices
    # OWES: 30 targets per plan, values in 10 half-years in every status
    assert scalar(select(func.count(PlanTarget.id))) == owes * 30
    assert scalar(select(func.count(func.distinct(ReportedValue.period)))) == 10
    assert {s for s, in db.session.execute(select(ReportedValue.status).distinct())} == {
        "draft", "submitted", "verified", "returned"}
    assert scalar(select(func.count(Membership.id)).where(
        Membership.role == "owes", Membership.owes_id.is_(None))) == 0
    # SIRES: the versions of every region, the older ones signed, every item rated
    assert scalar(select(func.count(Diagnosis.id))) == 16 * versions
    assert scalar(select(func.count(Diagnosis.id)).where(Diagnosis.version < versions,
                                                         Diagnosis.status != "signed")) == 0
    assert scalar(select(func.count(DiagnosisRating.id)).where(DiagnosisRating.need.is_(None))) == 0
    assert scalar(select(func.count(SupportEntry.id))) > 0


def test_same_seed_same_data_other_seed_other_data(app):
    with app.app_context():
        synthetic.seed(0.1, 7)
    first = _fingerprint(app)
    wipe(app)
    with app.app_context():
        synthetic.seed(0.1, 7)
    assert _fingerprint(app) == first
    wipe(app)
    with app.app_context():
        synthetic.seed(0.1, 8)
    assert _fingerprint(app) != first


def test_modules_generators_are_called_with_the_contract(app, monkeypatch):
    plugin.CALLS.clear()
    monkeypatch.setattr(synthetic, "MODULES", ("workgroups", "tests.perf.plugin"))
    with app.app_context():
        summary = synthetic.seed(0.25, 3)
        db.session.remove()
    assert summary["tests.perf.plugin: things"] == 3 and summary["workgroups: groups"] == 16
    call = plugin.CALLS[0]
    assert len(call["slugs"]) == 16 and call["scale"] == 0.25
    assert call["members"] == 15 and call["committee"] == 10
    wipe(app)
    with app.app_context():
        synthetic.seed(0.25, 3)
    assert plugin.CALLS[1]["draw"] == call["draw"]  # per-package rng: deterministic


def test_bulk_insert_writes_what_an_insert_writes(app):
    """On PostgreSQL bulk_insert uses COPY: JSON, NULLs, text with tabs and newlines, and the
    Python-side default of a left-out column (``at``) come out as an INSERT writes them."""
    def row(i: int) -> dict:
        return {"actor_email": None if i % 2 else f"a{i}@example.org", "tenant_id": None,
                "action": f"synthetic.{i}", "object_type": "x\ty\nz\\w", "summary": {"i": i, "ą": [1, None]}}

    def read(prefix: str) -> list[tuple]:
        rows = db.session.execute(select(AuditLog.actor_email, AuditLog.action, AuditLog.object_type,
                                         AuditLog.summary, AuditLog.at)
                                  .where(AuditLog.action.like(prefix)).order_by(AuditLog.id)).all()
        return [tuple(r) for r in rows]

    with app.app_context(), all_tenants():
        before = clock.utcnow()
        synthetic.bulk_insert(AuditLog, [row(i) for i in range(5)])
        db.session.execute(insert(AuditLog), [row(i) | {"action": f"plain.{i}"} for i in range(5)])
        db.session.commit()
        copied, inserted = read("synthetic.%"), read("plain.%")
        assert [r[:4] for r in copied] == [(r[0], r[1].replace("plain", "synthetic"), *r[2:4])
                                           for r in inserted]
        assert all(r[4] is not None and r[4] >= before.replace(microsecond=0) for r in copied)
        db.session.remove()
