"""A signed-in member answers invitations in the app: the meeting page, the home panel
"Moje posiedzenia" and the full list (services, queries and views, with and without htmx)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import Rsvp
from workgroups.queries import meetings as queries
from workgroups.services import groups as group_services
from workgroups.services import meetings as services

from .conftest import REGION, actor, group_of, make_meeting, member

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"
#: the pinned test clock: Wednesday 18 November 2026, 10:00 in Warsaw.
TODAY = date(2026, 11, 18)


def _answer(region, meeting_id: int) -> Rsvp | None:
    return db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting_id,
                                                Rsvp.member_id == region.own_member_id))


# --- services and queries ---------------------------------------------------------------------


def test_answer_is_refused_once_the_meeting_has_started(region, pinned_clock):
    assert clock.today() == TODAY and clock.local_now().hour == 10
    started = make_meeting(region, TODAY, start_time=time(10, 0), end_time=time(12, 0))
    later_today = make_meeting(region, TODAY, start_time=time(10, 1), end_time=time(12, 0))
    with pytest.raises(DomainError, match="rozpoczęło"):
        services.record_rsvp(started, member(region.own_member_id), "yes", None)
    rsvp = services.record_rsvp(later_today, member(region.own_member_id), "yes", None,
                                actor=actor(region, "member"))
    assert rsvp.answer == "yes"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "meeting.rsvp")).all()[-1]
    assert entry.actor_id == region.member_user_id  # answered in the app: the member is the actor
    pinned_clock.advance(minutes=1)  # 10:01: now that one has started too
    with pytest.raises(DomainError):
        services.record_rsvp(later_today, member(region.own_member_id), "no", None)
    assert _answer(region, later_today.id).answer == "yes"  # nothing half-written


def test_my_meetings_lists_only_my_upcoming_planned_meetings(region):
    soon = make_meeting(region, TODAY + timedelta(days=3), title="Posiedzenie grudniowe")
    first = make_meeting(region, TODAY + timedelta(days=1), title="Posiedzenie jutro")
    make_meeting(region, TODAY - timedelta(days=1), title="Wczorajsze")
    make_meeting(region, TODAY, start_time=time(9, 0), end_time=time(11, 0), title="Już trwa")
    cancelled = make_meeting(region, TODAY + timedelta(days=5), title="Odwołane")
    services.cancel_meeting(cancelled, group_of(region), actor=actor(region))
    other = group_services.create_group({"name": "Grupa ds. reintegracji", "kind": "reintegration",
                                         "quorum_percent": 50}, actor=actor(region))
    services.create_meeting(other, {"title": "Cudza grupa", "day": TODAY + timedelta(days=2),
                                    "start_time": time(10, 0), "end_time": time(11, 0), "mode": "online",
                                    "online_url": "https://meet.example.org/x"}, [], actor=actor(region))
    services.record_rsvp(soon, member(region.own_member_id), "no", "Jan Zastępca")

    rows, total = queries.my_next_meetings(region.member_user_id, 5)
    assert total == 2
    assert [(m.title, r.answer if r else None) for m, _g, _me, r in rows] == [
        ("Posiedzenie jutro", None), ("Posiedzenie grudniowe", "no")]
    assert rows[0][2].id == region.own_member_id and rows[0][1].id == region.group_id
    assert queries.my_next_meetings(region.outsider_id, 5) == ([], 0)
    # a membership that ends before the meeting day does not invite to it
    group_services.end_member(member(region.own_member_id), TODAY + timedelta(days=2), actor=actor(region))
    rows, total = queries.my_next_meetings(region.member_user_id, 5)
    assert [m.id for m, *_rest in rows] == [first.id] and total == 1
    assert queries.my_rsvp_row(soon.id, region.member_user_id) is None
    assert queries.my_rsvp_row(first.id, region.member_user_id)[0].id == region.own_member_id


# --- views ------------------------------------------------------------------------------------


def _client(app, login, user_id):
    return login(app.test_client(), user_id)


def _meeting(app, world, day: date, **extra) -> int:
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting_id = make_meeting(world, day, **extra).id
        db.session.remove()
    return meeting_id


def _stored(app, world, meeting_id):
    with app.app_context(), tenant_context(world.tenant_id):
        rsvp = db.session.scalar(select(Rsvp).where(Rsvp.meeting_id == meeting_id))
        return (rsvp.answer, rsvp.substitute_name) if rsvp else None


def test_meeting_page_answer_without_javascript(app, world, login):
    meeting_id = _meeting(app, world, TODAY + timedelta(days=10))
    c = _client(app, login, world.member_user_id)
    page = c.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert "Moja odpowiedź na zaproszenie" in page and "brak odpowiedzi" in page
    assert f'id="my-rsvp-{meeting_id}-status"' in page and 'role="status"' in page
    token = csrf_token(c, f"{BASE}/posiedzenia/{meeting_id}")
    url = f"{BASE}/posiedzenia/{meeting_id}/moja-odpowiedz"
    done = c.post(url, data={"csrf_token": token, "answer": "yes"})
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"{BASE}/posiedzenia/{meeting_id}#my-rsvp-{meeting_id}")
    assert _stored(app, world, meeting_id) == ("yes", None)
    again = c.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
    assert "Zapisano odpowiedź" in again and "Tak, będę" in again
    assert f'id="my-rsvp-{meeting_id}-yes" class="btn btn-small btn-primary" aria-pressed="true"' in again
    # back to the page the form was on, never to another site
    home = c.post(url, data={"csrf_token": token, "answer": "maybe", "next": f"/{REGION}/"})
    assert home.headers["Location"].endswith(f"/{REGION}/#my-rsvp-{meeting_id}")
    away = c.post(url, data={"csrf_token": token, "answer": "maybe", "next": "https://evil.example.org/"})
    assert "evil" not in away.headers["Location"]
    bad = c.post(url, data={"csrf_token": token, "answer": "perhaps"}, follow_redirects=True)
    assert "Prosimy wybrać odpowiedź." in bad.get_data(as_text=True)
    assert _stored(app, world, meeting_id) == ("maybe", None)
    assert c.get(url).status_code == 405


def test_meeting_page_answer_with_htmx(app, world, login, csrf_off):
    meeting_id = _meeting(app, world, TODAY + timedelta(days=10))
    c = _client(app, login, world.member_user_id)
    url = f"{BASE}/posiedzenia/{meeting_id}/moja-odpowiedz"
    swapped = c.post(url, data={"answer": "no", "substitute_name": "Jan Zastępca"}, headers=HX)
    body = swapped.get_data(as_text=True)
    assert swapped.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith(f'<div class="my-rsvp" id="my-rsvp-{meeting_id}">')
    assert re.search(rf'id="my-rsvp-{meeting_id}-status"[^>]*hx-swap-oob="innerHTML"', body)
    assert "Zapisano odpowiedź – „Posiedzenie grupy”: Nie, nie będę." in body
    assert "Jan Zastępca" in body and _stored(app, world, meeting_id) == ("no", "Jan Zastępca")
    wrong = c.post(url, data={"answer": "yes", "substitute_name": "Jan Zastępca"}, headers=HX)
    assert wrong.status_code == 422 and "Zastępcę można wskazać tylko w razie nieobecności" in wrong.get_data(as_text=True)
    assert _stored(app, world, meeting_id) == ("no", "Jan Zastępca")
    # the substitute form sent without a name: a message, nothing changed
    empty = c.post(url, data={"answer": "no", "substitute": "1", "substitute_name": " "}, headers=HX)
    assert empty.status_code == 422 and "Prosimy wpisać imię i nazwisko zastępcy." in empty.get_data(as_text=True)
    assert _stored(app, world, meeting_id) == ("no", "Jan Zastępca")


def test_answer_after_the_start_is_refused_with_a_message(app, world, login, csrf_off, pinned_clock):
    meeting_id = _meeting(app, world, TODAY + timedelta(days=1))
    c = _client(app, login, world.member_user_id)
    pinned_clock.set(datetime(2026, 11, 19, 9, 30, tzinfo=UTC))  # 10:30 in Warsaw, started
    url = f"{BASE}/posiedzenia/{meeting_id}/moja-odpowiedz"
    refused = c.post(url, data={"answer": "yes"}, headers=HX)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Posiedzenie już się rozpoczęło" in body
    assert "Przyjmowanie odpowiedzi zakończone" in body and 'name="answer"' not in body
    plain = c.post(url, data={"answer": "yes"}, follow_redirects=True)
    assert "Posiedzenie już się rozpoczęło" in plain.get_data(as_text=True)
    assert _stored(app, world, meeting_id) is None


def test_people_outside_the_group_cannot_answer(app, world, login, csrf_off):
    meeting_id = _meeting(app, world, TODAY + timedelta(days=10))
    for user_id in (world.outsider_id, world.coordinator_id):
        c = _client(app, login, user_id)
        assert "Moja odpowiedź na zaproszenie" not in c.get(f"{BASE}/posiedzenia/{meeting_id}").get_data(as_text=True)
        assert c.post(f"{BASE}/posiedzenia/{meeting_id}/moja-odpowiedz", data={"answer": "yes"}).status_code == 403
    assert _stored(app, world, meeting_id) is None
    assert app.test_client().post(f"{BASE}/posiedzenia/{meeting_id}/moja-odpowiedz",
                                  data={"answer": "yes"}).status_code == 302  # to the login page


def test_home_panel_and_full_list(app, world, login, csrf_off):
    ids = [_meeting(app, world, TODAY + timedelta(days=7 * i), title=f"Posiedzenie nr {i}") for i in range(1, 8)]
    c = _client(app, login, world.member_user_id)
    home = c.get(f"/{REGION}/").get_data(as_text=True)
    assert "Moje posiedzenia" in home
    panel = home[home.index('id="my-meetings-h"'):home.index('id="groups-h"')]
    assert panel.count('class="card my-meeting"') == 5
    assert "25 listopada 2026, 10:00–12:30" in panel and "Poznań, al. Niepodległości 34, sala 112" in panel
    assert "Wszystkie moje nadchodzące posiedzenia (7)" in panel
    assert f'name="next" value="/{REGION}/"' in panel
    # one click from the panel (htmx) changes the answer
    r = c.post(f"{BASE}/posiedzenia/{ids[0]}/moja-odpowiedz", data={"answer": "yes", "next": f"/{REGION}/"},
               headers=HX)
    assert r.status_code == 200 and f'name="next" value="/{REGION}/"' in r.get_data(as_text=True)
    full = c.get(f"{BASE}/moje-posiedzenia")
    assert full.status_code == 200 and full.get_data(as_text=True).count('class="card my-meeting"') == 7
    part = c.get(f"{BASE}/moje-posiedzenia", headers=HX)
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    assert "Tak, będę" in part.get_data(as_text=True)
    # an account of the region without groups: the panel with its empty state
    empty = _client(app, login, world.outsider_id).get(f"/{REGION}/").get_data(as_text=True)
    assert "Brak nadchodzących posiedzeń." in empty
    assert "Brak nadchodzących posiedzeń." in _client(app, login, world.outsider_id).get(
        f"{BASE}/moje-posiedzenia").get_data(as_text=True)
    # a coordinator outside the groups does not get the panel
    assert 'id="my-meetings-h"' not in _client(app, login, world.coordinator_id).get(f"/{REGION}/").get_data(as_text=True)


def test_my_meetings_paginates(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        for i in range(1, 28):
            make_meeting(world, TODAY + timedelta(days=i), title=f"Posiedzenie {i}")
        db.session.remove()
    c = _client(app, login, world.member_user_id)
    first = c.get(f"{BASE}/moje-posiedzenia").get_data(as_text=True)
    assert first.count('class="card my-meeting"') == 25 and "Strona 1 z 2" in first
    second = c.get(f"{BASE}/moje-posiedzenia?page=2").get_data(as_text=True)
    assert second.count('class="card my-meeting"') == 2 and "Posiedzenie 27" in second
    assert 'name="next" value="/wielkopolskie/grupy/moje-posiedzenia?page=2"' in second
