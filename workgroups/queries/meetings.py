"""Reads for meeting lists, the meeting page, quorum, registers and calendar feeds."""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import case, func, or_, select, union_all

from coordination import clock
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.pagination import paged, paged_with_total
from coordination.tenancy import all_tenants
from workgroups.models import (
    OPEN_ACTION_STATUSES,
    VOTING_ROLES,
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Group,
    GroupMember,
    Meeting,
    Minutes,
    MinutesComment,
    Resolution,
    ResolutionCorrection,
    Rsvp,
)
from workgroups.queries.groups import (
    HOME_LIMIT,
    active_members_clause,
    open_actions_stmt,
    owner_name,
    roles_column,
)


@dataclass
class Quorum:
    voting: int
    present: int
    needed: int
    #: whether any attendance is recorded: without a register the quorum cannot be stated
    recorded: bool = True

    @property
    def reached(self) -> bool:
        return self.voting > 0 and self.present >= self.needed


def quorum(group: Group, statuses: list[str], members: list[GroupMember]) -> Quorum:
    """Quorum from the group rule: ``quorum_percent`` of the voting members (rounded up)."""
    voting = [m for m in members if m.role in VOTING_ROLES]
    by_member = dict(zip([m.id for m in members], statuses, strict=True))
    present = sum(1 for m in voting if by_member.get(m.id) in ("present", "substitute"))
    needed = max(1, math.ceil(len(voting) * group.quorum_percent / 100))
    return Quorum(len(voting), present, needed, any(status is not None for status in statuses))


def attendance_quorum(meeting: Meeting, group: Group) -> Quorum:
    """Quorum of a meeting from its attendance register and the members on the day."""
    rows = db.session.execute(
        select(GroupMember, Attendance.status)
        .outerjoin(Attendance, (Attendance.member_id == GroupMember.id) & (Attendance.meeting_id == meeting.id))
        .where(GroupMember.group_id == group.id, active_members_clause(meeting.day))).all()
    return quorum(group, [s for _m, s in rows], [m for m, _s in rows])


def _started(now) -> object:
    """SQL: the meeting's start (Warsaw wall-clock day and time) is at or before ``now``."""
    return (Meeting.day < now.date()) | ((Meeting.day == now.date()) & (Meeting.start_time <= now.time()))


def _ended(now) -> object:
    return (Meeting.day < now.date()) | ((Meeting.day == now.date()) & (Meeting.end_time <= now.time()))


def phase_clause(phase: str, now) -> object:
    """SQL for :attr:`Meeting.phase` == ``phase`` at ``now`` (aware, Europe/Warsaw)."""
    planned = Meeting.status == "planned"
    return {
        "planned": planned & ~_started(now),
        "in_progress": planned & _started(now) & ~_ended(now),
        "unrecorded": planned & _ended(now),
        "held": (Meeting.status == "held") & _started(now),
        "cancelled": Meeting.status == "cancelled",
    }[phase]


def meetings_page(page: int, per_page: int, *, group_id: int | None, year: int | None,
                  status: str | None):
    """Meetings of the region filtered by group, year and phase (:attr:`Meeting.phase`): the
    ones not yet ended first, soonest first, then the past ones, most recent first."""
    now = clock.local_now()
    stmt = select(Meeting, Group.name).join(Group, Group.id == Meeting.group_id)
    if group_id:
        stmt = stmt.where(Meeting.group_id == group_id)
    if year:
        stmt = stmt.where(Meeting.year == year)
    if status:
        stmt = stmt.where(phase_clause(status, now))
    past = case((_ended(now), 1), else_=0)
    coming_day = case((~_ended(now), Meeting.day))
    coming_time = case((~_ended(now), Meeting.start_time))
    return paged(stmt.order_by(past, coming_day, coming_time, Meeting.day.desc(), Meeting.start_time.desc(),
                               Meeting.id), page, per_page, scalars=False)


def meeting_years() -> list[int]:
    return list(db.session.scalars(select(Meeting.year).distinct().order_by(Meeting.year.desc())))


def group_choices() -> list[tuple[int, str]]:
    return sorted_pl((tuple(r) for r in db.session.execute(select(Group.id, Group.name))), key=lambda r: r[1])


@dataclass
class MeetingPage:
    agenda: list[AgendaItem]
    #: ``{agenda item id: [(document, current version), …]}``.
    documents: dict[int, list[tuple]]
    register: list[tuple[GroupMember, str | None, str | None, str | None, str | None]]
    quorum: Quorum
    minutes: Minutes | None
    resolutions: list[Resolution]
    actions: list[tuple[ActionItem, str | None]]
    chairing: Chairing


