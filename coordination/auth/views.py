"""Login, logout, password change and reset, the account page."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from coordination.auth import queries, services
from coordination.auth.forms import LoginForm, PasswordChangeForm, ResetForm, ResetRequestForm
from coordination.extensions import limiter
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block, safe_local_path
from coordination.permissions import require

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    return safe_local_path(target, url_for("core.index"))


def _home_of(user) -> str:
    """Where a login without ``next`` lands: a person of one region on that region's home (their
    meetings and surveys), everyone else on the list of regions."""
    if user.is_admin or user.is_national:
        return url_for("core.index")
    regions = {tenant.slug for tenant, _role in queries.my_tenants(user)}
    if len(regions) == 1:
        return url_for("tenant.home", tenant=regions.pop())
    return url_for("core.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT_ADDRESS"]


def _address_key() -> str:
    return "login-address:" + (get_remote_address() or "")


def _address_email_key() -> str:
    email = services.normalize_email(request.form.get("email", ""))
    return f"login:{get_remote_address() or ''}:{email}"


def _failed(_response) -> bool:
    """Only failed attempts count against the limits (set by :func:`login`)."""
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key, deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_address_email_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            session["lang"] = user.locale
            services.record_login(user)
            flash(_("You are logged in as %(name)s.", name=user.full_name), "success")
            return hx_redirect(safe_local_path(request.args.get("next"), _home_of(user)))
        form.password.errors.append(_("Wrong e-mail or password."))
    if form.errors:
        g.login_failed = True
        return form_invalid("auth/login.html", "content", form=form)
    return render_page_or_block("auth/login.html", "content", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        services.logout_everywhere(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return hx_redirect(url_for("core.index"))


@bp.route("/konto/")
def account():
    require("account.self")
    return render_template("auth/account.html", memberships=queries.my_tenants(current_user))


@bp.route("/konto/haslo", methods=["GET", "POST"])
def change_password():
    require("account.self")
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if services.authenticate(user.email, form.current_password.data) is None:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            services.set_password(user, form.new_password.data)
            login_user(user)  # keep this browser logged in with the new session version
            flash(_("Your password has been changed. Other devices have been logged out."), "success")
            return hx_redirect(url_for("auth.account"))
    if form.errors:
        return form_invalid("auth/password.html", "content", form=form)
    return render_page_or_block("auth/password.html", "content", form=form)


@bp.route("/haslo/reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(_("If an account with this address exists, we have sent a link to set a new password."), "info")
        return hx_redirect(url_for("auth.login"))
    if form.errors:
        return form_invalid("auth/reset_request.html", "content", form=form)
    return render_page_or_block("auth/reset_request.html", "content", form=form)


@bp.route("/haslo/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("The link is invalid, has expired or has already been used. Ask for a new one."), "error")
        return redirect(url_for("auth.request_reset"))
    form = ResetForm()
    if form.validate_on_submit():
        services.set_password(user, form.new_password.data, reason="reset")
        flash(_("Your password has been set. You can log in now."), "success")
        return hx_redirect(url_for("auth.login"))
    if form.errors:
        return form_invalid("auth/reset.html", "content", form=form, user=user)
    return render_page_or_block("auth/reset.html", "content", form=form, user=user)
