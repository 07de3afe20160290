"""Claiming due rows and sending them: the exactly-once machinery.

One row goes through these short transactions:

1. **claim** (a batch at once): ``pending`` rows that are due, plus ``sending`` rows whose lease
   expired, become ``sending`` with ``claimed_by`` = this worker and ``claimed_at`` = now.
   PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent workers take disjoint rows;
   SQLite: the transaction starts with ``BEGIN IMMEDIATE`` (the database write lock is taken
   before the read, so two workers cannot read the same free rows).
2. **start**: ``smtp_started_at`` = now, lease renewed, attempt counted — only if the row is
   still claimed by this worker (a worker that lost its lease stops here).
3. **SMTP** send, with a Message-ID derived from the row's unique key.
4. **finish**: ``sent`` (or back to ``pending`` with backoff, or ``failed`` after N attempts).

A crash after 1 and before 2 leaves ``sending`` rows without ``smtp_started_at``: reclaimed
after the lease and sent once. A crash between the SMTP server's "250 OK" and step 4 is the
one window that can produce a second copy: the row is resent after the lease with the *same*
Message-ID (logged as "outcome unknown"), so the duplicate is detectable and mail clients
that de-duplicate by Message-ID show it once. See docs/notifications.md.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.engine import Engine

from coordination.clock import utcnow
from coordination.extensions import db, mail
from coordination.mailer import send_templated
from coordination.notifications.kinds import ATTACHMENTS, CHECKS, KINDS
from coordination.notifications.models import Notification, NotificationPreference
from coordination.notifications.rendering import email_parts
from coordination.notifications.settings import setting
from coordination.tenancy import tenant_context

log = logging.getLogger("sieci.notifications")
_T = Notification.__table__


@event.listens_for(Engine, "begin")
def _sqlite_begin_immediate(conn) -> None:
    """SQLite: a connection carrying ``sqlite_begin_immediate`` starts with BEGIN IMMEDIATE.

    pysqlite (legacy transaction control) never emits BEGIN before a SELECT and skips its own
    implicit BEGIN once a transaction is open, so the explicit statement is the first one.
    """
    if conn.dialect.name == "sqlite" and conn.get_execution_options().get("sqlite_begin_immediate"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextlib.contextmanager
def write_transaction():
    """A short transaction on its own connection that owns the rows it reads.

    SQLite: BEGIN IMMEDIATE (waits for the write lock up to the busy timeout). PostgreSQL:
    the caller's ``SELECT ... FOR UPDATE SKIP LOCKED`` locks what it reads.
    """
    with db.engine.connect().execution_options(sqlite_begin_immediate=True) as conn:
        with conn.begin():
            yield conn


def worker_id() -> str:
    """Identity of this sending process: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def claim_due(worker: str, *, limit: int, now: datetime) -> list[int]:
    """Mark up to ``limit`` due rows as ``sending`` for ``worker``; return their ids."""
    cutoff = now - timedelta(seconds=setting("NOTIFICATIONS_LEASE_SECONDS"))
    due = or_(
        and_(_T.c.status == "pending", _T.c.next_attempt_at <= now),
        and_(_T.c.status == "sending", _T.c.claimed_at < cutoff),
    )
    with write_transaction() as conn:
        ids = list(conn.scalars(
            select(_T.c.id).where(due).order_by(_T.c.next_attempt_at, _T.c.id).limit(limit)
            .with_for_update(skip_locked=True)
        ))
        if ids:
            conn.execute(update(_T).where(_T.c.id.in_(ids))
                         .values(status="sending", claimed_at=now, claimed_by=worker))
    return ids


def _set(row_id: int, worker: str, **values) -> bool:
    """Update a row this worker still holds; commit; True if it was ours."""
    result = db.session.execute(
        update(_T).where(_T.c.id == row_id, _T.c.claimed_by == worker, _T.c.status == "sending")
        .values(**values)
    )
    db.session.commit()
    return result.rowcount == 1


