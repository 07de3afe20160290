"""E-mails of the working-group module, one function per kind so that each can later move to
the notification queue unchanged. They are called by the services after the commit."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from coordination.auth.models import User
from coordination.auth.services import absolute_url
from coordination.exports import ics
from coordination.extensions import db
from coordination.mailer import send_templated
from workgroups.models import Group, GroupMember, Meeting
from workgroups.queries.meetings import agenda_items

RSVP_SALT = "meeting-rsvp"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=RSVP_SALT)


def rsvp_token(meeting: Meeting, member: GroupMember) -> str:
    """Signed token naming the tenant, meeting and member (no login needed to answer)."""
    return _serializer().dumps({"t": meeting.tenant_id, "m": meeting.id, "p": member.id})


def read_rsvp_token(token: str) -> tuple[int, int, int] | None:
    """``(tenant_id, meeting_id, member_id)`` of a valid token, else None."""
    try:
        data = _serializer().loads(token)
        return int(data["t"]), int(data["m"]), int(data["p"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def _locales(members: list[GroupMember]) -> dict[int, str]:
    ids = [m.user_id for m in members if m.user_id]
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.locale).where(User.id.in_(ids))).all())


def _send_calendar(meeting: Meeting, group: Group, members: list[GroupMember], kind: str,
                   method: str) -> None:
    from workgroups.exports import meeting_event

    agenda = agenda_items(meeting.id)
    locales = _locales(members)
    link = absolute_url("tenant.workgroups.meeting_detail", tenant=group_tenant_slug(meeting),
                        meeting_id=meeting.id)
    for member in members:
        locale = locales.get(member.user_id, "pl")
        with force_locale(locale):
            event = meeting_event(meeting, group, agenda, link, attendees=[member.email])
            subject = {
                "invitation": _("Invitation: %(title)s, %(day)s", title=meeting.title, day=meeting.day.isoformat()),
                "update": _("Changed: %(title)s, %(day)s", title=meeting.title, day=meeting.day.isoformat()),
                "cancellation": _("Cancelled: %(title)s, %(day)s", title=meeting.title, day=meeting.day.isoformat()),
            }[kind]
        part = ics.mime_part(ics.calendar([event], method=method), method)
        rsvp = absolute_url("workgroups_public.rsvp", rsvp_token=rsvp_token(meeting, member))
        send_templated(member.email, subject, "meeting_notice", locale=locale, attachments=[part],
                       lang=locale, kind=kind, meeting=meeting, group=group, agenda=agenda, member=member,
                       link=link, rsvp_link=rsvp if kind != "cancellation" else None)


def group_tenant_slug(meeting: Meeting) -> str:
    from tenants.models import Tenant

    return db.session.get(Tenant, meeting.tenant_id).slug


def send_invitations(meeting: Meeting, group: Group, members: list[GroupMember]) -> None:
    """Invitation with ``.ics`` (METHOD:REQUEST) and an RSVP link, to each member."""
    _send_calendar(meeting, group, members, "invitation", "REQUEST")


def send_updates(meeting: Meeting, group: Group) -> None:
    """The changed meeting (same UID, higher SEQUENCE, METHOD:REQUEST) to current invitees."""
    from workgroups.services.meetings import invitees

    _send_calendar(meeting, group, invitees(meeting), "update", "REQUEST")


def send_cancellations(meeting: Meeting, group: Group) -> None:
    """METHOD:CANCEL for the meeting's UID to current invitees."""
    from workgroups.services.meetings import invitees

    _send_calendar(meeting, group, invitees(meeting), "cancellation", "CANCEL")


def send_minutes_for_comments(meeting: Meeting, group: Group, minutes, members: list[GroupMember]) -> None:
    """Tell the attendees that the draft minutes wait for their comments until the deadline."""
    locales = _locales(members)
    link = absolute_url("tenant.workgroups.minutes_view", tenant=group_tenant_slug(meeting),
                        meeting_id=meeting.id)
    for member in members:
        locale = locales.get(member.user_id, "pl")
        with force_locale(locale):
            subject = _("Draft minutes %(n)s for comments", n=meeting.label)
        send_templated(member.email, subject, "meeting_minutes_consultation", locale=locale,
                       lang=locale, meeting=meeting, group=group, minutes=minutes, member=member, link=link)
