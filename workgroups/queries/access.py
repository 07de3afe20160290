"""Who holds which role in which group (used by the permission rules; cached per request)."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from coordination.extensions import db
from workgroups.models import OFFICER_ROLES, ActionItem, Group, GroupMember
from workgroups.services.common import today


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
        day = today()
        rows = db.session.execute(select(GroupMember.id, GroupMember.group_id, GroupMember.role).where(
            GroupMember.user_id == user.id, GroupMember.date_from <= day,
            (GroupMember.date_to.is_(None)) | (GroupMember.date_to >= day))).all()
        roles: dict[int, set[str]] = {}
        for _member_id, group_id, role in rows:
            roles.setdefault(group_id, set()).add(role)
        cache[user.id] = ({k: frozenset(v) for k, v in roles.items()}, frozenset(r[0] for r in rows))
    return cache[user.id][0]


def my_member_ids(user) -> frozenset[int]:
    """Ids of the user's current memberships (group_member rows) in the current region."""
    my_group_roles(user)
    return g._wg_roles[user.id][1] if user is not None and user.is_authenticated else frozenset()


def is_officer(user, obj) -> bool:
    """Chair, deputy or secretary of the object's group."""
    return bool(my_group_roles(user).get(group_id_of(obj), frozenset()) & set(OFFICER_ROLES))


def is_member(user, obj) -> bool:
    """Any current role in the object's group."""
    return group_id_of(obj) in my_group_roles(user)


def owns_action(user, action: ActionItem) -> bool:
    """The action item's owner is this user's membership."""
    if not (user and user.is_authenticated and isinstance(action, ActionItem) and action.owner_id):
        return False
    return action.owner_id in my_member_ids(user)
