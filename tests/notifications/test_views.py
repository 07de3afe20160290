"""Outbox, retry, test message, preferences, unsubscribe and /healthz through the Flask client."""

from __future__ import annotations

import re

from sqlalchemy import update

from coordination.extensions import db
from coordination.notifications import services
from coordination.notifications.models import Notification
from coordination.notifications.rendering import unsubscribe_token
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from tests.notifications.conftest import rows

HX = {"HX-Request": "true"}


def _outbox_world(app, tenants, n_wlkp=3):
    """Rows in two regions; one failed row in Wielkopolskie; private content in the context.
    (Messages of private kinds, e.g. to survey respondents, are never listed: see
    tests/surveys/test_coordinator_anonymity.py.)"""
    for i in range(n_wlkp):
        with app.app_context(), tenant_context(tenants["wielkopolskie"]):
            services.schedule("meeting_invitation", f"r{i}@example.org", object_type="meeting",
                              object_id=1, context={"title": "Posiedzenie", "answer": "TAJNA-ODPOWIEDZ"})
            db.session.commit()
    with app.app_context(), tenant_context(tenants["lodzkie"]):
        services.schedule("announcement", "lodz@example.org", context={"title": "Łódź"})
        db.session.commit()
    with app.app_context():
        db.session.execute(update(Notification).where(Notification.recipient == "r0@example.org")
                           .values(status="failed", attempts=5, last_error="550 no such user"))
        db.session.commit()
    return {r.recipient: r.id for r in rows(app)}


def test_outbox_shows_the_regions_rows_only_without_content(app, tenants, make_user, login):
    ids = _outbox_world(app, tenants)
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    r = client.get("/wielkopolskie/powiadomienia/")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "r1@example.org" in body and "550 no such user" in body
    assert "lodz@example.org" not in body
    assert "TAJNA-ODPOWIEDZ" not in body
    assert f"/wielkopolskie/powiadomienia/{ids['r0@example.org']}/ponow" in body
    failed = client.get("/wielkopolskie/powiadomienia/?status=failed").get_data(as_text=True)
    assert "r0@example.org" in failed and "r1@example.org" not in failed
    # the other region's row is not reachable through this region's URL
    assert client.get(f"/wielkopolskie/powiadomienia/{ids['lodz@example.org']}/ponow").status_code == 404
    partial = client.get("/wielkopolskie/powiadomienia/", headers=HX)
    assert "<html" not in partial.get_data(as_text=True) and "r1@example.org" in partial.get_data(as_text=True)


def test_outbox_is_for_coordinators(app, tenants, make_user, login):
    client = login(app.test_client(), make_user("m@example.org", "member"))
    assert client.get("/wielkopolskie/powiadomienia/").status_code == 403
    assert client.get("/lodzkie/powiadomienia/").status_code == 404
    assert client.get("/admin/powiadomienia").status_code == 404


def test_outbox_paginates_with_a_fixed_number_of_queries(app, tenants, make_user, login,
                                                          count_queries):
    _outbox_world(app, tenants, n_wlkp=30)
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    with count_queries() as few:
        first = client.get("/wielkopolskie/powiadomienia/").get_data(as_text=True)
    assert "Strona 1 z 2" in first and "30 pozycji" in first
    second = client.get("/wielkopolskie/powiadomienia/?page=2").get_data(as_text=True)
    assert second.count("@example.org</td>") == 5
    _outbox_world(app, tenants, n_wlkp=60)
    with count_queries() as many:
        client.get("/wielkopolskie/powiadomienia/")
    assert many.count == few.count


def test_empty_outbox_says_what_will_appear(app, tenants, make_user, login):
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    body = client.get("/wielkopolskie/powiadomienia/").get_data(as_text=True)
    assert "Nic jeszcze nie wysłano" in body


