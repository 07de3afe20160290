"""Working groups, the Regional Committee (a group of kind ``committee``), their members,
meetings, agenda, RSVPs, attendance, minutes (with frozen versions and comments), resolutions
and action items. Every table is tenant-owned; children point at parents by composite keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coordination.db import TenantScoped, TenantSession
from coordination.extensions import db

WARSAW = ZoneInfo("Europe/Warsaw")

#: group kinds: the four thematic groups, the committee (RKRES) and custom groups.
GROUP_KINDS = ("promotion", "reintegration", "education", "business", "committee", "custom")
GROUP_STATUSES = ("active", "closed")
#: institution categories of members (DOMAIN.md "Working groups and meetings").
MEMBER_CATEGORIES = ("rops", "owes", "pes", "jst", "labour_office", "lgd", "university",
                     "business", "other")
#: roles in a group; observers and substitutes do not count towards the quorum.
MEMBER_ROLES = ("chair", "deputy", "secretary", "member", "observer", "substitute")
#: roles that manage the group's meetings and minutes (besides the region's coordinators).
OFFICER_ROLES = ("chair", "deputy", "secretary")
VOTING_ROLES = ("chair", "deputy", "secretary", "member")
MEETING_MODES = ("in_person", "online", "hybrid")
MEETING_STATUSES = ("planned", "held", "cancelled")
RSVP_ANSWERS = ("yes", "no", "maybe")
ATTENDANCE_STATUSES = ("present", "absent", "excused", "substitute")
MINUTES_STATUSES = ("draft", "consultation", "adopted")
ADOPTION_MODES = ("meeting", "circulation")
COMMENT_STATUSES = ("open", "accepted", "rejected")
RESOLUTION_OUTCOMES = ("adopted", "rejected")
ACTION_STATUSES = ("open", "in_progress", "done", "dropped")
OPEN_ACTION_STATUSES = ("open", "in_progress")


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Group(TenantScoped, db.Model):
    """A working group or the Regional Committee of one region."""

    __tablename__ = "work_group"
    __extra_table_args__ = (
        # a region has one Regional Committee
        Index("uq_work_group_one_committee", "tenant_id", unique=True,
              sqlite_where=text("kind = 'committee'"), postgresql_where=text("kind = 'committee'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: display name, e.g. "Grupa robocza ds. promocji ES".
    name: Mapped[str] = mapped_column(String(200))
    #: one of GROUP_KINDS.
    kind: Mapped[str] = mapped_column(String(20), index=True)
    #: what the group does.
    description: Mapped[str | None] = mapped_column(Text)
    #: one of GROUP_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="active")
    #: start of the current term (the committee has 3-year terms).
    term_start: Mapped[date | None]
    #: end of the current term.
    term_end: Mapped[date | None]
    #: quorum rule: share of voting members (percent) that must be present, e.g. 50.
    quorum_percent: Mapped[int] = mapped_column(default=50, server_default="50")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class GroupMember(TenantScoped, db.Model):
    """One person's membership in a group for a period (history is kept: ended rows stay)."""

    __tablename__ = "group_member"
    __tenant_parents__ = {"group_id": "work_group", "substitute_for_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group.
    group_id: Mapped[int] = mapped_column(index=True)
    #: the person's account, if they have one (None: a contact without an account).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    #: name as printed in minutes and attendance lists.
    full_name: Mapped[str] = mapped_column(String(200))
    #: e-mail for invitations (copied from the account when there is one).
    email: Mapped[str | None] = mapped_column(String(254))
    #: institution the person represents.
    institution: Mapped[str | None] = mapped_column(String(250))
    #: one of MEMBER_CATEGORIES.
    category: Mapped[str] = mapped_column(String(20), default="other")
    #: one of MEMBER_ROLES.
    role: Mapped[str] = mapped_column(String(20), default="member")
    #: for role "substitute": the member this person stands in for.
    substitute_for_id: Mapped[int | None]
    #: first day of the membership.
    date_from: Mapped[date]
    #: last day of the membership (None: still a member).
    date_to: Mapped[date | None]

    @property
    def voting(self) -> bool:
        return self.role in VOTING_ROLES

    def active_on(self, day: date) -> bool:
        return self.date_from <= day and (self.date_to is None or self.date_to >= day)


class Meeting(TenantScoped, db.Model):
    """A meeting (posiedzenie) of a group; times are Europe/Warsaw wall-clock times."""

    __tablename__ = "meeting"
    __tenant_parents__ = {"group_id": "work_group"}
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
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    @property
    def starts_at(self) -> datetime:
        """Aware start datetime in Europe/Warsaw."""
        return datetime.combine(self.day, self.start_time, tzinfo=WARSAW)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.day, self.end_time, tzinfo=WARSAW)

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
    answered_at: Mapped[datetime] = mapped_column(default=_utcnow)


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


