"""Recipients' delivery preferences: immediately, daily or weekly digest, or off."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from coordination import audit
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.kinds import KINDS
from coordination.notifications.models import NotificationPreference


def set_preferences(email: str, choices: dict[str, str], *, actor=None) -> dict[str, list]:
    """Store ``{kind: mode}`` for ``email``; returns ``{kind: [old, new]}`` of what changed.

    Mandatory kinds cannot be turned off; kinds that are not digestible cannot be digested.
    Nothing is stored when any choice is invalid.
    """
    for name, mode in choices.items():
        kind = KINDS.get(name)
        if kind is None or kind.internal:
            raise DomainError(_("Unknown kind of notification."), field=name)
        if mode not in kind.modes:
            raise DomainError(_("This option is not available for %(kind)s.", kind=kind.label), field=name)
    rows = {p.kind: p for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.email == email))}
    diff: dict[str, list] = {}
    for name, mode in choices.items():
        row = rows.get(name)
        old = row.mode if row is not None else "immediate"
        if old == mode:
            continue
        diff[name] = [old, mode]
        if row is None:
            db.session.add(NotificationPreference(email=email, kind=name, mode=mode))
        else:
            row.mode = mode
    if diff:
        audit.record("notification.preferences", actor=actor, tenant_id=None,
                     summary={"email": email, **diff})
        db.session.commit()
    return diff


def unsubscribe(email: str, kind_name: str) -> bool:
    """Turn an optional kind off for ``email`` (from the e-mail link); False if not allowed."""
    kind = KINDS.get(kind_name)
    if kind is None or "off" not in kind.modes:
        return False
    set_preferences(email, {kind_name: "off"})
    return True
