"""Resolutions (uchwały, voted with a quorum) and action items (who, what, by when)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import (
    ACTION_STATUSES,
    ActionItem,
    Attendance,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    Resolution,
    ResolutionCorrection,
)
from workgroups.queries.groups import rops_staff
from workgroups.services import mail


def next_resolution_number(group_id: int, year: int) -> int:
    last = db.session.scalar(select(func.max(Resolution.number)).where(
        Resolution.group_id == group_id, Resolution.year == year))
    return (last or 0) + 1


def _resolution_fields(meeting: Meeting, group: Group, data: dict, *, current: Resolution | None = None) -> dict:
    """The checked fields of a resolution voted at ``meeting``: held, with a quorum, a subject,
    votes not negative and not more than the voting members present, a free number."""
    from workgroups.queries.meetings import attendance_quorum

    if meeting.status != "held":
        raise DomainError(_("Record the attendance first: resolutions are voted at a held meeting."))
    q = attendance_quorum(meeting, group)
    if not q.recorded:
        raise DomainError(_("Record the attendance first: the quorum is stated from the attendance register."))
    if not q.reached:
        raise DomainError(_("There is no quorum (%(present)d of %(needed)d voting members needed): "
                             "the resolution cannot be adopted.", present=q.present, needed=q.needed))
    subject = (data.get("subject") or "").strip()
    if not subject:
        raise DomainError(_("Enter what the resolution is about."), "subject")
    votes = [data.get("votes_for") or 0, data.get("votes_against") or 0, data.get("votes_abstain") or 0]
    if any(v < 0 for v in votes):
        raise DomainError(_("Votes cannot be negative."), "votes_for")
    if sum(votes) > q.present:
        raise DomainError(_("More votes (%(votes)d) than voting members present (%(present)d).",
                             votes=sum(votes), present=q.present), "votes_for")
    number = data.get("number") or (current.number if current else next_resolution_number(group.id, meeting.year))
    taken = select(Resolution.id).where(Resolution.group_id == group.id, Resolution.year == meeting.year,
                                        Resolution.number == number)
    if current is not None:
        taken = taken.where(Resolution.id != current.id)
    if db.session.scalar(taken):
        raise DomainError(_("Resolution number %(n)d/%(y)d already exists.", n=number, y=meeting.year), "number")
    return {"number": number, "subject": subject[:400], "body": (data.get("body") or "").strip() or None,
            "votes_for": votes[0], "votes_against": votes[1], "votes_abstain": votes[2],
            "outcome": "adopted" if votes[0] > votes[1] else "rejected"}


def _flush_number() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise DomainError(_("This resolution number is already taken. Try again."), "number") from exc


def add_resolution(meeting: Meeting, group: Group, data: dict, *, actor) -> Resolution:
    """Record a resolution voted at a held meeting with a quorum; the outcome follows the votes
    (adopted when more votes for than against)."""
    fields = _resolution_fields(meeting, group, data)
    resolution = Resolution(meeting_id=meeting.id, group_id=group.id, year=meeting.year, **fields)
    db.session.add(resolution)
    _flush_number()
    audit.record("resolution.create", actor=actor, obj=resolution,
                 summary={"number": resolution.label, "outcome": resolution.outcome,
                          "votes": [fields["votes_for"], fields["votes_against"], fields["votes_abstain"]]})
    db.session.commit()
    return resolution


def minutes_adopted(meeting_id: int) -> bool:
    """Whether the minutes of the meeting are adopted (then resolutions change only by correction)."""
    return db.session.scalar(select(Minutes.id).where(Minutes.meeting_id == meeting_id,
                                                      Minutes.status == "adopted")) is not None


def update_resolution(resolution: Resolution, meeting: Meeting, group: Group, data: dict, *, actor,
                      reason: str | None = None) -> dict:
    """Change a recorded resolution (number, subject, text, votes; the checks of
    :func:`add_resolution` apply again). While the meeting's minutes are not adopted this is an
    edit; afterwards it is a **correction**: ``reason`` is required and the change is kept in the
    resolution's correction history. Returns ``{field: [old, new]}`` (empty: nothing changed)."""
    adopted = minutes_adopted(meeting.id)
    reason = (reason or "").strip()
    fields = _resolution_fields(meeting, group, data, current=resolution)
    if adopted and not reason:
        raise DomainError(_("The minutes of this meeting are adopted: give the reason for the correction."),
                           "reason")
    diff = audit.changes(resolution, fields)
    if not diff:
        return diff
    _flush_number()
    if adopted:
        db.session.add(ResolutionCorrection(resolution_id=resolution.id, reason=reason[:500], changes=diff,
                                            created_by_id=getattr(actor, "id", None)))
        resolution.corrected_at = utcnow()
        audit.record("resolution.correct", actor=actor, obj=resolution,
                     summary={"number": resolution.label, "reason": reason, "changes": diff})
    else:
        audit.record("resolution.update", actor=actor, obj=resolution, summary=diff)
    db.session.commit()
    return diff


