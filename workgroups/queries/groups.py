"""Reads for the group list, the group page and the tenant home panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import case, func, null, select
from sqlalchemy.orm import aliased

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.pagination import paged_with_total
from workgroups.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    Attendance,
    Group,
    GroupMember,
    Meeting,
)

HOME_LIMIT = 5
GROUP_PAGE_LIMIT = 10

@cache
def _owner_account():
    """The ROPS staff account owning an action item (an alias of User, made once the mappers
    are configured)."""
    return aliased(User, name="owner_account")


def owner_name():
    """The action item owner's name: the group member's or the ROPS staff account's. Two
    correlated lookups by primary key, read for the rows returned only: outer joins made the
    planner hash every account of the country to name the two items of a page (my actions at
    10× data: 7 ms, now under 1)."""
    member = select(GroupMember.full_name).where(GroupMember.id == ActionItem.owner_id).scalar_subquery()
    account = _owner_account()
    staff = select(account.full_name).where(account.id == ActionItem.owner_user_id).scalar_subquery()
    return func.coalesce(member, staff).label("owner_name")


def rops_staff() -> list[tuple[int, str]]:
    """``(user id, full name)`` of the region's ROPS staff (active coordinator accounts), in
    Polish alphabetical order: they may own action items of any group."""
    from coordination.collation import sorted_pl

    rows = db.session.execute(select(User.id, User.full_name).join(Membership, Membership.user_id == User.id)
                              .where(Membership.role == "coordinator", User.active)).all()
    return sorted_pl([tuple(r) for r in rows], key=lambda r: r[1])


def groups_page(page: int, per_page: int):
    """Groups of the current tenant, committee first, then by name, with member counts."""
    day = clock.today()
    members = (select(func.count(GroupMember.id)).where(
        GroupMember.group_id == Group.id, GroupMember.date_from <= day,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day)).correlate(Group).scalar_subquery())
    order = (Group.status != "active", Group.kind != "committee", Group.name)
    # one statement: the total rides along (count(*) OVER ()); a region has tens of groups
    return paged_with_total(select(Group, members.label("members")).order_by(*order), page, per_page,
                            scalars=False)


def active_members_clause(day: date):
    return (GroupMember.date_from <= day) & ((GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day))


def roles_in_group_column(user_id: int, group_id):
    """A scalar subquery for a page's own select: the user's current roles in the group
    ``group_id`` (a column or a value), comma-separated (None: no role). The page hands it to
    :func:`workgroups.queries.access.remember_roles_in_group` for the permission checks."""
    return (select(func.aggregate_strings(GroupMember.role, ","))
            .where(GroupMember.group_id == group_id, GroupMember.user_id == user_id,
                   active_members_clause(clock.today())).scalar_subquery())


def roles_column(user_id: int | None, group_id):
    """:func:`roles_in_group_column`, or NULL without a user."""
    return roles_in_group_column(user_id, group_id) if user_id is not None else null()


class GroupRow(NamedTuple):
    """A group with what its pages read in the same query."""

    group: Group
    #: the user's roles in the group (see :func:`roles_column`).
    roles: object
    #: documents attached to the agenda items of the group's meetings (None unless asked for).
    documents: int | None = None


def group_row(group_id: int, user_id: int | None, *, documents: bool = False) -> GroupRow | None:
    """The group and the user's roles in it in one query, or None when the region has no such
    group; ``documents`` also counts the documents of the group's meetings."""
    stmt = select(Group, roles_column(user_id, Group.id)).where(Group.id == group_id)
    if documents:
        from workgroups.models import MeetingDocument

        stmt = stmt.add_columns(select(func.count(MeetingDocument.id)).where(MeetingDocument.group_id == Group.id)
                                .correlate(Group).scalar_subquery())
    row = db.session.execute(stmt).first()
    return GroupRow(*row) if row is not None else None


