"""OWES registry and the national indicator catalogue."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from coordination import audit, clock
from coordination.auth.models import Membership
from coordination.errors import DomainError
from coordination.extensions import db
from owes.models import (
    AGGREGATIONS,
    DISAGGREGATIONS,
    OPERATOR_ROLES,
    UNITS,
    Indicator,
    Owes,
    OwesOperator,
    OwesProject,
    PlanTarget,
    ReportedValue,
)
from owes.services import GOVERNED_OWES_FIELDS, GOVERNED_REMOVALS, require_coordinator, save_audited

#: accreditation ending within this many days is flagged.
EXPIRY_WARNING_DAYS = 90

OWES_FIELDS = ("name", "subregion", "accreditation_number", "accredited_from", "accredited_to",
               "contact_email", "contact_phone", "address", "website", "description")


def parse_powiaty(text: str | list | None) -> list[str]:
    """Powiaty from a text with one name per line or separated by commas/semicolons."""
    if isinstance(text, list):
        items = text
    else:
        items = (text or "").replace(";", "\n").replace(",", "\n").splitlines()
    seen: list[str] = []
    for item in (i.strip() for i in items):
        if item and item not in seen:
            seen.append(item)
    return seen


def accreditation_expiring(owes: Owes, today: date | None = None) -> bool:
    """True when the accreditation ends within EXPIRY_WARNING_DAYS (or has ended)."""
    if owes.accredited_to is None:
        return False
    today = today or clock.today()
    return owes.accredited_to <= today + timedelta(days=EXPIRY_WARNING_DAYS)


def _ends_before_start(start, end) -> bool:
    return bool(start and end and end < start)


def save_owes(owes: Owes | None, data: dict, *, actor) -> Owes:
    """Create an OWES (``owes`` None) or update it from ``data`` (keys of OWES_FIELDS)."""
    fields = {k: data.get(k) for k in OWES_FIELDS if k in data}
    if "subregion" in fields:
        fields["subregion"] = parse_powiaty(fields["subregion"])
    if _ends_before_start(fields.get("accredited_from"), fields.get("accredited_to")):
        raise DomainError(_("The accreditation cannot end before it starts."))
    if any(k in fields and (fields[k] or None) != (getattr(owes, k) if owes else None)
           for k in GOVERNED_OWES_FIELDS):
        require_coordinator(actor)  # the accreditation is the coordinator's to record
    return save_audited(owes, Owes, fields, actor=actor, action="owes.owes",
                        created={"name": fields.get("name")})


def delete_owes(owes: Owes, *, actor) -> None:
    """Remove an OWES with its operators, projects, plans, values and studies."""
    audit.record("owes.delete", actor=actor, obj=owes, summary={"name": owes.name})
    for m in db.session.scalars(select(Membership).where(Membership.owes_id == owes.id)):
        m.owes_id = None
    # the foreign key membership -> owes is NO ACTION: the unbinding must reach the database
    # before the DELETE (the unit of work does not order unrelated mappers' updates first).
    db.session.flush()
    db.session.delete(owes)
    db.session.commit()


def add_operator(owes: Owes, name: str, role: str, responsibility: str | None, *, actor) -> OwesOperator:
    """Add an operator organisation (leader or partner) to the OWES (coordinators only)."""
    require_coordinator(actor)
    if role not in OPERATOR_ROLES:
        raise DomainError(_("Unknown operator role."))
    op = OwesOperator(owes_id=owes.id, name=name.strip(), role=role,
                      responsibility=(responsibility or "").strip() or None)
    db.session.add(op)
    db.session.flush()
    audit.record("owes.operator_add", actor=actor, obj=op, summary={"owes": owes.id, "name": op.name})
    db.session.commit()
    return op


def add_project(owes: Owes, data: dict, *, actor) -> OwesProject:
    """Add a financing project (name, programme, period, budget) to the OWES."""
    if _ends_before_start(data.get("start_date"), data.get("end_date")):
        raise DomainError(_("The project cannot end before it starts."))
    budget = data.get("budget")
    if budget is not None and Decimal(budget) < 0:
        raise DomainError(_("The budget cannot be negative."))
    project = OwesProject(owes_id=owes.id, name=data["name"].strip(), programme=data.get("programme"),
                          start_date=data.get("start_date"), end_date=data.get("end_date"),
                          budget=budget)
    db.session.add(project)
    db.session.flush()
    audit.record("owes.project_add", actor=actor, obj=project,
                 summary={"owes": owes.id, "name": project.name})
    db.session.commit()
    return project


def remove_child(obj, action: str, *, actor) -> None:
    """Delete an operator, project, staff row or target (after the user confirmed); operators
    and targets only by a coordinator."""
    if action in GOVERNED_REMOVALS:
        require_coordinator(actor)
    audit.record(action, actor=actor, obj=obj, summary={"id": obj.id})
    db.session.delete(obj)
    db.session.commit()


def bind_user(membership: Membership, owes: Owes | None, *, actor) -> None:
    """Bind an ``owes`` membership to an OWES (or unbind with None)."""
    if membership.role != "owes":
        raise DomainError(_("Only OWES representatives can be bound to an OWES."))
    diff = audit.changes(membership, {"owes_id": owes.id if owes else None})
    if diff:
        audit.record("owes.bind_user", actor=actor, obj=membership, summary=diff)
        db.session.commit()


# --- national indicator catalogue ---------------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "name_en", "unit", "definition", "aggregation", "base_id",
                    "disaggregation", "position", "active")


def save_indicator(indicator: Indicator | None, data: dict, *, actor) -> Indicator:
    """Create or update a catalogue indicator (national consultants and admins)."""
    fields = {k: data.get(k) for k in INDICATOR_FIELDS if k in data}
    fields["code"] = (fields.get("code") or "").strip().upper()
    if fields.get("unit") not in UNITS or fields.get("aggregation") not in AGGREGATIONS:
        raise DomainError(_("Unknown unit or aggregation rule."))
    dis = fields.get("disaggregation") or []
    if isinstance(dis, str):
        dis = [d for d in dis.split(",") if d]
    if any(d not in DISAGGREGATIONS for d in dis):
        raise DomainError(_("Unknown disaggregation."))
    fields["disaggregation"] = ",".join(d for d in DISAGGREGATIONS if d in dis)
    if fields["aggregation"] == "percent_of":
        if not fields.get("base_id"):
            raise DomainError(_("Choose the indicator this one is a percentage of."))
        if indicator is not None and fields["base_id"] == indicator.id:
            raise DomainError(_("An indicator cannot be a percentage of itself."))
    else:
        fields["base_id"] = None
    clash = db.session.scalar(select(Indicator.id).where(Indicator.code == fields["code"]))
    if clash is not None and (indicator is None or clash != indicator.id):
        raise DomainError(_("The code %(code)s is already in the catalogue.", code=fields["code"]))
    if indicator is None and fields.get("position") is None:
        fields["position"] = (db.session.scalar(select(func.max(Indicator.position))) or 0) + 10
    if indicator is not None and fields["code"] != indicator.code and _indicator_in_use(indicator):
        raise DomainError(_("The code of an indicator that has targets or values cannot change."))
    return save_audited(indicator, Indicator, fields, actor=actor, action="owes.indicator",
                        created={"code": fields["code"]}, tenant_id=None)


def _indicator_in_use(indicator: Indicator) -> bool:
    from coordination.tenancy import all_tenants

    with all_tenants():
        used = db.session.scalar(select(PlanTarget.id).where(
            PlanTarget.indicator_id == indicator.id).limit(1))
        used = used or db.session.scalar(select(ReportedValue.id).where(
            ReportedValue.indicator_id == indicator.id).limit(1))
    return used is not None
