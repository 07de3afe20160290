"""Reads shaped for the OWES pages (a fixed number of queries per page, no N+1).

For the national module: :func:`region_indicator_achievement`.
"""

from __future__ import annotations

from datetime import date

from flask_babel import get_locale
from sqlalchemy import case, func, select, true

from coordination import clock
from coordination.auth.models import Membership, User
from coordination.collation import sorted_pl
from coordination.extensions import db
from coordination.pagination import Fetched, paged
from coordination.tenancy import all_tenants
from owes.models import (
    ActionPlan,
    ConsultationComment,
    ConsultationRound,
    ImportBatch,
    Indicator,
    Owes,
    OwesOperator,
    OwesProject,
    PlanStaff,
    PlanTarget,
    Recommendation,
    RecommendationUpdate,
    ReportedValue,
    Study,
    StudyDocument,
)
from owes.queries import progress
from owes.services.registry import accreditation_expiring

# --- registry -------------------------------------------------------------------------------

def owes_page(page: int, per_page: int, today: date | None = None):
    """OWES of the tenant with their operators and the accreditation flag (two queries)."""
    items, total = paged(select(Owes).order_by(Owes.name, Owes.id), page, per_page)
    ops: dict[int, list[OwesOperator]] = {o.id: [] for o in items}
    if items:
        for op in db.session.scalars(select(OwesOperator).where(OwesOperator.owes_id.in_(ops))
                                     .order_by(OwesOperator.role, OwesOperator.id)):
            ops[op.owes_id].append(op)
    rows = [{"owes": o, "operators": ops[o.id], "expiring": accreditation_expiring(o, today)}
            for o in items]
    return rows, total


def home_owes(limit: int = 10) -> list[Owes]:
    """The first OWES of the tenant for the region home (one query)."""
    return db.session.scalars(select(Owes).order_by(Owes.name, Owes.id).limit(limit)).all()


def owes_with_plans(owes_id: int) -> tuple[Owes, list[ActionPlan]] | None:
    """An OWES and its plans, newest first, in one query (None when not in this tenant)."""
    rows = db.session.execute(
        select(Owes, ActionPlan).outerjoin(ActionPlan, ActionPlan.owes_id == Owes.id)
        .where(Owes.id == owes_id).order_by(ActionPlan.start_year.desc())).all()
    if not rows:
        return None
    return rows[0][0], [p for _o, p in rows if p is not None]


def owes_and_plan(owes_id: int, plan_id: int) -> tuple[Owes, ActionPlan] | None:
    """An OWES and one of its plans in one query."""
    row = db.session.execute(
        select(Owes, ActionPlan).join(ActionPlan, ActionPlan.owes_id == Owes.id)
        .where(Owes.id == owes_id, ActionPlan.id == plan_id)).first()
    return (row[0], row[1]) if row else None


def owes_choices() -> list[tuple[int, str]]:
    return sorted_pl(((i, n) for i, n in db.session.execute(select(Owes.id, Owes.name))), key=lambda r: r[1])


def owes_detail(owes: Owes) -> dict:
    """Operators, projects and bound users of one OWES (three queries)."""
    return {
        "operators": db.session.scalars(select(OwesOperator).where(OwesOperator.owes_id == owes.id)
                                        .order_by(OwesOperator.role, OwesOperator.id)).all(),
        "projects": db.session.scalars(select(OwesProject).where(OwesProject.owes_id == owes.id)
                                       .order_by(OwesProject.start_date.desc(), OwesProject.id)).all(),
        "people": sorted_pl(db.session.execute(select(User.full_name, User.email).join(
            Membership, Membership.user_id == User.id).where(Membership.owes_id == owes.id)).all(),
            key=lambda r: r.full_name),
        "expiring": accreditation_expiring(owes),
    }


def bindable_memberships() -> list[tuple[Membership, User]]:
    """``owes`` memberships of the tenant (for binding people to an OWES)."""
    return sorted_pl(db.session.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                                        .where(Membership.role == "owes")).all(), key=lambda r: r[1].full_name)


# --- catalogue ------------------------------------------------------------------------------

def indicators(active_only: bool = False) -> list[Indicator]:
    """The national catalogue in order (no tenant context needed)."""
    stmt = select(Indicator).order_by(Indicator.position, Indicator.code)
    if active_only:
        stmt = stmt.where(Indicator.active.is_(True))
    return db.session.scalars(stmt).all()


def indicators_page(page: int, per_page: int):
    return paged(select(Indicator).order_by(Indicator.position, Indicator.code), page, per_page)


# --- plans, values, progress ------------------------------------------------------------------