def member_row(group_id: int, member_id: int):
    """``(group, member)`` in one query, or None unless the member belongs to that group."""
    return db.session.execute(select(Group, GroupMember).join(GroupMember, GroupMember.group_id == Group.id)
                              .where(Group.id == group_id, GroupMember.id == member_id)).first()


def region_accounts():
    """``(id, full_name, email)`` of the accounts with a role in the current region, by name
    (the membership subquery is tenant-filtered like any ORM read)."""
    return sorted_pl(db.session.execute(select(User.id, User.full_name, User.email)
                                        .where(User.id.in_(select(Membership.user_id)))).all(),
                     key=lambda r: r.full_name)


def members_page(page: int, per_page: int, *, group_id: int, history: bool):
    """Members of a group: current ones (or, with ``history``, every membership ever)."""
    stmt = select(GroupMember).where(GroupMember.group_id == group_id)
    if not history:
        stmt = stmt.where(active_members_clause(clock.today()))
    role_order = case({"chair": 0, "deputy": 1, "secretary": 2, "member": 3, "substitute": 4},
                      value=GroupMember.role, else_=5)
    return paged_with_total(stmt.order_by(role_order, GroupMember.full_name, GroupMember.date_from), page, per_page)


def all_members(group_id: int, day: date | None = None) -> list[GroupMember]:
    """Every member of the group (current on ``day`` if given), by name — for choice lists."""
    stmt = select(GroupMember).where(GroupMember.group_id == group_id)
    if day is not None:
        stmt = stmt.where(active_members_clause(day))
    return sorted_pl(db.session.scalars(stmt.order_by(GroupMember.id)), key=lambda m: m.full_name)


@dataclass
class GroupOverview:
    upcoming: list[Meeting]
    past: list[Meeting]
    actions: list[tuple[ActionItem, str | None, Meeting | None]]
    rates: dict[int, dict[int, tuple[int, int]]]
    years: list[int]


def open_actions_stmt():
    return (select(ActionItem, owner_name(), Meeting)
            .outerjoin(Meeting, Meeting.id == ActionItem.meeting_id)
            .where(ActionItem.status.in_(OPEN_ACTION_STATUSES))
            .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id))


def attendance_rates(group_id: int) -> tuple[dict[int, dict[int, tuple[int, int]]], list[int]]:
    """``{member_id: {year: (attended, recorded)}}`` and the years, for held meetings."""
    attended = func.sum(case((Attendance.status.in_(("present", "substitute")), 1), else_=0))
    rows = db.session.execute(
        select(Attendance.member_id, Meeting.year, attended, func.count(Attendance.id))
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Meeting.group_id == group_id, Meeting.status == "held")
        .group_by(Attendance.member_id, Meeting.year)).all()
    rates: dict[int, dict[int, tuple[int, int]]] = {}
    for member_id, year, yes, total in rows:
        rates.setdefault(member_id, {})[year] = (int(yes or 0), int(total))
    years = sorted({y for per in rates.values() for y in per}, reverse=True)[:3]
    return rates, years


def group_meetings(group_id: int, day: date) -> tuple[list[Meeting], list[Meeting]]:
    """The next planned meetings (soonest first) and the latest other ones (newest first), at most
    :data:`GROUP_PAGE_LIMIT` each, in one query: both lists are ranked by window functions."""
    upcoming = case(((Meeting.day >= day) & (Meeting.status == "planned"), 1), else_=0)
    ranked = select(
        Meeting, upcoming.label("upcoming"),
        func.row_number().over(partition_by=upcoming, order_by=(Meeting.day, Meeting.start_time)).label("soonest"),
        func.row_number().over(partition_by=upcoming, order_by=(Meeting.day.desc(), Meeting.start_time.desc()))
        .label("newest"),
    ).where(Meeting.group_id == group_id).subquery()
    meeting = aliased(Meeting, ranked)
    rank = case((ranked.c.upcoming == 1, ranked.c.soonest), else_=ranked.c.newest)
    rows = db.session.execute(select(meeting, ranked.c.upcoming).where(rank <= GROUP_PAGE_LIMIT)
                              .order_by(rank)).all()
    return [m for m, up in rows if up], [m for m, up in rows if not up]


