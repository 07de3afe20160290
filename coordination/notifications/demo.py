"""Demo notifications: an announcement queued for the demo people of Wielkopolskie.

Idempotent through the notification key (scheduling the same key twice changes nothing).
"""

from __future__ import annotations

from datetime import timedelta

from coordination.auth.services import find_user
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.notifications import services
from coordination.tenancy import tenant_context

RECIPIENTS = ("koordynator.wielkopolskie@example.org", "czlonek.wielkopolskie@example.org")


def seed(tenants) -> None:
    tenant = tenants.get("wielkopolskie")
    if tenant is None:
        return
    due = (utcnow() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    with tenant_context(tenant.id):
        for email in RECIPIENTS:
            user = find_user(email)
            if user is None:
                continue
            services.schedule(
                "announcement", user, due_at=due, object_type="demo", object_id=1,
                context={"title": "Spotkanie sieci OWES – zapisy otwarte",
                         "text": "Zapraszamy do zapisów na wiosenne spotkanie sieci OWES "
                                 "w Poznaniu. Szczegóły w przestrzeni regionu.",
                         "url": services.link("tenant.home", tenant=tenant.slug)})
        db.session.commit()
