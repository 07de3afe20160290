"""Tenant state changes: seeding the 16 regions, editing settings."""

from __future__ import annotations

from sqlalchemy import select

from coordination import audit
from coordination.extensions import db
from tenants.models import Tenant
from tenants.operator import name as operator_name
from tenants.regions import CASES, OPERATORS, REGIONS, default_operator_forms

SETTINGS_FIELDS = ("operator_name", "operator_short", "committee_name", "contact_email",
                   "contact_phone", "address", "logo_text")
#: settings form fields holding the declined operator names (``full_gen`` …, ``short_loc``).
FORM_FIELDS = tuple(f"{kind}_{case}" for kind in ("full", "short") for case in CASES[1:])
REQUIRED = ("operator_name", "operator_short", "committee_name")


def ensure_regions() -> int:
    """Create any of the 16 voivodeships that is missing; return how many were created."""
    existing = {t.teryt: t for t in db.session.scalars(select(Tenant))}
    created = 0
    for teryt, slug, name, operator in REGIONS:
        tenant = existing.get(teryt)
        if tenant is None:
            db.session.add(Tenant(teryt=teryt, slug=slug, name=name, operator_name=operator,
                                  operator_short=OPERATORS[slug]["short"]["nom"],
                                  operator_forms=default_operator_forms(slug)))
            created += 1
        elif tenant.operator_forms is None:
            # a region created before the declined names existed gets the defaults once
            tenant.operator_short = OPERATORS[slug]["short"]["nom"]
            tenant.operator_forms = default_operator_forms(slug)
    db.session.commit()
    return created


def operator_form_data(tenant: Tenant) -> dict[str, str]:
    """Initial values of the settings form's declined names (``full_gen`` … ``short_loc``)."""
    return {f"{kind}_{case}": operator_name(tenant, case, full=kind == "full")
            for kind in ("full", "short") for case in CASES[1:]}


def update_settings(tenant: Tenant, data: dict, *, actor) -> dict:
    """Apply the editable settings; audit what changed; return the diff."""
    clean = {k: (data.get(k) or None) if k not in REQUIRED else data[k].strip() for k in SETTINGS_FIELDS}
    if any(k in data for k in FORM_FIELDS):
        clean["operator_forms"] = {kind: {case: (data.get(f"{kind}_{case}") or "").strip()
                                          for case in CASES[1:]} for kind in ("full", "short")}
    diff = audit.changes(tenant, clean)
    if diff:
        audit.record("tenant.settings", actor=actor, obj=tenant, tenant_id=tenant.id, summary=diff)
        db.session.commit()
    return diff