def _owners(group: Group, data: dict, action: ActionItem | None = None) -> dict:
    """The owner of an action item: a current member of the group (``owner_id``) or one of the
    region's ROPS staff (``owner_user_id``, a coordinator account), or nobody. A former member
    is refused, unless the item already belongs to them (it keeps showing its owner)."""
    member_id, user_id = data.get("owner_id"), data.get("owner_user_id")
    if member_id and user_id:
        raise DomainError(_("Choose one person responsible."), "owner_id")
    if member_id:
        member = db.session.get(GroupMember, int(member_id))
        if member is None or member.group_id != group.id:
            raise DomainError(_("Choose a member of this group."), "owner_id")
        kept = action is not None and action.owner_id == member.id
        if not kept and member.date_to is not None and member.date_to < clock.today():
            raise DomainError(_("%(name)s is no longer a member of the group: choose a current member "
                                "or one of the staff.", name=member.full_name), "owner_id")
        return {"owner_id": member.id, "owner_user_id": None}
    if user_id:
        if int(user_id) not in {uid for uid, _name in rops_staff()}:
            raise DomainError(_("Choose a member of the group or one of the staff."), "owner_id")
        return {"owner_id": None, "owner_user_id": int(user_id)}
    return {"owner_id": None, "owner_user_id": None}


def add_action(group: Group, meeting: Meeting | None, data: dict, *, actor) -> ActionItem:
    """Add an action item to the group (usually agreed at ``meeting``)."""
    description = (data.get("description") or "").strip()
    if not description:
        raise DomainError(_("Describe what is to be done."), "description")
    action = ActionItem(group_id=group.id, meeting_id=meeting.id if meeting else None,
                        **_owners(group, data), description=description[:500],
                        due_date=data.get("due_date"), status="open")
    db.session.add(action)
    db.session.flush()
    audit.record("action.create", actor=actor, obj=action, summary={"description": action.description})
    mail.sync_action(action, group)
    db.session.commit()
    return action


def update_action(action: ActionItem, group: Group, data: dict, *, actor, full: bool) -> dict:
    """Change an action item. Owners (``full=False``) may change only the status and the note;
    the group's managers also the owner, description and due date."""
    if data.get("status") not in ACTION_STATUSES:
        raise DomainError(_("Choose the status."), "status")
    fields = {"status": data["status"], "note": (data.get("note") or "").strip() or None}
    if full:
        description = (data.get("description") or "").strip()
        if not description:
            raise DomainError(_("Describe what is to be done."), "description")
        fields.update(description=description[:500], due_date=data.get("due_date"),
                      **_owners(group, data, action))
    diff = audit.changes(action, fields)
    if diff:
        action.updated_at = utcnow()
        audit.record("action.update", actor=actor, obj=action, summary=diff)
        mail.sync_action(action, group)
        db.session.commit()
    return diff


def attendance_recorded(meeting_id: int) -> bool:
    return db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting_id).limit(1)) is not None
