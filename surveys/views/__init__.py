"""Survey pages.

* ``bp`` (nested under ``/<tenant>/ankiety``): campaigns, respondents, results, exports;
* ``root_bp``: the respondents' token link ``/ankieta/<token>`` (no account; the token finds
  its region), the national pages under ``/kraj/ankiety`` and the CLI group
  ``flask --app wsgi surveys …`` (Flask registers a blueprint's ``cli`` commands with the app).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("surveys", __name__, url_prefix="/ankiety")
root_bp = Blueprint("survey", __name__, cli_group="surveys")

from surveys.views import campaigns, cli, national, respond  # noqa: E402,F401
