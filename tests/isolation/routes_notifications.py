"""Route classification and isolation objects of the notifications module."""

from __future__ import annotations

from coordination.notifications import services
from coordination.notifications.models import Notification
from coordination.notifications.rendering import unsubscribe_token
from coordination.tenancy import current_tenant_id
from tests.isolation.levels import ADMIN, AUTH, POST_ONLY, TENANT_MANAGE, TOKEN

ROUTES = {
    "tenant.notifications.outbox": TENANT_MANAGE,
    "tenant.notifications.retry": TENANT_MANAGE,
    "tenant.notifications.send_test": POST_ONLY,
    "notify.admin_outbox": ADMIN,
    "notify.admin_retry": ADMIN,
    "notify.preferences": AUTH,
    "notify.unsubscribe": TOKEN,
}


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
