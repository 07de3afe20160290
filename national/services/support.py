"""The support log of a region: advisory sessions, trainings, workshops, visits, exchanges."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from national.models import (
    SUPPORT_FORMS,
    TARGET_GROUPS,
    DiagnosisItem,
    SupportEntry,
    SupportEntryItem,
    SupportParticipant,
)

ENTRY_FIELDS = ("held_on", "form", "topic", "hours", "rops_staff", "committee_members", "planners",
                "follow_up")
#: most participants one entry may list per target group.
MAX_PARTICIPANTS = 300


def name_key(name: str) -> str:
    """A participant's name as compared across entries: case-folded, single spaces."""
    return " ".join(name.split()).casefold()


def participant_names(value, field: str) -> list[str]:
    """The names of one target group, one per line (or a list), blank lines skipped.

    A name entered twice in the same list is refused: it would count one person twice.
    """
    lines = value.splitlines() if isinstance(value, str) else list(value or [])
    names, seen = [], set()
    for line in lines:
        name = " ".join(str(line).split())
        if not name:
            continue
        if len(name) > 200:
            raise DomainError(_l("A name can have at most 200 characters (line “%(start)s…”).",
                                 start=name[:30]), field=field)
        if name_key(name) in seen:
            raise DomainError(_l("“%(name)s” is entered twice; enter each person once.", name=name),
                              field=field)
        seen.add(name_key(name))
        names.append(name)
    if len(names) > MAX_PARTICIPANTS:
        raise DomainError(_l("Enter at most %(num)d names per group.", num=MAX_PARTICIPANTS), field=field)
    return names


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
    return clean


def _participants(data: dict) -> dict[str, list[str]]:
    return {group: participant_names(data.get(group), group) for group in TARGET_GROUPS}


def _save_participants(entry: SupportEntry, participants: dict[str, list[str]]) -> bool:
    """Replace the entry's participant list; True when it changed."""
    current = db.session.execute(select(SupportParticipant.target_group, SupportParticipant.name)
                                 .where(SupportParticipant.entry_id == entry.id)
                                 .order_by(SupportParticipant.id)).all()
    wanted = [(group, name) for group in TARGET_GROUPS for name in participants[group]]
    if [tuple(row) for row in current] == wanted:
        return False
    db.session.execute(delete(SupportParticipant).where(SupportParticipant.entry_id == entry.id))
    db.session.add_all(SupportParticipant(entry_id=entry.id, target_group=group, name=name,
                                          name_key=name_key(name)) for group, name in wanted)
    return True


def save_support_entry(entry: SupportEntry | None, data: dict, item_ids: list[int], *, actor) -> SupportEntry:
    """Create (``entry`` None) or update a support-log entry, the items it addressed and its
    participants (``data[<target group>]``: names, one per line). The entry's per-group counts
    are the numbers of names; the audit entry records the counts, not the names."""
    clean = _clean(data)
    participants = _participants(data)
    clean.update({group: len(names) for group, names in participants.items()})
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
    if _save_participants(entry, participants):  # names stay out of the audit log
        diff["participants"] = [None, sum(len(names) for names in participants.values())]
    if diff or action == "support.add":
        audit.record(action, actor=actor, obj=entry, summary=diff)
    db.session.commit()
    return entry


def delete_support_entry(entry: SupportEntry, *, actor) -> None:
    """Remove an entry from the log (after the confirmation page)."""
    audit.record("support.delete", actor=actor, obj=entry,
                 summary={"held_on": entry.held_on, "topic": entry.topic})
    db.session.execute(delete(SupportEntryItem).where(SupportEntryItem.entry_id == entry.id))
    db.session.execute(delete(SupportParticipant).where(SupportParticipant.entry_id == entry.id))
    db.session.delete(entry)
    db.session.commit()