def register_rows(meeting: Meeting):
    """Members on the meeting day with their RSVP and attendance (one query)."""
    return sorted_pl(db.session.execute(
        select(GroupMember, Rsvp.answer, Rsvp.substitute_name, Attendance.status, Attendance.substitute_name)
        .outerjoin(Rsvp, (Rsvp.member_id == GroupMember.id) & (Rsvp.meeting_id == meeting.id))
        .outerjoin(Attendance, (Attendance.member_id == GroupMember.id) & (Attendance.meeting_id == meeting.id))
        .where(GroupMember.group_id == meeting.group_id, active_members_clause(meeting.day))
        .order_by(GroupMember.full_name)).all(), key=lambda r: r[0].full_name)


def agenda_items(meeting_id: int) -> list[AgendaItem]:
    """The agenda of a meeting in order."""
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                   .order_by(AgendaItem.position)))


class MeetingRow(NamedTuple):
    """A meeting with its group and what its pages read in the same query."""

    meeting: Meeting
    group: Group
    #: the user's roles in the group (see :func:`roles_column`).
    roles: object
    #: the meeting's minutes (None when it has none or they were not asked for).
    minutes: Minutes | None = None
    #: unresolved comments on the minutes (None unless asked for).
    open_comments: int | None = None


def meeting_row(meeting_id: int, user_id: int | None, *, minutes: bool = False,
                open_comments: bool = False) -> MeetingRow | None:
    """The meeting, its group and the user's roles in the group in one query, or None when the
    region has no such meeting; ``minutes`` also reads the minutes, ``open_comments`` the number
    of unresolved comments on them."""
    stmt = (select(Meeting, Group, roles_column(user_id, Group.id)).join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id == meeting_id))
    if minutes or open_comments:
        stmt = stmt.add_columns(Minutes).outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
    if open_comments:
        stmt = stmt.add_columns(
            select(func.count(MinutesComment.id))
            .where(MinutesComment.minutes_id == Minutes.id, MinutesComment.status == "open")
            .correlate(Minutes).scalar_subquery())
    row = db.session.execute(stmt).first()
    return MeetingRow(*row) if row is not None else None


def rsvp_row(meeting_id: int, member_id: int):
    """``(meeting, group, member, rsvp or None)`` for the RSVP link of a member of the meeting's
    group, in one query; None when there is no such meeting or the member is not of its group."""
    return db.session.execute(
        select(Meeting, Group, GroupMember, Rsvp)
        .join(Group, Group.id == Meeting.group_id)
        .join(GroupMember, (GroupMember.id == member_id) & (GroupMember.group_id == Meeting.group_id))
        .outerjoin(Rsvp, (Rsvp.meeting_id == Meeting.id) & (Rsvp.member_id == GroupMember.id))
        .where(Meeting.id == meeting_id)).first()


class Chairing(NamedTuple):
    """Who chaired a meeting and took its minutes, as the register shows it.

    ``chair``: the person set as chairing when they attended (or before the register is
    recorded); when they did not attend, the group's deputy chair who was present, else None —
    the minutes then leave the line for the coordinator, never naming an absent person.
    ``absent_chair``: the person set as chairing who did not attend (None otherwise).
    ``taker``: the minute-taker, None when recorded as not attending."""

    chair: GroupMember | None
    absent_chair: GroupMember | None
    taker: GroupMember | None


def chairing(meeting: Meeting, register: list[tuple[GroupMember, str | None]]) -> Chairing:
    """:class:`Chairing` of ``meeting`` from ``register``: (member on the day, attendance status)."""
    by_id = {m.id: (m, status) for m, status in register}
    recorded = any(status for _m, status in register)

    def attended(member_id):
        member, status = by_id.get(member_id, (None, None))
        return member if member is not None and (not recorded or status == "present") else None

    chair = attended(meeting.chair_id)
    absent = by_id[meeting.chair_id][0] if chair is None and meeting.chair_id in by_id else None
    if absent is not None:
        chair = next((m for m, status in register if m.role == "deputy" and status == "present"), None)
    return Chairing(chair, absent, attended(meeting.minute_taker_id))


def meeting_page(meeting: Meeting, group: Group, minutes: Minutes | None) -> MeetingPage:
    """Everything the meeting page shows besides the meeting, its group and minutes (loaded
    with :func:`meeting_row`), in four queries."""
    from workgroups.queries.documents import agenda_with_documents

    agenda, documents = agenda_with_documents(meeting.id)
    register = [tuple(r) for r in register_rows(meeting)]
    q = quorum(group, [r[3] for r in register], [r[0] for r in register])
    resolutions = db.session.scalars(select(Resolution).where(Resolution.meeting_id == meeting.id)
                                     .order_by(Resolution.number)).all()
    actions = db.session.execute(
        select(ActionItem, owner_name())
        .where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)).all()
    return MeetingPage(agenda, documents, register, q, minutes, list(resolutions), [tuple(a) for a in actions],
                       chairing(meeting, [(r[0], r[3]) for r in register]))


