"""Shared export helpers: XLSX without formula cells, iCalendar, PDF (WeasyPrint), DOCX."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def download(content: bytes, filename: str, mimetype: str) -> Response:
    """Serve ``content`` as an attachment (``nosniff``; non-ASCII names per RFC 6266)."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "plik"
    resp = Response(content, mimetype=mimetype)
    resp.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp
