"""Change proposals: what an OWES is judged against (its targets, accreditation number and
dates, partnership operators) belongs to the coordinator. The OWES representative proposes a
change with a reason; the coordinator accepts it (the change is applied through the ordinary
services, as the coordinator) or rejects it with a comment. Both steps are audit-logged and
announced through the notification queue (coordinators on a new proposal, the proposer on the
decision).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit
from coordination.auth.models import Membership, User
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications import services as notify
from coordination.permissions import bound_owes_id
from owes.models import (
    PROPOSAL_KINDS,
    ActionPlan,
    ChangeProposal,
    Indicator,
    Owes,
    OwesOperator,
    PlanTarget,
)
from owes.services import plans, require_coordinator

OBJECT = "owes_proposal"


def _decimal(raw) -> Decimal | None:
    try:
        return None if raw in (None, "") else Decimal(str(raw))
    except InvalidOperation:
        return None


def _day(raw) -> date | None:
    if isinstance(raw, date) or raw is None:
        return raw
    return date.fromisoformat(raw) if raw else None


def _payload(owes: Owes, kind: str, plan: ActionPlan | None, data: dict) -> dict:
    """The change checked against the current state, with that state under ``before``."""
    if kind in ("target", "target_remove"):
        if plan is None or plan.owes_id != owes.id:
            raise DomainError(_("Choose a plan of this OWES."))
        indicator = db.session.get(Indicator, data.get("indicator_id") or 0)
        if indicator is None:
            raise DomainError(_("Choose the indicator."))
        current = db.session.scalar(select(PlanTarget).where(
            PlanTarget.plan_id == plan.id, PlanTarget.indicator_id == indicator.id))
        before = None if current is None else {"mode": current.mode, "value": str(current.value)}
        if kind == "target_remove":
            if current is None:
                raise DomainError(_("This plan has no target for %(code)s.", code=indicator.code))
            return {"indicator_id": indicator.id, "code": indicator.code, "before": before}
        mode = current.mode if current is not None else "absolute"
        base_id = current.base_indicator_id if current is not None else None
        mode, value, base_id = plans.check_target(indicator, mode, _decimal(data.get("value")), base_id)
        if current is not None and value == current.value:
            raise DomainError(_("The proposed value is the current one."))
        return {"indicator_id": indicator.id, "code": indicator.code, "mode": mode,
                "value": str(value), "base_id": base_id, "before": before}
    if kind == "accreditation":
        number = (data.get("accreditation_number") or "").strip() or None
        start, end = _day(data.get("accredited_from")), _day(data.get("accredited_to"))
        if start and end and end < start:
            raise DomainError(_("The accreditation cannot end before it starts."))
        after = {"accreditation_number": number,
                 "accredited_from": start.isoformat() if start else None,
                 "accredited_to": end.isoformat() if end else None}
        before = {"accreditation_number": owes.accreditation_number,
                  "accredited_from": owes.accredited_from.isoformat() if owes.accredited_from else None,
                  "accredited_to": owes.accredited_to.isoformat() if owes.accredited_to else None}
        if after == before:
            raise DomainError(_("The proposed accreditation is the current one."))
        return {**after, "before": before}
    if kind == "operator_remove":
        operator = db.session.get(OwesOperator, data.get("operator_id") or 0)
        if operator is None or operator.owes_id != owes.id:
            raise DomainError(_("Choose an operator of this OWES."))
        return {"operator_id": operator.id, "name": operator.name, "before": {"role": operator.role}}
    raise DomainError(_("Unknown kind of change."))


def propose(owes: Owes, kind: str, data: dict, reason: str, *, actor,
            plan: ActionPlan | None = None) -> ChangeProposal:
    """The representative bound to ``owes`` proposes a change (with a reason); coordinators
    are notified. Nothing changes until a coordinator accepts it."""
    if bound_owes_id(actor) != owes.id:
        raise DomainError(_("Only the representative of this OWES can propose a change."))
    if kind not in PROPOSAL_KINDS:
        raise DomainError(_("Unknown kind of change."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Please give the reason for the change."))
    payload = _payload(owes, kind, plan, data)
    row = ChangeProposal(owes_id=owes.id, plan_id=plan.id if plan is not None else None, kind=kind,
                         payload=payload, reason=reason, status="pending", proposed_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    audit.record("owes.proposal_create", actor=actor, obj=row,
                 summary={"owes": owes.id, "kind": kind, "change": payload})
    coordinators = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(User.active.is_(True), Membership.role == "coordinator").order_by(User.id)).all()
    context = _context(owes, row)
    for person in coordinators:
        notify.schedule("owes_proposal", person, object_type=OBJECT, object_id=row.id,
                        context=context)
    db.session.commit()
    return row


def _context(owes: Owes, row: ChangeProposal) -> dict:
    from tenants.models import Tenant

    slug = db.session.get(Tenant, owes.tenant_id).slug
    return {"title": owes.name, "change": row.kind, "code": row.payload.get("code"),
            "url": notify.link("tenant.owes.proposal_detail", tenant=slug, owes_id=owes.id,
                                   proposal_id=row.id)}


def _apply(row: ChangeProposal, owes: Owes, *, actor) -> None:
    p = row.payload
    if row.kind == "target":
        plan = db.session.get(ActionPlan, row.plan_id)
        indicator = db.session.get(Indicator, p["indicator_id"])
        if plan is None or indicator is None:
            raise DomainError(_("The plan or indicator of this proposal no longer exists."))
        plans.set_target(plan, indicator, p["mode"], Decimal(p["value"]), p.get("base_id"),
                         actor=actor, commit=False)
    elif row.kind == "target_remove":
        target = db.session.scalar(select(PlanTarget).where(
            PlanTarget.plan_id == row.plan_id, PlanTarget.indicator_id == p["indicator_id"]))
        if target is None:
            raise DomainError(_("This target no longer exists."))
        audit.record("owes.target_remove", actor=actor, obj=target, summary={"id": target.id})
        db.session.delete(target)
    elif row.kind == "accreditation":
        fields = {"accreditation_number": p["accreditation_number"],
                  "accredited_from": _day(p["accredited_from"]), "accredited_to": _day(p["accredited_to"])}
        diff = audit.changes(owes, fields)
        if diff:
            audit.record("owes.owes_update", actor=actor, obj=owes, summary=diff)
    elif row.kind == "operator_remove":
        operator = db.session.get(OwesOperator, p["operator_id"])
        if operator is None or operator.owes_id != owes.id:
            raise DomainError(_("This operator no longer exists."))
        audit.record("owes.operator_remove", actor=actor, obj=operator, summary={"id": operator.id})
        db.session.delete(operator)


def decide(row: ChangeProposal, accept: bool, comment: str | None, *, actor) -> None:
    """A coordinator accepts (the change is applied in the same transaction) or rejects (a
    comment is required) a pending proposal; the proposer is notified."""
    require_coordinator(actor)
    if actor is None:
        raise DomainError(_("Only the coordinator can decide."))
    if row.status != "pending":
        raise DomainError(_("This proposal has already been decided."))
    comment = (comment or "").strip() or None
    if not accept and not comment:
        raise DomainError(_("Please give the reason for rejecting the proposal."))
    owes = db.session.get(Owes, row.owes_id)
    try:
        if accept:
            _apply(row, owes, actor=actor)
        row.status = "accepted" if accept else "rejected"
        row.decided_by_id, row.decided_at, row.decision_comment = actor.id, utcnow(), comment
        audit.record("owes.proposal_accept" if accept else "owes.proposal_reject", actor=actor,
                     obj=row, summary={"kind": row.kind, "comment": comment})
        proposer = db.session.get(User, row.proposed_by_id) if row.proposed_by_id else None
        if proposer is not None and proposer.active:
            notify.schedule("owes_proposal_decided", proposer, object_type=OBJECT, object_id=row.id,
                            context={**_context(owes, row), "status": row.status,
                                     "comment": comment or ""})
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


