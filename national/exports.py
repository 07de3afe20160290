"""Exports: comparison matrix and item list (XLSX), a region's diagnosis (XLSX, PDF, DOCX).

XLSX files never contain formulas: text starting with ``= + - @`` tab or CR is prefixed with an
apostrophe-like quote character so spreadsheet programs show it as text.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from flask import current_app, render_template
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from openpyxl import Workbook

from coordination import clock
from coordination.collation import sorted_pl
from coordination.exports.pdf import html_to_pdf
from coordination.exports.xlsx import safe_title, safe_value
from coordination.text import xml_text
from national.catalogue import (
    ADVOCACY_STATUS_LABELS,
    KIND_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    SUPPORT_FORM_LABELS,
    TARGET_GROUP_LABELS,
)


def safe(value):
    """A cell value that can never be a formula nor hold a character XLSX cannot store."""
    if isinstance(value, datetime):
        value = value.replace(microsecond=0)
    return safe_value(value)


def xlsx(sheets: list[tuple[str, list, list[list]]]) -> bytes:
    """Build a workbook from ``(title, header, rows)`` sheets (write-only, no formulas)."""
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=safe_title(title))
        ws.append([safe(h) for h in header])
        for row in rows:
            ws.append([safe(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _str(value) -> str:
    """Text for a DOCX run: empty for None, without characters XML cannot hold."""
    return "" if value is None else xml_text(str(value))


def comparison_xlsx(data: dict) -> bytes:
    """Need and state matrices (regions × items, national median) plus completeness."""
    items = [i for i, _a in data["items"]]
    sheets = []
    for metric, title in (("need", _("Need")), ("state", _("State"))):
        header = [_("Region"), _("Version"), _("Signed")] + [i.code for i in items]
        rows = []
        for t in data["tenants"]:
            d = data["latest"].get(t.id)
            row = [t.name, d.version if d else None, d.signed_at.date() if d else None]
            row += [getattr(data["cells"][t.id].get(i.id), metric, None) if t.id in data["cells"] else None
                    for i in items]
            rows.append(row)
        rows.append([_("National median"), None, None] + [data["median"][metric].get(i.id) for i in items])
        sheets.append((title, header, rows))
    sheets.append((_("Items"), [_("Code"), _("Item")], [[i.code, i.title] for i in items]))
    comp = data["completeness"]
    rows = [[t.name, _("no signed diagnosis"), None] for t in comp["missing"]]
    rows += [[t.name, _("older than 12 months"), d.signed_at.date()] for t, d in comp["outdated"]]
    sheets.append((_("Completeness"), [_("Region"), _("Problem"), _("Signed")], rows))
    return xlsx(sheets)


def item_regions_xlsx(item, rows: list[dict]) -> bytes:
    """"Which regions lack X": regions sorted by need, evidence and support already given."""
    header = [_("Region"), _("Need"), _("State"), _("Priority"), _("Evidence"), _("Agreed actions"),
              _("Version"), _("Signed"), _("Support entries"), _("Support hours"), _("Last support")]
    out = []
    for row in rows:
        r, d, s = row["rating"], row["diagnosis"], row["support"]
        out.append([row["tenant"].name, r.need if r else None, r.state if r else None,
                    _str(PRIORITY_LABELS.get(r.priority)) if r and r.priority else None,
                    r.evidence if r else None, r.actions if r else None,
                    d.version if d else None, d.signed_at.date() if d else None,
                    s.entries if s else 0, float(s.hours) if s else 0.0, s.last if s else None])
    return xlsx([(item.code, [f"{item.code} {item.title}"], []), (_("Regions"), header, out)])


def _rating_row(item, r, private: bool) -> list:
    if r is None:
        return [item.code, item.title] + [None] * 8
    notes = r.notes
    if r.consultant_notes and (private or r.consultant_notes_released):
        notes = "\n".join(filter(None, [notes, _("Consultant: %(text)s", text=r.consultant_notes)]))
    return [item.code, item.title, r.state, r.need, _str(PRIORITY_LABELS.get(r.priority)) or None,
            r.evidence, ", ".join(str(SUPPORT_FORM_LABELS[f]) for f in r.support_forms or []),
            ", ".join(str(TARGET_GROUP_LABELS[g]) for g in r.target_groups or []), r.actions, notes]


def diagnosis_xlsx(tenant, diagnosis, tree: list[dict], names: dict, *, private: bool) -> bytes:
    """One version of a region's diagnosis, one row per item."""
    header = [_("Code"), _("Item"), _("State (1–5)"), _("Need (0–3)"), _("Priority"), _("Evidence"),
              _("Preferred forms of support"), _("Target groups"), _("Agreed actions"), _("Notes")]
    rows = [_rating_row(item, r, private) for node in tree for item, r in node["rows"]]
    about = [[_("Region"), tenant.name], [_("Version"), diagnosis.version],
             [_("Kind"), _str(KIND_LABELS[diagnosis.kind])], [_("Status"), _str(STATUS_LABELS[diagnosis.status])],
             [_("Signed"), diagnosis.signed_at], [_("Reason for the update"), diagnosis.reason],
             [_("Consultant"), names.get(diagnosis.consultant_signed_by_id)],
             [_("Coordinator"), names.get(diagnosis.coordinator_signed_by_id)]]
    return xlsx([(_("Diagnosis"), header, rows), (_("About"), [_("Field"), _("Value")], about)])


