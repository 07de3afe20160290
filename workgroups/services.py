"""Working-group state changes."""

from __future__ import annotations

from sqlalchemy import select

from coordination import audit
from coordination.extensions import db
from workgroups.models import GROUP_KINDS, Group


def ensure_group(name: str, kind: str, description: str | None = None, *, actor=None, **extra) -> Group:
    """Create the group ``name`` in the current tenant unless it exists (idempotent)."""
    if kind not in GROUP_KINDS:
        raise ValueError(f"unknown group kind {kind!r}")
    group = db.session.scalar(select(Group).where(Group.name == name))
    if group is None:
        group = Group(name=name, kind=kind, description=description, **extra)
        db.session.add(group)
        db.session.flush()
        audit.record("group.create", actor=actor, obj=group, summary={"name": name, "kind": kind})
        db.session.commit()
    return group
