"""Action plans: period, goals, services, staffing (FTE) and targets per indicator."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from owes.models import ActionPlan, Indicator, Owes, PlanStaff, PlanTarget
from owes.services import require_coordinator, save_audited

MIN_YEAR, MAX_YEAR = 2000, 2100
PLAN_FIELDS = ("title", "start_year", "end_year", "goals", "services")


def save_plan(owes: Owes, plan: ActionPlan | None, data: dict, *, actor) -> ActionPlan:
    """Create or update an action plan of ``owes``; the period must be sane and not taken."""
    fields = {k: data.get(k) for k in PLAN_FIELDS if k in data}
    start, end = fields["start_year"], fields["end_year"]
    if not (MIN_YEAR <= start <= MAX_YEAR and MIN_YEAR <= end <= MAX_YEAR):
        raise DomainError(_("Years must be between %(a)d and %(b)d.", a=MIN_YEAR, b=MAX_YEAR))
    if end < start:
        raise DomainError(_("The plan cannot end before it starts."))
    clash = db.session.scalar(select(ActionPlan.id).where(
        ActionPlan.owes_id == owes.id, ActionPlan.start_year == start, ActionPlan.end_year == end))
    if clash is not None and (plan is None or clash != plan.id):
        raise DomainError(_("This OWES already has a plan for %(a)d–%(b)d.", a=start, b=end))
    parents = {"owes_id": owes.id} if plan is None else {}
    return save_audited(plan, ActionPlan, fields, actor=actor, action="owes.plan",
                        created={"owes": owes.id, "period": f"{start}-{end}"}, **parents)


def add_staff(plan: ActionPlan, role: str, fte: Decimal, *, actor) -> PlanStaff:
    """Add a staffing line (role and FTE) to a plan."""
    if fte is None or fte <= 0 or fte > 100:
        raise DomainError(_("FTE must be more than 0 and at most 100."))
    row = PlanStaff(plan_id=plan.id, role=role.strip(), fte=fte)
    db.session.add(row)
    db.session.flush()
    audit.record("owes.staff_add", actor=actor, obj=row, summary={"role": row.role, "fte": fte})
    db.session.commit()
    return row


def check_target(indicator: Indicator, mode: str, value: Decimal | None,
                 base_id: int | None) -> tuple[str, Decimal, int | None]:
    """Validate a target; return ``(mode, value, base_indicator_id)`` or raise DomainError."""
    if value is None:
        raise DomainError(_("Enter the target value."))
    if value < 0:
        raise DomainError(_("The target cannot be negative."))
    if mode == "percent":
        base_id = base_id or indicator.base_id
        if base_id is None:
            raise DomainError(_("Choose the indicator the percentage applies to."))
        if base_id == indicator.id:
            raise DomainError(_("A target cannot be a percentage of its own indicator."))
        if value > 100:
            raise DomainError(_("A percentage must be between 0 and 100."))
        return mode, value, base_id
    if mode != "absolute":
        raise DomainError(_("Unknown kind of target."))
    if indicator.unit == "percent" and value > 100:
        raise DomainError(_("A percentage must be between 0 and 100."))
    return mode, value, None


def set_target(plan: ActionPlan, indicator: Indicator, mode: str, value: Decimal | None,
               base_id: int | None = None, *, actor, commit: bool = True) -> PlanTarget:
    """Create or change the target of ``indicator`` in ``plan`` (upsert, audited); only a
    coordinator may (:func:`~owes.services.require_coordinator`)."""
    require_coordinator(actor)
    mode, value, base_id = check_target(indicator, mode, value, base_id)
    target = db.session.scalar(select(PlanTarget).where(
        PlanTarget.plan_id == plan.id, PlanTarget.indicator_id == indicator.id))
    if target is None:
        target = PlanTarget(plan_id=plan.id, indicator_id=indicator.id, mode=mode, value=value,
                            base_indicator_id=base_id)
        db.session.add(target)
        db.session.flush()
        audit.record("owes.target_set", actor=actor, obj=target,
                     summary={"indicator": indicator.code, "mode": mode, "value": value})
    else:
        diff = audit.changes(target, {"mode": mode, "value": value, "base_indicator_id": base_id})
        if diff:
            audit.record("owes.target_set", actor=actor, obj=target,
                         summary={"indicator": indicator.code, **diff})
    if commit:
        db.session.commit()
    return target
