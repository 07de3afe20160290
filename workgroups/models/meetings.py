"""Meetings, agenda items, answers to invitations, attendance and calendar feeds."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordination import clock
from coordination.clock import WARSAW, utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from workgroups.models.codes import DEFAULT_MEETING_REMINDERS


class Meeting(TenantScoped, db.Model):
    """A meeting (posiedzenie) of a group; times are Europe/Warsaw wall-clock times."""

    __tablename__ = "meeting"
    __tenant_parents__ = {"group_id": "work_group"}
    #: chair and minute-taker are group members, never deleted (an ended membership keeps its
    #: row for history), so NO ACTION: the database refuses to delete one still named here.
    __tenant_references__ = {"chair_id": "group_member", "minute_taker_id": "group_member"}
    __extra_table_args__ = (
        UniqueConstraint("tenant_id", "group_id", "year", "number", name="uq_meeting_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group that meets.
    group_id: Mapped[int] = mapped_column(index=True)
    #: year the number belongs to (the meeting's year).
    year: Mapped[int]
    #: number within the group and year ("posiedzenie nr 3/2025").
    number: Mapped[int]
    #: title shown in lists and invitations.
    title: Mapped[str] = mapped_column(String(250))
    #: day of the meeting.
    day: Mapped[date] = mapped_column(index=True)
    #: start time (Europe/Warsaw).
    start_time: Mapped[time]
    #: end time (Europe/Warsaw).
    end_time: Mapped[time]
    #: one of MEETING_MODES.
    mode: Mapped[str] = mapped_column(String(20), default="in_person")
    #: address/room for in-person and hybrid meetings.
    place: Mapped[str | None] = mapped_column(String(300))
    #: link for online and hybrid meetings.
    online_url: Mapped[str | None] = mapped_column(String(500))
    #: one of MEETING_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    #: stable iCalendar UID (never changes, so calendars update the same event).
    ical_uid: Mapped[str] = mapped_column(String(120), unique=True)
    #: iCalendar SEQUENCE, bumped on every change sent to invitees.
    ical_sequence: Mapped[int] = mapped_column(default=0)
    #: key shared by the meetings of one recurring series.
    series_key: Mapped[str | None] = mapped_column(String(40), index=True)
    #: the member chairing the meeting.
    chair_id: Mapped[int | None]
    #: the member taking the minutes.
    minute_taker_id: Mapped[int | None]
    #: when invitations were first sent (None: not yet).
    invitations_sent_at: Mapped[datetime | None]
    #: e-mail reminders to invitees, days before the start, comma-separated ("" = none).
    reminder_days: Mapped[str] = mapped_column(String(20), default=DEFAULT_MEETING_REMINDERS,
                                               server_default=DEFAULT_MEETING_REMINDERS)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def starts_at(self) -> datetime:
        """Aware start datetime in Europe/Warsaw."""
        return datetime.combine(self.day, self.start_time, tzinfo=WARSAW)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end_time, tzinfo=WARSAW)

    @property
    def started(self) -> bool:
        """The meeting's start has passed (by the one clock): attendance can be recorded."""
        return self.starts_at <= clock.local_now()

    @property
    def ended(self) -> bool:
        """The meeting's end has passed (by the one clock)."""
        return self.ends_at <= clock.local_now()

    @property
    def phase(self) -> str:
        """One of MEETING_PHASES: the stored status read against the clock. A meeting is
        "held" once its start has passed and its attendance is recorded."""
        if self.status == "cancelled":
            return "cancelled"
        now = clock.local_now()
        if self.starts_at > now:
            return "planned"
        if self.status == "held":
            return "held"
        return "in_progress" if self.ends_at > now else "unrecorded"

    @property
    def reminder_offsets(self) -> list[int]:
        """The configured reminders as whole days before the start, largest first."""
        return sorted({int(d) for d in (self.reminder_days or "").split(",") if d.strip().isdigit()},
                      reverse=True)

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

class AgendaItem(TenantScoped, db.Model):
    """One item of a meeting's agenda (porządek obrad), in order."""

    __tablename__ = "agenda_item"
    __tenant_parents__ = {"meeting_id": "meeting"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: 1-based order.
    position: Mapped[int]
    #: what is discussed.
    title: Mapped[str] = mapped_column(String(300))
    #: who presents it.
    presenter: Mapped[str | None] = mapped_column(String(200))
    #: planned duration in minutes.
    duration_minutes: Mapped[int | None]
    #: carried over from the previous meeting's open action items.
    follow_up: Mapped[bool] = mapped_column(default=False)

class Rsvp(TenantScoped, db.Model):
    """A member's answer to an invitation (by token link, no login needed)."""

    __tablename__ = "meeting_rsvp"
    __tenant_parents__ = {"meeting_id": "meeting", "member_id": "group_member"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "meeting_id", "member_id",
                                             name="uq_meeting_rsvp_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: the invited member.
    member_id: Mapped[int]
    #: one of RSVP_ANSWERS.
    answer: Mapped[str] = mapped_column(String(10))
    #: who comes instead (name), when the member sends a substitute.
    substitute_name: Mapped[str | None] = mapped_column(String(200))
    #: last answer time (UTC).
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

class PersonalLink:
    """A personal link for one group member: a random secret of which only the sha256 is stored,
    so the link names nothing (no ids) and the database alone gives no working links."""

    #: the member the link was sent to.
    member_id: Mapped[int]
    #: sha256 (hex) of the secret in the link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when the link was made, i.e. sent (UTC).
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RsvpLink(PersonalLink, TenantScoped, db.Model):
    """An answer link sent to a member: a random secret of which only the hash is stored, so
    the link names nothing (no ids) and the database alone does not give working links. Each
    invitation or update e-mail carries its own link; all work until the meeting's grace period
    ends or it is cancelled."""

    __tablename__ = "meeting_rsvp_link"
    __tenant_parents__ = {"meeting_id": "meeting", "member_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting.
    meeting_id: Mapped[int] = mapped_column(index=True)

class Attendance(TenantScoped, db.Model):
    """Attendance register row: one per member and meeting."""

    __tablename__ = "attendance"
    __tenant_parents__ = {"meeting_id": "meeting", "member_id": "group_member"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "meeting_id", "member_id",
                                             name="uq_attendance_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: the member.
    member_id: Mapped[int] = mapped_column(index=True)
    #: one of ATTENDANCE_STATUSES ("substitute": someone attended for the member).
    status: Mapped[str] = mapped_column(String(20))
    #: name of the person who attended for the member.
    substitute_name: Mapped[str | None] = mapped_column(String(200))

class CalendarFeed(TenantScoped, db.Model):
    """A user's secret calendar-feed token in one region."""

    __tablename__ = "calendar_feed"
    __extra_table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_calendar_feed_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the account whose meetings the feed lists.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: sha256 (hex) of the random secret in the feed URL; the secret itself is shown once and
    #: never stored. Resetting it revokes the old URL.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
