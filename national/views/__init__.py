"""Views of the SIRES module.

* ``root_bp`` (``/kraj/...``): national pages — overview, comparison, support totals, the
  diagnosis template and advocacy issues (national consultants and admins only);
* ``bp`` (``/<tenant>/diagnoza/...``): one region's diagnosis and support log, nested in the
  tenant blueprint (the region's coordinator, national consultants, admins).
"""

from __future__ import annotations

from flask import Blueprint

root_bp = Blueprint("national", __name__, url_prefix="/kraj")
bp = Blueprint("diagnosis", __name__, url_prefix="/diagnoza")

from national.views import advocacy, comparison, region, support, template  # noqa: E402,F401