def later_meetings(meeting: Meeting, limit: int = 10) -> list[Meeting]:
    """The group's later meetings that have taken place (held, not in the future): where its
    minutes can be adopted."""
    return list(db.session.scalars(select(Meeting).where(
        Meeting.group_id == meeting.group_id, Meeting.day >= meeting.day, Meeting.id != meeting.id,
        Meeting.status == "held", Meeting.day <= clock.today()).order_by(Meeting.day).limit(limit)))


def resolution_row(resolution_id: int, user_id: int | None):
    """``(resolution, meeting, group, the user's roles in the group, minutes or None)`` in one
    query, or None when the region has no such resolution."""
    return db.session.execute(
        select(Resolution, Meeting, Group, roles_column(user_id, Group.id), Minutes)
        .join(Meeting, Meeting.id == Resolution.meeting_id).join(Group, Group.id == Resolution.group_id)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .where(Resolution.id == resolution_id)).first()


def corrections_of(resolution_id: int) -> list[tuple]:
    """The correction history of a resolution, newest first, with the author's name."""
    from coordination.auth.models import User

    return [tuple(r) for r in db.session.execute(
        select(ResolutionCorrection, User.full_name).outerjoin(User, User.id == ResolutionCorrection.created_by_id)
        .where(ResolutionCorrection.resolution_id == resolution_id)
        .order_by(ResolutionCorrection.created_at.desc(), ResolutionCorrection.id.desc()))]


def resolutions_page(page: int, per_page: int, *, q: str, group_id: int | None):
    """The region's resolutions register, newest first, searchable by subject and number."""
    stmt = (select(Resolution, Group.name, Meeting).join(Group, Group.id == Resolution.group_id)
            .join(Meeting, Meeting.id == Resolution.meeting_id))
    if group_id:
        stmt = stmt.where(Resolution.group_id == group_id)
    if q:
        like = f"%{q.lower()}%"
        conditions = [func.lower(Resolution.subject).like(like), func.lower(Resolution.body).like(like)]
        if "/" in q:
            num, _sep, yr = q.partition("/")
            if num.strip().isdigit() and yr.strip().isdigit():
                conditions.append((Resolution.number == int(num)) & (Resolution.year == int(yr)))
        stmt = stmt.where(or_(*conditions))
    return paged(stmt.order_by(Resolution.year.desc(), Group.name, Resolution.number.desc()), page, per_page,
                 scalars=False)


def all_resolutions():
    """Every resolution of the region for the XLSX register."""
    return db.session.execute(
        select(Resolution, Group.name, Meeting).join(Group, Group.id == Resolution.group_id)
        .join(Meeting, Meeting.id == Resolution.meeting_id)
        .order_by(Resolution.year, Group.name, Resolution.number)).all()


def actions_page(page: int, per_page: int, *, user_id: int | None = None, group_id: int | None = None,
                 status: str | None = None):
    """Action items (open ones first by due date); ``user_id`` limits to that person's items."""
    stmt = (select(ActionItem, Group.name, owner_name(), Meeting)
            .join(Group, Group.id == ActionItem.group_id)
            .outerjoin(Meeting, Meeting.id == ActionItem.meeting_id))
    if user_id is not None:
        # the owner is one of the person's memberships or their account: both are indexed
        # columns of action_item, so the database reads only this person's items (an OR on the
        # joined member's user_id would join every item of the region first)
        # (a UNION of the two index lookups: with an OR the planner filtered every item of the
        # region, 2,545 rows for 2 at 10× data)
        mine = select(GroupMember.id).where(GroupMember.user_id == user_id)
        stmt = stmt.where(ActionItem.id.in_(union_all(
            select(ActionItem.id).where(ActionItem.owner_id.in_(mine)),
            select(ActionItem.id).where(ActionItem.owner_user_id == user_id))))
    if group_id:
        stmt = stmt.where(ActionItem.group_id == group_id)
    if status in ("open", "overdue"):
        stmt = stmt.where(ActionItem.status.in_(OPEN_ACTION_STATUSES))
    if status == "overdue":  # open and past the due date (the region home links here)
        stmt = stmt.where(ActionItem.due_date < clock.today())
    elif status and status != "open":
        stmt = stmt.where(ActionItem.status == status)
    open_first = ActionItem.status.not_in(("open", "in_progress"))
    # one statement: the total rides along (count(*) OVER ()) instead of a second query
    return paged_with_total(stmt.order_by(open_first, ActionItem.due_date.is_(None), ActionItem.due_date,
                                          ActionItem.id), page, per_page, scalars=False)


def open_actions_of_group(group_id: int):
    return db.session.execute(open_actions_stmt().where(ActionItem.group_id == group_id)).all()


