"""Walk every rule of ``app.url_map`` × role × own/foreign tenant.

Every endpoint must be classified in ``ROUTES`` (a new route that is not fails this test).
Expectations per access level:

* own tenant: the role gets the page (200), a redirect to login (anonymous), 403 (sees the
  tenant but may not do this) or 404 (does not see the tenant);
* foreign tenant (the region the role has no membership in) and *mixed* URLs (own slug with
  another region's object id): 404 for every logged-in role without national rights, login
  redirect for anonymous, and the foreign region's marker text never appears in the body.
"""

from __future__ import annotations

import pytest

from coordination.auth.models import User
from coordination.extensions import db
from tests.isolation.levels import (
    POST_ONLY,
    ROLES,
    foreign_status,
    mixed_status,
    own_status,
)
from tests.isolation.world import FOREIGN, MARKER, OWN, all_routes, build_url, build_world

ROUTES = all_routes()
#: kept for modules that import the URL builder from here (it lives in world.py now).
_build = build_url


@pytest.fixture
def world(app, tenants, make_user):
    """Users of the own region, a coordinator in the foreign one, objects of every module."""
    return build_world(app, tenants, make_user)


def test_every_rule_is_classified(app):
    unclassified = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ROUTES))
    assert not unclassified, f"classify these routes in their module's manifest: {unclassified}"
    stale = sorted(set(ROUTES) - {r.endpoint for r in app.url_map.iter_rules()})
    assert not stale, f"routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, world, login, role):
    users, objects = world
    client = app.test_client()
    if role != "anonymous":
        login(client, users[role])
    failures = []
    for rule in app.url_map.iter_rules():
        level = ROUTES[rule.endpoint]
        if level == POST_ONLY or "GET" not in rule.methods:
            continue
        tenant_rule = "tenant" in rule.arguments
        own_url = build_url(rule, OWN, objects[OWN])
        r = client.get(own_url)
        if r.status_code not in own_status(level, role):
            failures.append(f"own {own_url} as {role}: {r.status_code}")
        if not tenant_rule:
            continue
        # foreign region, its own objects
        foreign_url = build_url(rule, FOREIGN, objects[FOREIGN])
        r = client.get(foreign_url)
        if r.status_code not in foreign_status(level, role):
            failures.append(f"foreign {foreign_url} as {role}: {r.status_code}")
        if role not in ("national", "admin") and MARKER in r.get_data(as_text=True):
            failures.append(f"foreign {foreign_url} as {role}: marker leaked")
        # own region slug with the foreign region's object ids
        if len(rule.arguments) > 1:
            mixed_url = build_url(rule, OWN, objects[FOREIGN])
            r = client.get(mixed_url)
            expected = mixed_status(level, role)
            if r.status_code not in expected:
                failures.append(f"mixed {mixed_url} as {role}: {r.status_code}")
            if MARKER in r.get_data(as_text=True):
                failures.append(f"mixed {mixed_url} as {role}: marker leaked")
        # writes to a foreign region answer 404 too (CSRF off to reach the guard)
        if "POST" in rule.methods and role not in ("national", "admin", "anonymous"):
            app.config["WTF_CSRF_ENABLED"] = False
            try:
                r = client.post(foreign_url, data={})
            finally:
                app.config["WTF_CSRF_ENABLED"] = True
            if r.status_code != 404:
                failures.append(f"POST foreign {foreign_url} as {role}: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_user_objects_are_not_tenant_objects(app, world):
    """Sanity: the world really has objects in both regions."""
    _users, objects = world
    assert objects[OWN]["group_id"] != objects[FOREIGN]["group_id"]
    with app.app_context():
        assert db.session.query(User).count() >= 6