def _report_css() -> str:
    """The print stylesheet of the national reports."""
    return str(Path(current_app.static_folder) / "css" / "national-report.css")


def _report_context(tenant, diagnosis, tree, names) -> dict:
    return {"tenant": tenant, "d": diagnosis, "tree": tree, "names": names,
            "today": format_date(clock.today(), "long")}


def diagnosis_pdf(tenant, diagnosis, tree, names) -> bytes:
    """The diagnosis report for the region's planners, as a tagged PDF (WeasyPrint).

    Unreleased consultant notes are never in the report.
    """
    html = render_template("national/report.html", **_report_context(tenant, diagnosis, tree, names))
    return html_to_pdf(html, stylesheet=_report_css())


def diagnosis_docx(tenant, diagnosis, tree, names) -> bytes:
    """The same report as an editable Word document (python-docx)."""
    from docx import Document

    ctx = _report_context(tenant, diagnosis, tree, names)
    doc = Document()
    doc.core_properties.title = _("Advisory-needs diagnosis: %(region)s", region=tenant.name)
    doc.core_properties.language = "pl-PL"
    doc.add_heading(_("Advisory-needs diagnosis: %(region)s", region=tenant.name), level=1)
    doc.add_paragraph(_("Version %(version)d (%(kind)s), status: %(status)s.", version=diagnosis.version,
                        kind=KIND_LABELS[diagnosis.kind], status=STATUS_LABELS[diagnosis.status]))
    if diagnosis.reason:
        doc.add_paragraph(_str(_("Reason for the update: %(reason)s", reason=diagnosis.reason)))
    for node in tree:
        doc.add_heading(_str(f"{node['area'].code}. {node['area'].title}"), level=2)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Item"), _("State (1–5)"), _("Need (0–3)"),
                                                    _("Priority"), _("Agreed actions")), strict=True):
            cell.text = text
        for item, r in node["rows"]:
            cells = table.add_row().cells
            cells[0].text = _str(f"{item.code} {item.title}")
            cells[1].text = _str(r.state if r else None)
            cells[2].text = _str(r.need if r else None)
            cells[3].text = _str(PRIORITY_LABELS.get(r.priority)) if r and r.priority else ""
            cells[4].text = _str(r.actions if r else None)
        for item, r in node["rows"]:
            if r and r.evidence:
                doc.add_paragraph(_str(_("%(code)s – evidence: %(text)s", code=item.code, text=r.evidence)))
    doc.add_paragraph(_("Generated on %(date)s.", date=ctx["today"]))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _briefing_context(item, data: dict, author: str, region_names: dict) -> dict:
    from national.models import TARGET_GROUPS

    raised_by = {issue.id: sorted_pl(region_names.get(s, s) for s in issue.region_slugs or [])
                 for issue in data["issues"] or []}
    return {"item": item, "data": data, "author": author, "region_names": region_names,
            "raised_by": raised_by, "groups": TARGET_GROUPS,
            "today": format_date(clock.today(), "long")}


