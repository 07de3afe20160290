"""Targets vs actual values: the arithmetic of the progress pages (a fixed number of queries).

Rules (documented in docs/owes.md):

* *actual* = verified values of the plan's years, aggregated by the indicator's rule: ``sum``
  and ``percent_of`` add the periods up; ``unique`` takes the latest period (a running total).
  *pending* is the same over submitted (not yet verified) values.
* an absolute target is compared with the actual value; a percentage target (e.g. AL-05 = 30 %
  of AL-04) becomes ``pct × actual of the base indicator``.
* *expected* is the linear share of the plan period elapsed on ``as_of`` (1 January of the
  first year to 31 December of the last); an indicator is *behind* when its achievement is more
  than BEHIND_TOLERANCE percentage points below that.
* a plan is *running* while ``as_of`` falls within its years, *closed* after its last year and
  *not started* before its first. Only a running plan is measured against a schedule: a
  closed plan shows its final achievement per indicator, or "no data reported" when nothing
  was reported (never 0 % as if it were on time or late), and nothing in it is *behind*.
* a *rate* (an indicator measured in percent, e.g. PS-02 turnover growth "+5 % a year") does
  not accumulate: it must reach its target every year, so once the plan's first year has
  ended its expectation is 100 % (before that, no yearly figure can exist: 0 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from coordination.extensions import db
from owes.models import ActionPlan, Indicator, PlanTarget, ReportedValue
from owes.services.values import period_sort_key

#: percentage points an indicator may lag the linear expectation before it is flagged.
BEHIND_TOLERANCE = 10.0
#: the states of a plan on a given day (see :func:`plan_state`).
PLAN_STATES = ("not_started", "running", "closed")


def plan_state(start_year: int, end_year: int, as_of: date) -> str:
    """``running`` while ``as_of`` is within the plan's years, ``closed`` after, else ``not_started``."""
    if as_of.year > end_year:
        return "closed"
    return "running" if as_of.year >= start_year else "not_started"


@dataclass
class Row:
    """One indicator of a plan: target, actual, achievement and schedule flag."""

    indicator: Indicator
    #: a ``PlanTarget`` or a row of its columns (:data:`_TARGET_COLUMNS`).
    target: PlanTarget
    base_code: str | None
    effective_target: float | None
    actual: float
    pending: float
    achieved: float | None
    expected: float | None
    behind: bool
    #: any verified or submitted value exists for the indicator within the plan's years.
    reported: bool = True
    #: one of PLAN_STATES.
    state: str = "running"

    @property
    def bar(self) -> float:
        """Achievement capped at 100 for drawing."""
        return min(self.achieved or 0.0, 100.0)


def expected_share(start_year: int, end_year: int, as_of: date) -> float:
    """Linear expectation in percent: the share of the plan period elapsed on ``as_of``."""
    start, end = date(start_year, 1, 1), date(end_year, 12, 31)
    if as_of <= start:
        return 0.0
    if as_of >= end:
        return 100.0
    return round((as_of - start).days / (end - start).days * 100, 1)


def is_rate(indicator: Indicator) -> bool:
    """Measured in percent: a yearly rate or share that is not added up over the plan."""
    return indicator.unit == "percent"


def expected_rate(start_year: int, as_of: date) -> float:
    """Expectation for a rate: 100 % once the plan's first year is over, else 0 %."""
    return 100.0 if as_of > date(start_year, 12, 31) else 0.0


def aggregate(rule: str, values: list[tuple[str, Decimal]]) -> float:
    """Add periods up by the indicator's rule (``unique``: the latest period's running total)."""
    if not values:
        return 0.0
    if rule == "unique":
        return float(max(values, key=lambda pv: period_sort_key(pv[0]))[1])
    return float(sum(v for _p, v in values))


#: the columns of a target that progress needs (rows, not ORM objects: a page of eight plans
#: has hundreds of targets, and building objects for them was most of its query time).
_TARGET_COLUMNS = (PlanTarget.id, PlanTarget.plan_id, PlanTarget.indicator_id, PlanTarget.mode,
                   PlanTarget.value, PlanTarget.base_indicator_id)


