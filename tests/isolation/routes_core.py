"""Route classification and isolation objects of the foundation (accounts, tenants)."""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Membership
from coordination.extensions import db
from tests.isolation.levels import (
    ADMIN,
    ANON_FORM,
    AUTH,
    DEMO_ADMIN,
    POST_ONLY,
    PUBLIC,
    REDIRECT,
    TENANT_MANAGE,
    TENANT_PUBLIC,
)

ROUTES = {
    "static": PUBLIC,
    "core.index": PUBLIC,
    "core.healthz": PUBLIC,
    "core.accessibility": PUBLIC,
    "core.switch_region": REDIRECT,
    "core.set_language": POST_ONLY,
    "auth.login": ANON_FORM,
    "auth.logout": POST_ONLY,
    "auth.account": AUTH,
    "auth.change_password": AUTH,
    "auth.request_reset": PUBLIC,
    "auth.reset_password": REDIRECT,
    "admin.users": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.audit_log": ADMIN,
    "admin.audit_export": POST_ONLY,
    "admin.demo_mail": DEMO_ADMIN,
    "admin.demo_mail_message": DEMO_ADMIN,
    "tenant.home": TENANT_PUBLIC,
    "tenant.settings": TENANT_MANAGE,
    "tenant.users": TENANT_MANAGE,
    "tenant.user_edit": TENANT_MANAGE,
    "tenant.user_remove": TENANT_MANAGE,
    "tenant.audit_log": TENANT_MANAGE,
    "tenant.audit_export": POST_ONLY,
}


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """Objects of one region for URL parameters. Runs inside that region's tenant context.

    ``marker`` is non-empty for the foreign region: put it in visible text of its objects.
    ``users`` maps role -> user id of the own region's users (plus "foreign_coordinator").
    """
    membership_id = db.session.scalar(select(Membership.id).order_by(Membership.id))
    return {
        "membership_id": membership_id,
        "user_id": users["foreign_coordinator"] if marker else users["member"],
        "token": "nieprawidlowy-token",
        "filename": "css/app.css",
        "message_id": "20261118T090000000000Z-0badc0de",
    }
