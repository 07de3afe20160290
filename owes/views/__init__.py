"""OWES pages. ``bp`` is nested under ``/<tenant>/owes``; ``root_bp`` serves ``/kraj/owes``.

Access (see docs/owes.md): everyone who sees the region reads; coordinators manage; an ``owes``
user edits and reports only for the OWES their membership is bound to — another OWES's edit
pages answer **403** (the OWES is visible in the region's registry, so 404 would hide nothing).
Objects from URLs are loaded before the permission check, so a foreign id is always 404.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("owes", __name__, url_prefix="/owes")
root_bp = Blueprint("national_owes", __name__, url_prefix="/kraj/owes")

from owes.views import (  # noqa: E402,F401  (routes register on import)
    evaluation,
    national,
    plans,
    registry,
    reporting,
    representative,
)
