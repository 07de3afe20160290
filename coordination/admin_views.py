"""Platform administration: all accounts, all audit entries, mail sent in demo mode."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination import audit
from coordination import demo_mail as demo_mail_queries
from coordination.auth import queries as auth_queries
from coordination.auth import services as auth_services
from coordination.auth.forms import ConfirmForm, PlatformUserForm
from coordination.auth.models import User
from coordination.exports.views import start_export
from coordination.extensions import db
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/uzytkownicy")
def users():
    require("platform.users")
    q = request.args.get("q", "").strip()
    page = paginate(auth_queries.all_users, q=q)
    return render_page_or_block("admin/users.html", "content", page=page, q=q)


@bp.route("/uzytkownicy/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    require("platform.users")
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = PlatformUserForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.is_admin.data or not form.active.data):
            form.is_admin.errors.append(_("You cannot remove your own administrator rights or deactivate yourself."))
        else:
            auth_services.set_platform_flags(user, is_admin=form.is_admin.data,
                                             is_national=form.is_national.data,
                                             active=form.active.data, actor=current_user)
            flash(_("Account saved."), "success")
            return hx_redirect(url_for("admin.users"))
    if form.errors:
        return form_invalid("admin/user_edit.html", "content", form=form, user=user)
    return render_page_or_block("admin/user_edit.html", "content", form=form, user=user)


@bp.route("/dziennik")
def audit_log():
    require("platform.audit")
    page = paginate(audit.entries_page, tenant_id=None)
    return render_page_or_block("core/audit.html", "content", page=page, scope=None,
                                export_url=url_for("admin.audit_export"), form=ConfirmForm())


@bp.route("/dziennik/eksport", methods=["POST"])
def audit_export():
    require("platform.audit")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return start_export("platform_audit_log", None)


def _demo_mail_folder() -> str:
    """The demo mail sink's folder; 404 outside demo mode (the page does not exist there)."""
    if not current_app.config.get("DEMO"):
        abort(404)
    require("platform.outbox")
    return current_app.config["DEMO_MAIL_DIR"]


@bp.route("/poczta-demo")
def demo_mail():
    folder = _demo_mail_folder()
    page = paginate(demo_mail_queries.messages_page, folder=folder)
    return render_page_or_block("admin/demo_mail.html", "content", page=page)


@bp.route("/poczta-demo/<message_id>")
def demo_mail_message(message_id: str):
    folder = _demo_mail_folder()
    message = demo_mail_queries.read_message(folder, message_id)
    if message is None:
        abort(404)
    return render_page_or_block("admin/demo_mail_message.html", "content", message=message)
