"""Reads of the national module, shaped for its pages.

* this file: the regions overview of ``/kraj`` (all tenants, explicit);
* :mod:`.region`: one region's diagnosis and support log (inside the tenant context);
* :mod:`.comparison`: cross-region comparisons (every function reads all tenants explicitly).
"""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.auth.models import Membership
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.pagination import paged
from coordination.tenancy import all_tenants
from tenants.models import Tenant
from workgroups.models import Group


def regions_overview() -> list[dict]:
    """One row per region: operator, people by role, active groups (three queries)."""
    with all_tenants():
        tenants = db.session.scalars(select(Tenant).order_by(Tenant.teryt)).all()
        roles = db.session.execute(
            select(Membership.tenant_id, Membership.role, func.count(Membership.id))
            .group_by(Membership.tenant_id, Membership.role)
        ).all()
        groups = dict(db.session.execute(
            select(Group.tenant_id, func.count(Group.id)).where(Group.status == "active")
            .group_by(Group.tenant_id)
        ).all())
    by_tenant: dict[int, dict[str, int]] = {}
    for tid, role, n in roles:
        by_tenant.setdefault(tid, {})[role] = n
    return [
        {"tenant": t, "roles": by_tenant.get(t.id, {}), "groups": groups.get(t.id, 0)}
        for t in tenants
    ]


def all_regions() -> list[Tenant]:
    """The 16 regions in Polish alphabetical order (the tenant table is not tenant-scoped)."""
    return sorted_pl(db.session.scalars(select(Tenant)).all(), key=lambda t: t.name)


def issues_page(page: int, per_page: int):
    """Advocacy issues by code (national data)."""
    from national.models import AdvocacyIssue

    return paged(select(AdvocacyIssue).order_by(AdvocacyIssue.code), page, per_page)


def steps_page(page: int, per_page: int, issue_id: int):
    """Steps of one advocacy issue, newest first."""
    from national.models import AdvocacyStep

    return paged(select(AdvocacyStep).where(AdvocacyStep.issue_id == issue_id)
                 .order_by(AdvocacyStep.taken_on.desc(), AdvocacyStep.id.desc()), page, per_page)
