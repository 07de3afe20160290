"""SIRES advisory-needs diagnosis: the national template, regional diagnoses, support log, advocacy.

National data (not tenant-scoped): the template's areas and items, advocacy issues and their
steps. Tenant data (``TenantScoped``): diagnoses (one row per version), their item ratings, the
support log and the items each support entry dealt with.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db

#: diagnosis life cycle: a draft until both sign-offs are in, then an immutable snapshot.
DIAGNOSIS_STATUSES = ("draft", "signed")
#: the first diagnosis of a region is the baseline; later versions are updates.
DIAGNOSIS_KINDS = ("baseline", "update")
#: item priority: high / medium / low.
PRIORITIES = ("H", "M", "L")
#: current state of an item (1 = nothing in place, 5 = fully in place).
STATE_RANGE = (1, 5)
#: advisory need (0 = none, 3 = high).
NEED_RANGE = (0, 3)
#: forms of support (preferred forms in a rating; the form of a support-log entry).
SUPPORT_FORMS = ("advice", "workshop", "training", "study_visit", "exchange", "expert_material",
                 "advocacy")
#: target groups of the SIRES project.
TARGET_GROUPS = ("rops_staff", "committee_members", "planners")
#: project targets: people to reach nationally per target group (seed 003).
TARGETS = {"rops_staff": 60, "committee_members": 160, "planners": 40}
#: advocacy workflow, in order.
ADVOCACY_STATUSES = ("identified", "submitted", "in_dialogue", "resolved")


class DiagnosisArea(db.Model):
    """One of the five areas of the national diagnosis template (I–V). National data."""

    __tablename__ = "diagnosis_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable Roman numeral code, e.g. "III".
    code: Mapped[str] = mapped_column(String(8), unique=True)
    #: Polish title of the area.
    title: Mapped[str] = mapped_column(String(300))
    #: display order.
    position: Mapped[int] = mapped_column(default=0)


class DiagnosisItem(db.Model):
    """One item of the template, e.g. "III.1 social clauses". Codes never change once used."""

    __tablename__ = "diagnosis_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the area this item belongs to.
    area_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_area.id", ondelete="RESTRICT"),
                                         index=True)
    #: stable code, e.g. "III.1".
    code: Mapped[str] = mapped_column(String(12), unique=True)
    #: Polish wording shown in diagnoses and comparisons.
    title: Mapped[str] = mapped_column(String(300))
    #: longer explanation for consultants and regions.
    description: Mapped[str | None] = mapped_column(Text)
    #: display order inside the area.
    position: Mapped[int] = mapped_column(default=0)
    #: retired items stay for history but are not rated in new versions.
    active: Mapped[bool] = mapped_column(default=True)


class Diagnosis(TenantScoped, db.Model):
    """One version of a region's advisory-needs diagnosis (baseline or update)."""

    __tablename__ = "diagnosis"
    __tenant_parents__ = {"based_on_id": "diagnosis"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "version", name="uq_diagnosis_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: 1 for the baseline, then 2, 3, ... per region.
    version: Mapped[int]
    #: one of DIAGNOSIS_KINDS.
    kind: Mapped[str] = mapped_column(String(10), default="baseline")
    #: one of DIAGNOSIS_STATUSES.
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    #: the signed version an update was started from.
    based_on_id: Mapped[int | None]
    #: why an update was started (required for updates).
    reason: Mapped[str | None] = mapped_column(Text)
    #: account that started the version.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when the version was started (UTC).
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: national consultant who signed the version off.
    consultant_signed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when the consultant signed (UTC).
    consultant_signed_at: Mapped[datetime | None]
    #: the region's coordinator who signed the version off.
    coordinator_signed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when the coordinator signed (UTC).
    coordinator_signed_at: Mapped[datetime | None]
    #: when the second sign-off made the version final (UTC); None for drafts.
    signed_at: Mapped[datetime | None] = mapped_column(index=True)


class DiagnosisRating(TenantScoped, db.Model):
    """The rating of one template item in one diagnosis version."""

    __tablename__ = "diagnosis_rating"
    __tenant_parents__ = {"diagnosis_id": "diagnosis"}
    __extra_table_args__ = (
        UniqueConstraint("diagnosis_id", "item_id", name="uq_diagnosis_rating_item"),
        CheckConstraint("state IS NULL OR (state BETWEEN 1 AND 5)", name="state_range"),
        CheckConstraint("need IS NULL OR (need BETWEEN 0 AND 3)", name="need_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the diagnosis version.
    diagnosis_id: Mapped[int] = mapped_column(index=True)
    #: the template item rated.
    item_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_item.id", ondelete="RESTRICT"),
                                         index=True)
    #: current state 1–5 (None = not rated yet).
    state: Mapped[int | None]
    #: advisory need 0–3 (None = not rated yet).
    need: Mapped[int | None]
    #: one of PRIORITIES (None = not rated yet).
    priority: Mapped[str | None] = mapped_column(String(1))
    #: what the rating rests on (documents, interviews, data).
    evidence: Mapped[str | None] = mapped_column(Text)
    #: preferred support forms, codes from SUPPORT_FORMS.
    support_forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: target groups of the support, codes from TARGET_GROUPS.
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: actions agreed with the region.
    actions: Mapped[str | None] = mapped_column(Text)
    #: notes visible to the region.
    notes: Mapped[str | None] = mapped_column(Text)
    #: the consultant's own notes: hidden from the region until released.
    consultant_notes: Mapped[str | None] = mapped_column(Text)
    #: True once the consultant shares ``consultant_notes`` with the region.
    consultant_notes_released: Mapped[bool] = mapped_column(default=False)


class SupportEntry(TenantScoped, db.Model):
    """One support activity for a region: advice, training, workshop, study visit, exchange."""

    __tablename__ = "support_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: day the support took place.
    held_on: Mapped[date] = mapped_column(Date, index=True)
    #: one of SUPPORT_FORMS.
    form: Mapped[str] = mapped_column(String(20))
    #: topic in words.
    topic: Mapped[str] = mapped_column(String(300))
    #: duration in hours.
    hours: Mapped[float] = mapped_column(Numeric(6, 1, asdecimal=False), default=0)
    #: participants from the ROPS staff.
    rops_staff: Mapped[int] = mapped_column(default=0)
    #: participants who are committee (RKRES and similar bodies) members.
    committee_members: Mapped[int] = mapped_column(default=0)
    #: participants from the marshal office's planning units.
    planners: Mapped[int] = mapped_column(default=0)
    #: agreed follow-up.
    follow_up: Mapped[str | None] = mapped_column(Text)
    #: account that logged the entry.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class SupportEntryItem(TenantScoped, db.Model):
    """Link: a support entry dealt with a diagnosis item."""

    __tablename__ = "support_entry_item"
    __tenant_parents__ = {"entry_id": "support_entry"}
    __extra_table_args__ = (UniqueConstraint("entry_id", "item_id", name="uq_support_entry_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the support entry.
    entry_id: Mapped[int] = mapped_column(index=True)
    #: the diagnosis item it addressed.
    item_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_item.id", ondelete="RESTRICT"),
                                         index=True)


class SupportParticipant(TenantScoped, db.Model):
    """A named participant of a support entry, in one target group.

    The project's targets (60 / 160 / 40) count distinct persons, not attendances: a person is
    recognised across a region's entries by ``name_key`` (the name case-folded, spaces collapsed).
    The entry's per-group counts stay as the number of attendances.
    """

    __tablename__ = "support_participant"
    __tenant_parents__ = {"entry_id": "support_entry"}
    __extra_table_args__ = (Index("ix_support_participant_person", "tenant_id", "target_group", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the support entry.
    entry_id: Mapped[int] = mapped_column(index=True)
    #: one of TARGET_GROUPS.
    target_group: Mapped[str] = mapped_column(String(30))
    #: the name as entered ("Anna Nowak").
    name: Mapped[str] = mapped_column(String(200))
    #: the name normalised for counting distinct persons.
    name_key: Mapped[str] = mapped_column(String(200))


class AdvocacyIssueItem(db.Model):
    """Link: an advocacy issue concerns a diagnosis item (national data)."""

    __tablename__ = "advocacy_issue_item"
    __table_args__ = (UniqueConstraint("issue_id", "item_id", name="uq_advocacy_issue_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the issue.
    issue_id: Mapped[int] = mapped_column(ForeignKey("advocacy_issue.id", ondelete="CASCADE"), index=True)
    #: the diagnosis item it concerns.
    item_id: Mapped[int] = mapped_column(ForeignKey("diagnosis_item.id", ondelete="CASCADE"), index=True)


class AdvocacyIssue(db.Model):
    """A national advocacy issue (A.1–A.4 and later ones). National data."""

    __tablename__ = "advocacy_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: stable code, e.g. "A.2".
    code: Mapped[str] = mapped_column(String(12), unique=True)
    #: Polish title.
    title: Mapped[str] = mapped_column(String(300))
    #: what the issue is about.
    description: Mapped[str | None] = mapped_column(Text)
    #: one of ADVOCACY_STATUSES.
    status: Mapped[str] = mapped_column(String(20), default="identified", index=True)
    #: institution the issue is addressed to (e.g. ministry, UZP).
    addressee: Mapped[str | None] = mapped_column(String(300))
    #: free notes.
    notes: Mapped[str | None] = mapped_column(Text)
    #: slugs of the regions that raised the issue.
    region_slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AdvocacyStep(db.Model):
    """A dated step of an advocacy issue, optionally moving it to a new status."""

    __tablename__ = "advocacy_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the issue.
    issue_id: Mapped[int] = mapped_column(ForeignKey("advocacy_issue.id", ondelete="CASCADE"),
                                          index=True)
    #: day of the step.
    taken_on: Mapped[date] = mapped_column(Date)
    #: what happened.
    description: Mapped[str] = mapped_column(Text)
    #: status the issue moved to with this step (None = no change).
    new_status: Mapped[str | None] = mapped_column(String(20))
    #: account that recorded the step.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