def feed_meetings(user_id: int) -> list[tuple[Meeting, Group]]:
    """Meetings of every group the user belongs to today (in the current region), for the
    feed: a membership that has ended takes the group's meetings out of the feed."""
    today = clock.today()
    groups = select(GroupMember.group_id).where(
        GroupMember.user_id == user_id,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= today))
    return [tuple(r) for r in db.session.execute(
        select(Meeting, Group).join(Group, Group.id == Meeting.group_id)
        .where(Meeting.group_id.in_(groups)).order_by(Meeting.day).limit(500))]


def feed_token_hash(token: str) -> str:
    """What is stored of a calendar-feed secret: its sha256 (hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed whose secret is ``token`` (any region: an explicit cross-tenant read), if its
    account is still active and still belongs to that region (a membership, or a national or
    admin account); None otherwise. Compares the hashes in constant time."""
    from coordination.auth.models import Membership, User

    digest = feed_token_hash(token)
    with all_tenants():
        row = db.session.execute(
            select(CalendarFeed, User).join(User, User.id == CalendarFeed.user_id)
            .where(CalendarFeed.token_hash == digest)).first()
        if row is None:
            return None
        feed, user = row
        if not hmac.compare_digest(feed.token_hash, digest) or not user.active:
            return None
        if user.is_admin or user.is_national:
            return feed
        # a membership given again after the feed was made (removed, then invited back) does
        # not revive the old address: the person makes a new one
        member = db.session.scalar(select(Membership.id).where(
            Membership.user_id == user.id, Membership.tenant_id == feed.tenant_id,
            Membership.created_at <= feed.created_at))
    return feed if member is not None else None


def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def _my_membership(user_id: int):
    """Correlated subquery: the user's membership (lowest id) in the meeting's group on the
    meeting day, or NULL."""
    return (select(func.min(GroupMember.id))
            .where(GroupMember.group_id == Meeting.group_id, GroupMember.user_id == user_id,
                   active_members_clause(Meeting.day))
            .correlate(Meeting).scalar_subquery())


def _my_meetings_stmt(user_id: int):
    """Planned meetings of the user's groups (the committee too) that have not started yet,
    soonest first, with the group, the user's membership and their answer."""
    now = clock.local_now()
    member_id = _my_membership(user_id).label("member_id")
    mine = (select(Meeting.id.label("meeting_id"), member_id)
            .where(Meeting.status == "planned",
                   or_(Meeting.day > now.date(),
                       (Meeting.day == now.date()) & (Meeting.start_time > now.time())))
            .subquery())
    return (select(Meeting, Group, GroupMember, Rsvp)
            .join(mine, mine.c.meeting_id == Meeting.id)
            .join(Group, Group.id == Meeting.group_id)
            .join(GroupMember, GroupMember.id == mine.c.member_id)
            .outerjoin(Rsvp, (Rsvp.meeting_id == Meeting.id) & (Rsvp.member_id == GroupMember.id))
            .order_by(Meeting.day, Meeting.start_time, Meeting.id))


def my_meetings_page(page: int, per_page: int, *, user_id: int):
    """One page of the user's upcoming meetings: rows ``(meeting, group, member, rsvp or None)``."""
    return paged(_my_meetings_stmt(user_id), page, per_page, scalars=False)


def my_next_meetings(user_id: int, limit: int) -> tuple[list, int]:
    """The user's first ``limit`` upcoming meetings and how many there are in all (one statement)."""
    return paged_with_total(_my_meetings_stmt(user_id), 1, limit, scalars=False)


def my_rsvp_row(meeting_id: int, user_id: int):
    """``(member, rsvp or None)`` of the user for one meeting of their group (membership on the
    meeting day), or None when the user is not a member then."""
    member_id = _my_membership(user_id)
    return db.session.execute(
        select(GroupMember, Rsvp).select_from(Meeting)
        .join(GroupMember, GroupMember.id == member_id)
        .outerjoin(Rsvp, (Rsvp.meeting_id == Meeting.id) & (Rsvp.member_id == GroupMember.id))
        .where(Meeting.id == meeting_id)).first()


def my_meetings_panel(tenant) -> dict | None:
    """Tenant home, "My meetings": the signed-in person's next meetings with their answers, in
    one statement; shown to the people who take part in the region (members and OWES users),
    not to its coordinators, national readers or administrators (their home stays as it was)."""
    from flask_login import current_user

    from coordination.permissions import is_coordinator, tenant_roles

    if not tenant_roles(current_user) or is_coordinator(current_user):
        return None
    rows, total = my_next_meetings(current_user.id, HOME_LIMIT)
    return {"template": "workgroups/_my_meetings_panel.html", "rows": rows, "total": total,
            "now": clock.local_now()}
