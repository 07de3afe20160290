"""Helpers of the performance guards: walking GET routes (the SQL counter is tests/conftest.py's)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from coordination.extensions import db
from coordination.tenancy import all_tenants
from tests.conftest import KEPT_TABLES
from tests.isolation.levels import POST_ONLY
from tests.isolation.world import OWN, all_routes, build_url, build_world

ROUTES = all_routes()


def get_rules(app):
    """Every rule answering GET that the isolation test classifies as reachable by GET."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" in rule.methods and ROUTES[rule.endpoint] != POST_ONLY and rule.endpoint != "static":
            yield rule


def own_urls(app, objects):
    """(endpoint, path) of every GET route in the own region of the isolation world."""
    return [(rule.endpoint, build_url(rule, OWN, objects[OWN])) for rule in get_rules(app)]


def wipe(app) -> None:
    """Empty every table except the regions (what tests/conftest.py does after each test)."""
    with app.app_context(), all_tenants():
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def world(app, tenants, make_user):
    return build_world(app, tenants, make_user)
