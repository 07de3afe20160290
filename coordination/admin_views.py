"""Platform administration: all accounts, all audit entries, mail sent in demo mode."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination import audit_labels
from coordination import demo_mail as demo_mail_queries
from coordination.auth import queries as auth_queries
from coordination.auth import services as auth_services
from coordination.auth.forms import AccountForm, ConfirmForm, GrantRoleForm, PlatformUserForm
from coordination.auth.models import PLATFORM_ROLES, ROLE_LABELS, TENANT_ROLES, Membership, User
from coordination.collation import sorted_pl
from coordination.errors import DomainError
from coordination.exports.views import start_export
from coordination.extensions import db
from coordination.htmx import attach_error, form_round_trip, hx_redirect, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require
from coordination.tenancy import all_tenants
from tenants.queries import all_regions

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _region_choices() -> list[tuple[str, str]]:
    return [(t.slug, t.name) for t in sorted_pl(all_regions(), key=lambda t: t.name)]


def _role_filter_choices() -> list[tuple[str, str]]:
    return [(code, str(ROLE_LABELS[code])) for code in (*TENANT_ROLES, *PLATFORM_ROLES)]


@bp.route("/uzytkownicy")
def users():
    require("platform.users")
    q = request.args.get("q", "").strip()[:200]
    region = request.args.get("region", "")
    role = request.args.get("role", "")
    tenant = next((t for t in all_regions() if t.slug == region), None)
    if tenant is None:
        region = ""
    if role not in (*TENANT_ROLES, *PLATFORM_ROLES):
        role = ""
    page = paginate(auth_queries.all_users, q=q, tenant_id=tenant.id if tenant else None, role=role)
    return render_page_or_block("admin/users.html", "content", page=page, q=q, region=region,
                                role=role, region_choices=_region_choices(),
                                roles=_role_filter_choices())


@bp.route("/uzytkownicy/nowy", methods=["GET", "POST"])
def user_create():
    require("platform.users")
    form = AccountForm()
    return form_round_trip(
        form, "admin/user_create.html",
        lambda: auth_services.create_account(form.email.data, form.full_name.data, actor=current_user),
        done=lambda user: url_for("admin.user_edit", user_id=user.id),
        message=lambda user: _("Account created. An e-mail with a link to set the password "
                               "is on its way to %(email)s.", email=user.email),
        field="email")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _user_page(user: User, form=None, grant=None, status: int = 200):
    form = form or PlatformUserForm(obj=user, formdata=None)
    grant = grant or _grant_form()
    return render_page_or_block("admin/user_edit.html", "content", status=status, user=user,
                                form=form, grant=grant, roles=auth_queries.user_roles(user),
                                when=audit_labels.when_label)


def _grant_form(formdata=None):
    grant = GrantRoleForm(formdata=formdata) if formdata is not None else GrantRoleForm(formdata=None)
    grant.tenant.choices = [("", _("– choose a region –")), *_region_choices()]
    return grant


@bp.route("/uzytkownicy/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    """The person's page: data, roles in the regions, platform roles, account status."""
    require("platform.users")
    user = _user_or_404(user_id)
    if request.method == "GET":
        return _user_page(user)
    form = PlatformUserForm()
    if form.validate_on_submit():
        try:
            auth_services.set_platform_flags(user, is_admin=form.is_admin.data,
                                             is_national=form.is_national.data, actor=current_user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Platform roles saved."), "success")
            return hx_redirect(url_for("admin.user_edit", user_id=user.id))
    return _user_page(user, form=form, status=422)


@bp.route("/uzytkownicy/<int:user_id>/role", methods=["POST"])
def user_role_add(user_id: int):
    require("platform.users")
    user = _user_or_404(user_id)
    grant = _grant_form(request.form)
    if grant.validate_on_submit():
        tenant = next(t for t in all_regions() if t.slug == grant.tenant.data)
        try:
            auth_services.grant_role(user, tenant, grant.role.data, actor=current_user)
        except DomainError as exc:
            attach_error(grant, exc, "tenant")
        else:
            flash(_("Role saved: %(role)s – %(region)s.", role=ROLE_LABELS[grant.role.data],
                    region=tenant.name), "success")
            return hx_redirect(url_for("admin.user_edit", user_id=user.id))
    return _user_page(user, grant=grant, status=422)


@bp.route("/role/<int:membership_id>/usun", methods=["GET", "POST"])
def user_role_remove(membership_id: int):
    """Confirm, then take the role in the region away."""
    require("platform.users")
    with all_tenants():
        membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    user = _user_or_404(membership.user_id)
    tenant = next(t for t in all_regions() if t.id == membership.tenant_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        auth_services.revoke_role(membership, actor=current_user)
        flash(_("Role removed: %(role)s – %(region)s.", role=ROLE_LABELS[membership.role],
                region=tenant.name), "success")
        return hx_redirect(url_for("admin.user_edit", user_id=user.id))
    return render_page_or_block("admin/user_role_remove.html", "content", form=form, user=user,
                                membership=membership, tenant=tenant)


@bp.route("/uzytkownicy/<int:user_id>/stan", methods=["GET", "POST"])
def user_status(user_id: int):
    """Confirm, then deactivate (or reactivate) the account."""
    require("platform.users")
    user = _user_or_404(user_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            auth_services.set_platform_flags(user, active=not user.active, actor=current_user)
        except DomainError as exc:
            error = str(exc)
        else:
            flash(_("Account reactivated.") if user.active else _("Account deactivated."), "success")
            return hx_redirect(url_for("admin.user_edit", user_id=user.id))
    return render_page_or_block("admin/user_status.html", "content", status=422 if error else 200,
                                form=form, user=user, error=error)


@bp.route("/dziennik")
def audit_log():
    require("platform.audit")
    export = url_for("admin.audit_export", **audit_labels.export_params(request.args))
    return audit_labels.log_page(None, None, export)


@bp.route("/dziennik/eksport", methods=["POST"])
def audit_export():
    require("platform.audit")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return start_export("platform_audit_log", None, audit_labels.export_params(request.args))


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
