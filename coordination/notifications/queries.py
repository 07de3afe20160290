"""Reads for the outbox and preference pages.

``Notification`` is not tenant-scoped (digests span regions), so the region filter is explicit
here and only here: ``tenant_id`` is the current region for coordinators, None for the admin.
Survey answers never reach this table; the outbox shows who, what kind, when and the outcome.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from coordination.extensions import db
from coordination.labels import Labels, register
from coordination.notifications.kinds import private_kinds
from coordination.notifications.models import Notification, NotificationPreference
from coordination.pagination import paged
from tenants.models import Tenant

STATUS_LABELS = Labels({
    "pending": _l("Pending"),
    "sending": _l("Sending"),
    "digest": _l("Waiting for digest"),
    "sent": _l("Sent"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
    "skipped": _l("Skipped"),
})
SKIP_LABELS = Labels({
    "off": _l("the recipient turned this kind off"),
    "obsolete": _l("no longer needed"),
})
MODE_LABELS = Labels({
    "immediate": _l("Immediately"),
    "daily": _l("Daily digest"),
    "weekly": _l("Weekly digest"),
    "off": _l("Off"),
})
register("notifications", status=STATUS_LABELS, skip=SKIP_LABELS, mode=MODE_LABELS)


def _scoped(stmt, tenant_id: int | None):
    """A region's rows without the private kinds (see :attr:`Kind.private`); every row for
    ``tenant_id=None`` (the platform administrator's outbox)."""
    if tenant_id is None:
        return stmt
    return stmt.where(Notification.tenant_id == tenant_id, Notification.kind.not_in(private_kinds()))


def private_count(tenant_id: int) -> int:
    """How many messages of private kinds the region has (listed nowhere, only counted)."""
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.tenant_id == tenant_id, Notification.kind.in_(private_kinds()))) or 0


def outbox_page(page: int, per_page: int, *, tenant_id: int | None, status: str | None = None):
    """``(notification, region name)`` rows, newest due first, and the total (two queries)."""
    stmt = _scoped(select(Notification, Tenant.name)
                   .outerjoin(Tenant, Tenant.id == Notification.tenant_id), tenant_id)
    if status:
        stmt = stmt.where(Notification.status == status)
    return paged(stmt.order_by(Notification.due_at.desc(), Notification.id.desc()), page, per_page,
                 scalars=False)


def status_counts(tenant_id: int | None) -> dict[str, int]:
    """Number of rows per status (for the filter links)."""
    stmt = _scoped(select(Notification.status, func.count(Notification.id))
                   .group_by(Notification.status), tenant_id)
    return dict(db.session.execute(stmt).all())


def outbox_row(notification_id: int, tenant_id: int | None) -> Notification | None:
    """One row of the region (or any row for ``tenant_id=None``, the admin view)."""
    return db.session.scalar(_scoped(select(Notification)
                                     .where(Notification.id == notification_id), tenant_id))


def preferences_of(email: str) -> dict[str, str]:
    """``{kind: mode}`` stored for ``email`` (missing kinds are delivered immediately)."""
    return dict(db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.mode)
        .where(NotificationPreference.email == email)).all())


def for_object(object_type: str, object_id: int, tenant_id: int) -> list[Notification]:
    """Rows about one object of a region (for modules' own pages, e.g. a meeting)."""
    return list(db.session.scalars(_scoped(
        select(Notification).where(Notification.object_type == object_type,
                                   Notification.object_id == object_id)
        .order_by(Notification.due_at, Notification.id), tenant_id)))
