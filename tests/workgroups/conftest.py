"""Fixtures of the working-group tests: a region with a group, members and accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from coordination import clock
from coordination.auth.models import User
from coordination.extensions import db
from coordination.tenancy import tenant_context
from workgroups.models import Group, GroupMember, Meeting
from workgroups.services import groups as group_services
from workgroups.services import meetings as meeting_services

REGION = "wielkopolskie"


@dataclass
class World:
    tenant_id: int
    coordinator_id: int
    member_user_id: int
    outsider_id: int
    group_id: int
    member_ids: list[int]
    own_member_id: int


@pytest.fixture
def world(app, tenants, make_user) -> World:
    """A promotion group with a chair (contact), a secretary, two members (one with the
    account czlonek@…) and an observer; coordinator and a plain tenant member without group."""
    coordinator = make_user("koordynator@example.org", "coordinator", REGION, name="Katarzyna Koordynator")
    member_user = make_user("czlonek@example.org", "member", REGION, name="Marek Członkowski")
    outsider = make_user("inny@example.org", "member", REGION, name="Inny Użytkownik")
    with app.test_request_context(), tenant_context(tenants[REGION]):
        actor = db.session.get(User, coordinator)
        group = group_services.create_group(
            {"name": "Grupa ds. promocji", "kind": "promotion", "quorum_percent": 50}, actor=actor)
        start = date(2020, 1, 1)
        people = [
            {"full_name": "Zofia Żółkiewska", "email": "zofia@example.org", "role": "chair", "category": "rops",
             "institution": "ROPS w Poznaniu"},
            {"full_name": "Łucja Sekretarz", "email": "lucja@example.org", "role": "secretary", "category": "rops"},
            {"user_id": member_user, "role": "member", "category": "owes", "institution": "OWES Kalisz"},
            {"full_name": "Piotr Gęślą", "email": None, "role": "member", "category": "pes"},
            {"full_name": "Olga Obserwatorka", "email": "olga@example.org", "role": "observer", "category": "other"},
        ]
        ids = []
        for p in people:
            ids.append(group_services.add_member(group, dict(p, date_from=start), actor=actor).id)
        w = World(tenants[REGION], coordinator, member_user, outsider, group.id, ids, ids[2])
        db.session.remove()
    return w


@pytest.fixture
def region(app, world):
    """Run the test body inside a request context and the region's tenant context."""
    with app.test_request_context(), tenant_context(world.tenant_id):
        yield world
        db.session.remove()


def actor(world: World, which: str = "coordinator") -> User:
    return db.session.get(User, world.coordinator_id if which == "coordinator" else world.member_user_id)


def group_of(world: World) -> Group:
    return db.session.get(Group, world.group_id)


def meeting_data(day: date | None = None, **extra) -> dict:
    data = {"title": "Posiedzenie grupy", "day": day or clock.today() + timedelta(days=10),
            "start_time": time(10, 0), "end_time": time(12, 30), "mode": "hybrid",
            "place": "Poznań, al. Niepodległości 34, sala 112", "online_url": "https://meet.example.org/abc"}
    data.update(extra)
    return data


AGENDA = [{"title": "Otwarcie posiedzenia", "presenter": "Zofia Żółkiewska", "duration_minutes": 10},
          {"title": "Plan promocji na 2026 r.", "presenter": "Łucja Sekretarz", "duration_minutes": 45},
          {"title": "Sprawy różne"}]


def make_meeting(world: World, day: date | None = None, **extra) -> Meeting:
    return meeting_services.create_meeting(group_of(world), meeting_data(day, **extra), AGENDA,
                                           actor=actor(world))[0]


def held_meeting(world: World, statuses: dict[int, str] | None = None, day: date | None = None) -> Meeting:
    """A past meeting (3 days ago unless ``day``) with attendance recorded (chair, secretary,
    member present by default)."""
    meeting = make_meeting(world, day or clock.today() - timedelta(days=3))
    rows = {mid: ("absent", None) for mid in world.member_ids}
    for mid in world.member_ids[:3]:
        rows[mid] = ("present", None)
    for mid, status in (statuses or {}).items():
        rows[mid] = (status, "Jan Zastępca" if status == "substitute" else None)
    meeting_services.record_attendance(meeting, rows, actor=actor(world))
    return meeting


def deliver() -> dict:
    """Run the scheduler's sending job inline (what `scheduler run` does every 30 s), as the
    scheduler runs it: outside any region's context (the tests' bodies run inside one)."""
    from coordination.notifications import services as notify

    with tenant_context(None):
        return notify.send_due()


def member(member_id: int) -> GroupMember:
    return db.session.get(GroupMember, member_id)
