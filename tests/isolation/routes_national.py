"""Route classification and isolation objects of the SIRES module (national)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from national import services
from national.models import AdvocacyIssue, DiagnosisItem
from tests.isolation.levels import NATIONAL, POST_ONLY, TENANT_ADVISORY

ROUTES = {
    "national.overview": NATIONAL,
    "national.comparison": NATIONAL,
    "national.comparison_section": NATIONAL,
    "national.comparison_xlsx": NATIONAL,
    "national.item_regions": NATIONAL,
    "national.item_regions_xlsx": NATIONAL,
    "national.profiles": NATIONAL,
    "national.support": NATIONAL,
    "national.template": NATIONAL,
    "national.item_edit": NATIONAL,
    "national.item_new": NATIONAL,
    "national.advocacy": NATIONAL,
    "national.advocacy_detail": NATIONAL,
    "national.advocacy_step": POST_ONLY,
    "national.advocacy_new": NATIONAL,
    "national.advocacy_edit": NATIONAL,
    "tenant.diagnosis.index": TENANT_ADVISORY,
    "tenant.diagnosis.start": TENANT_ADVISORY,
    "tenant.diagnosis.detail": TENANT_ADVISORY,
    "tenant.diagnosis.rate": TENANT_ADVISORY,
    "tenant.diagnosis.sign": TENANT_ADVISORY,
    "tenant.diagnosis.discard": TENANT_ADVISORY,
    "tenant.diagnosis.history": TENANT_ADVISORY,
    "tenant.diagnosis.export_xlsx": TENANT_ADVISORY,
    "tenant.diagnosis.export_pdf": TENANT_ADVISORY,
    "tenant.diagnosis.export_docx": TENANT_ADVISORY,
    "tenant.diagnosis.support_list": TENANT_ADVISORY,
    "tenant.diagnosis.support_new": TENANT_ADVISORY,
    "tenant.diagnosis.support_edit": TENANT_ADVISORY,
    "tenant.diagnosis.support_delete": TENANT_ADVISORY,
}


def build_objects(slug: str, marker: str, users: dict) -> dict:
    """A draft diagnosis (with a rating carrying the marker) and a support entry of the region.

    The template and advocacy issues are national data, the same for both regions.
    """
    services.ensure_template()
    actor = db.session.get(User, users["national"])
    item = db.session.scalar(select(DiagnosisItem).where(DiagnosisItem.code == "III.1"))
    diagnosis = services.start_diagnosis(actor=actor)
    services.save_rating(diagnosis, item.id, {
        "state": 2, "need": 3, "priority": "H", "evidence": f"{marker} Dowody {slug}".strip(),
        "notes": f"{marker} Notatka".strip(), "consultant_notes": f"{marker} Notatka konsultanta".strip(),
    }, actor=actor, consultant=True)
    entry = services.save_support_entry(None, {
        "held_on": date(2019, 3, 1), "form": "workshop", "topic": f"{marker} Warsztat {slug}".strip(),
        "hours": 4, "rops_staff": 2, "committee_members": 1, "planners": 0,
    }, [item.id], actor=actor)
    issue = db.session.scalar(select(AdvocacyIssue).order_by(AdvocacyIssue.id))
    return {
        "diagnosis_id": diagnosis.id,
        "diagnosis_item_id": item.id,
        "support_entry_id": entry.id,
        "advocacy_issue_id": issue.id,
        "comparison_part": "owes",
    }
