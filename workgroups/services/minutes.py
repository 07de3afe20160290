"""The minutes lifecycle: draft (generated from agenda + attendance) -> consultation with the
attendees (comments per section, resolved by the secretary) -> adopted (at a later meeting or by
circulation) -> frozen versions; corrections add versions with a reason.

Editing is optimistic-locked: a save names the ``lock_version`` it started from; when someone
saved in between, :class:`EditConflict` carries the other text so nothing is lost."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from coordination import audit, clock
from coordination.clock import utcnow
from coordination.collation import polish_key
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.workdays import working_deadline
from workgroups.models import (
    ADOPTION_MODES,
    OPEN_ACTION_STATUSES,
    ActionItem,
    Attendance,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesLink,
    MinutesVersion,
    Resolution,
)
from workgroups.queries.labels import group_genitive
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


#: agenda items that the fixed parts of the minutes already cover (opening, agenda, closing).
PROCEDURAL_ITEM = re.compile(r"^\s*(otwarcie|przyjęcie porządku|przyjęcie protokołu|zamknięcie|opening|"
                             r"adoption of the (agenda|minutes)|closing)", re.IGNORECASE)


def minutes_title(meeting: Meeting, group: Group) -> str:
    """"Protokół nr 4/2026 z posiedzenia Grupy roboczej ds. promocji" (in the active locale)."""
    genitive = group_genitive(group.name)
    if genitive:
        return _("Minutes no. %(n)s of the meeting of the %(group)s", n=meeting.label, group=genitive)
    return _("Minutes no. %(n)s of the meeting of the group “%(group)s”", n=meeting.label, group=group.name)


def _points(agenda, has_previous: bool, has_follow_up: bool) -> list[dict]:
    """The numbered parts ("Ad. n") in the order of Polish minutes: opening and quorum, the
    agenda, the previous minutes, the follow-up of earlier tasks, the topics, closing."""
    parts = [("opening", _("Opening of the meeting and statement of the quorum"), None),
             ("agenda", _("Adoption of the agenda"), None)]
    if has_previous:
        parts.append(("previous", _("Adoption of the minutes of the previous meeting"), None))
    follow = [i for i in agenda if i.follow_up]
    if follow or has_follow_up:
        parts.append(("follow_up", follow[0].title if follow else
                      _("Follow-up of action items from previous meetings"), follow[0] if follow else None))
    parts += [("topic", i.title, i) for i in agenda if not i.follow_up and not PROCEDURAL_ITEM.match(i.title)]
    parts.append(("closing", _("Closing of the meeting"), None))
    return [{"n": n, "kind": kind, "title": title, "item": item}
            for n, (kind, title, item) in enumerate(parts, start=1)]


def _actions(*where) -> list[tuple[ActionItem, str | None]]:
    return [tuple(r) for r in db.session.execute(
        select(ActionItem, GroupMember.full_name).outerjoin(GroupMember, GroupMember.id == ActionItem.owner_id)
        .where(*where).order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id))]


def draft_text(meeting: Meeting, group: Group) -> str:
    """The generated draft (Markdown, Polish), structured like Polish minutes (DOMAIN.md): title
    in the genitive, attendance table with the quorum, opening, agenda, previous minutes, tasks
    carried over, "Ad. n" per agenda item, resolutions with their text and votes, the tasks
    agreed (owners, deadlines), closing and the annexes (documents attached to agenda items)."""
    from workgroups.queries.documents import agenda_with_documents
    from workgroups.queries.meetings import attendance_quorum, chairing

    members = _members_by_id(group.id)
    attendance = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    rows = sorted(((members[a.member_id], a) for a in attendance), key=lambda r: polish_key(r[0].full_name))
    status = {a.member_id: a.status for a in attendance}
    agenda, documents = agenda_with_documents(meeting.id)
    resolutions = db.session.scalars(select(Resolution).where(Resolution.meeting_id == meeting.id)
                                     .order_by(Resolution.number)).all()
    previous = db.session.scalar(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.id != meeting.id, Meeting.status == "held",
        Meeting.day < meeting.day).order_by(Meeting.day.desc(), Meeting.start_time.desc()).limit(1))
    previous_adopted_here = previous is not None and db.session.scalar(select(Minutes.id).where(
        Minutes.meeting_id == previous.id, Minutes.adopted_at_meeting_id == meeting.id)) is not None
    actions = _actions(ActionItem.meeting_id == meeting.id)
    carried = _actions(ActionItem.group_id == group.id, ActionItem.status.in_(OPEN_ACTION_STATUSES),
                       ActionItem.meeting_id.in_(select(Meeting.id).where(Meeting.group_id == group.id,
                                                                          Meeting.day < meeting.day)))
    with force_locale("pl"):
        points = _points(agenda, previous is not None, bool(carried))
        number_of = {p["item"].id: p["n"] for p in points if p["item"] is not None}
        annexes = [(number_of.get(item.id, item.position), document, version) for item in agenda
                   for document, version in documents.get(item.id, [])]
        return render_template(
            "workgroups/minutes_draft.txt", meeting=meeting, group=group, rows=rows, points=points,
            title=minutes_title(meeting, group),
            present=[m.full_name if a.status == "present" else
                     _("%(substitute)s (substituting for %(name)s)", substitute=a.substitute_name, name=m.full_name)
                     for m, a in rows if a.status == "present" or (a.status == "substitute" and a.substitute_name)],
            absent=[m.full_name for m, a in rows if a.status == "absent"],
            excused=[m.full_name for m, a in rows if a.status == "excused"],
            chairing=chairing(meeting, [(m, status.get(m.id)) for m in members.values()]),
            quorum=attendance_quorum(meeting, group), previous=previous,
            previous_adopted_here=previous_adopted_here, carried=carried, actions=actions,
            resolutions=resolutions, annexes=annexes,
        ).strip() + "\n"


def create_draft(meeting: Meeting, group: Group, *, actor) -> Minutes:
    """Generate the draft minutes of a meeting (once)."""
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting has no minutes."))
    if not meeting.started:
        raise DomainError(_("The draft minutes can be generated once the meeting has started."))
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


def comments_open(minutes: Minutes) -> bool:
    """Comments are accepted: under consultation, not closed early, the deadline not passed."""
    return (minutes.status == "consultation" and minutes.comments_closed_at is None
            and (minutes.comment_deadline is None or clock.today() <= minutes.comment_deadline))


def consultation_over(minutes: Minutes) -> bool:
    """The minutes may be adopted as far as the comments go: never sent for comments, or the
    deadline passed, or the comments were closed early (with a recorded reason)."""
    return (minutes.status == "draft" or minutes.comments_closed_at is not None
            or minutes.comment_deadline is None or clock.today() > minutes.comment_deadline)


def add_comment(minutes: Minutes, section: str, body: str, *, author=None,
                member: GroupMember | None = None) -> MinutesComment:
    """A comment on one section of a draft under consultation (until the deadline), by an
    account (``author``) or by an attendee without one through a personal link (``member``)."""
    if minutes.status != "consultation":
        raise DomainError(_("These minutes are not open for comments."))
    if minutes.comments_closed_at is not None:
        raise DomainError(_("The comments on these minutes were closed."))
    if minutes.comment_deadline and clock.today() > minutes.comment_deadline:
        raise DomainError(_("The deadline for comments has passed."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Write your comment."), "body")
    if not (section or "").strip():
        raise DomainError(_("Choose the section you comment on."), "section")
    from workgroups.queries.minutes import sections

    if section.strip() not in sections(minutes.body):  # in the app and through a personal link
        raise DomainError(_("Choose one of the sections of the draft."), "section")
    name = member.full_name if member is not None else author.full_name
    comment = MinutesComment(minutes_id=minutes.id, section=section.strip()[:300], body=body,
                             author_id=getattr(author, "id", None), author_name=name,
                             member_id=getattr(member, "id", None))
    db.session.add(comment)
    db.session.flush()
    audit.record("minutes.comment", actor=author, obj=comment,
                 summary={"section": comment.section, **({"member": member.full_name} if member else {})})
    db.session.commit()
    return comment


def close_comments(minutes: Minutes, reason: str, *, actor) -> None:
    """Close the comments before the deadline (e.g. to adopt the minutes at a meeting held
    earlier); the reason is required, stored, shown on the minutes and audit-logged."""
    if minutes.status != "consultation":
        raise DomainError(_("These minutes are not open for comments."))
    if not comments_open(minutes):
        raise DomainError(_("The comments are already closed."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for closing the comments before the deadline."), "reason")
    if len(reason) > 2000:
        raise DomainError(_("The text is too long."), "reason")
    minutes.comments_closed_at = utcnow()
    minutes.comments_closed_reason = reason
    audit.record("minutes.comments_close", actor=actor, obj=minutes,
                 summary={"reason": reason, "deadline": minutes.comment_deadline})
    mail.cancel_minutes_reminders(minutes)
    db.session.commit()


def revoke_link(link: MinutesLink, *, actor) -> None:
    """Revoke a personal link to draft minutes (it then leads to the "link no longer valid" page)."""
    if link.revoked_at is not None:
        return
    link.revoked_at = utcnow()
    audit.record("minutes.link_revoke", actor=actor, obj=link, summary={"member_id": link.member_id})
    db.session.commit()


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
    if not consultation_over(minutes):
        raise DomainError(_("The comments are open until %(day)s. Adopt the minutes after that day, or "
                            "close the comments early with a reason.",
                            day=format_date(minutes.comment_deadline, "long")))
    earliest = minutes.comments_closed_at.date() if minutes.comments_closed_at else (
        minutes.comment_deadline + timedelta(days=1) if minutes.comment_deadline else meeting.day)
    with force_locale("pl"):
        if mode == "meeting":
            later = db.session.get(Meeting, at_meeting_id) if at_meeting_id else None
            if (later is None or later.group_id != meeting.group_id or later.id == meeting.id
                    or later.day < meeting.day):
                raise DomainError(_("Choose a later meeting of the group."), "at_meeting_id")
            if later.status != "held" or later.day > clock.today():
                raise DomainError(_("Minutes are adopted only at a meeting that has taken place (with its "
                                    "attendance recorded). Choose a held meeting."), "at_meeting_id")
            if minutes.status == "consultation" and later.day < earliest:
                raise DomainError(_("Meeting %(n)s took place before the comments ended.", n=later.label),
                                  "at_meeting_id")
            adopted_on = later.day
            reason = _("Adopted at meeting %(n)s", n=later.label)
        else:
            if adopted_on is None or adopted_on < meeting.day or adopted_on > clock.today():
                raise DomainError(_("Enter the day of adoption (not before the meeting, not in the future)."),
                                   "adopted_on")
            if minutes.status == "consultation" and adopted_on < earliest:
                raise DomainError(_("The day of adoption cannot come before the end of the comments."),
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
