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

import importlib
import pkgutil
import re

import pytest

from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests import isolation
from tests.isolation.levels import (
    POST_ONLY,
    ROLES,
    foreign_status,
    mixed_status,
    own_status,
)

OWN, FOREIGN = "wielkopolskie", "lodzkie"
MARKER = "ZNACZNIK-OBCY-REGION"


def _modules():
    for info in pkgutil.iter_modules(isolation.__path__):
        if info.name.startswith("routes_"):
            yield importlib.import_module(f"tests.isolation.{info.name}")


def all_routes() -> dict:
    routes: dict = {}
    for module in _modules():
        overlap = set(routes) & set(module.ROUTES)
        assert not overlap, f"classified twice: {overlap}"
        routes.update(module.ROUTES)
    return routes


ROUTES = all_routes()


@pytest.fixture
def world(app, tenants, make_user):
    """Users of the own region, a coordinator in the foreign one, objects of every module."""
    users = {
        "member": make_user("m@example.org", "member", OWN),
        "coordinator": make_user("k@example.org", "coordinator", OWN),
        "owes": make_user("o@example.org", "owes", OWN),
        "national": make_user("n@example.org", national=True),
        "admin": make_user("a@example.org", admin=True),
    }
    users["foreign_coordinator"] = make_user("obcy@example.org", "coordinator", FOREIGN,
                                             name=f"{MARKER} Koordynator")
    objects = {OWN: {}, FOREIGN: {}}
    with app.app_context():
        for slug in (OWN, FOREIGN):
            marker = MARKER if slug == FOREIGN else ""
            for module in _modules():
                with tenant_context(tenants[slug]):
                    objects[slug].update(module.build_objects(slug, marker, users))
                    db.session.commit()
        db.session.remove()
    return users, objects


def _build(rule, slug, objects_for_ids):
    values = {}
    for arg in rule.arguments:
        if arg == "tenant":
            values[arg] = slug
        else:
            values[arg] = objects_for_ids[arg]
    path = rule.rule
    for key, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{key}>", str(value), path)
    return path


def test_every_rule_is_classified(app):
    unclassified = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(ROUTES))
    assert not unclassified, f"classify these routes in tests/isolation: {unclassified}"
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
        own_url = _build(rule, OWN, objects[OWN])
        r = client.get(own_url)
        if r.status_code not in own_status(level, role):
            failures.append(f"own {own_url} as {role}: {r.status_code}")
        if not tenant_rule:
            continue
        # foreign region, its own objects
        foreign_url = _build(rule, FOREIGN, objects[FOREIGN])
        r = client.get(foreign_url)
        if r.status_code not in foreign_status(level, role):
            failures.append(f"foreign {foreign_url} as {role}: {r.status_code}")
        if role not in ("national", "admin") and MARKER in r.get_data(as_text=True):
            failures.append(f"foreign {foreign_url} as {role}: marker leaked")
        # own region slug with the foreign region's object ids
        if len(rule.arguments) > 1:
            mixed_url = _build(rule, OWN, objects[FOREIGN])
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
