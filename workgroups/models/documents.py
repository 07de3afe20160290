"""Documents attached to agenda items, with versions stored in the database (so ``flask backup``
includes them), and the correction history of resolutions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordination.clock import utcnow
from coordination.db import TenantScoped
from coordination.extensions import db
from coordination.uploads import StoredDocument


class MeetingDocument(TenantScoped, db.Model):
    """A document (e.g. a draft plan) attached to one agenda item of a meeting."""

    __tablename__ = "meeting_document"
    __tenant_parents__ = {"group_id": "work_group", "meeting_id": "meeting", "agenda_item_id": "agenda_item"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the group (for permission checks and the group's document list).
    group_id: Mapped[int] = mapped_column(index=True)
    #: the meeting.
    meeting_id: Mapped[int] = mapped_column(index=True)
    #: the agenda item the document belongs to.
    agenda_item_id: Mapped[int] = mapped_column(index=True)
    #: title shown under the agenda item.
    title: Mapped[str] = mapped_column(String(250))
    #: number of the newest version (1, 2, …).
    current_version: Mapped[int] = mapped_column(default=1)
    #: when first uploaded (UTC) and by whom.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    #: when the newest version was uploaded (UTC).
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingDocumentVersion(StoredDocument, TenantScoped, db.Model):
    """One uploaded file of a document; older versions stay downloadable."""

    __tablename__ = "meeting_document_version"
    __tenant_parents__ = {"document_id": "meeting_document"}
    __extra_table_args__ = (UniqueConstraint("tenant_id", "document_id", "number",
                                             name="uq_meeting_document_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the document.
    document_id: Mapped[int] = mapped_column(index=True)
    #: 1, 2, 3… per document.
    number: Mapped[int]
    #: filename, content_type, size and the file itself: see StoredDocument.
    #: when uploaded (UTC) and by whom.
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ResolutionCorrection(TenantScoped, db.Model):
    """A correction of a resolution made after the meeting's minutes were adopted."""

    __tablename__ = "resolution_correction"
    __tenant_parents__ = {"resolution_id": "resolution"}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the corrected resolution.
    resolution_id: Mapped[int] = mapped_column(index=True)
    #: why it was corrected.
    reason: Mapped[str] = mapped_column(String(500))
    #: what changed: ``{field: [old, new]}``.
    changes: Mapped[dict] = mapped_column(JSON)
    #: when (UTC) and by whom.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
