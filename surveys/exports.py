"""Survey exports: XLSX of responses, XLSX of aggregated results, PDF report.

XLSX files never contain formulas: every text cell is written as a string, and text that
starts with ``= + - @``, a tab or a carriage return is prefixed with an apostrophe (the OWASP
advice against CSV/spreadsheet injection).
"""

from __future__ import annotations

import io
import secrets
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
from surveys.models import (
    DONT_KNOW,
    OTHER,
    Answer,
    Campaign,
    CampaignQuestion,
    Response,
    campaign_status,
)


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


#: questions whose code starts with this describe the respondent (membership category,
#: length of membership): quasi-identifiers, generalised in the responses export.
PROFILE_PREFIX = "PROF-"
#: question kinds whose answers are free text.
TEXT_KINDS = ("short_text", "long_text")


def responses_export_allowed(campaign: Campaign, responses: int) -> bool:
    """Individual responses are exported only once the campaign has closed (no answer can be
    added, so two exports never differ by one person) and has at least MIN_GROUP responses."""
    return campaign_status(campaign) == "closed" and responses >= queries.MIN_GROUP


def _generalise(values: list[Any], hidden: str) -> list[Any]:
    """``values`` (one profile column) with every group of fewer than MIN_GROUP equal values
    replaced by ``hidden``; when the hidden rows are themselves fewer than MIN_GROUP, the
    smallest shown groups join them until they are not (or everything is hidden)."""
    counts: dict[Any, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    rare = {v for v, n in counts.items() if n < queries.MIN_GROUP}
    hidden_rows = sum(counts[v] for v in rare)
    shown = sorted((n, i, v) for i, (v, n) in enumerate(counts.items()) if v not in rare)
    while rare and hidden_rows < queries.MIN_GROUP and shown:
        n, _i, v = shown.pop(0)
        rare.add(v)
        hidden_rows += n
    return [hidden if v in rare else v for v in values]


def _anonymise(rows: list[list[Any]], profile: list[int], hidden: str) -> None:
    """Generalise the profile columns of ``rows`` in place: each column on its own, then every
    row whose combination of profile values is shared by fewer than MIN_GROUP rows."""
    for i in profile:
        for row, value in zip(rows, _generalise([r[i] for r in rows], hidden), strict=True):
            row[i] = value
    combos: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row[i] for i in profile)
        combos[key] = combos.get(key, 0) + 1
    for row in rows:
        if combos[tuple(row[i] for i in profile)] < queries.MIN_GROUP:
            for i in profile:
                row[i] = hidden


def _random_ids(n: int) -> list[str]:
    """``n`` distinct random identifiers, new in every export (never a database id)."""
    ids: set[str] = set()
    while len(ids) < n:
        ids.add(secrets.token_hex(4).upper())
    return list(ids)


def responses_xlsx(campaign: Campaign, questions: list[CampaignQuestion] | None = None) -> bytes:
    """Individual responses, only when :func:`responses_export_allowed` (else DomainError).

    Sheet "Responses": one row per response; first header row: codes, second: question texts.
    Ratings as numbers 1–5 ("trudno powiedzieć" as text), choices as option labels, multiple
    choice as one column per option (1 = chosen). Rows in a random order (drawn anew for every
    export) with random identifiers (new in every export); no database ids, tokens or dates.

    Anonymously answered responses: the profile columns (``PROF-…``, e.g. the membership
    category) never show a group of fewer than MIN_GROUP people (such values read "hidden");
    free text (open answers, "other, please specify") is not in the rows but on the sheet
    "Open answers", per question in a random order, next to nothing that could narrow it to a
    person. Named campaigns whose responses were all answered under the named mode: the name
    and the texts are in the rows (people answered knowing their name is stored).
    ``questions``: the campaign's questions in questionnaire order if the caller has them.
    """
    from coordination.errors import DomainError

    if questions is None:
        questions = queries.campaign_with_questions(campaign.id)[1]
    responses = db.session.execute(select(Response.id, Response.anonymous, Response.respondent_name)
                                   .where(Response.campaign_id == campaign.id)).all()
    if not responses_export_allowed(campaign, len(responses)):
        raise DomainError(_("Individual responses can be downloaded only after the campaign has closed "
                            "and only when at least %(n)d people have responded.", n=queries.MIN_GROUP))
    cols = _columns(questions)
    index = {(q.id, part): i for i, (q, part, _c, _l) in enumerate(cols)}
    answers = db.session.execute(select(Answer.response_id, Answer.question_id, Answer.item, Answer.num,
                                        Answer.choice, Answer.text)
                                 .where(Answer.campaign_id == campaign.id)).all()
    by_id = {q.id: q for q in questions}
    cells: dict[str, list[Any]] = {rid: [None] * len(cols) for rid, _a, _n in responses}
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
    named = not campaign.anonymous and all(not anon and name for _r, anon, name in responses)
    rows = [([name] if named else []) + cells[rid] for rid, _a, name in responses]
    secrets.SystemRandom().shuffle(rows)
    lead = 1 if named else 0
    texts = [i for i, (q, part, _c, _l) in enumerate(cols) if q.kind in TEXT_KINDS or part == OTHER]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Responses"))
    shown = list(range(len(cols)))
    if not named:
        shown = [i for i in shown if i not in texts]
        profile = [i for i in shown if cols[i][0].code.startswith(PROFILE_PREFIX)]
        _anonymise(rows, profile, _("hidden (fewer than %(n)d people)", n=queries.MIN_GROUP))
    lead_codes = ["ID"] + (["RESPONDENT"] if named else [])
    lead_labels = [_("Identifier (random, new in every export)")] + ([_("Respondent")] if named else [])
    _row(ws, lead_codes + [cols[i][2] for i in shown])
    _row(ws, lead_labels + [cols[i][3] for i in shown])
    for rid, row in zip(_random_ids(len(rows)), rows, strict=True):
        _row(ws, [rid] + row[:lead] + [row[lead + i] for i in shown])
    if not named:
        ws2 = wb.create_sheet(_("Open answers"))
        _row(ws2, [_("Code"), _("Question"), _("Answer")])
        for i in texts:
            _q, _p, code, label = cols[i]
            given = [row[lead + i] for row in rows if row[lead + i]]
            secrets.SystemRandom().shuffle(given)
            for text in given:
                _row(ws2, [code, label, text])
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
        _row(ws2, [str(name), code, round(value[0], 2) if value else _("too few responses"),
                   value[1] if value else None, round(median, 2) if median is not None else None])
    return _save(wb)


def report_pdf(r: dict, tenant) -> bytes:
    """A PDF report of one campaign for the committee (WeasyPrint, from an HTML template)."""
    from weasyprint import HTML

    html = render_template("surveys/report_pdf.html", r=r, tenant=tenant, charts=charts,
                           likert=likert_labels(), dimensions=DIMENSIONS)
    return HTML(string=html).write_pdf()
