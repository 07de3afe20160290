"""Evaluation studies, their documents, consultation rounds (comment matrix) and recommendations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from coordination.uploads import StoredDocument

#: mid-term or final external evaluation of one OWES, or a system-wide study by the ROPS.
STUDY_KINDS = ("midterm", "final", "system")
#: evaluation criteria.
CRITERIA = ("relevance", "effectiveness", "efficiency", "utility", "sustainability", "standards")
#: document kinds; each kind has its own version numbers.
DOCUMENT_KINDS = ("draft", "final", "other")
#: who takes part in a consultation round.
PARTICIPANTS = ("rops", "owes", "monitoring_group", "invited")
#: the evaluator's answer to a comment.
ANSWERS = ("accepted", "partly", "rejected")
PRIORITIES = ("high", "medium", "low")
RECOMMENDATION_STATUSES = ("planned", "in_progress", "implemented", "rejected")


class Study(TenantScoped, db.Model):
    """An evaluation study: of one OWES (mid-term/final) or of the regional system (ROPS)."""

    __tablename__ = "owes_study"
    __tenant_parents__ = {"owes_id": "owes"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the evaluated OWES; None for a system-wide study.
    owes_id: Mapped[int | None] = mapped_column(index=True)
    #: title of the study.
    title: Mapped[str] = mapped_column(String(300))
    #: one of STUDY_KINDS.
    kind: Mapped[str] = mapped_column(String(20))
    #: the (external) evaluator.
    evaluator: Mapped[str] = mapped_column(String(200))
    #: evaluated period from.
    period_start: Mapped[date | None]
    #: evaluated period to.
    period_end: Mapped[date | None]
    #: subset of CRITERIA.
    criteria: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: short description / research questions.
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class StudyDocument(StoredDocument, TenantScoped, db.Model):
    """One version of a study document (draft report, final report…), stored in the database."""

    __tablename__ = "owes_study_document"
    __tenant_parents__ = {"study_id": "owes_study"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "study_id", "kind", "version",
                                             name="uq_owes_study_document_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the study.
    study_id: Mapped[int] = mapped_column(index=True)
    #: one of DOCUMENT_KINDS.
    kind: Mapped[str] = mapped_column(String(10))
    #: 1, 2, 3… per study and kind.
    version: Mapped[int]
    #: filename, content_type, size and the file itself: see StoredDocument.
    #: who uploaded it.
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class ConsultationRound(TenantScoped, db.Model):
    """A consultation of a study's draft report: open between two dates, then closed with a report."""

    __tablename__ = "owes_consultation"
    __tenant_parents__ = {"study_id": "owes_study", "document_id": "owes_study_document"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the study.
    study_id: Mapped[int] = mapped_column(index=True)
    #: the draft version under consultation.
    document_id: Mapped[int | None] = mapped_column()
    #: first day comments are accepted.
    opens_on: Mapped[date]
    #: last day comments are accepted.
    closes_on: Mapped[date]
    #: subset of PARTICIPANTS.
    participants: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: other invited members (names/institutions, free text).
    invited: Mapped[str | None] = mapped_column(Text)
    #: "open" or "closed".
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: when it was closed.
    closed_at: Mapped[datetime | None]


class ConsultationComment(TenantScoped, db.Model):
    """A row of the comment matrix and the evaluator's answer to it."""

    __tablename__ = "owes_comment"
    __tenant_parents__ = {"round_id": "owes_consultation"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the consultation round.
    round_id: Mapped[int] = mapped_column(index=True)
    #: who commented.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: name and institution of the author as shown in the report.
    author_name: Mapped[str] = mapped_column(String(300))
    #: chapter/section of the report.
    section: Mapped[str] = mapped_column(String(200))
    #: page number(s).
    page: Mapped[str | None] = mapped_column(String(20))
    #: the comment.
    comment: Mapped[str] = mapped_column(Text)
    #: why.
    justification: Mapped[str | None] = mapped_column(Text)
    #: proposed wording.
    proposal: Mapped[str | None] = mapped_column(Text)
    #: one of ANSWERS (None until answered).
    answer: Mapped[str | None] = mapped_column(String(10))
    #: the evaluator's reason.
    answer_reason: Mapped[str | None] = mapped_column(Text)
    #: who entered the answer.
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class Recommendation(TenantScoped, db.Model):
    """A row of the final report's recommendations table, tracked yearly."""

    __tablename__ = "owes_recommendation"
    __tenant_parents__ = {"study_id": "owes_study"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the study.
    study_id: Mapped[int] = mapped_column(index=True)
    #: the finding (wniosek).
    finding: Mapped[str] = mapped_column(Text)
    #: the recommendation.
    recommendation: Mapped[str] = mapped_column(Text)
    #: who should implement it.
    addressee: Mapped[str] = mapped_column(String(200))
    #: how to implement it.
    how: Mapped[str | None] = mapped_column(Text)
    #: deadline.
    deadline: Mapped[date | None]
    #: one of PRIORITIES.
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    #: one of RECOMMENDATION_STATUSES (the latest yearly update).
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())


class RecommendationUpdate(TenantScoped, db.Model):
    """The yearly status update of a recommendation."""

    __tablename__ = "owes_recommendation_update"
    __tenant_parents__ = {"recommendation_id": "owes_recommendation"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "recommendation_id", "year",
                                             name="uq_owes_recommendation_update_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the recommendation.
    recommendation_id: Mapped[int] = mapped_column(index=True)
    #: the year the update is for.
    year: Mapped[int]
    #: one of RECOMMENDATION_STATUSES.
    status: Mapped[str] = mapped_column(String(20))
    #: what was done.
    note: Mapped[str | None] = mapped_column(Text)
    #: who wrote it.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
