"""National views under ``/kraj`` (national consultants and admins only)."""

from __future__ import annotations

from flask import Blueprint

from coordination.htmx import render_page_or_block
from coordination.national import queries
from coordination.permissions import require

root_bp = Blueprint("national", __name__, url_prefix="/kraj")


@root_bp.route("/")
def overview():
    require("national.view")
    return render_page_or_block("national/overview.html", "content", rows=queries.regions_overview())
