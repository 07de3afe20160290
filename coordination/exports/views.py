"""The requester's background exports: list, progress page (polled by htmx), download."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_login import current_user

from coordination.exports import download, queries, services
from coordination.exports.registry import spec
from coordination.exports.xlsx import xlsx_response
from coordination.htmx import render_page_or_block
from coordination.labels import Labels, register
from coordination.pagination import paginate
from coordination.permissions import can, require
from coordination.tenancy import tenant_context

root_bp = Blueprint("exports", __name__, url_prefix="/eksporty")
#: states of an export job (templates: ``labels.exports.status[code]``).
STATUS_LABELS = Labels({"pending": _l("Waiting in the queue"), "running": _l("Being prepared"),
                       "done": _l("Ready"), "failed": lazy_pgettext("export", "Failed")})
register("exports", status=STATUS_LABELS)
#: htmx stops polling when the answer has this status (the export is finished).
STOP_POLLING = 286


def start_export(kind: str, tenant_id: int | None, params: dict | None = None):
    """The POST answer of an export button: the file itself when small, else a queued job.

    The caller has already checked the export's permission.
    """
    export = spec(kind)
    params = params or {}
    total = export.count(tenant_id, params)
    if total <= current_app.config["EXPORT_INLINE_ROWS"]:
        return xlsx_response(export.filename(tenant_id, params), export.sheets(tenant_id, params))
    job = services.request_export(kind, user=current_user, tenant_id=tenant_id, params=params,
                                  total=total)
    flash(_("The export has %(rows)d rows; it is being prepared in the background.", rows=total),
          "info")
    return redirect(url_for("exports.job_detail", export_job_id=job.id), code=303)


def _job_or_404(export_job_id: int):
    require("account.self")
    job = queries.own_job(export_job_id, current_user.id)
    if job is None:
        abort(404)
    return job


@root_bp.route("/")
def job_list():
    require("account.self")
    page = paginate(queries.own_jobs_page, user_id=current_user.id)
    return render_page_or_block("exports/list.html", "content", page=page)


@root_bp.route("/<int:export_job_id>")
def job_detail(export_job_id: int):
    job = _job_or_404(export_job_id)
    if request.args.get("poll") and request.headers.get("HX-Request"):
        finished = job.status in ("done", "failed")
        return render_page_or_block("exports/detail.html", "status",
                                    status=STOP_POLLING if finished else 200, job=job)
    return render_page_or_block("exports/detail.html", "content", job=job)


@root_bp.route("/<int:export_job_id>/plik")
def job_download(export_job_id: int):
    job = _job_or_404(export_job_id)
    if job.status != "done":
        abort(404)
    # the right to the content is checked again: a role may have been withdrawn meanwhile
    with tenant_context(job.tenant_id):
        if not can(spec(job.kind).permission):
            abort(403)
    return download(job.data, job.filename, job.content_type)
