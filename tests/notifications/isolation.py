"""Isolation-test objects of the notifications module (its routes are classified in its manifest)."""

from __future__ import annotations

from coordination.notifications import services
from coordination.notifications.models import Notification
from coordination.notifications.rendering import unsubscribe_token
from coordination.tenancy import current_tenant_id


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """A failed notification of the region (marker in its visible error) and an unsubscribe link."""
    from coordination.extensions import db

    email = f"odbiorca.{slug}@example.org"
    services.schedule("announcement", email, object_type="isolation", object_id=1,
                      context={"title": f"{marker} Komunikat".strip()})
    db.session.flush()
    row = db.session.query(Notification).filter_by(
        recipient=email, tenant_id=current_tenant_id.get()).one()
    row.status = "failed"
    row.last_error = f"{marker} 550 odrzucono".strip()
    return {"notification_id": row.id, "unsub_token": unsubscribe_token(email, "announcement")}
