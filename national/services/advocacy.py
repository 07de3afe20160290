"""National advocacy issues and their dated steps."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from national.models import (
    ADVOCACY_STATUSES,
    AdvocacyIssue,
    AdvocacyIssueItem,
    AdvocacyStep,
    DiagnosisItem,
)
from tenants.models import Tenant

ISSUE_FIELDS = ("title", "description", "addressee", "notes", "region_slugs")


def save_issue(issue: AdvocacyIssue | None, data: dict, *, actor) -> AdvocacyIssue:
    """Create (with a new stable code ``A.n``) or edit an issue. Status changes go through steps."""
    known = set(db.session.scalars(select(Tenant.slug)))
    slugs = sorted(set(data.get("region_slugs") or []))
    if set(slugs) - known:
        raise DomainError(_l("Unknown region."), field="region_slugs")
    clean = {
        "title": (data.get("title") or "").strip(),
        "description": (data.get("description") or "").strip() or None,
        "addressee": (data.get("addressee") or "").strip() or None,
        "notes": (data.get("notes") or "").strip() or None,
        "region_slugs": slugs,
    }
    if not clean["title"]:
        raise DomainError(_l("Enter the title."), field="title")
    item_ids = set(data.get("item_ids") or [])
    if item_ids - set(db.session.scalars(select(DiagnosisItem.id).where(DiagnosisItem.id.in_(item_ids)))):
        raise DomainError(_l("Unknown diagnosis item."), field="item_ids")
    if issue is None:
        code = (data.get("code") or "").strip()
        if not re.fullmatch(r"A\.[1-9][0-9]?", code):
            raise DomainError(_l("The code must look like A.5."), field="code")
        if db.session.scalar(select(AdvocacyIssue.id).where(AdvocacyIssue.code == code)):
            raise DomainError(_l("An issue with the code %(code)s already exists.", code=code), field="code")
        issue = AdvocacyIssue(code=code, status="identified", **clean)
        db.session.add(issue)
        db.session.flush()
        _set_items(issue, item_ids)
        audit.record("advocacy.add", actor=actor, obj=issue, tenant_id=None,
                     summary={"code": code, "title": clean["title"], "item_ids": sorted(item_ids)})
    else:
        diff = audit.changes(issue, clean)
        if "item_ids" in data:
            before = _set_items(issue, item_ids)
            if before != item_ids:
                diff["item_ids"] = [sorted(before), sorted(item_ids)]
        if diff:
            audit.record("advocacy.update", actor=actor, obj=issue, tenant_id=None, summary=diff)
    db.session.commit()
    return issue


def _set_items(issue: AdvocacyIssue, item_ids: set[int]) -> set[int]:
    """Link the issue to exactly ``item_ids``; returns the ids linked before."""
    before = set(db.session.scalars(select(AdvocacyIssueItem.item_id)
                                    .where(AdvocacyIssueItem.issue_id == issue.id)))
    if before - item_ids:
        db.session.execute(delete(AdvocacyIssueItem).where(AdvocacyIssueItem.issue_id == issue.id,
                                                           AdvocacyIssueItem.item_id.in_(before - item_ids)))
    db.session.add_all(AdvocacyIssueItem(issue_id=issue.id, item_id=i) for i in sorted(item_ids - before))
    return before


def next_statuses(issue: AdvocacyIssue) -> tuple[str, ...]:
    """Statuses a step may move the issue to: only the next one in the workflow."""
    i = ADVOCACY_STATUSES.index(issue.status)
    return ADVOCACY_STATUSES[i + 1:i + 2]


def add_step(issue: AdvocacyIssue, taken_on: date, description: str, new_status: str | None, *,
             actor) -> AdvocacyStep:
    """Record a dated step; ``new_status`` (if any) must be the next status of the workflow."""
    description = (description or "").strip()
    if not description:
        raise DomainError(_l("Describe the step."), field="description")
    if taken_on is None:
        raise DomainError(_l("Enter the date."), field="taken_on")
    new_status = new_status or None
    if new_status is not None and new_status not in next_statuses(issue):
        raise DomainError(_l("The status can only move one step forward: "
                               "identified, submitted, in dialogue, resolved."), field="new_status")
    step = AdvocacyStep(issue_id=issue.id, taken_on=taken_on, description=description,
                        new_status=new_status, created_by_id=getattr(actor, "id", None))
    db.session.add(step)
    summary = {"taken_on": taken_on, "description": description}
    if new_status:
        summary["status"] = [issue.status, new_status]
        issue.status = new_status
    db.session.flush()
    audit.record("advocacy.step", actor=actor, obj=issue, tenant_id=None, summary=summary)
    db.session.commit()
    return step
