"""Append-only audit log, written by services (never by views)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, event, select
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantSession
from coordination.extensions import db
from coordination.tenancy import current_tenant_id


class AuditLog(db.Model):
    """One change that matters: who did what to which object, in which tenant, when.

    Not tenant-scoped through the mixin because platform actions have no tenant; readers
    filter by ``tenant_id`` explicitly (see :func:`entries_query`).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_tenant_at", "tenant_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when (UTC).
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: acting account id (kept even if the account is later removed).
    actor_id: Mapped[int | None]
    #: acting account e-mail at the time.
    actor_email: Mapped[str | None] = mapped_column(String(254))
    #: tenant the change belongs to; None for platform-level changes.
    tenant_id: Mapped[int | None] = mapped_column(index=True)
    #: dotted action name, e.g. "user.invite", "tenant.settings".
    action: Mapped[str] = mapped_column(String(60))
    #: type of the changed object, e.g. "User".
    object_type: Mapped[str | None] = mapped_column(String(60))
    #: id of the changed object.
    object_id: Mapped[int | None]
    #: what changed: {"field": [old, new], ...} or free details.
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AuditLogImmutable(RuntimeError):
    """Someone tried to change or delete an audit entry."""


def _guard_append_only(session, _ctx, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog):
            raise AuditLogImmutable("the audit log is append-only")


event.listen(TenantSession, "before_flush", _guard_append_only)


def record(
    action: str,
    *,
    actor=None,
    obj: Any = None,
    summary: dict[str, Any] | None = None,
    tenant_id: int | None = None,
) -> AuditLog:
    """Add an audit entry to the current transaction (the caller commits)."""
    if tenant_id is None:
        tenant_id = getattr(obj, "tenant_id", None) or current_tenant_id.get()
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_email=getattr(actor, "email", None),
        tenant_id=tenant_id,
        action=action,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        summary=json.loads(json.dumps(summary, default=str)) if summary else None,
    )
    db.session.add(entry)
    return entry


def changes(obj: Any, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply ``fields`` to ``obj`` and return ``{field: [old, new]}`` for those that changed."""
    diff: dict[str, list[Any]] = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            diff[name] = [old, value]
            setattr(obj, name, value)
    return diff


def entries_query(tenant_id: int | None, filters: dict | None = None):
    """Audit entries newest first; ``None`` means all tenants (admin only).

    ``filters`` (see :func:`coordination.audit_labels.read_filters`): ``action`` (a code),
    ``actor_id``, ``since`` and ``until`` (UTC datetimes, ``until`` exclusive).
    """
    stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if tenant_id is not None:
        stmt = stmt.where(AuditLog.tenant_id == tenant_id)
    filters = filters or {}
    if filters.get("action"):
        stmt = stmt.where(AuditLog.action == filters["action"])
    if filters.get("actor_id"):
        stmt = stmt.where(AuditLog.actor_id == filters["actor_id"])
    if filters.get("since"):
        stmt = stmt.where(AuditLog.at >= filters["since"])
    if filters.get("until"):
        stmt = stmt.where(AuditLog.at < filters["until"])
    return stmt


def entries_page(page: int, per_page: int, tenant_id: int | None, filters: dict | None = None):
    """One page of the log of ``tenant_id`` (None: all tenants, admin only)."""
    from coordination.pagination import paged

    return paged(entries_query(tenant_id, filters), page, per_page)


def actors(tenant_id: int | None) -> list[tuple[int, str]]:
    """``(account id, name)`` of everyone who wrote to the log (of ``tenant_id``), for a filter."""
    from coordination.auth.models import User
    from coordination.collation import sorted_pl

    ids = select(AuditLog.actor_id).where(AuditLog.actor_id.is_not(None))
    if tenant_id is not None:
        ids = ids.where(AuditLog.tenant_id == tenant_id)
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids.distinct())))
    return sorted_pl([tuple(row) for row in rows], key=lambda row: row[1])
