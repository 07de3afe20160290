"""Navigation context for base.html: current tenant, region switcher, language."""

from __future__ import annotations

from functools import cache

from flask import g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_login import current_user


@cache
def tenant_nav() -> tuple:
    """Region menu entries ``(endpoint, lazy label, permission action)``, in manifest order
    (each module declares its ``tenant_nav``)."""
    from coordination.modules import manifests

    return tuple(entry for manifest in manifests() for entry in manifest.tenant_nav)


@cache
def national_nav() -> tuple:
    """National menu entries (under /kraj), same shape; shown to who passes the permission."""
    from coordination.modules import manifests

    return tuple(entry for manifest in manifests() for entry in manifest.national_nav)


def switcher_tenants():
    """Regions offered in the switcher: all for national/admin, own memberships otherwise."""
    if not current_user.is_authenticated:
        return []
    from coordination.auth.queries import roles_by_tenant
    from tenants.queries import all_regions

    regions = sorted(all_regions(), key=lambda t: t.name)
    if current_user.is_admin or current_user.is_national:
        return regions
    mine = roles_by_tenant(current_user)
    return [t for t in regions if t.id in mine]


def page_url(number: int) -> str:
    """The current page's URL with ``page=number`` (other query arguments kept)."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def nav_context() -> dict:
    if not has_request_context():
        return {}
    return {
        "current_tenant": g.get("tenant"),
        "tenant_nav": tenant_nav(),
        "national_nav": national_nav(),
        "switcher_tenants": switcher_tenants,
        "current_locale": str(get_locale() or "pl"),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }
