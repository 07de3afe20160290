"""Root pages: the region list, health check, language and region switchers."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from coordination.auth import queries as auth_queries
from coordination.auth import services as auth_services
from coordination.extensions import db
from coordination.htmx import hx_redirect, safe_local_path
from tenants.queries import all_regions, by_slug

bp = Blueprint("core", __name__)


@bp.route("/")
def index():
    tenants = all_regions()
    mine = auth_queries.my_tenants(current_user)
    return render_template("core/index.html", tenants=tenants, mine=mine)


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify({"status": "error", "db": "error"}), 503
    return jsonify({"status": "ok", "db": "ok", "scheduler": _scheduler_health()})


def _scheduler_health() -> str:
    """"ok" | "stale" from the scheduler's heartbeat row (informational: the web stays 200)."""
    from coordination.scheduler import health

    try:
        return health()
    except Exception:  # noqa: BLE001 - e.g. table not migrated yet: no scheduler has run
        db.session.rollback()
        return "stale"


def _back(default: str) -> str:
    return safe_local_path(request.form.get("next") or request.args.get("next"), default)


@bp.route("/jezyk", methods=["POST"])
def set_language():
    lang = request.form.get("lang", "pl")
    if lang not in ("pl", "en"):
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        auth_services.set_locale(current_user._get_current_object(), lang)
    return hx_redirect(_back(url_for("core.index")))


@bp.route("/przejdz")
def switch_region():
    slug = request.args.get("region", "")
    tenant = by_slug(slug)
    if tenant is None:
        return redirect(url_for("core.index"))
    return redirect(url_for("tenant.home", tenant=tenant.slug))


#: the day the accessibility statement was prepared (shown in the statement).
STATEMENT_DATE = date(2026, 11, 23)


@bp.route("/deklaracja-dostepnosci")
def accessibility():
    return render_template("core/accessibility.html", statement_date=STATEMENT_DATE)
