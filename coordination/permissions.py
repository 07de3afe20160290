"""The one place that answers "may this user do this (to this object)?".

Views call :func:`require` (or templates call ``can``); no view checks roles itself.

Denials:
* anonymous users are sent to the login page (``Unauthenticated``);
* users without any access to the tenant get **404**, so a region's data never leaks,
  not even its existence;
* users who see the tenant but lack a write right get **403**.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from flask import abort
from flask_login import current_user

from coordination.tenancy import current_tenant_id


class Unauthenticated(Exception):
    """Raised to send an anonymous user to the login page."""


def tenant_roles(user, tenant_id: int | None = None) -> frozenset[str]:
    """The user's roles in the tenant (``coordinator``, ``member``, ``owes``); one query per
    request for all tenants (see :func:`coordination.auth.queries.roles_by_tenant`)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    tenant_id = tenant_id if tenant_id is not None else current_tenant_id.get()
    if tenant_id is None:
        return frozenset()
    from coordination.auth.queries import roles_by_tenant

    return roles_by_tenant(user).get(tenant_id, frozenset())


def is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def is_admin(user) -> bool:
    return is_authenticated(user) and user.is_admin


def is_national(user) -> bool:
    """National consultants and platform administrators."""
    return is_authenticated(user) and (user.is_national or user.is_admin)


def sees_tenant(user) -> bool:
    """Reads the current tenant: national readers and anyone with a role in it."""
    return is_national(user) or bool(tenant_roles(user))


def is_coordinator(user) -> bool:
    """The current tenant's coordinator (or a platform administrator)."""
    return is_admin(user) or "coordinator" in tenant_roles(user)


def bound_owes_id(user) -> int | None:
    """For an ``owes`` user: the OWES their membership in the current tenant is bound to."""
    if "owes" not in tenant_roles(user):
        return None
    from coordination.auth.queries import bound_owes_id as _bound

    return _bound(user, current_tenant_id.get())


#: the shell's own rules (accounts, tenants, platform); modules declare theirs in manifests.
SHELL_RULES: dict[str, Callable] = {
    "tenant.view_public": lambda u, o: True,
    "tenant.view": lambda u, o: sees_tenant(u),
    "tenant.settings": lambda u, o: is_coordinator(u),
    "tenant.users": lambda u, o: is_coordinator(u),
    "tenant.audit": lambda u, o: is_coordinator(u),
    "account.self": lambda u, o: is_authenticated(u),
    "platform.users": lambda u, o: is_admin(u),
    "platform.audit": lambda u, o: is_admin(u),
    "national.view": lambda u, o: is_national(u),
}


@cache
def rules() -> dict[str, Callable]:
    """action -> predicate(user, obj), collected from every manifest (a clash raises).
    Tenant actions are evaluated in the current tenant."""
    from coordination.modules import merged

    return merged("rules", "permissions")


@cache
def tenant_prefixes() -> frozenset[str]:
    """Action prefixes that only make sense inside a tenant: a user who cannot see the tenant
    gets 404 for them (declared by each manifest)."""
    from coordination.modules import manifests

    return frozenset(p for manifest in manifests() for p in manifest.tenant_prefixes)


def _is_tenant_action(action: str) -> bool:
    return action.split(".")[0] in tenant_prefixes() and action != "tenant.view_public"


def can(action: str, obj=None, user=None) -> bool:
    """True when ``user`` (default: the current user) may do ``action`` on ``obj``."""
    # the real object, not the LocalProxy: rules read several attributes, each of which would
    # otherwise go through Flask-Login's user lookup again
    user = current_user._get_current_object() if user is None else user
    try:
        rule = rules()[action]
    except KeyError as exc:  # a typo must never grant access
        raise KeyError(f"unknown permission {action!r}") from exc
    return bool(rule(user, obj))


def require(action: str, obj=None) -> None:
    """Abort the request unless the current user may do ``action`` on ``obj``."""
    user = current_user._get_current_object()
    if can(action, obj, user):
        return
    if not is_authenticated(user):
        raise Unauthenticated()
    if _is_tenant_action(action) and not sees_tenant(user):
        abort(404)
    if action.startswith(("platform.", "national.")):
        abort(404)
    abort(403)
