"""E-mails of the working-group module, through the notification queue.

The services call these *inside* their transaction: each schedules due rows with
:mod:`coordination.notifications` (so a message exists if and only if the change is committed)
and the scheduler sends them. What a message says is built when it is sent, by the hooks in
:mod:`workgroups.jobs`: the meeting as it is then, the member's RSVP link and the ``.ics``
attachment with the current SEQUENCE. The stored context only names the member and a summary.

Keys (kind, "meeting", meeting id, address, slot):

* invitations and updates: slot ``s<SEQUENCE>`` — sending invitations again or changing the
  meeting again is a new message; the same change is never sent twice;
* reminders: slot ``<n>d@<start>`` (n days before the start at the same Warsaw wall-clock
  time, per meeting: :attr:`Meeting.reminder_days`; the start in UTC, e.g. ``7d@202603200900``) — editing the
  meeting cancels the pending ones and schedules them for the new start, so a meeting moved
  after a reminder went out is reminded of again for its new date, while moving it back to
  the old time never repeats a reminder already sent for that time; cancelling cancels them;
* minutes: ``minutes_comments_open`` / ``minutes_comments_deadline`` about ``"minutes"``;
* action items: ``action_due_soon`` (2 days before) / ``action_overdue`` (the day after).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from coordination import clock
from coordination.auth.models import User
from coordination.clock import WARSAW, to_naive_utc, utcnow
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.tenancy import all_tenants, tenant_context
from workgroups.models import (
    MINUTES_LINK_GRACE_DAYS,
    OPEN_ACTION_STATUSES,
    RSVP_GRACE_DAYS,
    ActionItem,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    MinutesLink,
    RsvpLink,
)

MEETING_KINDS = ("meeting_invitation", "meeting_update", "meeting_reminder")
#: action items: "due soon" this many days before the due date, "overdue" the day after, at 8:00.
ACTION_DUE_SOON_DAYS = 2
MORNING = time(8, 0)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue_link(model, tenant_id: int, **fields) -> str:
    """A new random link secret stored as a ``model`` row (only its sha256 is kept).

    Random and opaque: it names no ids, so the database alone does not give working links; the
    caller's transaction must be committed for the link to work (the notification sender
    commits it with the message's state)."""
    token = secrets.token_urlsafe(24)
    # the sender runs outside any region: the link is written as the object's region
    with tenant_context(tenant_id):
        db.session.add(model(tenant_id=tenant_id, token_hash=_token_hash(token), **fields))
        db.session.flush()
    return token


def _find_link(model, token: str, *columns):
    """The row (``tenant_id``, ``columns``) of an issued link, else None (found by the hash of
    the secret, in any region: an explicit cross-tenant read)."""
    if not token or len(token) > 100:
        return None
    digest = _token_hash(token)
    with all_tenants():
        row = db.session.execute(select(model.tenant_id, *columns, model.token_hash)
                                 .where(model.token_hash == digest)).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    return row


def rsvp_token(meeting: Meeting, member: GroupMember) -> str:
    """A new answer link secret for ``member`` and ``meeting`` (no login needed to answer)."""
    return _issue_link(RsvpLink, meeting.tenant_id, meeting_id=meeting.id, member_id=member.id)


def read_rsvp_token(token: str) -> tuple[int, int, int] | None:
    """``(tenant_id, meeting_id, member_id)`` of an issued answer link, else None."""
    row = _find_link(RsvpLink, token, RsvpLink.meeting_id, RsvpLink.member_id)
    return None if row is None else (row.tenant_id, row.meeting_id, row.member_id)


def minutes_token(minutes: Minutes, member: GroupMember) -> str:
    """A new personal link secret to the draft ``minutes`` for ``member`` (a contact without an
    account): read the draft and comment until the deadline."""
    return _issue_link(MinutesLink, minutes.tenant_id, minutes_id=minutes.id, member_id=member.id)


def read_minutes_token(token: str) -> tuple[int, int] | None:
    """``(tenant_id, link id)`` of an issued draft-minutes link, else None."""
    row = _find_link(MinutesLink, token, MinutesLink.id)
    return None if row is None else (row.tenant_id, row.id)


def minutes_link_valid(link: MinutesLink, minutes: Minutes) -> bool:
    """A draft link works while the draft is under consultation, until
    :data:`MINUTES_LINK_GRACE_DAYS` days after the comment deadline, unless revoked (after the
    deadline the page is read-only)."""
    if link.revoked_at is not None or minutes.status != "consultation":
        return False
    return minutes.comment_deadline is None or \
        clock.today() <= minutes.comment_deadline + timedelta(days=MINUTES_LINK_GRACE_DAYS)


def rsvp_link_valid(meeting: Meeting) -> bool:
    """Answer links work until :data:`RSVP_GRACE_DAYS` days after the meeting ended, and never
    for a cancelled meeting."""
    if meeting.status == "cancelled":
        return False
    return clock.local_now() <= meeting.ends_at + timedelta(days=RSVP_GRACE_DAYS)


def recipients(members: list[GroupMember]) -> list[SimpleNamespace]:
    """Members as queue recipients: address, account and language (one query). Members with an
    account get their account's language; contacts without one the language set on the
    membership (Polish unless chosen otherwise)."""
    ids = [m.user_id for m in members if m.user_id]
    locales = dict(db.session.execute(select(User.id, User.locale).where(User.id.in_(ids))).all()) if ids else {}
    return [SimpleNamespace(email=m.email, id=m.user_id, member=m,
                            locale=(locales.get(m.user_id) if m.user_id else m.locale) or "pl")
            for m in members if m.email]


