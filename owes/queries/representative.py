"""Reads for the OWES representative's home ("Mój OWES") and for change proposals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coordination.extensions import db
from coordination.pagination import paged
from owes.models import ActionPlan, ChangeProposal, Indicator, Owes, ReportedValue
from owes.queries import progress
from owes.services.values import current_period, period_sort_key

#: proposals shown on the representative's home.
RECENT_PROPOSALS = 10


def due_period(plan: ActionPlan, as_of: date) -> str | None:
    """The half-year to report now: the last one that has ended (on 30 June 2026 that is
    ``2025-H2``, on 1 July ``2026-H1``), when it lies within the plan; else None."""
    period = f"{as_of.year - 1}-H2" if as_of.month <= 6 else f"{as_of.year}-H1"
    return period if plan.start_year <= int(period[:4]) <= plan.end_year else None


def home(owes: Owes, as_of: date) -> dict:
    """The running plan with its progress, what is due for the last ended half-year, values
    returned for correction, drafts not yet submitted and recent proposals (six queries)."""
    plans = db.session.scalars(select(ActionPlan).where(ActionPlan.owes_id == owes.id)
                               .order_by(ActionPlan.start_year.desc())).all()
    plan = progress.running_plan(plans, as_of)
    rows, due, period = [], [], None
    if plan is not None:
        targets, inds, values = progress.load([plan])
        rows = progress.plan_rows(plan, targets[plan.id], inds, values, as_of)
        period = due_period(plan, as_of)
        if period is not None:
            reported = set(db.session.scalars(select(ReportedValue.indicator_id).where(
                ReportedValue.owes_id == owes.id,
                ReportedValue.period.in_((period, period[:4])))))
            due = [r.indicator for r in rows if r.indicator.id not in reported]
    open_values = db.session.execute(
        select(ReportedValue, Indicator).join(Indicator, Indicator.id == ReportedValue.indicator_id)
        .where(ReportedValue.owes_id == owes.id, ReportedValue.status.in_(("returned", "draft")))
        .order_by(ReportedValue.year.desc(), Indicator.position)).all()
    open_values = sorted(open_values, key=lambda vi: period_sort_key(vi[0].period), reverse=True)
    proposals = db.session.scalars(select(ChangeProposal).where(ChangeProposal.owes_id == owes.id)
                                   .order_by(ChangeProposal.created_at.desc(), ChangeProposal.id.desc())
                                   .limit(RECENT_PROPOSALS)).all()
    return {"plans": plans, "plan": plan, "rows": rows, "due": due, "due_period": period,
            "current_period": current_period(as_of),
            "returned": [(v, i) for v, i in open_values if v.status == "returned"],
            "drafts": [(v, i) for v, i in open_values if v.status == "draft"],
            "proposals": proposals}


def proposals_page(page: int, per_page: int, status: str = "pending"):
    """Proposals of the tenant with their OWES, oldest pending first (for coordinators)."""
    stmt = (select(ChangeProposal, Owes).join(Owes, Owes.id == ChangeProposal.owes_id)
            .order_by(ChangeProposal.created_at, ChangeProposal.id))
    if status:
        stmt = stmt.where(ChangeProposal.status == status)
    return paged(stmt, page, per_page, scalars=False)
