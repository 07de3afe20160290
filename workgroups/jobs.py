"""Send-time hooks of the working-group notifications (run by the scheduler's sender).

The services only queue rows (:mod:`workgroups.services.mail`); right before a row is sent,
these hooks read the meeting as it is *then*: a cancelled or held meeting gets no invitation or
reminder, a member who declined gets no reminder, and the ``.ics`` carries the current details
and SEQUENCE. The RSVP link is signed at send time, so nothing secret is stored in the outbox.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import force_locale
from sqlalchemy import select

from coordination.clock import to_naive_utc
from coordination.exports import file_part, ics
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


def _minutes_snapshot(row):
    """``(minutes, meeting, group, member)`` of a minutes message while the draft is under
    consultation, else None (cached on the row; read inside the row's region)."""
    from workgroups.models import Minutes

    cached = getattr(row, "_workgroups_minutes", False)
    if cached is not False:
        return cached
    snap = None
    with tenant_context(row.tenant_id):
        minutes = db.session.get(Minutes, row.object_id)
        if minutes is not None and minutes.status == "consultation" and minutes.comments_closed_at is None:
            meeting = db.session.get(Meeting, minutes.meeting_id)
            member_id = (row.context or {}).get("member_id")
            snap = (minutes, meeting, db.session.get(Group, minutes.group_id),
                    db.session.get(GroupMember, member_id) if member_id else None)
    row._workgroups_minutes = snap
    return snap


def minutes_values(row) -> dict | None:
    """No message once the minutes left the consultation (or the comments were closed). An
    attendee without an account gets a personal link to the draft (made now, like the RSVP
    links), one with an account the link into the application."""
    from workgroups.services.mail import minutes_token

    snap = _minutes_snapshot(row)
    if snap is None:
        return None
    minutes, _meeting, _group, member = snap
    values = dict(row.context or {})
    if member is not None and member.user_id is None:
        values["url"] = link("workgroups_public.minutes_draft", minutes_token=minutes_token(minutes, member))
        values["personal_link"] = True
    return values


def minutes_documents(row, values: dict) -> list:
    """The draft as DOCX and PDF attachments, built from the text as it is when the message
    leaves (the text is at most 200 000 characters and annexes are only listed, never attached,
    so the message stays small)."""
    snap = _minutes_snapshot(row)
    if snap is None:
        return []
    minutes, meeting, group, _member = snap
    from tenants.models import Tenant

    with tenant_context(row.tenant_id):
        settings_changed = db.session.get(Tenant, row.tenant_id).updated_at
    docx_bytes, pdf_bytes = _draft_files(row.tenant_id, minutes.id, minutes.lock_version, settings_changed)
    name = f"projekt-protokolu-{meeting.number}-{meeting.year}"
    return [file_part(docx_bytes, f"{name}.docx"), file_part(pdf_bytes, f"{name}.pdf")]


@lru_cache(maxsize=4)
def _draft_files(tenant_id: int, minutes_id: int, lock_version: int, _settings_changed) -> tuple[bytes, bytes]:
    """DOCX and PDF of one version of a draft (every attendee of a batch gets the same files;
    the key names the version of the text and of the region's settings (letterhead), so an
    edited draft is rendered anew)."""
    from workgroups.exports import minutes_docx_bytes, minutes_pdf_bytes
    from workgroups.models import Minutes

    with tenant_context(tenant_id):
        minutes = db.session.get(Minutes, minutes_id)
        meeting = db.session.get(Meeting, minutes.meeting_id)
        group = db.session.get(Group, minutes.group_id)
        return minutes_docx_bytes(meeting, group, minutes), minutes_pdf_bytes(meeting, group, minutes)


before_send("minutes_comments_open")(minutes_values)
before_send("minutes_comments_deadline")(minutes_values)
build_attachments("minutes_comments_open")(minutes_documents)


def action_still_open(row) -> dict | None:
    """No "due soon"/"overdue" message for an action item that is done or dropped."""
    from workgroups.models import OPEN_ACTION_STATUSES, ActionItem

    with tenant_context(row.tenant_id):
        action = db.session.get(ActionItem, row.object_id)
        return row.context if action is not None and action.status in OPEN_ACTION_STATUSES else None


before_send("action_due_soon")(action_still_open)
before_send("action_overdue")(action_still_open)
