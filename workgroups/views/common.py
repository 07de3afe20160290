"""Helpers shared by the working-group views: loading objects from URLs, form choices."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.nav import region_crumbs
from workgroups.models import Group, Meeting
from workgroups.queries.access import remember_roles_in_group
from workgroups.queries.groups import GroupRow, group_row
from workgroups.queries.meetings import MeetingRow, meeting_row


def _user_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def group_row_or_404(group_id: int, *, documents: bool = False) -> GroupRow:
    """The group of the current region (404 otherwise) with the fields of
    :func:`workgroups.queries.groups.group_row`; the same query reads the user's roles in it for
    the permission checks."""
    row = group_row(group_id, _user_id(), documents=documents)
    if row is None:
        abort(404)
    remember_roles_in_group(current_user, row.group.id, row.roles)
    return row


def group_or_404(group_id: int) -> Group:
    """The group of the current region, or 404 (see :func:`group_row_or_404`)."""
    return group_row_or_404(group_id).group


def meeting_row_or_404(meeting_id: int, *, minutes: bool = False, open_comments: bool = False) -> MeetingRow:
    """The meeting of the current region (404 otherwise) with its group and the fields of
    :func:`workgroups.queries.meetings.meeting_row`, in one query that also reads the user's
    roles in the group for the permission checks."""
    row = meeting_row(meeting_id, _user_id(), minutes=minutes, open_comments=open_comments)
    if row is None:
        abort(404)
    remember_roles_in_group(current_user, row.group.id, row.roles)
    return row


def meeting_and_group(meeting_id: int) -> tuple[Meeting, Group]:
    """``(meeting, group)`` of the current region, or 404 (see :func:`meeting_row_or_404`)."""
    row = meeting_row_or_404(meeting_id)
    return row.meeting, row.group


def member_choices(members, empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(m.id, m.full_name) for m in members]



def wg_crumbs(group: Group | None = None, meeting: Meeting | None = None, current: str | None = None,
              *, meetings: bool = False) -> list[tuple]:
    """Breadcrumbs of a working-group page (see :mod:`coordination.nav`): region home, then
    "Groups" › the group › the meeting (or "Meetings" when ``meetings``), ending at ``current``
    (or at the deepest object given)."""
    items = [(_("Meetings"), url_for("tenant.workgroups.meeting_list"))] if meetings else [
        (_("Groups"), url_for("tenant.workgroups.group_list"))]
    if group is not None and not meetings:
        items.append((group.name, url_for("tenant.workgroups.group_detail", group_id=group.id)))
    if meeting is not None:
        items.append((_("Meeting %(n)s", n=meeting.label),
                      url_for("tenant.workgroups.meeting_detail", meeting_id=meeting.id)))
    if current is not None:
        items.append((current, None))
    else:
        items[-1] = (items[-1][0], None)
    return region_crumbs(*items)
