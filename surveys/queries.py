"""Reads shaped for survey pages. Results are aggregated in SQL: the number of queries of a
results page does not depend on the number of responses.

Small-group suppression: any figure describing fewer than :data:`MIN_GROUP` responses
(a campaign, a respondent category, a region) is returned as ``None`` and shown as
"za mało odpowiedzi".
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, distinct, func, select
from sqlalchemy.orm import aliased

from coordination.extensions import db
from coordination.pagination import paged
from coordination.tenancy import all_tenants
from surveys.core import DIMENSIONS
from surveys.models import (
    DONT_KNOW,
    OTHER,
    Answer,
    Campaign,
    CampaignQuestion,
    CampaignSection,
    Respondent,
    Response,
    SurveyTemplate,
    TemplateQuestion,
    TemplateSection,
)

#: smallest group whose results are shown.
MIN_GROUP = 5
#: code of the profile question used for breakdowns by membership category.
CATEGORY_CODE = "PROF-KAT"
RATED_KINDS = ("likert", "matrix")


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


def sections_and_questions(campaign_id: int) -> list[tuple[CampaignSection, list[CampaignQuestion]]]:
    """The questionnaire as pages: ``[(section, [questions])]`` (two queries)."""
    sections = db.session.scalars(select(CampaignSection).where(CampaignSection.campaign_id == campaign_id)
                                  .order_by(CampaignSection.position, CampaignSection.id)).all()
    questions = db.session.scalars(select(CampaignQuestion).where(CampaignQuestion.campaign_id == campaign_id)
                                   .order_by(CampaignQuestion.position, CampaignQuestion.id)).all()
    by_section: dict[int, list[CampaignQuestion]] = {}
    for q in questions:
        by_section.setdefault(q.section_id, []).append(q)
    return [(s, by_section.get(s.id, [])) for s in sections if by_section.get(s.id)]


def flat_questions(pages) -> list[CampaignQuestion]:
    return [q for _s, qs in pages for q in qs]


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


def respondent_stats(campaign_id: int) -> dict[str, int]:
    """Counts: on the list, invited, responded, revoked, and stored responses (one query)."""
    responses = (select(func.count(Response.id)).where(Response.campaign_id == campaign_id)
                 .scalar_subquery())
    row = db.session.execute(select(
        func.count(Respondent.id),
        func.count(Respondent.invited_at),
        func.coalesce(func.sum(Respondent.completed.cast(Integer)), 0),
        func.coalesce(func.sum(Respondent.revoked.cast(Integer)), 0),
        responses,
    ).where(Respondent.campaign_id == campaign_id)).one()
    return {"total": row[0], "invited": row[1], "completed": row[2], "revoked": row[3],
            "responses": row[4]}


def completions_by_day(campaign_id: int) -> list[tuple[date, int, int]]:
    """``(day, completed that day, cumulative)`` from the respondents' completion day."""
    rows = db.session.execute(select(Respondent.completed_on, func.count(Respondent.id))
                              .where(Respondent.campaign_id == campaign_id, Respondent.completed_on.is_not(None))
                              .group_by(Respondent.completed_on).order_by(Respondent.completed_on)).all()
    out, running = [], 0
    for day, n in rows:
        running += n
        out.append((day, n, running))
    return out


# --- results ---------------------------------------------------------------------------------

@dataclass
class QuestionResult:
    """Aggregates of one question (or one matrix item)."""

    question: CampaignQuestion
    item: str = ""
    label: str = ""
    n: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    mean: float | None = None
    median: float | None = None
    texts: list[str] = field(default_factory=list)


def _median_from_counts(counts: dict[float, int]) -> float | None:
    values = sorted(counts)
    total = sum(counts.values())
    if not total:
        return None
    expanded_mid = []
    for target in sorted({(total - 1) // 2, total // 2}):
        seen = 0
        for v in values:
            seen += counts[v]
            if seen > target:
                expanded_mid.append(v)
                break
    return sum(expanded_mid) / len(expanded_mid)


def response_total(campaign_id: int) -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.campaign_id == campaign_id)) or 0


