"""Issue 15 (3–5): the structure of the generated minutes, the letterhead and signatures of the
documents, adoption only at a held meeting after the comments, closing comments early, and the
draft sent with DOCX/PDF attachments and personal links for attendees without an account."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

import pytest
from docx import Document
from sqlalchemy import select

from coordination import clock
from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tenants.models import Tenant
from tests.conftest import csrf_token
from workgroups import exports
from workgroups.models import ActionItem, AgendaItem, Minutes, MinutesComment, MinutesLink
from workgroups.services import mail, records
from workgroups.services import minutes as services

from .conftest import REGION, actor, deliver, group_of, held_meeting, make_meeting

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"


def _decided_meeting(world):
    """An earlier held meeting with an open task, then the minuted meeting (its agenda carries the
    task over) with a resolution (with text) and two tasks agreed."""
    group = group_of(world)
    earlier = held_meeting(world, day=clock.today() - timedelta(days=40))
    records.add_action(group, earlier, {"description": "Przygotować listę partnerów", "owner_id": world.member_ids[1],
                                        "due_date": clock.today() + timedelta(days=5)}, actor=actor(world))
    meeting = held_meeting(world)
    records.add_resolution(meeting, group, {"subject": "przyjęcia planu promocji na 2026 r.", "votes_for": 3,
                                            "votes_against": 0, "votes_abstain": 0,
                                            "body": "§ 1. Przyjmuje się plan promocji.\n§ 2. Uchwała wchodzi w życie z dniem podjęcia."},
                           actor=actor(world))
    records.add_action(group, meeting, {"description": "Rozesłać plan promocji do OWES", "owner_id": world.member_ids[0],
                                        "due_date": date(2026, 12, 4)}, actor=actor(world))
    return earlier, meeting


def test_draft_follows_the_structure_of_polish_minutes(region):
    earlier, meeting = _decided_meeting(region)
    follow = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.follow_up))
    assert follow is not None and follow.position == 1  # the agenda lists it first …
    body = services.create_draft(meeting, group_of(region), actor=actor(region)).body
    assert body.startswith(f"# Protokół nr {meeting.label} z posiedzenia Grupy ds. promocji\n")
    headings = re.findall(r"^## (.+)$", body, re.M)
    assert headings == [
        "Lista obecności", "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum", "Ad. 2 Przyjęcie porządku obrad",
        "Ad. 3 Przyjęcie protokołu z poprzedniego posiedzenia",
        "Ad. 4 Realizacja zadań z poprzednich posiedzeń",  # … the minutes after the opening
        "Ad. 5 Plan promocji na 2026 r.", "Ad. 6 Sprawy różne",
        "Podjęte uchwały", "Ustalenia i zadania", "Ad. 7 Zamknięcie posiedzenia"]
    assert "| Nr | Imię i nazwisko | Instytucja | Obecność |" in body
    assert "**Obecni:** Łucja Sekretarz, Marek Członkowski, Zofia Żółkiewska." in body
    assert "Stwierdzono kworum: obecnych 3 z 4 członków z prawem głosu." in body
    assert f"Protokół nr {earlier.label} z posiedzenia w dniu" in body
    assert "| 1 | Przygotować listę partnerów | Łucja Sekretarz |" in body  # carried over, with owner
    assert "Referuje: Łucja Sekretarz." in body
    assert "### Uchwała nr 1/2026 w sprawie przyjęcia planu promocji na 2026 r." in body
    assert "§ 1. Przyjmuje się plan promocji.  \n§ 2. Uchwała" in body  # the text keeps its lines
    assert "Głosowanie: za – 3, przeciw – 0, wstrzymało się – 0. Wynik: uchwała została przyjęta." in body
    assert "| 1 | Rozesłać plan promocji do OWES | Zofia Żółkiewska | 4 grudnia 2026 | otwarte |" in body
    assert "posiedzenie zamknięto o godz. 12:30" in body
    assert "(-a)" not in body and "(a)" not in body


def test_documents_have_letterhead_attendance_table_and_signatures(region):
    meeting = held_meeting(region)
    group = group_of(region)
    tenant = db.session.get(Tenant, region.tenant_id)
    tenant.operator_name, tenant.address = "Regionalny Ośrodek Polityki Społecznej w Poznaniu", "ul. Nowowiejskiego 11\n61-731 Poznań"
    db.session.commit()
    minutes = services.create_draft(meeting, group, actor=actor(region))
    document = Document(io.BytesIO(exports.minutes_docx_bytes(meeting, group, minutes)))
    header = document.sections[0].header.paragraphs[0].text
    assert "Regionalny Ośrodek Polityki Społecznej w Poznaniu" in header and "61-731 Poznań" in header
    assert document.core_properties.title == f"Protokół nr {meeting.label} z posiedzenia Grupy ds. promocji"
    attendance, signatures = document.tables[0], document.tables[-1]
    assert [c.text for c in attendance.rows[0].cells] == ["Nr", "Imię i nazwisko", "Instytucja", "Obecność"]
    assert [c.text for c in signatures.rows[1].cells] == ["Osoba przewodnicząca posiedzeniu", "Osoba protokołująca"]
    assert document.paragraphs[0].text == "PROJEKT"
    pdf = exports.minutes_pdf_bytes(meeting, group, minutes)
    assert pdf.startswith(b"%PDF") and len(pdf) < 1_000_000


def test_adoption_only_at_a_held_meeting_after_the_comments(region, pinned_clock):
    meeting = held_meeting(region)
    group = group_of(region)
    minutes = services.create_draft(meeting, group, actor=actor(region))
    services.send_for_comments(minutes, meeting, group, clock.today() + timedelta(days=7), actor=actor(region),
                               notify=False)
    planned = make_meeting(region, clock.today() + timedelta(days=14))
    with pytest.raises(DomainError, match="Protokół można przyjąć po tym dniu"):
        services.adopt(minutes, meeting, "meeting", None, planned.id, actor=actor(region))
    # past the deadline: a meeting that has not taken place is still refused
    pinned_clock.advance(days=8)
    with pytest.raises(DomainError, match="tylko na posiedzeniu, które się odbyło") as err:
        services.adopt(minutes, meeting, "meeting", None, planned.id, actor=actor(region))
    assert err.value.field == "at_meeting_id"
    in_consultation = held_meeting(region, day=clock.today() - timedelta(days=2))  # before the deadline ended
    with pytest.raises(DomainError, match="przed zakończeniem zgłaszania uwag"):
        services.adopt(minutes, meeting, "meeting", None, in_consultation.id, actor=actor(region))
    with pytest.raises(DomainError, match="przed zakończeniem zgłaszania uwag"):
        services.adopt(minutes, meeting, "circulation", clock.today() - timedelta(days=3), None, actor=actor(region))
    pinned_clock.advance(days=6)
    held = held_meeting(region, day=clock.today() - timedelta(days=1))
    services.adopt(minutes, meeting, "meeting", None, held.id, actor=actor(region))
    assert minutes.status == "adopted" and minutes.adopted_on == held.day <= clock.today()


def test_closing_comments_early_needs_a_reason_kept_and_logged(region):
    meeting = held_meeting(region)
    group = group_of(region)
    minutes = services.create_draft(meeting, group, actor=actor(region))
    with pytest.raises(DomainError):
        services.close_comments(minutes, "powód", actor=actor(region))  # a draft is not under consultation
    services.send_for_comments(minutes, meeting, group, clock.today() + timedelta(days=7), actor=actor(region),
                               notify=False)
    with pytest.raises(DomainError) as err:
        services.close_comments(minutes, "  ", actor=actor(region))
    assert err.value.field == "reason" and minutes.comments_closed_at is None
    services.close_comments(minutes, "Komitet zbiera się wcześniej.", actor=actor(region))
    assert minutes.comments_closed_reason == "Komitet zbiera się wcześniej." and not services.comments_open(minutes)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "minutes.comments_close"))
    assert entry.summary["reason"] == "Komitet zbiera się wcześniej."
    with pytest.raises(DomainError, match="zamknięte"):
        services.add_comment(minutes, "Ad. 1", "Za późno", author=actor(region, "member"))
    today = held_meeting(region, day=clock.today())
    services.adopt(minutes, meeting, "meeting", None, today.id, actor=actor(region))
    assert minutes.adopted_on == clock.today()


def _send(world):
    meeting = held_meeting(world)
    group = group_of(world)
    minutes = services.create_draft(meeting, group, actor=actor(world))
    services.send_for_comments(minutes, meeting, group, clock.today() + timedelta(days=7), actor=actor(world))
    return meeting, minutes


def _token(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            found = re.search(r"/projekt-protokolu/([\w-]+)", part.get_payload(decode=True).decode())
            if found:
                return found.group(1)
    raise AssertionError("no personal link in the message")


def test_draft_goes_out_with_docx_pdf_and_personal_links(region, smtp):
    meeting, minutes = _send(region)
    assert deliver() == {"sent": 3}
    by_to = {m["to"][0]: m["message"] for m in smtp.messages}
    for message in by_to.values():
        files = {p.get_filename(): p for p in message.walk() if p.get_filename()}
        assert set(files) == {f"projekt-protokolu-{meeting.number}-{meeting.year}.docx",
                              f"projekt-protokolu-{meeting.number}-{meeting.year}.pdf"}
        assert all(0 < len(p.get_payload(decode=True)) < 1_000_000 for p in files.values())
    # contacts without an account: a personal link; the member with an account: the app page
    assert _token(by_to["zofia@example.org"]) and _token(by_to["lucja@example.org"])
    member_text = next(p for p in by_to["czlonek@example.org"].walk() if p.get_content_type() == "text/plain")
    assert "/projekt-protokolu/" not in member_text.get_payload(decode=True).decode()
    assert f"/posiedzenia/{meeting.id}/protokol" in member_text.get_payload(decode=True).decode()
    links = db.session.scalars(select(MinutesLink)).all()
    assert sorted(link.member_id for link in links) == sorted(region.member_ids[:2])
    assert mail.read_minutes_token(_token(by_to["zofia@example.org"]))[0] == region.tenant_id


def _token_world(app, world, smtp):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting, minutes = _send(world)
        deliver()
        ids = (meeting.id, minutes.id)
        db.session.remove()
    by_to = {m["to"][0]: m["message"] for m in smtp.messages}
    return ids, _token(by_to["zofia@example.org"])


def test_token_page_reads_and_comments_without_an_account(app, world, smtp):
    (meeting_id, minutes_id), token = _token_world(app, world, smtp)
    client = app.test_client()
    url = f"/projekt-protokolu/{token}"
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Projekt protokołu" in html and "Zofia Żółkiewska" in html
    assert "Otwarcie posiedzenia i stwierdzenie kworum" in html and 'name="body"' in html
    empty = client.post(url, data={"csrf_token": csrf_token(client, url), "section": "Ad. 1", "body": " "}, headers=HX)
    assert empty.status_code == 422 and "Prosimy wpisać swoją uwagę." in empty.get_data(as_text=True)
    made_up = client.post(url, data={"csrf_token": csrf_token(client, url), "section": "<script>x</script>",
                                     "body": "Uwaga"}, headers=HX)  # only the draft's own sections
    assert made_up.status_code == 422 and "Prosimy wybrać jedną z części projektu." in made_up.get_data(as_text=True)
    done = client.post(url, data={"csrf_token": csrf_token(client, url), "section": "Ad. 2 Przyjęcie porządku obrad",
                                  "body": "Proszę dopisać punkt o budżecie."})
    assert done.status_code == 303 and re.search(r"#uwaga-\d+$", done.headers["Location"])
    with app.test_request_context(), tenant_context(world.tenant_id):
        comment = db.session.scalar(select(MinutesComment))
        assert (comment.author_name, comment.member_id, comment.author_id) == ("Zofia Żółkiewska", world.member_ids[0], None)
        db.session.remove()
    after = client.get(url).get_data(as_text=True)
    assert "Dziękujemy, uwaga została zapisana." in after and "Proszę dopisać punkt o budżecie." in after


def test_coordinator_sees_the_comment_and_the_links(app, world, smtp, login):
    (meeting_id, _minutes_id), token = _token_world(app, world, smtp)
    client = app.test_client()
    url = f"/projekt-protokolu/{token}"
    client.post(url, data={"csrf_token": csrf_token(client, url), "section": "Ad. 1 Otwarcie posiedzenia i stwierdzenie kworum",
                           "body": "Uwaga z linku."})
    c = login(app.test_client(), world.coordinator_id)
    html = c.get(f"{BASE}/posiedzenia/{meeting_id}/protokol").get_data(as_text=True)
    assert "Uwaga z linku." in html and "Zofia Żółkiewska" in html
    assert "Wysłane linki imienne" in html and "Łucja Sekretarz" in html
    # members without the management right do not see who got links
    m = login(app.test_client(), world.member_user_id)
    assert "Wysłane linki imienne" not in m.get(f"{BASE}/posiedzenia/{meeting_id}/protokol").get_data(as_text=True)


def test_token_page_after_deadline_is_read_only(app, world, smtp, pinned_clock, csrf_off):
    _ids, token = _token_world(app, world, smtp)
    pinned_clock.advance(days=8)
    client = app.test_client()
    url = f"/projekt-protokolu/{token}"
    html = client.get(url).get_data(as_text=True)
    assert "Termin zgłaszania uwag upłynął" in html and 'name="body"' not in html
    refused = client.post(url, data={"section": "Ad. 1", "body": "Po terminie"}, headers=HX)
    assert refused.status_code == 422 and "Termin zgłaszania uwag minął." in refused.get_data(as_text=True)


def _invalid(client, url):
    """The one "link no longer valid" page (404), the same whatever the reason (URL aside)."""
    resp = client.get(url)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "Ten link jest już nieważny" in html
    return re.search(r"<main.*</main>", html, re.S).group(0)


def test_token_page_expired_revoked_wrong_and_foreign(app, world, smtp, pinned_clock, login, tenants):
    (meeting_id, minutes_id), token = _token_world(app, world, smtp)
    client = app.test_client()
    wrong = _invalid(client, "/projekt-protokolu/nie-ma-takiego-linku")
    # an RSVP secret is not a minutes link and vice versa
    _invalid(client, f"/odpowiedz/{token}")
    # revoked by the coordinator (after a confirmation page)
    c = login(app.test_client(), world.coordinator_id)
    with app.test_request_context(), tenant_context(world.tenant_id):
        link_id = db.session.scalar(select(MinutesLink.id).where(MinutesLink.member_id == world.member_ids[0]))
        db.session.remove()
    revoke = f"{BASE}/posiedzenia/{meeting_id}/protokol/linki/{link_id}/uniewaznij"
    assert "Tak, unieważnij link" in c.get(revoke).get_data(as_text=True)
    assert c.post(revoke, data={"csrf_token": csrf_token(c, revoke)}, headers=HX).headers["HX-Redirect"].endswith("#linki")
    assert _invalid(client, f"/projekt-protokolu/{token}") == wrong
    # a foreign region cannot revoke this region's link (404)
    other = login(app.test_client(), world.coordinator_id)
    assert other.get(f"/lodzkie/grupy/posiedzenia/{meeting_id}/protokol/linki/{link_id}/uniewaznij").status_code in (403, 404)
    # expired: two weeks after the deadline the other person's link stops working
    by_to = {m["to"][0]: m["message"] for m in smtp.messages}
    other_token = _token(by_to["lucja@example.org"])
    assert client.get(f"/projekt-protokolu/{other_token}").status_code == 200
    pinned_clock.advance(days=7 + 15)
    assert _invalid(client, f"/projekt-protokolu/{other_token}") == wrong


def test_token_of_another_region_does_not_open_there(app, world, smtp):
    """The token carries its region; the link row is never visible from another region."""
    from workgroups.queries.minutes import token_row

    _ids, token = _token_world(app, world, smtp)
    with app.test_request_context():
        tenant_id, link_id = mail.read_minutes_token(token)
        lodzkie = db.session.scalar(select(Tenant.id).where(Tenant.slug == "lodzkie"))
    assert tenant_id == world.tenant_id
    with app.test_request_context(), tenant_context(lodzkie):
        assert token_row(link_id) is None
        db.session.remove()
    with app.test_request_context(), tenant_context(world.tenant_id):
        assert token_row(link_id) is not None
        db.session.remove()


def test_close_comments_and_adopt_views(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = held_meeting(world)
        minutes = services.create_draft(meeting, group_of(world), actor=actor(world))
        services.send_for_comments(minutes, meeting, group_of(world), clock.today() + timedelta(days=7),
                                   actor=actor(world), notify=False)
        planned = make_meeting(world, clock.today() + timedelta(days=30))
        meeting_id, planned_label = meeting.id, planned.label
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    adopt = f"{BASE}/posiedzenia/{meeting_id}/protokol/przyjecie"
    page = c.get(adopt).get_data(as_text=True)
    assert "Uwagi można zgłaszać do" in page and planned_label not in page  # only held meetings offered
    close = f"{BASE}/posiedzenia/{meeting_id}/protokol/zamkniecie-uwag"
    bad = c.post(close, data={"csrf_token": csrf_token(c, close), "reason": ""}, headers=HX)
    assert bad.status_code == 422 and "Prosimy podać uzasadnienie" in bad.get_data(as_text=True)
    bad_plain = c.post(close, data={"csrf_token": csrf_token(c, close), "reason": ""})
    assert bad_plain.status_code == 422
    ok = c.post(close, data={"csrf_token": csrf_token(c, close), "reason": "Posiedzenie Komitetu jest wcześniej."},
                headers=HX)
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/posiedzenia/{meeting_id}/protokol")
    html = c.get(f"{BASE}/posiedzenia/{meeting_id}/protokol").get_data(as_text=True)
    assert "Uwagi zamknięte przed terminem" in html and "Posiedzenie Komitetu jest wcześniej." in html
    plain = c.post(adopt, data={"csrf_token": csrf_token(c, adopt), "mode": "meeting", "at_meeting_id": ""})
    assert plain.status_code == 422
    with app.test_request_context(), tenant_context(world.tenant_id):
        assert db.session.scalar(select(Minutes.status)) == "consultation"
        assert db.session.scalar(select(ActionItem.id)) is None
        db.session.remove()
    # members cannot close comments
    m = login(app.test_client(), world.member_user_id)
    assert m.get(close).status_code == 403


def test_link_expiry_rule(region, pinned_clock):
    meeting = held_meeting(region)
    minutes = services.create_draft(meeting, group_of(region), actor=actor(region))
    services.send_for_comments(minutes, meeting, group_of(region), clock.today() + timedelta(days=7),
                               actor=actor(region), notify=False)
    link = MinutesLink(minutes_id=minutes.id, member_id=region.member_ids[0], token_hash="x" * 64,
                       created_at=datetime(2026, 1, 1))
    assert mail.minutes_link_valid(link, minutes)
    pinned_clock.advance(days=7 + 14)
    assert mail.minutes_link_valid(link, minutes)
    pinned_clock.advance(days=1)
    assert not mail.minutes_link_valid(link, minutes)
