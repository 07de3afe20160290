"""Answering: saving a draft and submitting exactly once per token, anonymously."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from surveys import engine
from surveys.models import (
    Answer,
    Campaign,
    CampaignQuestion,
    Respondent,
    Response,
    campaign_status,
)
from surveys.services import tally


class AlreadySubmitted(DomainError):
    """The token was already used to submit (one response per token)."""


def save_draft(respondent: Respondent, values: dict[str, Any], page_codes: list[str]) -> bool:
    """Store the answers of one page (replacing that page's earlier answers) for resuming later.

    The draft is the only place where answers sit next to a person; it is erased when the
    survey is submitted (or the token revoked). The write is guarded so that a draft can never
    land on a respondent who has meanwhile submitted (e.g. the same link open twice); returns
    False in that case.
    """
    draft = dict(respondent.draft or {})
    for code in page_codes:
        draft.pop(code, None)
    draft.update(values)
    saved = db.session.execute(
        update(Respondent)
        .where(Respondent.id == respondent.id, Respondent.completed.is_(False),
               Respondent.revoked.is_(False))
        .values(draft=draft)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    db.session.commit()
    return saved


def missing_or_invalid(questions: list[CampaignQuestion], draft: dict[str, Any]) -> dict[str, str]:
    """Errors over the whole questionnaire (required answers, hidden questions ignored)."""
    errors = {}
    for q in questions:
        if engine.is_visible(q, draft):
            error = engine.validate(q, draft.get(q.code), enforce_required=True)
            if error:
                errors[q.code] = error
    return errors


def submit(respondent: Respondent, campaign: Campaign, questions: list[CampaignQuestion],
           draft: dict[str, Any]) -> str:
    """Store the response and mark the token used, in one transaction; return the response id.

    Exactly-once: the respondent row is flipped with ``UPDATE … WHERE completed = false``;
    of concurrent submissions with one token only the one whose update changed a row stores
    a response, the others get :class:`AlreadySubmitted`. The response carries no token,
    respondent, IP or time of day — only the campaign year (and the name in named campaigns).
    """
    if campaign_status(campaign) != "open":
        raise DomainError(_("The survey is not open."))
    errors = missing_or_invalid(questions, draft)
    if errors:
        raise DomainError(_("Some answers are missing or invalid."))
    flipped = db.session.execute(
        update(Respondent)
        .where(Respondent.id == respondent.id, Respondent.completed.is_(False),
               Respondent.revoked.is_(False))
        .values(completed=True, completed_on=clock.today(), draft=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if flipped != 1:
        db.session.rollback()
        raise AlreadySubmitted(_("Your answers have already been recorded. Thank you!"))
    response_id = _store(campaign, questions, draft,
                         None if campaign.anonymous else respondent.full_name)
    db.session.commit()
    return response_id


def _store(campaign: Campaign, questions: list[CampaignQuestion], draft: dict[str, Any],
           respondent_name: str | None, is_demo: bool = False) -> str:
    """Add the response and its answer rows to the session, and count them in the campaign's
    tallies (the caller commits: answers and tallies land together or not at all)."""
    response = Response(campaign_id=campaign.id, year=campaign.year, respondent_name=respondent_name,
                        is_demo=is_demo)
    db.session.add(response)
    db.session.flush()
    answered = [(q, engine.answer_rows(q, draft.get(q.code))) for q in questions if engine.is_visible(q, draft)]
    for q, rows in answered:
        for row in rows:
            db.session.add(Answer(response_id=response.id, question_id=q.id,
                                  campaign_id=campaign.id, **row))
    tally.count_response(campaign, answered)
    return response.id


def record_demo_response(respondent: Respondent, campaign: Campaign,
                         questions: list[CampaignQuestion], draft: dict[str, Any], completed_on) -> str:
    """Demo data only: store a generated response for ``respondent`` whatever the dates."""
    respondent.completed = True
    respondent.completed_on = completed_on
    response_id = _store(campaign, questions, draft,
                         None if campaign.anonymous else respondent.full_name, is_demo=True)
    db.session.commit()
    return response_id
