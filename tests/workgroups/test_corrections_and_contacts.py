"""Editing resolutions before the minutes are adopted and correcting them (with a reason and
a visible history) afterwards; the e-mail language of contacts without an account; answer
links that stop working after the meeting (plus a grace period) or on cancellation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.audit import AuditLog
from coordination.errors import DomainError
from coordination.extensions import db
from coordination.tenancy import tenant_context
from tests.conftest import csrf_token
from workgroups.models import ResolutionCorrection
from workgroups.queries.meetings import all_resolutions, corrections_of
from workgroups.services import groups as group_services
from workgroups.services import mail, records
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as minutes_services

from .conftest import (
    AGENDA,
    REGION,
    actor,
    deliver,
    group_of,
    held_meeting,
    make_meeting,
    meeting_data,
    member,
)

HX = {"HX-Request": "true"}
BASE = f"/{REGION}/grupy"
VOTES = {"subject": "przyjęcia planu pracy", "votes_for": 3, "votes_against": 0, "votes_abstain": 0}


def _resolution(region, **extra):
    meeting = held_meeting(region)
    return meeting, records.add_resolution(meeting, group_of(region), dict(VOTES, **extra), actor=actor(region))


def _adopt(region, meeting):
    group = group_of(region)
    minutes = minutes_services.create_draft(meeting, group, actor=actor(region))
    later = held_meeting(region, day=clock.today() - timedelta(days=1))
    minutes_services.adopt(minutes, meeting, "meeting", None, later.id, actor=actor(region))


def test_edit_before_adoption_rechecks_votes_and_numbers(region):
    meeting, resolution = _resolution(region)
    group = group_of(region)
    other = records.add_resolution(meeting, group, dict(VOTES, subject="drugiej sprawy"), actor=actor(region))
    with pytest.raises(DomainError, match="jest więcej niż obecnych") as err:
        records.update_resolution(resolution, meeting, group, dict(VOTES, votes_for=4), actor=actor(region))
    assert err.value.field == "votes_for"
    with pytest.raises(DomainError, match="już istnieje"):
        records.update_resolution(resolution, meeting, group, dict(VOTES, number=other.number), actor=actor(region))
    db.session.refresh(resolution)
    diff = records.update_resolution(resolution, meeting, group,
                                     dict(VOTES, subject="przyjęcia planu pracy na 2026 r.", votes_for=1,
                                          votes_against=2), actor=actor(region))
    assert diff["subject"][1] == "przyjęcia planu pracy na 2026 r." and diff["outcome"] == ["adopted", "rejected"]
    assert corrections_of(resolution.id) == [] and resolution.corrected_at is None
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.action == "resolution.update"))
    assert records.update_resolution(resolution, meeting, group, dict(VOTES, subject="przyjęcia planu pracy na 2026 r.",
                                                                      votes_for=1, votes_against=2),
                                     actor=actor(region)) == {}


def test_edit_refused_without_quorum(region):
    meeting, resolution = _resolution(region)
    rows = {mid: ("absent", None) for mid in region.member_ids}
    meeting_services.record_attendance(meeting, rows, actor=actor(region))
    with pytest.raises(DomainError, match="kworum"):
        records.update_resolution(resolution, meeting, group_of(region), dict(VOTES, subject="x"), actor=actor(region))


def test_correction_after_adoption_needs_a_reason_and_is_recorded(region):
    meeting, resolution = _resolution(region)
    _adopt(region, meeting)
    group = group_of(region)
    with pytest.raises(DomainError) as err:
        records.update_resolution(resolution, meeting, group, dict(VOTES, votes_for=2, votes_abstain=1),
                                  actor=actor(region), reason="  ")
    assert err.value.field == "reason" and "podaj powód" in err.value.message
    assert db.session.scalar(select(ResolutionCorrection.id)) is None
    records.update_resolution(resolution, meeting, group, dict(VOTES, votes_for=2, votes_abstain=1),
                              actor=actor(region), reason="Omyłka pisarska w liczbie głosów")
    (correction, author), = corrections_of(resolution.id)
    assert correction.reason == "Omyłka pisarska w liczbie głosów" and author == "Katarzyna Koordynator"
    assert correction.changes == {"votes_for": [3, 2], "votes_abstain": [0, 1]}
    assert resolution.corrected_at is not None
    (listed, _group, _meeting), = all_resolutions()
    assert (listed.votes_for, listed.votes_abstain) == (2, 1)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "resolution.correct"))
    assert entry.summary["reason"] == "Omyłka pisarska w liczbie głosów"


def test_correction_views(app, world, login):
    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting, resolution = _resolution(world)
        _adopt(world, meeting)
        resolution_id = resolution.id
        db.session.remove()
    c = login(app.test_client(), world.coordinator_id)
    url = f"{BASE}/uchwaly/{resolution_id}/edycja"
    page = c.get(url)
    assert page.status_code == 200 and "Sprostuj uchwałę" in page.get_data(as_text=True)
    token = csrf_token(c, url)
    form = {"csrf_token": token, "number": "1", "subject": "przyjęcia planu pracy", "votes_for": "2",
            "votes_against": "0", "votes_abstain": "1"}
    bad = c.post(url, data=form, headers=HX)
    assert bad.status_code == 422 and "podaj powód sprostowania" in bad.get_data(as_text=True)
    plain_bad = c.post(url, data=dict(form, reason="x", votes_for="9"))
    assert plain_bad.status_code == 422 and "jest więcej niż obecnych" in plain_bad.get_data(as_text=True)
    ok = c.post(url, data=dict(form, reason="Błąd w protokole głosowania",
                               body="§ 1. Przyjmuje się plan pracy.\n§ 2. Uchwała wchodzi w życie z dniem podjęcia."),
                headers=HX)
    assert ok.status_code == 204 and ok.headers["HX-Redirect"].endswith(f"/uchwaly/{resolution_id}")
    detail = c.get(f"{BASE}/uchwaly/{resolution_id}").get_data(as_text=True)
    assert "Historia sprostowań" in detail and "Błąd w protokole głosowania" in detail
    # each paragraph of the resolution's text on its own line, as typed
    assert "Przyjmuje się plan pracy.<br" in detail
    register = c.get(f"{BASE}/uchwaly").get_data(as_text=True)
    assert "2 / 0 / 1" in register and "sprostowana" in register
    member = login(app.test_client(), world.member_user_id)
    assert member.get(url).status_code == 403
    assert member.get(f"{BASE}/uchwaly/{resolution_id}").status_code == 200


# --- contacts without an account -----------------------------------------------------------

def test_contact_language_is_used_for_invitations(region, smtp):
    group = group_of(region)
    chair = member(region.member_ids[0])                   # Zofia, a contact
    group_services.update_member(chair, group, {**{k: getattr(chair, k) for k in group_services.MEMBER_FIELDS},
                                                "locale": "en"}, actor=actor(region))
    with pytest.raises(DomainError):
        group_services.update_member(chair, group, {**{k: getattr(chair, k) for k in group_services.MEMBER_FIELDS},
                                                    "locale": "de"}, actor=actor(region))
    by_address = {r.email: r.locale for r in mail.recipients(meeting_services.invitees(make_meeting(region)))}
    assert by_address["zofia@example.org"] == "en" and by_address["lucja@example.org"] == "pl"
    meeting = meeting_services.create_meeting(group, meeting_data(), AGENDA, actor=actor(region))[0]
    meeting_services.send_invitations(meeting, group, actor=actor(region))
    deliver()
    subjects = {m["to"][0]: m["message"]["Subject"] for m in smtp.messages}
    assert subjects["zofia@example.org"] != subjects["lucja@example.org"]
    assert "Invitation" in subjects["zofia@example.org"] or "invitation" in subjects["zofia@example.org"].lower()


# --- answer links ----------------------------------------------------------------------------

def test_answer_link_expires_after_grace_period_and_on_cancellation(app, world, pinned_clock):
    from coordination.clock import to_naive_utc

    with app.test_request_context(), tenant_context(world.tenant_id):
        meeting = make_meeting(world)
        other = make_meeting(world)
        token = mail.rsvp_token(meeting, member(world.own_member_id))
        other_token = mail.rsvp_token(other, member(world.own_member_id))
        end_utc = to_naive_utc(meeting.ends_at)
        meeting_services.cancel_meeting(other, group_of(world), actor=actor(world))
        db.session.remove()
    c = app.test_client()
    assert c.get(f"/odpowiedz/{token}").status_code == 200
    pinned_clock.now = end_utc + timedelta(days=7) - timedelta(minutes=1)
    assert c.get(f"/odpowiedz/{token}").status_code == 200            # still within the grace period
    pinned_clock.now = end_utc + timedelta(days=7, minutes=1)
    expired = c.get(f"/odpowiedz/{token}")
    cancelled = c.get(f"/odpowiedz/{other_token}")
    forged = c.get(f"/odpowiedz/{token}x")
    assert expired.status_code == cancelled.status_code == forged.status_code == 404
    # CSRF tokens are timestamped (they differ when the requests straddle a second): drop them
    texts = {re.sub(r'(nonce|value|content)="[^"]*"|"X-CSRFToken": "[^"]*"', "", r.get_data(as_text=True))
             for r in (expired, cancelled, forged)}
    assert len(texts) == 1 and "Ten link jest już nieważny" in texts.pop()   # nothing tells them apart
    assert c.post(f"/odpowiedz/{token}", data={"answer": "yes"}).status_code in (400, 404)
