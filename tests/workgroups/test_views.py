"""Views through the Flask client: full pages and htmx partials, 422 on bad input, the
minutes conflict page, RSVP without login, the calendar feed, permissions of members."""

import hashlib
import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from coordination import clock
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import Group, Meeting, Minutes, Rsvp
from workgroups.services import mail
from workgroups.services import minutes as minutes_services

from .conftest import REGION, actor, group_of, held_meeting, make_meeting, member

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"


def _client(app, login, user_id):
    return login(app.test_client(), user_id)


def test_group_pages_full_and_partial(app, world, login):
    c = _client(app, login, world.member_user_id)
    full = c.get(f"{BASE}/{world.group_id}")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    body = full.get_data(as_text=True)
    assert "Grupa ds. promocji" in body and "Zofia Żółkiewska" in body and "Członkowie" in body
    part = c.get(f"{BASE}/{world.group_id}", headers=HX)
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    assert "HX-Request" in part.headers.get("Vary", "")
    assert "Nowa grupa" not in c.get(f"{BASE}/").get_data(as_text=True)  # members do not manage


def test_create_group_422_then_success_with_htmx(app, world, login):
    c = _client(app, login, world.coordinator_id)
    token = csrf_token(c, f"{BASE}/nowa")
    bad = c.post(f"{BASE}/nowa", data={"csrf_token": token, "name": "", "kind": "education", "status": "active",
                                       "quorum_percent": "50"}, headers=HX)
    assert bad.status_code == 422 and "Prosimy wpisać nazwę grupy." in bad.get_data(as_text=True)
    # the summary (focused first, read first by a screen reader) names the field and the problem
    summary = bad.get_data(as_text=True).split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Nazwa grupy: Prosimy wpisać nazwę grupy." in summary and "Sprawdź zaznaczone wiersze" not in summary
    bad = c.post(f"{BASE}/nowa", data={"csrf_token": token, "name": "Komitet", "kind": "committee", "status": "active",
                                       "quorum_percent": "50", "term_start": "2023-01-01"})
    assert bad.status_code == 303  # the first committee of the region
    ok = c.post(f"{BASE}/nowa", data={"csrf_token": token, "name": "Grupa ds. edukacji", "kind": "education",
                                      "status": "active", "quorum_percent": "60"}, headers=HX)
    assert ok.status_code == 204 and "/grupy/" in ok.headers["HX-Redirect"]
    second = c.post(f"{BASE}/nowa", data={"csrf_token": token, "name": "Drugi komitet", "kind": "committee",
                                          "status": "active", "quorum_percent": "50"})
    assert second.status_code == 422 and "tylko jeden" in second.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        names = set(db.session.scalars(select(Group.name)))
    assert "Grupa ds. edukacji" in names and "Drugi komitet" not in names


def test_member_cannot_manage_but_coordinator_can(app, world, login):
    member_client = _client(app, login, world.member_user_id)
    assert member_client.get(f"{BASE}/{world.group_id}/posiedzenia/nowe").status_code == 403
    coord = _client(app, login, world.coordinator_id)
    assert coord.get(f"{BASE}/{world.group_id}/posiedzenia/nowe").status_code == 200


def test_chair_with_account_manages_own_group_meetings(app, world, login, make_user):
    chair = make_user("przewodniczaca@example.org", "member", REGION, name="Przewodnicząca Grupy")
    with app.test_request_context(), tenant_context(world.tenant_id):
        from workgroups.services import groups as group_services

        group_services.add_member(group_of(world), {"user_id": chair, "role": "chair", "category": "owes",
                                                    "date_from": clock.today()}, actor=actor(world))
        db.session.remove()
    c = _client(app, login, chair)
    assert c.get(f"{BASE}/{world.group_id}/posiedzenia/nowe").status_code == 200
    assert c.get(f"{BASE}/{world.group_id}/edycja").status_code == 403  # the group itself: coordinators


def test_create_meeting_form_422_and_success(app, world, login):
    c = _client(app, login, world.coordinator_id)
    url = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    token = csrf_token(c, url)
    day = (clock.today() + timedelta(days=14)).isoformat()
    data = {"csrf_token": token, "title": "Posiedzenie wiosenne", "day": day, "start_time": "12:00",
            "end_time": "11:00", "mode": "in_person", "place": "Poznań", "repeat": "1",
            "agenda-0-title": "Otwarcie", "agenda-0-position": "1", "agenda-1-title": "Plan", "agenda-1-position": "2"}
    bad = c.post(url, data=data, headers=HX)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Posiedzenie musi kończyć się później" in text
    assert 'value="Posiedzenie wiosenne"' in text and 'value="Plan"' in text  # nothing lost
    # letters in number fields: one Polish sentence per field, in the agenda rows too
    bad = c.post(url, data={**data, "end_time": "14:00", "number": "abc", "agenda-0-position": "x",
                            "agenda-0-duration_minutes": "dużo"}, headers=HX)
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Prosimy wpisać liczbę całkowitą od 1 do 999." in text and "Prosimy wpisać liczbę całkowitą od 1 do 99." in text
    assert "Prosimy wpisać od 1 do 600 minut." in text
    assert "Not a valid" not in text and "Nieprawidłowa liczba całkowita" not in text
    data["end_time"] = "14:00"
    ok = c.post(url, data=data)
    assert ok.status_code == 303
    meeting_url = ok.headers["Location"]
    page = c.get(meeting_url).get_data(as_text=True)
    assert "Posiedzenie wiosenne" in page and "Plan" in page and "Porządek obrad" in page