def _backoff(attempts: int) -> timedelta:
    base = setting("NOTIFICATIONS_RETRY_BASE_SECONDS")
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0),
                                 setting("NOTIFICATIONS_RETRY_MAX_SECONDS")))


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):  # 5xx for the recipient: give up
        return all(code >= 500 for code, _msg in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600


class _Batch:
    """Everything one claimed batch needs, loaded with a fixed number of queries."""

    def __init__(self, ids: list[int], worker: str):
        from coordination.auth.models import User
        from tenants.models import Tenant

        self.worker = worker
        self.rows = [SimpleNamespace(**r) for r in db.session.execute(
            select(_T).where(_T.c.id.in_(ids), _T.c.claimed_by == worker,
                             _T.c.status == "sending").order_by(_T.c.next_attempt_at, _T.c.id)
        ).mappings()]
        emails = {r.recipient for r in self.rows}
        self.prefs = {(p.email, p.kind): p.mode for p in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.email.in_(emails)))}
        user_ids = {r.user_id for r in self.rows if r.user_id}
        users = db.session.execute(select(User.id, User.full_name, User.locale)
                                   .where(User.id.in_(user_ids))).all() if user_ids else []
        self.names = {u.id: u.full_name for u in users}
        for row in self.rows:  # the language the recipient uses now, not when it was scheduled
            row.locale = next((u.locale for u in users if u.id == row.user_id and u.locale),
                              row.locale)
        tenant_ids = {r.tenant_id for r in self.rows if r.tenant_id}
        self.tenants = dict(db.session.execute(
            select(Tenant.id, Tenant.name).where(Tenant.id.in_(tenant_ids))).all()) if tenant_ids else {}
        db.session.commit()
        self._smtp = None

    def smtp(self):
        if self._smtp is None:
            self._smtp = mail.get_connection(
                fail_silently=False, timeout=setting("NOTIFICATIONS_SMTP_TIMEOUT"))
            self._smtp.open()
        return self._smtp

    def drop_smtp(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(Exception):
                self._smtp.close()
            self._smtp = None


def _deliver_one(row, batch: _Batch) -> str:
    """Deliver (or defer, skip, fail) one claimed row; return the outcome."""
    worker = batch.worker
    kind = KINDS.get(row.kind)
    if kind is None:
        _set(row.id, worker, status="failed", last_error=f"unknown notification kind {row.kind!r}")
        return "failed"
    if not kind.internal:
        mode = kind.effective_mode(batch.prefs.get((row.recipient, row.kind)))
        if mode == "off":
            _set(row.id, worker, status="skipped", skip_reason="off", delivery=None)
            return "skipped"
        if mode in ("daily", "weekly"):
            _set(row.id, worker, status="digest", delivery=mode)
            return "digest"
    check = CHECKS.get(row.kind)
    try:
        values = check(row) if check is not None else row.context
        if values is None:
            _set(row.id, worker, status="skipped", skip_reason="obsolete")
            return "skipped"
        builder = ATTACHMENTS.get(row.kind)
        attachments = builder(row, values) if builder is not None else None
        subject, context, headers = email_parts(
            row, kind, values, recipient_name=batch.names.get(row.user_id),
            tenant_name=batch.tenants.get(row.tenant_id))
    except Exception as exc:  # noqa: BLE001 - a broken check or template must not stop the batch
        log.exception("notification %s: cannot prepare %s", row.id, row.kind)
        db.session.rollback()
        _set(row.id, worker, status="failed", last_error=f"cannot prepare: {exc}"[:2000])
        return "failed"
    if row.smtp_started_at is not None:
        log.warning("notification %s: a previous sender crashed during SMTP; outcome unknown, "
                    "resending with the same Message-ID %s", row.id, headers["Message-ID"])
    now = utcnow()
    if not _set(row.id, worker, smtp_started_at=now, claimed_at=now, attempts=row.attempts + 1,
                message_id=headers["Message-ID"]):
        log.warning("notification %s: lease lost to another scheduler, not sending", row.id)
        return "lost"
    delay = setting("NOTIFICATIONS_TEST_SEND_DELAY")
    if delay:
        time.sleep(delay)
    try:
        send_templated(row.recipient, subject, kind.template, row.locale, headers=headers,
                       connection=batch.smtp(), attachments=attachments, **context)
    except Exception as exc:  # noqa: BLE001 - SMTP and network errors are retried
        batch.drop_smtp()
        return _after_error(row, exc, worker)
    _mark_sent(row, worker)
    return "sent"


def _mark_sent(row, worker: str) -> None:
    now = utcnow()
    db.session.execute(
        update(_T).where(_T.c.id == row.id, _T.c.claimed_by == worker)
        .values(status="sent", sent_at=now, last_error=None, delivery=row.delivery or "immediate")
    )
    if row.kind == "digest":
        db.session.execute(update(_T).where(_T.c.digest_id == row.id, _T.c.status == "digest")
                           .values(status="sent", sent_at=now))
    db.session.commit()


def _after_error(row, exc: Exception, worker: str) -> str:
    attempts = row.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if _permanent(exc) or attempts >= setting("NOTIFICATIONS_MAX_ATTEMPTS"):
        log.error("notification %s to %s failed for good after %d attempt(s): %s",
                  row.id, row.recipient, attempts, error)
        _set(row.id, worker, status="failed", last_error=error, smtp_started_at=None)
        if row.kind == "digest":  # members become individually retryable
            db.session.execute(update(_T).where(_T.c.digest_id == row.id, _T.c.status == "digest")
                               .values(status="failed", digest_id=None,
                                       last_error=f"digest #{row.id} failed: {error}"[:2000]))
            db.session.commit()
        return "failed"
    retry_at = utcnow() + _backoff(attempts)
    log.warning("notification %s to %s: attempt %d failed (%s); retry at %s",
                row.id, row.recipient, attempts, error, retry_at)
    _set(row.id, worker, status="pending", last_error=error, smtp_started_at=None,
         next_attempt_at=retry_at, claimed_by=None)
    return "retry"


def _release(rows, worker: str) -> None:
    """Give back claimed rows not yet started (graceful shutdown)."""
    ids = [r.id for r in rows]
    if ids:
        db.session.execute(update(_T).where(_T.c.id.in_(ids), _T.c.claimed_by == worker,
                                            _T.c.status == "sending")
                           .values(status="pending", claimed_by=None, claimed_at=None))
        db.session.commit()


def deliver_claimed(ids: list[int], worker: str, stop: Callable[[], bool] | None = None) -> Counter:
    """Deliver the rows ``worker`` claimed; stop early (releasing the rest) when ``stop()``."""
    batch = _Batch(ids, worker)
    outcomes: Counter = Counter()
    try:
        for i, row in enumerate(batch.rows):
            if stop is not None and stop():
                _release(batch.rows[i:], worker)
                break
            outcomes[_deliver_one(row, batch)] += 1
    finally:
        batch.drop_smtp()
    return outcomes


def send_due(*, worker: str | None = None, now: datetime | None = None,
             stop: Callable[[], bool] | None = None, batch_size: int | None = None) -> dict:
    """Claim and deliver due rows batch by batch until none is due (or time/stop says so).

    ``now`` pins the clock for the whole run (tests); by default each batch reads the clock.
    Returns outcome counts, e.g. ``{"sent": 12, "digest": 3}``.

    Runs outside any region, as in the scheduler process, also when called from inside one
    (a web request, a test): the send-time hooks must name the region they work in.
    """
    with tenant_context(None):
        return _send_due(worker=worker, now=now, stop=stop, batch_size=batch_size)


def _send_due(*, worker, now, stop, batch_size) -> dict:
    worker = worker or worker_id()
    limit = batch_size or setting("NOTIFICATIONS_BATCH_SIZE")
    budget = setting("NOTIFICATIONS_RUN_BUDGET_SECONDS")
    started = time.monotonic()
    outcomes: Counter = Counter()
    while not (stop is not None and stop()):
        ids = claim_due(worker, limit=limit, now=now or utcnow())
        if not ids:
            break
        outcomes += deliver_claimed(ids, worker, stop)
        if time.monotonic() - started > budget:
            break
    return dict(outcomes)
