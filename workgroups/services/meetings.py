"""Meetings: create (also from a previous one, or as a series), edit, cancel, invite, RSVP,
attendance, calendar feeds. E-mails are queued in the same transaction and sent by the
scheduler (see :mod:`.mail`)."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import (
    ATTENDANCE_STATUSES,
    DEFAULT_MEETING_REMINDERS,
    MEETING_MODES,
    MEETING_REMINDERS,
    OPEN_ACTION_STATUSES,
    RSVP_ANSWERS,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Group,
    GroupMember,
    Meeting,
    Rsvp,
)
from workgroups.queries import meetings as queries
from workgroups.services import mail

MEETING_FIELDS = ("title", "day", "start_time", "end_time", "mode", "place", "online_url",
                  "chair_id", "minute_taker_id", "reminder_days")
#: changes of these fields are sent to invitees as an update (SEQUENCE + 1).
NOTIFIED_FIELDS = ("title", "day", "start_time", "end_time", "mode", "place", "online_url")
MAX_SERIES = 24


def next_number(group_id: int, year: int) -> int:
    """The next free meeting number of the group in ``year``."""
    last = db.session.scalar(select(func.max(Meeting.number)).where(
        Meeting.group_id == group_id, Meeting.year == year))
    return (last or 0) + 1


def _clean(group: Group, data: dict) -> dict:
    clean = {k: data.get(k) for k in MEETING_FIELDS}
    clean["title"] = (clean["title"] or "").strip()
    for key in ("place", "online_url"):
        clean[key] = (clean[key] or "").strip() or None
    if not clean["title"]:
        raise DomainError(_("Enter the title of the meeting."), "title")
    clean["reminder_days"] = data.get("reminder_days", DEFAULT_MEETING_REMINDERS) or ""
    if clean["reminder_days"] not in MEETING_REMINDERS:
        raise DomainError(_("Choose when reminders are sent."), "reminder_days")
    if clean["mode"] not in MEETING_MODES:
        raise DomainError(_("Choose how the meeting takes place."), "mode")
    if clean["start_time"] and clean["end_time"] and clean["end_time"] <= clean["start_time"]:
        raise DomainError(_("The meeting must end after it starts."), "end_time")
    if clean["mode"] in ("in_person", "hybrid") and not clean["place"]:
        raise DomainError(_("Enter the place of the meeting."), "place")
    if clean["mode"] in ("online", "hybrid") and not clean["online_url"]:
        raise DomainError(_("Enter the link to the online meeting."), "online_url")
    for key in ("chair_id", "minute_taker_id"):
        if clean[key]:
            member = db.session.get(GroupMember, clean[key])
            if member is None or member.group_id != group.id:
                raise DomainError(_("Choose a member of this group."), key)
        else:
            clean[key] = None
    return clean


def _flag(value) -> bool:
    """A form's hidden true/false value (``"False"`` is false)."""
    return value is True or str(value).lower() in ("true", "1", "y", "yes")


def _clean_agenda(items: list[dict]) -> list[dict]:
    rows = []
    for i, item in enumerate(items):
        title = (item.get("title") or "").strip()
        if not title:
            continue
        item_id = str(item.get("item_id") or "")
        rows.append({"id": int(item_id) if item_id.isdigit() else None, "title": title,
                     "presenter": (item.get("presenter") or "").strip() or None,
                     "duration_minutes": item.get("duration_minutes") or None,
                     "follow_up": _flag(item.get("follow_up")),
                     "order": (item.get("position") or 999, i)})
    rows.sort(key=lambda r: r.pop("order"))
    return rows


