"""Who holds which role in which group (used by the permission rules; cached per request)."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from workgroups.models import OFFICER_ROLES, ActionItem, Group, GroupMember
from workgroups.queries.groups import active_members_clause


def group_id_of(obj) -> int | None:
    if isinstance(obj, Group):
        return obj.id
    return getattr(obj, "group_id", None)


def my_group_roles(user) -> dict[int, frozenset[str]]:
    """``{group_id: roles}`` of the user's current memberships in the current region."""
    if user is None or not user.is_authenticated:
        return {}
    cache = g.setdefault("_wg_roles", {})
    if user.id not in cache:
        day = clock.today()
        rows = db.session.execute(select(GroupMember.id, GroupMember.group_id, GroupMember.role).where(
            GroupMember.user_id == user.id, active_members_clause(day))).all()
        roles: dict[int, set[str]] = {}
        for _member_id, group_id, role in rows:
            roles.setdefault(group_id, set()).add(role)
        cache[user.id] = ({k: frozenset(v) for k, v in roles.items()}, frozenset(r[0] for r in rows))
    return cache[user.id][0]


def my_member_ids(user) -> frozenset[int]:
    """Ids of the user's current memberships (group_member rows) in the current region."""
    my_group_roles(user)
    return g._wg_roles[user.id][1] if user is not None and user.is_authenticated else frozenset()


def remember_roles_in_group(user, group_id: int, roles: str | None) -> None:
    """Keep what :func:`workgroups.queries.groups.roles_in_group_column` read, so permission checks on this group in this
    request need no query of their own."""
    if user is not None and user.is_authenticated:
        known = g.setdefault("_wg_group_roles", {})
        known[(user.id, group_id)] = frozenset(r for r in (roles or "").split(",") if r)


def roles_in_group(user, group_id: int | None) -> frozenset[str]:
    """The user's current roles in one group: remembered from the page's query if it read them,
    else from :func:`my_group_roles`."""
    if user is None or not user.is_authenticated:
        return frozenset()
    known = g.get("_wg_group_roles", {}).get((user.id, group_id))
    if known is not None:
        return known
    return my_group_roles(user).get(group_id, frozenset())


def is_officer(user, obj) -> bool:
    """Chair, deputy or secretary of the object's group."""
    return bool(roles_in_group(user, group_id_of(obj)) & set(OFFICER_ROLES))


def is_member(user, obj) -> bool:
    """Any current role in the object's group."""
    return bool(roles_in_group(user, group_id_of(obj)))


def owns_action(user, action: ActionItem) -> bool:
    """The action item's owner is this user's membership, or this user's account (ROPS staff)."""
    if not (user and user.is_authenticated and isinstance(action, ActionItem)):
        return False
    if action.owner_user_id is not None:
        return action.owner_user_id == user.id
    return action.owner_id is not None and action.owner_id in my_member_ids(user)
