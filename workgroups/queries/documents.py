"""Reads for documents attached to agenda items: the meeting page's agenda with documents, a
document with its versions, the group's documents, a version for download."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import undefer

from coordination.extensions import db
from coordination.pagination import paged_with_total
from workgroups.models import AgendaItem, Group, Meeting, MeetingDocument, MeetingDocumentVersion
from workgroups.queries.groups import roles_column


def _current_version():
    return (MeetingDocumentVersion.document_id == MeetingDocument.id) & (
        MeetingDocumentVersion.number == MeetingDocument.current_version)


def agenda_with_documents(meeting_id: int) -> tuple[list[AgendaItem], dict[int, list[tuple]]]:
    """The agenda in order and ``{item id: [(document, its current version), …]}`` by title,
    in one query (file contents are not loaded)."""
    rows = db.session.execute(
        select(AgendaItem, MeetingDocument, MeetingDocumentVersion)
        .outerjoin(MeetingDocument, MeetingDocument.agenda_item_id == AgendaItem.id)
        .outerjoin(MeetingDocumentVersion, _current_version())
        .where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id, MeetingDocument.title, MeetingDocument.id)).all()
    agenda: list[AgendaItem] = []
    documents: dict[int, list[tuple]] = {}
    for item, document, version in rows:
        if not agenda or agenda[-1].id != item.id:
            agenda.append(item)
        if document is not None:
            documents.setdefault(item.id, []).append((document, version))
    return agenda, documents


def document_row(document_id: int, user_id: int | None):
    """``(document, group, meeting, agenda item, the user's roles in the group)`` in one query, or
    None when the region has no such document."""
    return db.session.execute(
        select(MeetingDocument, Group, Meeting, AgendaItem, roles_column(user_id, Group.id))
        .join(Group, Group.id == MeetingDocument.group_id)
        .join(Meeting, Meeting.id == MeetingDocument.meeting_id)
        .join(AgendaItem, AgendaItem.id == MeetingDocument.agenda_item_id)
        .where(MeetingDocument.id == document_id)).first()


def versions_of(document_id: int) -> list[MeetingDocumentVersion]:
    """Every version of a document, newest first (file contents are not loaded)."""
    return list(db.session.scalars(select(MeetingDocumentVersion)
                                   .where(MeetingDocumentVersion.document_id == document_id)
                                   .order_by(MeetingDocumentVersion.number.desc())))


def version_for_download(document_id: int, number: int) -> MeetingDocumentVersion | None:
    """One version with its file contents."""
    return db.session.scalar(select(MeetingDocumentVersion).options(undefer(MeetingDocumentVersion.data))
                             .where(MeetingDocumentVersion.document_id == document_id,
                                    MeetingDocumentVersion.number == number))


def _group_documents_stmt(group_id: int):
    return (select(MeetingDocument, MeetingDocumentVersion, Meeting, AgendaItem.title)
            .join(MeetingDocumentVersion, _current_version())
            .join(Meeting, Meeting.id == MeetingDocument.meeting_id)
            .join(AgendaItem, AgendaItem.id == MeetingDocument.agenda_item_id)
            .where(MeetingDocument.group_id == group_id)
            .order_by(Meeting.day.desc(), AgendaItem.position, MeetingDocument.title, MeetingDocument.id))


def group_documents_page(page: int, per_page: int, *, group_id: int):
    """The group's documents, newest meeting first: ``(document, current version, meeting,
    agenda item title)`` rows and the total."""
    return paged_with_total(_group_documents_stmt(group_id), page, per_page, scalars=False)
