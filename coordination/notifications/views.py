"""Outbox (region and admin), delivery preferences and the unsubscribe link."""

from __future__ import annotations

from babel.dates import get_day_names
from flask import Blueprint, abort, flash, g, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from coordination.auth.forms import ConfirmForm
from coordination.errors import DomainError
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from coordination.notifications import queries, services
from coordination.notifications.forms import FIELD_PREFIX, choosable, chosen, preferences_form
from coordination.notifications.kinds import KINDS, user_kinds
from coordination.notifications.models import STATUSES
from coordination.notifications.rendering import read_unsubscribe_token
from coordination.notifications.settings import setting
from coordination.pagination import paginate
from coordination.permissions import require

bp = Blueprint("notifications", __name__, url_prefix="/powiadomienia")
root_bp = Blueprint("notify", __name__)

def _outbox(tenant_id: int | None, **extra):
    wanted = request.args.get("status", "")
    wanted = wanted if wanted in STATUSES else ""
    page = paginate(queries.outbox_page, tenant_id=tenant_id, status=wanted or None)
    return render_page_or_block(
        "notifications/outbox.html", "content", page=page, wanted=wanted,
        counts=queries.status_counts(tenant_id),
        private=queries.private_count(tenant_id) if tenant_id is not None else 0,
        kinds=KINDS, form=ConfirmForm(), **extra)


def _retry(row, *, outbox_url: str, action_url: str):
    form = ConfirmForm()
    if row.status == "failed" and form.validate_on_submit():
        services.retry(row, actor=current_user)
        flash(_("The message to %(email)s is queued again.", email=row.recipient), "success")
        return hx_redirect(outbox_url)
    return render_page_or_block("notifications/retry.html", "content", row=row, form=form,
                                kinds=KINDS, outbox_url=outbox_url, action_url=action_url)


@bp.route("/")
def outbox():
    require("outbox.view", g.tenant)
    return _outbox(g.tenant.id, scope=g.tenant.name, admin=False)


@bp.route("/<int:notification_id>/ponow", methods=["GET", "POST"])
def retry(notification_id: int):
    require("outbox.retry", g.tenant)
    row = queries.outbox_row(notification_id, g.tenant.id)
    if row is None:
        abort(404)
    return _retry(row, outbox_url=url_for("tenant.notifications.outbox"),
                  action_url=url_for("tenant.notifications.retry", notification_id=row.id))


@bp.route("/test", methods=["POST"])
def send_test():
    require("outbox.view", g.tenant)
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        services.send_test(user, g.tenant, actor=user)
        flash(_("A test message to %(email)s is queued; the scheduler sends it within a minute.",
                email=user.email), "success")
    return hx_redirect(url_for("tenant.notifications.outbox"))


@root_bp.route("/admin/powiadomienia")
def admin_outbox():
    require("platform.outbox")
    return _outbox(None, scope=None, admin=True)


@root_bp.route("/admin/powiadomienia/<int:notification_id>/ponow", methods=["GET", "POST"])
def admin_retry(notification_id: int):
    require("platform.outbox")
    row = queries.outbox_row(notification_id, None)
    if row is None:
        abort(404)
    return _retry(row, outbox_url=url_for("notify.admin_outbox"),
                  action_url=url_for("notify.admin_retry", notification_id=row.id))


@root_bp.route("/konto/powiadomienia", methods=["GET", "POST"])
def preferences():
    require("account.self")
    email = current_user.email
    current = queries.preferences_of(email)
    kinds = user_kinds()
    form = preferences_form(kinds, current)
    if form.validate_on_submit():
        try:
            diff = services.set_preferences(email, chosen(form), actor=current_user)
        except DomainError as exc:
            form[FIELD_PREFIX + exc.field].errors.append(str(exc))
        else:
            flash(_("Your notification settings are saved.") if diff
                  else _("Nothing has changed."), "success")
            return hx_redirect(url_for("notify.preferences"))
    fixed = [k for k in kinds if k not in choosable(kinds)]
    render = form_invalid if form.errors else render_page_or_block
    return render("notifications/preferences.html", "content", form=form, fixed=fixed,
                  digest_hour=setting("NOTIFICATIONS_DIGEST_HOUR"),
                  digest_day=get_day_names("wide", locale=get_locale())[
                      setting("NOTIFICATIONS_DIGEST_WEEKDAY")])


@root_bp.route("/powiadomienia/wypisz/<unsub_token>", methods=["GET", "POST"])
def unsubscribe(unsub_token: str):
    data = read_unsubscribe_token(unsub_token)
    kind = KINDS.get(data[1]) if data else None
    if kind is None or kind.internal:
        abort(404)
    email = data[0]
    form = ConfirmForm()
    if "off" in kind.modes and form.validate_on_submit():
        services.unsubscribe(email, kind.name)
        flash(_("Done: you will no longer receive “%(kind)s”.", kind=kind.label), "success")
        return hx_redirect(url_for("notify.unsubscribe", unsub_token=unsub_token))
    return render_page_or_block(
        "notifications/unsubscribe.html", "content", form=form, kind=kind, email=email,
        is_off=queries.preferences_of(email).get(kind.name) == "off", token=unsub_token)
