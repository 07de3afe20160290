"""Working-group pages: ``bp`` is nested under ``/<tenant>`` (tenant loading + access guard),
``root_bp`` serves the token links (RSVP from e-mail, calendar feed) that need no login."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coordination.nav import TENANT_NAV
from tenants.queries import HOME_PANELS
from workgroups.queries.groups import home_panel

bp = Blueprint("workgroups", __name__, url_prefix="/grupy")
root_bp = Blueprint("workgroups_public", __name__)

HOME_PANELS.append(home_panel)
TENANT_NAV.append(("tenant.workgroups.group_list", _l("Groups"), "group.view"))
TENANT_NAV.append(("tenant.workgroups.meeting_list", _l("Meetings"), "meeting.view"))
TENANT_NAV.append(("tenant.workgroups.resolution_list", _l("Resolutions"), "meeting.view"))
TENANT_NAV.append(("tenant.workgroups.my_actions", _l("My actions"), "action.view"))


from workgroups.views import documents, groups, meetings, minutes, public, records  # noqa: E402,F401