def group_overview(group: Group) -> GroupOverview:
    """Everything the group page shows besides the member list, in three queries."""
    upcoming, past = group_meetings(group.id, clock.today())
    actions = db.session.execute(open_actions_stmt().where(ActionItem.group_id == group.id)
                                 .limit(GROUP_PAGE_LIMIT)).all()
    rates, years = attendance_rates(group.id)
    return GroupOverview(upcoming, past, [tuple(r) for r in actions], rates, years)


def groups_and_next_meetings(day: date, groups: int = 10, meetings: int = HOME_LIMIT):
    """The first active groups (committee first, then by name) and the region's next planned
    meetings with their group names, in one query: groups outer-joined to those meetings."""
    ranked = (select(Group.id, func.row_number().over(order_by=(Group.kind != "committee", Group.name))
                     .label("position")).where(Group.status == "active").subquery())
    upcoming = (select(Meeting.id).where(Meeting.day >= day, Meeting.status == "planned")
                .order_by(Meeting.day, Meeting.start_time).limit(meetings))
    listed = ranked.c.position <= groups
    rows = db.session.execute(
        select(Group, Meeting, case((listed, ranked.c.position), else_=None))
        .outerjoin(ranked, ranked.c.id == Group.id)
        .outerjoin(Meeting, (Meeting.group_id == Group.id) & Meeting.id.in_(upcoming))
        .where(listed | Meeting.id.is_not(None))).all()
    shown = {group.id: (position, group) for group, _meeting, position in rows if position is not None}
    return ([group for _position, group in sorted(shown.values(), key=lambda pair: pair[0])],
            sorted(((m, group.name) for group, m, _position in rows if m is not None),
                   key=lambda pair: (pair[0].day, pair[0].start_time)))


def home_panel(tenant) -> dict:
    """Tenant home: active groups, the next meetings and, for coordinators (who manage every
    item), the region's overdue action items with their total; for the people who take part in
    the region, instead, their own open items with their total and a link to the region's
    overdue ones. Two queries either way."""
    from flask_login import current_user

    from coordination.permissions import is_coordinator, tenant_roles
    from workgroups.queries.meetings import actions_page

    day = clock.today()
    groups, meetings = groups_and_next_meetings(day)
    overdue = overdue_total = mine = None
    if tenant_roles(current_user) and not is_coordinator(current_user):
        # a member's own items, overdue ones flagged; the region's overdue items are a link
        # (the same number of statements as the coordinator's home)
        mine = actions_page(1, HOME_LIMIT, user_id=current_user.id, status="open")
    else:
        overdue, overdue_total = paged_with_total(
            select(ActionItem, Group.name, owner_name()).join(Group, Group.id == ActionItem.group_id)
            .where(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < day)
            .order_by(ActionItem.due_date, ActionItem.id), 1, HOME_LIMIT, scalars=False)
    return {"template": "workgroups/_home_panel.html", "groups": groups, "meetings": meetings,
            "overdue": overdue, "overdue_total": overdue_total, "mine": mine, "today": day}


def chair_form(group_id: int, day: date | None = None) -> str:
    """The title form ("f", "m", "") of the group's chair on ``day`` (today); "" without one."""
    day = day or clock.today()
    return db.session.scalar(select(GroupMember.title_form).where(
        GroupMember.group_id == group_id, GroupMember.role == "chair", GroupMember.date_from <= day,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day)).order_by(GroupMember.id).limit(1)) or ""


def member_title(member: GroupMember, day: date | None = None) -> str:
    """The member's role title as pages and lists show it (see ``labels.role_title``): agreeing
    with the person's title form, a deputy's also with the chair's."""
    from workgroups.queries.labels import role_title

    return role_title(member, chair_form(member.group_id, day) if member.role == "deputy" else None)
