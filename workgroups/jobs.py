"""Send-time hooks of the working-group notifications (run by the scheduler's sender).

The services only queue rows (:mod:`workgroups.services.mail`); right before a row is sent,
these hooks read the meeting as it is *then*: a cancelled or held meeting gets no invitation or
reminder, a member who declined gets no reminder, and the ``.ics`` carries the current details
and SEQUENCE. The RSVP link is signed at send time, so nothing secret is stored in the outbox.
"""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select

from coordination.clock import to_naive_utc
from coordination.exports import ics
from coordination.extensions import db
from coordination.notifications.kinds import before_send, build_attachments
from coordination.notifications.rendering import link
from coordination.tenancy import tenant_context
from workgroups.models import Group, GroupMember, Meeting, Rsvp
from workgroups.queries.meetings import agenda_items
from workgroups.services.mail import read_rsvp_token, rsvp_token  # noqa: F401  (re-exported)

#: what each meeting kind needs: the meeting status it applies to and the iCalendar method.
MEETING_KINDS = {
    "meeting_invitation": ("planned", "REQUEST"),
    "meeting_update": ("planned", "REQUEST"),
    "meeting_reminder": ("planned", None),
    "meeting_cancellation": ("cancelled", "CANCEL"),
}


def _snapshot(row):
    """``(meeting, group, member, agenda, url)`` for a meeting row, or None when obsolete.

    Loaded once per row (cached on the row) inside the row's region.
    """
    cached = getattr(row, "_workgroups", False)
    if cached is not False:
        return cached
    snap = None
    with tenant_context(row.tenant_id):
        meeting = db.session.get(Meeting, row.object_id)
        member = db.session.get(GroupMember, (row.context or {}).get("member_id") or 0)
        status, _method = MEETING_KINDS[row.kind]
        declined = row.kind == "meeting_reminder" and member is not None and db.session.scalar(
            select(Rsvp.id).where(Rsvp.meeting_id == row.object_id, Rsvp.member_id == member.id,
                                  Rsvp.answer == "no"))
        if meeting is not None and member is not None and meeting.status == status and not declined:
            from tenants.models import Tenant

            group = db.session.get(Group, meeting.group_id)
            slug = db.session.get(Tenant, row.tenant_id).slug
            url = link("tenant.workgroups.meeting_detail", tenant=slug, meeting_id=meeting.id)
            snap = (meeting, group, member, agenda_items(meeting.id), url)
    row._workgroups = snap
    return snap


def meeting_values(row) -> dict | None:
    """Template values of a meeting message, from the meeting as it is now."""
    snap = _snapshot(row)
    if snap is None:
        return None
    meeting, group, member, agenda, url = snap
    rsvp = None
    if row.kind in ("meeting_invitation", "meeting_update"):
        rsvp = link("workgroups_public.rsvp", rsvp_token=rsvp_token(meeting, member))
    return {
        "title": meeting.title, "label": meeting.label, "group": group.name,
        "starts_at": to_naive_utc(meeting.starts_at), "ends_at": to_naive_utc(meeting.ends_at),
        "place": meeting.place, "online_url": meeting.online_url, "url": url, "rsvp_url": rsvp,
        "agenda": [{"position": a.position, "title": a.title, "presenter": a.presenter} for a in agenda],
    }


def meeting_calendar(row, values: dict) -> list:
    """The ``.ics`` of the meeting for this member (REQUEST, or CANCEL), current SEQUENCE."""
    from workgroups.exports import meeting_event

    _status, method = MEETING_KINDS[row.kind]
    snap = _snapshot(row)
    if method is None or snap is None:
        return []
    meeting, group, member, agenda, url = snap
    with force_locale(row.locale):
        event = meeting_event(meeting, group, agenda, url, attendees=[member.email])
    return [ics.mime_part(ics.calendar([event], method=method), method)]


for _kind in MEETING_KINDS:
    before_send(_kind)(meeting_values)
    build_attachments(_kind)(meeting_calendar)


@before_send("minutes_comments_deadline")
def minutes_still_open(row) -> dict | None:
    """No deadline reminder once the minutes left the consultation."""
    from workgroups.models import Minutes

    with tenant_context(row.tenant_id):
        minutes = db.session.get(Minutes, row.object_id)
        return row.context if minutes is not None and minutes.status == "consultation" else None


def action_still_open(row) -> dict | None:
    """No "due soon"/"overdue" message for an action item that is done or dropped."""
    from workgroups.models import OPEN_ACTION_STATUSES, ActionItem

    with tenant_context(row.tenant_id):
        action = db.session.get(ActionItem, row.object_id)
        return row.context if action is not None and action.status in OPEN_ACTION_STATUSES else None


before_send("action_due_soon")(action_still_open)
before_send("action_overdue")(action_still_open)