def _set_agenda(meeting: Meeting, items: list[dict]) -> None:
    """Make the meeting's agenda ``items`` (in order). A row naming the id of one of the
    meeting's items updates that item in place, so the documents attached to it stay; other
    rows become new items. Removing an item that has documents is refused (nothing is lost)."""
    from workgroups.services.documents import documents_of_items

    current = {a.id: a for a in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))}
    kept: set[int] = set()
    for pos, item in enumerate(items, start=1):
        fields = {k: v for k, v in item.items() if k != "id"}
        row = current.get(item.get("id"))
        if row is None or row.id in kept:
            db.session.add(AgendaItem(meeting_id=meeting.id, position=pos, **fields))
            continue
        kept.add(row.id)
        for key, value in dict(fields, position=pos).items():
            setattr(row, key, value)
    removed = [a for a in current.values() if a.id not in kept]
    with_documents = documents_of_items([a.id for a in removed])
    for item in removed:
        if with_documents.get(item.id):
            db.session.rollback()
            raise DomainError(_("The agenda item “%(title)s” has documents: delete them before removing the item.",
                                 title=item.title))
    if removed:
        db.session.execute(delete(AgendaItem).where(AgendaItem.id.in_([a.id for a in removed])))


def agenda_of(meeting_id: int, *, with_ids: bool = False) -> list[dict]:
    """The agenda of a meeting as dicts, without the follow-up item: for copying into a new
    meeting (documents are not copied) or, ``with_ids``, for the edit form."""
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                               .order_by(AgendaItem.position)).all()
    return [{"title": a.title, "presenter": a.presenter, "duration_minutes": a.duration_minutes,
             "follow_up": a.follow_up, **({"item_id": a.id} if with_ids else {})}
            for a in items if not a.follow_up]


def _agenda_key(rows: list[dict]) -> list[tuple]:
    return [(r.get("id", r.get("item_id")), r["title"], r["presenter"], r["duration_minutes"]) for r in rows]


def follow_up_item(group_id: int) -> dict | None:
    """Agenda item carrying the group's open action items into the next meeting."""
    has_open = db.session.scalar(select(ActionItem.id).where(
        ActionItem.group_id == group_id, ActionItem.status.in_(OPEN_ACTION_STATUSES)).limit(1))
    if has_open is None:
        return None
    with force_locale("pl"):
        title = _("Follow-up of action items from previous meetings")
    return {"title": title, "presenter": None, "duration_minutes": None, "follow_up": True}


def _insert(group: Group, clean: dict, agenda: list[dict], series_key: str | None,
            number: int | None) -> Meeting:
    year = clean["day"].year
    if number is None:
        number = next_number(group.id, year)
    elif db.session.scalar(select(Meeting.id).where(
            Meeting.group_id == group.id, Meeting.year == year, Meeting.number == number)):
        raise DomainError(_("Meeting number %(n)d/%(y)d already exists in this group.", n=number, y=year),
                           "number")
    meeting = Meeting(group_id=group.id, year=year, number=number, series_key=series_key,
                      ical_uid=f"{uuid.uuid4()}@sieci-es", **clean)
    db.session.add(meeting)
    db.session.flush()
    follow = follow_up_item(group.id)
    _set_agenda(meeting, ([follow] if follow else []) + agenda)
    return meeting


def create_meeting(group: Group, data: dict, agenda: list[dict], *, actor,
                   number: int | None = None, repeat: int = 1, interval_weeks: int = 0) -> list[Meeting]:
    """Create a meeting (or a series of ``repeat`` meetings every ``interval_weeks`` weeks).

    Numbers are given per group and year; the open action items of the group are carried into
    the agenda as a follow-up item. Returns the meetings created (first one first).
    """
    clean = _clean(group, data)
    items = _clean_agenda(agenda)
    if repeat < 1 or repeat > MAX_SERIES:
        raise DomainError(_("A series can have from 1 to %(n)d meetings.", n=MAX_SERIES), "repeat")
    if repeat > 1 and not interval_weeks:
        raise DomainError(_("Enter how many weeks apart the meetings are."), "interval_weeks")
    series_key = uuid.uuid4().hex if repeat > 1 else None
    meetings = []
    try:
        for i in range(repeat):
            row = dict(clean, day=clean["day"] + timedelta(weeks=interval_weeks * i))
            meetings.append(_insert(group, row, items, series_key, number if i == 0 else None))
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise DomainError(_("This meeting number is already taken. Try again."), "number") from exc
    for m in meetings:
        audit.record("meeting.create", actor=actor, obj=m,
                     summary={"group_id": group.id, "number": m.label, "day": m.day})
    db.session.commit()
    return meetings


