"""Survey engine tables: national templates, yearly campaigns, respondents, anonymous responses.

Anonymity is a property of the schema, not of the pages:

* :class:`Respondent` holds the person (name, e-mail), the *hash* of their token and whether
  they have completed the survey — nothing of what they answered (except an unsent draft,
  erased on submission);
* :class:`Response` and :class:`Answer` hold what was answered with no token, no user or
  respondent id, no IP address and no timestamp (only the campaign ``year``); their primary
  key is random so that the order of ids does not reveal the order of submissions.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint, func, or_
from sqlalchemy.orm import Mapped, mapped_column

from coordination import clock
from coordination.db import TenantScoped
from coordination.extensions import db

#: question kinds the engine understands.
QUESTION_KINDS = ("likert", "single", "multi", "number", "short_text", "long_text", "matrix")
#: value stored for the "trudno powiedzieć" (don't know) option of Likert questions.
DONT_KNOW = "dk"
#: code of the "other, please specify" option of choice questions.
OTHER = "other"
#: code of the profile question whose answer (the respondent's membership category) splits results.
CATEGORY_CODE = "PROF-KAT"
#: question kinds whose numbers are 1-5 ratings (means, medians, dimension scores).
RATED_KINDS = ("likert", "matrix")


def _random_id() -> str:
    return uuid.uuid4().hex


class QuestionFields:
    """Columns shared by template questions and campaign questions (one engine, two owners)."""

    #: stable code, e.g. "KOM-01"; survives wording changes so years and regions compare.
    code: Mapped[str] = mapped_column(String(30))
    #: one of QUESTION_KINDS.
    kind: Mapped[str] = mapped_column(String(20))
    #: the question as shown to respondents.
    text: Mapped[str] = mapped_column(Text)
    #: optional explanation shown under the question.
    help: Mapped[str | None] = mapped_column(Text)
    #: must be answered before the page can be left forward / submitted.
    required: Mapped[bool] = mapped_column(default=False)
    #: order within the section.
    position: Mapped[int] = mapped_column(default=0)
    #: choice questions: [{"code": "JST", "label": "..."}, ...]; None otherwise.
    options: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    #: matrix questions: [{"code": "KOM-01", "label": "..."}, ...]; None otherwise.
    items: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    #: choice questions: offer "other, please specify".
    allow_other: Mapped[bool] = mapped_column(default=False)
    #: number questions: smallest accepted value.
    min_value: Mapped[float | None] = mapped_column(Float)
    #: number questions: largest accepted value.
    max_value: Mapped[float | None] = mapped_column(Float)
    #: text questions: longest accepted answer in characters.
    max_length: Mapped[int | None]
    #: rating dimension code (e.g. "KOM") for Likert items that count in dimension scores.
    dimension: Mapped[str | None] = mapped_column(String(20))
    #: conditional display: {"code": "PROF-KAT", "values": ["OWES"]}; None = always shown.
    show_if: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SurveyTemplate(db.Model):
    """A national survey template (the core every region's campaign starts from).

    Not tenant-scoped: only admins and national consultants edit it.
    """

    __tablename__ = "survey_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable identifier, e.g. "RKRES-CORE".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: title shown to respondents.
    title: Mapped[str] = mapped_column(String(300))
    #: introduction shown on the first page.
    intro: Mapped[str | None] = mapped_column(Text)
    #: last change (wording edits included).
    updated_at: Mapped[datetime] = mapped_column(default=clock.utcnow, server_default=func.now(), onupdate=clock.utcnow)


class TemplateSection(db.Model):
    """A page of a national template."""

    __tablename__ = "survey_template_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("survey_template.id", ondelete="CASCADE"), index=True)
    #: order of the page.
    position: Mapped[int] = mapped_column(default=0)
    #: page heading.
    title: Mapped[str] = mapped_column(String(300))
    #: text under the heading.
    description: Mapped[str | None] = mapped_column(Text)


class TemplateQuestion(QuestionFields, db.Model):
    """A question of a national template."""

    __tablename__ = "survey_template_question"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("survey_template.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("survey_template_section.id", ondelete="CASCADE"), index=True)


class Campaign(TenantScoped, db.Model):
    """One region's survey in one year, built from a template snapshot plus own questions."""

    __tablename__ = "survey_campaign"
    __extra_table_args__ = (UniqueConstraint("tenant_id", "year", name="uq_survey_campaign_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the template the questions were copied from (kept for reference only).
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_template.id", ondelete="SET NULL"))
    #: the year evaluated; one campaign per region and year.
    year: Mapped[int]
    #: title shown to respondents.
    title: Mapped[str] = mapped_column(String(300))
    #: introduction shown on the first page.
    intro: Mapped[str | None] = mapped_column(Text)
    #: first day answers are accepted.
    opens_on: Mapped[date]
    #: last day answers are accepted (inclusive, Europe/Warsaw).
    closes_on: Mapped[date]
    #: responses carry no identity; cannot be switched off once the first invitation has gone
    #: out (or a token, a draft or a response exists).
    anonymous: Mapped[bool] = mapped_column(default=True)
    #: automatic reminders to people who have not answered (0 = none).
    reminder_count: Mapped[int] = mapped_column(default=2, server_default="2")
    #: days between the opening (or the invitation) and the first reminder, and between reminders.
    reminder_spacing_days: Mapped[int] = mapped_column(default=7, server_default="7")
    #: set when a coordinator closes the campaign before ``closes_on``.
    closed_early_on: Mapped[date | None]
    #: created with generated demo answers.
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow, server_default=func.now())


class CampaignSection(TenantScoped, db.Model):
    """A page of a campaign's questionnaire (copied from the template, or the region's own)."""

    __tablename__ = "survey_section"
    __tenant_parents__ = {"campaign_id": "survey_campaign"}

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(index=True)
    #: order of the page.
    position: Mapped[int] = mapped_column(default=0)
    #: page heading.
    title: Mapped[str] = mapped_column(String(300))
    #: text under the heading.
    description: Mapped[str | None] = mapped_column(Text)
    #: the region's own page (holds questions added by the region).
    regional: Mapped[bool] = mapped_column(default=False)


class CampaignQuestion(QuestionFields, TenantScoped, db.Model):
    """A question of a campaign (snapshot of a template question, or the region's own)."""

    __tablename__ = "survey_question"
    __tenant_parents__ = {"campaign_id": "survey_campaign", "section_id": "survey_section"}
    __extra_table_args__ = (UniqueConstraint("campaign_id", "code", name="uq_survey_question_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(index=True)
    section_id: Mapped[int] = mapped_column(index=True)
    #: added by the region (not part of the national core).
    regional: Mapped[bool] = mapped_column(default=False)


class Respondent(TenantScoped, db.Model):
    """A person invited to a campaign. Knows *whether* they answered, never *what*."""

    __tablename__ = "survey_respondent"
    __tenant_parents__ = {"campaign_id": "survey_campaign"}
    __extra_table_args__ = (
        UniqueConstraint("campaign_id", "email", name="uq_survey_respondent_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(index=True)
    #: name used in the invitation.
    full_name: Mapped[str] = mapped_column(String(200))
    #: where the token link goes (stored lower-case).
    email: Mapped[str] = mapped_column(String(254))
    #: institution category (a working-groups member category, e.g. "owes"), when imported from
    #: the committee group; used only for the response rate by category (status, never answers).
    category: Mapped[str | None] = mapped_column(String(20))
    #: institution the person represents, when imported from the committee group.
    institution: Mapped[str | None] = mapped_column(String(250))
    #: SHA-256 of the current token; the token itself is only ever in the e-mail.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: when the first invitation was sent.
    invited_at: Mapped[datetime | None]
    #: when the last reminder was sent.
    reminded_at: Mapped[datetime | None]
    #: how many reminders were sent.
    reminders: Mapped[int] = mapped_column(default=0)
    #: the survey was submitted with this respondent's token (one response per token).
    completed: Mapped[bool] = mapped_column(default=False)
    #: Monday of the week of completion, for the weekly response-rate chart (no day, no time).
    completed_on: Mapped[date | None]
    #: the completion is shown on the respondents page: completions are revealed only in
    #: groups of at least 5 at once (see :func:`surveys.services.responses.reveal_completions`),
    #: so that the list cannot be joined with the results as they change.
    completion_shown: Mapped[bool] = mapped_column(default=False)
    #: the token was revoked by a coordinator (link no longer works).
    revoked: Mapped[bool] = mapped_column(default=False)
    #: answers saved but not yet submitted ({code: value}); erased on submission.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: demo data.
    is_demo: Mapped[bool] = mapped_column(default=False)


class Response(TenantScoped, db.Model):
    """One submitted questionnaire. No token, no person, no IP, no timestamp: only the year."""

    __tablename__ = "survey_response"
    __tenant_parents__ = {"campaign_id": "survey_campaign"}

    #: random, so ids do not reveal the order of submissions.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    campaign_id: Mapped[int] = mapped_column(index=True)
    #: the campaign year (the only time information kept).
    year: Mapped[int]
    #: the mode the response was answered under (the campaign's mode when it was submitted).
    anonymous: Mapped[bool] = mapped_column(default=True)
    #: responses answered under the named mode only: the respondent's name as text; always
    #: None when answered anonymously.
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    #: generated demo answers.
    is_demo: Mapped[bool] = mapped_column(default=False)


class Answer(TenantScoped, db.Model):
    """One atomic answer: a rating, a chosen option, a number or a text."""

    __tablename__ = "survey_answer"
    __tenant_parents__ = {
        "response_id": "survey_response",
        "question_id": "survey_question",
        "campaign_id": "survey_campaign",
    }
    __extra_table_args__ = (
        # the results join every answer to the same response's category answer: without this,
        # SQLite scans all answers to the category question per answer row (slow at 1,000)
        Index("ix_survey_answer_response_question", "response_id", "question_id"),
        # a question's open answers (results page) with the tenant filter: without it SQLite
        # reads every answer of the region through the index on tenant_id alone
        Index("ix_survey_answer_tenant_question", "tenant_id", "question_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    response_id: Mapped[str] = mapped_column(String(32), index=True)
    question_id: Mapped[int] = mapped_column(index=True)
    #: denormalised for aggregate queries without a join.
    campaign_id: Mapped[int] = mapped_column(index=True)
    #: matrix questions: the item code; "" otherwise.
    item: Mapped[str] = mapped_column(String(30), default="")
    #: Likert rating 1-5 or the number given; None for "trudno powiedzieć", choices and texts.
    num: Mapped[float | None] = mapped_column(Float)
    #: chosen option code (one row per option for multiple choice) or "dk".
    choice: Mapped[str | None] = mapped_column(String(30))
    #: free text (text questions, "other, please specify").
    text: Mapped[str | None] = mapped_column(Text)


class AnswerTally(TenantScoped, db.Model):
    """Maintained counts of a campaign's answers, for results without reading every answer.

    One row per ``(campaign, question, item, choice, number, category)`` with the number of
    answers of that shape. Written in the same transaction as the answers
    (:mod:`surveys.services.tally`); ``flask --app wsgi surveys rebuild-tallies`` recomputes
    every row from :class:`Answer`. Holds no more than the results pages show: no text, no
    response id. Key columns are never NULL (``""`` / ``0`` stand for "none") so that the
    unique key can serve the UPSERT on every database.
    """

    __tablename__ = "survey_answer_tally"
    __tenant_parents__ = {"campaign_id": "survey_campaign", "question_id": "survey_question"}
    __extra_table_args__ = (
        # tenant_id first: with the tenant filter every query has, SQLite (which has no
        # statistics) then prefers this index to the one on tenant_id alone
        UniqueConstraint("tenant_id", "campaign_id", "question_id", "item", "choice", "has_num", "num",
                         "category", name="uq_survey_answer_tally_key"),
        Index("ix_survey_answer_tally_question_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int]
    question_id: Mapped[int]
    #: matrix questions: the item code; "" otherwise.
    item: Mapped[str] = mapped_column(String(30), default="")
    #: the chosen option code or "dk"; "" when the answers have no choice.
    choice: Mapped[str] = mapped_column(String(30), default="")
    #: the answers carry a number (rating or number given) in ``num``.
    has_num: Mapped[bool] = mapped_column(default=False)
    #: the rating or number given; 0 when ``has_num`` is false.
    num: Mapped[float] = mapped_column(Float, default=0.0)
    #: the response's answer to the membership-category question (``PROF-KAT``); "" without one.
    category: Mapped[str] = mapped_column(String(30), default="")
    #: answers of this shape.
    answers: Mapped[int] = mapped_column(default=0)
    #: responses counted in the question's (item's) n here: each response once per question
    #: and item, on its first row (by choice, then number); multiple choice stores several rows.
    responses: Mapped[int] = mapped_column(default=0)
    #: responses counted in a rating dimension's n here: each response once per dimension, on
    #: its first rating of a question tagged with the dimension (by question id, item, number).
    dimension_responses: Mapped[int] = mapped_column(default=0)
    #: answers of this shape that carry a text (open answers, "other, please specify").
    texts: Mapped[int] = mapped_column(default=0)


class DimensionScore(TenantScoped, db.Model):
    """A closed campaign's rating dimension, summed once: what the national comparison and the
    national medians read instead of adding up every tally of a year (docs/bench.md).

    Written by the daily job ``surveys.jobs.store_closed_scores`` (and by the seeding
    commands) for campaigns that have closed; one row per dimension of
    :data:`surveys.catalogue.DIMENSIONS`, so a stored campaign always has rows. A campaign's
    rows are deleted whenever its tallies change (:mod:`surveys.services.tally`), and only a
    closed campaign's rows are read, so a campaign reopened by a later closing date is
    recomputed after it closes again. Holds sums, never less than the tallies already show.
    """

    __tablename__ = "survey_dimension_score"
    __tenant_parents__ = {"campaign_id": "survey_campaign"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "campaign_id", "dimension",
                                             name="uq_survey_dimension_score_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int]
    #: a code of ``surveys.catalogue.DIMENSIONS``.
    dimension: Mapped[str] = mapped_column(String(10))
    #: sum of the ratings (1–5) of the national core questions tagged with the dimension.
    total: Mapped[float] = mapped_column(Float, default=0.0)
    #: number of those ratings.
    answers: Mapped[int] = mapped_column(default=0)
    #: responses that rated the dimension (its n).
    responses: Mapped[int] = mapped_column(default=0)


#: columns identifying a tally row (the unique key is ``tenant_id`` and these).
TALLY_KEY = ("campaign_id", "question_id", "item", "choice", "has_num", "num", "category")
#: counters of a tally row (added up by the UPSERT).
TALLY_COUNTS = ("answers", "responses", "dimension_responses", "texts")


def closed_clause(today: date | None = None):
    """SQL: the campaign has closed (its results may be shown) — see :func:`campaign_status`."""
    today = today or clock.today()
    return or_(Campaign.closed_early_on.is_not(None), Campaign.closes_on < today)


def campaign_status(campaign: Campaign, today: date | None = None) -> str:
    """``planned`` (before opens_on), ``open`` or ``closed`` (after closes_on or closed early)."""
    today = today or clock.today()
    if campaign.closed_early_on is not None or today > campaign.closes_on:
        return "closed"
    if today < campaign.opens_on:
        return "planned"
    return "open"
