"""XLSX files of the OWES module: the import template, the export of targets and values, and
the consultation report. Written by the shared :mod:`coordination.exports.xlsx` (write-only
streaming; text that could be read as a formula is escaped, so no file has a formula cell).
"""

from __future__ import annotations

import io
from decimal import Decimal

from flask import render_template
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from coordination.exports import docx, pdf
from coordination.exports.xlsx import XLSX_MIMETYPE, Sheet, write_xlsx
from owes.services.values import period_sort_key

__all__ = ["XLSX_MIMETYPE", "consultation_docx", "consultation_pdf", "consultation_workbook",
           "plan_workbook", "target_text"]
#: interface language -> DOCX proofing language.
DOCX_LANGUAGES = {"pl": "pl-PL", "en": "en-GB"}

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


def report_header() -> list[str]:
    """Columns of the consultation report (XLSX, DOCX and PDF alike)."""
    return ["#", _("Report section"), _("Page"), _("Comment"), _("Justification"),
            _("Proposed wording"), _("Author"), _("Answer"), _("Reason for the answer")]


def report_rows(comments, labels: dict) -> list[list]:
    """One row per comment of the matrix with the evaluator's answer."""
    return [[n, c.section, c.page, c.comment, c.justification, c.proposal, c.author_name,
             str(labels["answer"].get(c.answer, "")) if c.answer else "", c.answer_reason]
            for n, c in enumerate(comments, start=1)]


def report_facts(study, round_, labels: dict) -> list[tuple[str, str]]:
    """What the report is about: the study, the round's dates and participants, its status."""
    participants = ", ".join(str(labels["participant"][p]) for p in round_.participants or ())
    if round_.invited:
        participants = f"{participants}; {round_.invited}" if participants else round_.invited
    return [
        (_("Study"), study.title),
        (_("Evaluator"), study.evaluator),
        (_("Consultation"), _("%(a)s – %(b)s", a=format_date(round_.opens_on, "long"),
                              b=format_date(round_.closes_on, "long"))),
        (_("Participants"), participants),
        (_("Status"), str(labels["round_status"][round_.status])),
    ]


def consultation_workbook(study, round_, comments, labels: dict) -> bytes:
    """The consultation report: every comment of the matrix with the evaluator's answer."""
    matrix = Sheet(_("Consultation report"), report_header(), report_rows(comments, labels))
    about = Sheet(_("Study"), [_("Item"), _("Value")], report_facts(study, round_, labels))
    return _bytes([matrix, about])


def _language() -> str:
    return str(get_locale() or "pl")


def consultation_docx(study, round_, comments, labels: dict) -> bytes:
    """The consultation report as an editable DOCX (landscape; proofing language set)."""
    lang = _language()
    title = _("Consultation report: %(title)s", title=study.title)
    document = docx.new_document(title, lang=DOCX_LANGUAGES.get(lang, lang), landscape=True)
    document.add_heading(docx.text(title), level=1)
    for label, value in report_facts(study, round_, labels):
        paragraph = document.add_paragraph()
        paragraph.add_run(docx.text(f"{label}: ")).bold = True
        paragraph.add_run(docx.text(value))
    document.add_heading(_("Comments and answers"), level=2)
    if comments:
        docx.add_table(document, report_header(), report_rows(comments, labels))
    else:
        document.add_paragraph(_("No comments were submitted."))
    return docx.to_bytes(document)


def consultation_pdf(study, round_, comments, labels: dict) -> bytes:
    """The consultation report as a tagged PDF (document language = the interface language)."""
    html = render_template("owes/pdf/consultation_report.html", lang=_language(),
                           title=_("Consultation report: %(title)s", title=study.title),
                           facts=report_facts(study, round_, labels), header=report_header(),
                           rows=report_rows(comments, labels))
    return pdf.html_to_pdf(html)