def test_minutes_conflict_page_shows_both_texts(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = held_meeting(world)
        minutes = minutes_services.create_draft(meeting, group_of(world), actor=actor(world))
        meeting_id, version = meeting.id, minutes.lock_version
        db.session.remove()
    a = _client(app, login, world.coordinator_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/protokol/edycja"
    token = csrf_token(a, url)
    first = a.post(url, data={"csrf_token": token, "body": "# Tekst pierwszej osoby\n", "lock_version": version})
    assert first.status_code == 303
    second = a.post(url, data={"csrf_token": token, "body": "# Tekst drugiej osoby\n", "lock_version": version})
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Tekst pierwszej osoby" in html and "Tekst drugiej osoby" in html
    assert f'name="lock_version" type="hidden" value="{version + 1}"' in html
    htmx = a.post(url, data={"csrf_token": token, "body": "# Trzecia\n", "lock_version": version}, headers=HX)
    assert htmx.status_code == 422 and "Tekst pierwszej osoby" in htmx.get_data(as_text=True)
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(Minutes.body)) == "# Tekst pierwszej osoby\n"
    # saving again from the conflict page (with the new version) is accepted
    ok = a.post(url, data={"csrf_token": token, "body": "# Połączony tekst\n", "lock_version": version + 1})
    assert ok.status_code == 303


def test_minutes_page_and_comment_by_member(app, world, login, smtp):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = held_meeting(world)
        minutes = minutes_services.create_draft(meeting, group_of(world), actor=actor(world))
        minutes_services.send_for_comments(minutes, meeting, group_of(world), clock.today() + timedelta(days=7),
                                           actor=actor(world))
        meeting_id = meeting.id
        db.session.remove()
    c = _client(app, login, world.member_user_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/protokol"
    page = c.get(url).get_data(as_text=True)
    assert "Dodaj uwagę" in page and "<h2>Ad. 1 Otwarcie posiedzenia</h2>" not in page  # headings shifted
    token = csrf_token(c, url)
    bad = c.post(url + "/uwagi", data={"csrf_token": token, "section": "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum", "body": ""},
                 headers=HX)
    assert bad.status_code == 422 and "Prosimy wpisać swoją uwagę." in bad.get_data(as_text=True)
    # htmx sends the page it was on: the answer leads back to it (``#uwagi``), so the browser
    # must reload it (an HX-Redirect to the same page would only jump to the anchor)
    ok = c.post(url + "/uwagi", data={"csrf_token": token, "section": "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum",
                                      "body": "Proszę poprawić godzinę."},
                headers={**HX, "HX-Current-URL": f"http://localhost{url}"})
    assert ok.status_code == 204 and ok.headers["HX-Refresh"] == "true" and "HX-Redirect" not in ok.headers
    assert "Proszę poprawić godzinę." in c.get(url).get_data(as_text=True)
    assert c.get(f"{BASE}/posiedzenia/{meeting_id}/protokol/edycja").status_code == 403


def test_rsvp_by_token_without_login(app, world):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = make_meeting(world)
        token = mail.rsvp_token(meeting, member(world.own_member_id))
        db.session.commit()
        db.session.remove()
    c = app.test_client()
    page = c.get(f"/odpowiedz/{token}")
    assert page.status_code == 200 and "Marek Członkowski" in page.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    bad = c.post(f"/odpowiedz/{token}", data={"csrf_token": csrf})
    assert bad.status_code == 422 and "Prosimy wybrać odpowiedź." in bad.get_data(as_text=True)
    ok = c.post(f"/odpowiedz/{token}", data={"csrf_token": csrf, "answer": "no", "substitute_name": "Jan Zastępca"},
                headers=HX)
    assert ok.status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        rsvp = db.session.scalar(select(Rsvp))
        assert (rsvp.answer, rsvp.substitute_name) == ("no", "Jan Zastępca")
    assert c.get(f"/odpowiedz/{token}x").status_code == 404


def _new_feed_url(c) -> str:
    token = csrf_token(c, f"{BASE}/kalendarz")
    created = c.post(f"{BASE}/kalendarz", data={"csrf_token": token})
    assert created.status_code == 200
    return re.search(r'value="https://sieci\.example\.org(/kalendarz/[^"]+\.ics)"',
                     created.get_data(as_text=True)).group(1)


def test_calendar_feed(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        make_meeting(world)
        db.session.remove()
    c = _client(app, login, world.member_user_id)
    page = c.get(f"{BASE}/kalendarz").get_data(as_text=True)
    assert "Utwórz adres mojego kalendarza" in page
    feed_url = _new_feed_url(c)
    resp = app.test_client().get(feed_url)
    assert resp.status_code == 200 and resp.mimetype == "text/calendar"
    assert "no-store" in resp.headers["Cache-Control"]
    events = Calendar.from_ical(resp.get_data()).walk("VEVENT")
    assert len(events) == 1 and "Posiedzenie grupy" in str(events[0]["SUMMARY"])
    assert app.test_client().get("/kalendarz/zly-token.ics").status_code == 404
    # the address is shown once: later visits say it exists, without showing it
    page = c.get(f"{BASE}/kalendarz").get_data(as_text=True)
    assert feed_url not in page and "Utwórz nowy adres" in page
    # only the hash is stored
    from workgroups.models import CalendarFeed

    with app.app_context(), tenant_context(world.tenant_id):
        stored = db.session.scalar(select(CalendarFeed.token_hash))
    secret = feed_url.rsplit("/", 1)[1][:-4]
    assert secret not in stored and stored == hashlib.sha256(secret.encode()).hexdigest()
    # a reset makes the old address dead and the new one work
    new_url = _new_feed_url(c)
    assert new_url != feed_url
    assert app.test_client().get(feed_url).status_code == 404
    assert app.test_client().get(new_url).status_code == 200


def test_feed_stops_when_the_account_or_memberships_end(app, world, login, pinned_clock):
    from coordination.auth.models import Membership, User
    from workgroups.models import GroupMember
    from workgroups.services import groups as group_services

    with app.test_request_context(), tenant_context(world.tenant_id):
        make_meeting(world)
        db.session.remove()
    feed_url = _new_feed_url(_client(app, login, world.member_user_id))
    assert len(Calendar.from_ical(app.test_client().get(feed_url).get_data()).walk("VEVENT")) == 1
    # the member leaves the group: the group's meetings (and their online links) leave the feed
    with app.test_request_context(), tenant_context(world.tenant_id):
        own = db.session.get(GroupMember, world.own_member_id)
        group_services.end_member(own, clock.today() - timedelta(days=1), actor=actor(world))
        db.session.remove()
    resp = app.test_client().get(feed_url)
    assert resp.status_code == 200 and Calendar.from_ical(resp.get_data()).walk("VEVENT") == []
    # the region membership is removed: the address stops working
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.execute(Membership.__table__.delete().where(
            Membership.user_id == world.member_user_id, Membership.tenant_id == world.tenant_id))
        db.session.commit()
    assert app.test_client().get(feed_url).status_code == 404
    # invited back later: the old address stays dead (it may have leaked), a new one works
    pinned_clock.advance(minutes=5)
    with app.app_context(), tenant_context(world.tenant_id):
        db.session.add(Membership(user_id=world.member_user_id, role="member"))
        db.session.commit()
    assert app.test_client().get(feed_url).status_code == 404
    pinned_clock.advance(minutes=1)
    feed_url = _new_feed_url(_client(app, login, world.member_user_id))
    assert app.test_client().get(feed_url).status_code == 200
    # the account is deactivated: 404
    with app.app_context():
        db.session.get(User, world.member_user_id).active = False
        db.session.commit()
    assert app.test_client().get(feed_url).status_code == 404


def test_my_actions_lists_only_mine(app, world, login):
    from workgroups.services import records

    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = held_meeting(world)
        records.add_action(group_of(world), meeting, {"description": "Moje zadanie", "owner_id": world.own_member_id,
                                                      "due_date": clock.today() - timedelta(days=2)}, actor=actor(world))
        records.add_action(group_of(world), meeting, {"description": "Cudze zadanie",
                                                      "owner_id": world.member_ids[0]}, actor=actor(world))
        db.session.remove()
    c = _client(app, login, world.member_user_id)
    page = c.get(f"{BASE}/moje-zadania").get_data(as_text=True)
    assert "Moje zadanie" in page and "Cudze zadanie" not in page and "po terminie" in page


def test_exports_downloadable(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = held_meeting(world)
        minutes_services.create_draft(meeting, group_of(world), actor=actor(world))
        meeting_id = meeting.id
        db.session.remove()
    c = _client(app, login, world.member_user_id)
    for path, mime in ((f"posiedzenia/{meeting_id}/protokol.pdf", "application/pdf"),
                       (f"posiedzenia/{meeting_id}/protokol.docx", "wordprocessingml"),
                       (f"posiedzenia/{meeting_id}/lista-podpisow.pdf", "application/pdf"),
                       (f"posiedzenia/{meeting_id}/obecnosc.xlsx", "spreadsheetml"),
                       (f"{world.group_id}/czlonkowie.xlsx", "spreadsheetml"),
                       ("uchwaly.xlsx", "spreadsheetml"),
                       (f"posiedzenia/{meeting_id}/posiedzenie.ics", "text/calendar")):
        r = c.get(f"{BASE}/{path}")
        assert r.status_code == 200 and mime in r.mimetype, path
        assert r.headers["Content-Disposition"].startswith("attachment") and r.headers["X-Content-Type-Options"] == "nosniff"
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(Meeting, meeting_id).status == "held"
