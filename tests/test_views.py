"""Shell behaviour: security headers, htmx partials, health check, tenant pages, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import Membership, User
from coordination.extensions import db
from coordination.tenancy import all_tenants
from tenants.models import Tenant


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
    assert "Podaj nazwę operatora." in body and "Podaj poprawny adres e-mail" in body
    assert 'value="zly-adres"' in body


def test_invite_new_person_sends_set_password_link(app, coordinator, smtp, csrf_off):
    _uid, client = coordinator
    r = client.post("/wielkopolskie/uzytkownicy",
                    data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    assert r.status_code == 303
    assert len(smtp.messages) == 1 and smtp.messages[0]["to"] == ["nowa@example.org"]
    body = smtp.bodies()[0]
    assert "wielkopolskie" in body and "https://sieci.example.org/haslo/reset/" in body
    page = client.get("/wielkopolskie/uzytkownicy").get_data(as_text=True)
    assert "Nowa Osoba" in page and "zaproszono, hasło nieustawione" in page
    again = client.post("/wielkopolskie/uzytkownicy",
                        data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    assert again.status_code == 422
    assert "Ta osoba ma już rolę w tym regionie." in again.get_data(as_text=True)


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
    assert "Nie możesz odebrać sobie roli koordynatora." in r.get_data(as_text=True)


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
