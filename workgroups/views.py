"""Working-group pages (nested in the tenant blueprint)."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l

from coordination.extensions import db
from coordination.htmx import render_page_or_block
from coordination.nav import TENANT_NAV
from coordination.pagination import paginate
from coordination.permissions import require
from tenants.queries import HOME_PANELS
from workgroups import queries
from workgroups.models import Group

bp = Blueprint("workgroups", __name__, url_prefix="/grupy")

HOME_PANELS.append(queries.home_panel)
TENANT_NAV.append(("tenant.workgroups.group_list", _l("Groups"), "group.view"))


@bp.route("/")
def group_list():
    require("group.view")
    page = paginate(queries.groups_page)
    return render_page_or_block("workgroups/list.html", "content", page=page, kinds=queries.KIND_LABELS,
                                statuses=queries.STATUS_LABELS)


@bp.route("/<int:group_id>")
def group_detail(group_id: int):
    require("group.view")
    group = db.session.get(Group, group_id)
    if group is None:
        abort(404)
    return render_page_or_block("workgroups/detail.html", "content", group=group, kinds=queries.KIND_LABELS,
                                statuses=queries.STATUS_LABELS)
