"""Working-group pages: ``bp`` is nested under ``/<tenant>`` (tenant loading + access guard),
``root_bp`` serves the token links (RSVP from e-mail, calendar feed) that need no login."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("workgroups", __name__, url_prefix="/grupy")
root_bp = Blueprint("workgroups_public", __name__)


from workgroups.queries.groups import member_title  # noqa: E402
from workgroups.queries.labels import chairing_title, minutes_taker_title  # noqa: E402
from workgroups.views.common import wg_crumbs  # noqa: E402

bp.add_app_template_global(wg_crumbs, "wg_crumbs")
bp.add_app_template_global(member_title, "member_title")
bp.add_app_template_global(chairing_title, "chairing_title")
bp.add_app_template_global(minutes_taker_title, "minutes_taker_title")

from workgroups.views import documents, groups, meetings, minutes, public, records  # noqa: E402,F401
