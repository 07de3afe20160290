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

import re

import pytest

from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.tenancy import tenant_context

OWN, FOREIGN = "wielkopolskie", "lodzkie"
MARKER = "ZNACZNIK-OBCY-REGION"
ROLES = ("anonymous", "member", "coordinator", "owes", "national", "admin")

# access levels
PUBLIC = "public"            # anyone, 200
ANON_FORM = "anon_form"      # login form: anonymous 200, logged in redirect
AUTH = "auth"                # any logged-in user
TENANT_PUBLIC = "tenant_public"  # tenant page readable by anyone, private parts hidden
TENANT_VIEW = "tenant_view"  # members of the tenant, national, admin
TENANT_MANAGE = "tenant_manage"  # coordinator of the tenant, admin
NATIONAL = "national"
ADMIN = "admin"
REDIRECT = "redirect"        # always redirects (switchers, invalid token)
POST_ONLY = "post_only"      # no GET; covered by the CSRF test

ROUTES: dict[str, str] = {
    "static": PUBLIC,
    "core.index": PUBLIC,
    "core.healthz": PUBLIC,
    "core.accessibility": PUBLIC,
    "core.switch_region": REDIRECT,
    "core.set_language": POST_ONLY,
    "auth.login": ANON_FORM,
    "auth.logout": POST_ONLY,
    "auth.account": AUTH,
    "auth.change_password": AUTH,
    "auth.request_reset": PUBLIC,
    "auth.reset_password": REDIRECT,
    "admin.users": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.audit_log": ADMIN,
    "national.overview": NATIONAL,
    "tenant.home": TENANT_PUBLIC,
    "tenant.settings": TENANT_MANAGE,
    "tenant.users": TENANT_MANAGE,
    "tenant.user_edit": TENANT_MANAGE,
    "tenant.user_remove": TENANT_MANAGE,
    "tenant.audit_log": TENANT_MANAGE,
    "tenant.workgroups.group_list": TENANT_VIEW,
    "tenant.workgroups.group_detail": TENANT_VIEW,
}


def own_status(level: str, role: str) -> set[int]:
    anon = role == "anonymous"
    if level == PUBLIC:
        return {200}
    if level == TENANT_PUBLIC:
        return {200}
    if level == REDIRECT:
        return {302}
    if level == ANON_FORM:
        return {200} if anon else {302}
    if anon:
        return {302}
    if level == AUTH:
        return {200}
    if level == TENANT_VIEW:
        return {200}
    if level == TENANT_MANAGE:
        return {200} if role in ("coordinator", "admin") else {403}
    if level == NATIONAL:
        return {200} if role in ("national", "admin") else {404}
    if level == ADMIN:
        return {200} if role == "admin" else {404}
    raise AssertionError(level)


def foreign_status(level: str, role: str) -> set[int]:
    """Status for the foreign region's URL (role has no membership there)."""
    if role in ("national", "admin"):
        return own_status(level, role)
    if role == "anonymous":
        return own_status(level, role)
    if level in (TENANT_VIEW, TENANT_MANAGE):
        return {404}
    return own_status(level, role)


@pytest.fixture
def world(app, tenants, make_user, make_group):
    """Users of the own region, a coordinator and a marked group in the foreign region."""
    users = {
        "member": make_user("m@example.org", "member", OWN),
        "coordinator": make_user("k@example.org", "coordinator", OWN),
        "owes": make_user("o@example.org", "owes", OWN),
        "national": make_user("n@example.org", national=True),
        "admin": make_user("a@example.org", admin=True),
    }
    foreign_coord = make_user("obcy@example.org", "coordinator", FOREIGN, name=f"{MARKER} Koordynator")
    objects = {
        OWN: {"group_id": make_group("Grupa własna", OWN)},
        FOREIGN: {"group_id": make_group(f"{MARKER} grupa", FOREIGN)},
    }
    with app.app_context():
        from sqlalchemy import select

        for slug in (OWN, FOREIGN):
            with tenant_context(tenants[slug]):
                objects[slug]["membership_id"] = db.session.scalar(
                    select(Membership.id).where(Membership.user_id.in_(
                        [users["coordinator"], foreign_coord])))
        objects[OWN]["user_id"] = users["member"]
        objects[FOREIGN]["user_id"] = foreign_coord
        db.session.remove()
    for slug in (OWN, FOREIGN):
        objects[slug]["token"] = "nieprawidlowy-token"
        objects[slug]["filename"] = "css/app.css"
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
        path = re.sub(r"<(?:[^:<>]+:)?%s>" % key, str(value), path)
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
            expected = {302} if role == "anonymous" else {404}
            if level == TENANT_MANAGE and role in ("member", "owes", "national"):
                expected = {403, 404}
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
