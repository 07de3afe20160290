"""Read-only view of the Regional Committee for other modules (e.g. survey respondents)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from coordination.auth.models import User
from coordination.extensions import db
from workgroups.models import Group, GroupMember
from workgroups.queries.groups import active_members_clause


@dataclass(frozen=True)
class CommitteeMember:
    """One current membership: the account's e-mail wins over the copy on the membership."""

    full_name: str
    email: str | None
    category: str
    institution: str | None
    role: str


def committee_roster(day: date) -> tuple[Group | None, list[CommitteeMember]]:
    """The current region's committee group and its memberships active on ``day``, by name
    (one query); ``(None, [])`` when the region has no committee group. Account members and
    contacts without an account alike."""
    rows = db.session.execute(
        select(Group, GroupMember.full_name, func.coalesce(User.email, GroupMember.email),
               GroupMember.category, GroupMember.institution, GroupMember.role)
        .outerjoin(GroupMember, (GroupMember.group_id == Group.id) & active_members_clause(day))
        .outerjoin(User, User.id == GroupMember.user_id)
        .where(Group.kind == "committee")
        .order_by(GroupMember.full_name, GroupMember.id)).all()
    if not rows:
        return None, []
    return rows[0][0], [CommitteeMember(*row[1:]) for row in rows if row[1] is not None]