def briefing_pdf(item, data: dict, author: str, region_names: dict) -> bytes:
    """The briefing for the ministry on one item, as a tagged PDF in the page's language."""
    html = render_template("national/briefing.html", **_briefing_context(item, data, author, region_names))
    return html_to_pdf(html, stylesheet=_report_css())


def briefing_docx(item, data: dict, author: str, region_names: dict) -> bytes:
    """The same briefing as an editable Word document."""
    from flask_babel import get_locale

    from coordination.exports.docx import add_table, new_document, to_bytes

    ctx = _briefing_context(item, data, author, region_names)
    title = _("Briefing: which regions need support on %(code)s", code=item.code)
    lang = "en-GB" if str(get_locale()).startswith("en") else "pl-PL"
    doc = new_document(title, lang=lang, landscape=True)
    doc.core_properties.author = _str(author)
    doc.add_heading(_str(title), level=1)
    add_table(doc, [_("About this briefing"), ""], [
        [_("Question"), _("Which regions need advice on “%(title)s” (%(code)s), where do they stand, "
                          "and what support have they had?", title=item.title, code=item.code)],
        [_("Source"), _("The latest signed SIRES diagnosis of each region and the regions' support logs.")],
        [_("Prepared by"), author], [_("Date"), ctx["today"]]])
    comp = data["completeness"]
    doc.add_heading(_("Completeness"), level=2)
    text = [_("%(current)d of %(all)d regions have a signed diagnosis from the last 12 months.",
              current=comp["current"], all=data["region_count"])]
    if comp["missing"]:
        text.append(_("No signed diagnosis: %(regions)s.", regions=", ".join(t.name for t in comp["missing"])))
    if comp["outdated"]:
        text.append(_("Older than 12 months: %(regions)s.",
                      regions=", ".join(t.name for t, _d in comp["outdated"])))
    doc.add_paragraph(_str(" ".join(text)))
    doc.add_heading(_("Regions ranked by need"), level=2)
    doc.add_paragraph(_("Scales: need 0 (none) to 3 (high); state 1 (nothing in place) to 5 (fully in place). "
                        "Persons are counted once per region, however many sessions they attended."))
    groups = ctx["groups"]
    header = [_("Region"), _("Need (0–3)"), _("State (1–5)"), _("Priority"), _("Agreed actions"),
              _("Support sessions"), _("Hours")] + [_("Persons: %(group)s", group=TARGET_GROUP_LABELS[g])
                                                    for g in groups]
    rows = []
    for row in data["rows"]:
        r, s = row["rating"], row["support"]
        name = row["tenant"].name if row["diagnosis"] else f"{row['tenant'].name} ({_('no signed diagnosis')})"
        rows.append([name, r.need if r and r.need is not None else "–",
                     r.state if r and r.state is not None else "–",
                     _str(PRIORITY_LABELS.get(r.priority)) if r and r.priority else "–",
                     (r.actions or "–") if r else "–", s.entries if s else 0,
                     format_decimal(float(s.hours) if s else 0)] + [row["persons"][g] for g in groups])
    totals = data["totals"]
    rows.append([_("Total"), "", "", "", "", totals["entries"], format_decimal(totals["hours"])]
                + [totals["persons"][g] for g in groups])
    add_table(doc, header, rows)
    doc.add_heading(_("Advocacy issues concerning this item"), level=2)
    for issue in data["issues"] or []:
        line = f"{issue.code} {issue.title} – {ADVOCACY_STATUS_LABELS[issue.status]}"
        if issue.addressee:
            line += "; " + _("addressed to: %(addressee)s", addressee=issue.addressee)
        if issue.region_slugs:
            line += "; " + _("raised by:") + " " + ", ".join(ctx["raised_by"][issue.id])
        doc.add_paragraph(_str(line), style="List Bullet")
    if not data["issues"]:
        doc.add_paragraph(_("No advocacy issue concerns this item."))
    doc.add_paragraph(_("Generated by Sieć ES on %(date)s.", date=ctx["today"]))
    return to_bytes(doc)
