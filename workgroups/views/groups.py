"""Groups and members: list, page, create/edit, membership history, members export."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination import clock
from coordination.extensions import db
from coordination.htmx import form_round_trip, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require
from workgroups import exports
from workgroups.forms import EndMemberForm, GroupForm, MemberForm
from workgroups.models import Group, GroupMember
from workgroups.queries import groups as queries
from workgroups.services import groups as group_services
from workgroups.views import bp
from workgroups.views.common import group_row_or_404, member_choices


def _group_url(group) -> str:
    return url_for("tenant.workgroups.group_detail", group_id=group.id)


@bp.route("/")
def group_list():
    require("group.view")
    page = paginate(queries.groups_page)
    return render_page_or_block("workgroups/list.html", "content", page=page)


@bp.route("/nowa", methods=["GET", "POST"])
def group_new():
    require("group.manage")
    form = GroupForm()
    return form_round_trip(form, "workgroups/group_form.html",
                     lambda: group_services.create_group(form.data, actor=current_user),
                     _group_url, _("Group created."), group=None)


@bp.route("/<int:group_id>")
def group_detail(group_id: int):
    require("group.view")
    row = group_row_or_404(group_id, documents=True)
    group, documents_total = row.group, row.documents
    history = request.args.get("historia") == "1"
    page = paginate(queries.members_page, group_id=group.id, history=history)
    overview = queries.group_overview(group)
    return render_page_or_block("workgroups/detail.html", "content", group=group, page=page,
                                overview=overview, history=history, today=clock.today(),
                                documents_total=documents_total)


@bp.route("/<int:group_id>/edycja", methods=["GET", "POST"])
def group_edit(group_id: int):
    require("group.manage")
    group = db.get_or_404(Group, group_id)
    form = GroupForm(obj=group)
    return form_round_trip(form, "workgroups/group_form.html",
                     lambda: group_services.update_group(group, form.data, actor=current_user),
                     lambda _r: _group_url(group), _("Group saved."), group=group)


def _account_choices() -> list[SelectChoice]:
    """Accounts with a role in the current region."""
    return [SelectChoice("", _("— person without an account —"))] + [
        SelectChoice(u.id, f"{u.full_name} ({u.email})") for u in queries.region_accounts()]


def _member_form(group: Group, member: GroupMember | None) -> MemberForm:
    form = MemberForm(obj=member)
    form.user_id.choices = _account_choices()
    others = [m for m in queries.all_members(group.id) if member is None or m.id != member.id]
    form.substitute_for_id.choices = member_choices(others, _("— not applicable —"))
    if member is None and not form.date_from.data:
        form.date_from.data = clock.today()
    return form


@bp.route("/<int:group_id>/czlonkowie/nowy", methods=["GET", "POST"])
def member_new(group_id: int):
    require("group.manage")
    group = db.get_or_404(Group, group_id)
    form = _member_form(group, None)
    return form_round_trip(form, "workgroups/member_form.html",
                     lambda: group_services.add_member(group, form.data, actor=current_user),
                     lambda _r: _group_url(group), _("Member added."), group=group, member=None)


def _member_of(group_id: int, member_id: int) -> tuple[Group, GroupMember]:
    row = queries.member_row(group_id, member_id)
    if row is None:
        abort(404)
    return row[0], row[1]


@bp.route("/<int:group_id>/czlonkowie/<int:member_id>", methods=["GET", "POST"])
def member_edit(group_id: int, member_id: int):
    require("group.manage")
    group, member = _member_of(group_id, member_id)
    form = _member_form(group, member)
    return form_round_trip(form, "workgroups/member_form.html",
                     lambda: group_services.update_member(member, group, form.data, actor=current_user),
                     lambda _r: _group_url(group), _("Membership saved."), group=group, member=member)


@bp.route("/<int:group_id>/czlonkowie/<int:member_id>/zakoncz", methods=["GET", "POST"])
def member_end(group_id: int, member_id: int):
    require("group.manage")
    group, member = _member_of(group_id, member_id)
    form = EndMemberForm()
    if request.method == "GET":
        form.date_to.data = clock.today()
    return form_round_trip(form, "workgroups/member_end.html",
                     lambda: group_services.end_member(member, form.date_to.data, actor=current_user),
                     lambda _r: _group_url(group), _("Membership ended. It stays in the group's history."),
                     group=group, member=member)


@bp.route("/<int:group_id>/czlonkowie.xlsx")
def members_xlsx(group_id: int):
    require("group.view")
    group = db.get_or_404(Group, group_id)
    return exports.members_xlsx(group, queries.all_members(group.id))
