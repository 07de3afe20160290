"""Documents attached to agenda items: upload, versions, download, delete, the group's list.

Members of the group and the region's coordinators read them; the group's officers and the
coordinators manage them; other regions never see them (404)."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.exports import download
from coordination.htmx import form_round_trip, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require
from coordination.uploads import MAX_DOCUMENT_BYTES
from workgroups.forms import ConfirmForm, DocumentForm, DocumentVersionForm
from workgroups.queries import documents as queries
from workgroups.queries.access import remember_roles_in_group
from workgroups.services import documents as services
from workgroups.views import bp
from workgroups.views.common import _user_id, group_or_404, meeting_and_group

MAX_MB = MAX_DOCUMENT_BYTES // 2**20


def _meeting_url(meeting_id: int) -> str:
    return url_for("tenant.workgroups.meeting_detail", meeting_id=meeting_id) + "#porzadek"


def _document(document_id: int) -> tuple:
    """``(document, group, meeting, agenda item)`` of the current region, or 404."""
    row = queries.document_row(document_id, _user_id())
    if row is None:
        abort(404)
    document, group, meeting, item, roles = row
    remember_roles_in_group(current_user, group.id, roles)
    return document, group, meeting, item


def _upload(form):
    """``(file name, content)`` of the uploaded file; at most one byte over the limit is read, so
    an oversized file is refused without loading it whole."""
    upload = form.file.data
    return upload.filename or "", upload.read(MAX_DOCUMENT_BYTES + 1)


@bp.route("/posiedzenia/<int:meeting_id>/dokumenty/nowy", methods=["GET", "POST"])
def document_new(meeting_id: int):
    meeting, group = meeting_and_group(meeting_id)
    require("document.manage", group)
    agenda, _documents = queries.agenda_with_documents(meeting.id)
    form = DocumentForm()
    form.agenda_item_id.choices = [SelectChoice(a.id, f"{a.position}. {a.title}") for a in agenda]
    if not form.is_submitted():
        chosen = request.args.get("punkt", "")
        form.agenda_item_id.data = int(chosen) if chosen.isdigit() else None
    return form_round_trip(form, "workgroups/document_form.html",
                     lambda: services.upload_document(meeting, group, form.agenda_item_id.data, form.title.data,
                                                      *_upload(form), actor=current_user),
                     lambda _d: _meeting_url(meeting.id), _("Document added."),
                     meeting=meeting, group=group, document=None, max_mb=MAX_MB, has_agenda=bool(agenda))


@bp.route("/dokumenty/<int:meeting_document_id>")
def document_detail(meeting_document_id: int):
    document, group, meeting, item = _document(meeting_document_id)
    require("document.view", group)
    return render_page_or_block("workgroups/document.html", "content", document=document, group=group,
                                meeting=meeting, item=item, versions=queries.versions_of(document.id))


@bp.route("/dokumenty/<int:meeting_document_id>/nowa-wersja", methods=["GET", "POST"])
def document_version_new(meeting_document_id: int):
    document, group, meeting, item = _document(meeting_document_id)
    require("document.manage", group)
    form = DocumentVersionForm()
    return form_round_trip(form, "workgroups/document_form.html",
                     lambda: services.add_version(document, *_upload(form), actor=current_user),
                     lambda _v: url_for("tenant.workgroups.document_detail", meeting_document_id=document.id),
                     _("New version uploaded."), meeting=meeting, group=group, document=document, item=item,
                     max_mb=MAX_MB, has_agenda=True)


@bp.route("/dokumenty/<int:meeting_document_id>/wersje/<int:version_number>")
def document_download(meeting_document_id: int, version_number: int):
    document, group, _meeting, _item = _document(meeting_document_id)
    require("document.view", group)
    version = queries.version_for_download(document.id, version_number)
    if version is None:
        abort(404)
    return download(version.data, version.filename, version.content_type)


@bp.route("/dokumenty/<int:meeting_document_id>/usun", methods=["GET", "POST"])
def document_delete(meeting_document_id: int):
    document, group, meeting, item = _document(meeting_document_id)
    require("document.manage", group)
    form = ConfirmForm()
    return form_round_trip(form, "workgroups/document_delete.html",
                     lambda: services.delete_document(document, actor=current_user),
                     lambda _r: _meeting_url(meeting.id), _("Document deleted."),
                     document=document, group=group, meeting=meeting, item=item)


@bp.route("/<int:group_id>/dokumenty")
def group_documents(group_id: int):
    group = group_or_404(group_id)
    require("document.view", group)
    page = paginate(queries.group_documents_page, group_id=group.id)
    return render_page_or_block("workgroups/documents.html", "content", group=group, page=page)
