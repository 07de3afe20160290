"""National pages: overview, comparison (heatmap, which regions lack X, profiles), support totals."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from coordination import clock
from coordination.exports import download
from coordination.extensions import db
from coordination.htmx import render_page_or_block
from coordination.permissions import require
from national import exports, queries
from national.catalogue import group_label
from national.models import PRIORITIES, TARGET_GROUPS, DiagnosisItem
from national.queries import comparison as cq
from national.views import root_bp


@root_bp.route("/")
def overview():
    require("national.view")
    return render_page_or_block("national/overview.html", "content", rows=queries.regions_overview())


def _filters() -> dict:
    area = request.args.get("obszar") or None
    priority = request.args.get("priorytet") or None
    metric = request.args.get("miara") if request.args.get("miara") in cq.METRICS else "need"
    return {"area": area, "priority": priority if priority in PRIORITIES else None, "metric": metric}


@root_bp.route("/porownanie")
def comparison():
    require("national.view")
    f = _filters()
    data = cq.comparison(area=f["area"], priority=f["priority"])
    f["area"] = data["area"]  # an unknown area is ignored: the form and the XLSX link say so
    return render_page_or_block("national/comparison.html", "content", data=data, f=f,
                                sections=cq.available_sections(),
                                priorities=PRIORITIES)


@root_bp.route("/porownanie/<any(ankiety, owes):comparison_part>")
def comparison_section(comparison_part: str):
    """A survey or OWES comparison: loaded into the comparison page by htmx, and a page of its
    own without JavaScript (each stays within the query budget of one page)."""
    require("national.view")
    return render_page_or_block("national/comparison_section.html", "section", part=comparison_part,
                                section=cq.section(comparison_part))


@root_bp.route("/porownanie.xlsx")
def comparison_xlsx():
    require("national.view")
    f = _filters()
    data = cq.comparison(area=f["area"], priority=f["priority"])
    return download(exports.comparison_xlsx(data), "porownanie-diagnoz.xlsx")



@root_bp.route("/porownanie/pozycja/<int:diagnosis_item_id>")
def item_regions(diagnosis_item_id: int):
    require("national.view")
    item = db.get_or_404(DiagnosisItem, diagnosis_item_id)
    data = cq.briefing(item.id)
    return render_page_or_block("national/item_regions.html", "content", item=item, rows=data["rows"],
                                data=data, groups=TARGET_GROUPS, region_names=queries.region_names(),
                                group_label=group_label)


def _briefing(diagnosis_item_id: int, build, ext: str):
    require("national.view")
    item = db.get_or_404(DiagnosisItem, diagnosis_item_id)
    content = build(item, cq.briefing(item.id), current_user.full_name, queries.region_names())
    return download(content, f"informacja-{item.code}-{clock.today().isoformat()}.{ext}")


@root_bp.route("/porownanie/pozycja/<int:diagnosis_item_id>/informacja.pdf")
def item_briefing_pdf(diagnosis_item_id: int):
    return _briefing(diagnosis_item_id, exports.briefing_pdf, "pdf")


@root_bp.route("/porownanie/pozycja/<int:diagnosis_item_id>/informacja.docx")
def item_briefing_docx(diagnosis_item_id: int):
    return _briefing(diagnosis_item_id, exports.briefing_docx, "docx")


@root_bp.route("/porownanie/pozycja/<int:diagnosis_item_id>.xlsx")
def item_regions_xlsx(diagnosis_item_id: int):
    require("national.view")
    item = db.get_or_404(DiagnosisItem, diagnosis_item_id)
    return download(exports.item_regions_xlsx(item, cq.item_regions(item.id)),
                    f"kto-potrzebuje-{item.code}.xlsx")


@root_bp.route("/porownanie/profile")
def profiles():
    require("national.view")
    chosen = request.args.getlist("r")
    regions = queries.all_regions()
    names = {t.slug: t.name for t in regions}
    known = [s for s in dict.fromkeys(chosen) if s in names]
    left_out = [names[s] for s in known[cq.MAX_PROFILES:]]
    return render_page_or_block("national/profiles.html", "content", data=cq.profiles(known),
                                chosen=chosen, all_tenants=regions, left_out=left_out,
                                max_profiles=cq.MAX_PROFILES)


@root_bp.route("/wsparcie")
def support():
    require("national.view")
    return render_page_or_block("national/support_national.html", "content",
                                data=cq.support_national())
