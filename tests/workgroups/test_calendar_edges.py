"""Working groups at the calendar edges that bit us: numbering across New Year and on New
Year's Eve late in the evening (the Warsaw date counts, not the UTC one), reminders across the
March and October DST changes (same Warsaw wall-clock time), and "overdue" on the due date.

Every test sets the clock itself (``pinned_clock``), so the suite passes on any date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.clock import WARSAW
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.models import Notification
from tests.workgroups.conftest import actor, deliver, group_of, make_meeting, meeting_data
from workgroups.models import ActionItem
from workgroups.queries.groups import home_panel
from workgroups.services import meetings as services
from workgroups.services import records

INVITEES = ["czlonek@example.org", "lucja@example.org", "olga@example.org", "zofia@example.org"]
#: 31 December 2026, 23:30 in Warsaw (CET, UTC+1): still 2026 in Warsaw and in UTC.
NYE_2330_WARSAW = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
#: 1 January 2027, 00:30 in Warsaw: 2027 in Warsaw, still 31 December 2026 in UTC.
NEW_YEAR_0030_WARSAW = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)


def test_series_across_new_year_restarts_numbering(region, pinned_clock):
    pinned_clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    made = services.create_meeting(group_of(region), meeting_data(date(2026, 12, 10)), [],
                                   actor=actor(region), repeat=3, interval_weeks=2)
    assert [m.day for m in made] == [date(2026, 12, 10), date(2026, 12, 24), date(2027, 1, 7)]
    assert [m.label for m in made] == ["1/2026", "2/2026", "1/2027"]
    assert len({m.series_key for m in made}) == 1
    # the numbering of each year goes on from the series
    assert make_meeting(region, date(2026, 12, 30)).label == "3/2026"
    assert make_meeting(region, date(2027, 1, 21)).label == "2/2027"


def test_meeting_of_new_years_eve_at_2330_warsaw_belongs_to_the_old_year(region, pinned_clock):
    pinned_clock.set(NYE_2330_WARSAW)
    assert clock.today() == date(2026, 12, 31)
    meeting = make_meeting(region, clock.today(), start_time=time(18, 0), end_time=time(23, 0))
    assert meeting.label == "1/2026"
    # it took place today: the attendance can be recorded now
    services.record_attendance(meeting, {m: ("present", None) for m in region.member_ids[:3]},
                               actor=actor(region))
    assert meeting.status == "held"


def test_at_0030_warsaw_on_new_years_day_the_warsaw_date_counts_not_utc(region, pinned_clock):
    pinned_clock.set(NEW_YEAR_0030_WARSAW)
    assert clock.now().date() == date(2026, 12, 31)  # UTC still says 2026
    assert clock.today() == date(2027, 1, 1)
    make_meeting(region, date(2026, 12, 30))
    meeting = make_meeting(region, clock.today(), start_time=time(0, 0), end_time=time(1, 0))
    assert meeting.label == "1/2027"
    services.record_attendance(meeting, {m: ("present", None) for m in region.member_ids[:3]},
                               actor=actor(region))
    assert meeting.status == "held"
    # a meeting on 2 January (Warsaw) is still in the future: no attendance yet
    tomorrow = make_meeting(region, date(2027, 1, 2))
    with pytest.raises(DomainError):
        services.record_attendance(tomorrow, {region.member_ids[0]: ("present", None)}, actor=actor(region))


def _reminders(meeting_id: int) -> dict[str, datetime]:
    """slot prefix ("7d", "1d") -> due instant (naive UTC) of the pending reminders."""
    rows = db.session.scalars(select(Notification).where(
        Notification.kind == "meeting_reminder", Notification.object_id == meeting_id,
        Notification.status == "pending"))
    return {r.slot.split("@")[0]: r.due_at for r in rows}


def _warsaw(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC).astimezone(WARSAW)


def _reminded_at(pinned_clock, smtp, when: datetime) -> list[str]:
    smtp.messages.clear()
    pinned_clock.set(when.replace(tzinfo=UTC))
    deliver()
    return sorted(m["to"][0] for m in smtp.messages
                  if m["message"]["X-Sieci-Notification"] == "meeting_reminder")


@pytest.mark.parametrize("now, day, week_before, day_before", [
    # summer time starts on Sunday 29 March 2026 (02:00 CET -> 03:00 CEST): the meeting on
    # Monday 30 March 10:00 CEST is 08:00 UTC; a week before, 10:00 CET is 09:00 UTC
    (datetime(2026, 3, 2, 9, 0), date(2026, 3, 30), datetime(2026, 3, 23, 9, 0), datetime(2026, 3, 29, 8, 0)),
    # summer time ends on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET): the meeting on
    # Monday 26 October 10:00 CET is 09:00 UTC; a week before, 10:00 CEST is 08:00 UTC
    (datetime(2026, 10, 1, 9, 0), date(2026, 10, 26), datetime(2026, 10, 19, 8, 0), datetime(2026, 10, 25, 9, 0)),
], ids=["march", "october"])
def test_meeting_reminders_across_dst_keep_the_warsaw_wall_clock_time(region, smtp, pinned_clock, now, day,
                                                                      week_before, day_before):
    pinned_clock.set(now.replace(tzinfo=UTC))
    group = group_of(region)
    meeting = services.create_meeting(group, meeting_data(day, reminder_days="7,1"), [], actor=actor(region))[0]
    services.send_invitations(meeting, group, actor=actor(region))
    deliver()
    assert _reminders(meeting.id) == {"7d": week_before, "1d": day_before}
    for due in (week_before, day_before):
        assert _warsaw(due).time() == time(10, 0)  # the meeting's start time, in Warsaw
    assert _reminded_at(pinned_clock, smtp, week_before - timedelta(minutes=1)) == []
    assert _reminded_at(pinned_clock, smtp, week_before) == INVITEES
    assert _reminded_at(pinned_clock, smtp, day_before - timedelta(minutes=1)) == []
    assert _reminded_at(pinned_clock, smtp, day_before) == INVITEES
    assert _reminded_at(pinned_clock, smtp, day_before + timedelta(hours=2)) == []  # exactly once


def _action(region, due: date) -> ActionItem:
    return records.add_action(group_of(region), None, {"description": f"Zadanie na {due:%d.%m}", "due_date": due,
                                                       "owner_id": region.own_member_id}, actor=actor(region))


@pytest.mark.parametrize("now", [datetime(2026, 11, 18, 9, 0, tzinfo=UTC), NEW_YEAR_0030_WARSAW,
                                 datetime(2028, 2, 29, 22, 30, tzinfo=UTC)],
                         ids=["ordinary-day", "new-year-0030-warsaw", "leap-day-2330-warsaw"])
def test_an_action_item_due_today_is_not_overdue_due_yesterday_is(region, pinned_clock, now):
    pinned_clock.set(now)
    today = clock.today()
    due_today, due_yesterday, due_tomorrow = (_action(region, today), _action(region, today - timedelta(days=1)),
                                              _action(region, today + timedelta(days=1)))
    assert not due_today.overdue(today) and due_yesterday.overdue(today) and not due_tomorrow.overdue(today)
    panel = home_panel(region.tenant_id)
    assert [a.id for a, _group, _owner in panel["overdue"]] == [due_yesterday.id]
    # the "overdue" e-mail about today's item comes tomorrow morning, 8:00 Warsaw
    overdue_mail = db.session.scalar(select(Notification).where(
        Notification.kind == "action_overdue", Notification.object_id == due_today.id))
    assert _warsaw(overdue_mail.due_at) == datetime.combine(today + timedelta(days=1), time(8, 0), tzinfo=WARSAW)