def plan_detail(plan: ActionPlan, as_of: date) -> dict:
    """Staffing, and progress of every targeted indicator (five queries whatever the size)."""
    staff = db.session.scalars(select(PlanStaff).where(PlanStaff.plan_id == plan.id)
                               .order_by(PlanStaff.id)).all()
    targets, inds, values = progress.load([plan])
    rows = progress.plan_rows(plan, targets[plan.id], inds, values, as_of)
    return {"staff": staff, "fte": sum((s.fte for s in staff), 0), "rows": rows,
            "expected": progress.expected_share(plan.start_year, plan.end_year, as_of),
            "state": progress.plan_state(plan.start_year, plan.end_year, as_of),
            "indicators": inds}


def values_page(page: int, per_page: int, owes: Owes, plan: ActionPlan, status: str = ""):
    """Reported values of the OWES within the plan's years, with their indicators (two queries).

    The summary counts draft and returned values (any filter).
    """
    in_plan = (ReportedValue.owes_id == owes.id,
               ReportedValue.year.between(plan.start_year, plan.end_year))
    matches = ReportedValue.status == status if status else true()
    total, drafts = db.session.execute(select(
        func.coalesce(func.sum(case((matches, 1), else_=0)), 0),
        func.coalesce(func.sum(case((ReportedValue.status.in_(("draft", "returned")), 1), else_=0)), 0),
    ).where(*in_plan)).one()
    stmt = (select(ReportedValue, Indicator).join(Indicator, Indicator.id == ReportedValue.indicator_id)
            .where(*in_plan, matches).order_by(Indicator.position, ReportedValue.period)
            .limit(per_page).offset((page - 1) * per_page))
    return Fetched(db.session.execute(stmt).all(), int(total), int(drafts))


def plan_covering(owes: Owes, year: int) -> ActionPlan | None:
    """The (latest-starting) plan of the OWES whose years include ``year``."""
    return db.session.scalar(select(ActionPlan).where(
        ActionPlan.owes_id == owes.id, ActionPlan.start_year <= year, ActionPlan.end_year >= year)
        .order_by(ActionPlan.start_year.desc()).limit(1))


def plan_values_map(owes: Owes, plan: ActionPlan) -> tuple[dict, list]:
    """{(indicator id, period): value} and detail rows for the export (one query)."""
    rows = db.session.execute(
        select(ReportedValue, Indicator.code).join(Indicator, Indicator.id == ReportedValue.indicator_id)
        .where(ReportedValue.owes_id == owes.id,
               ReportedValue.year.between(plan.start_year, plan.end_year))
        .order_by(Indicator.position, ReportedValue.period)).all()
    values = {(v.indicator_id, v.period): v.value for v, _c in rows}
    details = [(v.period, code, v.value, v.status, v.evidence, v.review_comment) for v, code in rows]
    return values, details


def plan_targets(plan: ActionPlan) -> dict[int, PlanTarget]:
    return {t.indicator_id: t for t in db.session.scalars(
        select(PlanTarget).where(PlanTarget.plan_id == plan.id))}


def drafts(owes: Owes, plan: ActionPlan) -> list[ReportedValue]:
    """Draft and returned values of the plan's years (what "submit all" hands over)."""
    return db.session.scalars(select(ReportedValue).where(
        ReportedValue.owes_id == owes.id, ReportedValue.status.in_(("draft", "returned")),
        ReportedValue.year.between(plan.start_year, plan.end_year))).all()


def import_batch(token: str) -> ImportBatch | None:
    """A pending import preview of the current tenant by its token."""
    return db.session.scalar(select(ImportBatch).where(ImportBatch.token == token))


def review_queue(page: int, per_page: int):
    """Submitted values of every OWES of the tenant, oldest first (for coordinators)."""
    stmt = (select(ReportedValue, Indicator, Owes)
            .join(Indicator, Indicator.id == ReportedValue.indicator_id)
            .join(Owes, Owes.id == ReportedValue.owes_id)
            .where(ReportedValue.status == "submitted")
            .order_by(ReportedValue.submitted_at, ReportedValue.id))
    return paged(stmt, page, per_page, scalars=False)


