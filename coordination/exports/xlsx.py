"""Streaming XLSX exports shared by every module (openpyxl ``write_only``).

* Rows are consumed lazily from any iterable (a generator over ``yield_per`` query results
  keeps memory flat however many rows there are); openpyxl streams them to a temporary file.
* No formula cells, ever: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return gets a leading apostrophe (``'=SUM(A1)``), the usual CSV/XLSX-injection escape, so the
  spreadsheet shows the text and never evaluates it.
* Characters XLSX cannot store (control characters) are removed instead of failing the export;
  timezone-aware datetimes are written in Europe/Warsaw local time; other objects (lazy
  translations, enums) as their text.

Usage::

    from coordination.exports.xlsx import Sheet, xlsx_response

    return xlsx_response("grupy.xlsx", [Sheet(_("Groups"), [_("Name"), _("Kind")], rows)])
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import ALL_TEMP_FILES

from coordination.clock import WARSAW

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: first characters that make a spreadsheet treat text as a formula (or DDE payload).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
#: prefix that turns such text into plain text.
ESCAPE_PREFIX = "'"
LOCAL_TZ = WARSAW
#: Excel's limit for sheet names and the characters it refuses in them.
MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: types openpyxl writes as they are.
_NATIVE = frozenset({int, float, bool, Decimal, date, time, timedelta, type(None)})


def safe_text(value: str) -> str:
    """Text as it may stand in a cell: no illegal characters, never a formula."""
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value and value[0] in FORMULA_TRIGGERS:
        return ESCAPE_PREFIX + value
    return value


def safe_value(value: Any) -> Any:
    """A value ready for a cell: see the module docstring."""
    kind = type(value)
    if kind is str:
        return safe_text(value)
    if kind in _NATIVE:
        return value
    if kind is datetime:
        if value.tzinfo is not None:
            return value.astimezone(LOCAL_TZ).replace(tzinfo=None)
        return value
    return safe_text(str(value))


def safe_title(title: str) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters, not empty)."""
    cleaned = _TITLE_FORBIDDEN.sub(" ", str(title)).strip() or "Arkusz"
    return cleaned[:MAX_TITLE]


@dataclass
class Sheet:
    """One worksheet: a bold header row, then ``rows`` (any iterable, read once, lazily)."""

    title: str
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    #: column widths in characters (optional).
    widths: Sequence[float] | None = None


def write_xlsx(target: str | IO[bytes], sheets: Iterable[Sheet]) -> int:
    """Write ``sheets`` to ``target`` (path or binary file); return the number of data rows.

    If a row source (or anything else) raises, every sheet's XML stream is closed and its
    temporary file deleted before the error propagates: nothing is left for the garbage
    collector or the end of the process (the scheduler runs for months)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    written = 0
    try:
        for sheet in sheets:
            ws = workbook.create_sheet(title=safe_title(sheet.title))
            for index, width in enumerate(sheet.widths or (), start=1):
                ws.column_dimensions[get_column_letter(index)].width = width
            header = []
            for label in sheet.header:
                cell = WriteOnlyCell(ws, value=safe_value(label))
                cell.font = bold
                header.append(cell)
            ws.append(header)
            append = ws.append
            for row in sheet.rows:
                append([safe_value(v) for v in row])
                written += 1
        workbook.save(target)
    except BaseException:
        _discard(workbook)
        raise
    return written


def _discard(workbook: Workbook) -> None:
    """Close the write-only sheets of a workbook that will never be saved and delete their
    temporary files. openpyxl has no public call for this: a write-only sheet keeps a generator
    writing XML to a temporary file (``ws._rows`` over ``ws._writer``) until ``save``."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # the failure being reported matters more than one in the clean-up of its leftovers
        with contextlib.suppress(Exception):
            if getattr(ws, "_rows", None) is not None:
                ws._rows.close()
        with contextlib.suppress(Exception):
            writer.close()
        path = writer.out
        if isinstance(path, str):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            with contextlib.suppress(ValueError):
                ALL_TEMP_FILES.remove(path)


def xlsx_response(filename: str, sheets: Iterable[Sheet]):
    """A download response; the workbook is built in a temporary file, not in memory."""
    from coordination.exports import download

    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it after sending
    try:
        write_xlsx(spool, sheets)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return download(spool, filename, XLSX_MIMETYPE)


#: short alias used by module exports.
MIME = XLSX_MIMETYPE


def workbook(sheets: Iterable[tuple[str, Sequence[Any], Iterable[Sequence[Any]]]]) -> bytes:
    """The workbook as bytes; each sheet is ``(title, header, rows)`` (small exports)."""
    import io

    buffer = io.BytesIO()
    write_xlsx(buffer, (Sheet(title, header, rows) for title, header, rows in sheets))
    return buffer.getvalue()
