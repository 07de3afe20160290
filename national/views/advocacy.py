"""National pages: advocacy issues, their status workflow and dated steps."""

from __future__ import annotations

from flask import flash, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from coordination.pagination import paginate
from coordination.permissions import require
from national import queries, services
from national.catalogue import labels
from national.forms import IssueForm, StepForm, status_choices
from national.models import AdvocacyIssue
from national.services.advocacy import next_statuses
from national.views import root_bp
from national.views.common import apply_error, get_or_404


def _regions() -> dict[str, str]:
    return {t.slug: t.name for t in queries.all_regions()}


@root_bp.route("/rzecznictwo")
def advocacy():
    require("national.view")
    return render_page_or_block("national/advocacy_list.html", "content", page=paginate(queries.issues_page),
                                region_names=_regions(), labels=labels())


def _detail(issue: AdvocacyIssue, form: StepForm, status: int = 200, error: str | None = None):
    form.new_status.choices = status_choices(next_statuses(issue))
    return render_page_or_block("national/advocacy_detail.html", "content", status=status, issue=issue,
                                form=form, error=error, steps=paginate(queries.steps_page, issue_id=issue.id),
                                region_names=_regions(), labels=labels())


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>")
def advocacy_detail(advocacy_issue_id: int):
    require("national.view")
    return _detail(get_or_404(AdvocacyIssue, advocacy_issue_id), StepForm())


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>/krok", methods=["POST"])
def advocacy_step(advocacy_issue_id: int):
    require("national.edit")
    issue = get_or_404(AdvocacyIssue, advocacy_issue_id)
    form = StepForm()
    form.new_status.choices = status_choices(next_statuses(issue))
    error = None
    if form.validate_on_submit():
        try:
            services.add_step(issue, form.taken_on.data, form.description.data, form.new_status.data,
                              actor=current_user)
        except services.NationalError as exc:
            error = apply_error(form, exc)
        else:
            flash(_("Step recorded."), "success")
            return hx_redirect(url_for("national.advocacy_detail", advocacy_issue_id=issue.id))
    return _detail(issue, form, 422, error)


def _issue_form(issue: AdvocacyIssue | None):
    form = IssueForm(obj=issue)
    form.region_slugs.choices = [SelectChoice(slug, name) for slug, name in _regions().items()]
    if form.validate_on_submit():
        try:
            saved = services.save_issue(issue, form.data, actor=current_user)
        except services.NationalError as exc:
            apply_error(form, exc)
        else:
            flash(_("Issue %(code)s saved.", code=saved.code), "success")
            return hx_redirect(url_for("national.advocacy_detail", advocacy_issue_id=saved.id))
    render = form_invalid if form.errors else render_page_or_block
    return render("national/advocacy_form.html", "content", form=form, issue=issue)


@root_bp.route("/rzecznictwo/nowa", methods=["GET", "POST"])
def advocacy_new():
    require("national.edit")
    return _issue_form(None)


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>/edycja", methods=["GET", "POST"])
def advocacy_edit(advocacy_issue_id: int):
    require("national.edit")
    return _issue_form(get_or_404(AdvocacyIssue, advocacy_issue_id))