def tenant_progress(page: int, per_page: int, as_of: date):
    """All OWES side by side: each OWES's current plan and its rows (four queries); the summary
    lists the indicators that have a row in any column."""
    rows = db.session.execute(select(Owes, func.count().over()).order_by(Owes.name, Owes.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    owes_list, total = [o for o, _n in rows], (rows[0][1] if rows else 0)
    ids = [o.id for o in owes_list]
    plans = db.session.scalars(select(ActionPlan).where(ActionPlan.owes_id.in_(ids))).all() if ids else []
    current = {}
    for o in owes_list:
        plan = progress.current_plan([p for p in plans if p.owes_id == o.id], as_of)
        if plan is not None:
            current[o.id] = plan
    targets, inds, values = progress.load(list(current.values()))
    columns = []
    for o in owes_list:
        plan = current.get(o.id)
        rows = progress.plan_rows(plan, targets[plan.id], inds, values, as_of) if plan else []
        columns.append({"owes": o, "plan": plan, "rows": {r.indicator.id: r for r in rows},
                        "state": progress.plan_state(plan.start_year, plan.end_year, as_of) if plan else None,
                        "behind": sum(1 for r in rows if r.behind)})
    used = {i for c in columns for i in c["rows"]}
    row_indicators = [i for i in inds.values() if i.id in used]
    return Fetched(columns, total, row_indicators)


# --- national -------------------------------------------------------------------------------

#: a region's cell in the national OWES comparison when no percentage can be shown.
NO_CURRENT_PLAN = "no_current_plan"
NOT_REPORTED = "not_reported"


def _regional(as_of: date):
    """Per tenant, per indicator: (sum of actual, sum of effective targets, behind, targets,
    reported) over the *running* plans only; and the tenants that have a running plan.

    A closed plan has a final result, not a current achievement, so it never counts here (a
    region whose plans have all ended is "no current plan", not 0 %). An indicator counts into
    the percentage only where values were reported for it.

    Three queries: plans with their targets, the catalogue, the values of the running plans.
    """
    with all_tenants():
        rows = db.session.execute(select(ActionPlan, PlanTarget).outerjoin(
            PlanTarget, PlanTarget.plan_id == ActionPlan.id)).all()
        by_owes: dict[int, dict[int, ActionPlan]] = {}
        all_targets: dict[int, list[PlanTarget]] = {}
        for plan, target in rows:
            by_owes.setdefault(plan.owes_id, {})[plan.id] = plan
            bucket = all_targets.setdefault(plan.id, [])
            if target is not None:
                bucket.append(target)
        running = [p for p in (progress.running_plan(list(ps.values()), as_of)
                               for ps in by_owes.values()) if p is not None]
        inds = {i.id: i for i in indicators()}
        targets, inds, values = progress.load(running, all_targets, inds)
    totals: dict[int, dict[int, list[float]]] = {}
    for plan in running:
        for row in progress.plan_rows(plan, targets[plan.id], inds, values, as_of):
            acc = totals.setdefault(plan.tenant_id, {}).setdefault(row.indicator.id,
                                                                   [0.0, 0.0, 0, 0, 0])
            if row.reported and row.effective_target:
                acc[0] += row.actual
                acc[1] += row.effective_target
                acc[4] += 1
            acc[2] += 1 if row.behind else 0
            acc[3] += 1
    ever = {t.indicator_id for ts in all_targets.values() for t in ts}
    return totals, inds, {p.tenant_id for p in running}, ever


def _achievement(acc: list | None) -> float | str | None:
    """A region's cell: percent achieved, NOT_REPORTED, or None (no target for the code)."""
    if acc is None:
        return None
    if not acc[4]:
        return NOT_REPORTED
    return round(acc[0] / acc[1] * 100, 1)


def region_indicator_achievement(as_of: date | None = None) -> dict[int, dict[str, float | str | None]]:
    """For the national module: tenant id -> {indicator code -> % of target achieved}.

    Every tenant is present, each with every code that has a target in a running plan of at
    least one region (or, when no plan runs anywhere, in any plan; read with ``.get(code)``). The percentage adds up, over the OWES of the
    region, their *running* plan (the one covering ``as_of``'s year): verified actual values /
    effective targets × 100 (rounded to 0.1), counting only indicators with reported values.
    A cell is :data:`NOT_REPORTED` when the region's running plans target the code but nothing
    was reported, :data:`NO_CURRENT_PLAN` for every code of a region with no running plan
    (its plans have ended or it has none), and ``None`` when its running plans do not target
    the code. Never 0 % for a plan that is over. Reads all tenants explicitly with
    ``all_tenants()``; a fixed number of queries.
    """
    from tenants.models import Tenant

    as_of = as_of or clock.today()
    totals, inds, with_plan, ever = _regional(as_of)
    tenant_ids = db.session.scalars(select(Tenant.id)).all()
    # codes targeted in a running plan; when no plan runs anywhere, the codes plans ever had,
    # so that each region still gets its "no current plan" row
    running = {i for per in totals.values() for i in per}
    targeted = [i for i in inds.values() if i.id in (running or ever)]
    out: dict[int, dict[str, float | str | None]] = {}
    for tid in tenant_ids:
        per = totals.get(tid, {})
        out[tid] = {ind.code: (_achievement(per.get(ind.id)) if tid in with_plan
                               else NO_CURRENT_PLAN) for ind in targeted}
    return out


def national_overview(as_of: date) -> dict:
    """Rows per region (OWES count, targets, behind) and the achievement matrix."""
    from tenants.models import Tenant

    with all_tenants():
        owes_counts = dict(db.session.execute(select(Owes.tenant_id, func.count(Owes.id))
                                              .group_by(Owes.tenant_id)).all())
        submitted = dict(db.session.execute(
            select(ReportedValue.tenant_id, func.count(ReportedValue.id))
            .where(ReportedValue.status == "submitted").group_by(ReportedValue.tenant_id)).all())
    totals, inds, with_plan, _ever = _regional(as_of)
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.teryt)).all()
    regions = []
    for t in tenants:
        per = totals.get(t.id, {})
        regions.append({"tenant": t, "owes": owes_counts.get(t.id, 0),
                        "targets": sum(a[3] for a in per.values()),
                        "behind": sum(a[2] for a in per.values()),
                        "submitted": submitted.get(t.id, 0),
                        "current_plan": t.id in with_plan,
                        "achieved": {i: _achievement(a) for i, a in per.items()}})
    used = {i for r in regions for i in r["achieved"]}
    return {"region_rows": regions, "indicators": [i for i in inds.values() if i.id in used]}


