"""Synthetic OWES for ``seed-synthetic`` (contract: coordination/synthetic.py).

Per region at scale 1: 8 OWES (one per ``people(tenant, "owes")`` representative, whose
membership is linked to it), each with two operators, a project and an action plan over the
synthetic 5 years with staffing and targets on 30 indicators of the national catalogue (seeded
with :func:`~owes.catalogue.ensure_catalogue`, as the module does; ``percent_of``
indicators get a percentage target of their base indicator), and reported values for every
indicator in 10 half-year periods: older periods mostly verified (a few returned with a
comment or still submitted), the last year submitted, returned or draft, a few not reported.
The number of indicators and periods is fixed by the catalogue and the calendar; the number of
OWES scales.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from coordination.auth.models import Membership
from coordination.extensions import db
from coordination.synthetic import EPOCH_END, YEARS, bulk_insert, count, first_id, people
from owes.catalogue import ensure_catalogue
from owes.models import (
    ActionPlan,
    Indicator,
    Owes,
    OwesOperator,
    OwesProject,
    PlanStaff,
    PlanTarget,
    ReportedValue,
)

OWES_PER_TENANT = 8
INDICATORS = 30
FIRST_YEAR = EPOCH_END.year - YEARS + 1
PERIODS = [f"{y}-H{h}" for y in range(FIRST_YEAR, EPOCH_END.year + 1) for h in (1, 2)]
#: scale of a plan's target per unit of measure (low, high).
TARGET_RANGE = {"count": (10, 200), "persons": (100, 900), "hours": (200, 2500), "fte": (5, 60),
                "percent": (20, 80), "pln": (100_000, 2_000_000)}
POWIATY = ("bolesławiecki", "głogowski", "kaliski", "koniński", "leszczyński", "pilski", "zgierski",
           "kutnowski", "łowicki", "sieradzki", "tarnowski", "nowosądecki", "elbląski", "ełcki")
OPERATORS = ("Fundacja Rozwoju Ekonomii Społecznej", "Stowarzyszenie Wsparcie Społeczne",
             "Centrum Inicjatyw Lokalnych", "Spółdzielnia Socjalna Usług Wspólnych",
             "Regionalna Agencja Rozwoju")
STAFF = (("doradcy kluczowi", "3"), ("doradcy biznesowi", "1.5"), ("animatorzy lokalni", "2"))
RETURN_NOTE = "Proszę uzupełnić źródło danych (listy obecności)."


def _status(rng, period: str) -> str | None:
    """Status of a value in ``period`` (None: not reported)."""
    roll = rng.random()
    if period.startswith(str(EPOCH_END.year)):
        if period.endswith("H2"):
            return None if roll < 0.1 else "draft" if roll < 0.6 else "submitted"
        return "verified" if roll < 0.45 else "submitted" if roll < 0.85 else "returned"
    return "verified" if roll < 0.9 else "submitted" if roll < 0.95 else "returned"


def _period_end(period: str) -> datetime:
    year, half = int(period[:4]), int(period[-1])
    return datetime.combine(date(year, 6, 30) if half == 1 else date(year, 12, 31), time(12, 0))


def generate(tenants, scale, rng) -> dict[str, int]:
    """OWES, operators, projects, plans with staff and targets, reported values."""
    ensure_catalogue()
    indicators = db.session.scalars(select(Indicator).where(Indicator.active.is_(True))
                                    .order_by(Indicator.position)).all()[:INDICATORS]
    chosen = {i.id for i in indicators}
    registry, reps = [], []
    for tenant in tenants.values():
        owes_people = people(tenant, "owes")
        coordinator = people(tenant, "coordinator")[0]
        for n in range(count(OWES_PER_TENANT, scale)):
            registry.append({
                "tenant_id": tenant.id, "name": f"OWES {tenant.name} – subregion {n + 1}",
                "subregion": rng.sample(POWIATY, 3), "accreditation_number": f"AKSES/OWES/{n + 1}/{FIRST_YEAR}",
                "accredited_from": date(FIRST_YEAR, 1, 1), "accredited_to": date(EPOCH_END.year + 1, 12, 31),
                "contact_email": f"owes{n + 1}.{tenant.slug}@synthetic.example.org",
                "contact_phone": "22 000 00 00", "address": "ul. Przykładowa 1", "website": None,
                "description": "Ośrodek wsparcia ekonomii społecznej (dane syntetyczne).",
                "created_at": datetime(FIRST_YEAR, 1, 2, 9, 0)})
            reps.append((owes_people[n] if n < len(owes_people) else None, coordinator))
    owes_ids = bulk_insert(Owes, registry, returning=Owes.id)
    by_user = dict(db.session.execute(select(Membership.user_id, Membership.id).where(
        Membership.role == "owes", Membership.user_id.in_([u for u, _c in reps if u is not None]))).all())
    links = [{"id": by_user[user_id], "owes_id": owes_id}
             for owes_id, (user_id, _c) in zip(owes_ids, reps, strict=True) if user_id in by_user]
    if links:
        db.session.execute(update(Membership), links)
    operators, projects, plans = [], [], []
    for row, owes_id in zip(registry, owes_ids, strict=True):
        tid = row["tenant_id"]
        lead, partner = rng.sample(OPERATORS, 2)
        operators += [{"tenant_id": tid, "owes_id": owes_id, "name": lead, "role": "lead",
                       "responsibility": "wsparcie finansowe i doradztwo"},
                      {"tenant_id": tid, "owes_id": owes_id, "name": partner, "role": "partner",
                       "responsibility": "animacja lokalna i szkolenia"}]
        projects.append({"tenant_id": tid, "owes_id": owes_id, "name": f"{row['name']} – projekt",
                         "programme": "FERS / programy regionalne 2021–2027",
                         "start_date": date(FIRST_YEAR, 1, 1), "end_date": EPOCH_END.date(),
                         "budget": Decimal(rng.randrange(4_000_000, 12_000_000))})
        plans.append({"tenant_id": tid, "owes_id": owes_id,
                      "title": f"Plan działania OWES {FIRST_YEAR}–{EPOCH_END.year}",
                      "start_year": FIRST_YEAR, "end_year": EPOCH_END.year,
                      "goals": "Nowe miejsca pracy w przedsiębiorstwach społecznych.\nRozwój partnerstw lokalnych.",
                      "services": "Doradztwo, animacja, szkolenia, inkubacja, dotacje.",
                      "created_at": datetime(FIRST_YEAR, 1, 10, 9, 0)})
    bulk_insert(OwesOperator, operators)
    bulk_insert(OwesProject, projects)
    plan_ids = bulk_insert(ActionPlan, plans, returning=ActionPlan.id)
    staff, targets, values = [], [], []
    for plan, plan_id, (rep, coordinator) in zip(plans, plan_ids, reps, strict=True):
        tid, owes_id = plan["tenant_id"], plan["owes_id"]
        staff += [{"tenant_id": tid, "plan_id": plan_id, "role": role, "fte": Decimal(fte)}
                  for role, fte in STAFF]
        pace = rng.uniform(0.6, 1.3)  # how well this OWES does
        for ind in indicators:
            percent = ind.aggregation == "percent_of" and ind.base_id in chosen
            low, high = TARGET_RANGE.get(ind.unit, (10, 200))
            goal = rng.randint(10, 40) if percent else rng.randint(low, high)
            targets.append({"tenant_id": tid, "plan_id": plan_id, "indicator_id": ind.id,
                            "mode": "percent" if percent else "absolute", "value": Decimal(goal),
                            "base_indicator_id": ind.base_id if percent else None})
            running = 0.0
            for period in PERIODS:
                status = _status(rng, period)
                if status is None:
                    continue
                share = pace * rng.uniform(0.5, 1.5)
                if ind.aggregation == "unique" or ind.unit == "percent":
                    running = min(goal * 1.5, running + goal * share / len(PERIODS))
                    number = running if ind.unit != "percent" else min(100.0, goal * share)
                else:
                    number = (goal if not percent else 30) * share / len(PERIODS)
                end = _period_end(period)
                values.append({
                    "tenant_id": tid, "owes_id": owes_id, "indicator_id": ind.id, "period": period,
                    "year": int(period[:4]), "value": Decimal(round(number, 2 if ind.unit == "fte" else 0)),
                    "breakdown": None, "status": status,
                    "evidence": "Listy obecności i sprawozdanie okresowe." if status != "draft" else None,
                    "review_comment": RETURN_NOTE if status == "returned" else None,
                    "updated_at": end + timedelta(days=10), "updated_by_id": rep,
                    "submitted_at": end + timedelta(days=12) if status != "draft" else None,
                    "verified_at": end + timedelta(days=30) if status == "verified" else None,
                    "verified_by_id": coordinator if status == "verified" else None})
    bulk_insert(PlanStaff, staff)
    bulk_insert(PlanTarget, targets)
    bulk_insert(ReportedValue, values)
    return {"OWES": len(owes_ids), "operators": len(operators), "plans": len(plans),
            "plan targets": len(targets), "reported values": len(values), "linked representatives": len(links)}


def bench_plan(tenant: str) -> dict:
    """URL values of the benchmark's plan page: the region's first plan that has targets."""
    from owes.models import ActionPlan, PlanTarget

    plan_id = first_id(ActionPlan, tenant, lambda p: p.id.in_(select(PlanTarget.plan_id)))
    owes_id = db.session.scalar(select(ActionPlan.owes_id).where(ActionPlan.id == plan_id)) if plan_id else None
    return {"owes_id": owes_id, "plan_id": plan_id}
