"""Coordinator pages of a region's campaigns (nested under ``/<tenant>/ankiety``)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from coordination.auth.forms import ConfirmForm
from coordination.errors import DomainError
from coordination.exports import download
from coordination.exports.xlsx import MIME as XLSX
from coordination.extensions import db
from coordination.htmx import (
    attach_error,
    form_round_trip,
    hx_redirect,
    is_htmx,
    render_page_or_block,
)
from coordination.pagination import paginate
from coordination.permissions import can, is_coordinator, require, tenant_roles
from surveys import charts, exports, queries, services
from surveys.catalogue import CORE_CODE, DIMENSIONS
from surveys.engine import field_name, likert_labels
from surveys.forms import (
    CampaignEditForm,
    CampaignForm,
    ImportForm,
    RegionalQuestionEditForm,
    RegionalQuestionForm,
    RespondentForm,
)
from surveys.models import OTHER, Campaign, CampaignQuestion, Respondent, campaign_status
from surveys.views import bp


def home_panel(_tenant) -> dict | None:
    """Tenant home: the latest campaign and its response rate."""
    if not can("survey.view"):
        return None
    return {"template": "surveys/_home_panel.html", "latest": queries.latest_campaign(),
            "status_of": campaign_status}


def _takes_part() -> bool:
    """The signed-in person takes part in the region (member, OWES user), so may be invited;
    coordinators, national readers and administrators run or read the surveys."""
    return bool(tenant_roles(current_user)) and not is_coordinator(current_user)


def my_surveys_panel(_tenant) -> dict | None:
    """Tenant home, "My surveys": open campaigns the signed-in person is invited to, with their
    progress (an empty state when there is none)."""
    if not _takes_part():
        return None
    return {"template": "surveys/_my_surveys_panel.html", "mine": queries.my_open_surveys(current_user.email)}


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _ctx(campaign: Campaign, **extra) -> dict:
    return {"campaign": campaign, "state": campaign_status(campaign), **extra}


@bp.route("/")
def campaign_list():
    require("survey.view")
    page = paginate(queries.campaigns_page)
    return render_page_or_block("surveys/campaigns.html", "content", page=page,
                                status_of=campaign_status,
                                mine=queries.my_open_surveys(current_user.email) if _takes_part() else [])


@bp.route("/nowa", methods=["GET", "POST"])
def campaign_new():
    require("survey.manage")
    form = CampaignForm()

    def save():
        template, _created = services.ensure_core_template()
        return services.create_campaign(
            template, form.year.data, form.opens_on.data, form.closes_on.data,
            title=form.title.data or None, intro=form.intro.data or None,
            anonymous=form.anonymous.data, actor=current_user,
            reminders=form.reminders())

    return form_round_trip(form, "surveys/campaign_form.html", save,
                           lambda campaign: url_for("tenant.surveys.campaign_detail", campaign_id=campaign.id),
                           lambda campaign: _("Campaign %(year)d created.", year=campaign.year),
                           field="year", campaign=None)


@bp.route("/<int:campaign_id>")
def campaign_detail(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    return render_page_or_block(
        "surveys/campaign.html", "content", **_ctx(
            campaign, stats=queries.respondent_stats(campaign.id),
            pages=queries.sections_and_questions(campaign.id), core_code=CORE_CODE))


@bp.route("/<int:campaign_id>/edycja", methods=["GET", "POST"])
def campaign_edit(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    form = CampaignEditForm(obj=campaign)
    return form_round_trip(form, "surveys/campaign_form.html",
                           lambda: services.update_campaign(campaign, title=form.title.data,
                                                            intro=form.intro.data or None,
                                                            opens_on=form.opens_on.data,
                                                            closes_on=form.closes_on.data,
                                                            reminders=form.reminders(), actor=current_user),
                           url_for("tenant.surveys.campaign_detail", campaign_id=campaign.id),
                           _("Campaign saved."), field="closes_on", campaign=campaign)


def _confirm(campaign: Campaign, action: str, do, done_message, **extra):
    """GET: the "are you sure" page of ``action``; POST: run ``do()`` and go back to the campaign."""
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            result = do()
        except DomainError as exc:
            error = str(exc)
        else:
            flash(done_message(result), "success")
            return hx_redirect(url_for("tenant.surveys.campaign_detail", campaign_id=campaign.id))
    status = 422 if error else 200
    return render_page_or_block("surveys/confirm.html", "content", status=status, form=form,
                                action=action, error=error, **_ctx(campaign, **extra))


@bp.route("/<int:campaign_id>/anonimowosc", methods=["GET", "POST"])
def campaign_anonymity(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    target = not campaign.anonymous
    return _confirm(campaign, "anonymity",
                    lambda: services.set_anonymity(campaign, target, actor=current_user),
                    lambda _r: _("The survey is now anonymous.") if target else _("The survey is now named."),
                    responses=services.response_count(campaign.id) + services.drafts_in_progress(campaign.id),
                    locked=services.mode_locked(campaign.id))


@bp.route("/<int:campaign_id>/zamknij", methods=["GET", "POST"])
def campaign_close(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    return _confirm(campaign, "close", lambda: services.close_campaign(campaign, actor=current_user),
                    lambda _r: _("The campaign is closed."))


def _mail_step(campaign_id: int, action: str, send, done_message):
    """Invitations and reminders: confirmation page with the counts, then send."""
    require("survey.manage")
    campaign = _campaign(campaign_id)
    return _confirm(campaign, action, lambda: send(campaign, actor=current_user), done_message,
                    stats=queries.respondent_stats(campaign.id))


@bp.route("/<int:campaign_id>/zaproszenia", methods=["GET", "POST"])
def send_invitations(campaign_id: int):
    return _mail_step(campaign_id, "invite", services.send_invitations,
                      lambda n: _("Invitations queued for sending: %(n)d.", n=n))


@bp.route("/<int:campaign_id>/przypomnienia", methods=["GET", "POST"])
def send_reminders(campaign_id: int):
    return _mail_step(campaign_id, "remind", services.send_reminders,
                      lambda n: _("Reminders queued for sending: %(n)d.", n=n))


# --- the region's own questions ---------------------------------------------------------------

def _questions_page(campaign: Campaign, form, status=200):
    return render_page_or_block("surveys/questions.html", "content", status=status, form=form,
                                answered=services.response_count(campaign.id),
                                **_ctx(campaign, pages=queries.sections_and_questions(campaign.id)))


def _frozen(campaign: Campaign):
    """Once responses exist the questions cannot change: the edit and remove pages (still
    reachable by an old link) show the questionnaire saying why (a submitted form: 409; htmx is
    sent there, as the message shows in the layout); None otherwise."""
    if not services.response_count(campaign.id):
        return None
    flash(_("The survey already has responses, so its questions can no longer be changed or removed "
            "(the answers given must keep meaning what was asked)."), "error")
    if is_htmx():
        return hx_redirect(url_for("tenant.surveys.questions", campaign_id=campaign.id))
    return _questions_page(campaign, RegionalQuestionForm(formdata=None),
                           409 if request.method == "POST" else 200)


@bp.route("/<int:campaign_id>/pytania", methods=["GET", "POST"])
def questions(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    form = RegionalQuestionForm()
    if form.validate_on_submit():
        try:
            services.add_regional_question(
                campaign, code=form.code.data, kind=form.kind.data, text=form.text.data,
                help=form.help.data, required=form.required.data, options_text=form.options_text.data or "",
                allow_other=form.allow_other.data, min_value=form.min_value.data,
                max_value=form.max_value.data, actor=current_user)
        except DomainError as exc:
            attach_error(form, exc, "code")
        else:
            flash(_("Question added."), "success")
            return hx_redirect(url_for("tenant.surveys.questions", campaign_id=campaign.id))
    if form.errors:
        return _questions_page(campaign, form, 422)
    return _questions_page(campaign, form)


def _of_campaign(model, campaign: Campaign, object_id: int):
    """A question or respondent of ``campaign`` (404 for one of another campaign)."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.campaign_id != campaign.id:
        abort(404)
    return obj


