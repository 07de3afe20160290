"""The minutes lifecycle: draft (generated from agenda + attendance) -> consultation with the
attendees (comments per section, resolved by the secretary) -> adopted (at a later meeting or by
circulation) -> frozen versions; corrections add versions with a reason.

Editing is optimistic-locked: a save names the ``lock_version`` it started from; when someone
saved in between, :class:`EditConflict` carries the other text so nothing is lost."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.workdays import working_deadline
from workgroups.models import (
    ADOPTION_MODES,
    Attendance,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesVersion,
    Resolution,
)
from workgroups.services import mail

MAX_BODY = 200_000


class EditConflict(Exception):
    """Someone else saved the draft after the editor opened it."""

    def __init__(self, theirs: str, version: int):
        super().__init__("minutes changed meanwhile")
        self.theirs = theirs
        self.version = version


def _flush_or_conflict(minutes: Minutes) -> None:
    """Flush (UPDATE ... WHERE lock_version = n); a concurrent save raises EditConflict."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        fresh = db.session.get(Minutes, minutes.id)
        db.session.refresh(fresh)
        raise EditConflict(fresh.body, fresh.lock_version) from exc


def _members_by_id(group_id: int) -> dict[int, GroupMember]:
    return {m.id: m for m in db.session.scalars(select(GroupMember).where(GroupMember.group_id == group_id))}


def draft_text(meeting: Meeting, group: Group) -> str:
    """The generated draft (Markdown, Polish): header, attendance, agenda, "Ad. n" sections,
    resolutions, action items and the annexes (documents attached to the agenda items)."""
    from workgroups.queries.documents import agenda_with_documents
    from workgroups.queries.meetings import attendance_quorum

    members = _members_by_id(group.id)
    attendance = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    rows = sorted(((members[a.member_id], a) for a in attendance), key=lambda r: r[0].full_name)
    agenda, documents = agenda_with_documents(meeting.id)
    annexes = [(n, document, version) for n, item in enumerate(agenda, start=1)
               for document, version in documents.get(item.id, [])]
    resolutions = db.session.scalars(select(Resolution).where(Resolution.meeting_id == meeting.id)
                                     .order_by(Resolution.number)).all()
    with force_locale("pl"):
        return render_template(
            "workgroups/minutes_draft.txt", meeting=meeting, group=group, rows=rows, agenda=agenda,
            chair=members.get(meeting.chair_id), taker=members.get(meeting.minute_taker_id),
            quorum=attendance_quorum(meeting, group),
            resolutions=resolutions, annexes=annexes,
        ).strip() + "\n"


def create_draft(meeting: Meeting, group: Group, *, actor) -> Minutes:
    """Generate the draft minutes of a meeting (once)."""
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting has no minutes."))
    if db.session.scalar(select(Minutes.id).where(Minutes.meeting_id == meeting.id)):
        raise DomainError(_("The minutes of this meeting already exist."))
    minutes = Minutes(meeting_id=meeting.id, group_id=group.id, body=draft_text(meeting, group),
                      updated_by_id=getattr(actor, "id", None))
    db.session.add(minutes)
    db.session.flush()
    audit.record("minutes.create", actor=actor, obj=minutes, summary={"meeting": meeting.label})
    db.session.commit()
    return minutes


def save_draft(minutes: Minutes, body: str, expected_version: int, *, actor) -> None:
    """Save the draft text if nobody saved since ``expected_version``; else raise EditConflict."""
    if minutes.status == "adopted":
        raise DomainError(_("Adopted minutes are frozen. Add a correction instead."))
    body = (body or "").replace("\r\n", "\n")
    if not body.strip():
        raise DomainError(_("The minutes cannot be empty."), "body")
    if len(body) > MAX_BODY:
        raise DomainError(_("The text is too long."), "body")
    if minutes.lock_version != expected_version:
        raise EditConflict(minutes.body, minutes.lock_version)
    if body == minutes.body:
        return
    minutes.body = body
    minutes.updated_at = utcnow()
    minutes.updated_by_id = getattr(actor, "id", None)
    _flush_or_conflict(minutes)
    audit.record("minutes.edit", actor=actor, obj=minutes, summary={"version": minutes.lock_version})
    db.session.commit()


def attendee_members(meeting: Meeting) -> list[GroupMember]:
    """Members who attended (in person or through a substitute) and have an e-mail."""
    return list(db.session.scalars(
        select(GroupMember).join(Attendance, Attendance.member_id == GroupMember.id)
        .where(Attendance.meeting_id == meeting.id, Attendance.status.in_(("present", "substitute")),
               GroupMember.email.is_not(None)).order_by(GroupMember.full_name)))


#: the usual time for comments on draft minutes (DOMAIN.md: "~7 days").
COMMENT_DAYS = 7


def default_comment_deadline() -> date:
    """The deadline prefilled when a draft is sent for comments: 7 days from today, moved to
    the next working day when it falls on a weekend or a public holiday."""
    return working_deadline(clock.today(), COMMENT_DAYS)


def send_for_comments(minutes: Minutes, meeting: Meeting, group: Group, deadline: date, *, actor,
                      notify: bool = True) -> int:
    """Open the draft for the attendees' comments until ``deadline`` and e-mail them
    (``notify=False``: no e-mails, used by the demo seed)."""
    if minutes.status != "draft":
        raise DomainError(_("Only a draft can be sent for comments."))
    if deadline is None or deadline <= clock.today():
        raise DomainError(_("The deadline for comments must be a future date."), "deadline")
    people = attendee_members(meeting)
    if not people:
        raise DomainError(_("Record the attendance first: nobody who attended has an e-mail address."))
    minutes.status = "consultation"
    minutes.comment_deadline = deadline
    minutes.sent_at = utcnow()
    audit.record("minutes.consultation", actor=actor, obj=minutes,
                 summary={"deadline": deadline, "recipients": len(people)})
    if notify:
        mail.send_minutes_for_comments(meeting, group, minutes, people, deadline)
    db.session.commit()
    return len(people)


