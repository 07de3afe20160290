"""Scheduling, cancelling and rescheduling notifications; retrying failed ones.

These join the caller's transaction (the caller commits), so a notification is scheduled if
and only if the change that caused it is committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from coordination import audit
from coordination.clock import to_naive_utc, utcnow
from coordination.extensions import db
from coordination.notifications.kinds import get_kind
from coordination.notifications.models import KEY_COLUMNS, Notification
from coordination.notifications.rendering import link, to_json
from coordination.tenancy import current_tenant_id

#: marker: "use the current tenant context".
CURRENT = object()
_TABLE = Notification.__table__


def dialect_insert(dialect_name: str):
    """``insert`` with ``on_conflict_*`` support for the database in use."""
    return pg_insert if dialect_name == "postgresql" else sqlite_insert


def _recipient(recipient, locale: str | None) -> tuple[str, int | None, str]:
    """``(email, user_id, locale)`` for a User-like object or an e-mail address."""
    from coordination.auth.models import User
    from coordination.auth.services import find_user, normalize_email

    if isinstance(recipient, str):
        user = find_user(recipient)
        if user is None:
            return normalize_email(recipient), None, locale or "pl"
        recipient = user
    if not isinstance(recipient, User) and not hasattr(recipient, "email"):
        raise TypeError("recipient must be a User or an e-mail address")
    return (normalize_email(recipient.email), getattr(recipient, "id", None),
            locale or getattr(recipient, "locale", None) or "pl")


def schedule(kind: str, recipient, *, due_at: datetime | None = None, object_type: str = "",
             object_id: int = 0, slot: str = "", context: dict[str, Any] | None = None,
             tenant_id: Any = CURRENT, locale: str | None = None) -> None:
    """Schedule ``kind`` for ``recipient`` (a User or an e-mail address) at ``due_at``.

    Idempotent: the key ``(kind, object_type, object_id, recipient, slot)`` exists once.
    Scheduling an existing key again changes nothing, except that a *cancelled* row is revived
    with the new time and context. ``due_at`` defaults to now (aware datetimes are converted
    to UTC). ``tenant_id`` defaults to the current tenant.
    """
    get_kind(kind)
    email, user_id, locale = _recipient(recipient, locale)
    due = to_naive_utc(due_at) if due_at is not None else utcnow()
    if tenant_id is CURRENT:
        tenant_id = current_tenant_id.get()
    values = {
        "kind": kind, "tenant_id": tenant_id, "object_type": object_type,
        "object_id": object_id, "recipient": email, "user_id": user_id, "locale": locale,
        "slot": slot, "context": to_json(context), "due_at": due, "next_attempt_at": due,
        "status": "pending", "attempts": 0, "created_at": utcnow(),
    }
    insert = dialect_insert(db.session.get_bind().dialect.name)
    stmt = insert(_TABLE).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={"status": "pending", "due_at": due, "next_attempt_at": due,
              "context": stmt.excluded.context, "locale": locale, "attempts": 0,
              "last_error": None, "skip_reason": None, "digest_id": None},
        where=_TABLE.c.status == "cancelled",
    )
    db.session.execute(stmt)


def schedule_many(kind: str, recipients: Iterable, **kwargs) -> int:
    """:func:`schedule` for each recipient; returns how many were given."""
    n = 0
    for recipient in recipients:
        schedule(kind, recipient, **kwargs)
        n += 1
    return n


def _matching(kinds: str | Iterable[str], object_type: str, object_id: int,
              recipient: str | None, slot: str | None):
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    conds = [_TABLE.c.kind.in_(names), _TABLE.c.object_type == object_type,
             _TABLE.c.object_id == object_id]
    if recipient is not None:
        from coordination.auth.services import normalize_email

        conds.append(_TABLE.c.recipient == normalize_email(recipient))
    if slot is not None:
        conds.append(_TABLE.c.slot == slot)
    tid = current_tenant_id.get()
    if tid is not None:
        conds.append(_TABLE.c.tenant_id == tid)
    return conds


def cancel(kinds: str | Iterable[str], *, object_type: str, object_id: int,
           recipient: str | None = None, slot: str | None = None) -> int:
    """Cancel the unsent rows of ``kinds`` about the object (optionally one recipient/slot).

    Rows already sent stay as they are. Returns the number of rows cancelled.
    """
    stmt = (update(_TABLE)
            .where(*_matching(kinds, object_type, object_id, recipient, slot),
                   _TABLE.c.status.in_(("pending", "digest")))
            .values(status="cancelled"))
    return db.session.execute(stmt).rowcount


def reschedule(kinds: str | Iterable[str], *, object_type: str, object_id: int,
               due_at: datetime, recipient: str | None = None, slot: str | None = None,
               context: dict[str, Any] | None = None) -> int:
    """Move the pending rows of ``kinds`` about the object to ``due_at`` (and new context)."""
    due = to_naive_utc(due_at)
    values: dict[str, Any] = {"due_at": due, "next_attempt_at": due}
    if context is not None:
        values["context"] = to_json(context)
    stmt = (update(_TABLE)
            .where(*_matching(kinds, object_type, object_id, recipient, slot),
                   _TABLE.c.status == "pending")
            .values(**values))
    return db.session.execute(stmt).rowcount


def retry(notification: Notification, *, actor) -> bool:
    """Put a failed row back in the queue, due now, with a fresh attempt count."""
    if notification.status != "failed":
        return False
    now = utcnow()
    diff = audit.changes(notification, {
        "status": "pending", "attempts": 0, "next_attempt_at": now, "digest_id": None,
        "smtp_started_at": None, "claimed_by": None, "claimed_at": None,
    })
    audit.record("notification.retry", actor=actor, obj=notification,
                 tenant_id=notification.tenant_id,
                 summary={"status": diff.get("status"), "recipient": notification.recipient})
    db.session.commit()
    return True


def send_test(user, tenant, *, actor) -> None:
    """Queue a test message to ``user`` (checks SMTP and the scheduler end to end)."""
    now = utcnow()
    schedule("test", user, object_type="tenant", object_id=tenant.id, slot=now.isoformat(),
             tenant_id=tenant.id,
             context={"title": tenant.name, "url": link("tenant.home", tenant=tenant.slug),
                      "requested_at": now})
    audit.record("notification.test", actor=actor, obj=tenant, tenant_id=tenant.id,
                 summary={"recipient": user.email})
    db.session.commit()

