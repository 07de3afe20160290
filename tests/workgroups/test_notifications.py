"""Meeting, minutes and action-item e-mails through the queue: real SMTP, injectable clock
(no sleeps), the scheduler's sending job run inline."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from icalendar import Calendar
from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from coordination.notifications.models import Notification, NotificationPreference
from workgroups.models import GroupMember
from workgroups.services import meetings as services
from workgroups.services import minutes as minutes_services
from workgroups.services import records

from .conftest import AGENDA, actor, deliver, group_of, meeting_data

INVITEES = ["czlonek@example.org", "lucja@example.org", "olga@example.org", "zofia@example.org"]
# the meeting: Friday 20 March 2026, 10:00-12:30 Warsaw (09:00 UTC)
DAY = date(2026, 3, 20)


def _kinds(smtp) -> list[tuple[str, str]]:
    return sorted((m["message"]["X-Sieci-Notification"], m["to"][0]) for m in smtp.messages)


def _calendar(message) -> Calendar | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    return None


def _reminder_dues(meeting_id: int) -> dict[str, set]:
    rows = db.session.scalars(select(Notification).where(
        Notification.kind == "meeting_reminder", Notification.object_id == meeting_id,
        Notification.status == "pending")).all()
    out: dict[str, set] = {}
    for r in rows:
        out.setdefault(r.slot.split("@")[0], set()).add(r.due_at)
    return out


def _travel(clock, when: datetime, smtp) -> list[tuple[str, str]]:
    smtp.messages.clear()
    clock.now = when
    deliver()
    return _kinds(smtp)


def test_invitation_reminders_edit_and_cancel_exactly_once(region, smtp, clock):
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(DAY), AGENDA, actor=actor(region))[0]
    assert deliver() == {} and smtp.messages == []  # creating alone sends nothing
    services.send_invitations(meeting, group, actor=actor(region))
    assert deliver() == {"sent": 4}
    assert _kinds(smtp) == [("meeting_invitation", a) for a in INVITEES]
    for m in smtp.messages:
        cal = _calendar(m["message"])
        assert cal is not None and cal["METHOD"] == "REQUEST"
        assert cal.walk("VEVENT")[0]["UID"] == meeting.ical_uid
    assert deliver() == {} and len(smtp.messages) == 4  # exactly once

    # reminders: 7 days and 1 day before the start (09:00 UTC on 13 and 19 March)
    start = datetime(2026, 3, 20, 9, 0)
    assert _reminder_dues(meeting.id) == {"7d": {start - timedelta(days=7)}, "1d": {start - timedelta(days=1)}}
    assert _travel(clock, start - timedelta(days=7, minutes=1), smtp) == []
    assert _travel(clock, start - timedelta(days=7), smtp) == [("meeting_reminder", a) for a in INVITEES]
    assert all(_calendar(m["message"]) is None for m in smtp.messages)
    assert _travel(clock, start - timedelta(days=6), smtp) == []  # once

    # edit the time (to 14:00 Warsaw = 13:00 UTC): invitees get the update, the 1-day reminder moves
    services.update_meeting(meeting, group, meeting_data(DAY, start_time=time(14, 0), end_time=time(16, 0)),
                            AGENDA, actor=actor(region))
    assert _reminder_dues(meeting.id) == {"1d": {datetime(2026, 3, 19, 13, 0)}}
    assert deliver() == {"sent": 4} and _kinds(smtp) == [("meeting_update", a) for a in INVITEES]
    event = _calendar(smtp.messages[0]["message"]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").hour == 14
    assert _travel(clock, datetime(2026, 3, 19, 12, 59), smtp) == []  # not at the old time
    assert _travel(clock, datetime(2026, 3, 19, 13, 0), smtp) == [("meeting_reminder", a) for a in INVITEES]


def test_meeting_moved_after_a_reminder_is_reminded_again_for_its_new_date(region, smtp, clock):
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(DAY), AGENDA, actor=actor(region))[0]
    services.send_invitations(meeting, group, actor=actor(region))
    deliver()
    start = datetime(2026, 3, 20, 9, 0)
    assert _travel(clock, start - timedelta(days=7), smtp) == [("meeting_reminder", a) for a in INVITEES]
    # a week later the meeting is moved by a week: both reminders come again, for the new date
    later = DAY + timedelta(days=7)
    services.update_meeting(meeting, group, meeting_data(later), AGENDA, actor=actor(region))
    new_start = start + timedelta(days=7)
    assert _reminder_dues(meeting.id) == {"7d": {new_start - timedelta(days=7)},
                                          "1d": {new_start - timedelta(days=1)}}
    assert sorted(set(_travel(clock, start - timedelta(days=6), smtp))) == [
        ("meeting_update", a) for a in INVITEES]
    assert _travel(clock, new_start - timedelta(days=7), smtp) == [("meeting_reminder", a) for a in INVITEES]
    assert _travel(clock, new_start - timedelta(days=1), smtp) == [("meeting_reminder", a) for a in INVITEES]
    assert _travel(clock, new_start - timedelta(hours=1), smtp) == []  # each exactly once


def test_cancel_sends_cancel_and_cancels_reminders(region, smtp, clock):
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(DAY), AGENDA, actor=actor(region))[0]
    services.send_invitations(meeting, group, actor=actor(region))
    deliver()
    smtp.messages.clear()
    services.cancel_meeting(meeting, group, actor=actor(region))
    assert deliver() == {"sent": 4}
    assert _kinds(smtp) == [("meeting_cancellation", a) for a in INVITEES]
    cal = _calendar(smtp.messages[0]["message"])
    assert cal["METHOD"] == "CANCEL" and cal.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert _reminder_dues(meeting.id) == {}
    assert db.session.scalar(select(Notification.id).where(
        Notification.kind == "meeting_reminder", Notification.status == "cancelled")) is not None
    assert _travel(clock, datetime(2026, 3, 19, 9, 0), smtp) == []


def test_reminders_configurable_declined_skipped_and_optional(region, smtp, clock):
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(DAY, reminder_days="1"), AGENDA,
                                      actor=actor(region))[0]
    off = services.create_meeting(group, meeting_data(DAY + timedelta(days=7), reminder_days=""), AGENDA,
                                  actor=actor(region))[0]
    services.send_invitations(meeting, group, actor=actor(region))
    services.send_invitations(off, group, actor=actor(region))
    assert set(_reminder_dues(meeting.id)) == {"1d"} and _reminder_dues(off.id) == {}
    deliver()
    # Zofia declines; Łucja turns reminders off (optional kind); invitations stay mandatory
    zofia = region.member_ids[0]
    services.record_rsvp(meeting, db.session.get(GroupMember, zofia), "no", None)
    db.session.add(NotificationPreference(email="lucja@example.org", kind="meeting_reminder", mode="off"))
    db.session.add(NotificationPreference(email="lucja@example.org", kind="meeting_invitation", mode="off"))
    db.session.commit()
    assert _travel(clock, datetime(2026, 3, 19, 9, 0), smtp) == [
        ("meeting_reminder", "czlonek@example.org"), ("meeting_reminder", "olga@example.org")]
    skipped = dict(db.session.execute(select(Notification.recipient, Notification.skip_reason).where(
        Notification.kind == "meeting_reminder", Notification.status == "skipped")).all())
    assert skipped == {"zofia@example.org": "obsolete", "lucja@example.org": "off"}


def test_language_per_recipient(region, smtp, clock):
    db.session.get(User, region.member_user_id).locale = "en"
    db.session.commit()
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(DAY), AGENDA, actor=actor(region))[0]
    services.send_invitations(meeting, group, actor=actor(region))
    deliver()
    by_to = {m["to"][0]: m["message"] for m in smtp.messages}
    assert by_to["czlonek@example.org"]["Subject"].startswith("Invitation:")
    assert by_to["zofia@example.org"]["Subject"].startswith("Zaproszenie")
    bodies = dict(zip([m["to"][0] for m in smtp.messages], smtp.bodies(), strict=True))
    assert "/odpowiedz/" in bodies["czlonek@example.org"] and "Agenda" in bodies["czlonek@example.org"]
    assert "Plan promocji" in bodies["zofia@example.org"]


def test_minutes_and_action_items(region, smtp, clock):
    from .conftest import held_meeting

    clock.now = datetime(2026, 3, 2, 9, 0)
    meeting = held_meeting(region)
    group = group_of(region)
    draft = minutes_services.create_draft(meeting, group, actor=actor(region))
    minutes_services.send_for_comments(draft, meeting, group, date(2026, 3, 9), actor=actor(region))
    assert deliver() == {"sent": 3}
    assert {k for k, _a in _kinds(smtp)} == {"minutes_comments_open"}
    assert _travel(clock, datetime(2026, 3, 8, 6, 59), smtp) == []
    assert {k for k, _a in _travel(clock, datetime(2026, 3, 8, 7, 0), smtp)} == {"minutes_comments_deadline"}

    clock.now = datetime(2026, 3, 2, 9, 0)
    action = records.add_action(group, meeting, {"description": "Przygotować folder", "owner_id": region.own_member_id,
                                                 "due_date": date(2026, 3, 12)}, actor=actor(region))
    done = records.add_action(group, meeting, {"description": "Zamówić salę", "owner_id": region.own_member_id,
                                               "due_date": date(2026, 3, 12)}, actor=actor(region))
    records.update_action(done, group, {"status": "done"}, actor=actor(region), full=False)
    # due soon: 10 March 8:00 Warsaw (7:00 UTC); overdue: 13 March
    assert _travel(clock, datetime(2026, 3, 10, 7, 0), smtp) == [("action_due_soon", "czlonek@example.org")]
    assert "Przygotować folder" in smtp.bodies()[0]
    assert _travel(clock, datetime(2026, 3, 13, 7, 0), smtp) == [("action_overdue", "czlonek@example.org")]
    records.update_action(action, group, {"status": "done"}, actor=actor(region), full=False)
    assert _travel(clock, datetime(2026, 3, 20, 7, 0), smtp) == []
