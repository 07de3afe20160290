"""Documents attached to agenda items: upload (version 1), new versions, deletion.

Files are checked by the shared :mod:`coordination.uploads` (allow-list, magic bytes, size) and
stored in the database, so ``flask backup`` includes them. Every change is audit-logged and
committed as a whole: a refused upload stores nothing.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from coordination import audit
from coordination.clock import utcnow
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.uploads import stored_document
from workgroups.models import AgendaItem, Group, Meeting, MeetingDocument, MeetingDocumentVersion


def _version(document: MeetingDocument, number: int, stored: dict, actor) -> MeetingDocumentVersion:
    version = MeetingDocumentVersion(document_id=document.id, number=number,
                                     uploaded_by_id=getattr(actor, "id", None), **stored)
    db.session.add(version)
    return version


def upload_document(meeting: Meeting, group: Group, agenda_item_id: int | None, title: str | None,
                    filename: str, data: bytes, *, actor) -> MeetingDocument:
    """Attach a new document (its version 1) to an agenda item of ``meeting``.

    The title defaults to the file name without its extension. Refused for a cancelled meeting,
    an agenda item of another meeting, and files that :func:`coordination.uploads.check_document`
    refuses (empty, too large, not PDF/DOCX/ODT/XLSX, content not matching the extension).
    """
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting cannot be changed."))
    item = db.session.get(AgendaItem, agenda_item_id) if agenda_item_id else None
    if item is None or item.meeting_id != meeting.id:
        raise DomainError(_("Choose an item of this meeting's agenda."), "agenda_item_id")
    stored = stored_document(filename, data, field="file")
    filename = stored["filename"]
    title = (title or "").strip() or filename.rsplit(".", 1)[0]
    document = MeetingDocument(group_id=group.id, meeting_id=meeting.id, agenda_item_id=item.id,
                               title=title[:250], current_version=1, created_by_id=getattr(actor, "id", None))
    db.session.add(document)
    db.session.flush()
    _version(document, 1, stored, actor)
    audit.record("meeting_document.upload", actor=actor, obj=document,
                 summary={"meeting": meeting.label, "agenda_item": item.position, "title": document.title,
                          "file": filename, "size": len(data)})
    db.session.commit()
    return document


def add_version(document: MeetingDocument, filename: str, data: bytes, *, actor) -> MeetingDocumentVersion:
    """Upload a new file of ``document``: it becomes version n+1; older versions stay."""
    stored = stored_document(filename, data, field="file")
    number = document.current_version + 1
    version = _version(document, number, stored, actor)
    document.current_version = number
    document.updated_at = utcnow()
    db.session.flush()
    audit.record("meeting_document.version", actor=actor, obj=document,
                 summary={"title": document.title, "version": number, "file": version.filename,
                          "size": version.size})
    db.session.commit()
    return version


def delete_document(document: MeetingDocument, *, actor) -> None:
    """Delete a document with all its versions."""
    versions = db.session.scalars(select(MeetingDocumentVersion.number)
                                  .where(MeetingDocumentVersion.document_id == document.id)).all()
    db.session.execute(delete(MeetingDocumentVersion).where(MeetingDocumentVersion.document_id == document.id))
    audit.record("meeting_document.delete", actor=actor, obj=document,
                 summary={"title": document.title, "meeting_id": document.meeting_id, "versions": len(versions)})
    db.session.delete(document)
    db.session.commit()


def documents_of_items(item_ids: list[int]) -> dict[int, int]:
    """``{agenda item id: number of documents}`` for the given items (one query)."""
    if not item_ids:
        return {}
    rows = db.session.execute(select(MeetingDocument.agenda_item_id, MeetingDocument.title)
                              .where(MeetingDocument.agenda_item_id.in_(item_ids))).all()
    counts: dict[int, int] = {}
    for item_id, _title in rows:
        counts[item_id] = counts.get(item_id, 0) + 1
    return counts
