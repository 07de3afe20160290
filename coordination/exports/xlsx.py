"""XLSX exports (openpyxl ``write_only``) that never contain formula cells."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: text starting with one of these would be read as a formula (or DDE) by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_value(value):
    """Cell value with formula injection neutralised: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    if value is None or isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


def workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Build a workbook: each sheet is ``(title, header, rows)``; header row in bold."""
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        head = []
        for text in header:
            cell = WriteOnlyCell(ws, value=safe_value(str(text)))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=safe_value(value))
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
                if isinstance(value, date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