def test_retry_asks_then_requeues(app, tenants, make_user, login):
    ids = _outbox_world(app, tenants)
    client = login(app.test_client(), make_user("k@example.org", "coordinator"))
    url = f"/wielkopolskie/powiadomienia/{ids['r0@example.org']}/ponow"
    page = client.get(url)
    assert page.status_code == 200 and "Tak, wyślij ponownie" in page.get_data(as_text=True)
    assert rows(app, recipient="r0@example.org")[0].status == "failed"  # GET changes nothing
    token = csrf_token(client, url)
    r = client.post(url, data={"csrf_token": token}, headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == "/wielkopolskie/powiadomienia/"
    row = rows(app, recipient="r0@example.org")[0]
    assert (row.status, row.attempts) == ("pending", 0)
    # not failed any more: nothing to retry
    assert "Ponownie można wysłać tylko" in client.get(url).get_data(as_text=True)


def test_admin_sees_all_regions_and_can_retry(app, tenants, make_user, login):
    ids = _outbox_world(app, tenants)
    client = login(app.test_client(), make_user("a@example.org", admin=True))
    body = client.get("/admin/powiadomienia").get_data(as_text=True)
    assert "lodz@example.org" in body and "r2@example.org" in body and "łódzkie" in body
    url = f"/admin/powiadomienia/{ids['r0@example.org']}/ponow"
    r = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/powiadomienia")
    assert rows(app, recipient="r0@example.org")[0].status == "pending"


def test_test_message_goes_through_the_scheduler(app, tenants, make_user, login, smtp, clock):
    uid = make_user("k@example.org", "coordinator")
    client = login(app.test_client(), uid)
    token = csrf_token(client, "/wielkopolskie/powiadomienia/")
    r = client.post("/wielkopolskie/powiadomienia/test", data={"csrf_token": token})
    assert r.status_code == 303
    [row] = rows(app)
    assert (row.kind, row.recipient, row.status, row.user_id) == ("test", "k@example.org", "pending", uid)
    with app.app_context():
        assert services.send_due() == {"sent": 1}
    assert smtp.messages[0]["to"] == ["k@example.org"]
    assert "Wysyłka poczty i harmonogram działają" in smtp.bodies()[0]
    body = client.get("/wielkopolskie/powiadomienia/?status=sent").get_data(as_text=True)
    assert "k@example.org" in body and "Wiadomość testowa" in body


def test_preferences_page_saves_and_rejects_impossible_choices(app, make_user, login):
    client = login(app.test_client(), make_user("ala@example.org"))
    page = client.get("/konto/powiadomienia").get_data(as_text=True)
    assert "Zaproszenia na posiedzenia" in page and "Obowiązkowe: nie można wyłączyć." in page
    assert "Zawsze wysyłane od razu" in page and "Odwołania posiedzeń" in page
    # a mandatory kind offers no "off"
    invitation = page[page.index('name="kind_meeting_invitation"'):]
    assert 'value="off"' not in invitation[:invitation.index("</select>")]
    token = csrf_token(client, "/konto/powiadomienia")
    bad = client.post("/konto/powiadomienia", headers=HX,
                      data={"csrf_token": token, "kind_meeting_invitation": "off"})
    assert bad.status_code == 422
    assert "aria-invalid" in bad.get_data(as_text=True) and "<html" not in bad.get_data(as_text=True)
    ok = client.post("/konto/powiadomienia", data={
        "csrf_token": token, "kind_meeting_invitation": "weekly", "kind_meeting_reminder": "off"})
    assert ok.status_code == 303
    with app.app_context():
        from coordination.notifications.queries import preferences_of

        assert preferences_of("ala@example.org") == {"meeting_invitation": "weekly",
                                                      "meeting_reminder": "off"}
    page = client.get("/konto/powiadomienia").get_data(as_text=True)
    assert re.search(r'<option selected value="weekly">|<option value="weekly" selected>', page)
    assert client.get("/konto/").get_data(as_text=True).count("/konto/powiadomienia") == 1


def test_preferences_need_login(app):
    r = app.test_client().get("/konto/powiadomienia")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_unsubscribe_link_works_without_login(app, smtp):
    client = app.test_client()
    with app.app_context():
        token = unsubscribe_token("ala@example.org", "survey_reminder")
        mandatory = unsubscribe_token("ala@example.org", "survey_invitation")
    url = f"/powiadomienia/wypisz/{token}"
    page = client.get(url).get_data(as_text=True)
    assert "Tak, wypisz mnie" in page and "ala@example.org" in page
    r = client.post(url, data={"csrf_token": csrf_token(client, url)}, headers=HX)
    assert r.status_code == 204 and r.headers["HX-Redirect"] == url
    assert "nie otrzymuje już powiadomień" in client.get(url).get_data(as_text=True)
    with app.app_context():
        from coordination.notifications.queries import preferences_of

        assert preferences_of("ala@example.org") == {"survey_reminder": "off"}
    page = client.get(f"/powiadomienia/wypisz/{mandatory}").get_data(as_text=True)
    assert "nie można ich wyłączyć" in page and "Tak, wypisz mnie" not in page
    assert client.get("/powiadomienia/wypisz/nieprawidlowy").status_code == 404


def test_healthz_reports_scheduler_heartbeat(app, clock):
    from coordination.scheduler import heartbeat

    client = app.test_client()
    assert client.get("/healthz").json == {"status": "ok", "db": "ok", "scheduler": "stale"}
    with app.app_context():
        heartbeat()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["scheduler"] == "ok"
    clock.advance(seconds=121)
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok", "db": "ok", "scheduler": "stale"}
