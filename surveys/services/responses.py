"""Answering: saving a draft and submitting exactly once per token, anonymously."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

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
from surveys.queries.results import MIN_GROUP
from surveys.services import tally


class AlreadySubmitted(DomainError):
    """The token was already used to submit (one response per token)."""


def week_of(day: date) -> date:
    """Monday of the week of ``day`` (completions are kept by week, never by day)."""
    return day - timedelta(days=day.weekday())


def reveal_completions(campaign_id: int) -> int:
    """Show on the respondents page the completions not shown yet, once there are at least
    :data:`MIN_GROUP` of them (all at once); returns how many were revealed.

    A coordinator who watches the list and the results as they change can then attribute a
    change of the results only to a group of at least 5 people, never to one person. The
    last fewer than 5 completions of a campaign are never shown individually.
    """
    hidden = select(func.count(Respondent.id)).where(
        Respondent.campaign_id == campaign_id, Respondent.completed.is_(True),
        Respondent.completion_shown.is_(False))
    if (db.session.scalar(hidden) or 0) < MIN_GROUP:
        return 0
    return db.session.execute(
        update(Respondent)
        .where(Respondent.campaign_id == campaign_id, Respondent.completed.is_(True),
               Respondent.completion_shown.is_(False))
        .values(completion_shown=True)
        .execution_options(synchronize_session=False)).rowcount


def scrub_erased() -> None:
    """After erasing answers (drafts), make them unrecoverable from the database files.

    SQLite (``secure_delete`` is on for every connection, see :mod:`coordination`) overwrites
    freed content with zeros, but the write-ahead log still holds earlier copies of the pages:
    a ``TRUNCATE`` checkpoint writes them back and empties the log. PostgreSQL has no secure
    delete; see docs/surveys.md for what holds there. Call after the commit.
    """
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


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
    respondent, IP or time of day — only the campaign year, the mode it was answered under and
    (answered under the named mode only) the name. The completion is kept by week; the erased
    draft is scrubbed from the database files.
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
        .values(completed=True, completed_on=week_of(clock.today()), draft=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if flipped != 1:
        db.session.rollback()
        raise AlreadySubmitted(_("Your answers have already been recorded. Thank you!"))
    response_id = _store(campaign, questions, draft, campaign.anonymous, respondent.full_name)
    reveal_completions(campaign.id)
    db.session.commit()
    scrub_erased()
    return response_id


def _store(campaign: Campaign, questions: list[CampaignQuestion], draft: dict[str, Any],
           anonymous: bool, respondent_name: str | None = None, is_demo: bool = False) -> str:
    """Add the response (answered under the mode ``anonymous``) and its answer rows to the
    session, and count them in the campaign's tallies (the caller commits: answers and tallies
    land together or not at all). A name is never stored with an anonymous response."""
    response = Response(campaign_id=campaign.id, year=campaign.year, anonymous=anonymous,
                        respondent_name=None if anonymous else respondent_name, is_demo=is_demo)
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
    respondent.completed_on = week_of(completed_on)
    response_id = _store(campaign, questions, draft, campaign.anonymous, respondent.full_name, is_demo=True)
    db.session.flush()
    reveal_completions(campaign.id)
    db.session.commit()
    return response_id
