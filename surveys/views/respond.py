"""The respondent's token link ``/ankieta/<token>``: no account, one section per page.

The link from the e-mail is exchanged for the session on the first visit and the browser is
sent on to ``/ankieta`` (``survey.respond``), a URL without the token: access logs, the
browser history and Referer headers never hold it after that first request. The session keeps
the respondent's id and the hash of the current token; a revoked link or a newer link (every
e-mail issues one) ends it.

``?strona=0`` (default) is the introduction, ``?strona=N`` the N-th page. Every POST saves the
page's valid answers into the draft (also when the page then fails its check) (save & resume with the same link); "submit" stores the
anonymous response once. An unknown, revoked or foreign token answers 404 with the same page
whether or not it ever existed.
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import select

from coordination.errors import DomainError
from coordination.extensions import db
from coordination.htmx import hx_redirect, is_htmx, render_page_or_block
from coordination.inputs import int_arg
from coordination.permissions import require
from coordination.tenancy import all_tenants, set_request_tenant
from surveys import engine, queries, services
from surveys.models import OTHER, Campaign, Respondent, campaign_status
from surveys.services.responses import missing_or_invalid
from surveys.views import bp, root_bp
from tenants.models import Tenant

ACTIONS = ("prev", "next", "save", "submit")
#: session key holding ``[respondent id, token hash]`` after the token exchange.
SESSION_KEY = "survey_respondent"
#: session key set when the signed-in person entered from the app ("My surveys"), not from
#: the e-mail link: they resume from the region's Surveys page rather than from the e-mail.
VIA_ACCOUNT_KEY = "survey_via_account"


def _from_session() -> Respondent | None:
    held = session.get(SESSION_KEY)
    if not (isinstance(held, list) and len(held) == 2 and isinstance(held[0], int)
            and isinstance(held[1], str)):
        return None
    with all_tenants():
        return db.session.scalar(select(Respondent).where(
            Respondent.id == held[0], Respondent.token_hash == held[1], Respondent.revoked.is_(False)))


def _load():
    respondent = _from_session()
    if respondent is None:
        return None, None
    set_request_tenant(respondent.tenant_id)
    g.tenant = db.session.get(Tenant, respondent.tenant_id)
    return respondent, db.session.get(Campaign, respondent.campaign_id)


def _invalid():
    return render_template("surveys/respond_message.html", kind="invalid", campaign=None), 404


def _page_no(total: int) -> int:
    return max(0, min(int_arg("strona", 0), total))


def _resume_url() -> str | None:
    """The region's Surveys page when the person came from the app and is still signed in
    (they resume with "Continue the survey" there); None for the e-mail link."""
    if session.get(VIA_ACCOUNT_KEY) and current_user.is_authenticated:
        return url_for("tenant.surveys.campaign_list", tenant=g.tenant.slug)
    return None


def _render(campaign, pages, page_no, values, errors=None, status=200, saved=False):
    section, questions = pages[page_no - 1] if page_no else (None, [])
    on_page = {q.code for q in questions}
    shown = [q for q in questions
             if not q.show_if or q.show_if.get("code") in on_page or engine.is_visible(q, values)]
    return render_page_or_block(
        "surveys/respond.html", "content", status=status, campaign=campaign,
        pages=pages, page_no=page_no, total=len(pages), section=section, questions=shown,
        values=values, errors=errors or {}, likert=engine.likert_labels(), field_name=engine.field_name,
        other=OTHER, saved=saved, on_page=on_page, resume_url=_resume_url())


def _go(page_no: int):
    return hx_redirect(url_for("survey.respond", strona=page_no))


@root_bp.route("/ankieta/<survey_token>", methods=["GET", "POST"])
def fill(survey_token: str):
    """The link from the e-mail: exchange the token for the session, go on without it."""
    respondent = services.find_by_token(survey_token)
    if respondent is None:
        session.pop(SESSION_KEY, None)
        return _invalid()
    session.pop(VIA_ACCOUNT_KEY, None)
    return _enter(respondent, request.args.get("strona"))


def _enter(respondent: Respondent, page: str | None = None):
    """Hold the respondent in the session (their id and current token hash) and go on to the
    questionnaire pages, whose URL names nobody."""
    session[SESSION_KEY] = [respondent.id, respondent.token_hash]
    return redirect(url_for("survey.respond", strona=page) if page else url_for("survey.respond"), 303)


@bp.route("/<int:campaign_id>/wypelnij", methods=["POST"])
def fill_in_app(campaign_id: int):
    """"Fill in" from the app (My surveys): the signed-in person's own invitation, found by their
    account's e-mail, continues in the same questionnaire pages as the e-mail link (same
    session, same draft, same anonymous submission); 404 without an open invitation."""
    require("survey.view")
    campaign = db.session.get(Campaign, campaign_id)
    respondent = services.invitation_of_account(campaign, current_user.email) if campaign else None
    if respondent is None:
        abort(404)
    session[VIA_ACCOUNT_KEY] = True
    if is_htmx():
        session[SESSION_KEY] = [respondent.id, respondent.token_hash]
        return hx_redirect(url_for("survey.respond"))
    return _enter(respondent)


@root_bp.route("/ankieta", methods=["GET", "POST"])
def respond():
    respondent, campaign = _load()
    if respondent is None or campaign is None:
        return _invalid()
    status = campaign_status(campaign)
    if respondent.completed:
        return render_page_or_block("surveys/respond_message.html", "content", kind="done", campaign=campaign)
    if status != "open":
        return render_page_or_block("surveys/respond_message.html", "content", kind=status, campaign=campaign)
    pages = queries.sections_and_questions(campaign.id)
    page_no = _page_no(len(pages))
    draft = dict(respondent.draft or {})
    if request.method == "GET":
        return _render(campaign, pages, page_no, draft)
    action = request.form.get("action", "next")
    if action not in ACTIONS or page_no == 0:
        return _go(1)
    _section, questions = pages[page_no - 1]
    # The page's valid answers are saved whatever the button, even when the page then fails
    # its check: a missing required answer must not cost the answers given next to it.
    values, invalid = engine.read_page(questions, request.form, draft, enforce_required=False)
    saved = services.save_draft(respondent, {c: v for c, v in values.items() if c not in invalid},
                                [q.code for q in questions if q.code not in invalid])
    db.session.refresh(respondent)  # draft and completion read together, after our write
    if not saved or respondent.completed or respondent.revoked:
        return _go(0)  # submitted or revoked meanwhile: the page says so
    draft = dict(respondent.draft or {})
    if action in ("next", "submit"):
        _values, errors = engine.read_page(questions, request.form, draft, enforce_required=True)
    else:
        errors = invalid
    if errors:
        return _render(campaign, pages, page_no, {**draft, **values}, errors, status=422)
    if action == "prev":
        return _go(max(1, page_no - 1))
    if action == "next" and page_no < len(pages):
        return _go(page_no + 1)
    if action == "save":
        return _render(campaign, pages, page_no, draft, saved=True)
    all_questions = queries.flat_questions(pages)
    problems = missing_or_invalid(all_questions, draft)
    if problems:
        first = next(i for i, (_s, qs) in enumerate(pages, start=1) if any(q.code in problems for q in qs))
        page_errors = {q.code: problems[q.code] for q in pages[first - 1][1] if q.code in problems}
        body, status = _render(campaign, pages, first, draft, page_errors, status=422)
        # the page shown is not the one posted: its form posts to it, and htmx moves the address
        # there too (without htmx the address keeps the posted page until the next step)
        return body, status, ({"HX-Push-Url": url_for("survey.respond", strona=first)} if is_htmx() else {})
    try:
        services.submit(respondent, campaign, all_questions, draft)
    except services.AlreadySubmitted:
        pass
    except DomainError as exc:
        return _render(campaign, pages, page_no, draft, {"_form": str(exc)}, status=422)
    return hx_redirect(url_for("survey.respond"))
