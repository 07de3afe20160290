"""Survey pages.

* ``bp`` (nested under ``/<tenant>/ankiety``): campaigns, respondents, results, exports;
* ``root_bp``: the respondents' token link ``/ankieta/<token>`` (no account; the token finds
  its region), the national pages under ``/kraj/ankiety`` and the CLI group
  ``flask --app wsgi surveys …`` (Flask registers a blueprint's ``cli`` commands with the app).
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from coordination.nav import NATIONAL_NAV, TENANT_NAV

bp = Blueprint("surveys", __name__, url_prefix="/ankiety")
root_bp = Blueprint("survey", __name__, cli_group="surveys")

TENANT_NAV.append(("tenant.surveys.campaign_list", _l("Surveys"), "survey.view"))
NATIONAL_NAV.append(("survey.national_comparison", _l("Committee surveys"), "national.view"))

from surveys.views import campaigns, cli, national, respond  # noqa: E402,F401
