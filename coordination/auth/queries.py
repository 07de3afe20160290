"""Reads about accounts, shaped for pages."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import func, or_, select

from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.pagination import paged
from coordination.tenancy import all_tenants
from tenants.models import Tenant


def roles_by_tenant(user) -> dict[int, frozenset[str]]:
    """The user's roles per tenant id — the one cross-tenant read of memberships, once per
    request (it serves permission checks, the region switcher and "my regions")."""
    if user is None or not user.is_authenticated:
        return {}
    cache = g.setdefault("_roles_by_tenant", {}) if has_request_context() else {}
    if user.id not in cache:
        with all_tenants():
            rows = db.session.execute(
                select(Membership.tenant_id, Membership.role).where(Membership.user_id == user.id)
            ).all()
        roles: dict[int, set[str]] = {}
        for tenant_id, role in rows:
            roles.setdefault(tenant_id, set()).add(role)
        cache[user.id] = {tid: frozenset(r) for tid, r in roles.items()}
    return cache[user.id]


def my_tenants(user) -> list[tuple[Tenant, str]]:
    """(tenant, role) pairs of the user's memberships, by region name."""
    from tenants.queries import all_regions

    roles = roles_by_tenant(user)
    pairs = [(t, role) for t in all_regions() for role in sorted(roles.get(t.id, ()))]
    return sorted(pairs, key=lambda pair: pair[0].name)


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