def add_comment(minutes: Minutes, section: str, body: str, *, author) -> MinutesComment:
    """A comment on one section of a draft under consultation (until the deadline)."""
    if minutes.status != "consultation":
        raise DomainError(_("These minutes are not open for comments."))
    if minutes.comment_deadline and clock.today() > minutes.comment_deadline:
        raise DomainError(_("The deadline for comments has passed."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your comment."), "body")
    if not (section or "").strip():
        raise DomainError(_("Choose the section you comment on."), "section")
    comment = MinutesComment(minutes_id=minutes.id, section=section.strip()[:300], body=body,
                             author_id=author.id, author_name=author.full_name)
    db.session.add(comment)
    db.session.flush()
    audit.record("minutes.comment", actor=author, obj=comment, summary={"section": comment.section})
    db.session.commit()
    return comment


def resolve_comment(comment: MinutesComment, minutes: Minutes, status: str, reason: str, *, actor) -> None:
    """Accept or reject a comment; a rejection needs a reason."""
    if minutes.status == "adopted":
        raise DomainError(_("The minutes are already adopted."))
    if status not in ("accepted", "rejected"):
        raise DomainError(_("Choose whether the comment is accepted or rejected."), "status")
    reason = (reason or "").strip() or None
    if status == "rejected" and not reason:
        raise DomainError(_("Give the reason for rejecting the comment."), "reason")
    diff = audit.changes(comment, {"status": status, "resolution_reason": reason,
                                   "resolved_by_id": actor.id})
    audit.record("minutes.comment_resolve", actor=actor, obj=comment, summary=diff)
    db.session.commit()


def adopt(minutes: Minutes, meeting: Meeting, mode: str, adopted_on: date | None,
          at_meeting_id: int | None, *, actor) -> MinutesVersion:
    """Adopt the minutes (at a later meeting of the group, or by circulation): freeze version 1."""
    if minutes.status == "adopted":
        raise DomainError(_("The minutes are already adopted."))
    if mode not in ADOPTION_MODES:
        raise DomainError(_("Choose how the minutes were adopted."), "mode")
    open_comments = db.session.scalar(select(func.count(MinutesComment.id)).where(
        MinutesComment.minutes_id == minutes.id, MinutesComment.status == "open"))
    if open_comments:
        raise DomainError(_("Resolve every comment before the adoption (%(n)d open).", n=open_comments))
    with force_locale("pl"):
        if mode == "meeting":
            later = db.session.get(Meeting, at_meeting_id) if at_meeting_id else None
            if (later is None or later.group_id != meeting.group_id or later.id == meeting.id
                    or later.day < meeting.day or later.status == "cancelled"):
                raise DomainError(_("Choose a later meeting of the group."), "at_meeting_id")
            adopted_on = later.day
            reason = _("Adopted at meeting %(n)s", n=later.label)
        else:
            if adopted_on is None or adopted_on < meeting.day or adopted_on > clock.today():
                raise DomainError(_("Enter the day of adoption (not before the meeting, not in the future)."),
                                   "adopted_on")
            at_meeting_id = None
            reason = _("Adopted by circulation")
    version = MinutesVersion(minutes_id=minutes.id, number=1, body=minutes.body, reason=reason,
                             created_by_id=actor.id)
    db.session.add(version)
    minutes.status, minutes.adoption_mode = "adopted", mode
    minutes.adopted_on, minutes.adopted_at_meeting_id = adopted_on, at_meeting_id
    db.session.flush()
    audit.record("minutes.adopt", actor=actor, obj=minutes,
                 summary={"mode": mode, "on": adopted_on, "meeting_id": at_meeting_id})
    mail.cancel_minutes_reminders(minutes)
    db.session.commit()
    return version


def correct(minutes: Minutes, body: str, reason: str, expected_version: int, *, actor) -> MinutesVersion:
    """Add a corrected version of adopted minutes (the earlier versions stay frozen)."""
    if minutes.status != "adopted":
        raise DomainError(_("Only adopted minutes are corrected; edit the draft instead."))
    reason = (reason or "").strip()
    body = (body or "").replace("\r\n", "\n")
    if not reason:
        raise DomainError(_("Give the reason for the correction."), "reason")
    if not body.strip():
        raise DomainError(_("The minutes cannot be empty."), "body")
    if minutes.lock_version != expected_version:
        raise EditConflict(minutes.body, minutes.lock_version)
    if body == minutes.body:
        raise DomainError(_("The text is the same as the current version."), "body")
    number = (db.session.scalar(select(func.max(MinutesVersion.number))
                                .where(MinutesVersion.minutes_id == minutes.id)) or 0) + 1
    version = MinutesVersion(minutes_id=minutes.id, number=number, body=body, reason=reason[:500],
                             created_by_id=actor.id)
    db.session.add(version)
    minutes.body = body
    minutes.updated_at, minutes.updated_by_id = utcnow(), actor.id
    _flush_or_conflict(minutes)
    audit.record("minutes.correct", actor=actor, obj=minutes, summary={"version": number, "reason": reason})
    db.session.commit()
    return version
