"""Defects an outside tester found in the working-group forms and pages: the defaults of the
new-member form, meetings on weekends and public holidays, all form errors at once, and one
agenda order on the meeting page and in the minutes."""

import re

from sqlalchemy import select

from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import GroupMember

from .conftest import REGION

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"


def _selected(html: str, name: str) -> str | None:
    select_html = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected',
                      select_html)
    return None if found is None else (found.group(1) if found.group(1) is not None else found.group(2))


def test_new_member_form_defaults_to_an_ordinary_member_and_no_category(app, world, login):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/czlonkowie/nowy"
    page = c.get(url).get_data(as_text=True)
    assert _selected(page, "role") == "member"
    assert _selected(page, "category") in (None, "")
    assert "Prosimy wybrać" in page.split('name="category"', 1)[1].split("</select>", 1)[0]
    token = csrf_token(c, url)
    bad = c.post(url, data={"csrf_token": token, "full_name": "Nowa Osoba", "role": "member",
                            "date_from": "2026-01-05", "title_form": "", "locale": "pl"}, headers=HX)
    assert bad.status_code == 422
    assert "Prosimy wybrać kategorię członka." in bad.get_data(as_text=True)
    ok = c.post(url, data={"csrf_token": token, "full_name": "Nowa Osoba", "role": "member", "category": "pes",
                           "date_from": "2026-01-05", "title_form": "", "locale": "pl"}, headers=HX)
    assert ok.status_code == 204
    with app.app_context(), tenant_context(world.tenant_id):
        role, category = db.session.execute(select(GroupMember.role, GroupMember.category)
                                            .where(GroupMember.full_name == "Nowa Osoba")).one()
    assert (role, category) == ("member", "pes")


def _meeting_data(token, **changes):
    data = {"csrf_token": token, "title": "Posiedzenie grudniowe", "day": "2026-12-26", "start_time": "10:00",
            "end_time": "12:00", "mode": "in_person", "place": "Poznań", "repeat": "1",
            "agenda-0-title": "Otwarcie posiedzenia", "agenda-0-position": "1"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_meeting_on_a_day_off_is_questioned_once_then_allowed(app, world, login):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    token = csrf_token(c, url)
    assert "Tak, posiedzenie ma się odbyć w tym dniu" not in c.get(url).get_data(as_text=True)
    first = c.post(url, data=_meeting_data(token), headers=HX)
    text = first.get_data(as_text=True)
    assert first.status_code == 422
    assert ("26 grudnia 2026 to sobota i dzień ustawowo wolny od pracy (drugi dzień Bożego Narodzenia)."
            in text)
    assert "Tak, posiedzenie ma się odbyć w tym dniu" in text and 'name="confirm_day"' in text
    sunday = c.post(url, data=_meeting_data(token, day="2026-12-06"), headers=HX)
    assert sunday.status_code == 422 and "6 grudnia 2026 to niedziela." in sunday.get_data(as_text=True)
    holiday = c.post(url, data=_meeting_data(token, day="2026-11-11"), headers=HX)
    assert holiday.status_code == 422
    assert ("11 listopada 2026 (środa) to dzień ustawowo wolny od pracy (Narodowe Święto Niepodległości)."
            in holiday.get_data(as_text=True))
    ok = c.post(url, data=_meeting_data(token, confirm_day="y"), headers=HX)
    assert ok.status_code == 204
    meeting_url = ok.headers["HX-Redirect"]
    # a working day needs no confirmation; saving the meeting again on its (confirmed) day neither
    assert c.post(url, data=_meeting_data(token, day="2026-12-28", title="Poniedziałek"), headers=HX).status_code == 204
    edit = f"{meeting_url}/edycja"
    assert c.post(edit, data=_meeting_data(token, title="Posiedzenie świąteczne"), headers=HX).status_code == 204
    moved = c.post(edit, data=_meeting_data(token, day="2026-12-27"), headers=HX)
    assert moved.status_code == 422 and "27 grudnia 2026 to niedziela" in moved.get_data(as_text=True)


def _summary(html: str) -> str:
    return html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]


def test_the_new_meeting_form_reports_all_errors_at_once(app, world, login):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    token = csrf_token(c, url)
    bad = c.post(url, data=_meeting_data(token, day="2026-12-02", number="abc", start_time="12:00",
                                         end_time="11:00", mode="online", place=None), headers=HX)
    assert bad.status_code == 422
    summary = _summary(bad.get_data(as_text=True))
    assert "Prosimy wpisać liczbę całkowitą od 1 do 999." in summary
    assert "Posiedzenie musi kończyć się później" in summary
    assert "Prosimy wpisać link do posiedzenia online." in summary


def test_an_impossible_or_missing_date_is_named_as_such(app, world, login):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    token = csrf_token(c, url)
    impossible = c.post(url, data=_meeting_data(token, day="2026-02-30"), headers=HX).get_data(as_text=True)
    assert "Taka data nie istnieje." in impossible and "RRRR-MM-DD" not in _summary(impossible)
    empty = c.post(url, data=_meeting_data(token, day=""), headers=HX).get_data(as_text=True)
    assert "Prosimy wpisać datę." in _summary(empty) and "RRRR-MM-DD" not in _summary(empty)
    wrong = c.post(url, data=_meeting_data(token, day="30.02.2026"), headers=HX).get_data(as_text=True)
    assert "Prosimy wpisać datę w formacie RRRR-MM-DD." in _summary(wrong)
    member_url = f"{BASE}/{world.group_id}/czlonkowie/nowy"
    member = c.post(member_url, data={"csrf_token": token, "full_name": "Nowa Osoba", "role": "member",
                                      "category": "pes", "date_from": "2026-04-31", "title_form": "",
                                      "locale": "pl"}, headers=HX)
    assert member.status_code == 422 and "Taka data nie istnieje." in member.get_data(as_text=True)
