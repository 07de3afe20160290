"""Accounts: login, throttling, session versions, password change and reset by e-mail."""

from __future__ import annotations

import re

from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.extensions import db, limiter
from tests.conftest import PASSWORD


def _login(client, email, password=PASSWORD, **kw):
    return client.post("/login", data={"email": email, "password": password}, **kw)


def test_login_and_logout(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    r = _login(client, "K@Example.org ")
    assert r.status_code == 303
    assert client.get("/konto/").status_code == 200
    r = client.post("/logout")
    assert r.status_code == 303
    assert client.get("/konto/").status_code == 302


def test_wrong_password_re_renders_with_polish_error(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    r = _login(app.test_client(), "k@example.org", "zle-haslo")
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Nieprawidłowy e-mail lub hasło." in body
    assert 'value="k@example.org"' in body  # nothing typed is lost


def test_htmx_login_redirects_with_header(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    r = _login(app.test_client(), "k@example.org", headers={"HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/"


def test_htmx_invalid_login_is_422_fragment(app, csrf_off):
    r = _login(app.test_client(), "", "", headers={"HX-Request": "true"})
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "<html" not in body and "Podaj adres e-mail." in body
    assert "HX-Request" in r.headers.get("Vary", "")


def test_logout_invalidates_old_cookie(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    first = app.test_client()
    _login(first, "k@example.org")
    stolen = first.get_cookie("session").value
    first.post("/logout")
    other = app.test_client()
    other.set_cookie("session", stolen)
    assert other.get("/konto/").status_code == 302


def test_password_change_invalidates_other_sessions(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    a, b = app.test_client(), app.test_client()
    _login(a, "k@example.org")
    _login(b, "k@example.org")
    r = a.post("/konto/haslo", data={"current_password": PASSWORD, "new_password": "nowe-haslo-456",
                                     "confirm": "nowe-haslo-456"})
    assert r.status_code == 303
    assert a.get("/konto/").status_code == 200  # this browser stays logged in
    assert b.get("/konto/").status_code == 302  # the other one is logged out
    assert _login(app.test_client(), "k@example.org", "nowe-haslo-456").status_code == 303


def test_password_change_validation(app, make_user, login, csrf_off):
    uid = make_user("k@example.org", "coordinator")
    client = login(app.test_client(), uid)
    r = client.post("/konto/haslo", data={"current_password": "zle", "new_password": "krotkie",
                                          "confirm": "inne"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Hasło musi mieć co najmniej 10 znaków." in body
    assert "Hasła nie są takie same." in body


def test_password_reset_by_email(app, make_user, smtp, csrf_off):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    r = client.post("/haslo/reset", data={"email": "k@example.org"},
                    headers={"Host": "evil.example.com"})
    assert r.status_code == 303
    assert len(smtp.messages) == 1
    body = smtp.bodies()[0]
    link = re.search(r"https?://\S+", body).group(0)
    assert link.startswith("https://sieci.example.org/haslo/reset/"), link  # BASE_URL, not Host
    path = link.replace("https://sieci.example.org", "")
    assert client.get(path).status_code == 200
    r = client.post(path, data={"new_password": "calkiem-nowe-1", "confirm": "calkiem-nowe-1"})
    assert r.status_code == 303
    assert _login(app.test_client(), "k@example.org", "calkiem-nowe-1").status_code == 303
    # the link works once
    assert client.get(path).status_code == 302


def test_reset_for_unknown_email_sends_nothing_and_says_the_same(app, smtp, csrf_off):
    r = app.test_client().post("/haslo/reset", data={"email": "nikt@example.org"}, follow_redirects=True)
    assert "Jeśli konto z tym adresem istnieje" in r.get_data(as_text=True)
    assert smtp.messages == []


def test_login_is_throttled_with_polish_message(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    limiter.reset()
    try:
        client = app.test_client()
        codes = [_login(client, "k@example.org", "zle").status_code for _ in range(12)]
        assert 429 in codes
        r = _login(client, "k@example.org", "zle")
        assert r.status_code == 429
        assert "Zbyt wiele prób logowania" in r.get_data(as_text=True)
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "10000 per minute"
        limiter.reset()


def test_deactivated_account_cannot_log_in(app, make_user, csrf_off):
    uid = make_user("k@example.org", "coordinator")
    with app.app_context():
        db.session.get(User, uid).active = False
        db.session.commit()
    assert _login(app.test_client(), "k@example.org").status_code == 422


def test_login_is_audited(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    _login(app.test_client(), "k@example.org")
    with app.app_context():
        actions = db.session.scalars(select(AuditLog.action)).all()
    assert "auth.login" in actions


def test_open_redirect_is_refused(app, make_user, csrf_off):
    make_user("k@example.org", "coordinator")
    r = app.test_client().post("/login?next=//evil.example.com/x",
                               data={"email": "k@example.org", "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_absolute_url_outside_a_request(app):
    from coordination.auth.services import absolute_url

    with app.app_context():
        assert absolute_url("tenant.home", tenant="lodzkie") == "https://sieci.example.org/lodzkie/"
        assert absolute_url("auth.reset_password", token="abc").endswith("/haslo/reset/abc")


def test_production_config_hashes_passwords_with_scrypt(tmp_path, monkeypatch):
    """The cheap test hash never reaches an installation: without ``TESTING`` the method is
    Werkzeug's scrypt, and a password set there is stored as scrypt."""
    from coordination import create_app
    from coordination.auth.services import hash_password

    monkeypatch.delenv("SIECES_PASSWORD_HASH_METHOD", raising=False)
    monkeypatch.delenv("SIECES_TESTING", raising=False)
    production = create_app({"SECRET_KEY": "not-the-default",
                             "DATABASE_URL": "sqlite:///" + str(tmp_path / "prod.sqlite")})
    assert not production.config["TESTING"]
    assert production.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with production.app_context():
        assert hash_password("x").startswith("scrypt:")


def test_tests_use_a_cheap_hash_that_still_verifies(app, make_user):
    from werkzeug.security import check_password_hash

    from coordination.config import TEST_PASSWORD_HASH_METHOD

    assert app.config["PASSWORD_HASH_METHOD"] == TEST_PASSWORD_HASH_METHOD == "pbkdf2:sha256:1"
    uid = make_user("k@example.org", "coordinator")
    with app.app_context():
        stored = db.session.get(User, uid).password_hash
        db.session.remove()
    assert stored.startswith("pbkdf2:sha256:1$") and check_password_hash(stored, PASSWORD)
