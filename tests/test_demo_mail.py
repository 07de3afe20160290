"""Demo mode: the mail sink's files, the administrator's page "Poczta wysłana w trybie
demonstracyjnym", and the refusal to start with the built-in SECRET_KEY outside demo mode."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from coordination import create_app
from coordination.config import DEFAULT_SECRET_KEY, InsecureConfiguration
from coordination.demo_mail import MailSink, messages_page, read_message, start_sink
from tests.conftest import _free_port


def _message(to: str, subject: str, body: str, attachment: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Sieć ES <no-reply@example.org>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    msg.add_alternative(f"<p>{body}</p>", subtype="html")
    if attachment:
        msg.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", maintype="text", subtype="calendar",
                           filename=attachment)
    return msg.as_bytes()


@pytest.fixture
def demo(app, tmp_path, monkeypatch):
    """Demo mode on for the session app, with an empty sink folder; returns the sink."""
    monkeypatch.setitem(app.config, "DEMO", True)
    monkeypatch.setitem(app.config, "DEMO_MAIL_DIR", str(tmp_path / "demo-mail"))
    return MailSink(tmp_path / "demo-mail")


@pytest.fixture
def users(make_user):
    return {
        "admin": make_user("admin@example.org", admin=True),
        "national": make_user("krajowy@example.org", national=True),
        "coordinator": make_user("koordynator@example.org", "coordinator"),
        "member": make_user("czlonek@example.org", "member"),
    }


def _client(app, login, users, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, users[role])
    return client


def test_sink_keeps_messages_sent_over_smtp(tmp_path):
    port = _free_port()
    controller = start_sink(tmp_path, port)
    try:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.sendmail("no-reply@example.org", ["a@example.org", "b@example.org"],
                          _message("a@example.org", "Zaproszenie na posiedzenie", "Treść", "posiedzenie.ics"))
    finally:
        controller.stop()
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert not list(tmp_path.glob(".*.tmp"))
    items, total = messages_page(1, 10, folder=str(tmp_path))
    assert total == 1
    assert items[0].recipient == "a@example.org, b@example.org"
    assert items[0].subject == "Zaproszenie na posiedzenie"
    detail = read_message(str(tmp_path), items[0].id)
    assert detail.body.strip() == "Treść"
    assert detail.attachments == ["posiedzenie.ics"]


def test_page_lists_messages_in_warsaw_time(app, login, users, demo, pinned_clock):
    pinned_clock.set(datetime(2026, 11, 18, 9, 0, tzinfo=UTC))
    demo.store(["anna@example.org"], _message("anna@example.org", "Przypomnienie o posiedzeniu", "Jutro."))
    r = _client(app, login, users, "admin").get("/admin/poczta-demo")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Poczta wysłana w trybie demonstracyjnym" in html
    assert "anna@example.org" in html
    assert "Przypomnienie o posiedzeniu" in html
    # pinned at 09:00 UTC on 18 November = 10:00 in Warsaw (CET)
    assert "18 listopada 2026, 10:00" in html


def test_message_detail_shows_escaped_text_and_attachments(app, login, users, demo):
    path = demo.store(["anna@example.org"], _message(
        "anna@example.org", "Zaproszenie", "Uwaga <script>alert(1)</script> & więcej", "posiedzenie.ics"))
    client = _client(app, login, users, "admin")
    r = client.get(f"/admin/poczta-demo/{path.stem}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "Uwaga &lt;script&gt;alert(1)&lt;/script&gt; &amp; więcej" in html
    assert "posiedzenie.ics" in html
    assert "no-reply@example.org" in html
    assert client.get("/admin/poczta-demo/20261118T090000000000Z-00000000").status_code == 404
    assert client.get("/admin/poczta-demo/..%2Fsieci").status_code == 404


def test_empty_state(app, login, users, demo):
    r = _client(app, login, users, "admin").get("/admin/poczta-demo")
    assert r.status_code == 200
    assert "Nie wysłano jeszcze żadnej wiadomości" in r.get_data(as_text=True)


def test_pagination_newest_first(app, login, users, demo, pinned_clock, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 3)
    for i in range(7):
        pinned_clock.advance(minutes=1)
        demo.store([f"osoba{i}@example.org"], _message(f"osoba{i}@example.org", f"Wiadomość {i}", "…"))
    client = _client(app, login, users, "admin")
    first = client.get("/admin/poczta-demo").get_data(as_text=True)
    assert "Wiadomość 6" in first and "Wiadomość 4" in first and "Wiadomość 3" not in first
    last = client.get("/admin/poczta-demo?page=3").get_data(as_text=True)
    assert "Wiadomość 0" in last and "Wiadomość 1" not in last
    assert "7 wiadomości" in first


@pytest.mark.parametrize("role", ["member", "coordinator", "national"])
def test_only_administrators_see_it(app, login, users, demo, role):
    path = demo.store(["anna@example.org"], _message("anna@example.org", "Zaproszenie", "Treść"))
    client = _client(app, login, users, role)
    assert client.get("/admin/poczta-demo").status_code == 404
    assert client.get(f"/admin/poczta-demo/{path.stem}").status_code == 404


def test_anonymous_is_sent_to_login(app, users, demo):
    r = app.test_client().get("/admin/poczta-demo")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_not_there_outside_demo_mode(app, login, users, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", False)
    monkeypatch.setitem(app.config, "DEMO_MAIL_DIR", str(tmp_path))
    path = MailSink(tmp_path).store(["anna@example.org"], _message("anna@example.org", "Zaproszenie", "Treść"))
    client = _client(app, login, users, "admin")
    assert client.get("/admin/poczta-demo").status_code == 404
    assert client.get(f"/admin/poczta-demo/{path.stem}").status_code == 404
    assert "/admin/poczta-demo" not in client.get("/admin/uzytkownicy").get_data(as_text=True)


def test_admin_accounts_page_links_to_it_in_demo_mode(app, login, users, demo):
    html = _client(app, login, users, "admin").get("/admin/uzytkownicy").get_data(as_text=True)
    assert 'href="/admin/poczta-demo"' in html


# --- SECRET_KEY -----------------------------------------------------------------------------


def _config(database_url, **extra) -> dict:
    return {"DATABASE_URL": database_url, **extra}


@pytest.mark.parametrize("key", [None, DEFAULT_SECRET_KEY, ""])
def test_refuses_to_start_with_the_builtin_secret_key(database_url, monkeypatch, key):
    monkeypatch.delenv("SIECES_SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    extra = {} if key is None else {"SECRET_KEY": key}
    with pytest.raises(InsecureConfiguration, match="SIECES_SECRET_KEY"):
        create_app(_config(database_url, **extra))


@pytest.mark.parametrize("mode", [{"DEBUG": True}, {"TESTING": True}, {"DEMO": True}])
def test_builtin_secret_key_allowed_in_debug_testing_and_demo(database_url, monkeypatch, mode):
    monkeypatch.delenv("SIECES_SECRET_KEY", raising=False)
    app = create_app(_config(database_url, **mode))
    assert app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY


def test_a_real_secret_key_starts(database_url, monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("SIECES_SECRET_KEY", "a-long-random-value-0123456789")
    app = create_app(_config(database_url))
    assert not app.config["DEMO"]
