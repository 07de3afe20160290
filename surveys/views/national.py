"""National pages under ``/kraj/ankiety``: regions side by side, the core template's wording."""

from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordination.extensions import db
from coordination.htmx import form_invalid, hx_redirect, render_page_or_block
from coordination.inputs import int_arg
from coordination.permissions import require
from surveys import charts, queries, services
from surveys.catalogue import CORE_CODE, DIMENSIONS
from surveys.forms import TemplateQuestionForm
from surveys.models import TemplateQuestion
from surveys.views import root_bp
from tenants.queries import all_regions


@root_bp.route("/kraj/ankiety")
def national_comparison():
    """By default the latest year with results (a closed campaign with responses): a year whose
    campaigns are all still open has none to show yet. A year asked for that has no campaign
    stays selected in the form beside the message saying so; a "rok" that is not a year is
    reported and the default year shown."""
    require("national.view")
    years = queries.campaign_years()
    asked = request.args.get("rok", "").strip()
    year = int_arg("rok", None, minimum=1, maximum=9999)
    not_a_year = asked if asked and year is None else None
    if year is None:
        year = queries.latest_scored_year() or (years[0] if years else None)
    scores = queries.region_dimension_scores(year) if year else {}
    medians = queries.national_medians(scores)
    rows = [(t, scores[t.id]) for t in all_regions() if t.id in scores]  # the request's region list
    options = sorted({*years, year}, reverse=True) if year else years
    return render_page_or_block("surveys/national.html", "content", years=options, year=year, rows=rows,
                                has_campaigns=year in years, not_a_year=not_a_year, medians=medians,
                                dimensions=DIMENSIONS, charts=charts, min_group=queries.MIN_GROUP)


@root_bp.route("/kraj/ankiety/szablon")
def core_template():
    require("national.view")
    template, pages = queries.template_with_questions(CORE_CODE)
    return render_page_or_block("surveys/core_template.html", "content", core=template, pages=pages,
                                dimensions=DIMENSIONS)


@root_bp.route("/kraj/ankiety/szablon/<int:template_question_id>", methods=["GET", "POST"])
def core_question_edit(template_question_id: int):
    require("national.view")
    require("survey_core.edit")
    question = db.session.get(TemplateQuestion, template_question_id)
    if question is None:
        abort(404)
    form = TemplateQuestionForm(obj=question)
    if form.validate_on_submit():
        diff = services.update_template_question(
            question, {"text": form.text.data, "help": form.help.data or None, "required": form.required.data},
            actor=current_user)
        flash(_("Question %(code)s saved.", code=question.code) if diff else _("Nothing has changed."), "success")
        return hx_redirect(url_for("survey.core_template"))
    if form.errors:
        return form_invalid("surveys/core_question.html", "content", form=form, question=question)
    return render_page_or_block("surveys/core_question.html", "content", form=form, question=question)
