"""Checking uploaded documents before they are stored (shared by every module that accepts files).

A document is accepted when it is not empty, not larger than the limit, has an allowed extension
and its content starts with the magic bytes of that type (a renamed executable is refused).
Stored files are always served back as attachments with ``nosniff``
(:func:`coordination.exports.download`).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.errors import DomainError

#: largest accepted document.
MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
#: accepted documents: extension -> (content type, magic prefix of the file).
DOCUMENT_TYPES = {
    "pdf": ("application/pdf", b"%PDF-"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}



def clean_filename(name: str) -> str:
    """A safe download name: no path, no control or quote characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\"';<>]", "", name).strip() or "dokument"
    return name[:200]


def check_document(filename: str, data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES,
                   field: str | None = None) -> str:
    """The content type of an acceptable document, or :class:`DomainError` on ``field`` (size,
    type, content)."""
    if not data:
        raise DomainError(_("The file is empty."), field)
    if len(data) > max_bytes:
        raise DomainError(_("The file is larger than %(mb)d MB.", mb=max_bytes // 2**20), field)
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in DOCUMENT_TYPES:
        raise DomainError(_("Only PDF, DOCX, ODT and XLSX files are accepted."), field)
    content_type, magic = DOCUMENT_TYPES[ext]
    if not data.startswith(magic):
        raise DomainError(_("The file content does not match its extension .%(ext)s.", ext=ext), field)
    return content_type


def read_upload(upload, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of an uploaded file (a Werkzeug ``FileStorage``), reading at most one byte past
    ``max_bytes``: a too large file is never read whole into memory, and the size checks of
    :func:`check_document` and the importers see that it is too large. (Werkzeug has already
    refused requests over ``MAX_CONTENT_LENGTH`` and spooled large files to disk.)"""
    return upload.read(max_bytes + 1)


def stored_document(filename: str, data: bytes, *, field: str | None = None) -> dict:
    """The :class:`StoredDocument` columns of an acceptable upload (clean name, checked content
    type, size, bytes), or :class:`DomainError` on ``field``."""
    filename = clean_filename(filename)
    return {"filename": filename, "content_type": check_document(filename, data, field=field),
            "size": len(data), "data": data}


class StoredDocument:
    """Columns of a document stored in the database (mixed into each module's model)."""

    #: original file name (sanitised).
    filename: Mapped[str] = mapped_column(String(255))
    #: checked content type (PDF, DOCX, ODT, XLSX).
    content_type: Mapped[str] = mapped_column(String(120))
    #: size in bytes.
    size: Mapped[int]
    #: the file itself (loaded only when downloaded; nullable in the schema as migrated).
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=True, deferred=True)
