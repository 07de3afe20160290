"""Evaluation studies, documents, consultation rounds (comment matrix, report) and the
recommendations table."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination import clock
from coordination.auth.forms import ConfirmForm
from coordination.errors import DomainError
from coordination.exports import download
from coordination.extensions import db
from coordination.htmx import form_round_trip, hx_redirect
from coordination.pagination import paginate
from coordination.permissions import can, require
from coordination.uploads import MAX_DOCUMENT_BYTES, read_upload
from owes import exports, queries
from owes.forms import (
    AnswerForm,
    CommentForm,
    DocumentForm,
    RecommendationForm,
    RecommendationStatusForm,
    RoundForm,
    StudyForm,
)
from owes.labels import LABELS
from owes.models import (
    ConsultationComment,
    ConsultationRound,
    Recommendation,
    Study,
    StudyDocument,
)
from owes.services import evaluation as services
from owes.views import bp
from owes.views.common import page


@bp.route("/ewaluacje")
def study_list():
    require("owes.view")
    return page("owes/studies.html", page=paginate(queries.studies_page))


def _study_form(study: Study | None):
    form = StudyForm(obj=study)
    form.owes_id.choices = [SelectChoice(0, _("— none (system-wide study) —"))] + [
        SelectChoice(i, name) for i, name in queries.owes_choices()]
    if study is not None and not form.is_submitted():
        form.owes_id.data = study.owes_id or 0

    def save():
        data = dict(form.data, owes_id=form.owes_id.data or None)
        saved = services.save_study(study, data, actor=current_user)
        return url_for(".study_detail", study_id=saved.id)

    back = url_for(".study_detail", study_id=study.id) if study else url_for(".study_list")
    return form_round_trip(form, "owes/form.html", save, message=_("Saved."),
                     title=_("New evaluation study") if study is None else _("Edit the study"),
                     action=url_for(".study_edit", study_id=study.id) if study else url_for(".study_new"),
                     back=back)


@bp.route("/ewaluacje/nowe", methods=["GET", "POST"])
def study_new():
    require("owes.manage")
    return _study_form(None)


@bp.route("/ewaluacje/<int:study_id>")
def study_detail(study_id: int):
    found = queries.study_with_owes(study_id)
    if found is None:
        abort(404)
    study, owes = found
    require("owes.view")
    return page("owes/study.html", study=study, owes=owes, **queries.study_detail(study))


@bp.route("/ewaluacje/<int:study_id>/edycja", methods=["GET", "POST"])
def study_edit(study_id: int):
    study = db.get_or_404(Study, study_id)
    require("owes.manage")
    return _study_form(study)


@bp.route("/ewaluacje/<int:study_id>/dokumenty", methods=["GET", "POST"])
def document_upload(study_id: int):
    study = db.get_or_404(Study, study_id)
    require("owes.manage")
    form = DocumentForm()

    def save():
        upload = form.file.data
        services.add_document(study, form.kind.data, upload.filename or "", read_upload(upload),
                              actor=current_user)
        return url_for(".study_detail", study_id=study.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Add a document to %(title)s", title=study.title),
                     intro=_("PDF, DOCX, ODT or XLSX, at most %(mb)d MB. A new file of the same kind "
                             "becomes its next version.", mb=MAX_DOCUMENT_BYTES // 2**20),
                     multipart=True, action=url_for(".document_upload", study_id=study.id),
                     back=url_for(".study_detail", study_id=study.id))


@bp.route("/ewaluacje/dokumenty/<int:document_id>")
def document_download(document_id: int):
    doc = db.get_or_404(StudyDocument, document_id)
    require("owes.view")
    return download(doc.data, doc.filename, doc.content_type)


@bp.route("/ewaluacje/<int:study_id>/konsultacje/nowa", methods=["GET", "POST"])
def round_new(study_id: int):
    study = db.get_or_404(Study, study_id)
    require("owes.manage")
    form = RoundForm()
    docs = [d for d in queries.study_documents(study) if d.kind == "draft"]
    form.document_id.choices = [SelectChoice(0, _("— no document —"))] + [
        SelectChoice(d.id, f"{d.filename} (v{d.version})") for d in docs]
    if not form.is_submitted():
        form.participants.data = ["rops", "owes", "monitoring_group"]

    def save():
        rnd = services.open_round(study, dict(form.data, document_id=form.document_id.data or None),
                                  actor=current_user)
        return url_for(".round_detail", round_id=rnd.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Open a consultation of %(title)s", title=study.title),
                     action=url_for(".round_new", study_id=study.id),
                     back=url_for(".study_detail", study_id=study.id))


def _round(round_id: int) -> tuple[ConsultationRound, Study]:
    rnd = db.get_or_404(ConsultationRound, round_id)
    return rnd, db.get_or_404(Study, rnd.study_id)


@bp.route("/konsultacje/<int:round_id>")
def round_detail(round_id: int):
    rnd, study = _round(round_id)
    require("owes.view")
    return page("owes/round.html", rnd=rnd, study=study, page=paginate(queries.comments_page, rnd=rnd),
                accepting=services.accepting_comments(rnd), may_comment=can("owes.comment", study))


@bp.route("/konsultacje/<int:round_id>/uwagi", methods=["GET", "POST"])
def comment_add(round_id: int):
    rnd, study = _round(round_id)
    require("owes.comment", study)
    form = CommentForm()
    if not form.is_submitted():
        form.author_name.data = current_user.full_name

    def save():
        services.add_comment(rnd, form.data, actor=current_user)
        return url_for(".round_detail", round_id=rnd.id)

    intro = None if services.accepting_comments(rnd) else _(
        "This consultation does not accept comments now (open %(a)s – %(b)s).",
        a=rnd.opens_on.isoformat(), b=rnd.closes_on.isoformat())
    return form_round_trip(form, "owes/form.html", save, title=_("Comment on %(title)s", title=study.title),
                     intro=intro, message=_("Your comment was added to the matrix."),
                     action=url_for(".comment_add", round_id=rnd.id),
                     back=url_for(".round_detail", round_id=rnd.id))


@bp.route("/uwagi/<int:consultation_comment_id>/odpowiedz", methods=["GET", "POST"])
def comment_answer(consultation_comment_id: int):
    comment = db.get_or_404(ConsultationComment, consultation_comment_id)
    rnd, study = _round(comment.round_id)
    require("owes.manage")
    form = AnswerForm(obj=None if comment.answer is None else comment)
    if not form.is_submitted() and comment.answer:
        form.reason.data = comment.answer_reason

    def save():
        services.answer_comment(comment, rnd, form.answer.data, form.reason.data, actor=current_user)
        return url_for(".round_detail", round_id=rnd.id)

    return form_round_trip(form, "owes/answer.html", save, message=_("Saved."), comment=comment, rnd=rnd, study=study,
                     action=url_for(".comment_answer", consultation_comment_id=comment.id),
                     back=url_for(".round_detail", round_id=rnd.id))


@bp.route("/konsultacje/<int:round_id>/zamknij", methods=["GET", "POST"])
def round_close(round_id: int):
    rnd, study = _round(round_id)
    require("owes.manage")
    form = ConfirmForm()
    back = url_for(".round_detail", round_id=rnd.id)
    error = None
    if form.validate_on_submit():
        try:
            n = services.close_round(rnd, study, actor=current_user)
        except DomainError as exc:
            error = str(exc)
        else:
            flash(ngettext("The consultation is closed; the outcome goes by e-mail to %(num)d commenter.",
                           "The consultation is closed; the outcome goes by e-mail to %(num)d commenters.",
                           n), "success")
            return hx_redirect(back)
    resp = page("owes/confirm.html", form=form, title=_("Close the consultation"), error=error,
                question=_("Close the consultation of “%(title)s”? Comments and answers cannot "
                           "change afterwards; everyone who commented gets the outcome by e-mail.",
                           title=study.title),
                action=url_for(".round_close", round_id=rnd.id), back=back, button=_("Yes, close"))
    return (resp[0], 422) if error else resp


#: the consultation report's formats: builder and MIME type.
REPORT_FORMATS = {
    "xlsx": (exports.consultation_workbook, exports.XLSX_MIMETYPE),
    "docx": (exports.consultation_docx, exports.docx.MIME),
    "pdf": (exports.consultation_pdf, exports.pdf.MIME),
}


@bp.route("/konsultacje/<int:round_id>/raport.<any(xlsx, docx, pdf):report_format>")
def round_report(round_id: int, report_format: str):
    """The consultation report (every comment and its answer) as XLSX, DOCX or PDF."""
    rnd, study = _round(round_id)
    require("owes.view")
    build, mimetype = REPORT_FORMATS[report_format]
    return download(build(study, rnd, queries.all_comments(rnd), LABELS),
                    f"konsultacja-{rnd.id}-raport.{report_format}", mimetype)


@bp.route("/ewaluacje/<int:study_id>/rekomendacje/nowa", methods=["GET", "POST"])
def recommendation_new(study_id: int):
    study = db.get_or_404(Study, study_id)
    require("owes.manage")
    form = RecommendationForm()

    def save():
        services.save_recommendation(study, None, form.data, actor=current_user)
        return url_for(".study_detail", study_id=study.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("New recommendation"),
                     action=url_for(".recommendation_new", study_id=study.id),
                     back=url_for(".study_detail", study_id=study.id))


@bp.route("/rekomendacje/<int:recommendation_id>")
def recommendation_detail(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    require("owes.view")
    return page("owes/recommendation.html", rec=rec, study=db.get_or_404(Study, rec.study_id),
                updates=queries.recommendation_updates(rec))


@bp.route("/rekomendacje/<int:recommendation_id>/edycja", methods=["GET", "POST"])
def recommendation_edit(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    study = db.get_or_404(Study, rec.study_id)
    require("owes.manage")
    form = RecommendationForm(obj=rec)

    def save():
        services.save_recommendation(study, rec, form.data, actor=current_user)
        return url_for(".recommendation_detail", recommendation_id=rec.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Edit the recommendation"),
                     action=url_for(".recommendation_edit", recommendation_id=rec.id),
                     back=url_for(".recommendation_detail", recommendation_id=rec.id))


@bp.route("/rekomendacje/<int:recommendation_id>/status", methods=["GET", "POST"])
def recommendation_status(recommendation_id: int):
    rec = db.get_or_404(Recommendation, recommendation_id)
    require("owes.manage")
    form = RecommendationStatusForm()
    if not form.is_submitted():
        form.year.data, form.status.data = clock.today().year, rec.status

    def save():
        services.update_recommendation_status(rec, form.year.data, form.status.data, form.note.data,
                                              actor=current_user)
        return url_for(".recommendation_detail", recommendation_id=rec.id)

    return form_round_trip(form, "owes/form.html", save, message=_("Saved."), title=_("Yearly update of the recommendation"),
                     intro=_("One update per year; a second update for the same year replaces it."),
                     action=url_for(".recommendation_status", recommendation_id=rec.id),
                     back=url_for(".recommendation_detail", recommendation_id=rec.id))


@bp.route("/rekomendacje")
def recommendation_list():
    require("owes.view")
    return page("owes/recommendations.html", page=paginate(queries.recommendations_page))


