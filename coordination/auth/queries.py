"""Reads about accounts, shaped for pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g, has_request_context
from sqlalchemy import func, or_, select

from coordination.auth.models import PLATFORM_ROLES, TENANT_ROLES, Membership, User
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.pagination import Fetched, paged
from coordination.tenancy import all_tenants
from tenants.models import Tenant


def _cache() -> dict:
    """Per-request store of memberships: user id -> (roles by tenant, OWES binding by tenant)."""
    return g.setdefault("_memberships", {}) if has_request_context() else {}


def _summarise(rows) -> tuple[dict[int, frozenset[str]], dict[int, int]]:
    roles: dict[int, set[str]] = {}
    owes: dict[int, int] = {}
    for tenant_id, role, owes_id in rows:
        if tenant_id is None:  # an account without memberships (outer join)
            continue
        roles.setdefault(tenant_id, set()).add(role)
        if owes_id is not None:
            owes[tenant_id] = owes_id
    return {tid: frozenset(r) for tid, r in roles.items()}, owes


def remember_memberships(user_id: int, rows) -> None:
    """Cache ``(tenant_id, role, owes_id)`` rows of a user for this request (the user loader
    reads them together with the account, so permission checks cost no further query)."""
    _cache()[user_id] = _summarise(rows)


def _memberships(user) -> tuple[dict[int, frozenset[str]], dict[int, int]]:
    cache = _cache()
    if user.id not in cache:
        with all_tenants():
            rows = db.session.execute(
                select(Membership.tenant_id, Membership.role, Membership.owes_id)
                .where(Membership.user_id == user.id)).all()
        cache[user.id] = _summarise(rows)
    return cache[user.id]


def roles_by_tenant(user) -> dict[int, frozenset[str]]:
    """The user's roles per tenant id — the one cross-tenant read of memberships, once per
    request (it serves permission checks, the region switcher and "my regions")."""
    if user is None or not user.is_authenticated:
        return {}
    return _memberships(user)[0]


def bound_owes_id(user, tenant_id: int | None) -> int | None:
    """The OWES the user's membership in ``tenant_id`` is bound to (``owes`` role), if any."""
    if user is None or not user.is_authenticated or tenant_id is None:
        return None
    return _memberships(user)[1].get(tenant_id)


def my_tenants(user) -> list[tuple[Tenant, str]]:
    """(tenant, role) pairs of the user's memberships, by region name."""
    from tenants.queries import all_regions

    roles = roles_by_tenant(user)
    pairs = [(t, role) for t in all_regions() for role in sorted(roles.get(t.id, ()))]
    return sorted(pairs, key=lambda pair: pair[0].name)


def only_coordinator(membership: Membership) -> bool:
    """Whether ``membership`` is the last coordinator of its region (removing it would leave
    the region with nobody to manage it)."""
    if membership.role != "coordinator":
        return False
    with all_tenants():
        others = db.session.scalar(select(func.count(Membership.id)).where(
            Membership.tenant_id == membership.tenant_id, Membership.role == "coordinator",
            Membership.id != membership.id))
    return not others


def tenant_members(page: int, per_page: int, q: str = ""):
    """Memberships of the current tenant with their accounts, paginated (two queries).

    Without a search the total is counted on the region's memberships alone (every membership
    has an account): joining the accounts for the count would read the accounts of every
    region, which grows with the whole installation, not with the page."""
    stmt = (
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .order_by(User.full_name, User.id)
    )
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.full_name).like(like), User.email.like(like)))
        return paged(stmt, page, per_page, scalars=False)
    total = db.session.scalar(select(func.count(Membership.id))) or 0
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


@dataclass
class UserRow:
    """An account on the administrator's list, with its roles: ``[(region, role)]``."""

    user: User
    roles: list = field(default_factory=list)


def _roles_of(user_ids: list[int]) -> dict[int, list]:
    """user id -> ``[(Tenant, Membership)]`` in Polish order of the region names."""
    from tenants.queries import all_regions

    regions = {t.id: t for t in all_regions()}
    found: dict[int, list] = {}
    if not user_ids:
        return found
    with all_tenants():
        memberships = db.session.scalars(
            select(Membership).where(Membership.user_id.in_(user_ids))).all()
    for m in memberships:
        found.setdefault(m.user_id, []).append((regions[m.tenant_id], m))
    return {uid: sorted_pl(pairs, key=lambda pair: pair[0].name) for uid, pairs in found.items()}


def user_roles(user: User) -> list:
    """``[(Tenant, Membership)]`` of one account, regions in Polish alphabetical order."""
    return _roles_of([user.id]).get(user.id, [])


def all_users(page: int, per_page: int, q: str = "", tenant_id: int | None = None,
              role: str = "") -> Fetched:
    """Accounts for the administrator: search by name or e-mail, filter by region and role
    (a region role, or ``admin``/``national``), in Polish alphabetical order of the names.

    The order is Polish (not the database's collation), so the matching names are sorted and
    searched here (three columns per account) and only the page's accounts are loaded, with
    their roles.
    """
    stmt = select(User.id, User.full_name, User.email)
    if role in PLATFORM_ROLES:
        stmt = stmt.where(User.is_admin.is_(True) if role == "admin" else User.is_national.is_(True))
    if tenant_id is not None or role in TENANT_ROLES:
        held = select(Membership.user_id)
        if tenant_id is not None:
            held = held.where(Membership.tenant_id == tenant_id)
        if role in TENANT_ROLES:
            held = held.where(Membership.role == role)
        stmt = stmt.where(User.id.in_(held))
    with all_tenants():
        matching = db.session.execute(stmt).all()
    if q:  # in Python: SQLite's lower() leaves "Ł", "Ź", … as they are
        needle = q.strip().casefold()
        matching = [row for row in matching
                    if needle in row.full_name.casefold() or needle in row.email.casefold()]
    ordered = sorted_pl(matching, key=lambda row: row.full_name)
    ids = [row.id for row in ordered[(page - 1) * per_page: page * per_page]]
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    roles = _roles_of(ids)
    return Fetched([UserRow(users[i], roles.get(i, [])) for i in ids], len(matching))