def update_meeting(meeting: Meeting, group: Group, data: dict, agenda: list[dict], *, actor) -> dict:
    """Edit a planned meeting; when invitations went out, invitees get an update (SEQUENCE+1)."""
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting cannot be changed."))
    clean = _clean(group, data)
    if clean["day"].year != meeting.year:
        raise DomainError(_("The meeting cannot move to another year: its number belongs to %(y)d. "
                             "Cancel it and create a new one.", y=meeting.year), "day")
    old_agenda = agenda_of(meeting.id, with_ids=True)
    diff = audit.changes(meeting, clean)
    items = _clean_agenda(agenda)
    current = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                 .order_by(AgendaItem.position)).all()
    follow = [{"id": a.id, "title": a.title, "presenter": a.presenter, "duration_minutes": a.duration_minutes,
               "follow_up": True} for a in current if a.follow_up]
    new_agenda = [i for i in items if not i["follow_up"]]
    if _agenda_key(new_agenda) != _agenda_key(old_agenda):
        diff["agenda"] = [len(old_agenda), len(new_agenda)]
        _set_agenda(meeting, follow + new_agenda)
    notify = meeting.invitations_sent_at is not None and (
        "agenda" in diff or any(k in diff for k in NOTIFIED_FIELDS))
    if notify:
        meeting.ical_sequence += 1
    if diff:
        audit.record("meeting.update", actor=actor, obj=meeting, summary=diff)
    if notify:
        mail.send_updates(meeting, group)
    elif meeting.invitations_sent_at is not None and "reminder_days" in diff:
        mail.sync_reminders(meeting, invitees(meeting))
    db.session.commit()
    return diff


def cancel_meeting(meeting: Meeting, group: Group, *, actor) -> None:
    """Cancel a meeting; invitees receive a METHOD:CANCEL calendar message."""
    if meeting.status != "planned":
        raise DomainError(_("Only a planned meeting can be cancelled."))
    meeting.status = "cancelled"
    meeting.ical_sequence += 1
    audit.record("meeting.cancel", actor=actor, obj=meeting, summary={"number": meeting.label})
    if meeting.invitations_sent_at is not None:
        mail.send_cancellations(meeting, group)
    db.session.commit()


def invitees(meeting: Meeting) -> list[GroupMember]:
    """Members of the group on the meeting day who have an e-mail address."""
    return list(db.session.scalars(select(GroupMember).where(
        GroupMember.group_id == meeting.group_id, GroupMember.email.is_not(None),
        GroupMember.date_from <= meeting.day,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= meeting.day),
    ).order_by(GroupMember.full_name)))


def send_invitations(meeting: Meeting, group: Group, *, actor) -> int:
    """E-mail every member an invitation with an ``.ics`` (METHOD:REQUEST) and an RSVP link."""
    if meeting.status != "planned":
        raise DomainError(_("Invitations can be sent only for a planned meeting."))
    if meeting.starts_at <= clock.local_now():
        raise DomainError(_("The meeting has already started or is in the past: "
                             "invitations can no longer be sent."))
    people = invitees(meeting)
    if not people:
        raise DomainError(_("No member of the group has an e-mail address."))
    if meeting.invitations_sent_at is not None:
        meeting.ical_sequence += 1
    meeting.invitations_sent_at = utcnow()
    audit.record("meeting.invite", actor=actor, obj=meeting, summary={"recipients": len(people)})
    mail.send_invitations(meeting, group, people)
    db.session.commit()
    return len(people)


