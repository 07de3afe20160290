"""XLSX files: the import template, the export of targets and values, the consultation report.

Written with openpyxl in write-only mode. Every text cell that a spreadsheet could take for a
formula (starting with = + - @, tab or CR) is prefixed with an apostrophe, so no file we produce
contains a formula cell.
"""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe(value):
    """A cell value that can never be read as a formula (numbers are kept as numbers)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _header(ws, names):
    row = []
    for name in names:
        cell = WriteOnlyCell(ws, value=safe(str(name)))
        cell.font = Font(bold=True)
        row.append(cell)
    ws.append(row)


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def target_text(target) -> object:
    """How a target appears in the file: a number, or "30%" for a percentage target."""
    if target is None:
        return None
    if target.mode == "percent":
        return f"{safe(target.value)}%"
    return safe(target.value)


def plan_workbook(plan, indicators, targets: dict, values: dict | None = None,
                  details: list | None = None) -> bytes:
    """Template (``values`` None) or export of a plan: codes in column A, periods as columns.

    ``targets`` maps indicator id -> PlanTarget; ``values`` maps (indicator id, period) -> value;
    ``details`` (export only) are rows for the second sheet (period, code, value, status, note).
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Values"))
    periods = sorted({p for (_i, p) in (values or {})} | {str(y) for y in plan.years},
                     key=lambda p: (int(p[:4]), int(p[-1]) if "-H" in p else 3))
    _header(ws, ["Kod", "Wskaźnik", "Jednostka", "Cel", *periods])
    for ind in indicators:
        row = [safe(ind.code), safe(ind.name), safe(ind.unit), target_text(targets.get(ind.id))]
        row += [safe(values.get((ind.id, p))) if values else None for p in periods]
        ws.append(row)
    if details is not None:
        ws2 = wb.create_sheet(_("Details"))
        _header(ws2, [_("Period"), _("Code"), _("Value"), _("Status"), _("Evidence"),
                      _("Coordinator's comment")])
        for row in details:
            ws2.append([safe(v) for v in row])
    info = wb.create_sheet(_("Instructions"))
    for line in (
        _("Fill in the first sheet only. Do not change the header row or the codes in column A."),
        _("Write numbers (decimal comma or point). Leave a cell empty when there is no value."),
        _("Column Cel (target): a number, or a percentage such as “30%” for targets defined as a "
          "share of another indicator."),
        _("Periods are years (2019) or half-years (2019-H1); a year is reported either whole or "
          "by half-years."),
        _("Do not use formulas or merged cells. The import checks every cell and imports nothing "
          "if anything is wrong."),
    ):
        info.append([safe(line)])
    return _save(wb)


def consultation_workbook(study, round_, comments, labels: dict) -> bytes:
    """The consultation report: every comment of the matrix with the evaluator's answer."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Consultation report"))
    ws.append([safe(study.title)])
    ws.append([safe(_("Consultation %(a)s – %(b)s", a=round_.opens_on.isoformat(),
                      b=round_.closes_on.isoformat()))])
    ws.append([])
    _header(ws, ["#", _("Section"), _("Page"), _("Comment"), _("Justification"),
                 _("Proposed wording"), _("Author"), _("Answer"), _("Reason")])
    for n, c in enumerate(comments, start=1):
        ws.append([n, safe(c.section), safe(c.page), safe(c.comment), safe(c.justification),
                   safe(c.proposal), safe(c.author_name),
                   safe(str(labels.get(c.answer, "")) if c.answer else ""), safe(c.answer_reason)])
    return _save(wb)
