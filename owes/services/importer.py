"""Reading an uploaded XLSX of targets and values (pure: no database, no state).

Layout (the template from :mod:`owes.exports`): one sheet; row 1 holds the headers
``Kod | Wskaźnik | Jednostka | Cel | <period> | <period> …``; every further row one indicator
code. Periods are years (``2019``) or half-years (``2019-H1``). The *Cel* (target) column holds a
number, or a percentage such as ``30%`` for targets defined as a share of another indicator.

Every cell is checked and every problem is reported with its sheet, row and column; the caller
imports nothing when the list of problems is not empty. Reading uses openpyxl in read-only mode
(streams rows; 10,000 rows take well under a few seconds, see bench/owes_import.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from owes.services.values import parse_period

#: accepted header texts of the four fixed columns (Polish and English templates).
HEADERS = (("kod", "code"), ("wskaźnik", "wskaznik", "indicator"), ("jednostka", "unit"),
           ("cel", "target"))
MAX_ROWS = 20_000
MAX_PROBLEMS = 200
_MERGE = re.compile(rb'<mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


@dataclass
class Problem:
    """One problem of the file, located by sheet, row and column (row/column may be None)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str


@dataclass
class ParsedRow:
    """One indicator row: its code, target cell and values per period (with their columns)."""

    row: int
    code: str
    target: tuple[str, Decimal] | None = None
    values: dict[str, tuple[Decimal, str]] = field(default_factory=dict)


@dataclass
class ParsedFile:
    sheet: str | None = None
    periods: list[str] = field(default_factory=list)
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int | None, col: int | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.sheet, row, get_column_letter(col) if col else None,
                                         message))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(Problem(self.sheet, None, None,
                                         _("More problems were found; fix these first.")))


def _number(value) -> Decimal | str:
    """A Decimal, or an error message for text, dates, formulas and booleans."""
    if isinstance(value, bool):
        return _("a yes/no value instead of a number")
    if isinstance(value, (datetime, date, time)):
        return _("a date instead of a number (format the cell as a number)")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if text.startswith("="):
        return _("a formula; paste values only")
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return _("text “%(text)s” instead of a number", text=str(value)[:40])


def _target(cell) -> tuple[str, Decimal] | str:
    """``("absolute", n)`` or ``("percent", p)`` from the target cell, or an error message."""
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return "percent", (Decimal(str(value)) * 100).normalize()
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip()[:-1])
        return ("percent", number) if isinstance(number, Decimal) else number
    number = _number(value)
    return ("absolute", number) if isinstance(number, Decimal) else number


def _header_problems(parsed: ParsedFile, header: tuple, plan_years: list[int]) -> dict[int, str]:
    """Check row 1; return {column index (1-based): period} for the period columns."""
    fixed = [(str(h).strip().lower() if h is not None else "") for h in header[:4]]
    for i, accepted in enumerate(HEADERS):
        if i >= len(fixed) or fixed[i] not in accepted:
            parsed.problem(1, i + 1, _("the header must be “%(name)s”",
                                       name=accepted[0].capitalize()))
    periods: dict[int, str] = {}
    for col, raw in enumerate(header[4:], start=5):
        if raw is None or str(raw).strip() == "":
            continue
        found = parse_period(raw)
        if found is None:
            parsed.problem(1, col, _("“%(text)s” is not a period (write 2019 or 2019-H1)",
                                     text=str(raw)[:40]))
            continue
        period, year = found
        if year not in plan_years:
            parsed.problem(1, col, _("period %(period)s is outside the plan %(a)d–%(b)d",
                                     period=period, a=plan_years[0], b=plan_years[-1]))
        elif period in periods.values():
            parsed.problem(1, col, _("period %(period)s appears twice", period=period))
        else:
            periods[col] = period
    years = [p for p in periods.values() if "-" not in p]
    for col, period in periods.items():
        if "-" in period and period.split("-")[0] in years:
            parsed.problem(1, col, _("a year cannot be given both whole and by half-years"))
    if not periods and not parsed.problems:
        parsed.problem(1, 5, _("no period columns (e.g. 2019) after the “Cel” column"))
    return periods


def parse(data: bytes, plan_years: list[int]) -> ParsedFile:
    """Read the first sheet of an XLSX file; collect rows and every problem found."""
    parsed = ParsedFile()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        parsed.problem(None, None, _("The file is not an XLSX workbook. Save it as .xlsx and try again."))
        return parsed
    try:
        ws = wb.worksheets[0]
        parsed.sheet = ws.title
        archive = getattr(wb, "_archive", None)
        if archive is not None:
            for ref in _MERGE.findall(archive.read(ws._worksheet_path)):
                first = ref.decode().split(":")[0]
                m = re.match(r"([A-Z]+)(\d+)", first)
                parsed.problems.append(Problem(ws.title, int(m.group(2)), m.group(1),
                                               _("merged cells (%(ref)s); unmerge them",
                                                 ref=ref.decode())))
        if (ws.max_row or 0) - 1 > MAX_ROWS:
            parsed.problem(None, None, _("too many rows (at most %(n)d)", n=MAX_ROWS))
            return parsed
        rows = ws.iter_rows()
        header_cells = next(rows, None)
        if header_cells is None:
            parsed.problem(None, None, _("The sheet is empty."))
            return parsed
        periods = _header_problems(parsed, tuple(c.value for c in header_cells), plan_years)
        seen: dict[str, int] = {}
        for row_no, cells in enumerate(rows, start=2):  # read-only mode yields gap rows too
            if not cells:
                continue
            if row_no - 1 > MAX_ROWS:
                parsed.problems.append(Problem(parsed.sheet, row_no, None, _(
                    "too many rows (at most %(n)d)", n=MAX_ROWS)))
                break
            _parse_row(parsed, cells, row_no, periods, seen)
    finally:
        wb.close()
    return parsed


def _parse_row(parsed: ParsedFile, cells, row_no: int, periods: dict[int, str],
               seen: dict[str, int]) -> None:
    for col, cell in enumerate(cells, start=1):
        if isinstance(cell.value, str) and cell.value.startswith("=") and getattr(
                cell, "data_type", None) == "f":
            parsed.problem(row_no, col, _("a formula; paste values only"))
            return
    values = [c.value for c in cells]
    if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
        return
    code = str(values[0]).strip().upper() if values[0] is not None else ""
    if not code:
        parsed.problem(row_no, 1, _("the indicator code is missing"))
        return
    if code in seen:
        parsed.problem(row_no, 1, _("code %(code)s already appears in row %(row)d",
                                    code=code, row=seen[code]))
        return
    seen[code] = row_no
    row = ParsedRow(row_no, code)
    if len(cells) > 3 and cells[3].value not in (None, ""):
        target = _target(cells[3])
        if isinstance(target, str):
            parsed.problem(row_no, 4, target)
        else:
            row.target = target
    for col, period in periods.items():
        if col > len(cells):
            continue
        raw = cells[col - 1].value
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        number = _number(raw)
        if isinstance(number, str):
            parsed.problem(row_no, col, number)
        elif number < 0:
            parsed.problem(row_no, col, _("a negative number"))
        else:
            row.values[period] = (number, get_column_letter(col))
    parsed.rows.append(row)
