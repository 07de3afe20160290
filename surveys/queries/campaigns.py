"""Campaigns, questionnaires and respondents (status only, never answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, and_, func, select

from coordination import clock
from coordination.extensions import db
from coordination.pagination import paged
from surveys import engine
from surveys.models import (
    Campaign,
    CampaignQuestion,
    CampaignSection,
    Respondent,
    Response,
    SurveyTemplate,
    TemplateQuestion,
    TemplateSection,
)

#: smallest group of people a figure may describe (the same as the results' ``MIN_GROUP``).
MIN_GROUP = 5

# --- campaigns and questionnaires ------------------------------------------------------------


def _campaigns_with_counts():
    """``SELECT campaign, responses, people on the list`` of the current region, newest first."""
    responses = (select(func.count(Response.id)).where(Response.campaign_id == Campaign.id)
                 .correlate(Campaign).scalar_subquery())
    invited = (select(func.count(Respondent.id)).where(Respondent.campaign_id == Campaign.id)
               .correlate(Campaign).scalar_subquery())
    return select(Campaign, responses, invited).order_by(Campaign.year.desc())


def campaigns_page(page: int, per_page: int):
    """Campaigns of the current region, newest year first, with respondent and response counts."""
    rows, total = paged(_campaigns_with_counts(), page, per_page, scalars=False)
    return [{"campaign": c, "responses": r, "respondents": i} for c, r, i in rows], total


def latest_campaign() -> dict | None:
    """The newest campaign of the current region with its counts (one query), for the home panel."""
    row = db.session.execute(_campaigns_with_counts().limit(1)).first()
    return {"campaign": row[0], "responses": row[1], "respondents": row[2]} if row else None


#: questionnaire order: pages by position, questions by position within their page.
_PAGE_ORDER = (CampaignSection.position, CampaignSection.id, CampaignQuestion.position, CampaignQuestion.id)


def sections_and_questions(campaign_id: int) -> list[tuple[CampaignSection, list[CampaignQuestion]]]:
    """The questionnaire as pages: ``[(section, [questions])]``; pages without questions are
    left out (one query)."""
    rows = db.session.execute(
        select(CampaignSection, CampaignQuestion)
        .join(CampaignQuestion, CampaignQuestion.section_id == CampaignSection.id)
        .where(CampaignSection.campaign_id == campaign_id, CampaignQuestion.campaign_id == campaign_id)
        .order_by(*_PAGE_ORDER)).all()
    pages: dict[int, tuple[CampaignSection, list[CampaignQuestion]]] = {}
    for section, question in rows:
        pages.setdefault(section.id, (section, []))[1].append(question)
    return list(pages.values())


def flat_questions(pages) -> list[CampaignQuestion]:
    return [q for _s, qs in pages for q in qs]


def campaign_with_questions(campaign_id: int) -> tuple[Campaign, list[CampaignQuestion]] | None:
    """The campaign of the current region and its questions in questionnaire order (one query);
    ``None`` when the region has no such campaign (the caller answers 404)."""
    rows = db.session.execute(
        select(Campaign, CampaignQuestion)
        .outerjoin(CampaignSection, CampaignSection.campaign_id == Campaign.id)
        .outerjoin(CampaignQuestion, and_(CampaignQuestion.section_id == CampaignSection.id,
                                          CampaignQuestion.campaign_id == Campaign.id))
        .where(Campaign.id == campaign_id)
        .order_by(*_PAGE_ORDER)).all()
    if not rows:
        return None
    return rows[0][0], [q for _c, q in rows if q is not None]


def template_with_questions(code: str):
    """A national template with its pages, ``(template, [(section, [questions])])``."""
    template = db.session.scalar(select(SurveyTemplate).where(SurveyTemplate.code == code))
    if template is None:
        return None, []
    sections = db.session.scalars(select(TemplateSection).where(TemplateSection.template_id == template.id)
                                  .order_by(TemplateSection.position)).all()
    questions = db.session.scalars(select(TemplateQuestion).where(TemplateQuestion.template_id == template.id)
                                   .order_by(TemplateQuestion.position)).all()
    by_section: dict[int, list] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    return template, [(s, by_section.get(s.id, [])) for s in sections]


# --- respondents (status only, never answers) ------------------------------------------------

def respondents_page(page: int, per_page: int, campaign_id: int, q: str = ""):
    """People on the list with their status (invited / responded / revoked), by name."""
    stmt = select(Respondent).where(Respondent.campaign_id == campaign_id)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(func.lower(Respondent.full_name).like(like) | Respondent.email.like(like))
    return paged(stmt.order_by(Respondent.full_name, Respondent.id), page, per_page)


def respondent_overview(campaign_id: int) -> tuple[dict[str, int], list[tuple[date, int, int]]]:
    """``(stats, timeline)`` of a campaign in one query grouped by week of completion.

    ``stats``: on the list, invited, responded, revoked, and stored responses;
    ``timeline``: ``(Monday of the week, completed that week, cumulative)`` of the completions
    already shown on the respondents page (revealed in groups of at least :data:`MIN_GROUP`,
    :func:`surveys.services.responses.reveal_completions`); empty until the first group. The
    last fewer than 5 completions stay out of the chart: their week, set beside the list of
    people not yet marked, would narrow down who answered when.
    """
    responses = (select(func.count(Response.id)).where(Response.campaign_id == campaign_id)
                 .scalar_subquery())
    rows = db.session.execute(
        select(Respondent.completed_on, func.count(Respondent.id), func.count(Respondent.invited_at),
               func.sum(Respondent.completed.cast(Integer)), func.sum(Respondent.revoked.cast(Integer)),
               responses, func.sum((Respondent.completed & Respondent.completion_shown).cast(Integer)))
        .select_from(Campaign)
        .outerjoin(Respondent, Respondent.campaign_id == Campaign.id)
        .where(Campaign.id == campaign_id)
        .group_by(Respondent.completed_on)).all()
    stats = {"total": 0, "invited": 0, "completed": 0, "revoked": 0, "responses": 0}
    weeks: dict[date, int] = {}
    for day, total, invited, completed, revoked, n_responses, shown in rows:
        stats["total"] += total
        stats["invited"] += invited
        stats["completed"] += completed or 0
        stats["revoked"] += revoked or 0
        stats["responses"] = n_responses
        if day is not None and shown:  # stored as the week's Monday; older rows may hold a day
            monday = day - timedelta(days=day.weekday())
            weeks[monday] = weeks.get(monday, 0) + shown
    timeline, running = [], 0
    for monday, n in sorted(weeks.items()):
        running += n
        timeline.append((monday, n, running))
    return stats, timeline


def respondent_stats(campaign_id: int) -> dict[str, int]:
    """Counts: on the list, invited, responded, revoked, and stored responses (one query)."""
    return respondent_overview(campaign_id)[0]


# --- the signed-in person's own invitations ----------------------------------------------------


@dataclass(frozen=True)
class MySurvey:
    """An open campaign the signed-in person is invited to and how far they have got: ``state``
    is ``not_started``, ``in_progress`` (``answered`` of ``total`` questions) or ``submitted``."""

    campaign: Campaign
    state: str
    answered: int
    total: int


def my_open_surveys(email: str | None) -> list[MySurvey]:
    """Open campaigns of the current region with an invitation (not revoked) for ``email``,
    newest first, with the person's progress. Reads only the person's own respondent row (their
    draft and whether they have submitted), never a response."""
    if not email:
        return []
    today = clock.today()
    rows = db.session.execute(
        select(Campaign, Respondent).join(Respondent, Respondent.campaign_id == Campaign.id)
        .where(Respondent.email == email.strip().lower(), Respondent.revoked.is_(False),
               Respondent.invited_at.is_not(None), Campaign.opens_on <= today,
               Campaign.closes_on >= today, Campaign.closed_early_on.is_(None))
        .order_by(Campaign.year.desc())).all()
    found = []
    for campaign, respondent in rows:
        draft = respondent.draft or {}
        shown = [q for q in flat_questions(sections_and_questions(campaign.id)) if engine.is_visible(q, draft)]
        answered = sum(1 for q in shown if draft.get(q.code) is not None)
        state = "submitted" if respondent.completed else "in_progress" if answered else "not_started"
        found.append(MySurvey(campaign, state, answered, len(shown)))
    return found
