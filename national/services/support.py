"""The support log of a region: advisory sessions, trainings, workshops, visits, exchanges."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from national.models import (
    SUPPORT_FORMS,
    DiagnosisItem,
    SupportEntry,
    SupportEntryItem,
)

ENTRY_FIELDS = ("held_on", "form", "topic", "hours", "rops_staff", "committee_members", "planners",
                "follow_up")


def _clean(data: dict) -> dict:
    if data.get("form") not in SUPPORT_FORMS:
        raise DomainError(_l("Choose the form of support."), field="form")
    if not data.get("held_on"):
        raise DomainError(_l("Enter the date."), field="held_on")
    topic = (data.get("topic") or "").strip()
    if not topic:
        raise DomainError(_l("Enter the topic."), field="topic")
    hours = float(data.get("hours") or 0)
    if hours < 0 or hours > 1000:
        raise DomainError(_l("Enter the hours as a number from 0 to 1000."), field="hours")
    clean = {"held_on": data["held_on"], "form": data["form"], "topic": topic, "hours": hours,
             "follow_up": (data.get("follow_up") or "").strip() or None}
    for name in ("rops_staff", "committee_members", "planners"):
        value = int(data.get(name) or 0)
        if value < 0:
            raise DomainError(_l("Enter a number of people, 0 or more."), field=name)
        clean[name] = value
    return clean


def save_support_entry(entry: SupportEntry | None, data: dict, item_ids: list[int], *, actor) -> SupportEntry:
    """Create (``entry`` None) or update a support-log entry and the items it addressed."""
    clean = _clean(data)
    wanted = set(item_ids or [])
    if wanted:
        known = set(db.session.scalars(select(DiagnosisItem.id).where(DiagnosisItem.id.in_(wanted))))
        if wanted - known:
            raise DomainError(_l("Unknown diagnosis item."), field="item_ids")
    if entry is None:
        entry = SupportEntry(created_by_id=getattr(actor, "id", None), **clean)
        db.session.add(entry)
        db.session.flush()
        diff = {k: [None, v] for k, v in clean.items()}
        action = "support.add"
    else:
        diff = audit.changes(entry, clean)
        action = "support.update"
    current = set(db.session.scalars(select(SupportEntryItem.item_id)
                                     .where(SupportEntryItem.entry_id == entry.id)))
    if current != wanted:
        db.session.execute(delete(SupportEntryItem).where(SupportEntryItem.entry_id == entry.id,
                                                          SupportEntryItem.item_id.in_(current - wanted)))
        for item_id in sorted(wanted - current):
            db.session.add(SupportEntryItem(entry_id=entry.id, item_id=item_id))
        diff["item_ids"] = [sorted(current), sorted(wanted)]
    if diff or action == "support.add":
        audit.record(action, actor=actor, obj=entry, summary=diff)
    db.session.commit()
    return entry


def delete_support_entry(entry: SupportEntry, *, actor) -> None:
    """Remove an entry from the log (after the confirmation page)."""
    audit.record("support.delete", actor=actor, obj=entry,
                 summary={"held_on": entry.held_on, "topic": entry.topic})
    db.session.execute(delete(SupportEntryItem).where(SupportEntryItem.entry_id == entry.id))
    db.session.delete(entry)
    db.session.commit()
