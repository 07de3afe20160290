"""The tenant blueprint ``/<tenant>/...``: loads the tenant, guards access, home and settings.

Every module blueprint that works inside a region is nested here, so it inherits the tenant
loading and the access guard: a route is reachable only by people who may see the tenant
unless it is explicitly marked :func:`public`.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination import audit_labels
from coordination.auth import queries as auth_queries
from coordination.auth import services as auth_services
from coordination.auth.forms import ConfirmForm, InviteForm, RoleForm
from coordination.auth.models import Membership
from coordination.errors import DomainError
from coordination.exports.views import start_export
from coordination.extensions import db
from coordination.htmx import attach_error, form_invalid, hx_redirect, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import can, require
from coordination.tenancy import set_request_tenant
from coordination.text import normalize_text
from tenants import queries, services
from tenants.forms import TenantSettingsForm

#: the ``/<tenant>`` blueprint; the modules' tenant blueprints are nested into it by create_app.
bp = Blueprint("tenant", __name__, url_prefix="/<tenant>")


def public(view):
    """Mark a tenant route as visible to anyone (e.g. the region's public home)."""
    view._public = True
    return view


def enter_region(slug: str | None):
    """The region of ``slug`` becomes the request's tenant (404 for an unknown one): what every
    region page does first (also the bench's layout floor, ``coordination.benchmode``)."""
    tenant = queries.by_slug(slug) if slug else None
    if tenant is None:
        abort(404)
    g.tenant = tenant
    set_request_tenant(tenant.id)
    return tenant


@bp.url_value_preprocessor
def _load_tenant(_endpoint, values):
    enter_region((values or {}).pop("tenant", None))


#: endpoint -> does its URL take ``<tenant>``? (url_for is called per table row: keep it cheap)
_EXPECTS_TENANT: dict[tuple[int, str], bool] = {}


@bp.url_defaults
def _add_tenant(endpoint, values):
    if "tenant" in values:
        return
    tenant = g.get("tenant")
    if tenant is None:
        return
    key = (id(current_app.url_map), endpoint)
    expects = _EXPECTS_TENANT.get(key)
    if expects is None:
        expects = _EXPECTS_TENANT[key] = current_app.url_map.is_endpoint_expecting(endpoint, "tenant")
    if expects:
        values["tenant"] = tenant.slug


@bp.before_request
def _guard():
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "_public", False):
        require("tenant.view")


@bp.route("/")
@public
def home():
    sees = can("tenant.view")
    return render_page_or_block(
        "tenants/home.html", "content",
        tenant=g.tenant,
        sees=sees,
        panels=queries.home_panels() if sees else [],
        roles=queries.role_counts() if sees else {},
    )


@bp.route("/ustawienia", methods=["GET", "POST"])
def settings():
    require("tenant.settings", g.tenant)
    form = TenantSettingsForm(obj=g.tenant, data=services.operator_form_data(g.tenant))
    if form.validate_on_submit():
        diff = services.update_settings(g.tenant, form.data, actor=current_user)
        flash(_("Settings saved.") if diff else _("Nothing has changed."), "success")
        return hx_redirect(url_for("tenant.settings"))
    if form.errors:
        return form_invalid("tenants/settings.html", "content", form=form)
    return render_page_or_block("tenants/settings.html", "content", form=form)


def _users_page(form, status=200):
    # as the form layer does: no control characters (a NUL would end SQLite's pattern early)
    q = normalize_text(request.args.get("q", "")).strip()[:200]
    page = paginate(auth_queries.tenant_members, q=q)
    return render_page_or_block("tenants/users.html", "content", status=status,
                                form=form, page=page, q=q)


@bp.route("/uzytkownicy", methods=["GET", "POST"])
def users():
    require("tenant.users", g.tenant)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            auth_services.invite(g.tenant, form.email.data, form.full_name.data, form.role.data,
                                 actor=current_user)
        except DomainError as exc:
            attach_error(form, exc, "email")
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return hx_redirect(url_for("tenant.users"))
    if form.errors:
        return _users_page(form, 422)
    return _users_page(form)


@bp.route("/uzytkownicy/<int:membership_id>", methods=["GET", "POST"])
def user_edit(membership_id: int):
    require("tenant.users", g.tenant)
    membership = db.get_or_404(Membership, membership_id)
    user = db.session.get(auth_services.User, membership.user_id)
    form = RoleForm(obj=membership)
    if form.validate_on_submit():
        if membership.user_id == current_user.id and form.role.data != "coordinator" and not current_user.is_admin:
            form.role.errors.append(_("You cannot take the coordinator role away from yourself."))
        else:
            auth_services.change_role(membership, form.role.data, actor=current_user)
            flash(_("Role saved."), "success")
            return hx_redirect(url_for("tenant.users"))
    if form.errors:
        return form_invalid("tenants/user_edit.html", "content", form=form, membership=membership, user=user)
    return render_page_or_block("tenants/user_edit.html", "content", form=form,
                                membership=membership, user=user)


@bp.route("/uzytkownicy/<int:membership_id>/usun", methods=["GET", "POST"])
def user_remove(membership_id: int):
    require("tenant.users", g.tenant)
    membership = db.get_or_404(Membership, membership_id)
    user = db.session.get(auth_services.User, membership.user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if membership.user_id == current_user.id:
            flash(_("You cannot remove yourself from the region."), "error")
            return hx_redirect(url_for("tenant.users"))
        try:
            auth_services.remove_membership(membership, actor=current_user)
        except DomainError as exc:
            flash(str(exc), "error")
            return hx_redirect(url_for("tenant.users"))
        flash(_("%(name)s no longer has access to this region.", name=user.full_name), "success")
        return hx_redirect(url_for("tenant.users"))
    return render_page_or_block("tenants/user_remove.html", "content", form=form,
                                membership=membership, user=user,
                                last_coordinator=auth_queries.only_coordinator(membership))


@bp.route("/dziennik")
def audit_log():
    require("tenant.audit", g.tenant)
    return audit_labels.log_page(g.tenant.id, g.tenant.name,
                                 url_for("tenant.audit_export", **audit_labels.export_params(request.args)))


@bp.route("/dziennik/eksport", methods=["POST"])
def audit_export():
    require("tenant.audit", g.tenant)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return start_export("audit_log", g.tenant.id, audit_labels.export_params(request.args))