def record_rsvp(meeting: Meeting, member: GroupMember, answer: str, substitute_name: str | None,
                *, actor=None) -> Rsvp:
    """Store (or change) a member's answer: from the token link (which proves who answers) or
    from the signed-in member's own pages (``actor``). Refused once the meeting has started."""
    if answer not in RSVP_ANSWERS:
        raise DomainError(_("Choose an answer."), "answer")
    if meeting.status != "planned":
        raise DomainError(_("This meeting is no longer open for answers."))
    if meeting.starts_at <= clock.local_now():
        raise DomainError(_("The meeting has already started: the answer can no longer be changed."))
    substitute_name = (substitute_name or "").strip() or None
    if substitute_name and answer != "no":
        raise DomainError(_("A substitute can be named only when you do not attend yourself."),
                           "substitute_name")
    rsvp = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting.id,
                                                Rsvp.member_id == member.id))
    if rsvp is None:
        rsvp = Rsvp(meeting_id=meeting.id, member_id=member.id, answer=answer)
        db.session.add(rsvp)
    rsvp.answer, rsvp.substitute_name, rsvp.answered_at = answer, substitute_name, utcnow()
    db.session.flush()
    audit.record("meeting.rsvp", actor=actor, obj=rsvp,
                 summary={"member": member.full_name, "answer": answer, "substitute": substitute_name})
    db.session.commit()
    return rsvp


def record_attendance(meeting: Meeting, rows: dict[int, tuple[str, str | None]], *, actor) -> int:
    """Write the attendance register (one row per member); the meeting becomes "held" (its
    start has passed and its attendance is recorded).

    ``rows`` maps member id -> (status, substitute name). The register opens at the meeting's
    start (by the clock). All rows are checked before any is written, so a bad row saves
    nothing; a member left without a status is refused on that member's field.
    """
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting has no attendance."))
    if not meeting.started:
        raise DomainError(_("The attendance register opens when the meeting starts (%(when)s).",
                            when=format_datetime(meeting.starts_at, "d MMMM y, HH:mm")))
    allowed = {m.id for m in members_on(meeting)}
    for member_id, (status, substitute) in rows.items():
        if member_id not in allowed:
            raise DomainError(_("Choose a member of this group."))
        if status not in ATTENDANCE_STATUSES:
            raise DomainError(_("Choose the attendance of every member."), f"status-{member_id}")
        if status == "substitute" and not (substitute or "").strip():
            raise DomainError(_("Enter the name of the substitute."), f"sub-{member_id}")
    existing = {a.member_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting.id))}
    for member_id, (status, substitute) in rows.items():
        row = existing.get(member_id)
        if row is None:
            row = Attendance(meeting_id=meeting.id, member_id=member_id, status=status)
            db.session.add(row)
        row.status = status
        row.substitute_name = (substitute or "").strip() or None if status == "substitute" else None
    meeting.status = "held"
    audit.record("meeting.attendance", actor=actor, obj=meeting,
                 summary={s: sum(1 for st, _n in rows.values() if st == s) for s in ATTENDANCE_STATUSES})
    db.session.commit()
    return len(rows)


def members_on(meeting: Meeting) -> list[GroupMember]:
    """Members of the group on the day of the meeting, by name."""
    return list(db.session.scalars(select(GroupMember).where(
        GroupMember.group_id == meeting.group_id, GroupMember.date_from <= meeting.day,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= meeting.day),
    ).order_by(GroupMember.full_name)))


def new_feed_token(user) -> str:
    """A new calendar-feed secret for ``user`` in the current region; returns it (it is shown
    once and only its hash is stored). Any earlier address of the user stops working."""
    token = secrets.token_urlsafe(32)
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=queries.feed_token_hash(token))
        db.session.add(feed)
        db.session.flush()
        audit.record("meeting.feed_create", actor=user, obj=feed)
    else:
        feed.token_hash = queries.feed_token_hash(token)
        feed.created_at = utcnow()
        audit.record("meeting.feed_regenerate", actor=user, obj=feed)
    db.session.commit()
    return token

