"""Daily and weekly digests.

A row whose recipient chose a digest for its kind becomes ``digest`` (waiting) when it falls
due. Rows due by a digest boundary go into that boundary's digest; later ones wait for the next
boundary. At each digest boundary (``NOTIFICATIONS_DIGEST_HOUR`` local time; weekly on
``NOTIFICATIONS_DIGEST_WEEKDAY``) :func:`compose_digests` creates one ``digest`` row per
recipient — unique key ``(digest, digest, 0, recipient, "<mode>:<date>")``, so two schedulers
cannot compose the same digest twice — and attaches the waiting rows to it. The digest row is
then sent like any other; when it is sent, its members are marked sent.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update

from coordination.clock import utcnow
from coordination.extensions import db
from coordination.notifications.kinds import (
    ATTACHMENTS,
    CHECKS,
    KINDS,
    before_send,
    build_attachments,
)
from coordination.notifications.models import Notification
from coordination.notifications.rendering import from_json, subject_for
from coordination.notifications.services.delivery import write_transaction
from coordination.notifications.services.scheduling import dialect_insert
from coordination.notifications.settings import setting

log = logging.getLogger("sieci.notifications")
_T = Notification.__table__


def last_boundary(mode: str, now: datetime) -> datetime:
    """The latest digest time of ``mode`` at or before ``now``, as naive UTC."""
    tz = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Warsaw"))
    local = now.replace(tzinfo=UTC).astimezone(tz)
    day = local.date()
    hour = time(setting("NOTIFICATIONS_DIGEST_HOUR"))
    if mode == "weekly":
        day -= timedelta(days=(day.weekday() - setting("NOTIFICATIONS_DIGEST_WEEKDAY")) % 7)
    step = timedelta(days=7 if mode == "weekly" else 1)
    boundary = datetime.combine(day, hour, tzinfo=tz)
    if boundary > local:
        boundary = datetime.combine(day - step, hour, tzinfo=tz)
    return boundary.astimezone(UTC).replace(tzinfo=None)


def _waiting(mode: str, boundary: datetime):
    """Rows waiting for a ``mode`` digest that were due by ``boundary``."""
    return (_T.c.status == "digest", _T.c.delivery == mode, _T.c.digest_id.is_(None),
            _T.c.due_at <= boundary)


def _compose_one(recipient: str, mode: str, boundary: datetime, now: datetime) -> bool:
    slot = f"{mode}:{boundary.isoformat(timespec='minutes')}"
    with write_transaction() as conn:
        members = conn.execute(
            select(_T.c.id, _T.c.user_id, _T.c.locale)
            .where(_T.c.recipient == recipient, *_waiting(mode, boundary))
            .order_by(_T.c.id).with_for_update(skip_locked=True)
        ).all()
        if not members:
            return False
        last = members[-1]
        insert = dialect_insert(conn.dialect.name)
        digest_id = conn.scalar(
            insert(_T).values(
                kind="digest", object_type="digest", object_id=0, recipient=recipient,
                user_id=last.user_id, locale=last.locale, slot=slot, context={"mode": mode},
                due_at=now, next_attempt_at=now, status="pending", attempts=0, created_at=now,
                delivery="immediate",
            ).on_conflict_do_nothing(index_elements=["kind", "object_type", "object_id",
                                                     "recipient", "slot"])
            .returning(_T.c.id)
        )
        if digest_id is None:  # this period's digest exists; these wait for the next one
            return False
        conn.execute(update(_T).where(_T.c.id.in_([m.id for m in members]))
                     .values(digest_id=digest_id))
    return True


def compose_digests(*, now: datetime | None = None) -> int:
    """Create the digests due at the latest boundary; returns how many were created."""
    now = now or utcnow()
    made = 0
    for mode in ("daily", "weekly"):
        boundary = last_boundary(mode, now)
        recipients = db.session.scalars(
            select(_T.c.recipient).distinct().where(*_waiting(mode, boundary))).all()
        db.session.commit()
        for recipient in recipients:
            made += _compose_one(recipient, mode, boundary, now)
    if made:
        log.info("composed %d digest(s)", made)
    return made


@before_send("digest")
def digest_values(row) -> dict | None:
    """Template values of a digest: its members grouped by region, then by item."""
    from tenants.models import Tenant

    members = db.session.execute(
        select(_T).where(_T.c.digest_id == row.id, _T.c.status == "digest")
        .order_by(_T.c.tenant_id, _T.c.object_type, _T.c.object_id, _T.c.due_at, _T.c.id)
    ).mappings().all()
    tenant_ids = {m["tenant_id"] for m in members if m["tenant_id"]}
    regions_by_id = {t.id: t for t in db.session.execute(
        select(Tenant.id, Tenant.name, Tenant.teryt).where(Tenant.id.in_(tenant_ids)))} if tenant_ids else {}
    groups: dict = {}
    obsolete = []
    attachments: list = []
    for m in members:
        kind = KINDS.get(m["kind"])
        check = CHECKS.get(m["kind"])
        member = SimpleNamespace(**m)
        values = check(member) if check is not None else member.context
        if kind is None or values is None:
            obsolete.append(m["id"])
            continue
        builder = ATTACHMENTS.get(m["kind"])
        if builder is not None:
            attachments += builder(member, values)
        values = from_json(values)
        tenant = regions_by_id.get(m["tenant_id"])
        region = groups.setdefault(m["tenant_id"], {
            "tenant": tenant.name if tenant else None, "order": tenant.teryt if tenant else "99",
            "items": {}})
        item = region["items"].setdefault((m["object_type"], m["object_id"]), {
            "title": values.get("title") or "", "url": values.get("url"), "lines": []})
        item["lines"].append(subject_for(kind, values, row.locale))
    if obsolete:
        db.session.execute(update(_T).where(_T.c.id.in_(obsolete))
                           .values(status="skipped", skip_reason="obsolete"))
        db.session.commit()
    if not groups:
        return None
    regions = [{"tenant": g["tenant"], "items": list(g["items"].values())}
               for g in sorted(groups.values(), key=lambda g: g["order"])]  # official TERYT order
    count = sum(len(i["lines"]) for g in regions for i in g["items"])
    return {"mode": (row.context or {}).get("mode", "daily"), "regions": regions, "count": count,
            "attachments": attachments}


@build_attachments("digest")
def digest_attachments(row, values: dict) -> list:
    """A digest carries the attachments of its members (e.g. the .ics of each invitation)."""
    return values.pop("attachments", [])

