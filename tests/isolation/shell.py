"""Isolation-test objects of the application shell (accounts, tenants); its routes are
classified in coordination/shell.py."""

from __future__ import annotations

from sqlalchemy import select

from coordination.auth.models import Membership
from coordination.extensions import db


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
