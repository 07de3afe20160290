"""Reads of the national module, shaped for its pages.

* this file: the regions overview of ``/kraj`` (all tenants, explicit);
* :mod:`.region`: one region's diagnosis and support log (inside the tenant context);
* :mod:`.comparison`: cross-region comparisons (every function reads all tenants explicitly).
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from coordination import clock
from coordination.auth.models import MembershipCount
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
        # kept by triggers on membership: 16 × roles rows, not every membership of the country
        roles = db.session.execute(
            select(MembershipCount.tenant_id, MembershipCount.role, MembershipCount.n)
            .where(MembershipCount.n > 0)).all()
        groups = dict(db.session.execute(
            select(Group.tenant_id, func.count(Group.id))
            .where(Group.status == "active",  # as the region's list: a term that ended is not active
                   or_(Group.term_end.is_(None), Group.term_end >= clock.today()))
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
    """The 16 regions in Polish alphabetical order (the request's cached list of regions)."""
    from tenants.queries import all_regions as regions

    return sorted_pl(regions(), key=lambda t: t.name)


def region_names() -> dict[str, str]:
    """slug -> Polish name of every region, in Polish order."""
    return {t.slug: t.name for t in all_regions()}


def issues_page(page: int, per_page: int):
    """Advocacy issues by code (national data)."""
    from national.models import AdvocacyIssue

    return paged(select(AdvocacyIssue).order_by(AdvocacyIssue.code), page, per_page)


def steps_page(page: int, per_page: int, issue_id: int):
    """Steps of one advocacy issue, newest first."""
    from national.models import AdvocacyStep

    return paged(select(AdvocacyStep).where(AdvocacyStep.issue_id == issue_id)
                 .order_by(AdvocacyStep.taken_on.desc(), AdvocacyStep.id.desc()), page, per_page)


def issue_items(issue_ids: list[int]) -> dict[int, list[tuple[int, str, str]]]:
    """issue id -> [(item id, code, title)] of the diagnosis items it concerns (one query)."""
    from national.models import AdvocacyIssueItem, DiagnosisArea, DiagnosisItem

    out: dict[int, list[tuple[int, str, str]]] = {i: [] for i in issue_ids}
    if issue_ids:
        for issue_id, item_id, code, title in db.session.execute(
                select(AdvocacyIssueItem.issue_id, DiagnosisItem.id, DiagnosisItem.code, DiagnosisItem.title)
                .join(DiagnosisItem, DiagnosisItem.id == AdvocacyIssueItem.item_id)
                .join(DiagnosisArea, DiagnosisArea.id == DiagnosisItem.area_id)
                .where(AdvocacyIssueItem.issue_id.in_(issue_ids))
                .order_by(DiagnosisArea.position, DiagnosisItem.position)):
            out[issue_id].append((item_id, code, title))
    return out


def issues_for_item(item_id: int) -> list:
    """Advocacy issues that concern one diagnosis item, by code (one query)."""
    from national.models import AdvocacyIssue, AdvocacyIssueItem

    return list(db.session.scalars(
        select(AdvocacyIssue).join(AdvocacyIssueItem, AdvocacyIssueItem.issue_id == AdvocacyIssue.id)
        .where(AdvocacyIssueItem.item_id == item_id).order_by(AdvocacyIssue.code)))


def issues_for_region(slug: str) -> list:
    """Advocacy issues a region raised, by code (one query; issues are few national rows)."""
    from national.models import AdvocacyIssue

    return [i for i in db.session.scalars(select(AdvocacyIssue).order_by(AdvocacyIssue.code))
            if slug in (i.region_slugs or [])]
