"""National pages: advocacy issues, their status workflow and dated steps."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.htmx import (
    attach_error,
    form_round_trip,
    hx_redirect,
    render_page_or_block,
)
from coordination.pagination import paginate
from coordination.permissions import require
from national import queries, services
from national.forms import IssueForm, StepForm, status_choices
from national.models import AdvocacyIssue
from national.queries.region import item_choices
from national.services.advocacy import next_statuses
from national.views import root_bp


@root_bp.route("/rzecznictwo")
def advocacy():
    require("national.view")
    return render_page_or_block("national/advocacy_list.html", "content", page=paginate(queries.issues_page),
                                region_names=queries.region_names())


def _detail(issue: AdvocacyIssue, form: StepForm, status: int = 200):
    form.new_status.choices = status_choices(next_statuses(issue))
    return render_page_or_block("national/advocacy_detail.html", "content", status=status, issue=issue,
                                form=form, steps=paginate(queries.steps_page, issue_id=issue.id),
                                region_names=queries.region_names(), items=queries.issue_items([issue.id])[issue.id])


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>")
def advocacy_detail(advocacy_issue_id: int):
    require("national.view")
    return _detail(db.get_or_404(AdvocacyIssue, advocacy_issue_id), StepForm())


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>/krok", methods=["POST"])
def advocacy_step(advocacy_issue_id: int):
    require("national.edit")
    issue = db.get_or_404(AdvocacyIssue, advocacy_issue_id)
    form = StepForm()
    form.new_status.choices = status_choices(next_statuses(issue))
    if form.validate_on_submit():
        try:
            services.add_step(issue, form.taken_on.data, form.description.data, form.new_status.data,
                              actor=current_user)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            flash(_("Step recorded."), "success")
            return hx_redirect(url_for("national.advocacy_detail", advocacy_issue_id=issue.id))
    return _detail(issue, form, 422)


def _issue_form(issue: AdvocacyIssue | None):
    form = IssueForm(obj=issue)
    form.region_slugs.choices = [SelectChoice(slug, name) for slug, name in queries.region_names().items()]
    form.item_ids.choices = [SelectChoice(i, label) for i, label in item_choices()]
    if issue is not None and request.method == "GET":
        form.item_ids.data = [i for i, _code, _title in queries.issue_items([issue.id])[issue.id]]
    return form_round_trip(form, "national/advocacy_form.html",
                           lambda: services.save_issue(issue, form.data, actor=current_user),
                           lambda saved: url_for("national.advocacy_detail", advocacy_issue_id=saved.id),
                           lambda saved: _("Issue %(code)s saved.", code=saved.code), issue=issue)


@root_bp.route("/rzecznictwo/nowa", methods=["GET", "POST"])
def advocacy_new():
    require("national.edit")
    return _issue_form(None)


@root_bp.route("/rzecznictwo/<int:advocacy_issue_id>/edycja", methods=["GET", "POST"])
def advocacy_edit(advocacy_issue_id: int):
    require("national.edit")
    return _issue_form(db.get_or_404(AdvocacyIssue, advocacy_issue_id))
