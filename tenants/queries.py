"""Reads for tenant pages."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from coordination.auth.models import MembershipCount
from coordination.extensions import db
from tenants.models import Tenant


def all_regions() -> list[Tenant]:
    """The 16 regions ordered by TERYT, loaded once per request (one query serves the tenant
    lookup, the region switcher and the root page)."""
    if has_request_context():
        cached = g.get("_all_regions")
        if cached is None:
            cached = g._all_regions = db.session.scalars(select(Tenant).order_by(Tenant.teryt)).all()
        return cached
    return db.session.scalars(select(Tenant).order_by(Tenant.teryt)).all()


def by_slug(slug: str) -> Tenant | None:
    return next((t for t in all_regions() if t.slug == slug), None)


def role_counts() -> dict[str, int]:
    """How many people hold each role in the current tenant (kept by triggers on membership,
    see :mod:`coordination.auth.counts`)."""
    rows = db.session.execute(select(MembershipCount.role, MembershipCount.n).where(MembershipCount.n > 0)).all()
    return {role: n for role, n in rows}


def home_panels() -> list[dict]:
    """Panels contributed by modules (groups, meetings, surveys…: each manifest's
    ``home_panels``) for the tenant home."""
    from coordination.modules import manifests

    return [panel for manifest in manifests() for fetch in manifest.home_panels
            if (panel := fetch(g.tenant)) is not None]
