"""What a coordinator notices at once (issue 15, items 6-7; issue 16, item 11): the attendance
register opens at the meeting's start with nothing preselected and the meeting's phase follows
the clock; the meetings list puts what is coming first; one menu entry is current and
breadcrumbs lead back; the comment deadline is prefilled on a working day; action items can be
given to ROPS staff but not to former members; an ended term is flagged; the agenda form adds
rows; the demo calendar avoids weekends, public holidays and shared hours."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from coordination.clock import WARSAW
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from coordination.workdays import holiday_name, is_working_day, next_working_day, working_deadline
from workgroups.models import ActionItem, Attendance, Group, Meeting, Rsvp
from workgroups.services import groups as group_services
from workgroups.services import meetings as services
from workgroups.services import minutes as minutes_services
from workgroups.services import records

from .conftest import REGION, actor, group_of, make_meeting, member

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"
#: the meetings the tests make start on this day at 10:00 (Warsaw), end at 12:30.
DAY = date(2026, 11, 25)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=WARSAW)


# --- Polish working days -------------------------------------------------------------------

def test_public_holidays_and_working_days():
    assert holiday_name(date(2026, 12, 25)) and holiday_name(date(2027, 1, 1))
    assert holiday_name(date(2027, 3, 29))  # Easter Monday 2027
    assert holiday_name(date(2026, 12, 24))  # Christmas Eve is a day off since 2025
    assert holiday_name(date(2026, 12, 23)) is None
    assert not is_working_day(date(2026, 12, 5))  # Saturday
    assert not is_working_day(date(2026, 11, 11)) and is_working_day(date(2026, 11, 12))
    # Friday 18 Dec + 7 days = Friday 25 Dec (holiday), 26 Dec Saturday, 27 Sunday -> Monday 28
    assert working_deadline(date(2026, 12, 18), 7) == date(2026, 12, 28)
    assert working_deadline(date(2026, 12, 25), 7) == date(2027, 1, 4)  # 1 Jan holiday, weekend
    assert next_working_day(date(2026, 11, 18)) == date(2026, 11, 18)


def test_comment_deadline_is_prefilled_on_a_working_day(app, world, pinned_clock, login):
    pinned_clock.set(at(date(2026, 12, 18), 9))
    with app.test_request_context(), tenant_context(world.tenant_id):
        assert minutes_services.default_comment_deadline() == date(2026, 12, 28)
        meeting = make_meeting(world, date(2026, 12, 16))
        services.record_attendance(meeting, {mid: ("present", None) for mid in world.member_ids},
                                   actor=actor(world))
        minutes_services.create_draft(meeting, group_of(world), actor=actor(world))
        meeting_id = meeting.id
        db.session.remove()
    meeting = type("M", (), {"id": meeting_id})
    c = login(app.test_client(), world.coordinator_id)
    html = c.get(f"{BASE}/posiedzenia/{meeting.id}/protokol/konsultacja").get_data(as_text=True)
    assert 'name="deadline"' in html and 'value="2026-12-28"' in html
    assert "następny dzień roboczy" in html


# --- meeting phase and the attendance register ---------------------------------------------

def test_phase_follows_the_clock_and_attendance_makes_a_started_meeting_held(region, pinned_clock):
    pinned_clock.set(at(DAY, 8))
    meeting = make_meeting(region, DAY)
    assert meeting.phase == "planned" and not meeting.started
    pinned_clock.set(at(DAY, 9, 59))
    with pytest.raises(DomainError, match="od rozpoczęcia posiedzenia"):
        services.record_attendance(meeting, {region.member_ids[0]: ("present", None)}, actor=actor(region))
    assert meeting.status == "planned"
    assert db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id)) is None
    pinned_clock.set(at(DAY, 10))
    assert meeting.phase == "in_progress"
    pinned_clock.set(at(DAY, 12, 30))
    assert meeting.phase == "unrecorded"
    pinned_clock.set(at(DAY, 10, 5))
    services.record_attendance(meeting, {mid: ("present", None) for mid in region.member_ids}, actor=actor(region))
    assert meeting.status == "held" and meeting.phase == "held"
    other = make_meeting(region, DAY + timedelta(days=7))
    services.cancel_meeting(other, group_of(region), actor=actor(region))
    assert other.phase == "cancelled"


def test_a_member_without_status_is_refused_and_nothing_is_written(region, pinned_clock):
    pinned_clock.set(at(DAY, 11))
    meeting = make_meeting(region, DAY)
    rows = {mid: ("present", None) for mid in region.member_ids}
    rows[region.member_ids[1]] = ("", None)
    with pytest.raises(DomainError) as refused:
        services.record_attendance(meeting, rows, actor=actor(region))
    assert refused.value.field == f"status-{region.member_ids[1]}"
    assert db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id)) is None
    assert meeting.status == "planned"


@pytest.fixture
def started(app, world, pinned_clock):
    """A meeting on DAY at 10:00 with two RSVP answers; the clock at 10:15 that day."""
    with app.test_request_context(), tenant_context(world.tenant_id):
        pinned_clock.set(at(DAY, 8))
        meeting = make_meeting(world, DAY)
        services.record_rsvp(meeting, member(world.member_ids[0]), "yes", None)
        services.record_rsvp(meeting, member(world.member_ids[1]), "no", "Jan Zastępca")
        meeting_id = meeting.id
        db.session.remove()
    pinned_clock.set(at(DAY, 10, 15))
    return meeting_id


def test_register_is_not_offered_before_the_start(app, world, started, pinned_clock, login, csrf_off):
    pinned_clock.set(at(DAY, 9, 30))
    c = login(app.test_client(), world.coordinator_id)
    page = c.get(f"{BASE}/posiedzenia/{started}").get_data(as_text=True)
    assert f'/posiedzenia/{started}/obecnosc"' not in page and "zaplanowane" in page
    html = c.get(f"{BASE}/posiedzenia/{started}/obecnosc").get_data(as_text=True)
    assert "<select" not in html and "25 listopada 2026, 10:00" in html
    for headers in ({}, HX):
        answer = c.post(f"{BASE}/posiedzenia/{started}/obecnosc",
                        data={f"status-{mid}": "present" for mid in world.member_ids}, headers=headers)
        assert answer.status_code == 422
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(Meeting, started).status == "planned"


def test_register_preselects_nothing_and_suggests_from_the_answers(app, world, started, login, csrf_off):
    c = login(app.test_client(), world.coordinator_id)
    page = c.get(f"{BASE}/posiedzenia/{started}").get_data(as_text=True)
    assert f'/posiedzenia/{started}/obecnosc"' in page and "w toku" in page
    url = f"{BASE}/posiedzenia/{started}/obecnosc"
    html = c.get(url).get_data(as_text=True)
    assert html.count("<select") == len(world.member_ids)
    assert not re.search(r'<option selected value="(present|absent|excused|substitute)"', html)
    assert html.count('<option selected value="">') == len(world.member_ids)
    assert "Odpowiedź na zaproszenie (wskazówka)" in html
    for headers in ({}, HX):
        suggested = c.post(url, data={"suggest": "1"}, headers=headers)
        body = suggested.get_data(as_text=True)
        assert suggested.status_code == 200 and "To tylko propozycja" in body
        chosen = {name: value for name, value in re.findall(
            r'<select[^>]*name="status-(\d+)"[^>]*>.*?<option selected value="([^"]*)"', body, re.S)}
        assert chosen.get(str(world.member_ids[0])) == "present"
        assert chosen.get(str(world.member_ids[1])) == "substitute"
        assert ("<html" in body) == (not headers)
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == started)) is None


def test_register_saves_after_the_start_with_and_without_htmx(app, world, started, login, csrf_off):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/posiedzenia/{started}/obecnosc"
    data = {f"status-{mid}": "present" for mid in world.member_ids}
    data[f"status-{world.member_ids[3]}"] = ""
    bad = c.post(url, data=data, headers=HX)
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.get_data(as_text=True)
    data[f"status-{world.member_ids[3]}"] = "excused"
    ok = c.post(url, data=data, headers=HX)
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/posiedzenia/{started}")
    again = c.post(url, data=dict(data, **{f"status-{world.member_ids[3]}": "absent"}))
    assert again.status_code == 303
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.get(Meeting, started).status == "held"
        statuses = dict(db.session.execute(select(Attendance.member_id, Attendance.status)
                                           .where(Attendance.meeting_id == started)).all())
        assert statuses[world.member_ids[3]] == "absent" and len(statuses) == len(world.member_ids)
        assert db.session.scalar(select(Rsvp.answer).where(Rsvp.meeting_id == started,
                                                           Rsvp.member_id == world.member_ids[0])) == "yes"


# --- meetings list --------------------------------------------------------------------------

def test_meetings_list_puts_coming_meetings_first_soonest_first(app, world, pinned_clock, login):
    pinned_clock.set(at(DAY, 11))
    with app.test_request_context(), tenant_context(world.tenant_id):
        for days, title in ((-30, "Dawne"), (-3, "Niedawne"), (40, "Odległe"), (6, "Bliskie"), (0, "Dzisiejsze")):
            make_meeting(world, DAY + timedelta(days=days), title=title)
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    for headers in ({}, HX):
        html = c.get(f"{BASE}/posiedzenia", headers=headers).get_data(as_text=True)
        order = [html.index(t) for t in ("Dzisiejsze", "Bliskie", "Odległe", "Niedawne", "Dawne")]
        assert order == sorted(order)
        assert html.index("Posiedzenia nadchodzące i trwające") < html.index("Dzisiejsze")
        assert html.index("Minione posiedzenia") < html.index("Niedawne")
        assert "w toku" in html and "zakończone – brak listy obecności" in html
        assert 'data-label="Godzina"' in html or 'data-label="Czas"' in html
    planned = c.get(f"{BASE}/posiedzenia?status=planned").get_data(as_text=True)
    assert "Bliskie" in planned and "Odległe" in planned and "Niedawne" not in planned
    assert "Dzisiejsze" not in planned


# --- navigation ---------------------------------------------------------------------------

def _main_nav(html: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def test_one_menu_entry_is_current_and_breadcrumbs_lead_back(app, world, started, login):
    c = login(app.test_client(), world.coordinator_id)
    for url, current in ((f"{BASE}/", "Grupy"), (f"{BASE}/posiedzenia", "Posiedzenia"),
                         (f"{BASE}/{world.group_id}", "Grupy"), (f"{BASE}/posiedzenia/{started}/obecnosc", "Grupy"),
                         (f"{BASE}/uchwaly", "Uchwały")):
        html = c.get(url).get_data(as_text=True)
        nav = _main_nav(html)
        assert nav.count('aria-current="page"') == 1, url
        assert re.search(r'aria-current="page">' + current + "<", nav), url
        crumbs = re.search(r'<nav class="breadcrumbs" aria-label="Ścieżka">(.*?)</nav>', html, re.S).group(1)
        assert crumbs.count('aria-current="page"') == 1 and crumbs.count("<li>") >= 2
    html = c.get(f"{BASE}/posiedzenia/{started}/obecnosc").get_data(as_text=True)
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert "Grupa ds. promocji" in crumbs and f"/posiedzenia/{started}\"" in crumbs
    assert '<span aria-current="page">Lista obecności</span>' in crumbs


# --- action item owners ---------------------------------------------------------------------

def test_owners_are_current_members_and_rops_staff(app, region, pinned_clock, make_user):
    staff_id = make_user("pracownik@example.org", "coordinator", REGION, name="Adam Pracownik")
    pinned_clock.set(at(DAY, 11))
    group = group_of(region)
    meeting = make_meeting(region, DAY)
    former = member(region.member_ids[3])
    old_task = records.add_action(group, meeting, {"description": "Zadanie sprzed odejścia",
                                                   "owner_id": former.id}, actor=actor(region))
    group_services.end_member(former, DAY - timedelta(days=1), actor=actor(region))
    with pytest.raises(DomainError, match="nie jest już członkiem"):
        records.add_action(group, meeting, {"description": "Nowe", "owner_id": former.id}, actor=actor(region))
    # the old task keeps its owner when edited
    records.update_action(old_task, group, {"status": "in_progress", "description": old_task.description,
                                            "owner_id": former.id}, actor=actor(region), full=True)
    assert old_task.owner_id == former.id
    task = records.add_action(group, meeting, {"description": "Przygotować informację dla Komitetu",
                                               "owner_user_id": staff_id}, actor=actor(region))
    assert task.owner_user_id == staff_id and task.owner_id is None
    outsider = region.outsider_id  # a tenant member, not ROPS staff
    with pytest.raises(DomainError, match="pracownika z listy"):
        records.add_action(group, meeting, {"description": "X", "owner_user_id": outsider}, actor=actor(region))


def test_owner_choices_and_staff_see_their_items(app, world, started, login, make_user, csrf_off):
    staff_id = make_user("pracownik@example.org", "coordinator", REGION, name="Adam Pracownik")
    with app.test_request_context(), tenant_context(world.tenant_id):
        group_services.end_member(member(world.member_ids[3]), DAY - timedelta(days=1), actor=actor(world))
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/posiedzenia/{started}/zadania/nowe"
    html = c.get(url).get_data(as_text=True)
    assert '<optgroup label="Pracownicy – Regionalny Ośrodek Polityki Społecznej w Poznaniu">' in html and f'value="u{staff_id}"' in html
    assert "Piotr Gęślą" not in html  # the former member is not offered
    for headers, code in ((HX, 204), ({}, 303)):
        answer = c.post(url, data={"description": f"Zadanie {code}", "owner_id": f"u{staff_id}"}, headers=headers)
        assert answer.status_code == code
    with app.app_context(), tenant_context(world.tenant_id):
        tasks = db.session.scalars(select(ActionItem).where(ActionItem.owner_user_id == staff_id)).all()
        assert len(tasks) == 2
        task_id = tasks[0].id
    edit = c.get(f"{BASE}/zadania/{task_id}").get_data(as_text=True)
    assert re.search(rf'<option selected value="u{staff_id}"|<option value="u{staff_id}" selected', edit)
    staff = login(app.test_client(), staff_id)
    mine = staff.get(f"{BASE}/moje-zadania").get_data(as_text=True)
    assert "Zadanie 204" in mine and "Zadanie 303" in mine
    meeting_page = c.get(f"{BASE}/posiedzenia/{started}").get_data(as_text=True)
    assert "Adam Pracownik" in meeting_page


# --- term ended -----------------------------------------------------------------------------

def test_ended_term_is_flagged_with_what_to_do(app, world, login, pinned_clock):
    pinned_clock.set(at(date(2026, 1, 10), 10))
    with app.test_request_context(), tenant_context(world.tenant_id):
        group = db.session.get(Group, world.group_id)
        group.term_start, group.term_end = date(2023, 1, 1), date(2025, 12, 31)
        db.session.commit()
        assert group.term_ended and group.shown_status == "term_ended"
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    listing = c.get(f"{BASE}/").get_data(as_text=True)
    assert "kadencja zakończona" in listing and ">aktywna<" not in listing
    detail = c.get(f"{BASE}/{world.group_id}").get_data(as_text=True)
    assert "Kadencja zakończyła się 31 grudnia 2025" in detail and "Edytuj grupę" in detail
    member_view = login(app.test_client(), world.member_user_id).get(f"{BASE}/{world.group_id}")
    assert "Kadencja tej grupy zakończyła się 31 grudnia 2025" in member_view.get_data(as_text=True)
    pinned_clock.set(at(date(2025, 12, 31), 10))
    assert ">aktywna<" in c.get(f"{BASE}/").get_data(as_text=True)


# --- agenda rows ----------------------------------------------------------------------------

def test_agenda_form_adds_a_row_and_keeps_what_was_typed(app, world, login, csrf_off):
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/{world.group_id}/posiedzenia/nowe"
    html = c.get(url).get_data(as_text=True)
    assert "agenda-2-title" in html and "agenda-3-title" not in html and "Czas (min)" in html
    assert "Protokół" not in re.search(r'<table class="agenda-edit[^"]*">.*?</table>', html, re.S).group(0)
    data = {"title": "Posiedzenie", "agenda-0-title": "Otwarcie", "agenda-1-title": "Sprawy bieżące",
            "agenda-2-title": "Wolne wnioski", "add_row": "1"}
    for headers in ({}, HX):
        answer = c.post(url, data=data, headers=headers)
        body = answer.get_data(as_text=True)
        assert answer.status_code == 200 and "agenda-3-title" in body and "Wolne wnioski" in body
        assert re.search(r'name="agenda-3-title"[^>]*autofocus|autofocus[^>]*name="agenda-3-title"', body)
    with app.app_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(Meeting.id)) is None


# --- demo calendar --------------------------------------------------------------------------

def test_demo_meetings_fall_on_working_days_at_staggered_hours(app, tenants, pinned_clock):
    pinned_clock.set(at(date(2026, 12, 4), 9))  # +21 days is 25 December
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context(), tenant_context(tenants["wielkopolskie"]):
        meetings = db.session.scalars(select(Meeting)).all()
        assert len(meetings) > 20
        assert all(is_working_day(m.day) for m in meetings), [m.day for m in meetings if not is_working_day(m.day)]
        groups = db.session.scalars(select(Group)).all()
        hours = {g.id: {m.start_time for m in meetings if m.group_id == g.id} for g in groups}
        assert len({min(h) for h in hours.values() if h}) == len([h for h in hours.values() if h])
        phases = {m.phase for m in meetings}
        assert {"held", "planned", "unrecorded"} <= phases
