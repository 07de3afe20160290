"""Reads for working-group pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from coordination.extensions import db
from coordination.pagination import paged
from workgroups.models import Group

KIND_LABELS = {
    "promotion": _l("Promotion"),
    "reintegration": _l("Reintegration"),
    "education": _l("Education and animation"),
    "business": _l("Business and networking"),
    "committee": _l("Regional Committee"),
    "custom": _l("Other group"),
}

STATUS_LABELS = {
    "active": lazy_pgettext("group status", "active"),
    "closed": lazy_pgettext("group status", "closed"),
}


def groups_page(page: int, per_page: int):
    """Groups of the current tenant, committee first, then by name."""
    return paged(select(Group).order_by(Group.kind != "committee", Group.name), page, per_page)


def home_panel(tenant) -> dict:
    groups = db.session.scalars(select(Group).where(Group.status == "active")
                                .order_by(Group.kind != "committee", Group.name).limit(10)).all()
    return {"template": "workgroups/_home_panel.html", "groups": groups}
