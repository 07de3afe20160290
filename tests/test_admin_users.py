"""The administrator's accounts: create an account, roles in several regions and the national
role on one page, deactivation, the list (search, filters, Polish order), the invite path."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coordination.audit import AuditLog
from coordination.auth import services
from coordination.auth.models import Membership, User
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.notifications.models import Notification
from coordination.tenancy import all_tenants
from tests.test_auth import _send_queue, smtp_unreachable

HX = {"HX-Request": "true"}


@pytest.fixture
def admin(app, make_user, login, csrf_off):
    uid = make_user("admin@example.org", admin=True, name="Adam Administrator")
    return uid, login(app.test_client(), uid)


def _count(model, *where) -> int:
    with all_tenants():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


# --- services ---------------------------------------------------------------------------------

def test_create_account_queues_the_activation_mail(app, make_user, tenants, smtp):
    actor = make_user("admin@example.org", admin=True)
    with app.test_request_context():
        user = services.create_account(" Nowa@Example.org ", "Zofia Żak",
                                       actor=db.session.get(User, actor))
        assert user.email == "nowa@example.org" and user.password_hash is None
        [row] = db.session.scalars(select(Notification).where(Notification.kind == "account_invitation"))
        assert row.recipient == "nowa@example.org" and row.tenant_id is None
    smtp.messages.clear()
    assert _send_queue(app) == {"sent": 1}
    body = smtp.bodies()[0]
    assert "utworzono dla Pani/Pana konto (login: nowa@example.org)" in body
    assert re.search(r"https?://\S+/haslo/reset/\S+", body)


def test_duplicate_email_is_refused_and_nothing_is_written(app, make_user):
    actor = make_user("admin@example.org", admin=True)
    make_user("jest@example.org")
    with app.test_request_context():
        before = (_count(User), _count(Notification), _count(AuditLog))
        with pytest.raises(DomainError) as err:
            services.create_account("JEST@example.org", "Ktoś", actor=db.session.get(User, actor))
        assert err.value.field == "email"
        db.session.rollback()
        assert (_count(User), _count(Notification), _count(AuditLog)) == before


def test_grant_roles_in_two_regions_and_change_one(app, make_user, tenants):
    actor_id = make_user("admin@example.org", admin=True)
    uid = make_user("osoba@example.org")
    with app.test_request_context():
        from tenants.models import Tenant

        actor, user = db.session.get(User, actor_id), db.session.get(User, uid)
        wlkp = db.session.get(Tenant, tenants["wielkopolskie"])
        lodz = db.session.get(Tenant, tenants["lodzkie"])
        services.grant_role(user, wlkp, "member", actor=actor)
        services.grant_role(user, lodz, "coordinator", actor=actor)
        with pytest.raises(DomainError):
            services.grant_role(user, lodz, "coordinator", actor=actor)
        services.grant_role(user, wlkp, "coordinator", actor=actor)  # changes the role
        from coordination.auth.queries import user_roles

        roles = [(t.slug, m.role) for t, m in user_roles(user)]
        assert roles == [("lodzkie", "coordinator"), ("wielkopolskie", "coordinator")]  # ł < w
        assert _count(Notification, Notification.kind == "invitation") == 2
    assert _actions(app)[-3:] == ["user.grant", "user.grant", "user.role"]


def test_the_last_administrator_keeps_the_rights(app, make_user):
    actor_id = make_user("admin@example.org", admin=True)
    other_id = make_user("drugi@example.org", admin=True)
    with app.test_request_context():
        actor, other = db.session.get(User, actor_id), db.session.get(User, other_id)
        with pytest.raises(DomainError):
            services.set_platform_flags(actor, is_admin=False, actor=actor)
        with pytest.raises(DomainError):
            services.set_platform_flags(actor, active=False, actor=actor)
        services.set_platform_flags(other, active=False, actor=actor)
        assert other.active is False
        # the only active administrator left cannot lose the rights, even through another admin
        with pytest.raises(DomainError):
            services.set_platform_flags(actor, is_admin=False, actor=other)


# --- views ------------------------------------------------------------------------------------

def test_admin_creates_an_account_without_and_with_htmx(app, admin, smtp):
    _uid, client = admin
    assert "Utwórz konto" in client.get("/admin/uzytkownicy").get_data(as_text=True)
    assert client.get("/admin/uzytkownicy/nowy").status_code == 200
    r = client.post("/admin/uzytkownicy/nowy", data={"full_name": "Zofia Żak", "email": "zz@example.org"})
    assert r.status_code == 303 and re.search(r"/admin/uzytkownicy/\d+$", r.headers["Location"])
    r = client.post("/admin/uzytkownicy/nowy", data={"full_name": "Jan Nowak", "email": "jn@example.org"},
                    headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"].startswith("/admin/uzytkownicy/")
    smtp.messages.clear()
    with smtp_unreachable(app):  # SMTP down: the request already answered; the queue retries
        assert _send_queue(app) == {"retry": 2}


def test_duplicate_email_answers_422_with_a_polish_message(app, admin, make_user):
    _uid, client = admin
    make_user("jest@example.org")
    for headers in ({}, HX):
        r = client.post("/admin/uzytkownicy/nowy", data={"full_name": "Ktoś", "email": "Jest@example.org"},
                        headers=headers)
        assert r.status_code == 422
        assert "Konto z tym adresem e-mail już istnieje." in r.get_data(as_text=True)
    r = client.post("/admin/uzytkownicy/nowy", data={"full_name": "", "email": "zly"}, headers=HX)
    assert r.status_code == 422 and "<html" not in r.get_data(as_text=True)
    with app.app_context():
        assert _count(User, User.email == "jest@example.org") == 1


def test_one_page_shows_and_changes_roles(app, admin, make_user, tenants):
    _uid, client = admin
    uid = make_user("osoba@example.org", name="Ewa Łęcka")
    page = f"/admin/uzytkownicy/{uid}"
    r = client.post(f"{page}/role", data={"tenant": "wielkopolskie", "role": "member"})
    assert r.status_code == 303 and r.headers["Location"] == page
    r = client.post(f"{page}/role", data={"tenant": "lodzkie", "role": "coordinator"}, headers=HX)
    assert r.status_code == 204
    r = client.post(f"{page}/role", data={"tenant": "lodzkie", "role": "coordinator"}, headers=HX)
    assert r.status_code == 422 and "już ma tę rolę" in r.get_data(as_text=True)
    r = client.post(f"{page}/role", data={"tenant": "atlantyda", "role": "member"})
    assert r.status_code == 422
    r = client.post(page, data={"is_national": "y"})
    assert r.status_code == 303
    body = client.get(page).get_data(as_text=True)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>([^<]+)</td>", body)
    assert rows == [("łódzkie", "Koordynator"), ("wielkopolskie", "Członek")]
    with app.app_context():
        user = db.session.get(User, uid)
        assert user.is_national
        with all_tenants():
            lodz = db.session.scalar(select(Membership).where(Membership.user_id == uid,
                                                              Membership.tenant_id == tenants["lodzkie"]))
    confirm = client.get(f"/admin/role/{lodz.id}/usun")
    assert confirm.status_code == 200 and "Czy na pewno" in confirm.get_data(as_text=True)
    with app.app_context():
        assert _count(Membership, Membership.user_id == uid) == 2  # the GET removed nothing
    r = client.post(f"/admin/role/{lodz.id}/usun", headers=HX)
    assert r.status_code == 204
    with app.app_context():
        assert _count(Membership, Membership.user_id == uid) == 1
    assert client.get(f"/admin/role/{lodz.id}/usun").status_code == 404
    assert _actions(app)[-4:] == ["user.grant", "user.grant", "user.platform", "user.remove"]


def test_deactivate_and_reactivate_with_confirmation(app, admin, make_user):
    admin_id, client = admin
    uid = make_user("osoba@example.org")
    assert "Czy na pewno" in client.get(f"/admin/uzytkownicy/{uid}/stan").get_data(as_text=True)
    assert client.post(f"/admin/uzytkownicy/{uid}/stan").status_code == 303
    with app.app_context():
        assert db.session.get(User, uid).active is False
    assert client.post(f"/admin/uzytkownicy/{uid}/stan", headers=HX).status_code == 204
    with app.app_context():
        assert db.session.get(User, uid).active is True
    r = client.post(f"/admin/uzytkownicy/{admin_id}/stan")
    assert r.status_code == 422 and "własnego konta" in r.get_data(as_text=True)
    r = client.post(f"/admin/uzytkownicy/{admin_id}", data={"is_national": "y"}, headers=HX)
    assert r.status_code == 422 and "odebrać sobie uprawnień administratora" in r.get_data(as_text=True)


def test_list_searches_filters_and_sorts_in_polish(app, admin, make_user):
    _uid, client = admin
    for email, name, role, region in (
            ("z@example.org", "Żaneta Zych", "member", "wielkopolskie"),
            ("l@example.org", "Łucja Lis", "coordinator", "lodzkie"),
            ("m@example.org", "Marek Lis", "member", "lodzkie"),
            ("n@example.org", "Lena Nowak", None, None)):
        make_user(email, role, region or "wielkopolskie", name=name)
    body = client.get("/admin/uzytkownicy").get_data(as_text=True)
    names = re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', body)
    assert names == ["Adam Administrator", "Lena Nowak", "Łucja Lis", "Marek Lis", "Żaneta Zych"]
    body = client.get("/admin/uzytkownicy?region=lodzkie").get_data(as_text=True)
    assert re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', body) == ["Łucja Lis", "Marek Lis"]
    body = client.get("/admin/uzytkownicy?region=lodzkie&role=coordinator").get_data(as_text=True)
    assert re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', body) == ["Łucja Lis"]
    assert "Koordynator – łódzkie" in body
    body = client.get("/admin/uzytkownicy?role=admin").get_data(as_text=True)
    assert re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', body) == ["Adam Administrator"]
    body = client.get("/admin/uzytkownicy?q=łUCJA").get_data(as_text=True)  # Polish capitals too
    assert re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', body) == ["Łucja Lis"]
    r = client.get("/admin/uzytkownicy?q=LIS", headers=HX)
    assert r.status_code == 200 and "<html" not in r.get_data(as_text=True)
    assert re.findall(r'/admin/uzytkownicy/\d+">([^<]+)</a>', r.get_data(as_text=True)) == ["Łucja Lis", "Marek Lis"]


def test_list_paginates(app, admin, make_user):
    _uid, client = admin
    per_page = app.config["PER_PAGE"]
    for i in range(per_page):
        make_user(f"p{i:03d}@example.org", name=f"Osoba {i:03d}")
    first = client.get("/admin/uzytkownicy").get_data(as_text=True)
    second = client.get("/admin/uzytkownicy?page=2").get_data(as_text=True)
    assert "Strona 1 z 2" in first and "Strona 2 z 2" in second
    assert len(re.findall(r'/admin/uzytkownicy/\d+">', second)) == 1


def test_others_do_not_reach_the_admin_pages(app, make_user, login, csrf_off):
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    assert client.get("/admin/uzytkownicy/nowy").status_code == 404
    assert client.post("/admin/uzytkownicy/nowy", data={"full_name": "X", "email": "x@example.org"}).status_code == 404


def test_region_invite_uses_the_queue_and_cannot_fail_on_smtp(app, make_user, login, csrf_off, smtp):
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    with smtp_unreachable(app):
        r = client.post("/wielkopolskie/uzytkownicy",
                        data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
        assert r.status_code == 303
        assert _send_queue(app) == {"retry": 1}
    with app.app_context():
        assert _count(Notification, Notification.kind == "invitation") == 1
    # inviting the same person again is a Polish validation error, not a 500
    r = client.post("/wielkopolskie/uzytkownicy",
                    data={"full_name": "Nowa Osoba", "email": "nowa@example.org", "role": "member"})
    assert r.status_code == 422 and "ma już rolę w tym regionie" in r.get_data(as_text=True)