# --- evaluation -----------------------------------------------------------------------------

def studies_page(page: int, per_page: int):
    stmt = (select(Study, Owes.name).outerjoin(Owes, Owes.id == Study.owes_id)
            .order_by(Study.created_at.desc(), Study.id.desc()))
    return paged(stmt, page, per_page, scalars=False)


def study_with_owes(study_id: int) -> tuple[Study, Owes | None] | None:
    """A study and its OWES (None for system-wide studies) in one query."""
    row = db.session.execute(select(Study, Owes).outerjoin(Owes, Owes.id == Study.owes_id)
                             .where(Study.id == study_id)).first()
    return (row[0], row[1]) if row else None


def study_documents(study: Study) -> list[StudyDocument]:
    return db.session.scalars(select(StudyDocument).where(StudyDocument.study_id == study.id)
                              .order_by(StudyDocument.kind, StudyDocument.version.desc())).all()


def study_detail(study: Study) -> dict:
    """Documents, consultation rounds (with comment counts) and recommendations: three queries."""
    docs = study_documents(study)
    rounds = db.session.execute(
        select(ConsultationRound, func.count(ConsultationComment.id))
        .outerjoin(ConsultationComment, ConsultationComment.round_id == ConsultationRound.id)
        .where(ConsultationRound.study_id == study.id)
        .group_by(ConsultationRound.id).order_by(ConsultationRound.opens_on.desc())).all()
    recs = db.session.scalars(select(Recommendation).where(Recommendation.study_id == study.id)
                              .order_by(Recommendation.id)).all()
    return {"documents": docs, "rounds": rounds, "recommendations": recs}


def comments_page(page: int, per_page: int, rnd: ConsultationRound):
    stmt = (select(ConsultationComment).where(ConsultationComment.round_id == rnd.id)
            .order_by(ConsultationComment.id))
    return paged(stmt, page, per_page)


def all_comments(rnd: ConsultationRound) -> list[ConsultationComment]:
    return db.session.scalars(select(ConsultationComment).where(
        ConsultationComment.round_id == rnd.id).order_by(ConsultationComment.id)).all()


def recommendations_page(page: int, per_page: int, open_only: bool = True):
    """Recommendations of the tenant's studies, open ones (planned / in progress) by deadline."""
    stmt = (select(Recommendation, Study).join(Study, Study.id == Recommendation.study_id)
            .order_by(Recommendation.deadline.is_(None), Recommendation.deadline, Recommendation.id))
    if open_only:
        stmt = stmt.where(Recommendation.status.in_(("planned", "in_progress")))
    return paged(stmt, page, per_page, scalars=False)


def recommendation_updates(rec: Recommendation) -> list[RecommendationUpdate]:
    return db.session.scalars(select(RecommendationUpdate).where(
        RecommendationUpdate.recommendation_id == rec.id)
        .order_by(RecommendationUpdate.year.desc())).all()


def indicator_names() -> dict[str, str]:
    """For the national module: indicator code -> its name in the page's language (one query)."""
    english = str(get_locale() or "pl").startswith("en")
    return {code: (name_en if english and name_en else name)
            for code, name, name_en in db.session.execute(
                select(Indicator.code, Indicator.name, Indicator.name_en))}
