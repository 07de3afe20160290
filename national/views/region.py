"""One region's diagnosis (``/<tenant>/diagnoza/...``): versions, rating, sign-off, history, exports."""

from __future__ import annotations

from flask import flash, g, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.auth.forms import ConfirmForm
from coordination.errors import DomainError
from coordination.exports import download
from coordination.extensions import db
from coordination.htmx import attach_error, form_invalid, hx_redirect, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import can, require
from national import exports, queries, services
from national.forms import RatingForm, SignForm, StartForm
from national.models import Diagnosis, DiagnosisItem
from national.queries import region as rq
from national.services.diagnosis import incomplete_items, is_region_coordinator
from national.views import bp


def home_panel(tenant):
    """Tenant-home panel: the diagnosis status, for those who may see the diagnosis."""
    if not can("diagnosis.view"):
        return None
    return {"template": "national/region/_home_panel.html", **rq.status_summary()}




@bp.route("/")
def index():
    require("diagnosis.view")
    page = paginate(rq.versions_page)
    return render_page_or_block("national/region/index.html", "content", page=page,
                                names=rq.signers(page.items), advocacy=queries.issues_for_region(g.tenant.slug),
                                **rq.status_summary())


@bp.route("/nowa", methods=["GET", "POST"])
def start():
    require("diagnosis.edit")
    summary = rq.status_summary()
    form = StartForm()
    if form.validate_on_submit():
        try:
            diagnosis = services.start_diagnosis(actor=current_user, reason=form.reason.data)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Version %(version)d started.", version=diagnosis.version), "success")
            return hx_redirect(url_for("tenant.diagnosis.detail", diagnosis_id=diagnosis.id))
    render = form_invalid if form.errors else render_page_or_block
    return render("national/region/start.html", "content", form=form, **summary)


@bp.route("/<int:diagnosis_id>")
def detail(diagnosis_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    tree = rq.diagnosis_detail(diagnosis)
    return render_page_or_block(
        "national/region/detail.html", "content", d=diagnosis, tree=tree,
        names=rq.signers([diagnosis]), consultant=can("diagnosis.consultant"),
        missing=rq.unrated_codes(tree) if diagnosis.status == "draft" else [])


@bp.route("/<int:diagnosis_id>/pozycja/<int:diagnosis_item_id>", methods=["GET", "POST"])
def rate(diagnosis_id: int, diagnosis_item_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    item = db.get_or_404(DiagnosisItem, diagnosis_item_id)
    if diagnosis.status != "draft":
        flash(_("Version %(version)d is signed and can no longer be changed. Start an update instead.",
                version=diagnosis.version), "error")
        return hx_redirect(url_for("tenant.diagnosis.history", diagnosis_id=diagnosis.id,
                                   diagnosis_item_id=item.id))
    require("diagnosis.edit", diagnosis)
    consultant = can("diagnosis.consultant")
    rating = rq.rating_or_blank(diagnosis, item.id)
    form = RatingForm(data=rq.rating_form_data(rating))
    if not consultant:
        del form.consultant_notes
        del form.consultant_notes_released
    if form.validate_on_submit():
        try:
            diff = services.save_rating(diagnosis, item.id, form.data, actor=current_user, consultant=consultant)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Item %(code)s saved.", code=item.code) if diff else _("Nothing has changed."), "success")
            return hx_redirect(url_for("tenant.diagnosis.detail", diagnosis_id=diagnosis.id) + f"#i{item.id}")
    render = form_invalid if form.errors else render_page_or_block
    return render("national/region/rate.html", "content", form=form, d=diagnosis, item=item,
                  rating=rating, consultant=consultant)


def _sign_roles(diagnosis: Diagnosis) -> list[SelectChoice]:
    roles = []
    if can("diagnosis.consultant") and not diagnosis.consultant_signed_by_id:
        roles.append(SelectChoice("consultant", _("National consultant (SIRES)")))
    if is_region_coordinator(current_user) and not diagnosis.coordinator_signed_by_id:
        roles.append(SelectChoice("coordinator", _("Coordinator of the region")))
    return roles


@bp.route("/<int:diagnosis_id>/podpis", methods=["GET", "POST"])
def sign(diagnosis_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    require("diagnosis.sign", diagnosis)
    form = SignForm()
    form.role.choices = _sign_roles(diagnosis)
    if form.validate_on_submit():
        try:
            services.sign(diagnosis, form.role.data, actor=current_user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Version %(version)d is now signed by both sides and final.", version=diagnosis.version)
                  if diagnosis.status == "signed" else _("Your sign-off is recorded."), "success")
            return hx_redirect(url_for("tenant.diagnosis.detail", diagnosis_id=diagnosis.id))
    render = form_invalid if form.errors else render_page_or_block
    return render("national/region/sign.html", "content", form=form, d=diagnosis,
                  missing=incomplete_items(diagnosis), names=rq.signers([diagnosis]))


@bp.route("/<int:diagnosis_id>/odrzuc", methods=["GET", "POST"])
def discard(diagnosis_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    require("diagnosis.edit", diagnosis)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.discard_draft(diagnosis, actor=current_user)
        flash(_("The draft of version %(version)d was discarded.", version=diagnosis.version), "success")
        return hx_redirect(url_for("tenant.diagnosis.index"))
    return render_page_or_block("national/region/discard.html", "content", form=form, d=diagnosis)


@bp.route("/<int:diagnosis_id>/pozycja/<int:diagnosis_item_id>/historia")
def history(diagnosis_id: int, diagnosis_item_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    item = db.get_or_404(DiagnosisItem, diagnosis_item_id)
    return render_page_or_block("national/region/history.html", "content", d=diagnosis, item=item,
                                rows=rq.item_history(item.id),
                                consultant=can("diagnosis.consultant"))


def _export_args(diagnosis_id: int):
    require("diagnosis.view")
    diagnosis = db.get_or_404(Diagnosis, diagnosis_id)
    return diagnosis, rq.diagnosis_detail(diagnosis), rq.signers([diagnosis])


def _filename(diagnosis: Diagnosis, ext: str) -> str:
    return f"diagnoza-{g.tenant.slug}-v{diagnosis.version}.{ext}"


@bp.route("/<int:diagnosis_id>/diagnoza.xlsx")
def export_xlsx(diagnosis_id: int):
    diagnosis, tree, names = _export_args(diagnosis_id)
    data = exports.diagnosis_xlsx(g.tenant, diagnosis, tree, names, private=can("diagnosis.consultant"))
    return download(data, _filename(diagnosis, "xlsx"))


@bp.route("/<int:diagnosis_id>/raport.pdf")
def export_pdf(diagnosis_id: int):
    diagnosis, tree, names = _export_args(diagnosis_id)
    return download(exports.diagnosis_pdf(g.tenant, diagnosis, tree, names), _filename(diagnosis, "pdf"))


@bp.route("/<int:diagnosis_id>/raport.docx")
def export_docx(diagnosis_id: int):
    diagnosis, tree, names = _export_args(diagnosis_id)
    return download(exports.diagnosis_docx(g.tenant, diagnosis, tree, names), _filename(diagnosis, "docx"))
