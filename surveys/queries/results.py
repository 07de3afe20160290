"""Results of campaigns, aggregated in SQL.

A results page (and each results export) reads, whatever the number of responses, questions,
years or regions:

1. the campaign with its questions (:func:`surveys.queries.campaigns.campaign_with_questions`);
2. the respondents' counts and completions by day, with the number of responses
   (:func:`surveys.queries.campaigns.respondent_overview`);

and, only when the campaign has at least :data:`MIN_GROUP` responses (otherwise nothing else
is shown):

3. the campaign's answers grouped by question, item, value and membership category
   (:func:`_answer_groups`): distributions, n, means, medians, texts and the category breakdown;
4. the region's ratings grouped by year and question code (:func:`year_over_year`);
5. every region's dimension scores in the campaign's year (:func:`_region_rows`): the region's
   own dimension scores and the national medians.

Medians are computed in Python from grouped counts (SQLite has no percentile functions).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, select
from sqlalchemy.orm import aliased

from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys.core import DIMENSIONS
from surveys.models import (
    DONT_KNOW,
    OTHER,
    Answer,
    Campaign,
    CampaignQuestion,
    Response,
)
from surveys.queries.campaigns import campaign_with_questions, respondent_overview

#: smallest group whose results are shown.
MIN_GROUP = 5
#: code of the profile question used for breakdowns by membership category.
CATEGORY_CODE = "PROF-KAT"
RATED_KINDS = ("likert", "matrix")

Scores = dict[int, dict[str, tuple[float, int] | None]]


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


def _answer_groups(campaign_id: int, category_question_id: int | None):
    """The campaign's answers grouped by ``(question, item, choice, number, text, category)``
    with the number of answers and of distinct responses (one query).

    ``category`` is the response's answer to the category question (``None`` without one).
    A response counts once per ``(question, item)`` in ``responses``: its first answer row
    there (a window function) — multiple choice stores one row per chosen option.
    """
    first = func.row_number().over(partition_by=(Answer.response_id, Answer.question_id, Answer.item),
                                   order_by=Answer.id)
    if category_question_id is None:
        category = literal(None)
        rows = select(Answer.question_id, Answer.item, Answer.choice, Answer.num, Answer.text,
                      category.label("category"), first.label("rank"))
    else:
        profile = aliased(Answer)
        rows = (select(Answer.question_id, Answer.item, Answer.choice, Answer.num, Answer.text,
                       profile.choice.label("category"), first.label("rank"))
                .outerjoin(profile, and_(profile.response_id == Answer.response_id,
                                         profile.question_id == category_question_id)))
    sub = rows.where(Answer.campaign_id == campaign_id).subquery()
    keys = (sub.c.question_id, sub.c.item, sub.c.choice, sub.c.num, sub.c.text, sub.c.category)
    return db.session.execute(
        select(*keys, func.count(), func.count(case((sub.c.rank == 1, 1))))
        .group_by(*keys).order_by(sub.c.question_id, sub.c.text)).all()


def _question_results(campaign_id: int, questions: list[CampaignQuestion]):
    """Per question (and matrix item): n, distribution, mean, median, texts; and the dimension
    means by membership category (one query, :func:`_answer_groups`)."""
    profile = next((q for q in questions if q.code == CATEGORY_CODE), None)
    by_key: dict[tuple[int, str], QuestionResult] = {}
    out: list[QuestionResult] = []
    for q in questions:
        keys = [(i["code"], i["label"]) for i in q.items or ()] if q.kind == "matrix" else [("", q.text)]
        for item, label in keys:
            res = QuestionResult(question=q, item=item, label=label)
            by_key[(q.id, item)] = res
            out.append(res)
    numbers: dict[tuple[int, str], dict[float, int]] = {}
    sizes: dict[str, int] = {}
    by_category: dict[str, dict[str, list[float]]] = {}
    for qid, item, choice, num, text, category, n, responses in _answer_groups(
            campaign_id, profile.id if profile else None):
        res = by_key.get((qid, item))
        if res is None:
            continue
        q = res.question
        res.n += responses
        if num is not None:
            dist = numbers.setdefault((qid, item), {})
            dist[num] = dist.get(num, 0) + n
            if q.kind in RATED_KINDS:
                key = str(int(num))
                res.counts[key] = res.counts.get(key, 0) + n
                if category is not None and q.dimension is not None:
                    acc = by_category.setdefault(category, {}).setdefault(q.dimension, [0.0, 0])
                    acc[0] += num * n
                    acc[1] += n
        elif choice is not None:
            res.counts[choice] = res.counts.get(choice, 0) + n
            if profile is not None and qid == profile.id:
                sizes[choice] = sizes.get(choice, 0) + n
        if text is not None:
            res.texts.extend([text] * n)
    for key, dist in numbers.items():
        res = by_key[key]
        res.mean = sum(v * c for v, c in dist.items()) / sum(dist.values())
        res.median = _median_from_counts(dist)
    return out, _categories(profile, sizes, by_category)


def _categories(profile: CampaignQuestion | None, sizes: dict[str, int],
                sums: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    """Dimension means by membership category; groups under MIN_GROUP have ``scores = None``."""
    if profile is None:
        return {"question": None, "groups": []}
    labels = {o["code"]: o["label"] for o in profile.options or ()}
    groups = []
    for code in [*labels, OTHER]:
        size = sizes.get(code, 0)
        if not size:
            continue
        scores = {dim: total / n for dim, (total, n) in sums.get(code, {}).items()}
        groups.append({"code": code, "label": labels.get(code, code), "n": size,
                       "scores": scores if size >= MIN_GROUP else None})
    return {"question": profile, "groups": groups}


def _yoy_empty() -> dict[str, Any]:
    return {"years": [], "sizes": {}, "shown": set(), "codes": {}, "dimensions": {}}


def year_over_year() -> dict[str, Any]:
    """The current region's ratings by year and question code, plus dimensions (one query).

    Years whose campaign had fewer than MIN_GROUP responses are marked suppressed.
    """
    responses = (select(func.count(Response.id)).where(Response.campaign_id == Campaign.id)
                 .correlate(Campaign).scalar_subquery())
    rows = db.session.execute(
        select(Campaign.year, responses, CampaignQuestion.code, Answer.item, CampaignQuestion.dimension,
               func.sum(Answer.num), func.count(Answer.num))
        .select_from(Campaign)
        .outerjoin(Answer, and_(Answer.campaign_id == Campaign.id, Answer.num.is_not(None)))
        .outerjoin(CampaignQuestion, and_(CampaignQuestion.id == Answer.question_id,
                                          CampaignQuestion.kind.in_(RATED_KINDS)))
        .group_by(Campaign.id, Campaign.year, CampaignQuestion.code, Answer.item,
                  CampaignQuestion.dimension)).all()
    sizes = {year: n for year, n, *_rest in rows if n}
    shown = {y for y, n in sizes.items() if n >= MIN_GROUP}
    codes: dict[str, dict[int, tuple[float, int]]] = {}
    sums: dict[str, dict[int, list[float]]] = {}
    for year, _n, code, item, dim, total, n in rows:
        if code is None or not n or year not in shown:
            continue
        codes.setdefault(item or code, {})[year] = (total / n, n)
        if dim is not None:
            acc = sums.setdefault(dim, {}).setdefault(year, [0.0, 0])
            acc[0] += total
            acc[1] += n
    dims = {dim: {year: total / n for year, (total, n) in per.items()} for dim, per in sums.items()}
    return {"years": sorted(sizes), "sizes": sizes, "shown": shown, "codes": codes, "dimensions": dims}


def _region_rows(year: int) -> Scores:
    """Dimension scores of the regions with ratings in ``year`` (one query across all regions);
    see :func:`region_dimension_scores`."""
    with all_tenants():
        rows = db.session.execute(
            select(Answer.tenant_id, CampaignQuestion.dimension, func.avg(Answer.num),
                   func.count(distinct(Answer.response_id)))
            .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
            .join(Campaign, Campaign.id == Answer.campaign_id)
            .where(Campaign.year == year, Answer.num.is_not(None),
                   CampaignQuestion.dimension.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
            .group_by(Answer.tenant_id, CampaignQuestion.dimension)).all()
    out: Scores = {}
    for tid, dim, mean, n in rows:
        out.setdefault(tid, dict.fromkeys(DIMENSIONS))[dim] = (float(mean), n) if n >= MIN_GROUP else None
    return out


def region_dimension_scores(year: int | None = None) -> Scores:
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
    out: Scores = {tid: dict.fromkeys(DIMENSIONS) for tid in tenant_ids}
    out.update(_region_rows(year))
    return out


def national_medians(scores: Scores) -> dict[str, float | None]:
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


def results(campaign: Campaign, questions: list[CampaignQuestion] | None = None) -> dict[str, Any]:
    """Everything the results page, the exports and the PDF show for one campaign.

    ``questions``: the campaign's questions in questionnaire order when the caller already has
    them (:func:`surveys.queries.campaigns.campaign_with_questions`). Two queries when the
    campaign has fewer than :data:`MIN_GROUP` responses (only counts are shown), five otherwise.
    """
    if questions is None:
        questions = campaign_with_questions(campaign.id)[1]
    stats, timeline = respondent_overview(campaign.id)
    total = stats["responses"]
    out: dict[str, Any] = {
        "campaign": campaign, "total": total, "enough": total >= MIN_GROUP, "stats": stats,
        "timeline": timeline, "dont_know": DONT_KNOW, "questions": [], "dimensions": {},
        "national": national_medians({}), "categories": _categories(None, {}, {}), "yoy": _yoy_empty(),
    }
    if out["enough"]:
        out["questions"], out["categories"] = _question_results(campaign.id, questions)
        out["yoy"] = year_over_year()
        regions = _region_rows(campaign.year)
        out["dimensions"] = regions.get(campaign.tenant_id, {})
        out["national"] = national_medians(regions)
    return out
