"""Every ORM relationship refuses to lazy-load, so an N+1 cannot sneak into a page."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError

from coordination.auth.models import Membership
from coordination.extensions import db
from coordination.tenancy import tenant_context

#: lazy strategies that never emit SQL on attribute access.
RAISING = ("raise", "raise_on_sql")
#: "Model.attribute" -> reason, for a relationship that must load some other way. Keep it empty
#: unless there is a real reason (e.g. an always-needed, bounded collection loaded "selectin").
ALLOWED: dict[str, str] = {}


def _relationships():
    for mapper in db.Model.registry.mappers:
        for rel in mapper.relationships:
            yield f"{mapper.class_.__name__}.{rel.key}", rel


def test_every_relationship_is_lazy_raise(app):
    found = dict(_relationships())
    assert found, "no relationships found: the check would be vacuous"
    offenders = [f"{key}: lazy={rel.lazy!r}" for key, rel in sorted(found.items())
                 if rel.lazy not in RAISING and key not in ALLOWED]
    assert not offenders, ("declare these relationships lazy='raise' (load what a page needs "
                           "in its query) or allow-list them with a reason:\n" + "\n".join(offenders))
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"allow-listed relationships that no longer exist: {stale}"


def test_lazy_access_raises(app, tenants, make_user):
    """The strategy really is in force: touching an unloaded relationship raises."""
    make_user("lazy@example.org", "member", "opolskie")
    with app.app_context(), tenant_context(tenants["opolskie"]):
        membership = db.session.scalar(select(Membership))
        with pytest.raises(InvalidRequestError, match="lazy='raise'"):
            _ = membership.user
        db.session.remove()
