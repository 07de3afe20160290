"""Resolutions (numbering, quorum, votes) and action items (owner rights, overdue)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordination import clock
from coordination.errors import DomainError
from coordination.extensions import db
from workgroups.models import ActionItem, Resolution
from workgroups.services import records as services

from .conftest import actor, group_of, held_meeting, make_meeting


def test_resolution_numbering_votes_and_outcome(region):
    meeting = held_meeting(region)
    group = group_of(region)
    r1 = services.add_resolution(meeting, group, {"subject": "przyjęcia planu pracy", "votes_for": 3,
                                                  "votes_against": 0, "votes_abstain": 0}, actor=actor(region))
    r2 = services.add_resolution(meeting, group, {"subject": "zmiany regulaminu", "votes_for": 1,
                                                  "votes_against": 2, "votes_abstain": 0}, actor=actor(region))
    assert (r1.label, r1.outcome) == (f"1/{meeting.year}", "adopted")
    assert (r2.number, r2.outcome) == (2, "rejected")
    with pytest.raises(DomainError) as err:
        services.add_resolution(meeting, group, {"subject": "x", "number": 1}, actor=actor(region))
    assert err.value.field == "number"
    with pytest.raises(DomainError) as err:
        services.add_resolution(meeting, group, {"subject": "x", "votes_for": 4}, actor=actor(region))
    assert err.value.field == "votes_for"


def test_resolution_needs_held_meeting_and_quorum(region):
    group = group_of(region)
    with pytest.raises(DomainError):
        services.add_resolution(make_meeting(region), group, {"subject": "x"}, actor=actor(region))
    # only the chair present: 1 of 4 voting members, 2 needed
    meeting = held_meeting(region, {region.member_ids[1]: "absent", region.member_ids[2]: "excused"})
    with pytest.raises(DomainError) as err:
        services.add_resolution(meeting, group, {"subject": "x", "votes_for": 1}, actor=actor(region))
    assert "kworum" in err.value.message.lower() or "quorum" in err.value.message.lower()
    assert db.session.scalar(select(Resolution.id)) is None


def test_actions_owner_status_and_overdue(region):
    meeting = held_meeting(region)
    group = group_of(region)
    action = services.add_action(group, meeting, {"description": "Przygotować raport", "owner_id": region.own_member_id,
                                                  "due_date": clock.today() - timedelta(days=1)}, actor=actor(region))
    assert action.overdue(clock.today())
    with pytest.raises(DomainError):
        services.add_action(group, meeting, {"description": " "}, actor=actor(region))
    # the owner may change the status and the note only
    services.update_action(action, group, {"status": "done", "note": "Wysłane", "description": "zmiana"},
                           actor=actor(region, "member"), full=False)
    fresh = db.session.get(ActionItem, action.id)
    assert fresh.status == "done" and fresh.description == "Przygotować raport" and not fresh.overdue(clock.today())
    with pytest.raises(DomainError):
        services.update_action(action, group, {"status": "whatever"}, actor=actor(region), full=True)
