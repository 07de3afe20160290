"""Reported values: list, entry, submit, review (verify/return), reopen, XLSX template/export/
import with preview; the coordinators' review queue; the tenant progress matrix; the catalogue."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.auth.forms import ConfirmForm
from coordination.errors import DomainError
from coordination.exports import download
from coordination.extensions import db
from coordination.htmx import attach_error, form_invalid, form_round_trip, hx_redirect
from coordination.pagination import paginate, paginate_list
from coordination.permissions import require
from coordination.uploads import read_upload
from owes import exports, queries
from owes.forms import ImportForm, ReasonForm, ReviewForm, ValueForm
from owes.models import VALUE_STATUSES, ImportBatch, Indicator, Owes, ReportedValue
from owes.services import imports as import_services
from owes.services import values as services
from owes.views import bp
from owes.views.common import (
    as_of,
    child_or_404,
    owes_plan,
    page,
)
from owes.views.plans import indicator_choices


def _period_label(period: str) -> str:
    if "-H" in period:
        year, half = period.split("-H")
        return _("%(year)s, half-year %(half)s", year=year, half=half)
    return period


@bp.route("/<int:owes_id>/plany/<int:plan_id>/wartosci")
def value_list(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.view")
    status = request.args.get("status", "")
    status = status if status in VALUE_STATUSES else ""
    values = paginate(queries.values_page, owes=owes, plan=plan, status=status)
    return page("owes/values.html", owes=owes, plan=plan, status_filter=status, statuses=VALUE_STATUSES,
                page=values, period_label=_period_label, drafts=values.summary)


def _breakdown(form) -> dict | None:
    out: dict = {}
    for name in ("women", "men", "disability"):
        if getattr(form, name).data is not None:
            out[name] = getattr(form, name).data
    lines = [ln.strip() for ln in (form.powiaty.data or "").splitlines() if ln.strip()]
    if lines:
        powiaty = {}
        for line in lines:
            name, sep, number = line.rpartition(":")
            try:
                if not sep or not name.strip():
                    raise InvalidOperation
                powiaty[name.strip()] = Decimal(number.strip().replace(",", "."))
            except InvalidOperation:
                raise DomainError(_("Write each powiat as “name: number” (line “%(line)s”).",
                                  line=line[:60])) from None
        out["powiat"] = powiaty
    return out or None


def _value_form(owes, plan, row: ReportedValue | None):
    require("owes.report", owes)
    form = ValueForm(obj=row)
    form.indicator_id.choices = indicator_choices(active_only=row is None)
    form.period.choices = [SelectChoice(p, _period_label(p)) for p in services.plan_periods(plan)]
    if row is not None and not form.is_submitted() and row.breakdown:
        for key in ("women", "men", "disability"):
            if key in row.breakdown:
                getattr(form, key).data = Decimal(str(row.breakdown[key]))
        form.powiaty.data = "\n".join(f"{k}: {v:g}" for k, v in (row.breakdown.get("powiat") or {}).items())
    if row is None or row.evidence_filename is None:
        del form.remove_evidence_file
    else:
        form.evidence_file.description = _(
            "Attached now: %(name)s. A new file replaces it.", name=row.evidence_filename)
    back = url_for(".value_list", owes_id=owes.id, plan_id=plan.id)

    def save():
        indicator = db.get_or_404(Indicator, form.indicator_id.data)
        upload = form.evidence_file.data
        services.save_value(owes, plan, indicator, form.period.data, form.value.data,
                            evidence=form.evidence.data, breakdown=_breakdown(form),
                            actor=current_user, existing=row,
                            evidence_file=(upload.filename or "", read_upload(upload)) if upload else None,
                            remove_evidence_file="remove_evidence_file" in form and form.remove_evidence_file.data)
        return back

    title = _("Report a value") if row is None else _("Change a value")
    intro = None
    if row is not None and row.status == "returned" and row.review_comment:
        intro = _("Returned by the coordinator: %(comment)s", comment=row.review_comment)
    return form_round_trip(form, "owes/form.html", save, title=f"{title} – {owes.name}", intro=intro,
                     message=_("Saved as a draft. Submit it to the coordinator when ready."),
                     action=request.path, back=back, multipart=True)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/wartosci/nowa", methods=["GET", "POST"])
def value_new(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    return _value_form(owes, plan, None)


def _owes_value(owes_id: int, value_id: int):
    """The OWES, the value and the plan whose years include it (404 when any is missing)."""
    owes = db.get_or_404(Owes, owes_id)
    row = child_or_404(ReportedValue, value_id, owes_id=owes.id)
    plan = queries.plan_covering(owes, row.year)
    if plan is None:
        abort(404)
    return owes, plan, row


@bp.route("/<int:owes_id>/wartosci/<int:value_id>", methods=["GET", "POST"])
def value_edit(owes_id: int, value_id: int):
    owes, plan, row = _owes_value(owes_id, value_id)
    if row.status == "verified":
        require("owes.report", owes)
        return page("owes/locked.html", owes=owes, plan=plan, row=row,
                    indicator=db.get_or_404(Indicator, row.indicator_id))
    return _value_form(owes, plan, row)


@bp.route("/<int:owes_id>/wartosci/<int:value_id>/dowod")
def value_evidence(owes_id: int, value_id: int):
    """The evidence file of a value, always as an attachment."""
    owes = db.get_or_404(Owes, owes_id)
    row = child_or_404(ReportedValue, value_id, owes_id=owes.id)
    require("owes.view")
    if row.evidence_filename is None:
        abort(404)
    return download(row.evidence_data, row.evidence_filename, row.evidence_content_type)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/przekaz", methods=["POST"])
def plan_submit(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.report", owes)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    n = services.submit(queries.drafts(owes, plan), actor=current_user)
    flash(ngettext("%(num)d value submitted to the coordinator.",
                   "%(num)d values submitted to the coordinator.", n) if n else
          _("There was nothing to submit."), "success")
    return hx_redirect(url_for(".value_list", owes_id=owes.id, plan_id=plan.id))


@bp.route("/<int:owes_id>/wartosci/<int:value_id>/weryfikacja", methods=["GET", "POST"])
def value_review(owes_id: int, value_id: int):
    owes, plan, row = _owes_value(owes_id, value_id)
    require("owes.verify")
    indicator = db.get_or_404(Indicator, row.indicator_id)
    form = ReviewForm()
    ctx = {"owes": owes, "plan": plan, "row": row, "indicator": indicator,
           "period_label": _period_label}
    if form.validate_on_submit():
        try:
            if form.send_back.data:
                services.return_value(row, form.comment.data, actor=current_user)
                flash(_("The value was returned to the OWES."), "success")
            else:
                services.verify(row, actor=current_user)
                flash(_("The value is verified."), "success")
        except DomainError as exc:
            attach_error(form, exc)
        else:
            nxt = request.args.get("next") == "queue"
            return hx_redirect(url_for(".review_queue") if nxt else
                               url_for(".value_list", owes_id=owes.id, plan_id=plan.id))
    if form.errors:
        return form_invalid("owes/review.html", "content", form=form, **ctx)
    return page("owes/review.html", form=form, **ctx)


@bp.route("/<int:owes_id>/wartosci/<int:value_id>/otworz", methods=["GET", "POST"])
def value_reopen(owes_id: int, value_id: int):
    owes, plan, row = _owes_value(owes_id, value_id)
    require("owes.verify")
    form = ReasonForm()

    def save():
        services.reopen(row, form.reason.data, actor=current_user)
        return url_for(".value_list", owes_id=owes.id, plan_id=plan.id)

    return form_round_trip(form, "owes/form.html", save, title=_("Reopen a verified value"),
                     intro=_("The value goes back to the OWES as returned, with your reason. "
                             "This is recorded in the audit log."),
                     message=_("The value was reopened."), submit=_("Reopen"),
                     action=request.path, back=url_for(".value_list", owes_id=owes.id, plan_id=plan.id))


@bp.route("/do-weryfikacji")
def review_queue():
    require("owes.verify")
    return page("owes/queue.html", page=paginate(queries.review_queue), period_label=_period_label)


# --- XLSX -----------------------------------------------------------------------------------

@bp.route("/<int:owes_id>/plany/<int:plan_id>/szablon.xlsx")
def plan_template(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.view")
    data = exports.plan_workbook(plan, queries.indicators(active_only=True), queries.plan_targets(plan))
    return download(data, f"owes-{owes.id}-plan-{plan.start_year}-{plan.end_year}-szablon.xlsx", exports.XLSX_MIMETYPE)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/eksport.xlsx")
def plan_export(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.view")
    values, details = queries.plan_values_map(owes, plan)
    data = exports.plan_workbook(plan, queries.indicators(), queries.plan_targets(plan), values, details)
    return download(data, f"owes-{owes.id}-plan-{plan.start_year}-{plan.end_year}.xlsx", exports.XLSX_MIMETYPE)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/import", methods=["GET", "POST"])
def plan_import(owes_id: int, plan_id: int):
    owes, plan = owes_plan(owes_id, plan_id)
    require("owes.report", owes)
    form = ImportForm()
    ctx = {"owes": owes, "plan": plan}
    if form.validate_on_submit():
        upload = form.file.data
        result = import_services.prepare(owes, plan, upload.filename or "",
                                         read_upload(upload, import_services.MAX_BYTES),
                                         actor=current_user)
        if isinstance(result, ImportBatch):
            return hx_redirect(url_for(".plan_import_preview", owes_id=owes.id, plan_id=plan.id,
                                       import_token=result.token))
        return form_invalid("owes/import.html", "content", form=form, problems=result, **ctx)
    if form.errors:
        return form_invalid("owes/import.html", "content", form=form, problems=[], **ctx)
    return page("owes/import.html", form=form, problems=[], **ctx)


@bp.route("/<int:owes_id>/plany/<int:plan_id>/import/<import_token>", methods=["GET", "POST"])
def plan_import_preview(owes_id: int, plan_id: int, import_token: str):
    owes, plan = owes_plan(owes_id, plan_id)
    batch = queries.import_batch(import_token)
    if batch is None or batch.owes_id != owes.id or batch.plan_id != plan.id:
        abort(404)
    require("owes.report", owes)
    form = ConfirmForm()
    if form.validate_on_submit():
        if request.form.get("discard"):
            import_services.discard(batch)
            flash(_("The import was cancelled; nothing changed."), "success")
            return hx_redirect(url_for(".plan_import", owes_id=owes.id, plan_id=plan.id))
        try:
            summary = import_services.apply(batch, actor=current_user)
        except DomainError as exc:
            flash(str(exc), "error")
            return hx_redirect(url_for(".plan_import", owes_id=owes.id, plan_id=plan.id))
        flash(_("Imported: %(new)d new and %(changed)d changed values, %(targets)d targets.",
                new=summary["new_values"], changed=summary["changed_values"],
                targets=summary["new_targets"] + summary["changed_targets"]), "success")
        return hx_redirect(url_for(".value_list", owes_id=owes.id, plan_id=plan.id))
    changes = [("value", v) for v in batch.payload["values"]] + \
              [("target", t) for t in batch.payload["targets"]]
    return page("owes/import_preview.html", owes=owes, plan=plan, batch=batch, form=form,
                page=paginate_list(changes), period_label=_period_label)


# --- progress and catalogue -----------------------------------------------------------------

#: OWES shown side by side on one page of the region's progress view.
PROGRESS_COLUMNS = 8


@bp.route("/postep")
def tenant_progress():
    require("owes.view")
    when = as_of()
    # OWES are columns side by side: more than a screenful is unreadable, so pages stay narrow
    columns = paginate(queries.tenant_progress, per_page=PROGRESS_COLUMNS, as_of=when)
    return page("owes/progress.html", as_of=when, page=columns, indicators=columns.summary)


@bp.route("/wskazniki")
def indicator_list():
    require("owes.view")
    return page("owes/indicators.html", page=paginate(queries.indicators_page), manage=False)
