"""Answer tallies: counts kept in step with the answers (see :class:`surveys.models.AnswerTally`).

* :func:`count_response` adds one submitted response, in the caller's transaction (the
  response and its tally are committed together or not at all);
* :func:`rebuild` recomputes the tallies of some or all campaigns from the answers
  (idempotent; after bulk loads, and from ``flask --app wsgi surveys rebuild-tallies``);
* :func:`store_closed_scores` stores the dimension scores of campaigns that have closed
  (:class:`surveys.models.DimensionScore`; the daily job and the seeding commands). Both
  writers above delete a campaign's stored scores in the same transaction, so a stored score
  always agrees with the tallies.

Concurrent submissions add to the same rows with one ``INSERT … ON CONFLICT DO UPDATE SET
n = n + excluded.n`` (PostgreSQL and SQLite), rows sorted by key so that two transactions
lock shared rows in the same order (no deadlock).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from coordination.extensions import db
from coordination.tenancy import all_tenants
from surveys.models import (
    CATEGORY_CODE,
    RATED_KINDS,
    TALLY_COUNTS,
    TALLY_KEY,
    AnswerTally,
    Campaign,
    CampaignQuestion,
    DimensionScore,
    closed_clause,
)
from surveys.queries.tally import tally_source


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _category(answered: list[tuple[CampaignQuestion, list[dict[str, Any]]]]) -> str:
    for q, rows in answered:
        if q.code == CATEGORY_CODE and rows:
            return rows[0]["choice"] or ""
    return ""


def tally_rows(campaign: Campaign, answered: list[tuple[CampaignQuestion, list[dict[str, Any]]]]
               ) -> list[dict[str, Any]]:
    """The tally increments of one response: ``answered`` pairs each answered question with
    its :class:`~surveys.models.Answer` rows (as :func:`surveys.engine.answer_rows` gives them).
    Mirrors :func:`surveys.queries.tally.tally_source` for a single response."""
    category = _category(answered)
    acc: dict[tuple, dict[str, int]] = {}
    dimension_first: dict[str, tuple] = {}

    def key(q: CampaignQuestion, row: dict[str, Any]) -> tuple:
        num = row["num"]
        return (campaign.id, q.id, row["item"], row["choice"] or "", num is not None,
                float(num) if num is not None else 0.0, category)

    for q, rows in answered:
        firsts: dict[str, tuple] = {}
        for row in rows:
            k = key(q, row)
            counts = acc.setdefault(k, dict.fromkeys(TALLY_COUNTS, 0))
            counts["answers"] += 1
            counts["texts"] += row["text"] is not None
            order = (k[3], k[5])
            if row["item"] not in firsts or order < firsts[row["item"]][0]:
                firsts[row["item"]] = (order, k)
            if row["num"] is not None and q.dimension is not None and q.kind in RATED_KINDS:
                order = (q.id, row["item"], k[5])
                if q.dimension not in dimension_first or order < dimension_first[q.dimension][0]:
                    dimension_first[q.dimension] = (order, k)
        for _order, k in firsts.values():
            acc[k]["responses"] += 1
    for _order, k in dimension_first.values():
        acc[k]["dimension_responses"] += 1
    return [{"tenant_id": campaign.tenant_id, **dict(zip(TALLY_KEY, k, strict=True)), **counts}
            for k, counts in sorted(acc.items())]


def count_response(campaign: Campaign, answered: list[tuple[CampaignQuestion, list[dict[str, Any]]]]) -> None:
    """Add one response's answers to the campaign's tallies (the caller commits)."""
    rows = tally_rows(campaign, answered)
    if not rows:
        return
    _forget_scores([campaign.id])  # none while the campaign is open (unless it was reopened)
    module = postgresql if _dialect() == "postgresql" else sqlite
    table = AnswerTally.__table__
    stmt = module.insert(table).values(rows)
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["tenant_id", *TALLY_KEY],
        set_={c: table.c[c] + stmt.excluded[c] for c in TALLY_COUNTS}))


def rebuild(campaign_ids: list[int] | None = None) -> int:
    """Recompute the tallies of ``campaign_ids`` (every campaign of every region when None)
    from the answers, in one ``DELETE`` and one ``INSERT … SELECT``; returns the number of
    tally rows written. Idempotent; the caller commits."""
    table = AnswerTally.__table__
    with all_tenants():
        _forget_scores(campaign_ids)
        if campaign_ids is None:
            db.session.execute(delete(table))
        else:
            db.session.execute(delete(table).where(table.c.campaign_id.in_(campaign_ids)))
        db.session.execute(insert(table).from_select(
            ["tenant_id", *TALLY_KEY, *TALLY_COUNTS], tally_source(campaign_ids, _dialect())))
        written = select(func.count(AnswerTally.id))
        if campaign_ids is not None:
            written = written.where(AnswerTally.campaign_id.in_(campaign_ids))
        return db.session.scalar(written) or 0


def _forget_scores(campaign_ids: list[int] | None) -> None:
    """Delete the stored dimension scores of ``campaign_ids`` (all when None): their tallies
    are about to change."""
    stmt = delete(DimensionScore)
    if campaign_ids is not None:
        stmt = stmt.where(DimensionScore.campaign_id.in_(campaign_ids))
    db.session.execute(stmt)


def store_closed_scores() -> int:
    """Store the dimension scores of every closed campaign (all regions) that has none yet;
    returns how many campaigns were stored. A closed campaign's tallies no longer change, so
    its scores are summed once instead of on every national page (docs/bench.md). Every
    dimension gets a row (zeros when nobody rated it). The caller commits."""
    from surveys.catalogue import DIMENSIONS
    from surveys.queries.results import dimension_sums

    with all_tenants():
        pending = [tuple(row) for row in db.session.execute(
            select(Campaign.tenant_id, Campaign.id).where(
                closed_clause(), ~select(DimensionScore.id).where(
                    DimensionScore.tenant_id == Campaign.tenant_id,
                    DimensionScore.campaign_id == Campaign.id).exists()))]
        if not pending:
            return 0
        sums = {(cid, dim): (total, answers, n) for _tid, cid, dim, total, answers, n in dimension_sums(pending)}
        db.session.execute(insert(DimensionScore), [
            {"tenant_id": tid, "campaign_id": cid, "dimension": dim, "total": float(total or 0),
             "answers": int(answers or 0), "responses": int(n or 0)}
            for tid, cid in pending for dim in DIMENSIONS
            for total, answers, n in [sums.get((cid, dim), (0, 0, 0))]])
    return len(pending)
