"""Survey exports: XLSX of responses, XLSX of aggregated results, PDF report.

XLSX files never contain formulas: every text cell is written as a string, and text that
starts with ``= + - @``, a tab or a carriage return is prefixed with an apostrophe (the OWASP
advice against CSV/spreadsheet injection).
"""

from __future__ import annotations

import io
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy import select

from coordination.exports.xlsx import safe_text
from coordination.extensions import db
from surveys import charts, queries
from surveys.catalogue import DIMENSIONS
from surveys.engine import likert_labels
from surveys.models import DONT_KNOW, OTHER, Answer, Campaign, CampaignQuestion, Response


def safe(value: Any) -> Any:
    """A cell value that no spreadsheet will evaluate as a formula (and that XLSX can store)."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def _string_cell(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _row(ws, values: list[Any]) -> None:
    ws.append([_string_cell(ws, v) for v in values])


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _columns(questions) -> list[tuple[Any, str, str, str]]:
    """``(question, part, code, label)`` for every export column, in questionnaire order."""
    cols = []
    for q in questions:
        if q.kind == "matrix":
            cols += [(q, i["code"], i["code"], i["label"]) for i in q.items or ()]
        elif q.kind == "multi":
            cols += [(q, o["code"], f"{q.code}_{o['code']}", f"{q.text}: {o['label']}") for o in q.options or ()]
            if q.allow_other:
                cols += [(q, OTHER, f"{q.code}_{OTHER}", f"{q.text}: " + _("other (specified)"))]
        else:
            cols.append((q, "", q.code, q.text))
            if q.kind == "single" and q.allow_other:
                cols.append((q, OTHER, f"{q.code}_{OTHER}", f"{q.text}: " + _("other (specified)")))
    return cols


def responses_xlsx(campaign: Campaign, questions: list[CampaignQuestion] | None = None) -> bytes:
    """One row per response; first header row: codes, second: question texts.

    Ratings as numbers 1–5 ("trudno powiedzieć" as text), choices as option labels, multiple
    choice as one column per option (1 = chosen), free text as written. No ids, no tokens, no
    dates; responses appear in random-id order (not the order of submission). ``questions``:
    the campaign's questions in questionnaire order if the caller has them already.
    """
    if questions is None:
        questions = queries.campaign_with_questions(campaign.id)[1]
    cols = _columns(questions)
    index = {(q.id, part): i for i, (q, part, _c, _l) in enumerate(cols)}
    responses = db.session.execute(select(Response.id, Response.respondent_name)
                                   .where(Response.campaign_id == campaign.id).order_by(Response.id)).all()
    answers = db.session.execute(select(Answer.response_id, Answer.question_id, Answer.item, Answer.num,
                                        Answer.choice, Answer.text)
                                 .where(Answer.campaign_id == campaign.id)).all()
    by_id = {q.id: q for q in questions}
    cells: dict[str, list[Any]] = {rid: [None] * len(cols) for rid, _n in responses}
    dk = likert_labels()[DONT_KNOW]
    for rid, qid, item, num, choice, text in answers:
        q = by_id.get(qid)
        row = cells.get(rid)
        if q is None or row is None:
            continue
        if q.kind in ("likert", "matrix"):
            row[index[(qid, item)]] = dk if choice == DONT_KNOW else int(num)
        elif q.kind == "multi":
            row[index[(qid, choice)]] = text if choice == OTHER else 1
        elif q.kind == "single":
            labels = {o["code"]: o["label"] for o in q.options or ()}
            row[index[(qid, "")]] = _("other") if choice == OTHER else labels.get(choice, choice)
            if choice == OTHER:
                row[index[(qid, OTHER)]] = text
        elif q.kind == "number":
            row[index[(qid, "")]] = num
        else:
            row[index[(qid, "")]] = text
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Responses"))
    named = not campaign.anonymous
    lead_codes = ["NR"] + (["RESPONDENT"] if named else [])
    lead_labels = [_("Response no.")] + ([_("Respondent")] if named else [])
    _row(ws, lead_codes + [c for _q, _p, c, _l in cols])
    _row(ws, lead_labels + [label for _q, _p, _c, label in cols])
    for n, (rid, name) in enumerate(responses, start=1):
        _row(ws, [n] + ([name] if named else []) + cells[rid])
    return _save(wb)


def results_xlsx(r: dict) -> bytes:
    """Aggregated results: one row per question (matrix item) with n, mean, median and counts."""
    likert = likert_labels()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Results"))
    campaign = r["campaign"]
    _row(ws, [campaign.title, campaign.year])
    _row(ws, [_("Responses"), r["total"]])
    if not r["enough"]:
        _row(ws, [_("Too few responses to show results (fewer than %(n)d).", n=queries.MIN_GROUP)])
        return _save(wb)
    _row(ws, [_("Code"), _("Question"), "n", _("Mean"), _("Median"), _("Answer"), _("Count"), _("Percent")])
    for res in r["questions"]:
        rows = charts.distribution(res, likert, _("other"))
        base = [res.item or res.question.code, res.label, res.n,
                round(res.mean, 2) if res.mean is not None else None,
                res.median]
        if not rows:
            _row(ws, base)
        for label, count, pct in rows:
            _row(ws, base + [label, count, round(pct, 1)])
    ws2 = wb.create_sheet(_("Dimensions"))
    _row(ws2, [_("Dimension"), _("Code"), _("Region"), "n", _("National median")])
    for code, name in DIMENSIONS.items():
        value = r["dimensions"].get(code)
        median = r["national"].get(code)
        _row(ws2, [name, code, round(value[0], 2) if value else _("too few responses"),
                   value[1] if value else None, round(median, 2) if median is not None else None])
    return _save(wb)


def report_pdf(r: dict, tenant) -> bytes:
    """A PDF report of one campaign for the committee (WeasyPrint, from an HTML template)."""
    from weasyprint import HTML

    html = render_template("surveys/report_pdf.html", r=r, tenant=tenant, charts=charts,
                           likert=likert_labels(), dimensions=DIMENSIONS)
    return HTML(string=html).write_pdf()
