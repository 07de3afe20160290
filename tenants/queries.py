"""Reads for tenant pages."""

from __future__ import annotations

from flask import g
from sqlalchemy import func, select

from coordination.auth.models import Membership
from coordination.extensions import db
from tenants.models import Tenant


def by_slug(slug: str) -> Tenant | None:
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def role_counts() -> dict[str, int]:
    """How many people hold each role in the current tenant."""
    rows = db.session.execute(
        select(Membership.role, func.count(Membership.id)).group_by(Membership.role)
    ).all()
    return {role: n for role, n in rows}


#: functions(tenant) -> dict of panels for the tenant home; modules append theirs.
HOME_PANELS: list = []


def home_panels() -> list[dict]:
    """Panels contributed by modules (groups, meetings, surveys…) for the tenant home."""
    return [panel for fetch in HOME_PANELS if (panel := fetch(g.tenant)) is not None]
