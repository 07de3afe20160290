"""Registry pages: list, detail, create/edit/delete, operators, projects, bound people."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.auth.forms import ConfirmForm
from coordination.auth.models import Membership
from coordination.extensions import db
from coordination.htmx import form_round_trip, hx_redirect
from coordination.pagination import paginate
from coordination.permissions import can, require
from owes import queries
from owes.forms import BindForm, OperatorForm, OwesForm, ProjectForm
from owes.models import Owes, OwesOperator, OwesProject
from owes.services import GOVERNED_OWES_FIELDS
from owes.services import registry as services
from owes.views import bp
from owes.views.common import (
    child_or_404,
    confirm_remove,
    page,
)


def home_panel(_tenant):
    """Tenant home: the region's OWES and their accreditation."""
    rows = [{"owes": o, "expiring": services.accreditation_expiring(o)} for o in queries.home_owes()]
    return {"template": "owes/_home_panel.html", "owes_rows": rows}


@bp.route("/")
def owes_list():
    require("owes.view")
    return page("owes/list.html", page=paginate(queries.owes_page))


@bp.route("/nowy", methods=["GET", "POST"])
def owes_new():
    require("owes.manage")
    form = OwesForm()

    def save():
        owes = services.save_owes(None, form.data, actor=current_user)
        return url_for(".owes_detail", owes_id=owes.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("New OWES"),
                     action=url_for(".owes_new"), back=url_for(".owes_list"))


@bp.route("/<int:owes_id>")
def owes_detail(owes_id: int):
    found = queries.owes_with_plans(owes_id)
    if found is None:
        abort(404)
    owes, plans = found
    require("owes.view")
    return page("owes/detail.html", owes=owes, plans=plans, **queries.owes_detail(owes))


@bp.route("/<int:owes_id>/edycja", methods=["GET", "POST"])
def owes_edit(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.edit", owes)
    form = OwesForm(obj=owes)
    if not can("owes.govern", owes):  # the accreditation is the coordinator's to record
        for name in GOVERNED_OWES_FIELDS:
            delattr(form, name)
    if not form.is_submitted():
        form.subregion.data = "\n".join(owes.subregion or [])

    def save():
        services.save_owes(owes, form.data, actor=current_user)
        return url_for(".owes_detail", owes_id=owes.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Edit %(name)s", name=owes.name),
                     action=url_for(".owes_edit", owes_id=owes.id),
                     back=url_for(".owes_detail", owes_id=owes.id))


@bp.route("/<int:owes_id>/usun", methods=["GET", "POST"])
def owes_delete(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.manage")
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_owes(owes, actor=current_user)
        flash(_("%(name)s was removed.", name=owes.name), "success")
        return hx_redirect(url_for(".owes_list"))
    return page("owes/confirm.html", form=form, title=_("Remove %(name)s", name=owes.name),
                question=_("Remove the OWES with its operators, projects, plans, reported values "
                           "and evaluation studies? This cannot be undone."),
                action=url_for(".owes_delete", owes_id=owes.id),
                back=url_for(".owes_detail", owes_id=owes.id), button=_("Yes, remove"))


@bp.route("/<int:owes_id>/operatorzy", methods=["GET", "POST"])
def operator_add(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.govern", owes)
    form = OperatorForm()

    def save():
        services.add_operator(owes, form.name.data, form.role.data, form.responsibility.data,
                              actor=current_user)
        return url_for(".owes_detail", owes_id=owes.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Add an operator to %(name)s", name=owes.name),
                     action=url_for(".operator_add", owes_id=owes.id),
                     back=url_for(".owes_detail", owes_id=owes.id))


def _remove(owes: Owes, obj, what: str, action_name: str, endpoint: str, **ids):
    return confirm_remove(obj, what, action_name, action=url_for(endpoint, owes_id=owes.id, **ids),
                          back=url_for(".owes_detail", owes_id=owes.id))


@bp.route("/<int:owes_id>/operatorzy/<int:operator_id>/usun", methods=["GET", "POST"])
def operator_delete(owes_id: int, operator_id: int):
    owes = db.get_or_404(Owes, owes_id)
    op = child_or_404(OwesOperator, operator_id, owes_id=owes.id)
    require("owes.govern", owes)
    return _remove(owes, op, op.name, "owes.operator_remove", ".operator_delete", operator_id=op.id)


@bp.route("/<int:owes_id>/projekty", methods=["GET", "POST"])
def project_add(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.edit", owes)
    form = ProjectForm()

    def save():
        services.add_project(owes, form.data, actor=current_user)
        return url_for(".owes_detail", owes_id=owes.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Add a project to %(name)s", name=owes.name),
                     action=url_for(".project_add", owes_id=owes.id),
                     back=url_for(".owes_detail", owes_id=owes.id))


@bp.route("/<int:owes_id>/projekty/<int:project_id>/usun", methods=["GET", "POST"])
def project_delete(owes_id: int, project_id: int):
    owes = db.get_or_404(Owes, owes_id)
    project = child_or_404(OwesProject, project_id, owes_id=owes.id)
    require("owes.edit", owes)
    return _remove(owes, project, project.name, "owes.project_remove", ".project_delete",
                   project_id=project.id)


@bp.route("/<int:owes_id>/osoby", methods=["GET", "POST"])
def owes_bind(owes_id: int):
    owes = db.get_or_404(Owes, owes_id)
    require("owes.manage")
    form = BindForm()
    rows = queries.bindable_memberships()
    form.membership_id.choices = [SelectChoice(m.id, f"{u.full_name} ({u.email})") for m, u in rows]

    def save():
        membership = db.get_or_404(Membership, form.membership_id.data)
        services.bind_user(membership, owes, actor=current_user)
        return url_for(".owes_detail", owes_id=owes.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Bind a representative to %(name)s", name=owes.name),
                     intro=_("The person will edit this OWES's data and report its values. "
                             "Invite people with the role “OWES representative” on the Users page first.")
                     if rows else _("Nobody in this region has the role “OWES representative” yet. "
                                    "Invite them on the Users page first."),
                     action=url_for(".owes_bind", owes_id=owes.id),
                     back=url_for(".owes_detail", owes_id=owes.id))
