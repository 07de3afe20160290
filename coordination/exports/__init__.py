"""Shared export helpers: XLSX without formula cells, iCalendar, PDF (WeasyPrint), DOCX.

:func:`download` is the one way every module serves a file.
"""

from __future__ import annotations

import mimetypes
import os
import unicodedata
from email.mime.application import MIMEApplication
from typing import IO
from urllib.parse import quote

from flask import Response, request
from werkzeug.wsgi import wrap_file

#: content types of the files the application writes or accepts, by extension.
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "ics": "text/calendar",
    "csv": "text/csv",
}

#: letters that Unicode does not decompose into an ASCII base letter.
_ASCII = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O"})


def ascii_filename(filename: str) -> str:
    """The file name in plain ASCII for old clients (``żółty.pdf`` -> ``zolty.pdf``)."""
    decomposed = unicodedata.normalize("NFKD", filename.translate(_ASCII))
    name = "".join(c for c in decomposed if c.isascii() and c.isprintable() and c not in '"\\')
    return name.strip() or "plik"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` and the UTF-8 ``filename*`` (RFC 6266/5987)."""
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(content: bytes | IO[bytes], filename: str, mimetype: str | None = None) -> Response:
    """Serve ``content`` (bytes, or a binary file positioned at its start, closed after sending)
    as an attachment named ``filename``: RFC 6266 name with an ASCII fallback, the content type
    (from the extension when not given), ``nosniff`` and never cached."""
    if mimetype is None:
        ext = filename.rsplit(".", 1)[-1].lower()
        mimetype = MIMETYPES.get(ext) or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if isinstance(content, bytes | bytearray):
        resp = Response(content, mimetype=mimetype)
    else:
        size = os.fstat(content.fileno()).st_size - content.tell()
        resp = Response(wrap_file(request.environ, content), mimetype=mimetype, direct_passthrough=True)
        resp.content_length = size
        # also when the body was read into memory first (``get_data``), which drops the wrapper
        resp.call_on_close(content.close)
    resp.headers["Content-Disposition"] = content_disposition(filename)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def file_part(content: bytes, filename: str, mimetype: str | None = None) -> MIMEApplication:
    """``content`` as an e-mail attachment named ``filename`` (RFC 2231 name for non-ASCII),
    the content type from the extension when not given."""
    if mimetype is None:
        mimetype = MIMETYPES.get(filename.rsplit(".", 1)[-1].lower()) or "application/octet-stream"
    maintype, subtype = mimetype.split("/", 1)
    part = MIMEApplication(content, subtype)
    if maintype != "application":
        part.set_type(mimetype)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
