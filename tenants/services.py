"""Tenant state changes: seeding the 16 regions, editing settings."""

from __future__ import annotations

from sqlalchemy import select

from coordination import audit
from coordination.extensions import db
from tenants.models import Tenant
from tenants.regions import REGIONS

SETTINGS_FIELDS = ("operator_name", "committee_name", "contact_email", "contact_phone",
                   "address", "logo_text")


def ensure_regions() -> int:
    """Create any of the 16 voivodeships that is missing; return how many were created."""
    existing = set(db.session.scalars(select(Tenant.teryt)))
    created = 0
    for teryt, slug, name, operator in REGIONS:
        if teryt not in existing:
            db.session.add(Tenant(teryt=teryt, slug=slug, name=name, operator_name=operator))
            created += 1
    db.session.commit()
    return created


def update_settings(tenant: Tenant, data: dict, *, actor) -> dict:
    """Apply the editable settings; audit what changed; return the diff."""
    clean = {k: (data.get(k) or None) if k not in ("operator_name", "committee_name") else data[k].strip()
             for k in SETTINGS_FIELDS}
    diff = audit.changes(tenant, clean)
    if diff:
        audit.record("tenant.settings", actor=actor, obj=tenant, tenant_id=tenant.id, summary=diff)
        db.session.commit()
    return diff
