"""Helpers shared by the working-group views: loading objects from URLs, form errors."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from workgroups.queries.access import remember_roles_in_group
from workgroups.queries.groups import group_row
from workgroups.queries.meetings import meeting_row


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def group_or_404(group_id: int, **extra):
    """The group of the current region (404 otherwise); the same query reads the user's roles in
    it for the permission checks. With ``extra`` (see :func:`workgroups.queries.groups.group_row`)
    the answer is ``(group, ...extra values)``."""
    row = group_row(group_id, _user_id(), **extra)
    if row is None:
        abort(404)
    remember_roles_in_group(current_user, row[0].id, row[1])
    return (row[0], *row[2:]) if extra else row[0]


def meeting_and_group(meeting_id: int, **extra) -> tuple:
    """``(meeting, group, ...)`` of the current region in one query (see
    :func:`workgroups.queries.meetings.meeting_row` for ``extra``), or 404; the query also reads
    the user's roles in the group for the permission checks."""
    row = meeting_row(meeting_id, _user_id(), **extra)
    if row is None:
        abort(404)
    meeting, group, roles, *rest = row
    remember_roles_in_group(current_user, group.id, roles)
    return (meeting, group, *rest)



def member_choices(members, empty_label) -> list[tuple]:
    return [("", empty_label)] + [(m.id, m.full_name) for m in members]

