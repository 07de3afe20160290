"""Meetings: numbering, validation, series, copy, invitations (.ics over real SMTP), RSVP,
attendance and quorum."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import AgendaItem, Attendance, Meeting, Rsvp
from workgroups.queries.meetings import attendance_quorum
from workgroups.services import mail, records
from workgroups.services import meetings as services

from .conftest import (
    AGENDA,
    actor,
    deliver,
    group_of,
    held_meeting,
    make_meeting,
    meeting_data,
    member,
)

#: a day far from New Year: the tests below number meetings within one year (the numbering
#: across New Year is tested in test_calendar_edges.py).
MID_NOVEMBER = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def _calendars(smtp):
    """(recipient, Calendar, content-type) of every .ics attachment received."""
    found = []
    for m in smtp.messages:
        for part in m["message"].walk():
            if part.get_content_type() == "text/calendar":
                found.append((m["to"][0], Calendar.from_ical(part.get_payload(decode=True)), part["Content-Type"]))
    return found


def test_numbering_per_group_and_year_and_agenda_order(region, pinned_clock):
    pinned_clock.set(MID_NOVEMBER)
    first = make_meeting(region)
    second = make_meeting(region, first.day + timedelta(days=7))
    assert (first.number, second.number) == (1, 2) and first.year == first.day.year
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == first.id)
                               .order_by(AgendaItem.position)).all()
    assert [i.title for i in items] == [a["title"] for a in AGENDA]
    with pytest.raises(DomainError) as err:
        services.create_meeting(group_of(region), meeting_data(first.day), [], actor=actor(region), number=1)
    assert err.value.field == "number"


def test_agenda_reordered_by_position_and_blank_rows_skipped(region):
    rows = [{"title": "B", "position": 2}, {"title": "", "position": 1}, {"title": "A", "position": 1}]
    meeting = services.create_meeting(group_of(region), meeting_data(), rows, actor=actor(region))[0]
    assert [a["title"] for a in services.agenda_of(meeting.id)] == ["A", "B"]


@pytest.mark.parametrize("change, field", [
    ({"end_time": time(9, 0)}, "end_time"),
    ({"mode": "in_person", "place": ""}, "place"),
    ({"mode": "online", "online_url": ""}, "online_url"),
    ({"title": "  "}, "title"),
])
def test_invalid_meeting_refused_and_nothing_saved(region, change, field):
    with pytest.raises(DomainError) as err:
        services.create_meeting(group_of(region), meeting_data(**change), AGENDA, actor=actor(region))
    assert err.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(Meeting.id)) is None


def test_series_creates_numbered_meetings_with_shared_key(region, pinned_clock):
    pinned_clock.set(MID_NOVEMBER)
    made = services.create_meeting(group_of(region), meeting_data(clock.today() + timedelta(days=1)), AGENDA,
                                   actor=actor(region), repeat=3, interval_weeks=2)
    assert [m.number for m in made] == [1, 2, 3]
    assert made[2].day - made[0].day == timedelta(weeks=4)
    assert len({m.series_key for m in made}) == 1 and made[0].series_key
    with pytest.raises(DomainError):
        services.create_meeting(group_of(region), meeting_data(), AGENDA, actor=actor(region), repeat=2)


def test_open_actions_are_carried_into_next_agenda(region):
    past = held_meeting(region)
    records.add_action(group_of(region), past, {"description": "Przygotować folder", "owner_id": region.own_member_id},
                       actor=actor(region))
    nxt = make_meeting(region)
    items = services.agenda_of(nxt.id)
    follow = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == nxt.id,
                                                         AgendaItem.follow_up.is_(True))).all()
    assert len(follow) == 1 and follow[0].position == 1
    assert [a["title"] for a in items] == [a["title"] for a in AGENDA]  # copies skip the follow-up


def test_invitations_update_and_cancel_over_smtp(region, smtp):
    meeting = make_meeting(region)
    group = group_of(region)
    sent = services.send_invitations(meeting, group, actor=actor(region))
    assert sent == 4  # Piotr has no e-mail
    assert smtp.messages == []  # queued in the transaction, sent by the scheduler
    assert deliver() == {"sent": 4} and deliver() == {}
    cals = _calendars(smtp)
    assert sorted(to for to, _c, _t in cals) == ["czlonek@example.org", "lucja@example.org", "olga@example.org",
                                                 "zofia@example.org"]
    to, cal, ctype = cals[0]
    assert "method=REQUEST" in ctype.replace('"', "")
    event = cal.walk("VEVENT")[0]
    assert cal["METHOD"] == "REQUEST" and event["UID"] == meeting.ical_uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART").tzinfo is not None and str(event["DTSTART"].params["TZID"]) == "Europe/Warsaw"
    assert event.decoded("DTSTART").hour == 10
    assert "Poznań" in str(event["LOCATION"]) and "Plan promocji" in str(event["DESCRIPTION"])
    assert cal.walk("VTIMEZONE")
    bodies = smtp.bodies()
    assert any("/odpowiedz/" in b for b in bodies)
    # the answer links are opaque random secrets that work (committed with the message's state)
    links = {re.search(r"/odpowiedz/(\S+)", b).group(1) for b in bodies if "/odpowiedz/" in b}
    assert len(links) == 4
    for token in links:
        assert "." not in token and mail.read_rsvp_token(token)[:2] == (region.tenant_id, meeting.id)

    smtp.messages.clear()
    data = meeting_data(meeting.day, start_time=time(11, 0), end_time=time(13, 0))
    services.update_meeting(meeting, group, data, AGENDA, actor=actor(region))
    deliver()
    cals = _calendars(smtp)
    assert len(cals) == 4
    event = cals[0][1].walk("VEVENT")[0]
    assert event["UID"] == meeting.ical_uid and int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 11

    smtp.messages.clear()
    services.cancel_meeting(meeting, group, actor=actor(region))
    deliver()
    cals = _calendars(smtp)
    assert len(cals) == 4 and cals[0][1]["METHOD"] == "CANCEL"
    event = cals[0][1].walk("VEVENT")[0]
    assert event["UID"] == meeting.ical_uid and int(event["SEQUENCE"]) == 2 and event["STATUS"] == "CANCELLED"
    with pytest.raises(DomainError):
        services.update_meeting(meeting, group, data, AGENDA, actor=actor(region))


def test_edit_without_invitations_sends_nothing(region, smtp):
    meeting = make_meeting(region)
    services.update_meeting(meeting, group_of(region), meeting_data(meeting.day, title="Nowy tytuł"), AGENDA,
                            actor=actor(region))
    deliver()
    assert meeting.ical_sequence == 0 and smtp.messages == []


def test_no_invitations_for_a_past_meeting(region, smtp):
    meeting = make_meeting(region, clock.today() - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        services.send_invitations(meeting, group_of(region), actor=actor(region))
    assert "przeszłości" in err.value.message or "past" in err.value.message
    assert smtp.messages == [] and db.session.get(Meeting, meeting.id).invitations_sent_at is None


def test_rsvp_token_and_answers(region):
    meeting = make_meeting(region)
    m = member(region.own_member_id)
    token = mail.rsvp_token(meeting, m)
    assert mail.read_rsvp_token(token) == (region.tenant_id, meeting.id, m.id)
    assert mail.read_rsvp_token(token[:-2] + "xx") is None
    # opaque: no ids in the link (was "<base64 of ids>.<signature>"), only a hash stored
    import hashlib

    from workgroups.models import RsvpLink

    assert "." not in token and len(token) >= 32
    assert db.session.scalar(select(RsvpLink.token_hash)) == hashlib.sha256(token.encode()).hexdigest()
    assert mail.rsvp_token(meeting, m) != token  # each e-mail gets its own link
    services.record_rsvp(meeting, m, "yes", None)
    services.record_rsvp(meeting, m, "no", "Jan Zastępca")
    rows = db.session.scalars(select(Rsvp)).all()
    assert len(rows) == 1 and rows[0].answer == "no" and rows[0].substitute_name == "Jan Zastępca"
    with pytest.raises(DomainError):
        services.record_rsvp(meeting, m, "yes", "Ktoś")
    with pytest.raises(DomainError):
        services.record_rsvp(meeting, m, "perhaps", None)


def test_attendance_once_per_member_and_quorum(region):
    meeting = held_meeting(region, {region.member_ids[3]: "substitute"})
    assert meeting.status == "held"
    q = attendance_quorum(meeting, group_of(region))
    # voting: chair, secretary, 2 members (observer does not count) -> 4, needed 2
    assert (q.voting, q.present, q.needed, q.reached) == (4, 4, 2, True)
    # recording again updates the same rows
    rows = {mid: ("absent", None) for mid in region.member_ids}
    rows[region.member_ids[0]] = ("present", None)
    services.record_attendance(meeting, rows, actor=actor(region))
    assert db.session.scalar(select(db.func.count(Attendance.id))) == 5
    q = attendance_quorum(meeting, group_of(region))
    assert (q.present, q.reached) == (1, False)


def test_attendance_validation(region):
    meeting = make_meeting(region)  # future
    with pytest.raises(DomainError):
        services.record_attendance(meeting, {}, actor=actor(region))
    past = make_meeting(region, clock.today() - timedelta(days=1))
    with pytest.raises(DomainError) as err:
        services.record_attendance(past, {region.member_ids[0]: ("substitute", "")}, actor=actor(region))
    assert err.value.field == f"sub-{region.member_ids[0]}"
    assert db.session.scalar(select(Attendance.id)) is None


def test_feed_token_regenerates(region):
    from workgroups.models import CalendarFeed
    from workgroups.queries import meetings as meeting_queries

    user = actor(region)
    first = services.new_feed_token(user)
    second = services.new_feed_token(user)
    assert second != first
    [stored] = db.session.scalars(select(CalendarFeed.token_hash)).all()
    assert stored == meeting_queries.feed_token_hash(second)
