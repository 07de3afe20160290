"""XLSX files of the OWES module: the import template, the export of targets and values, and
the consultation report. Written by the shared :mod:`coordination.exports.xlsx` (write-only
streaming; text that could be read as a formula is escaped, so no file has a formula cell).
"""

from __future__ import annotations

import io
from decimal import Decimal

from flask_babel import gettext as _

from coordination.exports.xlsx import XLSX_MIMETYPE, Sheet, write_xlsx
from coordination.owes.services.values import period_sort_key

__all__ = ["XLSX_MIMETYPE", "consultation_workbook", "plan_workbook", "target_text"]

#: the fixed columns of the template (the importer accepts these Polish or English names).
TEMPLATE_COLUMNS = ("Kod", "Wskaźnik", "Jednostka", "Cel")


def _number(value):
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


def target_text(target) -> object:
    """How a target appears in the file: a number, or "30%" for a percentage target."""
    if target is None:
        return None
    if target.mode == "percent":
        return f"{_number(target.value)}%"
    return _number(target.value)


def _bytes(sheets: list[Sheet]) -> bytes:
    buf = io.BytesIO()
    write_xlsx(buf, sheets)
    return buf.getvalue()


def _instructions() -> Sheet:
    lines = (
        _("Fill in the first sheet only. Do not change the header row or the codes in column A."),
        _("Write numbers (decimal comma or point). Leave a cell empty when there is no value."),
        _("Column Cel (target): a number, or a percentage such as “30%” for targets defined as a "
          "share of another indicator."),
        _("Periods are years (2019) or half-years (2019-H1); a year is reported either whole or "
          "by half-years."),
        _("Do not use formulas or merged cells. The import checks every cell and imports nothing "
          "if anything is wrong."),
    )
    return Sheet(_("Instructions"), [lines[0]], [[line] for line in lines[1:]])


def plan_workbook(plan, indicators, targets: dict, values: dict | None = None,
                  details: list | None = None) -> bytes:
    """Template (``values`` None) or export of a plan: codes in column A, periods as columns.

    ``targets`` maps indicator id -> PlanTarget; ``values`` maps (indicator id, period) -> value;
    ``details`` (export only) are rows for the second sheet (period, code, value, status, note).
    """
    periods = sorted({p for (_i, p) in (values or {})} | {str(y) for y in plan.years},
                     key=period_sort_key)
    rows = ([ind.code, ind.name, ind.unit, target_text(targets.get(ind.id)),
             *[_number(values.get((ind.id, p))) if values else None for p in periods]]
            for ind in indicators)
    sheets = [Sheet(_("Values"), [*TEMPLATE_COLUMNS, *periods], rows)]
    if details is not None:
        sheets.append(Sheet(_("Details"), [_("Period"), _("Code"), _("Value"), _("Status"),
                                           _("Evidence note"), _("Coordinator's comment")],
                            ([p, c, _number(v), s, e, r] for p, c, v, s, e, r in details)))
    sheets.append(_instructions())
    return _bytes(sheets)


def consultation_workbook(study, round_, comments, labels: dict) -> bytes:
    """The consultation report: every comment of the matrix with the evaluator's answer."""
    matrix = Sheet(_("Consultation report"),
                   ["#", _("Report section"), _("Page"), _("Comment"), _("Justification"),
                    _("Proposed wording"), _("Author"), _("Answer"), _("Reason for the answer")],
                   ([n, c.section, c.page, c.comment, c.justification, c.proposal, c.author_name,
                     str(labels.get(c.answer, "")) if c.answer else "", c.answer_reason]
                    for n, c in enumerate(comments, start=1)))
    about = Sheet(_("Study"), [study.title],
                  [[_("Consultation %(a)s – %(b)s", a=round_.opens_on.isoformat(),
                      b=round_.closes_on.isoformat())]])
    return _bytes([matrix, about])
