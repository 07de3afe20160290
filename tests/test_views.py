"""Shell behaviour: security headers, htmx partials, health check, tenant pages, audit."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import Membership, User
from coordination.clock import utcnow
from coordination.extensions import db
from coordination.tenancy import all_tenants
from tenants.models import Tenant
from tests.test_auth import _send_queue, smtp_unreachable


@pytest.fixture
def coordinator(app, make_user, login):
    uid = make_user("k@example.org", "coordinator", name="Kasia Koordynator")
    return uid, login(app.test_client(), uid)


def test_security_headers(app):
    r = app.test_client().get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_root_lists_16_regions(app):
    body = app.test_client().get("/").get_data(as_text=True)
    assert body.count('class="region-name"') == 16
    assert "łódzkie" in body and "Regionalne Centrum Polityki Społecznej w Łodzi" in body


def test_healthz_ok(app):
    r = app.test_client().get("/healthz")
    assert r.status_code == 200 and r.json["status"] == "ok" and r.json["db"] == "ok"


def test_healthz_reports_database_failure(database_url, smtp):
    from coordination import create_app

    broken = create_app({"TESTING": True, "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    r = broken.test_client().get("/healthz")
    assert r.status_code == 503 and r.json == {"status": "error", "db": "error"}


def test_unknown_region_is_404(app):
    assert app.test_client().get("/atlantyda/").status_code == 404


def test_partial_rendering_for_htmx(app, coordinator):
    _uid, client = coordinator
    full = client.get("/wielkopolskie/ustawienia")
    part = client.get("/wielkopolskie/ustawienia", headers={"HX-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    body = part.get_data(as_text=True)
    assert "<html" not in body and "Ustawienia regionu" in body
    assert "HX-Request" in part.headers["Vary"]
    boosted = client.get("/wielkopolskie/ustawienia", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    restore = client.get("/wielkopolskie/ustawienia",
                         headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_anonymous_htmx_request_gets_hx_redirect(app):
    r = app.test_client().get("/wielkopolskie/grupy/", headers={"HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"].startswith("/login?next=/wielkopolskie/grupy/")


def test_settings_saved_and_audited(app, coordinator, csrf_off):
    _uid, client = coordinator
    data = {"operator_name": "ROPS w Poznaniu", "committee_name": "RKRES Wielkopolska",
            "contact_email": "es@example.org", "contact_phone": "61 000 00 00",
            "address": "ul. Nowowiejskiego 11, Poznań", "logo_text": "ROPS Poznań"}
    r = client.post("/wielkopolskie/ustawienia", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/wielkopolskie/ustawienia"
    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolskie"))
        assert tenant.logo_text == "ROPS Poznań"
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "tenant.settings"))
        assert entry.tenant_id == tenant.id and entry.summary["committee_name"][1] == "RKRES Wielkopolska"
    page = client.get("/wielkopolskie/dziennik").get_data(as_text=True)
    assert "tenant.settings" in page


def test_settings_validation_keeps_input(app, coordinator, csrf_off):
    _uid, client = coordinator
    r = client.post("/wielkopolskie/ustawienia",
                    data={"operator_name": "", "committee_name": "K", "contact_email": "zly-adres"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Prosimy podać nazwę operatora." in body and "Prosimy podać poprawny adres e-mail" in body
    assert 'value="zly-adres"' in body


def test_invite_new_person_sends_set_password_link(app, coordinator, smtp, csrf_off):
    _uid, client = coordinator
    r = client.post("/wielkopolskie/uzytkownicy",
                    data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    assert r.status_code == 303
    assert smtp.messages == []  # queued, not sent inside the request
    assert _send_queue(app) == {"sent": 1}
    assert len(smtp.messages) == 1 and smtp.messages[0]["to"] == ["nowa@example.org"]
    body = smtp.bodies()[0]
    assert "wielkopolskie" in body and "https://sieci.example.org/haslo/reset/" in body
    # Polish subject and a formal, neutral sentence (the kind lives in the shell's manifest)
    subject = str(make_header(decode_header(smtp.messages[0]["message"]["Subject"])))
    assert subject == "Zaproszenie do Sieci ES – województwo wielkopolskie"
    assert "Uprzejmie informujemy o nadaniu dostępu" in body and "cię" not in body
    page = client.get("/wielkopolskie/uzytkownicy").get_data(as_text=True)
    assert "Nowa Osoba" in page and "zaproszono, hasło nieustawione" in page
    again = client.post("/wielkopolskie/uzytkownicy",
                        data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    assert again.status_code == 422
    assert "Ta osoba ma już rolę w tym regionie." in again.get_data(as_text=True)


def test_invite_with_smtp_unreachable_keeps_the_invitation(app, coordinator, smtp, csrf_off):
    _uid, client = coordinator
    with smtp_unreachable(app):
        r = client.post("/wielkopolskie/uzytkownicy",
                        data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
        assert r.status_code == 303  # was 500 after the account and membership were committed
        assert _send_queue(app) == {"retry": 1}
    assert smtp.messages == []
    # the queue keeps the invitation and sends it once SMTP is back (after the retry delay)
    assert _send_queue(app, now=utcnow() + timedelta(hours=1)) == {"sent": 1}
    assert smtp.messages[0]["to"] == ["nowa@example.org"]
    assert "https://sieci.example.org/haslo/reset/" in smtp.bodies()[0]


def test_invitation_of_a_removed_membership_is_not_sent(app, coordinator, smtp, csrf_off):
    _uid, client = coordinator
    client.post("/wielkopolskie/uzytkownicy",
                data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    with app.app_context(), all_tenants():
        db.session.execute(Membership.__table__.delete().where(
            Membership.user_id == db.session.scalar(select(User.id).where(User.email == "nowa@example.org"))))
        db.session.commit()
    assert _send_queue(app) == {"skipped": 1}
    assert smtp.messages == []


def test_change_role_and_remove_with_confirmation(app, coordinator, make_user, tenants, csrf_off):
    _uid, client = coordinator
    member = make_user("m@example.org", "member", name="Maria Członek")
    with app.app_context(), all_tenants():
        mid = db.session.scalar(select(Membership.id).where(Membership.user_id == member))
    r = client.post(f"/wielkopolskie/uzytkownicy/{mid}", data={"role": "owes"})
    assert r.status_code == 303
    confirm = client.get(f"/wielkopolskie/uzytkownicy/{mid}/usun")
    assert "Czy na pewno" in confirm.get_data(as_text=True)
    with app.app_context(), all_tenants():
        assert db.session.get(Membership, mid).role == "owes"  # GET changed nothing
    r = client.post(f"/wielkopolskie/uzytkownicy/{mid}/usun")
    assert r.status_code == 303
    with app.app_context(), all_tenants():
        assert db.session.get(Membership, mid) is None
        assert db.session.get(User, member) is not None  # the account stays


def test_coordinator_cannot_demote_self(app, coordinator, csrf_off):
    uid, client = coordinator
    with app.app_context(), all_tenants():
        mid = db.session.scalar(select(Membership.id).where(Membership.user_id == uid))
    r = client.post(f"/wielkopolskie/uzytkownicy/{mid}", data={"role": "member"})
    assert r.status_code == 422
    assert "Nie można odebrać roli koordynatora własnemu kontu." in r.get_data(as_text=True)


def test_users_list_paginates(app, coordinator, make_user):
    _uid, client = coordinator
    for i in range(30):
        make_user(f"osoba{i:02d}@example.org", "member", name=f"Osoba {i:02d}")
    first = client.get("/wielkopolskie/uzytkownicy").get_data(as_text=True)
    assert "Strona 1 z 2" in first and "Razem 31 pozycji" in first
    second = client.get("/wielkopolskie/uzytkownicy?page=2").get_data(as_text=True)
    assert "Strona 2 z 2" in second
    found = client.get("/wielkopolskie/uzytkownicy?q=osoba 07").get_data(as_text=True)
    assert "Osoba 07" in found and "Osoba 08" not in found


def test_admin_sees_all_audit_and_coordinator_only_own(app, coordinator, make_user, login, tenants):
    from coordination import audit
    from coordination.tenancy import tenant_context

    with app.app_context():
        with tenant_context(tenants["lodzkie"]):
            audit.record("test.lodz", summary={"x": "w Łodzi"})
        db.session.commit()
    _uid, client = coordinator
    assert "test.lodz" not in client.get("/wielkopolskie/dziennik").get_data(as_text=True)
    admin = login(app.test_client(), make_user("a@example.org", admin=True))
    assert "test.lodz" in admin.get("/admin/dziennik").get_data(as_text=True)


def test_audit_log_is_append_only(app, tenants):
    from coordination import audit
    from coordination.audit import AuditLogImmutable

    with app.app_context():
        entry = audit.record("x.y", tenant_id=tenants["lodzkie"])
        db.session.commit()
        entry.action = "changed"
        with pytest.raises(AuditLogImmutable):
            db.session.flush()
        db.session.rollback()


def test_admin_edits_platform_flags(app, make_user, login, csrf_off):
    admin_id = make_user("a@example.org", admin=True)
    other = make_user("n@example.org")
    client = login(app.test_client(), admin_id)
    r = client.post(f"/admin/uzytkownicy/{other}", data={"is_national": "y", "active": "y"})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.get(User, other).is_national is True
    r = client.post(f"/admin/uzytkownicy/{admin_id}", data={"active": "y"})
    assert r.status_code == 422  # cannot remove own admin rights


def test_user_count_ignores_other_regions(app, coordinator, make_user):
    _uid, client = coordinator
    make_user("l1@example.org", "member", "lodzkie")
    make_user("l2@example.org", "member", "lodzkie")
    body = client.get("/wielkopolskie/uzytkownicy").get_data(as_text=True)
    assert "Razem 1 pozycja" in body and "l1@example.org" not in body


class _CountingBody:
    """A request body of ``size`` bytes that counts how much of it the app reads."""

    def __init__(self, size: int):
        self.size, self.consumed = size, 0

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.consumed if n is None or n < 0 else min(n, self.size - self.consumed)
        self.consumed += n
        return b"x" * n

    def readline(self, n: int = -1) -> bytes:
        return self.read(n if n and n > 0 else 1024)


def test_request_over_the_limit_is_refused_before_reading_the_body(app):
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_UPLOAD_MB"] * 2**20 == 20 * 2**20
    body = _CountingBody(150 * 2**20)  # the audit's 150 MB upload
    r = app.test_client().post("/login", content_type="multipart/form-data; boundary=b",
                               environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": str(body.size)})
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "Plik jest za duży" in page and "20 MB" in page
    assert body.consumed == 0  # refused from the declared length, nothing read into memory


def test_request_over_the_limit_without_a_length_is_cut_while_streaming(app):
    body = _CountingBody(150 * 2**20)
    r = app.test_client().post("/login", content_type="multipart/form-data; boundary=b",
                               environ_overrides={"wsgi.input": body, "CONTENT_LENGTH": "",
                                                  "wsgi.input_terminated": True})  # chunked upload
    assert r.status_code == 413
    assert body.consumed <= app.config["MAX_CONTENT_LENGTH"]


def test_htmx_request_over_the_limit_reloads_with_a_message(app):
    client = app.test_client()
    r = client.post("/login", data={"email": "x" * (2**20)}, headers={"HX-Request": "true"})
    assert r.status_code == 200 or r.status_code == 400  # under the limit: an ordinary answer
    app.config["MAX_CONTENT_LENGTH"], saved = 2**20, app.config["MAX_CONTENT_LENGTH"]
    try:
        r = client.post("/login", data={"email": "x" * (2 * 2**20)}, headers={"HX-Request": "true"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert r.status_code == 413 and r.headers["HX-Refresh"] == "true"
    assert "Żądanie jest większe niż 1 MB" in client.get("/login").get_data(as_text=True)


def test_read_upload_reads_at_most_one_byte_past_the_limit():
    from werkzeug.datastructures import FileStorage

    from coordination.uploads import read_upload

    body = _CountingBody(50 * 2**20)
    data = read_upload(FileStorage(stream=body, filename="duzy.pdf"), 1000)
    assert len(data) == 1001 and body.consumed == 1001
