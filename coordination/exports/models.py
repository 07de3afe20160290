"""Background export jobs: large exports are written by the scheduler process, not by a request.

``ExportJob`` is not ``TenantScoped``: platform exports (the administrator's audit log) have no
region. Each job belongs to the account that asked for it and only that account ever reads it
(:func:`coordination.exports.queries.own_job`); the permission for the export's content is
checked when the job is requested and again when the file is downloaded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from coordination.clock import utcnow
from coordination.extensions import db

#: life of a job: pending -> running -> done | failed; done files expire after a while.
STATUSES = ("pending", "running", "done", "failed")


class ExportJob(db.Model):
    """One requested export, its progress and, when done, the file."""

    __tablename__ = "export_job"
    __table_args__ = (Index("ix_export_job_claim", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the account that asked for it (the only one who sees it).
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: region whose data is exported; None for platform exports.
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    #: registered export name (see :data:`coordination.exports.registry.EXPORTS`).
    kind: Mapped[str] = mapped_column(String(60))
    #: arguments of the export (JSON).
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: one of STATUSES.
    status: Mapped[str] = mapped_column(String(10), default="pending")
    #: rows written so far, and rows expected (counted when the job was requested).
    done_rows: Mapped[int] = mapped_column(default=0)
    total_rows: Mapped[int] = mapped_column(default=0)
    #: how many times a scheduler started it (a crashed run is retried, up to a limit).
    attempts: Mapped[int] = mapped_column(default=0)
    #: download name of the file.
    filename: Mapped[str] = mapped_column(String(200))
    #: content type of the file.
    content_type: Mapped[str] = mapped_column(String(120))
    #: size of the finished file in bytes.
    size: Mapped[int | None]
    #: the finished file (loaded only when downloaded).
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: why it failed (shown to the requester, no data in it).
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
