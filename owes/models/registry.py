"""OWES registry, action plans, targets, reported values and pending XLSX imports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, LargeBinary, Numeric, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, deferred, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db

#: an operator is the leader of the partnership or a partner.
OPERATOR_ROLES = ("lead", "partner")
#: a target is an absolute number or a percentage of another indicator's actual value.
TARGET_MODES = ("absolute", "percent")
#: draft -> submitted (OWES) -> verified | returned (coordinator); returned -> submitted again.
VALUE_STATUSES = ("draft", "submitted", "verified", "returned")
#: what a representative may propose: a target's new value, removing a target, the
#: accreditation (number and dates), removing a partnership operator.
PROPOSAL_KINDS = ("target", "target_remove", "accreditation", "operator_remove")
#: pending -> accepted | rejected (by the coordinator).
PROPOSAL_STATUSES = ("pending", "accepted", "rejected")


class Owes(TenantScoped, db.Model):
    """A social economy support centre (OWES) serving a subregion of the voivodeship."""

    __tablename__ = "owes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: name, e.g. "Łódzki OWES".
    name: Mapped[str] = mapped_column(String(200))
    #: the powiaty served (list of names).
    subregion: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: accreditation / OWES status decision number.
    accreditation_number: Mapped[str | None] = mapped_column(String(100))
    #: accreditation valid from.
    accredited_from: Mapped[date | None]
    #: accreditation valid until (flagged when it ends within 90 days).
    accredited_to: Mapped[date | None]
    #: contact e-mail.
    contact_email: Mapped[str | None] = mapped_column(String(200))
    #: contact phone.
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    #: office address.
    address: Mapped[str | None] = mapped_column(Text)
    #: website address.
    website: Mapped[str | None] = mapped_column(String(200))
    #: short description of the OWES and its services.
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class OwesOperator(TenantScoped, db.Model):
    """An organisation running the OWES (alone or in a partnership) and what it is responsible for."""

    __tablename__ = "owes_operator"
    __tenant_parents__ = {"owes_id": "owes"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OWES.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: organisation name, e.g. "Centrum OPUS".
    name: Mapped[str] = mapped_column(String(200))
    #: one of OPERATOR_ROLES.
    role: Mapped[str] = mapped_column(String(20), default="partner")
    #: its part of the work, e.g. "new PES: animation, advisory, incubation".
    responsibility: Mapped[str | None] = mapped_column(String(300))


class OwesProject(TenantScoped, db.Model):
    """A project that finances the OWES (name, programme, period, budget)."""

    __tablename__ = "owes_project"
    __tenant_parents__ = {"owes_id": "owes"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OWES.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: project title.
    name: Mapped[str] = mapped_column(String(300))
    #: financing programme, e.g. "RPO WŁ 2014–2020, Działanie IX.3".
    programme: Mapped[str | None] = mapped_column(String(200))
    #: project start.
    start_date: Mapped[date | None]
    #: project end.
    end_date: Mapped[date | None]
    #: total budget in PLN.
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


class ActionPlan(TenantScoped, db.Model):
    """The OWES action plan for a multi-year period: goals, services, staffing and targets."""

    __tablename__ = "owes_plan"
    __tenant_parents__ = {"owes_id": "owes"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "owes_id", "start_year", "end_year",
                                             name="uq_owes_plan_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OWES.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: title, e.g. "Plan działania OWES 2018–2021".
    title: Mapped[str] = mapped_column(String(200))
    #: first year of the plan.
    start_year: Mapped[int]
    #: last year of the plan (inclusive).
    end_year: Mapped[int]
    #: goals of the plan (plain text, one per line).
    goals: Mapped[str | None] = mapped_column(Text)
    #: services offered (advisory by type, animation, trainings, incubation, grants).
    services: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def heading(self) -> str:
        """The title with its period, "Plan 2026 (2026–2028)", unless the title already names
        both years ("Plan działania OWES 2018–2021" is shown as it is)."""
        if str(self.start_year) in self.title and str(self.end_year) in self.title:
            return self.title
        return f"{self.title} ({self.start_year}–{self.end_year})"


class PlanStaff(TenantScoped, db.Model):
    """Staffing of a plan: full-time equivalents per role."""

    __tablename__ = "owes_plan_staff"
    __tenant_parents__ = {"plan_id": "owes_plan"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the plan.
    plan_id: Mapped[int] = mapped_column(index=True)
    #: role, e.g. "doradca kluczowy".
    role: Mapped[str] = mapped_column(String(200))
    #: full-time equivalents (etaty), e.g. 1.5.
    fte: Mapped[Decimal] = mapped_column(Numeric(6, 2))


class PlanTarget(TenantScoped, db.Model):
    """The target of one indicator in a plan: absolute, or a percentage of a base indicator."""

    __tablename__ = "owes_plan_target"
    __tenant_parents__ = {"plan_id": "owes_plan"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "plan_id", "indicator_id",
                                             name="uq_owes_plan_target_indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the plan.
    plan_id: Mapped[int] = mapped_column(index=True)
    #: the indicator (national catalogue).
    indicator_id: Mapped[int] = mapped_column(ForeignKey("owes_indicator.id", ondelete="RESTRICT"))
    #: one of TARGET_MODES.
    mode: Mapped[str] = mapped_column(String(10), default="absolute")
    #: the number, or the percentage (0–100) for mode "percent".
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    #: for mode "percent": the indicator whose actual value the percentage applies to.
    base_indicator_id: Mapped[int | None] = mapped_column(
        ForeignKey("owes_indicator.id", ondelete="RESTRICT"))


class ReportedValue(TenantScoped, db.Model):
    """What an OWES achieved on one indicator in one period (a year or a half-year)."""

    __tablename__ = "owes_value"
    __tenant_parents__ = {"owes_id": "owes"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "owes_id", "indicator_id", "period",
                                             name="uq_owes_value_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OWES.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: the indicator (national catalogue).
    indicator_id: Mapped[int] = mapped_column(ForeignKey("owes_indicator.id", ondelete="RESTRICT"),
                                              index=True)
    #: "2019" (a year) or "2019-H1" / "2019-H2" (half-years).
    period: Mapped[str] = mapped_column(String(7))
    #: the year of the period (for range queries).
    year: Mapped[int] = mapped_column(index=True)
    #: the value (never negative).
    value: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    #: optional breakdown, e.g. {"women": 3, "men": 2, "disability": 1, "powiat": {"zgierski": 5}}.
    breakdown: Mapped[dict | None] = mapped_column(JSON)
    #: one of VALUE_STATUSES.
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    #: evidence note: where the number comes from (lists, reports, files kept by the OWES).
    evidence: Mapped[str | None] = mapped_column(Text)
    #: evidence file: original name (sanitised); None when no file is attached.
    evidence_filename: Mapped[str | None] = mapped_column(String(255))
    #: evidence file: checked content type (PDF, DOCX, ODT, XLSX).
    evidence_content_type: Mapped[str | None] = mapped_column(String(120))
    #: evidence file: size in bytes.
    evidence_size: Mapped[int | None]
    #: evidence file: the bytes (loaded only when downloaded).
    evidence_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: the coordinator's comment when returning the value.
    review_comment: Mapped[str | None] = mapped_column(Text)
    #: last change of the number.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now(), onupdate=utcnow)
    #: who last changed it.
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when the OWES submitted it.
    submitted_at: Mapped[datetime | None]
    #: when a coordinator verified it.
    verified_at: Mapped[datetime | None]
    #: who verified it.
    verified_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))


class ImportBatch(TenantScoped, db.Model):
    """An uploaded XLSX file, parsed and validated, waiting for the user to confirm the preview.

    Kept server-side (not in the cookie) under a random token; removed once applied.
    """

    __tablename__ = "owes_import"
    __tenant_parents__ = {"owes_id": "owes", "plan_id": "owes_plan"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: random URL token of the preview page.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    #: the OWES the file is for.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: the plan whose periods and targets the file covers.
    plan_id: Mapped[int] = mapped_column(index=True)
    #: who uploaded it (only they may confirm it).
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: original file name.
    filename: Mapped[str] = mapped_column(String(255))
    #: the changes to apply: {"values": [[indicator_id, period, "value"], ...],
    #: "targets": [[indicator_id, mode, "value", base_id], ...]}.
    payload: Mapped[dict] = mapped_column(JSON)
    #: counts for the preview: new/changed/unchanged values and targets.
    summary: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class ChangeProposal(TenantScoped, db.Model):
    """A change an OWES representative proposes to what the OWES is judged against (a target,
    the accreditation, a partnership operator); the coordinator accepts (it is applied) or
    rejects it, with a comment."""

    __tablename__ = "owes_proposal"
    __tenant_parents__ = {"owes_id": "owes", "plan_id": "owes_plan"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the OWES.
    owes_id: Mapped[int] = mapped_column(index=True)
    #: for targets: the plan.
    plan_id: Mapped[int | None] = mapped_column(index=True)
    #: one of PROPOSAL_KINDS.
    kind: Mapped[str] = mapped_column(String(20))
    #: the proposed change, e.g. {"indicator_id": 3, "value": "100"} or {"accreditation_number":
    #: ..., "accredited_from": "2026-01-01", "accredited_to": ...} or {"operator_id": 5}, with
    #: the current state under "before" for the record.
    payload: Mapped[dict] = mapped_column(JSON)
    #: why the representative proposes it.
    reason: Mapped[str] = mapped_column(Text)
    #: one of PROPOSAL_STATUSES.
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    #: who proposed it.
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    #: the coordinator who decided.
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when.
    decided_at: Mapped[datetime | None]
    #: the coordinator's comment (required when rejecting).
    decision_comment: Mapped[str | None] = mapped_column(Text)
