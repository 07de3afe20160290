"""Test-only recounts of survey results straight from the answer rows (the oracle the tallies
are checked against)."""

from __future__ import annotations

import statistics
from decimal import Decimal

from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys.models import TALLY_COUNTS, TALLY_KEY, Answer, AnswerTally, Campaign, CampaignQuestion
from surveys.queries.tally import tally_source


def tally_rows(campaign_ids=None) -> list[tuple]:
    """The stored tally rows, sorted (all regions)."""
    cols = [AnswerTally.tenant_id, *(getattr(AnswerTally, c) for c in (*TALLY_KEY, *TALLY_COUNTS))]
    stmt = select(*cols)
    if campaign_ids is not None:
        stmt = stmt.where(AnswerTally.campaign_id.in_(campaign_ids))
    with all_tenants():
        return sorted(tuple(_norm(v) for v in row) for row in db.session.execute(stmt))


def recounted_rows(campaign_ids=None) -> list[tuple]:
    """The tally rows recounted from the answers, sorted."""
    dialect = db.session.get_bind().dialect.name
    with all_tenants():
        return sorted(tuple(_norm(v) for v in row)
                      for row in db.session.execute(tally_source(campaign_ids, dialect)))


def _norm(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 9)
    return int(value) if isinstance(value, Decimal) else value


def answer_recount(campaign_id: int) -> dict:
    """Per (question id, item): n (distinct responses), counts, mean, median, sorted texts; and
    per category the dimension means — computed in Python from every answer row."""
    rows = db.session.execute(select(Answer.response_id, Answer.question_id, Answer.item, Answer.num,
                                     Answer.choice, Answer.text)
                              .where(Answer.campaign_id == campaign_id)).all()
    questions = {q.id: q for q in db.session.scalars(
        select(CampaignQuestion).where(CampaignQuestion.campaign_id == campaign_id))}
    profile = next((q.id for q in questions.values() if q.code == "PROF-KAT"), None)
    category = {r.response_id: r.choice for r in rows if r.question_id == profile}
    out: dict = {}
    by_category: dict = {}
    for r in rows:
        q = questions[r.question_id]
        acc = out.setdefault((r.question_id, r.item), {"responses": set(), "counts": {}, "nums": [], "texts": []})
        acc["responses"].add(r.response_id)
        if r.num is not None:
            acc["nums"].append(r.num)
            if q.kind in ("likert", "matrix"):
                key = str(int(r.num))
                acc["counts"][key] = acc["counts"].get(key, 0) + 1
                if q.dimension and category.get(r.response_id):
                    by_category.setdefault(category[r.response_id], {}).setdefault(q.dimension, []).append(r.num)
        elif r.choice is not None:
            acc["counts"][r.choice] = acc["counts"].get(r.choice, 0) + 1
        if r.text is not None:
            acc["texts"].append(r.text)
    result = {key: {"n": len(a["responses"]), "counts": a["counts"],
                    "mean": statistics.fmean(a["nums"]) if a["nums"] else None,
                    "median": statistics.median(a["nums"]) if a["nums"] else None,
                    "texts": sorted(a["texts"])} for key, a in out.items()}
    means = {cat: {dim: statistics.fmean(v) for dim, v in dims.items()} for cat, dims in by_category.items()}
    return {"questions": result, "categories": means}


def region_recount(year: int) -> dict:
    """{tenant_id: {dimension: (mean, distinct responses)}} from every answer of ``year``."""
    with all_tenants():
        rows = db.session.execute(
            select(Answer.tenant_id, CampaignQuestion.dimension, Answer.num, Answer.response_id)
            .join(CampaignQuestion, CampaignQuestion.id == Answer.question_id)
            .join(Campaign, Campaign.id == Answer.campaign_id)
            .where(Campaign.year == year, Answer.num.is_not(None), CampaignQuestion.dimension.is_not(None),
                   CampaignQuestion.kind.in_(("likert", "matrix")))).all()
    acc: dict = {}
    for tid, dim, num, rid in rows:
        nums, rids = acc.setdefault(tid, {}).setdefault(dim, ([], set()))
        nums.append(num)
        rids.add(rid)
    return {tid: {dim: (statistics.fmean(nums), len(rids)) for dim, (nums, rids) in dims.items()}
            for tid, dims in acc.items()}