def load_targets(plan_ids: list[int]) -> tuple[dict, dict]:
    """Targets per plan (rows with the attributes of a ``PlanTarget`` that progress reads) and
    the indicators they name or are based on, in catalogue order: two queries."""
    targets: dict[int, list] = {pid: [] for pid in plan_ids}
    indicators: dict[int, Indicator] = {}
    if plan_ids:
        used: set[int] = set()
        for target in db.session.execute(select(*_TARGET_COLUMNS).where(PlanTarget.plan_id.in_(plan_ids))):
            targets[target.plan_id].append(target)
            used.add(target.indicator_id)
            if target.base_indicator_id is not None:
                used.add(target.base_indicator_id)
        # the national catalogue (a few dozen rows), in its order; read even without targets
        # so that a page issues the same statements whatever its data
        indicators = {i.id: i for i in db.session.scalars(
            select(Indicator).order_by(Indicator.position, Indicator.code)) if i.id in used}
    return targets, indicators


def load(plans: list[ActionPlan], targets: dict | None = None,
         indicators: dict | None = None) -> tuple[dict, dict, dict]:
    """Targets per plan, their indicators, and values per (owes, indicator).

    Three queries (targets, their indicators, values); one when targets and indicators are given.
    """
    owes_ids = {p.owes_id for p in plans}
    if targets is None or indicators is None:
        targets, indicators = load_targets([p.id for p in plans])
    values: dict[tuple[int, int], list[tuple[str, int, str, Decimal]]] = {}
    if owes_ids:
        years = (min(p.start_year for p in plans), max(p.end_year for p in plans))
        rows = db.session.execute(
            select(ReportedValue.owes_id, ReportedValue.indicator_id, ReportedValue.period,
                   ReportedValue.year, ReportedValue.status, ReportedValue.value)
            .where(ReportedValue.owes_id.in_(owes_ids),
                   ReportedValue.year.between(*years),
                   ReportedValue.status.in_(("verified", "submitted")))
        )
        for owes_id, ind_id, period, year, status, value in rows:
            values.setdefault((owes_id, ind_id), []).append((period, year, status, value))
    return targets, indicators, values


def plan_rows(plan: ActionPlan, targets: list, indicators: dict, values: dict,
              as_of: date) -> list[Row]:
    """Progress rows of one plan (pure: works on what :func:`load` fetched)."""
    # the plan's attributes read once (ORM attribute access per value dominated this function)
    start, end, owes_id = plan.start_year, plan.end_year, plan.owes_id
    state = plan_state(start, end, as_of)
    expected = expected_share(start, end, as_of)
    #: indicator id -> its values within the plan's years, filtered once per indicator.
    within: dict[int, list[tuple[str, str, Decimal]]] = {}

    def in_plan(ind_id: int):
        found = within.get(ind_id)
        if found is None:
            found = within[ind_id] = [(p, s, v) for p, y, s, v in values.get((owes_id, ind_id), ())
                                      if start <= y <= end]
        return found

    def actual_of(ind_id: int, status: str = "verified") -> float:
        rows = [(p, v) for p, s, v in in_plan(ind_id) if s == status]
        return aggregate(indicators[ind_id].aggregation, rows)

    by_indicator = {t.indicator_id: t for t in targets}
    out = []
    for ind_id in [i for i in indicators if i in by_indicator]:
        ind, target = indicators[ind_id], by_indicator[ind_id]
        actual, pending = actual_of(ind_id), actual_of(ind_id, "submitted")
        effective = base_code = None
        if target.mode == "percent" and target.base_indicator_id in indicators:
            base_code = indicators[target.base_indicator_id].code
            base_actual = actual_of(target.base_indicator_id)
            effective = float(target.value) / 100 * base_actual if base_actual else None
        else:
            effective = float(target.value)
        reported = bool(in_plan(ind_id))
        achieved = round(actual / effective * 100, 1) if effective and reported else None
        if state == "running":
            due = expected_rate(start, as_of) if is_rate(ind) else expected
            behind = (achieved or 0.0) < due - BEHIND_TOLERANCE
        else:  # a closed plan has a final result, a plan not started has no schedule yet
            due, behind = None, False
        out.append(Row(ind, target, base_code, effective, actual, pending, achieved,
                       due, behind, reported, state))
    return out


def running_plan(plans: list[ActionPlan], as_of: date) -> ActionPlan | None:
    """The plan running on ``as_of`` (the latest-ending one if several overlap), else None."""
    running = [p for p in plans if plan_state(p.start_year, p.end_year, as_of) == "running"]
    return max(running, key=lambda p: (p.end_year, p.start_year)) if running else None


def current_plan(plans: list[ActionPlan], as_of: date) -> ActionPlan | None:
    """The plan covering ``as_of``'s year, else the most recent one."""
    if not plans:
        return None
    covering = [p for p in plans if p.start_year <= as_of.year <= p.end_year]
    pool = covering or plans
    return max(pool, key=lambda p: (p.end_year, p.start_year))
