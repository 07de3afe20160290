"""The region's operator (ROPS, RCPS, MCPS, DOPS …) in texts, correctly declined.

Texts shared by all regions (the national survey core, e-mails, labels) never say "ROPS":
they hold placeholders filled from the tenant's settings:

* ``{op}``, ``{op_gen}``, ``{op_dat}``, ``{op_acc}``, ``{op_ins}``, ``{op_loc}``: the short
  name (ROPS, RCPS …) in the nominative, genitive, dative, accusative, instrumental, locative;
* ``{op_full}``, ``{op_full_gen}`` … the same cases of the full name.

Unknown placeholders and other braces are left as they are.
"""

from __future__ import annotations

import re

from flask import g, has_app_context, has_request_context

from coordination.labels import PerRequest
from coordination.tenancy import current_tenant_id
from tenants.regions import CASES

#: cases a placeholder may name (the accusative equals the nominative).
PLACEHOLDER_CASES = ("nom", "gen", "dat", "acc", "ins", "loc")
_PLACEHOLDER = re.compile(r"\{op(_full)?(?:_(gen|dat|acc|ins|loc))?\}")


def name(tenant, case: str = "nom", *, full: bool = False) -> str:
    """The operator's short (or full) name in ``case``; the nominative when a form is missing."""
    nominative = tenant.operator_name if full else tenant.operator_short
    if case in ("nom", "acc"):
        return nominative
    forms = (tenant.operator_forms or {}).get("full" if full else "short") or {}
    return forms.get(case) or nominative


def names(tenant) -> dict[str, str]:
    """Every placeholder of ``tenant`` (``{"op": "RCPS", "op_full_gen": …}``)."""
    out = {}
    for full in (False, True):
        for case in PLACEHOLDER_CASES:
            key = "op" + ("_full" if full else "") + ("" if case == "nom" else f"_{case}")
            out[key] = name(tenant, case, full=full)
    return out


def fill(text: str | None, tenant) -> str | None:
    """``text`` with the operator placeholders replaced by ``tenant``'s names."""
    if not text or "{op" not in text:
        return text

    def replace(match: re.Match) -> str:
        return name(tenant, match.group(2) or "nom", full=bool(match.group(1)))

    return _PLACEHOLDER.sub(replace, text)


def current_tenant():
    """The region of the request or of the tenant context (jobs); None outside any region."""
    tenant = getattr(g, "tenant", None) if has_request_context() else None
    if tenant is None and has_app_context() and (tenant_id := current_tenant_id.get()) is not None:
        from coordination.extensions import db
        from tenants.models import Tenant

        tenant = db.session.get(Tenant, tenant_id)  # jobs: the tenant context, no request
    return tenant


def current_short(case: str = "nom", fallback: str = "ROPS") -> str:
    """The current region's short operator name (``fallback`` outside any region)."""
    tenant = current_tenant()
    return name(tenant, case) if tenant is not None else fallback


def current_format(text: str, case: str = "nom") -> str:
    """``text`` (already translated) with ``%(operator)s`` set to the current region's short name."""
    return text % {"operator": current_short(case)}


def lazy_short(case: str = "nom") -> PerRequest:
    """A label that reads the current region's short operator name when rendered."""
    return PerRequest(current_short, case)


__all__ = ["CASES", "PLACEHOLDER_CASES", "current_format", "current_tenant", "current_short", "fill", "lazy_short", "name", "names"]
