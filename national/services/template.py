"""The national diagnosis template (areas, items) and the advocacy issues' seed."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from national.catalogue import ADVOCACY, ADVOCACY_ITEMS, TEMPLATE
from national.models import AdvocacyIssue, AdvocacyIssueItem, DiagnosisArea, DiagnosisItem

ITEM_FIELDS = ("title", "description", "active")


def ensure_template() -> int:
    """Create the areas, items and advocacy issues of seed 003 that are missing (by code).

    Idempotent: existing rows are left as they are (consultants may have edited the wording).
    Returns how many rows were created.
    """
    created = 0
    areas = {a.code: a for a in db.session.scalars(select(DiagnosisArea))}
    items = set(db.session.scalars(select(DiagnosisItem.code)))
    for a_pos, (a_code, a_title, a_items) in enumerate(TEMPLATE, start=1):
        area = areas.get(a_code)
        if area is None:
            area = DiagnosisArea(code=a_code, title=a_title, position=a_pos)
            db.session.add(area)
            db.session.flush()
            created += 1
        for i_pos, (i_code, i_title) in enumerate(a_items, start=1):
            if i_code not in items:
                db.session.add(DiagnosisItem(area_id=area.id, code=i_code, title=i_title,
                                             position=i_pos))
                created += 1
    issues = set(db.session.scalars(select(AdvocacyIssue.code)))
    new_issues = []
    for code, title, addressee in ADVOCACY:
        if code not in issues:
            issue = AdvocacyIssue(code=code, title=title, addressee=addressee, status="identified",
                                  region_slugs=[])
            db.session.add(issue)
            new_issues.append(issue)
            created += 1
    if new_issues:
        db.session.flush()
        item_ids = dict(db.session.execute(select(DiagnosisItem.code, DiagnosisItem.id)).all())
        db.session.add_all(AdvocacyIssueItem(issue_id=issue.id, item_id=item_ids[item_code])
                           for issue in new_issues for item_code in ADVOCACY_ITEMS.get(issue.code, ())
                           if item_code in item_ids)
    db.session.commit()
    return created


def update_item(item: DiagnosisItem, data: dict, *, actor) -> dict:
    """Change an item's wording or retire it; the code never changes. Returns the diff."""
    clean = {"title": data["title"].strip(), "description": (data.get("description") or "").strip() or None,
             "active": bool(data.get("active"))}
    diff = audit.changes(item, clean)
    if diff:
        audit.record("diagnosis_item.update", actor=actor, obj=item, tenant_id=None,
                     summary={"code": item.code, **diff})
        db.session.commit()
    return diff


def add_item(area: DiagnosisArea, code: str, title: str, description: str | None, *, actor) -> DiagnosisItem:
    """Add an item to an area under a new stable code such as ``III.5``."""
    code = (code or "").strip()
    if not re.fullmatch(rf"{re.escape(area.code)}\.[1-9][0-9]?", code):
        raise DomainError(_l("The code must be the area's numeral, a dot and a number, e.g. %(example)s.",
                               example=f"{area.code}.9"), field="code")
    if db.session.scalar(select(DiagnosisItem.id).where(DiagnosisItem.code == code)):
        raise DomainError(_l("An item with the code %(code)s already exists.", code=code), field="code")
    last = db.session.scalar(select(DiagnosisItem.position).where(DiagnosisItem.area_id == area.id)
                             .order_by(DiagnosisItem.position.desc()).limit(1)) or 0
    item = DiagnosisItem(area_id=area.id, code=code, title=title.strip(),
                         description=(description or "").strip() or None, position=last + 1)
    db.session.add(item)
    db.session.flush()
    audit.record("diagnosis_item.add", actor=actor, obj=item, tenant_id=None,
                 summary={"code": code, "title": item.title})
    db.session.commit()
    return item
