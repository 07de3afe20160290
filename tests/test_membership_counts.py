"""People per role per region (``membership_count``) are kept by database triggers: after
every kind of change to ``membership`` — an invitation, a change of role, a removal, an
account deleted (cascade), a bulk insert, a plain SQL statement — they equal a recount."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, text, update

from coordination.auth import services
from coordination.auth.models import Membership, MembershipCount, User
from coordination.extensions import db
from coordination.tenancy import all_tenants, tenant_context
from tenants.models import Tenant


def _stored() -> dict:
    with all_tenants():
        return {(t, r): n for t, r, n in db.session.execute(
            select(MembershipCount.tenant_id, MembershipCount.role, MembershipCount.n)) if n}


def _recount() -> dict:
    with all_tenants():
        return {(t, r): n for t, r, n in db.session.execute(
            select(Membership.tenant_id, Membership.role, func.count()).group_by(Membership.tenant_id,
                                                                              Membership.role))}


def test_counts_follow_every_change_of_memberships(app, ctx, tenants, make_user):
    wlkp, lodz = tenants["wielkopolskie"], tenants["lodzkie"]
    admin = db.session.get(User, make_user("admin@example.org", admin=True))
    make_user("k1@example.org", "coordinator", "wielkopolskie")
    make_user("m1@example.org", "member", "wielkopolskie")
    make_user("m2@example.org", "member", "lodzkie")
    assert _stored() == _recount() and _stored()[(wlkp, "member")] == 1
    with tenant_context(wlkp):
        tenant = db.session.get(Tenant, wlkp)
        for n in range(3):
            services.invite(tenant, f"n{n}@example.org", f"Osoba {n}", "member", actor=admin)
    assert _stored() == _recount() and _stored()[(wlkp, "member")] == 4
    with tenant_context(wlkp):
        first = db.session.scalar(select(Membership).where(Membership.tenant_id == wlkp, Membership.role == "member"))
        services.change_role(first, "coordinator", actor=admin)
        assert _stored() == _recount() and _stored()[(wlkp, "coordinator")] == 2
        services.remove_membership(db.session.scalar(select(Membership).where(
            Membership.tenant_id == wlkp, Membership.role == "member")), actor=admin)
    assert _stored() == _recount() and _stored()[(wlkp, "member")] == 2
    # an account deleted by the database: its memberships go by cascade, the counts with them
    db.session.execute(delete(User).where(User.email == "m2@example.org"))
    db.session.commit()
    assert _stored() == _recount() and (lodz, "member") not in _stored()
    # rows written without the ORM (a bulk load, a script) are counted all the same
    ids = [db.session.scalar(insert(User).values(email=f"b{n}@example.org", full_name=f"B {n}", locale="pl",
                                                 session_version=1, active=True).returning(User.id))
           for n in range(5)]
    with all_tenants():
        db.session.execute(insert(Membership), [{"tenant_id": lodz, "user_id": uid, "role": "owes"} for uid in ids])
        db.session.execute(update(Membership).where(Membership.user_id == ids[0]).values(tenant_id=wlkp))
    db.session.commit()
    assert _stored() == _recount() and _stored()[(lodz, "owes")] == 4 and _stored()[(wlkp, "owes")] == 1
    db.session.execute(text("DELETE FROM membership WHERE role = 'owes'"))
    db.session.commit()
    assert _stored() == _recount()


def test_national_overview_reads_the_counts(app, tenants, make_user, login):
    from national.queries import regions_overview

    make_user("m1@example.org", "member", "wielkopolskie")
    make_user("m2@example.org", "member", "wielkopolskie")
    make_user("k@example.org", "coordinator", "wielkopolskie")
    client = login(app.test_client(), make_user("kraj@example.org", national=True))
    assert client.get("/kraj/").status_code == 200
    with app.app_context():
        rows = {r["tenant"].slug: r["roles"] for r in regions_overview()}
    assert rows["wielkopolskie"] == {"member": 2, "coordinator": 1}
    assert rows["lodzkie"] == {}
