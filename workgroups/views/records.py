"""Resolutions (per meeting, plus the region's searchable register) and action items."""

from __future__ import annotations

from flask import abort, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination import clock
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.htmx import form_round_trip, render_page_or_block
from coordination.inputs import int_arg
from coordination.pagination import paginate
from coordination.permissions import can, require
from workgroups import exports
from workgroups.forms import ActionForm, ActionStatusForm, ResolutionEditForm, ResolutionForm
from workgroups.models import ACTION_STATUSES, ActionItem, Group, GroupMember
from workgroups.queries import groups as group_queries
from workgroups.queries import meetings as queries
from workgroups.queries.access import my_group_roles, remember_roles_in_group
from workgroups.queries.minutes import render_markdown
from workgroups.services import records as services
from workgroups.views import bp
from workgroups.views.common import meeting_and_group


def _meeting_url(meeting) -> str:
    return url_for("tenant.workgroups.meeting_detail", meeting_id=meeting.id)


@bp.route("/posiedzenia/<int:meeting_id>/uchwaly/nowa", methods=["GET", "POST"])
def resolution_new(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("meeting.manage", group)
    form = ResolutionForm()
    return form_round_trip(form, "workgroups/resolution_form.html",
                     lambda: services.add_resolution(meeting, group, form.data, actor=current_user),
                     lambda _r: _meeting_url(meeting) + "#uchwaly", _("Resolution recorded."),
                     meeting=meeting, group=group, quorum=queries.attendance_quorum(meeting, group),
                     next_number=services.next_resolution_number(group.id, meeting.year), resolution=None)


def _resolution(resolution_id: int) -> tuple:
    """``(resolution, meeting, group, minutes)`` of the current region, or 404."""
    row = queries.resolution_row(resolution_id, current_user.id if current_user.is_authenticated else None)
    if row is None:
        abort(404)
    resolution, meeting, group, roles, minutes = row
    remember_roles_in_group(current_user, group.id, roles)
    return resolution, meeting, group, minutes


@bp.route("/uchwaly/<int:resolution_id>")
def resolution_detail(resolution_id: int):
    require("meeting.view")
    resolution, meeting, group, minutes = _resolution(resolution_id)
    return render_page_or_block("workgroups/resolution.html", "content", resolution=resolution, meeting=meeting,
                                group=group, minutes=minutes, corrections=queries.corrections_of(resolution.id),
                                html=render_markdown(resolution.body or "", keep_line_breaks=True))


@bp.route("/uchwaly/<int:resolution_id>/edycja", methods=["GET", "POST"])
def resolution_edit(resolution_id: int):
    resolution, meeting, group, minutes = _resolution(resolution_id)
    require("meeting.manage", group)
    form = ResolutionEditForm(obj=resolution)
    correction = minutes is not None and minutes.status == "adopted"
    return form_round_trip(form, "workgroups/resolution_form.html",
                     lambda: services.update_resolution(resolution, meeting, group, form.data, actor=current_user,
                                                        reason=form.reason.data),
                     lambda _r: url_for("tenant.workgroups.resolution_detail", resolution_id=resolution.id),
                     _("Correction recorded.") if correction else _("Resolution saved."),
                     meeting=meeting, group=group, quorum=queries.attendance_quorum(meeting, group),
                     next_number=resolution.number, resolution=resolution, correction=correction)


def _search_args():
    return request.args.get("q", "").strip()[:100], int_arg("grupa", minimum=0)


@bp.route("/uchwaly")
def resolution_list():
    require("meeting.view")
    q, group_id = _search_args()
    page = paginate(queries.resolutions_page, q=q, group_id=group_id)
    return render_page_or_block("workgroups/resolution_list.html", "content", page=page, q=q,
                                group_id=group_id, groups=queries.group_choices())


@bp.route("/uchwaly.xlsx")
def resolutions_xlsx():
    require("meeting.view")
    return exports.resolutions_xlsx(queries.all_resolutions())


def _owner_choices(group: Group, action: ActionItem | None = None) -> list[SelectChoice]:
    """Who can own an action item: the group's current members and the region's ROPS staff
    (coordinator accounts); a former member only when the item already belongs to them."""
    members = sorted_pl(group_queries.all_members(group.id, clock.today()), key=lambda m: m.full_name)
    in_group = _("Members of the group")
    staff_label = _("Staff – %(operator)s", operator=g.tenant.operator_name)
    choices = [SelectChoice("", _("— nobody yet —"))]
    choices += [SelectChoice(str(m.id), m.full_name, optgroup=in_group) for m in members]
    if action is not None and action.owner_id and action.owner_id not in {m.id for m in members}:
        former = db.session.get(GroupMember, action.owner_id)
        if former is not None:
            choices.append(SelectChoice(str(former.id), _("%(name)s (former member)", name=former.full_name),
                                        optgroup=in_group))
    accounts = {m.user_id for m in members if m.user_id}
    choices += [SelectChoice(f"u{uid}", name, optgroup=staff_label)
                for uid, name in group_queries.rops_staff() if uid not in accounts]
    return choices


@bp.route("/posiedzenia/<int:meeting_id>/zadania/nowe", methods=["GET", "POST"])
def action_new(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("action.manage", group)
    form = ActionForm()
    form.owner_id.choices = _owner_choices(group)
    return form_round_trip(form, "workgroups/action_form.html",
                     lambda: services.add_action(group, meeting, dict(form.data, **form.owner_data()),
                                                 actor=current_user),
                     lambda _r: _meeting_url(meeting) + "#zadania", _("Action item added."),
                     meeting=meeting, group=group, action=None)


@bp.route("/zadania/<int:action_id>", methods=["GET", "POST"])
def action_edit(action_id: int):
    action = db.get_or_404(ActionItem, action_id)
    group = db.get_or_404(Group, action.group_id)
    require("action.update", action)
    full = can("action.manage", group)
    if full:
        form = ActionForm(obj=action)
        form.owner_id.choices = _owner_choices(group, action)
        if request.method == "GET":
            form.set_owner(action)
    else:
        form = ActionStatusForm(obj=action)
    back = request.args.get("z") == "moje"
    return form_round_trip(form, "workgroups/action_form.html",
                     lambda: services.update_action(action, group, dict(form.data, **form.owner_data()) if full
                                                    else form.data, actor=current_user, full=full),
                     lambda _r: url_for("tenant.workgroups.my_actions") if back
                     else url_for("tenant.workgroups.group_detail", group_id=group.id),
                     _("Action item saved."), meeting=None, group=group, action=action, back=back)


def _actions_page(template_title: str, user_id: int | None):
    group_id = int_arg("grupa", minimum=0)
    status = request.args.get("status", "open")
    status = status if status in ACTION_STATUSES or status in ("open", "overdue") else None
    page = paginate(queries.actions_page, user_id=user_id, status=status,
                    group_id=group_id)
    if not can("action.manage"):  # coordinators may update every row without group roles
        # each row asks action.update, answered from the user's group roles: read them now,
        # so the page costs the same statements with no row as with fifty
        my_group_roles(current_user)
    return render_page_or_block("workgroups/actions.html", "content", page=page, title=template_title,
                                status_filter=status, today=clock.today(), mine=user_id is not None,
                                groups=queries.group_choices(), group_id=group_id)


@bp.route("/moje-zadania")
def my_actions():
    require("action.view")
    return _actions_page(_("My action items"), current_user.id)


@bp.route("/zadania")
def action_list():
    require("action.view")
    return _actions_page(_("Action items"), None)
