"""CSRF on every state-changing rule; GET never changes state."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.audit import AuditLog
from coordination.extensions import db
from tests.isolation.world import FOREIGN, OWN
from tests.isolation.world import build_url as _build

STATE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_state_changing_rule_requires_the_token(app, make_user, login, tenants, make_group):
    uid = make_user("a@example.org", admin=True)
    objects = {"group_id": make_group("G", OWN), "membership_id": 1, "user_id": uid,
               "token": "x", "filename": "css/app.css"}
    client = login(app.test_client(), uid)
    checked = 0
    for rule in app.url_map.iter_rules():
        methods = STATE_METHODS & set(rule.methods)
        if not methods:
            continue
        values = {a: objects.get(a, 1) for a in rule.arguments}
        url = _build(rule, OWN, values)
        for method in methods:
            r = client.open(url, method=method, data={})
            assert r.status_code == 400, f"{method} {url} answered {r.status_code} without a CSRF token"
            assert "Sesja wygasła" in r.get_data(as_text=True)
            checked += 1
    assert checked >= 8


def test_htmx_csrf_failure_asks_for_refresh(app):
    r = app.test_client().post("/jezyk", data={"lang": "en"}, headers={"HX-Request": "true"})
    assert r.status_code == 400 and r.headers["HX-Refresh"] == "true"


def test_token_from_page_is_accepted(app):
    client = app.test_client()
    body = client.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    r = client.post("/jezyk", data={"lang": "en", "csrf_token": token, "next": "/login"})
    assert r.status_code == 303
    # and via the header htmx sends (hx-headers on <body>)
    r = client.post("/jezyk", data={"lang": "pl"}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/"


def test_get_requests_change_nothing(app, make_user, login, make_group):
    """Walk every GET rule as an admin: no audit entry, no row count changes."""
    uid = make_user("a@example.org", admin=True)
    gid = make_group("G", OWN)
    client = login(app.test_client(), uid)

    def counts():
        with app.app_context():
            from coordination.tenancy import all_tenants

            with all_tenants():
                return {t.name: db.session.scalar(select(func.count()).select_from(t))
                        for t in db.metadata.sorted_tables}

    before = counts()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        known = {"group_id": gid, "membership_id": 1, "user_id": uid, "token": "x"}
        values = {a: known.get(a, 1) for a in rule.arguments}
        for slug in (OWN, FOREIGN):
            client.get(_build(rule, slug, values))
    after = counts()
    assert before == after
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditLog.id))) == before["audit_log"]
