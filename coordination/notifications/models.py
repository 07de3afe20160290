"""Notification rows (the outbox), per-recipient preferences and the scheduler heartbeat.

A notification is a *due row*: what to send (``kind`` + ``context``), to whom, about which
object and when. The scheduler claims due rows and sends them; the unique key
``(kind, object_type, object_id, recipient, slot)`` makes scheduling idempotent and a
reminder exist once, however many times a module asks for it.

``Notification`` is not ``TenantScoped``: digests span regions and some messages have no
region, so ``tenant_id`` is nullable. Like the audit log, every read of it filters by tenant
explicitly (only in :mod:`coordination.notifications.queries`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.extensions import db

#: life of a row: pending -> sending -> sent; or -> digest (waits for the recipient's digest)
#: -> sent with the digest; or failed (gave up), cancelled (by the module), skipped (turned off
#: by the recipient, or obsolete when the module's check said so at send time).
STATUSES = ("pending", "sending", "digest", "sent", "failed", "cancelled", "skipped")
#: delivery preferences a recipient can choose per kind.
MODES = ("immediate", "daily", "weekly", "off")
#: the columns of the idempotency key.
KEY_COLUMNS = ("kind", "object_type", "object_id", "recipient", "slot")


class Notification(db.Model):
    """One message to one recipient, due at a time; also the outbox entry shown to coordinators."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint(*KEY_COLUMNS, name="uq_notification_key"),
        Index("ix_notification_claim", "status", "next_attempt_at"),
        Index("ix_notification_tenant_due", "tenant_id", "due_at"),
        Index("ix_notification_digest_wait", "status", "delivery", "recipient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: registered kind name, e.g. "meeting_reminder" (see kinds.py).
    kind: Mapped[str] = mapped_column(String(60))
    #: region the message belongs to; None for cross-region digests and platform messages.
    tenant_id: Mapped[int | None] = mapped_column(
        ForeignKey("tenant.id", ondelete="CASCADE"), index=True
    )
    #: type of the object the message is about, e.g. "meeting"; "" when none.
    object_type: Mapped[str] = mapped_column(String(60), default="")
    #: id of that object; 0 when none.
    object_id: Mapped[int] = mapped_column(default=0)
    #: recipient e-mail address, lower case.
    recipient: Mapped[str] = mapped_column(String(254))
    #: recipient account, when the address belongs to one.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: language of the message ("pl" or "en").
    locale: Mapped[str] = mapped_column(String(5), default="pl")
    #: distinguishes repeated messages of one kind about one object, e.g. "7d", "1d", "r2".
    slot: Mapped[str] = mapped_column(String(60), default="")
    #: template values (JSON): title, url, *_at datetimes (ISO, UTC), *_on dates, ...
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: when the message should go out (UTC).
    due_at: Mapped[datetime]
    #: when the next delivery attempt may start (UTC); due_at at first, later backoff.
    next_attempt_at: Mapped[datetime]
    #: one of STATUSES.
    status: Mapped[str] = mapped_column(String(12), default="pending")
    #: how it was delivered or is waiting: immediate, daily, weekly (set when it fell due).
    delivery: Mapped[str | None] = mapped_column(String(10))
    #: SMTP attempts made so far.
    attempts: Mapped[int] = mapped_column(default=0)
    #: text of the last delivery error.
    last_error: Mapped[str | None] = mapped_column(Text)
    #: why the row was skipped: "off" (recipient turned the kind off) or "obsolete".
    skip_reason: Mapped[str | None] = mapped_column(String(20))
    #: when a scheduler claimed the row (the lease start; renewed when sending starts).
    claimed_at: Mapped[datetime | None]
    #: which scheduler process claimed it ("host:pid").
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    #: when the SMTP conversation for the current attempt started; set before sending, so a
    #: crashed sender's row can be told apart from one that was claimed but never sent.
    smtp_started_at: Mapped[datetime | None]
    #: when the SMTP server accepted the message.
    sent_at: Mapped[datetime | None]
    #: Message-ID header, derived from the unique key: a resend has the same id.
    message_id: Mapped[str | None] = mapped_column(String(255))
    #: the digest row this one is delivered in (for daily/weekly recipients).
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), index=True
    )
    #: when the row was scheduled.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationPreference(db.Model):
    """How one recipient wants one kind delivered (absent row = immediately)."""

    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("email", "kind", name="uq_notification_preference_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: recipient address, lower case (works for people without an account too).
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: kind name.
    kind: Mapped[str] = mapped_column(String(60))
    #: one of MODES.
    mode: Mapped[str] = mapped_column(String(10))
    #: last change.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SchedulerHeartbeat(db.Model):
    """Written by the running scheduler leader; ``/healthz`` reads it."""

    __tablename__ = "scheduler_heartbeat"

    #: "scheduler" (one row per scheduler role).
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: last beat (UTC).
    beat_at: Mapped[datetime]
    #: when the current leader started (UTC).
    started_at: Mapped[datetime]
    #: process id of the leader.
    pid: Mapped[int]
    #: host name of the leader.
    host: Mapped[str] = mapped_column(String(120))
