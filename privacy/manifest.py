"""What the privacy module (RODO: a person's data, erasure, keeping times) wires into the
application (see coordination/manifest.py)."""

from __future__ import annotations

from coordination.manifest import Access, Catalogue, Manifest
from coordination.permissions import is_coordinator
from privacy.views import bp, root_bp


def _after_restore() -> int:
    from privacy.services import reapply_register

    return reapply_register()


RULES = {
    # a person's data: the region's coordinator (contacts of the region) and administrators
    "privacy.person": lambda u, o: is_coordinator(u),
}

ROUTES: dict[str, str] = {
    "privacy.overview": Access.ADMIN,
    "privacy.account": Access.ADMIN,
    "privacy.account_export": Access.POST_ONLY,
    "privacy.account_erase": Access.ADMIN,
    "tenant.privacy.contact": Access.TENANT_MANAGE,
    "tenant.privacy.contact_export": Access.POST_ONLY,
    "tenant.privacy.contact_erase": Access.TENANT_MANAGE,
}

MANIFEST = Manifest(
    name="privacy",
    tenant_blueprints=(bp,),
    blueprints=(root_bp,),
    rules=RULES,
    tenant_prefixes=("privacy",),
    catalogue=Catalogue("privacy", ("privacy", "templates/privacy")),
    routes=ROUTES,
    after_restore=(_after_restore,),
)
