"""Reads for the group list, the group page and the tenant home panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from coordination.extensions import db
from coordination.pagination import paged
from workgroups.models import (
    OPEN_ACTION_STATUSES,
    ActionItem,
    Attendance,
    Group,
    GroupMember,
    Meeting,
)
from workgroups.services.common import today

HOME_LIMIT = 5
GROUP_PAGE_LIMIT = 10


def groups_page(page: int, per_page: int):
    """Groups of the current tenant, committee first, then by name, with member counts."""
    day = today()
    members = (select(func.count(GroupMember.id)).where(
        GroupMember.group_id == Group.id, GroupMember.date_from <= day,
        (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day)).correlate(Group).scalar_subquery())
    order = (Group.status != "active", Group.kind != "committee", Group.name)
    return paged(select(Group, members.label("members")).order_by(*order), page, per_page, scalars=False)


def active_members_clause(day: date):
    return (GroupMember.date_from <= day) & ((GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day))


def members_page(page: int, per_page: int, *, group_id: int, history: bool):
    """Members of a group: current ones (or, with ``history``, every membership ever)."""
    stmt = select(GroupMember).where(GroupMember.group_id == group_id)
    if not history:
        stmt = stmt.where(active_members_clause(today()))
    role_order = case({"chair": 0, "deputy": 1, "secretary": 2, "member": 3, "substitute": 4},
                      value=GroupMember.role, else_=5)
    return paged(stmt.order_by(role_order, GroupMember.full_name, GroupMember.date_from), page, per_page)


def all_members(group_id: int, day: date | None = None) -> list[GroupMember]:
    """Every member of the group (current on ``day`` if given), by name — for choice lists."""
    stmt = select(GroupMember).where(GroupMember.group_id == group_id)
    if day is not None:
        stmt = stmt.where(active_members_clause(day))
    return list(db.session.scalars(stmt.order_by(GroupMember.full_name)))


@dataclass
class GroupOverview:
    upcoming: list[Meeting]
    past: list[Meeting]
    actions: list[tuple[ActionItem, str | None, Meeting | None]]
    rates: dict[int, dict[int, tuple[int, int]]]
    years: list[int]


def open_actions_stmt():
    return (select(ActionItem, GroupMember.full_name, Meeting)
            .outerjoin(GroupMember, GroupMember.id == ActionItem.owner_id)
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


def group_overview(group: Group) -> GroupOverview:
    """Everything the group page shows besides the member list, in a fixed number of queries."""
    day = today()
    upcoming = db.session.scalars(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.day >= day, Meeting.status == "planned")
        .order_by(Meeting.day, Meeting.start_time).limit(GROUP_PAGE_LIMIT)).all()
    past = db.session.scalars(select(Meeting).where(
        Meeting.group_id == group.id, (Meeting.day < day) | (Meeting.status != "planned"))
        .order_by(Meeting.day.desc()).limit(GROUP_PAGE_LIMIT)).all()
    actions = db.session.execute(open_actions_stmt().where(ActionItem.group_id == group.id)
                                 .limit(GROUP_PAGE_LIMIT)).all()
    rates, years = attendance_rates(group.id)
    return GroupOverview(list(upcoming), list(past), [tuple(r) for r in actions], rates, years)


def home_panel(tenant) -> dict:
    """Tenant home: active groups, the next meetings and overdue action items."""
    day = today()
    groups = db.session.scalars(select(Group).where(Group.status == "active")
                                .order_by(Group.kind != "committee", Group.name).limit(10)).all()
    meetings = db.session.execute(
        select(Meeting, Group.name).join(Group, Group.id == Meeting.group_id)
        .where(Meeting.day >= day, Meeting.status == "planned")
        .order_by(Meeting.day, Meeting.start_time).limit(HOME_LIMIT)).all()
    overdue = db.session.execute(
        select(ActionItem, Group.name, GroupMember.full_name).join(Group, Group.id == ActionItem.group_id)
        .outerjoin(GroupMember, GroupMember.id == ActionItem.owner_id)
        .where(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < day)
        .order_by(ActionItem.due_date).limit(HOME_LIMIT)).all()
    return {"template": "workgroups/_home_panel.html", "groups": groups, "meetings": meetings,
            "overdue": overdue}
