"""Isolation-test objects of the SIRES module (national)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coordination.auth.models import User
from coordination.extensions import db
from national import services
from national.models import AdvocacyIssue, DiagnosisItem


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
        "hours": 4, "rops_staff": f"{marker} Anna Nowak\nJan Mazur".strip(),
        "committee_members": "Ewa Król", "planners": "",
    }, [item.id], actor=actor)
    issue = db.session.scalar(select(AdvocacyIssue).order_by(AdvocacyIssue.id))
    return {
        "diagnosis_id": diagnosis.id,
        "diagnosis_item_id": item.id,
        "support_entry_id": entry.id,
        "advocacy_issue_id": issue.id,
        "comparison_part": "owes",
    }
