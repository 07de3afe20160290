"""Reads about accounts, shaped for pages."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.pagination import paged
from coordination.tenancy import all_tenants
from tenants.models import Tenant


def my_tenants(user) -> list[tuple[Tenant, str]]:
    """(tenant, role) pairs of the user's memberships — the one cross-tenant read of accounts."""
    if not user.is_authenticated:
        return []
    with all_tenants():
        rows = db.session.execute(
            select(Tenant, Membership.role)
            .join(Membership, Membership.tenant_id == Tenant.id)
            .where(Membership.user_id == user.id)
            .order_by(Tenant.name)
        ).all()
    return [(t, r) for t, r in rows]


def tenant_members(page: int, per_page: int, q: str = ""):
    """Memberships of the current tenant with their accounts, paginated (two queries)."""
    stmt = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .order_by(User.full_name, User.id)
    )
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    return paged(stmt, page, per_page, scalars=False)


def all_users(page: int, per_page: int, q: str = ""):
    """Every account (admin page), paginated."""
    stmt = select(User).order_by(User.full_name, User.id)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
    return paged(stmt, page, per_page)
