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


def _auth(user) -> bool:
    return user is not None and user.is_authenticated


def _admin(user) -> bool:
    return _auth(user) and user.is_admin


def _national(user) -> bool:
    return _auth(user) and (user.is_national or user.is_admin)


def _sees_tenant(user) -> bool:
    return _national(user) or bool(tenant_roles(user))


def _coordinator(user) -> bool:
    return _admin(user) or "coordinator" in tenant_roles(user)


def _bound_owes_id(user) -> int | None:
    """For an ``owes`` user: the OWES their membership in the current tenant is bound to."""
    if "owes" not in tenant_roles(user):
        return None
    from coordination.auth.queries import bound_owes_id

    return bound_owes_id(user, current_tenant_id.get())


def _owes_editor(user, owes) -> bool:
    """Coordinators edit every OWES of the tenant; an OWES user only the one they are bound to."""
    if _coordinator(user):
        return True
    return owes is not None and _bound_owes_id(user) == getattr(owes, "id", None)


def _wg(check: str, user, obj) -> bool:
    """Group-level roles (chair/secretary/member) live in workgroups.queries.access."""
    from workgroups.queries import access

    return _auth(user) and obj is not None and getattr(access, check)(user, obj)


#: action -> predicate(user, obj). Tenant actions are evaluated in the current tenant.
RULES: dict[str, Callable] = {
    "tenant.view_public": lambda u, o: True,
    "tenant.view": lambda u, o: _sees_tenant(u),
    "tenant.settings": lambda u, o: _coordinator(u),
    "tenant.users": lambda u, o: _coordinator(u),
    "tenant.audit": lambda u, o: _coordinator(u),
    "group.view": lambda u, o: _sees_tenant(u),
    "group.manage": lambda u, o: _coordinator(u),
    "account.self": lambda u, o: _auth(u),
    "platform.users": lambda u, o: _admin(u),
    "platform.audit": lambda u, o: _admin(u),
    "national.view": lambda u, o: _national(u),
    # --- workgroups (meetings, minutes, resolutions, action items) ---
    # group officers (chair, deputy, secretary) manage their group's meetings and minutes;
    # members comment on draft minutes and update their own action items.
    "meeting.view": lambda u, o: _sees_tenant(u),
    "meeting.manage": lambda u, o: _coordinator(u) or _wg("is_officer", u, o),
    "meeting.feed": lambda u, o: _auth(u) and _sees_tenant(u),
    "minutes.manage": lambda u, o: _coordinator(u) or _wg("is_officer", u, o),
    "minutes.comment": lambda u, o: _coordinator(u) or _wg("is_member", u, o),
    "action.view": lambda u, o: _sees_tenant(u),
    "action.manage": lambda u, o: _coordinator(u) or _wg("is_officer", u, o),
    "action.update": lambda u, o: _coordinator(u) or _wg("is_officer", u, o) or _wg("owns_action", u, o),

    # --- surveys ---
    "survey.view": lambda u, o: _sees_tenant(u),
    "survey.manage": lambda u, o: _coordinator(u),
    "survey.export_responses": lambda u, o: _coordinator(u),
    "survey_core.edit": lambda u, o: _national(u),

    # --- owes ---
    # read: everyone who sees the tenant; obj for owes.edit/owes.report is the Owes.
    "owes.view": lambda u, o: _sees_tenant(u),
    "owes.manage": lambda u, o: _coordinator(u),
    "owes.edit": lambda u, o: _owes_editor(u, o),
    "owes.report": lambda u, o: _owes_editor(u, o),
    "owes.verify": lambda u, o: _coordinator(u),
    # consultation comments: people with a role in the tenant (not national readers); an OWES
    # user only on studies of their own OWES or system-wide ones (obj is the Study).
    "owes.comment": lambda u, o: _coordinator(u) or "member" in tenant_roles(u) or (
        "owes" in tenant_roles(u) and o is not None
        and getattr(o, "owes_id", None) in (None, _bound_owes_id(u))),
    "national.owes": lambda u, o: _national(u),
    "national.owes_catalogue": lambda u, o: _national(u),

    # --- national (SIRES) ---
    "national.edit": lambda u, o: _national(u),
    "diagnosis.view": lambda u, o: _national(u) or "coordinator" in tenant_roles(u),
    "diagnosis.edit": lambda u, o: (_national(u) or "coordinator" in tenant_roles(u))
    and (o is None or o.status == "draft"),
    "diagnosis.consultant": lambda u, o: _national(u),
    "diagnosis.sign": lambda u, o: (_national(u) or "coordinator" in tenant_roles(u))
    and (o is None or o.status == "draft"),
    "diagnosis.support": lambda u, o: _national(u) or "coordinator" in tenant_roles(u),

    # --- notifications / scheduler ---
    "outbox.view": lambda u, o: _coordinator(u),
    "outbox.retry": lambda u, o: _coordinator(u),
    "platform.outbox": lambda u, o: _admin(u),

}

#: action prefixes that only make sense inside a tenant: a user who cannot see the tenant
#: gets 404 for them. Modules add their prefixes here.
TENANT_PREFIXES = {"tenant", "group", "meeting", "minutes", "survey", "owes", "diagnosis", "outbox",
                   "action"}


def _is_tenant_action(action: str) -> bool:
    return action.split(".")[0] in TENANT_PREFIXES and action != "tenant.view_public"


def can(action: str, obj=None, user=None) -> bool:
    """True when ``user`` (default: the current user) may do ``action`` on ``obj``."""
    # the real object, not the LocalProxy: rules read several attributes, each of which would
    # otherwise go through Flask-Login's user lookup again
    user = current_user._get_current_object() if user is None else user
    try:
        rule = RULES[action]
    except KeyError as exc:  # a typo must never grant access
        raise KeyError(f"unknown permission {action!r}") from exc
    return bool(rule(user, obj))


def require(action: str, obj=None) -> None:
    """Abort the request unless the current user may do ``action`` on ``obj``."""
    user = current_user._get_current_object()
    if can(action, obj, user):
        return
    if not _auth(user):
        raise Unauthenticated()
    if _is_tenant_action(action) and not _sees_tenant(user):
        abort(404)
    if action.startswith(("platform.", "national.")):
        abort(404)
    abort(403)
