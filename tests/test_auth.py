"""Accounts: login, throttling, session versions, password change and reset by e-mail."""

from __future__ import annotations

import contextlib
import re
import socket
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.clock import utcnow
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
    # a person of one region lands on the region's home (their meetings and surveys)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/wielkopolskie/"


def test_htmx_invalid_login_is_422_fragment(app, csrf_off):
    r = _login(app.test_client(), "", "", headers={"HX-Request": "true"})
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "<html" not in body and "Prosimy podać adres e-mail." in body
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


@contextlib.contextmanager
def smtp_unreachable(app):
    """MAIL_PORT pointed at a closed port (Flask-Mailman keeps its own copy: both change)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]  # nothing listens there once the socket is closed
    state = app.extensions["mailman"]
    saved = app.config["MAIL_PORT"], state.port
    app.config["MAIL_PORT"] = state.port = closed
    try:
        yield
    finally:
        app.config["MAIL_PORT"], state.port = saved


def _send_queue(app, **kwargs):
    """Run the notification queue once, as the scheduler does."""
    from coordination.notifications import services as notify

    with app.app_context():
        out = notify.send_due(**kwargs)
        db.session.remove()
    return out


def _links(smtp):
    return [re.search(r"https?://\S+/haslo/reset/\S+", body).group(0) for body in smtp.bodies()]


def test_password_reset_by_email(app, make_user, smtp, csrf_off):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    r = client.post("/haslo/reset", data={"email": "k@example.org"},
                    headers={"Host": "evil.example.com"})
    assert r.status_code == 303
    assert smtp.messages == []  # nothing is sent inside the request: the queue sends it
    assert _send_queue(app) == {"sent": 1}
    assert len(smtp.messages) == 1
    [link] = _links(smtp)
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
    _send_queue(app)
    assert smtp.messages == []


def test_reset_answers_the_same_for_known_and_unknown_accounts_with_smtp_down(
        app, make_user, smtp, csrf_off):
    make_user("k@example.org", "coordinator")
    with smtp_unreachable(app):
        known = app.test_client().post("/haslo/reset", data={"email": "k@example.org"})
        unknown = app.test_client().post("/haslo/reset", data={"email": "nikt@example.org"})
        # SMTP down when the scheduler tries: the message waits in the queue for a retry
        assert _send_queue(app) == {"retry": 1}
    assert (known.status_code, known.headers["Location"]) == (unknown.status_code, unknown.headers["Location"]) \
        == (303, "/login")
    assert smtp.messages == []
    assert _send_queue(app, now=utcnow() + timedelta(hours=1)) == {"sent": 1}


def test_a_new_reset_link_ends_the_earlier_ones(app, make_user, smtp, csrf_off, pinned_clock):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    client.post("/haslo/reset", data={"email": "k@example.org"})
    _send_queue(app)
    client.post("/haslo/reset", data={"email": "k@example.org"})
    _send_queue(app)
    first, second = _links(smtp)
    base = "https://sieci.example.org"
    assert client.get(first.replace(base, "")).status_code == 302  # ended by the second one
    assert client.get(second.replace(base, "")).status_code == 200


def test_reset_requested_twice_before_sending_sends_only_the_newest(app, make_user, smtp, csrf_off):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    client.post("/haslo/reset", data={"email": "k@example.org"})
    client.post("/haslo/reset", data={"email": "k@example.org"})
    assert _send_queue(app) == {"skipped": 1, "sent": 1}
    [link] = _links(smtp)
    assert client.get(link.replace("https://sieci.example.org", "")).status_code == 200


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
    assert r.headers["Location"] == "/wielkopolskie/"


def test_absolute_url_outside_a_request(app):
    from coordination.auth.services import absolute_url

    with app.app_context():
        assert absolute_url("tenant.home", tenant="lodzkie") == "https://sieci.example.org/lodzkie/"
        assert absolute_url("auth.reset_password", token="abc").endswith("/haslo/reset/abc")


@pytest.fixture
def strict_limits(app):
    app.config.update(LOGIN_RATE_LIMIT="10 per minute", LOGIN_RATE_LIMIT_ADDRESS="50 per minute")
    limiter.reset()
    yield
    app.config.update(LOGIN_RATE_LIMIT="10000 per minute", LOGIN_RATE_LIMIT_ADDRESS="10000 per minute")
    limiter.reset()


def _from(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_failures_from_one_address_do_not_lock_out_the_victim(app, make_user, csrf_off, strict_limits):
    make_user("ofiara@example.org", "coordinator")
    attacker = app.test_client()
    codes = [_login(attacker, "ofiara@example.org", "zle", **_from("203.0.113.7")).status_code
             for _ in range(11)]
    assert codes[:10] == [422] * 10 and codes[10] == 429
    # the right password from the attacker's address is refused too, from another address it works
    assert _login(app.test_client(), "ofiara@example.org", **_from("203.0.113.7")).status_code == 429
    assert _login(app.test_client(), "ofiara@example.org", **_from("198.51.100.2")).status_code == 303


def test_successful_logins_do_not_count(app, make_user, csrf_off, strict_limits):
    make_user("k@example.org", "coordinator")
    for _ in range(15):
        assert _login(app.test_client(), "k@example.org", **_from("198.51.100.2")).status_code == 303


def test_address_limit_spans_accounts(app, make_user, csrf_off, strict_limits):
    app.config["LOGIN_RATE_LIMIT_ADDRESS"] = "20 per minute"
    client = app.test_client()
    codes = [_login(client, f"osoba{i}@example.org", "zle", **_from("203.0.113.9")).status_code
             for i in range(21)]
    assert codes[:20] == [422] * 20 and codes[20] == 429
    assert _login(client, "inna@example.org", "zle", **_from("198.51.100.3")).status_code == 422


def test_forwarded_for_is_ignored_without_a_configured_proxy(app, make_user, csrf_off, strict_limits):
    make_user("k@example.org", "coordinator")
    client = app.test_client()
    for i in range(10):  # a client cannot escape the limit by inventing addresses
        _login(client, "k@example.org", "zle", headers={"X-Forwarded-For": f"10.0.0.{i}"})
    assert _login(client, "k@example.org", headers={"X-Forwarded-For": "10.9.9.9"}).status_code == 429


def test_forwarded_for_is_honoured_through_proxy_hops(database_url, smtp):
    from coordination import create_app

    proxied = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": database_url,
                          "PROXY_HOPS": 1})
    seen = {}

    @proxied.get("/_whoami")
    def _whoami():
        from flask import request
        seen["addr"] = request.remote_addr
        return "ok"

    proxied.test_client().get("/_whoami", headers={"X-Forwarded-For": "192.0.2.1, 198.51.100.5"},
                              environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen["addr"] == "198.51.100.5"  # one hop: the address the proxy saw


def test_csrf_tokens_expire_with_the_session_lifetime(app, make_user, monkeypatch):
    from itsdangerous import TimestampSigner

    assert app.config["WTF_CSRF_TIME_LIMIT"] == app.config["PERMANENT_SESSION_LIFETIME"] == 12 * 3600
    make_user("k@example.org", "coordinator")
    issued = TimestampSigner.get_timestamp

    def login_later(seconds):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: issued(self) + seconds)
        try:
            return client.post("/login", data={"email": "k@example.org", "password": PASSWORD,
                                               "csrf_token": token})
        finally:
            monkeypatch.setattr(TimestampSigner, "get_timestamp", issued)

    assert login_later(11 * 3600).status_code == 303
    late = login_later(12 * 3600 + 60)
    assert late.status_code == 400 and "Sesja wygasła" in late.get_data(as_text=True)


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