class Minutes(TenantScoped, db.Model):
    """The minutes (protokół) of a meeting: an editable draft until adopted.

    ``lock_version`` is SQLAlchemy's version counter: every UPDATE checks it, so two people
    saving the same draft never silently overwrite each other.
    """

    __tablename__ = "minutes"
    __tenant_parents__ = {"meeting_id": "meeting", "group_id": "work_group"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "meeting_id", name="uq_minutes_meeting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting minuted.
    meeting_id: Mapped[int]
    #: the group (copied from the meeting for permission checks and lists).
    group_id: Mapped[int] = mapped_column(index=True)
    #: one of MINUTES_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: the working text (Markdown); after adoption equal to the latest frozen version.
    body: Mapped[str] = mapped_column(Text, default="")
    #: optimistic-locking counter.
    lock_version: Mapped[int] = mapped_column(default=1)
    #: deadline for attendees' comments while in consultation.
    comment_deadline: Mapped[date | None]
    #: when the draft was sent for comments (UTC).
    sent_at: Mapped[datetime | None]
    #: day of adoption.
    adopted_on: Mapped[date | None]
    #: one of ADOPTION_MODES.
    adoption_mode: Mapped[str | None] = mapped_column(String(20))
    #: the meeting at which the minutes were adopted (mode "meeting").
    adopted_at_meeting_id: Mapped[int | None]
    #: last edit (UTC) and who made it.
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": lock_version}


class MinutesVersion(TenantScoped, db.Model):
    """A frozen, immutable text of adopted minutes; corrections add a new version."""

    __tablename__ = "minutes_version"
    __tenant_parents__ = {"minutes_id": "minutes"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "minutes_id", "number",
                                             name="uq_minutes_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes.
    minutes_id: Mapped[int] = mapped_column(index=True)
    #: 1 = adopted text, 2.. = corrections.
    number: Mapped[int]
    #: the frozen Markdown text.
    body: Mapped[str] = mapped_column(Text)
    #: why this version exists ("adopted at meeting 2/2025", correction reason).
    reason: Mapped[str] = mapped_column(String(500))
    #: when frozen (UTC) and by whom.
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class MinutesComment(TenantScoped, db.Model):
    """A comment on a section of draft minutes, resolved by the secretary."""

    __tablename__ = "minutes_comment"
    __tenant_parents__ = {"minutes_id": "minutes"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the minutes.
    minutes_id: Mapped[int] = mapped_column(index=True)
    #: heading of the section commented on, e.g. "Ad. 2".
    section: Mapped[str] = mapped_column(String(300))
    #: the comment.
    body: Mapped[str] = mapped_column(Text)
    #: author account and the name shown.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    #: one of COMMENT_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: reason given when accepting/rejecting.
    resolution_reason: Mapped[str | None] = mapped_column(Text)
    #: who resolved it.
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)


class Resolution(TenantScoped, db.Model):
    """A resolution (uchwała) voted at a meeting; numbered per group and year."""

    __tablename__ = "resolution"
    __tenant_parents__ = {"meeting_id": "meeting", "group_id": "work_group"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "group_id", "year", "number",
                                             name="uq_resolution_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: meeting where it was voted.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: the group (for numbering and the register).
    group_id: Mapped[int] = mapped_column(index=True)
    #: numbering year.
    year: Mapped[int]
    #: number within group and year ("Uchwała nr 5/2025").
    number: Mapped[int]
    #: "w sprawie …" — the subject.
    subject: Mapped[str] = mapped_column(String(400))
    #: text of the resolution (Markdown).
    body: Mapped[str | None] = mapped_column(Text)
    #: votes.
    votes_for: Mapped[int] = mapped_column(default=0)
    votes_against: Mapped[int] = mapped_column(default=0)
    votes_abstain: Mapped[int] = mapped_column(default=0)
    #: one of RESOLUTION_OUTCOMES.
    outcome: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"


class ActionItem(TenantScoped, db.Model):
    """An action item (who, what, by when) agreed at a meeting."""

    __tablename__ = "action_item"
    __tenant_parents__ = {"group_id": "work_group", "meeting_id": "meeting",
                          "owner_id": "group_member"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group.
    group_id: Mapped[int] = mapped_column(index=True)
    #: meeting where it was agreed (None: added between meetings).
    meeting_id: Mapped[int | None] = mapped_column(index=True)
    #: the responsible member.
    owner_id: Mapped[int | None] = mapped_column(index=True)
    #: what is to be done.
    description: Mapped[str] = mapped_column(String(500))
    #: by when.
    due_date: Mapped[date | None] = mapped_column(index=True)
    #: one of ACTION_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    #: owner's note on progress.
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=_utcnow)

    def overdue(self, today: date) -> bool:
        return self.status in OPEN_ACTION_STATUSES and self.due_date is not None and self.due_date < today


class CalendarFeed(TenantScoped, db.Model):
    """A user's secret calendar-feed token in one region."""

    __tablename__ = "calendar_feed"
    __extra_table_args__ = (UniqueConstraint("tenant_id", "user_id", name="uq_calendar_feed_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the account whose meetings the feed lists.
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: random secret in the feed URL (regenerating it revokes the old URL).
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=_utcnow)


class FrozenVersionChanged(RuntimeError):
    """Someone tried to change or delete a frozen minutes version."""


def _guard_frozen(session, _ctx, _instances) -> None:
    for obj in list(session.dirty):
        if isinstance(obj, MinutesVersion) and session.is_modified(obj):
            raise FrozenVersionChanged("adopted minutes versions are immutable")
    for obj in session.deleted:
        if isinstance(obj, MinutesVersion):
            raise FrozenVersionChanged("adopted minutes versions are immutable")


event.listen(TenantSession, "before_flush", _guard_frozen)
