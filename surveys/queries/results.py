"""Results of campaigns, aggregated in SQL.

A results page (and each results export) reads, whatever the number of responses, questions,
years or regions:

1. the campaign with its questions (:func:`surveys.queries.campaigns.campaign_with_questions`);
2. the respondents' counts and completions by day, with the number of responses
   (:func:`surveys.queries.campaigns.respondent_overview`);

and, only when the campaign has at least :data:`MIN_GROUP` responses (otherwise nothing else
is shown):

3. the campaign's answer tallies (:class:`surveys.models.AnswerTally`, :func:`_tally_groups`):
   distributions, n, means, medians and the category breakdown;
4. the first open answers of each question that has some (:func:`_open_answers`);
5. the region's tallied ratings by year and question code (:func:`year_over_year`);
6. every region's dimension scores in the campaign's year (:func:`_region_rows`): the region's
   own dimension scores and the national medians — stored once a campaign has closed
   (:class:`surveys.models.DimensionScore`), summed from the tallies only for a campaign
   closed since the daily job last ran.

Only the open answers are read from the answers themselves (a bounded number per question);
everything else comes from the tallies, whose size does not grow with the number of responses.
Medians are computed in Python from grouped counts (SQLite has no percentile functions).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select, union_all

from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys.catalogue import DIMENSIONS
from surveys.models import (
    CATEGORY_CODE,
    DONT_KNOW,
    OTHER,
    RATED_KINDS,
    Answer,
    AnswerTally,
    Campaign,
    CampaignQuestion,
    DimensionScore,
    Response,
    closed_clause,
)
from surveys.queries.campaigns import MIN_GROUP, campaign_with_questions, respondent_overview

# MIN_GROUP (5): smallest group whose results are shown, defined with the respondents' counts.

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
    #: open answers (alphabetically; the first ones only, see :func:`results`).
    texts: list[str] = field(default_factory=list)
    #: number of open answers given (all of them, also when ``texts`` lists only the first).
    text_count: int = 0


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


def _tally_groups(campaign_id: int):
    """The campaign's tally rows ``(question, item, choice, number, category, answers,
    responses, texts)`` (one query; "none", stored as ""/0, is returned as ``None``)."""
    rows = db.session.execute(
        select(AnswerTally.question_id, AnswerTally.item, AnswerTally.choice, AnswerTally.has_num,
               AnswerTally.num, AnswerTally.category, AnswerTally.answers, AnswerTally.responses,
               AnswerTally.texts)
        .where(AnswerTally.campaign_id == campaign_id)).all()
    return [(qid, item, choice or None, num if has_num else None, category or None, n, responses, texts)
            for qid, item, choice, has_num, num, category, n, responses, texts in rows]


def _open_answers(questions: list[CampaignQuestion], limit: int | None, expanded: str | None):
    """Texts of ``questions`` (those the tallies say have texts), alphabetically; at most
    ``limit`` per question (None: all), all of them for the question coded ``expanded``. One
    query (none without texts): a ``UNION ALL`` of one ``ORDER BY text LIMIT`` per question,
    each read through the index on ``(tenant_id, question_id)`` (never the other answers)."""
    parts = []
    for q in questions:
        part = (select(Answer.question_id, Answer.text)
                .where(Answer.question_id == q.id, Answer.text.is_not(None)).order_by(Answer.text))
        if limit is not None and q.code != expanded:
            part = part.limit(limit)
        parts.append(select(part.subquery()))
    if not parts:
        return []
    texts = union_all(*parts).subquery()
    return db.session.execute(select(texts.c.question_id, texts.c.text)
                              .order_by(texts.c.question_id, texts.c.text)).all()


def _empty_results(questions: list[CampaignQuestion]) -> dict[tuple[int, str], QuestionResult]:
    """One empty :class:`QuestionResult` per question (and matrix item), in questionnaire
    order, keyed by ``(question id, item code)`` (no database access)."""
    by_key: dict[tuple[int, str], QuestionResult] = {}
    for q in questions:
        keys = [(i["code"], i["label"]) for i in q.items or ()] if q.kind == "matrix" else [("", q.text)]
        for item, label in keys:
            by_key[(q.id, item)] = QuestionResult(question=q, item=item, label=label)
    return by_key


def _question_results(campaign_id: int, questions: list[CampaignQuestion], texts_shown: int | None = None,
                      expanded: str | None = None, *, open_answers: bool = True):
    """Per question (and matrix item): n, distribution, mean, median, texts; and the dimension
    means by membership category (two queries: the campaign's tallies and, when the tallies
    count texts and ``open_answers`` is true, its open answers)."""
    profile = next((q for q in questions if q.code == CATEGORY_CODE), None)
    by_key = _empty_results(questions)
    out = list(by_key.values())
    numbers: dict[tuple[int, str], dict[float, int]] = {}
    sizes: dict[str, int] = {}
    by_category: dict[str, dict[str, list[float]]] = {}
    for qid, item, choice, num, category, n, responses, texts in _tally_groups(campaign_id):
        res = by_key.get((qid, item))
        if res is None:
            continue
        q = res.question
        res.n += responses
        res.text_count += texts
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
    with_texts = [res.question for res in out if res.text_count and not res.item] if open_answers else []
    for qid, text in _open_answers(with_texts, texts_shown, expanded):
        by_key[(qid, "")].texts.append(text)
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
    # the responses counted once per campaign (a grouped derived table, read once), not once
    # per row of the grouped result
    responses = select(Response.campaign_id, func.count(Response.id).label("n")).group_by(
        Response.campaign_id).subquery()
    rows = db.session.execute(
        select(Campaign.year, func.max(responses.c.n), CampaignQuestion.code, AnswerTally.item,
               CampaignQuestion.dimension, func.sum(AnswerTally.num * AnswerTally.answers),
               func.sum(AnswerTally.answers))
        .select_from(Campaign)
        .outerjoin(responses, responses.c.campaign_id == Campaign.id)
        .outerjoin(AnswerTally, and_(AnswerTally.tenant_id == Campaign.tenant_id,
                                     AnswerTally.campaign_id == Campaign.id, AnswerTally.has_num.is_(True)))
        .outerjoin(CampaignQuestion, and_(CampaignQuestion.id == AnswerTally.question_id,
                                          CampaignQuestion.kind.in_(RATED_KINDS)))
        .where(closed_clause())  # an open campaign's figures would show each new answer
        .group_by(Campaign.id, Campaign.year, CampaignQuestion.code, AnswerTally.item,
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


def dimension_sums(campaigns: list[tuple[int, int]]) -> list[tuple]:
    """``(tenant_id, campaign_id, dimension, total, answers, responses)`` of the national core
    ratings of ``campaigns`` (``(tenant_id, campaign_id)`` pairs, any regions), summed from
    their tallies in one query. What :class:`surveys.models.DimensionScore` stores."""
    if not campaigns:
        return []
    with all_tenants():
        return [tuple(row) for row in db.session.execute(
            select(AnswerTally.tenant_id, AnswerTally.campaign_id, CampaignQuestion.dimension,
                   func.sum(AnswerTally.num * AnswerTally.answers), func.sum(AnswerTally.answers),
                   func.sum(AnswerTally.dimension_responses))
            .join(CampaignQuestion, CampaignQuestion.id == AnswerTally.question_id)
            # read through the tally's unique key (tenant first), whatever the statistics
            .where(AnswerTally.tenant_id.in_({t for t, _c in campaigns}),
                   AnswerTally.campaign_id.in_({c for _t, c in campaigns}),
                   AnswerTally.has_num.is_(True), CampaignQuestion.regional.is_(False),
                   CampaignQuestion.dimension.is_not(None), CampaignQuestion.kind.in_(RATED_KINDS))
            .group_by(AnswerTally.tenant_id, AnswerTally.campaign_id, CampaignQuestion.dimension))]


def _closed_with_scores(year: int) -> list[tuple]:
    """The closed campaigns of ``year`` (all regions) with their stored dimension scores, one
    query: ``(campaign_id, tenant_id, dimension, total, answers, responses)``; ``dimension`` is
    None for a campaign whose scores are not stored yet (closed since the daily job ran)."""
    with all_tenants():
        return [tuple(row) for row in db.session.execute(
            select(Campaign.id, Campaign.tenant_id, DimensionScore.dimension, DimensionScore.total,
                   DimensionScore.answers, DimensionScore.responses)
            .outerjoin(DimensionScore, (DimensionScore.tenant_id == Campaign.tenant_id)
                       & (DimensionScore.campaign_id == Campaign.id))
            .where(Campaign.year == year, closed_clause()))]


def _region_rows(year: int, closed: list[tuple] | None = None) -> Scores:
    """Dimension scores of the regions with ratings in ``year``: stored for closed campaigns
    (one query, or ``closed`` from :func:`_closed_with_scores`), summed from the tallies only
    for a campaign closed since the daily job ran; see :func:`region_dimension_scores`."""
    closed = _closed_with_scores(year) if closed is None else closed
    sums: dict[int, dict[str, list]] = {}

    def add(tid, dim, total, answers, n):
        if answers:
            acc = sums.setdefault(tid, {}).setdefault(dim, [0.0, 0, 0])
            acc[0] += total
            acc[1] += answers
            acc[2] += n

    for _cid, tid, dim, total, answers, n in closed:
        if dim is not None:
            add(tid, dim, total, answers, n)
    for tid, _cid, dim, total, answers, n in dimension_sums(
            sorted({(tid, cid) for cid, tid, dim, *_rest in closed if dim is None})):
        add(tid, dim, total, answers, n)
    out: Scores = {}
    for tid, dims in sums.items():
        scores = out.setdefault(tid, dict.fromkeys(DIMENSIONS))
        for dim, (total, answers, n) in dims.items():
            scores[dim] = (float(total) / answers, int(n)) if n >= MIN_GROUP else None
    return out


def region_dimension_scores(year: int | None = None) -> Scores:
    """Dimension scores of every region's campaign in ``year`` — the contract for national views.

    Reads all tenants explicitly (``all_tenants()``); call it from national code only.

    * ``year``: the campaign year; ``None`` means the latest year in which any region has a
      response. Only closed campaigns count: while a campaign is open each new answer would
      move its figures, and so reveal it.
    * Returns ``{tenant_id: {dimension code: (mean, n) | None}}`` for every region that has a
      campaign in that year. ``mean`` is the average of all 1–5 ratings ("trudno powiedzieć"
      excluded) of the region's national core questions tagged with the dimension (``REG``,
      ``SIEC``, ``REPR``, ``PROM``, ``WIED``, ``KOM``, ``OGOL``, ``ZAAN``, see
      :data:`surveys.catalogue.DIMENSIONS`); the regions' own questions (codes ``R-…``) are
      left out of every national comparison, they differ from region to region; ``n`` is the
      number of responses that rated the dimension. The value is ``None`` when ``n`` is below
      :data:`MIN_GROUP` (5) or nobody rated it — such results must not be shown.

    One or two queries (a third only for a campaign closed since the daily job ran), whatever
    the number of responses.
    """
    if year is None:
        year = latest_scored_year()
        if year is None:
            return {}
    closed = _closed_with_scores(year)
    out: Scores = {tid: dict.fromkeys(DIMENSIONS) for _cid, tid, *_rest in closed}
    out.update(_region_rows(year, closed))
    return out


def latest_scored_year() -> int | None:
    """The latest year in which a closed campaign of any region has a response (the year
    :func:`region_dimension_scores` shows by default), or None (one query)."""
    with all_tenants():
        return db.session.scalar(select(func.max(Campaign.year)).where(
            closed_clause(), exists().where(Response.campaign_id == Campaign.id)))


def dimension_names() -> dict[str, str]:
    """For the national module: dimension code -> its name (no database access)."""
    return {code: str(name) for code, name in DIMENSIONS.items()}


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


#: the parts of a campaign's results :func:`results` can read (all of them by default).
PARTS = frozenset({"dimensions", "questions", "texts", "categories", "yoy"})


def results(campaign: Campaign, questions: list[CampaignQuestion] | None = None, *,
            texts_shown: int | None = None, expanded: str | None = None,
            parts: frozenset[str] = PARTS) -> dict[str, Any]:
    """Everything the results page, the exports and the PDF show for one campaign — or, with
    ``parts`` (a subset of :data:`PARTS`), what one section of the results page shows:
    ``dimensions`` (the region's scores and the national medians), ``questions`` (the
    distributions; with ``texts`` also the open answers), ``categories`` (scores by membership
    category) and ``yoy`` (year over year; the question labels of its table need no query).

    ``questions``: the campaign's questions in questionnaire order when the caller already has
    them (:func:`surveys.queries.campaigns.campaign_with_questions`). ``texts_shown``: open
    answers read per question (None: all; each result's ``text_count`` says how many exist),
    except for the question coded ``expanded`` (all of its answers). Two queries when the
    campaign has fewer than :data:`MIN_GROUP` responses (only counts are shown), at most six
    otherwise (one per part read).
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
    if not out["enough"]:
        return out
    if parts & {"questions", "categories"}:
        out["questions"], out["categories"] = _question_results(
            campaign.id, questions, texts_shown, expanded, open_answers="texts" in parts)
    elif "yoy" in parts:
        out["questions"] = list(_empty_results(questions).values())
    if "yoy" in parts:
        out["yoy"] = year_over_year()
    if "dimensions" in parts:
        regions = _region_rows(campaign.year)
        out["dimensions"] = regions.get(campaign.tenant_id, {})
        out["national"] = national_medians(regions)
    return out