@bp.route("/<int:campaign_id>/pytania/<int:survey_question_id>/edycja", methods=["GET", "POST"])
def question_edit(campaign_id: int, survey_question_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    question = _of_campaign(CampaignQuestion, campaign, survey_question_id)
    if not question.regional:
        abort(404)
    if (frozen := _frozen(campaign)) is not None:
        return frozen
    form = RegionalQuestionEditForm(obj=question, data={"options_text": services.regional_options_text(question)})
    if form.validate_on_submit():
        try:
            services.update_regional_question(
                question, text=form.text.data, help=form.help.data, required=form.required.data,
                options_text=form.options_text.data or "", allow_other=form.allow_other.data,
                min_value=form.min_value.data, max_value=form.max_value.data, actor=current_user)
        except DomainError as exc:
            attach_error(form, exc, "text")
        else:
            flash(_("Question saved."), "success")
            return hx_redirect(url_for("tenant.surveys.questions", campaign_id=campaign.id))
    return render_page_or_block("surveys/question_edit.html", "content", status=422 if form.errors else 200,
                                form=form, question=question, **_ctx(campaign))


@bp.route("/<int:campaign_id>/podglad")
def preview(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    return render_page_or_block("surveys/preview.html", "content",
                                pages=queries.sections_and_questions(campaign.id),
                                likert=likert_labels(), field_name=field_name, other=OTHER,
                                **_ctx(campaign))


@bp.route("/<int:campaign_id>/pytania/<int:survey_question_id>/usun", methods=["GET", "POST"])
def question_remove(campaign_id: int, survey_question_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    question = _of_campaign(CampaignQuestion, campaign, survey_question_id)
    if (frozen := _frozen(campaign)) is not None:
        return frozen
    return _confirm(campaign, "remove_question",
                    lambda: services.remove_regional_question(question, actor=current_user),
                    lambda _r: _("Question removed."), question=question)


# --- respondents (status only) ----------------------------------------------------------------

def _respondents_page(campaign: Campaign, form, import_form, status=200, import_result=None):
    q = request.args.get("q", "").strip()
    page = paginate(queries.respondents_page, campaign_id=campaign.id, q=q)
    return render_page_or_block("surveys/respondents.html", "content", status=status, form=form,
                                import_form=import_form, page=page, q=q, import_result=import_result,
                                rates=queries.category_rates(campaign.id),
                                **_ctx(campaign, stats=queries.respondent_stats(campaign.id)))


@bp.route("/<int:campaign_id>/respondenci", methods=["GET", "POST"])
def respondents(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    form = RespondentForm()
    if form.validate_on_submit():
        try:
            services.add_respondent(campaign, form.full_name.data, form.email.data, actor=current_user)
        except DomainError as exc:
            attach_error(form, exc, "email")
        else:
            flash(_("%(name)s added to the list.", name=form.full_name.data), "success")
            return hx_redirect(url_for("tenant.surveys.respondents", campaign_id=campaign.id))
    if form.errors:
        return _respondents_page(campaign, form, ImportForm(formdata=None), 422)
    return _respondents_page(campaign, form, ImportForm(formdata=None))


@bp.route("/<int:campaign_id>/respondenci/import", methods=["GET", "POST"])
def respondents_import(campaign_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = services.import_respondents(campaign, upload.filename or "", upload.read(),
                                                 actor=current_user)
        except DomainError as exc:
            attach_error(form, exc, "file")
        else:
            if not result.errors:
                flash(_("Imported: %(added)d added, %(skipped)d already on the list.",
                        added=result.added, skipped=result.skipped), "success")
                return hx_redirect(url_for("tenant.surveys.respondents", campaign_id=campaign.id))
    invalid = bool(form.errors or (result and result.errors))
    return _respondents_page(campaign, RespondentForm(formdata=None), form, 422 if invalid else 200,
                             import_result=result)


@bp.route("/<int:campaign_id>/respondenci/komitet", methods=["GET", "POST"])
def respondents_committee(campaign_id: int):
    """GET: who importing the committee group would add; POST: add them."""
    require("survey.manage")
    campaign = _campaign(campaign_id)
    form = ConfirmForm()
    error = None
    if form.validate_on_submit():
        try:
            done = services.import_committee(campaign, actor=current_user)
        except DomainError as exc:
            error = str(exc)
        else:
            flash(ngettext("%(num)d committee member added to the list.",
                           "%(num)d committee members added to the list.", len(done.to_add)), "success")
            return hx_redirect(url_for("tenant.surveys.respondents", campaign_id=campaign.id))
    return render_page_or_block("surveys/committee_import.html", "content", status=422 if error else 200,
                                form=form, error=error, preview=queries.committee_preview(campaign.id),
                                **_ctx(campaign))



@bp.route("/<int:campaign_id>/respondenci/<int:respondent_id>/wycofaj", methods=["GET", "POST"])
def respondent_revoke(campaign_id: int, respondent_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    person = _of_campaign(Respondent, campaign, respondent_id)
    return _confirm(campaign, "revoke", lambda: services.revoke_respondent(person, actor=current_user),
                    lambda _r: _("The link of %(name)s no longer works.", name=person.full_name),
                    respondent=person)


@bp.route("/<int:campaign_id>/respondenci/<int:respondent_id>/usun", methods=["GET", "POST"])
def respondent_remove(campaign_id: int, respondent_id: int):
    require("survey.manage")
    campaign = _campaign(campaign_id)
    person = _of_campaign(Respondent, campaign, respondent_id)
    return _confirm(campaign, "remove_respondent",
                    lambda: services.remove_respondent(person, actor=current_user),
                    lambda _r: _("%(name)s removed from the list.", name=person.full_name),
                    respondent=person)


# --- results and exports ----------------------------------------------------------------------

def _campaign_and_questions(campaign_id: int):
    """The campaign with its questions in one query (404 if the region has no such campaign)."""
    loaded = queries.campaign_with_questions(campaign_id)
    if loaded is None:
        abort(404)
    return loaded


@bp.route("/<int:campaign_id>/wyniki")
def results(campaign_id: int):
    """Results, first part: the response rate and the dimensions; the longer sections below
    (:data:`RESULT_SECTIONS`) are links that load in place with htmx and are pages of their own
    without JavaScript (:func:`results_section`). ``?pokaz=<code>`` (the address of "show all
    answers" before the sections were split) leads to the answers' section."""
    require("survey.view")
    if expanded := request.args.get("pokaz"):
        return redirect(_questions_url(campaign_id, expanded), 303)
    campaign, questions = _campaign_and_questions(campaign_id)
    state = campaign_status(campaign)
    data = queries.results(campaign, questions, parts=frozenset({"dimensions"} if state == "closed" else ()))
    return render_page_or_block("surveys/results.html", "content", r=data, charts=charts,
                                export_allowed=exports.responses_export_allowed(campaign, data["total"]),
                                dimensions=DIMENSIONS, sections=RESULT_SECTIONS, **_ctx(campaign))


#: sections of the results page loaded on request: URL segment -> the parts of the results
#: they read (:data:`surveys.queries.results.PARTS`).
RESULT_SECTIONS = {"kategorie": frozenset({"categories"}), "lata": frozenset({"yoy"}),
                   "pytania": frozenset({"questions", "texts"})}


def _questions_url(campaign_id: int, code: str) -> str:
    return url_for("tenant.surveys.results_section", campaign_id=campaign_id, results_part="pytania",
                   pokaz=code, _anchor=f"res-{code}")


@bp.route("/<int:campaign_id>/wyniki/<any(kategorie, lata, pytania):results_part>")
def results_section(campaign_id: int, results_part: str):
    """One section of the results (categories, year over year, answers by question): only the
    section for htmx, a page of its own otherwise. The answers' section lists the first
    OPEN_ANSWERS_SHOWN open answers of each question, all of them for the question named by
    ``?pokaz=<code>`` (the page stays the same size as answers grow)."""
    require("survey.view")
    campaign, questions = _campaign_and_questions(campaign_id)
    state = campaign_status(campaign)
    expanded = request.args.get("pokaz")
    data = queries.results(campaign, questions, texts_shown=OPEN_ANSWERS_SHOWN, expanded=expanded,
                           parts=RESULT_SECTIONS[results_part] if state == "closed" else frozenset())
    return render_page_or_block("surveys/results_section.html", "section", r=data, charts=charts,
                                likert=likert_labels(), dimensions=DIMENSIONS, section=results_part,
                                expanded=expanded, open_answers_shown=OPEN_ANSWERS_SHOWN, **_ctx(campaign))


#: open answers listed per question on the results page before "show all".
OPEN_ANSWERS_SHOWN = 20


@bp.route("/<int:campaign_id>/eksport/odpowiedzi.xlsx")
def export_responses(campaign_id: int):
    require("survey.export_responses")
    campaign, questions = _campaign_and_questions(campaign_id)
    try:
        data = exports.responses_xlsx(campaign, questions)
    except DomainError as exc:
        flash(str(exc), "error")
        return redirect(url_for("tenant.surveys.results", campaign_id=campaign.id), 303)
    return download(data, f"ankieta-{g.tenant.slug}-{campaign.year}-odpowiedzi.xlsx", XLSX)


def _results_closed(campaign: Campaign):
    """None when the campaign's results may be shown (it has closed), else the redirect back to
    the results page that says why: results that change with each answer while it is open
    would show what the latest person answered (compare two downloads)."""
    if campaign_status(campaign) == "closed":
        return None
    flash(_("The results can be downloaded when the survey has closed."), "error")
    return redirect(url_for("tenant.surveys.results", campaign_id=campaign.id), 303)


@bp.route("/<int:campaign_id>/eksport/wyniki.xlsx")
def export_results(campaign_id: int):
    require("survey.view")
    campaign, questions = _campaign_and_questions(campaign_id)
    if (refused := _results_closed(campaign)) is not None:
        return refused
    return download(exports.results_xlsx(queries.results(campaign, questions)),
                    f"ankieta-{g.tenant.slug}-{campaign.year}-wyniki.xlsx", XLSX)


@bp.route("/<int:campaign_id>/eksport/raport.pdf")
def export_pdf(campaign_id: int):
    require("survey.view")
    campaign, questions = _campaign_and_questions(campaign_id)
    if (refused := _results_closed(campaign)) is not None:
        return refused
    return download(exports.report_pdf(queries.results(campaign, questions), g.tenant),
                    f"ankieta-{g.tenant.slug}-{campaign.year}-raport.pdf", "application/pdf")