def _at(day: date, at: time = MORNING) -> datetime:
    """Naive UTC of a Warsaw wall-clock time."""
    return to_naive_utc(datetime.combine(day, at, tzinfo=WARSAW))


def _meeting_context(meeting: Meeting, member: GroupMember) -> dict:
    return {"member_id": member.id, "title": meeting.title, "starts_at": meeting.starts_at,
            "place": meeting.place or meeting.online_url}


def _schedule_meeting(kind: str, meeting: Meeting, people: list[SimpleNamespace], slot: str,
                      due_at: datetime | None = None) -> None:
    for person in people:
        notify.schedule(kind, person, due_at=due_at, object_type="meeting", object_id=meeting.id,
                        slot=slot, context=_meeting_context(meeting, person.member),
                        tenant_id=meeting.tenant_id)


def sync_reminders(meeting: Meeting, members: list[GroupMember]) -> None:
    """(Re)schedule the meeting's reminders: one per configured day, still in the future.

    Pending reminders are cancelled and the wanted ones scheduled for the current start (the
    slot names the start, see the module docstring). Reminders already sent stay sent.
    """
    notify.cancel("meeting_reminder", object_type="meeting", object_id=meeting.id)
    if meeting.status != "planned":
        return
    now = utcnow()
    people = recipients(members)
    start = to_naive_utc(meeting.starts_at)
    for days in meeting.reminder_offsets:
        # n days before at the meeting's Warsaw wall-clock time (not n x 24 h: a DST change
        # in between would move the reminder by an hour)
        due = _at(meeting.day - timedelta(days=days), meeting.start_time)
        if due > now:
            _schedule_meeting("meeting_reminder", meeting, people, f"{days}d@{start:%Y%m%d%H%M}", due)


def send_invitations(meeting: Meeting, group: Group, members: list[GroupMember]) -> None:
    """Invitation with ``.ics`` (METHOD:REQUEST) and an RSVP link, to each member; reminders."""
    _schedule_meeting("meeting_invitation", meeting, recipients(members), f"s{meeting.ical_sequence}")
    sync_reminders(meeting, members)


def send_updates(meeting: Meeting, group: Group) -> None:
    """The changed meeting (same UID, higher SEQUENCE, METHOD:REQUEST) to current invitees."""
    from workgroups.services.meetings import invitees

    people = invitees(meeting)
    _schedule_meeting("meeting_update", meeting, recipients(people), f"s{meeting.ical_sequence}")
    sync_reminders(meeting, people)


def send_cancellations(meeting: Meeting, group: Group) -> None:
    """METHOD:CANCEL for the meeting's UID to current invitees; nothing else is sent any more."""
    from workgroups.services.meetings import invitees

    notify.cancel(MEETING_KINDS, object_type="meeting", object_id=meeting.id)
    _schedule_meeting("meeting_cancellation", meeting, recipients(invitees(meeting)), "")


def send_minutes_for_comments(meeting: Meeting, group: Group, minutes: Minutes,
                              members: list[GroupMember], deadline: date) -> None:
    """Send the attendees the draft for comments (DOCX and PDF attached at send time, see
    :mod:`workgroups.jobs`); remind them 1 day before the deadline. Members with an account get
    the link into the application; contacts without one a personal link made at send time."""
    link = notify.link("tenant.workgroups.minutes_view", tenant=_slug(meeting), meeting_id=meeting.id)
    context = {"title": f"{meeting.title} ({meeting.label})", "url": link,
               "deadline_at": _at(deadline, time(23, 59))}
    remind_at = _at(deadline - timedelta(days=1))
    for person in recipients(members):
        common = {"object_type": "minutes", "object_id": minutes.id,
                  "context": {**context, "member_id": person.member.id}, "tenant_id": meeting.tenant_id}
        notify.schedule("minutes_comments_open", person, **common)
        if remind_at > utcnow():
            notify.schedule("minutes_comments_deadline", person, due_at=remind_at, **common)


def cancel_minutes_reminders(minutes: Minutes) -> None:
    """The consultation ended (minutes adopted): no deadline reminder any more."""
    notify.cancel("minutes_comments_deadline", object_type="minutes", object_id=minutes.id)


def sync_action(action: ActionItem, group: Group) -> None:
    """Schedule "due soon" and "overdue" to the owner of an open action item; else cancel them.

    Called whenever an action item is created or changed: a new due date or owner moves the
    messages (stable slots), a finished item cancels them.
    """
    kinds = ("action_due_soon", "action_overdue")
    notify.cancel(kinds, object_type="action", object_id=action.id)
    if action.status not in OPEN_ACTION_STATUSES or action.due_date is None:
        return
    if action.owner_user_id is not None:  # ROPS staff: their account
        account = db.session.get(User, action.owner_user_id)
        if account is None or not account.email:
            return
        person = account
    else:
        owner = db.session.get(GroupMember, action.owner_id) if action.owner_id else None
        if owner is None or not owner.email:
            return
        (person,) = recipients([owner])
    context = {"title": action.description[:200], "due_on": action.due_date, "group": group.name,
               "url": notify.link("tenant.workgroups.action_edit", tenant=_slug(action), action_id=action.id)}
    now = utcnow()
    for kind, due in (("action_due_soon", _at(action.due_date - timedelta(days=ACTION_DUE_SOON_DAYS))),
                      ("action_overdue", _at(action.due_date + timedelta(days=1)))):
        if due > now:
            notify.schedule(kind, person, due_at=due, object_type="action", object_id=action.id,
                            context=context, tenant_id=action.tenant_id)


def _slug(obj) -> str:
    from tenants.models import Tenant

    return db.session.get(Tenant, obj.tenant_id).slug
