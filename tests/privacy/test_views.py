"""Privacy pages: with and without htmx, 422 re-renders, the export job end to end, regions."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from coordination.audit import AuditLog
from coordination.auth.models import User
from coordination.exports import services as export_services
from coordination.extensions import db
from coordination.tenancy import all_tenants
from privacy.models import ErasureRecord, RetentionSetting
from workgroups.models import GroupMember

HX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _forms_without_csrf(csrf_off):
    """CSRF itself is tested in tests/test_csrf.py."""


def _client(app, login, uid):
    return login(app.test_client(), uid)


def test_account_page_full_and_partial(app, login, world):
    c = _client(app, login, world.admin)
    full = c.get(f"/prywatnosc/konto/{world.anna}")
    html = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in html
    assert "Anna Nowak" in html and "Eksportuj dane osoby (ZIP)" in html
    # each kind of data by its name, with the file it has in the export
    assert '<th scope="row">Uwagi do protokołów</th>' in html and "<code>minutes_<wbr>comment.json</code>" in html
    part = c.get(f"/prywatnosc/konto/{world.anna}", headers=HX)
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    # the admin's account page links to it
    assert f"/prywatnosc/konto/{world.anna}" in c.get(f"/admin/uzytkownicy/{world.anna}").get_data(as_text=True)


def test_account_export_is_queued_written_and_downloaded_by_the_requester(app, login, world):
    c = _client(app, login, world.admin)
    answer = c.post(f"/prywatnosc/konto/{world.anna}/eksport", data={})
    assert answer.status_code == 303
    job_url = answer.headers["Location"]
    assert c.get(job_url).status_code == 200
    with app.app_context():
        assert export_services.run_pending() == 1
        db.session.remove()
    download = c.get(job_url + "/plik")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert json.loads(archive.read("user_account.json"))[0]["full_name"] == "Anna Nowak"
    # nobody else reads it, the coordinator neither
    other = _client(app, login, world.coordinator)
    assert other.get(job_url + "/plik").status_code == 404
    with app.app_context(), all_tenants():
        assert "privacy.export" in db.session.scalars(select(AuditLog.action)).all()


def test_erasure_confirmation_validates_and_erases(app, login, world):
    c = _client(app, login, world.admin)
    url = f"/prywatnosc/konto/{world.anna}/usuniecie"
    page = c.get(url).get_data(as_text=True)
    assert "imię i nazwisko zapisane w przyjętym protokole nie zostanie usunięte" in page
    refused = c.post(url, data={"reason": "", "confirm": ""}, headers=HX)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "<html" not in body
    assert "Prosimy podać podstawę usunięcia danych." in body
    assert "Prosimy potwierdzić usunięcie danych." in body
    plain = c.post(url, data={"reason": "Wniosek DO.1.2026"})
    assert plain.status_code == 422 and "<html" in plain.get_data(as_text=True)  # no checkbox
    with app.app_context():
        assert db.session.scalar(select(ErasureRecord.id)) is None
    done = c.post(url, data={"reason": "Wniosek DO.1.2026", "confirm": "y"}, headers=HX)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(f"/prywatnosc/konto/{world.anna}")
    with app.app_context():
        assert db.session.get(User, world.anna).full_name.startswith("Osoba usunięta #")


def test_contact_pages_for_the_coordinator_and_not_for_another_region(app, login, world):
    c = _client(app, login, world.coordinator)
    edit = c.get(f"/wielkopolskie/grupy/{world.group}/czlonkowie/{world.m_bogdan}")
    assert f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}" in edit.get_data(as_text=True)
    page = c.get(f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}")
    assert page.status_code == 200 and "Bogdan Wiśniewski" in page.get_data(as_text=True)
    assert c.get(f"/lodzkie/ochrona-danych/kontakt/{world.m_bogdan}").status_code == 404
    foreign = _client(app, login, world.foreign)
    assert foreign.get(f"/lodzkie/ochrona-danych/kontakt/{world.m_bogdan}").status_code == 404
    member = _client(app, login, world.anna)
    assert member.get(f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}").status_code == 403
    answer = c.post(f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}/usuniecie",
                    data={"reason": "Wniosek", "confirm": "y"})
    assert answer.status_code == 303
    with app.app_context(), all_tenants():
        assert db.session.get(GroupMember, world.m_bogdan).email is None
        assert db.session.get(GroupMember, world.m_anna).email == "anna.nowak@example.org"


def test_overview_saves_keeping_times(app, login, world):
    c = _client(app, login, world.admin)
    page = c.get("/prywatnosc/")
    assert page.status_code == 200 and "Okresy przechowywania" in page.get_data(as_text=True)
    data = {"rsvp_links": "180", "export_files": "7", "notifications": "365", "audit_entries": "3650"}
    bad = c.post("/prywatnosc/", data={**data, "rsvp_links": "0"}, headers=HX)
    assert bad.status_code == 422 and "od 1 do 36500" in bad.get_data(as_text=True)
    ok = c.post("/prywatnosc/", data={**data, "confirm_shorter": "y"})  # 180 < 365 days
    assert ok.status_code == 303
    with app.app_context():
        assert db.session.get(RetentionSetting, "rsvp_links").days == 180
    assert _client(app, login, world.coordinator).get("/prywatnosc/").status_code == 404


def test_erased_contact_leaves_the_groups_and_cannot_be_erased_twice(app, login, world):
    """An erased contact is no longer an active member (not offered as chair, minute-taker or
    in a new meeting's list); the past attendance keeps the pseudonym. The erasure page of an
    erased person says so instead of showing the form again."""
    from datetime import timedelta

    from coordination import clock
    from workgroups.models import Attendance
    from workgroups.queries.groups import active_members_clause

    c = _client(app, login, world.coordinator)
    url = f"/wielkopolskie/ochrona-danych/kontakt/{world.m_bogdan}/usuniecie"
    assert c.post(url, data={"reason": "Wniosek", "confirm": "y"}).status_code == 303
    with app.app_context(), all_tenants():
        member = db.session.get(GroupMember, world.m_bogdan)
        assert member.date_to == clock.today() and member.full_name.startswith("Osoba usunięta #")
        tomorrow = clock.today() + timedelta(days=1)
        active = db.session.scalars(select(GroupMember.id).where(
            GroupMember.group_id == world.group, active_members_clause(tomorrow))).all()
        assert world.m_bogdan not in active and world.m_anna in active
        assert db.session.scalar(select(Attendance.id).where(Attendance.member_id == world.m_bogdan))
        ended = db.session.scalars(select(AuditLog).where(AuditLog.action == "group.member_end")).all()
        assert [e.object_id for e in ended] == [world.m_bogdan]
    again = c.get(url)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "zostały już usunięte" in html
    assert 'name="reason"' not in html
    refused = c.post(url, data={"reason": "Drugi wniosek", "confirm": "y"})
    assert refused.status_code == 409 and "zostały już usunięte" in refused.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(ErasureRecord)).all()) == 1


def test_keeping_times_are_linked_keep_what_was_typed_and_shortening_is_confirmed(app, login, world):
    c = _client(app, login, world.admin)
    assert 'href="/prywatnosc/"' in c.get("/admin/uzytkownicy").get_data(as_text=True)
    data = {"rsvp_links": "365", "export_files": "7", "notifications": "365", "audit_entries": "3650"}
    typed = c.post("/prywatnosc/", data={**data, "rsvp_links": "abc"}, headers=HX)
    html = typed.get_data(as_text=True)
    assert typed.status_code == 422
    assert re.search(r'<input[^>]*name="rsvp_links"[^>]*type="text"[^>]*value="abc"', html)
    shorter = {**data, "audit_entries": "30"}
    asked = c.post("/prywatnosc/", data=shorter, headers=HX)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422
    assert "Wpisy starsze niż 30 dni zostaną usunięte przy najbliższym uruchomieniu zadania." in html
    assert 'name="confirm_shorter"' in html and re.search(r'name="audit_entries"[^>]*value="30"', html)
    with app.app_context():
        assert db.session.get(RetentionSetting, "audit_entries") is None  # nothing stored yet
    assert c.post("/prywatnosc/", data={**shorter, "confirm_shorter": "y"}).status_code == 303
    with app.app_context():
        assert db.session.get(RetentionSetting, "audit_entries").days == 30
    # a longer keeping time needs no confirmation
    assert c.post("/prywatnosc/", data={**data, "audit_entries": "4000"}).status_code == 303
