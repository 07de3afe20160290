"""Small helpers shared by the module's views."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response


def apply_error(form, exc) -> str | None:
    """Attach a service error to its form field; return it when it belongs to no field."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc)]
        return None
    return str(exc)



def download(data: bytes, filename: str, mimetype: str) -> Response:
    """A file download (attachment) with a UTF-8 file name."""
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    resp.headers["Cache-Control"] = "no-store"
    return resp


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