def question_results(campaign_id: int, questions: list[CampaignQuestion]) -> list[QuestionResult]:
    """Per question (and matrix item): n, distribution, mean and median; texts (three queries)."""
    counts = db.session.execute(
        select(Answer.question_id, Answer.item, Answer.choice, Answer.num, func.count(Answer.id))
        .where(Answer.campaign_id == campaign_id, (Answer.choice.is_not(None)) | (Answer.num.is_not(None)))
        .group_by(Answer.question_id, Answer.item, Answer.choice, Answer.num)).all()
    answered = dict(((qid, item), n) for qid, item, n in db.session.execute(
        select(Answer.question_id, Answer.item, func.count(distinct(Answer.response_id)))
        .where(Answer.campaign_id == campaign_id).group_by(Answer.question_id, Answer.item)).all())
    texts = db.session.execute(
        select(Answer.question_id, Answer.text).where(Answer.campaign_id == campaign_id,
                                                      Answer.text.is_not(None))
        .order_by(Answer.question_id, Answer.id)).all()
    by_key: dict[tuple[int, str], QuestionResult] = {}
    out: list[QuestionResult] = []
    for q in questions:
        keys = [(i["code"], i["label"]) for i in q.items or ()] if q.kind == "matrix" else [("", q.text)]
        for item, label in keys:
            res = QuestionResult(question=q, item=item, label=label, n=answered.get((q.id, item), 0))
            by_key[(q.id, item)] = res
            out.append(res)
    numbers: dict[tuple[int, str], dict[float, int]] = {}
    for qid, item, choice, num, n in counts:
        res = by_key.get((qid, item))
        if res is None:
            continue
        if num is not None:
            numbers.setdefault((qid, item), {})[num] = n
            if res.question.kind in RATED_KINDS:
                key = str(int(num))
                res.counts[key] = res.counts.get(key, 0) + n
        elif choice is not None:
            res.counts[choice] = res.counts.get(choice, 0) + n
    for key, dist in numbers.items():
        res = by_key[key]
        total = sum(dist.values())
        res.mean = sum(v * c for v, c in dist.items()) / total
        res.median = _median_from_counts(dist)
    for qid, text in texts:
        res = by_key.get((qid, ""))
        if res is not None:
            res.texts.append(text)
    return out


def dimension_scores(campaign_id: int) -> dict[str, tuple[float, int]]:
    """Mean rating per dimension and the number of responses rating it (one query)."""
    rows = db.session.execute(
        select(CampaignQuestion.dimension, func.avg(Answer.num), func.count(distinct(Answer.response_id)))
        .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
        .where(Answer.campaign_id == campaign_id, Answer.num.is_not(None),
               CampaignQuestion.dimension.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
        .group_by(CampaignQuestion.dimension)).all()
    return {dim: (float(mean), n) for dim, mean, n in rows}


def category_breakdown(campaign_id: int) -> dict[str, Any]:
    """Dimension means by membership category; groups under MIN_GROUP are ``None`` (two queries)."""
    profile = aliased(Answer)
    pq = db.session.scalar(select(CampaignQuestion).where(CampaignQuestion.campaign_id == campaign_id,
                                                           CampaignQuestion.code == CATEGORY_CODE))
    if pq is None:
        return {"question": None, "groups": []}
    rows = db.session.execute(
        select(profile.choice, CampaignQuestion.dimension, func.avg(Answer.num),
               func.count(distinct(Answer.response_id)))
        .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
        .join(profile, (profile.response_id == Answer.response_id) & (profile.question_id == pq.id))
        .where(Answer.campaign_id == campaign_id, Answer.num.is_not(None),
               CampaignQuestion.dimension.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
        .group_by(profile.choice, CampaignQuestion.dimension)).all()
    sizes = dict(db.session.execute(
        select(Answer.choice, func.count(distinct(Answer.response_id)))
        .where(Answer.question_id == pq.id).group_by(Answer.choice)).all())
    labels = {o["code"]: o["label"] for o in pq.options or ()}
    scores: dict[str, dict[str, float]] = {}
    for choice, dim, mean, _n in rows:
        scores.setdefault(choice, {})[dim] = float(mean)
    groups = []
    for code in [*labels, OTHER]:
        size = sizes.get(code, 0)
        if not size:
            continue
        groups.append({"code": code, "label": labels.get(code, code), "n": size,
                       "scores": scores.get(code, {}) if size >= MIN_GROUP else None})
    return {"question": pq, "groups": groups}


def year_over_year() -> dict[str, Any]:
    """The current region's ratings by year and question code, plus dimensions (three queries).

    Years whose campaign had fewer than MIN_GROUP responses are marked suppressed.
    """
    per_code = db.session.execute(
        select(Campaign.year, CampaignQuestion.code, Answer.item, func.avg(Answer.num), func.count(Answer.id))
        .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
        .join(Campaign, Campaign.id == Answer.campaign_id)
        .where(Answer.num.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
        .group_by(Campaign.year, CampaignQuestion.code, Answer.item)).all()
    per_dim = db.session.execute(
        select(Campaign.year, CampaignQuestion.dimension, func.avg(Answer.num))
        .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
        .join(Campaign, Campaign.id == Answer.campaign_id)
        .where(Answer.num.is_not(None), CampaignQuestion.dimension.is_not(None),
               CampaignQuestion.kind.in_(RATED_KINDS))
        .group_by(Campaign.year, CampaignQuestion.dimension)).all()
    sizes = dict(db.session.execute(select(Campaign.year, func.count(Response.id))
                                    .join(Response, Response.campaign_id == Campaign.id)
                                    .group_by(Campaign.year)).all())
    years = sorted(sizes)
    shown = {y for y in years if sizes[y] >= MIN_GROUP}
    codes: dict[str, dict[int, tuple[float, int]]] = {}
    for year, code, item, mean, n in per_code:
        if year in shown:
            codes.setdefault(item or code, {})[year] = (float(mean), n)
    dims: dict[str, dict[int, float]] = {}
    for year, dim, mean in per_dim:
        if year in shown:
            dims.setdefault(dim, {})[year] = float(mean)
    return {"years": years, "sizes": sizes, "shown": shown, "codes": codes, "dimensions": dims}


def region_dimension_scores(year: int | None = None) -> dict[int, dict[str, tuple[float, int] | None]]:
    """Dimension scores of every region's campaign in ``year`` — the contract for national views.

    Reads all tenants explicitly (``all_tenants()``); call it from national code only.

    * ``year``: the campaign year; ``None`` means the latest year in which any region has a
      response.
    * Returns ``{tenant_id: {dimension code: (mean, n) | None}}`` for every region that has a
      campaign in that year. ``mean`` is the average of all 1–5 ratings ("trudno powiedzieć"
      excluded) of the region's questions tagged with the dimension (national core codes
      ``REG``, ``SIEC``, ``REPR``, ``PROM``, ``WIED``, ``KOM``, ``OGOL``, ``ZAAN``, see
      :data:`surveys.core.DIMENSIONS`; regions' own questions may add others); ``n`` is the
      number of responses that rated the dimension. The value is ``None`` when ``n`` is below
      :data:`MIN_GROUP` (5) or nobody rated it — such results must not be shown.

    Two or three queries whatever the number of responses.
    """
    with all_tenants():
        if year is None:
            year = db.session.scalar(select(func.max(Response.year)))
            if year is None:
                return {}
        tenant_ids = db.session.scalars(select(Campaign.tenant_id).where(Campaign.year == year)).all()
        rows = db.session.execute(
            select(Answer.tenant_id, CampaignQuestion.dimension, func.avg(Answer.num),
                   func.count(distinct(Answer.response_id)))
            .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
            .join(Campaign, Campaign.id == Answer.campaign_id)
            .where(Campaign.year == year, Answer.num.is_not(None),
                   CampaignQuestion.dimension.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
            .group_by(Answer.tenant_id, CampaignQuestion.dimension)).all()
    out: dict[int, dict[str, tuple[float, int] | None]] = {
        tid: dict.fromkeys(DIMENSIONS) for tid in tenant_ids}
    for tid, dim, mean, n in rows:
        out.setdefault(tid, dict.fromkeys(DIMENSIONS))[dim] = (float(mean), n) if n >= MIN_GROUP else None
    return out


def national_medians(scores: dict[int, dict[str, tuple[float, int] | None]]) -> dict[str, float | None]:
    """Median across regions of each dimension's mean (suppressed regions left out)."""
    out: dict[str, float | None] = {}
    dims = {d for per in scores.values() for d in per} | set(DIMENSIONS)
    for dim in dims:
        values = [v[0] for per in scores.values() if (v := per.get(dim)) is not None]
        out[dim] = statistics.median(values) if values else None
    return out


def campaign_years() -> list[int]:
    """Years that have at least one campaign in any region (national pages)."""
    with all_tenants():
        return sorted(set(db.session.scalars(select(Campaign.year).distinct())), reverse=True)


def results(campaign: Campaign) -> dict[str, Any]:
    """Everything the results page, the exports and the PDF show for one campaign."""
    pages = sections_and_questions(campaign.id)
    questions = flat_questions(pages)
    total = response_total(campaign.id)
    enough = total >= MIN_GROUP
    region = dimension_scores(campaign.id) if enough else {}
    national = national_medians(region_dimension_scores(campaign.year))
    return {
        "campaign": campaign,
        "pages": pages,
        "total": total,
        "enough": enough,
        "questions": question_results(campaign.id, questions) if enough else [],
        "dimensions": {d: (v if v[1] >= MIN_GROUP else None) for d, v in region.items()},
        "national": national,
        "categories": category_breakdown(campaign.id) if enough else {"question": None, "groups": []},
        "yoy": year_over_year(),
        "stats": respondent_stats(campaign.id),
        "timeline": completions_by_day(campaign.id),
        "dont_know": DONT_KNOW,
    }
